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

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// A monthly contract that started on Jan 31 2024: as of Mar 1 2024 the cycle is Feb 29 (leap
// day, clamped) to Mar 30 inclusive. Envelopes placed on both sides of each boundary show which
// ones count. The fixture has no envelopes in 2024.
func TestAccConsumptionDataSource_customCycle(t *testing.T) {
	emu := startEmulator(t)
	placed := []time.Time{
		at("2024-02-28T23:59:59Z"), // before the cycle
		at("2024-02-29T00:00:00Z"), // first second of the cycle
		at("2024-03-15T12:00:00Z"),
		at("2024-03-30T23:59:59Z"), // last second of the cycle
		at("2024-03-31T00:00:00Z"), // next cycle
	}
	const inCycle = 3
	var envs []emulator.Envelope
	for _, ts := range placed {
		envs = append(envs, emulator.Envelope{AccountID: testSalesAccount, SenderUserID: testAdminUserID, SentAt: ts})
	}
	envs = append(envs, emulator.Envelope{AccountID: testLabsAccount, SenderUserID: testAdminUserID, SentAt: at("2024-03-01T08:00:00Z")})
	if err := emu.MergeFixture(&emulator.Fixture{Envelopes: envs}); err != nil {
		t.Fatal(err)
	}
	const ds = "data.docusign_consumption.cycle"
	config := emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "cycle" {
  organization_id       = %[1]q
  account_ids           = [%[2]q, %[3]q]
  contract_start_date   = "2024-01-31"
  renewal_period_months = 1
  as_of                 = "2024-03-01"
}

data "docusign_consumption" "same_period" {
  organization_id = %[1]q
  account_ids     = [%[2]q]
  period_start    = data.docusign_consumption.cycle.period_start
  period_end      = data.docusign_consumption.cycle.period_end
}

# Yearly from a leap day: as of 2025-03-01 the cycle is 2025-02-28 .. 2026-02-27.
data "docusign_consumption" "leap_yearly" {
  organization_id       = %[1]q
  account_ids           = [%[2]q]
  contract_start_date   = "2024-02-29"
  renewal_period_months = 12
  as_of                 = "2025-03-01"
}
`, testOrgID, testSalesAccount, testLabsAccount)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("period_start"), knownvalue.StringExact("2024-02-29")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("period_end"), knownvalue.StringExact("2024-03-30")),
				// Labs (2f3e…) sorts before Sales (4c2b…).
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(0).AtMapKey("envelopes_sent"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"account_id": knownvalue.StringExact(testSalesAccount), "account_name": knownvalue.StringExact("Opensam Sales"),
					"envelopes_sent":                   knownvalue.Int64Exact(inCycle),
					"billing_period_start":             knownvalue.StringExact("2026-11-01"),
					"billing_period_end":               knownvalue.StringExact("2026-11-30"),
					"billing_period_envelopes_allowed": knownvalue.Int64Exact(600),
					"percent_used":                     knownvalue.NotNull(),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("total_envelopes_sent"), knownvalue.Int64Exact(inCycle+1)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("total_envelopes_allowed"), knownvalue.Int64Exact(600+100)),
				statecheck.CompareValuePairs(ds, tfjsonpath.New("accounts").AtSliceIndex(1).AtMapKey("envelopes_sent"),
					"data.docusign_consumption.same_period", tfjsonpath.New("total_envelopes_sent"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.docusign_consumption.leap_yearly", tfjsonpath.New("period_start"), knownvalue.StringExact("2025-02-28")),
				statecheck.ExpectKnownValue("data.docusign_consumption.leap_yearly", tfjsonpath.New("period_end"), knownvalue.StringExact("2026-02-27")),
				// Cross-check with the emulator's own count over the same half-open interval.
				emulatorcheck.EnvelopesSent(emu, testSalesAccount, at("2024-02-29T00:00:00Z"), at("2024-03-31T00:00:00Z"), inCycle),
				emulatorcheck.Calls(emu, map[string]int{routeEnvelopes: emulatorcheck.AtLeastOnce, routeGetAccount: emulatorcheck.AtLeastOnce}),
			},
		}},
	})
}

// Without a period each account's DocuSign billing period is used; Legal is unlimited.
func TestAccConsumptionDataSource_billingPeriod(t *testing.T) {
	emu := startEmulator(t)
	const ds = "data.docusign_consumption.billing"
	salesSent := emu.EnvelopeCount(testSalesAccount, at("2026-11-01T00:00:00Z"), at("2026-12-01T00:00:00Z"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "bad" {
  organization_id = %q
  period_start    = "2026-03-01"
  period_end      = "2026-02-01"
}
`, testOrgID),
				ExpectError: textRe("period_end (2026-02-01) is before period_start (2026-03-01)"),
				PlanOnly:    true,
			},
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "bad" {
  organization_id       = %q
  period_start          = "2026-01-01"
  period_end            = "2026-02-01"
  contract_start_date   = "2024-01-31"
  renewal_period_months = 12
}
`, testOrgID),
				ExpectError: textRe("Invalid Attribute Combination"),
				PlanOnly:    true,
			},
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "bad" {
  organization_id     = %q
  contract_start_date = "2024-01-31"
}
`, testOrgID),
				ExpectError: textRe("Invalid Attribute Combination", "renewal_period_months"),
				PlanOnly:    true,
			},
			{
				PreConfig: emu.ResetStats,
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "billing" {
  organization_id = %q
  account_ids     = [%q, %q]
}
`, testOrgID, testSalesAccount, testLegalAccount),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("period_start"), knownvalue.StringExact("2026-11-01")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("period_end"), knownvalue.StringExact("2026-11-30")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"account_id": knownvalue.StringExact(testSalesAccount), "envelopes_sent": knownvalue.Int64Exact(int64(salesSent)),
						"billing_period_envelopes_sent": knownvalue.Int64Exact(int64(salesSent)),
						"percent_used":                  knownvalue.Float64Exact(float64(salesSent) / 600 * 100),
					})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"account_id": knownvalue.StringExact(testLegalAccount), "billing_period_envelopes_allowed": knownvalue.Null(),
						"percent_used": knownvalue.Null(),
					})),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("total_envelopes_allowed"), knownvalue.Null()),
					// The billing counters suffice: no envelope searches.
					emulatorcheck.Calls(emu, map[string]int{routeEnvelopes: 0, routeGetAccount: emulatorcheck.AtLeastOnce}),
				},
			},
		},
	})
}

// A renewal cycle counts every sender's envelopes, including a sender closed since: the
// envelope search is per user, so the admin's own search would find none of them.
func TestAccConsumptionDataSource_everySender(t *testing.T) {
	emu := startEmulator(t)
	from, to := at("2026-06-01T00:00:00Z"), at("2026-09-01T00:00:00Z")
	bySender := emu.EnvelopesBySender(testSalesAccount, from, to)
	want := emu.EnvelopeCount(testSalesAccount, from, to)
	if bySender[demoorg.ClosedSenderID] == 0 || bySender[testAdminUserID] != 0 || len(bySender) < 2 {
		t.Fatalf("the fixture should hold envelopes of several senders, a closed one included, none by the admin: %v", bySender)
	}
	const ds = "data.docusign_consumption.summer"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "summer" {
  organization_id = %q
  account_ids     = [%q]
  period_start    = "2026-06-01"
  period_end      = "2026-08-31"
}
`, testOrgID, testSalesAccount),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"account_id": knownvalue.StringExact(testSalesAccount), "esignature_reachable": knownvalue.Bool(true),
					"envelopes_sent": knownvalue.Int64Exact(int64(want)), "envelope_allowance": knownvalue.StringExact("limited"),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("total_envelopes_sent"), knownvalue.Int64Exact(int64(want))),
				// The emulator agrees: its account-wide count is the sum over senders, and the closed
				// sender's membership is still closed (counting reopened nobody).
				emulatorcheck.EnvelopesBySenderSum(emu, testSalesAccount, from, to, want),
				emulatorcheck.MembershipStatus(emu, testSalesAccount, demoorg.ClosedSenderID, "Closed"),
				// One search per member whose membership overlapped the period, per read.
				emulatorcheck.Calls(emu, map[string]int{routeEnvelopes: emulatorcheck.AtLeastOnce, routeOrgUsers: emulatorcheck.AtLeastOnce}),
			},
		}},
	})
	fixture, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	members := fixture.Members(testSalesAccount)
	reads := emu.Stats().Requests[routeGetAccount]
	if n := emu.Stats().Requests[routeEnvelopes]; reads == 0 || n > reads*members {
		t.Errorf("%d envelope searches for %d reads of an account with %d members", n, reads, members)
	}
}

// DocuSign reports an allowance as a number, "unlimited", or (reseller accounts) not at all;
// the data source tells the three apart.
func TestAccConsumptionDataSource_allowanceKinds(t *testing.T) {
	emu := startEmulator(t)
	const resold = "0dd0dd00-0000-4000-8000-000000000001"
	reported := false
	if err := emu.MergeFixture(&emulator.Fixture{
		Organizations: []emulator.Organization{{ID: testOrgID, Accounts: []emulator.Account{{ID: resold, Name: "Opensam Resold",
			EnvelopesAllowed: 100, EnvelopesAllowedReported: &reported, BillingPeriodStart: "2026-11-01", BillingPeriodEnd: "2026-11-30"}}}},
		Users: []emulator.User{{ID: testAdminUserID, Email: "admin@opensam.example", Memberships: []emulator.Membership{
			{AccountID: resold, Status: "Active", IsAdmin: true}}}},
	}); err != nil {
		t.Fatal(err)
	}
	const ds = "data.docusign_consumption.kinds"
	allowance := func(i int, kind string, allowed knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(i), knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"envelope_allowance": knownvalue.StringExact(kind), "billing_period_envelopes_allowed": allowed,
		}))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "kinds" {
  organization_id = %q
  account_ids     = [%q, %q, %q]
}
`, testOrgID, resold, testSalesAccount, testLegalAccount),
			ConfigStateChecks: []statecheck.StateCheck{
				// Ordered by account ID: Resold (0dd0…), Sales (4c2b…), Legal (9d8e…).
				allowance(0, "not_reported", knownvalue.Null()),
				allowance(1, "limited", knownvalue.Int64Exact(600)),
				allowance(2, "unlimited", knownvalue.Null()),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(0).AtMapKey("percent_used"), knownvalue.Null()),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("total_envelopes_allowed"), knownvalue.Null()),
				// The emulator does hold an allowance for the account: it is only not reported.
				emulatorcheck.EnvelopesSent(emu, resold, at("2026-11-01T00:00:00Z"), at("2026-12-01T00:00:00Z"), 0),
			},
		}},
	})
}

// summerCrossMail makes Sales' senders receive each other's envelopes in the summer of 2026, so
// a count that took received envelopes for sent ones would be too high.
func summerCrossMail(t *testing.T, emu *testEmulator) {
	t.Helper()
	tom := emu.userIDByEmail(t, "tom.becker@opensam.example")
	priya := emu.userIDByEmail(t, "priya.shah@opensam.example")
	at := at("2026-07-01T09:00:00Z")
	if err := emu.MergeFixture(&emulator.Fixture{Envelopes: []emulator.Envelope{
		{AccountID: testSalesAccount, SenderUserID: priya, RecipientUserIDs: []string{tom, demoorg.ClosedSenderID}, SentAt: at},
		{AccountID: testSalesAccount, SenderUserID: tom, RecipientUserIDs: []string{priya}, SentAt: at.Add(time.Hour)},
		{AccountID: testSalesAccount, SenderUserID: demoorg.ClosedSenderID, RecipientUserIDs: []string{tom, priya}, SentAt: at.Add(2 * time.Hour)},
	}}); err != nil {
		t.Fatal(err)
	}
}

const summerConsumption = `
data "docusign_consumption" "summer" {
  organization_id = %q
  account_ids     = [%q]
  period_start    = "2026-06-01"
  period_end      = "2026-08-31"
  %s
}
`

// The count is what each member sent, whether DocuSign's user_id search also returns what they
// received (the emulator's default) or only what they created (envelope_search_user_id_creator_only).
func TestAccConsumptionDataSource_eitherUserIDReading(t *testing.T) {
	for name, b := range map[string]emulator.Behaviour{"default": {}, "creator_only": {EnvelopeSearchUserIDCreatorOnly: true}} {
		t.Run(name, func(t *testing.T) {
			emu := startEmulator(t)
			summerCrossMail(t, emu)
			emu.SetBehaviour(b)
			from, to := at("2026-06-01T00:00:00Z"), at("2026-09-01T00:00:00Z")
			want := emu.EnvelopeCount(testSalesAccount, from, to)
			const ds = "data.docusign_consumption.summer"
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: emu.providerConfig() + fmt.Sprintf(summerConsumption, testOrgID, testSalesAccount, ""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts").AtSliceIndex(0).AtMapKey("envelopes_sent"), knownvalue.Int64Exact(int64(want))),
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("total_envelopes_sent"), knownvalue.Int64Exact(int64(want))),
						emulatorcheck.EnvelopesBySenderSum(emu, testSalesAccount, from, to, want),
						emulatorcheck.MembershipStatus(emu, testSalesAccount, demoorg.ClosedSenderID, "Closed"),
					},
				}},
			})
		})
	}
}

// DocuSign refusing a closed member's search (envelope_search_refuses_closed_members) makes
// Sales' count unknown with a warning naming the member; the read still succeeds.
func TestAccConsumptionDataSource_closedMemberRefused(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	emu := startEmulator(t)
	summerCrossMail(t, emu)
	emu.SetBehaviour(emulator.Behaviour{EnvelopeSearchRefusesClosedMembers: true})
	ctx := context.Background()
	ws, err := tfrun.NewWorkspace(t.TempDir(), builtProvider(t))
	if err != nil {
		t.Fatal(err)
	}
	config := demoorg.ProviderConfig(emu.OAuthBaseURL, emu.AdminBaseURL) + fmt.Sprintf(summerConsumption, testOrgID, testSalesAccount, "") + `
output "sent" {
  value = data.docusign_consumption.summer.accounts[0].envelopes_sent
}
output "total" {
  value = data.docusign_consumption.summer.total_envelopes_sent
}
output "reachable" {
  value = data.docusign_consumption.summer.accounts[0].esignature_reachable
}
`
	out := applyJSON(ctx, t, ws, config)
	warned := 0
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Diagnostic *struct{ Severity, Summary, Detail string } `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Diagnostic == nil || msg.Diagnostic.Summary != "Incomplete DocuSign Consumption" {
			continue
		}
		warned++
		for _, want := range []string{testSalesAccount, demoorg.ClosedSenderID, "INVALID_USERID", "envelopes_sent", "null"} {
			if !strings.Contains(msg.Diagnostic.Detail, want) || msg.Diagnostic.Severity != "warning" {
				t.Errorf("warning lacks %q: %+v", want, msg.Diagnostic)
			}
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings, want 1:\n%s", warned, out)
	}
	outputs, err := ws.Run(ctx, "output", "-json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]struct{ Value any }
	if err := json.Unmarshal([]byte(outputs), &got); err != nil {
		t.Fatal(err)
	}
	if got["sent"].Value != nil || got["total"].Value != nil || got["reachable"].Value != true {
		t.Errorf("outputs %s", outputs)
	}
	if u, _ := emu.User(demoorg.ClosedSenderID); len(u.Memberships) == 0 {
		t.Error("the closed sender is gone")
	} else {
		for _, m := range u.Memberships {
			if m.AccountID == testSalesAccount && m.Status != "Closed" {
				t.Errorf("the closed sender's Sales membership is %s", m.Status)
			}
		}
	}
}

// A read that would take more than api_budget_percent of the hour's calls left is refused
// before any search, saying what it needs, what is left, when the hour resets and how to narrow.
func TestAccConsumptionDataSource_budgetRefusal(t *testing.T) {
	emu := startEmulator(t)
	const hourly = 3000 // the emulator's default X-RateLimit-Limit
	// After the account read 9 calls are left: 4 may be spent, fewer than Sales' senders.
	emu.UseHourlyCalls(testSalesAccount, hourly-10)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + fmt.Sprintf(summerConsumption, testOrgID, testSalesAccount, ""),
				ExpectError: textRe("Refused before any envelope search", "50%", testSalesAccount, "one envelope search for each of",
					"has 9 of its 3000 hourly calls left", "the hour resets at", "account_ids", "api_budget_percent"),
			},
			{
				Config:      emu.providerConfig() + fmt.Sprintf(summerConsumption, testOrgID, testSalesAccount, "api_budget_percent = 0"),
				ExpectError: textRe("api_budget_percent", "between 1 and 100"),
				PlanOnly:    true,
			},
		},
	})
	if n := emu.Stats().Requests[routeEnvelopes]; n != 0 {
		t.Errorf("%d envelope searches before the refusal", n)
	}
}
