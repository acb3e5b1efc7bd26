// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package esign_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// A close is done only when DocuSign's answer says so: a 200 that lists a user as still Active,
// with no status, or not at all, is a failure for that user whose message quotes the status.
func TestCloseUsersTrustsOnlyAConfirmedClose(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[
			{"userId":"u-closed","userStatus":"closed"},
			{"userId":"u-active","userStatus":"Active"},
			{"userId":"u-nostatus"}]}`)
	})
	results, err := c.CloseUsers(context.Background(), acct, []string{"u-closed", "u-active", "u-nostatus", "u-missing"})
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Err != nil {
		t.Errorf("u-closed (status in lower case) err = %v", results[0].Err)
	}
	wants := map[int][]string{1: {"u-active", `"Active"`}, 2: {"u-nostatus", "none given"}, 3: {"u-missing", "did not list"}}
	for i, want := range wants {
		err := results[i].Err
		if !errors.Is(err, esign.ErrCloseNotConfirmed) {
			t.Errorf("%s err = %v, want ErrCloseNotConfirmed", results[i].UserID, err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s err = %q, want it to mention %s", results[i].UserID, err, w)
			}
		}
	}
}
