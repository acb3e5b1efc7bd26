// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package esign_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

// TestListAllUsersStopsOnSelfLoopingNextURI: a server whose nextUri points back at the same page,
// echoing whatever start_position it is asked for, made the client page through a total of a
// million users, one identical page after another. The second identical page ends it.
func TestListAllUsersStopsOnSelfLoopingNextURI(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		start, _ := strconv.Atoi(cl.Query.Get("start_position"))
		var users []string
		for i := range 100 {
			users = append(users, fmt.Sprintf(`{"userId":"u-%d","email":"u%d@example.com"}`, i, i))
		}
		writeJSON(w, 200, fmt.Sprintf(`{"users":[%s],"resultSetSize":"100","totalSetSize":"250000","startPosition":"%d","endPosition":"%d","nextUri":"/restapi/v2.1/accounts/%s/users?start_position=0"}`,
			strings.Join(users, ","), start, start+99, acct))
	})
	_, err := c.ListAllUsers(context.Background(), acct, esign.ListUsersQuery{})
	if !errors.Is(err, paging.ErrNoProgress) {
		t.Errorf("err = %v, want ErrNoProgress", err)
	}
	if n := len(f.Seen()); n > 2 {
		t.Errorf("%d calls for a listing that never advances, want 2", n)
	}
}

// TestListAllUsersCapsPagesAtTheTotal: pages that keep bringing new rows past the first page's
// total stop at the pages the total implies plus a margin.
func TestListAllUsersCapsPagesAtTheTotal(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		start, _ := strconv.Atoi(cl.Query.Get("start_position"))
		total := 300 + start // the total grows with every page
		writeJSON(w, 200, fmt.Sprintf(`{"users":[{"userId":"u-%d"}],"resultSetSize":"1","totalSetSize":"%d","startPosition":"%d","endPosition":"%d","nextUri":"/next"}`,
			start, total, start, start))
	})
	_, err := c.ListAllUsers(context.Background(), acct, esign.ListUsersQuery{})
	if !errors.Is(err, paging.ErrTooManyPages) {
		t.Errorf("err = %v, want ErrTooManyPages", err)
	}
	if n := len(f.Seen()); n > 300+paging.Margin+1 {
		t.Errorf("%d calls for a total of 300 users one per page", n)
	}
}

// TestListAllUsersRefusesAnImpossibleTotal: a total that needs more pages than the hourly API
// budget is refused after the first page.
func TestListAllUsersRefusesAnImpossibleTotal(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[{"userId":"u-1"}],"resultSetSize":"1","totalSetSize":"9999999","startPosition":"0","endPosition":"0","nextUri":"/next"}`)
	})
	if _, err := c.ListAllUsers(context.Background(), acct, esign.ListUsersQuery{}); !errors.Is(err, paging.ErrTooManyPages) {
		t.Errorf("err = %v, want ErrTooManyPages", err)
	}
	if n := len(f.Seen()); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}
