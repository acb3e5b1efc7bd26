// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// lookupAdmin is a data source that needs a token, userinfo and one eSignature call: enough to
// prove a key source really signs assertions DocuSign (the emulator) accepts.
func lookupAdmin() string {
	return fmt.Sprintf(`
data "docusign_user" "admin" {
  account_id = %q
  user_id    = %q
}
`, testSalesAccount, testAdminUserID)
}

var adminFound = []statecheck.StateCheck{
	statecheck.ExpectKnownValue("data.docusign_user.admin", tfjsonpath.New("email"), knownvalue.StringExact("admin@opensam.example")),
}

func TestAccProvider_keySourcesInHCL(t *testing.T) {
	emu := startEmulator(t)
	pem, err := os.ReadFile(testdataPath("keys", "rsa2048.pkcs8.key"))
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]string{
		"pem text": {fmt.Sprintf("private_key = %q", string(pem))},
		"pem file": {fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa2048.pkcs1.key"))},
		"pkcs12": {
			fmt.Sprintf("keystore_file = %q", testdataPath("keys", "rsa2048.p12")),
			`keystore_password = "changeit"`,
		},
		"jks": {
			fmt.Sprintf("keystore_file = %q", testdataPath("keys", "rsa2048.jks")),
			`keystore_password = "changeit"`,
			`keystore_alias = "docusign"`,
		},
		"jks with key password": {
			fmt.Sprintf("keystore_file = %q", testdataPath("keys", "rsa2048-keypass.jks")),
			`keystore_password = "changeit"`,
			`keystore_key_password = "keypass123"`,
		},
	}
	for name, lines := range sources {
		t.Run(name, func(t *testing.T) {
			connection := append([]string{
				fmt.Sprintf("integration_key = %q", testIntegrationKey),
				fmt.Sprintf("user_id = %q", testAdminUserID),
				fmt.Sprintf("key_pair_id = %q", testKeyPairID),
			}, lines...)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            emu.providerConfigBare(connection...) + lookupAdmin(),
					ConfigStateChecks: append([]statecheck.StateCheck{emulatorcheck.TokenGrantsAtLeast(emu, 1)}, adminFound...),
				}},
			})
		})
	}
}

func TestAccProvider_keySourcesFromEnvironment(t *testing.T) {
	emu := startEmulator(t)
	pem, err := os.ReadFile(testdataPath("keys", "rsa2048.pkcs1.key"))
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]map[string]string{
		"pem text": {"DOCUSIGN_PRIVATE_KEY": string(pem)},
		"pem file": {"DOCUSIGN_PRIVATE_KEY_FILE": testdataPath("keys", "rsa2048.pkcs8.key")},
		"pkcs12":   {"DOCUSIGN_KEYSTORE_FILE": testdataPath("keys", "rsa2048.p12"), "DOCUSIGN_KEYSTORE_PASSWORD": "changeit"},
		"jks":      {"DOCUSIGN_KEYSTORE_FILE": testdataPath("keys", "rsa2048.jks"), "DOCUSIGN_KEYSTORE_PASSWORD": "changeit"},
	}
	for name, env := range sources {
		t.Run(name, func(t *testing.T) {
			t.Setenv("DOCUSIGN_INTEGRATION_KEY", testIntegrationKey)
			t.Setenv("DOCUSIGN_USER_ID", testAdminUserID)
			for k, v := range env {
				t.Setenv(k, v)
			}
			// It sets DOCUSIGN_* in the environment, so it never runs in parallel.
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            emu.providerConfigBare() + lookupAdmin(),
					ConfigStateChecks: adminFound,
				}},
			})
		})
	}
}

func TestAccProvider_configDiagnostics(t *testing.T) {
	emu := startEmulator(t)
	base := []string{
		fmt.Sprintf("integration_key = %q", testIntegrationKey),
		fmt.Sprintf("user_id = %q", testAdminUserID),
	}
	key := func(file string) string { return fmt.Sprintf("keystore_file = %q", testdataPath("keys", file)) }
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"missing integration key", []string{fmt.Sprintf("user_id = %q", testAdminUserID), key("rsa2048.p12"), `keystore_password = "changeit"`},
			`Missing DocuSign Integration Key.*DOCUSIGN_INTEGRATION_KEY`},
		{"no key source", base, `Missing DocuSign Private Key.*private_key_file`},
		{"two key sources", append(base, key("rsa2048.p12"), fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa2048.pkcs1.key"))),
			`Invalid Attribute Combination`},
		{"wrong keystore password", append(base, key("rsa2048.p12"), `keystore_password = "wrong"`), `Wrong DocuSign Keystore Password`},
		{"wrong jks key password", append(base, key("rsa2048-keypass.jks"), `keystore_password = "changeit"`, `keystore_key_password = "nope"`),
			`Wrong DocuSign Keystore Key Password`},
		{"alias not found", append(base, key("rsa2048.jks"), `keystore_password = "changeit"`, `keystore_alias = "missing"`),
			`DocuSign Keystore Alias Not Found.*docusign`},
		{"several aliases", append(base, key("two-aliases.jks"), `keystore_password = "changeit"`), `DocuSign Keystore Alias Required.*docusign.*other`},
		{"ec key", append(base, fmt.Sprintf("private_key_file = %q", testdataPath("keys", "ec.pkcs8.key"))), `DocuSign Key Is Not RSA`},
		{"short key", append(base, fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa1024.pkcs1.key"))), `DocuSign RSA Key Too Short.*1024`},
		{"certificate instead of key", append(base, fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa2048.cert.pem"))), `No Private Key in DocuSign Key Source`},
		{"missing file", append(base, fmt.Sprintf("private_key_file = %q", testdataPath("keys", "nope.pem"))), `DocuSign Key File Not Found`},
		{"corrupt keystore", append(base, key("corrupt.jks"), `keystore_password = "changeit"`), `Unreadable DocuSign Private Key`},
		{"user_id not a GUID", []string{fmt.Sprintf("integration_key = %q", testIntegrationKey), `user_id = "admin@opensam.example"`, key("rsa2048.p12")},
			`must be a DocuSign GUID`},
		{"bad environment", append(base, `environment = "staging"`), `value must be one of`},
		{"unregistered key", append(base, fmt.Sprintf("private_key_file = %q", testdataPath("keys", "unregistered.pkcs1.key"))),
			`no_valid_keys_or_signatures.*private_key`},
		{"consent required", []string{fmt.Sprintf("integration_key = %q", testUnconsentedKey), fmt.Sprintf("user_id = %q", testAdminUserID),
			fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa2048.pkcs1.key"))},
			`consent_required.*/oauth/auth\?.*client_id=` + testUnconsentedKey},
		{"unknown integration key", []string{`integration_key = "00000000-0000-4000-8000-000000000001"`, fmt.Sprintf("user_id = %q", testAdminUserID),
			fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa2048.pkcs1.key"))},
			`issuer_not_found.*integration_key`},
		{"user not found", []string{fmt.Sprintf("integration_key = %q", testIntegrationKey), `user_id = "00000000-0000-4000-8000-000000000002"`,
			fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa2048.pkcs1.key"))},
			`does not know the impersonated user.*user_id`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfigBare(tc.lines...) + lookupAdmin(),
					ExpectError: regexp.MustCompile(`(?s)` + tc.want),
				}},
			})
		})
	}
}
