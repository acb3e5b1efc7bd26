// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// refusingESign refuses the envelope searches of some users, as DocuSign may for a closed member.
type refusingESign struct {
	*fakeAPI
	refuse     map[string]bool
	unreadable map[string]bool // answers whose count cannot be read
}

func (r refusingESign) CountEnvelopesSentBy(ctx context.Context, id, userID string, from, to time.Time) (int, error) {
	if r.unreadable[userID] {
		return 0, esign.ErrEnvelopeCountUnreadable
	}
	if r.refuse[userID] {
		return 0, &transport.Error{API: transport.APIESign, Status: 400, Code: "INVALID_USERID", Message: "Invalid UserId.", Method: "GET", Path: "/envelopes"}
	}
	return r.fakeAPI.CountEnvelopesSentBy(ctx, id, userID, from, to)
}

// A refused closed member makes the account's count unknown and the read goes on; a refused
// active member still fails it, since that is no closed-membership quirk.
func TestConsumptionRefusedSearch(t *testing.T) {
	f := demoAPI()
	start, end := Cycle(d("2024-01-31"), 1, d("2024-03-01"))
	q := ConsumptionQuery{OrganizationID: "org", AccountIDs: []string{"b-sales", "c-legal"}, Period: &Period{start, end}}
	c := &Client{Admin: f, ESign: refusingESign{fakeAPI: f, refuse: map[string]bool{"u2": true}}, Concurrency: 1}
	r, err := c.Consumption(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	sales := r.Accounts[0]
	if sales.AccountID != "b-sales" || sales.EnvelopesSent != nil || sales.CountUnknown == nil || sales.Unreachable != nil ||
		!strings.Contains(sales.CountUnknown.Error(), "closed member u2") || !strings.Contains(sales.CountUnknown.Error(), "INVALID_USERID") {
		t.Errorf("sales = %+v", sales)
	}
	if r.Accounts[1].EnvelopesSent == nil || r.TotalEnvelopesSent != nil {
		t.Errorf("legal %v, total %v", r.Accounts[1].EnvelopesSent, r.TotalEnvelopesSent)
	}
	if !sales.BudgetUnchecked || r.Accounts[1].BudgetUnchecked != (r.Accounts[1].SendersSearched > 0) {
		t.Errorf("the fake sends no rate-limit headers: unchecked %v, %v", sales.BudgetUnchecked, r.Accounts[1].BudgetUnchecked)
	}
	c.ESign = refusingESign{fakeAPI: f, refuse: map[string]bool{"u1": true}} // active
	if _, err := c.Consumption(context.Background(), q); err == nil || !strings.Contains(err.Error(), "INVALID_USERID") {
		t.Errorf("an active member's refusal: %v", err)
	}
	// An answer whose count cannot be read leaves the count unknown, whoever it is of.
	c.ESign = refusingESign{fakeAPI: f, unreadable: map[string]bool{"u1": true}}
	r, err = c.Consumption(context.Background(), q)
	if err != nil || r.Accounts[0].EnvelopesSent != nil || !errors.Is(r.Accounts[0].CountUnknown, esign.ErrEnvelopeCountUnreadable) {
		t.Errorf("unreadable count: %v, %+v", err, r.Accounts[0])
	}
}

// A period from the current billing period's start through today or later is DocuSign's own
// billing counter, with no search; one that starts elsewhere or ended before today is searched.
func TestConsumptionBillingCounter(t *testing.T) {
	f := demoAPI()
	c := &Client{Admin: f, ESign: f}
	now := func() time.Time { return time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		start, end string
		counter    bool
	}{
		{"2026-11-01", "2026-11-30", true},
		{"2026-11-01", "2026-11-20", true},
		{"2026-11-01", "2027-10-31", true},
		{"2026-11-01", "2026-11-19", false}, // ended yesterday: today's envelopes are in the counter
		{"2026-10-01", "2026-11-30", false}, // starts before the billing period
	} {
		f.searched = nil
		r, err := c.Consumption(context.Background(), ConsumptionQuery{OrganizationID: "org", AccountIDs: []string{"b-sales"},
			Period: &Period{d(tc.start), d(tc.end)}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		a := r.Accounts[0]
		if a.FromBillingCounter != tc.counter || (len(f.searched) == 0) != tc.counter || (tc.counter && *a.EnvelopesSent != 540) {
			t.Errorf("%s..%s: counter %v, searched %v, sent %v", tc.start, tc.end, a.FromBillingCounter, f.searched, *a.EnvelopesSent)
		}
	}
}

func TestBudgetShareAndReset(t *testing.T) {
	f := demoAPI()
	c := &Client{Admin: f, ESign: f}
	for _, share := range []float64{-0.1, 1.5} {
		if _, err := c.Consumption(context.Background(), ConsumptionQuery{OrganizationID: "org", BudgetShare: share}); err == nil {
			t.Errorf("share %v accepted", share)
		}
	}
	epoch := time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)
	err := &BudgetError{Share: 0.5, Accounts: []BudgetShortfall{{AccountID: "b-sales", AccountName: "Sales", Needed: 5000, Senders: 5000,
		Remaining: 2990, Limit: 3000, Reset: epoch}}}
	for _, want := range []string{"50%", "b-sales (Sales)", "at least 5000", "2990 of its 3000", "2026-12-06T11:00:00Z"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	var be *BudgetError
	if !errors.As(error(err), &be) {
		t.Error("not a BudgetError")
	}
}

// The pacer admits at most its limit in any window, sleeping out the rest.
func TestPacer(t *testing.T) {
	clock := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	var slept time.Duration
	p := newPacer(3, func() time.Time { return clock }, func(_ context.Context, d time.Duration) error { clock = clock.Add(d); slept += d; return nil })
	var starts []time.Time
	for range 7 {
		if err := p.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clock)
		clock = clock.Add(time.Second)
	}
	for i := 3; i < len(starts); i++ {
		if starts[i].Sub(starts[i-3]) < BurstWindow {
			t.Errorf("calls %d and %d are %v apart", i-3, i, starts[i].Sub(starts[i-3]))
		}
	}
	if slept == 0 {
		t.Error("never slept")
	}
}
