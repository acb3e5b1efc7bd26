// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// eSignatureOnlyAdmin administers the Sales account and consented to signature and
// impersonation only, as an account-level offboarding setup would.
const eSignatureOnlyAdmin = "7000bbbb-0000-4000-8000-00000000000b"

func (e *testEmulator) addESignatureOnlyAdmin(t *testing.T) {
	t.Helper()
	if err := e.MergeFixture(&emulator.Fixture{
		IntegrationKeys: []emulator.IntegrationKey{{ID: testIntegrationKey, Consents: []emulator.Consent{
			{UserID: eSignatureOnlyAdmin, Scopes: []string{"signature", "impersonation"}}}}},
		Users: []emulator.User{{ID: eSignatureOnlyAdmin, Email: "esign.admin@opensam.example", Memberships: []emulator.Membership{
			{AccountID: testSalesAccount, Status: "Active", IsAdmin: true, PermissionProfileName: "DS Admin"}}}},
	}); err != nil {
		t.Fatal(err)
	}
}

func (e *testEmulator) providerAs(userID string, extra ...string) string {
	return e.providerConfigBare(append([]string{
		fmt.Sprintf("integration_key = %q", testIntegrationKey), fmt.Sprintf("user_id = %q", userID),
		fmt.Sprintf("private_key_file = %q", demoorg.KeyPath()),
	}, extra...)...)
}

// Consent is per scope. A user who consented to signature and impersonation only can close
// users in an account with the default provider block: the provider asks for no Admin scope it
// does not use. An organization feature then asks for user_read, and the diagnostic's consent URL
// names exactly the scopes that grant asked for.
func TestAccScopes_onlyWhatCallsNeed(t *testing.T) {
	emu := startEmulator(t)
	emu.addESignatureOnlyAdmin(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerAs(eSignatureOnlyAdmin) + fmt.Sprintf(`
resource "docusign_closed_user" "alex" {
  account_id = %q
  email      = %q
}
`, testSalesAccount, leaverAlex),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("email"), knownvalue.StringExact(leaverAlex)),
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
				},
			},
			{
				Config: emu.providerAs(eSignatureOnlyAdmin) + fmt.Sprintf(`
resource "docusign_closed_user" "alex" {
  account_id = %q
  email      = %q
}

data "docusign_user" "jamie" {
  organization_id = %q
  email           = %q
}
`, testSalesAccount, leaverAlex, testOrgID, leaverJamie),
				ExpectError: wrapped(`consent_required\); open \S+/oauth/auth\?client_id=` + testIntegrationKey +
					`&redirect_uri=\S+&response_type=code&scope=signature%20impersonation%20user_read as the impersonated user`),
			},
		},
	})
}

// A configured scopes attribute pins every grant: asking for an Admin scope the user never
// consented to fails even for an account-level closure.
func TestAccScopes_configuredScopesArePinned(t *testing.T) {
	emu := startEmulator(t)
	emu.addESignatureOnlyAdmin(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerAs(eSignatureOnlyAdmin, `scopes = "signature impersonation user_write"`) + fmt.Sprintf(`
resource "docusign_closed_user" "alex" {
  account_id = %q
  email      = %q
}
`, testSalesAccount, leaverAlex),
			ExpectError: wrapped(`consent_required\).*scope=signature%20impersonation%20user_write as the impersonated user`),
		}},
	})
	if err := emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Active").Verify(); err != nil {
		t.Errorf("after a refused grant: %v", err)
	}
}
