// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func userRule(name, arg string) string {
	return fmt.Sprintf(`
resource "docusign_subscription_user_exclusion_rule" %q {
  profile_id = %q
  %s
}
`, name, testOrgID, arg)
}

func TestAccUserExclusionRule_byEmailAndID(t *testing.T) {
	emu := startEmulator(t)
	mailbox := emu.userIDByEmail(t, "svc.contracts@opensam.example")
	const r = "docusign_subscription_user_exclusion_rule."
	config := emu.providerConfig() +
		profileConfig("main", testOrgID, "2024-01-31", 12, "") +
		userRule("mailbox", `email = "svc.contracts@opensam.example"`) +
		userRule("admin", fmt.Sprintf("user_id = %q", testAdminUserID)) +
		userRule("off", `email = "test.user1@opensam.example"
  active = false`) +
		fmt.Sprintf(`
data "docusign_subscriptions" "all" {
  organization_id = docusign_integration_profile.main.organization_id
  exclusion_rules = [%[1]smailbox.rule, %[1]sadmin.rule, %[1]soff.rule]
}
`, r)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(r+"mailbox", tfjsonpath.New("user_id"), knownvalue.StringExact(mailbox)),
					statecheck.ExpectKnownValue(r+"admin", tfjsonpath.New("email"), knownvalue.StringExact("admin@opensam.example")),
					statecheck.ExpectKnownValue(r+"mailbox", tfjsonpath.New("rule"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.NotNull(), "kind": knownvalue.StringExact("user"), "match": knownvalue.StringExact("equals"),
						"identifier": knownvalue.Null(), "case_sensitive": knownvalue.Bool(false),
						"user_id": knownvalue.StringExact(mailbox), "active": knownvalue.Bool(true),
					})),
					// The mailbox once, the admin in all three accounts; the inactive rule nobody.
					statecheck.ExpectKnownValue("data.docusign_subscriptions.all", tfjsonpath.New("excluded_count"), knownvalue.Int64Exact(4)),
					statecheck.ExpectKnownValue("data.docusign_subscriptions.all", tfjsonpath.New("counted"), knownvalue.Int64Exact(allSubs-4)),
				},
			},
			{
				ResourceName:  r + "mailbox",
				ImportState:   true,
				ImportStateId: testOrgID + "/svc.contracts@opensam.example",
				ImportStateCheck: expectImported(map[string]string{
					"profile_id": testOrgID, "user_id": mailbox, "email": "svc.contracts@opensam.example", "active": "true",
					"rule.kind": "user", "rule.user_id": mailbox,
				}),
			},
		},
	})
}

func TestAccUserExclusionRule_failures(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      emu.providerConfig() + userRule("r", `email = "nobody@opensam.example"`),
				ExpectError: textRe("Unable to Create DocuSign Subscription User Exclusion Rule", "has no user nobody@opensam.example"),
			},
			{
				Config:      emu.providerConfig() + userRule("r", `user_id = "7fffffff-0000-4000-8000-00000000ffff"`),
				ExpectError: textRe("has no user 7fffffff-0000-4000-8000-00000000ffff"),
			},
			{
				Config:      emu.providerConfig() + userRule("r", `email = "shared.inbox@opensam.example"`),
				ExpectError: textRe("has 2 users with email shared.inbox@opensam.example", "set user_id"),
			},
			{
				Config: emu.providerConfig() + userRule("r", `email = "svc.contracts@opensam.example"
  user_id = "70000005-0000-4000-8000-000000000005"`),
				ExpectError: textRe("Invalid Attribute Combination"),
				PlanOnly:    true,
			},
			{
				Config:      emu.providerConfig() + userRule("r", ""),
				ExpectError: textRe("Invalid Attribute Combination"),
				PlanOnly:    true,
			},
		},
	})
}
