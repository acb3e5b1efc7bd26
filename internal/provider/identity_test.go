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

// importByIdentity imports addr through an import block by its identity alone.
func importByIdentity(addr string) resource.TestStep {
	return resource.TestStep{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity}
}

// importByIdentityThenUpdate imports addr by identity where DocuSign keeps less than the
// configuration says, so the import is followed by an update in place, never a replacement.
func importByIdentityThenUpdate(addr string) resource.TestStep {
	step := importByIdentity(addr)
	step.ExpectNonEmptyPlan = true
	step.ImportPlanChecks = resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}
	return step
}

// updatedInPlace applies config, which must plan an update in place of every addr (the identity
// stays), and runs checks after.
func updatedInPlace(config string, checks []statecheck.StateCheck, addrs ...string) resource.TestStep {
	var plan []plancheck.PlanCheck
	for _, a := range addrs {
		plan = append(plan, plancheck.ExpectResourceAction(a, plancheck.ResourceActionUpdate))
	}
	return resource.TestStep{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: plan}, ConfigStateChecks: checks}
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
			importByIdentity(addr),
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: importIDFrom(addr, "account_id", "id"),
			},
			// A rename is an update in place: the identity stays.
			updatedInPlace(config("New Hire Renamed"), identity(), addr),
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
			importByIdentity(addr),
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: importIDFrom(addr, "account_id", "email"),
			},
			// The email in other letter case is an update in place: the identity stays, and nobody
			// is closed again.
			updatedInPlace(config(strings.ToUpper(leaverAlex)), []statecheck.StateCheck{identity, emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1)}, addr),
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
			importByIdentity(addr),
			updatedInPlace(config(strings.ToUpper(leaverAlex)), []statecheck.StateCheck{identity, emulatorcheck.Closures(emu, testLegalAccount, leaverAlex, 1)}, addr),
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
			// DocuSign keeps no contract dates, so the import is followed by an update that takes
			// them from the configuration.
			importByIdentityThenUpdate(addr),
			updatedInPlace(emu.providerConfig()+profileConfig("org", testOrgID, "2024-01-31", 1, ""), []statecheck.StateCheck{identity}, addr),
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

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   identityVersion,
		Steps: []resource.TestStep{
			{Config: config("service mailbox", "eSignature Business Pro"), ConfigStateChecks: checks()},
			importByIdentityThenUpdate(userRule),
			importByIdentityThenUpdate(idRule),
			updatedInPlace(config("shared service mailbox", "eSignature Enterprise Pro"), checks(), userRule, idRule),
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
