// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// ErrUnknownPermissionProfile means the account has no permission profile with that name.
var ErrUnknownPermissionProfile = errors.New("unknown permission profile")

// PermissionProfileByName resolves a profile name to the account's own profile. Profile IDs
// differ per account, so names are resolved per account; each account's list is read once per
// provider process (one call), whatever the number of users that name a profile in it. The name
// matches exactly, or else in any letter case when that is unambiguous. An empty accountID means
// the client's default account (see AccountID).
func (c *Client) PermissionProfileByName(ctx context.Context, accountID, name string) (esign.PermissionProfile, error) {
	accountID, err := c.AccountID(ctx, accountID)
	if err != nil {
		return esign.PermissionProfile{}, err
	}
	profiles, err := c.permissionProfiles(ctx, accountID)
	if err != nil {
		return esign.PermissionProfile{}, err
	}
	var folded []esign.PermissionProfile
	for _, p := range profiles {
		if p.Name == name {
			return p, nil
		}
		if strings.EqualFold(p.Name, name) {
			folded = append(folded, p)
		}
	}
	if len(folded) == 1 {
		return folded[0], nil
	}
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = fmt.Sprintf("%q", p.Name)
	}
	sort.Strings(names)
	return esign.PermissionProfile{}, fmt.Errorf("%w %q in account %s; it has %s", ErrUnknownPermissionProfile, name, accountID, strings.Join(names, ", "))
}

func (c *Client) permissionProfiles(ctx context.Context, accountID string) ([]esign.PermissionProfile, error) {
	key := strings.ToLower(accountID)
	c.profilesMu.Lock()
	defer c.profilesMu.Unlock()
	if cached, ok := c.profiles[key]; ok {
		return cached, nil
	}
	profiles, err := c.ESign.PermissionProfiles(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if c.profiles == nil {
		c.profiles = map[string][]esign.PermissionProfile{}
	}
	c.profiles[key] = profiles
	return profiles, nil
}
