// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"testing"
)

func profileIDs(t *testing.T, tok, es string) map[string]string {
	t.Helper()
	status, _, out := doCall(t, tok, "GET", es+"/permission_profiles", "")
	if status != 200 {
		t.Fatalf("permission_profiles: %d %v", status, out)
	}
	ids := map[string]string{}
	for _, p := range jsonAt[[]any](t, out, "permissionProfiles") {
		pm := jsonAt[map[string]any](t, p)
		ids[jsonAt[string](t, pm, "permissionProfileName")] = jsonAt[string](t, pm, "permissionProfileId")
	}
	return ids
}

func TestPermissionProfilesDifferPerAccount(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	salesES := srv.URL + "/restapi/v2.1/accounts/" + sales
	salesIDs := profileIDs(t, tok, salesES)
	legalIDs := profileIDs(t, tok, srv.URL+"/restapi/v2.1/accounts/"+legal)
	for _, p := range builtInProfiles {
		name := p.current
		if salesIDs[name] == "" || salesIDs[name] == legalIDs[name] {
			t.Fatalf("profile %q: sales %q, legal %q; want an ID in each, different per account", name, salesIDs[name], legalIDs[name])
		}
	}
	if salesIDs["DS Viewer"] == "2301416" {
		t.Fatal("the Viewer profile has the spec's example ID; IDs must be the account's own")
	}
	// Another account's ID is unknown here; the account's own ID works.
	body := `{"newUsers":[{"userName":"Vee Viewer","email":"vee@opensam.example","permissionProfileId":"` + legalIDs["DS Viewer"] + `"}]}`
	if _, _, out := doCall(t, tok, "POST", salesES+"/users", body); errorCodeOf(out) != "INVALID_PERMISSION_PROFILE_ID" {
		t.Fatalf("create with another account's profile ID: %v", out)
	}
	body = `{"newUsers":[{"userName":"Vee Viewer","email":"vee@opensam.example","permissionProfileId":"` + salesIDs["DS Viewer"] + `"}]}`
	_, _, out := doCall(t, tok, "POST", salesES+"/users", body)
	created := jsonAt[map[string]any](t, out, "newUsers", 0)
	if created["permissionProfileName"] != "DS Viewer" || created["permissionProfileId"] != salesIDs["DS Viewer"] {
		t.Fatalf("create with the account's Viewer ID: %v", created)
	}
	// DocuSign fills first and last name from userName when they are left out.
	_, _, info := doCall(t, tok, "GET", salesES+"/users/"+jsonAt[string](t, created, "userId"), "")
	if info["firstName"] != "Vee" || info["lastName"] != "Viewer" {
		t.Fatalf("names of a user created without them: %v", info)
	}
}

func errorCodeOf(out map[string]any) string {
	users, _ := out["newUsers"].([]any)
	if len(users) == 0 {
		return ""
	}
	first, _ := users[0].(map[string]any)
	details, _ := first["errorDetails"].(map[string]any)
	code, _ := details["errorCode"].(string)
	return code
}

func TestBulkUpdateUsersAndExistingPersonKeepsCreatedDate(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	salesES := srv.URL + "/restapi/v2.1/accounts/" + sales
	srv.SetBehaviour(Behaviour{UsersSelfOnly: true})
	body := `{"users":[{"userId":"` + leaver + `","lastName":"Left","permissionProfileName":"ds viewer"},{"userId":"` + unknownUser + `"}]}`
	status, _, out := doCall(t, tok, "PUT", salesES+"/users", body)
	if status != 200 {
		t.Fatalf("bulk update under users_self_only: %d %v", status, out)
	}
	users := jsonAt[[]any](t, out, "users")
	first, second := jsonAt[map[string]any](t, users, 0), jsonAt[map[string]any](t, users, 1)
	if first["lastName"] != "Left" || first["permissionProfileName"] != "DS Viewer" || first["errorDetails"] != nil {
		t.Fatalf("updated user: %v", first)
	}
	if jsonAt[map[string]any](t, second, "errorDetails")["errorCode"] != "USER_DOES_NOT_EXIST_IN_SYSTEM" {
		t.Fatalf("unknown user: %v", second)
	}
	// Omar exists in Legal only; adding him to Sales reuses his user, created long ago.
	body = `{"newUsers":[{"userName":"Omar Haddad","email":"omar.haddad@opensam.example"}]}`
	_, _, out = doCall(t, tok, "POST", salesES+"/users", body)
	created := jsonAt[map[string]any](t, out, "newUsers", 0)
	if created["userId"] != "70000013-0000-4000-8000-000000000013" || jsonAt[string](t, created, "createdDateTime") >= "2026" {
		t.Fatalf("adding an existing person: %v", created)
	}
}

func TestFailNext(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	if err := srv.FailNext("GET /no/such/route", 1, 503); err == nil {
		t.Fatal("FailNext accepted an unknown route")
	}
	if err := srv.FailNext("GET /restapi/v2.1/accounts/{accountId}/users", 1, http.StatusServiceUnavailable); err != nil {
		t.Fatal(err)
	}
	list := srv.URL + "/restapi/v2.1/accounts/" + sales + "/users?count=1"
	if status, _, _ := doCall(t, tok, "GET", list, ""); status != 503 {
		t.Fatalf("first call: %d, want the injected 503", status)
	}
	if status, _, _ := doCall(t, tok, "GET", list, ""); status != 200 {
		t.Fatalf("second call: %d, want 200 once the fault is spent", status)
	}
}

// Current accounts name the built-in profiles "DS Admin", "DS Sender" and "DS Viewer";
// legacy_profile_names shows older accounts' names instead. Each profile keeps its ID under both,
// every route shows the names in force, and a name of the other naming is unknown.
func TestLegacyProfileNames(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	salesES := srv.URL + "/restapi/v2.1/accounts/" + sales
	alex := srv.mustUser(t, "alex.leaver@opensam.example")
	current := profileIDs(t, tok, salesES)
	for _, p := range builtInProfiles {
		if current[p.current] == "" || current[p.legacy] != "" {
			t.Fatalf("default naming lists %v; want %q and not %q", current, p.current, p.legacy)
		}
	}
	update := func(name string) (int, map[string]any) {
		status, _, out := doCall(t, tok, "PUT", salesES+"/users/"+alex.ID, `{"permissionProfileName":"`+name+`"}`)
		return status, out
	}
	if status, out := update("DocuSign Viewer"); status != 400 || out["errorCode"] != "INVALID_PERMISSION_PROFILE_NAME" {
		t.Fatalf("a legacy name under the current naming: %d %v", status, out)
	}
	if status, out := update("DS Viewer"); status != 200 || out["permissionProfileName"] != "DS Viewer" {
		t.Fatalf("the current name: %d %v", status, out)
	}

	srv.SetBehaviour(Behaviour{LegacyProfileNames: true})
	legacy := profileIDs(t, tok, salesES)
	for _, p := range builtInProfiles {
		if legacy[p.legacy] != current[p.current] || legacy[p.current] != "" {
			t.Fatalf("legacy naming lists %v; want %q with the ID %s of %q", legacy, p.legacy, current[p.current], p.current)
		}
	}
	_, _, info := doCall(t, tok, "GET", salesES+"/users/"+alex.ID, "")
	if info["permissionProfileName"] != "DocuSign Viewer" || info["permissionProfileId"] != current["DS Viewer"] {
		t.Fatalf("user read under legacy names: %v", info)
	}
	if status, out := update("DS Sender"); status != 400 || out["errorCode"] != "INVALID_PERMISSION_PROFILE_NAME" {
		t.Fatalf("a current name under the legacy naming: %d %v", status, out)
	}
	_, _, profile := doCall(t, tok, "GET", srv.AdminBaseURL+"/v2/organizations/"+orgID+"/users/profile?email=alex.leaver%40opensam.example", "")
	for _, m := range jsonAt[[]any](t, profile, "users", 0, "memberships") {
		mm := jsonAt[map[string]any](t, m)
		if mm["account_id"] == sales && jsonAt[string](t, mm, "permission_profile", "name") != "DocuSign Viewer" {
			t.Fatalf("Admin profile under legacy names: %v", mm)
		}
	}
	if name, _ := srv.PermissionProfileName(alex.ID, sales); name != "DocuSign Viewer" {
		t.Fatalf("PermissionProfileName = %q", name)
	}
	// The close import's PermissionSet must be a name the account shows.
	jamie := srv.mustUser(t, "jamie.leaver@opensam.example")
	imports := srv.AdminBaseURL + "/v2/organizations/" + orgID + "/imports/bulk_users"
	status, created := uploadCSV(t, tok, imports+"/close", "file.csv", "AccountID,FirstName,LastName,UserEmail,PermissionSet\n"+
		sales+",Alex,Leaver,"+alex.Email+",DS Viewer\n"+sales+",Jamie,Leaver,"+jamie.Email+",DocuSign Sender\n")
	if status != 200 {
		t.Fatalf("import: %d %v", status, created)
	}
	done, _ := waitJob(t, tok, imports+"/"+jsonAt[string](t, created, "id"))
	rollups := jsonAt[[]any](t, done, "user_level_error_rollups")
	if jsonAt[float64](t, done, "closed_user_count") != 1 || len(rollups) != 1 ||
		jsonAt[string](t, rollups[0], "error_type") != "invalid_permissionset" {
		t.Fatalf("import under legacy names: %v", done)
	}
}
