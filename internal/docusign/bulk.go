// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

// EmailResolution maps emails to users of one account.
type EmailResolution struct {
	Users     map[string]esign.User // by lower-case email
	Missing   []string              // emails no user has
	Ambiguous map[string][]string   // email -> the user IDs sharing it
}

// ResolveEmails finds the users behind emails in accountID for the least number of calls: the
// first page of the account's users costs one call and tells the account's size; the rest is
// either one filtered lookup per email still unresolved or the remaining pages of the listing,
// whichever is fewer. Every listing names all statuses, so that closed users are found too.
func (c *Client) ResolveEmails(ctx context.Context, accountID string, emails []string) (*EmailResolution, error) {
	wanted := map[string]string{}
	for _, e := range emails {
		wanted[strings.ToLower(e)] = e
	}
	res := &EmailResolution{Users: map[string]esign.User{}, Ambiguous: map[string][]string{}}
	if len(wanted) == 0 {
		return res, nil
	}
	byEmail := map[string][]esign.User{}
	collect := func(users []esign.User) {
		for _, u := range users {
			key := strings.ToLower(u.Email)
			if _, ok := wanted[key]; ok {
				byEmail[key] = appendUnique(byEmail[key], u)
			}
		}
	}

	q := esign.ListUsersQuery{Count: esign.MaxPageSize, Status: esign.AnyStatus}
	fetch := func(start int) (paging.Page[esign.User], int, error) {
		q.StartPosition = start
		page, err := c.ESign.ListUsers(ctx, accountID, q)
		if err != nil {
			return paging.Page[esign.User]{}, 0, err
		}
		total := atoiOr(page.TotalSetSize, len(page.Users))
		next := start + len(page.Users)
		if len(page.Users) == 0 || next >= total {
			next = -1
		}
		return paging.Page[esign.User]{Rows: page.Users, Total: total}, next, nil
	}
	// The first page tells the account's size; the rest of the listing is read only when it
	// costs fewer calls than one filtered lookup per email still unresolved.
	var lookups []string
	for page, err := range paging.Pages("GET …/users", esign.UserKey, fetch) {
		if err != nil {
			return nil, err
		}
		collect(page.Rows)
		if page.Start > 0 {
			continue
		}
		remainingPages := (max(page.Total-len(page.Rows), 0) + esign.MaxPageSize - 1) / esign.MaxPageSize
		var unresolved []string
		for key := range wanted {
			if len(byEmail[key]) == 0 {
				unresolved = append(unresolved, key)
			}
		}
		sort.Strings(unresolved)
		if len(unresolved) == 0 || remainingPages == 0 {
			break
		}
		if len(unresolved) <= remainingPages {
			lookups = unresolved
			break
		}
	}
	for _, key := range lookups {
		users, err := c.ESign.FindUsersByEmail(ctx, accountID, wanted[key])
		if err != nil {
			return nil, err
		}
		collect(users)
	}

	for key, original := range wanted {
		users := byEmail[key]
		switch len(users) {
		case 0:
			res.Missing = append(res.Missing, original)
		case 1:
			res.Users[key] = users[0]
		default:
			ids := make([]string, len(users))
			for i, u := range users {
				ids[i] = u.UserID
			}
			sort.Strings(ids)
			res.Ambiguous[original] = ids
		}
	}
	sort.Strings(res.Missing)
	return res, nil
}

// CloseMany closes userIDs in accountID in batches of esign.MaxPageSize, one call per batch,
// and returns each user's outcome in the order given.
func (c *Client) CloseMany(ctx context.Context, accountID string, userIDs []string) ([]esign.CloseResult, error) {
	ids := dedupe(userIDs)
	results := make([]esign.CloseResult, 0, len(ids))
	for start := 0; start < len(ids); start += esign.MaxPageSize {
		end := min(start+esign.MaxPageSize, len(ids))
		batch, _, err := closeSplitting(ctx, c.ESign, accountID, ids[start:end])
		if err != nil {
			return results, fmt.Errorf("closing users %d–%d of %d: %w", start+1, end, len(ids), err)
		}
		for _, r := range batch {
			if r.Err == nil {
				c.directory.Closed(accountID, r.User)
			}
		}
		results = append(results, batch...)
	}
	return results, nil
}

func appendUnique(users []esign.User, u esign.User) []esign.User {
	for _, existing := range users {
		if strings.EqualFold(existing.UserID, u.UserID) {
			return users
		}
	}
	return append(users, u)
}

func atoiOr(s string, fallback int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return fallback
}

// UsersClosure is what CloseUsers did.
type UsersClosure struct {
	// EmailUserIDs maps each email, as given, to the user it named.
	EmailUserIDs map[string]string
	// Results are each user's outcome: the user IDs given, then the users the emails named.
	Results []esign.CloseResult
	// Warnings say where the bulk close import could not be used or read and what was done
	// instead (see bulkWarning).
	Warnings []string
}

// EmailsNotResolvedError lists the emails of a CloseUsers call that name no user of the account
// (Missing, as given) or several (Ambiguous: email -> the user IDs sharing it). Nobody is closed.
type EmailsNotResolvedError struct {
	AccountID string
	Missing   []string
	Ambiguous map[string][]string
}

func (e *EmailsNotResolvedError) Error() string {
	return fmt.Sprintf("in account %s, %d emails name no user and %d name several", e.AccountID, len(e.Missing), len(e.Ambiguous))
}

// CloseUsers closes userIDs and the users emails name in accountID, for a leaver list: the emails
// are resolved with at most one listing of the account (ResolveEmails), then everyone is closed in
// batches, or from bulkThreshold users on (0: never) with one bulk close import
// (CloseManyPreferBulk), whose progress goes to the context's Progress (WithProgress). Before any
// close: an email that names no user or several is an *EmailsNotResolvedError, the impersonated
// user an *ImpersonatedUserError, a failed lookup a *StepError of StepFindUser. An error from the
// closes themselves comes with the results gathered so far.
func (c *Client) CloseUsers(ctx context.Context, accountID string, userIDs, emails []string, bulkThreshold int) (*UsersClosure, error) {
	closure := &UsersClosure{EmailUserIDs: map[string]string{}}
	for _, id := range userIDs {
		if c.isImpersonated(id) {
			return nil, &ImpersonatedUserError{UserID: id}
		}
	}
	ids := append([]string(nil), userIDs...)
	if len(emails) > 0 {
		res, err := c.ResolveEmails(ctx, accountID, emails)
		if err != nil {
			return nil, &StepError{Step: StepFindUser, AccountID: accountID, Err: err}
		}
		if len(res.Missing) > 0 || len(res.Ambiguous) > 0 {
			return nil, &EmailsNotResolvedError{AccountID: accountID, Missing: res.Missing, Ambiguous: res.Ambiguous}
		}
		for _, email := range emails {
			u := res.Users[strings.ToLower(email)]
			if c.isImpersonated(u.UserID) {
				return nil, &ImpersonatedUserError{UserID: u.UserID, Email: email}
			}
			closure.EmailUserIDs[email] = u.UserID
			ids = append(ids, u.UserID)
		}
	}
	var err error
	progress := progressFrom(ctx)
	var mu sync.Mutex
	closure.Results, err = c.CloseManyPreferBulk(ctx, accountID, ids, bulkThreshold, func(stage string, fields map[string]any) {
		if w, ok := bulkWarning(stage, fields); ok {
			mu.Lock()
			closure.Warnings = append(closure.Warnings, w)
			mu.Unlock()
		}
		progress.say(stage, fields)
	})
	return closure, err
}
