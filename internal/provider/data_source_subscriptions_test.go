package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
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
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"account_id": knownvalue.StringExact(id), "account_name": knownvalue.StringExact(name), "plan_name": knownvalue.StringExact(plan),
			"seats_allowed": knownvalue.Int64Exact(allowed), "seats_in_use": knownvalue.Int64Exact(inUse),
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
					account(testSalesAccount, "Opensam Sales", "eSignature Business Pro", 12, 11),
					account(testLegalAccount, "Opensam Legal", "eSignature Enterprise Pro", 8, 10),
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
			},
			// One users page per account per read (the fixture fits in a page), never a page per user.
			Check: emu.expectRequests(map[string]int{routePlanItems: -1, routeOrgUsers: -1}),
		}},
	})
	if n := emu.Stats().Requests[routeOrgUsers]; n > 3*4 { // 3+1 accounts, plan and apply refreshes
		t.Errorf("%d organization users pages for 4 account reads per run", n)
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
