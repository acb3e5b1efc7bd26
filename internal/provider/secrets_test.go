// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensam/terraform-provider-docusign/internal/contract"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

// tokenRecorder is a middleware around the emulator that remembers every access token it
// issued and every bearer token it was shown, so the test knows exactly which strings must never
// reach a log or the state. The emulator itself is not changed.
type tokenRecorder struct {
	mu     sync.Mutex
	tokens map[string]bool
}

func (tr *tokenRecorder) add(tok string) {
	if tok == "" {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.tokens[tok] = true
}

func (tr *tokenRecorder) all() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var out []string
	for tok := range tr.tokens {
		out = append(out, tok)
	}
	return out
}

type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

func (tr *tokenRecorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			tr.add(tok)
		}
		if r.URL.Path != "/oauth/token" {
			next.ServeHTTP(w, r)
			return
		}
		tw := &teeWriter{ResponseWriter: w}
		next.ServeHTTP(tw, r)
		var grant struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(tw.body.Bytes(), &grant) == nil {
			tr.add(grant.AccessToken)
		}
	})
}

// startEmulatorRecordingTokens is startEmulator with the token recorder outside the contract
// recorder.
func startEmulatorRecordingTokens(t *testing.T) (*testEmulator, *tokenRecorder) {
	t.Helper()
	fixture, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	specOnce.Do(func() { spec, specErr = contract.Load(contract.DefaultDir()) })
	if specErr != nil {
		t.Fatal(specErr)
	}
	rec := contract.NewRecorder(spec)
	tr := &tokenRecorder{tokens: map[string]bool{}}
	srv, err := emulator.StartWithHandler(fixture, emulator.Options{}, func(h http.Handler) http.Handler { return tr.wrap(rec.Wrap(h)) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close()
		for _, v := range rec.Violations() {
			t.Errorf("contract violation: %s", v)
		}
	})
	return &testEmulator{Server: srv, recorder: rec}, tr
}

// privateKeySecrets are the strings that would show the test key: every base64 line of its
// PKCS#1 and PKCS#8 PEM bodies, and its private exponent and primes in decimal and hex (as a
// %v or %x of the key would print them).
func privateKeySecrets(t *testing.T) []string {
	t.Helper()
	var out []string
	var key *rsa.PrivateKey
	for _, name := range []string{"rsa2048.pkcs1.key", "rsa2048.pkcs8.key"} {
		data, err := os.ReadFile(testdataPath("keys", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); len(line) >= 32 && !strings.HasPrefix(line, "-----") {
				out = append(out, line)
			}
		}
		if block, _ := pem.Decode(data); block != nil && block.Type == "RSA PRIVATE KEY" {
			if key, err = x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
				t.Fatal(err)
			}
		}
	}
	if key == nil {
		t.Fatal("the PKCS#1 test key did not parse")
	}
	for _, n := range append([]*big.Int{key.D}, key.Primes...) {
		out = append(out, n.String(), n.Text(16))
	}
	return out
}

const keystorePassword = "changeit"

// leaks lists which secrets occur in data, naming each by kind without printing it whole.
func leaks(data []byte, kind string, secrets []string) []string {
	var found []string
	for _, s := range secrets {
		if s != "" && bytes.Contains(data, []byte(s)) {
			found = append(found, fmt.Sprintf("%s %q…", kind, s[:min(8, len(s))]))
		}
	}
	return found
}

// TestAccSecrets_notInLogsOrState runs an apply and the data sources with TF_LOG=TRACE, once per
// key source (PEM text, PKCS#12, JKS), and searches the Terraform CLI log, the provider log and
// every state file for the private key, the keystore password and each access token the emulator
// issued or saw.
func TestAccSecrets_notInLogsOrState(t *testing.T) {
	pemText, err := os.ReadFile(testdataPath("keys", "rsa2048.pkcs1.key"))
	if err != nil {
		t.Fatal(err)
	}
	keySecrets := privateKeySecrets(t)
	sources := []struct {
		name  string
		lines []string
	}{
		{"pem", []string{fmt.Sprintf("private_key = %q", string(pemText))}},
		{"p12", []string{fmt.Sprintf("keystore_file = %q", testdataPath("keys", "rsa2048.p12")), fmt.Sprintf("keystore_password = %q", keystorePassword)}},
		{"jks", []string{fmt.Sprintf("keystore_file = %q", testdataPath("keys", "rsa2048.jks")), fmt.Sprintf("keystore_password = %q", keystorePassword),
			`keystore_alias = "docusign"`}},
	}
	for _, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			emu, tokens := startEmulatorRecordingTokens(t)
			logDir, workDir := t.TempDir(), t.TempDir()
			if d := os.Getenv("DOCUSIGN_SECRETS_TEST_KEEP"); d != "" { // to read the logs by hand
				logDir = filepath.Join(d, src.name)
				_ = os.MkdirAll(logDir, 0o755)
			}
			// TF_LOG_PATH_MASK sends both the terraform CLI log (via the testing framework) and the
			// in-process provider's log (via terraform-plugin-log's test sink) to one file per test.
			t.Setenv("TF_LOG", "TRACE")
			t.Setenv("TF_ACC_LOG", "TRACE")
			t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
			// Keep the working directories, so the state files on disk can be searched too.
			t.Setenv("TF_ACC_TEMP_DIR", workDir)
			t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")

			connection := append([]string{
				fmt.Sprintf("integration_key = %q", testIntegrationKey),
				fmt.Sprintf("user_id = %q", testAdminUserID),
			}, src.lines...)
			config := emu.providerConfigBare(connection...) + lookupAdmin() + fmt.Sprintf(`
resource "docusign_closed_user" "alex" {
  account_id = %[1]q
  email      = %[2]q
}

data "docusign_subscriptions" "all" {
  organization_id = %[3]q
}

data "docusign_consumption" "cycle" {
  organization_id       = %[3]q
  contract_start_date   = "2024-01-31"
  renewal_period_months = 12
}
`, testSalesAccount, leaverAlex, testOrgID)

			var stateJSON []byte
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					// Short tokens: the apply needs several, so several must stay hidden.
					PreConfig:         func() { emu.SetFaults(emulator.Faults{TokenTTLSeconds: 2}) },
					Config:            config,
					ConfigStateChecks: []statecheck.StateCheck{captureState(&stateJSON)},
				}},
			})

			issued := tokens.all()
			if len(issued) == 0 {
				t.Fatal("the emulator issued no token: the test proves nothing")
			}
			secrets := map[string][]string{"private key": keySecrets, "access token": issued}
			if src.name != "pem" {
				secrets["keystore password"] = []string{keystorePassword}
			}
			check := func(what string, data []byte) {
				for kind, list := range secrets {
					if found := leaks(data, kind, list); len(found) > 0 {
						t.Errorf("%s holds %s", what, strings.Join(found, ", "))
					}
				}
			}

			// The logs: they must exist and hold both the CLI's and the provider's TRACE lines.
			logs, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
			var all []byte
			for _, f := range logs {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				data = withoutHarnessEntries(data)
				all = append(all, data...)
				check("log "+filepath.Base(f), data)
			}
			for _, want := range []string{"Terraform version", "configured DocuSign provider", "DocuSign API call", "ConfigureProvider"} {
				if !bytes.Contains(all, []byte(want)) {
					t.Errorf("the TRACE logs (%d files, %d bytes) lack %q: they did not capture what they should", len(logs), len(all), want)
				}
			}

			// The state as terraform show -json reports it during the test, and every state file on disk.
			if !bytes.Contains(stateJSON, []byte(leaverAlex)) {
				t.Fatalf("the captured state lacks the closed user; got %d bytes", len(stateJSON))
			}
			check("state (terraform show -json)", stateJSON)
			var files int
			_ = filepath.WalkDir(workDir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.Contains(d.Name(), ".tfstate") {
					data, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					files++
					check("state file "+d.Name(), data)
				}
				return nil
			})
			if files == 0 {
				t.Error("no state file was found on disk to search")
			}
		})
	}
}

// logEntryStart is the timestamp that begins each hclog entry; other lines continue the entry.
var logEntryStart = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}`)

// withoutHarnessEntries drops the testing framework's own log entries (sdk.helper_resource),
// which echo the test's HCL, secrets included, as test_terraform_configuration. A real run has no
// such entries; Terraform's and the provider's entries all stay in.
func withoutHarnessEntries(data []byte) []byte {
	var out bytes.Buffer
	skip := false
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if logEntryStart.Match(line) {
			skip = bytes.Contains(line, []byte("sdk.helper_resource:"))
		}
		if !skip {
			out.Write(line)
		}
	}
	return out.Bytes()
}

// captureState keeps the state, as terraform show -json gives it, for the test to search.
func captureState(into *[]byte) statecheck.StateCheck { return stateCapture{into} }

type stateCapture struct{ into *[]byte }

func (c stateCapture) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	data, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	*c.into = data
}
