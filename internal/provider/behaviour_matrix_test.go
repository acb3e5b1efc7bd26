// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// The provider must work under the emulator's default behaviour and under each of its switches,
// each of which turns on one other reading of something DocuSign does not document.
// behaviourMatrix runs one scenario under all of them, one switch at a time, so a scenario that a
// new switch breaks fails under that switch's name.

// behaviourMatrix runs scenario as subtests: "default" under the zero Behaviour, then one subtest
// per switch, named by its json name, with that switch alone on. With no names it runs every
// switch emulator.Behaviour has, so a switch added later is covered without editing the callers;
// with names it runs those only, and fails on a name Behaviour lacks. Every emulator the scenario
// starts (startEmulator) begins with the subtest's behaviour, which the scenario also receives to
// tell what DocuSign's answers look like under it. As with withBehaviour, the fixture's users are
// dated long ago in every subtest, and a withBehaviour inside the scenario does not override it.
func behaviourMatrix(t *testing.T, scenario func(t *testing.T, b emulator.Behaviour), switches ...string) {
	t.Helper()
	if len(switches) == 0 {
		switches = behaviourSwitches()
	}
	variants := []struct {
		name string
		b    emulator.Behaviour
	}{{"default", emulator.Behaviour{}}}
	for _, name := range switches {
		b, err := behaviourWith(name)
		if err != nil {
			t.Fatal(err)
		}
		variants = append(variants, struct {
			name string
			b    emulator.Behaviour
		}{name, b})
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			withBehaviour(t, v.b)
			scenario(t, v.b)
		})
	}
}

// behaviourSwitches are the json names of emulator.Behaviour's switches (its bool fields), in
// field order.
func behaviourSwitches() []string {
	var names []string
	rt := reflect.TypeFor[emulator.Behaviour]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if name := jsonName(f); name != "" && f.Type.Kind() == reflect.Bool {
			names = append(names, name)
		}
	}
	return names
}

// behaviourWith is the Behaviour with the switches named (by json name) on and every other off.
func behaviourWith(names ...string) (emulator.Behaviour, error) {
	var b emulator.Behaviour
	v := reflect.ValueOf(&b).Elem()
	for _, name := range names {
		found := false
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if jsonName(f) == name && f.Type.Kind() == reflect.Bool {
				v.Field(i).SetBool(true)
				found = true
			}
		}
		if !found {
			return b, fmt.Errorf("emulator.Behaviour has no switch %s; it has %s", name, strings.Join(behaviourSwitches(), ", "))
		}
	}
	return b, nil
}

// jsonName is a struct field's json name, "" when the field has none or is skipped.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

func TestBehaviourMatrixHelpers(t *testing.T) {
	names := behaviourSwitches()
	for _, want := range []string{"batch_close_all_or_nothing", "users_self_only", "legacy_profile_names"} {
		if !slices.Contains(names, want) {
			t.Errorf("switches %v lack %q", names, want)
		}
	}
	for _, name := range names {
		b, err := behaviourWith(name)
		if err != nil {
			t.Fatal(err)
		}
		if reflect.DeepEqual(b, emulator.Behaviour{}) {
			t.Errorf("behaviourWith(%q) turned nothing on", name)
		}
	}
	if b, _ := behaviourWith("legacy_profile_names"); !b.LegacyProfileNames || b.UsersSelfOnly {
		t.Errorf("behaviourWith(legacy_profile_names) = %+v", b)
	}
	if _, err := behaviourWith("no_such_switch"); err == nil || !strings.Contains(err.Error(), "legacy_profile_names") {
		t.Errorf("unknown switch: %v", err)
	}
	var ran []string
	behaviourMatrix(t, func(t *testing.T, b emulator.Behaviour) {
		v, _ := fixtureBehaviour.Load(t)
		if !reflect.DeepEqual(v, b) {
			t.Errorf("the subtest's emulators would start with %+v, the scenario was told %+v", v, b)
		}
		ran = append(ran, t.Name())
	}, "users_self_only", "legacy_profile_names")
	want := []string{t.Name() + "/default", t.Name() + "/users_self_only", t.Name() + "/legacy_profile_names"}
	if !reflect.DeepEqual(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
}

// The docusign_user example, as the docs show it, applies on current accounts ("DS Sender") and on
// older ones ("DocuSign Sender"), and plans nothing afterwards: the configured name stays in state
// while each account keeps its own name and ID for the profile.
func TestAccExamples_userUnderEitherProfileNaming(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile(filepath.Join(repoRoot(), "examples", "resources", "docusign_user", "resource.tf"))
	if err != nil {
		t.Fatal(err)
	}
	const newHire, contractor = "New.Hire@opensam.example", "contractor@partner.example"
	behaviourMatrix(t, func(t *testing.T, b emulator.Behaviour) {
		emu := startEmulator(t)
		config := emu.providerConfig() + string(example)
		_, contractorBlock, found := strings.Cut(string(example), "# A contractor")
		if !found {
			t.Fatal("the example no longer has the contractor block this test keeps")
		}
		forget := emu.providerConfig() + "# A contractor" + contractorBlock + `
removed {
  from = docusign_user.new_hire
  lifecycle {
    destroy = false
  }
}
`
		sender, _ := emu.PermissionProfileID(testSalesAccount, "DS Sender")
		shown := map[bool][2]string{false: {"DS Sender", "DS Viewer"}, true: {"DocuSign Sender", "DocuSign Viewer"}}[b.LegacyProfileNames]
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("docusign_user.new_hire", tfjsonpath.New("permission_profile_name"), knownvalue.StringExact("DS Sender")),
						statecheck.ExpectKnownValue("docusign_user.new_hire", tfjsonpath.New("permission_profile_id"), knownvalue.StringExact(sender)),
						statecheck.ExpectKnownValue("docusign_user.contractor", tfjsonpath.New("permission_profile_name"), knownvalue.StringExact("DS Viewer")),
						emulatorcheck.PermissionProfile(emu, testSalesAccount, newHire, "DS Sender"),
						emulatorcheck.PermissionProfile(emu, testSalesAccount, contractor, "DS Viewer"),
						emulatorcheck.MembershipStatus(emu, testSalesAccount, newHire, "ActivationSent"),
					},
					Check: func(*terraform.State) error {
						// What DocuSign itself shows under this naming: the account's own names.
						return shownProfiles(emu, map[string]string{newHire: shown[0], contractor: shown[1]})
					},
				},
				{
					Config:           config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				},
				{
					// Terraform forgets the new hire (DocuSign keeps them), to import them again.
					Config: forget,
				},
				{
					// An import has no configuration to keep, so it reads the account's own name.
					Config:             config,
					ResourceName:       "docusign_user.new_hire",
					ImportState:        true,
					ImportStatePersist: true,
					ImportStateIdFunc:  func(*terraform.State) (string, error) { return testSalesAccount + "/" + newHire, nil },
					ImportStateCheck: func(states []*terraform.InstanceState) error {
						for _, st := range states {
							if strings.EqualFold(st.Attributes["email"], newHire) {
								if got := st.Attributes["permission_profile_name"]; got != shown[0] {
									return fmt.Errorf("imported permission_profile_name %q, want %q", got, shown[0])
								}
								return nil
							}
						}
						return fmt.Errorf("no imported state for %s among %d", newHire, len(states))
					},
				},
				{
					// Where the account's name is the other one, the next apply takes the configured name
					// into state without sending DocuSign anything: it is the same profile.
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("docusign_user.new_hire", map[bool]plancheck.ResourceActionType{
							false: plancheck.ResourceActionNoop, true: plancheck.ResourceActionUpdate}[b.LegacyProfileNames]),
					}},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("docusign_user.new_hire", tfjsonpath.New("permission_profile_name"), knownvalue.StringExact("DS Sender")),
						emulatorcheck.Calls(emu, map[string]int{
							"PUT /restapi/v2.1/accounts/{accountId}/users/{userId}": 0, "PUT /restapi/v2.1/accounts/{accountId}/users": 0}),
						emulatorcheck.PermissionProfile(emu, testSalesAccount, newHire, "DS Sender"),
					},
				},
			},
		})
	}, "legacy_profile_names")
}

// shownProfiles checks the profile name the emulator's API shows for each email's Sales membership.
func shownProfiles(emu *testEmulator, want map[string]string) error {
	for email, name := range want {
		u, ok := emu.UserByEmail(email)
		if !ok {
			return fmt.Errorf("emulator: no user %s", email)
		}
		if got, _ := emu.PermissionProfileName(u.ID, testSalesAccount); got != name {
			return fmt.Errorf("emulator: %s in Sales shows profile %q, want %q", email, got, name)
		}
	}
	return nil
}

// runSwitches runs scenario tests as subtests with the named switches on (and every other off),
// for scenarios whose default run is a test of its own.
func runSwitches(t *testing.T, names []string, scenarios map[string]func(*testing.T)) {
	t.Helper()
	b, err := behaviourWith(names...)
	if err != nil {
		t.Fatal(err)
	}
	for name, scenario := range scenarios {
		t.Run(name, func(t *testing.T) {
			withBehaviour(t, b)
			scenario(t)
		})
	}
}

// legacy_profile_names: the user scenarios, written with current accounts' "DS …" names, create,
// update and refresh users on an account that still says "DocuSign Sender", with no drift. (An
// import reads the account's own name, so TestAccUser_lifecycle's import check, which compares
// names, is not among them.)
func TestAccBehaviour_legacyProfileNames(t *testing.T) {
	t.Parallel()
	runSwitches(t, []string{"legacy_profile_names"}, map[string]func(*testing.T){
		"user_keep_on_destroy":          TestAccUser_keepOnDestroy,
		"user_profile_name_per_account": TestAccUser_permissionProfileNamePerAccount,
		"user_existing_elsewhere":       TestAccUser_existingInAnotherAccount,
		"user_data_source":              TestAccUserDataSource,
	})
}
