// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package esign_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// FuzzListAllUsersPaging feeds ListAllUsers pages whose paging fields (totalSetSize,
// endPosition, nextUri, the number of users) are whatever the fuzzer makes of them, the page
// repeating on every request. Whatever DocuSign answers, the client must not panic and must not
// loop: it never asks for the same start_position twice.
func FuzzListAllUsersPaging(f *testing.F) {
	f.Add("3", "2", "", 3)
	f.Add("250", "99", "/users?start_position=100", 100)
	f.Add("1000", "0", "/users?start_position=1", 1) // endPosition never advances
	f.Add("-5", "-1", "/next", 2)
	f.Add("x", "y", "/next", 1)
	f.Add("9223372036854775807", "9223372036854775806", "/next", 1)
	f.Add("10", "", "/next", 0)
	f.Fuzz(func(t *testing.T, total, end, next string, users int) {
		users = ((users % 6) + 6) % 6
		page := map[string]any{"totalSetSize": total, "endPosition": end, "resultSetSize": fmt.Sprint(users)}
		if next != "" {
			page["nextUri"] = next
		}
		var list []map[string]string
		for i := range users {
			list = append(list, map[string]string{"userId": fmt.Sprintf("u-%d", i), "email": fmt.Sprintf("u%d@example.com", i), "userStatus": "Active"})
		}
		page["users"] = list
		body, err := json.Marshal(page)
		if err != nil {
			t.Skip()
		}
		const limit = 200
		seen := map[string]bool{}
		calls, repeated := 0, false
		_, c := newFake(t, func(cl call, w http.ResponseWriter) {
			calls++
			start := cl.Query.Get("start_position")
			if seen[start] {
				repeated = true
			}
			seen[start] = true
			if calls > limit {
				writeJSON(w, 400, `{"errorCode":"INVALID_REQUEST_PARAMETER","message":"stop"}`)
				return
			}
			writeJSON(w, 200, string(body))
		})
		got, err := c.ListAllUsers(context.Background(), acct, esign.ListUsersQuery{})
		if repeated {
			t.Fatalf("the client asked for the same start_position twice (%d calls): paging does not advance", calls)
		}
		if calls > limit {
			t.Fatalf("the client kept paging past %d calls", limit)
		}
		if err == nil && len(got) != users*calls {
			t.Fatalf("got %d users from %d pages of %d", len(got), calls, users)
		}
	})
}
