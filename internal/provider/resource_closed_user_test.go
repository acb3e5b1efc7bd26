// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

const (
	leaverAlex  = "alex.leaver@opensam.example"
	leaverJamie = "jamie.leaver@opensam.example"
)

// closedAlexByID is a configuration that closes Alex Leaver in the Sales account by user ID, and
// that ID.
func (e *testEmulator) closedAlexByID(t *testing.T) (config, alexID string) {
	t.Helper()
	alexID = e.userIDByEmail(t, leaverAlex)
	return e.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_user" "alex" {
  account_id = %q
  user_id    = %q
}
`, testSalesAccount, alexID), alexID
}

func TestAccClosedUser_byUserIDImportAndDrift(t *testing.T) {
	emu := startEmulator(t)
	config, alexID := emu.closedAlexByID(t)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             emulatorcheck.CheckFunc(emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed")),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("user_id"), knownvalue.StringExact(alexID)),
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("email"), knownvalue.StringExact(leaverAlex)),
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("account_id"), knownvalue.StringExact(testSalesAccount)),
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("reopen_on_destroy"), knownvalue.Bool(false)),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
				},
			},
			{
				ResourceName:                         "docusign_closed_user.alex",
				ImportState:                          true,
				ImportStateId:                        testSalesAccount + "/" + alexID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
			},
			{
				ResourceName:                         "docusign_closed_user.alex",
				ImportState:                          true,
				ImportStateId:                        testSalesAccount + "/" + leaverAlex,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
			},
			{
				// Someone reopens Alex by hand: the next plan must close Alex again.
				PreConfig: func() {
					if err := emu.SetMembershipStatus(alexID, testSalesAccount, "Active"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("docusign_closed_user.alex", plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 2),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccClosedUser_alreadyClosedByEmailAndReopenOnDestroy(t *testing.T) {
	emu := startEmulator(t)
	jamieID := emu.userIDByEmail(t, leaverJamie)
	if err := emu.SetMembershipStatus(jamieID, testLegalAccount, "Closed"); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		// reopen_on_destroy: destroying gives Jamie the account back.
		CheckDestroy: emulatorcheck.CheckFunc(emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverJamie, "Active")),
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_user" "jamie" {
  account_id        = %q
  email             = %q
  reopen_on_destroy = true
}
`, testLegalAccount, leaverJamie),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("docusign_closed_user.jamie", tfjsonpath.New("user_id"), knownvalue.StringExact(jamieID)),
				statecheck.ExpectKnownValue("docusign_closed_user.jamie", tfjsonpath.New("reopen_on_destroy"), knownvalue.Bool(true)),
				emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverJamie, "Closed"),
			},
		}},
	})
}

func TestAccClosedUser_leaverSetChanges(t *testing.T) {
	emu := startEmulator(t)
	// One block per leaver, as a generated configuration would have: the testing framework's
	// state shim cannot read for_each keys.
	leavers := func(emails ...string) string {
		var blocks strings.Builder
		for _, e := range emails {
			fmt.Fprintf(&blocks, "resource \"docusign_closed_user\" %q {\n  email = %q\n}\n", leaverName(e), e)
		}
		return emu.providerConfig(fmt.Sprintf("account_id = %q", testSalesAccount)) + blocks.String()
	}
	third := "test.user1@opensam.example"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: leavers(leaverAlex, leaverJamie),
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, third, "Active"),
				},
			},
			{
				// Dropping a leaver only forgets them: nobody is reopened, nobody else is touched.
				Config: leavers(leaverAlex),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(leaverJamie), plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(leaverAlex), plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverJamie, 1),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
				},
			},
			{
				// Adding a leaver closes exactly that user.
				Config: leavers(leaverAlex, third),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(third), plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(leaverAlex), plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, third, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, third, 1),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
				},
			},
		},
	})
}

func TestAccClosedUser_badInput(t *testing.T) {
	emu := startEmulator(t)
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"both user_id and email", `user_id = "` + testAdminUserID + `"
  email = "a@b.example"`, regexp.MustCompile(`(?s)Invalid Attribute Combination.*user_id.*email`)},
		{"neither user_id nor email", `account_id = "` + testSalesAccount + `"`, regexp.MustCompile(`(?s)Invalid Attribute Combination`)},
		{"user_id not a GUID", `user_id = "alex"`, regexp.MustCompile(`(?s)user_id.*must be a DocuSign GUID`)},
		{"email malformed", `email = "not-an-email"`, regexp.MustCompile(`(?s)email.*must be an email address`)},
		{"account_id not a GUID", `account_id = "sales"
  email = "a@b.example"`, regexp.MustCompile(`(?s)account_id.*must be a DocuSign GUID`)},
		{"organization_id belongs to docusign_organization_closed_user", `organization_id = "` + testOrgID + `"
  email = "a@b.example"`, regexp.MustCompile(`(?s)Unsupported argument.*organization_id`)},
		{"unknown email", `account_id = "` + testSalesAccount + `"
  email = "nobody@opensam.example"`, wrapped(`User Not Found.*has no user with email nobody@opensam.example`)},
		{"unknown user_id", `account_id = "` + testSalesAccount + `"
  user_id = "00000000-0000-4000-8000-000000000000"`, wrapped(`Unable to Close User.*has no user 00000000-0000-4000-8000-000000000000`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfig() + "resource \"docusign_closed_user\" \"bad\" {\n  " + tc.body + "\n}\n",
					ExpectError: tc.want,
				}},
			})
		})
	}
}

func leaverName(email string) string {
	return strings.NewReplacer(".", "_", "@", "_").Replace(email)
}
