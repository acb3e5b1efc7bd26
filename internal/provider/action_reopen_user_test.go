// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

const (
	closedCasey             = "casey.closed@opensam.example"
	routeActivateMembership = "POST /Management/v2/organizations/{organizationId}/users/{userId}/memberships/{membershipId}"
)

func TestAccReopenUserAction(t *testing.T) {
	emu := startEmulator(t)
	caseyID := emu.userIDByEmail(t, closedCasey)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   actionsNeedTerraform114,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + actionOnCreate("docusign_reopen_user", "casey",
					fmt.Sprintf("account_id = %q\n    email = %q", testSalesAccount, strings.ToUpper(closedCasey))),
				ConfigStateChecks: emulatorcheck.StateChecks(
					emulatorcheck.MembershipStatus(emu, testSalesAccount, closedCasey, "Active"),
					emulatorcheck.NotClosed(emu, testSalesAccount, caseyID),
				),
			},
			{
				// A membership that is not closed is left as it is: no Admin reopen call.
				Config: emu.providerConfig() + actionOnCreate("docusign_reopen_user", "alex", fmt.Sprintf("email = %q", leaverAlex)),
				ConfigStateChecks: emulatorcheck.StateChecks(
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Active"),
					emulatorcheck.Calls(emu, map[string]int{routeActivateMembership: 1}),
				),
			},
			{
				Config:      emu.providerConfig() + actionOnCreate("docusign_reopen_user", "unknown", `user_id = "70000999-0000-4000-8000-000000000999"`),
				ExpectError: wrapped(`Unable to Reopen User: DocuSign account .* has no user 70000999-0000-4000-8000-000000000999`),
			},
		},
	})
}
