// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/monitor"
)

var activityNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return activityNow.AddDate(0, 0, -n) }

type fakeUsers map[string][]esign.User // by account; missing account = unreachable

func (f fakeUsers) ListAllUsers(_ context.Context, accountID string, q esign.ListUsersQuery) ([]esign.User, error) {
	if !q.AdditionalInfo {
		return nil, errors.New("lastLogin needs additional_info=true")
	}
	users, ok := f[accountID]
	if !ok {
		return nil, errors.New("USER_LACKS_PERMISSIONS")
	}
	return users, nil
}

type fakeStream struct {
	events []monitor.Event
	from   time.Time
}

func (f *fakeStream) Since(_ context.Context, from time.Time, _ int, fn func(monitor.Event)) (int, error) {
	f.from = from
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

func candidateIDs(a *ActivityReport) []string {
	var ids []string
	for _, c := range a.Candidates {
		ids = append(ids, c.UserID+"@"+c.AccountID)
	}
	return ids
}

func TestActivityESignatureSource(t *testing.T) {
	r := activityReport()
	esTime := func(d time.Time) string { return d.Format("2006-01-02T15:04:05.0000000Z") }
	c := &Client{Users: fakeUsers{"A": {
		{UserID: "ann", LastLogin: esTime(daysAgo(10))}, {UserID: "bob", LastLogin: esTime(daysAgo(200))},
		{UserID: "cat"}, {UserID: "svc"}, {UserID: "dan"}, {UserID: "eve"},
	}}} // B is unreachable
	got, err := c.Activity(context.Background(), ActivityQuery{Source: SourceESignature, IdleAfterDays: 90, Now: activityNow}, r)
	if err != nil {
		t.Fatal(err)
	}
	// bob idles since his last login, cat since creation; svc is excluded, dan closed, eve new,
	// and fay's account could not be read, so her activity is unknown: never a candidate.
	if ids := candidateIDs(got); len(ids) != 2 || ids[0] != "bob@A" || ids[1] != "cat@A" {
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
		t.Errorf("unreadable %+v, warnings %+v", got.UnreadableAccounts, got.Warnings)
	}
	want := []Reclaimable{{AccountID: "A", AccountName: "Sales", PlanName: "Pro", SeatsInUse: 4, Reclaimable: 2},
		{AccountID: "B", AccountName: "Legal", PlanName: "Pro", SeatsInUse: 1, UnknownActivity: 1}}
	if len(got.Reclaimable) != 2 || got.Reclaimable[0] != want[0] || got.Reclaimable[1] != want[1] {
		t.Errorf("reclaimable %+v, want %+v", got.Reclaimable, want)
	}
}

func TestActivityMonitorSource(t *testing.T) {
	r := activityReport()
	r.Subscriptions = append(r.Subscriptions, Subscription{UserID: "gus", Email: "gus@outside.example", AccountID: "A",
		SubscriptionIdentifier: "Pro", MembershipStatus: "active", CreatedOn: daysAgo(400).Format(time.RFC3339)})
	ev := func(user, account, object, action string, at time.Time) monitor.Event {
		return monitor.Event{UserID: user, AccountID: account, OrganizationID: "org", Object: object, Action: action, Result: "Success",
			Timestamp: at.Format(time.RFC3339Nano)}
	}
	stream := &fakeStream{events: []monitor.Event{
		ev("ann", "A", "User", "Login", daysAgo(40)),
		ev("bob", "A", "Envelope", "Sent", daysAgo(20)), // bob sends through an integration but never logs in
		ev("cat", "A", "User", "Login", daysAgo(95)),    // outside the 90-day window read
		ev("fay", "B", "User", "Login", daysAgo(1)),
		ev("zed", "A", "User", "Login", daysAgo(1)),
		ev("eve", "", "User", "Login", daysAgo(2)), // a login that names no account counts for each of eve's
	}}
	stream.events[3].OrganizationID = "another-org" // another organization's event is ignored
	c := &Client{Monitor: stream}
	got, err := c.Activity(context.Background(), ActivityQuery{OrganizationID: "org", Source: SourceMonitor, IdleAfterDays: 90, Now: activityNow}, r)
	if err != nil {
		t.Fatal(err)
	}
	if !stream.from.Equal(daysAgo(90)) {
		t.Errorf("read the stream from %v, want idle_after_days back (%v)", stream.from, daysAgo(90))
	}
	// cat and fay: tracked, no event in 90 days. gus is outside the claimed domains: unknown.
	if ids := candidateIDs(got); len(ids) != 2 || ids[0] != "cat@A" || ids[1] != "fay@B" {
		t.Fatalf("candidates %v, want cat@A and fay@B", ids)
	}
	if bob := r.Subscriptions[1]; bob.LastActivitySource != ActivityMonitorSent || bob.LastActivity != daysAgo(20).Format(time.RFC3339) {
		t.Errorf("bob: %+v", bob)
	}
	if eve := r.Subscriptions[5]; eve.LastActivitySource != ActivityMonitorLogin || eve.LastActivity != daysAgo(2).Format(time.RFC3339) {
		t.Errorf("eve's account-less login: %+v", eve)
	}
	if gus := r.Subscriptions[7]; gus.LastActivitySource != ActivityUnknown {
		t.Errorf("gus outside the claimed domains: %+v", gus)
	}
	if got.Candidates[0].LastActivitySource != ActivityNoEvent || got.Candidates[0].IdleDays != 90 {
		t.Errorf("cat: %+v", got.Candidates[0])
	}
	if len(got.Warnings) != 1 {
		t.Errorf("warnings %+v, want one about gus", got.Warnings)
	}
}
