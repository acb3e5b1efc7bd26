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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// Omar Haddad is in the fixture's Legal account only: adding him to Sales adds a person who
// already exists in DocuSign.
const (
	existingEmail  = "omar.haddad@opensam.example"
	existingUserID = "70000013-0000-4000-8000-000000000013"
)

func existingUserConfig(emu *testEmulator, account, email, userName, extra string) string {
	return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_user" "person" {
  account_id = %q
  email      = %q
  user_name  = %q
  %s
}
`, account, email, userName, extra)
}

// A person who exists in another account is added, not created: names come from DocuSign where
// the configuration leaves them out, the second plan is empty, and destroy leaves them open.
func TestAccUser_existingInAnotherAccount(t *testing.T) {
	emu := startEmulator(t)
	config := existingUserConfig(emu, testSalesAccount, existingEmail, "Omar Haddad", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: emulatorcheck.CheckFunc(emulatorcheck.Person(emu, existingEmail, map[string]string{
			testSalesAccount: "ActivationSent", testLegalAccount: "Active",
		})),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("id"), knownvalue.StringExact(existingUserID)),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("created_user"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("first_name"), knownvalue.StringExact("Omar")),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("last_name"), knownvalue.StringExact("Haddad")),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("email"), knownvalue.StringExact(existingEmail)),
					emulatorcheck.Person(emu, existingEmail, map[string]string{testSalesAccount: "ActivationSent", testLegalAccount: "Active"}),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A configured name wins over the existing person's, and close_existing_user opts in to closing
// them on destroy: only the membership in this account closes.
func TestAccUser_existingUserRenamedAndClosedOnOptIn(t *testing.T) {
	emu := startEmulator(t)
	config := existingUserConfig(emu, testSalesAccount, existingEmail, "Omar H. Haddad", `close_existing_user = true`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: emulatorcheck.CheckFunc(emulatorcheck.Person(emu, existingEmail, map[string]string{
			testSalesAccount: "Closed", testLegalAccount: "Active",
		})),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("user_name"), knownvalue.StringExact("Omar H. Haddad")),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("created_user"), knownvalue.Bool(false)),
					emulatorcheck.UserName(emu, existingEmail, "Omar H. Haddad"),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// An email that differs from DocuSign's only in letter case is kept as written, and changing
// only its letter case later is an in-place change that sends nothing to DocuSign.
func TestAccUser_emailLetterCase(t *testing.T) { eachEmailFilterReading(t, testUserEmailLetterCase) }

func testUserEmailLetterCase(t *testing.T) {
	emu := startEmulator(t)
	const written, rewritten = "Omar.Haddad@OpenSAM.example", "OMAR.HADDAD@opensam.example"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: emulatorcheck.CheckFunc(emulatorcheck.Person(emu, existingEmail, map[string]string{
			testSalesAccount: "ActivationSent", testLegalAccount: "Active",
		})),
		Steps: []resource.TestStep{
			{
				Config: existingUserConfig(emu, testSalesAccount, written, "Omar Haddad", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("email"), knownvalue.StringExact(written)),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("id"), knownvalue.StringExact(existingUserID)),
					emulatorcheck.Person(emu, existingEmail, map[string]string{testSalesAccount: "ActivationSent", testLegalAccount: "Active"}),
				},
			},
			{
				Config:           existingUserConfig(emu, testSalesAccount, written, "Omar Haddad", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: emu.ResetStats,
				Config:    existingUserConfig(emu, testSalesAccount, rewritten, "Omar Haddad", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_user.person", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("email"), knownvalue.StringExact(rewritten)),
					emulatorcheck.Person(emu, existingEmail, map[string]string{testSalesAccount: "ActivationSent", testLegalAccount: "Active"}),
					emulatorcheck.Calls(emu, map[string]int{
						"POST /restapi/v2.1/accounts/{accountId}/users": 0,
						"PUT /restapi/v2.1/accounts/{accountId}/users":  0,
					}),
				},
			},
		},
	})
}

// A new person configured without first and last name gets DocuSign's, and the plan stays empty.
func TestAccUser_namesOmitted(t *testing.T) {
	emu := startEmulator(t)
	config := existingUserConfig(emu, testSalesAccount, newHire, "New Hire", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		// Terraform created this person, so destroy closes them.
		CheckDestroy: emulatorcheck.CheckFunc(emulatorcheck.Person(emu, newHire, map[string]string{testSalesAccount: "Closed"})),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("first_name"), knownvalue.StringExact("New")),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("last_name"), knownvalue.StringExact("Hire")),
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("created_user"), knownvalue.Bool(true)),
					emulatorcheck.Person(emu, newHire, map[string]string{testSalesAccount: "ActivationSent"}),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// Replacing the resource of a person who existed before never closes them: moving it to another
// account adds the person there and leaves the first membership open. Replacing one Terraform
// created (a new email) closes the old membership, as before.
func TestAccUser_replacementClosesOnlyWhatTerraformCreated(t *testing.T) {
	emu := startEmulator(t)
	two := func(existingAccount, hireEmail string) string {
		return existingUserConfig(emu, existingAccount, existingEmail, "Omar Haddad", "") + fmt.Sprintf(`
resource "docusign_user" "hire" {
  account_id = %q
  email      = %q
  user_name  = "New Hire"
}
`, testSalesAccount, hireEmail)
	}
	const renamedHire = "renamed.hire@opensam.example"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: emulatorcheck.CheckFunc(
			emulatorcheck.Person(emu, existingEmail, map[string]string{
				testSalesAccount: "ActivationSent", testLabsAccount: "ActivationSent", testLegalAccount: "Active",
			}),
			emulatorcheck.Person(emu, renamedHire, map[string]string{testSalesAccount: "Closed"}),
		),
		Steps: []resource.TestStep{
			{Config: two(testSalesAccount, newHire)},
			{
				Config: two(testLabsAccount, renamedHire),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_user.person", plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectResourceAction("docusign_user.hire", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.person", tfjsonpath.New("id"), knownvalue.StringExact(existingUserID)),
					emulatorcheck.Person(emu, existingEmail, map[string]string{
						testSalesAccount: "ActivationSent", testLabsAccount: "ActivationSent", testLegalAccount: "Active",
					}),
					emulatorcheck.Person(emu, newHire, map[string]string{testSalesAccount: "Closed"}),
					emulatorcheck.Person(emu, renamedHire, map[string]string{testSalesAccount: "ActivationSent"}),
				},
			},
		},
	})
}

// An imported user existed before Terraform: destroy leaves them open unless opted in.
func TestAccUser_importedUserIsNotClosed(t *testing.T) {
	emu := startEmulator(t)
	const noel = "not.admin@opensam.example"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             emulatorcheck.CheckFunc(emulatorcheck.Person(emu, noel, map[string]string{testSalesAccount: "Active"})),
		Steps: []resource.TestStep{
			{
				Config:             existingUserConfig(emu, testSalesAccount, noel, "Noel Member", ""),
				ResourceName:       "docusign_user.person",
				ImportState:        true,
				ImportStateId:      testSalesAccount + "/" + noel,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["created_user"] != "false" {
						return fmt.Errorf("imported state: %v", states)
					}
					return nil
				},
			},
			{
				Config:           existingUserConfig(emu, testSalesAccount, noel, "Noel Member", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A read that fails right after the create still leaves the user in state: the apply warns, the
// next plan is empty, and DocuSign holds one user, created once.
func TestAccUser_readAfterCreateFails(t *testing.T) {
	emu := startEmulator(t)
	const createRoute = "POST /restapi/v2.1/accounts/{accountId}/users"
	config := emu.providerConfig("max_retries = 0") + fmt.Sprintf(`
resource "docusign_user" "hire" {
  account_id              = %q
  email                   = %q
  user_name               = "New Hire"
  first_name              = "New"
  permission_profile_name = "DS Viewer"
}
`, testSalesAccount, newHire)
	stateMatchesEmulator := func(s *terraform.State) error {
		got := s.RootModule().Resources["docusign_user.hire"].Primary.ID
		if want := emu.userIDByEmail(t, newHire); got != want {
			return fmt.Errorf("state holds user %q, the emulator created %s", got, want)
		}
		return nil
	}
	createdOnce := emulatorcheck.Calls(emu, map[string]int{createRoute: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             emulatorcheck.CheckFunc(emulatorcheck.Person(emu, newHire, map[string]string{testSalesAccount: "Closed"})),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := emu.FailNext("GET /restapi/v2.1/accounts/{accountId}/users", 1, 503); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				Check:  stateMatchesEmulator,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("created_user"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("permission_profile_name"), knownvalue.StringExact("DS Viewer")),
					createdOnce,
					emulatorcheck.InjectedFaults(emu, 1), // the failed read was hit
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					// The refresh completed what the failed read left out.
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("first_name"), knownvalue.StringExact("New")),
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("user_status"), knownvalue.StringExact("ActivationSent")),
					createdOnce,
					emulatorcheck.Person(emu, newHire, map[string]string{testSalesAccount: "ActivationSent"}),
				},
				Check: stateMatchesEmulator,
			},
		},
	})
}
