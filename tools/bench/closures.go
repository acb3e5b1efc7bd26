// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// closures: targets 1 (calls per closure), 3 (refresh), 4 (token per process) and 6 (overhead).
func (b *bench) closures(ctx context.Context) error {
	n := *flagClosures
	e, err := startLeaverEmulator(n)
	if err != nil {
		return err
	}
	defer e.srv.Close()

	dataHCL := fmt.Sprintf(`locals {
  ids = [for i in range(%d) : format(%q, i)]
}

resource "terraform_data" "leaver" {
  count = length(local.ids)
  input = local.ids[count.index]
}
`, n, fixtures.LeaverIDFormat)
	closeHCL := providerBlock(e, demoorg.SalesAccount) + fmt.Sprintf(`
locals {
  ids = [for i in range(%d) : format(%q, i)]
}

resource "docusign_closed_user" "leaver" {
  count   = length(local.ids)
  user_id = local.ids[count.index]
}
`, n, fixtures.LeaverIDFormat)

	// Overhead pairs: an apply of n terraform_data (built in, no provider), then an apply of n
	// closures, each in a fresh workspace, so both sides of a ratio see the same machine load.
	// The first closures apply is also the one whose calls are counted.
	type pair struct{ data, closures tfResult }
	var pairs []pair
	var ws *tfrun.Workspace
	for r := range max(1, *flagPairs) {
		dataWS, err := b.workspace(fmt.Sprintf("terraform-data-%d", r))
		if err != nil {
			return err
		}
		if err := dataWS.Write("main.tf", dataHCL); err != nil {
			return err
		}
		data, err := b.terraform(ctx, dataWS, "apply", "-auto-approve")
		if err != nil {
			return err
		}
		closeWS, err := b.workspace(fmt.Sprintf("closures-%d", r))
		if err != nil {
			return err
		}
		if err := closeWS.Write("main.tf", closeHCL); err != nil {
			return err
		}
		for i := range n { // every pair closes active users
			if err := e.srv.SetMembershipStatus(fixtures.LeaverID(i), demoorg.SalesAccount, "Active"); err != nil {
				return err
			}
		}
		e.reset()
		apply, err := b.terraform(ctx, closeWS, "apply", "-auto-approve")
		if err != nil {
			return err
		}
		pairs = append(pairs, pair{data, apply})
		if r > 0 {
			continue
		}
		ws = closeWS
		st, err := e.stats()
		if err != nil {
			return err
		}
		tokens, maxUserinfo, detail := e.ledger.snapshot()
		b.count(st)
		if *flagVerbose {
			fmt.Fprintf(os.Stderr, "    apply calls: %v\n    per token: %s\n", st.Requests, detail)
		}
		// Every user must be closed exactly once, each outcome on its own resource.
		wrong := 0
		for i := range n {
			u, ok := e.srv.User(fixtures.LeaverID(i))
			if !ok || len(u.Memberships) != 1 || u.Memberships[0].Status != "Closed" || u.Memberships[0].Closures != 1 {
				wrong++
			}
		}
		if !strings.Contains(apply.output, fmt.Sprintf("%d added", n)) {
			wrong = max(wrong, 1)
		}
		b.add(row{target: fmt.Sprintf("1. %d docusign_closed_user (user_id, 1 account): calls/closure", n),
			measured: fmt.Sprintf("%.3f (%d calls: %s)", float64(st.Total)/float64(n), st.Total, breakdown(st)),
			limit:    "≤ 0.25", pass: float64(st.Total)/float64(n) <= 0.25 && wrong == 0})
		if wrong > 0 {
			b.notes = append(b.notes, fmt.Sprintf("closures: %d users were not closed exactly once or the apply did not add every resource", wrong))
		}
		b.add(row{target: "4. JWT grants / userinfo per provider process (apply)",
			measured: fmt.Sprintf("%d JWT grant(s), %d userinfo; %d provider processes, %d of them called the API",
				st.TokenGrants, st.Requests["GET /oauth/userinfo"], apply.processes, tokens),
			limit: "≤ 1 grant and ≤ 1 userinfo per process that calls the API",
			pass:  st.TokenGrants == tokens && tokens <= apply.processes && maxUserinfo <= 1 && st.Requests["GET /oauth/userinfo"] <= tokens})

		// Refresh: plan with everything in state.
		e.reset()
		plan, err := b.terraform(ctx, ws, "plan", "-detailed-exitcode")
		if err != nil {
			return fmt.Errorf("plan after the closures should report no changes: %w", err)
		}
		pst, err := e.stats()
		if err != nil {
			return err
		}
		b.count(pst)
		ptokens, pmaxUserinfo, pdetail := e.ledger.snapshot()
		if *flagVerbose {
			fmt.Fprintf(os.Stderr, "    plan calls: %v\n    per token: %s\n", pst.Requests, pdetail)
		}
		refreshLimit := int(math.Ceil(float64(n)/100)) + 5
		b.add(row{target: fmt.Sprintf("3. terraform plan, %d closed users in state: calls", n),
			measured: fmt.Sprintf("%d (%s)", pst.Total, breakdown(pst)),
			limit:    fmt.Sprintf("≤ %d", refreshLimit), pass: pst.Total <= refreshLimit})
		b.add(row{target: "4. JWT grants / userinfo per provider process (plan)",
			measured: fmt.Sprintf("%d JWT grant(s), %d userinfo; %d provider processes, %d of them called the API",
				pst.TokenGrants, pst.Requests["GET /oauth/userinfo"], plan.processes, ptokens),
			limit: "≤ 1 grant and ≤ 1 userinfo per process that calls the API",
			pass:  pst.TokenGrants == ptokens && ptokens <= plan.processes && pmaxUserinfo <= 1 && pst.Requests["GET /oauth/userinfo"] <= ptokens})
	}

	ratios := make([]float64, len(pairs))
	var detail []string
	for i, p := range pairs {
		ratios[i] = p.closures.wall.Seconds() / p.data.wall.Seconds()
		detail = append(detail, fmt.Sprintf("%s/%s", secs(p.closures.wall), secs(p.data.wall)))
	}
	sorted := append([]float64(nil), ratios...)
	sort.Float64s(sorted)
	median := sorted[len(sorted)/2]
	b.add(row{target: fmt.Sprintf("6. apply wall time, %d closures ÷ %d terraform_data (median of %d pairs)", n, n, len(pairs)),
		measured: fmt.Sprintf("%.2f× (pairs %s)", median, strings.Join(detail, ", ")),
		limit:    "≤ 1.5×", pass: median <= 1.5})
	var cpuRatios []float64
	var cpuDetail []string
	for _, p := range pairs {
		if p.data.cpu > 0 {
			cpuRatios = append(cpuRatios, p.closures.cpu.Seconds()/p.data.cpu.Seconds())
			cpuDetail = append(cpuDetail, fmt.Sprintf("%s/%s", secs(p.closures.cpu), secs(p.data.cpu)))
		}
	}
	if len(cpuRatios) > 0 {
		sort.Float64s(cpuRatios)
		b.add(row{target: "6. (info) CPU time of the same applies, terraform + provider",
			measured: fmt.Sprintf("%.2f× (pairs %s)", cpuRatios[len(cpuRatios)/2], strings.Join(cpuDetail, ", ")),
			limit:    "-", pass: true, info: true})
	}

	// Context, not a target: terraform rewrites the whole state file after each resource, so the
	// bytes each instance adds to it set much of an apply's wall time at this size.
	dataState, dataErr := os.Stat(filepath.Join(b.work, "terraform-data-0", "terraform.tfstate"))
	closeState, closeErr := os.Stat(filepath.Join(ws.Dir, "terraform.tfstate"))
	if dataErr == nil && closeErr == nil {
		b.add(row{target: "6. (info) state file bytes per instance, closures vs terraform_data",
			measured: fmt.Sprintf("%d vs %d", closeState.Size()/int64(n), dataState.Size()/int64(n)),
			limit:    "-", pass: true, info: true})
	}
	return nil
}
