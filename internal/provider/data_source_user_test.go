// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccUserDataSource(t *testing.T) {
	emu := startEmulator(t)
	alexID := emu.userIDByEmail(t, leaverAlex)
	multiEmail, multiAccounts := emu.multiAccountUser(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.providerConfig(fmt.Sprintf("account_id = %q", testSalesAccount)) + fmt.Sprintf(`
data "docusign_user" "by_email" {
  email = %q
}

data "docusign_user" "by_id" {
  account_id = %q
  user_id    = %q
}

data "docusign_user" "in_org" {
  organization_id = %q
  email           = %q
}
`, leaverAlex, testSalesAccount, alexID, testOrgID, multiEmail),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.docusign_user.by_email", tfjsonpath.New("id"), knownvalue.StringExact(alexID)),
				statecheck.ExpectKnownValue("data.docusign_user.by_email", tfjsonpath.New("account_id"), knownvalue.StringExact(testSalesAccount)),
				statecheck.ExpectKnownValue("data.docusign_user.by_email", tfjsonpath.New("status"), knownvalue.StringExact("Active")),
				statecheck.ExpectKnownValue("data.docusign_user.by_id", tfjsonpath.New("email"), knownvalue.StringExact(leaverAlex)),
				statecheck.ExpectKnownValue("data.docusign_user.by_id", tfjsonpath.New("memberships").AtSliceIndex(0).AtMapKey("permission_profile_name"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.docusign_user.in_org", tfjsonpath.New("memberships"), knownvalue.ListSizeExact(len(multiAccounts))),
				statecheck.ExpectKnownValue("data.docusign_user.in_org", tfjsonpath.New("memberships").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("Active")),
			},
		}},
	})
}

func TestAccUserDataSource_notFound(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_user" "nobody" {
  account_id = %q
  email      = "nobody@opensam.example"
}
`, testSalesAccount),
				ExpectError: regexp.MustCompile(`(?s)User Not Found.*nobody@opensam.example`),
			},
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
data "docusign_user" "nobody" {
  organization_id = %q
  user_id         = "00000000-0000-4000-8000-000000000000"
}
`, testOrgID),
				ExpectError: regexp.MustCompile(`(?s)User Not Found.*organization ` + testOrgID),
			},
		},
	})
}
