// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// actionOnCreate is a configuration that invokes action NAME.x with config once, after the
// terraform_data resource named trigger is created: the action_trigger form a pipeline uses. A
// step that names another trigger invokes the action again.
func actionOnCreate(name, trigger, config string) string {
	return fmt.Sprintf(`
action %[1]q "x" {
  config {
    %[3]s
  }
}

resource "terraform_data" %[2]q {
  input = "offboarding"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.%[1]s.x]
    }
  }
}
`, name, trigger, config)
}

var actionsNeedTerraform114 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

func TestAccCloseUserAction_byEmailAndByID(t *testing.T) {
	emu := startEmulator(t)
	jamieID := emu.userIDByEmail(t, leaverJamie)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   actionsNeedTerraform114,
		Steps: []resource.TestStep{
			{
				// Any letter case names the same user, as in DocuSign.
				Config: emu.providerConfig() + actionOnCreate("docusign_close_user", "first",
					fmt.Sprintf("account_id = %q\n    email = %q", testSalesAccount, strings.ToUpper(leaverAlex))),
				ConfigStateChecks: emulatorcheck.StateChecks(
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
					emulatorcheck.NotClosed(emu, testSalesAccount, jamieID),
				),
			},
			{
				// user_id, and the account from the provider's default.
				Config: emu.providerConfig() + actionOnCreate("docusign_close_user", "second", fmt.Sprintf("user_id = %q", jamieID)),
				ConfigStateChecks: emulatorcheck.StateChecks(
					emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverJamie, "Closed"),
					emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
				),
			},
		},
	})
}

func TestAccCloseUserAction_refusals(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   actionsNeedTerraform114,
		Steps: []resource.TestStep{
			{
				// The last step's configuration is the one destroyed, so the invalid one comes first.
				Config:      emu.providerConfig() + actionOnCreate("docusign_close_user", "trigger", fmt.Sprintf("user_id = %q\n    email = %q", testAdminUserID, leaverAlex)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*user_id.*email`),
			},
			{
				// The provider's own user, by ID, is refused at plan time.
				Config:      emu.providerConfig() + actionOnCreate("docusign_close_user", "trigger", fmt.Sprintf("user_id = %q", testAdminUserID)),
				PlanOnly:    true,
				ExpectError: wrapped(`Cannot Close the Provider's Own User.*is the user this provider impersonates .* through a provider alias`),
			},
			{
				// ... and by email when the action runs, before any close.
				Config:      emu.providerConfig() + actionOnCreate("docusign_close_user", "self_by_email", `email = "ADMIN@opensam.example"`),
				ExpectError: wrapped(`Cannot Close the Provider's Own User`),
			},
			{
				Config:      emu.providerConfig() + actionOnCreate("docusign_close_user", "unknown", `email = "nobody@opensam.example"`),
				ExpectError: wrapped(`User Not Found: DocuSign account .* has no user with email nobody@opensam.example`),
			},
		},
		CheckDestroy: emulatorcheck.CheckFunc(
			emulatorcheck.NotClosed(emu, testSalesAccount, testAdminUserID),
			emulatorcheck.TotalCallsAtMost(emu, 40),
		),
	})
}

// TestAccCloseUserAction_invokeFromTheCommandLine runs the pipeline form, apply -invoke, with the
// built provider, and reads its progress messages from terraform's JSON output.
func TestAccCloseUserAction_invokeFromTheCommandLine(t *testing.T) {
	t.Parallel()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf, err := tfrun.TerraformPath()
	if err != nil {
		t.Fatal(err)
	}
	if v := terraformVersion(t, tf); v.LessThan(version.Must(version.NewVersion("1.14.0"))) {
		t.Skipf("apply -invoke needs Terraform >= 1.14; this is %s", v)
	}
	emu := startEmulator(t)
	ctx := context.Background()
	ws, err := tfrun.NewWorkspace(t.TempDir(), builtProvider(t))
	if err != nil {
		t.Fatal(err)
	}
	config := demoorg.ProviderConfig(emu.OAuthBaseURL, emu.AdminBaseURL) + fmt.Sprintf(`
action "docusign_close_user" "alex" {
  config {
    email = %q
  }
}
`, leaverAlex)
	if err := ws.Write("main.tf", config); err != nil {
		t.Fatal(err)
	}
	out, err := ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-json", "-invoke=action.docusign_close_user.alex")
	if err != nil {
		t.Fatal(err)
	}
	var messages []string
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type    string `json:"type"`
			Message string `json:"@message"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && strings.HasPrefix(msg.Type, "action_") {
			messages = append(messages, msg.Message)
		}
	}
	joined := strings.Join(messages, "\n")
	for _, want := range []string{"Closing " + leaverAlex + " in account " + testSalesAccount, "Closed " + leaverAlex} {
		if !strings.Contains(joined, want) {
			t.Errorf("no progress message %q in the action's output:\n%s", want, tfrun.Tail(out, 4000))
		}
	}
	if err := emulatorcheck.Verify(
		emulatorcheck.MembershipStatus(emu, testSalesAccount, leaverAlex, "Closed"),
		emulatorcheck.Closures(emu, testSalesAccount, leaverAlex, 1),
	); err != nil {
		t.Error(err)
	}
	// An action keeps no state.
	if show, err := ws.Run(ctx, "show", "-json"); err != nil || strings.Contains(show, "docusign_close_user") {
		t.Errorf("state after -invoke mentions the action or cannot be read (%v): %s", err, tfrun.Tail(show, 2000))
	}
}
