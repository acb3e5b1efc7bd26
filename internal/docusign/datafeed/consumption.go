// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// ConsumptionQuery selects the accounts and the period. With Period nil each account's own
// DocuSign billing period is used.
type ConsumptionQuery struct {
	OrganizationID string
	AccountIDs     []string
	Period         *Period
	// BudgetShare is the largest share of an account's hourly API calls left (DocuSign's
	// X-RateLimit-Remaining) the envelope searches may take, in (0, 1]; 0 means
	// DefaultBudgetShare. The hourly budget is shared by every integration on the account.
	BudgetShare float64
	// Now and Sleep pace the searches within the burst limit; nil means the wall clock.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultBudgetShare leaves half of what is left of an account's hour to its other integrations.
const DefaultBudgetShare = 0.5

// Burst pacing: DocuSign allows 500 calls per 30 seconds in production and 200 on demo, per
// account. The searches keep to burstShare of the limit the account reports, or of the demo's
// limit when it reports none, so the calls of other integrations still fit.
const (
	BurstWindow    = 30 * time.Second
	DemoBurstLimit = 200
	burstShare     = 0.9
)

// Period is a span of whole days, both ends inclusive.
type Period struct {
	Start, End time.Time
}

// Envelope allowances as the consumption report states them.
const (
	AllowanceLimited     = "limited"      // BillingPeriodEnvelopesAllowed holds the number
	AllowanceUnlimited   = "unlimited"    // DocuSign answered "unlimited"
	AllowanceNotReported = "not_reported" // DocuSign left billingPeriodEnvelopesAllowed out (reseller accounts)
)

// AccountConsumption is one account's envelope usage. Every pointer is nil when the account is
// unreachable through eSignature (Unreachable set): the Admin API gives its ID and name only.
type AccountConsumption struct {
	AccountID          string
	AccountName        string
	Unreachable        error // why eSignature refused the account; nil when it answered
	EnvelopesSent      *int
	BillingPeriodStart time.Time
	BillingPeriodEnd   time.Time
	// BillingPeriodEnvelopesSent and BillingPeriodEnvelopesAllowed are DocuSign's own counters.
	BillingPeriodEnvelopesSent    *int
	BillingPeriodEnvelopesAllowed *int     // set when Allowance is AllowanceLimited
	Allowance                     string   // one of the Allowance constants; "" when unreachable
	PercentUsed                   *float64 // billing-period sent / allowed × 100; nil unless limited
	// SendersSearched is how many per-sender envelope searches a custom period took.
	SendersSearched int
	// SearchCalls is the eSignature calls those searches took (more than SendersSearched when
	// a search had to be read row by row).
	SearchCalls int
	// FromBillingCounter: the period is the account's current billing period up to today, so
	// EnvelopesSent is DocuSign's billingPeriodEnvelopesSent and no search was needed.
	FromBillingCounter bool
	// BudgetUnchecked: the account's first answer carried no X-RateLimit headers, so the
	// searches ran without the budget check.
	BudgetUnchecked bool
	// CountUnknown says why EnvelopesSent is nil although the account answered: DocuSign
	// refused a closed member's envelope search, or its rows could not be read.
	CountUnknown error
}

// ConsumptionReport is the result of Consumption.
type ConsumptionReport struct {
	// Period is the query's period, or the accounts' common billing period; nil when the
	// accounts' billing periods differ.
	Period   *Period
	Accounts []AccountConsumption
	// TotalEnvelopesSent is nil when an account is unreachable: a partial sum would understate.
	TotalEnvelopesSent *int
	// TotalEnvelopesAllowed is nil unless every account reports a limited allowance.
	TotalEnvelopesAllowed *int
}

// Unreachable lists the accounts eSignature refused, in report order.
func (r *ConsumptionReport) Unreachable() []AccountConsumption {
	var out []AccountConsumption
	for _, a := range r.Accounts {
		if a.Unreachable != nil {
			out = append(out, a)
		}
	}
	return out
}

// BudgetError refuses a read that would take more than its share of what is left of an
// account's hourly API calls. Nothing was searched.
type BudgetError struct {
	Share    float64
	Accounts []BudgetShortfall
}

// BudgetShortfall is one account the read would take too much of.
type BudgetShortfall struct {
	AccountID, AccountName string
	Needed                 int       // envelope searches the period needs, at least one per sender
	Senders                int       // members whose membership overlapped the period
	Remaining, Limit       int       // X-RateLimit-Remaining and X-RateLimit-Limit
	Reset                  time.Time // X-RateLimit-Reset; zero when DocuSign sent none
}

func (e *BudgetError) Error() string {
	var parts []string
	for _, a := range e.Accounts {
		reset := "DocuSign did not say when the hour resets"
		if !a.Reset.IsZero() {
			reset = "the hour resets at " + a.Reset.UTC().Format(time.RFC3339)
		}
		parts = append(parts, fmt.Sprintf("account %s (%s) needs at least %d eSignature calls (one envelope search for each of "+
			"%d members whose membership overlapped the period) and has %d of its %d hourly calls left; %s",
			a.AccountID, a.AccountName, a.Needed, a.Senders, a.Remaining, a.Limit, reset))
	}
	return fmt.Sprintf("the read would take more than %s of the API calls left this hour, which every integration on the "+
		"account shares: %s", percent(e.Share), strings.Join(parts, "; "))
}

func percent(share float64) string { return strconv.FormatFloat(share*100, 'f', -1, 64) + "%" }

// rateLimitedESign is the eSignature client's envelope count and account read that also return
// the answer's rate-limit headers; a client without them is paced and budgeted blind.
type rateLimitedESign interface {
	AccountRateLimit(ctx context.Context, accountID string) (*esign.Account, transport.RateLimit, error)
	SentEnvelopes(ctx context.Context, accountID, userID string, from, to time.Time) (esign.SentCount, error)
}

// Consumption reads each account's billing counters (GET /accounts/{id}) and, for a custom
// period or renewal cycle, counts every envelope the account sent in it.
//
// DocuSign has no account-wide envelope count for an arbitrary period: the envelope search is
// per user, billing_charges and billingPeriodEnvelopesSent cover only DocuSign's current billing
// period, and a user's profile usageHistory is a lifetime total readable only by that user. So
// the period count lists the account's memberships through the Admin API (closed ones
// included: a sender closed since still sent) and runs one envelope search per member whose
// membership overlapped the period (see esign.SentEnvelopes). A period that is the account's
// current billing period up to today or later is DocuSign's billingPeriodEnvelopesSent instead.
//
// Cost per account: 1 call with no period or with the current billing period; 1 + ceil(M/250)
// + S with another, where M is the account's memberships of any status and S the members whose
// membership overlapped the period (the ceil(M/250) are Admin API calls, the rest eSignature).
//
// Before any search, each account's S is compared with what its first answer said is left of
// its hourly budget; a read that would take more than BudgetShare of it is refused with a
// *BudgetError. The searches are paced within the account's burst limit.
//
// An account the impersonated user is not a member of cannot be read through eSignature; it is
// reported with Unreachable set and the report goes on. When DocuSign refuses a closed member's
// search, that account's count is unknown (CountUnknown) and the report goes on.
func (c *Client) Consumption(ctx context.Context, q ConsumptionQuery) (*ConsumptionReport, error) {
	if q.Period != nil && q.Period.End.Before(q.Period.Start) {
		return nil, fmt.Errorf("the period ends (%s) before it starts (%s)", FormatDate(q.Period.End), FormatDate(q.Period.Start))
	}
	if q.BudgetShare < 0 || q.BudgetShare > 1 {
		return nil, fmt.Errorf("the API budget share %v is not between 0 and 1", q.BudgetShare)
	}
	if q.BudgetShare == 0 {
		q.BudgetShare = DefaultBudgetShare
	}
	if q.Now == nil {
		q.Now = time.Now
	}
	if q.Sleep == nil {
		q.Sleep = sleepContext
	}
	org, err := c.Organization(ctx, q.OrganizationID)
	if err != nil {
		return nil, err
	}
	accounts, err := SelectAccounts(org, q.AccountIDs)
	if err != nil {
		return nil, err
	}
	limit := c.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	// One semaphore bounds every call of the report; the per-account work below never holds it
	// while waiting for its own sub-calls.
	sem := make(chan struct{}, limit)
	call := func(f func() error) error {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-sem }()
		return f()
	}
	// First the counters and the senders of every account, then the budget, then the searches:
	// a read the budget refuses has spent one eSignature call per account.
	plans := make([]accountPlan, len(accounts))
	if err := forEach(len(accounts), func(i int) (err error) {
		plans[i], err = c.planAccount(ctx, org.ID, accounts[i], q, call)
		return err
	}); err != nil {
		return nil, err
	}
	var short []BudgetShortfall
	for _, p := range plans {
		if len(p.senders) > 0 && p.rate.Seen && float64(len(p.senders)) > q.BudgetShare*float64(p.rate.Remaining) {
			short = append(short, BudgetShortfall{AccountID: p.ac.AccountID, AccountName: p.ac.AccountName,
				Needed: len(p.senders), Senders: len(p.senders), Remaining: p.rate.Remaining, Limit: p.rate.Limit, Reset: p.rate.Reset})
		}
	}
	if len(short) > 0 {
		return nil, &BudgetError{Share: q.BudgetShare, Accounts: short}
	}
	out := make([]AccountConsumption, len(plans))
	if err := forEach(len(plans), func(i int) (err error) {
		out[i], err = c.countAccount(ctx, plans[i], q, call)
		return err
	}); err != nil {
		return nil, err
	}
	return SummarizeConsumption(out, q.Period), nil
}

// forEach runs f for 0..n-1 concurrently and returns the first error in index order.
func forEach(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// accountPlan is what an account's count needs: its counters, the members to search, and what
// its first answer said about its limits.
type accountPlan struct {
	ac      AccountConsumption
	senders []sender
	rate    transport.RateLimit
	done    bool // the counters answer it: unreachable, no period, or the billing period
}

type sender struct {
	userID string
	closed bool
}

func (c *Client) planAccount(ctx context.Context, orgID string, a admin.Account, q ConsumptionQuery, call func(func() error) error) (accountPlan, error) {
	var info *esign.Account
	var rate transport.RateLimit
	err := call(func() (err error) {
		if rl, ok := c.ESign.(rateLimitedESign); ok {
			info, rate, err = rl.AccountRateLimit(ctx, a.ID)
			return err
		}
		info, err = c.ESign.GetAccount(ctx, a.ID)
		return err
	})
	if err != nil {
		if esign.IsNotAccountMember(err) {
			return accountPlan{ac: AccountConsumption{AccountID: a.ID, AccountName: a.Name, Unreachable: err}, done: true}, nil
		}
		return accountPlan{}, fmt.Errorf("reading account %s (%s): %w", a.ID, a.Name, err)
	}
	ac, err := FromAccount(info)
	if err != nil {
		return accountPlan{}, fmt.Errorf("account %s (%s): %w", a.ID, a.Name, err)
	}
	ac.AccountID = a.ID
	if ac.AccountName == "" {
		ac.AccountName = a.Name
	}
	if q.Period == nil {
		ac.EnvelopesSent = ac.BillingPeriodEnvelopesSent
		return accountPlan{ac: ac, rate: rate, done: true}, nil
	}
	if today := Day(q.Now().UTC()); q.Period.Start.Equal(ac.BillingPeriodStart) && !ac.BillingPeriodStart.IsZero() &&
		!today.Before(ac.BillingPeriodStart) && !today.After(ac.BillingPeriodEnd) && !q.Period.End.Before(today) {
		// DocuSign's counter covers the billing period up to now, and nothing is sent later.
		ac.EnvelopesSent, ac.FromBillingCounter = ac.BillingPeriodEnvelopesSent, true
		return accountPlan{ac: ac, rate: rate, done: true}, nil
	}
	senders, err := c.periodSenders(ctx, orgID, a.ID, *q.Period, call)
	if err != nil {
		return accountPlan{}, fmt.Errorf("listing the members of account %s (%s): %w", a.ID, a.Name, err)
	}
	return accountPlan{ac: ac, senders: senders, rate: rate}, nil
}

func (c *Client) countAccount(ctx context.Context, p accountPlan, q ConsumptionQuery, call func(func() error) error) (AccountConsumption, error) {
	ac := p.ac
	if p.done {
		return ac, nil
	}
	ac.BudgetUnchecked = !p.rate.Seen && len(p.senders) > 0
	from, to := q.Period.Start, q.Period.End.AddDate(0, 0, 1)
	burst := DemoBurstLimit
	if p.rate.BurstLimit > 0 {
		burst = p.rate.BurstLimit
	}
	pace := newPacer(max(1, int(float64(burst)*burstShare)), q.Now, q.Sleep)
	counts := make([]esign.SentCount, len(p.senders))
	errs := make([]error, len(p.senders))
	var mu sync.Mutex
	var unknown error // the first refusal: later searches of the account would be wasted calls
	var wg sync.WaitGroup
	for i, s := range p.senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stopped := func() bool {
				mu.Lock()
				defer mu.Unlock()
				return unknown != nil
			}
			// Paced before taking a slot, so an account waiting out its burst window holds up
			// no other account's calls.
			if stopped() {
				return
			}
			if errs[i] = pace.wait(ctx); errs[i] != nil {
				return
			}
			errs[i] = call(func() (err error) {
				if stopped() {
					return nil
				}
				counts[i], err = c.sentBy(ctx, ac.AccountID, s.userID, from, to)
				if refused := searchRefused(err, s); refused != nil {
					mu.Lock()
					if unknown == nil {
						unknown = refused
					}
					mu.Unlock()
					return nil
				}
				return err
			})
		}()
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			return AccountConsumption{}, fmt.Errorf("counting the envelopes user %s sent from account %s (%s): %w", p.senders[i].userID, ac.AccountID, ac.AccountName, err)
		}
		total += counts[i].Count
		ac.SearchCalls += counts[i].Calls
		if counts[i].Calls > 0 {
			ac.SendersSearched++
		}
	}
	// A refused search leaves the count unknown: a partial sum would understate.
	ac.CountUnknown = unknown
	if ac.CountUnknown == nil {
		ac.EnvelopesSent = &total
	}
	return ac, nil
}

func (c *Client) sentBy(ctx context.Context, accountID, userID string, from, to time.Time) (esign.SentCount, error) {
	if rl, ok := c.ESign.(rateLimitedESign); ok {
		return rl.SentEnvelopes(ctx, accountID, userID, from, to)
	}
	n, err := c.ESign.CountEnvelopesSentBy(ctx, accountID, userID, from, to)
	return esign.SentCount{Count: n, Calls: 1}, err
}

// searchRefused turns an error that makes the account's count unknown, rather than the read
// failed, into the reason: DocuSign refusing a closed member's search (a 4xx other than a rate
// limit or an expired token), or an answer whose count or senders cannot be read.
func searchRefused(err error, s sender) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, esign.ErrEnvelopeSenderUnreadable) || errors.Is(err, esign.ErrEnvelopeCountUnreadable) {
		return fmt.Errorf("the envelope search of member %s could not be read: %w", s.userID, err)
	}
	var apiErr *transport.Error
	if s.closed && errors.As(err, &apiErr) && apiErr.Status >= 400 && apiErr.Status < 500 && !apiErr.IsRateLimit() && !apiErr.IsUnauthorized() {
		return fmt.Errorf("DocuSign refused the envelope search of closed member %s: %w", s.userID, err)
	}
	return nil
}

// pacer keeps at most limit calls in any window of BurstWindow.
type pacer struct {
	limit int
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	mu    sync.Mutex
	times []time.Time // start times of the calls in the current window, oldest first
}

func newPacer(limit int, now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	return &pacer{limit: limit, now: now, sleep: sleep}
}

func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := p.now()
		for len(p.times) > 0 && !p.times[0].Add(BurstWindow).After(now) {
			p.times = p.times[1:]
		}
		if len(p.times) < p.limit {
			p.times = append(p.times, now)
			p.mu.Unlock()
			return nil
		}
		d := p.times[0].Add(BurstWindow).Sub(now)
		p.mu.Unlock()
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
	}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// periodSenders lists the users who could have sent from the account in the period: every
// membership of any status (Admin API, closed ones included), less those created after the
// period or closed before it.
func (c *Client) periodSenders(ctx context.Context, orgID, accountID string, period Period, call func(func() error) error) ([]sender, error) {
	take := c.PageSize
	if take <= 0 {
		take = admin.PageSize
	}
	seen := map[string]bool{}
	var senders []sender
	fetch := func(start int) (paging.Page[admin.OrgUser], int, error) {
		var page *admin.UsersPage
		err := call(func() (err error) {
			page, err = c.Admin.ListUsers(ctx, orgID, admin.UsersQuery{AccountID: accountID, Start: start, Take: take})
			return err
		})
		if err != nil {
			return paging.Page[admin.OrgUser]{}, 0, err
		}
		next := start + len(page.Users)
		if len(page.Users) == 0 || page.Paging.Next == "" || next >= page.Paging.TotalSetSize {
			next = -1
		}
		return paging.Page[admin.OrgUser]{Rows: page.Users, Total: page.Paging.TotalSetSize}, next, nil
	}
	for page, err := range paging.Pages("GET /v2/organizations/{organizationId}/users", admin.RowKey, fetch) {
		if err != nil {
			return nil, err
		}
		for _, u := range page.Rows {
			key := strings.ToLower(u.ID)
			if u.ID == "" || seen[key] || !overlaps(u, period) {
				continue
			}
			seen[key] = true
			senders = append(senders, sender{userID: u.ID, closed: IsClosed(u.MembershipStatus)})
		}
	}
	return senders, nil
}

// overlaps reports whether the membership could have sent in the period. Dates that do not
// parse keep the member in: a wasted search costs one call, a skipped sender a wrong count.
func overlaps(u admin.OrgUser, period Period) bool {
	if created, ok := adminDay(u.MembershipCreatedOn); ok && created.After(period.End) {
		return false
	}
	if IsClosed(u.MembershipStatus) {
		if closed, ok := adminDay(u.MembershipClosedOn); ok && closed.Before(period.Start) {
			return false
		}
	}
	return true
}

func adminDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return Day(t.UTC()), true
		}
	}
	return time.Time{}, false
}

// FromAccount reads the billing counters of eSignature's accountInformation.
func FromAccount(info *esign.Account) (AccountConsumption, error) {
	ac := AccountConsumption{AccountID: info.AccountIDGUID, AccountName: info.AccountName}
	var err error
	if ac.BillingPeriodStart, err = esignDate(info.BillingPeriodStartDate); err != nil {
		return ac, fmt.Errorf("billingPeriodStartDate: %w", err)
	}
	if ac.BillingPeriodEnd, err = esignDate(info.BillingPeriodEndDate); err != nil {
		return ac, fmt.Errorf("billingPeriodEndDate: %w", err)
	}
	sent := 0
	if s := strings.TrimSpace(info.BillingPeriodEnvelopesSent); s != "" {
		if sent, err = strconv.Atoi(s); err != nil {
			return ac, fmt.Errorf("billingPeriodEnvelopesSent %q is not a number", s)
		}
	}
	ac.BillingPeriodEnvelopesSent = &sent
	allowed := strings.TrimSpace(info.BillingPeriodEnvelopesAllowed)
	switch {
	case allowed == "":
		// Reseller accounts leave the allowance out. That is "not reported", never "unlimited".
		ac.Allowance = AllowanceNotReported
	case strings.EqualFold(allowed, "unlimited"):
		ac.Allowance = AllowanceUnlimited
	default:
		n, err := strconv.Atoi(allowed)
		if err != nil {
			return ac, fmt.Errorf("billingPeriodEnvelopesAllowed %q is neither a number nor \"unlimited\"", allowed)
		}
		ac.Allowance = AllowanceLimited
		ac.BillingPeriodEnvelopesAllowed = &n
		if n > 0 {
			p := float64(sent) / float64(n) * 100
			ac.PercentUsed = &p
		}
	}
	return ac, nil
}

// esignDate reads an eSignature date-time ("2026-11-30T23:59:59.0000000Z", or a bare date) as
// its calendar day.
func esignDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) >= 10 {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"1/2/2006 3:04:05 PM", "01/02/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Day(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// SummarizeConsumption orders the accounts and adds the totals.
func SummarizeConsumption(accounts []AccountConsumption, period *Period) *ConsumptionReport {
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].AccountID < accounts[j].AccountID })
	r := &ConsumptionReport{Accounts: accounts, Period: period}
	sent, allowed := 0, 0
	sentKnown, allowedKnown := true, true
	for _, a := range accounts {
		if a.EnvelopesSent == nil {
			sentKnown = false
		} else {
			sent += *a.EnvelopesSent
		}
		if a.BillingPeriodEnvelopesAllowed == nil {
			allowedKnown = false
		} else {
			allowed += *a.BillingPeriodEnvelopesAllowed
		}
	}
	if sentKnown {
		r.TotalEnvelopesSent = &sent
	}
	if allowedKnown {
		r.TotalEnvelopesAllowed = &allowed
	}
	if period == nil {
		var common *Period
		for _, a := range accounts {
			if a.Unreachable != nil {
				continue
			}
			if common == nil {
				common = &Period{Start: a.BillingPeriodStart, End: a.BillingPeriodEnd}
			} else if !a.BillingPeriodStart.Equal(common.Start) || !a.BillingPeriodEnd.Equal(common.End) {
				common = nil
				break
			}
		}
		r.Period = common
	}
	return r
}
