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

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

func TestAccSubscriptionsDataSource_report(t *testing.T) {
	emu := startEmulator(t)
	const ds = "data.docusign_subscriptions.all"
	config := emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "all" {
  organization_id = %q
}

data "docusign_subscriptions" "sales_closed" {
  organization_id = %q
  account_ids     = [%q]
  include_closed  = true
}
`, testOrgID, testOrgID, testSalesAccount)
	account := func(id, name, plan string, allowed, inUse int64) knownvalue.Check {
		var seats knownvalue.Check = knownvalue.Int64Exact(allowed)
		if allowed < 0 {
			seats = knownvalue.Null()
		}
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(id), "account_name": knownvalue.StringExact(name), "plan_name": knownvalue.StringExact(plan),
			"seats_allowed": seats, "seats_in_use": knownvalue.Int64Exact(inUse),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts"), knownvalue.ListExact([]knownvalue.Check{
					account(testLabsAccount, "Opensam Labs", "eSignature Standard (Legacy)", 3, 4), // over: 4 in use, 3 allowed
					account(testSalesAccount, "Opensam Sales", "eSignature Business Pro", 12, 12),
					account(testLegalAccount, "Opensam Legal", "eSignature Enterprise Pro", 8, 10),
					// The admin is no member of Partners: the Admin API still gives its memberships, seats
					// and plan; eSignature's seats_allowed is null (and a warning says so, see
					// TestAccUnreachableAccountWarnings).
					account(demoorg.PartnersAccount, "Opensam Partners", "eSignature Business Pro", -1, 2),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("software_models"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"plan_id": knownvalue.StringExact("a1b2c3d4-0001-4000-8000-00000000b001"), "plan_name": knownvalue.StringExact("eSignature Business Pro"),
						"subscription_id": knownvalue.StringExact("SUB-2024-0147"), "subscription_name": knownvalue.StringExact("eSignature Business Pro (Annual)"),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"plan_id": knownvalue.StringExact("a1b2c3d4-0002-4000-8000-00000000e002"), "plan_name": knownvalue.StringExact("eSignature Enterprise Pro"),
						"subscription_id": knownvalue.StringExact("SUB-2024-0148"), "subscription_name": knownvalue.StringExact("eSignature Enterprise Pro (Annual)"),
					}),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("unrecognized_identifiers"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("eSignature Standard (Legacy)")})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("total"), knownvalue.Int64Exact(allSubs)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("excluded_count"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("counted"), knownvalue.Int64Exact(allSubs)),
				// Ordered by account ID, then email: Labs (2f3e…) first, admin@ first within it.
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("subscriptions").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"user_id": knownvalue.StringExact(testAdminUserID), "email": knownvalue.StringExact("admin@opensam.example"),
					"user_name": knownvalue.StringExact("Ada Admin"), "account_id": knownvalue.StringExact(testLabsAccount),
					"subscription_identifier": knownvalue.StringExact("eSignature Standard (Legacy)"),
					"membership_status":       knownvalue.StringExact("Active"), "license_type": knownvalue.StringExact("professional"),
					"excluded": knownvalue.Bool(false), "excluded_by": knownvalue.ListSizeExact(0), "created_at": knownvalue.NotNull(),
				})),
				// include_closed lists Casey's closed membership; closed memberships hold no seat.
				statecheck.ExpectKnownValue("data.docusign_subscriptions.sales_closed", tfjsonpath.New("total"), knownvalue.Int64Exact(salesSubs+1)),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.sales_closed", tfjsonpath.New("counted"), knownvalue.Int64Exact(salesSubs)),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.sales_closed", tfjsonpath.New("accounts"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.sales_closed", tfjsonpath.New("subscriptions").AtSliceIndex(2), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"email": knownvalue.StringExact("casey.closed@opensam.example"), "membership_status": knownvalue.StringExact("Closed"),
				})),
				// One users page per account per read (the fixture fits in a page), never a page per user.
				emulatorcheck.Calls(emu, map[string]int{routePlanItems: emulatorcheck.AtLeastOnce, routeOrgUsers: emulatorcheck.AtLeastOnce}),
			},
		}},
	})
	// 4+1 accounts, plan and apply refreshes.
	if err := emulatorcheck.CallsAtMost(emu, routeOrgUsers, 3*5).Verify(); err != nil {
		t.Errorf("organization users pages for 5 account reads per run: %v", err)
	}
}

func TestAccSubscriptionsDataSource_errors(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + `
data "docusign_subscriptions" "x" {
  organization_id = "0e0e0e0e-1111-4222-8333-444444444444"
}
`,
				ExpectError: textRe("Unable to Read DocuSign Subscriptions", "organization is not among the organizations"),
			},
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "x" {
  organization_id = %q
  account_ids     = ["0e0e0e0e-1111-4222-8333-444444444444"]
}
`, testOrgID),
				ExpectError: textRe("account is not in the organization", "account_ids"),
			},
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "x" {
  organization_id = %q
  exclusion_rules = [{ id = "r1", kind = "identifier", match = "regex", identifier = "(" }]
}
`, testOrgID),
				ExpectError: textRe("Invalid Exclusion Rule", "does not compile"),
			},
		},
	})
}

// The admin administers Opensam Partners through the Admin API but holds no eSignature
// membership there. Both reports still cover it, with what the Admin API gives, null for the
// rest, and a warning that names the account and the fix. terraform-plugin-testing does not
// expose warnings, so this runs the real terraform binary with -json and reads its diagnostics.
func TestAccUnreachableAccountWarnings(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := tfrun.TerraformPath(); err != nil {
		t.Skip("terraform is not installed")
	}
	t.Parallel()
	emu := startEmulator(t)
	ctx := context.Background()
	ws, err := tfrun.NewWorkspace(t.TempDir(), builtProvider(t))
	if err != nil {
		t.Fatal(err)
	}
	config := demoorg.ProviderConfig(emu.OAuthBaseURL, emu.AdminBaseURL) + fmt.Sprintf(`
data "docusign_subscriptions" "org" {
  organization_id = %[1]q
}

data "docusign_consumption" "cycle" {
  organization_id       = %[1]q
  contract_start_date   = "2025-03-31"
  renewal_period_months = 12
  as_of                 = "2026-11-30"
}
`, testOrgID)
	out := applyJSON(ctx, t, ws, config)
	// Each data source warns once per read about Partners; nothing else warns.
	warnings := map[string]int{}
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Diagnostic *struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Diagnostic == nil {
			continue
		}
		d := msg.Diagnostic
		if d.Summary == "Provider development overrides are in effect" { // the test's own dev_overrides
			continue
		}
		if d.Severity != "warning" || !strings.HasSuffix(d.Summary, `Unknown for DocuSign Account "Opensam Partners"`) {
			t.Errorf("unexpected diagnostic: %+v", d)
			continue
		}
		for _, want := range []string{demoorg.PartnersAccount + " (Opensam Partners)", "is not a member of it",
			"add the impersonated user " + testAdminUserID + " (provider user_id) as a member of account " + demoorg.PartnersAccount} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("warning detail lacks %q: %s", want, d.Detail)
			}
		}
		switch {
		case strings.HasPrefix(d.Summary, "Seats ") && strings.Contains(d.Detail, "seats_allowed is null"):
			warnings["subscriptions"]++
		case strings.HasPrefix(d.Summary, "Envelope Consumption ") && strings.Contains(d.Detail, "envelope counts and allowance are null"):
			warnings["consumption"]++
		}
	}
	if warnings["subscriptions"] == 0 || warnings["consumption"] == 0 {
		t.Fatalf("warnings per data source: %v\n%s", warnings, tfrun.Tail(out, 3000))
	}

	// State: the Admin API's figures for Partners, null eSignature figures, and complete figures
	// for the other accounts.
	shown, err := ws.Run(ctx, "show", "-json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(shown), &doc); err != nil {
		t.Fatal(err)
	}
	byAccount := func(address string) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, r := range doc.Values.RootModule.Resources {
			if r.Address != address {
				continue
			}
			accounts, _ := r.Values["accounts"].([]any)
			for _, a := range accounts {
				account, _ := a.(map[string]any)
				id, _ := account["account_id"].(string)
				out[id] = account
			}
			if address == "data.docusign_consumption.cycle" && r.Values["total_envelopes_sent"] != nil {
				t.Errorf("total_envelopes_sent = %v with an account unreadable; want null", r.Values["total_envelopes_sent"])
			}
		}
		return out
	}
	subs := byAccount("data.docusign_subscriptions.org")
	partners := subs[demoorg.PartnersAccount]
	if partners == nil || partners["seats_allowed"] != nil || partners["seats_in_use"] != float64(2) || partners["plan_name"] != "eSignature Business Pro" {
		t.Errorf("subscriptions, Partners: %v", partners)
	}
	if subs[testSalesAccount]["seats_allowed"] != float64(12) {
		t.Errorf("subscriptions, Sales: %v", subs[testSalesAccount])
	}
	cons := byAccount("data.docusign_consumption.cycle")
	partners = cons[demoorg.PartnersAccount]
	if partners == nil || partners["account_name"] != "Opensam Partners" || partners["esignature_reachable"] != false ||
		partners["envelopes_sent"] != nil || partners["billing_period_envelopes_sent"] != nil || partners["envelope_allowance"] != nil {
		t.Errorf("consumption, Partners: %v", partners)
	}
	// The emulator: the admin really is no member of Partners, which really holds envelopes; the
	// reachable accounts' counts are the emulator's, every sender included.
	if admin, _ := emu.User(testAdminUserID); len(admin.Memberships) != 3 {
		t.Errorf("admin memberships: %+v", admin.Memberships)
	}
	from, to := at("2026-03-31T00:00:00Z"), at("2027-03-31T00:00:00Z")
	if emu.EnvelopeCount(demoorg.PartnersAccount, from, to) == 0 {
		t.Error("the fixture's Partners account should hold envelopes the warning explains away")
	}
	for _, id := range []string{testSalesAccount, testLegalAccount, testLabsAccount} {
		if got, want := cons[id]["envelopes_sent"], float64(emu.EnvelopeCount(id, from, to)); got != want || cons[id]["esignature_reachable"] != true {
			t.Errorf("consumption, %s: envelopes_sent %v, emulator holds %v", id, got, want)
		}
	}
}
