package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const (
	leaverAlex  = "alex.leaver@opensam.example"
	leaverJamie = "jamie.leaver@opensam.example"
)

// expectMembership checks what the emulator holds, not what Terraform believes.
func (e *testEmulator) expectMembership(t *testing.T, email, accountID, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		id := e.userIDByEmail(t, email)
		if got := e.membershipStatus(t, id, accountID); got != want {
			return fmt.Errorf("emulator: %s in account %s is %s, want %s", email, accountID, got, want)
		}
		return nil
	}
}

// expectClosures checks how many times the emulator closed a membership: exactly once means no
// duplicate or repeated close.
func (e *testEmulator) expectClosures(t *testing.T, email, accountID string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		u, _ := e.UserByEmail(email)
		for _, m := range u.Memberships {
			if m.AccountID == accountID {
				if m.Closures != want {
					return fmt.Errorf("emulator: %s in %s was closed %d times, want %d", email, accountID, m.Closures, want)
				}
				return nil
			}
		}
		return fmt.Errorf("emulator: %s has no membership in %s", email, accountID)
	}
}

func TestAccClosedUser_byUserIDImportAndDrift(t *testing.T) {
	emu := startEmulator(t)
	alexID := emu.userIDByEmail(t, leaverAlex)
	config := emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_user" "alex" {
  account_id = %q
  user_id    = %q
}
`, testSalesAccount, alexID)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             emu.expectMembership(t, leaverAlex, testSalesAccount, "Closed"),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("user_id"), knownvalue.StringExact(alexID)),
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("email"), knownvalue.StringExact(leaverAlex)),
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("account_id"), knownvalue.StringExact(testSalesAccount)),
					statecheck.ExpectKnownValue("docusign_closed_user.alex", tfjsonpath.New("reopen_on_destroy"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					emu.expectMembership(t, leaverAlex, testSalesAccount, "Closed"),
					emu.expectClosures(t, leaverAlex, testSalesAccount, 1),
				),
			},
			{
				ResourceName:                         "docusign_closed_user.alex",
				ImportState:                          true,
				ImportStateId:                        testSalesAccount + "/" + alexID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
			},
			{
				ResourceName:                         "docusign_closed_user.alex",
				ImportState:                          true,
				ImportStateId:                        testSalesAccount + "/" + leaverAlex,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "user_id",
			},
			{
				// Someone reopens Alex by hand: the next plan must close Alex again.
				PreConfig: func() {
					if err := emu.SetMembershipStatus(alexID, testSalesAccount, "Active"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("docusign_closed_user.alex", plancheck.ResourceActionCreate),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					emu.expectMembership(t, leaverAlex, testSalesAccount, "Closed"),
					emu.expectClosures(t, leaverAlex, testSalesAccount, 2),
				),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccClosedUser_alreadyClosedByEmailAndReopenOnDestroy(t *testing.T) {
	emu := startEmulator(t)
	jamieID := emu.userIDByEmail(t, leaverJamie)
	if err := emu.SetMembershipStatus(jamieID, testLegalAccount, "Closed"); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		// reopen_on_destroy: destroying gives Jamie the account back.
		CheckDestroy: emu.expectMembership(t, leaverJamie, testLegalAccount, "Active"),
		Steps: []resource.TestStep{{
			Config: emu.providerConfig() + fmt.Sprintf(`
resource "docusign_closed_user" "jamie" {
  account_id        = %q
  email             = %q
  reopen_on_destroy = true
}
`, testLegalAccount, leaverJamie),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("docusign_closed_user.jamie", tfjsonpath.New("user_id"), knownvalue.StringExact(jamieID)),
				statecheck.ExpectKnownValue("docusign_closed_user.jamie", tfjsonpath.New("reopen_on_destroy"), knownvalue.Bool(true)),
			},
			Check: emu.expectMembership(t, leaverJamie, testLegalAccount, "Closed"),
		}},
	})
}

func TestAccClosedUser_leaverSetChanges(t *testing.T) {
	emu := startEmulator(t)
	// One block per leaver, as a generated configuration would have: the testing framework's
	// state shim cannot read for_each keys.
	leavers := func(emails ...string) string {
		var blocks strings.Builder
		for _, e := range emails {
			fmt.Fprintf(&blocks, "resource \"docusign_closed_user\" %q {\n  email = %q\n}\n", leaverName(e), e)
		}
		return emu.providerConfig(fmt.Sprintf("account_id = %q", testSalesAccount)) + blocks.String()
	}
	third := "test.user1@opensam.example"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: leavers(leaverAlex, leaverJamie),
				ConfigStateChecks: []statecheck.StateCheck{emulatorState(
					emu.expectMembership(t, leaverAlex, testSalesAccount, "Closed"),
					emu.expectMembership(t, leaverJamie, testSalesAccount, "Closed"),
					emu.expectMembership(t, third, testSalesAccount, "Active"),
				)},
			},
			{
				// Dropping a leaver only forgets them: nobody is reopened, nobody else is touched.
				Config: leavers(leaverAlex),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(leaverJamie), plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(leaverAlex), plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{emulatorState(
					emu.expectMembership(t, leaverJamie, testSalesAccount, "Closed"),
					emu.expectClosures(t, leaverJamie, testSalesAccount, 1),
					emu.expectClosures(t, leaverAlex, testSalesAccount, 1),
				)},
			},
			{
				// Adding a leaver closes exactly that user.
				Config: leavers(leaverAlex, third),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(third), plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("docusign_closed_user."+leaverName(leaverAlex), plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{emulatorState(
					emu.expectMembership(t, third, testSalesAccount, "Closed"),
					emu.expectClosures(t, third, testSalesAccount, 1),
					emu.expectClosures(t, leaverAlex, testSalesAccount, 1),
				)},
			},
		},
	})
}

func TestAccClosedUser_badInput(t *testing.T) {
	emu := startEmulator(t)
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"both user_id and email", `user_id = "` + testAdminUserID + `"
  email = "a@b.example"`, regexp.MustCompile(`(?s)Invalid Attribute Combination.*user_id.*email`)},
		{"neither user_id nor email", `account_id = "` + testSalesAccount + `"`, regexp.MustCompile(`(?s)Invalid Attribute Combination`)},
		{"user_id not a GUID", `user_id = "alex"`, regexp.MustCompile(`(?s)user_id.*must be a DocuSign GUID`)},
		{"email malformed", `email = "not-an-email"`, regexp.MustCompile(`(?s)email.*must be an email address`)},
		{"account_id not a GUID", `account_id = "sales"
  email = "a@b.example"`, regexp.MustCompile(`(?s)account_id.*must be a DocuSign GUID`)},
		{"organization_id belongs to docusign_organization_closed_user", `organization_id = "` + testOrgID + `"
  email = "a@b.example"`, regexp.MustCompile(`(?s)Unsupported argument.*organization_id`)},
		{"unknown email", `account_id = "` + testSalesAccount + `"
  email = "nobody@opensam.example"`, wrapped(`User Not Found.*has no user with email nobody@opensam.example`)},
		{"unknown user_id", `account_id = "` + testSalesAccount + `"
  user_id = "00000000-0000-4000-8000-000000000000"`, wrapped(`Unable to Close User.*has no user 00000000-0000-4000-8000-000000000000`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfig() + "resource \"docusign_closed_user\" \"bad\" {\n  " + tc.body + "\n}\n",
					ExpectError: tc.want,
				}},
			})
		})
	}
}

func leaverName(email string) string {
	return strings.NewReplacer(".", "_", "@", "_").Replace(email)
}
