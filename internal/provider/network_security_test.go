// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/hostile"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// productionBlock is a provider block for the emulator (plain http on 127.0.0.1) that says
// nothing about trusting it.
func productionBlock(oauthBase, adminBase string, extra ...string) string {
	return fmt.Sprintf(`
provider "docusign" {
  environment      = "production"
  oauth_base_url   = %q
  admin_base_url   = %q
  integration_key  = %q
  user_id          = %q
  private_key_file = %q
  %s
}
`, oauthBase, adminBase, testIntegrationKey, testAdminUserID, demoorg.KeyPath(), strings.Join(extra, "\n  "))
}

// TestAccProductionTrustsOnlyDocuSignHosts: with environment = "production" the provider refuses
// http:// and non-DocuSign URLs before any call, naming the attribute to fix and the escape
// hatch; allow_untrusted_hosts (or its environment variable) lets a proxy or the emulator in.
func TestAccProductionTrustsOnlyDocuSignHosts(t *testing.T) {
	emu := startEmulator(t)
	refused := productionBlock(emu.OAuthBaseURL, emu.AdminBaseURL) + lookupAdmin()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: refused, PlanOnly: true,
				ExpectError: wrapped(`Untrusted DocuSign OAuth Base URL.*oauth_base_url.*` + regexp.QuoteMeta(emu.OAuthBaseURL) + `.*allow_untrusted_hosts = true`)},
			{Config: refused, PlanOnly: true, ExpectError: wrapped(`Untrusted DocuSign Admin Base URL.*admin_base_url`)},
			{Config: productionBlock("https://account.docusign.com.evil.example", "https://api.docusign.net/Management") + lookupAdmin(), PlanOnly: true,
				ExpectError: wrapped(`Untrusted DocuSign OAuth Base URL.*https://account.docusign.com.evil.example`)},
			{Config: productionBlock(emu.OAuthBaseURL, emu.AdminBaseURL, "allow_untrusted_hosts = true") + lookupAdmin(),
				ConfigStateChecks: adminFound},
		},
	})
	if err := emulatorcheck.TokenGrantsAtLeast(emu, 1).Verify(); err != nil {
		t.Errorf("the allowed step did not reach the emulator: %v", err)
	}

	t.Run("from the environment", func(t *testing.T) {
		t.Setenv("DOCUSIGN_ALLOW_UNTRUSTED_HOSTS", "true")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: refused, ConfigStateChecks: adminFound}},
		})
	})
	t.Run("not a boolean", func(t *testing.T) {
		t.Setenv("DOCUSIGN_ALLOW_UNTRUSTED_HOSTS", "perhaps")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{Config: refused, PlanOnly: true,
				ExpectError: wrapped(`Invalid DocuSign Allow Untrusted Hosts.*DOCUSIGN_ALLOW_UNTRUSTED_HOSTS must be true or false`)}},
		})
	})
	t.Run("demo is not production", func(t *testing.T) {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{Config: strings.Replace(refused, `"production"`, `"demo"`, 1),
				ConfigStateChecks: adminFound}},
		})
	})
}

// partitionEnv is the emulator behind a hostile proxy, with n active users to close in Sales.
type partitionEnv struct {
	emu   *emulator.Server
	proxy *hostile.Proxy
	users []string
}

func newPartitionEnv(t *testing.T, n int) *partitionEnv {
	t.Helper()
	fixture, err := fixtures.DemoWithLeavers(testSalesAccount, n)
	if err != nil {
		t.Fatal(err)
	}
	e := &partitionEnv{users: fixtures.LeaverIDs(n)}
	e.emu, err = emulator.Start(fixture, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.emu.Close)
	e.proxy, err = hostile.New(e.emu.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.proxy.Close)
	return e
}

func (e *partitionEnv) config(extra string) string {
	var b strings.Builder
	b.WriteString(demoorg.ProviderBlock(e.proxy.URL, e.proxy.URL+"/Management"))
	for i, id := range e.users {
		fmt.Fprintf(&b, "\nresource \"docusign_closed_user\" \"u%02d\" {\n  account_id = %q\n  user_id    = %q\n%s}\n", i, testSalesAccount, id, extra)
	}
	return b.String()
}

// TestAccPartitionFailsFastAndTheNextApplyConverges is `make chaos`'s partition scenario scaled
// down: an apply of closures while DocuSign answers nothing fails within a bound, instead of each
// wave of parallel closes waiting out every attempt's timeout and every retry; once the network is
// back, the next apply closes everyone exactly once and the plan after it is empty. The transport's
// timeouts are shortened here (1 s for the answer's headers, 2 s of silence before failing fast);
// the full-size run with default settings is `make chaos`.
func TestAccPartitionFailsFastAndTheNextApplyConverges(t *testing.T) {
	connectionTuning = func(c *docusign.Config) {
		c.HTTPClient = transport.DefaultHTTPClient()
		c.HTTPClient.Transport.(*http.Transport).ResponseHeaderTimeout = time.Second //nolint:forcetypeassert // DefaultHTTPClient's transport is an *http.Transport, and a test should panic if not
		c.UnreachableAfter = 2 * time.Second
	}
	t.Cleanup(func() { connectionTuning = nil })
	e := newPartitionEnv(t, 24)
	config := e.config("")
	var started time.Time
	const bound = 40 * time.Second // the retries alone would take over a minute per wave
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { e.proxy.SetMode(hostile.Blackhole); started = time.Now() },
				Config:      config,
				ExpectError: wrapped(`Unable to Close User.*DocuSign is unreachable.*apply again`),
			},
			{
				PreConfig: func() {
					took := time.Since(started)
					t.Logf("apply of %d closures under a partition failed after %s", len(e.users), took.Round(100*time.Millisecond))
					if took > bound {
						t.Errorf("the partitioned apply took %s to fail, want under %s", took, bound)
					}
					e.proxy.Heal()
				},
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{emulatorcheck.ClosedExactlyOnce(e.emu, testSalesAccount, e.users...)},
			},
		},
	})
}

// TestAccTimeoutsBlockBoundsAnOperation: a resource's timeouts block is the operation's deadline;
// with DocuSign silent, the close gives up when it runs out and says how to raise it.
func TestAccTimeoutsBlockBoundsAnOperation(t *testing.T) {
	e := newPartitionEnv(t, 2)
	config := e.config("  timeouts {\n    create = \"3s\"\n  }\n")
	var started time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { e.proxy.SetMode(hostile.Blackhole); started = time.Now() },
				Config:      config,
				ExpectError: wrapped(`Unable to Close User.*(deadline|time limit).*timeouts`),
			},
			{
				PreConfig: func() {
					if took := time.Since(started); took > 30*time.Second {
						t.Errorf("create timeouts of 3s, yet the apply took %s to fail", took)
					}
					e.proxy.Heal()
				},
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{emulatorcheck.ClosedExactlyOnce(e.emu, testSalesAccount, e.users...)},
			},
		},
	})
}

// TestAccEveryCallIsInTheDebugLog runs the real terraform binary with TF_LOG=DEBUG against the
// built provider and counts the "DocuSign API call" lines against the calls the emulator saw:
// token grants, userinfo and batched closes included. No line carries a token, an assertion
// or a query string.
func TestAccEveryCallIsInTheDebugLog(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := tfrun.TerraformPath(); err != nil {
		t.Skip("terraform is not installed")
	}
	e := newPartitionEnv(t, 4)
	ctx := context.Background()
	providerDir, err := tfrun.BuildProvider(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ws, err := tfrun.NewWorkspace(filepath.Join(t.TempDir(), "logged"), providerDir)
	if err != nil {
		t.Fatal(err)
	}
	var config strings.Builder
	config.WriteString(demoorg.ProviderConfig(e.emu.OAuthBaseURL, e.emu.AdminBaseURL))
	for i, id := range e.users {
		fmt.Fprintf(&config, "\nresource \"docusign_closed_user\" \"u%d\" {\n  account_id = %q\n  user_id    = %q\n}\n", i, testSalesAccount, id)
	}
	fmt.Fprintf(&config, "\ndata \"docusign_user\" \"admin\" {\n  account_id = %q\n  email      = \"admin@opensam.example\"\n}\n", testSalesAccount)
	if err := ws.Write("main.tf", config.String()); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	ws.Env = append(ws.Env, "TF_LOG=DEBUG", "TF_LOG_PATH="+logPath)
	e.emu.ResetStats()
	if _, err := ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatal(err)
	}
	stats := e.emu.Stats()
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.Contains(l, "DocuSign API call") {
			lines = append(lines, l)
		}
	}
	if len(lines) != stats.Total || stats.Total < 4 {
		t.Errorf("the emulator saw %d calls (%v), the debug log shows %d:\n%s", stats.Total, stats.Requests, len(lines), strings.Join(lines, "\n"))
	}
	for _, want := range []string{"/oauth/token", "/oauth/userinfo", "method=DELETE"} {
		if !strings.Contains(strings.Join(lines, "\n"), want) {
			t.Errorf("no logged call matches %q", want)
		}
	}
	for _, l := range lines {
		for _, field := range []string{"attempt=", "status=", "path=", "ratelimit_remaining=", "burstlimit_remaining="} {
			if !strings.Contains(l, field) && (!strings.Contains(l, "/oauth/") || !strings.Contains(field, "limit_remaining")) {
				t.Errorf("log line lacks %s: %s", field, l)
			}
		}
	}
	for _, secret := range []string{"eyJ", "Bearer ", "assertion", "?", "admin@opensam.example"} {
		for _, l := range lines {
			if strings.Contains(l, secret) {
				t.Errorf("log line carries %q: %s", secret, l)
			}
		}
	}
}
