// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/monitor"
)

// Where last activity is read from (SubscriptionsQuery's activity source).
const (
	// SourceESignature reads lastLogin from each account's eSignature users list with
	// additional_info=true: ceil(memberships/100) calls per account, no add-on, but only logins,
	// and only in accounts the impersonated user can reach.
	SourceESignature = "esignature"
	// SourceMonitor reads the organization's Monitor stream from idle_after_days back:
	// ceil(events/2000) calls for the whole organization, logins and envelopes sent, but it needs
	// the Monitor add-on and tracks only users in the organization's claimed domains.
	SourceMonitor = "monitor"
)

// ActivitySources lists the sources in documentation order.
var ActivitySources = []string{SourceESignature, SourceMonitor}

// How a membership's last activity is known (Subscription.LastActivitySource).
const (
	ActivityLogin        = "login"                 // eSignature lastLogin
	ActivityNeverLogged  = "never_logged_in"       // an eSignature record without lastLogin: idle since creation
	ActivityMonitorLogin = "monitor_login"         // the latest Monitor login event
	ActivityMonitorSent  = "monitor_envelope_sent" // the latest Monitor envelope-sent event
	ActivityNoEvent      = "no_monitor_event"      // tracked by Monitor, no event in the window read
	ActivityUnknown      = "unknown"               // could not be read: never a reclaim candidate
)

// UsersLister is the part of the eSignature client the eSignature source uses.
type UsersLister interface {
	ListAllUsers(ctx context.Context, accountID string, q esign.ListUsersQuery) ([]esign.User, error)
}

// EventStream is the part of the Monitor client the Monitor source uses.
type EventStream interface {
	Since(ctx context.Context, from time.Time, limit int, fn func(monitor.Event)) (int, error)
}

// ActivityQuery says where to read activity from and what idle means.
type ActivityQuery struct {
	OrganizationID string
	Source         string
	// IdleAfterDays > 0 makes the report list reclaim candidates.
	IdleAfterDays int
	// Now is the time idleness is measured at; zero means time.Now().
	Now time.Time
}

// Candidate is an active, counted membership without activity for IdleAfterDays.
type Candidate struct {
	Subscription
	IdleDays int
}

// Reclaimable sums one plan in one account: its active, counted memberships, how many of them
// are reclaim candidates, and how many could not be judged.
type Reclaimable struct {
	AccountID       string
	AccountName     string
	PlanName        string
	SeatsInUse      int
	Reclaimable     int
	UnknownActivity int
}

// Warning is something the report could not read; the data source shows it as a warning.
type Warning struct {
	Summary, Detail string
}

// UnreadableAccount is an account whose eSignature users could not be listed, so its
// memberships' activity is unknown.
type UnreadableAccount struct {
	AccountID, AccountName string
	Err                    error
}

// ActivityReport is what Activity adds to a subscriptions report.
type ActivityReport struct {
	Candidates         []Candidate
	Reclaimable        []Reclaimable
	UnreadableAccounts []UnreadableAccount
	Warnings           []Warning
	Calls              int // API calls the source made
}

// Activity reads each membership's last activity from the chosen source, writes it into
// r.Subscriptions, and when q.IdleAfterDays > 0 lists the reclaim candidates. A membership whose
// activity cannot be read is marked unknown and is never a candidate.
func (c *Client) Activity(ctx context.Context, q ActivityQuery, r *SubscriptionsReport) (*ActivityReport, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	out := &ActivityReport{Candidates: []Candidate{}, Reclaimable: []Reclaimable{}}
	var windowStart time.Time
	switch q.Source {
	case SourceESignature, "":
		if err := c.esignActivity(ctx, r, out); err != nil {
			return nil, err
		}
	case SourceMonitor:
		days := q.IdleAfterDays
		if days <= 0 {
			days = 7 // the stream's own default window
		}
		windowStart = now.AddDate(0, 0, -days)
		if err := c.monitorActivity(ctx, q.OrganizationID, windowStart, r, out); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown activity source %q", q.Source)
	}
	if q.IdleAfterDays > 0 {
		reclaim(r, q.IdleAfterDays, now, windowStart, out)
	}
	return out, nil
}

func (c *Client) esignActivity(ctx context.Context, r *SubscriptionsReport, out *ActivityReport) error {
	if c.Users == nil {
		return errors.New("no eSignature client for the activity source")
	}
	limit := c.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	type result struct {
		users []esign.User
		err   error
	}
	results := make(map[string]result, len(r.Accounts))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for _, a := range r.Accounts {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// Every status, so closed memberships (include_closed) have their records too.
			users, err := c.Users.ListAllUsers(ctx, id, esign.ListUsersQuery{Status: esign.AllStatuses, AdditionalInfo: true, Count: esign.MaxPageSize})
			mu.Lock()
			results[id] = result{users, err}
			mu.Unlock()
		}(a.AccountID)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, a := range r.Accounts {
		out.Calls += max(1, (len(results[a.AccountID].users)+esign.MaxPageSize-1)/esign.MaxPageSize)
	}
	byKey := map[string]esign.User{}
	for _, a := range r.Accounts {
		res := results[a.AccountID]
		if res.err != nil {
			out.UnreadableAccounts = append(out.UnreadableAccounts, UnreadableAccount{a.AccountID, a.AccountName, res.err})
			continue
		}
		for _, u := range res.users {
			byKey[membershipKey(u.UserID, a.AccountID)] = u
		}
	}
	missing := 0
	for i := range r.Subscriptions {
		s := &r.Subscriptions[i]
		if res := results[s.AccountID]; res.err != nil {
			s.LastActivitySource = ActivityUnknown
			continue
		}
		u, ok := byKey[membershipKey(s.UserID, s.AccountID)]
		switch {
		case !ok:
			s.LastActivitySource = ActivityUnknown
			missing++
		case u.LastLogin == "":
			s.LastActivitySource = ActivityNeverLogged
		default:
			at, err := parseESignTime(u.LastLogin)
			if err != nil {
				s.LastActivitySource = ActivityUnknown
				missing++
				continue
			}
			s.LastActivity = at.Format(time.RFC3339)
			s.LastActivitySource = ActivityLogin
		}
	}
	if missing > 0 {
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity",
			fmt.Sprintf("%d membership(s) listed by the Admin API have no readable eSignature record (or an unreadable lastLogin), so "+
				"their activity is unknown and they are not reclaim candidates.", missing)})
	}
	return nil
}

func (c *Client) monitorActivity(ctx context.Context, orgID string, from time.Time, r *SubscriptionsReport, out *ActivityReport) error {
	if c.Monitor == nil {
		return errors.New("no Monitor client for the activity source")
	}
	seen := map[string]*latest{}
	pages, err := c.Monitor.Since(ctx, from, monitor.MaxLimit, func(ev monitor.Event) {
		if ev.OrganizationID != "" && !strings.EqualFold(ev.OrganizationID, orgID) {
			return
		}
		at := ev.Time()
		if at.IsZero() {
			return
		}
		// An event without an account (a login before the user picks one) counts for every
		// membership of the user: reading it as no activity could call an active seat idle.
		key := membershipKey(ev.UserID, ev.AccountID)
		if ev.AccountID == "" {
			key = membershipKey(ev.UserID, "*")
		}
		l := seen[key]
		if l == nil {
			l = &latest{}
			seen[key] = l
		}
		switch {
		case ev.IsLogin() && at.After(l.login):
			l.login = at
		case ev.IsEnvelopeSent() && at.After(l.sent):
			l.sent = at
		}
	})
	out.Calls += pages
	if err != nil {
		return fmt.Errorf("reading the Monitor stream: %w", err)
	}
	domains := map[string]bool{}
	for _, d := range r.ReservedDomains {
		domains[strings.ToLower(d)] = true
	}
	untracked := 0
	for i := range r.Subscriptions {
		s := &r.Subscriptions[i]
		l := latestOf(seen[membershipKey(s.UserID, s.AccountID)], seen[membershipKey(s.UserID, "*")])
		switch {
		case l != nil && (!l.login.IsZero() || !l.sent.IsZero()):
			if l.sent.After(l.login) {
				s.LastActivity, s.LastActivitySource = l.sent.Format(time.RFC3339), ActivityMonitorSent
			} else {
				s.LastActivity, s.LastActivitySource = l.login.Format(time.RFC3339), ActivityMonitorLogin
			}
		case domains[emailDomain(s.Email)]:
			s.LastActivitySource = ActivityNoEvent
		default:
			// Monitor tracks only users in claimed domains: silence says nothing about the others.
			s.LastActivitySource = ActivityUnknown
			untracked++
		}
	}
	if untracked > 0 {
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity",
			fmt.Sprintf("%d membership(s) have emails outside the organization's claimed domains, which DocuSign Monitor does not track, "+
				"so their activity is unknown and they are not reclaim candidates. Claim the domains, or use activity_source = \"esignature\".", untracked)})
	}
	return nil
}

// latest is a membership's newest Monitor login and envelope sent.
type latest struct{ login, sent time.Time }

// latestOf merges the account's own events with the user's events that name no account.
func latestOf(ls ...*latest) *latest {
	var out *latest
	for _, l := range ls {
		if l == nil {
			continue
		}
		if out == nil {
			out = &latest{}
		}
		if l.login.After(out.login) {
			out.login = l.login
		}
		if l.sent.After(out.sent) {
			out.sent = l.sent
		}
	}
	return out
}

// reclaim lists the candidates and sums them per account and plan.
func reclaim(r *SubscriptionsReport, days int, now, windowStart time.Time, out *ActivityReport) {
	cutoff := now.AddDate(0, 0, -days)
	names := map[string]string{}
	for _, a := range r.Accounts {
		names[a.AccountID] = a.AccountName
	}
	rows := map[[2]string]*Reclaimable{}
	for _, s := range r.Subscriptions {
		if !IsActive(s.MembershipStatus) || s.Excluded {
			continue
		}
		key := [2]string{s.AccountID, s.SubscriptionIdentifier}
		row := rows[key]
		if row == nil {
			row = &Reclaimable{AccountID: s.AccountID, AccountName: names[s.AccountID], PlanName: s.SubscriptionIdentifier}
			rows[key] = row
		}
		row.SeatsInUse++
		since, known := idleSince(s, windowStart)
		if !known {
			row.UnknownActivity++
			continue
		}
		if since.After(cutoff) {
			continue
		}
		row.Reclaimable++
		out.Candidates = append(out.Candidates, Candidate{Subscription: s, IdleDays: int(now.Sub(since).Hours() / 24)})
	}
	for _, row := range rows {
		out.Reclaimable = append(out.Reclaimable, *row)
	}
	sort.Slice(out.Reclaimable, func(i, j int) bool {
		a, b := out.Reclaimable[i], out.Reclaimable[j]
		if a.AccountID != b.AccountID {
			return a.AccountID < b.AccountID
		}
		return a.PlanName < b.PlanName
	})
}

// idleSince is when the membership's idleness began, and whether that is known: its last
// activity; its creation if it never logged in; for a tracked user without Monitor events, the
// later of the window start and its creation.
func idleSince(s Subscription, windowStart time.Time) (time.Time, bool) {
	created, createdErr := time.Parse(time.RFC3339, s.CreatedOn)
	switch s.LastActivitySource {
	case ActivityLogin, ActivityMonitorLogin, ActivityMonitorSent:
		at, err := time.Parse(time.RFC3339, s.LastActivity)
		return at, err == nil
	case ActivityNeverLogged:
		return created, createdErr == nil
	case ActivityNoEvent:
		if createdErr != nil {
			return time.Time{}, false
		}
		if created.After(windowStart) {
			return created, true
		}
		return windowStart, true
	}
	return time.Time{}, false
}

func membershipKey(userID, accountID string) string {
	return strings.ToLower(userID) + "/" + strings.ToLower(accountID)
}

func emailDomain(email string) string {
	_, domain, _ := strings.Cut(strings.ToLower(email), "@")
	return domain
}

// parseESignTime reads eSignature's date-times, which come with up to seven fraction digits and
// sometimes without a zone (then UTC).
func parseESignTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable date-time %q", s)
}
