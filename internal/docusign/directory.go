// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

// Directory answers "what is this user's membership now?" for many resources of one provider
// process with as few calls as possible. A refresh of N closed users in one account would cost N
// GETs; instead the first lookup lists the account's closed users once (ceil(closed/100) calls)
// and every lookup is served from that listing. When the listing would take more than
// ExportCheaperPages further pages and the impersonated user administers the account's
// organization, one export of the account replaces it (about six calls at any size). IsClosed
// answers from the listing alone; User gives a user missing from it (reopened, or gone) its own
// GET, which is also what drift costs anyway.
type Directory struct {
	esign *esign.Client
	// lookup reads one user the listing does not hold; Client.AccountUser, so that it works where
	// DocuSign serves GET …/users/{userId} only for the caller's own record.
	lookup func(ctx context.Context, accountID, userID string) (*esign.User, error)
	// export reads every membership of an account from one Admin API export; nil or an error
	// (no organization, not its administrator) leaves the paged listing.
	export func(ctx context.Context, accountID string) ([]esign.User, error)

	// exportOmitsClosed records an export that held fewer closed users than the listing counts:
	// later refreshes skip the export rather than pay for it again.
	exportOmitsClosed atomic.Bool

	mu       sync.Mutex
	listings map[string]*closedListing
}

type closedListing struct {
	done  chan struct{}
	users map[string]esign.User // by lower-case user ID; nil when the listing was skipped
	err   error
}

// ExportCheaperPages is where an export of the account becomes cheaper than listing the rest of
// its closed users: the export costs about six calls (find the organization, create, poll,
// download, delete), a listing one call per 100 closed users.
const ExportCheaperPages = 5

// NewDirectory returns an empty Directory.
func NewDirectory(c *esign.Client) *Directory {
	return &Directory{esign: c, lookup: c.GetUser, listings: map[string]*closedListing{}}
}

// User returns userID's membership in accountID, or esign.ErrUserNotFound.
func (d *Directory) User(ctx context.Context, accountID, userID string) (*esign.User, error) {
	listing, err := d.closed(ctx, accountID)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	u, ok := listing.users[strings.ToLower(userID)]
	d.mu.Unlock()
	if ok {
		return &u, nil
	}
	return d.lookup(ctx, accountID, userID)
}

// IsClosed reports whether userID's membership in accountID is closed, from the account's
// listing alone: the listing holds every closed user, so a user missing from it is not closed,
// and no refresh costs more than reading the account once.
func (d *Directory) IsClosed(ctx context.Context, accountID, userID string) (bool, error) {
	listing, err := d.closed(ctx, accountID)
	if err != nil {
		return false, err
	}
	d.mu.Lock()
	u, ok := listing.users[strings.ToLower(userID)]
	d.mu.Unlock()
	return ok && u.IsClosed(), nil
}

// Forget drops what the directory knows about accountID, after a change made through it.
func (d *Directory) Forget(accountID string) {
	d.mu.Lock()
	delete(d.listings, accountID)
	d.mu.Unlock()
}

// Closed records that userID is now closed in accountID, keeping a loaded listing true.
func (d *Directory) Closed(accountID string, u esign.User) {
	d.mu.Lock()
	listing := d.listings[accountID]
	d.mu.Unlock()
	if listing == nil {
		return
	}
	<-listing.done
	if listing.users != nil {
		d.mu.Lock()
		u.UserStatus = esign.StatusClosed
		listing.users[strings.ToLower(u.UserID)] = u
		d.mu.Unlock()
	}
}

// listingTimeout bounds one shared listing; its callers leave earlier on their own deadlines.
const listingTimeout = 10 * time.Minute

func (d *Directory) closed(ctx context.Context, accountID string) (*closedListing, error) {
	d.mu.Lock()
	listing := d.listings[accountID]
	if listing == nil {
		listing = &closedListing{done: make(chan struct{})}
		d.listings[accountID] = listing
		go d.load(context.WithoutCancel(ctx), accountID, listing)
	}
	d.mu.Unlock()
	select {
	case <-listing.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if listing.err != nil {
		// A failed listing must not poison later lookups: let the next one try again.
		d.mu.Lock()
		if d.listings[accountID] == listing {
			delete(d.listings, accountID)
		}
		d.mu.Unlock()
	}
	return listing, listing.err
}

// load runs detached from the first caller's cancellation (others share the listing) but keeps
// its values, so its calls show in that caller's log.
func (d *Directory) load(ctx context.Context, accountID string, listing *closedListing) {
	defer close(listing.done)
	ctx, cancel := context.WithTimeout(ctx, listingTimeout)
	defer cancel()
	q := esign.ListUsersQuery{Status: esign.StatusClosed, Count: esign.MaxPageSize}
	fetch := func(start int) (paging.Page[esign.User], int, error) {
		q.StartPosition = start
		page, err := d.esign.ListUsers(ctx, accountID, q)
		if err != nil {
			return paging.Page[esign.User]{}, 0, err
		}
		total, _ := strconv.Atoi(page.TotalSetSize)
		next := start + len(page.Users)
		if len(page.Users) == 0 || next >= total {
			next = -1
		}
		return paging.Page[esign.User]{Rows: page.Users, Total: total}, next, nil
	}
	var users []esign.User
	for page, err := range paging.Pages("GET …/users?status=closed", esign.UserKey, fetch) {
		if err != nil {
			listing.err = err
			return
		}
		users = append(users, page.Rows...)
		if page.Start > 0 || d.export == nil || d.exportOmitsClosed.Load() {
			continue
		}
		remaining := (max(page.Total-len(page.Rows), 0) + esign.MaxPageSize - 1) / esign.MaxPageSize
		if remaining <= ExportCheaperPages {
			continue
		}
		// An export may leave closed memberships out (DocuSign does not say), and a user missing
		// from it would read as open: it replaces the listing only when it holds every closed
		// user the listing counts.
		all, err := d.export(ctx, accountID)
		if err == nil && closedIn(all) >= page.Total {
			users = all
			break
		}
		if err == nil {
			d.exportOmitsClosed.Store(true)
		}
	}
	m := make(map[string]esign.User, len(users))
	for _, u := range users {
		m[strings.ToLower(u.UserID)] = u
	}
	listing.users = m
}

func closedIn(users []esign.User) int {
	n := 0
	for _, u := range users {
		if u.IsClosed() {
			n++
		}
	}
	return n
}
