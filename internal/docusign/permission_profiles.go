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

// builtInProfileNames pairs each built-in profile's name on current accounts with the name older
// accounts still show. An account shows one or the other, so a configuration written for one kind
// of account finds the profile on the other too.
var builtInProfileNames = [][2]string{
	{"DS Admin", "Account Administrator"},
	{"DS Sender", "DocuSign Sender"},
	{"DS Viewer", "DocuSign Viewer"},
}

// otherBuiltInName is the other name of a built-in profile, or "" for any other name.
func otherBuiltInName(name string) string {
	for _, pair := range builtInProfileNames {
		switch {
		case strings.EqualFold(name, pair[0]):
			return pair[1]
		case strings.EqualFold(name, pair[1]):
			return pair[0]
		}
	}
	return ""
}

// SameProfileName reports whether two permission profile names mean the same profile: equal in
// any letter case, or the current and the older name of one built-in profile.
func SameProfileName(a, b string) bool {
	return strings.EqualFold(a, b) || (otherBuiltInName(a) != "" && strings.EqualFold(otherBuiltInName(a), b))
}

// PermissionProfileByName resolves a profile name to the account's own profile. Profile IDs
// differ per account, so names are resolved per account; each account's list is read once per
// provider process (one call), whatever the number of users that name a profile in it. The name
// matches exactly, or else in any letter case when that is unambiguous, or else, for a built-in
// profile, by its other name ("DS Sender" on an account that still says "DocuSign Sender", and
// the reverse). An empty accountID means the client's default account (see AccountID).
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
	if other := otherBuiltInName(name); other != "" && len(folded) == 0 {
		var renamed []esign.PermissionProfile
		for _, p := range profiles {
			if strings.EqualFold(p.Name, other) {
				renamed = append(renamed, p)
			}
		}
		if len(renamed) == 1 {
			return renamed[0], nil
		}
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
