// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

const (
	leaver      = "70000001-0000-4000-8000-000000000001"
	closedUser  = "70000007-0000-4000-8000-000000000007"
	unknownUser = "00000000-0000-4000-8000-0000000000ff"
)

func TestBehaviourControlRoutesAndFixture(t *testing.T) {
	srv := start(t, Options{})
	var got Behaviour
	controlJSON(t, "GET", srv.URL+"/_emulator/behaviour", nil, &got)
	if got != (Behaviour{}) {
		t.Fatalf("default behaviour = %+v, want every switch off", got)
	}
	controlJSON(t, "PUT", srv.URL+"/_emulator/behaviour", StrictBehaviour(), &got)
	controlJSON(t, "GET", srv.URL+"/_emulator/behaviour", nil, &got)
	if got != StrictBehaviour() {
		t.Fatalf("after PUT: %+v", got)
	}
	resp, err := http.DefaultClient.Do(mustRequest(t, "PUT", srv.URL+"/_emulator/behaviour", []byte(`{"no_such_switch":true}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("unknown switch: status %d, want 400", resp.StatusCode)
	}

	f, err := ParseFixture([]byte(`{"behaviour":{"plan_items_object":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Behaviour() != (Behaviour{PlanItemsObject: true}) {
		t.Fatalf("fixture behaviour = %+v", e.Behaviour())
	}
}

func TestBehaviourBatchCloseAllOrNothing(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	body := `{"users":[{"userId":"` + leaver + `"},{"userId":"` + unknownUser + `"}]}`

	srv.SetBehaviour(Behaviour{BatchCloseAllOrNothing: true})
	status, _, out := doCall(t, tok, "DELETE", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users", body)
	if status != 400 || out["errorCode"] != "USER_DOES_NOT_EXIST_IN_SYSTEM" {
		t.Fatalf("strict batch with an unknown user: %d %v", status, out)
	}
	if u, _ := srv.User(leaver); membershipStatus(u, sales) != "Active" {
		t.Fatalf("strict batch closed a user although the call failed: %+v", u)
	}

	srv.SetBehaviour(Behaviour{})
	status, _, out = doCall(t, tok, "DELETE", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users", body)
	if status != 200 {
		t.Fatalf("lenient batch: %d %v", status, out)
	}
	if u, _ := srv.User(leaver); membershipStatus(u, sales) != "Closed" {
		t.Fatalf("lenient batch did not close the valid user: %+v", u)
	}
}

func TestBehaviourUsersListHidesClosed(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	list := func(query string) map[string]bool {
		status, _, out := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users?count=100"+query, "")
		if status != 200 {
			t.Fatalf("list %s: %d %v", query, status, out)
		}
		ids := map[string]bool{}
		for _, u := range jsonAt[[]any](t, out, "users") {
			ids[jsonAt[string](t, u, "userId")] = true
		}
		return ids
	}
	if !list("")[closedUser] {
		t.Fatal("lenient: the unfiltered list leaves out the closed user")
	}
	srv.SetBehaviour(Behaviour{UsersListHidesClosed: true})
	if list("")[closedUser] {
		t.Fatal("strict: the unfiltered list shows a closed user")
	}
	if list("&email=casey.closed@opensam.example")[closedUser] {
		t.Fatal("strict: an email lookup without status shows a closed user")
	}
	if !list("&status=Closed")[closedUser] {
		t.Fatal("strict: status=Closed must still list closed users")
	}
}

func TestBehaviourProfileEmailRecentOnly(t *testing.T) {
	srv := start(t, Options{})
	old := time.Now().Add(-30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	if err := srv.MergeFixture(&Fixture{Users: []User{{
		ID: "70000099-0000-4000-8000-000000000099", Email: "old.timer@opensam.example", UserName: "Old Timer", Created: old,
		Memberships: []Membership{{AccountID: sales, Status: "Active", Created: old}},
	}}}); err != nil {
		t.Fatal(err)
	}
	tok := accessToken(t, srv)
	lookup := func(route, email string) int {
		status, _, out := doCall(t, tok, "GET", srv.AdminBaseURL+route+"?email="+email, "")
		if status != 200 {
			t.Fatalf("%s: %d %v", route, status, out)
		}
		return len(jsonAt[[]any](t, out, "users"))
	}
	const v2 = "/v2/organizations/" + orgID + "/users/profile"
	const v21 = "/v2.1/organizations/" + orgID + "/users/dsprofile"
	srv.SetBehaviour(Behaviour{ProfileEmailRecentOnly: true})
	if n := lookup(v2, "priya.shah@opensam.example"); n != 1 {
		t.Fatalf("strict v2: a user loaded just now is recent: got %d profiles", n)
	}
	if n := lookup(v2, "old.timer@opensam.example"); n != 0 {
		t.Fatalf("strict v2 lookup found a user last modified 30 days ago (%d profiles)", n)
	}
	if n := lookup(v21, "old.timer@opensam.example"); n != 1 {
		t.Fatalf("the v2.1 dsprofile lookup carries no recency limit: got %d profiles", n)
	}
	srv.SetBehaviour(Behaviour{})
	if n := lookup(v2, "old.timer@opensam.example"); n != 1 {
		t.Fatalf("lenient v2 lookup: got %d profiles", n)
	}
}

func TestBehaviourUsersSelfOnly(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	srv.SetBehaviour(Behaviour{UsersSelfOnly: true})
	status, _, out := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users/"+leaver, "")
	if status != 400 || out["errorCode"] != "USER_LACKS_PERMISSIONS" {
		t.Fatalf("strict GET of another user: %d %v", status, out)
	}
	status, _, out = doCall(t, tok, "PUT", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users/"+leaver, `{"firstName":"X"}`)
	if status != 400 || out["errorCode"] != "USER_LACKS_PERMISSIONS" {
		t.Fatalf("strict PUT of another user: %d %v", status, out)
	}
	status, _, out = doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users/"+adminUser, "")
	if status != 200 || out["userId"] != adminUser {
		t.Fatalf("strict GET of the caller's own record: %d %v", status, out)
	}
	srv.SetBehaviour(Behaviour{})
	if status, _, out = doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users/"+leaver, ""); status != 200 {
		t.Fatalf("lenient GET of another user: %d %v", status, out)
	}
}

func TestBehaviourPlanItemsObject(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	get := func() []byte {
		req := mustRequest(t, "GET", srv.AdminBaseURL+"/v2/organizations/"+orgID+"/planItems", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return bytes.TrimSpace(buf.Bytes())
	}
	if body := get(); body[0] != '[' {
		t.Fatalf("lenient planItems is not an array: %s", body)
	}
	srv.SetBehaviour(Behaviour{PlanItemsObject: true})
	body := get()
	var item map[string]any
	if err := json.Unmarshal(body, &item); err != nil || item["plan_id"] == nil {
		t.Fatalf("strict planItems is not one plan object: %s (%v)", body, err)
	}
}

//nolint:unparam // every test so far reads the sales account; naming it at each call keeps the check readable
func membershipStatus(u UserView, accountID string) string {
	for _, m := range u.Memberships {
		if m.AccountID == accountID {
			return m.Status
		}
	}
	return ""
}

func mustRequest(t *testing.T, method, target string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func controlJSON(t *testing.T, method, target string, in, out any) {
	t.Helper()
	var body []byte
	if in != nil {
		body, _ = json.Marshal(in)
	}
	resp, err := http.DefaultClient.Do(mustRequest(t, method, target, body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: status %d", method, target, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}
