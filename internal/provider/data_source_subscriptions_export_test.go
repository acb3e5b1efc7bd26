// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

const (
	routeCreateExport = "POST /Management/v2/organizations/{organizationId}/exports/user_list"
	routeGetExport    = "GET /Management/v2/organizations/{organizationId}/exports/user_list/{exportId}"
	routeDeleteExport = "DELETE /Management/v2/organizations/{organizationId}/exports/user_list/{exportId}"
	routeDownload     = "GET /_downloads/exports/{resultId}"
	routeCreateImport = "POST /Management/v2/organizations/{organizationId}/imports/bulk_users/close"
	routeGetImport    = "GET /Management/v2/organizations/{organizationId}/imports/bulk_users/{importId}"
	routeImportResult = "GET /Management/v2/organizations/{organizationId}/imports/bulk_users/{importId}/results_csv"
)

// startLargeEmulator is the demo organization grown by generate: extra accounts and memberships
// with multi-account users, closed memberships and service mailboxes.
func startLargeEmulator(t *testing.T, accounts, memberships int) *testEmulator {
	t.Helper()
	emu := startEmulator(t)
	if err := emu.MergeFixture(&emulator.Fixture{Generate: &emulator.Generate{Accounts: accounts, Memberships: memberships}}); err != nil {
		t.Fatal(err)
	}
	return emu
}

// TestAccSubscriptionsDataSource_sourcesAgree reads one organization through the export, the paged
// listing and auto, with a rule and closed memberships, and proves every answer is the same
// except seats_allowed, which only the listing reads. auto picks the export here (over 20
// accounts); include_members = false keeps the counts and drops the list. The export here has
// every column and closed memberships (export_emulator_columns, export_includes_closed), so even
// created_at agrees; TestAccSubscriptionsExport_readings covers the other readings.
func TestAccSubscriptionsDataSource_sourcesAgree(t *testing.T) {
	emu := startLargeEmulator(t, 20, 2500)
	emu.SetJobSettings(emulator.JobSettings{DelayMS: 400}) // long enough to be seen queued and processing
	emu.SetBehaviour(emulator.Behaviour{ExportEmulatorColumns: true, ExportIncludesClosed: true})
	config := emu.providerConfig() + fmt.Sprintf(`
locals {
  rules = [
    { id = "legacy", kind = "identifier", match = "equals", identifier = "eSignature Standard (Legacy)" },
    # In capitals: a user rule matches the user ID in any letter case, counts-only reads too.
    { id = "admin", kind = "user", user_id = upper(%[2]q) },
  ]
}

data "docusign_subscriptions" "export" {
  organization_id = %[1]q
  include_closed  = true
  source          = "export"
  exclusion_rules = local.rules
  timeouts {
    read = "2m"
  }
}

data "docusign_subscriptions" "list" {
  organization_id = %[1]q
  include_closed  = true
  source          = "list"
  exclusion_rules = local.rules
}

data "docusign_subscriptions" "auto" {
  organization_id = %[1]q
  include_closed  = true
  exclusion_rules = local.rules
}

data "docusign_subscriptions" "counts" {
  organization_id = %[1]q
  include_closed  = true
  include_members = false
  exclusion_rules = local.rules
}

locals {
  without_seats = { for name, ds in {
    export = data.docusign_subscriptions.export, list = data.docusign_subscriptions.list,
    auto = data.docusign_subscriptions.auto, counts = data.docusign_subscriptions.counts } :
    name => [for a in ds.accounts : { for k, v in a : k => v if k != "seats_allowed" }]
  }
  same = {
    for k in ["subscriptions", "total", "excluded_count", "counted", "plans", "software_models", "unrecognized_identifiers"] :
    k => jsonencode(data.docusign_subscriptions.export[k]) == jsonencode(data.docusign_subscriptions.list[k]) &&
    jsonencode(data.docusign_subscriptions.auto[k]) == jsonencode(data.docusign_subscriptions.list[k])
  }
}

output "same" {
  value = local.same
}

output "accounts_same" {
  value = jsonencode(local.without_seats.export) == jsonencode(local.without_seats.list) && jsonencode(local.without_seats.counts) == jsonencode(local.without_seats.list)
}

output "counts_same" {
  value = jsonencode(data.docusign_subscriptions.counts.plans) == jsonencode(data.docusign_subscriptions.list.plans) && data.docusign_subscriptions.counts.total == data.docusign_subscriptions.list.total
}
`, testOrgID, demoorg.AdminUserID)
	same := map[string]knownvalue.Check{}
	for _, k := range []string{"subscriptions", "total", "excluded_count", "counted", "plans", "software_models", "unrecognized_identifiers"} {
		same[k] = knownvalue.Bool(true)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("same", knownvalue.ObjectExact(same)),
				statecheck.ExpectKnownOutputValue("accounts_same", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("counts_same", knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.export", tfjsonpath.New("source_used"), knownvalue.StringExact("export")),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.list", tfjsonpath.New("source_used"), knownvalue.StringExact("list")),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.auto", tfjsonpath.New("source_used"), knownvalue.StringExact("export")),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.counts", tfjsonpath.New("subscriptions"), knownvalue.Null()),
				// 2,500 generated memberships plus the demo's, closed ones included, some excluded.
				statecheck.ExpectKnownValue("data.docusign_subscriptions.list", tfjsonpath.New("total"), knownvalue.Int64Func(func(v int64) error {
					if v < 2500 {
						return fmt.Errorf("total %d, want over 2,500", v)
					}
					return nil
				})),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.list", tfjsonpath.New("excluded_count"), knownvalue.Int64Func(func(v int64) error {
					if v == 0 {
						return fmt.Errorf("the rule excluded nothing, so the comparison proves little")
					}
					return nil
				})),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.export", tfjsonpath.New("accounts").AtSliceIndex(0).AtMapKey("seats_allowed"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.docusign_subscriptions.list", tfjsonpath.New("accounts").AtSliceIndex(0).AtMapKey("seats_allowed"), knownvalue.NotNull()),
				// Each export is deleted once read, as DocuSign's SDK tests do to stay under its job cap.
				emulatorcheck.StoredJobs(emu, testOrgID, 0, 0),
			},
			Check: func(*terraform.State) error {
				st := emu.Stats()
				// Three reads per run use the export (export, auto, counts); each is one create, one download and one delete.
				// Succeeded, not Requests: a throttled create is retried and creates one export.
				created := st.Succeeded[routeCreateExport]
				if created == 0 || st.Succeeded[routeDownload] != created || st.Succeeded[routeDeleteExport] != created {
					return fmt.Errorf("exports: %d created, %d downloaded, %d deleted", created, st.Succeeded[routeDownload], st.Succeeded[routeDeleteExport])
				}
				if st.Succeeded[routeGetExport] == 0 {
					return fmt.Errorf("the export was never polled, so the delay was not exercised")
				}
				return nil
			},
		}},
	})
}

// TestAccSubscriptionsDataSource_smallOrgLists: auto pages through a small organization.
func TestAccSubscriptionsDataSource_smallOrgLists(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "all" {
  organization_id = %q
}
`, testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.docusign_subscriptions.all", tfjsonpath.New("source_used"), knownvalue.StringExact("list")),
				emulatorcheck.Calls(emu, map[string]int{routeCreateExport: 0}),
			},
		}},
	})
}

// TestAccSubscriptionsDataSource_exportFailures: a failed export and one that takes longer than
// timeouts.read end in diagnostics that say what happened and what to change.
func TestAccSubscriptionsDataSource_exportFailures(t *testing.T) {
	emu := startEmulator(t)
	config := func(timeout string) string {
		return emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "all" {
  organization_id = %q
  source          = "export"
  timeouts {
    read = %q
  }
}
`, testOrgID, timeout)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { emu.SetJobSettings(emulator.JobSettings{FailExports: true}) },
				Config:      config("1m"),
				ExpectError: textRe("Unable to Read DocuSign Subscriptions", "could not complete the user-list export", "export_failed"),
			},
			{
				PreConfig:   func() { emu.SetJobSettings(emulator.JobSettings{DelayMS: 60000}) },
				Config:      config("2s"),
				ExpectError: textRe("did not finish within its time limit", "was still queued", "timeouts.read"),
			},
			{
				// The file expires before every download: one fresh export, then a clear error.
				PreConfig:   func() { emu.SetJobSettings(emulator.JobSettings{ExportTTLMS: 1}) },
				Config:      config("1m"),
				ExpectError: textRe("expired before it could be downloaded"),
			},
		},
	})
}

// TestAccExports_storedJobsCap: the organization already holds the 90 exports DocuSign keeps
// (another integration never deletes its own). The export is refused: "auto" reads the listing
// and agrees with it, "export" fails naming DocuSign's refusal, and the bulk close falls back to
// the eSignature batches and closes everyone once. The provider never deletes an export it did
// not create. Under export_jobs_uncapped the same read uses the export.
func TestAccExports_storedJobsCap(t *testing.T) {
	emu := startLargeEmulator(t, 20, 200)
	users := emu.generatedLeavers(t, 40)
	const foreign = 90
	if err := emu.StoreForeignExports(testOrgID, foreign); err != nil {
		t.Fatal(err)
	}
	foreignKept := verifyState(func() error {
		if n := emu.StoredExports(testOrgID); n != foreign {
			return fmt.Errorf("the organization holds %d exports; want the other integration's %d, untouched", n, foreign)
		}
		return nil
	})
	exportOnly := emu.providerConfig() + fmt.Sprintf(`
data "docusign_subscriptions" "export" {
  organization_id = %q
  source          = "export"
}
`, testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: readingsConfig(emu, "auto"),
				ConfigStateChecks: append(agreeChecks("auto"), foreignKept,
					statecheck.ExpectKnownValue("data.docusign_subscriptions.auto", tfjsonpath.New("source_used"), knownvalue.StringExact("list"))),
			},
			{Config: exportOnly, ExpectError: textRe("Unable to Read DocuSign Subscriptions", "maximum_exports_exceeded")},
			{
				PreConfig: emu.ResetStats,
				Config:    bulkConfig(emu.providerConfig(), users, 20),
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...), foreignKept,
					emulatorcheck.Calls(emu, map[string]int{routeCreateExport: 1, routeCreateImport: 0,
						"DELETE /restapi/v2.1/accounts/{accountId}/users": emulatorcheck.AtLeastOnce}),
				},
			},
			{
				PreConfig: func() { emu.SetBehaviour(emulator.Behaviour{ExportJobsUncapped: true}) },
				Config:    readingsConfig(emu, "auto"),
				ConfigStateChecks: append(agreeChecks("auto"),
					statecheck.ExpectKnownValue("data.docusign_subscriptions.auto", tfjsonpath.New("source_used"), knownvalue.StringExact("export"))),
			},
		},
	})
}
