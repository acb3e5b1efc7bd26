package main

// Issue 15 targets: the Admin API's bulk routes against the paged paths, side by side in one run.
//
//	export       7. data.docusign_subscriptions over 100,000 memberships in 50 accounts: the export
//	                path (≤ 10 calls, < 10 s, provider peak RSS < 400 MB), the paged listing next to
//	                it (calls, s, MB), and include_members = false (state file < 100 KB)
//	bulk-close   8. docusign_closed_users closing 5,000 users: ≤ 10 calls through the bulk close
//	                import, every user closed exactly once; plan < 10 s and apply < 20 s; the
//	                batched DELETE path on the same 5,000 next to it, which sets the threshold
//	             9. refresh of the 5,000 closed users: ≤ 10 calls

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

var (
	flagExportMemberships = flag.Int("export-memberships", 100000, "memberships in the export scenario")
	flagExportAccounts    = flag.Int("export-accounts", 50, "accounts in the export scenario")
	flagBulkClose         = flag.Int("bulk-close", 5000, "users closed in the bulk-close scenario")
)

// largeOrgFixture is the demo key and admin with one organization of `accounts` generated accounts
// holding `memberships` generated memberships (multi-account users, closed memberships, mailboxes).
func largeOrgFixture(accounts, memberships int) (*emulator.Fixture, error) {
	demo, err := demoFixture()
	if err != nil {
		return nil, err
	}
	var admin emulator.User
	for _, u := range demo.Users {
		if u.ID == demoorg.AdminUserID {
			admin = u
			admin.Memberships = nil
		}
	}
	org := emulator.Organization{ID: demoorg.OrgID, Name: "Bench Large Org", AdminUserIDs: []string{demoorg.AdminUserID},
		PlanItems: demo.Organizations[0].PlanItems}
	return &emulator.Fixture{
		IntegrationKeys: demo.IntegrationKeys, Organizations: []emulator.Organization{org}, Users: []emulator.User{admin},
		Generate: &emulator.Generate{Accounts: accounts, Memberships: memberships},
	}, nil
}

// exportScale: target 7.
func (b *bench) exportScale(ctx context.Context) error {
	accounts, memberships := *flagExportAccounts, *flagExportMemberships
	f, err := largeOrgFixture(accounts, memberships)
	if err != nil {
		return err
	}
	t0 := time.Now()
	e, err := startEmulator(f)
	if err != nil {
		return err
	}
	defer e.srv.Close()
	b.add(row{target: fmt.Sprintf("7. (info) emulator generate: %d memberships in %d accounts", memberships, accounts),
		measured: secs(time.Since(t0)), limit: "-", pass: true, info: true})
	adminView, ok := e.srv.User(demoorg.AdminUserID)
	if !ok || len(adminView.Memberships) == 0 {
		return fmt.Errorf("the generated organization gave the admin no membership")
	}
	firstAccount := adminView.Memberships[0].AccountID
	type result struct {
		calls     int
		breakdown string
		read      time.Duration
		rssMB     float64
		stateKB   float64
		total     string
	}
	measure := func(name, extra string) (result, error) {
		ws, err := b.workspace(name)
		if err != nil {
			return result{}, err
		}
		hcl := providerBlock(e, firstAccount) + fmt.Sprintf(`
data "docusign_subscriptions" "org" {
  organization_id = %q
  include_closed  = true
%s
}

output "total" {
  value = data.docusign_subscriptions.org.total
}
`, demoorg.OrgID, extra)
		if err := ws.Write("main.tf", hcl); err != nil {
			return result{}, err
		}
		providerLog := filepath.Join(b.work, name+"-provider.log")
		ws.Env = append(ws.Env, "BENCH_PROVIDER_LOG="+providerLog, "TF_LOG_SDK_PROTO=trace")
		e.reset()
		// apply -refresh-only writes the data source into the state, so its size can be measured.
		res, err := b.terraform(ctx, ws, "apply", "-auto-approve", "-refresh-only")
		if err != nil {
			return result{}, err
		}
		st, err := e.stats()
		if err != nil {
			return result{}, err
		}
		b.count(st)
		rpc, _, rpcErr := rpcSpans(providerLog, "ReadDataSource")
		if rpcErr != nil {
			rpc = res.wall
		}
		_ = os.Remove(providerLog)
		out := result{calls: st.Total, breakdown: breakdown(st), read: rpc, rssMB: float64(res.peakRSSKB) / 1024}
		if fi, err := os.Stat(filepath.Join(ws.Dir, "terraform.tfstate")); err == nil {
			out.stateKB = float64(fi.Size()) / 1024
		}
		if i := strings.Index(res.output, "total = "); i >= 0 {
			out.total = strings.Fields(res.output[i+len("total = "):])[0]
		}
		return out, nil
	}
	exp, err := measure("export-export", `  source = "export"`)
	if err != nil {
		return err
	}
	lst, err := measure("export-list", `  source = "list"`)
	if err != nil {
		return err
	}
	cnt, err := measure("export-counts", `  include_members = false`)
	if err != nil {
		return err
	}
	if exp.total != lst.total || exp.total != cnt.total {
		b.notes = append(b.notes, fmt.Sprintf("export: totals differ: export %s, list %s, counts %s", exp.total, lst.total, cnt.total))
	}
	what := fmt.Sprintf("%d memberships / %d accounts", memberships, accounts)
	b.add(row{target: "7. subscriptions, " + what + ", export path: API calls",
		measured: fmt.Sprintf("%d (%s)", exp.calls, exp.breakdown), limit: "≤ 10", pass: exp.calls <= 10})
	b.add(row{target: "7. … export path: read time (ReadDataSource)", measured: secs(exp.read), limit: "< 10 s", pass: exp.read < 10*time.Second})
	b.add(row{target: "7. … export path: provider peak RSS", measured: fmt.Sprintf("%.0f MB", exp.rssMB), limit: "< 400 MB",
		pass: exp.rssMB > 0 && exp.rssMB < 400})
	b.add(row{target: "7. (info) the same through paged listing: calls, read time, peak RSS",
		measured: fmt.Sprintf("%d calls, %s, %.0f MB", lst.calls, secs(lst.read), lst.rssMB), limit: "-", pass: true, info: true})
	b.add(row{target: "7. subscriptions, aggregates only (include_members = false): state file",
		measured: fmt.Sprintf("%.1f KB (%d calls, read %s, peak RSS %.0f MB; with members: %.0f KB)", cnt.stateKB, cnt.calls, secs(cnt.read), cnt.rssMB, exp.stateKB),
		limit:    "< 100 KB",
		pass:     cnt.stateKB > 0 && cnt.stateKB < 100})
	return nil
}

// bulkClose: targets 8 and 9.
func (b *bench) bulkClose(ctx context.Context) error {
	n := *flagBulkClose
	e, err := startLeaverEmulator(n)
	if err != nil {
		return err
	}
	defer e.srv.Close()
	hcl := func(threshold int) string {
		return providerBlock(e, demoorg.SalesAccount) + fmt.Sprintf(`
resource "docusign_closed_users" "wave" {
  bulk_close_threshold = %d
  user_ids = flatten([for b in range(%d) : [for i in range(min(1000, %d - b * 1000)) : format("b0000000-0000-4000-8000-%%012d", b * 1000 + i)]])
}
`, threshold, (n+999)/1000, n)
	}
	ws, err := b.workspace("bulk-close")
	if err != nil {
		return err
	}
	if err := ws.Write("main.tf", hcl(1000)); err != nil {
		return err
	}
	e.reset()
	plan, err := b.terraform(ctx, ws, "plan")
	if err != nil {
		return err
	}
	e.reset()
	apply, err := b.terraform(ctx, ws, "apply", "-auto-approve")
	if err != nil {
		return err
	}
	st, err := e.stats()
	if err != nil {
		return err
	}
	b.count(st)
	closed, once := closedOnce(e, n)
	b.add(row{target: fmt.Sprintf("8. docusign_closed_users closing %d users: API calls, each closed exactly once", n),
		measured: fmt.Sprintf("%d (%s); %d of %d closed, %d exactly once", st.Total, breakdown(st), closed, n, once),
		limit:    "≤ 10, all once", pass: st.Total <= 10 && once == n})
	b.add(row{target: fmt.Sprintf("8. … terraform plan with %d user_ids (nothing in state)", n), measured: secs(plan.wall),
		limit: "< 10 s", pass: plan.wall < 10*time.Second})
	// The bench's emulator processes jobs at once; what remains of API waiting is the client's
	// first status checks, which the apply's wall time includes.
	b.add(row{target: fmt.Sprintf("8. … terraform apply closing %d, its plan included (jobs without processing delay)", n), measured: secs(apply.wall),
		limit: "< 20 s", pass: apply.wall < 20*time.Second})

	e.reset()
	refresh, err := b.terraform(ctx, ws, "plan", "-detailed-exitcode")
	if err != nil {
		return fmt.Errorf("plan after the bulk close should report no changes: %w", err)
	}
	rst, err := e.stats()
	if err != nil {
		return err
	}
	b.count(rst)
	b.add(row{target: fmt.Sprintf("9. refresh of %d closed users (terraform plan): API calls", n),
		measured: fmt.Sprintf("%d (%s), %s", rst.Total, breakdown(rst), secs(refresh.wall)), limit: "≤ 10", pass: rst.Total <= 10})

	// The batched path on the same users, reopened, for the threshold.
	if err := reopenLeavers(e, n); err != nil {
		return err
	}
	batched, err := b.applyCounted(ctx, e, "bulk-close-batched", hcl(0))
	if err != nil {
		return err
	}
	batches := batched.Requests["DELETE /restapi/v2.1/accounts/{accountId}/users"]
	b.add(row{target: fmt.Sprintf("8. (info) the same %d through batched DELETE …/users (bulk_close_threshold = 0)", n),
		measured: fmt.Sprintf("%d calls (%d DELETE); bulk import %d calls: break-even at about %d users", batched.Total, batches, st.Total,
			max(1, st.Total-(batched.Total-batches))*100),
		limit: "-", pass: true, info: true})
	return nil
}

func closedOnce(e *env, n int) (closed, once int) {
	for i := 0; i < n; i++ {
		if u, ok := e.srv.User(benchUserID(i)); ok && len(u.Memberships) == 1 && u.Memberships[0].Status == "Closed" {
			closed++
			if u.Memberships[0].Closures == 1 {
				once++
			}
		}
	}
	return closed, once
}

func reopenLeavers(e *env, n int) error {
	for i := 0; i < n; i++ {
		if err := e.srv.SetMembershipStatus(benchUserID(i), demoorg.SalesAccount, "Active"); err != nil {
			return err
		}
	}
	return nil
}
