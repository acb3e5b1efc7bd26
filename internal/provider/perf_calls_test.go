// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

// Call-count acceptance tests of the performance targets at a small N. Call counts are deterministic, so they
// belong in `make test`; the timing and memory targets at full size live in tools/bench (`make
// bench`), never here.
//
//   - TestAccPerfCalls_closedUserBatches: 30 docusign_closed_user by user_id in one account cost
//     at most 0.25 calls per closure, token and userinfo included, with exactly one JWT grant and
//     one userinfo; the plan that follows, with the 30 in state, costs at most ceil(30/100)+5
//     calls and reads them from one listing, not 30 GETs. The closes cost exactly
//     ceil(30/10) batched DELETEs: the provider is told terraform's parallelism, so a batch
//     leaves when all 10 closes terraform runs at once have joined it, never when a clock says.
//   - TestAccPerfCalls_closedUsersBulk: docusign_closed_users with 150 user IDs costs one DELETE
//     per 100 users plus the token and userinfo (0.027 calls per closure).
//   - TestAccPerfCalls_closedUsersEmails: 150 emails cost no more lookups than listing the
//     account once.

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

const (
	perfRouteCloseMany = "DELETE /restapi/v2.1/accounts/{accountId}/users"
	perfRouteListUsers = "GET /restapi/v2.1/accounts/{accountId}/users"
	perfRouteGetUser   = "GET /restapi/v2.1/accounts/{accountId}/users/{userId}"
)

func TestAccPerfCalls_closedUserBatches(t *testing.T) {
	const n = 30
	emu := startEmulator(t)
	ids, _ := emu.leavers(t, testSalesAccount, n)
	config := emu.providerConfig(fmt.Sprintf("account_id = %q", testSalesAccount)) + fmt.Sprintf(`
locals {
  leavers = [%s]
}

resource "docusign_closed_user" "leaver" {
  count   = length(local.leavers)
  user_id = local.leavers[count.index]
}
`, perfQuotedList(ids))

	// 0.25 calls per closure, everything included; 30 closures at terraform's parallelism of 10
	// take 3 batched DELETEs plus the token and userinfo.
	applyMax := int(math.Floor(0.25 * n))
	deletes := int(math.Ceil(float64(n) / terraformParallelism))
	// A plan reads every closed user from one paged listing of the account's closed users.
	planMax := int(math.Ceil(n/100.0)) + 5
	closedInAccount := n + 1 // the leavers and casey.closed from the fixture
	listPages := int(math.Ceil(float64(closedInAccount) / 100))

	var planErr error
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(batchLikeTerraform),
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, ids...),
					// n closes at terraform's parallelism take exactly ceil(n/parallelism) batched DELETEs.
					emulatorcheck.Calls(emu, map[string]int{perfRouteCloseMany: deletes}),
					emulatorcheck.CallBudget(emu, fmt.Sprintf("apply of %d docusign_closed_user", n), applyMax,
						map[string]int{perfRouteCloseMany: applyMax - 2, perfRouteGetUser: 0, perfRouteListUsers: 0}),
				},
			},
			{
				// Only the refreshing plan of this step calls DocuSign; its non-refresh plan makes no
				// call because the provider connects lazily.
				PreConfig: emu.ResetStats,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					planErr = emulatorcheck.CallBudget(emu, fmt.Sprintf("plan with %d docusign_closed_user in state", n), planMax,
						map[string]int{perfRouteListUsers: listPages, perfRouteGetUser: 0, perfRouteCloseMany: 0}).Verify()
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
	if planErr != nil {
		t.Error(planErr)
	}
}

func TestAccPerfCalls_closedUsersBulk(t *testing.T) {
	const n = 150
	emu := startEmulator(t)
	ids, _ := emu.leavers(t, testSalesAccount, n)
	deletes := int(math.Ceil(n / 100.0))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    closedUsersConfig(emu, ids, nil, false),
			ConfigStateChecks: []statecheck.StateCheck{
				emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, ids...),
				// At most 0.05 calls per closure: here 2 DELETEs, the token and userinfo.
				emulatorcheck.CallBudget(emu, fmt.Sprintf("docusign_closed_users with %d user_ids", n), min(deletes+2, int(math.Floor(0.05*n))),
					map[string]int{perfRouteCloseMany: deletes, perfRouteListUsers: 0, perfRouteGetUser: 0}),
			},
		}},
	})
}

func TestAccPerfCalls_closedUsersEmails(t *testing.T) {
	const n = 150
	emu := startEmulator(t)
	ids, emails := emu.leavers(t, testSalesAccount, n)
	fixture, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	members := n + fixture.Members(testSalesAccount) // what one listing of the account pages through
	listOnce := int(math.Ceil(float64(members) / 100))
	deletes := int(math.Ceil(n / 100.0))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    closedUsersConfig(emu, nil, emails, false),
			ConfigStateChecks: []statecheck.StateCheck{
				emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, ids...),
				emulatorcheck.CallBudget(emu, fmt.Sprintf("docusign_closed_users with %d emails in an account of %d", n, members),
					listOnce+deletes+2, map[string]int{perfRouteListUsers: min(listOnce, n), perfRouteGetUser: 0, perfRouteCloseMany: deletes}),
			},
		}},
	})
}

// terraformParallelism is terraform's default -parallelism, which the test harness keeps.
const terraformParallelism = 10

// batchLikeTerraform tells the Closer what terraform will do, instead of letting it learn from
// timing: terraformParallelism closes run at once, and a batch waits for all of them however
// slow a loaded machine is (the window only bounds a tail of fewer closes, which the call-count
// tests avoid).
func batchLikeTerraform(cfg *docusign.Config) {
	cfg.CloseConcurrency = terraformParallelism
	cfg.CloseBatchWindow = 2 * time.Minute
}

func perfQuotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}
