// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

// activity: target 7, the cost of each last-activity source.
func (b *bench) activity(ctx context.Context) error {
	accounts, users, sends := 10, *flagActivityUsers, *flagActivitySends
	f, events, err := fixtures.ActivityOrg(accounts, users, sends, time.Now().UTC())
	if err != nil {
		return err
	}
	e, err := startEmulator(f)
	if err != nil {
		return err
	}
	defer e.srv.Close()
	memberships := accounts * (users + 1) // and the admin in each account
	plan := func(name, args string) (emulator.Stats, tfResult, error) {
		ws, err := b.workspace("activity-" + name)
		if err != nil {
			return emulator.Stats{}, tfResult{}, err
		}
		hcl := demoorg.ProviderConfig(e.srv.OAuthBaseURL, e.srv.AdminBaseURL, fmt.Sprintf("monitor_base_url = %q", e.srv.MonitorBaseURL)) +
			fmt.Sprintf(`
data "docusign_subscriptions" "org" {
  organization_id = %q
  %s
}

output "candidates" {
  value = data.docusign_subscriptions.org.reclaim_candidates == null ? -1 : length(data.docusign_subscriptions.org.reclaim_candidates)
}
`, demoorg.OrgID, args)
		if err := ws.Write("main.tf", hcl); err != nil {
			return emulator.Stats{}, tfResult{}, err
		}
		e.reset()
		res, err := b.terraform(ctx, ws, "plan")
		if err != nil {
			return emulator.Stats{}, tfResult{}, err
		}
		st, err := e.stats()
		if err == nil {
			b.count(st)
		}
		return st, res, err
	}
	base, _, err := plan("base", "")
	if err != nil {
		return err
	}
	sources := []struct {
		name, args string
		limit      int
		limitText  string
	}{
		{"esignature", `idle_after_days = 90`, accounts * int(math.Ceil(float64(users+1)/100)),
			fmt.Sprintf("≤ %d (one users page of 100 per account)", accounts*int(math.Ceil(float64(users+1)/100)))},
		{"monitor", `idle_after_days = 90
  activity_source = "monitor"`, int(math.Ceil(float64(events)/2000)) + 1,
			fmt.Sprintf("≤ %d (one stream page per 2,000 of %d events, +1)", int(math.Ceil(float64(events)/2000))+1, events)},
	}
	for _, src := range sources {
		st, res, err := plan(src.name, src.args)
		if err != nil {
			return err
		}
		extra := st.Total - base.Total
		if !strings.Contains(res.output, "candidates = ") || strings.Contains(res.output, "candidates = -1") {
			b.notes = append(b.notes, "activity: the "+src.name+" plan reported no candidates list")
		}
		b.add(row{target: fmt.Sprintf("7. activity_source = %s, %d memberships in %d accounts: extra API calls", src.name, memberships, accounts),
			measured: fmt.Sprintf("%d (whole plan: %s; %s)", extra, breakdown(st), secs(res.wall)),
			limit:    src.limitText, pass: extra <= src.limit})
	}
	return nil
}
