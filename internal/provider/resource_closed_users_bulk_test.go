// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// bulkConfig closes userIDs with one docusign_closed_users that takes the bulk import from
// threshold users on.
func bulkConfig(provider string, userIDs []string, threshold int) string {
	return provider + fmt.Sprintf(`
resource "docusign_closed_users" "wave" {
  account_id           = %q
  bulk_close_threshold = %d
  user_ids             = ["%s"]
}
`, testSalesAccount, threshold, strings.Join(userIDs, `", "`))
}

// TestAccClosedUsers_bulkImport: above bulk_close_threshold the users close through one export and
// one bulk close import (no DELETE …/users), each exactly once, polled while DocuSign processes;
// the refresh afterwards reads the account once and the plan is empty.
func TestAccClosedUsers_bulkImport(t *testing.T) {
	emu := startEmulator(t)
	users := emu.generatedLeavers(t, 40)
	emu.SetJobSettings(emulator.JobSettings{DelayMS: 400})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    bulkConfig(emu.providerConfig(), users, 20),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("docusign_closed_users.wave", tfjsonpath.New("user_ids"), knownvalue.ListSizeExact(len(users))),
				emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...),
				// The import's counts settle every row, so its results file is not read; it is deleted.
				emulatorcheck.Calls(emu, map[string]int{routeCreateImport: 1, routeCreateExport: 1, routeGetImport: emulatorcheck.AtLeastOnce, routeImportResult: 0,
					"DELETE /Management/v2/organizations/{organizationId}/imports/bulk_users/{importId}": 1,
					"DELETE /restapi/v2.1/accounts/{accountId}/users":                                    0, "GET /restapi/v2.1/accounts/{accountId}/users/{userId}": 0}),
			},
		}},
	})
}

// TestAccClosedUsers_bulkImportPartly: DocuSign's import refuses one row
// (user_awaiting_activation). The listing confirms that user still open and one eSignature
// batch closes them: the apply succeeds with everyone closed once. When the batch's answer does
// not confirm the close either, that user alone fails, quoting ProcessingResults, and the next
// apply without them closes nobody twice.
func TestAccClosedUsers_bulkImportPartly(t *testing.T) {
	emu := startEmulator(t)
	users := emu.generatedLeavers(t, 50)
	emu.SetBehaviour(emulator.Behaviour{BulkCloseRefusesPending: true})
	first, second := users[:25], users[25:]
	for _, pending := range []string{first[7], second[7]} {
		if err := emu.SetMembershipStatus(pending, testSalesAccount, "ActivationSent"); err != nil {
			t.Fatal(err)
		}
	}
	stuck := second[7]
	rest := append(append([]string(nil), second[:7]...), second[8:]...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Config:    bulkConfig(emu.providerConfig(), first, 10),
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, first...),
					emulatorcheck.Calls(emu, map[string]int{routeCreateImport: 1, "DELETE /restapi/v2.1/accounts/{accountId}/users": 1}),
				},
			},
			{
				PreConfig: func() {
					// The batch leaves the user pending and says so: the close is not confirmed.
					if err := emu.SetTampers(emulator.Tamper{Route: "DELETE /restapi/v2.1/accounts/{accountId}/users", SkipWork: true,
						Body: json.RawMessage(`{"users":[{"userId":"` + stuck + `","userStatus":"ActivationSent"}]}`)}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      bulkConfig(emu.providerConfig(), second, 10),
				ExpectError: textRe("Unable to Close Users", "did not close 1 of 25", stuck, `ProcessingResults "user_awaiting_activation"`),
			},
			{
				PreConfig: func() {
					if err := emu.SetTampers(); err != nil {
						t.Fatal(err)
					}
					if err := emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, rest...).Verify(); err != nil {
						t.Fatalf("the good rows did not close: %v", err)
					}
					if err := emulatorcheck.NotClosed(emu, testSalesAccount, stuck).Verify(); err != nil {
						t.Fatalf("the refused user closed: %v", err)
					}
				},
				Config: bulkConfig(emu.providerConfig(), rest, 10),
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, rest...),
				},
			},
		},
	})
}

// TestAccBulkPathsUnderFaults: throttling (both of DocuSign's forms) and 5xx on every call, the
// export's and import's creation, polls and downloads included, still end with every user closed
// exactly once and the subscriptions read complete.
func TestAccBulkPathsUnderFaults(t *testing.T) {
	emu := startEmulator(t)
	users := emu.generatedLeavers(t, 30)
	emu.SetJobSettings(emulator.JobSettings{DelayMS: 300})
	config := bulkConfig(emu.providerConfig("max_retries = 20"), users, 10) + fmt.Sprintf(`
data "docusign_subscriptions" "org" {
  organization_id = %q
  source          = "export"
  include_closed  = true
}
`, testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				emu.ResetStats()
				emu.SetFaults(emulator.Faults{ThrottleRate: 0.15, ErrorRate: 0.15})
			},
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.docusign_subscriptions.org", tfjsonpath.New("source_used"), knownvalue.StringExact("export")),
				emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...),
				emulatorcheck.InjectedFaultsAtLeast(emu, 1),
			},
		}},
	})
}

// TestAccBulkImportCrashResume kills terraform with SIGKILL while DocuSign is still processing
// its bulk close import, then applies again at once: the import completes on its own, the second
// apply closes nobody twice, every user ends in state, and the plan after is empty.
func TestAccBulkImportCrashResume(t *testing.T) {
	t.Parallel()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := tfrun.TerraformPath(); err != nil {
		t.Skipf("terraform is not installed, so there is nothing to kill: %v", err)
	}
	const n = 40
	emu := startEmulator(t)
	users := emu.generatedLeavers(t, n)
	emu.SetJobSettings(emulator.JobSettings{DelayMS: 5000}) // long enough to kill terraform before the import completes

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	providerDir, err := tfrun.BuildProvider(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ws, err := tfrun.NewWorkspace(t.TempDir(), providerDir)
	if err != nil {
		t.Fatal(err)
	}
	config := "terraform {\n  required_providers {\n    docusign = { source = \"opensam/docusign\" }\n  }\n}\n" +
		bulkConfig(emu.providerConfig(), users, 10)
	if err := ws.Write("main.tf", config); err != nil {
		t.Fatal(err)
	}
	emu.ResetStats()
	// The one resource writes no state until its import completes, so the kill can come at once:
	// no state file is being written while the provider polls.
	if err := killWhen(ctx, ws, func() bool { return emu.Stats().Requests[routeCreateImport] > 0 }); err != nil {
		t.Fatal(err)
	}
	if err := emulatorcheck.NotClosed(emu, testSalesAccount, users...).Verify(); err != nil {
		t.Fatalf("the kill did not land while the import was processing: %v", err)
	}
	if out, err := ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("the apply after the crash failed: %v\n%s", err, out)
	}
	if err := emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...).Verify(); err != nil {
		t.Fatal(err)
	}
	if err := emulatorcheck.CallsAtMost(emu, routeCreateImport, 2).Verify(); err != nil {
		t.Fatalf("imports for one resumed apply: %v", err)
	}
	out, err := ws.Run(ctx, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("the plan after the resumed apply is not empty: %v\n%s", err, out)
	}
}

// killWhen SIGKILLs terraform apply and the provider as soon as ready reports true.
func killWhen(ctx context.Context, ws *tfrun.Workspace, ready func() bool) error {
	return killApply(ctx, ws, nil, ready, nil)
}
