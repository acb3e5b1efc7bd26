// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

// ConsumptionQuery selects the accounts and the period. With Period nil each account's own
// DocuSign billing period is used.
type ConsumptionQuery struct {
	OrganizationID string
	AccountIDs     []string
	Period         *Period
}

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

// Consumption reads each account's billing counters (GET /accounts/{id}) and, for a custom
// period or renewal cycle, counts every envelope the account sent in it.
//
// DocuSign has no account-wide envelope count for an arbitrary period: the envelope search is
// per user, billing_charges and billingPeriodEnvelopesSent cover only DocuSign's current billing
// period, and a user's profile usageHistory is a lifetime total readable only by that user. So
// the period count lists the account's memberships through the Admin API (closed ones
// included: a sender closed since still sent) and runs one envelope search per member whose
// membership overlapped the period, with user_id and count=1, reading totalSetSize.
//
// Cost per account: 1 call with no period; 1 + ceil(M/250) + S with one, where M is the
// account's memberships of any status and S the members whose membership overlapped the period.
//
// An account the impersonated user is not a member of cannot be read through eSignature; it is
// reported with Unreachable set and the report goes on.
func (c *Client) Consumption(ctx context.Context, q ConsumptionQuery) (*ConsumptionReport, error) {
	if q.Period != nil && q.Period.End.Before(q.Period.Start) {
		return nil, fmt.Errorf("the period ends (%s) before it starts (%s)", FormatDate(q.Period.End), FormatDate(q.Period.Start))
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
	out := make([]AccountConsumption, len(accounts))
	errs := make([]error, len(accounts))
	var wg sync.WaitGroup
	for i, a := range accounts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = c.accountConsumption(ctx, org.ID, a, q.Period, call)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return SummarizeConsumption(out, q.Period), nil
}

func (c *Client) accountConsumption(ctx context.Context, orgID string, a admin.Account, period *Period, call func(func() error) error) (AccountConsumption, error) {
	var info *esign.Account
	err := call(func() (err error) {
		info, err = c.ESign.GetAccount(ctx, a.ID)
		return err
	})
	if err != nil {
		if esign.IsNotAccountMember(err) {
			return AccountConsumption{AccountID: a.ID, AccountName: a.Name, Unreachable: err}, nil
		}
		return AccountConsumption{}, fmt.Errorf("reading account %s (%s): %w", a.ID, a.Name, err)
	}
	ac, err := FromAccount(info)
	if err != nil {
		return AccountConsumption{}, fmt.Errorf("account %s (%s): %w", a.ID, a.Name, err)
	}
	ac.AccountID = a.ID
	if ac.AccountName == "" {
		ac.AccountName = a.Name
	}
	if period == nil {
		ac.EnvelopesSent = ac.BillingPeriodEnvelopesSent
		return ac, nil
	}
	senders, err := c.periodSenders(ctx, orgID, a.ID, *period, call)
	if err != nil {
		return AccountConsumption{}, fmt.Errorf("listing the members of account %s (%s): %w", a.ID, a.Name, err)
	}
	from, to := period.Start, period.End.AddDate(0, 0, 1)
	counts := make([]int, len(senders))
	errs := make([]error, len(senders))
	var wg sync.WaitGroup
	for i, userID := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = call(func() (err error) {
				counts[i], err = c.ESign.CountEnvelopesSentBy(ctx, a.ID, userID, from, to)
				return err
			})
		}()
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			return AccountConsumption{}, fmt.Errorf("counting the envelopes user %s sent from account %s (%s): %w", senders[i], a.ID, a.Name, err)
		}
		total += counts[i]
	}
	ac.EnvelopesSent = &total
	ac.SendersSearched = len(senders)
	return ac, nil
}

// periodSenders lists the users who could have sent from the account in the period: every
// membership of any status (Admin API, closed ones included), less those created after the
// period or closed before it.
func (c *Client) periodSenders(ctx context.Context, orgID, accountID string, period Period, call func(func() error) error) ([]string, error) {
	take := c.PageSize
	if take <= 0 {
		take = admin.PageSize
	}
	seen := map[string]bool{}
	var senders []string
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
			senders = append(senders, u.ID)
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
