// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Fixture counts (testdata/emulator/demo-org.json), memberships not closed: Sales 12 on
// "eSignature Business Pro", Legal 10 on "eSignature Enterprise Pro", Labs 4 on
// "eSignature Standard (Legacy)", which is no plan item of the organization, and Partners 2 on
// "eSignature Business Pro" (an account the admin is no member of; it sorts last).
const (
	salesSubs    = 12
	legalSubs    = 10
	labsSubs     = 4
	partnersSubs = 2
	allSubs      = salesSubs + legalSubs + labsSubs + partnersSubs
)

func identifierRule(name, match, identifier string, extra string) string {
	return fmt.Sprintf(`
resource "docusign_subscription_identifier_exclusion_rule" %q {
  profile_id = %q
  match      = %q
  identifier = %q
  %s
}
`, name, testOrgID, match, identifier, extra)
}

// subscriptionsWith is a subscriptions data source fed the named rule resources by reference.
func subscriptionsWith(name string, rules ...string) string {
	refs := ""
	for _, r := range rules {
		refs += "    " + r + ".rule,\n"
	}
	return fmt.Sprintf(`
data "docusign_subscriptions" %q {
  organization_id = %q
  exclusion_rules = [
%s  ]
}
`, name, testOrgID, refs)
}

// expectImported checks the attributes of the one imported instance.
func expectImported(want map[string]string) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("imported %d instances, want 1", len(states))
		}
		for k, v := range want {
			if got := states[0].Attributes[k]; got != v {
				return fmt.Errorf("imported %s = %q, want %q", k, got, v)
			}
		}
		if id := states[0].Attributes["id"]; id == "" || states[0].Attributes["rule.id"] != id {
			return fmt.Errorf("imported rule ID %q does not match rule.id %q", id, states[0].Attributes["rule.id"])
		}
		return nil
	}
}

func excludedCount(name string, n int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data.docusign_subscriptions."+name, tfjsonpath.New("excluded_count"), knownvalue.Int64Exact(int64(n)))
}

func TestAccIdentifierExclusionRule_everyMatchKind(t *testing.T) {
	emu := startEmulator(t)
	const r = "docusign_subscription_identifier_exclusion_rule."
	config := emu.providerConfig() +
		identifierRule("equals", "equals", "esignature business pro", "") +
		identifierRule("equals_cs", "equals", "esignature business pro", "case_sensitive = true") +
		identifierRule("starts", "starts_with", "eSignature Ent", "") +
		identifierRule("ends", "ends_with", "(legacy)", "") +
		identifierRule("contains_cs", "contains", "Standard", "case_sensitive = true") +
		identifierRule("contains_miss", "contains", "standard", "case_sensitive = true") +
		identifierRule("regex", "regex", `^eSignature (Business|Enterprise) Pro$`, "reason = \"both paid plans\"") +
		identifierRule("inactive", "equals", "eSignature Business Pro", "active = false") +
		subscriptionsWith("equals", r+"equals") +
		subscriptionsWith("equals_cs", r+"equals_cs") +
		subscriptionsWith("starts", r+"starts") +
		subscriptionsWith("ends", r+"ends") +
		subscriptionsWith("contains_cs", r+"contains_cs") +
		subscriptionsWith("contains_miss", r+"contains_miss") +
		subscriptionsWith("regex", r+"regex") +
		subscriptionsWith("inactive", r+"inactive") +
		subscriptionsWith("overlap", r+"equals", r+"regex", r+"inactive")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					excludedCount("equals", salesSubs+partnersSubs),
					excludedCount("equals_cs", 0),
					excludedCount("starts", legalSubs),
					excludedCount("ends", labsSubs),
					excludedCount("contains_cs", labsSubs),
					excludedCount("contains_miss", 0),
					excludedCount("regex", salesSubs+legalSubs+partnersSubs),
					excludedCount("inactive", 0),
					excludedCount("overlap", salesSubs+legalSubs+partnersSubs),
					statecheck.ExpectKnownValue("data.docusign_subscriptions.regex", tfjsonpath.New("counted"), knownvalue.Int64Exact(labsSubs)),
					statecheck.ExpectKnownValue("data.docusign_subscriptions.regex", tfjsonpath.New("total"), knownvalue.Int64Exact(allSubs)),
					statecheck.ExpectKnownValue(r+"equals", tfjsonpath.New("rule"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.NotNull(), "kind": knownvalue.StringExact("identifier"), "match": knownvalue.StringExact("equals"),
						"identifier": knownvalue.StringExact("esignature business pro"), "case_sensitive": knownvalue.Bool(false),
						"user_id": knownvalue.Null(), "active": knownvalue.Bool(true),
					})),
					statecheck.ExpectKnownValue(r+"inactive", tfjsonpath.New("rule").AtMapKey("active"), knownvalue.Bool(false)),
					// The rule's ID flows into excluded_by. Labs sorts first (2f3e…), Sales next: index 4
					// is Sales' first subscription.
					statecheck.CompareValuePairs(r+"ends", tfjsonpath.New("id"),
						"data.docusign_subscriptions.ends", tfjsonpath.New("subscriptions").AtSliceIndex(0).AtMapKey("excluded_by").AtSliceIndex(0), compare.ValuesSame()),
					statecheck.CompareValuePairs(r+"equals", tfjsonpath.New("id"),
						"data.docusign_subscriptions.overlap", tfjsonpath.New("subscriptions").AtSliceIndex(labsSubs).AtMapKey("excluded_by").AtSliceIndex(0), compare.ValuesSame()),
					statecheck.CompareValuePairs(r+"regex", tfjsonpath.New("id"),
						"data.docusign_subscriptions.overlap", tfjsonpath.New("subscriptions").AtSliceIndex(labsSubs).AtMapKey("excluded_by").AtSliceIndex(1), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.docusign_subscriptions.overlap", tfjsonpath.New("subscriptions").AtSliceIndex(labsSubs).AtMapKey("excluded_by"),
						knownvalue.ListSizeExact(2)),
				},
			},
			{
				// Rules are kept in state and the data sources are stable: a second plan is empty.
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Turning a rule off is an update in place; the report follows.
				Config: emu.providerConfig() + identifierRule("ends", "ends_with", "(legacy)", "active = false") +
					subscriptionsWith("ends", r+"ends"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(r+"ends", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{excludedCount("ends", 0)},
			},
			{
				ResourceName:  r + "ends",
				ImportState:   true,
				ImportStateId: testOrgID + "/ends_with/(legacy)",
				// Rules live only in state: the import rebuilds the rule from its ID with a new rule ID.
				ImportStateCheck: expectImported(map[string]string{
					"profile_id": testOrgID, "match": "ends_with", "identifier": "(legacy)", "case_sensitive": "false",
					"active": "true", "rule.kind": "identifier", "rule.identifier": "(legacy)",
				}),
			},
		},
	})
}

func TestAccIdentifierExclusionRule_validation(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      emu.providerConfig() + identifierRule("bad", "regex", "^eSignature (Business", ""),
				ExpectError: textRe("Invalid Exclusion Rule Regular Expression", "missing closing )"),
				PlanOnly:    true,
			},
			{
				Config:      emu.providerConfig() + identifierRule("bad", "fuzzy", "x", ""),
				ExpectError: regexp.MustCompile(`value must be one of`),
				PlanOnly:    true,
			},
			{
				Config:      emu.providerConfig() + identifierRule("bad", "equals", "", ""),
				ExpectError: regexp.MustCompile(`identifier string length must be at least 1`),
				PlanOnly:    true,
			},
			{
				Config: emu.providerConfig() + `
resource "docusign_subscription_identifier_exclusion_rule" "bad" {
  profile_id = "not-a-guid"
  identifier = "x"
}
`,
				ExpectError: textRe("must be a DocuSign GUID"),
				PlanOnly:    true,
			},
			{
				// A valid regex with no match is fine.
				Config: emu.providerConfig() + identifierRule("ok", "regex", `(?:Legacy)\)$`, ""),
			},
		},
	})
}
