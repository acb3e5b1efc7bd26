// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

var flagBudgetSenders = flag.Int("budget-senders", 5000, "members who send envelopes in the consumption scenario's API-budget account")

// consumption: calls per account for data.docusign_consumption over a renewal cycle, in an
// account with *flagSenders senders. DocuSign's envelope search is per user, so this is one
// search per member whose membership overlapped the cycle, plus the member listing.
func (b *bench) consumption(ctx context.Context) error {
	senders := *flagSenders
	f, err := fixtures.ScaleOrg(1, senders)
	if err != nil {
		return err
	}
	f.Generate.EnvelopesPerAccount = 4 * senders // spread over the year before the billing period, every member sending
	e, err := startEmulator(f)
	if err != nil {
		return err
	}
	defer e.srv.Close()
	account := f.Organizations[0].Accounts[0].ID
	ws, err := b.workspace("consumption")
	if err != nil {
		return err
	}
	hcl := providerBlock(e, account) + fmt.Sprintf(`
data "docusign_consumption" "cycle" {
  organization_id = %q
  period_start    = "2025-11-01"
  period_end      = "2026-11-30"
}

output "sent" {
  value = data.docusign_consumption.cycle.total_envelopes_sent
}
`, demoorg.OrgID)
	if err := ws.Write("main.tf", hcl); err != nil {
		return err
	}
	e.reset()
	plan, err := b.terraform(ctx, ws, "plan")
	if err != nil {
		return err
	}
	st, err := e.stats()
	if err != nil {
		return err
	}
	b.count(st)
	from := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	want := e.srv.EnvelopeCount(account, from, to)
	bySender := e.srv.EnvelopesBySender(account, from, to)
	if !strings.Contains(plan.output, fmt.Sprintf("sent = %d", want)) {
		b.notes = append(b.notes, fmt.Sprintf("consumption: the plan did not report sent = %d (the emulator's count, %d senders)", want, len(bySender)))
	}
	members := f.Members(account) + senders // the admin's fixture membership and the generated ones
	fixed := st.TokenGrants + st.Requests["GET /oauth/userinfo"] + st.Requests["GET /Management/v2/organizations"]
	perAccount := st.Total - fixed - st.Throttled
	limit := 1 + int(math.Ceil(float64(members)/250)) + members
	b.add(row{target: fmt.Sprintf("consumption: data.docusign_consumption, renewal cycle, 1 account with %d senders: calls per account", senders),
		measured: fmt.Sprintf("%d (%s; %d rate-limited and retried; %d fixed per read; %s wall)", perAccount, breakdown(st), st.Throttled, fixed, secs(plan.wall)),
		limit:    fmt.Sprintf("≤ %d = 1 + ceil(%d/250) + %d", limit, members, members),
		pass:     perAccount <= limit && strings.Contains(plan.output, fmt.Sprintf("sent = %d", want))})
	return b.consumptionBudget(ctx)
}

// consumptionBudget: a renewal cycle of an account with *flagBudgetSenders senders costs one
// search per sender, more than DocuSign's 3,000 calls per hour for 5,000. Measured three ways on
// the same account: the whole read where the emulator's limits are raised so it can finish (what
// every read cost before the budget check, and still costs when it fits), the same read under
// the real hourly limit (refused before any search), and a period that is the account's current
// billing period up to today (DocuSign's own counter).
func (b *bench) consumptionBudget(ctx context.Context) error {
	senders := *flagBudgetSenders
	f, err := fixtures.ScaleOrg(1, senders)
	if err != nil {
		return err
	}
	f.Generate.EnvelopesPerAccount = 4 * senders
	// The account's billing period is this month, so today lies in it.
	now := time.Now().UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	acct := &f.Organizations[0].Accounts[0]
	acct.BillingPeriodStart, acct.BillingPeriodEnd = first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
	account := acct.ID
	members := f.Members(account) + senders
	fixed := func(st emulator.Stats) int {
		return st.TokenGrants + st.Requests["GET /oauth/userinfo"] + st.Requests["GET /Management/v2/organizations"]
	}
	run := func(opts emulator.Options, period, extra string) (*env, tfResult, emulator.Stats, error) {
		l := newLedger()
		srv, err := emulator.StartWithHandler(f, opts, l.wrap)
		if err != nil {
			return nil, tfResult{}, emulator.Stats{}, err
		}
		e := &env{srv: srv, ledger: l}
		ws, err := b.workspace("consumption-budget")
		if err != nil {
			srv.Close()
			return nil, tfResult{}, emulator.Stats{}, err
		}
		hcl := providerBlock(e, account) + fmt.Sprintf(`
data "docusign_consumption" "cycle" {
  organization_id = %q
  %s
  %s
}

output "sent" {
  value = data.docusign_consumption.cycle.total_envelopes_sent
}
`, demoorg.OrgID, period, extra)
		if err := ws.Write("main.tf", hcl); err != nil {
			srv.Close()
			return nil, tfResult{}, emulator.Stats{}, err
		}
		e.reset()
		res, runErr := b.terraform(ctx, ws, "plan")
		st, err := e.stats()
		if err != nil {
			srv.Close()
			return nil, tfResult{}, emulator.Stats{}, err
		}
		b.count(st)
		if runErr != nil {
			res.output += "\n" + runErr.Error()
		}
		return e, res, st, nil
	}
	const cycle = `period_start = "2025-12-01"
  period_end   = "2026-11-30"`
	from, to := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	// The whole read, with room for it: an hour of 1,000,000 calls and bursts of 100,000.
	e, full, st, err := run(emulator.Options{HourlyLimit: 1_000_000, BurstLimit: 100_000}, cycle, "api_budget_percent = 100")
	if err != nil {
		return err
	}
	want := e.srv.EnvelopeCount(account, from, to)
	e.srv.Close()
	before := st.Total - fixed(st) - st.Throttled
	formula := 1 + int(math.Ceil(float64(members)/250)) + members
	b.add(row{target: fmt.Sprintf("consumption-budget: renewal cycle, 1 account with %d senders, the whole read (limits raised so it can finish): calls per account", senders),
		measured: fmt.Sprintf("%d (%s; %s wall); DocuSign allows 3000 per hour", before, breakdown(st), secs(full.wall)),
		limit:    fmt.Sprintf("≤ %d = 1 + ceil(%d/250) + %d, count exact", formula, members, members),
		pass:     before <= formula && strings.Contains(full.output, fmt.Sprintf("sent = %d", want))})

	// The same read under DocuSign's hourly limit: refused before any search.
	e, refused, st, err := run(emulator.Options{}, cycle, "")
	if err != nil {
		return err
	}
	e.srv.Close()
	after := st.Total - fixed(st) - st.Throttled
	searches := st.Requests["GET /restapi/v2.1/accounts/{accountId}/envelopes"]
	pages := int(math.Ceil(float64(members) / 250))
	b.add(row{target: "consumption-budget: the same read under DocuSign's 3000 calls per hour (api_budget_percent = 50): calls spent before the refusal",
		measured: fmt.Sprintf("%d (%s), %d searches; error names the calls needed and left: %v", after, breakdown(st), searches,
			strings.Contains(refused.output, "Refused before any envelope search")),
		limit: fmt.Sprintf("≤ %d = 1 + ceil(%d/250), 0 searches", 1+pages, members),
		pass:  after <= 1+pages && searches == 0 && strings.Contains(refused.output, "Refused before any envelope search")})

	// A period that is the current billing period up to today: DocuSign's own counter.
	billing := fmt.Sprintf("period_start = %q\n  period_end   = %q", acct.BillingPeriodStart, acct.BillingPeriodEnd)
	e, counter, st, err := run(emulator.Options{}, billing, "")
	if err != nil {
		return err
	}
	wantBilling := e.srv.EnvelopeCount(account, first, first.AddDate(0, 1, 0))
	e.srv.Close()
	calls := st.Total - fixed(st) - st.Throttled
	b.add(row{target: "consumption-budget: the current billing period up to today, same account: calls per account",
		measured: fmt.Sprintf("%d (%s)", calls, breakdown(st)),
		limit:    "1 (billingPeriodEnvelopesSent), count exact",
		pass:     calls == 1 && strings.Contains(counter.output, fmt.Sprintf("sent = %d", wantBilling))})
	return nil
}
