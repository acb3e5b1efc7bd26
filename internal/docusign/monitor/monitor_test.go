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

// The stream is read from the given date and follows endCursor until it repeats the cursor sent,
// as DocuSign's example does: a page shorter than limit does not end it, because the stream may
// not honour limit.
func TestSinceFollowsEndCursorUntilItRepeats(t *testing.T) {
	pages := map[string]string{
		"2026-09-01T00:00:00Z": `{"endCursor":"c1","data":[{"eventId":"1","timestamp":"2026-09-02T10:00:00.0000000Z","userId":"u","accountId":"a","object":"User","action":"Login","result":"Success"},{"eventId":"2","timestamp":"2026-09-03T10:00:00Z","object":"Envelope","action":"Sent"}]}`,
		// Short (one event for limit 2) while more remain.
		"c1": `{"endCursor":"c2","data":[{"eventId":"3","timestamp":"2026-09-04T10:00:00Z","object":"User","action":"Login","result":"Failed"}]}`,
		"c2": `{"endCursor":"c3","data":[{"eventId":"4","timestamp":"2026-09-05T10:00:00Z","object":"user","action":"UserLogin"}]}`,
		"c3": `{"endCursor":"c3","data":[]}`,
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
	n, err := client.Since(context.Background(), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Time{}, 2, func(ev monitor.Event) {
		got = append(got, fmt.Sprintf("%s:%v:%v", ev.EventID, ev.IsLogin(), ev.IsEnvelopeSent()))
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 || len(srv.Seen()) != 4 {
		t.Fatalf("%d pages, %d calls; want 4: only the repeated endCursor ends the stream", n, len(srv.Seen()))
	}
	want := []string{"1:true:false", "2:false:true", "3:false:false", "4:true:false"} // a failed login is no activity
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

// A stream whose endCursor never repeats (a busy organization) ends at the first event stamped
// after the moment the read began.
func TestSinceStopsAtEventsAfterUntil(t *testing.T) {
	srv := apitest.New(t, "/api/v2.0/datasets/monitor/stream", func(c apitest.Call, w http.ResponseWriter) {
		switch c.Query.Get("cursor") {
		case "2026-09-01T00:00:00Z":
			apitest.WriteJSON(w, 200, `{"endCursor":"c1","data":[{"eventId":"1","timestamp":"2026-09-02T10:00:00Z","action":"Login"}]}`)
		default:
			apitest.WriteJSON(w, 200, `{"endCursor":"c-next","data":[{"eventId":"2","timestamp":"2026-09-09T10:00:00Z","action":"Login"}]}`)
		}
	})
	client := monitor.New(apitest.Transport(), apitest.StaticTokens{}, srv.URL)
	var got []string
	n, err := client.Since(context.Background(), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 5, 0, 0, 0, 0, time.UTC), 10,
		func(ev monitor.Event) { got = append(got, ev.EventID) })
	if err != nil || n != 2 || fmt.Sprint(got) != "[1]" {
		t.Fatalf("pages %d, events %v, err %v; want 2 pages and event 1 only", n, got, err)
	}
}

// Logins and sends are recognised whatever their case, spaces or underscores; other spellings are
// not activity.
func TestEventRecognitionIsTolerant(t *testing.T) {
	cases := []struct {
		object, action, result string
		login, sent            bool
	}{
		{"User", "Login", "Success", true, false},
		{"user", "UserLogin", "", true, false},
		{"", "login", "success", true, false},
		{"USER", "User Login", "", true, false},
		{"User", "user_logged_in", "", true, false},
		{"User", "Login", "Failed", false, false},
		{"User", "Login", "FAILURE", false, false},
		{"Envelope", "Sent", "", false, true},
		{"Envelope", "Envelope Sent", "", false, true},
		{"envelope", "envelope_sent", "", false, true},
		{"", "Sent", "", false, true},
		{"Account", "EnvelopeSent", "", false, true},
		{"Email", "Sent", "", false, false}, // a notification, not a send
		{"Session", "SessionStarted", "", false, false},
		{"Envelope", "Dispatched", "", false, false},
		{"User", "Logout", "", false, false},
	}
	for _, c := range cases {
		ev := monitor.Event{Object: c.object, Action: c.action, Result: c.result}
		if ev.IsLogin() != c.login || ev.IsEnvelopeSent() != c.sent || ev.Recognised() != (c.login || c.sent) {
			t.Errorf("%q/%q/%q: login %v sent %v; want %v %v", c.object, c.action, c.result, ev.IsLogin(), ev.IsEnvelopeSent(), c.login, c.sent)
		}
	}
	if at := (monitor.Event{Timestamp: "2026-09-02T10:00:00.1234567"}).Time(); at.IsZero() || at.Location() != time.UTC {
		t.Errorf("a zoneless stamp: %v", at)
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
