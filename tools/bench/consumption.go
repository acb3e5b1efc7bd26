// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

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
	return nil
}
