// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

// scale: target 5, data.docusign_subscriptions over a large organization.
func (b *bench) scale(ctx context.Context) error {
	accounts, users := *flagScaleAccounts, *flagScaleUsers
	f, err := fixtures.ScaleOrg(accounts, users)
	if err != nil {
		return err
	}
	e, err := startEmulator(f)
	if err != nil {
		return err
	}
	defer e.srv.Close()
	ws, err := b.workspace("scale")
	if err != nil {
		return err
	}
	hcl := providerBlock(e, f.Organizations[0].Accounts[0].ID) + fmt.Sprintf(`
data "docusign_subscriptions" "org" {
  organization_id = %q
  include_closed  = true
}

output "total" {
  value = data.docusign_subscriptions.org.total
}
`, demoorg.OrgID)
	if err := ws.Write("main.tf", hcl); err != nil {
		return err
	}
	// The provider's protocol log times the read itself: the ReadDataSource RPC from the request's
	// arrival to the answer, covering the API calls, building the report and handing terraform
	// the 20,000 objects.
	providerLog := filepath.Join(b.work, "scale-provider.log")
	ws.Env = append(ws.Env, "BENCH_PROVIDER_LOG="+providerLog, "TF_LOG_SDK_PROTO=trace")
	e.reset()
	plan, err := b.terraform(ctx, ws, "plan")
	if err != nil {
		return err
	}
	rpc, handler, rpcErr := rpcSpans(providerLog, "ReadDataSource")
	st, err := e.stats()
	if err != nil {
		return err
	}
	b.count(st)
	perAccount := users + 1 // the generated users and the admin
	wantTotal := accounts * perAccount
	if !strings.Contains(plan.output, fmt.Sprintf("total = %d", wantTotal)) {
		b.notes = append(b.notes, fmt.Sprintf("scale: the plan did not report total = %d", wantTotal))
	}
	const pageSize = 250 // admin.PageSize, the most the Admin API returns per page
	pages := accounts * int(math.Ceil(float64(perAccount)/pageSize))
	fixed := 2 + 1 + 1 + accounts // token, userinfo, organizations, planItems, one account read each
	e.ledger.mu.Lock()
	apiSpan := e.ledger.lastAnswer.Sub(e.ledger.firstCall)
	e.ledger.mu.Unlock()

	readRow := row{target: fmt.Sprintf("5. data.docusign_subscriptions, %d users in %d accounts: read time (ReadDataSource)", wantTotal, accounts),
		limit: "< 3 s", pass: rpcErr == nil && rpc < 3*time.Second}
	if rpcErr != nil {
		readRow.measured = "unknown: " + rpcErr.Error()
	} else {
		readRow.measured = fmt.Sprintf("%s (API calls %s", secs(rpc), secs(apiSpan))
		if handler > 0 {
			readRow.measured += fmt.Sprintf("; the data source's Read %s, the framework after it %s", secs(handler), secs(rpc-handler))
		}
		readRow.measured += ")"
	}
	b.add(readRow)
	b.add(row{target: "5. (info) … whole terraform plan, wall time",
		measured: fmt.Sprintf("%s (%s CPU, terraform and provider)", secs(plan.wall), secs(plan.cpu)),
		limit:    "< 3 s (info)", pass: plan.wall < 3*time.Second, info: true})
	b.add(row{target: "5. … provider peak RSS (VmHWM)",
		measured: fmt.Sprintf("%.0f MB (%d provider processes)", float64(plan.peakRSSKB)/1024, plan.processes),
		limit:    "< 200 MB", pass: plan.peakRSSKB > 0 && plan.peakRSSKB < 200*1024})
	b.add(row{target: "5. … API calls",
		measured: fmt.Sprintf("%d (%s)", st.Total, breakdown(st)),
		limit:    fmt.Sprintf("≤ %d (%d pages of %d + %d fixed)", pages+fixed, pages, pageSize, fixed),
		pass:     st.Total <= pages+fixed})
	return nil
}
