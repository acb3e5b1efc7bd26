// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

// consumptionFixture makes Sales' senders receive each other's envelopes in the summer, so a
// search that returned received envelopes would overcount.
func consumptionFixture(t *testing.T, srv *emulator.Server, from time.Time) {
	t.Helper()
	tom := userID(t, srv, "tom.becker@opensam.example")
	priya := userID(t, srv, "priya.shah@opensam.example")
	if err := srv.MergeFixture(&emulator.Fixture{Envelopes: []emulator.Envelope{
		{AccountID: testSales, SenderUserID: priya, RecipientUserIDs: []string{tom, demoorg.ClosedSenderID}, SentAt: from.Add(time.Hour)},
		{AccountID: testSales, SenderUserID: tom, RecipientUserIDs: []string{priya}, SentAt: from.Add(2 * time.Hour)},
		{AccountID: testSales, SenderUserID: demoorg.ClosedSenderID, RecipientUserIDs: []string{tom, priya}, SentAt: from.Add(3 * time.Hour)},
	}}); err != nil {
		t.Fatal(err)
	}
}

// The count is what the account's members sent, whether DocuSign's user_id search also
// returns what they received (the emulator's default) or only what they created.
func TestConsumptionExactUnderEitherUserIDReading(t *testing.T) {
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, b := range []emulator.Behaviour{{}, {EnvelopeSearchUserIDCreatorOnly: true}} {
		srv := startEmulator(t, nil, emulator.Options{})
		consumptionFixture(t, srv, from)
		srv.SetBehaviour(b)
		c := newClient(t, srv)
		r, err := c.Consumption(context.Background(), datafeed.ConsumptionQuery{OrganizationID: testOrg, AccountIDs: []string{testSales},
			Period: &datafeed.Period{Start: from, End: to.AddDate(0, 0, -1)}})
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		want := srv.EnvelopeCount(testSales, from, to)
		a := r.Accounts[0]
		if a.EnvelopesSent == nil || *a.EnvelopesSent != want || r.TotalEnvelopesSent == nil || *r.TotalEnvelopesSent != want {
			t.Errorf("%+v: sent %v, total %v; want %d", b, a.EnvelopesSent, r.TotalEnvelopesSent, want)
		}
		if a.SendersSearched == 0 || a.SearchCalls != a.SendersSearched || a.CountUnknown != nil || a.BudgetUnchecked {
			t.Errorf("%+v: %d senders searched in %d calls (%v)", b, a.SendersSearched, a.SearchCalls, a.CountUnknown)
		}
	}
}

// A DocuSign that ignores folder_types (here a proxy drops it) returns received envelopes with
// user_id: the rows' senders keep the count exact, without more calls when a page holds them.
func TestConsumptionExactWhenFolderTypesIsIgnored(t *testing.T) {
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	f, err := emulator.LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.StartWithHandler(f, emulator.Options{}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			q.Del("folder_types")
			r.URL.RawQuery = q.Encode()
			h.ServeHTTP(w, r)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	consumptionFixture(t, srv, from)
	c := newClient(t, srv)
	r, err := c.Consumption(context.Background(), datafeed.ConsumptionQuery{OrganizationID: testOrg, AccountIDs: []string{testSales},
		Period: &datafeed.Period{Start: from, End: to.AddDate(0, 0, -1)}})
	if err != nil {
		t.Fatal(err)
	}
	a := r.Accounts[0]
	if want := srv.EnvelopeCount(testSales, from, to); a.EnvelopesSent == nil || *a.EnvelopesSent != want || a.SearchCalls != a.SendersSearched {
		t.Errorf("sent %v in %d calls for %d senders; want %d", a.EnvelopesSent, a.SearchCalls, a.SendersSearched, want)
	}
}

// DocuSign refusing a closed member's search makes that account's count unknown, not the read
// failed; the other accounts are still counted.
func TestConsumptionClosedMemberRefused(t *testing.T) {
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	srv := startEmulator(t, nil, emulator.Options{})
	consumptionFixture(t, srv, from)
	srv.SetBehaviour(emulator.Behaviour{EnvelopeSearchRefusesClosedMembers: true})
	c := newClient(t, srv)
	r, err := c.Consumption(context.Background(), datafeed.ConsumptionQuery{OrganizationID: testOrg, AccountIDs: []string{testSales, testLegal},
		Period: &datafeed.Period{Start: from, End: to.AddDate(0, 0, -1)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Accounts {
		switch a.AccountID {
		case testSales:
			if a.EnvelopesSent != nil || a.CountUnknown == nil || !strings.Contains(a.CountUnknown.Error(), demoorg.ClosedSenderID) ||
				!strings.Contains(a.CountUnknown.Error(), "INVALID_USERID") || a.Unreachable != nil {
				t.Errorf("sales: sent %v, unknown %v", a.EnvelopesSent, a.CountUnknown)
			}
		case testLegal:
			if a.EnvelopesSent == nil || *a.EnvelopesSent != srv.EnvelopeCount(testLegal, from, to) {
				t.Errorf("legal: sent %v", a.EnvelopesSent)
			}
		}
	}
	if r.TotalEnvelopesSent != nil {
		t.Errorf("total %d with an unknown account", *r.TotalEnvelopesSent)
	}
}

// A read that would take more than its share of the hour left is refused before any search,
// with the calls needed, the calls left and the reset.
func TestConsumptionRefusedOverBudget(t *testing.T) {
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	srv := startEmulator(t, nil, emulator.Options{HourlyLimit: 100})
	c := newClient(t, srv)
	q := datafeed.ConsumptionQuery{OrganizationID: testOrg, AccountIDs: []string{testSales}, Period: &datafeed.Period{Start: from, End: to.AddDate(0, 0, -1)}}
	r, err := c.Consumption(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	senders := r.Accounts[0].SendersSearched
	// Leave 2×senders−1 calls after the account read: half of that is short of one per sender.
	srv.UseHourlyCalls(testSales, 100-srv.HourlyCallsUsed(testSales)-2*senders)
	srv.ResetStats()
	_, err = c.Consumption(context.Background(), q)
	var budget *datafeed.BudgetError
	if !errors.As(err, &budget) || len(budget.Accounts) != 1 {
		t.Fatalf("err %v, want a BudgetError", err)
	}
	got := budget.Accounts[0]
	if got.Needed != senders || got.Remaining != 2*senders-1 || got.Limit != 100 || got.Reset.IsZero() ||
		!strings.Contains(err.Error(), "50%") || !strings.Contains(err.Error(), testSales) {
		t.Errorf("shortfall %+v: %v", got, err)
	}
	if n := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}/envelopes"]; n != 0 {
		t.Errorf("%d searches before the refusal", n)
	}
	// X-RateLimit-Reset as seconds left rather than an epoch still gives the hour's end.
	srv.SetBehaviour(emulator.Behaviour{RateLimitResetDeltaSeconds: true})
	_, err = c.Consumption(context.Background(), q)
	hourEnd := time.Now().UTC().Truncate(time.Hour).Add(time.Hour)
	if !errors.As(err, &budget) || budget.Accounts[0].Reset.Sub(hourEnd).Abs() > 2*time.Second {
		t.Errorf("reset as seconds left: %v, want about %s", err, hourEnd)
	}
	srv.SetBehaviour(emulator.Behaviour{})
	// The same read fits when it may take all of what is left.
	q.BudgetShare = 1
	if r, err := c.Consumption(context.Background(), q); err != nil || r.Accounts[0].EnvelopesSent == nil {
		t.Errorf("with the whole budget: %v", err)
	}
}

// The searches keep within the account's burst limit, whatever the concurrency.
func TestConsumptionPacesBursts(t *testing.T) {
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	// A fake clock that the pacer's sleeps move forward, to the latest wake-up asked for; each
	// sleep also takes a little real time, so calls already admitted land before the clock moves,
	// as they would in real time.
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	var slept atomic.Int64
	sleep := func(_ context.Context, d time.Duration) error {
		target := now().Add(d).UnixNano()
		time.Sleep(20 * time.Millisecond)
		for {
			cur := clock.Load()
			if cur >= target || clock.CompareAndSwap(cur, target) {
				break
			}
		}
		slept.Add(int64(d))
		return nil
	}
	srv := startEmulator(t, nil, emulator.Options{BurstLimit: 4, Now: now})
	c := newClient(t, srv)
	r, err := c.Consumption(context.Background(), datafeed.ConsumptionQuery{OrganizationID: testOrg, AccountIDs: []string{testSales},
		Period: &datafeed.Period{Start: from, End: to.AddDate(0, 0, -1)}, Now: now, Sleep: sleep})
	if err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); st.Throttled != 0 || r.Accounts[0].SendersSearched < 4 || time.Duration(slept.Load()) < datafeed.BurstWindow {
		t.Errorf("%d throttled, %d searched, slept %v", st.Throttled, r.Accounts[0].SendersSearched, time.Duration(slept.Load()))
	}
}
