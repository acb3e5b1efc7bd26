// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package paging keeps a listing from looping on DocuSign's paging fields: a page that repeats a
// position or brings nothing new ends it, and the pages are capped at what the first page's total
// implies plus a margin.
package paging

import (
	"errors"
	"fmt"
	"iter"
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

// Page is one page of a listing: the rows read at Start, and the total the page reports.
type Page[T any] struct {
	Start int
	Rows  []T
	Total int
}

// Fetch reads the page at start and says where the next page starts; next < 0 ends the listing.
type Fetch[T any] func(start int) (page Page[T], next int, err error)

// Pages walks a listing from start 0, one page per step, under a Guard sized by the first page:
// the one way every DocuSign listing is paged. key identifies a row, so a page of rows already
// seen ends the walk with ErrNoProgress. A consumer may stop after any page, after the first to
// read the rest some cheaper way; a first page whose total no listing could finish is still
// given, and the walk refuses to go past it. After an error the walk ends.
func Pages[T any](what string, key func(T) string, fetch Fetch[T]) iter.Seq2[Page[T], error] {
	return func(yield func(Page[T], error) bool) {
		var guard *Guard
		for start := 0; ; {
			page, next, err := fetch(start)
			page.Start = start
			if err != nil {
				yield(page, err)
				return
			}
			if guard == nil {
				if guard, err = New(what, page.Total, len(page.Rows)); err != nil {
					if yield(page, nil) {
						yield(Page[T]{Start: start}, err)
					}
					return
				}
			}
			keys := make([]string, len(page.Rows))
			for i, r := range page.Rows {
				keys[i] = key(r)
			}
			if err := guard.Page(start, keys); err != nil {
				yield(Page[T]{Start: start}, err)
				return
			}
			if !yield(page, nil) || next < 0 {
				return
			}
			start = next
		}
	}
}

// All collects every row of Pages.
func All[T any](what string, key func(T) string, fetch Fetch[T]) ([]T, error) {
	var all []T
	for page, err := range Pages(what, key, fetch) {
		if err != nil {
			return nil, err
		}
		all = append(all, page.Rows...)
	}
	return all, nil
}
