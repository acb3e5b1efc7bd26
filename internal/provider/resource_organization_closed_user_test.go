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
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

func TestAccOrganizationClosedUser_importDriftAndReopenOnDestroy(t *testing.T) {
	emu := startEmulator(t)
	email, accounts := emu.multiAccountUser(t)
	userID := emu.userIDByEmail(t, email)
	config := func(reopen bool) string {
		return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_organization_closed_user" "morgan" {
  organization_id   = %q
  email             = %q
  reopen_on_destroy = %t
}
`, testOrgID, email, reopen)
	}
	// memberships checks Morgan's membership in every account.
	memberships := func(status string) []emulatorcheck.Check {
		var checks []emulatorcheck.Check
		for _, a := range accounts {
			checks = append(checks, emulatorcheck.MembershipStatus(emu, a, email, status))
		}
		return checks
	}
	accountChecks := make([]knownvalue.Check, len(accounts))
	for i, a := range accounts {
		accountChecks[i] = knownvalue.StringExact(a)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		// reopen_on_destroy: destroying gives Morgan every membership back.
		CheckDestroy: emulatorcheck.CheckFunc(memberships("Active")...),
		Steps: []resource.TestStep{
			{
				Config: config(false),
				ConfigStateChecks: append(emulatorcheck.StateChecks(memberships("Closed")...),
					statecheck.ExpectKnownValue("docusign_organization_closed_user.morgan", tfjsonpath.New("user_id"), knownvalue.StringExact(userID)),
					statecheck.ExpectKnownValue("docusign_organization_closed_user.morgan", tfjsonpath.New("user_name"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("docusign_organization_closed_user.morgan", tfjsonpath.New("closed_account_ids"), knownvalue.SetExact(accountChecks)),
				),
			},
			{
				ResourceName:                         "docusign_organization_closed_user.morgan",
				ImportState:                          true,
				ImportStateId:                        testOrgID + "/" + email,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
				ImportStateVerifyIgnore:              []string{"reopen_on_destroy"},
			},
			{
				ResourceName:                         "docusign_organization_closed_user.morgan",
				ImportState:                          true,
				ImportStateId:                        testOrgID + "/" + userID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
				ImportStateVerifyIgnore:              []string{"reopen_on_destroy"},
			},
			{
				// One membership reopened by hand is drift for the whole closure.
				PreConfig: func() {
					if err := emu.SetMembershipStatus(userID, accounts[0], "Active"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_organization_closed_user.morgan", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: append(emulatorcheck.StateChecks(memberships("Closed")...), emulatorcheck.Closures(emu, accounts[0], email, 2)),
			},
			{
				// Turning reopen_on_destroy on changes state only.
				Config: config(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_organization_closed_user.morgan", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: append(emulatorcheck.StateChecks(memberships("Closed")...), emulatorcheck.Closures(emu, accounts[1], email, 1)),
			},
		},
	})
}

func TestAccOrganizationClosedUser_badInput(t *testing.T) {
	emu := startEmulator(t)
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"missing organization_id", `email = "a@b.example"`, regexp.MustCompile(`(?s)organization_id.*is required`)},
		{"organization_id not a GUID", `organization_id = "opensam"
  email = "a@b.example"`, regexp.MustCompile(`(?s)organization_id.*must be a DocuSign GUID`)},
		{"both user_id and email", `organization_id = "` + testOrgID + `"
  user_id = "` + testAdminUserID + `"
  email = "a@b.example"`, regexp.MustCompile(`(?s)Invalid Attribute Combination.*user_id.*email`)},
		{"unknown user", `organization_id = "` + testOrgID + `"
  email = "nobody@opensam.example"`, wrapped(`User Not Found.*has no user nobody@opensam.example`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfig() + "resource \"docusign_organization_closed_user\" \"bad\" {\n  " + tc.body + "\n}\n",
					ExpectError: tc.want,
				}},
			})
		})
	}
}

// multiAccountUser is the demo fixture's user with memberships in Sales and Legal.
func (e *testEmulator) multiAccountUser(t *testing.T) (string, []string) {
	t.Helper()
	const email = "morgan.two@opensam.example"
	u, ok := e.UserByEmail(email)
	if !ok || len(u.Memberships) < 2 {
		t.Fatalf("the demo fixture must hold %s with two memberships, got %+v", email, u)
	}
	var accounts []string
	for _, m := range u.Memberships {
		accounts = append(accounts, m.AccountID)
	}
	return email, accounts
}

// Riley holds a seat in Sales and one in Northwind, an account of another organization that the
// Admin API lists as external. Closing Riley organization-wide closes Sales only, and the
// untouched external membership is no drift.
func TestAccOrganizationClosedUser_leavesExternalMemberships(t *testing.T) {
	emu := startEmulator(t)
	const addr = "docusign_organization_closed_user.riley"
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_organization_closed_user" "riley" {
  organization_id = %q
  user_id         = %q
}
`, testOrgID, demoorg.ContractorUserID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("closed_account_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(testSalesAccount)})),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, demoorg.ContractorUserID, "Closed"),
					// The external Northwind membership is another organization's.
					emulatorcheck.MembershipStatus(emu, demoorg.NorthwindAccount, demoorg.ContractorUserID, "Active"),
				},
			},
			{
				// The external membership stays active and is no drift: the plan is empty.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				ResourceName:                         addr,
				ImportState:                          true,
				ImportStateId:                        testOrgID + "/" + demoorg.ContractorUserID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
				ImportStateVerifyIgnore:              []string{"reopen_on_destroy"},
			},
		},
	})
}
