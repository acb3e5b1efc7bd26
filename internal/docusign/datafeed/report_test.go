// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

type fakeEnvelope struct {
	sender string
	at     time.Time
}

// fakeAPI is an organization held in memory, answering like the Admin and eSignature APIs.
type fakeAPI struct {
	org       admin.Organization
	items     []admin.PlanItem
	users     map[string][]admin.OrgUser // by account
	accounts  map[string]*esign.Account
	envelopes map[string][]fakeEnvelope // by account
	searched  map[string]int            // envelope searches by sender user ID
	maxTake   int
	latency   time.Duration

	inFlight, peak atomic.Int32
	calls          atomic.Int32
	mu             sync.Mutex
	queries        []admin.UsersQuery
	failAccount    string
}

func (f *fakeAPI) enter() func() {
	f.calls.Add(1)
	n := f.inFlight.Add(1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if f.latency > 0 {
		time.Sleep(f.latency)
	}
	return func() { f.inFlight.Add(-1) }
}

func (f *fakeAPI) ListOrganizations(context.Context) ([]admin.Organization, error) {
	defer f.enter()()
	return []admin.Organization{f.org}, nil
}

func (f *fakeAPI) PlanItems(context.Context, string) ([]admin.PlanItem, error) {
	defer f.enter()()
	return f.items, nil
}

func (f *fakeAPI) ListUsers(_ context.Context, _ string, q admin.UsersQuery) (*admin.UsersPage, error) {
	defer f.enter()()
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	if q.AccountID == "" {
		return nil, errors.New("needs account_id")
	}
	if q.AccountID == f.failAccount {
		return nil, errors.New("boom")
	}
	all := f.users[q.AccountID]
	take := q.Take
	if f.maxTake > 0 && take > f.maxTake {
		take = f.maxTake
	}
	end := min(len(all), q.Start+take)
	page := &admin.UsersPage{Paging: admin.Paging{TotalSetSize: len(all), ResultSetStartPosition: q.Start}}
	if q.Start < len(all) {
		page.Users = all[q.Start:end]
	}
	if end < len(all) {
		page.Paging.Next = "next"
	}
	return page, nil
}

func (f *fakeAPI) GetAccount(_ context.Context, id string) (*esign.Account, error) {
	defer f.enter()()
	a := f.accounts[id]
	if a == nil {
		return nil, &transport.Error{API: transport.APIESign, Status: 400, Code: "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT",
			Message: "The specified User is not a member of the specified Account.", Method: "GET", Path: ""}
	}
	return a, nil
}

// CountEnvelopesSentBy answers per sender, as DocuSign's envelope search does with user_id.
func (f *fakeAPI) CountEnvelopesSentBy(_ context.Context, id, userID string, from, to time.Time) (int, error) {
	defer f.enter()()
	f.mu.Lock()
	if f.searched == nil {
		f.searched = map[string]int{}
	}
	f.searched[userID]++
	f.mu.Unlock()
	n := 0
	for _, e := range f.envelopes[id] {
		if e.sender == userID && !e.at.Before(from) && e.at.Before(to) {
			n++
		}
	}
	return n, nil
}

func demoAPI() *fakeAPI {
	f := &fakeAPI{
		org: admin.Organization{ID: "org", Accounts: []admin.Account{{ID: "b-sales", Name: "Sales"}, {ID: "a-labs", Name: "Labs"}, {ID: "c-legal", Name: "Legal"}}},
		items: []admin.PlanItem{
			{PlanID: "p2", PlanName: "Enterprise Pro", SubscriptionID: "SUB-2"},
			{PlanID: "p1", PlanName: "Business Pro", SubscriptionID: "SUB-1"},
		},
		users: map[string][]admin.OrgUser{
			"b-sales": {
				{ID: "u3", Email: "zed@x", UserName: "Zed", MembershipStatus: "active", PlanName: "Business Pro", LicenseType: "professional"},
				{ID: "u1", Email: "amy@x", UserName: "Amy", MembershipStatus: "active", PlanName: "business pro", MembershipCreatedOn: "2024-01-01"},
				{ID: "u2", Email: "bob@x", FirstName: "Bob", LastName: "B", MembershipStatus: "closed", PlanName: "Business Pro"},
				{ID: "u0", Email: "amy@x", UserName: "Amy Two", MembershipStatus: "activation_sent", PlanName: "Business Pro"},
			},
			"a-labs": {
				{ID: "u1", Email: "amy@x", MembershipStatus: "active", PlanName: "Standard (Legacy)"},
				{ID: "u4", Email: "cy@x", MembershipStatus: "active", PlanName: "Standard (Legacy)"},
			},
			"c-legal": {
				{ID: "u5", Email: "dee@x", MembershipStatus: "active", SubscriptionID: "SUB-2"},
				{ID: "u6", Email: "eve@x", MembershipStatus: "active", SubscriptionID: "SUB-X"},
			},
		},
		accounts: map[string]*esign.Account{
			"b-sales": {AccountIDGUID: "b-sales", AccountName: "Sales", PlanName: "Business Pro", SeatsAllowed: "12",
				BillingPeriodStartDate: "2026-11-01T00:00:00.0000000Z", BillingPeriodEndDate: "2026-11-30T23:59:59.0000000Z",
				BillingPeriodEnvelopesSent: "540", BillingPeriodEnvelopesAllowed: "600"},
			"c-legal": {AccountIDGUID: "c-legal", AccountName: "Legal", PlanName: "Enterprise Pro", SeatsAllowed: "8",
				BillingPeriodStartDate: "2026-11-01T00:00:00.0000000Z", BillingPeriodEndDate: "2026-11-30T23:59:59.0000000Z",
				BillingPeriodEnvelopesSent: "33", BillingPeriodEnvelopesAllowed: "unlimited"},
		},
		envelopes: map[string][]fakeEnvelope{
			"b-sales": {
				{"u3", time.Date(2024, 2, 28, 23, 59, 59, 0, time.UTC)}, {"u3", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
				{"u2", time.Date(2024, 3, 30, 23, 59, 59, 0, time.UTC)}, {"u1", time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)},
				{"u1", time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)},
			},
		},
	}
	return f
}

func TestSubscriptionsReport(t *testing.T) {
	f := demoAPI()
	c := &Client{Admin: f, ESign: f}
	r, err := c.Subscriptions(context.Background(), SubscriptionsQuery{
		OrganizationID: "ORG",
		Rules: []Rule{
			{ID: "legacy", Kind: KindIdentifier, Match: MatchEndsWith, Identifier: "(legacy)", Active: true},
			{ID: "amy", Kind: KindUser, UserID: "U1", Active: true},
			{ID: "off", Kind: KindUser, UserID: "u3", Active: false},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, s := range r.Subscriptions {
		order = append(order, s.AccountID+"/"+s.Email+"/"+s.UserID)
	}
	want := []string{"a-labs/amy@x/u1", "a-labs/cy@x/u4", "b-sales/amy@x/u0", "b-sales/amy@x/u1", "b-sales/zed@x/u3", "c-legal/dee@x/u5", "c-legal/eve@x/u6"}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order = %v\nwant    %v", order, want)
	}
	if r.Total != 7 || r.ExcludedCount != 3 || r.Counted != 4 {
		t.Errorf("total/excluded/counted = %d/%d/%d, want 7/3/4", r.Total, r.ExcludedCount, r.Counted)
	}
	// Listing closed memberships adds bob to the total but never to what counts.
	withClosed, err := c.Subscriptions(context.Background(), SubscriptionsQuery{
		OrganizationID: "ORG", IncludeClosed: true,
		Rules: []Rule{{ID: "legacy", Kind: KindIdentifier, Match: MatchEndsWith, Identifier: "(legacy)", Active: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if withClosed.Total != 8 || withClosed.ExcludedCount != 2 || withClosed.Counted != 5 {
		t.Errorf("with closed: total/excluded/counted = %d/%d/%d, want 8/2/5 (bob is closed and listed, not counted)",
			withClosed.Total, withClosed.ExcludedCount, withClosed.Counted)
	}
	if got := r.Subscriptions[0].ExcludedBy; fmt.Sprint(got) != "[legacy amy]" {
		t.Errorf("labs amy excluded_by = %v", got)
	}
	if got := fmt.Sprint(r.UnrecognizedIdentifiers); got != "[SUB-X Standard (Legacy)]" {
		t.Errorf("unrecognized = %s", got)
	}
	if r.Subscriptions[3].CreatedOn != "2024-01-01" {
		t.Errorf("created_on = %q", r.Subscriptions[3].CreatedOn)
	}
	seats := map[string]AccountSeats{}
	for _, a := range r.Accounts {
		seats[a.AccountID] = a
	}
	if s := seats["b-sales"]; s.SeatsInUse != 2 || s.SeatsAllowed == nil || *s.SeatsAllowed != 12 || s.PlanName != "Business Pro" {
		t.Errorf("sales seats = %+v", s)
	}
	// The user is no member of Labs: eSignature refuses it, which is reported, not fatal and not silent.
	if s := seats["a-labs"]; s.SeatsAllowed != nil || s.SeatsInUse != 2 || s.PlanName != "Standard (Legacy)" || !esign.IsNotAccountMember(s.ESignError) {
		t.Errorf("labs seats = %+v", s)
	}
	if seats["b-sales"].ESignError != nil || seats["c-legal"].ESignError != nil {
		t.Errorf("readable accounts carry an error: %+v", seats)
	}
	if r.Accounts[0].AccountID != "a-labs" || r.SoftwareModels[0].PlanName != "Business Pro" {
		t.Errorf("accounts or software models not sorted: %+v %+v", r.Accounts, r.SoftwareModels)
	}
	for _, q := range f.queries {
		if q.AccountID == "" || !q.IncludeLicense || q.Take != admin.PageSize {
			t.Errorf("users query %+v", q)
		}
	}

	// include_closed and the account filter.
	r, err = c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", AccountIDs: []string{"B-SALES"}, IncludeClosed: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 4 || len(r.Accounts) != 1 || r.Subscriptions[2].UserID != "u2" || r.Subscriptions[2].UserName != "Bob B" {
		t.Errorf("include_closed report: %+v", r)
	}
	if _, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", AccountIDs: []string{"nope"}}); !errors.Is(err, ErrAccountNotInOrganization) {
		t.Errorf("unknown account: %v", err)
	}
	if _, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "other"}); !errors.Is(err, ErrOrganizationNotFound) {
		t.Errorf("unknown org: %v", err)
	}
	if _, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", Rules: []Rule{{ID: "x", Kind: KindIdentifier, Match: MatchRegex, Identifier: "("}}}); err == nil {
		t.Error("bad regex accepted")
	}
	f.failAccount = "c-legal"
	if _, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org"}); err == nil {
		t.Error("a failing page did not fail the report")
	}
}

// 20,000 users in 10 accounts, a server that caps pages at 100 and takes 2 ms per call: every
// row arrives once, in order, with at most Concurrency calls in flight.
func TestSubscriptionsScaleAndConcurrency(t *testing.T) {
	f := &fakeAPI{org: admin.Organization{ID: "org"}, users: map[string][]admin.OrgUser{}, accounts: map[string]*esign.Account{},
		maxTake: 100, latency: 2 * time.Millisecond}
	for a := range 10 {
		id := fmt.Sprintf("acct-%02d", a)
		f.org.Accounts = append(f.org.Accounts, admin.Account{ID: id, Name: id})
		f.accounts[id] = &esign.Account{SeatsAllowed: "5000"}
		for u := range 2000 {
			f.users[id] = append(f.users[id], admin.OrgUser{ID: fmt.Sprintf("u-%05d", u), Email: fmt.Sprintf("user%05d@x", u),
				MembershipStatus: "active", PlanName: "Plan"})
		}
	}
	c := &Client{Admin: f, ESign: f, Concurrency: 4}
	start := time.Now()
	r, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 20000 {
		t.Fatalf("total = %d", r.Total)
	}
	for i := 1; i < len(r.Subscriptions); i++ {
		a, b := r.Subscriptions[i-1], r.Subscriptions[i]
		if a.AccountID+a.Email >= b.AccountID+b.Email {
			t.Fatalf("not sorted or duplicated at %d: %v then %v", i, a, b)
		}
	}
	if p := f.peak.Load(); p > 4 {
		t.Errorf("peak concurrency %d > 4", p)
	}
	// 200 pages + 10 account reads + 2 org calls, 4 at a time at 2 ms each: far under 3 s.
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %s", el)
	}
	if n := f.calls.Load(); n != 212 {
		t.Errorf("calls = %d, want 212", n)
	}
	for _, a := range r.Accounts {
		if a.SeatsInUse != 2000 {
			t.Errorf("%s seats in use %d", a.AccountID, a.SeatsInUse)
		}
	}
}

func TestConsumption(t *testing.T) {
	f := demoAPI()
	f.org.Accounts = f.org.Accounts[:1]
	f.org.Accounts = append(f.org.Accounts, admin.Account{ID: "c-legal", Name: "Legal"})
	c := &Client{Admin: f, ESign: f}

	// Each account's billing period.
	r, err := c.Consumption(context.Background(), ConsumptionQuery{OrganizationID: "org"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Period == nil || FormatDate(r.Period.Start) != "2026-11-01" || FormatDate(r.Period.End) != "2026-11-30" {
		t.Errorf("common billing period = %+v", r.Period)
	}
	sales, legal := r.Accounts[0], r.Accounts[1]
	if sales.AccountID != "b-sales" || *sales.EnvelopesSent != 540 || *sales.BillingPeriodEnvelopesAllowed != 600 || *sales.PercentUsed != 90 ||
		sales.Allowance != AllowanceLimited {
		t.Errorf("sales = %+v", sales)
	}
	if legal.BillingPeriodEnvelopesAllowed != nil || legal.PercentUsed != nil || *legal.EnvelopesSent != 33 || legal.Allowance != AllowanceUnlimited {
		t.Errorf("legal (unlimited) = %+v", legal)
	}
	if *r.TotalEnvelopesSent != 573 || r.TotalEnvelopesAllowed != nil || len(f.searched) != 0 {
		t.Errorf("totals %d %v; searches %v (the billing counters need none)", *r.TotalEnvelopesSent, r.TotalEnvelopesAllowed, f.searched)
	}

	// A custom cycle: monthly from Jan 31 2024 as of Mar 1 2024 is Feb 29..Mar 30, ends inclusive.
	// Sales' senders: u3 (one envelope in, one before), u2 (closed since, one on the last
	// second) and u1 (one in, one the day after). u0 joined after the cycle and u7 left before
	// it: neither is searched.
	f.users["b-sales"][3].MembershipCreatedOn = "2024-04-01T00:00:00Z"
	f.users["b-sales"] = append(f.users["b-sales"], admin.OrgUser{ID: "u7", MembershipStatus: "closed",
		MembershipCreatedOn: "2020-01-01T00:00:00Z", MembershipClosedOn: "2024-02-28T10:00:00Z"})
	start, end := Cycle(d("2024-01-31"), 1, d("2024-03-01"))
	r, err = c.Consumption(context.Background(), ConsumptionQuery{OrganizationID: "org", AccountIDs: []string{"b-sales"}, Period: &Period{start, end}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Accounts) != 1 || *r.Accounts[0].EnvelopesSent != 3 || FormatDate(r.Period.Start) != "2024-02-29" || *r.TotalEnvelopesAllowed != 600 {
		t.Errorf("custom period report = %+v %+v", r, r.Accounts)
	}
	if r.Accounts[0].SendersSearched != 3 || f.searched["u0"] != 0 || f.searched["u7"] != 0 || f.searched["u2"] != 1 {
		t.Errorf("searched %d senders: %v; want u1, u2, u3 once each", r.Accounts[0].SendersSearched, f.searched)
	}
	if _, err := c.Consumption(context.Background(), ConsumptionQuery{OrganizationID: "org", Period: &Period{end, start}}); err == nil {
		t.Error("reversed period accepted")
	}

	// An account the impersonated user is no member of is reported, not fatal; its numbers are
	// unknown, and so is the total.
	f.org.Accounts = append(f.org.Accounts, admin.Account{ID: "a-labs", Name: "Labs"})
	r, err = c.Consumption(context.Background(), ConsumptionQuery{OrganizationID: "org", Period: &Period{start, end}})
	if err != nil {
		t.Fatal(err)
	}
	labs := r.Accounts[0]
	if labs.AccountID != "a-labs" || labs.AccountName != "Labs" || !esign.IsNotAccountMember(labs.Unreachable) || labs.EnvelopesSent != nil ||
		labs.BillingPeriodEnvelopesSent != nil || labs.Allowance != "" {
		t.Errorf("labs = %+v", labs)
	}
	if u := r.Unreachable(); len(u) != 1 || u[0].AccountID != "a-labs" || r.TotalEnvelopesSent != nil || *r.Accounts[1].EnvelopesSent != 3 {
		t.Errorf("unreachable %+v, total %v", u, r.TotalEnvelopesSent)
	}
	// Any other failure still fails the report.
	f.failAccount = "b-sales"
	if _, err := c.Consumption(context.Background(), ConsumptionQuery{OrganizationID: "org", Period: &Period{start, end}}); err == nil {
		t.Error("a failing member listing did not fail the report")
	}
}

func TestFromAccountAllowance(t *testing.T) {
	for allowed, want := range map[string]string{"": AllowanceNotReported, "unlimited": AllowanceUnlimited, "Unlimited": AllowanceUnlimited, "25": AllowanceLimited} {
		ac, err := FromAccount(&esign.Account{BillingPeriodEnvelopesSent: "5", BillingPeriodEnvelopesAllowed: allowed})
		if err != nil || ac.Allowance != want || (want == AllowanceLimited) != (ac.BillingPeriodEnvelopesAllowed != nil) ||
			(want == AllowanceLimited) != (ac.PercentUsed != nil) {
			t.Errorf("%q: %+v %v", allowed, ac, err)
		}
	}
}

func TestFromAccountDates(t *testing.T) {
	for _, s := range []string{"2026-11-30T23:59:59.0000000Z", "2026-11-30", "11/30/2026 11:59:59 PM"} {
		ac, err := FromAccount(&esign.Account{BillingPeriodEndDate: s, BillingPeriodEnvelopesAllowed: strconv.Itoa(10)})
		if err != nil || FormatDate(ac.BillingPeriodEnd) != "2026-11-30" {
			t.Errorf("%q: %v %v", s, FormatDate(ac.BillingPeriodEnd), err)
		}
	}
	if _, err := FromAccount(&esign.Account{BillingPeriodEnvelopesAllowed: "lots"}); err == nil {
		t.Error("non-numeric allowance accepted")
	}
}
