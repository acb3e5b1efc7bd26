// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package monitor_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/internal/apitest"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/monitor"
)

// The stream is read from the given date, follows endCursor, and stops at a short page without
// asking for the (empty) page after it.
func TestSinceFollowsEndCursor(t *testing.T) {
	pages := map[string]string{
		"2026-09-01T00:00:00Z": `{"endCursor":"c1","data":[{"eventId":"1","timestamp":"2026-09-02T10:00:00.0000000Z","userId":"u","accountId":"a","object":"User","action":"Login","result":"Success"},{"eventId":"2","timestamp":"2026-09-03T10:00:00Z","object":"Envelope","action":"Sent"}]}`,
		"c1":                   `{"endCursor":"c2","data":[{"eventId":"3","timestamp":"2026-09-04T10:00:00Z","object":"User","action":"Login","result":"Failed"}]}`,
	}
	srv := apitest.New(t, "/api/v2.0/datasets/monitor/stream", func(c apitest.Call, w http.ResponseWriter) {
		body, ok := pages[c.Query.Get("cursor")]
		if !ok || c.Query.Get("limit") != "2" || c.Auth != "Bearer tok" {
			apitest.WriteJSON(w, 400, `{"error":"invalid_request","error_description":"bad cursor"}`)
			return
		}
		apitest.WriteJSON(w, 200, body)
	})
	client := monitor.New(apitest.Transport(), apitest.StaticTokens{}, srv.URL+"/")
	var got []string
	n, err := client.Since(context.Background(), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), 2, func(ev monitor.Event) {
		got = append(got, fmt.Sprintf("%s:%v:%v", ev.EventID, ev.IsLogin(), ev.IsEnvelopeSent()))
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(srv.Seen()) != 2 {
		t.Fatalf("%d pages, %d calls; want 2: the short second page ends the stream", n, len(srv.Seen()))
	}
	want := []string{"1:true:false", "2:false:true", "3:false:false"} // a failed login is no activity
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

func TestStreamErrorsAreDecoded(t *testing.T) {
	srv := apitest.New(t, "/api/v2.0/datasets/monitor/stream", func(_ apitest.Call, w http.ResponseWriter) {
		apitest.WriteJSON(w, 403, `{"error":"forbidden","error_description":"Organization does not have Monitor entitlement"}`)
	})
	client := monitor.New(apitest.Transport(), apitest.StaticTokens{}, srv.URL)
	_, err := client.Stream(context.Background(), "", 0)
	if err == nil || err.Error() == "" {
		t.Fatal("want an error")
	}
	if got := err.Error(); !strings.Contains(got, "403") || !strings.Contains(got, "Monitor entitlement") {
		t.Fatalf("error %q", got)
	}
}
