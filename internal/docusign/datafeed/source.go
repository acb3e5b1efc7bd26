// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
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
type Exporter func(ctx context.Context, orgID string, accountIDs []string) ([]ExportedMembership, error)

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

// exportAccounts reads the selected accounts from one export, grouped by account ID.
func (c *Client) exportAccounts(ctx context.Context, orgID string, accounts []admin.Account, filtered bool) (map[string][]admin.OrgUser, error) {
	var ids []string
	if filtered {
		for _, a := range accounts {
			ids = append(ids, a.ID)
		}
	}
	rows, err := c.Export(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	byLower := make(map[string]string, len(accounts))
	for _, a := range accounts {
		byLower[strings.ToLower(a.ID)] = a.ID
	}
	// Counted first, so each account's slice is allocated once at its size.
	counts := make(map[string]int, len(accounts))
	for _, r := range rows {
		if id, ok := byLower[strings.ToLower(r.AccountID)]; ok {
			counts[id]++
		}
	}
	users := make(map[string][]admin.OrgUser, len(counts))
	for id, n := range counts {
		users[id] = make([]admin.OrgUser, 0, n)
	}
	for _, r := range rows {
		if id, ok := byLower[strings.ToLower(r.AccountID)]; ok {
			users[id] = append(users[id], r.OrgUser)
		}
	}
	return users, nil
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
