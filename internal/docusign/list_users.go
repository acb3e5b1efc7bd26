// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"iter"
	"sort"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// The listings behind `terraform query`: an account's users, an account's closed users, and an
// organization's users who are closed everywhere in it. Each pages through paging.Pages (by way
// of the eSignature and Admin page walkers) and stops asking for pages once it has what it was
// asked for.

// OpenStatuses are the eSignature statuses of a membership that is not closed.
var OpenStatuses = []string{esign.StatusActivationRequired, esign.StatusActivationSent, esign.StatusActive, esign.StatusDisabled}

// AccountUsersFilter selects an account's users for AccountUsers.
type AccountUsersFilter struct {
	// Statuses are eSignature statuses as eSignature spells them (Active); none means every open
	// status (OpenStatuses).
	Statuses []string
	// Email keeps only the users with this email, compared without regard to letter case.
	Email string
	// Limit ends the listing after this many users; 0 means no limit.
	Limit int
	// Full asks for each user's full record in the same list calls (additional_info=true), at no
	// extra call.
	Full bool
}

// AccountUsers walks accountID's users that f selects, page by page, and asks for no page
// beyond the one that reaches f.Limit. A page smaller than eSignature's maximum is asked for when
// the limit is smaller than it.
func (c *Client) AccountUsers(ctx context.Context, accountID string, f AccountUsersFilter) iter.Seq2[esign.User, error] {
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = OpenStatuses
	}
	wanted := map[string]bool{}
	for _, s := range statuses {
		wanted[strings.ToLower(s)] = true
	}
	q := esign.ListUsersQuery{Email: f.Email, Status: strings.Join(statuses, ","), AdditionalInfo: f.Full, Count: pageSizeFor(f.Limit, esign.MaxPageSize)}
	return func(yield func(esign.User, error) bool) {
		n := 0
		for page, err := range c.ESign.UserPages(ctx, accountID, q) {
			if err != nil {
				yield(esign.User{}, err)
				return
			}
			for _, u := range page.Rows {
				// DocuSign filters already; checking again keeps a filter it ignored from
				// letting other users through.
				if (f.Email != "" && !strings.EqualFold(u.Email, f.Email)) || !wanted[strings.ToLower(u.UserStatus)] {
					continue
				}
				if !yield(u, nil) {
					return
				}
				if n++; f.Limit > 0 && n >= f.Limit {
					return
				}
			}
		}
	}
}

// pageSizeFor is the page size for a listing limited to limit rows: no larger than needed.
func pageSizeFor(limit, maxSize int) int {
	if limit > 0 && limit < maxSize {
		return limit
	}
	return maxSize
}

// ClosedAccountUser is one closed membership of an account.
type ClosedAccountUser struct {
	UserID, Email, UserName string
	// ClosedOn is when the membership was closed (Admin API membership_closed_on); zero when
	// the listing did not say, or said it in a form this client cannot read.
	ClosedOn time.Time
	// ClosedOnText is the date as DocuSign wrote it, for a message when it could not be read.
	ClosedOnText string
}

// ClosedUsersFilter selects an account's closed users for ClosedAccountUsers.
type ClosedUsersFilter struct {
	// Since keeps the memberships closed on or after this instant; zero keeps every one.
	Since time.Time
	// Limit ends the listing after this many users; 0 means no limit.
	Limit int
}

// ClosedAccountUsers walks accountID's closed users. Without f.Since it pages eSignature's users
// list filtered to Closed. With f.Since it needs the closing date, which only the Admin API gives
// (membership_closed_on), so it pages the organization's users of the account instead: the account
// must then belong to an organization the impersonated user administers (ErrNoOrganization
// otherwise). A closed membership whose date is missing or unreadable is yielded with a zero
// ClosedOn, outside the limit, so the caller can say which users it could not place.
func (c *Client) ClosedAccountUsers(ctx context.Context, accountID string, f ClosedUsersFilter) iter.Seq2[ClosedAccountUser, error] {
	if f.Since.IsZero() {
		return func(yield func(ClosedAccountUser, error) bool) {
			for u, err := range c.AccountUsers(ctx, accountID, AccountUsersFilter{Statuses: []string{esign.StatusClosed}, Limit: f.Limit}) {
				if !yield(ClosedAccountUser{UserID: u.UserID, Email: u.Email, UserName: u.UserName}, err) || err != nil {
					return
				}
			}
		}
	}
	return func(yield func(ClosedAccountUser, error) bool) {
		orgID, err := c.OrganizationOfAccount(ctx, accountID)
		if err != nil {
			yield(ClosedAccountUser{}, err)
			return
		}
		n := 0
		q := admin.UsersQuery{AccountID: accountID, MembershipStatus: "closed"}
		for page, err := range c.Admin.UserPages(ctx, orgID, q) {
			if err != nil {
				yield(ClosedAccountUser{}, err)
				return
			}
			for _, row := range page.Rows {
				if !strings.EqualFold(row.MembershipStatus, "closed") {
					continue
				}
				u := ClosedAccountUser{UserID: row.ID, Email: row.Email, UserName: row.UserName, ClosedOnText: row.MembershipClosedOn}
				u.ClosedOn, _ = parseAdminTime(row.MembershipClosedOn)
				if !u.ClosedOn.IsZero() && u.ClosedOn.Before(f.Since) {
					continue
				}
				if !yield(u, nil) {
					return
				}
				if u.ClosedOn.IsZero() {
					continue
				}
				if n++; f.Limit > 0 && n >= f.Limit {
					return
				}
			}
		}
	}
}

// parseAdminTime reads an Admin API date-time: RFC 3339, with or without fractions, or without a
// zone (then UTC), or a bare date.
func parseAdminTime(s string) (time.Time, error) {
	var err error
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", time.DateOnly} {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// OrganizationClosedUser is a user whose every membership in the organization's accounts is closed.
type OrganizationClosedUser struct {
	UserID, Email, UserName string
	// AccountIDs are the organization's accounts the user is a (closed) member of, sorted.
	AccountIDs []string
}

// ClosedOrganizationUsers lists the users of orgID whose every membership in the organization's
// accounts is closed, ordered by email then user ID, at most limit of them (0: all). A user may
// hold an open membership in any account, so every account's users are read before any user
// counts as closed: the limit shortens the answer, not the listing. Memberships in accounts of
// other organizations are not looked at, as docusign_organization_closed_user ignores them.
func (c *Client) ClosedOrganizationUsers(ctx context.Context, orgID string, limit int) ([]OrganizationClosedUser, error) {
	c.Tokens.Expect("organization_read", "user_read") // one grant for the organization and its users
	org, err := c.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	type seen struct {
		user     OrganizationClosedUser
		anyOpen  bool
		accounts map[string]bool
	}
	users := map[string]*seen{}
	for _, account := range org.Accounts {
		for page, err := range c.Admin.UserPages(ctx, orgID, admin.UsersQuery{AccountID: account.ID}) {
			if err != nil {
				return nil, err
			}
			for _, row := range page.Rows {
				key := strings.ToLower(row.ID)
				s := users[key]
				if s == nil {
					s = &seen{user: OrganizationClosedUser{UserID: row.ID, Email: row.Email, UserName: row.UserName}, accounts: map[string]bool{}}
					users[key] = s
				}
				s.anyOpen = s.anyOpen || !strings.EqualFold(row.MembershipStatus, "closed")
				s.accounts[account.ID] = true
			}
		}
	}
	var out []OrganizationClosedUser
	for _, s := range users {
		if s.anyOpen {
			continue
		}
		for id := range s.accounts {
			s.user.AccountIDs = append(s.user.AccountIDs, id)
		}
		sort.Strings(s.user.AccountIDs)
		out = append(out, s.user)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Email), strings.ToLower(out[j].Email)
		if a != b {
			return a < b
		}
		return out[i].UserID < out[j].UserID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
