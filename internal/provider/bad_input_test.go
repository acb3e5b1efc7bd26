// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

// Bad input: each case asserts the diagnostic's summary, the attribute it names and the fix it
// gives. Cases that a validator can catch run as PlanOnly steps, so they prove the error comes at
// plan time, before any DocuSign call.
//
// The provider's bad-input cases: this table adds to the ones that already live elsewhere, without
// repeating them:
//
//	provider_keys_test.go TestAccProvider_configDiagnostics: keystore wrong password (.p12), wrong
//	  JKS key password, alias not found, several aliases, EC PEM key, 1024-bit key, certificate PEM
//	  file in place of a key, missing PEM file, corrupt .jks, user_id not a GUID (HCL), bad
//	  environment, key not registered (PEM file, no_valid_keys_or_signatures), consent_required
//	  (data source, client_id in the URL), unknown integration key, user not found.
//	resource_closed_user_test.go TestAccClosedUser_badInput: both user_id and email, neither,
//	  user_id not a GUID, malformed email, account_id not a GUID, organization_id (which belongs to
//	  docusign_organization_closed_user), email matching no user, unknown user_id.
//	resource_organization_closed_user_test.go TestAccOrganizationClosedUser_badInput: missing
//	  organization_id, organization_id not a GUID, both user_id and email, unknown user.
//	resource_integration_profile_test.go: renewal_period_months 0 and 121, future contract start,
//	  impossible date, date in the wrong format, organization_id not a GUID (all at plan time);
//	  not an org admin, org not found, missing organization_read / sub-account scopes.
//	resource_subscription_identifier_exclusion_rule_test.go: bad regex. resource_subscription_
//	  user_exclusion_rule_test.go: email matching several users, no user, both, neither.
//	data_source_subscriptions_test.go, data_source_consumption_test.go, data_source_user_test.go:
//	  organization not found, account outside the org, bad rule regex, period order, conflicting
//	  period attributes, unknown email.
//
// Here: the same kinds of fault through the other key sources, the environment, the other
// resources and data sources, and the unknown-at-plan-time case.

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

type badInputCase struct {
	name string
	// provider is the provider block's lines; nil means the working emulator connection.
	provider []string
	env      map[string]string
	body     string // resources and data sources
	// planTime marks cases a validator or Configure must reject during plan.
	planTime bool
	want     *regexp.Regexp
}

func TestAccBadInput(t *testing.T) {
	emu := startEmulator(t)
	keyFile := func(name string) string { return testdataPath("keys", name) }
	conn := []string{fmt.Sprintf("integration_key = %q", testIntegrationKey), fmt.Sprintf("user_id = %q", testAdminUserID)}
	with := func(lines ...string) []string { return append(append([]string{}, conn...), lines...) }
	keystore := func(file string, more ...string) []string {
		return with(append([]string{fmt.Sprintf("keystore_file = %q", keyFile(file))}, more...)...)
	}
	pemKey := fmt.Sprintf("private_key_file = %q", keyFile("rsa2048.pkcs1.key"))
	certPEM, err := os.ReadFile(keyFile("rsa2048.cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	notAdmin := "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a81" // consented, but not an organization administrator
	future := time.Now().UTC().AddDate(0, 3, 0).Format(time.DateOnly)
	const otherOrg = "0e0e0e0e-1111-4222-8333-444444444444"
	const sharedInbox = "shared.inbox@opensam.example" // two users in the Legal account

	closedUser := func(attrs string) string {
		return "resource \"docusign_closed_user\" \"bad\" {\n" + attrs + "\n}\n"
	}
	orgClosedUser := func(attrs string) string {
		return "resource \"docusign_organization_closed_user\" \"bad\" {\n" + attrs + "\n}\n"
	}
	userLookup := func(attrs string) string { return "data \"docusign_user\" \"bad\" {\n" + attrs + "\n}\n" }
	consumption := func(attrs string) string {
		return fmt.Sprintf("data \"docusign_consumption\" \"bad\" {\n  organization_id = %q\n%s\n}\n", testOrgID, attrs)
	}
	subscriptions := fmt.Sprintf("data \"docusign_subscriptions\" \"bad\" {\n  organization_id = %q\n}\n", testOrgID)

	cases := []badInputCase{
		// Keystores and keys, through the sources the existing table does not cover.
		{name: "jks wrong store password", provider: keystore("rsa2048.jks", `keystore_password = "wrong"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`Wrong DocuSign Keystore Password.*keystore_password`)},
		{name: "keystore password from the environment is wrong", provider: keystore("rsa2048.p12"), env: map[string]string{"DOCUSIGN_KEYSTORE_PASSWORD": "nope"},
			body: lookupAdmin(), planTime: true, want: wrapped(`Wrong DocuSign Keystore Password.*keystore_password`)},
		{name: "alias not found lists the aliases", provider: keystore("two-aliases.jks", `keystore_password = "changeit"`, `keystore_alias = "prod"`),
			body: lookupAdmin(), planTime: true, want: wrapped(`DocuSign Keystore Alias Not Found.*keystore_alias = "prod".*keystore_alias "prod" is not in the Java KeyStore; aliases present: docusign, other`)},
		{name: "p12 without a private key entry", provider: keystore("cert-only.p12", `keystore_password = "changeit"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`No Private Key in DocuSign Key Source.*keystore_file`)},
		{name: "jks without a private key entry", provider: keystore("cert-only.jks", `keystore_password = "changeit"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`No Private Key in DocuSign Key Source.*keystore_file`)},
		{name: "EC key in a p12", provider: keystore("ec.p12", `keystore_password = "changeit"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`DocuSign Key Is Not RSA.*keystore_file`)},
		{name: "EC key in a jks", provider: keystore("ec.jks", `keystore_password = "changeit"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`DocuSign Key Is Not RSA.*keystore_file`)},
		{name: "corrupt p12", provider: keystore("corrupt.p12", `keystore_password = "changeit"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`Unreadable DocuSign Private Key.*keystore_file`)},
		{name: "corrupt PEM file", provider: with(fmt.Sprintf("private_key_file = %q", keyFile("corrupt.bin"))), body: lookupAdmin(), planTime: true,
			want: wrapped(`Unreadable DocuSign Private Key.*private_key_file`)},
		{name: "certificate as private_key text", provider: with(fmt.Sprintf("private_key = %q", string(certPEM))), body: lookupAdmin(), planTime: true,
			want: wrapped(`No Private Key in DocuSign Key Source.*private_key`)},
		{name: "keystore file does not exist", provider: keystore("nope.p12", `keystore_password = "changeit"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`DocuSign Key File Not Found.*keystore_file = .*nope\.p12.*key file not found: no such file; check the path`)},

		// Authentication.
		{name: "unregistered key in a p12", provider: keystore("unregistered.p12", `keystore_password = "changeit"`), body: lookupAdmin(),
			want: wrapped(`no_valid_keys_or_signatures.*keystore_file`)},
		{name: "consent required on a closure", provider: []string{fmt.Sprintf("integration_key = %q", testUnconsentedKey), fmt.Sprintf("user_id = %q", testAdminUserID), pemKey},
			body: closedUser(fmt.Sprintf("  account_id = %q\n  email = %q", testSalesAccount, leaverAlex)),
			want: wrapped(`consent_required\); open \S+/oauth/auth\?client_id=` + testUnconsentedKey + `&redirect_uri=\S+&response_type=code&scope=signature%20impersonation\S* as the impersonated user.*the provider's scopes attribute`)},
		{name: "user_id from the environment is not a GUID", provider: []string{fmt.Sprintf("integration_key = %q", testIntegrationKey), pemKey},
			env: map[string]string{"DOCUSIGN_USER_ID": "admin@opensam.example"}, body: lookupAdmin(), planTime: true,
			want: wrapped(`Invalid DocuSign User ID.*DOCUSIGN_USER_ID.*must be a DocuSign GUID`)},
		{name: "integration_key from the environment is unknown to DocuSign", provider: []string{fmt.Sprintf("user_id = %q", testAdminUserID), pemKey},
			env: map[string]string{"DOCUSIGN_INTEGRATION_KEY": "00000000-0000-4000-8000-0000000000aa"}, body: lookupAdmin(),
			want: wrapped(`issuer_not_found.*integration_key`)},

		// Organization.
		{name: "organization closure by a user who is not an org admin", provider: []string{fmt.Sprintf("integration_key = %q", testIntegrationKey), fmt.Sprintf("user_id = %q", notAdmin), pemKey}, body: orgClosedUser(fmt.Sprintf("  organization_id = %q\n  email = %q", testOrgID, leaverAlex)),
			want: wrapped(`403 unauthorized: Not Authorized: the user is not an administrator of organization.*The impersonated user \(provider user_id\) must be an administrator of this DocuSign organization`)},
		{name: "organization closure in an unknown organization", body: orgClosedUser(fmt.Sprintf("  organization_id = %q\n  email = %q", otherOrg, leaverAlex)),
			want: wrapped(`Unable to .*` + otherOrg)},
		{name: "subscriptions without organization_read", provider: with(pemKey, `scopes = "signature impersonation"`), body: subscriptions,
			want: wrapped(`organization_read.*scopes`)},

		// Input.
		{name: "closed user account_id not a GUID", body: closedUser(`  account_id = "sales"
  email = "a@b.example"`), planTime: true, want: wrapped(`account_id.*must be a DocuSign GUID`)},
		{name: "organization closed user organization_id not a GUID", body: orgClosedUser(`  organization_id = "opensam"
  email = "a@b.example"`), planTime: true, want: wrapped(`organization_id.*must be a DocuSign GUID`)},
		{name: "user lookup user_id not a GUID", body: userLookup(fmt.Sprintf("  account_id = %q\n  user_id = \"jane\"", testSalesAccount)), planTime: true,
			want: wrapped(`user_id.*must be a DocuSign GUID`)},
		{name: "consumption contract start in the wrong format", body: consumption(`  contract_start_date = "01/31/2024"
  renewal_period_months = 12`), planTime: true, want: wrapped(`Invalid Date.*contract_start_date.*YYYY-MM-DD`)},
		{name: "consumption contract start in the future", body: consumption(fmt.Sprintf("  contract_start_date = %q\n  renewal_period_months = 12", future)), planTime: true,
			want: wrapped(`contract_start_date.*future`)},
		{name: "consumption renewal period 0", body: consumption(`  contract_start_date = "2024-01-31"
  renewal_period_months = 0`), planTime: true, want: wrapped(`renewal_period_months value must be between 1 and 120`)},
		{name: "consumption renewal period 121", body: consumption(`  contract_start_date = "2024-01-31"
  renewal_period_months = 121`), planTime: true, want: wrapped(`renewal_period_months value must be between 1 and 120`)},
		{name: "user lookup with both user_id and email", body: userLookup(fmt.Sprintf("  account_id = %q\n  user_id = %q\n  email = %q", testSalesAccount, testAdminUserID, leaverAlex)),
			planTime: true, want: wrapped(`Invalid Attribute Combination.*user_id.*email`)},
		{name: "user lookup with neither", body: userLookup(fmt.Sprintf("  account_id = %q", testSalesAccount)), planTime: true,
			want: wrapped(`Invalid Attribute Combination`)},
		{name: "closure by an email several users share", body: closedUser(fmt.Sprintf("  account_id = %q\n  email = %q", testLegalAccount, sharedInbox)),
			want: wrapped(`Several Users Share This Email.*` + regexp.QuoteMeta(sharedInbox) + `.*user_id`)},
		{name: "user lookup by an email several users share", body: userLookup(fmt.Sprintf("  account_id = %q\n  email = %q", testLegalAccount, sharedInbox)), planTime: true,
			want: wrapped(regexp.QuoteMeta(sharedInbox) + `.*user_id`)},
		{name: "max_retries out of range", provider: with(pemKey, "max_retries = 21"), body: lookupAdmin(), planTime: true,
			want: wrapped(`max_retries value must be between 0 and 20`)},
		{name: "scopes with commas", provider: with(pemKey, `scopes = "signature,impersonation"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`scopes.*space-separated scope names`)},
		// Every JWT grant needs signature and impersonation: a pinned scope list without either is
		// refused before any call, naming the attribute and what to add.
		{name: "scopes without impersonation", provider: with(pemKey, `scopes = "signature user_read"`), body: lookupAdmin(), planTime: true,
			want: wrapped(`Missing Required DocuSign Scopes.*scopes.*must include both signature and impersonation.*"signature user_read" lacks impersonation`)},
		{name: "scopes from the environment without signature", provider: with(pemKey), env: map[string]string{"DOCUSIGN_SCOPES": "impersonation user_read"},
			body: lookupAdmin(), planTime: true,
			want: wrapped(`Missing Required DocuSign Scopes.*DOCUSIGN_SCOPES.*"impersonation user_read" lacks signature`)},
		{name: "access token scopes without either base scope", body: "ephemeral \"docusign_access_token\" \"bad\" {\n  scopes = \"user_read\"\n}\n", planTime: true,
			want: wrapped(`Missing Required DocuSign Scopes.*scopes.*"user_read" lacks signature and impersonation`)},
		{name: "max_retries from the environment is not a number", provider: with(pemKey), env: map[string]string{"DOCUSIGN_MAX_RETRIES": "many"},
			body: lookupAdmin(), planTime: true, want: wrapped(`Invalid DocuSign Max Retries.*DOCUSIGN_MAX_RETRIES.*0 to 20`)},
		// A provider setting that is unknown until apply: Configure says which and how to fix it.
		{name: "user_id unknown at plan time", provider: []string{fmt.Sprintf("integration_key = %q", testIntegrationKey), "user_id = terraform_data.who.output", pemKey},
			body:     fmt.Sprintf("resource \"terraform_data\" \"who\" {\n  input = %q\n}\n", testAdminUserID) + closedUser(fmt.Sprintf("  account_id = %q\n  email = %q", testSalesAccount, leaverAlex)),
			planTime: true, want: wrapped(`Unknown DocuSign User ID.*user_id.*target apply.*DOCUSIGN_USER_ID`)},
	}
	if len(cases) < 25 {
		t.Fatalf("the table has %d cases; the bad-input coverage asks for at least 25", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			config := emu.providerConfig() + tc.body
			if tc.provider != nil {
				config = emu.providerConfigBare(tc.provider...) + tc.body
			}
			before := emu.Stats().Total
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: config, ExpectError: tc.want, PlanOnly: tc.planTime}},
			})
			if tc.planTime && strings.Contains(tc.name, "not a GUID") {
				if calls := emu.Stats().Total - before; calls != 0 {
					t.Errorf("plan-time validation made %d DocuSign calls", calls)
				}
			}
		})
	}
}
