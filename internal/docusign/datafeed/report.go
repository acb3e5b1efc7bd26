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
)

// AdminAPI is the part of the Admin client the reports use.
type AdminAPI interface {
	ListOrganizations(ctx context.Context) ([]admin.Organization, error)
	PlanItems(ctx context.Context, orgID string) ([]admin.PlanItem, error)
	ListUsers(ctx context.Context, orgID string, q admin.UsersQuery) (*admin.UsersPage, error)
}

// ESignAPI is the part of the eSignature client the reports use.
type ESignAPI interface {
	GetAccount(ctx context.Context, accountID string) (*esign.Account, error)
	CountEnvelopesSentBy(ctx context.Context, accountID, userID string, from, to time.Time) (int, error)
}

// Client reads the organization-level figures from the public Admin and eSignature APIs. It is not
// DocuSign's "Data Feed API" (enabled per integration key by DocuSign support, with no public
// spec), nor the Monitor API, which streams security events rather than licenses or usage.
type Client struct {
	Admin AdminAPI
	ESign ESignAPI
	// Concurrency bounds parallel calls; 0 means DefaultConcurrency.
	Concurrency int
	// PageSize is the users page size; 0 means admin.PageSize.
	PageSize int
	// Users and Monitor are the activity sources (see Activity); nil when not used.
	Users   UsersLister
	Monitor EventStream
	// Export runs a user-list export; nil leaves only the paged listing (see Source).
	Export Exporter
	// ExportCounts runs it for a counts-only read, reducing each row as the file streams; nil
	// reduces Export's rows.
	ExportCounts CountsExporter
}

// DefaultConcurrency is how many calls a report keeps in flight: enough to read 20,000 users in
// 10 accounts in a few seconds, well inside DocuSign's burst limit.
const DefaultConcurrency = 4

// ErrOrganizationNotFound means the impersonated user does not administer the organization.
var ErrOrganizationNotFound = errors.New("organization is not among the organizations the impersonated user administers")

// ErrAccountNotInOrganization means an account filter names an account outside the organization.
var ErrAccountNotInOrganization = errors.New("account is not in the organization")

// Organization finds orgID among the organizations the caller administers.
func (c *Client) Organization(ctx context.Context, orgID string) (*admin.Organization, error) {
	orgs, err := c.Admin.ListOrganizations(ctx)
	if err != nil {
		return nil, err
	}
	for i := range orgs {
		if strings.EqualFold(orgs[i].ID, orgID) {
			return &orgs[i], nil
		}
	}
	names := make([]string, 0, len(orgs))
	for _, o := range orgs {
		names = append(names, o.ID)
	}
	sort.Strings(names)
	list := "none"
	if len(names) > 0 {
		list = strings.Join(names, ", ")
	}
	return nil, fmt.Errorf("%w: %s (administered: %s)", ErrOrganizationNotFound, orgID, list)
}

// SelectAccounts keeps the org's accounts named in filter (all when filter is empty), in the
// organization's order.
func SelectAccounts(org *admin.Organization, filter []string) ([]admin.Account, error) {
	if len(filter) == 0 {
		return append([]admin.Account(nil), org.Accounts...), nil
	}
	want := map[string]bool{}
	for _, id := range filter {
		want[strings.ToLower(id)] = true
	}
	var out []admin.Account
	for _, a := range org.Accounts {
		if want[strings.ToLower(a.ID)] {
			out = append(out, a)
			delete(want, strings.ToLower(a.ID))
		}
	}
	if len(want) > 0 {
		missing := make([]string, 0, len(want))
		for id := range want {
			missing = append(missing, id)
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("%w %s: %s", ErrAccountNotInOrganization, org.ID, strings.Join(missing, ", "))
	}
	return out, nil
}

// Subscription is one membership: a user's seat in an account on a plan.
type Subscription struct {
	UserID                 string
	Email                  string
	UserName               string
	AccountID              string
	SubscriptionIdentifier string
	MembershipStatus       string
	LicenseType            string
	CreatedOn              string
	Excluded               bool
	ExcludedBy             []string
	// LastActivity (RFC 3339, empty when none is known) and LastActivitySource (an Activity*
	// constant, empty when activity was not read) are filled by Activity.
	LastActivity       string
	LastActivitySource string
}

// AccountSeats is one account of the subscriptions report.
type AccountSeats struct {
	AccountID    string
	AccountName  string
	PlanName     string
	SeatsAllowed *int // nil when DocuSign does not say (the account is not readable or unlimited)
	SeatsInUse   int
	// ESignError is why eSignature did not answer for the account (SeatsAllowed is then nil and
	// PlanName comes from the memberships); esign.IsNotAccountMember tells the usual cause.
	ESignError  error
	Memberships int // subscriptions listed in the account
	Counted     int // of those, the ones no rule excludes
}

// SoftwareModel is a plan item of the organization.
type SoftwareModel struct {
	PlanID           string
	PlanName         string
	SubscriptionID   string
	SubscriptionName string
}

// SubscriptionsQuery selects what the subscriptions report covers.
type SubscriptionsQuery struct {
	OrganizationID string
	AccountIDs     []string
	IncludeClosed  bool
	Rules          []Rule
	Source         string // SourceAuto (""), SourceExport or SourceList
	// CountsOnly asks for the counts without the subscriptions: an export then keeps only what
	// the counts read of each membership (see BuildCounts), so the read stays flat as the
	// organization grows.
	CountsOnly bool
}

// SubscriptionsReport is the result of Subscriptions.
type SubscriptionsReport struct {
	Accounts                []AccountSeats
	SoftwareModels          []SoftwareModel
	Subscriptions           []Subscription
	UnrecognizedIdentifiers []string
	Total                   int
	ExcludedCount           int
	Counted                 int // neither excluded nor closed: closed memberships hold no seat
	// ReservedDomains are the organization's active claimed email domains.
	ReservedDomains []string
	Plans           []PlanCount
	Source          string // the source that was read: SourceExport or SourceList
	// Warnings name what the read could not see; Partial says the counts leave memberships out.
	Warnings []Warning
	Partial  bool
}

// IsActive reports an active membership in either API's spelling.
func IsActive(status string) bool { return strings.EqualFold(status, "active") }

// IsClosed reports a closed membership in either API's spelling.
func IsClosed(status string) bool { return strings.EqualFold(status, "closed") }

// Subscriptions builds the subscriptions report: every membership of the selected accounts, the
// plan items, seats, and which subscriptions the rules exclude.
func (c *Client) Subscriptions(ctx context.Context, q SubscriptionsQuery) (*SubscriptionsReport, error) {
	rules, err := CompileRules(q.Rules)
	if err != nil {
		return nil, err
	}
	org, err := c.Organization(ctx, q.OrganizationID)
	if err != nil {
		return nil, err
	}
	accounts, err := SelectAccounts(org, q.AccountIDs)
	if err != nil {
		return nil, err
	}
	items, err := c.Admin.PlanItems(ctx, org.ID)
	if err != nil {
		return nil, fmt.Errorf("reading the organization's plan items: %w", err)
	}
	source, probe, err := c.chooseSource(ctx, org.ID, accounts, q.Source)
	if err != nil {
		return nil, err
	}
	read, err := c.readMemberships(ctx, org.ID, accounts, items, source, probe, q)
	if err != nil {
		return nil, err
	}
	var r *SubscriptionsReport
	if read.counted != nil {
		r = BuildCounts(accounts, items, read.counted, q.IncludeClosed, rules)
	} else {
		r = BuildSubscriptions(accounts, items, read.users, read.infos, q.IncludeClosed, rules)
	}
	r.Source, r.Warnings, r.Partial = read.source, read.warnings, read.partial
	for i := range r.Accounts {
		r.Accounts[i].ESignError = read.esignErrs[r.Accounts[i].AccountID]
	}
	for _, d := range org.ReservedDomains {
		if strings.EqualFold(d.Status, "active") {
			r.ReservedDomains = append(r.ReservedDomains, d.HostName)
		}
	}
	return r, nil
}

// readAccounts pages through every account's users and reads each account's seats, with at most
// Concurrency calls in flight across all accounts. An account whose seats eSignature will not
// give (the impersonated user is no member of it) is no failure: its error is returned by
// account ID and the Admin API's memberships still count.
func (c *Client) readAccounts(ctx context.Context, orgID string, accounts []admin.Account, probe *firstPage) (map[string][]admin.OrgUser, map[string]*esign.Account, map[string]error, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	limit := c.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	take := c.PageSize
	if take <= 0 {
		take = admin.PageSize
	}
	sem := make(chan struct{}, limit)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		pages    = map[string]map[int][]admin.OrgUser{}
		infos    = map[string]*esign.Account{}
		esignErr = map[string]error{}
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	run := func(f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			f()
		}()
	}
	var fetch func(accountID string, start int, first bool)
	var spread func(accountID string, start int, first bool, page *admin.UsersPage)
	fetch = func(accountID string, start int, first bool) {
		page, err := c.Admin.ListUsers(ctx, orgID, admin.UsersQuery{AccountID: accountID, IncludeLicense: true, Start: start, Take: take})
		if err != nil {
			fail(fmt.Errorf("listing the users of account %s: %w", accountID, err))
			return
		}
		spread(accountID, start, first, page)
	}
	spread = func(accountID string, start int, first bool, page *admin.UsersPage) {
		mu.Lock()
		pages[accountID][start] = page.Users
		mu.Unlock()
		if !first || len(page.Users) == 0 {
			return
		}
		// The first page tells the total: fetch the rest in parallel, but never more pages than
		// one listing may take (a hostile or broken total must not start millions of calls).
		got := len(page.Users)
		if _, err := paging.New("GET /v2/organizations/{organizationId}/users", page.Paging.TotalSetSize, got); err != nil {
			fail(fmt.Errorf("listing the users of account %s: %w", accountID, err))
			return
		}
		for s := start + got; s < page.Paging.TotalSetSize; s += got {
			run(func() { fetch(accountID, s, false) })
		}
	}
	for _, a := range accounts {
		pages[a.ID] = map[int][]admin.OrgUser{}
	}
	for _, a := range accounts {
		id := a.ID
		if probe != nil && probe.accountID == id {
			spread(id, 0, true, probe.page)
		} else {
			run(func() { fetch(id, 0, true) })
		}
		if c.ESign != nil {
			run(func() {
				info, err := c.ESign.GetAccount(ctx, id)
				if err != nil {
					mu.Lock()
					esignErr[id] = err
					mu.Unlock()
					return
				}
				mu.Lock()
				infos[id] = info
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	if firstErr != nil {
		return nil, nil, nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	users := map[string][]admin.OrgUser{}
	for id, byStart := range pages {
		starts := make([]int, 0, len(byStart))
		for s := range byStart {
			starts = append(starts, s)
		}
		sort.Ints(starts)
		seen := map[string]bool{}
		for _, s := range starts {
			for _, u := range byStart[s] {
				key := u.ID + "/" + u.MembershipID
				if seen[key] { // a page boundary that moved while reading
					continue
				}
				seen[key] = true
				users[id] = append(users[id], u)
			}
		}
	}
	return users, infos, esignErr, nil
}

// BuildSubscriptions assembles the report from what the APIs answered; it is pure so it can be
// tested without DocuSign.
func BuildSubscriptions(accounts []admin.Account, items []admin.PlanItem, users map[string][]admin.OrgUser,
	infos map[string]*esign.Account, includeClosed bool, rules []*Rule) *SubscriptionsReport {
	members := 0
	for _, a := range accounts {
		members += len(users[a.ID])
	}
	r := &SubscriptionsReport{
		Accounts: []AccountSeats{}, Subscriptions: make([]Subscription, 0, members), UnrecognizedIdentifiers: []string{},
	}
	var known map[string]bool
	r.SoftwareModels, known = softwareModels(items)

	unrecognized := map[string]bool{}
	for _, a := range accounts {
		seats := AccountSeats{AccountID: a.ID, AccountName: a.Name}
		planCounts := map[string]int{}
		for _, u := range users[a.ID] {
			if IsActive(u.MembershipStatus) {
				seats.SeatsInUse++
			}
			if IsClosed(u.MembershipStatus) && !includeClosed {
				continue
			}
			ident := u.PlanName
			if ident == "" {
				ident = u.SubscriptionID
			}
			if ident != "" {
				planCounts[ident]++
				if !known[strings.ToLower(ident)] {
					unrecognized[ident] = true
				}
			}
			created := u.MembershipCreatedOn
			if created == "" {
				created = u.CreatedOn
			}
			name := u.UserName
			if name == "" {
				name = strings.TrimSpace(u.FirstName + " " + u.LastName)
			}
			r.Subscriptions = append(r.Subscriptions, Subscription{
				UserID: u.ID, Email: u.Email, UserName: name, AccountID: a.ID, SubscriptionIdentifier: ident,
				MembershipStatus: u.MembershipStatus, LicenseType: u.LicenseType, CreatedOn: created,
			})
		}
		if info := infos[a.ID]; info != nil {
			seats.PlanName = info.PlanName
			if n, err := strconv.Atoi(info.SeatsAllowed); err == nil {
				seats.SeatsAllowed = &n
			}
		}
		if seats.PlanName == "" { // the plan most memberships are on
			best := 0
			for name, n := range planCounts {
				if n > best || (n == best && name < seats.PlanName) {
					seats.PlanName, best = name, n
				}
			}
		}
		r.Accounts = append(r.Accounts, seats)
	}
	sort.Slice(r.Accounts, func(i, j int) bool { return r.Accounts[i].AccountID < r.Accounts[j].AccountID })
	sortSubscriptions(r.Subscriptions)
	Apply(rules, r.Subscriptions)
	for _, s := range r.Subscriptions {
		switch {
		case s.Excluded:
			r.ExcludedCount++
		case !IsClosed(s.MembershipStatus):
			r.Counted++
		}
	}
	r.Plans = countPlans(r.Accounts, r.Subscriptions)
	r.Total = len(r.Subscriptions)
	for ident := range unrecognized {
		r.UnrecognizedIdentifiers = append(r.UnrecognizedIdentifiers, ident)
	}
	sort.Strings(r.UnrecognizedIdentifiers)
	return r
}

// softwareModels lists the plan items, sorted, and every name, ID and subscription ID they know
// in lower case.
func softwareModels(items []admin.PlanItem) ([]SoftwareModel, map[string]bool) {
	models := []SoftwareModel{}
	known := map[string]bool{}
	for _, it := range items {
		models = append(models, SoftwareModel{
			PlanID: it.PlanID, PlanName: it.PlanName, SubscriptionID: it.SubscriptionID, SubscriptionName: it.SubscriptionName,
		})
		for _, v := range []string{it.PlanName, it.PlanID, it.SubscriptionID} {
			if v != "" {
				known[strings.ToLower(v)] = true
			}
		}
	}
	sort.Slice(models, func(i, j int) bool {
		a, b := models[i], models[j]
		if a.PlanName != b.PlanName {
			return a.PlanName < b.PlanName
		}
		return a.PlanID < b.PlanID
	})
	return models, known
}

// sortSubscriptions orders by account ID, email and user ID, ignoring letter case. The lowered
// keys sort alongside the subscriptions, which are swapped in place rather than copied.
func sortSubscriptions(subs []Subscription) {
	keys := make([]subscriptionKey, len(subs))
	for i, s := range subs {
		keys[i] = subscriptionKey{strings.ToLower(s.AccountID), strings.ToLower(s.Email), strings.ToLower(s.UserID)}
	}
	sort.Sort(subscriptionOrder{keys, subs})
}

type subscriptionKey struct{ account, email, user string }

type subscriptionOrder struct {
	keys []subscriptionKey
	subs []Subscription
}

func (o subscriptionOrder) Len() int { return len(o.keys) }

func (o subscriptionOrder) Less(i, j int) bool {
	a, b := &o.keys[i], &o.keys[j]
	if a.account != b.account {
		return a.account < b.account
	}
	if a.email != b.email {
		return a.email < b.email
	}
	return a.user < b.user
}

func (o subscriptionOrder) Swap(i, j int) {
	o.keys[i], o.keys[j] = o.keys[j], o.keys[i]
	o.subs[i], o.subs[j] = o.subs[j], o.subs[i]
}
