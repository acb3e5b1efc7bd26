// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// TestAccClosedUsers_refreshWhenExportsOmitClosed: 700 closed users are more than the closed
// listing's first page plus five, so the refresh tries one export of the account instead. Under
// the emulator's default the export leaves closed memberships out: the refresh sees that the
// export holds fewer closed users than the listing counts, keeps to the listing, and nobody looks
// reopened (the plan after apply stays empty). When exports include closed memberships, the
// export replaces the rest of the listing.
func TestAccClosedUsers_refreshWhenExportsOmitClosed(t *testing.T) {
	const n = 700
	emu := startEmulator(t)
	if err := emu.MergeFixture(&emulator.Fixture{Users: fixtures.Leavers(testSalesAccount, n)}); err != nil {
		t.Fatal(err)
	}
	ids := fixtures.LeaverIDs(n)
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_users" "wave" {
  account_id = %q
  user_ids   = ["%s"]
}
`, testSalesAccount, strings.Join(ids, `", "`))
	pages := func(perRefresh int) statecheck.StateCheck {
		return verifyState(func() error {
			st := emu.Stats()
			created, listed := st.Succeeded[routeCreateExport], st.Succeeded[routeESignUsers]
			if created == 0 || listed != perRefresh*created {
				return fmt.Errorf("%d exports and %d listing pages; want at least one export and %d pages per export (%v)", created, listed, perRefresh, st.Requests)
			}
			return nil
		})
	}
	listing := (n + 1 + 99) / 100 // Sales has one closed user of its own
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_closed_users.wave", tfjsonpath.New("user_ids"), knownvalue.ListSizeExact(n)),
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, ids...),
				},
			},
			{
				// The checks run on the state the apply wrote; this step's plan is the refresh.
				PreConfig: emu.ResetStats,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, ids...),
					emulatorcheck.Calls(emu, map[string]int{"GET /restapi/v2.1/accounts/{accountId}/users/{userId}": 0}),
					pages(listing),
				},
			},
			{
				PreConfig: func() {
					emu.SetBehaviour(emulator.Behaviour{ExportIncludesClosed: true})
					emu.ResetStats()
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, ids...),
					emulatorcheck.Calls(emu, map[string]int{"GET /restapi/v2.1/accounts/{accountId}/users/{userId}": 0}),
					pages(1),
				},
			},
		},
	})
}

// verifyState is a state check that asks the emulator, after the post-apply refresh.
type verifyState func() error

func (f verifyState) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if err := f(); err != nil {
		resp.Error = err
	}
}
