// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package contract

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// misspeltStartPosition is a query parameter DocuSign does not declare: a caller's typo of
// start_position, which the checker must report rather than pass.
const misspeltStartPosition = "start_positon" //nolint:misspell // the typo is the test's input

var (
	specOnce sync.Once
	spec     *Spec
	specErr  error
)

func loadSpec(t *testing.T) *Spec {
	t.Helper()
	specOnce.Do(func() {
		start := time.Now()
		spec, specErr = Load(DefaultDir())
		t.Logf("Load(%s) took %v", DefaultDir(), time.Since(start))
	})
	if specErr != nil {
		t.Fatalf("Load: %v", specErr)
	}
	return spec
}

func mustMatch(t *testing.T, s *Spec, method, path string) *Operation {
	t.Helper()
	op, ok := s.Match(method, path)
	if !ok {
		t.Fatalf("Match(%s %s): no operation", method, path)
	}
	return op
}

func TestLoad(t *testing.T) {
	s := loadSpec(t)
	for _, api := range []string{APIESignature, APIAdmin, APIMonitor} {
		if n := len(s.Operations(api)); n == 0 {
			t.Errorf("no %s operations", api)
		} else {
			t.Logf("%s: %d operations", api, n)
		}
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("Load of an empty dir succeeded")
	}
}

func TestMatch(t *testing.T) {
	s := loadSpec(t)
	cases := []struct{ method, path, want string }{
		{"GET", "/restapi/v2.1/accounts/abc/users", "/restapi/v2.1/accounts/{accountId}/users"},
		{"DELETE", "/restapi/v2.1/accounts/abc/users", "/restapi/v2.1/accounts/{accountId}/users"},
		{"GET", "/restapi/v2.1/accounts/abc/users/u1", "/restapi/v2.1/accounts/{accountId}/users/{userId}"},
		{"GET", "/restapi/v2.1/accounts/abc", "/restapi/v2.1/accounts/{accountId}"},
		{"GET", "/Management/v2/organizations/o1/users", "/Management/v2/organizations/{organizationId}/users"},
		{"GET", "/management/v2/organizations/o1/users", "/Management/v2/organizations/{organizationId}/users"},
		{"GET", "/Management/v2/organizations/o1/planItems", "/Management/v2/organizations/{organizationId}/planItems"},
		{"POST", "/Management/v2/organizations/o1/users/u/memberships/m", "/Management/v2/organizations/{organizationId}/users/{userId}/memberships/{membershipId}"},
		{"DELETE", "/Management/v2/organizations/o1/users/u/accounts", "/Management/v2/organizations/{organizationId}/users/{userId}/accounts"},
		{"GET", "/Management/v2.1/organizations/o/users/u/dsprofile", "/Management/v2.1/organizations/{organizationId}/users/{userId}/dsprofile"},
		{"GET", "/Management/v2.1/organizations/o/users/dsprofile", "/Management/v2.1/organizations/{organizationId}/users/dsprofile"},
		{"GET", "/Management/v2/organizations/o/users/profile", "/Management/v2/organizations/{organizationId}/users/profile"},
		{"GET", "/Management/v2/organizations", "/Management/v2/organizations"},
		{"GET", "/restapi/v2.1/accounts/a/envelopes", "/restapi/v2.1/accounts/{accountId}/envelopes"},
		{"GET", "/restapi/v2.1/accounts/a/billing_plan", "/restapi/v2.1/accounts/{accountId}/billing_plan"},
		{"GET", "/restapi/v2.1/accounts/a/billing_charges", "/restapi/v2.1/accounts/{accountId}/billing_charges"},
		{"GET", "/api/v2.0/datasets/monitor/stream", "/api/v{version}/datasets/{dataSetName}/stream"},
	}
	for _, c := range cases {
		op := mustMatch(t, s, c.method, c.path)
		if op.PathTemplate != c.want || op.Method != c.method {
			t.Errorf("Match(%s %s) = %s, want %s %s", c.method, c.path, op.Key(), c.method, c.want)
		}
	}

	// DocuSign has no DELETE on a single eSignature user: closing goes through
	// DELETE /users with a userInfoList body. The path itself declares only GET and PUT.
	if op, ok := s.Match("DELETE", "/restapi/v2.1/accounts/a/users/u"); ok {
		t.Errorf("Match(DELETE .../users/u) = %s, want no match", op.Key())
	}
	tmpl, methods := s.PathMethods("/restapi/v2.1/accounts/a/users/u")
	t.Logf("spec for %s: %v", tmpl, methods)
	if strings.Join(methods, ",") != "GET,PUT" {
		t.Errorf("PathMethods(.../users/u) = %v, want [GET PUT]", methods)
	}
	for _, p := range []string{"/restapi/v2.1/Accounts/a/users", "/restapi/v2.1/accounts/a/users/", "/restapi/v2.1/accounts//users", "/oauth/token"} {
		if op, ok := s.Match("GET", p); ok {
			t.Errorf("Match(GET %s) = %s, want no match", p, op.Key())
		}
	}
}

func TestCheckQuery(t *testing.T) {
	s := loadSpec(t)
	op := mustMatch(t, s, "GET", "/restapi/v2.1/accounts/a/users")
	ok := url.Values{"start_position": {"0"}, "count": {"100"}, "email": {"a@example.com"}, "status": {"Active"}}
	if vs := s.CheckQuery(op, ok); len(vs) != 0 {
		t.Errorf("CheckQuery(valid) = %v", vs)
	}
	vs := s.CheckQuery(op, url.Values{misspeltStartPosition: {"0"}, "count": {"1"}})
	if len(vs) != 1 || vs[0].Where != WhereQuery || !strings.Contains(vs[0].Detail, misspeltStartPosition) {
		t.Fatalf("CheckQuery(typo) = %v", vs)
	}
	t.Log(vs[0])

	admin := mustMatch(t, s, "GET", "/Management/v2/organizations/o/users")
	t.Logf("Admin list users query parameters: %v", admin.QueryParams)
	if vs := s.CheckQuery(admin, url.Values{"email": {"x"}, "account_id": {"a"}, "take": {"1"}, "start": {"0"}}); len(vs) != 0 {
		t.Errorf("CheckQuery(admin valid) = %v", vs)
	}
	if vs := s.CheckQuery(admin, url.Values{"count": {"1"}}); len(vs) != 1 {
		t.Errorf("CheckQuery(admin count) = %v, want 1 violation", vs)
	}
}

func TestCheckRequestBody(t *testing.T) {
	s := loadSpec(t)
	op := mustMatch(t, s, "DELETE", "/restapi/v2.1/accounts/a/users")
	t.Logf("DELETE users body: param %q, definition %q, query %v", op.BodyParam, op.BodyRef, op.QueryParams)
	if op.BodyRef != "userInfoList" {
		t.Errorf("DELETE users body definition = %q, want userInfoList", op.BodyRef)
	}
	if vs := s.CheckRequestBody(op, []byte(`{"users":[{"userId":"x"}]}`)); len(vs) != 0 {
		t.Errorf("CheckRequestBody(valid) = %v", vs)
	}
	vs := s.CheckRequestBody(op, []byte(`{"users":[{"userID":"x"}]}`))
	if len(vs) != 1 || vs[0].Where != WhereRequestBody || !strings.Contains(vs[0].Detail, "users[].userID") {
		t.Fatalf("CheckRequestBody(userID) = %v", vs)
	}
	t.Log(vs[0])
	if vs := s.CheckRequestBody(op, nil); len(vs) != 0 {
		t.Errorf("CheckRequestBody(empty) = %v", vs)
	}
	if vs := s.CheckRequestBody(op, []byte(`{"users":`)); len(vs) != 1 {
		t.Errorf("CheckRequestBody(bad JSON) = %v, want 1 violation", vs)
	}

	// Admin: real numbers.
	act := mustMatch(t, s, "POST", "/Management/v2/organizations/o/users/u/memberships/m")
	if vs := s.CheckRequestBody(act, []byte(`{"site_id":1}`)); len(vs) != 0 {
		t.Errorf("activate membership = %v", vs)
	}
	if vs := s.CheckRequestBody(act, []byte(`{"site_id":"1"}`)); len(vs) != 1 {
		t.Errorf("activate membership with string site_id = %v, want 1 violation", vs)
	}
}

func TestCheckResponse(t *testing.T) {
	s := loadSpec(t)
	op := mustMatch(t, s, "GET", "/restapi/v2.1/accounts/a/users")
	good := `{"users":[{"userId":"u1","userName":"Ann","email":"a@example.com","userStatus":"Active",
		"isAdmin":"False","permissionProfileName":"DocuSign Sender","uri":"/users/u1"}],
		"resultSetSize":"1","totalSetSize":"1","startPosition":"0","endPosition":"0"}`
	if vs := s.CheckResponse(op, 200, []byte(good)); len(vs) != 0 {
		t.Errorf("CheckResponse(good) = %v", vs)
	}
	bad := `{"users":[{"userId":"u1","bogusField":true}],"resultSetSize":"1"}`
	vs := s.CheckResponse(op, 200, []byte(bad))
	if len(vs) != 1 || !strings.Contains(vs[0].Detail, "users[].bogusField") {
		t.Fatalf("CheckResponse(bad) = %v", vs)
	}
	t.Log(vs[0])
	// eSignature scalars are strings: a JSON number is a type violation (unless IgnoreTypes).
	if vs := s.CheckResponse(op, 200, []byte(`{"resultSetSize":1}`)); len(vs) != 1 {
		t.Errorf("CheckResponse(numeric resultSetSize) = %v, want 1 violation", vs)
	}
	if vs := s.CheckResponse(op, 400, []byte(`{"whatever":1}`)); len(vs) != 0 {
		t.Errorf("CheckResponse(400) = %v, want none", vs)
	}

	// Admin planItems: a top-level array.
	plan := mustMatch(t, s, "GET", "/Management/v2/organizations/o/planItems")
	t.Logf("planItems 200 element definition: %s", plan.ResponseRef(200))
	if vs := s.CheckResponse(plan, 200, []byte(`[{"plan_id":"p","plan_name":"Business","subscription_id":"s","associated_accounts_count":2}]`)); len(vs) != 0 {
		t.Errorf("planItems good = %v", vs)
	}
	if vs := s.CheckResponse(plan, 200, []byte(`[{"plan_id":"p","planName":"x"}]`)); len(vs) != 1 {
		t.Errorf("planItems bad = %v, want 1 violation", vs)
	}
	// The reference page draws planItems as one object: that form is checked as one element.
	if vs := s.CheckResponse(plan, 200, []byte(`{"plan_id":"p","plan_name":"Business"}`)); len(vs) != 0 {
		t.Errorf("planItems as one object = %v", vs)
	}
	if vs := s.CheckResponse(plan, 200, []byte(`{"plan_id":"p","planName":"x"}`)); len(vs) != 1 {
		t.Errorf("planItems as one bad object = %v, want 1 violation", vs)
	}
	// Other arrays stay arrays.
	orgs := mustMatch(t, s, "GET", "/Management/v2/organizations/o/users")
	if vs := s.CheckResponse(orgs, 200, []byte(`{"users":[{"id":"u","membership_closed_on":null}]}`)); len(vs) != 1 || !strings.Contains(vs[0].Detail, "null") {
		t.Errorf("Admin null date = %v, want 1 violation", vs)
	}

	// Account information declares billingPeriodEnvelopesSent.
	acct := mustMatch(t, s, "GET", "/restapi/v2.1/accounts/a")
	if vs := s.CheckResponse(acct, 200, []byte(`{"accountIdGuid":"g","billingPeriodEnvelopesSent":"3","planName":"x"}`)); len(vs) != 0 {
		t.Errorf("account = %v", vs)
	}

	// POST users declares 201, not 200.
	create := mustMatch(t, s, "POST", "/restapi/v2.1/accounts/a/users")
	if vs := s.CheckResponse(create, 201, []byte(`{"newUsers":[{"userId":"u"}]}`)); len(vs) != 0 {
		t.Errorf("create 201 = %v", vs)
	}
	if vs := s.CheckResponse(create, 200, []byte(`{"newUsers":[{"userId":"u"}]}`)); len(vs) != 1 {
		t.Errorf("create 200 = %v, want 1 status violation", vs)
	}
}

func TestCheckError(t *testing.T) {
	s := loadSpec(t)
	users := mustMatch(t, s, "GET", "/restapi/v2.1/accounts/a/users")
	orgUsers := mustMatch(t, s, "GET", "/Management/v2/organizations/o/users")
	for _, tc := range []struct {
		name   string
		op     *Operation
		status int
		body   string
		want   []string // substrings, one per violation
	}{
		{"eSignature 400", users, 400, `{"errorCode":"INVALID_USER_STATUS","message":"Invalid user status"}`, nil},
		{"eSignature 401 on any route", users, 401, `{"errorCode":"USER_AUTHENTICATION_FAILED","message":"x"}`, nil},
		{"eSignature rate limit 429", users, 429, `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"x"}`, nil},
		{"eSignature undeclared 404", users, 404, `{"errorCode":"NOT_FOUND","message":"x"}`, []string{"error status 404"}},
		{"eSignature in Admin shape", users, 400, `{"error":"invalid_request","error_description":"x"}`, []string{"no errorCode", `undeclared field "error"`, `undeclared field "error_description"`}},
		{"eSignature not JSON", users, 500, `<html>oops</html>`, []string{"not a JSON object"}},
		{"Admin 403", orgUsers, 403, `{"error":"unauthorized","error_description":"Not Authorized"}`, nil},
		{"Admin sub-account shape", orgUsers, 400, `{"error":"invalid_organization","errorDescription":"x","isSystemError":false}`, nil},
		{"Admin rate limit in eSignature shape", orgUsers, 400, `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"x"}`,
			[]string{"no error string", `"errorCode" is not part`, `"message" is not part`}},
		{"Admin 409", orgUsers, 409, `{"error":"conflict"}`, []string{"error status 409"}},
		{"success is not an error", users, 200, `{}`, nil},
	} {
		vs := s.CheckError(tc.op, tc.status, []byte(tc.body))
		if len(vs) != len(tc.want) {
			t.Errorf("%s: violations %v, want %d", tc.name, vs, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(vs[i].Detail, w) {
				t.Errorf("%s: violation %d = %q, want it to mention %q", tc.name, i, vs[i].Detail, w)
			}
		}
	}
}

func TestRecorder(t *testing.T) {
	s := loadSpec(t)
	rec := NewRecorder(s)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /restapi/v2.1/accounts/{accountId}/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Test", "kept")
		_, _ = io.WriteString(w, `{"users":[{"userId":"u1","shoeSize":"42"}],"resultSetSize":"1"}`)
	})
	mux.HandleFunc("DELETE /restapi/v2.1/accounts/{accountId}/users", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(b), "userID") {
			t.Errorf("handler got body %q, want the original", b)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"users":[{"userId":"x","userStatus":"closed"}]}`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	})
	srv := httptest.NewServer(rec.Wrap(mux))
	defer srv.Close()

	do := func(method, path, body string) *http.Response {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := do("GET", "/restapi/v2.1/accounts/a/users?count=10&"+misspeltStartPosition+"=0", "")
			if resp.Header.Get("X-Test") != "kept" {
				t.Errorf("header not passed through")
			}
		}()
	}
	wg.Wait()
	do("DELETE", "/restapi/v2.1/accounts/a/users", `{"users":[{"userID":"x"}]}`)
	do("DELETE", "/restapi/v2.1/accounts/a/users/u1", "")
	do("POST", "/oauth/token", "grant_type=x")
	do("GET", "/_emulator/stats", "")

	vs := rec.Violations()
	for _, v := range vs {
		t.Log(v)
	}
	want := []string{
		`GET /restapi/v2.1/accounts/{accountId}/users: query: undeclared query parameter "` + misspeltStartPosition + `"`,
		`GET /restapi/v2.1/accounts/{accountId}/users: response body: undeclared field "users[].shoeSize"`,
		`DELETE /restapi/v2.1/accounts/{accountId}/users: request body: undeclared field "users[].userID"`,
		`DELETE /restapi/v2.1/accounts/a/users/u1: route:`,
	}
	if len(vs) != len(want) {
		t.Errorf("got %d violations, want %d", len(vs), len(want))
	}
	all := make([]string, len(vs))
	for i, v := range vs {
		all[i] = v.String()
	}
	joined := strings.Join(all, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("missing violation %q", w)
		}
	}
	ex := rec.Exercised()
	if strings.Join(ex, "|") != "DELETE /restapi/v2.1/accounts/{accountId}/users|GET /restapi/v2.1/accounts/{accountId}/users" {
		t.Errorf("Exercised = %v", ex)
	}
}

// TestSpecFacts logs facts from the specs that the emulator and client rely on.
func TestSpecFacts(t *testing.T) {
	s := loadSpec(t)
	acct := s.Definition(APIESignature, "accountInformation")
	if acct == nil || acct.Properties["billingPeriodEnvelopesSent"] == nil {
		t.Error("accountInformation lacks billingPeriodEnvelopesSent")
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/restapi/v2.1/accounts/a"},
		{"GET", "/restapi/v2.1/accounts/a/users"},
		{"POST", "/restapi/v2.1/accounts/a/users"},
		{"DELETE", "/restapi/v2.1/accounts/a/users"},
		{"GET", "/restapi/v2.1/accounts/a/users/u"},
		{"PUT", "/restapi/v2.1/accounts/a/users/u"},
		{"GET", "/restapi/v2.1/accounts/a/billing_plan"},
		{"GET", "/restapi/v2.1/accounts/a/billing_charges"},
		{"GET", "/restapi/v2.1/accounts/a/envelopes"},
		{"GET", "/Management/v2/organizations"},
		{"GET", "/Management/v2/organizations/o/users"},
		{"GET", "/Management/v2/organizations/o/users/profile"},
		{"GET", "/Management/v2.1/organizations/o/users/dsprofile"},
		{"GET", "/Management/v2.1/organizations/o/users/u/dsprofile"},
		{"DELETE", "/Management/v2/organizations/o/users/u/accounts"},
		{"POST", "/Management/v2/organizations/o/users/u/memberships/m"},
		{"GET", "/Management/v2/organizations/o/planItems"},
	} {
		op := mustMatch(t, s, c.method, c.path)
		t.Logf("%s [%s] query=%v body=%s responses=%v 200=%s", op.Key(), op.OperationID, op.QueryParams, op.BodyRef, op.DeclaredStatuses(), op.ResponseRef(200))
	}
}

func BenchmarkCheckResponse(b *testing.B) {
	s, err := Load(DefaultDir())
	if err != nil {
		b.Fatal(err)
	}
	op, _ := s.Match("GET", "/restapi/v2.1/accounts/a/users")
	body := []byte(`{"users":[{"userId":"u1","userName":"Ann","email":"a@example.com","userStatus":"Active","userSettings":{"locale":"en"}}],"resultSetSize":"1"}`)
	b.ResetTimer()
	for range b.N {
		s.CheckResponse(op, 200, body)
	}
}

// The scope the Admin client asks for per call is the one DocuSign's spec lists for it.
func TestAdminClientScopesMatchTheSpec(t *testing.T) {
	s := loadSpec(t)
	for _, c := range []struct{ method, path string }{
		{"GET", "/v2/organizations"},
		{"GET", "/v2/organizations/o/users"},
		{"GET", "/v2/organizations/o/users/profile"},
		{"GET", "/v2.1/organizations/o/users/dsprofile"},
		{"GET", "/v2.1/organizations/o/users/u/dsprofile"},
		{"GET", "/v2/organizations/o/planItems"},
		{"DELETE", "/v2/organizations/o/users/u/accounts"},
		{"POST", "/v2/organizations/o/users/u/memberships/m"},
		{"POST", "/v2/organizations/o/exports/user_list"},
		{"GET", "/v2/organizations/o/exports/user_list/e"},
		{"DELETE", "/v2/organizations/o/exports/user_list/e"},
		{"POST", "/v2/organizations/o/imports/bulk_users/close"},
		{"GET", "/v2/organizations/o/imports/bulk_users/i"},
		{"DELETE", "/v2/organizations/o/imports/bulk_users/i"},
	} {
		op := mustMatch(t, s, c.method, "/Management"+c.path)
		if got := admin.Scope(c.method, c.path); len(op.Scopes) != 1 || op.Scopes[0] != got {
			t.Errorf("%s %s: the client asks for %q, the spec lists %v", c.method, c.path, got, op.Scopes)
		}
	}
}
