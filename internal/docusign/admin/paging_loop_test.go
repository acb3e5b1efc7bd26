// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package admin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

// TestListAllUsersStopsOnSelfLoopingNext: paging.next pointing back at the same page, with the
// same rows every time, made the client walk a huge total one identical page after another.
func TestListAllUsersStopsOnSelfLoopingNext(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		var rows []string
		for i := range 250 {
			rows = append(rows, fmt.Sprintf(`{"id":"u-%d","membership_id":"m-%d","email":"u%d@example.com"}`, i, i, i))
		}
		writeJSON(w, 200, `{"users":[`+strings.Join(rows, ",")+`],"paging":{"result_set_size":250,"total_set_size":500000,`+
			`"next":"https://api-d.docusign.net/Management/v2/organizations/`+org+`/users?start=0&take=250"}}`)
	})
	_, err := c.ListAllUsers(context.Background(), org, admin.UsersQuery{AccountID: "acc-1"})
	if !errors.Is(err, paging.ErrNoProgress) {
		t.Errorf("err = %v, want ErrNoProgress", err)
	}
	if n := len(f.Seen()); n > 2 {
		t.Errorf("%d calls for a listing that never advances, want 2", n)
	}
}

// TestListAllUsersRefusesAnImpossibleTotal: a total needing more pages than the hourly API
// budget allows is refused after the first page.
func TestListAllUsersRefusesAnImpossibleTotal(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[{"id":"u-1"}],"paging":{"total_set_size":2000000000,"next":"/next"}}`)
	})
	if _, err := c.ListAllUsers(context.Background(), org, admin.UsersQuery{AccountID: "acc-1"}); !errors.Is(err, paging.ErrTooManyPages) {
		t.Errorf("err = %v, want ErrTooManyPages", err)
	}
	if n := len(f.Seen()); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}
