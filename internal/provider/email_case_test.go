// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

// Emails name users ignoring letter case, as DocuSign compares them. Each resource and data source
// that takes an email is tested both ways round: DocuSign holds the address in lower case and the
// configuration spells it in mixed case, and the reverse. Each keeps the configured spelling in
// state, does the work (the emulator shows the user closed or looked up), and the next plan is
// empty: no "inconsistent result", no replacement.

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

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// emailCase is a user whom DocuSign holds under stored, and whom the configuration names as
// configured: the same address in another letter case.
type emailCase struct {
	name, stored, configured, userID string
}

// emailCaseUsers adds two active users with memberships in the Sales and Legal accounts: one
// DocuSign stores in lower case (configured in mixed case), one it stores in mixed case
// (configured in lower case).
func (e *testEmulator) emailCaseUsers(t *testing.T) []emailCase {
	t.Helper()
	cases := []emailCase{
		{name: "lower_stored", stored: "rosa.lind@opensam.example", configured: "Rosa.Lind@OpenSam.example",
			userID: "ca5e0000-0000-4000-8000-000000000001"},
		{name: "mixed_stored", stored: "Mixed.Case@OpenSam.example", configured: "mixed.case@opensam.example",
			userID: "ca5e0000-0000-4000-8000-000000000002"},
	}
	f := &emulator.Fixture{}
	for _, c := range cases {
		f.Users = append(f.Users, emulator.User{
			ID: c.userID, Email: c.stored, UserName: "Case " + c.name,
			Memberships: []emulator.Membership{{AccountID: testSalesAccount, Status: "Active"}, {AccountID: testLegalAccount, Status: "Active"}},
		})
	}
	if err := e.MergeFixture(f); err != nil {
		t.Fatal(err)
	}
	return cases
}

// storedEmails checks that DocuSign still holds each address as it did: closing or looking
// someone up never rewrites their email.
func storedEmails(emu *testEmulator, cases []emailCase) []statecheck.StateCheck {
	var checks []statecheck.StateCheck
	for _, c := range cases {
		checks = append(checks, emulatorcheck.StoredEmail(emu, c.userID, c.stored))
	}
	return checks
}

// eachEmailFilterReading runs test under both readings of eSignature's email filter, which the
// spec leaves open: ignoring letter case (the emulator's default) and matching only the spelling
// DocuSign stored (users_email_filter_exact_case). Under the second the filter finds nobody, and
// the provider's walk of the account's listing must find the same user.
func eachEmailFilterReading(t *testing.T, test func(*testing.T)) {
	for _, exact := range []bool{false, true} {
		t.Run(map[bool]string{false: "filter_ignores_case", true: "filter_exact_case"}[exact], func(t *testing.T) {
			if exact {
				withBehaviour(t, emulator.Behaviour{UsersEmailFilterExactCase: true})
			}
			test(t)
		})
	}
}

// emailCaseSteps is apply, then a plan that must be empty.
func emailCaseSteps(config string, stateChecks []statecheck.StateCheck) []resource.TestStep {
	return []resource.TestStep{
		{Config: config, ConfigStateChecks: stateChecks},
		{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		{Config: config, PlanOnly: true},
	}
}

func TestAccEmailCase_closedUser(t *testing.T) { eachEmailFilterReading(t, testEmailCaseClosedUser) }

func testEmailCaseClosedUser(t *testing.T) {
	emu := startEmulator(t)
	cases := emu.emailCaseUsers(t)
	config := emu.providerConfig()
	stateChecks := storedEmails(emu, cases)
	for _, c := range cases {
		config += fmt.Sprintf(`
resource "docusign_closed_user" %q {
  account_id = %q
  email      = %q
}
`, c.name, testSalesAccount, c.configured)
		addr := "docusign_closed_user." + c.name
		stateChecks = append(stateChecks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(c.configured)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.StringExact(c.userID)),
			emulatorcheck.MembershipStatus(emu, testSalesAccount, c.userID, "Closed"),
			emulatorcheck.MembershipStatus(emu, testLegalAccount, c.userID, "Active"))
	}
	steps := emailCaseSteps(config, stateChecks)
	// Import by the other spelling finds the same user.
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			ResourceName: "docusign_closed_user." + c.name, ImportState: true,
			ImportStateId: testSalesAccount + "/" + strings.ToUpper(c.stored),
			ImportStateCheck: expectImportedAttributes(map[string]string{
				"user_id": c.userID, "email": strings.ToUpper(c.stored), "account_id": testSalesAccount,
			}),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

func TestAccEmailCase_organizationClosedUser(t *testing.T) {
	emu := startEmulator(t)
	cases := emu.emailCaseUsers(t)
	config := emu.providerConfig()
	stateChecks := storedEmails(emu, cases)
	for _, c := range cases {
		config += fmt.Sprintf(`
resource "docusign_organization_closed_user" %q {
  organization_id = %q
  email           = %q
}
`, c.name, testOrgID, c.configured)
		addr := "docusign_organization_closed_user." + c.name
		stateChecks = append(stateChecks,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("email"), knownvalue.StringExact(c.configured)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_id"), knownvalue.StringExact(c.userID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("closed_account_ids"), knownvalue.SetSizeExact(2)),
			emulatorcheck.MembershipStatus(emu, testSalesAccount, c.userID, "Closed"),
			emulatorcheck.MembershipStatus(emu, testLegalAccount, c.userID, "Closed"))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    emailCaseSteps(config, stateChecks),
	})
}

func TestAccEmailCase_closedUsers(t *testing.T) { eachEmailFilterReading(t, testEmailCaseClosedUsers) }

func testEmailCaseClosedUsers(t *testing.T) {
	emu := startEmulator(t)
	cases := emu.emailCaseUsers(t)
	emails := []string{cases[0].configured, cases[1].configured}
	stateChecks := append(storedEmails(emu, cases),
		statecheck.ExpectKnownValue("docusign_closed_users.wave", tfjsonpath.New("emails"),
			knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emails[0]), knownvalue.StringExact(emails[1])})))
	for _, c := range cases {
		stateChecks = append(stateChecks, statecheck.ExpectKnownValue("docusign_closed_users.wave",
			tfjsonpath.New("email_user_ids").AtMapKey(c.configured), knownvalue.StringExact(c.userID)),
			emulatorcheck.MembershipStatus(emu, testSalesAccount, c.userID, "Closed"))
	}
	steps := emailCaseSteps(closedUsersConfig(emu, nil, emails, false), stateChecks)
	// Respelling an email in the configuration is an in-place update that keeps the user closed
	// and closes nobody twice.
	respelled := []string{cases[0].stored, cases[1].configured}
	steps = append(steps, resource.TestStep{
		Config: closedUsersConfig(emu, nil, respelled, false),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction("docusign_closed_users.wave", plancheck.ResourceActionUpdate),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("docusign_closed_users.wave",
				tfjsonpath.New("email_user_ids").AtMapKey(cases[0].stored), knownvalue.StringExact(cases[0].userID)),
			emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, cases[0].userID, cases[1].userID),
		},
	}, resource.TestStep{Config: closedUsersConfig(emu, nil, respelled, false), PlanOnly: true})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

func TestAccEmailCase_userExclusionRule(t *testing.T) {
	eachEmailFilterReading(t, testEmailCaseUserExclusionRule)
}

func testEmailCaseUserExclusionRule(t *testing.T) {
	emu := startEmulator(t)
	cases := emu.emailCaseUsers(t)
	const r = "docusign_subscription_user_exclusion_rule."
	config := emu.providerConfig()
	stateChecks := storedEmails(emu, cases)
	for _, c := range cases {
		config += userRule(c.name, fmt.Sprintf("email = %q", c.configured))
		stateChecks = append(stateChecks,
			statecheck.ExpectKnownValue(r+c.name, tfjsonpath.New("email"), knownvalue.StringExact(c.configured)),
			statecheck.ExpectKnownValue(r+c.name, tfjsonpath.New("user_id"), knownvalue.StringExact(c.userID)))
	}
	// Both users hold two memberships each; the rules exclude all four.
	config += fmt.Sprintf(`
data "docusign_subscriptions" "all" {
  organization_id = %q
  exclusion_rules = [%[2]s%[3]s.rule, %[2]s%[4]s.rule]
}
`, testOrgID, r, cases[0].name, cases[1].name)
	stateChecks = append(stateChecks,
		statecheck.ExpectKnownValue("data.docusign_subscriptions.all", tfjsonpath.New("excluded_count"), knownvalue.Int64Exact(4)))
	steps := emailCaseSteps(config, stateChecks)
	// Respelling the email updates the rule in place; it still excludes the same user.
	respelled := strings.Replace(config, cases[0].configured, cases[0].stored, 1)
	steps = append(steps, resource.TestStep{
		Config: respelled,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(r+cases[0].name, plancheck.ResourceActionUpdate),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(r+cases[0].name, tfjsonpath.New("email"), knownvalue.StringExact(cases[0].stored)),
			statecheck.ExpectKnownValue(r+cases[0].name, tfjsonpath.New("user_id"), knownvalue.StringExact(cases[0].userID)),
		},
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

func TestAccEmailCase_userDataSource(t *testing.T) {
	eachEmailFilterReading(t, testEmailCaseUserDataSource)
}

func testEmailCaseUserDataSource(t *testing.T) {
	emu := startEmulator(t)
	cases := emu.emailCaseUsers(t)
	config := emu.providerConfig()
	stateChecks := storedEmails(emu, cases)
	for _, c := range cases {
		config += fmt.Sprintf(`
data "docusign_user" "%[1]s_account" {
  account_id = %[2]q
  email      = %[3]q
}

data "docusign_user" "%[1]s_org" {
  organization_id = %[4]q
  email           = %[3]q
}
`, c.name, testSalesAccount, c.configured, testOrgID)
		for _, ds := range []string{"data.docusign_user." + c.name + "_account", "data.docusign_user." + c.name + "_org"} {
			stateChecks = append(stateChecks,
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("email"), knownvalue.StringExact(c.configured)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact(c.userID)))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    emailCaseSteps(config, stateChecks),
	})
}

// Surrounding whitespace is refused at plan time, before any call, by every attribute that takes
// an email, and the message shows it.
func TestAccEmailCase_surroundingWhitespace(t *testing.T) {
	emu := startEmulator(t)
	shown := regexp.MustCompile(`(?s)Email Address With Surrounding Whitespace.*" alex\.leaver@opensam\.example\\n"`)
	const email = " alex.leaver@opensam.example\n"
	var steps []resource.TestStep
	for _, body := range []string{
		fmt.Sprintf("resource \"docusign_closed_user\" \"x\" {\n  email = %q\n}\n", email),
		fmt.Sprintf("resource \"docusign_organization_closed_user\" \"x\" {\n  organization_id = %q\n  email = %q\n}\n", testOrgID, email),
		fmt.Sprintf("resource \"docusign_closed_users\" \"x\" {\n  emails = [%q]\n}\n", email),
		userRule("x", fmt.Sprintf("email = %q", email)),
		fmt.Sprintf("data \"docusign_user\" \"x\" {\n  email = %q\n}\n", email),
	} {
		steps = append(steps, resource.TestStep{Config: emu.providerConfig() + body, PlanOnly: true, ExpectError: shown})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps:                    steps,
		// Plan-time validation makes no DocuSign call.
		CheckDestroy: emulatorcheck.CheckFunc(emulatorcheck.TotalCallsAtMost(emu, 0)),
	})
}

func expectImportedAttributes(want map[string]string) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("imported %d instances, want 1", len(states))
		}
		for k, v := range want {
			if got := states[0].Attributes[k]; got != v {
				return fmt.Errorf("imported %s = %q, want %q", k, got, v)
			}
		}
		return nil
	}
}
