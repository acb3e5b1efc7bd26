package docusign

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// Directory answers "what is this user's membership now?" for many resources of one provider
// process with as few calls as possible. A refresh of N closed users in one account would cost N
// GETs; instead the first lookup lists the account's closed users once (ceil(closed/100) calls)
// and every lookup is served from that listing. A user missing from it (reopened, or gone) gets
// its own GET, which is also what drift costs anyway.
type Directory struct {
	esign *esign.Client

	mu       sync.Mutex
	listings map[string]*closedListing
	open     map[string]*closedListing // the account's users of every other status, loaded only when needed
}

type closedListing struct {
	done     chan struct{}
	users    map[string]esign.User // by lower-case user ID; nil when the listing was skipped
	complete bool                  // every page was read, so a user missing from users is not there
	err      error
}

// MaxClosedListingPages caps the shared listing: past this many pages of closed users, per-user
// GETs are cheaper for any plausible number of resources in one state.
const MaxClosedListingPages = 50

// NewDirectory returns an empty Directory.
func NewDirectory(c *esign.Client) *Directory {
	return &Directory{esign: c, listings: map[string]*closedListing{}, open: map[string]*closedListing{}}
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
	user, err := d.esign.GetUser(ctx, accountID, userID)
	if err == nil || !transport.HasCode(err, "USER_LACKS_PERMISSIONS") {
		return user, err
	}
	// DocuSign's newer spec says GET …/users/{userId} serves only the caller's own record. The
	// account's listing still shows everyone, so read the user from one shared listing of the
	// account's other statuses instead.
	others, listErr := d.listing(ctx, d.open, accountID, notClosed)
	if listErr != nil || !others.complete {
		return nil, err
	}
	d.mu.Lock()
	u, ok = others.users[strings.ToLower(userID)]
	d.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: %s in account %s", esign.ErrUserNotFound, userID, accountID)
	}
	return &u, nil
}

// notClosed is every status but Closed, for the listing of the users the closed listing misses.
const notClosed = esign.StatusActivationRequired + "," + esign.StatusActivationSent + "," + esign.StatusActive + "," + esign.StatusDisabled

// Forget drops what the directory knows about accountID, after a change made through it.
func (d *Directory) Forget(accountID string) {
	d.mu.Lock()
	delete(d.listings, accountID)
	delete(d.open, accountID)
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
	return d.listing(ctx, d.listings, accountID, esign.StatusClosed)
}

// listing returns the shared listing of accountID's users with status, loading it once.
func (d *Directory) listing(ctx context.Context, cache map[string]*closedListing, accountID, status string) (*closedListing, error) {
	d.mu.Lock()
	listing := cache[accountID]
	if listing == nil {
		listing = &closedListing{done: make(chan struct{})}
		cache[accountID] = listing
		go d.load(accountID, status, listing)
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
		if cache[accountID] == listing {
			delete(cache, accountID)
		}
		d.mu.Unlock()
	}
	return listing, listing.err
}

func (d *Directory) load(accountID, status string, listing *closedListing) {
	defer close(listing.done)
	ctx := context.Background()
	q := esign.ListUsersQuery{Status: status, Count: esign.MaxPageSize}
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
	listing.complete = true
}
