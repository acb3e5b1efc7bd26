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

	"golang.org/x/sync/errgroup"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

// Sources of the subscriptions report.
const (
	SourceAuto   = "auto"
	SourceExport = "export"
	SourceList   = "list"
)

// Sources lists the values of SubscriptionsQuery.Source.
var Sources = []string{SourceAuto, SourceExport, SourceList}

// Exporter runs an organization_memberships_export of accountIDs (every account when empty) and
// returns its rows.
type Exporter func(ctx context.Context, orgID string, accountIDs []string) (*Export, error)

// Export is what an export gave: its rows, whether they name plans, and the results it skipped.
type Export struct {
	Rows []ExportedMembership
	// Counts are the rows reduced for a counts-only read (CountsExporter), Rows then nil.
	Counts []CountedMembership
	// PlanColumns: the file named each membership's plan; without, each takes its account's.
	PlanColumns bool
	// Skipped are results DocuSign gave error_details or no URL: the rows are partial.
	Skipped []SkippedResult
	// ID is the export's; NotDeleted is why it could not be deleted after the read ("" when it was).
	ID, NotDeleted string
}

// SkippedResult is an export result that carried no rows; Rows is DocuSign's count for it.
type SkippedResult struct {
	ID     string
	Rows   int64
	Reason string
}

// ExportedMembership is one export row: the account and the user's membership in it, in the
// shape of the paged listing's rows.
type ExportedMembership struct {
	AccountID string
	admin.OrgUser
}

// AutoExportPages is where "auto" switches to an export. An export costs a fixed handful of calls
// (create, two or three status checks, one download per server); the paged listing costs one
// call per 250 memberships per account, at least one per account, plus one account read each. Past
// 20 listing pages (about 5,000 memberships, or more than 20 accounts) the export is cheaper
// and, for large organizations, faster.
const AutoExportPages = 20

// chooseSource settles "auto": more than AutoExportPages accounts go to the export at once; for
// fewer, the first page of the first account (one call) sizes the organization, assuming its
// accounts are alike.
// The listing goes on from the probed page, so sizing costs nothing when the listing wins.
func (c *Client) chooseSource(ctx context.Context, orgID string, accounts []admin.Account, source string) (string, *firstPage, error) {
	switch {
	case source == SourceList || (source == SourceExport && c.Export != nil):
		return source, nil, nil
	case source == SourceExport:
		return "", nil, fmt.Errorf("the export source is not available on this connection")
	case c.Export == nil || len(accounts) == 0:
		return SourceList, nil, nil
	case len(accounts) > AutoExportPages:
		return SourceExport, nil, nil
	}
	take := c.PageSize
	if take <= 0 {
		take = admin.PageSize
	}
	probe, err := c.Admin.ListUsers(ctx, orgID, admin.UsersQuery{AccountID: accounts[0].ID, IncludeLicense: true, Start: 0, Take: take})
	if err != nil {
		return "", nil, fmt.Errorf("listing the users of account %s: %w", accounts[0].ID, err)
	}
	perAccount := max(1, (probe.Paging.TotalSetSize+take-1)/take)
	if perAccount*len(accounts) > AutoExportPages {
		return SourceExport, nil, nil
	}
	return SourceList, &firstPage{accountID: accounts[0].ID, page: probe}, nil
}

// firstPage is a users page already read while sizing the organization.
type firstPage struct {
	accountID string
	page      *admin.UsersPage
}

// ErrPartialExport means an export skipped results, so its rows leave memberships out.
var ErrPartialExport = errors.New("the user-list export is partial")

// readMemberships reads the memberships from the source chosen. An export "auto" chose that cannot
// be read whole (a download refused, a column missing, a result skipped) gives way to the paged
// listing with a warning; an export asked for by name reports what it could not read.
func (c *Client) readMemberships(ctx context.Context, orgID string, accounts []admin.Account, items []admin.PlanItem, source string, probe *firstPage, q SubscriptionsQuery) (*memberships, error) {
	if source == SourceExport {
		m, err := c.exportAccounts(ctx, orgID, accounts, items, q)
		if err == nil || q.Source == SourceExport || ctx.Err() != nil {
			return m, err
		}
		w := Warning{"DocuSign Export Unreadable, Memberships Listed Instead", fmt.Sprintf("source = \"auto\" chose the "+
			"user-list export, which could not be read whole: %s. The memberships were read through the paged listing "+
			"instead, at one call per 250 memberships per account. Set source = \"list\" to skip the export.", err)}
		m, err = c.listAccounts(ctx, orgID, accounts, nil)
		if m != nil {
			m.warnings = append([]Warning{w}, m.warnings...)
		}
		return m, err
	}
	return c.listAccounts(ctx, orgID, accounts, probe)
}

// memberships are the selected accounts' rows by account ID, with what the listing adds
// (account reads) and what the read could not see.
type memberships struct {
	source    string
	users     map[string][]admin.OrgUser
	infos     map[string]*esign.Account
	esignErrs map[string]error
	// counted replaces users in a counts-only read of the export (see BuildCounts).
	counted  map[string][]CountedMembership
	warnings []Warning
	partial  bool
}

func (c *Client) listAccounts(ctx context.Context, orgID string, accounts []admin.Account, probe *firstPage) (*memberships, error) {
	users, infos, esignErrs, err := c.readAccounts(ctx, orgID, accounts, probe)
	if err != nil {
		return nil, err
	}
	return &memberships{source: SourceList, users: users, infos: infos, esignErrs: esignErrs}, nil
}

// exportAccounts reads the selected accounts from one export, grouped by account ID. What the
// export does not say is read through the Admin API's listing: each account's plan when the file
// names none, and closed memberships when closed ones are asked for and the file holds none.
func (c *Client) exportAccounts(ctx context.Context, orgID string, accounts []admin.Account, items []admin.PlanItem, q SubscriptionsQuery) (*memberships, error) {
	var ids []string
	if len(q.AccountIDs) > 0 {
		for _, a := range accounts {
			ids = append(ids, a.ID)
		}
	}
	if q.CountsOnly {
		return c.exportCounts(ctx, orgID, accounts, ids, items, q)
	}
	exp, err := c.Export(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	m := &memberships{source: SourceExport}
	if err := m.noteExport(exp, q); err != nil {
		return nil, err
	}
	users, closed := groupByAccount(accounts, exp.Rows, func(r ExportedMembership) (string, bool, admin.OrgUser) {
		return r.AccountID, IsClosed(r.MembershipStatus), r.OrgUser
	})
	exp.Rows = nil // the rows live on in users alone
	m.users = users
	if q.IncludeClosed && closed == 0 {
		// Whether exports hold closed memberships is undocumented; one without any may have left
		// them out, so the listing (membership_status=closed) says which there are.
		if err := c.addClosedFromListing(ctx, orgID, accounts, users); err != nil {
			return nil, fmt.Errorf("the export holds no closed membership, and listing them failed: %w", err)
		}
	}
	if !exp.PlanColumns {
		m.warnings = append(m.warnings, c.fillAccountPlans(ctx, orgID, accounts, items, users)...)
	}
	return m, nil
}

// noteExport adds the warnings an export calls for: skipped results (partial counts under
// "export", an error that sends "auto" to the listing) and an export left undeleted.
func (m *memberships) noteExport(exp *Export, q SubscriptionsQuery) error {
	if exp.NotDeleted != "" {
		m.warnings = append(m.warnings, Warning{"DocuSign Export Not Deleted", fmt.Sprintf("The user-list export %s was read "+
			"but could not be deleted afterwards (%s). DocuSign keeps about 90 export and import jobs per organization; "+
			"delete it through the Admin API (deleteUserListExport) if reads start to be refused.",
			exp.ID, exp.NotDeleted)})
	}
	if len(exp.Skipped) == 0 {
		return nil
	}
	parts := make([]string, 0, len(exp.Skipped))
	var missing int64
	for _, s := range exp.Skipped {
		p := "result " + s.ID
		if s.Rows > 0 {
			p += fmt.Sprintf(" (%d rows)", s.Rows)
			missing += s.Rows
		}
		parts = append(parts, p+": "+s.Reason)
	}
	sort.Strings(parts)
	if q.Source != SourceExport {
		return fmt.Errorf("%w: DocuSign skipped %s", ErrPartialExport, strings.Join(parts, "; "))
	}
	rows := "an unknown number of"
	if missing > 0 {
		rows = fmt.Sprint(missing)
	}
	m.partial = true
	m.warnings = append(m.warnings, Warning{"Partial DocuSign Export: Counts Are Partial", fmt.Sprintf("DocuSign's "+
		"user-list export skipped %s. Its %s memberships are missing, so total, counted, plans, subscriptions and each "+
		"account's memberships, counted and seats_in_use are partial (lower than DocuSign's figures). Read again later, or set "+
		"source = \"list\" to page through the memberships instead.", strings.Join(parts, "; "), rows)})
	return nil
}

// forEachAccount runs f for every account, at most Concurrency at once, and returns the first error.
func (c *Client) forEachAccount(ctx context.Context, accounts []admin.Account, f func(ctx context.Context, a admin.Account) error) error {
	limit := c.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for _, a := range accounts {
		g.Go(func() error {
			select {
			case <-gctx.Done(): // an earlier account failed, or the read was cancelled
				return nil
			default:
				return f(gctx, a)
			}
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// addClosedFromListing adds each account's closed memberships the export left out, from the
// paged listing: one call per account with none, one per 250 closed memberships otherwise.
func (c *Client) addClosedFromListing(ctx context.Context, orgID string, accounts []admin.Account, users map[string][]admin.OrgUser) error {
	return c.listClosed(ctx, orgID, accounts, func(a admin.Account, found []admin.OrgUser) {
		seen := make(map[string]bool, len(users[a.ID]))
		for _, u := range users[a.ID] {
			seen[strings.ToLower(u.ID)] = true
		}
		for _, u := range found {
			if !seen[strings.ToLower(u.ID)] {
				seen[strings.ToLower(u.ID)] = true
				users[a.ID] = append(users[a.ID], u)
			}
		}
	})
}

// closedOf pages through one account's closed memberships.
func (c *Client) closedOf(ctx context.Context, orgID string, a admin.Account) ([]admin.OrgUser, error) {
	var found []admin.OrgUser
	for start := 0; ; {
		page, err := c.Admin.ListUsers(ctx, orgID, admin.UsersQuery{AccountID: a.ID, MembershipStatus: "closed", IncludeLicense: true, Start: start, Take: admin.PageSize})
		if err != nil {
			return nil, fmt.Errorf("listing the closed memberships of account %s: %w", a.ID, err)
		}
		if start == 0 {
			if _, err := paging.New("GET /v2/organizations/{organizationId}/users", page.Paging.TotalSetSize, len(page.Users)); err != nil {
				return nil, err
			}
		}
		for _, u := range page.Users {
			if IsClosed(u.MembershipStatus) { // a listing that ignores the filter adds nobody open
				found = append(found, u)
			}
		}
		start += len(page.Users)
		if len(page.Users) == 0 || start >= page.Paging.TotalSetSize {
			return found, nil
		}
	}
}

// fillAccountPlans gives each membership without a plan its account's plan: the organization's
// only plan item when it has one, else the plan of a membership the listing already gave (the
// closed ones), else the plan the Admin API's listing reports for the account's first
// membership, else eSignature's planName for the account. An account none of
// these names keeps its memberships' plan empty, with a warning naming it.
func (c *Client) fillAccountPlans(ctx context.Context, orgID string, accounts []admin.Account, items []admin.PlanItem, users map[string][]admin.OrgUser) []Warning {
	plans, warnings := c.accountPlans(ctx, orgID, accounts, items,
		func(a admin.Account) bool {
			for _, u := range users[a.ID] {
				if u.PlanName == "" && u.SubscriptionID == "" {
					return true
				}
			}
			return false
		},
		func(a admin.Account) string { return listedPlan(users[a.ID]) })
	for id, plan := range plans {
		for i := range users[id] {
			if users[id][i].PlanName == "" && users[id][i].SubscriptionID == "" {
				users[id][i].PlanName = plan
			}
		}
	}
	return warnings
}

// accountPlans names the plan of each account that needs one (see fillAccountPlans); listed is
// the plan a membership already read names, "" when none does. Accounts nobody can name a plan
// for get a warning instead.
func (c *Client) accountPlans(ctx context.Context, orgID string, accounts []admin.Account, items []admin.PlanItem,
	needs func(admin.Account) bool, listed func(admin.Account) string) (map[string]string, []Warning) {
	plans := map[string]string{}
	var only string
	if len(items) == 1 {
		only = items[0].PlanName
		if only == "" {
			only = items[0].SubscriptionID
		}
	}
	// Only accounts with a membership to fill: an empty account needs no plan, nor a warning.
	var needed []admin.Account
	for _, a := range accounts {
		if needs(a) {
			needed = append(needed, a)
		}
	}
	var mu sync.Mutex
	var warnings []Warning
	_ = c.forEachAccount(ctx, needed, func(ctx context.Context, a admin.Account) error {
		plan, why := only, ""
		if plan == "" {
			// The closed memberships read from the listing name the account's plan already.
			plan = listed(a)
		}
		if plan == "" {
			plan, why = c.accountPlan(ctx, orgID, a.ID)
		}
		mu.Lock()
		defer mu.Unlock()
		if plan == "" {
			warnings = append(warnings, Warning{fmt.Sprintf("Plan Unknown for DocuSign Account %q", a.Name), fmt.Sprintf(
				"The user-list export names no plan for its memberships, and account %s (%s) could not be read for its plan: %s. "+
					"Its memberships' subscription_identifier is empty. Set source = \"list\" to read plans from the listing.", a.ID, a.Name, why)})
			return nil
		}
		plans[a.ID] = plan
		return nil
	})
	sort.Slice(warnings, func(i, j int) bool { return warnings[i].Summary < warnings[j].Summary })
	return plans, warnings
}

// listedPlan is the plan of the account's first membership that names one, "" when none does.
func listedPlan(users []admin.OrgUser) string {
	for _, u := range users {
		switch {
		case u.PlanName != "":
			return u.PlanName
		case u.SubscriptionID != "":
			return u.SubscriptionID
		}
	}
	return ""
}

// accountPlan reads one account's plan: the listing's first membership, else eSignature.
func (c *Client) accountPlan(ctx context.Context, orgID, accountID string) (plan, why string) {
	page, err := c.Admin.ListUsers(ctx, orgID, admin.UsersQuery{AccountID: accountID, IncludeLicense: true, Start: 0, Take: 1})
	switch {
	case err != nil:
		why = err.Error()
	case len(page.Users) > 0 && page.Users[0].PlanName != "":
		return page.Users[0].PlanName, ""
	case len(page.Users) > 0 && page.Users[0].SubscriptionID != "":
		return page.Users[0].SubscriptionID, ""
	default:
		why = "the Admin API's listing names no plan"
	}
	if c.ESign != nil {
		info, err := c.ESign.GetAccount(ctx, accountID)
		switch {
		case err != nil:
			why += "; eSignature: " + err.Error()
		case info.PlanName != "":
			return info.PlanName, ""
		default:
			why += "; eSignature names no plan"
		}
	}
	return "", why
}

// PlanCount is one plan's memberships across the selected accounts.
type PlanCount struct {
	SubscriptionIdentifier string
	Memberships            int
	Active                 int
	Excluded               int
	Counted                int // neither excluded nor closed
}

// countPlans fills each account's counts and returns the per-plan counts, sorted.
func countPlans(accounts []AccountSeats, subs []Subscription) []PlanCount {
	byAccount := make(map[string]*AccountSeats, len(accounts))
	for i := range accounts {
		byAccount[accounts[i].AccountID] = &accounts[i]
	}
	plans := map[string]*PlanCount{}
	for _, s := range subs {
		p := plans[s.SubscriptionIdentifier]
		if p == nil {
			p = &PlanCount{SubscriptionIdentifier: s.SubscriptionIdentifier}
			plans[s.SubscriptionIdentifier] = p
		}
		p.Memberships++
		if IsActive(s.MembershipStatus) {
			p.Active++
		}
		a := byAccount[s.AccountID]
		if a != nil {
			a.Memberships++
		}
		if s.Excluded {
			p.Excluded++
			continue
		}
		if IsClosed(s.MembershipStatus) { // closed memberships hold no seat, as in the report's counted
			continue
		}
		p.Counted++
		if a != nil {
			a.Counted++
		}
	}
	out := make([]PlanCount, 0, len(plans))
	for _, p := range plans {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SubscriptionIdentifier < out[j].SubscriptionIdentifier })
	return out
}

// groupByAccount sorts export rows into the selected accounts, matched in any letter case and
// keyed by the ID as the organization gives it; rows of other accounts are dropped. Counted
// first, so each account's slice is allocated once at its size. It also counts the closed rows.
func groupByAccount[R, T any](accounts []admin.Account, rows []R, row func(R) (accountID string, closed bool, kept T)) (map[string][]T, int) {
	byLower := make(map[string]string, len(accounts))
	for _, a := range accounts {
		byLower[strings.ToLower(a.ID)] = a.ID
	}
	counts := make(map[string]int, len(accounts))
	closed := 0
	for _, r := range rows {
		accountID, isClosed, _ := row(r)
		if id, ok := byLower[strings.ToLower(accountID)]; ok {
			counts[id]++
			if isClosed {
				closed++
			}
		}
	}
	grouped := make(map[string][]T, len(counts))
	for id, n := range counts {
		grouped[id] = make([]T, 0, n)
	}
	for _, r := range rows {
		accountID, _, kept := row(r)
		if id, ok := byLower[strings.ToLower(accountID)]; ok {
			grouped[id] = append(grouped[id], kept)
		}
	}
	return grouped, closed
}
