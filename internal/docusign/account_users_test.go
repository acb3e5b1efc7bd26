// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

// createdDuring decides whether destroy may close a user, so its unsure cases must land on
// "existed before".
func TestCreatedDuring(t *testing.T) {
	started := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	user := func(created string) *esign.User { return &esign.User{CreatedDateTime: created} }
	for _, tc := range []struct {
		name    string
		answers []*esign.User
		want    bool
	}{
		{"created during the apply", []*esign.User{user("2026-11-30T12:00:01.0000000Z")}, true},
		{"DocuSign's clock a little behind", []*esign.User{user("2026-11-30T11:57:00.0000000Z")}, true},
		{"existed long before", []*esign.User{user("2024-03-04T09:00:00.0000000Z")}, false},
		{"unknown date 0001-01-01", []*esign.User{user("0001-01-01T08:00:00.0000000Z")}, false},
		{"no date anywhere", []*esign.User{user(""), nil}, false},
		{"unparseable", []*esign.User{user("yesterday")}, false},
		{"create answer lacks it, read-back has it", []*esign.User{user(""), user("2026-11-30T12:00:02Z")}, true},
	} {
		if got := createdDuring(started, tc.answers...); got != tc.want {
			t.Errorf("%s: createdDuring = %v, want %v", tc.name, got, tc.want)
		}
	}
}

const (
	createUsers   = "POST /restapi/v2.1/accounts/{accountId}/users"
	updateUsers   = "PUT /restapi/v2.1/accounts/{accountId}/users"
	newHireEmail  = "new.hire@opensam.example"
	omarEmail     = "omar.haddad@opensam.example" // in Legal only
	omarFirstName = "Omar"
)

func membershipOf(t *testing.T, srv *emulator.Server, id, account string) emulator.MembershipView {
	t.Helper()
	u, _ := srv.User(id)
	for _, m := range u.Memberships {
		if m.AccountID == account {
			return m
		}
	}
	t.Fatalf("user %s has no membership in %s", id, account)
	return emulator.MembershipView{}
}

// A new person: one create, the profile named resolved to the account's own ID, the user read
// back, and reported as created by this call.
func TestCreateAccountUserCreatesAndReadsBack(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv, func(cfg *Config) { cfg.AccountID = testSales })
	added, err := c.CreateAccountUser(context.Background(), NewAccountUser{
		Email: newHireEmail, UserName: "New Hire", FirstName: "New", PermissionProfileName: "docusign viewer",
	})
	if err != nil {
		t.Fatal(err)
	}
	if added.ReadBackErr != nil || added.RenameErr != nil {
		t.Fatalf("warnings: read back %v, rename %v", added.ReadBackErr, added.RenameErr)
	}
	id := userID(t, srv, newHireEmail)
	if added.AccountID != testSales || added.User.UserID != id || !added.CreatedUser {
		t.Errorf("added = account %s, user %s, created %v; want %s, %s, true", added.AccountID, added.User.UserID, added.CreatedUser, testSales, id)
	}
	// The read-back gives what the create answer lacks.
	if added.User.FirstName != "New" || added.User.UserStatus != esign.StatusActivationSent {
		t.Errorf("user = %+v, want the read-back's first name and status", *added.User)
	}
	want, _ := srv.PermissionProfileID(testSales, "DS Viewer")
	if m := membershipOf(t, srv, id, testSales); m.PermissionProfileID != want || added.User.PermissionProfileID != want {
		t.Errorf("profile: emulator %s, returned %s; want Sales' own %s", m.PermissionProfileID, added.User.PermissionProfileID, want)
	}
	if n := srv.Stats().Requests[createUsers]; n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

// A failed read-back is no error: the membership exists, and the caller needs its ID.
func TestCreateAccountUserKeepsTheUserWhenTheReadBackFails(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv, func(cfg *Config) { cfg.MaxRetries = Retries(0) })
	if _, err := c.PermissionProfileByName(context.Background(), testSales, "DS Viewer"); err != nil {
		t.Fatal(err) // read the profiles first, so the one failure below hits the read-back
	}
	if err := srv.FailNext(listUsers, 1, 503); err != nil {
		t.Fatal(err)
	}
	added, err := c.CreateAccountUser(context.Background(), NewAccountUser{
		AccountID: testSales, Email: newHireEmail, UserName: "New Hire", FirstName: "New", PermissionProfileName: "DS Viewer",
	})
	if err != nil {
		t.Fatalf("err = %v, want the user added with a read-back warning", err)
	}
	if added.ReadBackErr == nil {
		t.Fatal("no read-back error, but the emulator was told to fail the read")
	}
	if id := userID(t, srv, newHireEmail); added.User.UserID != id || !added.CreatedUser {
		t.Errorf("added user %s created %v, want %s created", added.User.UserID, added.CreatedUser, id)
	}
	if added.User.FirstName != "New" {
		t.Errorf("first name %q, want what was sent", added.User.FirstName)
	}
	if n := srv.Stats().Requests[createUsers]; n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

// A person who already exists in DocuSign is added, not created, and given the names asked for.
func TestCreateAccountUserRenamesAnExistingPerson(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	added, err := c.CreateAccountUser(context.Background(), NewAccountUser{AccountID: testSales, Email: omarEmail, UserName: "Omar H."})
	if err != nil {
		t.Fatal(err)
	}
	if added.CreatedUser {
		t.Error("created_user true for a person who existed before")
	}
	if added.RenameErr != nil || added.User.UserName != "Omar H." || added.User.FirstName != omarFirstName {
		t.Errorf("user %+v, rename err %v; want the new user name and the own first name kept", *added.User, added.RenameErr)
	}
	if u, _ := srv.User(added.User.UserID); u.UserName != "Omar H." {
		t.Errorf("the emulator holds the name %q", u.UserName)
	}
	if n := srv.Stats().Requests[updateUsers]; n != 1 {
		t.Errorf("%d updates, want 1", n)
	}
}

// Each failure says which step failed; an open membership for the email names the user.
func TestCreateAccountUserErrorsSayTheStep(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	var step *StepError
	_, err := c.CreateAccountUser(ctx, NewAccountUser{AccountID: testSales, Email: newHireEmail, UserName: "N", PermissionProfileName: "DocuSign Approver"})
	if !errors.As(err, &step) || step.Step != StepFindPermissionProfile || !errors.Is(err, ErrUnknownPermissionProfile) {
		t.Errorf("unknown profile: %v", err)
	}
	_, err = c.CreateAccountUser(ctx, NewAccountUser{AccountID: testSales, Email: strings.ToUpper(alexEmail), UserName: "Alex"})
	var exists *UserExistsError
	if !errors.As(err, &step) || step.Step != StepCreate || !errors.As(err, &exists) || exists.UserID != alexID {
		t.Errorf("existing membership: %v, want StepCreate wrapping a UserExistsError for %s", err, alexID)
	}
	if n := srv.Stats().Requests[createUsers]; n != 1 {
		t.Errorf("%d creates, want 1 (none for the unknown profile)", n)
	}
}

// An update resolves the profile name per account, changes the user and reads them back.
func TestUpdateAccountUser(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	user, err := c.UpdateAccountUser(ctx, testSales, alexID, alexEmail, UserChanges{UserName: "Alex Renamed", PermissionProfileName: "DS Viewer"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := srv.PermissionProfileID(testSales, "DS Viewer")
	if user.UserName != "Alex Renamed" || user.PermissionProfileID != want {
		t.Errorf("returned %+v, want the new name and profile %s", *user, want)
	}
	if u, _ := srv.User(alexID); u.UserName != "Alex Renamed" || membershipOf(t, srv, alexID, testSales).PermissionProfileID != want {
		t.Errorf("the emulator holds %+v", u)
	}
	var step *StepError
	_, err = c.UpdateAccountUser(ctx, testSales, alexID, alexEmail, UserChanges{PermissionProfileName: "DocuSign Approver"})
	if !errors.As(err, &step) || step.Step != StepFindPermissionProfile {
		t.Errorf("unknown profile: %v", err)
	}
	if n := srv.Stats().Requests[updateUsers]; n != 1 {
		t.Errorf("%d updates, want 1 (none for the unknown profile)", n)
	}
	_, err = c.UpdateAccountUser(ctx, testSales, nobodyID, "", UserChanges{UserName: "Nobody"})
	if !errors.As(err, &step) || step.Step != StepUpdate {
		t.Errorf("unknown user: %v, want a StepUpdate error", err)
	}
}

// A plan that leaves account_id out resolves profile names in the client's default account.
func TestPermissionProfileByNameInTheDefaultAccount(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv, func(cfg *Config) { cfg.AccountID = testLegal })
	profile, err := c.PermissionProfileByName(context.Background(), "", "DS Viewer")
	if want, _ := srv.PermissionProfileID(testLegal, "DS Viewer"); err != nil || profile.ID != want {
		t.Fatalf("profile %+v, %v; want Legal's own ID %s", profile, err, want)
	}
}
