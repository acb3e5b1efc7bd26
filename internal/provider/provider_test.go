// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opensam/terraform-provider-docusign/internal/contract"
	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// IDs from testdata/emulator/demo-org.json.
const (
	testIntegrationKey = demoorg.IntegrationKey
	testUnconsentedKey = demoorg.UnconsentedKey
	testKeyPairID      = demoorg.KeyPairID
	testAdminUserID    = demoorg.AdminUserID
	testOrgID          = demoorg.OrgID
	testSalesAccount   = demoorg.SalesAccount
	testLegalAccount   = demoorg.LegalAccount
	testLabsAccount    = demoorg.LabsAccount
)

// protoV6ProviderFactories serves the provider in-process to the real terraform binary.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"docusign": NewProtocol6Server("test"),
}

// providerFactoriesWith serves a provider whose client configuration tune adjusts.
func providerFactoriesWith(tune func(*docusign.Config)) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"docusign": newProtocol6Server(&docusignProvider{version: "test", tuneClient: tune}),
	}
}

var (
	repoRoot     = tfrun.RepoRoot
	testdataPath = demoorg.Testdata
)

var (
	specOnce sync.Once
	spec     *contract.Spec
	specErr  error
)

// testEmulator is a DocuSign emulator for one test, loaded with the demo organization, whose
// traffic is checked against DocuSign's OpenAPI descriptions when the test ends.
type testEmulator struct {
	*emulator.Server
	recorder *contract.Recorder
}

func startEmulator(t *testing.T) *testEmulator {
	t.Helper()
	fixture, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatalf("loading fixture: %v", err)
	}
	prepareFixture(t, fixture)
	specOnce.Do(func() { spec, specErr = contract.Load(contract.DefaultDir()) })
	if specErr != nil {
		t.Fatalf("loading DocuSign's OpenAPI files for the contract check: %v", specErr)
	}
	rec := contract.NewRecorder(spec)
	srv, err := emulator.StartWithHandler(fixture, emulator.Options{}, rec.Wrap)
	if err != nil {
		t.Fatalf("starting emulator: %v", err)
	}
	t.Cleanup(func() {
		srv.Close()
		for _, v := range rec.Violations() {
			t.Errorf("contract violation: %s", v)
		}
	})
	return &testEmulator{Server: srv, recorder: rec}
}

// providerConfig is the provider block for the emulator with the PEM key file; extra lines are
// added inside the block.
func (e *testEmulator) providerConfig(extra ...string) string {
	return demoorg.ProviderBlock(e.OAuthBaseURL, e.AdminBaseURL, extra...)
}

// providerConfigBare is a provider block with only the connection URLs; the rest comes from
// the environment or the extra lines.
func (e *testEmulator) providerConfigBare(extra ...string) string {
	return fmt.Sprintf(`
provider "docusign" {
  oauth_base_url = %q
  admin_base_url = %q
  allow_untrusted_hosts = true
  %s
}
`, e.OAuthBaseURL, e.AdminBaseURL, strings.Join(extra, "\n  "))
}

// generatedLeavers grows every account by generated users and returns the IDs of n of them who
// hold an active membership in the Sales account.
func (e *testEmulator) generatedLeavers(t *testing.T, n int) []string {
	t.Helper()
	if err := e.MergeFixture(&emulator.Fixture{Generate: fixtures.GeneratedLeavers(n)}); err != nil {
		t.Fatal(err)
	}
	ids, err := fixtures.ActiveGenerated(e, testSalesAccount, n)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// leavers adds n leavers (fixtures.Leavers), active in accountID, and returns their IDs and emails.
func (e *testEmulator) leavers(t *testing.T, accountID string, n int) (ids, emails []string) {
	t.Helper()
	if err := e.MergeFixture(&emulator.Fixture{Users: fixtures.Leavers(accountID, n)}); err != nil {
		t.Fatal(err)
	}
	return fixtures.LeaverIDs(n), fixtures.LeaverEmails(n)
}

func (e *testEmulator) userIDByEmail(t *testing.T, email string) string {
	t.Helper()
	u, ok := e.UserByEmail(email)
	if !ok {
		t.Fatalf("emulator has no user %s", email)
	}
	return u.ID
}

var (
	providerBuildOnce sync.Once
	providerBuildDir  string
	providerBuildErr  error
)

// builtProvider compiles the provider binary once for every test that runs terraform as users
// do (through dev_overrides), instead of once per test: they run in parallel, and each build
// would cost the same CPU.
func builtProvider(t *testing.T) string {
	t.Helper()
	providerBuildOnce.Do(func() {
		// One directory for every test, so not t.TempDir(), which the first test's end would remove.
		providerBuildDir, providerBuildErr = os.MkdirTemp("", "docusign-provider-build-") //nolint:usetesting // shared by all tests
		if providerBuildErr == nil {
			_, providerBuildErr = tfrun.BuildProvider(context.Background(), providerBuildDir)
		}
	})
	if providerBuildErr != nil {
		t.Fatal(providerBuildErr)
	}
	return providerBuildDir
}

func TestMain(m *testing.M) {
	// The acceptance tests drive the real terraform binary; make sure no setting of the caller's
	// leaks in through the environment variable each provider attribute falls back to.
	for _, name := range settingEnvNames() {
		os.Unsetenv(name)
	}
	code := m.Run()
	if providerBuildDir != "" {
		os.RemoveAll(providerBuildDir)
	}
	os.Exit(code)
}

// settingEnvNames lists the environment variable of every provider attribute, as the provider
// names them (envName), from the provider's own schema.
func settingEnvNames() []string {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	var names []string
	for attr := range resp.Schema.Attributes {
		names = append(names, envName(attr))
	}
	sort.Strings(names)
	return names
}

// wrapped compiles a diagnostic pattern whose spaces may be line breaks, because terraform wraps
// diagnostic text to the terminal width.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}

// applyJSON writes config as the workspace's main.tf, applies it, and returns terraform's -json
// output, so a test can read each diagnostic as terraform reports it.
func applyJSON(ctx context.Context, t *testing.T, ws *tfrun.Workspace, config string) string {
	t.Helper()
	if err := ws.Write("main.tf", config); err != nil {
		t.Fatal(err)
	}
	out, err := ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-json")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
