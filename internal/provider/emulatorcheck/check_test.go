// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulatorcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

const (
	sales    = demoorg.SalesAccount
	legal    = demoorg.LegalAccount
	alex     = "alex.leaver@opensam.example"
	jamie    = "jamie.leaver@opensam.example"
	noRoute  = "GET /nowhere"
	closeAll = "DELETE /restapi/v2.1/accounts/{accountId}/users"
)

// demo is the demo organization plus two leavers in Sales, with Alex closed once in Sales.
func demo(t *testing.T) *emulator.Emulator {
	t.Helper()
	f, err := fixtures.DemoWithLeavers(sales, 2)
	if err != nil {
		t.Fatal(err)
	}
	emu, err := emulator.New(f, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := emu.UserByEmail(alex)
	if err := emu.SetMembershipStatus(u.ID, sales, "Closed"); err != nil {
		t.Fatal(err)
	}
	return emu
}

// stateCheckError runs c as terraform-plugin-testing runs a state check.
func stateCheckError(c statecheck.StateCheck) error {
	var resp statecheck.CheckStateResponse
	c.CheckState(context.Background(), statecheck.CheckStateRequest{}, &resp)
	return resp.Error
}

// from and to span the demo organization's envelopes.
var from, to = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func TestChecksPassOnWhatTheEmulatorHolds(t *testing.T) {
	emu := demo(t)
	if emu.EnvelopeCount(sales, from, to) == 0 {
		t.Fatal("the demo organization holds no envelopes in Sales; the envelope checks would prove nothing")
	}
	alexID := func() string { u, _ := emu.UserByEmail(alex); return u.ID }()
	for name, c := range map[string]Check{
		"status by email":       MembershipStatus(emu, sales, alex, "Closed"),
		"status by ID":          MembershipStatus(emu, sales, alexID, "Closed"),
		"status, other account": MembershipStatus(emu, legal, jamie, "Active"),
		"closures":              Closures(emu, sales, alex, 1),
		"no closures":           Closures(emu, sales, jamie, 0),
		"stored email":          StoredEmail(emu, fixtures.LeaverID(1), fixtures.LeaverEmail(1)),
		"user name":             UserName(emu, fixtures.LeaverID(0), "Leaver 0"),
		"users with email":      UsersWithEmail(emu, alex, 1),
		"person":                Person(emu, fixtures.LeaverEmail(0), map[string]string{sales: "Active"}),
		"calls at most":         CallsAtMost(emu, closeAll, 0),
		"no calls":              Calls(emu, map[string]int{closeAll: 0}),
		"grants":                TokenGrantsAtLeast(emu, 0),
		"no calls at all":       TotalCallsAtMost(emu, 0),
		"not closed":            NotClosed(emu, sales, fixtures.LeaverID(0), fixtures.LeaverID(1)),
		"every membership":      EveryMembership(emu, fixtures.LeaverID(0), "Active"),
		"no faults":             InjectedFaults(emu, 0),
		"faults at least":       InjectedFaultsAtLeast(emu, 0),
		"envelopes":             EnvelopesSent(emu, sales, from, to, emu.EnvelopeCount(sales, from, to)),
		"envelopes by sender":   EnvelopesBySenderSum(emu, sales, from, to, emu.EnvelopeCount(sales, from, to)),
	} {
		if err := stateCheckError(c); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := c.Verify(); err != nil {
			t.Errorf("%s: Verify: %v", name, err)
		}
	}
}

func alexID(emu *emulator.Emulator) string {
	u, _ := emu.UserByEmail(alex)
	return u.ID
}

// Each check must be able to fail: against the same emulator, a wrong expectation fails as a
// state check, through Verify and through CheckFunc, naming what differs.
func TestChecksFailOnWrongEmulatorState(t *testing.T) {
	emu := demo(t)
	for _, tc := range []struct {
		name  string
		check Check
		want  string
	}{
		{"status", MembershipStatus(emu, sales, alex, "Active"), "is Closed, want Active"},
		{"status of a stranger", MembershipStatus(emu, sales, "nobody@opensam.example", "Closed"), "no user nobody@opensam.example"},
		{"status of an unknown ID", MembershipStatus(emu, sales, "00000000-0000-4000-8000-000000000000", "Closed"), "no user 00000000"},
		{"status in another account", MembershipStatus(emu, demoorg.LabsAccount, fixtures.LeaverID(0), "Active"), "has no membership in"},
		{"closures", Closures(emu, sales, alex, 2), "closed 1 times, want 2"},
		{"closed exactly once, active", ClosedExactlyOnce(emu, sales, fixtures.LeaverID(0)), "1 of 1 users"},
		{"closed exactly once, no membership", ClosedExactlyOnce(emu, demoorg.LabsAccount, fixtures.LeaverID(0)), "no membership"},
		{"permission profile", PermissionProfile(emu, sales, alex, "No Such Profile"), `no profile "No Such Profile"`},
		{"stored email", StoredEmail(emu, fixtures.LeaverID(1), strings.ToUpper(fixtures.LeaverEmail(1))), "as stored"},
		{"user name", UserName(emu, fixtures.LeaverID(0), "Someone Else"), `want "Someone Else"`},
		{"users with email", UsersWithEmail(emu, alex, 2), "holds 1 users"},
		{"person, statuses", Person(emu, fixtures.LeaverEmail(0), map[string]string{sales: "Closed"}), "want exactly"},
		{"person, missing", Person(emu, "nobody@opensam.example", map[string]string{}), "0 user records"},
		{"calls", Calls(emu, map[string]int{noRoute: AtLeastOnce}), "no GET /nowhere call"},
		{"calls exactly", Calls(emu, map[string]int{noRoute: 1}), "0 GET /nowhere calls, want 1"},
		{"grants", TokenGrantsAtLeast(emu, 1), "issued 0 tokens"},
		{"budget", CallBudget(emu, "apply", 10, nil), "apply: 0 JWT grants, want exactly 1"},
		{"not closed", NotClosed(emu, sales, fixtures.LeaverID(0), alexID(emu)), "1 of 2 users in " + sales + " are closed: " + alex},
		{"every membership", EveryMembership(emu, alex, "Active"), "is Closed in " + sales},
		{"faults", InjectedFaults(emu, 1), "injected 0 faults, want 1"},
		{"faults at least", InjectedFaultsAtLeast(emu, 1), "injected 0 faults, want at least 1"},
		{"envelopes", EnvelopesSent(emu, sales, from, to, 1e6), "want 1000000"},
		{"envelopes by sender", EnvelopesBySenderSum(emu, sales, from, to, 1e6), "want 1000000"},
		{"stored jobs", StoredJobs(emu, demoorg.OrgID, 1, 0), "holds 0 exports and 0 imports, want 1 and 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for how, err := range map[string]error{
				"state check": stateCheckError(tc.check),
				"Verify":      tc.check.Verify(),
				"CheckFunc":   CheckFunc(tc.check)(nil),
			} {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: got %v, want an error containing %q", how, err, tc.want)
				}
			}
		})
	}
}

// A closed membership that was closed twice, or reopened, is not closed exactly once; one
// closed once is.
func TestClosedExactlyOnceCountsClosures(t *testing.T) {
	emu := demo(t)
	first, second := fixtures.LeaverID(0), fixtures.LeaverID(1)
	for _, id := range []string{first, second} {
		if err := emu.SetMembershipStatus(id, sales, "Closed"); err != nil {
			t.Fatal(err)
		}
	}
	if err := ClosedExactlyOnce(emu, sales, first, second).Verify(); err != nil {
		t.Fatal(err)
	}
	if err := emu.SetMembershipStatus(second, sales, "Active"); err != nil {
		t.Fatal(err)
	}
	if err := emu.SetMembershipStatus(second, sales, "Closed"); err != nil {
		t.Fatal(err)
	}
	err := ClosedExactlyOnce(emu, sales, first, second).Verify()
	if err == nil || !strings.Contains(err.Error(), "Closed after 2 closures") || strings.Contains(err.Error(), fixtures.LeaverEmail(0)) {
		t.Errorf("got %v, want only the second leaver named, closed twice", err)
	}
}

// Call checks count what the emulator served, whatever the answer.
func TestCallChecksCountServedRequests(t *testing.T) {
	emu := demo(t)
	const userinfo = "GET /oauth/userinfo"
	for range 2 {
		emu.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/oauth/userinfo", nil))
	}
	if err := Verify(Calls(emu, map[string]int{userinfo: 2}), Calls(emu, map[string]int{userinfo: AtLeastOnce}), CallsAtMost(emu, userinfo, 2)); err != nil {
		t.Error(err)
	}
	if err := TotalCallsAtMost(emu, 1).Verify(); err == nil || !strings.Contains(err.Error(), "saw 2 calls, want at most 1") {
		t.Errorf("TotalCallsAtMost: %v", err)
	}
	if err := CallsAtMost(emu, userinfo, 1).Verify(); err == nil || !strings.Contains(err.Error(), "2 times, want at most 1") {
		t.Errorf("CallsAtMost: %v", err)
	}
	err := CallBudget(emu, "plan", 1, map[string]int{userinfo: 1}).Verify()
	for _, want := range []string{"2 calls, want at most 1", "2 userinfo calls, want exactly 1", "2 × GET /oauth/userinfo, want at most 1"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CallBudget: got %v, want it to say %q", err, want)
		}
	}
}

// A permission profile check compares the account's own ID of the named profile.
func TestPermissionProfileComparesTheAccountsOwnID(t *testing.T) {
	emu := demo(t)
	u, _ := emu.UserByEmail(jamie)
	m, _ := membershipIn(u, sales)
	var held string
	for _, name := range []string{"DS Sender", "DS Viewer", "DS Admin"} {
		if id, ok := emu.PermissionProfileID(sales, name); ok && id == m.PermissionProfileID {
			held = name
		}
	}
	if held == "" {
		t.Fatalf("jamie's Sales profile %q is none of the demo's named profiles", m.PermissionProfileID)
	}
	if err := PermissionProfile(emu, sales, jamie, held).Verify(); err != nil {
		t.Error(err)
	}
	other := "DS Viewer"
	if held == other {
		other = "DS Sender"
	}
	if err := PermissionProfile(emu, sales, jamie, other).Verify(); err == nil || !strings.Contains(err.Error(), "has profile") {
		t.Errorf("%s holds %s, checked as %s: %v", jamie, held, other, err)
	}
}

// StateChecks and CheckFunc carry every check.
func TestStateChecksAndCheckFuncKeepEveryCheck(t *testing.T) {
	emu := demo(t)
	checks := []Check{MembershipStatus(emu, sales, alex, "Closed"), MembershipStatus(emu, sales, jamie, "Closed")}
	list := StateChecks(checks...)
	if len(list) != 2 || stateCheckError(list[0]) != nil || stateCheckError(list[1]) == nil {
		t.Errorf("StateChecks lost or changed a check: %v", list)
	}
	if err := CheckFunc(checks...)(nil); err == nil || !strings.Contains(err.Error(), jamie) {
		t.Errorf("CheckFunc: %v", err)
	}
}
