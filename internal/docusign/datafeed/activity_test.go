// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/monitor"
)

var activityNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return activityNow.AddDate(0, 0, -n) }

func esTime(d time.Time) string { return d.Format("2006-01-02T15:04:05.0000000Z") }

// fakeESign is the eSignature side: users lists by account (a missing account is unreachable),
// single-user records by user/account, and envelopes by account, newest first.
type fakeESign struct {
	lists  map[string][]esign.User
	single map[string]esign.User // user/account; missing = the read fails
	sent   map[string][]sentBy   // by account
	// receivedToo makes user_id also return envelopes the user received (the web app's reading).
	receivedToo bool

	mu              sync.Mutex
	reads, searches int
	searchCounts    []int
}

type sentBy struct {
	sender, recipient string
	at                time.Time
}

func (f *fakeESign) ListAllUsers(_ context.Context, accountID string, q esign.ListUsersQuery) ([]esign.User, error) {
	if !q.AdditionalInfo {
		return nil, errors.New("lastLogin needs additional_info=true")
	}
	users, ok := f.lists[accountID]
	if !ok {
		return nil, errors.New("USER_LACKS_PERMISSIONS")
	}
	return users, nil
}

func (f *fakeESign) GetUserLastLogin(_ context.Context, accountID, userID string) (*esign.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	u, ok := f.single[userID+"/"+accountID]
	if !ok {
		return nil, errors.New("USER_LACKS_PERMISSIONS")
	}
	return &u, nil
}

func (f *fakeESign) SearchSentBy(_ context.Context, accountID, userID string, from time.Time, count int) (*esign.SentSearch, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.searches++
	f.searchCounts = append(f.searchCounts, count)
	var matched []esign.SentEnvelope
	for _, e := range f.sent[accountID] {
		mine := e.sender == userID || f.receivedToo && e.recipient == userID
		if e.at.Before(from) || !mine {
			continue
		}
		env := esign.SentEnvelope{SentDateTime: esTime(e.at)}
		env.Sender = &struct {
			UserID string `json:"userId"`
			Email  string `json:"email"`
		}{UserID: e.sender}
		matched = append(matched, env)
	}
	total := len(matched)
	return &esign.SentSearch{Envelopes: matched[:min(count, len(matched))], Total: total}, nil
}

// listerOnly hides the confirmation reads.
type listerOnly struct{ f *fakeESign }

func (l listerOnly) ListAllUsers(ctx context.Context, accountID string, q esign.ListUsersQuery) ([]esign.User, error) {
	return l.f.ListAllUsers(ctx, accountID, q)
}

type fakeStream struct {
	events      []monitor.Event
	from, until time.Time
}

func (f *fakeStream) Since(_ context.Context, from, until time.Time, _ int, fn func(monitor.Event)) (int, error) {
	f.from, f.until = from, until
	for _, ev := range f.events {
		if !ev.Time().Before(from) {
			fn(ev)
		}
	}
	return 1, nil
}

// activityReport: account A holds ann (active 10 days ago), bob (last login 200 days ago), cat
// (never logged in, member for 400 days), svc (idle but excluded), dan (closed, idle) and eve
// (new: never logged in, member for 5 days); account B is another account.
func activityReport() *SubscriptionsReport {
	sub := func(user, email, account, status string, created time.Time, excluded bool) Subscription {
		return Subscription{UserID: user, Email: email, AccountID: account, SubscriptionIdentifier: "Pro", MembershipStatus: status,
			CreatedOn: created.Format(time.RFC3339), Excluded: excluded}
	}
	return &SubscriptionsReport{
		Accounts: []AccountSeats{{AccountID: "A", AccountName: "Sales"}, {AccountID: "B", AccountName: "Legal"}},
		Subscriptions: []Subscription{
			sub("ann", "ann@corp.example", "A", "active", daysAgo(500), false),
			sub("bob", "bob@corp.example", "A", "active", daysAgo(500), false),
			sub("cat", "cat@corp.example", "A", "active", daysAgo(400), false),
			sub("svc", "svc@corp.example", "A", "active", daysAgo(400), true),
			sub("dan", "dan@corp.example", "A", "closed", daysAgo(400), false),
			sub("eve", "eve@corp.example", "A", "active", daysAgo(5), false),
			sub("fay", "fay@corp.example", "B", "active", daysAgo(400), false),
		},
		ReservedDomains: []string{"corp.example"},
	}
}

func candidateIDs(a *ActivityReport) string {
	var ids []string
	for _, c := range a.Candidates {
		ids = append(ids, c.UserID+"@"+c.AccountID)
	}
	return strings.Join(ids, ",")
}

func warningsText(a *ActivityReport) string {
	var out []string
	for _, w := range a.Warnings {
		out = append(out, w.Summary+": "+w.Detail)
	}
	return strings.Join(out, "\n")
}

// listA is account A's users list with lastLogin, the reading where the list carries it.
func listA() []esign.User {
	return []esign.User{
		{UserID: "ann", LastLogin: esTime(daysAgo(10))}, {UserID: "bob", LastLogin: esTime(daysAgo(200))},
		{UserID: "cat"}, {UserID: "svc"}, {UserID: "dan"}, {UserID: "eve"},
	}
}

func TestActivityESignatureSource(t *testing.T) {
	r := activityReport()
	f := &fakeESign{lists: map[string][]esign.User{"A": listA()}, single: map[string]esign.User{"cat/A": {UserID: "cat"}}} // B is unreachable
	c := &Client{Users: f}
	got, err := c.Activity(context.Background(), ActivityQuery{Source: SourceESignature, IdleAfterDays: 90, Now: activityNow}, r)
	if err != nil {
		t.Fatal(err)
	}
	// bob idles since his last login, cat since creation (the single-user read has no lastLogin
	// either); svc is excluded, dan closed, eve new, and fay's account could not be read, so her
	// activity is unknown: never a candidate.
	if ids := candidateIDs(got); ids != "bob@A,cat@A" {
		t.Fatalf("candidates %v, want bob@A and cat@A", ids)
	}
	if got.Candidates[0].IdleDays != 200 || got.Candidates[1].IdleDays != 400 || got.Candidates[0].LastActivitySource != ActivityLogin ||
		got.Candidates[1].LastActivitySource != ActivityNeverLogged || got.Candidates[1].LastActivity != "" {
		t.Errorf("candidates %+v", got.Candidates)
	}
	if fay := r.Subscriptions[6]; fay.LastActivitySource != ActivityUnknown {
		t.Errorf("fay in the unreadable account: %+v", fay)
	}
	if len(got.UnreadableAccounts) != 1 || got.UnreadableAccounts[0].AccountName != "Legal" || len(got.Warnings) != 0 {
		t.Errorf("unreadable %+v, warnings %s", got.UnreadableAccounts, warningsText(got))
	}
	want := []Reclaimable{{AccountID: "A", AccountName: "Sales", PlanName: "Pro", SeatsInUse: 4, Reclaimable: 2},
		{AccountID: "B", AccountName: "Legal", PlanName: "Pro", SeatsInUse: 1, UnknownActivity: 1}}
	if len(got.Reclaimable) != 2 || got.Reclaimable[0] != want[0] || got.Reclaimable[1] != want[1] {
		t.Errorf("reclaimable %+v, want %+v", got.Reclaimable, want)
	}
	// Only would-be candidates cost calls: cat's single-user read, then one search each for bob
	// and cat. ann is active by her login; svc, dan and eve cannot be candidates.
	if f.reads != 1 || f.searches != 2 || got.LoginReads != 1 || got.SendSearches != 2 || got.Calls != 2+1+2 {
		t.Errorf("reads %d searches %d, report %+v", f.reads, f.searches, got)
	}
}

// Rule 1: a member idle by logins who sent an envelope since the cutoff is active; last_activity
// is the later of the login and the send.
func TestActivityAPISenderIsNotACandidate(t *testing.T) {
	for _, receivedToo := range []bool{false, true} {
		r := activityReport()
		f := &fakeESign{lists: map[string][]esign.User{"A": listA()}, single: map[string]esign.User{"cat/A": {UserID: "cat"}},
			sent: map[string][]sentBy{"A": {
				{sender: "ann", recipient: "cat", at: daysAgo(1)}, // cat received these: not cat's activity
				{sender: "ann", recipient: "cat", at: daysAgo(2)},
				{sender: "bob", at: daysAgo(3)},
				{sender: "bob", at: daysAgo(30)},
			}}, receivedToo: receivedToo}
		got, err := (&Client{Users: f}).Activity(context.Background(), ActivityQuery{IdleAfterDays: 90, Now: activityNow}, r)
		if err != nil {
			t.Fatal(err)
		}
		if ids := candidateIDs(got); ids != "cat@A" {
			t.Fatalf("receivedToo=%v: candidates %v, want cat@A only", receivedToo, ids)
		}
		if bob := r.Subscriptions[1]; bob.LastActivitySource != ActivityEnvelopeSent || bob.LastActivity != daysAgo(3).Format(time.RFC3339) {
			t.Errorf("bob: %+v", bob)
		}
		// Under the inbox reading cat's first answer is an envelope ann sent him: a second
		// search of 100 shows all of them are ann's, so he sent nothing.
		wantSearches := map[bool]int{false: 2, true: 3}[receivedToo]
		if f.searches != wantSearches || len(got.Warnings) != 0 {
			t.Errorf("receivedToo=%v: %d searches (%v), want %d; warnings %s", receivedToo, f.searches, f.searchCounts, wantSearches, warningsText(got))
		}
	}
}

// Rule 2: a list without lastLogin is unknown, confirmed through the single-user read within the
// cap; past the cap, or when the read fails, the membership stays unknown with a warning.
func TestActivityMissingLastLogin(t *testing.T) {
	noLogins := []esign.User{{UserID: "ann"}, {UserID: "bob"}, {UserID: "cat"}, {UserID: "svc"}, {UserID: "dan"}, {UserID: "eve"}}
	single := map[string]esign.User{
		"ann/A": {UserID: "ann", LastLogin: esTime(daysAgo(10))}, "bob/A": {UserID: "bob", LastLogin: esTime(daysAgo(200))},
		"cat/A": {UserID: "cat"},
	}
	t.Run("confirmed", func(t *testing.T) {
		r := activityReport()
		f := &fakeESign{lists: map[string][]esign.User{"A": noLogins}, single: single}
		got, err := (&Client{Users: f}).Activity(context.Background(), ActivityQuery{IdleAfterDays: 90, Now: activityNow}, r)
		if err != nil {
			t.Fatal(err)
		}
		if ids := candidateIDs(got); ids != "bob@A,cat@A" {
			t.Fatalf("candidates %v", ids)
		}
		// ann, bob and cat may be idle; svc (excluded), dan (closed) and eve (new) are not read.
		if f.reads != 3 || r.Subscriptions[0].LastActivitySource != ActivityLogin || r.Subscriptions[5].LastActivitySource != ActivityUnknown {
			t.Errorf("%d reads; %+v", f.reads, r.Subscriptions)
		}
	})
	t.Run("past the cap", func(t *testing.T) {
		r := activityReport()
		f := &fakeESign{lists: map[string][]esign.User{"A": noLogins}, single: single}
		got, err := (&Client{Users: f, Concurrency: 1}).Activity(context.Background(),
			ActivityQuery{IdleAfterDays: 90, Now: activityNow, MaxConfirmations: 2}, r)
		if err != nil {
			t.Fatal(err)
		}
		// Two reads (ann, bob) spend the cap: bob's search and cat's read are skipped.
		if ids := candidateIDs(got); ids != "" {
			t.Fatalf("candidates %v, want none", ids)
		}
		if w := warningsText(got); !strings.Contains(w, "Seat Activity Not Confirmed") || !strings.Contains(w, "2 membership(s)") ||
			!strings.Contains(w, "limit of 2 confirmation calls") {
			t.Errorf("warnings %s", w)
		}
		if f.reads+f.searches != 2 || got.Reclaimable[0].UnknownActivity != 2 {
			t.Errorf("%d reads %d searches, rows %+v", f.reads, f.searches, got.Reclaimable)
		}
	})
	t.Run("read refused", func(t *testing.T) {
		r := activityReport()
		f := &fakeESign{lists: map[string][]esign.User{"A": noLogins}, single: map[string]esign.User{}}
		got, err := (&Client{Users: f}).Activity(context.Background(), ActivityQuery{IdleAfterDays: 90, Now: activityNow}, r)
		if err != nil {
			t.Fatal(err)
		}
		if ids := candidateIDs(got); ids != "" {
			t.Fatalf("candidates %v, want none", ids)
		}
		if w := warningsText(got); !strings.Contains(w, "3 membership(s) have no lastLogin") || !strings.Contains(w, "USER_LACKS_PERMISSIONS") {
			t.Errorf("warnings %s", w)
		}
	})
	t.Run("without idle_after_days", func(t *testing.T) {
		r := activityReport()
		f := &fakeESign{lists: map[string][]esign.User{"A": noLogins}, single: single}
		got, err := (&Client{Users: f}).Activity(context.Background(), ActivityQuery{Now: activityNow}, r)
		if err != nil {
			t.Fatal(err)
		}
		if f.reads+f.searches != 0 || r.Subscriptions[2].LastActivitySource != ActivityUnknown ||
			!strings.Contains(warningsText(got), "Set idle_after_days") {
			t.Errorf("%d reads; %+v; %s", f.reads, r.Subscriptions[2], warningsText(got))
		}
	})
	t.Run("no confirmation reads", func(t *testing.T) {
		r := activityReport()
		f := &fakeESign{lists: map[string][]esign.User{"A": listA()}}
		got, err := (&Client{Users: listerOnly{f}}).Activity(context.Background(), ActivityQuery{IdleAfterDays: 90, Now: activityNow}, r)
		if err != nil {
			t.Fatal(err)
		}
		if ids := candidateIDs(got); ids != "" || !strings.Contains(warningsText(got), "could not be checked for envelopes sent") {
			t.Errorf("candidates %v; %s", ids, warningsText(got))
		}
	})
}

// lastLogin is the person's "to the system": a recent login in one account keeps the person's
// other memberships from being candidates, whether DocuSign reports it per user or per membership.
func TestActivityLoginIsThePersons(t *testing.T) {
	r := activityReport()
	r.Subscriptions = append(r.Subscriptions, Subscription{UserID: "bob", Email: "bob@corp.example", AccountID: "B",
		SubscriptionIdentifier: "Pro", MembershipStatus: "active", CreatedOn: daysAgo(400).Format(time.RFC3339)})
	f := &fakeESign{lists: map[string][]esign.User{"A": listA(), "B": {{UserID: "fay", LastLogin: esTime(daysAgo(300))},
		{UserID: "bob", LastLogin: esTime(daysAgo(2))}}}, single: map[string]esign.User{"cat/A": {UserID: "cat"}}}
	got, err := (&Client{Users: f}).Activity(context.Background(), ActivityQuery{IdleAfterDays: 90, Now: activityNow}, r)
	if err != nil {
		t.Fatal(err)
	}
	if ids := candidateIDs(got); ids != "cat@A,fay@B" {
		t.Fatalf("candidates %v, want cat@A and fay@B (bob logged in to B two days ago)", ids)
	}
	if bob := r.Subscriptions[1]; bob.LastActivity != daysAgo(2).Format(time.RFC3339) {
		t.Errorf("bob in A: %+v", bob)
	}
}

// A sender who cannot be told from the answer (no sender, or more envelopes than a page) is
// unknown, never a candidate.
func TestActivitySendSearchUnclear(t *testing.T) {
	r := activityReport()
	f := &fakeESign{lists: map[string][]esign.User{"A": listA()}, single: map[string]esign.User{"cat/A": {UserID: "cat"}}, receivedToo: true}
	var received []sentBy
	for i := range 150 {
		received = append(received, sentBy{sender: "ann", recipient: "bob", at: daysAgo(1 + i%60)})
	}
	f.sent = map[string][]sentBy{"A": received}
	got, err := (&Client{Users: f}).Activity(context.Background(), ActivityQuery{IdleAfterDays: 90, Now: activityNow}, r)
	if err != nil {
		t.Fatal(err)
	}
	if ids := candidateIDs(got); ids != "cat@A" {
		t.Fatalf("candidates %v, want cat@A (bob's 150 received envelopes hide whether he sent any)", ids)
	}
	if bob := r.Subscriptions[1]; bob.LastActivitySource != ActivityUnknown || !strings.Contains(warningsText(got), "envelope search") {
		t.Errorf("bob %+v; %s", bob, warningsText(got))
	}
}

func monitorEvent(user, account, object, action string, at time.Time) monitor.Event {
	return monitor.Event{UserID: user, AccountID: account, OrganizationID: "org", Object: object, Action: action, Result: "Success",
		Timestamp: at.Format(time.RFC3339Nano)}
}

func TestActivityMonitorSource(t *testing.T) {
	r := activityReport()
	r.Subscriptions = append(r.Subscriptions, Subscription{UserID: "gus", Email: "gus@outside.example", AccountID: "A",
		SubscriptionIdentifier: "Pro", MembershipStatus: "active", CreatedOn: daysAgo(400).Format(time.RFC3339)})
	stream := &fakeStream{events: []monitor.Event{
		monitorEvent("ann", "A", "User", "Login", daysAgo(40)),
		monitorEvent("bob", "A", "Envelope", "Envelope Sent", daysAgo(20)), // bob sends through an integration but never logs in
		monitorEvent("cat", "A", "user", "UserLogin", daysAgo(95)),         // idle: the latest event is older than 90 days
		monitorEvent("fay", "B", "User", "Login", daysAgo(1)),
		monitorEvent("zed", "A", "User", "Login", daysAgo(1)),
		monitorEvent("eve", "", "User", "login", daysAgo(2)),    // a login that names no account counts for each of eve's
		monitorEvent("svc", "A", "User", "Login", daysAgo(250)), // before the window read
	}}
	stream.events[3].OrganizationID = "another-org" // another organization's event is ignored
	f := &fakeESign{lists: map[string][]esign.User{}, sent: map[string][]sentBy{}}
	c := &Client{Monitor: stream, Users: f}
	got, err := c.Activity(context.Background(), ActivityQuery{OrganizationID: "org", Source: SourceMonitor, IdleAfterDays: 90, Now: activityNow}, r)
	if err != nil {
		t.Fatal(err)
	}
	if !stream.from.Equal(daysAgo(180)) || !stream.until.Equal(activityNow) {
		t.Errorf("read the stream from %v to %v, want twice idle_after_days back (%v) to now", stream.from, stream.until, daysAgo(180))
	}
	// cat: last login 95 days ago, confirmed by a search. fay: tracked, no event in B's
	// organization: unknown. gus is outside the claimed domains: unknown.
	if ids := candidateIDs(got); ids != "cat@A" {
		t.Fatalf("candidates %v, want cat@A", ids)
	}
	if bob := r.Subscriptions[1]; bob.LastActivitySource != ActivityMonitorSent || bob.LastActivity != daysAgo(20).Format(time.RFC3339) {
		t.Errorf("bob: %+v", bob)
	}
	if eve := r.Subscriptions[5]; eve.LastActivitySource != ActivityMonitorLogin || eve.LastActivity != daysAgo(2).Format(time.RFC3339) {
		t.Errorf("eve's account-less login: %+v", eve)
	}
	if fay, gus := r.Subscriptions[6], r.Subscriptions[7]; fay.LastActivitySource != ActivityNoEvent || gus.LastActivitySource != ActivityUnknown {
		t.Errorf("fay %+v, gus %+v", fay, gus)
	}
	if got.Candidates[0].LastActivitySource != ActivityMonitorLogin || got.Candidates[0].IdleDays != 95 || f.searches != 1 {
		t.Errorf("cat: %+v, %d searches", got.Candidates[0], f.searches)
	}
	if w := warningsText(got); !strings.Contains(w, "outside the organization's claimed domains") || !strings.Contains(w, "1 active membership(s) of users DocuSign Monitor tracks had no login") {
		t.Errorf("warnings %s", w)
	}
	if rows := got.Reclaimable; rows[1].UnknownActivity != 1 || rows[0].UnknownActivity != 1 {
		t.Errorf("rows %+v", rows)
	}
}

// Rule 3: events for the organization that are none of the recognised spellings give a warning
// and no candidates; no events at all give another.
func TestActivityMonitorUnrecognisedOrSilent(t *testing.T) {
	for name, events := range map[string][]monitor.Event{
		"renamed": {
			monitorEvent("bob", "A", "Session", "SessionStarted", daysAgo(150)),
			monitorEvent("cat", "A", "Envelope", "Dispatched", daysAgo(120)),
		},
		"other organization": {monitorEvent("bob", "A", "User", "Login", daysAgo(150))},
	} {
		if name == "other organization" {
			events[0].OrganizationID = "another-org"
		}
		r := activityReport()
		c := &Client{Monitor: &fakeStream{events: events}, Users: &fakeESign{}}
		got, err := c.Activity(context.Background(), ActivityQuery{OrganizationID: "org", Source: SourceMonitor, IdleAfterDays: 90, Now: activityNow}, r)
		if err != nil {
			t.Fatal(err)
		}
		if ids := candidateIDs(got); ids != "" {
			t.Errorf("%s: candidates %v, want none", name, ids)
		}
		want := map[string]string{"renamed": `"Session"/"SessionStarted"`, "other organization": "owns the integration key"}[name]
		if w := warningsText(got); len(got.Warnings) != 1 || !strings.Contains(w, want) {
			t.Errorf("%s: warnings %s", name, w)
		}
		for _, s := range r.Subscriptions {
			if s.LastActivitySource != ActivityUnknown {
				t.Errorf("%s: %+v", name, s)
			}
		}
	}
}
