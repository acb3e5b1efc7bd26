package provider

// Call-count acceptance tests of issue 7 at a small N. Call counts are deterministic, so they
// belong in `make test`; the timing and memory targets at full size live in tools/bench (`make
// bench`), never here.
//
//   - TestAccPerfCalls_closedUserBatches: 30 docusign_closed_user by user_id in one account cost
//     at most 0.25 calls per closure, token and userinfo included, with exactly one JWT grant and
//     one userinfo; the plan that follows, with the 30 in state, costs at most ceil(30/100)+5
//     calls and reads them from one listing, not 30 GETs. The closes cost exactly
//     ceil(30/10) batched DELETEs: the provider is told terraform's parallelism, so a batch
//     leaves when all 10 closes terraform runs at once have joined it, never when a clock says.
//   - TestAccPerfCalls_closedUsersBulk: docusign_closed_users with 150 user IDs costs one DELETE
//     per 100 users plus the token and userinfo (0.027 calls per closure).
//   - TestAccPerfCalls_closedUsersEmails: 150 emails cost no more lookups than listing the
//     account once.

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

const (
	perfRouteToken     = "POST /oauth/token"
	perfRouteUserinfo  = "GET /oauth/userinfo"
	perfRouteCloseMany = "DELETE /restapi/v2.1/accounts/{accountId}/users"
	perfRouteListUsers = "GET /restapi/v2.1/accounts/{accountId}/users"
	perfRouteGetUser   = "GET /restapi/v2.1/accounts/{accountId}/users/{userId}"
)

func perfUserID(i int) string    { return fmt.Sprintf("c0000000-0000-4000-8000-%012d", i) }
func perfUserEmail(i int) string { return fmt.Sprintf("perf.leaver%04d@opensam.example", i) }

// perfLeavers adds n active users to accountID and returns their IDs and emails.
func (e *testEmulator) perfLeavers(t *testing.T, accountID string, n int) (ids, emails []string) {
	t.Helper()
	f := &emulator.Fixture{}
	for i := 0; i < n; i++ {
		ids, emails = append(ids, perfUserID(i)), append(emails, perfUserEmail(i))
		f.Users = append(f.Users, emulator.User{
			ID: perfUserID(i), Email: perfUserEmail(i), UserName: fmt.Sprintf("Perf Leaver %d", i),
			Memberships: []emulator.Membership{{AccountID: accountID, Status: "Active"}},
		})
	}
	if err := e.MergeFixture(f); err != nil {
		t.Fatal(err)
	}
	return ids, emails
}

// perfCalls checks the calls since the last ResetStats: at most maxTotal in all, exactly one JWT
// grant and one userinfo, and each route within its limit.
func (e *testEmulator) perfCalls(what string, maxTotal int, routeMax map[string]int) error {
	st := e.Stats()
	var problems []string
	if st.Total > maxTotal {
		problems = append(problems, fmt.Sprintf("%d calls, want at most %d", st.Total, maxTotal))
	}
	if st.TokenGrants != 1 || st.Requests[perfRouteToken] != 1 {
		problems = append(problems, fmt.Sprintf("%d JWT grants, want exactly 1", st.Requests[perfRouteToken]))
	}
	if n := st.Requests[perfRouteUserinfo]; n != 1 {
		problems = append(problems, fmt.Sprintf("%d userinfo calls, want exactly 1", n))
	}
	for route, max := range routeMax {
		if n := st.Requests[route]; n > max {
			problems = append(problems, fmt.Sprintf("%d × %s, want at most %d", n, route, max))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s (calls: %v)", what, strings.Join(problems, "; "), st.Requests)
	}
	return nil
}

func TestAccPerfCalls_closedUserBatches(t *testing.T) {
	const n = 30
	emu := startEmulator(t)
	ids, _ := emu.perfLeavers(t, testSalesAccount, n)
	config := emu.providerConfig(fmt.Sprintf("account_id = %q", testSalesAccount)) + fmt.Sprintf(`
locals {
  leavers = [%s]
}

resource "docusign_closed_user" "leaver" {
  count   = length(local.leavers)
  user_id = local.leavers[count.index]
}
`, perfQuotedList(ids))

	// 0.25 calls per closure, everything included; 30 closures at terraform's parallelism of 10
	// take 3 batched DELETEs plus the token and userinfo.
	applyMax := int(math.Floor(0.25 * n))
	deletes := int(math.Ceil(float64(n) / terraformParallelism))
	// A plan reads every closed user from one paged listing of the account's closed users.
	planMax := int(math.Ceil(n/100.0)) + 5
	closedInAccount := n + 1 // the leavers and casey.closed from the fixture
	listPages := int(math.Ceil(float64(closedInAccount) / 100))

	var planErr error
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWith(batchLikeTerraform),
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Config:    config,
				Check: resource.ComposeTestCheckFunc(
					emu.closedExactlyOnce(testSalesAccount, ids),
					func(*terraform.State) error {
						if got := emu.Stats().Requests[perfRouteCloseMany]; got != deletes {
							return fmt.Errorf("%d closes at parallelism %d took %d batched DELETEs, want exactly %d", n, terraformParallelism, got, deletes)
						}
						return emu.perfCalls(fmt.Sprintf("apply of %d docusign_closed_user", n), applyMax,
							map[string]int{perfRouteCloseMany: applyMax - 2, perfRouteGetUser: 0, perfRouteListUsers: 0})
					},
				),
			},
			{
				// Only the refreshing plan of this step calls DocuSign; its non-refresh plan makes no
				// call because the provider connects lazily.
				PreConfig: emu.ResetStats,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					planErr = emu.perfCalls(fmt.Sprintf("plan with %d docusign_closed_user in state", n), planMax,
						map[string]int{perfRouteListUsers: listPages, perfRouteGetUser: 0, perfRouteCloseMany: 0})
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
	if planErr != nil {
		t.Error(planErr)
	}
}

func TestAccPerfCalls_closedUsersBulk(t *testing.T) {
	const n = 150
	emu := startEmulator(t)
	ids, _ := emu.perfLeavers(t, testSalesAccount, n)
	deletes := int(math.Ceil(n / 100.0))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    closedUsersConfig(emu, ids, nil, false),
			Check: resource.ComposeTestCheckFunc(
				emu.closedExactlyOnce(testSalesAccount, ids),
				func(*terraform.State) error {
					// At most 0.05 calls per closure: here 2 DELETEs, the token and userinfo.
					return emu.perfCalls(fmt.Sprintf("docusign_closed_users with %d user_ids", n), min(deletes+2, int(math.Floor(0.05*n))),
						map[string]int{perfRouteCloseMany: deletes, perfRouteListUsers: 0, perfRouteGetUser: 0})
				},
			),
		}},
	})
}

func TestAccPerfCalls_closedUsersEmails(t *testing.T) {
	const n = 150
	emu := startEmulator(t)
	ids, emails := emu.perfLeavers(t, testSalesAccount, n)
	fixture, err := emulator.LoadFixture(testdataPath("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	members := n + fixture.Members(testSalesAccount) // what one listing of the account pages through
	listOnce := int(math.Ceil(float64(members) / 100))
	deletes := int(math.Ceil(n / 100.0))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: emu.ResetStats,
			Config:    closedUsersConfig(emu, nil, emails, false),
			Check: resource.ComposeTestCheckFunc(
				emu.closedExactlyOnce(testSalesAccount, ids),
				func(*terraform.State) error {
					return emu.perfCalls(fmt.Sprintf("docusign_closed_users with %d emails in an account of %d", n, members),
						listOnce+deletes+2, map[string]int{perfRouteListUsers: min(listOnce, n), perfRouteGetUser: 0, perfRouteCloseMany: deletes})
				},
			),
		}},
	})
}

// terraformParallelism is terraform's default -parallelism, which the test harness keeps.
const terraformParallelism = 10

// batchLikeTerraform tells the Closer what terraform will do, instead of letting it learn from
// timing: terraformParallelism closes run at once, and a batch waits for all of them however
// slow a loaded machine is (the window only bounds a tail of fewer closes, which the call-count
// tests avoid).
func batchLikeTerraform(cfg *docusign.Config) {
	cfg.CloseConcurrency = terraformParallelism
	cfg.CloseBatchWindow = 2 * time.Minute
}

func perfQuotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}
