// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// exportReadings are the emulator's readings of the undocumented export: the hostile default
// (bearer token required, DocuSign's column names only behind a BOM, no closed memberships) and
// each switch alone, then all of them.
var exportReadings = []struct {
	name string
	b    emulator.Behaviour
}{
	{"default", emulator.Behaviour{}},
	{"export_download_without_token", emulator.Behaviour{ExportDownloadWithoutToken: true}},
	{"export_emulator_columns", emulator.Behaviour{ExportEmulatorColumns: true}},
	{"export_includes_closed", emulator.Behaviour{ExportIncludesClosed: true}},
	{"all", emulator.Behaviour{ExportDownloadWithoutToken: true, ExportEmulatorColumns: true, ExportIncludesClosed: true}},
}

// readingsConfig reads one organization, closed memberships included, through the sources
// named, and compares what every reading must agree on with the paged listing: who holds which
// membership, its plan, status and license, each account but seats_allowed, the counts, the plans.
func readingsConfig(emu *testEmulator, sources ...string) string {
	var b strings.Builder
	b.WriteString(emu.providerConfig())
	var all []string
	for _, s := range append(sources, "list") {
		all = append(all, fmt.Sprintf("%[1]s = data.docusign_subscriptions.%[1]s", s))
		fmt.Fprintf(&b, `
data "docusign_subscriptions" %[1]q {
  organization_id = %[2]q
  include_closed  = true
  source          = %[1]q
}
`, s, testOrgID)
	}
	fmt.Fprintf(&b, `
locals {
  reads = { %s }
}
`, strings.Join(all, ", "))
	b.WriteString(`
locals {
  facts = { for name, ds in local.reads : name => {
    subscriptions = [for s in ds.subscriptions : { for k in ["user_id", "email", "account_id", "subscription_identifier", "membership_status", "license_type"] : k => s[k] }]
    accounts      = [for a in ds.accounts : { for k, v in a : k => v if k != "seats_allowed" }]
    counts        = [ds.total, ds.counted, ds.excluded_count]
    plans         = ds.plans
  } }
}

output "agree" {
  value = { for name, f in local.facts : name => jsonencode(f) == jsonencode(local.facts.list) }
}

output "blank_plans" {
  value = { for name, ds in local.reads : name => length([for s in ds.subscriptions : s if s.subscription_identifier == ""]) }
}

output "closed" {
  value = { for name, ds in local.reads : name => length([for s in ds.subscriptions : s if s.membership_status == "Closed"]) }
}
`)
	return b.String()
}

// agreeChecks: every source named agrees with the listing, no membership lacks a plan, and the
// closed memberships are there.
func agreeChecks(sources ...string) []statecheck.StateCheck {
	agree, blank := map[string]knownvalue.Check{"list": knownvalue.Bool(true)}, map[string]knownvalue.Check{"list": knownvalue.Int64Exact(0)}
	positive := knownvalue.Int64Func(func(v int64) error {
		if v == 0 {
			return fmt.Errorf("no closed membership, so include_closed proves nothing")
		}
		return nil
	})
	closed := map[string]knownvalue.Check{"list": positive}
	for _, s := range sources {
		agree[s], blank[s], closed[s] = knownvalue.Bool(true), knownvalue.Int64Exact(0), positive
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownOutputValue("agree", knownvalue.ObjectExact(agree)),
		statecheck.ExpectKnownOutputValue("blank_plans", knownvalue.ObjectExact(blank)),
		statecheck.ExpectKnownOutputValue("closed", knownvalue.ObjectExact(closed)),
	}
}

// exportsRead checks that every export created was downloaded and read: under the default, the
// download succeeding proves the bearer token went with it. Read or not, each was deleted after,
// and the organization holds none.
func exportsRead(emu *testEmulator, wantFailures bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		st := emu.Stats()
		// Succeeded, not Requests: a throttled create is retried, and only the second creates one.
		created, downloaded, deleted := st.Succeeded[routeCreateExport], st.Succeeded[routeDownload], st.Succeeded[routeDeleteExport]
		if created == 0 || (!wantFailures && downloaded != created) {
			// What else the emulator answered tells a throttle or a fault from a reading the provider
			// gave up on.
			return fmt.Errorf("exports: %d created, %d downloaded (throttled %d, injected faults %d, %d calls: %v)",
				created, downloaded, st.Throttled, st.InjectedFaults, st.Total, st.Requests)
		}
		if deleted != created {
			return fmt.Errorf("exports: %d created, %d deleted", created, deleted)
		}
		return emulatorcheck.StoredJobs(emu, testOrgID, 0, 0).Verify()
	}
}

// countsAgreeConfig adds to readingsConfig a counts-only read of the export, which reduces each
// row as the file streams, and compares its figures with the listing's.
var countsAgreeConfig = fmt.Sprintf(`
data "docusign_subscriptions" "counts" {
  organization_id = %q
  include_closed  = true
  source          = "export"
  include_members = false
}

output "counts_agree" {
  value = jsonencode([
    data.docusign_subscriptions.counts.total, data.docusign_subscriptions.counts.counted, data.docusign_subscriptions.counts.excluded_count,
    data.docusign_subscriptions.counts.plans, data.docusign_subscriptions.counts.unrecognized_identifiers,
    [for a in data.docusign_subscriptions.counts.accounts : { for k, v in a : k => v if k != "seats_allowed" }],
    ]) == jsonencode([
    data.docusign_subscriptions.list.total, data.docusign_subscriptions.list.counted, data.docusign_subscriptions.list.excluded_count,
    data.docusign_subscriptions.list.plans, data.docusign_subscriptions.list.unrecognized_identifiers,
    [for a in data.docusign_subscriptions.list.accounts : { for k, v in a : k => v if k != "seats_allowed" }],
  ])
}
`, testOrgID)

// TestAccSubscriptionsExport_readings: source = "export" and "auto" (which picks the export in this
// 23-account organization) read the same memberships as the listing under every reading of the
// export: with the bearer token the default download wants, DocuSign's column names (each
// membership then takes its account's plan, never a blank one), and closed memberships left out
// of the file (found through the listing instead). A counts-only read of the export agrees too.
func TestAccSubscriptionsExport_readings(t *testing.T) {
	emu := startLargeEmulator(t, 20, 500)
	var steps []resource.TestStep
	for _, r := range exportReadings {
		steps = append(steps, resource.TestStep{
			PreConfig: func() {
				t.Logf("reading %s", r.name)
				emu.SetBehaviour(r.b)
				emu.ResetStats()
			},
			Config: readingsConfig(emu, "export", "auto") + countsAgreeConfig,
			ConfigStateChecks: append(agreeChecks("export", "auto"),
				statecheck.ExpectKnownOutputValue("counts_agree", knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.export", tfjsonpath.New("source_used"), knownvalue.StringExact("export")),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.auto", tfjsonpath.New("source_used"), knownvalue.StringExact("export")),
			),
			Check: exportsRead(emu, false),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// TestAccSubscriptionsExport_unreadable: an export whose download is refused, whose file lacks the
// user ID column, or which skipped a result: "auto" reads the listing instead (and agrees with
// it); "export" fails naming what it could not read, except for a partial export, whose counts
// it reports as partial (TestSubscriptionsExportWarnings reads the warnings).
func TestAccSubscriptionsExport_unreadable(t *testing.T) {
	emu := startLargeEmulator(t, 21, 600)
	exportOnly := emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "export" {
  organization_id = %q
  source          = "export"
}
`, testOrgID)
	autoListed := append(agreeChecks("auto"),
		statecheck.ExpectKnownValue("data.docusign_subscriptions.auto", tfjsonpath.New("source_used"), knownvalue.StringExact("list")))
	refuse := func() {
		emu.SetJobSettings(emulator.JobSettings{})
		emu.ResetStats()
		if err := emu.FailNext(routeDownload, 1000, 401); err != nil {
			t.Fatal(err)
		}
	}
	settings := func(s emulator.JobSettings) func() {
		return func() {
			_ = emu.FailNext(routeDownload, 0, 401)
			emu.SetJobSettings(s)
			emu.ResetStats()
		}
	}
	noUserID := emulator.JobSettings{ExportOmitColumns: []string{"APIUserName", "UserID"}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{PreConfig: refuse, Config: readingsConfig(emu, "auto"), ConfigStateChecks: autoListed, Check: exportsRead(emu, true)},
			{PreConfig: refuse, Config: exportOnly, ExpectError: textRe("Unable to Read DocuSign Subscriptions", "could not be read", "401", `source = "auto"`)},
			{PreConfig: settings(noUserID), Config: readingsConfig(emu, "auto"), ConfigStateChecks: autoListed, Check: exportsRead(emu, false)},
			{PreConfig: settings(noUserID), Config: exportOnly, ExpectError: textRe("Unable to Read DocuSign Subscriptions", "no UserID (or APIUserName) column", `source = "auto"`)},
			{PreConfig: settings(emulator.JobSettings{PartialExports: true}), Config: readingsConfig(emu, "auto"), ConfigStateChecks: autoListed, Check: exportsRead(emu, false)},
			{
				PreConfig: settings(emulator.JobSettings{PartialExports: true}),
				Config: readingsConfig(emu, "export") + `
output "partial_total_lower" {
  value = data.docusign_subscriptions.export.total < data.docusign_subscriptions.list.total
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("partial_total_lower", knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.docusign_subscriptions.export", tfjsonpath.New("source_used"), knownvalue.StringExact("export")),
				},
				Check: exportsRead(emu, false),
			},
		},
	})
}

// TestSubscriptionsExportWarnings runs the built provider with terraform apply -json and reads
// its warnings: none under the default reading; a fallback warning naming the missing columns
// for "auto"; a partial-counts warning naming the skipped results for "export".
func TestSubscriptionsExportWarnings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider and runs terraform")
	}
	emu := startLargeEmulator(t, 22, 300)
	ctx := context.Background()
	ws, err := tfrun.NewWorkspace(t.TempDir(), builtProvider(t))
	if err != nil {
		t.Fatal(err)
	}
	config := func(source string) string {
		return demoorg.ProviderConfig(emu.OAuthBaseURL, emu.AdminBaseURL) + fmt.Sprintf(`
data "docusign_subscriptions" "org" {
  organization_id = %q
  source          = %q
  include_closed  = true
}
`, testOrgID, source)
	}
	warnings := func(out string) map[string]string {
		got := map[string]string{}
		for _, line := range strings.Split(out, "\n") {
			var msg struct {
				Diagnostic *struct{ Severity, Summary, Detail string } `json:"diagnostic"`
			}
			if json.Unmarshal([]byte(line), &msg) != nil || msg.Diagnostic == nil || msg.Diagnostic.Severity != "warning" ||
				msg.Diagnostic.Summary == "Provider development overrides are in effect" || strings.HasPrefix(msg.Diagnostic.Summary, "Seats Unknown") {
				continue
			}
			got[msg.Diagnostic.Summary] = msg.Diagnostic.Detail
		}
		return got
	}
	if w := warnings(applyJSON(ctx, t, ws, config("auto"))); len(w) != 0 {
		t.Errorf("the default reading warned: %v", w)
	}

	emu.SetJobSettings(emulator.JobSettings{ExportOmitColumns: []string{"APIUserName", "UserStatus"}})
	w := warnings(applyJSON(ctx, t, ws, config("auto")))
	detail, ok := w["DocuSign Export Unreadable, Memberships Listed Instead"]
	for _, want := range []string{"no UserID (or APIUserName)", "no MembershipStatus (or UserStatus)", "paged listing", `source = "list"`} {
		if !ok || !strings.Contains(detail, want) {
			t.Errorf("fallback warning lacks %q: %v", want, w)
		}
	}

	emu.SetJobSettings(emulator.JobSettings{PartialExports: true})
	w = warnings(applyJSON(ctx, t, ws, config("export")))
	detail, ok = w["Partial DocuSign Export: Counts Are Partial"]
	for _, want := range []string{"export_failed", "DocuSign gave it no URL", "are partial", "rows)"} {
		if !ok || !strings.Contains(detail, want) {
			t.Errorf("partial warning lacks %q: %v", want, w)
		}
	}
}
