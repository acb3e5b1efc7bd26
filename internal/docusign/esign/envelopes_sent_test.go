// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package esign_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// The reclaim confirmation asks for the user's newest sent envelope with documented parameters
// only, and hands back the sender of each envelope so the caller can drop received ones.
func TestSearchSentByAsksForTheNewestSentEnvelope(t *testing.T) {
	_, client := newFake(t, func(c call, w http.ResponseWriter) {
		want := map[string]string{"from_date": "2026-09-01T00:00:00Z", "from_to_status": "sent", "user_id": "u1",
			"folder_types": "sentitems", "order_by": "sent", "order": "desc", "count": "1"}
		for k, v := range want {
			if c.Query.Get(k) != v {
				writeJSON(w, 400, `{"errorCode":"INVALID_REQUEST_PARAMETER","message":"`+k+`"}`)
				return
			}
		}
		if c.Path != "/envelopes" {
			writeJSON(w, 404, `{}`)
			return
		}
		writeJSON(w, 200, `{"envelopes":[{"envelopeId":"e1","status":"sent","sentDateTime":"2026-11-02T10:00:00.0000000Z","sender":{"userId":"u2","email":"b@x.example"}}],"resultSetSize":"1","totalSetSize":"3"}`)
	})
	page, err := client.SearchSentBy(context.Background(), acct, "u1", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), 1)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 3 || len(page.Envelopes) != 1 || page.Envelopes[0].Sender == nil || page.Envelopes[0].Sender.UserID != "u2" {
		t.Fatalf("page %+v", page)
	}
}

func TestSearchSentByTotalMayBeMissing(t *testing.T) {
	_, client := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `{"envelopes":[]}`) })
	page, err := client.SearchSentBy(context.Background(), acct, "u1", time.Now(), 5000)
	if err != nil || page.Total != -1 || len(page.Envelopes) != 0 {
		t.Fatalf("page %+v, %v", page, err)
	}
}

// lastLogin is documented on the single-user read with additional_info=true.
func TestGetUserLastLoginAsksForAdditionalInfo(t *testing.T) {
	_, client := newFake(t, func(c call, w http.ResponseWriter) {
		switch {
		case c.Path == "/users/u1" && c.Query.Get("additional_info") == "true":
			writeJSON(w, 200, `{"userId":"u1","lastLogin":"2026-11-02T10:00:00.0000000Z"}`)
		default:
			writeJSON(w, 400, `{"errorCode":"USER_DOES_NOT_EXIST_IN_SYSTEM","message":"The user does not exist in the system."}`)
		}
	})
	u, err := client.GetUserLastLogin(context.Background(), acct, "u1")
	if err != nil || u.LastLogin != "2026-11-02T10:00:00.0000000Z" {
		t.Fatalf("%+v, %v", u, err)
	}
	if _, err := client.GetUserLastLogin(context.Background(), acct, "u9"); !errors.Is(err, esign.ErrUserNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}
