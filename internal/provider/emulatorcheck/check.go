// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package emulatorcheck holds typed checks of what the DocuSign emulator holds and what it was
// asked, for acceptance tests: each is a statecheck.StateCheck, so a test step lists it in
// ConfigStateChecks next to the checks of Terraform's state, and CheckFunc or Verify run the same
// checks where a step has no state (CheckDestroy, or after the test).
//
// A check reads the emulator at the moment it runs, never Terraform's state: it proves that
// DocuSign really holds what the provider reported.
package emulatorcheck

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

// Emulator is what the checks read: an *emulator.Emulator, or anything that embeds one, such as
// an *emulator.Server.
type Emulator interface {
	User(id string) (emulator.UserView, bool)
	UserByEmail(email string) (emulator.UserView, bool)
	UsersByEmail(email string) []emulator.UserView
	PermissionProfileID(accountID, name string) (string, bool)
	Stats() emulator.Stats
	EnvelopeCount(accountID string, from, to time.Time) int
	EnvelopesBySender(accountID string, from, to time.Time) map[string]int
}

// Check is one check of the emulator. It is a statecheck.StateCheck that ignores Terraform's
// state; Verify runs it on its own.
type Check interface {
	statecheck.StateCheck
	Verify() error
}

type verifier interface{ Verify() error }

// stateCheck turns a verifier into a statecheck.StateCheck.
type stateCheck struct{ verifier }

var _ Check = stateCheck{}

func (c stateCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if err := c.Verify(); err != nil {
		resp.Error = err
	}
}

// Verify runs checks and returns every failure, joined.
func Verify(checks ...Check) error {
	var errs []error
	for _, c := range checks {
		if err := c.Verify(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// StateChecks lists checks as state checks, for a step's ConfigStateChecks.
func StateChecks(checks ...Check) []statecheck.StateCheck {
	out := make([]statecheck.StateCheck, len(checks))
	for i, c := range checks {
		out[i] = c
	}
	return out
}

// CheckFunc runs checks as a legacy check function, for CheckDestroy, which has no state checks.
func CheckFunc(checks ...Check) resource.TestCheckFunc {
	return func(*terraform.State) error { return Verify(checks...) }
}

// lookup finds a user by ID, or by email when who holds an @ (the first user with that email,
// compared case-insensitively as DocuSign does).
func lookup(emu Emulator, who string) (emulator.UserView, bool) {
	if strings.Contains(who, "@") {
		return emu.UserByEmail(who)
	}
	return emu.User(who)
}

// membershipOf finds who (a user ID or an email) and their membership in accountID.
func membershipOf(emu Emulator, accountID, who string) (emulator.MembershipView, error) {
	u, ok := lookup(emu, who)
	if !ok {
		return emulator.MembershipView{}, fmt.Errorf("emulator has no user %s", who)
	}
	m, ok := membershipIn(u, accountID)
	if !ok {
		return emulator.MembershipView{}, fmt.Errorf("emulator: %s has no membership in %s", who, accountID)
	}
	return m, nil
}

// membershipIn returns the user's membership in accountID.
func membershipIn(u emulator.UserView, accountID string) (emulator.MembershipView, bool) {
	for _, m := range u.Memberships {
		if strings.EqualFold(m.AccountID, accountID) {
			return m, true
		}
	}
	return emulator.MembershipView{}, false
}
