// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import "testing"

func TestMembershipStatusSpellsBothAPIsTheSame(t *testing.T) {
	for in, want := range map[string]string{
		"active": "Active", "Active": "Active", "closed": "Closed", "Closed": "Closed",
		"activation_sent": "ActivationSent", "ActivationSent": "ActivationSent",
		"activation_required": "ActivationRequired", "ActivationRequired": "ActivationRequired",
		"disabled": "Disabled", "Disabled": "Disabled", "created": "Created", "": "",
	} {
		if got := membershipStatus(in); got != want {
			t.Errorf("membershipStatus(%q) = %q, want %q", in, got, want)
		}
	}
}
