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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

const (
	routeESignUsers    = "GET /restapi/v2.1/accounts/{accountId}/users"
	routeMonitorStream = "GET /api/v2.0/datasets/monitor/stream"
	routeESignUser     = "GET /restapi/v2.1/accounts/{accountId}/users/{userId}"
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

// tomSendsDaily makes Tom, whose last login is 152 days old, an API sender: an envelope five
// days ago (the fixture's own sends have fixed dates).
func (e *testEmulator) tomSendsDaily(t *testing.T) {
	t.Helper()
	if err := e.MergeFixture(&emulator.Fixture{
		Envelopes: []emulator.Envelope{{AccountID: testSalesAccount, SenderUserID: tomBeckerID, SentAt: time.Now().UTC().Add(-5 * 24 * time.Hour)}},
	}); err != nil {
		t.Fatal(err)
	}
}

// atLeastCalls checks the emulator served route at least n times.
func atLeastCalls(emu *testEmulator, route string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := emu.Stats().Requests[route]; got < n {
			return fmt.Errorf("emulator saw %s %d times, want at least %d", route, got, n)
		}
		return nil
	}
}

// TestAccSubscriptionsDataSource_reclaimESignature computes candidates from eSignature logins under
// each reading of lastLogin: by default the users list leaves it out and the single-user read gives
// it; users_list_last_login puts it on the list; last_login_per_user reports the person's latest.
// The candidates are the same under all three. The excluded mailbox is protected; Tom, who has not
// logged in for 152 days but sends envelopes, is not a candidate; Morgan, idle in Sales but
// logged in to Legal, is not either; an account the admin cannot read makes its memberships
// unknown (never idle); and approved candidates are closed for real.
func TestAccSubscriptionsDataSource_reclaimESignature(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		behaviour  emulator.Behaviour
		loginReads int // GET …/users/{userId}?additional_info=true
	}{
		// Every active, counted membership old enough to be idle in Labs (4), Sales (11) and Legal (10).
		{"default", emulator.Behaviour{}, 25},
		// Only the five listed without lastLogin that may be idle (never logged in).
		{"users_list_last_login", emulator.Behaviour{UsersListLastLogin: true}, 5},
		{"last_login_per_user", emulator.Behaviour{LastLoginPerUser: true}, 25},
	} {
		t.Run(tc.name, func(t *testing.T) { testReclaimESignature(t, tc.behaviour, tc.loginReads, tc.name == "default") })
	}
}

func testReclaimESignature(t *testing.T, behaviour emulator.Behaviour, loginReads int, allSteps bool) {
	emu := startEmulator(t)
	emu.shiftLogins(t)
	emu.tomSendsDaily(t)
	emu.SetBehaviour(behaviour)
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
		{ids("sam.okafor@opensam.example"), testSalesAccount, "never_logged_in"},
		{ids("test.user1@opensam.example"), testSalesAccount, "never_logged_in"},
		{graceKimID, testLegalAccount, "login"},
		{"70000031-0000-4000-8000-000000000031", testLegalAccount, "never_logged_in"},
		{ids("svc.noreply@opensam.example"), testLegalAccount, "never_logged_in"},
	}
	adminID := testAdminUserID
	steps := []resource.TestStep{
		{
			PreConfig: emu.ResetStats,
			Config:    emu.providerConfig() + dataSource,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates"), candidatesExact(append(labsIdle, salesAndLegalIdle...)...)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaimable_seats"), knownvalue.ListExact([]knownvalue.Check{
					reclaimRow(testLabsAccount, planLabs, 4, 2, 0),
					reclaimRow(testSalesAccount, planSales, 11, 2, 0), // svc.contracts excluded: not counted, not a candidate
					reclaimRow(testLegalAccount, planLegal, 10, 3, 0),
					// The admin is no member of Partners: eSignature cannot tell, so neither
					// partner is judged.
					reclaimRow(demoorg.PartnersAccount, planSales, 2, 0, 2),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates").AtSliceIndex(4), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"email": knownvalue.StringExact("grace.kim@opensam.example"), "idle_days": knownvalue.Int64Exact(151), // 2026-07-01T08:45 to 2026-11-30
					"plan_name": knownvalue.StringExact(planLegal), "last_activity": knownvalue.NotNull(),
				})),
				// One users page per account; the single-user reads of lastLogin; one envelope
				// search for each of the 8 memberships idle by their logins (Tom's finds his send).
				emulatorcheck.Calls(emu, map[string]int{routeESignUsers: 3, routeESignUser: loginReads, routeEnvelopes: 8}),
				// Nothing was closed by reading.
				emulatorcheck.MembershipStatus(emu, testSalesAccount, tomBeckerID, "Active"),
			},
			Check: resource.ComposeTestCheckFunc(
				// The API sender: active by his last send, not a candidate.
				resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
					"user_id": tomBeckerID, "last_activity_source": "envelope_sent",
				}),
				// Morgan's login to Legal is the person's: his Sales seat is not idle.
				resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
					"user_id": morganTwoID, "account_id": testSalesAccount, "last_activity_source": "login",
				}),
			),
		},
	}
	if allSteps {
		steps = append(steps, resource.TestStep{
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
		}, resource.TestStep{
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
`, testSalesAccount, testLegalAccount, ids("sam.okafor@opensam.example"), graceKimID),
			ConfigStateChecks: []statecheck.StateCheck{
				emulatorcheck.MembershipStatus(emu, testSalesAccount, ids("sam.okafor@opensam.example"), "Closed"),
				emulatorcheck.MembershipStatus(emu, testLegalAccount, graceKimID, "Closed"),
				emulatorcheck.MembershipStatus(emu, testSalesAccount, ids("test.user1@opensam.example"), "Active"), // a candidate nobody approved
				emulatorcheck.MembershipStatus(emu, testSalesAccount, tomBeckerID, "Active"),
			},
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// monitorConfig reads activity from the Monitor stream.
func monitorConfig(emu *testEmulator) string {
	return emu.providerConfig(fmt.Sprintf("monitor_base_url = %q", emu.MonitorBaseURL)) + fmt.Sprintf(`
data "docusign_subscriptions" "idle" {
  organization_id = %q
  activity_source = "monitor"
  idle_after_days = 90
  exclusion_rules = [{ id = "mailbox", kind = "user", user_id = %q }]
}
`, testOrgID, svcContractsID)
}

const contractorID = "70000098-0000-4000-8000-000000000098"

// addContractor adds a user outside the claimed domains, whom Monitor does not track.
func (e *testEmulator) addContractor(t *testing.T) {
	t.Helper()
	if err := e.MergeFixture(&emulator.Fixture{
		Users: []emulator.User{{ID: contractorID, Email: "contractor@partner.example", UserName: "Pat Contractor",
			Memberships: []emulator.Membership{{AccountID: testSalesAccount, Status: "Active", Created: "2024-03-04T09:00:00Z"}}}},
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAccSubscriptionsDataSource_reclaimMonitor reads activity from the Monitor stream, spelled with
// the names integrations report (monitor_login_sent_actions), under short pages (the default),
// full pages and a stream of every administered organization. It reads twice idle_after_days
// back: Grace's last login, 151 days ago, makes her the one candidate; envelope sends count as
// activity (Tom); a login to one account counts for the person's others (Morgan); users without
// any recognised event, and a user outside the claimed domains, are unknown, never candidates.
func TestAccSubscriptionsDataSource_reclaimMonitor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		behaviour emulator.Behaviour
	}{
		{"short pages", emulator.Behaviour{MonitorLoginSentActions: true}},
		{"monitor_full_pages", emulator.Behaviour{MonitorLoginSentActions: true, MonitorFullPages: true}},
		{"monitor_all_admin_orgs", emulator.Behaviour{MonitorLoginSentActions: true, MonitorAllAdminOrgs: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu := startEmulator(t)
			emu.shiftLogins(t)
			emu.tomSendsDaily(t)
			emu.addContractor(t)
			emu.SetBehaviour(tc.behaviour)
			// One page per day with events under short pages; one page and the empty page whose
			// endCursor repeats under full pages.
			pages := atLeastCalls(emu, routeMonitorStream, 10)
			if tc.behaviour.MonitorFullPages {
				pages = func(*terraform.State) error {
					if got := emu.Stats().Requests[routeMonitorStream]; got != 2 {
						return fmt.Errorf("%d stream pages, want 2", got)
					}
					return nil
				}
			}
			const ds = "data.docusign_subscriptions.idle"
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: emu.ResetStats,
					Config:    monitorConfig(emu),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates"), candidatesExact(
							candidate{graceKimID, testLegalAccount, "monitor_login"},
						)),
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"idle_days": knownvalue.Int64Exact(151),
						})),
						// Sales: nobody idle; the contractor, test.user1 and Sam (no event) unknown.
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaimable_seats").AtSliceIndex(1),
							reclaimRow(testSalesAccount, planSales, 12, 0, 3)),
						// Grace's one envelope search confirms her; no eSignature users pages.
						emulatorcheck.Calls(emu, map[string]int{routeMonitorStream: emulatorcheck.AtLeastOnce, routeESignUsers: 0, routeEnvelopes: 1}),
					},
					Check: resource.ComposeTestCheckFunc(
						pages,
						resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
							"user_id": tomBeckerID, "last_activity_source": "monitor_envelope_sent",
						}),
						resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
							"user_id": morganTwoID, "account_id": testSalesAccount, "last_activity_source": "monitor_login",
						}),
						resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
							"user_id": contractorID, "last_activity_source": "unknown",
						}),
						resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
							"email": "test.user1@opensam.example", "last_activity_source": "no_monitor_event",
						}),
						// Monitor reads Partners, where the admin holds no eSignature membership.
						resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
							"account_id": demoorg.PartnersAccount, "email": "quinn.partner@opensam.example", "last_activity_source": "monitor_login",
						}),
					),
				}},
			})
		})
	}
}

// TestAccSubscriptionsDataSource_reclaimMonitorUnreadable: under the emulator's default the stream
// spells logins and sends with names nobody published, and a key owned by another organization
// streams none of this organization's events. Either way every membership is unknown and nobody
// is a candidate; no envelope search is spent.
func TestAccSubscriptionsDataSource_reclaimMonitorUnreadable(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"renamed actions", "key of another organization"} {
		t.Run(name, func(t *testing.T) {
			emu := startEmulator(t)
			emu.shiftLogins(t)
			if name == "key of another organization" {
				emu.ownKeyByNorthwind(t)
				emu.SetBehaviour(emulator.Behaviour{MonitorLoginSentActions: true})
			}
			const ds = "data.docusign_subscriptions.idle"
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: emu.ResetStats,
					Config:    monitorConfig(emu),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaim_candidates"), knownvalue.ListExact([]knownvalue.Check{})),
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("reclaimable_seats"), knownvalue.ListExact([]knownvalue.Check{
							reclaimRow(testLabsAccount, planLabs, 4, 0, 4),
							reclaimRow(testSalesAccount, planSales, 11, 0, 11),
							reclaimRow(testLegalAccount, planLegal, 10, 0, 10),
							reclaimRow(demoorg.PartnersAccount, planSales, 2, 0, 2),
						})),
						emulatorcheck.Calls(emu, map[string]int{routeMonitorStream: emulatorcheck.AtLeastOnce, routeEnvelopes: 0}),
					},
					Check: resource.TestCheckTypeSetElemNestedAttrs(ds, "subscriptions.*", map[string]string{
						"user_id": graceKimID, "last_activity_source": "unknown",
					}),
				}},
			})
		})
	}
}

// ownKeyByNorthwind makes the provider's integration key Northwind's; the admin administers
// Northwind too, which has Monitor, so the stream answers with Northwind's events only.
func (e *testEmulator) ownKeyByNorthwind(t *testing.T) {
	t.Helper()
	if err := e.MergeFixture(&emulator.Fixture{Organizations: []emulator.Organization{{ID: demoorg.NorthwindOrgID,
		AdminUserIDs: []string{testAdminUserID}, Monitor: true, ReservedDomains: []string{"opensam.example"}}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.SetIntegrationKeyOrganization(demoorg.IntegrationKey, demoorg.NorthwindOrgID); err != nil {
		t.Fatal(err)
	}
}

// TestAccSubscriptionsDataSource_monitorNeedsAddOn names activity_source when Monitor refuses.
func TestAccSubscriptionsDataSource_monitorNeedsAddOn(t *testing.T) {
	emu := startEmulator(t)
	if err := emu.SetMonitor(testOrgID, false); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
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

// applied is what one terraform apply -json printed: its warnings and its outputs.
type applied struct {
	warnings []struct{ Summary, Detail string }
	outputs  map[string]json.RawMessage
	raw      string
}

func parseApplied(out string) applied {
	a := applied{raw: out, outputs: map[string]json.RawMessage{}}
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string                                      `json:"type"`
			Diagnostic *struct{ Severity, Summary, Detail string } `json:"diagnostic"`
			Outputs    map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			continue
		}
		if d := msg.Diagnostic; d != nil && d.Severity == "warning" {
			a.warnings = append(a.warnings, struct{ Summary, Detail string }{d.Summary, d.Detail})
		}
		for k, v := range msg.Outputs {
			a.outputs[k] = v.Value
		}
	}
	return a
}

// warning finds the warning with summary whose detail holds every want, or fails.
func (a applied) warning(t *testing.T, summary string, want ...string) {
	t.Helper()
	for _, w := range a.warnings {
		if w.Summary != summary {
			continue
		}
		ok := true
		for _, s := range want {
			ok = ok && strings.Contains(w.Detail, s)
		}
		if ok {
			return
		}
	}
	t.Errorf("no %q warning with %q among %+v\n%s", summary, want, a.warnings, tfrun.Tail(a.raw, 3000))
}

// output checks an output's JSON value.
func (a applied) output(t *testing.T, name, want string) {
	t.Helper()
	if got := string(a.outputs[name]); got != want {
		t.Errorf("output %s = %s, want %s", name, got, want)
	}
}

// TestAccSubscriptionsDataSource_activityWarnings runs the real terraform binary and reads its
// diagnostics and outputs: each source warns about what it could not read, in words that say
// what to do, and what it could not read yields no candidate.
func TestAccSubscriptionsDataSource_activityWarnings(t *testing.T) {
	t.Parallel()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	emu := startEmulator(t)
	emu.shiftLogins(t)
	emu.addContractor(t)
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

data "docusign_subscriptions" "activity_only" {
  organization_id = %[1]q
  activity_source = "esignature"
}

output "esignature_candidates" {
  value = length(data.docusign_subscriptions.esignature.reclaim_candidates)
}

output "monitor_candidates" {
  value = length(data.docusign_subscriptions.monitor.reclaim_candidates)
}

output "unknown_without_idle" {
  value = length([for s in data.docusign_subscriptions.activity_only.subscriptions : s if s.last_activity_source == "unknown"])
}
`, testOrgID)

	// Monitor spelled as integrations report: the eSignature source cannot read Partners;
	// Monitor reads it but not the contractor. Without idle_after_days, nothing confirms the
	// lastLogin the list leaves out.
	emu.SetBehaviour(emulator.Behaviour{MonitorLoginSentActions: true})
	a := parseApplied(applyJSON(ctx, t, ws, config))
	a.warning(t, `Seat Activity Unknown for DocuSign Account "Opensam Partners"`,
		"is not a member of it", "none of them is a reclaim candidate", `activity_source = "monitor"`)
	a.warning(t, "Unknown Seat Activity", "1 membership(s)", "outside the organization's claimed domains", "not reclaim candidates")
	a.warning(t, "Last Login Not Listed", "single-user read", "Set idle_after_days")
	a.output(t, "esignature_candidates", "9") // no exclusion rule here: the mailbox and the contractor too
	a.output(t, "monitor_candidates", "1")
	a.output(t, "unknown_without_idle", "29") // every membership: no read spent without idle_after_days

	// The default stream: names nobody published. A warning, and no candidate.
	emu.SetBehaviour(emulator.Behaviour{})
	a = parseApplied(applyJSON(ctx, t, ws, config))
	a.warning(t, "Unrecognised DocuSign Monitor Events", `"Session"/"SessionStarted"`, "none is a reclaim candidate", `activity_source = "esignature"`)
	a.output(t, "monitor_candidates", "0")
	a.output(t, "esignature_candidates", "9")

	// The single-user read refuses other users (users_self_only): a list entry without
	// lastLogin stays unknown, with a warning, and is no candidate.
	emu.SetBehaviour(emulator.Behaviour{UsersSelfOnly: true})
	emu.ResetStats()
	a = parseApplied(applyJSON(ctx, t, ws, config))
	a.warning(t, "Unknown Seat Activity", "have no lastLogin in the eSignature users list", "GET …/users/{userId}?additional_info=true",
		"not reclaim candidates")
	a.output(t, "esignature_candidates", "0")
	if err := emulatorcheck.Verify(emulatorcheck.Calls(emu, map[string]int{routeESignUser: emulatorcheck.AtLeastOnce, routeEnvelopes: 0})); err != nil {
		t.Error(err)
	}

	// A key another organization owns: the stream has none of this organization's events.
	emu.ownKeyByNorthwind(t)
	emu.SetBehaviour(emulator.Behaviour{MonitorLoginSentActions: true})
	a = parseApplied(applyJSON(ctx, t, ws, config))
	a.warning(t, "No DocuSign Monitor Events", testOrgID, "owns the integration key", "none is a reclaim candidate")
	a.output(t, "monitor_candidates", "0")
}
