// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// The emulator's behaviour switches each turn on the stricter reading of a DocuSign behaviour its
// documentation leaves uncertain. The tests here run the provider under one switch at a time, and
// re-run the leaver, user and license scenarios with every switch on.

// fixtureBehaviour holds, per running test, the behaviour its emulator starts with.
var fixtureBehaviour sync.Map // *testing.T → emulator.Behaviour

// withBehaviour makes every emulator that test t starts use b, with the fixture's users dated
// long ago, so that "recently modified" filters see what they would see on a real, older org.
// A scenario that asks for one switch inside a run with every switch on keeps them all on.
func withBehaviour(t *testing.T, b emulator.Behaviour) {
	if _, loaded := fixtureBehaviour.LoadOrStore(t, b); loaded {
		return
	}
	t.Cleanup(func() { fixtureBehaviour.Delete(t) })
}

// longAgo is when the fixture's users were created in behaviour runs: months before the
// membership dates of the demo organization, and well outside any 10-day window.
const longAgo = "2023-01-02T08:00:00Z"

// prepareFixture applies withBehaviour to a fixture that startEmulator loaded.
func prepareFixture(t *testing.T, f *emulator.Fixture) {
	v, ok := fixtureBehaviour.Load(t)
	if !ok {
		return
	}
	b, ok := v.(emulator.Behaviour)
	if !ok {
		panic(fmt.Sprintf("behaviour %T is not an emulator.Behaviour", v))
	}
	f.Behaviour = &b
	for i := range f.Users {
		if f.Users[i].Created == "" {
			f.Users[i].Created = longAgo
		}
	}
}

// runStrict runs scenario tests as subtests with every behaviour switch on.
func runStrict(t *testing.T, scenarios map[string]func(*testing.T)) {
	for name, scenario := range scenarios {
		t.Run(name, func(t *testing.T) {
			withBehaviour(t, emulator.StrictBehaviour())
			scenario(t)
		})
	}
}

// --- one switch at a time ---------------------------------------------------------------------

// users_list_hides_closed: closing a user who is already closed, by email, still succeeds (in
// one resource and in a bulk resource), and refresh still sees the closed users.
func TestAccBehaviour_usersListHidesClosed(t *testing.T) {
	withBehaviour(t, emulator.Behaviour{UsersListHidesClosed: true})
	emu := startEmulator(t)
	const casey = "casey.closed@opensam.example" // Closed in Sales since the fixture was loaded
	caseyID := emu.userIDByEmail(t, casey)
	jamieID := emu.userIDByEmail(t, leaverJamie)
	if err := emu.SetMembershipStatus(jamieID, testLegalAccount, "Closed"); err != nil {
		t.Fatal(err)
	}
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_user" "casey" {
  account_id = %q
  email      = %q
}

resource "docusign_closed_users" "wave" {
  account_id = %q
  emails     = [%q, %q]
}

resource "docusign_closed_user" "jamie_legal" {
  account_id = %q
  email      = %q
}
`, testSalesAccount, casey, testSalesAccount, "CASEY.closed@opensam.example", leaverAlex, testLegalAccount, leaverJamie)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_closed_user.casey", tfjsonpath.New("user_id"), knownvalue.StringExact(caseyID)),
					statecheck.ExpectKnownValue("docusign_closed_user.jamie_legal", tfjsonpath.New("user_id"), knownvalue.StringExact(jamieID)),
					statecheck.ExpectKnownValue("docusign_closed_users.wave", tfjsonpath.New("email_user_ids").AtMapKey("CASEY.closed@opensam.example"),
						knownvalue.StringExact(caseyID)),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, casey, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverJamie, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Active"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
				},
			},
			{
				// Refresh finds every closed user although the plain listing hides them.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:                         "docusign_closed_user.casey",
				ImportState:                          true,
				ImportStateId:                        testSalesAccount + "/" + casey,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
			},
		},
	})
}

// profile_email_recent_only: lookups by email in the organization find users whose last change
// is months old.
func TestAccBehaviour_profileEmailRecentOnly(t *testing.T) {
	withBehaviour(t, emulator.Behaviour{ProfileEmailRecentOnly: true})
	emu := startEmulator(t)
	mailbox := emu.userIDByEmail(t, "svc.contracts@opensam.example")
	alexID := emu.userIDByEmail(t, leaverAlex)
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_subscription_user_exclusion_rule" "mailbox" {
  profile_id = %q
  email      = "svc.contracts@opensam.example"
}

data "docusign_user" "alex" {
  organization_id = %q
  email           = %q
}

resource "docusign_organization_closed_user" "alex" {
  organization_id = %q
  email           = %q
}
`, testOrgID, testOrgID, leaverAlex, testOrgID, leaverAlex)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_subscription_user_exclusion_rule.mailbox", tfjsonpath.New("user_id"), knownvalue.StringExact(mailbox)),
					statecheck.ExpectKnownValue("data.docusign_user.alex", tfjsonpath.New("id"), knownvalue.StringExact(alexID)),
					statecheck.ExpectKnownValue("docusign_organization_closed_user.alex", tfjsonpath.New("user_id"), knownvalue.StringExact(alexID)),
					emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverAlex, "Closed"),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
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

// plan_items_object: the integration profile validates and the subscriptions report reads when
// planItems answers one object (here the organization's first plan) instead of an array.
func TestAccBehaviour_planItemsObject(t *testing.T) {
	withBehaviour(t, emulator.Behaviour{PlanItemsObject: true})
	emu := startEmulator(t)
	const ds = "data.docusign_subscriptions.all"
	config := emu.providerConfig() + profileConfig("main", testOrgID, "2024-01-31", 12, "") + `
data "docusign_subscriptions" "all" {
  organization_id = docusign_integration_profile.main.organization_id
  account_ids     = ["` + testSalesAccount + `"]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("docusign_integration_profile.main", tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("software_models"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"plan_id":         knownvalue.StringExact("a1b2c3d4-0001-4000-8000-00000000b001"),
						"subscription_id": knownvalue.StringExact("SUB-2024-0147"),
					}),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("subscriptions").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"account_id":              knownvalue.StringExact(testSalesAccount),
					"subscription_identifier": knownvalue.StringExact("eSignature Business Pro"),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("unrecognized_identifiers"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// --- every switch on --------------------------------------------------------------------------

func TestAccStrict_leaverScenarios(t *testing.T) {
	t.Parallel()
	runStrict(t, map[string]func(*testing.T){
		"closed_user_by_id":            TestAccClosedUser_byUserIDImportAndDrift,
		"closed_user_already_closed":   TestAccClosedUser_alreadyClosedByEmailAndReopenOnDestroy,
		"closed_user_leaver_set":       TestAccClosedUser_leaverSetChanges,
		"closed_user_bad_input":        TestAccClosedUser_badInput,
		"closed_users_wave":            TestAccClosedUsers_waveLifecycle,
		"closed_users_bad_input":       TestAccClosedUsers_badInput,
		"organization_closed_user":     TestAccOrganizationClosedUser_importDriftAndReopenOnDestroy,
		"offboarding_module":           TestAccOffboardingModule,
		"switch_users_list_hides":      TestAccBehaviour_usersListHidesClosed,
		"switch_profile_email_recency": TestAccBehaviour_profileEmailRecentOnly,
	})
}

func TestAccStrict_userScenarios(t *testing.T) {
	t.Parallel()
	runStrict(t, map[string]func(*testing.T){
		"user_lifecycle":           TestAccUser_lifecycle,
		"user_keep_on_destroy":     TestAccUser_keepOnDestroy,
		"user_existing_membership": TestAccUser_existingMembershipSaysHowToImport,
		"user_data_source":         TestAccUserDataSource,
		"user_data_source_missing": TestAccUserDataSource_notFound,
	})
}

func TestAccStrict_licenseScenarios(t *testing.T) {
	t.Parallel()
	runStrict(t, map[string]func(*testing.T){
		"integration_profile":      TestAccIntegrationProfile_validateImportUpdate,
		"user_exclusion_rules":     TestAccUserExclusionRule_byEmailAndID,
		"switch_plan_items":        TestAccBehaviour_planItemsObject,
		"subscriptions_first_plan": testAccStrictSubscriptions,
	})
}

// testAccStrictSubscriptions is the organization-wide subscriptions report with every switch on:
// planItems names only the first plan, so Legal's plan is reported as unrecognized, while seats
// and memberships still come in full.
func testAccStrictSubscriptions(t *testing.T) {
	emu := startEmulator(t)
	const ds = "data.docusign_subscriptions.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "all" {
  organization_id = %q
}
`, testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("accounts"), knownvalue.ListSizeExact(len(orgAccounts(t)))),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("software_models"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("unrecognized_identifiers"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("eSignature Enterprise Pro"), knownvalue.StringExact("eSignature Standard (Legacy)"),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("total"), knownvalue.Int64Exact(allSubs)),
			},
		}},
	})
}

// orgAccounts lists the demo organization's accounts as the fixture holds them.
func orgAccounts(t *testing.T) []string {
	t.Helper()
	f, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range f.Organizations {
		if o.ID == testOrgID {
			for _, a := range o.Accounts {
				ids = append(ids, a.ID)
			}
		}
	}
	return ids
}
