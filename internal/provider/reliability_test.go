// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

// Reliability under faults, at the reduced size `make test` runs (tools/chaos runs the full size):
//
//   - TestAccReliability_closuresUnderFaults: 40 docusign_closed_user plus both report data sources
//     while the emulator throttles (429 and 400 forms), answers 5xx and expires tokens every 5 s.
//   - TestAccReliability_retryBudget: max_retries = 1 against an emulator that always fails; the
//     diagnostic names the budget and max_retries.
//   - TestAccReliability_createUserResponseDropped: the emulator creates the user, then drops the
//     answer; the provider looks before it tries again, so exactly one user exists.

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensam/terraform-provider-docusign/internal/contract"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// chaosFaults are throttles in both forms, 5xx answers and tokens that expire every 5 seconds:
// the faults of `make chaos`, at a lighter mix. A call meets a fault with probability
// 0.2 + 0.8*0.1 = 0.28 here (0.44 in `make chaos`), and the test's time is set by its longest
// chain of consecutive faults, whose backoff doubles: about 8 faults in a row among ~650 calls
// at 0.44 (up to 170 s of waiting), about 5 at 0.28 (about 30 s). make test must stay within CI's time.
var chaosFaults = emulator.Faults{ThrottleRate: 0.2, ErrorRate: 0.1, TokenTTLSeconds: 5}

// leaversConfig is n closed users plus the subscriptions and consumption reports.
func leaversConfig(provider, accountID string, userIDs []string) string {
	var b strings.Builder
	b.WriteString(provider)
	for i, id := range userIDs {
		fmt.Fprintf(&b, "resource \"docusign_closed_user\" \"u%03d\" {\n  account_id = %q\n  user_id    = %q\n}\n", i, accountID, id)
	}
	fmt.Fprintf(&b, `
data "docusign_subscriptions" "all" {
  organization_id = %[1]q
}

# One account keeps the per-sender searches under faults without paying for every account's.
data "docusign_consumption" "cycle" {
  organization_id       = %[1]q
  account_ids           = [%[2]q]
  contract_start_date   = "2024-01-31"
  renewal_period_months = 12
}
`, testOrgID, testLabsAccount)
	return b.String()
}

func TestAccReliability_closuresUnderFaults(t *testing.T) {
	const n = 40
	emu := startEmulator(t)
	users := emu.generatedLeavers(t, n)
	// A call meets a fault with probability 0.28; 20 retries make a give-up (0.28^21 ≈ 2e-12 per
	// call) vanishingly rare, so any error here is the provider's fault.
	config := leaversConfig(emu.providerConfig("max_retries = 20"), testSalesAccount, users)
	emu.SetFaults(chaosFaults)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.docusign_subscriptions.all", tfjsonpath.New("total"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("data.docusign_consumption.cycle", tfjsonpath.New("accounts"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("docusign_closed_user.u000", tfjsonpath.New("account_id"), knownvalue.StringExact(testSalesAccount)),
					emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...),
				},
			},
			{
				// Still under faults: the refresh reads every closure again, and nothing changes.
				// PlanOnly fails the test on any planned change.
				Config:   config,
				PlanOnly: true,
			},
		},
	})
	st := emu.Stats()
	t.Logf("emulator: %d requests, %d injected faults, %d throttled, %d token grants", st.Total, st.InjectedFaults, st.Throttled, st.TokenGrants)
	if st.Throttled == 0 || st.InjectedFaults <= st.Throttled {
		t.Errorf("the emulator throttled %d and injected %d faults: the test proves nothing without both throttles and 5xx", st.Throttled, st.InjectedFaults)
	}
	if st.TokenGrants < 2 {
		t.Errorf("the emulator issued %d tokens; with 5 s tokens the run should have needed fresh ones", st.TokenGrants)
	}
	if err := emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...).Verify(); err != nil {
		t.Error(err)
	}
}

func TestAccReliability_retryBudget(t *testing.T) {
	cases := []struct {
		name   string
		faults emulator.Faults
		want   string
	}{
		// Every call answers 5xx: one retry, then a diagnostic naming the budget and the setting.
		{"server errors", emulator.Faults{ErrorRate: 1}, `retry budget exhausted after 2 attempts.*max_retries`},
		// Every call is throttled: the Retry-After is honoured once, then the same.
		{"throttles", emulator.Faults{ThrottleRate: 1}, `retry budget exhausted after 2 attempts.*raise max_retries`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu := startEmulator(t)
			emu.SetFaults(tc.faults)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.providerConfig("max_retries = 1") + lookupAdmin(),
					ExpectError: wrapped(tc.want),
				}},
			})
			// The first call (the token grant) is sent twice and no more: the budget held.
			if err := emulatorcheck.Calls(emu, map[string]int{"POST /oauth/token": 2}).Verify(); err != nil {
				t.Errorf("1 + max_retries token grants: %v", err)
			}
		})
	}
}

// dropFirstUserCreate wraps the emulator so that it drops the answer to the first user create,
// after doing the work, as a timeout or a proxy reset would. The emulator's own fault switch does
// the dropping; it is set for that one request only, because the token grant is a POST too.
type dropFirstUserCreate struct {
	emu     atomic.Pointer[emulator.Server]
	mu      sync.Mutex
	dropped int
}

// The dropped request bypasses the contract recorder, which would read the missing answer as an
// undeclared 200.
func (d *dropFirstUserCreate) wrap(rec *contract.Recorder) func(http.Handler) http.Handler {
	return func(emu http.Handler) http.Handler {
		recorded := rec.Wrap(emu)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/users") {
				d.mu.Lock()
				defer d.mu.Unlock()
				if d.dropped == 0 {
					d.dropped++
					srv := d.emu.Load()
					srv.SetFaults(emulator.Faults{DropRate: 1, DropMethods: []string{http.MethodPost}})
					defer srv.SetFaults(emulator.Faults{})
					emu.ServeHTTP(w, r)
					return
				}
			}
			recorded.ServeHTTP(w, r)
		})
	}
}

func TestAccReliability_createUserResponseDropped(t *testing.T) {
	fixture, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	specOnce.Do(func() { spec, specErr = contract.Load(contract.DefaultDir()) })
	if specErr != nil {
		t.Fatal(specErr)
	}
	rec := contract.NewRecorder(spec)
	drop := &dropFirstUserCreate{}
	srv, err := emulator.StartWithHandler(fixture, emulator.Options{}, drop.wrap(rec))
	if err != nil {
		t.Fatal(err)
	}
	drop.emu.Store(srv)
	t.Cleanup(srv.Close)
	emu := &testEmulator{Server: srv, recorder: rec}

	const createRoute = "POST /restapi/v2.1/accounts/{accountId}/users"
	config := userConfig(emu, "New Hire", "DS Sender", false)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					drop.mu.Lock()
					defer drop.mu.Unlock()
					if drop.dropped != 1 {
						return fmt.Errorf("the emulator dropped %d answers, want exactly the first create", drop.dropped)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_user.hire", tfjsonpath.New("email"), knownvalue.StringExact(newHire)),
					emulatorcheck.InjectedFaults(emu, 1),
					// After a dropped answer the provider must look, not resend.
					emulatorcheck.Calls(emu, map[string]int{createRoute: 1}),
					emulatorcheck.UsersWithEmail(emu, newHire, 1),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(s *terraform.State) error {
					got := s.RootModule().Resources["docusign_user.hire"].Primary.ID
					if want := emu.userIDByEmail(t, newHire); got != want {
						return fmt.Errorf("state holds user %s, the emulator created %s", got, want)
					}
					return nil
				},
			},
		},
	})
	for _, v := range rec.Violations() {
		t.Errorf("contract violation: %s", v)
	}
}
