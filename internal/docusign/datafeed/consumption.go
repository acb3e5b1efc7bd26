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

// AccountConsumption is one account's envelope usage.
type AccountConsumption struct {
	AccountID                     string
	AccountName                   string
	EnvelopesSent                 int
	BillingPeriodStart            time.Time
	BillingPeriodEnd              time.Time
	BillingPeriodEnvelopesSent    int
	BillingPeriodEnvelopesAllowed *int     // nil when unlimited
	PercentUsed                   *float64 // billing-period sent / allowed × 100; nil when unlimited
}

// ConsumptionReport is the result of Consumption.
type ConsumptionReport struct {
	// Period is the query's period, or the accounts' common billing period; nil when the
	// accounts' billing periods differ.
	Period                *Period
	Accounts              []AccountConsumption
	TotalEnvelopesSent    int
	TotalEnvelopesAllowed *int // nil when any account is unlimited
}

// Consumption reads each account's billing counters (GET /accounts/{id}) and, for a custom
// period, counts the envelopes sent in it (one envelope search per account).
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
	out := make([]AccountConsumption, len(accounts))
	errs := make([]error, len(accounts))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, a := range accounts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = c.accountConsumption(ctx, a, q.Period)
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

func (c *Client) accountConsumption(ctx context.Context, a admin.Account, period *Period) (AccountConsumption, error) {
	info, err := c.ESign.GetAccount(ctx, a.ID)
	if err != nil {
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
	n, err := c.ESign.CountEnvelopesSent(ctx, a.ID, period.Start, period.End.AddDate(0, 0, 1))
	if err != nil {
		return AccountConsumption{}, fmt.Errorf("counting the envelopes account %s (%s) sent: %w", a.ID, a.Name, err)
	}
	ac.EnvelopesSent = n
	return ac, nil
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
	if s := strings.TrimSpace(info.BillingPeriodEnvelopesSent); s != "" {
		if ac.BillingPeriodEnvelopesSent, err = strconv.Atoi(s); err != nil {
			return ac, fmt.Errorf("billingPeriodEnvelopesSent %q is not a number", s)
		}
	}
	allowed := strings.TrimSpace(info.BillingPeriodEnvelopesAllowed)
	if allowed != "" && !strings.EqualFold(allowed, "unlimited") {
		n, err := strconv.Atoi(allowed)
		if err != nil {
			return ac, fmt.Errorf("billingPeriodEnvelopesAllowed %q is neither a number nor \"unlimited\"", allowed)
		}
		ac.BillingPeriodEnvelopesAllowed = &n
		if n > 0 {
			p := float64(ac.BillingPeriodEnvelopesSent) / float64(n) * 100
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
	allowed, unlimited := 0, false
	for _, a := range accounts {
		r.TotalEnvelopesSent += a.EnvelopesSent
		if a.BillingPeriodEnvelopesAllowed == nil {
			unlimited = true
		} else {
			allowed += *a.BillingPeriodEnvelopesAllowed
		}
	}
	if !unlimited {
		r.TotalEnvelopesAllowed = &allowed
	}
	if period == nil && len(accounts) > 0 {
		common := &Period{Start: accounts[0].BillingPeriodStart, End: accounts[0].BillingPeriodEnd}
		for _, a := range accounts[1:] {
			if !a.BillingPeriodStart.Equal(common.Start) || !a.BillingPeriodEnd.Equal(common.End) {
				common = nil
				break
			}
		}
		r.Period = common
	}
	return r
}
