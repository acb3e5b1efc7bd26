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
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

func closedUsersConfig(emu *testEmulator, userIDs, emails []string, reopen bool) string {
	quote := func(items []string) string {
		q := make([]string, len(items))
		for i, s := range items {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	body := fmt.Sprintf("  account_id        = %q\n  reopen_on_destroy = %v\n", testSalesAccount, reopen)
	if len(userIDs) > 0 {
		body += "  user_ids = " + quote(userIDs) + "\n"
	}
	if len(emails) > 0 {
		body += "  emails = " + quote(emails) + "\n"
	}
	return emu.providerConfig() + "resource \"docusign_closed_users\" \"wave\" {\n" + body + "}\n"
}

func TestAccClosedUsers_waveLifecycle(t *testing.T) {
	emu := startEmulator(t)
	alexID := emu.userIDByEmail(t, leaverAlex)
	third := "test.user1@opensam.example"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: closedUsersConfig(emu, []string{alexID}, []string{leaverJamie}, true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_closed_users.wave", tfjsonpath.New("email_user_ids").AtMapKey(leaverJamie),
						knownvalue.StringExact(emu.userIDByEmail(t, leaverJamie))),
					statecheck.ExpectKnownValue("docusign_closed_users.wave", tfjsonpath.New("account_id"), knownvalue.StringExact(testSalesAccount)),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Closed"),
					emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverAlex, "Active"),
					emulatorcheck.CallsAtMost(emu, "DELETE /restapi/v2.1/accounts/{accountId}/users", 1),
				},
			},
			{
				// Reopened outside Terraform: the next plan shows it and the apply closes it again.
				PreConfig: func() {
					if err := emu.SetMembershipStatus(alexID, testSalesAccount, "Active"); err != nil {
						t.Fatal(err)
					}
				},
				Config: closedUsersConfig(emu, []string{alexID}, []string{leaverJamie}, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_closed_users.wave", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 2),
					emulatorcheck.Closures(emu, testSalesAccount, leaverJamie, 1),
				},
			},
			{
				// Adding one email closes that user; dropping one reopens it (reopen_on_destroy).
				Config: closedUsersConfig(emu, []string{alexID}, []string{third}, true),
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, third, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Active"),
				},
			},
			{
				ResourceName:       "docusign_closed_users.wave",
				ImportState:        true,
				ImportStateId:      testSalesAccount + "/" + alexID,
				ImportStateCheck:   importedUserIDs(alexID),
				ImportStatePersist: false,
			},
		},
		CheckDestroy: emulatorcheck.CheckFunc(
			emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Active"),
			emulatorcheck.MembershipStatus(emu, testSalesAccount, third, "Active"),
		),
	})
}

func importedUserIDs(want string) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 || states[0].Attributes["user_ids.0"] != want || states[0].Attributes["account_id"] != testSalesAccount {
			return fmt.Errorf("imported state: %+v", states)
		}
		return nil
	}
}

func TestAccClosedUsers_badInput(t *testing.T) {
	emu := startEmulator(t)
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"neither list", `account_id = "` + testSalesAccount + `"`, wrapped(`Missing Attribute Configuration.*At least one of these attributes must be configured: \[user_ids,emails\]`)},
		{"malformed id", `user_ids = ["not-a-guid"]`, wrapped(`must be a DocuSign GUID`)},
		{"malformed email", `emails = ["nobody"]`, wrapped(`emails`)},
		{"unknown email", `account_id = "` + testSalesAccount + `"
  emails = ["nobody@opensam.example"]`, wrapped(`nobody@opensam.example`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfig() + "resource \"docusign_closed_users\" \"bad\" {\n  " + tc.body + "\n}\n",
					ExpectError: tc.want,
				}},
			})
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        closedUsersConfig(emu, []string{emu.userIDByEmail(t, leaverAlex)}, nil, false),
			ResourceName:  "docusign_closed_users.wave",
			ImportState:   true,
			ImportStateId: "not-an-account/x",
			ExpectError:   wrapped(`Expected <account_id>/<user_id>\[,<user_id>...\]`),
		}},
	})
}
