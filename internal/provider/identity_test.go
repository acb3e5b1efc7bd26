// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// Resource identity needs Terraform 1.12; these tests are skipped below it.
var identityVersion = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// importIDFrom is an ImportStateIdFunc joining attributes of the resource's state with "/".
func importIDFrom(addr string, attrs ...string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return "", fmt.Errorf("%s is not in state", addr)
		}
		parts := make([]string, len(attrs))
		for i, a := range attrs {
			parts[i] = rs.Primary.Attributes[a]
		}
		return strings.Join(parts, "/"), nil
	}
}

func TestAccUserIdentity(t *testing.T) {
	emu := startEmulator(t)
	const addr, email = "docusign_user.hire", "new.hire@opensam.example"
	config := func(name string) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_user" "hire" {
  account_id = %q
  email      = %q
  user_name  = %q
}
`, testLabsAccount, email, name)
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	identity := func() []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentityValue(addr, tfjsonpath.New("account_id"), knownvalue.StringExact(testLabsAccount)),
			statecheck.ExpectIdentityValueMatchesStateAtPath(addr, tfjsonpath.New("user_id"), tfjsonpath.New("id")),
			sameID.AddStateValue(addr, tfjsonpath.New("id")),
			emulatorcheck.MembershipStatus(emu, testLabsAccount, email, "ActivationSent"),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityVersion,
		Steps: []resource.TestStep{
			{
				Config:            config("New Hire"),
				ConfigStateChecks: identity(),
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: importIDFrom(addr, "account_id", "id"),
			},
			{
				// A rename is an update in place: the identity stays.
				Config: config("New Hire Renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: identity(),
			},
		},
	})
}

func TestAccClosedUserIdentity(t *testing.T) {
	emu := startEmulator(t)
	alexID := emu.userIDByEmail(t, leaverAlex)
	const addr = "docusign_closed_user.alex"
	config := func(email string) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_user" "alex" {
  account_id = %q
  email      = %q
}
`, testSalesAccount, email)
	}
	identity := statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
		"account_id": knownvalue.StringExact(testSalesAccount), "user_id": knownvalue.StringExact(alexID),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityVersion,
		Steps: []resource.TestStep{
			{
				Config: config(leaverAlex),
				ConfigStateChecks: []statecheck.StateCheck{
					identity,
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
				},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: importIDFrom(addr, "account_id", "email"),
			},
			{
				// The email in other letter case is an update in place: the identity stays, and
				// nobody is closed again.
				Config: config(strings.ToUpper(leaverAlex)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{identity, emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1)},
			},
		},
	})
}

func TestAccOrganizationClosedUserIdentity(t *testing.T) {
	emu := startEmulator(t)
	alexID := emu.userIDByEmail(t, leaverAlex)
	const addr = "docusign_organization_closed_user.alex"
	config := func(email string) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_organization_closed_user" "alex" {
  organization_id = %q
  email           = %q
}
`, testOrgID, email)
	}
	identity := statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
		"organization_id": knownvalue.StringExact(testOrgID), "user_id": knownvalue.StringExact(alexID),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityVersion,
		Steps: []resource.TestStep{
			{
				Config: config(leaverAlex),
				ConfigStateChecks: []statecheck.StateCheck{
					identity,
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverAlex, "Closed"),
				},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config: config(strings.ToUpper(leaverAlex)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{identity, emulatorcheck.Closures(emu, testLegalAccount, leaverAlex, 1)},
			},
		},
	})
}

func TestAccIntegrationProfileIdentity(t *testing.T) {
	emu := startEmulator(t)
	const addr = "docusign_integration_profile.org"
	identity := statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": knownvalue.StringExact(testOrgID)})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityVersion,
		Steps: []resource.TestStep{
			{
				Config:            emu.providerConfig() + profileConfig("org", testOrgID, "2024-01-31", 12, ""),
				ConfigStateChecks: []statecheck.StateCheck{identity, emulatorcheck.CallsAtMost(emu, routeOrganizations, 10)},
			},
			{
				// DocuSign keeps no contract dates, so the import is followed by an update that
				// takes them from the configuration.
				ResourceName:       addr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithResourceIdentity,
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: emu.providerConfig() + profileConfig("org", testOrgID, "2024-01-31", 1, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{identity},
			},
		},
	})
}

// TestAccExclusionRuleIdentity: a rule's identity is its ID, kept across updates; an import by
// identity gives the rule that ID back and takes the rest from the configuration, as an update
// rather than a replacement that would give it a new ID.
func TestAccExclusionRuleIdentity(t *testing.T) {
	emu := startEmulator(t)
	const userRule, idRule = "docusign_subscription_user_exclusion_rule.svc", "docusign_subscription_identifier_exclusion_rule.plan"
	config := func(reason, identifier string) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_subscription_user_exclusion_rule" "svc" {
  profile_id = %q
  email      = "svc.contracts@opensam.example"
  reason     = %q
}

resource "docusign_subscription_identifier_exclusion_rule" "plan" {
  profile_id = %q
  identifier = %q
}
`, testOrgID, reason, testOrgID, identifier)
	}
	sameUserRule, sameIDRule := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesSame())
	checks := func() []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentityValueMatchesState(userRule, tfjsonpath.New("id")),
			statecheck.ExpectIdentityValueMatchesState(idRule, tfjsonpath.New("id")),
			sameUserRule.AddStateValue(userRule, tfjsonpath.New("id")),
			sameIDRule.AddStateValue(idRule, tfjsonpath.New("id")),
			emulatorcheck.MembershipStatus(emu, testSalesAccount, "svc.contracts@opensam.example", "Active"),
		}
	}
	importByIdentity := func(addr string) resource.TestStep {
		return resource.TestStep{
			ResourceName:       addr,
			ImportState:        true,
			ImportStateKind:    resource.ImportBlockWithResourceIdentity,
			ExpectNonEmptyPlan: true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityVersion,
		Steps: []resource.TestStep{
			{Config: config("service mailbox", "eSignature Business Pro"), ConfigStateChecks: checks()},
			importByIdentity(userRule),
			importByIdentity(idRule),
			{
				Config: config("shared service mailbox", "eSignature Enterprise Pro"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(userRule, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(idRule, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: checks(),
			},
		},
	})
}

// TestAccExclusionRuleIdentity_importKeepsID adopts two rules under the IDs they had before their
// state was lost, so excluded_by keeps naming them: the apply after the import fills in the rest,
// looking the user up.
func TestAccExclusionRuleIdentity_importKeepsID(t *testing.T) {
	emu := startEmulator(t)
	const userRuleID, idRuleID = "0b7c6d5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e", "1c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f"
	svcID := emu.userIDByEmail(t, "svc.contracts@opensam.example")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityVersion,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
import {
  to       = docusign_subscription_user_exclusion_rule.svc
  identity = { id = %q }
}

import {
  to       = docusign_subscription_identifier_exclusion_rule.plan
  identity = { id = %q }
}

resource "docusign_subscription_user_exclusion_rule" "svc" {
  profile_id = %q
  email      = "SVC.contracts@opensam.example"
}

resource "docusign_subscription_identifier_exclusion_rule" "plan" {
  profile_id = %q
  identifier = "eSignature Business Pro"
}
`, userRuleID, idRuleID, testOrgID, testOrgID),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("docusign_subscription_user_exclusion_rule.svc", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("docusign_subscription_identifier_exclusion_rule.plan", plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("docusign_subscription_user_exclusion_rule.svc", tfjsonpath.New("id"), knownvalue.StringExact(userRuleID)),
				statecheck.ExpectKnownValue("docusign_subscription_user_exclusion_rule.svc", tfjsonpath.New("user_id"), knownvalue.StringExact(svcID)),
				statecheck.ExpectKnownValue("docusign_subscription_user_exclusion_rule.svc", tfjsonpath.New("email"), knownvalue.StringExact("SVC.contracts@opensam.example")),
				statecheck.ExpectKnownValue("docusign_subscription_user_exclusion_rule.svc", tfjsonpath.New("rule").AtMapKey("user_id"), knownvalue.StringExact(svcID)),
				statecheck.ExpectIdentity("docusign_subscription_user_exclusion_rule.svc", map[string]knownvalue.Check{"id": knownvalue.StringExact(userRuleID)}),
				statecheck.ExpectKnownValue("docusign_subscription_identifier_exclusion_rule.plan", tfjsonpath.New("rule").AtMapKey("id"), knownvalue.StringExact(idRuleID)),
				statecheck.ExpectKnownValue("docusign_subscription_identifier_exclusion_rule.plan", tfjsonpath.New("active"), knownvalue.Bool(true)),
				statecheck.ExpectIdentity("docusign_subscription_identifier_exclusion_rule.plan", map[string]knownvalue.Check{"id": knownvalue.StringExact(idRuleID)}),
				emulatorcheck.Calls(emu, map[string]int{"GET /Management/v2.1/organizations/{organizationId}/users/dsprofile": emulatorcheck.AtLeastOnce}),
			},
		}},
	})
}
