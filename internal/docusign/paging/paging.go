// Package paging keeps a listing from looping on DocuSign's paging fields: a page that repeats a
// position or brings nothing new ends it, and the pages are capped at what the first page's total
// implies plus a margin.
package paging

import (
	"errors"
	"fmt"
)

// MaxPages bounds any one listing: DocuSign allows 3,000 calls per hour per account, so a listing
// needing more pages could never finish inside the hourly budget anyway.
const MaxPages = 3000

// Margin is how many pages beyond the first page's total a listing may take, for rows added
// while it runs.
const Margin = 2

// ErrNoProgress means DocuSign's paging did not advance (a next link that points back at the
// same page, a repeated position, or a page of rows already seen).
var ErrNoProgress = errors.New("DocuSign's paging did not advance")

// ErrTooManyPages means a listing needed more pages than its total allows.
var ErrTooManyPages = errors.New("DocuSign's paging ran past the total it reported")

// Guard watches one listing. Use one per listing; it is not safe for concurrent use.
type Guard struct {
	what      string
	maxPages  int
	pages     int
	positions map[int]bool
	seen      map[string]bool
}

// New starts watching a listing of what (for errors, e.g. "GET …/users"); total and pageSize
// come from the first page (pageSize is the rows it held).
func New(what string, total, pageSize int) (*Guard, error) {
	g := &Guard{what: what, positions: map[int]bool{}, seen: map[string]bool{}}
	pageSize = max(pageSize, 1)
	needed := (max(total, 0) + pageSize - 1) / pageSize
	if needed > MaxPages {
		return nil, fmt.Errorf("%w: %s reports %d rows, %d pages of %d, more than the %d pages one listing may take",
			ErrTooManyPages, what, total, needed, pageSize, MaxPages)
	}
	g.maxPages = max(needed, 1) + Margin
	return g, nil
}

// Page records a page that started at position and held rows with these keys. It fails when the
// position repeats, when no row is new, or when the pages exceed the cap.
func (g *Guard) Page(position int, keys []string) error {
	g.pages++
	if g.pages > g.maxPages {
		return fmt.Errorf("%w: %s took more than %d pages", ErrTooManyPages, g.what, g.maxPages)
	}
	if g.positions[position] {
		return fmt.Errorf("%w: %s returned position %d twice", ErrNoProgress, g.what, position)
	}
	g.positions[position] = true
	fresh := 0
	for _, k := range keys {
		if !g.seen[k] {
			g.seen[k] = true
			fresh++
		}
	}
	if len(keys) > 0 && fresh == 0 {
		return fmt.Errorf("%w: %s returned a page at position %d holding only rows already seen", ErrNoProgress, g.what, position)
	}
	return nil
}
