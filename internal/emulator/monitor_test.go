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

// spelledAs reports whether the event's {object, action} is one of spellings.
func spelledAs(ev map[string]any, spellings [][2]string) bool {
	for _, p := range spellings {
		if ev["object"] == p[0] && ev["action"] == p[1] {
			return true
		}
	}
	return false
}

func TestMonitorStreamDefaultWindowAndFields(t *testing.T) {
	srv, logins := monitorServer(t)
	srv.SetBehaviour(Behaviour{MonitorFullPages: true, MonitorLoginSentActions: true})
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
		case spelledAs(ev, loginSpellings):
			seenLogins[user] = true
			if want, ok := logins[user]; ok && !want.Equal(at) {
				t.Errorf("login event of %s at %v, want the last login %v", user, at, want)
			}
		case spelledAs(ev, sentSpellings):
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

// By default the stream spells logins and sends with names no published source gives.
func TestMonitorStreamRenamesActionsByDefault(t *testing.T) {
	srv, _ := monitorServer(t)
	status, body := streamPage(t, srv, accessToken(t, srv), url.Values{"cursor": {time.Now().AddDate(0, 0, -30).UTC().Format(time.RFC3339)}})
	events := eventsOf(t, body)
	if status != 200 || len(events) == 0 {
		t.Fatalf("stream: %d %v", status, body)
	}
	for _, ev := range events {
		if spelledAs(ev, loginSpellings) || spelledAs(ev, sentSpellings) ||
			!spelledAs(ev, [][2]string{{MonitorRenamedLoginObject, MonitorRenamedLoginAction}, {MonitorRenamedSentObject, MonitorRenamedSentAction}}) {
			t.Errorf("default spelling %v/%v", ev["object"], ev["action"])
		}
	}
}

// By default a page never crosses a UTC day: pages come back shorter than limit while more
// remain, and only the repeated endCursor says the stream has ended.
func TestMonitorStreamShortPagesByDefault(t *testing.T) {
	srv, _ := monitorServer(t)
	tok := accessToken(t, srv)
	from := time.Now().UTC().Add(-30 * 24 * time.Hour).Format(time.RFC3339)
	srv.SetBehaviour(Behaviour{MonitorFullPages: true})
	_, all := streamPage(t, srv, tok, url.Values{"cursor": {from}, "limit": {"2000"}})
	want := eventsOf(t, all)
	srv.SetBehaviour(Behaviour{})
	var got []map[string]any
	cursor, pages, short := from, 0, 0
	for pages < 100 {
		status, page := streamPage(t, srv, tok, url.Values{"cursor": {cursor}, "limit": {"2000"}})
		if status != 200 {
			t.Fatalf("page %d: %d %v", pages, status, page)
		}
		pages++
		events := eventsOf(t, page)
		got = append(got, events...)
		next := jsonAt[string](t, page, "endCursor")
		if next == cursor {
			break
		}
		if len(events) < 2000 {
			short++
		}
		cursor = next
	}
	if len(got) != len(want) || short < 2 {
		t.Fatalf("%d events over %d pages (%d short before the end); one full page held %d", len(got), pages, short, len(want))
	}
}

// The stream covers the organization that owns the integration key; under
// monitor_all_admin_orgs, every organization the caller administers.
func TestMonitorStreamCoversTheKeysOrganization(t *testing.T) {
	srv, _ := monitorServer(t)
	northwind := "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f"
	if err := srv.MergeFixture(&Fixture{Organizations: []Organization{{ID: northwind, AdminUserIDs: []string{adminUser}, Monitor: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetIntegrationKeyOrganization(ik, northwind); err != nil {
		t.Fatal(err)
	}
	tok := accessToken(t, srv)
	from := url.Values{"cursor": {time.Now().AddDate(0, 0, -30).UTC().Format(time.RFC3339)}, "limit": {"2000"}}
	orgsOf := func() map[string]int {
		status, body := streamPage(t, srv, tok, from)
		if status != 200 {
			t.Fatalf("stream: %d %v", status, body)
		}
		out := map[string]int{}
		for _, ev := range eventsOf(t, body) {
			out[jsonAt[string](t, ev, "organizationId")]++
		}
		return out
	}
	srv.SetBehaviour(Behaviour{MonitorFullPages: true})
	if got := orgsOf(); got[orgID] != 0 {
		t.Errorf("a key Northwind owns streamed the demo organization's events: %v", got)
	}
	srv.SetBehaviour(Behaviour{MonitorFullPages: true, MonitorAllAdminOrgs: true})
	if got := orgsOf(); got[orgID] == 0 {
		t.Errorf("monitor_all_admin_orgs: %v, want the demo organization's events", got)
	}
}

func TestMonitorStreamCursorPagingAndLimit(t *testing.T) {
	srv, _ := monitorServer(t)
	srv.SetBehaviour(Behaviour{MonitorFullPages: true})
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
	// lastLogin is documented on the single-user read only: by default the list never has it.
	if _, ok := find("count=100&additional_info=true")["lastLogin"]; ok {
		t.Error("the list carries lastLogin by default")
	}
	srv.SetBehaviour(Behaviour{UsersListLastLogin: true})
	if find("count=100&additional_info=true")["lastLogin"] != "2026-05-04T03:02:01.0000000Z" {
		t.Error("users_list_last_login: the list with additional_info=true lacks lastLogin")
	}
	never := srv.mustUser(t, "test.user1@opensam.example")
	if _, _, rec := doCall(t, tok, "GET", es+"/users/"+never.ID, ""); rec["lastLogin"] != nil {
		t.Errorf("a user who never logged in has lastLogin %v", rec["lastLogin"])
	}
}

// lastLogin is per membership by default; under last_login_per_user every membership of a person
// reports the person's latest login.
func TestLastLoginPerUser(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	morgan := "70000003-0000-4000-8000-000000000003"
	accounts := []string{sales, legal} // Morgan holds a seat in both
	old, recent := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)
	if err := srv.SetLastLogin(morgan, accounts[0], old); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetLastLogin(morgan, accounts[1], recent); err != nil {
		t.Fatal(err)
	}
	read := func() any {
		_, _, rec := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+accounts[0]+"/users/"+morgan+"?additional_info=true", "")
		return rec["lastLogin"]
	}
	if got := read(); got != old.Format(esTime) {
		t.Errorf("per membership: %v, want %v", got, old.Format(esTime))
	}
	srv.SetBehaviour(Behaviour{LastLoginPerUser: true})
	if got := read(); got != recent.Format(esTime) {
		t.Errorf("last_login_per_user: %v, want %v", got, recent.Format(esTime))
	}
}

// The envelope search honours the documented order=desc: the newest send first.
func TestEnvelopeSearchOrderDesc(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	priya := srv.mustUser(t, "priya.shah@opensam.example").ID
	base := srv.URL + "/restapi/v2.1/accounts/" + sales + "/envelopes?from_date=2025-01-01&from_to_status=sent&user_id=" + priya
	first := func(extra string) string {
		_, _, page := doCall(t, tok, "GET", base+extra, "")
		envs := jsonAt[[]any](t, page, "envelopes")
		if len(envs) < 1 {
			t.Fatalf("no envelopes: %v", page)
		}
		return jsonAt[string](t, jsonAt[map[string]any](t, envs[0]), "sentDateTime")
	}
	asc, desc := first("&count=1"), first("&count=1&order_by=sent&order=desc")
	if desc <= asc {
		t.Fatalf("order=desc gave %s first, the default order %s", desc, asc)
	}
}
