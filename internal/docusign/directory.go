package docusign

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// Directory answers "what is this user's membership now?" for many resources of one provider
// process with as few calls as possible. A refresh of N closed users in one account would cost N
// GETs; instead the first lookup lists the account's closed users once (ceil(closed/100) calls)
// and every lookup is served from that listing. A user missing from it (reopened, or gone) gets
// its own GET, which is also what drift costs anyway.
type Directory struct {
	esign *esign.Client
	// lookup reads one user the listing does not hold; Client.AccountUser, so that it works where
	// DocuSign serves GET …/users/{userId} only for the caller's own record.
	lookup func(ctx context.Context, accountID, userID string) (*esign.User, error)

	mu       sync.Mutex
	listings map[string]*closedListing
}

type closedListing struct {
	done  chan struct{}
	users map[string]esign.User // by lower-case user ID; nil when the listing was skipped
	err   error
}

// MaxClosedListingPages caps the shared listing: past this many pages of closed users, per-user
// GETs are cheaper for any plausible number of resources in one state.
const MaxClosedListingPages = 50

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

func (d *Directory) closed(ctx context.Context, accountID string) (*closedListing, error) {
	d.mu.Lock()
	listing := d.listings[accountID]
	if listing == nil {
		listing = &closedListing{done: make(chan struct{})}
		d.listings[accountID] = listing
		go d.load(accountID, listing)
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

func (d *Directory) load(accountID string, listing *closedListing) {
	defer close(listing.done)
	ctx := context.Background()
	q := esign.ListUsersQuery{Status: esign.StatusClosed, Count: esign.MaxPageSize}
	first, err := d.esign.ListUsers(ctx, accountID, q)
	if err != nil {
		listing.err = err
		return
	}
	users := first.Users
	total, _ := strconv.Atoi(first.TotalSetSize)
	if total > len(users) {
		if (total+esign.MaxPageSize-1)/esign.MaxPageSize > MaxClosedListingPages {
			listing.users = map[string]esign.User{}
			return
		}
		q.StartPosition = len(users)
		for q.StartPosition < total {
			page, err := d.esign.ListUsers(ctx, accountID, q)
			if err != nil {
				listing.err = err
				return
			}
			if len(page.Users) == 0 {
				break
			}
			users = append(users, page.Users...)
			q.StartPosition += len(page.Users)
		}
	}
	m := make(map[string]esign.User, len(users))
	for _, u := range users {
		m[strings.ToLower(u.UserID)] = u
	}
	listing.users = m
}
