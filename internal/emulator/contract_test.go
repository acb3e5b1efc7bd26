// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/contract"
)

// TestRoutesMatchDocuSignOpenAPI drives every emulator route through the contract recorder: each
// path, method, query parameter and JSON field must be one DocuSign's OpenAPI files declare.
func TestRoutesMatchDocuSignOpenAPI(t *testing.T) {
	spec, err := contract.Load(contract.DefaultDir())
	if err != nil {
		t.Fatalf("loading DocuSign's OpenAPI files: %v", err)
	}
	rec := contract.NewRecorder(spec)
	f, err := LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := StartWithHandler(f, Options{}, rec.Wrap)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tok := accessToken(t, srv)
	es := srv.URL + "/restapi/v2.1/accounts/" + sales
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	alex := srv.mustUser(t, "alex.leaver@opensam.example")
	jamie := srv.mustUser(t, "jamie.leaver@opensam.example")
	period := url.Values{"from_date": {time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)},
		"to_date": {time.Now().UTC().Format(time.RFC3339)}, "from_to_status": {"sent"}, "count": {"2"}}
	steps := []struct{ method, target, body string }{
		{"GET", srv.OAuthBaseURL + "/oauth/userinfo", ""},
		{"GET", es, ""},
		{"GET", es + "/users?count=2&start_position=1&status=Active,Closed", ""},
		{"GET", es + "/users?email=" + url.QueryEscape(alex.Email), ""},
		{"GET", es + "/users?count=100&additional_info=true", ""},
		{"GET", es + "/users/" + alex.ID, ""},
		{"PUT", es + "/users/" + alex.ID, `{"userName":"Alex Leaver","permissionProfileName":"DS Sender"}`},
		{"PUT", es + "/users", `{"users":[{"userId":"` + alex.ID + `","firstName":"Alex"},{"userId":"00000000-0000-4000-8000-000000000000"}]}`},
		{"GET", es + "/permission_profiles", ""},
		{"POST", es + "/users", `{"newUsers":[{"userName":"New Hire","email":"new.hire@opensam.example","permissionProfileId":"2301415"},{"userName":"Alex","email":"` + alex.Email + `"}]}`},
		{"DELETE", es + "/users", `{"users":[{"userId":"` + alex.ID + `"},{"userId":"00000000-0000-4000-8000-000000000000"}]}`},
		{"GET", es + "/billing_plan", ""},
		{"GET", es + "/billing_charges?include_charges=envelopes,seats", ""},
		{"GET", es + "/envelopes?" + period.Encode(), ""},
		{"GET", srv.AdminBaseURL + "/v2/organizations?mode=org_admin", ""},
		{"GET", org + "/users?account_id=" + sales + "&start=2&take=3&include_license=true", ""},
		{"GET", org + "/users/profile?email=" + url.QueryEscape(jamie.Email), ""},
		{"GET", srv.AdminBaseURL + "/v2.1/organizations/" + orgID + "/users/dsprofile?email=" + url.QueryEscape(jamie.Email), ""},
		{"GET", srv.AdminBaseURL + "/v2.1/organizations/" + orgID + "/users/" + jamie.ID + "/dsprofile", ""},
		{"DELETE", org + "/users/" + jamie.ID + "/accounts", `{"accounts":[{"id":"` + legal + `"}]}`},
		{"GET", org + "/planItems", ""},
		{"GET", srv.MonitorBaseURL + "/api/v2.0/datasets/monitor/stream?limit=2&cursor=2026-01-01T00:00:00Z", ""},
	}
	if err := srv.SetMonitor(orgID, true, "opensam.example"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetLastLogin(alex.ID, sales, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if status, _, body := doCall(t, tok, s.method, s.target, s.body); status >= 300 {
			t.Fatalf("%s %s: %d %v", s.method, s.target, status, body)
		}
	}
	// Error answers must use a status the operation declares (or one the API answers anywhere)
	// and the API's own error body.
	errorSteps := []struct {
		method, target, body string
		status               int
	}{
		{"GET", es + "/users/00000000-0000-4000-8000-000000000000", "", 400},
		{"GET", es + "/users?status=Gone", "", 400},
		{"PUT", es + "/users/" + alex.ID, `{"permissionProfileId":"2301415"}`, 400},
		{"GET", org + "/users", "", 400},
		{"GET", srv.AdminBaseURL + "/v2.1/organizations/" + orgID + "/users/00000000-0000-4000-8000-000000000000/dsprofile", "", 404},
		{"GET", srv.AdminBaseURL + "/v2/organizations/00000000-0000-4000-8000-000000000000/planItems", "", 404},
	}
	for _, s := range errorSteps {
		if status, _, body := doCall(t, tok, s.method, s.target, s.body); status != s.status {
			t.Errorf("%s %s: %d %v, want %d", s.method, s.target, status, body, s.status)
		}
	}
	view, _ := srv.User(jamie.ID)
	for _, m := range view.Memberships {
		if m.AccountID == legal {
			if status, _, body := doCall(t, tok, "POST", org+"/users/"+jamie.ID+"/memberships/"+m.MembershipID, `{"site_id":1}`); status != 200 {
				t.Fatalf("activate: %d %v", status, body)
			}
		}
	}
	// The bulk jobs: an export polled to completion and downloaded, a close import (multipart)
	// polled to completion with its results CSV, and the listings and deletion.
	_, _, export := doCall(t, tok, "POST", org+"/exports/user_list", `{"type":"organization_memberships_export","accounts":[{"account_id":"`+legal+`"}]}`)
	done, _ := waitJob(t, tok, org+"/exports/user_list/"+jsonAt[string](t, export, "id"))
	if code, _ := getRawCSV(t, tok, jsonAt[string](t, done, "results", 0, "url")); code != 200 {
		t.Fatalf("export download: %d", code)
	}
	status, imp := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv",
		"AccountID,FirstName,LastName,UserEmail,PermissionSet\n"+sales+",Alex,Leaver,"+alex.Email+",DS Sender\n")
	if status != 200 {
		t.Fatalf("close import: %d %v", status, imp)
	}
	waitJob(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, imp, "id"))
	for _, target := range []string{org + "/imports/bulk_users/" + jsonAt[string](t, imp, "id") + "/results_csv", org + "/imports/bulk_users", org + "/exports/user_list"} {
		if code, text := getRawCSV(t, tok, target); code != 200 {
			t.Fatalf("GET %s: %d %s", target, code, text)
		}
	}
	if status, _, body := doCall(t, tok, "DELETE", org+"/exports/user_list/"+jsonAt[string](t, export, "id"), ""); status != 200 {
		t.Fatalf("delete export: %d %v", status, body)
	}
	if status, _, body := doCall(t, tok, "DELETE", org+"/imports/bulk_users/"+jsonAt[string](t, imp, "id"), ""); status != 200 {
		t.Fatalf("delete import: %d %v", status, body)
	}
	for _, v := range rec.Violations() {
		t.Errorf("contract violation: %s", v)
	}
	exercised := rec.Exercised()
	for _, rt := range RouteTemplates() {
		if strings.HasPrefix(rt, "POST /oauth") || strings.HasPrefix(rt, "GET /oauth") || strings.HasPrefix(rt, "GET /_downloads/") {
			continue
		}
		// A route fixed to one version of a templated spec path (Monitor's /api/v{version}/…)
		// is exercised under the spec's template.
		method, path, _ := strings.Cut(rt, " ")
		if op, ok := spec.Match(method, path); ok {
			rt = op.Key()
		}
		if !slices.Contains(exercised, rt) {
			t.Errorf("route %s is not in DocuSign's OpenAPI files or was not exercised (exercised: %v)", rt, exercised)
		}
	}
	if t.Failed() {
		return
	}
	// Sanity: the recorder does catch a route DocuSign does not have.
	doCall(t, tok, "DELETE", es+"/users/"+alex.ID, "")
	if len(rec.Violations()) == 0 {
		t.Fatal("the recorder missed DELETE …/users/{userId}, which DocuSign does not have")
	}
	// …and a multipart part the spec does not declare.
	uploadCSV(t, tok, org+"/imports/bulk_users/close", "upload", "AccountID\n")
	found := false
	for _, v := range rec.Violations() {
		found = found || strings.Contains(v.String(), `form part "upload" is not declared`)
	}
	if !found {
		t.Fatalf("the recorder missed an undeclared multipart part: %v", rec.Violations())
	}
	_ = http.MethodGet
}

// Each emulator route demands the scope DocuSign's spec lists for the operation.
func TestRouteScopesMatchDocuSignOpenAPI(t *testing.T) {
	spec, err := contract.Load(contract.DefaultDir())
	if err != nil {
		t.Fatalf("loading DocuSign's OpenAPI files: %v", err)
	}
	for _, rt := range routes() {
		if rt.api != apiAdmin {
			continue // eSignature's spec lists no per-operation scopes; every route needs signature
		}
		path := strings.NewReplacer("{organizationId}", "o", "{userId}", "u", "{membershipId}", "m").Replace(rt.pattern)
		op, ok := spec.Match(rt.method, path)
		if !ok {
			t.Errorf("%s %s is not in the spec", rt.method, rt.pattern)
			continue
		}
		if !slices.Contains(op.Scopes, rt.scope) {
			t.Errorf("%s %s demands %q; the spec lists %v", rt.method, rt.pattern, rt.scope, op.Scopes)
		}
	}
}
