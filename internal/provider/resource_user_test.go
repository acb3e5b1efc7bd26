// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

const newHire = "new.hire@opensam.example"

func userConfig(emu *testEmulator, name, profile string, closeOnDestroy bool) string {
	return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_user" "hire" {
  account_id              = %q
  email                   = %q
  user_name               = %q
  first_name              = "New"
  last_name               = "Hire"
  permission_profile_name = %q
  close_on_destroy        = %t
}
`, testSalesAccount, newHire, name, profile, closeOnDestroy)
}

func TestAccUser_lifecycle(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		// Destroying the resource closes the membership; DocuSign never deletes users.
		CheckDestroy: emulatorcheck.CheckFunc(emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "Closed")),
		Steps: []resource.TestStep{
			{
				Config: userConfig(emu, "New Hire", "DS Sender", true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("user_status"), knownvalue.StringExact("ActivationSent")),
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("permission_profile_name"), knownvalue.StringExact("DS Sender")),
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("created_at"), knownvalue.NotNull()),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "ActivationSent"),
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
				},
			},
			importHireStep(func() string { return emu.userIDByEmail(t, newHire) }),
			importHireStep(func() string { return newHire }),
			{
				// Closed outside Terraform: the user leaves state and the plan offers to add them again.
				PreConfig: func() {
					if err := emu.SetMembershipStatus(emu.userIDByEmail(t, newHire), testSalesAccount, "Closed"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             userConfig(emu, "New H. Hire", "DS Viewer", true),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccUser_keepOnDestroy(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             emulatorcheck.CheckFunc(emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "ActivationSent")),
		Steps: []resource.TestStep{{
			Config: userConfig(emu, "New Hire", "DS Sender", false),
			ConfigStateChecks: []statecheck.StateCheck{
				emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "ActivationSent"),
			},
		}},
	})
}

func TestAccUser_existingMembershipSaysHowToImport(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
resource "docusign_user" "dup" {
  account_id = %q
  email      = %q
  user_name  = "Alex Again"
}
`, testSalesAccount, leaverAlex),
			ExpectError: regexp.MustCompile(`(?s)User Already Exists.*terraform import <resource address>\s+` + testSalesAccount + `/`),
		}},
	})
}

// importHireStep imports docusign_user.hire as <sales account>/<user ID or email> and verifies the
// state matches; the status and created_user are not part of what an import can know.
func importHireStep(target func() string) resource.TestStep {
	return resource.TestStep{
		ResourceName: "docusign_user.hire",
		ImportState:  true,
		ImportStateIdFunc: func(*terraform.State) (string, error) {
			return testSalesAccount + "/" + target(), nil
		},
		ImportStateVerify:       true,
		ImportStateVerifyIgnore: []string{"user_status", "created_user"},
	}
}
