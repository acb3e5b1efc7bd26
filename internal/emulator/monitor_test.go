// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

const outsiderID = "70000099-0000-4000-8000-000000000099"

// monitorServer is the demo organization with Monitor on and opensam.example claimed. Alex logged
// in 2 days ago, Jamie 6 and Priya 10; Alex sent an envelope 3 days ago; a contractor outside the
// claimed domain logged in an hour ago, which Monitor does not track.
func monitorServer(t *testing.T) (*Server, map[string]time.Time) {
	t.Helper()
	srv := start(t, Options{})
	now := time.Now().UTC().Truncate(time.Second)
	day := 24 * time.Hour
	logins := map[string]time.Time{
		srv.mustUser(t, "alex.leaver@opensam.example").ID:  now.Add(-2 * day),
		srv.mustUser(t, "jamie.leaver@opensam.example").ID: now.Add(-6 * day),
		srv.mustUser(t, "priya.shah@opensam.example").ID:   now.Add(-10 * day),
	}
	for id, at := range logins {
		if err := srv.SetLastLogin(id, sales, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.SetMonitor(orgID, true, "OpenSam.example"); err != nil {
		t.Fatal(err)
	}
	extra := &Fixture{
		Users: []User{{ID: outsiderID, Email: "contractor@elsewhere.example", UserName: "Contractor",
			Memberships: []Membership{{AccountID: sales, Status: "Active", LastLogin: now.Add(-time.Hour).Format(time.RFC3339)}}}},
		Envelopes: []Envelope{{AccountID: sales, SenderUserID: srv.mustUser(t, "alex.leaver@opensam.example").ID, SentAt: now.Add(-3 * day)}},
	}
	if err := srv.MergeFixture(extra); err != nil {
		t.Fatal(err)
	}
	return srv, logins
}

func streamPage(t *testing.T, srv *Server, tok string, q url.Values) (int, map[string]any) {
	t.Helper()
	status, _, body := doCall(t, tok, "GET", srv.MonitorBaseURL+"/api/v2.0/datasets/monitor/stream?"+q.Encode(), "")
	return status, body
}

func eventsOf(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, raw := range jsonAt[[]any](t, body, "data") {
		out = append(out, jsonAt[map[string]any](t, raw))
	}
	return out
}

func TestMonitorStreamDefaultWindowAndFields(t *testing.T) {
	srv, logins := monitorServer(t)
	tok := accessToken(t, srv)
	status, body := streamPage(t, srv, tok, url.Values{})
	if status != 200 {
		t.Fatalf("stream: %d %v", status, body)
	}
	weekAgo := time.Now().Add(-7*24*time.Hour - time.Minute)
	seenLogins := map[string]bool{}
	sentByAlex := false
	alex := srv.mustUser(t, "alex.leaver@opensam.example").ID
	for _, ev := range eventsOf(t, body) {
		for _, field := range []string{"timestamp", "eventId", "accountId", "organizationId", "userId", "object", "action", "result", "ipAddress", "data"} {
			if _, ok := ev[field]; !ok {
				t.Errorf("event lacks %s: %v", field, ev)
			}
		}
		at, err := time.Parse(time.RFC3339Nano, jsonAt[string](t, ev, "timestamp"))
		if err != nil || at.Before(weekAgo) {
			t.Errorf("event at %v (%v) is outside the default seven days back", ev["timestamp"], err)
		}
		user := jsonAt[string](t, ev, "userId")
		switch {
		case ev["object"] == MonitorObjectUser && ev["action"] == MonitorActionLogin:
			seenLogins[user] = true
			if want, ok := logins[user]; ok && !want.Equal(at) {
				t.Errorf("login event of %s at %v, want the last login %v", user, at, want)
			}
		case ev["object"] == MonitorObjectEnvelope && ev["action"] == MonitorActionSent:
			sentByAlex = sentByAlex || (user == alex && time.Since(at) > 71*time.Hour && time.Since(at) < 73*time.Hour)
		}
		if user == outsiderID {
			t.Errorf("Monitor reported a user outside the claimed domains: %v", ev)
		}
	}
	// Alex (2 days) and Jamie (6 days) are inside the week; Priya (10 days) is not.
	for id, at := range logins {
		if inside := time.Since(at) < 7*24*time.Hour; seenLogins[id] != inside {
			t.Errorf("login of %s %v ago: in the default window = %v, want %v", id, time.Since(at).Round(time.Hour), seenLogins[id], inside)
		}
	}
	if !sentByAlex {
		t.Error("the envelope Alex sent 3 days ago is not in the stream")
	}
}

func TestMonitorStreamCursorPagingAndLimit(t *testing.T) {
	srv, _ := monitorServer(t)
	tok := accessToken(t, srv)
	from := time.Now().UTC().Add(-30 * 24 * time.Hour).Format(time.RFC3339)
	status, all := streamPage(t, srv, tok, url.Values{"cursor": {from}})
	if status != 200 {
		t.Fatalf("stream: %d %v", status, all)
	}
	want := eventsOf(t, all)
	if len(want) < 4 { // three logins and the envelope, plus whatever the fixture sent this month
		t.Fatalf("%d events in 30 days, want at least 4", len(want))
	}
	var got []map[string]any
	cursor, pages := from, 0
	for {
		status, page := streamPage(t, srv, tok, url.Values{"cursor": {cursor}, "limit": {"1"}})
		if status != 200 {
			t.Fatalf("page %d: %d %v", pages, status, page)
		}
		events := eventsOf(t, page)
		if len(events) > 1 {
			t.Fatalf("limit=1 returned %d events", len(events))
		}
		got = append(got, events...)
		pages++
		next := jsonAt[string](t, page, "endCursor")
		if len(events) == 0 {
			if next != cursor {
				t.Fatalf("at the end endCursor = %q, want the cursor sent %q", next, cursor)
			}
			break
		}
		if next == cursor || pages > len(want)+2 {
			t.Fatalf("cursor did not move: %q after %d pages", next, pages)
		}
		cursor = next
	}
	if len(got) != len(want) {
		t.Fatalf("paging by one gave %d events, one page gave %d", len(got), len(want))
	}
	for i := range got {
		if got[i]["eventId"] != want[i]["eventId"] {
			t.Fatalf("event %d: %v, want %v (oldest first, no repeats)", i, got[i]["eventId"], want[i]["eventId"])
		}
		if i > 0 && jsonAt[string](t, got[i], "timestamp") < jsonAt[string](t, got[i-1], "timestamp") {
			t.Fatalf("events out of order at %d", i)
		}
	}
	for _, q := range []url.Values{{"limit": {"0"}}, {"limit": {"x"}}, {"cursor": {"not-a-cursor"}}} {
		if status, body := streamPage(t, srv, tok, q); status != 400 {
			t.Errorf("%v: %d %v, want 400", q, status, body)
		}
	}
}

func TestMonitorStreamNeedsScopeAdminAndAddOn(t *testing.T) {
	srv, _ := monitorServer(t)
	a := goodAssertion(t, srv)
	a.scope = "signature organization_read user_read"
	// The stream's security asks for impersonation; a JWT grant without it earns no token at all.
	if status, body := grant(t, srv, a); status != 400 || body["error"] != "consent_required" {
		t.Fatalf("grant without impersonation: %d %v", status, body)
	}
	a = goodAssertion(t, srv)
	a.sub = notAdmin
	_, body := grant(t, srv, a)
	if status, res := streamPage(t, srv, jsonAt[string](t, body, "access_token"), url.Values{}); status != 403 {
		t.Fatalf("not an organization administrator: %d %v", status, res)
	}
	if err := srv.SetMonitor(orgID, false); err != nil {
		t.Fatal(err)
	}
	if status, res := streamPage(t, srv, accessToken(t, srv), url.Values{}); status != 403 ||
		!strings.Contains(jsonAt[string](t, res, "error_description"), "Monitor entitlement") {
		t.Fatalf("without the add-on: %d %v", status, res)
	}
}

func TestESignUserRecordsCarryLastLogin(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	alex := srv.mustUser(t, "alex.leaver@opensam.example")
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	if err := srv.SetLastLogin(alex.ID, sales, at); err != nil {
		t.Fatal(err)
	}
	es := srv.URL + "/restapi/v2.1/accounts/" + sales
	_, _, one := doCall(t, tok, "GET", es+"/users/"+alex.ID, "")
	if one["lastLogin"] != "2026-05-04T03:02:01.0000000Z" {
		t.Fatalf("GET …/users/{id} lastLogin = %v", one["lastLogin"])
	}
	find := func(q string) map[string]any {
		_, _, list := doCall(t, tok, "GET", es+"/users?"+q, "")
		for _, raw := range jsonAt[[]any](t, list, "users") {
			if u := jsonAt[map[string]any](t, raw); u["userId"] == alex.ID {
				return u
			}
		}
		t.Fatalf("alex not in the list %s", q)
		return nil
	}
	if _, ok := find("count=100")["lastLogin"]; ok {
		t.Error("the list without additional_info=true returned lastLogin; DocuSign returns full records only with it")
	}
	if find("count=100&additional_info=true")["lastLogin"] != "2026-05-04T03:02:01.0000000Z" {
		t.Error("the list with additional_info=true lacks lastLogin")
	}
	never := srv.mustUser(t, "test.user1@opensam.example")
	if _, _, rec := doCall(t, tok, "GET", es+"/users/"+never.ID, ""); rec["lastLogin"] != nil {
		t.Errorf("a user who never logged in has lastLogin %v", rec["lastLogin"])
	}
}
