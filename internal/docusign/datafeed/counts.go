// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// A counts-only read (SubscriptionsQuery.CountsOnly) of a large organization keeps no membership
// whole: an export row of sixteen strings becomes a CountedMembership as the file streams, so the
// read holds a few dozen bytes per membership instead of about a kilobyte, and stays flat as the
// organization grows. Everything the counts read (status, plan, and the user for user rules and
// for the closed listing's duplicates) survives the reduction.

// CountedMembership is one membership reduced to what the counts read.
type CountedMembership struct {
	AccountID string
	Plan      string // the plan name, else the subscription ID; "" when the source names neither
	Status    string // the membership status, as the listing spells it
	User      uint64 // UserKey of the user ID
}

// CountsExporter runs an export like Exporter and returns its rows as Export.Counts.
type CountsExporter func(ctx context.Context, orgID string, accountIDs []string) (*Export, error)

// UserKey is a 64-bit FNV-1a hash of a user ID in lower case: what a counts-only read keeps of
// each user, to match user rules and to tell duplicates apart without holding the ID. Two of the
// 300,000 IDs of a large organization collide with a chance of about one in 10^8.
func UserKey(id string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	var buf [utf8.UTFMax]byte
	for _, r := range id {
		n := utf8.EncodeRune(buf[:], unicode.ToLower(r))
		for _, b := range buf[:n] {
			h ^= uint64(b)
			h *= prime
		}
	}
	return h
}

// Interner shares one copy of each account ID, plan and status among the counted memberships, so
// that none keeps the line of the file it was read from.
type Interner map[string]string

// Get returns the shared copy of s.
func (in Interner) Get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}

// Count reduces one membership of accountID.
func (in Interner) Count(accountID string, u *admin.OrgUser) CountedMembership {
	plan := u.PlanName
	if plan == "" {
		plan = u.SubscriptionID
	}
	return CountedMembership{AccountID: in.Get(accountID), Plan: in.Get(plan), Status: in.Get(u.MembershipStatus), User: UserKey(u.ID)}
}

// exportCounts is exportAccounts for a counts-only read: the same export, warnings, closed
// listing and plan fill, over counted memberships.
func (c *Client) exportCounts(ctx context.Context, orgID string, accounts []admin.Account, ids []string, items []admin.PlanItem, q SubscriptionsQuery) (*memberships, error) {
	run := c.ExportCounts
	if run == nil {
		run = func(ctx context.Context, orgID string, ids []string) (*Export, error) {
			exp, err := c.Export(ctx, orgID, ids)
			if err != nil {
				return nil, err
			}
			in := Interner{}
			for i := range exp.Rows {
				exp.Counts = append(exp.Counts, in.Count(exp.Rows[i].AccountID, &exp.Rows[i].OrgUser))
			}
			exp.Rows = nil
			return exp, nil
		}
	}
	exp, err := run(ctx, orgID, ids)
	if err != nil {
		return nil, err
	}
	m := &memberships{source: SourceExport}
	if err := m.noteExport(exp, q); err != nil {
		return nil, err
	}
	rows, closed := groupByAccount(accounts, exp.Counts, func(r CountedMembership) (string, bool, CountedMembership) {
		return r.AccountID, IsClosed(r.Status), r
	})
	for id, rs := range rows {
		for i := range rs {
			rs[i].AccountID = id
		}
	}
	exp.Counts = nil
	m.counted = rows
	in := Interner{}
	if q.IncludeClosed && closed == 0 {
		err := c.listClosed(ctx, orgID, accounts, func(a admin.Account, found []admin.OrgUser) {
			seen := make(map[uint64]bool, len(rows[a.ID]))
			for _, r := range rows[a.ID] {
				seen[r.User] = true
			}
			for i := range found {
				if k := UserKey(found[i].ID); !seen[k] {
					seen[k] = true
					rows[a.ID] = append(rows[a.ID], in.Count(a.ID, &found[i]))
				}
			}
		})
		if err != nil {
			return nil, fmt.Errorf("the export holds no closed membership, and listing them failed: %w", err)
		}
	}
	if !exp.PlanColumns {
		plans, warnings := c.accountPlans(ctx, orgID, accounts, items,
			func(a admin.Account) bool {
				for _, r := range rows[a.ID] {
					if r.Plan == "" {
						return true
					}
				}
				return false
			},
			func(a admin.Account) string {
				for _, r := range rows[a.ID] {
					if r.Plan != "" {
						return r.Plan
					}
				}
				return ""
			})
		for id, plan := range plans {
			for i := range rows[id] {
				if rows[id][i].Plan == "" {
					rows[id][i].Plan = plan
				}
			}
		}
		m.warnings = append(m.warnings, warnings...)
	}
	return m, nil
}

// BuildCounts is BuildSubscriptions for counted memberships: the same accounts, plans and counts,
// and no subscriptions.
func BuildCounts(accounts []admin.Account, items []admin.PlanItem, rows map[string][]CountedMembership, includeClosed bool, rules []*Rule) *SubscriptionsReport {
	r := &SubscriptionsReport{Accounts: []AccountSeats{}, Subscriptions: []Subscription{}, UnrecognizedIdentifiers: []string{}}
	var known map[string]bool
	r.SoftwareModels, known = softwareModels(items)
	var userRules []uint64
	var identRules []*Rule
	for _, rule := range rules {
		switch {
		case !rule.Active:
		case rule.Kind == KindUser:
			if rule.UserID != "" {
				userRules = append(userRules, UserKey(rule.UserID))
			}
		default:
			identRules = append(identRules, rule)
		}
	}
	identExcluded := map[string]bool{}
	excluded := func(row *CountedMembership) bool {
		for _, k := range userRules {
			if k == row.User {
				return true
			}
		}
		ex, ok := identExcluded[row.Plan]
		if !ok {
			for _, rule := range identRules {
				ex = ex || rule.Matches(Subscription{SubscriptionIdentifier: row.Plan})
			}
			identExcluded[row.Plan] = ex
		}
		return ex
	}
	plans := map[string]*PlanCount{}
	unrecognized := map[string]bool{}
	for _, a := range accounts {
		seats := AccountSeats{AccountID: a.ID, AccountName: a.Name}
		planCounts := map[string]int{}
		for i := range rows[a.ID] {
			row := &rows[a.ID][i]
			active, closed := IsActive(row.Status), IsClosed(row.Status)
			if active {
				seats.SeatsInUse++
			}
			if closed && !includeClosed {
				continue
			}
			if row.Plan != "" {
				planCounts[row.Plan]++
				if !known[strings.ToLower(row.Plan)] {
					unrecognized[row.Plan] = true
				}
			}
			p := plans[row.Plan]
			if p == nil {
				p = &PlanCount{SubscriptionIdentifier: row.Plan}
				plans[row.Plan] = p
			}
			r.Total++
			seats.Memberships++
			p.Memberships++
			if active {
				p.Active++
			}
			switch {
			case excluded(row):
				p.Excluded++
				r.ExcludedCount++
			case !closed: // closed memberships hold no seat
				p.Counted++
				seats.Counted++
				r.Counted++
			}
		}
		best := 0 // the plan most memberships are on: the export reads no account's own plan
		for name, n := range planCounts {
			if n > best || (n == best && name < seats.PlanName) {
				seats.PlanName, best = name, n
			}
		}
		r.Accounts = append(r.Accounts, seats)
	}
	sort.Slice(r.Accounts, func(i, j int) bool { return r.Accounts[i].AccountID < r.Accounts[j].AccountID })
	r.Plans = make([]PlanCount, 0, len(plans))
	for _, p := range plans {
		r.Plans = append(r.Plans, *p)
	}
	sort.Slice(r.Plans, func(i, j int) bool { return r.Plans[i].SubscriptionIdentifier < r.Plans[j].SubscriptionIdentifier })
	for ident := range unrecognized {
		r.UnrecognizedIdentifiers = append(r.UnrecognizedIdentifiers, ident)
	}
	sort.Strings(r.UnrecognizedIdentifiers)
	return r
}

// listClosed reads each account's closed memberships through the paged listing, one call per
// account with none, one per 250 closed memberships otherwise, and hands them to merge, one
// account at a time.
func (c *Client) listClosed(ctx context.Context, orgID string, accounts []admin.Account, merge func(a admin.Account, found []admin.OrgUser)) error {
	var mu sync.Mutex
	return c.forEachAccount(ctx, accounts, func(ctx context.Context, a admin.Account) error {
		found, err := c.closedOf(ctx, orgID, a)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		merge(a, found)
		return nil
	})
}
