// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

const routeAdminOrgUsers = "GET /Management/v2/organizations/{organizationId}/users"

// closeEverywhere closes Alex in both accounts and Jamie in Sales only: Alex and the fixture's
// Casey are closed in the whole organization, Jamie is not.
func (e *testEmulator) closeEverywhere(t *testing.T) (alexID, caseyID string) {
	t.Helper()
	alexID, jamieID := e.userIDByEmail(t, leaverAlex), e.userIDByEmail(t, leaverJamie)
	for _, c := range []struct{ user, account string }{{alexID, testSalesAccount}, {alexID, testLegalAccount}, {jamieID, testSalesAccount}} {
		if err := e.SetMembershipStatus(c.user, c.account, "Closed"); err != nil {
			t.Fatal(err)
		}
	}
	return alexID, e.userIDByEmail(t, caseyClosed)
}

func TestAccOrganizationClosedUserList_query(t *testing.T) {
	emu := startEmulator(t)
	alexID, caseyID := emu.closeEverywhere(t)
	org := fmt.Sprintf("organization_id = %q", testOrgID)
	alex := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"organization_id": knownvalue.StringExact(testOrgID), "user_id": knownvalue.StringExact(alexID),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Query:     true,
				Config:    emu.providerConfig() + listBlock("docusign_organization_closed_user", "leavers", "", org),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_organization_closed_user.leavers", 2),
					querycheck.ExpectIdentity("docusign_organization_closed_user.leavers", map[string]knownvalue.Check{
						"organization_id": knownvalue.StringExact(testOrgID), "user_id": knownvalue.StringExact(caseyID),
					}),
					querycheck.ExpectResourceKnownValues("docusign_organization_closed_user.leavers", alex, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("closed_account_ids"), KnownValue: knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact(testSalesAccount), knownvalue.StringExact(testLegalAccount),
						})},
						{Path: tfjsonpath.New("user_name"), KnownValue: knownvalue.StringExact("Alex Leaver")},
					}),
					// One page per account of the organization (Sales, Legal, Labs, Partners), nothing per
					// user, and one JWT grant for the organization and its users.
					emulatorSaw(emulatorcheck.Calls(emu, map[string]int{
						routeAdminOrgUsers: 4, "POST /oauth/token": 1,
						"GET /Management/v2.1/organizations/{organizationId}/users/dsprofile": 0,
					})),
				},
			},
			{
				// Results come by email: the limit keeps Alex, not Casey.
				Query:  true,
				Config: emu.providerConfig() + listBlock("docusign_organization_closed_user", "first", "1", org),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_organization_closed_user.first", 1),
					querycheck.ExpectIdentity("docusign_organization_closed_user.first", map[string]knownvalue.Check{
						"organization_id": knownvalue.StringExact(testOrgID), "user_id": knownvalue.StringExact(alexID),
					}),
				},
			},
		},
	})
}

func TestAccOrganizationClosedUserList_adopt(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t)
	emu.closeEverywhere(t)
	generated := adoptByQuery(t, emu, listBlock("docusign_organization_closed_user", "leavers", "", fmt.Sprintf("organization_id = %q", testOrgID)))
	if n := strings.Count(generated, "import {"); n != 2 {
		t.Errorf("generated %d import blocks, want 2:\n%s", n, generated)
	}
	if err := emulatorcheck.Verify(
		emulatorcheck.CallsAtMost(emu, "DELETE /Management/v2/organizations/{organizationId}/users/{userId}/accounts", 0),
		emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Closed"),
		emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverJamie, "Active"),
	); err != nil {
		t.Error(err)
	}
}
