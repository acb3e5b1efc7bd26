// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package paging_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

func key(s string) string { return s }

// rows returns the page of n rows at start, of a listing of total rows.
func rows(start, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "r" + strconv.Itoa(start+i)
	}
	return out
}

func TestPagesWalksUntilTheLastPage(t *testing.T) {
	calls := 0
	all, err := paging.All("list", key, func(start int) (paging.Page[string], int, error) {
		calls++
		n := min(10, 25-start)
		next := start + n
		if next >= 25 {
			next = -1
		}
		return paging.Page[string]{Rows: rows(start, n), Total: 25}, next, nil
	})
	if err != nil || len(all) != 25 || all[24] != "r24" || calls != 3 {
		t.Fatalf("All = %d rows, %v after %d calls; want 25 rows in 3 calls", len(all), err, calls)
	}
}

func TestPagesStopsWhenThePositionRepeats(t *testing.T) {
	calls := 0
	_, err := paging.All("list", key, func(start int) (paging.Page[string], int, error) {
		calls++
		return paging.Page[string]{Rows: rows(calls*10, 10), Total: 1000}, 0, nil // next always points back at 0
	})
	if !errors.Is(err, paging.ErrNoProgress) || calls != 2 {
		t.Fatalf("err = %v after %d calls; want ErrNoProgress after 2", err, calls)
	}
}

func TestPagesStopsOnAPageOfRowsAlreadySeen(t *testing.T) {
	calls := 0
	_, err := paging.All("list", key, func(start int) (paging.Page[string], int, error) {
		calls++
		return paging.Page[string]{Rows: rows(0, 10), Total: 1000}, start + 10, nil
	})
	if !errors.Is(err, paging.ErrNoProgress) || calls != 2 {
		t.Fatalf("err = %v after %d calls; want ErrNoProgress after 2", err, calls)
	}
}

func TestPagesCapsThePagesAtTheFirstTotal(t *testing.T) {
	calls := 0
	_, err := paging.All("list", key, func(start int) (paging.Page[string], int, error) {
		calls++
		return paging.Page[string]{Rows: rows(start, 1), Total: 5 + start}, start + 1, nil // the total keeps growing
	})
	if !errors.Is(err, paging.ErrTooManyPages) || calls != 5+paging.Margin+1 {
		t.Fatalf("err = %v after %d calls; want ErrTooManyPages after %d", err, calls, 5+paging.Margin+1)
	}
}

// An impossible total still gives its first page, so a consumer that stops there (to read the
// rest some cheaper way) is not refused; going on is.
func TestPagesRefusesToGoPastAnImpossibleFirstPage(t *testing.T) {
	fetch := func(start int) (paging.Page[string], int, error) {
		return paging.Page[string]{Rows: rows(start, 1), Total: 1e9}, start + 1, nil
	}
	var pages int
	for page, err := range paging.Pages("list", key, fetch) {
		if err != nil || page.Start != 0 {
			t.Fatalf("first page = %+v, %v", page, err)
		}
		pages++
		break
	}
	if pages != 1 {
		t.Fatalf("pages = %d", pages)
	}
	_, err := paging.All("list", key, fetch)
	if !errors.Is(err, paging.ErrTooManyPages) {
		t.Fatalf("err = %v, want ErrTooManyPages", err)
	}
}

func TestPagesPassesTheFetchErrorOn(t *testing.T) {
	boom := errors.New("boom")
	_, err := paging.All("list", key, func(int) (paging.Page[string], int, error) { return paging.Page[string]{}, 0, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}
