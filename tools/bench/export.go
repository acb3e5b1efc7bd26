// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

// exportScale: target 7.
func (b *bench) exportScale(ctx context.Context) error {
	accounts, memberships := *flagExportAccounts, *flagExportMemberships
	f, err := fixtures.LargeOrg(accounts, memberships)
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
	// The scale figures hold when DocuSign's answers can be read whole: the export's own columns
	// (plans) and closed memberships. Under the emulator's default (DocuSign's column names only,
	// no closed memberships) each account costs a plan read and a closed listing; the info row
	// below measures that reading.
	e.srv.SetBehaviour(emulator.Behaviour{ExportEmulatorColumns: true, ExportIncludesClosed: true})
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
	e.srv.SetBehaviour(emulator.Behaviour{})
	hostile, err := measure("export-hostile", `  source = "export"`)
	if err != nil {
		return err
	}
	if hostile.total != exp.total {
		b.notes = append(b.notes, fmt.Sprintf("export: totals differ under the default reading: %s, readable %s", hostile.total, exp.total))
	}
	what := fmt.Sprintf("%d memberships / %d accounts", memberships, accounts)
	b.add(row{target: "7. subscriptions, " + what + ", export path: API calls",
		measured: fmt.Sprintf("%d (%s)", exp.calls, exp.breakdown), limit: "≤ 10", pass: exp.calls <= 10})
	b.add(row{target: "7. … export path: read time (ReadDataSource)", measured: secs(exp.read), limit: "< 10 s", pass: exp.read < 10*time.Second})
	b.add(row{target: "7. … export path: provider peak RSS", measured: fmt.Sprintf("%.0f MB", exp.rssMB), limit: "< 400 MB",
		pass: exp.rssMB > 0 && exp.rssMB < 400})
	b.add(row{target: "7. (info) export path, emulator default (DocuSign's names, no closed memberships): calls, read time, peak RSS",
		measured: fmt.Sprintf("%d calls (%s), %s, %.0f MB", hostile.calls, hostile.breakdown, secs(hostile.read), hostile.rssMB), limit: "-", pass: true, info: true})
	b.add(row{target: "7. (info) the same through paged listing: calls, read time, peak RSS",
		measured: fmt.Sprintf("%d calls, %s, %.0f MB", lst.calls, secs(lst.read), lst.rssMB), limit: "-", pass: true, info: true})
	b.add(row{target: "7. subscriptions, aggregates only (include_members = false): state file",
		measured: fmt.Sprintf("%.1f KB (%d calls, read %s, peak RSS %.0f MB; with members: %.0f KB)", cnt.stateKB, cnt.calls, secs(cnt.read), cnt.rssMB, exp.stateKB),
		limit:    "< 100 KB",
		pass:     cnt.stateKB > 0 && cnt.stateKB < 100})
	return nil
}
