// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

const (
	routeOrganizations = "GET /Management/v2/organizations"
	routePlanItems     = "GET /Management/v2/organizations/{organizationId}/planItems"
	routeOrgUsers      = "GET /Management/v2/organizations/{organizationId}/users"
	routeGetAccount    = "GET /restapi/v2.1/accounts/{accountId}"
	routeEnvelopes     = "GET /restapi/v2.1/accounts/{accountId}/envelopes"
)

// textRe matches text as Terraform prints it, where long diagnostics wrap at any space.
func textRe(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

func profileConfig(name, orgID, start string, months int, extra string) string {
	return fmt.Sprintf(`
resource "docusign_integration_profile" %q {
  display_name          = "Opensam licenses"
  organization_id       = %q
  contract_start_date   = %q
  renewal_period_months = %d
  %s
}
`, name, orgID, start, months, extra)
}

// expectedCycle is the renewal cycle containing today, as the provider computes it.
func expectedCycle(t *testing.T, start string, months int) (string, string) {
	t.Helper()
	s, e := datafeed.Cycle(mustDate(t, start), months, time.Now().UTC())
	return datafeed.FormatDate(s), datafeed.FormatDate(e)
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := datafeed.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAccIntegrationProfile_validateImportUpdate(t *testing.T) {
	emu := startEmulator(t)
	monthStart, monthEnd := expectedCycle(t, "2024-01-31", 1)
	yearStart, yearEnd := expectedCycle(t, "2024-02-29", 12)
	oauthHost, _ := url.Parse(emu.OAuthBaseURL)
	addr := "docusign_integration_profile.main"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + profileConfig("main", testOrgID, "2024-01-31", 1, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(testOrgID)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("integration_type"), knownvalue.StringExact("organization")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("profile_type"), knownvalue.StringExact("DocuSign Subscription")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("connection_url"), knownvalue.StringExact(emu.AdminBaseURL)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("audience"), knownvalue.StringExact(oauthHost.Host)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("download_consumption"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("accounts"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"account_id": knownvalue.StringExact(testLabsAccount), "account_name": knownvalue.StringExact("Opensam Labs")}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"account_id": knownvalue.StringExact(testSalesAccount), "account_name": knownvalue.StringExact("Opensam Sales")}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"account_id": knownvalue.StringExact(testLegalAccount), "account_name": knownvalue.StringExact("Opensam Legal")}),
						// Listed by the Admin API although the admin holds no eSignature membership there.
						knownvalue.ObjectExact(map[string]knownvalue.Check{"account_id": knownvalue.StringExact(demoorg.PartnersAccount), "account_name": knownvalue.StringExact("Opensam Partners")}),
					})),
					// A contract that started on the 31st renews on the last day of shorter months.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("current_period_start"), knownvalue.StringExact(monthStart)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("current_period_end"), knownvalue.StringExact(monthEnd)),
					// Every validation step reached DocuSign.
					emulatorcheck.Calls(emu, map[string]int{routeOrganizations: emulatorcheck.AtLeastOnce, routePlanItems: emulatorcheck.AtLeastOnce, routeGetAccount: emulatorcheck.AtLeastOnce}),
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateId:     testOrgID,
				ImportStateVerify: true,
				// The contract terms live only in configuration.
				ImportStateVerifyIgnore: []string{"display_name", "contract_start_date", "renewal_period_months", "current_period_start", "current_period_end"},
			},
			{
				// A leap-day anchor renewed yearly, without the consumption check: an update in place
				// that never reads an account.
				PreConfig: emu.ResetStats,
				Config:    emu.providerConfig() + profileConfig("main", testOrgID, "2024-02-29", 12, "download_consumption = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					// The cycle is known at plan time, so data sources reading it plan with real values.
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("current_period_start"), knownvalue.StringExact(yearStart)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("current_period_start"), knownvalue.StringExact(yearStart)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("current_period_end"), knownvalue.StringExact(yearEnd)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("download_consumption"), knownvalue.Bool(false)),
					// One account read: the refresh before the plan still ran under download_consumption = true.
					emulatorcheck.Calls(emu, map[string]int{routeOrganizations: emulatorcheck.AtLeastOnce, routePlanItems: emulatorcheck.AtLeastOnce, routeGetAccount: 1}),
				},
			},
			{
				Config:           emu.providerConfig() + profileConfig("main", testOrgID, "2024-02-29", 12, "download_consumption = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccIntegrationProfile_planTimeValidation(t *testing.T) {
	emu := startEmulator(t)
	future := time.Now().UTC().AddDate(0, 2, 0).Format(time.DateOnly)
	cases := []struct {
		config string
		want   *regexp.Regexp
	}{
		{profileConfig("p", testOrgID, "2024-01-31", 0, ""), textRe("renewal_period_months value must be between 1 and 120")},
		{profileConfig("p", testOrgID, "2024-01-31", 121, ""), textRe("renewal_period_months value must be between 1 and 120")},
		{profileConfig("p", testOrgID, future, 12, ""), textRe("Contract Start Date In The Future")},
		{profileConfig("p", testOrgID, "2025-02-30", 12, ""), textRe("Invalid Date", "real calendar date")},
		{profileConfig("p", testOrgID, "31/01/2024", 12, ""), textRe("Invalid Date")},
		{profileConfig("p", "opensam-holdings", "2024-01-31", 12, ""), textRe("must be a DocuSign GUID")},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		steps[i] = resource.TestStep{Config: emu.providerConfig() + c.config, ExpectError: c.want, PlanOnly: true}
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
	if err := emulatorcheck.Calls(emu, map[string]int{routeOrganizations: 0}).Verify(); err != nil {
		t.Errorf("plan-time validation called DocuSign: %v", err)
	}
}

func TestAccIntegrationProfile_connectionSteps(t *testing.T) {
	emu := startEmulator(t)
	const otherOrg = "0e0e0e0e-1111-4222-8333-444444444444"
	notAdmin := emu.userIDByEmail(t, "not.admin@opensam.example")
	profile := profileConfig("p", testOrgID, "2024-01-31", 12, "")
	keyFile := testdataPath("keys", "rsa2048.pkcs1.key")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Step 1: no consent for this integration key.
				Config: emu.providerConfigBare(fmt.Sprintf(`integration_key = %q
  user_id = %q
  private_key_file = %q`, testUnconsentedKey, testAdminUserID, keyFile)) + profile,
				ExpectError: textRe("Unable to Validate DocuSign Integration Profile", "Step 1 of 5 (access token)", "consent"),
			},
			{
				// Step 2: the impersonated user has no account in that organization.
				Config:      emu.providerConfig() + profileConfig("p", otherOrg, "2024-01-31", 12, ""),
				ExpectError: textRe("Unable to Validate DocuSign Integration Profile", "Step 2 of 5 (account in the organization)", "organization_id"),
			},
			{
				// Step 3: a consented user who is not an organization administrator.
				Config: emu.providerConfigBare(fmt.Sprintf(`integration_key = %q
  user_id = %q
  private_key_file = %q`, testIntegrationKey, notAdmin, keyFile)) + profile,
				ExpectError: textRe("Step 3 of 5 (organization administrator)", "must be an administrator of this DocuSign organization"),
			},
			{
				// Step 3: the token lacks the Admin API scope.
				Config:      emu.providerConfig(`scopes = "signature impersonation"`) + profile,
				ExpectError: textRe("Step 3 of 5 (organization administrator)", "organization_read"),
			},
			{
				// Step 4: organization read, but no plan items scope (the subscriptions download).
				Config:      emu.providerConfig(`scopes = "signature impersonation organization_read user_read"`) + profile,
				ExpectError: textRe("Step 4 of 5 (plan items)", "organization_sub_account_read"),
			},
			{
				// With the consumption step off, the profile needs 4 steps; with everything granted it passes.
				Config: emu.providerConfig() + profileConfig("p", testOrgID, "2024-01-31", 12, "download_consumption = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_integration_profile.p", tfjsonpath.New("id"), knownvalue.StringExact(testOrgID)),
				},
			},
		},
	})
}

// An organization the impersonated user can no longer reach is removed from state on refresh.
func TestAccIntegrationProfile_unreachableOrgRemoved(t *testing.T) {
	emu := startEmulator(t)
	const goneOrg = "0a0a0a0a-2222-4333-8444-555555555555"
	const goneAccount = "0b0b0b0b-2222-4333-8444-555555555555"
	err := emu.MergeFixture(&emulator.Fixture{
		Organizations: []emulator.Organization{{
			ID: goneOrg, Name: "Acquired Co", AdminUserIDs: []string{testAdminUserID},
			Accounts: []emulator.Account{{ID: goneAccount, Name: "Acquired", PlanName: "eSignature Business Pro", SeatsAllowed: 5, EnvelopesAllowed: 50}},
		}},
		Users: []emulator.User{{ID: testAdminUserID, Email: "admin@opensam.example",
			Memberships: []emulator.Membership{{AccountID: goneAccount, Status: "Active", IsAdmin: true}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	config := emu.providerConfig() + profileConfig("gone", goneOrg, "2025-06-30", 12, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_integration_profile.gone", tfjsonpath.New("id"), knownvalue.StringExact(goneOrg)),
				},
			},
			{
				PreConfig: func() {
					if err := emu.SetMembershipStatus(testAdminUserID, goneAccount, "Closed"); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources["docusign_integration_profile.gone"]; ok {
						return fmt.Errorf("the profile of an unreachable organization is still in state")
					}
					return nil
				},
			},
		},
	})
}
