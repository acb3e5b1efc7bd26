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

// activity: target 7, the cost of each last-activity source under each reading of DocuSign's
// undocumented formats, and what the confirmations of would-be candidates cost.
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
	// The fixture's user i last logged in i%120 days ago and sent envelopes within 89 days: the
	// ones idle by their logins (90 days or more) are API senders, which one envelope search each
	// shows are active. Monitor reads twice idle_after_days back, so it sees every login.
	loginIdle := 0
	for i := range users {
		if i%120 >= 90 {
			loginIdle++
		}
	}
	loginIdle *= accounts
	events180 := events + loginIdle
	// Each account's admin never logged in: a single-user read confirms it (where the list leaves
	// lastLogin out anyway) and a search finds no send, so the admins are the candidates.
	adminReads := accounts
	plan := func(name, args string, behaviour emulator.Behaviour) (emulator.Stats, tfResult, error) {
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
		e.srv.SetBehaviour(behaviour)
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
	base, _, err := plan("base", "", emulator.Behaviour{})
	if err != nil {
		return err
	}
	usersPages := accounts * int(math.Ceil(float64(users+1)/100))
	const maxConfirmations = 300 // datafeed.DefaultMaxConfirmations
	const esig, mon = `idle_after_days = 90`, `idle_after_days = 90
  activity_source = "monitor"`
	sources := []struct {
		name, args string
		behaviour  emulator.Behaviour
		limit      int
		limitText  string
		info       bool
	}{
		{"esignature-listed", esig, emulator.Behaviour{UsersListLastLogin: true}, usersPages + loginIdle + 2*adminReads,
			fmt.Sprintf("≤ %d (one users page of 100 per account; one envelope search for each of the %d members idle by their logins; "+
				"a single-user read and a search for each account's admin, who never logged in)", usersPages+loginIdle+2*adminReads, loginIdle), false},
		{"esignature", esig, emulator.Behaviour{}, usersPages + maxConfirmations,
			fmt.Sprintf("≤ %d (users pages, + the cap of %d single-user reads and searches; past it, unknown with a warning)", usersPages+maxConfirmations, maxConfirmations), false},
		{"monitor-full", mon, emulator.Behaviour{MonitorLoginSentActions: true, MonitorFullPages: true}, int(math.Ceil(float64(events180)/2000)) + 2,
			fmt.Sprintf("≤ %d (one stream page per 2,000 of about %d events in 180 days, + the page whose endCursor repeats)", int(math.Ceil(float64(events180)/2000))+2, events180), false},
		{"monitor", mon, emulator.Behaviour{MonitorLoginSentActions: true}, 0, "(info) pages are one day each", true},
		{"monitor-renamed", mon, emulator.Behaviour{MonitorFullPages: true}, 0, "(info) no recognised event: a warning and no candidates", true},
	}
	for _, src := range sources {
		st, res, err := plan(src.name, src.args, src.behaviour)
		if err != nil {
			return err
		}
		extra := st.Total - base.Total
		if !strings.Contains(res.output, "candidates = ") || strings.Contains(res.output, "candidates = -1") {
			b.notes = append(b.notes, "activity: the "+src.name+" plan reported no candidates list")
		}
		label := map[string]string{
			"esignature-listed": "esignature (users_list_last_login)", "esignature": "esignature (default: lastLogin on the single-user read only)",
			"monitor-full": "monitor (monitor_login_sent_actions, monitor_full_pages)", "monitor": "monitor (monitor_login_sent_actions, short pages)",
			"monitor-renamed": "monitor (default names, monitor_full_pages)",
		}[src.name]
		b.add(row{target: fmt.Sprintf("7. activity_source = %s, %d memberships in %d accounts: extra API calls", label, memberships, accounts),
			measured: fmt.Sprintf("%d (single-user reads %d, envelope searches %d; whole plan: %s; %s)", extra,
				st.Requests["GET /restapi/v2.1/accounts/{accountId}/users/{userId}"], st.Requests["GET /restapi/v2.1/accounts/{accountId}/envelopes"],
				breakdown(st), secs(res.wall)),
			limit: src.limitText, pass: src.info || extra <= src.limit, info: src.info})
	}
	return nil
}
