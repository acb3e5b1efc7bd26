// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// Trust but verify: a close counts only when DocuSign's answer says so, and an error body under
// a 200 is an error. The emulator's tampers rewrite its answers the way a broken or hostile system
// in front of DocuSign could.

const (
	routeCloseUsers       = "DELETE /restapi/v2.1/accounts/{accountId}/users"
	routeCloseMemberships = "DELETE /Management/v2/organizations/{organizationId}/users/{userId}/accounts"
	routeProfileByID      = "GET /Management/v2.1/organizations/{organizationId}/users/{userId}/dsprofile"
	unknownUserID         = "00000000-0000-4000-8000-00000000dead"
)

// startUncheckedEmulator is startEmulator without the contract recorder: a tampered answer (an
// error object under 200) breaks DocuSign's contract on purpose.
func startUncheckedEmulator(t *testing.T) *testEmulator {
	t.Helper()
	fixture, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(fixture, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &testEmulator{Server: srv}
}

func (e *testEmulator) tamper(t *testing.T, tampers ...emulator.Tamper) func() {
	return func() {
		if err := e.SetTampers(tampers...); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAccTrust_closedUserUnconfirmedClose(t *testing.T) {
	cases := map[string]struct {
		tamper func(userID string) emulator.Tamper
		want   string
	}{
		"still active": {
			func(id string) emulator.Tamper {
				return emulator.Tamper{Route: routeCloseUsers, UserStatus: map[string]string{id: "Active"}}
			},
			`Unable to Close User.*status "Active", not Closed`,
		},
		"left out": {
			func(id string) emulator.Tamper {
				return emulator.Tamper{Route: routeCloseUsers, DropUsers: []string{id}}
			},
			`Unable to Close User.*did not list user`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			emu := startEmulator(t)
			config, alexID := emu.closedAlexByID(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig:   emu.tamper(t, tc.tamper(alexID)),
						Config:      config,
						ExpectError: wrapped(tc.want),
					},
					{
						// The failed close left nothing in state, so this apply closes Alex again,
						// now that DocuSign's answers are honest.
						PreConfig: emu.tamper(t),
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("docusign_closed_user.alex", plancheck.ResourceActionCreate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
						},
					},
				},
			})
		})
	}
}

func TestAccTrust_closedUsersUnconfirmedClose(t *testing.T) {
	emu := startEmulator(t)
	jamieID := emu.userIDByEmail(t, leaverJamie)
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_users" "wave" {
  account_id = %q
  emails     = [%q, %q]
}
`, testSalesAccount, leaverAlex, leaverJamie)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   emu.tamper(t, emulator.Tamper{Route: routeCloseUsers, UserStatus: map[string]string{jamieID: "ActivationSent"}}),
				Config:      config,
				ExpectError: wrapped(`Unable to Close Users.*did not close 1 of 2 users.*` + jamieID + `.*status "ActivationSent"`),
			},
			{
				PreConfig: emu.tamper(t),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_closed_users.wave", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Closed"),
				},
			},
		},
	})
}

// The Admin close answer's list is ambiguous (closed accounts, or failed ones), so an account it
// does not confirm is checked with one read of the user's memberships.
func TestAccTrust_organizationClosedUserUnconfirmedClose(t *testing.T) {
	emu := startEmulator(t)
	email, accounts := emu.multiAccountUser(t)
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_organization_closed_user" "morgan" {
  organization_id = %q
  email           = %q
}
`, testOrgID, email)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// DocuSign answers success, lists no account, and closes nothing.
				PreConfig: emu.tamper(t, emulator.Tamper{Route: routeCloseMemberships, SkipWork: true,
					Body: []byte(`{"success":true,"accounts":[]}`)}),
				Config:      config,
				ExpectError: wrapped(`Unable to Close User.*did not confirm closing user.*not_confirmed.*membership's status is still "active"`),
			},
			{
				// The answer leaves the accounts out but DocuSign did close them: the read-back
				// confirms it, and the close counts.
				PreConfig: func() {
					emu.tamper(t, emulator.Tamper{Route: routeCloseMemberships, DropAccounts: accounts})()
					emu.ResetStats()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_organization_closed_user.morgan", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: append(closedIn(emu, email, accounts),
					// The unconfirmed close was read back.
					emulatorcheck.Calls(emu, map[string]int{routeProfileByID: emulatorcheck.AtLeastOnce})),
			},
		},
	})
}

// A 200 whose body is an error object is an error: before, consumption read it as an account
// with 0 envelopes sent and no limit.
func TestAccTrust_consumptionErrorBodyUnder200(t *testing.T) {
	emu := startUncheckedEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.tamper(t, emulator.Tamper{Route: routeGetAccount,
				Body: []byte(`{"errorCode":"ACCOUNT_LACKS_PERMISSIONS","message":"This account lacks sufficient permissions."}`)}),
			Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_consumption" "now" {
  organization_id = %q
  account_ids     = [%q]
}
`, testOrgID, testSalesAccount),
			ExpectError: wrapped(`answered 200 ACCOUNT_LACKS_PERMISSIONS`),
		}},
	})
}

// --- batch_close_all_or_nothing ---------------------------------------------------------------

// closedUserWave is one docusign_closed_user block per user ID (the testing framework's state
// shim cannot read for_each keys); terraform creates them in parallel and the provider batches
// their closes.
func closedUserWave(ids map[string]string) string {
	var b strings.Builder
	for name, id := range ids {
		fmt.Fprintf(&b, "resource \"docusign_closed_user\" %q {\n  account_id = %q\n  user_id    = %q\n}\n", name, testSalesAccount, id)
	}
	return b.String()
}

var waveEmails = map[string]string{
	"priya": "priya.shah@opensam.example", "tom": "tom.becker@opensam.example",
	"lena": "lena.fischer@opensam.example", "sam": "sam.okafor@opensam.example",
}

// closedIn checks that the user's membership in each account is closed.
func closedIn(emu *testEmulator, who string, accounts []string) []statecheck.StateCheck {
	var checks []statecheck.StateCheck
	for _, a := range accounts {
		checks = append(checks, emulatorcheck.MembershipStatus(emu, a, who, "Closed"))
	}
	return checks
}

func TestAccClosedUser_batchWithOneUnknownUser(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch_close_all_or_nothing=%v", strict), func(t *testing.T) {
			emu := startEmulator(t)
			emu.SetBehaviour(emulator.Behaviour{BatchCloseAllOrNothing: strict})
			valid := map[string]string{}
			for name, email := range waveEmails {
				valid[name] = emu.userIDByEmail(t, email)
			}
			withBad := map[string]string{"typo": unknownUserID}
			for k, v := range valid {
				withBad[k] = v
			}
			var noChange []plancheck.PlanCheck
			for name := range valid {
				noChange = append(noChange, plancheck.ExpectResourceAction("docusign_closed_user."+name, plancheck.ResourceActionNoop))
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      emu.providerConfig() + closedUserWave(withBad),
						ExpectError: wrapped(`Unable to Close User.*has no user ` + unknownUserID + `.*Check user_id`),
					},
					{
						// The valid users were closed and saved despite the bad one: nothing to do.
						Config:            emu.providerConfig() + closedUserWave(valid),
						ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: noChange},
						ConfigStateChecks: []statecheck.StateCheck{emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, slices.Collect(maps.Values(valid))...)},
					},
				},
			})
			calls := emu.Stats().Requests[routeCloseUsers]
			if !strict && calls >= len(withBad) {
				t.Errorf("%d closes took %d calls: they did not share a batch", len(withBad), calls)
			}
			if strict && calls < 2 {
				t.Errorf("the strict emulator refused the batch, yet only %d close call was made", calls)
			}
		})
	}
}

func TestAccClosedUsers_oneUnknownUser(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch_close_all_or_nothing=%v", strict), func(t *testing.T) {
			emu := startEmulator(t)
			emu.SetBehaviour(emulator.Behaviour{BatchCloseAllOrNothing: strict})
			var userIDs, ids []string
			for _, email := range waveEmails {
				userIDs = append(userIDs, emu.userIDByEmail(t, email))
				ids = append(ids, fmt.Sprintf("%q", userIDs[len(userIDs)-1]))
			}
			config := func(extra ...string) string {
				return emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_users" "wave" {
  account_id = %q
  user_ids   = [%s]
}
`, testSalesAccount, strings.Join(append(append([]string(nil), ids...), extra...), ", "))
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      config(fmt.Sprintf("%q", unknownUserID)),
						ExpectError: wrapped(`did not close 1 of 5 users.*` + unknownUserID + `.*USER_DOES_NOT_EXIST_IN_SYSTEM`),
					},
					{
						Config:            config(),
						ConfigStateChecks: []statecheck.StateCheck{emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, userIDs...)},
					},
				},
			})
		})
	}
}

// --- the provider's own user -------------------------------------------------------------------

func TestAccClosedUser_refusesTheImpersonatedUser(t *testing.T) {
	emu := startEmulator(t)
	const adminEmail = "admin@opensam.example"
	cases := map[string]struct{ config, want string }{
		"closed_user by user_id": {fmt.Sprintf(`
resource "docusign_closed_user" "me" {
  account_id = %q
  user_id    = %q
}`, testSalesAccount, testAdminUserID), `Cannot Close the Provider's Own User.*` + testAdminUserID + `.*lock the provider out`},
		"closed_user by email": {fmt.Sprintf(`
resource "docusign_closed_user" "me" {
  account_id = %q
  email      = %q
}`, testSalesAccount, adminEmail), `Cannot Close the Provider's Own User.*whose email is ` + adminEmail},
		"closed_users by user_id": {fmt.Sprintf(`
resource "docusign_closed_users" "me" {
  account_id = %q
  user_ids   = [%q]
}`, testSalesAccount, testAdminUserID), `Cannot Close the Provider's Own User.*` + testAdminUserID},
		"closed_users by email": {fmt.Sprintf(`
resource "docusign_closed_users" "me" {
  account_id = %q
  emails     = [%q, %q]
}`, testSalesAccount, leaverAlex, adminEmail), `Cannot Close the Provider's Own User.*whose email is ` + adminEmail},
		"organization_closed_user by user_id": {fmt.Sprintf(`
resource "docusign_organization_closed_user" "me" {
  organization_id = %q
  user_id         = %q
}`, testOrgID, testAdminUserID), `Cannot Close the Provider's Own User.*` + testAdminUserID},
		"organization_closed_user by email": {fmt.Sprintf(`
resource "docusign_organization_closed_user" "me" {
  organization_id = %q
  email           = %q
}`, testOrgID, adminEmail), `Cannot Close the Provider's Own User.*whose email is ` + adminEmail},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfig() + tc.config,
					ExpectError: wrapped(tc.want),
				}},
			})
		})
	}
	// No close reached DocuSign, and the impersonated admin is active everywhere.
	if err := emulatorcheck.Verify(
		emulatorcheck.Calls(emu, map[string]int{routeCloseUsers: 0, routeCloseMemberships: 0}),
		emulatorcheck.EveryMembership(emu, testAdminUserID, "Active"),
	); err != nil {
		t.Error(err)
	}
}

// A user_id is known at plan time, so the refusal comes from the plan, before any apply.
func TestAccClosedUser_refusesTheImpersonatedUserAtPlan(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_user" "me" {
  account_id = %q
  user_id    = %q
}`, testSalesAccount, testAdminUserID),
			PlanOnly:    true,
			ExpectError: wrapped(`Cannot Close the Provider's Own User`),
		}},
	})
}

// --- importing a user who is not closed --------------------------------------------------------

func TestAccClosedUser_importUserWhoIsNotClosed(t *testing.T) {
	emu := startEmulator(t)
	tomID := emu.userIDByEmail(t, "tom.becker@opensam.example")
	email, _ := emu.multiAccountUser(t)
	cases := []struct {
		name, config, address, id, want string
	}{
		{"closed_user by user_id", fmt.Sprintf(`
resource "docusign_closed_user" "tom" {
  account_id = %q
  user_id    = %q
}`, testSalesAccount, tomID), "docusign_closed_user.tom", testSalesAccount + "/" + tomID,
			`Cannot Import User Who Is Not Closed.*user ` + tomID + ` in account ` + testSalesAccount + `.*status "Active".*do not import: declare the resource and apply`},
		{"closed_user by email", fmt.Sprintf(`
resource "docusign_closed_user" "tom" {
  account_id = %q
  email      = "tom.becker@opensam.example"
}`, testSalesAccount), "docusign_closed_user.tom", testSalesAccount + "/tom.becker@opensam.example",
			`Cannot Import User Who Is Not Closed.*status "Active"`},
		{"closed_user that does not exist", fmt.Sprintf(`
resource "docusign_closed_user" "tom" {
  account_id = %q
  user_id    = %q
}`, testSalesAccount, unknownUserID), "docusign_closed_user.tom", testSalesAccount + "/" + unknownUserID,
			`Cannot Import Closed User.*has no user ` + unknownUserID},
		{"closed_user by a shared email", fmt.Sprintf(`
resource "docusign_closed_user" "shared" {
  account_id = %q
  email      = "shared.inbox@opensam.example"
}`, testLegalAccount), "docusign_closed_user.shared", testLegalAccount + "/shared.inbox@opensam.example",
			`Cannot Import Closed User.*2 users matching.*import by user ID instead`},
		{"organization_closed_user", fmt.Sprintf(`
resource "docusign_organization_closed_user" "morgan" {
  organization_id = %q
  email           = %q
}`, testOrgID, email), "docusign_organization_closed_user.morgan", testOrgID + "/" + email,
			`Cannot Import User Who Is Not Closed.*membership status "active" in account`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:        emu.providerConfig() + tc.config,
					ResourceName:  tc.address,
					ImportState:   true,
					ImportStateId: tc.id,
					ExpectError:   wrapped(tc.want),
				}},
			})
		})
	}
	if err := emulatorcheck.Calls(emu, map[string]int{routeCloseUsers: 0, routeCloseMemberships: 0}).Verify(); err != nil {
		t.Errorf("importing closed someone: %v", err)
	}
}
