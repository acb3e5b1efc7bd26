package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensam/terraform-provider-docusign/internal/contract"
	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
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
	"docusign": providerserver.NewProtocol6WithError(New("test")()),
}

// providerFactoriesWith serves a provider whose client configuration tune adjusts.
func providerFactoriesWith(tune func(*docusign.Config)) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"docusign": providerserver.NewProtocol6WithError(&docusignProvider{version: "test", tuneClient: tune}),
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

// membershipStatus is the emulator's own view of a user's membership in an account.
func (e *testEmulator) membershipStatus(t *testing.T, userID, accountID string) string {
	t.Helper()
	u, ok := e.User(userID)
	if !ok {
		t.Fatalf("emulator has no user %s", userID)
	}
	for _, m := range u.Memberships {
		if m.AccountID == accountID {
			return m.Status
		}
	}
	t.Fatalf("emulator user %s has no membership in %s", userID, accountID)
	return ""
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
		providerBuildDir, providerBuildErr = os.MkdirTemp("", "docusign-provider-build-")
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
	// The acceptance tests drive the real terraform binary; make sure nothing outside leaks in.
	for _, name := range []string{
		"DOCUSIGN_ENVIRONMENT", "DOCUSIGN_INTEGRATION_KEY", "DOCUSIGN_USER_ID", "DOCUSIGN_PRIVATE_KEY",
		"DOCUSIGN_PRIVATE_KEY_FILE", "DOCUSIGN_KEYSTORE_FILE", "DOCUSIGN_KEYSTORE_PASSWORD", "DOCUSIGN_ACCOUNT_ID",
	} {
		os.Unsetenv(name)
	}
	code := m.Run()
	if providerBuildDir != "" {
		os.RemoveAll(providerBuildDir)
	}
	os.Exit(code)
}

// wrapped compiles a diagnostic pattern whose spaces may be line breaks, because terraform wraps
// diagnostic text to the terminal width.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}

// emulatorState runs checks of the emulator's own state as a state check. Legacy Check functions
// cannot be used with for_each resources, whose string keys the legacy state shim rejects.
func emulatorState(checks ...resource.TestCheckFunc) statecheck.StateCheck {
	return emulatorStateCheck(checks)
}

type emulatorStateCheck []resource.TestCheckFunc

func (c emulatorStateCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, check := range c {
		if err := check(nil); err != nil {
			resp.Error = err
			return
		}
	}
}
