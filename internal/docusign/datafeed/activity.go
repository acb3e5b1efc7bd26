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
	// additional_info=true: ceil(memberships/100) calls per account, no add-on, and only in
	// accounts the impersonated user can reach. Where the list leaves lastLogin out, a would-be
	// candidate's login is read from the single-user read, where DocuSign documents it.
	SourceESignature = "esignature"
	// SourceMonitor reads the organization's Monitor stream from twice idle_after_days back:
	// one call per page for the whole organization, logins and envelopes sent, but it needs the
	// Monitor add-on and tracks only users in the organization's claimed domains.
	SourceMonitor = "monitor"
)

// ActivitySources lists the sources in documentation order.
var ActivitySources = []string{SourceESignature, SourceMonitor}

// How a membership's last activity is known (Subscription.LastActivitySource).
const (
	ActivityLogin        = "login"                 // eSignature lastLogin (the person's latest, see esignActivity)
	ActivityNeverLogged  = "never_logged_in"       // the single-user read has no lastLogin: idle since creation
	ActivityEnvelopeSent = "envelope_sent"         // the newest envelope the user sent, from the eSignature envelope search
	ActivityMonitorLogin = "monitor_login"         // the latest Monitor login event
	ActivityMonitorSent  = "monitor_envelope_sent" // the latest Monitor envelope-sent event
	ActivityNoEvent      = "no_monitor_event"      // tracked by Monitor, no recognised event in the window read: unknown
	ActivityUnknown      = "unknown"               // could not be read: never a reclaim candidate
)

// UsersLister is the part of the eSignature client the eSignature source uses.
type UsersLister interface {
	ListAllUsers(ctx context.Context, accountID string, q esign.ListUsersQuery) ([]esign.User, error)
}

// UserReader reads one membership with additional_info=true, where DocuSign documents lastLogin.
// The eSignature client implements it; a UsersLister without it cannot confirm a missing
// lastLogin, which then stays unknown.
type UserReader interface {
	GetUserLastLogin(ctx context.Context, accountID, userID string) (*esign.User, error)
}

// SentSearcher finds the newest envelopes a user sent since a date (the eSignature envelope
// search). Without it no would-be candidate can be confirmed, so none is listed.
type SentSearcher interface {
	SearchSentBy(ctx context.Context, accountID, userID string, from time.Time, count int) (*esign.SentSearch, error)
}

// EventStream is the part of the Monitor client the Monitor source uses.
type EventStream interface {
	Since(ctx context.Context, from, until time.Time, limit int, fn func(monitor.Event)) (int, error)
}

// DefaultMaxConfirmations caps the calls one report spends confirming would-be candidates
// (single-user reads and envelope searches): a tenth of an account's default hourly budget of
// 3,000 calls, which every integration on the account shares.
const DefaultMaxConfirmations = 300

// sentRecheckCount is the page size of the second envelope search, made when the first (count=1)
// returned an envelope someone else sent.
const sentRecheckCount = 100

// ActivityQuery says where to read activity from and what idle means.
type ActivityQuery struct {
	OrganizationID string
	Source         string
	// IdleAfterDays > 0 makes the report list reclaim candidates.
	IdleAfterDays int
	// Now is the time idleness is measured at; zero means time.Now().
	Now time.Time
	// MaxConfirmations caps the calls spent confirming would-be candidates; 0 means
	// DefaultMaxConfirmations. A would-be candidate past the cap is unknown, with a warning.
	MaxConfirmations int
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
	Calls              int // API calls the source and the confirmations made
	// LoginReads and SendSearches are the confirmation calls among Calls: single-user reads of
	// a missing lastLogin and envelope searches of would-be candidates.
	LoginReads, SendSearches int
}

// Activity reads each membership's last activity from the chosen source, writes it into
// r.Subscriptions, and when q.IdleAfterDays > 0 lists the reclaim candidates. A membership whose
// activity cannot be read is marked unknown and is never a candidate. Before a membership is
// listed, an envelope search confirms it sent nothing since the cutoff: an API sender who rarely
// logs in is active.
func (c *Client) Activity(ctx context.Context, q ActivityQuery, r *SubscriptionsReport) (*ActivityReport, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	out := &ActivityReport{Candidates: []Candidate{}, Reclaimable: []Reclaimable{}}
	var cutoff time.Time
	if q.IdleAfterDays > 0 {
		cutoff = now.AddDate(0, 0, -q.IdleAfterDays)
	}
	b := &budget{left: q.MaxConfirmations}
	if b.left <= 0 {
		b.left = DefaultMaxConfirmations
	}
	b.cap = b.left
	switch q.Source {
	case SourceESignature, "":
		if err := c.esignActivity(ctx, cutoff, r, out, b); err != nil {
			return nil, err
		}
	case SourceMonitor:
		// Twice the idle limit back: a user whose latest event falls in the older half is
		// idle with a known last activity; one with no event at all is unknown.
		from := now.AddDate(0, 0, -7) // the stream's own default window
		if q.IdleAfterDays > 0 {
			from = now.AddDate(0, 0, -2*q.IdleAfterDays)
		}
		if err := c.monitorActivity(ctx, q.OrganizationID, from, now, r, out); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown activity source %q", q.Source)
	}
	if q.IdleAfterDays > 0 {
		c.confirmSends(ctx, cutoff, r, out, b)
		reclaim(r, now, cutoff, out)
	}
	if b.skipped > 0 {
		out.Warnings = append(out.Warnings, Warning{"Seat Activity Not Confirmed", fmt.Sprintf(
			"%d membership(s) might be reclaim candidates but were not confirmed within the limit of %d confirmation calls "+
				"(single-user reads of lastLogin and envelope searches), so their activity is unknown and they are not reclaim "+
				"candidates. Raise idle_after_days or add exclusion_rules to narrow the read.", b.skipped, b.cap)})
	}
	return out, nil
}

// budget is what is left of the confirmation calls; safe for concurrent use.
type budget struct {
	mu             sync.Mutex
	left, cap      int
	skipped, spent int
}

func (b *budget) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.left <= 0 {
		return false
	}
	b.left--
	b.spent++
	return true
}

func (b *budget) skip() {
	b.mu.Lock()
	b.skipped++
	b.mu.Unlock()
}

// forEach runs fn for each index with at most c.Concurrency in flight.
func (c *Client) forEach(ctx context.Context, idx []int, fn func(i int)) {
	limit := c.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	for _, i := range idx {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}()
	}
	wg.Wait()
}

func (c *Client) esignActivity(ctx context.Context, cutoff time.Time, r *SubscriptionsReport, out *ActivityReport, b *budget) error {
	if c.Users == nil {
		return errors.New("no eSignature client for the activity source")
	}
	type result struct {
		users []esign.User
		err   error
	}
	results := make(map[string]result, len(r.Accounts))
	var mu sync.Mutex
	accounts := make([]int, len(r.Accounts))
	for i := range accounts {
		accounts[i] = i
	}
	c.forEach(ctx, accounts, func(i int) {
		id := r.Accounts[i].AccountID
		// Every status, so closed memberships (include_closed) have their records too.
		users, err := c.Users.ListAllUsers(ctx, id, esign.ListUsersQuery{Status: esign.AnyStatus, AdditionalInfo: true, Count: esign.MaxPageSize})
		mu.Lock()
		results[id] = result{users, err}
		mu.Unlock()
	})
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
	// person is each user's latest known login across their memberships: DocuSign calls
	// lastLogin the last login "to the system", so a login read in one account is the person's,
	// whether DocuSign reports it per user or per membership.
	person := map[string]time.Time{}
	seeLogin := func(userID string, at time.Time) {
		key := strings.ToLower(userID)
		if at.After(person[key]) {
			person[key] = at
		}
	}
	missing := 0
	var pending []int // listed without lastLogin
	for i := range r.Subscriptions {
		s := &r.Subscriptions[i]
		if res := results[s.AccountID]; res.err != nil {
			s.LastActivitySource = ActivityUnknown
			continue
		}
		u, ok := byKey[membershipKey(s.UserID, s.AccountID)]
		if !ok {
			s.LastActivitySource = ActivityUnknown
			missing++
			continue
		}
		at, present, err := readLastLogin(u.LastLogin)
		switch {
		case err != nil:
			s.LastActivitySource = ActivityUnknown
			missing++
		case !present:
			// Not "never logged in": DocuSign documents lastLogin on the single-user read only.
			s.LastActivitySource = ActivityUnknown
			pending = append(pending, i)
		default:
			s.LastActivity, s.LastActivitySource = at.Format(time.RFC3339), ActivityLogin
			seeLogin(s.UserID, at)
		}
	}
	// Confirm a missing lastLogin only where it could make a candidate: an active, counted
	// membership old enough to be idle, whose person has no login after the cutoff already.
	var toRead []int
	unconfirmed := 0
	for _, i := range pending {
		s := &r.Subscriptions[i]
		if at := person[strings.ToLower(s.UserID)]; !at.IsZero() && (cutoff.IsZero() || at.After(cutoff)) {
			s.LastActivity, s.LastActivitySource = at.Format(time.RFC3339), ActivityLogin
			continue
		}
		if cutoff.IsZero() || !mayBeIdle(*s, cutoff) {
			unconfirmed++
			continue
		}
		toRead = append(toRead, i)
	}
	reader, canRead := c.Users.(UserReader)
	var readFailed int
	var firstErr error
	if len(toRead) > 0 && !canRead {
		readFailed, firstErr = len(toRead), errors.New("no single-user read available")
		toRead = nil
	}
	var mu2 sync.Mutex
	c.forEach(ctx, toRead, func(i int) {
		s := &r.Subscriptions[i]
		if !b.take() {
			b.skip()
			return
		}
		u, err := reader.GetUserLastLogin(ctx, s.AccountID, s.UserID)
		mu2.Lock()
		defer mu2.Unlock()
		out.LoginReads++
		out.Calls++
		if err != nil {
			readFailed++
			if firstErr == nil {
				firstErr = err
			}
			return
		}
		at, present, perr := readLastLogin(u.LastLogin)
		switch {
		case perr != nil:
			readFailed++
			if firstErr == nil {
				firstErr = perr
			}
		case !present:
			s.LastActivitySource = ActivityNeverLogged
		default:
			s.LastActivity, s.LastActivitySource = at.Format(time.RFC3339), ActivityLogin
			seeLogin(s.UserID, at)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	// Every membership takes its person's latest login.
	for i := range r.Subscriptions {
		s := &r.Subscriptions[i]
		if s.LastActivitySource != ActivityLogin && s.LastActivitySource != ActivityNeverLogged {
			continue
		}
		at := person[strings.ToLower(s.UserID)]
		if at.IsZero() {
			continue
		}
		if own, err := time.Parse(time.RFC3339, s.LastActivity); s.LastActivitySource == ActivityNeverLogged || err != nil || at.After(own) {
			s.LastActivity, s.LastActivitySource = at.Format(time.RFC3339), ActivityLogin
		}
	}
	if missing > 0 {
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity",
			fmt.Sprintf("%d membership(s) listed by the Admin API have no readable eSignature record (or an unreadable lastLogin), so "+
				"their activity is unknown and they are not reclaim candidates.", missing)})
	}
	if unconfirmed > 0 && cutoff.IsZero() {
		detail := fmt.Sprintf("%d membership(s) have no lastLogin in the eSignature users list, which documents it only on the "+
			"single-user read (GET …/users/{userId}?additional_info=true), so their last login is unknown.", unconfirmed)
		detail += " Set idle_after_days to read it for the memberships that could be reclaim candidates."
		out.Warnings = append(out.Warnings, Warning{"Last Login Not Listed", detail})
	}
	if readFailed > 0 {
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity", fmt.Sprintf(
			"%d membership(s) have no lastLogin in the eSignature users list and the single-user read "+
				"(GET …/users/{userId}?additional_info=true) did not give one (%v), so their activity is unknown and they are not "+
				"reclaim candidates.", readFailed, firstErr)})
	}
	return nil
}

// readLastLogin reads a lastLogin value: absent (empty, or a zero date some APIs use for
// "never"), a time, or an error for anything else.
func readLastLogin(v string) (time.Time, bool, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false, nil
	}
	at, err := parseESignTime(v)
	if err != nil {
		return time.Time{}, false, err
	}
	if at.Year() <= 1 {
		return time.Time{}, false, nil
	}
	return at, true, nil
}

// mayBeIdle reports whether a membership could become a candidate: active, counted, and created
// by the cutoff (or at an unknown time).
func mayBeIdle(s Subscription, cutoff time.Time) bool {
	if !IsActive(s.MembershipStatus) || s.Excluded {
		return false
	}
	created, err := time.Parse(time.RFC3339, s.CreatedOn)
	return err != nil || !created.After(cutoff)
}

// wouldBeCandidate reports a membership that is a reclaim candidate on what is known so far.
func wouldBeCandidate(s Subscription, cutoff time.Time) bool {
	if !mayBeIdle(s, cutoff) {
		return false
	}
	since, known := idleSince(s)
	return known && !since.After(cutoff)
}

// confirmSends runs one envelope search per would-be candidate, from the cutoff: a member who
// sent since then is active, whatever their logins say. It costs calls only for would-be
// candidates, within the budget.
func (c *Client) confirmSends(ctx context.Context, cutoff time.Time, r *SubscriptionsReport, out *ActivityReport, b *budget) {
	var idx []int
	for i, s := range r.Subscriptions {
		if wouldBeCandidate(s, cutoff) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return
	}
	searcher, ok := c.Users.(SentSearcher)
	if !ok {
		for _, i := range idx {
			r.Subscriptions[i].LastActivity, r.Subscriptions[i].LastActivitySource = "", ActivityUnknown
		}
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity", fmt.Sprintf(
			"%d membership(s) idle by their logins could not be checked for envelopes sent, so they are not reclaim candidates.", len(idx))})
		return
	}
	var mu sync.Mutex
	failed := 0
	var firstErr error
	c.forEach(ctx, idx, func(i int) {
		s := &r.Subscriptions[i]
		at, state, calls, err := latestSend(ctx, searcher, b, s.AccountID, s.UserID, cutoff)
		mu.Lock()
		defer mu.Unlock()
		out.SendSearches += calls
		out.Calls += calls
		switch state {
		case sendNone:
		case sendFound:
			if at.IsZero() {
				// Sent since the cutoff, but when cannot be read: active, last activity unknown.
				s.LastActivity, s.LastActivitySource = "", ActivityUnknown
				return
			}
			if since, known := idleSince(*s); !known || at.After(since) {
				s.LastActivity, s.LastActivitySource = at.Format(time.RFC3339), ActivityEnvelopeSent
			}
		case sendSkipped:
			b.skip()
			s.LastActivity, s.LastActivitySource = "", ActivityUnknown
		default:
			failed++
			if firstErr == nil {
				firstErr = err
			}
			s.LastActivity, s.LastActivitySource = "", ActivityUnknown
		}
	})
	if failed > 0 {
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity", fmt.Sprintf(
			"%d membership(s) idle by their logins could not be checked for envelopes sent since %s through the envelope search "+
				"(%v), so their activity is unknown and they are not reclaim candidates.", failed, cutoff.Format(time.DateOnly), firstErr)})
	}
}

type sendState int

const (
	sendUnknown sendState = iota
	sendNone
	sendFound
	sendSkipped
)

var errSendersUnclear = errors.New("the search returned envelopes without a readable sender, or more than one page of other users' envelopes")

// latestSend finds userID's newest send since from. It asks for one envelope first; when that
// one is someone else's (DocuSign may answer user_id with received envelopes too) or names no
// sender, it reads a page of sentRecheckCount and looks for the user's own.
func latestSend(ctx context.Context, s SentSearcher, b *budget, accountID, userID string, from time.Time) (time.Time, sendState, int, error) {
	calls := 0
	for _, count := range []int{1, sentRecheckCount} {
		if !b.take() {
			return time.Time{}, sendSkipped, calls, nil
		}
		calls++
		page, err := s.SearchSentBy(ctx, accountID, userID, from, count)
		if err != nil {
			return time.Time{}, sendUnknown, calls, err
		}
		unclear := false
		for _, env := range page.Envelopes {
			switch {
			case env.Sender == nil || env.Sender.UserID == "":
				unclear = true
			case strings.EqualFold(env.Sender.UserID, userID):
				// Newest first, so the first of the user's own is the latest send.
				at, err := parseESignTime(env.SentDateTime)
				if err != nil {
					at = time.Time{}
				}
				return at, sendFound, calls, nil
			}
		}
		complete := page.Total >= 0 && page.Total <= len(page.Envelopes) || page.Total < 0 && len(page.Envelopes) < count
		if !unclear && complete {
			return time.Time{}, sendNone, calls, nil
		}
	}
	return time.Time{}, sendUnknown, calls, errSendersUnclear
}

func (c *Client) monitorActivity(ctx context.Context, orgID string, from, until time.Time, r *SubscriptionsReport, out *ActivityReport) error {
	if c.Monitor == nil {
		return errors.New("no Monitor client for the activity source")
	}
	logins := map[string]time.Time{} // by user: a login is the person's, in whichever account
	sends := map[string]time.Time{}  // by membership, or by user/* when the event names no account
	orgEvents, recognised := 0, 0
	unknownNames := map[string]int{}
	pages, err := c.Monitor.Since(ctx, from, until, monitor.MaxLimit, func(ev monitor.Event) {
		if ev.OrganizationID != "" && !strings.EqualFold(ev.OrganizationID, orgID) {
			return
		}
		orgEvents++
		at := ev.Time()
		if !ev.Recognised() || at.IsZero() {
			if len(unknownNames) < 20 {
				unknownNames[fmt.Sprintf("%q/%q", ev.Object, ev.Action)]++
			}
			return
		}
		recognised++
		user := strings.ToLower(ev.UserID)
		if ev.IsLogin() {
			if at.After(logins[user]) {
				logins[user] = at
			}
			return
		}
		key := membershipKey(ev.UserID, ev.AccountID)
		if ev.AccountID == "" {
			key = membershipKey(ev.UserID, "*")
		}
		if at.After(sends[key]) {
			sends[key] = at
		}
	})
	out.Calls += pages
	switch {
	case errors.Is(err, monitor.ErrStreamDidNotEnd):
		markAllUnknown(r)
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity", fmt.Sprintf(
			"DocuSign Monitor's stream did not end (%v): the activity of every membership is unknown and none is a reclaim "+
				"candidate. Use activity_source = \"esignature\".", err)})
		return nil
	case err != nil:
		return fmt.Errorf("reading the Monitor stream: %w", err)
	}
	if orgEvents == 0 {
		markAllUnknown(r)
		out.Warnings = append(out.Warnings, Warning{"No DocuSign Monitor Events", fmt.Sprintf(
			"DocuSign Monitor returned no events for organization %s since %s. The stream covers only the organization that "+
				"owns the integration key (the provider's integration_key), so the activity of this organization's memberships is "+
				"unknown and none is a reclaim candidate. Use activity_source = \"esignature\", or an integration key this "+
				"organization owns.", orgID, from.Format(time.DateOnly))})
		return nil
	}
	if recognised == 0 {
		markAllUnknown(r)
		names := make([]string, 0, len(unknownNames))
		for n := range unknownNames {
			names = append(names, n)
		}
		sort.Strings(names)
		if len(names) > 5 {
			names = append(names[:5], "…")
		}
		out.Warnings = append(out.Warnings, Warning{"Unrecognised DocuSign Monitor Events", fmt.Sprintf(
			"DocuSign Monitor returned %d event(s) for organization %s since %s, but none is a login or an envelope sent under "+
				"a name this provider recognises (object/action seen: %s). DocuSign does not publish these names, so the activity "+
				"of every membership is unknown and none is a reclaim candidate. Use activity_source = \"esignature\".",
			orgEvents, orgID, from.Format(time.DateOnly), strings.Join(names, ", "))})
		return nil
	}
	domains := map[string]bool{}
	for _, d := range r.ReservedDomains {
		domains[strings.ToLower(d)] = true
	}
	untracked, silent := 0, 0
	for i := range r.Subscriptions {
		s := &r.Subscriptions[i]
		login := logins[strings.ToLower(s.UserID)]
		sent := sends[membershipKey(s.UserID, s.AccountID)]
		if other := sends[membershipKey(s.UserID, "*")]; other.After(sent) {
			sent = other
		}
		switch {
		case !sent.IsZero() && sent.After(login):
			s.LastActivity, s.LastActivitySource = sent.Format(time.RFC3339), ActivityMonitorSent
		case !login.IsZero():
			s.LastActivity, s.LastActivitySource = login.Format(time.RFC3339), ActivityMonitorLogin
		case domains[emailDomain(s.Email)]:
			// Tracked but silent: no recognised event says when it was last active.
			s.LastActivitySource = ActivityNoEvent
			if IsActive(s.MembershipStatus) && !s.Excluded {
				silent++
			}
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
	if silent > 0 {
		out.Warnings = append(out.Warnings, Warning{"Unknown Seat Activity",
			fmt.Sprintf("%d active membership(s) of users DocuSign Monitor tracks had no login or envelope sent that this provider "+
				"recognises since %s, so their activity is unknown and they are not reclaim candidates. Use activity_source = "+
				"\"esignature\" to judge them.", silent, from.Format(time.DateOnly))})
	}
	return nil
}

func markAllUnknown(r *SubscriptionsReport) {
	for i := range r.Subscriptions {
		r.Subscriptions[i].LastActivity, r.Subscriptions[i].LastActivitySource = "", ActivityUnknown
	}
}

// reclaim lists the candidates and sums them per account and plan.
func reclaim(r *SubscriptionsReport, now, cutoff time.Time, out *ActivityReport) {
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
		if !mayBeIdle(s, cutoff) {
			continue // created after the cutoff: too new to be idle, whatever its activity
		}
		since, known := idleSince(s)
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
// activity, or its creation when the single-user read confirmed it never logged in. A user
// Monitor tracks without a recognised event is unknown: silence is not idleness.
func idleSince(s Subscription) (time.Time, bool) {
	switch s.LastActivitySource {
	case ActivityLogin, ActivityEnvelopeSent, ActivityMonitorLogin, ActivityMonitorSent:
		at, err := time.Parse(time.RFC3339, s.LastActivity)
		return at, err == nil
	case ActivityNeverLogged:
		created, err := time.Parse(time.RFC3339, s.CreatedOn)
		return created, err == nil
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
