// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

const (
	alexID     = "70000001-0000-4000-8000-000000000001"
	alexEmail  = "alex.leaver@opensam.example"
	nobodyID   = "00000000-0000-4000-8000-0000000000ff"
	getUser    = "GET /restapi/v2.1/accounts/{accountId}/users/{userId}"
	listUsers  = "GET /restapi/v2.1/accounts/{accountId}/users"
	dsProfile  = "GET /Management/v2.1/organizations/{organizationId}/users/{userId}/dsprofile"
	profileGET = "GET /restapi/v2.1/accounts/{accountId}/permission_profiles"
)

// Under users_self_only, a lookup by ID spends one refused GET per client, then reads the Admin
// profile and the email list; the values match what the GET gives where it is allowed.
func TestAccountUserWorksUnderUsersSelfOnly(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	ctx := context.Background()
	lenient, err := newClient(t, srv).AccountUser(ctx, testSales, alexID, "")
	if err != nil {
		t.Fatal(err)
	}

	// users_list_last_login: the fallback reads the list, which carries lastLogin only then.
	srv.SetBehaviour(emulator.Behaviour{UsersSelfOnly: true, UsersListLastLogin: true})
	c := newClient(t, srv)
	srv.ResetStats()
	for i := range 2 {
		u, err := c.AccountUser(ctx, testSales, alexID, "")
		if err != nil {
			t.Fatalf("lookup %d: %v", i, err)
		}
		if *u != *lenient {
			t.Fatalf("lookup %d under users_self_only = %+v, want what GET gives: %+v", i, *u, *lenient)
		}
	}
	st := srv.Stats().Requests
	if st[getUser] != 1 || st[dsProfile] != 2 || st[listUsers] != 2 {
		t.Fatalf("calls: %d GET (want 1: the refusal is remembered), %d dsprofile, %d list (want 2 each)", st[getUser], st[dsProfile], st[listUsers])
	}
	if _, err := c.AccountUser(ctx, testSales, nobodyID, ""); !errors.Is(err, esign.ErrUserNotFound) {
		t.Fatalf("unknown user: %v, want ErrUserNotFound", err)
	}

	// With the email the lookup is one list call, whatever the behaviour.
	srv.ResetStats()
	if u, err := c.AccountUser(ctx, testSales, alexID, strings.ToUpper(alexEmail)); err != nil || u.UserID != alexID {
		t.Fatalf("by email: %+v, %v", u, err)
	}
	if st := srv.Stats().Requests; st[listUsers] != 1 || st[getUser] != 0 || st[dsProfile] != 0 {
		t.Fatalf("lookup with email cost %v, want one list call", st)
	}
}

// Profile names resolve to each account's own IDs, with one listing per account.
func TestPermissionProfileByName(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	srv.ResetStats()
	sales, err := c.PermissionProfileByName(ctx, testSales, "DS Viewer")
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.PermissionProfileByName(ctx, testSales, "ds viewer")
	if err != nil || again != sales {
		t.Fatalf("case-insensitive lookup: %+v, %v", again, err)
	}
	legal, err := c.PermissionProfileByName(ctx, testLegal, "DS Viewer")
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := srv.PermissionProfileID(testSales, "DS Viewer"); sales.ID != want || legal.ID == sales.ID {
		t.Fatalf("sales %s (want %s), legal %s: IDs must be each account's own", sales.ID, want, legal.ID)
	}
	if n := srv.Stats().Requests[profileGET]; n != 2 {
		t.Fatalf("%d profile listings, want 1 per account", n)
	}
	_, err = c.PermissionProfileByName(ctx, testSales, "DocuSign Approver")
	if !errors.Is(err, ErrUnknownPermissionProfile) || !strings.Contains(err.Error(), `"DS Sender"`) {
		t.Fatalf("unknown name: %v", err)
	}
}

// A built-in profile's older name finds it on a current account, and its current name on an
// older account: an account shows one naming or the other.
func TestPermissionProfileByEitherBuiltInName(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		srv := startEmulator(t, nil, emulator.Options{})
		srv.SetBehaviour(emulator.Behaviour{LegacyProfileNames: legacy})
		c := newClient(t, srv)
		shown := map[bool]string{false: "DS Viewer", true: "DocuSign Viewer"}[legacy]
		want, _ := srv.PermissionProfileID(testSales, shown)
		for _, name := range []string{"DS Viewer", "DocuSign Viewer", "docusign viewer"} {
			p, err := c.PermissionProfileByName(context.Background(), testSales, name)
			if err != nil || p.ID != want || p.Name != shown {
				t.Errorf("legacy=%v, %q: %+v, %v; want %s %q", legacy, name, p, err, want, shown)
			}
		}
	}
	if !SameProfileName("DS Admin", "account administrator") || !SameProfileName("Custom", "custom") || SameProfileName("DS Admin", "DS Sender") {
		t.Error("SameProfileName pairs the wrong names")
	}
}
