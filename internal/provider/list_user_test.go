// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
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

const lenaFischer = "lena.fischer@opensam.example"

func TestAccUserList_query(t *testing.T) {
	emu := startEmulator(t)
	lenaID := emu.userIDByEmail(t, lenaFischer)
	if err := emu.SetMembershipStatus(lenaID, testSalesAccount, "ActivationSent"); err != nil {
		t.Fatal(err)
	}
	priyaID := emu.userIDByEmail(t, priyaShah)
	sales := fmt.Sprintf("account_id = %q", testSalesAccount)
	priya := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
		"account_id": knownvalue.StringExact(testSalesAccount), "user_id": knownvalue.StringExact(priyaID),
	})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				// Sales has 13 users: 11 active, Lena invited, Casey closed (never listed).
				Query: true,
				Config: emu.providerConfig() +
					listBlock("docusign_user", "open", "", sales) +
					listBlock("docusign_user", "active", "", sales, `status = "ACTIVE"`) +
					listBlock("docusign_user", "invited", "", sales, `status = "activationsent"`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_user.open", 12),
					querycheck.ExpectLength("docusign_user.active", 11),
					querycheck.ExpectLength("docusign_user.invited", 1),
					querycheck.ExpectIdentity("docusign_user.invited", map[string]knownvalue.Check{
						"account_id": knownvalue.StringExact(testSalesAccount), "user_id": knownvalue.StringExact(lenaID),
					}),
				},
			},
			{
				// The email in other letter case finds Priya; the resource carries DocuSign's spelling.
				Query:  true,
				Config: emu.providerConfig() + listBlock("docusign_user", "priya", "", sales, fmt.Sprintf("email = %q", strings.ToUpper(priyaShah))),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_user.priya", 1),
					querycheck.ExpectResourceDisplayName("docusign_user.priya", priya, knownvalue.StringExact("Priya Shah <"+priyaShah+">")),
					querycheck.ExpectResourceKnownValues("docusign_user.priya", priya, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("email"), KnownValue: knownvalue.StringExact(priyaShah)},
						{Path: tfjsonpath.New("user_status"), KnownValue: knownvalue.StringExact("Active")},
						{Path: tfjsonpath.New("created_user"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("permission_profile_id"), KnownValue: knownvalue.Null()},
					}),
				},
			},
			{
				// A limit of three asks for one page of three; include_resource reads no user on its own.
				PreConfig: emu.ResetStats,
				Query:     true,
				Config:    emu.providerConfig() + listBlock("docusign_user", "three", "3", sales),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_user.three", 3),
					emulatorSaw(emulatorcheck.Calls(emu, map[string]int{routeESignUsers: 1, routeESignUser: 0})),
				},
			},
		},
	})
}

func TestAccUserList_refusesClosedStatus(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{{
			Query:       true,
			Config:      emu.providerConfig() + listBlock("docusign_user", "closed", "", `status = "closed"`),
			ExpectError: regexp.MustCompile(`(?s)value must be one of:.*ActivationRequired`),
		}},
	})
}

// TestAccUserList_adopt adopts every user of the Labs account through generated configuration:
// the plan after the import is empty and DocuSign is not touched.
func TestAccUserList_adopt(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t)
	generated := adoptByQuery(t, emu, listBlock("docusign_user", "labs", "", fmt.Sprintf("account_id = %q", testLabsAccount)))
	if n := strings.Count(generated, "import {"); n != 4 {
		t.Errorf("generated %d import blocks, want 4 (the Labs account's users):\n%s", n, generated)
	}
	if err := emulatorcheck.Verify(
		emulatorcheck.CallsAtMost(emu, "POST /restapi/v2.1/accounts/{accountId}/users", 0),
		emulatorcheck.CallsAtMost(emu, "PUT /restapi/v2.1/accounts/{accountId}/users/{userId}", 0),
		emulatorcheck.MembershipStatus(emu, testLabsAccount, "diego.ruiz@opensam.example", "Active"),
	); err != nil {
		t.Error(err)
	}
}
