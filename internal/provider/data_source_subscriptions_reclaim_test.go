// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

const (
	routeESignUsers    = "GET /restapi/v2.1/accounts/{accountId}/users"
	routeMonitorStream = "GET /api/v2.0/datasets/monitor/stream"
	svcContractsID     = "70000005-0000-4000-8000-000000000005" // shared mailbox, excluded by rule
	tomBeckerID        = "70000011-0000-4000-8000-000000000011" // last login 152 days before the fixture's day; sends envelopes
	graceKimID         = "70000014-0000-4000-8000-000000000014"
	morganTwoID        = "70000003-0000-4000-8000-000000000003"
)

// fixtureDay is the day demo-org.json's last_login values were written against.
var fixtureDay = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// shiftLogins moves every last_login of the demo fixture so that its day is now, keeping each
// gap, so the candidates and idle days do not drift as the calendar moves. Memberships without a last login
// (never logged in) count from their creation dates, which are older than any idle limit here.
func (e *testEmulator) shiftLogins(t *testing.T) {
	t.Helper()
	f, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, u := range f.Users {
		for _, m := range u.Memberships {
			if m.LastLogin == "" {
				continue
			}
			at, _ := time.Parse(time.RFC3339, m.LastLogin)
			if err := e.SetLastLogin(u.ID, m.AccountID, now.Add(at.Sub(fixtureDay))); err != nil {
				t.Fatal(err)
			}
		}
	}
}

type candidate struct{ userID, accountID, source string }

func candidatesExact(cs ...candidate) knownvalue.Check {
	checks := make([]knownvalue.Check, len(cs))
	for i, c := range cs {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"user_id": knownvalue.StringExact(c.userID), "account_id": knownvalue.StringExact(c.accountID),
			"last_activity_source": knownvalue.StringExact(c.source),
		})
	}
	return knownvalue.ListExact(checks)
}

func reclaimRow(accountID, plan string, inUse, reclaimable, unknown int64) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"account_id": knownvalue.StringExact(accountID), "plan_name": knownvalue.StringExact(plan),
		"seats_in_use": knownvalue.Int64Exact(inUse), "reclaimable_seats": knownvalue.Int64Exact(reclaimable),
		"unknown_activity": knownvalue.Int64Exact(unknown),
	})
}

const (
	planLabs  = "eSignature Standard (Legacy)"
	planSales = "eSignature Business Pro"
	planLegal = "eSignature Enterprise Pro"
)

// TestAccSubscriptionsDataSource_reclaimESignature computes candidates from the fixture's
// eSignature last logins: the excluded mailbox is protected, an account the admin cannot read
// makes its memberships unknown (never idle), and approved candidates are closed for real.
func TestAccSubscriptionsDataSource_reclaimESignature(t *testing.T) {
	emu := startEmulator(t)
	emu.shiftLogins(t)
	const ds = "data.docusign_subscriptions.idle"
	dataSource := fmt.Sprintf(`
data "docusign_subscriptions" "idle" {
  organization_id = %q
  idle_after_days = 90
  exclusion_rules = [{ id = "mailbox", kind = "user", user_id = %q }]
}
`, testOrgID, svcContractsID)
	// Ordered by account ID (Labs 2f3e…, Sales 4c2b…, Legal 9d8e…), then email.
	ids := func(email string) string { return emu.userIDByEmail(t, email) }
	labsIdle := []candidate{
		{ids("mia.laurent@opensam.example"), testLabsAccount, "login"},
		{ids("noah.berg@opensam.example"), testLabsAccount, "never_logged_in"},
	}
	salesAndLegalIdle := []candidate{
		{morganTwoID, testSalesAccount, "login"},
		{ids("sam.okafor@opensam.example"), testSalesAccount, "never_logged_in"},
		{ids("test.user1@opensam.example"), testSalesAccount, "never_logged_in"},
		{tomBeckerID, testSalesAccount, "login"},
		{graceKimID, testLegalAccount, "login"},
		{"70000031-0000-4000-8000-000000000031", testLegalAccount, "never_logged_in"},
		{ids("svc.noreply@opensam.example"), testLegalAccount, "never_logged_in"},
	}
	adminID := testAdminUserID
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Config:    emu.providerConfig() + dataSource,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates"), candidatesExact(append(labsIdle, salesAndLegalIdle...)...)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaimable_seats"), knownvalue.ListExact([]knownvalue.Check{
						reclaimRow(testLabsAccount, planLabs, 4, 2, 0),
						reclaimRow(testSalesAccount, planSales, 11, 4, 0), // svc.contracts excluded: not counted, not a candidate
						reclaimRow(testLegalAccount, planLegal, 10, 3, 0),
						// The admin is no member of Partners: eSignature cannot tell, so neither
						// partner is judged.
						reclaimRow(demoorg.PartnersAccount, planSales, 2, 0, 2),
					})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates").AtSliceIndex(5), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"email": knownvalue.StringExact("tom.becker@opensam.example"), "idle_days": knownvalue.Int64Exact(152), // 2026-06-30T16:00 to 2026-11-30
						"plan_name": knownvalue.StringExact(planSales), "last_activity": knownvalue.NotNull(),
					})),
					// One eSignature users page per account (each fits in 100), with full records.
					emulatorcheck.Calls(emu, map[string]int{routeESignUsers: emulatorcheck.AtLeastOnce}),
				},
			},
			{
				// The admin loses the Labs account: its eSignature users cannot be read, so its
				// memberships' activity is unknown and none of them is a candidate.
				PreConfig: func() {
					if err := emu.SetMembershipStatus(adminID, testLabsAccount, "Closed"); err != nil {
						t.Fatal(err)
					}
				},
				Config: emu.providerConfig() + dataSource,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates"), candidatesExact(salesAndLegalIdle...)),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaimable_seats").AtSliceIndex(0), reclaimRow(testLabsAccount, planLabs, 3, 0, 3)),
				},
			},
			{
				// A person approved two candidates; docusign_closed_users closes exactly those.
				// (Two resources rather than for_each: the test framework's destroy check reads state
				// through a shim that rejects string instance keys.)
				Config: emu.providerConfig() + dataSource + fmt.Sprintf(`
resource "docusign_closed_users" "sales" {
  account_id = %[1]q
  user_ids   = [%[3]q]
}

resource "docusign_closed_users" "legal" {
  account_id = %[2]q
  user_ids   = [%[4]q]
}
`, testSalesAccount, testLegalAccount, tomBeckerID, graceKimID),
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, tomBeckerID, "Closed"),
					emulatorcheck.MembershipStatus(emu, testLegalAccount, graceKimID, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, morganTwoID, "Active"), // a candidate nobody approved
				},
			},
		},
	})
}

// TestAccSubscriptionsDataSource_reclaimMonitor reads activity from the Monitor stream: envelope
// sends count as activity, and a user outside the claimed domains, whom Monitor does not track,
// is never a candidate.
func TestAccSubscriptionsDataSource_reclaimMonitor(t *testing.T) {
	emu := startEmulator(t)
	emu.shiftLogins(t)
	const contractorID = "70000098-0000-4000-8000-000000000098"
	if err := emu.MergeFixture(&emulator.Fixture{
		Users: []emulator.User{{ID: contractorID, Email: "contractor@partner.example", UserName: "Pat Contractor",
			Memberships: []emulator.Membership{{AccountID: testSalesAccount, Status: "Active", Created: "2024-03-04T09:00:00Z"}}}},
		// Tom has not logged in for months but sends through an integration.
		Envelopes: []emulator.Envelope{{AccountID: testSalesAccount, SenderUserID: tomBeckerID, SentAt: time.Now().UTC().Add(-5 * 24 * time.Hour)}},
	}); err != nil {
		t.Fatal(err)
	}
	const ds = "data.docusign_subscriptions.idle"
	config := emu.providerConfig(fmt.Sprintf("monitor_base_url = %q", emu.MonitorBaseURL)) + fmt.Sprintf(`
data "docusign_subscriptions" "idle" {
  organization_id = %q
  activity_source = "monitor"
  idle_after_days = 90
  exclusion_rules = [{ id = "mailbox", kind = "user", user_id = %q }]
}
`, testOrgID, svcContractsID)
	ids := func(email string) string { return emu.userIDByEmail(t, email) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates"), candidatesExact(
					candidate{ids("mia.laurent@opensam.example"), testLabsAccount, "no_monitor_event"},
					candidate{ids("noah.berg@opensam.example"), testLabsAccount, "no_monitor_event"},
					candidate{morganTwoID, testSalesAccount, "no_monitor_event"},
					candidate{ids("sam.okafor@opensam.example"), testSalesAccount, "no_monitor_event"},
					candidate{ids("test.user1@opensam.example"), testSalesAccount, "no_monitor_event"},
					candidate{graceKimID, testLegalAccount, "no_monitor_event"},
					candidate{"70000031-0000-4000-8000-000000000031", testLegalAccount, "no_monitor_event"},
					candidate{ids("svc.noreply@opensam.example"), testLegalAccount, "no_monitor_event"},
				)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaimable_seats").AtSliceIndex(1),
					reclaimRow(testSalesAccount, planSales, 12, 3, 1)), // the contractor: unknown, not idle
				emulatorcheck.Calls(emu, map[string]int{routeMonitorStream: emulatorcheck.AtLeastOnce, routeESignUsers: 0}),
			},
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
					"user_id": tomBeckerID, "last_activity_source": "monitor_envelope_sent",
				}),
				resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
					"user_id": contractorID, "last_activity_source": "unknown",
				}),
				// Monitor reads Partners, where the admin holds no eSignature membership.
				resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
					"account_id": demoorg.PartnersAccount, "email": "quinn.partner@opensam.example", "last_activity_source": "monitor_login",
				}),
			),
		}},
	})
}

// TestAccSubscriptionsDataSource_monitorNeedsAddOn names activity_source when Monitor refuses.
func TestAccSubscriptionsDataSource_monitorNeedsAddOn(t *testing.T) {
	emu := startEmulator(t)
	if err := emu.SetMonitor(testOrgID, false); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig(fmt.Sprintf("monitor_base_url = %q", emu.MonitorBaseURL)) + fmt.Sprintf(`
data "docusign_subscriptions" "idle" {
  organization_id = %q
  activity_source = "monitor"
  idle_after_days = 30
}
`, testOrgID),
			ExpectError: textRe("Unable to Read DocuSign Subscriptions", "Monitor entitlement", "activity_source"),
		}, {
			Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "idle" {
  organization_id = %q
  idle_after_days = 0
}
`, testOrgID),
			ExpectError: textRe("idle_after_days", "between 1 and 3650"),
		}},
	})
}

// TestAccSubscriptionsDataSource_activityWarnings runs the real terraform binary and reads its
// diagnostics: each source warns about what it could not read, in words that say what to do.
func TestAccSubscriptionsDataSource_activityWarnings(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	emu := startEmulator(t)
	if err := emu.MergeFixture(&emulator.Fixture{Users: []emulator.User{{ID: "70000098-0000-4000-8000-000000000098",
		Email: "contractor@partner.example", UserName: "Pat Contractor",
		Memberships: []emulator.Membership{{AccountID: testSalesAccount, Status: "Active"}}}}}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	providerDir, err := tfrun.BuildProvider(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ws, err := tfrun.NewWorkspace(t.TempDir(), providerDir)
	if err != nil {
		t.Fatal(err)
	}
	config := demoorg.ProviderConfig(emu.OAuthBaseURL, emu.AdminBaseURL, fmt.Sprintf("monitor_base_url = %q", emu.MonitorBaseURL)) + fmt.Sprintf(`
data "docusign_subscriptions" "esignature" {
  organization_id = %[1]q
  idle_after_days = 90
}

data "docusign_subscriptions" "monitor" {
  organization_id = %[1]q
  idle_after_days = 90
  activity_source = "monitor"
}
`, testOrgID)
	out := applyJSON(ctx, t, ws, config)
	var partners, untracked int
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Diagnostic *struct{ Severity, Summary, Detail string } `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Diagnostic == nil || msg.Diagnostic.Severity != "warning" {
			continue
		}
		d := msg.Diagnostic
		switch d.Summary {
		case `Seat Activity Unknown for DocuSign Account "Opensam Partners"`:
			partners++
			for _, want := range []string{"is not a member of it", "none of them is a reclaim candidate", `activity_source = "monitor"`} {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("Partners warning lacks %q: %s", want, d.Detail)
				}
			}
		case "Unknown Seat Activity":
			untracked++
			for _, want := range []string{"1 membership(s)", "outside the organization's claimed domains", "not reclaim candidates"} {
				if !strings.Contains(d.Detail, want) {
					t.Errorf("untracked-user warning lacks %q: %s", want, d.Detail)
				}
			}
		}
	}
	// The eSignature source cannot read Partners; Monitor reads it but not the contractor.
	if partners == 0 || untracked == 0 {
		t.Fatalf("Partners warnings %d, untracked-user warnings %d; want both\n%s", partners, untracked, tfrun.Tail(out, 3000))
	}
}
