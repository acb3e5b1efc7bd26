// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulatorcheck

import (
	"fmt"
	"maps"
	"strings"
)

type membershipStatus struct {
	emu                  Emulator
	accountID, who, want string
}

// MembershipStatus checks that the user's membership in accountID has the status want, as the
// emulator spells it ("Active", "Closed", "ActivationSent"). who is a user ID or an email.
func MembershipStatus(emu Emulator, accountID, who, want string) Check {
	return stateCheck{membershipStatus{emu, accountID, who, want}}
}

func (c membershipStatus) Verify() error {
	m, err := membershipOf(c.emu, c.accountID, c.who)
	if err != nil {
		return err
	}
	if m.Status != c.want {
		return fmt.Errorf("emulator: %s in account %s is %s, want %s", c.who, c.accountID, m.Status, c.want)
	}
	return nil
}

type closures struct {
	emu            Emulator
	accountID, who string
	want           int
}

// Closures checks how many times the emulator closed the user's membership in accountID:
// exactly once means no duplicate or repeated close. who is a user ID or an email.
func Closures(emu Emulator, accountID, who string, want int) Check {
	return stateCheck{closures{emu, accountID, who, want}}
}

func (c closures) Verify() error {
	m, err := membershipOf(c.emu, c.accountID, c.who)
	if err != nil {
		return err
	}
	if m.Closures != c.want {
		return fmt.Errorf("emulator: %s in %s was closed %d times, want %d", c.who, c.accountID, m.Closures, c.want)
	}
	return nil
}

type closedExactlyOnce struct {
	emu       Emulator
	accountID string
	userIDs   []string
}

// ClosedExactlyOnce checks that each user's membership in accountID is closed and was closed
// exactly once.
func ClosedExactlyOnce(emu Emulator, accountID string, userIDs ...string) Check {
	return stateCheck{closedExactlyOnce{emu, accountID, userIDs}}
}

func (c closedExactlyOnce) Verify() error {
	var bad []string
	for _, id := range c.userIDs {
		u, ok := c.emu.User(id)
		if !ok {
			return fmt.Errorf("emulator has no user %s", id)
		}
		m, ok := membershipIn(u, c.accountID)
		switch {
		case !ok:
			bad = append(bad, fmt.Sprintf("%s: no membership", u.Email))
		case m.Status != "Closed" || m.Closures != 1:
			bad = append(bad, fmt.Sprintf("%s: %s after %d closures", u.Email, m.Status, m.Closures))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("emulator: %d of %d users in %s not closed exactly once: %s", len(bad), len(c.userIDs), c.accountID, strings.Join(bad, "; "))
	}
	return nil
}

type permissionProfile struct {
	emu                         Emulator
	accountID, who, profileName string
}

// PermissionProfile checks that the user's membership in accountID holds the account's own ID of
// the named permission profile. who is a user ID or an email.
func PermissionProfile(emu Emulator, accountID, who, profileName string) Check {
	return stateCheck{permissionProfile{emu, accountID, who, profileName}}
}

func (c permissionProfile) Verify() error {
	want, ok := c.emu.PermissionProfileID(c.accountID, c.profileName)
	if !ok {
		return fmt.Errorf("emulator account %s has no profile %q", c.accountID, c.profileName)
	}
	m, err := membershipOf(c.emu, c.accountID, c.who)
	if err != nil {
		return err
	}
	if m.PermissionProfileID != want {
		return fmt.Errorf("emulator: %s in %s has profile %s, want %s (%s)", c.who, c.accountID, m.PermissionProfileID, want, c.profileName)
	}
	return nil
}

type storedEmail struct {
	emu           Emulator
	userID, email string
}

// StoredEmail checks that the emulator holds the user's email exactly as email, letter case
// included: closing or looking someone up never rewrites their address.
func StoredEmail(emu Emulator, userID, email string) Check {
	return stateCheck{storedEmail{emu, userID, email}}
}

func (c storedEmail) Verify() error {
	u, ok := c.emu.User(c.userID)
	if !ok {
		return fmt.Errorf("emulator has no user %s", c.userID)
	}
	if u.Email != c.email {
		return fmt.Errorf("emulator: user %s has email %q, want %q as stored", c.userID, u.Email, c.email)
	}
	return nil
}

type userName struct {
	emu       Emulator
	who, want string
}

// UserName checks the user's user name in the emulator. who is a user ID or an email.
func UserName(emu Emulator, who, want string) Check {
	return stateCheck{userName{emu, who, want}}
}

func (c userName) Verify() error {
	u, ok := lookup(c.emu, c.who)
	if !ok {
		return fmt.Errorf("emulator has no user %s", c.who)
	}
	if u.UserName != c.want {
		return fmt.Errorf("emulator: %s is named %q, want %q", c.who, u.UserName, c.want)
	}
	return nil
}

type usersWithEmail struct {
	emu   Emulator
	email string
	want  int
}

// UsersWithEmail checks how many user records the emulator holds with email: one means the
// provider created no duplicate.
func UsersWithEmail(emu Emulator, email string, want int) Check {
	return stateCheck{usersWithEmail{emu, email, want}}
}

func (c usersWithEmail) Verify() error {
	if got := len(c.emu.UsersByEmail(c.email)); got != c.want {
		return fmt.Errorf("emulator holds %d users with email %s, want exactly %d", got, c.email, c.want)
	}
	return nil
}

type person struct {
	emu      Emulator
	email    string
	statuses map[string]string
}

// Person checks that the emulator holds exactly one user record for email, with exactly these
// memberships: account ID → status.
func Person(emu Emulator, email string, statuses map[string]string) Check {
	return stateCheck{person{emu, email, statuses}}
}

func (c person) Verify() error {
	records := c.emu.UsersByEmail(c.email)
	if len(records) != 1 {
		return fmt.Errorf("emulator holds %d user records for %s, want exactly 1", len(records), c.email)
	}
	got := map[string]string{}
	for _, m := range records[0].Memberships {
		got[m.AccountID] = m.Status
	}
	if !maps.Equal(got, c.statuses) {
		return fmt.Errorf("emulator: %s has memberships %v, want exactly %v", c.email, got, c.statuses)
	}
	return nil
}

type notClosed struct {
	emu       Emulator
	accountID string
	userIDs   []string
}

// NotClosed checks that none of the users' memberships in accountID is closed: nothing closed
// them yet, or what ran refused to.
func NotClosed(emu Emulator, accountID string, userIDs ...string) Check {
	return stateCheck{notClosed{emu, accountID, userIDs}}
}

func (c notClosed) Verify() error {
	var closed []string
	for _, id := range c.userIDs {
		u, ok := c.emu.User(id)
		if !ok {
			return fmt.Errorf("emulator has no user %s", id)
		}
		if m, ok := membershipIn(u, c.accountID); ok && m.Status == "Closed" {
			closed = append(closed, u.Email)
		}
	}
	if len(closed) > 0 {
		return fmt.Errorf("emulator: %d of %d users in %s are closed: %s", len(closed), len(c.userIDs), c.accountID, strings.Join(closed, ", "))
	}
	return nil
}

type everyMembership struct {
	emu       Emulator
	who, want string
}

// EveryMembership checks that every membership the user holds, in any account, has the status
// want. who is a user ID or an email.
func EveryMembership(emu Emulator, who, want string) Check {
	return stateCheck{everyMembership{emu, who, want}}
}

func (c everyMembership) Verify() error {
	u, ok := lookup(c.emu, c.who)
	if !ok {
		return fmt.Errorf("emulator has no user %s", c.who)
	}
	var wrong []string
	for _, m := range u.Memberships {
		if m.Status != c.want {
			wrong = append(wrong, fmt.Sprintf("%s in %s", m.Status, m.AccountID))
		}
	}
	if len(wrong) > 0 {
		return fmt.Errorf("emulator: %s is %s, want %s everywhere", c.who, strings.Join(wrong, ", "), c.want)
	}
	return nil
}
