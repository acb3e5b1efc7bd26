// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package esign

import "context"

// PermissionProfile is one of an account's permission profiles. IDs are the account's own: the
// same name has a different ID in another account.
type PermissionProfile struct {
	ID   string `json:"permissionProfileId"`
	Name string `json:"permissionProfileName"`
}

// PermissionProfiles lists the account's permission profiles (GET …/permission_profiles).
func (c *Client) PermissionProfiles(ctx context.Context, accountID string) ([]PermissionProfile, error) {
	var out struct {
		PermissionProfiles []PermissionProfile `json:"permissionProfiles"`
	}
	if err := c.do(ctx, accountID, "GET", "/permission_profiles", nil, nil, &out, true); err != nil {
		return nil, err
	}
	return out.PermissionProfiles, nil
}
