// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// keyFragments are the pieces of a secret value that must not appear in any output: each line of
// it, and every 24-byte window, so that no line of a PEM key and no long run of base64 gets out.
func keyFragments(value string) []string {
	var out []string
	for _, line := range strings.Split(value, "\n") {
		if line = strings.TrimSpace(line); len(line) >= 24 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	for i := 0; i+24 <= len(value); i += 12 {
		if frag := value[i : i+24]; !strings.ContainsAny(frag, "\n-") {
			out = append(out, frag)
		}
	}
	return out
}

// planCapturingOutput runs a plan that must fail and returns what terraform printed for it and
// what the TRACE logs hold. ErrorCheck sees the whole error, terraform's output included, where
// ExpectError could only match a pattern.
func planCapturingOutput(t *testing.T, config string) (output, logs string) {
	t.Helper()
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		ErrorCheck: func(err error) error {
			output = err.Error()
			return nil
		},
		Steps: []resource.TestStep{{Config: config, PlanOnly: true}},
	})
	if output == "" {
		t.Fatal("the plan did not fail")
	}
	files, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
	var all []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, withoutHarnessEntries(data)...)
	}
	if !strings.Contains(string(all), "ValidateProviderConfig") {
		t.Fatalf("the TRACE logs (%d files) did not capture the provider validating its configuration", len(files))
	}
	return output, string(all)
}

func expectNoFragments(t *testing.T, where, text, value string) {
	t.Helper()
	for _, frag := range keyFragments(value) {
		if strings.Contains(text, frag) {
			t.Fatalf("%s holds part of the key (%q…)", where, frag[:8])
		}
	}
}

// TestAccProvider_keyInAFileSettingIsNotPrinted puts key material where a path belongs, as CI
// pipelines do by mistake, and checks the plan names the setting and where the key belongs, while
// no line of the key reaches terraform's output or the logs. Not parallel: it sets the environment.
func TestAccProvider_keyInAFileSettingIsNotPrinted(t *testing.T) {
	emu := startEmulator(t)
	pemText, err := os.ReadFile(testdataPath("keys", "rsa2048.pkcs1.key"))
	if err != nil {
		t.Fatal(err)
	}
	p12, err := os.ReadFile(testdataPath("keys", "rsa2048.p12"))
	if err != nil {
		t.Fatal(err)
	}
	p12Base64 := base64.StdEncoding.EncodeToString(p12)
	cases := []struct {
		name, env, value, want string
	}{
		{"pem text in DOCUSIGN_PRIVATE_KEY_FILE", "DOCUSIGN_PRIVATE_KEY_FILE", string(pemText),
			`Invalid DocuSign Private Key File.*private_key_file \(or the DOCUSIGN_PRIVATE_KEY_FILE environment variable\) must be the path of a key file.*is PEM key text.*not shown.*Put PEM text in private_key \(or the DOCUSIGN_PRIVATE_KEY environment variable\)`},
		{"base64 p12 in DOCUSIGN_KEYSTORE_FILE", "DOCUSIGN_KEYSTORE_FILE", p12Base64,
			`Invalid DocuSign Keystore File.*keystore_file.*is base64-encoded key data.*not shown.*decode it into a file`},
		{"base64 pem in DOCUSIGN_PRIVATE_KEY_FILE", "DOCUSIGN_PRIVATE_KEY_FILE", base64.StdEncoding.EncodeToString(pemText),
			`Invalid DocuSign Private Key File.*base64-encoded PEM text.*private_key`},
		{"pem text in DOCUSIGN_KEYSTORE_FILE", "DOCUSIGN_KEYSTORE_FILE", string(pemText),
			`Invalid DocuSign Keystore File.*PEM key text.*DOCUSIGN_PRIVATE_KEY`},
		{"absurdly long path", "DOCUSIGN_PRIVATE_KEY_FILE", strings.Repeat("a/", 50_000),
			`Invalid DocuSign Private Key File.*100000 bytes.*longer than any file path`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DOCUSIGN_INTEGRATION_KEY", testIntegrationKey)
			t.Setenv("DOCUSIGN_USER_ID", testAdminUserID)
			t.Setenv("DOCUSIGN_KEYSTORE_PASSWORD", "changeit")
			t.Setenv(tc.env, tc.value)
			output, logs := planCapturingOutput(t, emu.providerConfigBare()+lookupAdmin())
			if !wrapped(tc.want).MatchString(output) {
				t.Errorf("terraform's output lacks %s:\n%s", tc.want, output)
			}
			expectNoFragments(t, "terraform's output", output, tc.value)
			expectNoFragments(t, "the TRACE logs", logs, tc.value)
		})
	}
}

// In HCL the key may sit in a heredoc; the diagnostic carries no attribute path, so terraform does
// not print the configuration lines that hold it.
func TestAccProvider_keyInAFileAttributeIsNotPrinted(t *testing.T) {
	emu := startEmulator(t)
	pemText, err := os.ReadFile(testdataPath("keys", "rsa2048.pkcs8.key"))
	if err != nil {
		t.Fatal(err)
	}
	config := emu.providerConfigBare(
		fmt.Sprintf("integration_key = %q", testIntegrationKey),
		fmt.Sprintf("user_id = %q", testAdminUserID),
		"private_key_file = <<EOT\n"+strings.TrimSpace(string(pemText))+"\nEOT",
	) + lookupAdmin()
	output, logs := planCapturingOutput(t, config)
	if !wrapped(`Invalid DocuSign Private Key File.*PEM key text`).MatchString(output) {
		t.Errorf("terraform's output lacks the diagnostic:\n%s", output)
	}
	expectNoFragments(t, "terraform's output", output, string(pemText))
	expectNoFragments(t, "the TRACE logs", logs, string(pemText))
}

// A long path that could be real is tried, and the diagnostic gives its length, not the path.
func TestAccProvider_longKeyPathIsNotEchoed(t *testing.T) {
	emu := startEmulator(t)
	long := "/tmp/" + strings.Repeat("nested.dir/", 200) + "key.pem"
	t.Setenv("DOCUSIGN_INTEGRATION_KEY", testIntegrationKey)
	t.Setenv("DOCUSIGN_USER_ID", testAdminUserID)
	t.Setenv("DOCUSIGN_PRIVATE_KEY_FILE", long)
	output, _ := planCapturingOutput(t, emu.providerConfigBare()+lookupAdmin())
	if !wrapped(`DocuSign Key File Not Found.*\(a 2212-byte value, not shown\)`).MatchString(output) {
		t.Errorf("terraform's output lacks the diagnostic:\n%s", output)
	}
	if regexp.MustCompile(`(nested\.dir/){3}`).MatchString(output) {
		t.Errorf("terraform's output echoes the long path:\n%s", output)
	}
}

// Diagnostics about the inline key or a keystore password carry no attribute path either:
// terraform would print the configuration lines that set them.
func TestAccProvider_secretSettingsAreNotPrintedFromConfig(t *testing.T) {
	emu := startEmulator(t)
	ec, err := os.ReadFile(testdataPath("keys", "ec.pkcs8.key"))
	if err != nil {
		t.Fatal(err)
	}
	rsaPEM, err := os.ReadFile(testdataPath("keys", "rsa2048.pkcs1.key"))
	if err != nil {
		t.Fatal(err)
	}
	const password = "Wrong-But-Secret-Passw0rd"
	heredoc := func(attr string, pem []byte) string {
		return attr + " = <<EOT\n" + strings.TrimSpace(string(pem)) + "\nEOT"
	}
	base := []string{fmt.Sprintf("integration_key = %q", testIntegrationKey), fmt.Sprintf("user_id = %q", testAdminUserID)}
	cases := []struct {
		name   string
		lines  []string
		want   string
		secret string
	}{
		{"ec key in private_key", append(base, heredoc("private_key", ec)), `DocuSign Key Is Not RSA.*Fix private_key \(or the DOCUSIGN_PRIVATE_KEY environment variable\)`, string(ec)},
		{"wrong keystore_password", append(base, fmt.Sprintf("keystore_file = %q", testdataPath("keys", "rsa2048.p12")), fmt.Sprintf("keystore_password = %q", password)),
			`Wrong DocuSign Keystore Password.*Fix keystore_password`, password},
		{"wrong keystore_key_password", append(base, fmt.Sprintf("keystore_file = %q", testdataPath("keys", "rsa2048-keypass.jks")),
			`keystore_password = "changeit"`, fmt.Sprintf("keystore_key_password = %q", password)),
			`Wrong DocuSign Keystore Key Password.*Fix keystore_key_password`, password},
		{"a path in private_key", append(base, fmt.Sprintf("private_key = %q", testdataPath("keys", "rsa2048.pkcs1.key"))),
			`Unreadable DocuSign Private Key.*Fix private_key.*looks like a file path.*private_key_file`, testdataPath("keys", "rsa2048.pkcs1.key")},
		{"private_key and private_key_file", append(base, heredoc("private_key", rsaPEM), fmt.Sprintf("private_key_file = %q", testdataPath("keys", "rsa2048.pkcs1.key"))),
			`Invalid Attribute Combination`, string(rsaPEM)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			output, logs := planCapturingOutput(t, emu.providerConfigBare(tc.lines...)+lookupAdmin())
			if !wrapped(tc.want).MatchString(output) {
				t.Errorf("terraform's output lacks %s:\n%d bytes", tc.want, len(output))
			}
			if strings.Contains(output, password) || strings.Contains(logs, password) {
				t.Fatalf("the keystore password was printed")
			}
			expectNoFragments(t, "terraform's output", output, tc.secret)
			expectNoFragments(t, "the TRACE logs", logs, tc.secret)
		})
	}
}
