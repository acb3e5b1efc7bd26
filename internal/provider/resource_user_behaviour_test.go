// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

const (
	selfOnlyUserRoute = "GET /restapi/v2.1/accounts/{accountId}/users/{userId}"
	selfOnlyPutRoute  = "PUT /restapi/v2.1/accounts/{accountId}/users/{userId}"
	profilesRoute     = "GET /restapi/v2.1/accounts/{accountId}/permission_profiles"
)

// With users_self_only on, DocuSign serves GET and PUT …/users/{userId} only for the caller's
// own record. docusign_user still creates, refreshes, updates and imports, through the email
// list and the bulk PUT …/users, and never calls PUT …/users/{userId}.
func TestAccUser_usersSelfOnly(t *testing.T) {
	emu := startEmulator(t)
	emu.SetBehaviour(emulator.Behaviour{UsersSelfOnly: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             emulatorcheck.CheckFunc(emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "Closed")),
		Steps: []resource.TestStep{
			{
				Config: userConfig(emu, "New Hire", "DS Sender", true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("user_status"), knownvalue.StringExact("ActivationSent")),
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("created_user"), knownvalue.Bool(true)),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "ActivationSent"),
					emulatorcheck.PermissionProfile(emu, testSalesAccount, newHire, "DS Sender"),
				},
			},
			{
				Config: userConfig(emu, "New H. Hire", "DS Viewer", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_user.hire", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("user_name"), knownvalue.StringExact("New H. Hire")),
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("permission_profile_name"), knownvalue.StringExact("DS Viewer")),
					emulatorcheck.UserName(emu, newHire, "New H. Hire"),
					emulatorcheck.PermissionProfile(emu, testSalesAccount, newHire, "DS Viewer"),
					emulatorcheck.Calls(emu, map[string]int{selfOnlyPutRoute: 0}),
				},
			},
			importHireStep(func() string { return emu.userIDByEmail(t, newHire) }),
			importHireStep(func() string { return newHire }),
			{
				Config:   userConfig(emu, "New H. Hire", "DS Viewer", true),
				PlanOnly: true,
			},
		},
	})
}

// With users_self_only on, data.docusign_user by user_id still answers, with the same values.
func TestAccUserDataSource_usersSelfOnly(t *testing.T) {
	emu := startEmulator(t)
	emu.SetBehaviour(emulator.Behaviour{UsersSelfOnly: true})
	alexID := emu.userIDByEmail(t, leaverAlex)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_user" "by_id" {
  account_id = %q
  user_id    = %q
}
`, testSalesAccount, alexID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.docusign_user.by_id", tfjsonpath.New("email"), knownvalue.StringExact(leaverAlex)),
				statecheck.ExpectKnownValue("data.docusign_user.by_id", tfjsonpath.New("user_name"), knownvalue.StringExact("Alex Leaver")),
				statecheck.ExpectKnownValue("data.docusign_user.by_id", tfjsonpath.New("status"), knownvalue.StringExact("Active")),
				statecheck.ExpectKnownValue("data.docusign_user.by_id", tfjsonpath.New("memberships").AtSliceIndex(0).AtMapKey("permission_profile_name"),
					knownvalue.StringExact("DS Sender")),
				// One refused GET at most, then the Admin profile: the refusal is remembered.
				emulatorcheck.CallsAtMost(emu, selfOnlyUserRoute, 1),
			},
		}},
	})
}

// With users_self_only on, the refresh of a closed user whose membership was reopened outside
// Terraform (so it is not in the listing of closed users) still sees the reopening.
func TestAccClosedUser_usersSelfOnlyRefresh(t *testing.T) {
	emu := startEmulator(t)
	emu.SetBehaviour(emulator.Behaviour{UsersSelfOnly: true})
	config, alexID := emu.closedAlexByID(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed")}},
			{
				PreConfig: func() {
					if err := emu.SetMembershipStatus(alexID, testSalesAccount, "Active"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Every switch on at once: the user lifecycle still converges.
func TestAccUser_strictBehaviour(t *testing.T) {
	emu := startEmulator(t)
	emu.SetBehaviour(emulator.StrictBehaviour())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             emulatorcheck.CheckFunc(emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "Closed")),
		Steps: []resource.TestStep{
			{Config: userConfig(emu, "New Hire", "DS Sender", true)},
			{Config: userConfig(emu, "New H. Hire", "DS Viewer", true)},
			{Config: userConfig(emu, "New H. Hire", "DS Viewer", true), PlanOnly: true},
		},
	})
}

// A profile name resolves to each account's own ID: the same name gives different IDs in two
// accounts, with one profile listing per account and run.
func TestAccUser_permissionProfileNamePerAccount(t *testing.T) {
	emu := startEmulator(t)
	const legalHire = "legal.hire@opensam.example"
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_user" "sales" {
  account_id              = %q
  email                   = %q
  user_name               = "New Hire"
  permission_profile_name = "DS Viewer"
}

resource "docusign_user" "legal" {
  account_id              = %q
  email                   = %q
  user_name               = "Legal Hire"
  permission_profile_name = "docusign viewer"
}
`, testSalesAccount, newHire, testLegalAccount, legalHire)
	salesViewer, _ := emu.PermissionProfileID(testSalesAccount, "DS Viewer")
	legalViewer, _ := emu.PermissionProfileID(testLegalAccount, "DS Viewer")
	if salesViewer == legalViewer {
		t.Fatal("the emulator gives both accounts the same Viewer ID; the test would prove nothing")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Resolved at plan time, so the plan already shows each account's ID.
					plancheck.ExpectKnownValue("docusign_user.sales", tfjsonpath.New("permission_profile_id"), knownvalue.StringExact(salesViewer)),
					plancheck.ExpectKnownValue("docusign_user.legal", tfjsonpath.New("permission_profile_id"), knownvalue.StringExact(legalViewer)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.sales", tfjsonpath.New("permission_profile_id"), knownvalue.StringExact(salesViewer)),
					statecheck.ExpectKnownValue("docusign_user.legal", tfjsonpath.New("permission_profile_id"), knownvalue.StringExact(legalViewer)),
					// The name stays as written.
					statecheck.ExpectKnownValue("docusign_user.legal", tfjsonpath.New("permission_profile_name"), knownvalue.StringExact("docusign viewer")),
					emulatorcheck.PermissionProfile(emu, testSalesAccount, newHire, "DS Viewer"),
					emulatorcheck.PermissionProfile(emu, testLegalAccount, legalHire, "DS Viewer"),
					// Plan and apply are two provider processes: at most one listing per account in each.
					emulatorcheck.CallsAtMost(emu, profilesRoute, 4),
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// A profile name the account lacks fails the plan, naming the attribute and the account's
// profiles; another account's profile ID fails the apply.
func TestAccUser_permissionProfileBadInput(t *testing.T) {
	emu := startEmulator(t)
	legalViewer, _ := emu.PermissionProfileID(testLegalAccount, "DS Viewer")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      existingUserConfig(emu, testSalesAccount, newHire, "New Hire", `permission_profile_name = "DocuSign Approver"`),
				PlanOnly:    true,
				ExpectError: wrapped(`Unknown Permission Profile .*permission_profile_name.* "DocuSign Approver" in account ` + testSalesAccount + `; it has "DS Admin", "DS Sender", "DS Viewer"`),
			},
			{
				Config:      existingUserConfig(emu, testSalesAccount, newHire, "New Hire", fmt.Sprintf(`permission_profile_id = %q`, legalViewer)),
				ExpectError: wrapped(`INVALID_PERMISSION_PROFILE_ID`),
			},
		},
	})
}
