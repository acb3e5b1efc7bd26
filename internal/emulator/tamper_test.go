// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"testing"
)

func TestTamperRewritesCloseAnswers(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	second := "70000002-0000-4000-8000-000000000002"
	closeURL := srv.URL + "/restapi/v2.1/accounts/" + sales + "/users"
	body := `{"users":[{"userId":"` + leaver + `"},{"userId":"` + second + `"}]}`

	var got []Tamper
	controlJSON(t, "PUT", srv.URL+"/_emulator/tamper", []Tamper{{
		Route: "DELETE /restapi/v2.1/accounts/{accountId}/users", UserStatus: map[string]string{leaver: "Active"},
		DropUsers: []string{second}, Times: 1,
	}}, &got)
	if len(got) != 1 {
		t.Fatalf("tampers in force: %+v", got)
	}
	status, _, out := doCall(t, tok, "DELETE", closeURL, body)
	users, _ := out["users"].([]any)
	if status != 200 || len(users) != 1 || jsonAt[map[string]any](t, users, 0)["userStatus"] != "Active" {
		t.Fatalf("tampered answer: %d %v", status, out)
	}
	// Only the answer was rewritten: the emulator really closed both.
	for _, id := range []string{leaver, second} {
		if u, _ := srv.User(id); membershipStatus(u, sales) != "Closed" {
			t.Fatalf("%s is %s", id, membershipStatus(u, sales))
		}
	}
	if len(srv.Tampers()) != 0 {
		t.Fatalf("a tamper with times=1 is still in force: %+v", srv.Tampers())
	}
	_, _, out = doCall(t, tok, "DELETE", closeURL, body)
	if users, _ := out["users"].([]any); len(users) != 2 {
		t.Fatalf("untampered answer: %v", out)
	}
}

func TestTamperErrorBodyAndSkipWork(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	if err := srv.SetTampers(Tamper{Route: "GET /restapi/v2.1/accounts/{accountId}", Body: []byte(`{"errorCode":"ACCOUNT_LACKS_PERMISSIONS","message":"no"}`)}); err != nil {
		t.Fatal(err)
	}
	status, _, out := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales, "")
	if status != 200 || out["errorCode"] != "ACCOUNT_LACKS_PERMISSIONS" {
		t.Fatalf("error body under 200: %d %v", status, out)
	}

	third := "70000003-0000-4000-8000-000000000003"
	if err := srv.SetTampers(Tamper{Route: "DELETE /restapi/v2.1/accounts/{accountId}/users", SkipWork: true,
		Body: []byte(`{"users":[{"userId":"` + third + `","userStatus":"Closed"}]}`)}); err != nil {
		t.Fatal(err)
	}
	status, _, _ = doCall(t, tok, "DELETE", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users", `{"users":[{"userId":"`+third+`"}]}`)
	if u, _ := srv.User(third); status != 200 || membershipStatus(u, sales) == "Closed" {
		t.Fatalf("skip_work still closed the user: %d %+v", status, u)
	}

	for _, bad := range []string{`[{"route":"GET /nowhere"}]`, `[{"route":"GET /oauth/userinfo","skip_work":true}]`, `{"route":1}`} {
		resp, err := http.DefaultClient.Do(mustRequest(t, "PUT", srv.URL+"/_emulator/tamper", []byte(bad)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("PUT %s: status %d, want 400", bad, resp.StatusCode)
		}
	}
	resp, err := http.DefaultClient.Do(mustRequest(t, "DELETE", srv.URL+"/_emulator/tamper", nil))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(srv.Tampers()) != 0 {
		t.Fatalf("DELETE left tampers: %+v", srv.Tampers())
	}
}
