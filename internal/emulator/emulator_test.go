// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

const (
	ik        = demoorg.IntegrationKey
	unconsent = demoorg.UnconsentedKey
	kid       = demoorg.KeyPairID
	adminUser = demoorg.AdminUserID
	notAdmin  = demoorg.NotAdminUserID
	orgID     = demoorg.OrgID
	sales     = demoorg.SalesAccount
	legal     = demoorg.LegalAccount
	allScopes = demoorg.Scopes
)

var testdata = demoorg.Testdata

func loadKey(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile(testdata("keys", name))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func start(t testing.TB, opts Options) *Server {
	t.Helper()
	f, err := LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Start(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

type assertion struct {
	iss, sub, aud, scope, kid string
	key                       *rsa.PrivateKey
	iat, exp                  time.Time
	noExp, noIat              bool
}

func (a assertion) sign(t testing.TB) string {
	claims := jwt.MapClaims{"iss": a.iss, "sub": a.sub, "aud": a.aud, "scope": a.scope, "iat": a.iat.Unix()}
	if !a.noExp {
		claims["exp"] = a.exp.Unix()
	}
	if a.noIat {
		delete(claims, "iat")
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if a.kid != "" {
		tok.Header["kid"] = a.kid
	}
	s, err := tok.SignedString(a.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func goodAssertion(t testing.TB, srv *Server) assertion {
	now := time.Now()
	return assertion{iss: ik, sub: adminUser, aud: strings.TrimPrefix(srv.OAuthBaseURL, "http://"), scope: allScopes,
		kid: kid, key: loadKey(t, "rsa2048.pkcs1.key"), iat: now, exp: now.Add(time.Hour)}
}

func grant(t testing.TB, srv *Server, a assertion) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {jwtBearer}, "assertion": {a.sign(t)}}
	resp, err := http.PostForm(srv.OAuthBaseURL+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func accessToken(t testing.TB, srv *Server) string {
	t.Helper()
	status, body := grant(t, srv, goodAssertion(t, srv))
	if status != 200 {
		t.Fatalf("grant: %d %v", status, body)
	}
	return jsonAt[string](t, body, "access_token")
}

func doCall(t testing.TB, tok, method, target, body string) (int, http.Header, map[string]any) {
	t.Helper()
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, target, rdr)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 && data[0] == '{' {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
	}
	return resp.StatusCode, resp.Header, out
}

// jsonAt walks a decoded JSON document along path, a string step indexing an object and an int
// step an array, and returns the value there as T. A document of another shape fails the test
// with the path it broke at, where a bare type assertion would panic and take every other test
// in the package down with it.
func jsonAt[T any](t testing.TB, doc any, path ...any) T {
	t.Helper()
	at := doc
	for i, step := range path {
		switch step := step.(type) {
		case string:
			object, ok := at.(map[string]any)
			if !ok {
				t.Fatalf("JSON %s: %T is not an object", jsonPath(path[:i]), at)
			}
			at = object[step]
		case int:
			array, ok := at.([]any)
			if !ok || step >= len(array) {
				t.Fatalf("JSON %s: %T has no element %d", jsonPath(path[:i]), at, step)
			}
			at = array[step]
		default:
			t.Fatalf("jsonAt: path step %#v is neither a key nor an index", step)
		}
	}
	value, ok := at.(T)
	if !ok {
		t.Fatalf("JSON %s is %T (%v), want %T", jsonPath(path), at, at, value)
	}
	return value
}

// jsonPath writes a jsonAt path as a reader would, such as .users[0].errorDetails.
func jsonPath(path []any) string {
	var b strings.Builder
	for _, step := range path {
		if index, ok := step.(int); ok {
			fmt.Fprintf(&b, "[%d]", index)
		} else {
			fmt.Fprintf(&b, ".%v", step)
		}
	}
	if b.Len() == 0 {
		return "document"
	}
	return b.String()
}

func TestJWTGrantChecks(t *testing.T) {
	srv := start(t, Options{})
	unregistered := loadKey(t, "unregistered.pkcs1.key")
	cases := []struct {
		name      string
		edit      func(*assertion)
		wantError string
		wantDesc  string
	}{
		{"valid", func(*assertion) {}, "", ""},
		{"valid without kid", func(a *assertion) { a.kid = "" }, "", ""},
		{"unregistered key", func(a *assertion) { a.key = unregistered }, "invalid_grant", "no_valid_keys_or_signatures"},
		{"wrong kid", func(a *assertion) { a.kid = "00000000-0000-4000-8000-000000000000" }, "invalid_grant", "no_valid_keys_or_signatures"},
		{"unknown issuer", func(a *assertion) { a.iss = "11111111-2222-4333-8444-555555555555" }, "invalid_grant", "issuer_not_found"},
		{"unknown subject", func(a *assertion) { a.sub = "11111111-2222-4333-8444-555555555555" }, "invalid_grant", "user_not_found"},
		{"expired", func(a *assertion) { a.iat, a.exp = a.iat.Add(-2*time.Hour), a.iat.Add(-time.Hour) }, "invalid_grant", "expired_grant"},
		{"no exp", func(a *assertion) { a.noExp = true }, "invalid_grant", "no_valid_keys_or_signatures"},
		{"aud with scheme", func(a *assertion) { a.aud = "http://" + a.aud }, "invalid_grant", "no_valid_keys_or_signatures"},
		{"not consented", func(a *assertion) { a.iss = unconsent; a.kid = "" }, "consent_required", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := goodAssertion(t, srv)
			tc.edit(&a)
			status, body := grant(t, srv, a)
			if tc.wantError == "" {
				if status != 200 || body["token_type"] != "Bearer" || jsonAt[float64](t, body, "expires_in") != 3600 {
					t.Fatalf("got %d %v", status, body)
				}
				return
			}
			if status != 400 || body["error"] != tc.wantError || (tc.wantDesc != "" && body["error_description"] != tc.wantDesc) {
				t.Fatalf("got %d %v, want %s/%s", status, body, tc.wantError, tc.wantDesc)
			}
		})
	}
	if got := srv.Stats().TokenGrants; got != 2 {
		t.Errorf("token_grants = %d, want 2 (only the valid grants)", got)
	}
}

func TestTokenExpiresAndUserInfo(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	srv := start(t, Options{Now: clock, TokenTTL: time.Minute})
	tok := accessToken(t, srv)
	status, _, info := doCall(t, tok, "GET", srv.OAuthBaseURL+"/oauth/userinfo", "")
	if status != 200 || info["sub"] != adminUser {
		t.Fatalf("userinfo: %d %v", status, info)
	}
	accounts := jsonAt[[]any](t, info, "accounts")
	first := jsonAt[map[string]any](t, accounts, 0)
	if len(accounts) != 3 || first["is_default"] != true || first["base_uri"] != srv.URL || jsonAt[map[string]any](t, first, "organization")["organization_id"] != orgID {
		t.Fatalf("accounts: %v", accounts)
	}
	now = now.Add(2 * time.Minute)
	status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users", "")
	if status != 401 || body["errorCode"] != "USER_AUTHENTICATION_FAILED" {
		t.Fatalf("expired token: %d %v", status, body)
	}
}

func TestESignUsersPagingAndClose(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	base := srv.URL + "/restapi/v2.1/accounts/" + sales
	status, _, page := doCall(t, tok, "GET", base+"/users?count=3&start_position=0", "")
	if status != 200 || page["resultSetSize"] != "3" || page["startPosition"] != "0" || page["endPosition"] != "2" || page["nextUri"] == nil {
		t.Fatalf("first page: %d %v", status, page)
	}
	total := jsonAt[string](t, page, "totalSetSize")
	status, _, page = doCall(t, tok, "GET", base+"/users?count=100&start_position=3", "")
	if status != 200 || page["nextUri"] != nil || page["previousUri"] == nil || page["totalSetSize"] != total {
		t.Fatalf("last page: %d %v", status, page)
	}
	u := srv.mustUser(t, "alex.leaver@opensam.example")
	status, _, res := doCall(t, tok, "DELETE", base+"/users", `{"users":[{"userId":"`+u.ID+`"},{"userId":"00000000-0000-4000-8000-000000000000"}]}`)
	if status != 200 {
		t.Fatalf("close: %d %v", status, res)
	}
	users := jsonAt[[]any](t, res, "users")
	if jsonAt[map[string]any](t, users, 0)["userStatus"] != "Closed" || jsonAt[map[string]any](t, users, 1, "errorDetails")["errorCode"] != "USER_DOES_NOT_EXIST_IN_SYSTEM" {
		t.Fatalf("close answer: %v", users)
	}
	// Closing again succeeds and is not a second closure.
	doCall(t, tok, "DELETE", base+"/users", `{"users":[{"userId":"`+u.ID+`"}]}`)
	view, _ := srv.User(u.ID)
	for _, m := range view.Memberships {
		if m.AccountID == sales && (m.Status != "Closed" || m.Closures != 1) {
			t.Fatalf("membership after close: %+v", m)
		}
		if m.AccountID == legal && m.Status != "Active" {
			t.Fatalf("legal membership changed: %+v", m)
		}
	}
	status, _, body := doCall(t, tok, "DELETE", base+"/users/"+u.ID, "")
	if status != 404 {
		t.Fatalf("DELETE …/users/{id} is not a DocuSign route, got %d %v", status, body)
	}
	if got := srv.Stats().Requests["DELETE /restapi/v2.1/accounts/{accountId}/users"]; got != 2 {
		t.Errorf("stats DELETE users = %d, want 2", got)
	}
}

func (s *Server) mustUser(t testing.TB, email string) UserView {
	t.Helper()
	u, ok := s.UserByEmail(email)
	if !ok {
		t.Fatalf("no user %s", email)
	}
	return u
}

func TestCreateUserInlineErrors(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	base := srv.URL + "/restapi/v2.1/accounts/" + sales
	status, _, res := doCall(t, tok, "POST", base+"/users", `{"newUsers":[{"userName":"New Hire","email":"new.hire@opensam.example"},{"userName":"Alex","email":"alex.leaver@opensam.example"}]}`)
	if status != 201 {
		t.Fatalf("create: %d %v", status, res)
	}
	created := jsonAt[[]any](t, res, "newUsers")
	if jsonAt[map[string]any](t, created, 0)["userStatus"] != "ActivationSent" {
		t.Fatalf("new user: %v", created[0])
	}
	if jsonAt[map[string]any](t, created, 1, "errorDetails")["errorCode"] != "USER_ALREADY_EXISTS_IN_ACCOUNT" {
		t.Fatalf("existing user: %v", created[1])
	}
}

func TestAdminRoutes(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	status, _, body := doCall(t, tok, "GET", org+"/users?take=5", "")
	if status != 400 || body["error"] != "invalid_request" {
		t.Fatalf("users without a filter: %d %v", status, body)
	}
	status, _, body = doCall(t, tok, "GET", org+"/users?account_id="+sales+"&take=5", "")
	paging := jsonAt[map[string]any](t, body, "paging")
	if status != 200 || jsonAt[float64](t, paging, "result_set_size") != 5 || paging["next"] == nil {
		t.Fatalf("users page: %d %v", status, body)
	}
	row := jsonAt[map[string]any](t, body, "users", 0)
	if row["membership_status"] != "active" || row["plan_name"] != "eSignature Business Pro" || row["subscription_id"] != "SUB-2024-0147" {
		t.Fatalf("row: %v", row)
	}
	req, _ := http.NewRequest("GET", org+"/planItems", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&items)
	resp.Body.Close()
	if len(items) != 2 {
		t.Fatalf("plan items: %v", items)
	}

	jamie := srv.mustUser(t, "jamie.leaver@opensam.example")
	status, _, body = doCall(t, tok, "DELETE", org+"/users/"+jamie.ID+"/accounts", `{"accounts":[{"id":"`+legal+`"}]}`)
	if status != 200 || body["success"] != true {
		t.Fatalf("close memberships: %d %v", status, body)
	}
	var membershipID string
	view, _ := srv.User(jamie.ID)
	for _, m := range view.Memberships {
		if m.AccountID == legal {
			membershipID = m.MembershipID
			if m.Status != "Closed" {
				t.Fatalf("not closed: %+v", m)
			}
		}
	}
	status, _, body = doCall(t, tok, "POST", org+"/users/"+jamie.ID+"/memberships/"+membershipID, `{"site_id":1}`)
	if status != 200 {
		t.Fatalf("activate: %d %v", status, body)
	}
	view, _ = srv.User(jamie.ID)
	for _, m := range view.Memberships {
		if m.AccountID == legal && m.Status != "Active" {
			t.Fatalf("not reopened: %+v", m)
		}
	}
}

func TestAdminNeedsOrgAdminAndScope(t *testing.T) {
	srv := start(t, Options{})
	a := goodAssertion(t, srv)
	a.sub = notAdmin
	_, body := grant(t, srv, a)
	tok := jsonAt[string](t, body, "access_token")
	status, _, res := doCall(t, tok, "GET", srv.AdminBaseURL+"/v2/organizations/"+orgID+"/planItems", "")
	if status != 403 || res["error"] != "unauthorized" {
		t.Fatalf("non-admin: %d %v", status, res)
	}
	a = goodAssertion(t, srv)
	a.scope = "signature impersonation"
	_, body = grant(t, srv, a)
	tok = jsonAt[string](t, body, "access_token")
	status, _, res = doCall(t, tok, "GET", srv.AdminBaseURL+"/v2/organizations", "")
	if status != 403 || res["error"] != "insufficient_scope" || !strings.Contains(jsonAt[string](t, res, "error_description"), "organization_read") {
		t.Fatalf("missing scope: %d %v", status, res)
	}
}

func TestRateLimits(t *testing.T) {
	srv := start(t, Options{BurstLimit: 3, HourlyLimit: 1000})
	tok := accessToken(t, srv)
	target := srv.URL + "/restapi/v2.1/accounts/" + sales
	for i := range 3 {
		status, h, _ := doCall(t, tok, "GET", target, "")
		if status != 200 || h.Get("X-RateLimit-Limit") != "1000" || h.Get("X-BurstLimit-Limit") != "3" || h.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("call %d: %d %v", i, status, h)
		}
	}
	status, h, body := doCall(t, tok, "GET", target, "")
	if status != 400 || body["errorCode"] != "BURST_APIINVOCATION_LIMIT_EXCEEDED" || h.Get("X-BurstLimit-Remaining") != "0" {
		t.Fatalf("over the burst: %d %v %v", status, h, body)
	}
	// Limits are per account: another account still answers.
	status, _, _ = doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+legal, "")
	if status != 200 {
		t.Fatalf("other account throttled: %d", status)
	}
	if srv.Stats().Throttled != 1 {
		t.Fatalf("throttled = %d", srv.Stats().Throttled)
	}
}

func TestFaultsAndControlRoutes(t *testing.T) {
	srv := start(t, Options{Seed: 7})
	tok := accessToken(t, srv)
	put := func(body string) int {
		req, _ := http.NewRequest("PUT", srv.URL+"/_emulator/faults", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if put(`{"error_rate":2}`) != 400 || put(`{"bogus":1}`) != 400 {
		t.Fatal("bad fault documents must be refused")
	}
	if put(`{"throttle_rate":1}`) != 200 {
		t.Fatal("faults refused")
	}
	status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales, "")
	if (status != 429 && status != 400) || body["errorCode"] != "BURST_APIINVOCATION_LIMIT_EXCEEDED" {
		t.Fatalf("throttle fault: %d %v", status, body)
	}
	put(`{"error_rate":1}`)
	if status, _, _ = doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales, ""); status < 500 {
		t.Fatalf("error fault: %d", status)
	}
	put(`{"drop_rate":1,"drop_methods":["POST"]}`)
	req, _ := http.NewRequest("POST", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users", strings.NewReader(`{"newUsers":[{"userName":"Dropped","email":"dropped@opensam.example"}]}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped response arrived: %d", resp.StatusCode)
	}
	if _, ok := srv.UserByEmail("dropped@opensam.example"); !ok {
		t.Fatal("a dropped response must still have done the work")
	}
	put(`{}`)

	resp, err := http.Get(srv.URL + "/_emulator/stats")
	if err != nil {
		t.Fatal(err)
	}
	var stats Stats
	_ = json.NewDecoder(resp.Body).Decode(&stats)
	resp.Body.Close()
	if stats.InjectedFaults != 3 || stats.TokenGrants != 1 || stats.Requests["POST /restapi/v2.1/accounts/{accountId}/users"] != 1 {
		t.Fatalf("stats: %+v", stats)
	}

	alex := srv.mustUser(t, "alex.leaver@opensam.example")
	req, _ = http.NewRequest("PUT", srv.URL+"/_emulator/users/"+alex.ID+"/memberships/"+sales, strings.NewReader(`{"status":"Closed"}`))
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("out-of-band change: %v %v", err, resp)
	}
	resp.Body.Close()
	resp, _ = http.Get(srv.URL + "/_emulator/users/" + alex.ID)
	var view UserView
	_ = json.NewDecoder(resp.Body).Decode(&view)
	resp.Body.Close()
	if view.Memberships[0].Status != "Closed" {
		t.Fatalf("view: %+v", view)
	}

	resp, _ = http.Post(srv.URL+"/_emulator/fixture", "application/json", strings.NewReader(`{"envelopes":[{"account_id":"`+sales+`","sender_user_id":"`+alex.ID+`","sent_at":"2020-01-02T03:04:05Z"}]}`))
	resp.Body.Close()
	if resp.StatusCode != 204 || srv.EnvelopeCount(sales, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC)) != 1 {
		t.Fatalf("fixture merge: %d", resp.StatusCode)
	}
}

// The envelope search is per user: the caller sees the envelopes they sent or receive, user_id
// reads another member's, and nothing lists the whole account.
func TestEnvelopeSearchIsPerUser(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	tom := srv.mustUser(t, "tom.becker@opensam.example")
	priya := srv.mustUser(t, "priya.shah@opensam.example")
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// The admin sent one envelope to Priya, and receives one Tom sent.
	if err := srv.MergeFixture(&Fixture{Envelopes: []Envelope{
		{AccountID: sales, SenderUserID: adminUser, RecipientUserIDs: []string{priya.ID}, SentAt: from.Add(time.Hour)},
		{AccountID: sales, SenderUserID: tom.ID, RecipientUserIDs: []string{adminUser}, SentAt: from.Add(2 * time.Hour)},
	}}); err != nil {
		t.Fatal(err)
	}
	bySender := srv.EnvelopesBySender(sales, from, to)
	search := func(extra url.Values) (int, map[string]any) {
		q := url.Values{"from_date": {from.Format(time.RFC3339)}, "to_date": {to.Format(time.RFC3339)}, "from_to_status": {"sent"}, "count": {"1"}}
		for k, v := range extra {
			q[k] = v
		}
		status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/envelopes?"+q.Encode(), "")
		return status, body
	}
	for name, c := range map[string]struct {
		q    url.Values
		want int
	}{
		"the caller, sent or received": {nil, 2},
		"user_filter=sender":           {url.Values{"user_filter": {"sender"}}, 1},
		"user_filter=recipient":        {url.Values{"user_filter": {"recipient"}}, 1},
		"user_filter=recipient_only":   {url.Values{"user_filter": {"recipient_only"}}, 1},
		"user_id of a sender":          {url.Values{"user_id": {tom.ID}}, bySender[tom.ID]},
		"user_id of a closed sender":   {url.Values{"user_id": {demoorg.ClosedSenderID}}, bySender[demoorg.ClosedSenderID]},
		"user_id, received only":       {url.Values{"user_id": {priya.ID}, "user_filter": {"recipient_only"}}, 1},
	} {
		status, body := search(c.q)
		if status != 200 || body["totalSetSize"] != itoa(c.want) {
			t.Errorf("%s: %d %v, want totalSetSize %d", name, status, body, c.want)
		}
	}
	if bySender[tom.ID] < 2 || bySender[demoorg.ClosedSenderID] != 4 {
		t.Fatalf("fixture senders: %v", bySender)
	}
	total := srv.EnvelopeCount(sales, from, to)
	sum := 0
	for _, n := range bySender {
		sum += n
	}
	if _, body := search(nil); sum != total || body["totalSetSize"] == itoa(total) {
		t.Fatalf("the caller's search must not count the account's %d envelopes: %v", total, body)
	}
	status, body := search(url.Values{"user_id": {tom.ID}, "count": {"100"}})
	envs, _ := body["envelopes"].([]any)
	if status != 200 || len(envs) != bySender[tom.ID] || jsonAt[map[string]any](t, envs, 0, "sender")["userId"] != tom.ID {
		t.Errorf("listing Tom's envelopes: %d %v", status, body)
	}
	for name, q := range map[string]url.Values{
		"unknown user_id":         {"user_id": {"0e0e0e0e-1111-4222-8333-444444444444"}},
		"user of another account": {"user_id": {srv.mustUser(t, "diego.ruiz@opensam.example").ID}},
		"bad user_filter":         {"user_filter": {"everyone"}},
	} {
		if status, body := search(q); status != 400 {
			t.Errorf("%s: %d %v", name, status, body)
		}
	}
	if err := srv.MergeFixture(&Fixture{Envelopes: []Envelope{{AccountID: sales, SenderUserID: srv.mustUser(t, "diego.ruiz@opensam.example").ID, SentAt: from}}}); err == nil {
		t.Error("an envelope sent by a user with no membership in the account was accepted")
	}

	_, _, acct := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales, "")
	if acct["billingPeriodEnvelopesSent"] != itoa(srv.EnvelopeCount(sales, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), to)) ||
		acct["billingPeriodEnvelopesAllowed"] != "600" {
		t.Fatalf("account counters: %v", acct)
	}
	_, _, acct = doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+legal, "")
	if acct["billingPeriodEnvelopesAllowed"] != "unlimited" {
		t.Fatalf("legal: %v", acct)
	}
}

// A reseller account leaves billingPeriodEnvelopesAllowed out of its answer.
func TestResellerAllowanceNotReported(t *testing.T) {
	srv := start(t, Options{})
	reported := false
	if err := srv.MergeFixture(&Fixture{
		Organizations: []Organization{{ID: orgID, Accounts: []Account{{ID: "0dd0dd00-0000-4000-8000-000000000001", Name: "Resold",
			EnvelopesAllowed: 100, EnvelopesAllowedReported: &reported}}}},
		Users: []User{{ID: adminUser, Email: "admin@opensam.example", Memberships: []Membership{{AccountID: "0dd0dd00-0000-4000-8000-000000000001", Status: "Active", IsAdmin: true}}}},
	}); err != nil {
		t.Fatal(err)
	}
	tok := accessToken(t, srv)
	status, _, acct := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/0dd0dd00-0000-4000-8000-000000000001", "")
	if _, present := acct["billingPeriodEnvelopesAllowed"]; status != 200 || present || acct["billingPeriodEnvelopesSent"] != "0" {
		t.Fatalf("reseller account: %d %v", status, acct)
	}
}

// An organization administrator who is no member of an account administers it through the Admin
// API only: userinfo leaves it out and every eSignature call there is refused.
func TestAccountWithoutMembership(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	_, _, info := doCall(t, tok, "GET", srv.OAuthBaseURL+"/oauth/userinfo", "")
	for _, a := range jsonAt[[]any](t, info, "accounts") {
		if jsonAt[map[string]any](t, a)["account_id"] == demoorg.PartnersAccount {
			t.Fatalf("userinfo lists an account the user is no member of: %v", info)
		}
	}
	for _, path := range []string{"", "/users", "/billing_plan", "/envelopes?from_date=2026-01-01"} {
		status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+demoorg.PartnersAccount+path, "")
		if status != 400 || body["errorCode"] != "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT" {
			t.Errorf("GET …%s: %d %v", path, status, body)
		}
	}
	status, _, body := doCall(t, tok, "GET", srv.AdminBaseURL+"/v2/organizations/"+orgID+"/users?account_id="+demoorg.PartnersAccount, "")
	if users, _ := body["users"].([]any); status != 200 || len(users) != 2 {
		t.Errorf("Admin API users of the account: %d %v", status, body)
	}
}

// A membership in another organization's account shows in the profile as external.
func TestProfileMarksExternalMemberships(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	status, _, body := doCall(t, tok, "GET", srv.AdminBaseURL+"/v2.1/organizations/"+orgID+"/users/"+demoorg.ContractorUserID+"/dsprofile", "")
	if status != 200 {
		t.Fatalf("profile: %d %v", status, body)
	}
	external := map[string]bool{}
	for _, m := range jsonAt[[]any](t, body, "users", 0, "memberships") {
		mm := jsonAt[map[string]any](t, m)
		external[jsonAt[string](t, mm, "account_id")] = jsonAt[bool](t, mm, "is_external_account")
	}
	if len(external) != 2 || external[sales] || !external[demoorg.NorthwindAccount] {
		t.Fatalf("memberships: %v", external)
	}
	// The organization cannot close a membership outside it.
	status, _, body = doCall(t, tok, "DELETE", srv.AdminBaseURL+"/v2/organizations/"+orgID+"/users/"+demoorg.ContractorUserID+"/accounts",
		`{"accounts":[{"id":"`+demoorg.NorthwindAccount+`"}]}`)
	if status != 200 || body["success"] != false {
		t.Fatalf("closing an external membership: %d %v", status, body)
	}
	if u, _ := srv.User(demoorg.ContractorUserID); u.Memberships[1].Status != "Active" {
		t.Fatalf("external membership changed: %+v", u)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestFixtureIsStrict(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":  `{"users":[{"id":"u","email":"a@b","user_name":"x","memberships":[],"nickname":"y"}]}`,
		"bad status":     `{"users":[{"id":"u","email":"a@b","user_name":"x","memberships":[{"account_id":"a","status":"Gone"}]}]}`,
		"bad date":       `{"organizations":[{"id":"o","name":"n","admin_user_ids":[],"accounts":[{"id":"a","name":"A","billing_period_start":"1/2/2026"}]}]}`,
		"trailing":       `{} {}`,
		"bad public key": `{"integration_keys":[{"id":"k","public_keys":[{"id":"p","pem":"nope"}],"consented_user_ids":[]}]}`,
	} {
		if _, err := ParseFixture([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	f, err := ParseFixture([]byte(`{"users":[{"id":"u","email":"a@b","user_name":"x","memberships":[{"account_id":"missing","status":"Active"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(f, Options{}); err == nil || !strings.Contains(err.Error(), "unknown account") {
		t.Errorf("membership in an unknown account: %v", err)
	}
}

func TestGenerateScale(t *testing.T) {
	f := &Fixture{
		Organizations: []Organization{{ID: "o", Name: "Big", Accounts: []Account{{ID: "a1", Name: "A1"}, {ID: "a2", Name: "A2"}}}},
		Generate:      &Generate{UsersPerAccount: 1000, EnvelopesPerAccount: 50},
	}
	e, err := New(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.users); n != 2000 {
		t.Fatalf("users = %d", n)
	}
	if n := len(e.accounts["a1"].envelopes); n != 50 {
		t.Fatalf("envelopes = %d", n)
	}
	// Members take turns sending, closed ones included, so a search per sender finds them all.
	senders := map[*user]bool{}
	for _, env := range e.accounts["a1"].envelopes {
		if env.sender == nil || env.sender.membershipIn(e.accounts["a1"]) == nil {
			t.Fatalf("generated envelope without a sender of the account: %+v", env)
		}
		senders[env.sender] = true
	}
	closedSender := false
	for u := range senders {
		closedSender = closedSender || u.membershipIn(e.accounts["a1"]).status == "Closed"
	}
	if len(senders) != 50 || !closedSender {
		t.Fatalf("%d senders (closed among them: %v)", len(senders), closedSender)
	}
	again, _ := New(f, Options{})
	if again.userOrder[10].id != e.userOrder[10].id {
		t.Fatal("generated IDs must be stable")
	}
}

func FuzzParseFixture(f *testing.F) {
	demo, _ := os.ReadFile(testdata("emulator", "demo-org.json"))
	f.Add(demo)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"generate":{"users_per_account":1,"envelopes_per_account":1}}`))
	f.Add([]byte(`{"users":[{"id":"u","email":"a@b","memberships":[{"account_id":"a","status":"active"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fx, err := ParseFixture(data)
		if err != nil {
			return
		}
		if fx.Generate != nil && (fx.Generate.UsersPerAccount > 50 || fx.Generate.EnvelopesPerAccount > 50) {
			return
		}
		_, _ = New(fx, Options{})
	})
}

// profileID reads the account's ID of a permission profile the way a client must: from the
// account's permission_profiles listing.
func (s *Server) profileID(t testing.TB, accountID, name string) string {
	t.Helper()
	status, _, body := doCall(t, accessToken(t, s), "GET", s.URL+"/restapi/v2.1/accounts/"+accountID+"/permission_profiles", "")
	if status != 200 {
		t.Fatalf("permission_profiles: %d %v", status, body)
	}
	for _, p := range jsonAt[[]any](t, body, "permissionProfiles") {
		p := jsonAt[map[string]any](t, p)
		if p["permissionProfileName"] == name {
			return jsonAt[string](t, p, "permissionProfileId")
		}
	}
	t.Fatalf("account %s has no permission profile %q: %v", accountID, name, body)
	return ""
}

// DocuSign keeps an email as it was given and finds it whatever the letter case of the query,
// in eSignature's users?email= and in the Admin API's users/profile?email=.
func TestEmailsAreStoredAsGivenAndMatchedIgnoringCase(t *testing.T) {
	srv := start(t, Options{})
	const stored = "Mixed.Case@OpenSam.example"
	const id = "ca5e0000-0000-4000-8000-000000000009"
	if err := srv.MergeFixture(&Fixture{Users: []User{{ID: id, Email: stored, UserName: "Mixed Case",
		Memberships: []Membership{{AccountID: sales, Status: "Active"}}}}}); err != nil {
		t.Fatal(err)
	}
	tok := accessToken(t, srv)
	for _, query := range []string{"mixed.case@opensam.example", "MIXED.CASE@OPENSAM.EXAMPLE", stored} {
		status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users?email="+url.QueryEscape(query), "")
		users, _ := body["users"].([]any)
		if status != 200 || len(users) != 1 || jsonAt[map[string]any](t, users, 0)["email"] != stored {
			t.Errorf("eSignature users?email=%s: %d %v, want the one user with email %s as stored", query, status, body, stored)
		}
		status, _, body = doCall(t, tok, "GET", srv.AdminBaseURL+"/v2/organizations/"+orgID+"/users/profile?email="+url.QueryEscape(query), "")
		profiles, _ := body["users"].([]any)
		if status != 200 || len(profiles) != 1 || jsonAt[map[string]any](t, profiles, 0)["id"] != id {
			t.Errorf("Admin users/profile?email=%s: %d %v, want user %s", query, status, body, id)
		}
	}
	if u, ok := srv.UserByEmail("MIXED.case@opensam.EXAMPLE"); !ok || u.Email != stored {
		t.Errorf("UserByEmail ignoring case: %+v %v", u, ok)
	}
}

// Under users_email_filter_exact_case, eSignature's email filters match only the stored spelling.
func TestEmailFilterExactCase(t *testing.T) {
	srv := start(t, Options{})
	const stored = "Mixed.Case@OpenSam.example"
	if err := srv.MergeFixture(&Fixture{Users: []User{{ID: "ca5e0000-0000-4000-8000-000000000009", Email: stored, UserName: "Mixed Case",
		Memberships: []Membership{{AccountID: sales, Status: "Active"}}}}}); err != nil {
		t.Fatal(err)
	}
	srv.SetBehaviour(Behaviour{UsersEmailFilterExactCase: true})
	tok := accessToken(t, srv)
	for query, want := range map[string]int{
		"email=" + url.QueryEscape(stored): 1, "email=mixed.case%40opensam.example": 0,
		"email_substring=Mixed.Case": 1, "email_substring=mixed.case": 0,
	} {
		status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/users?"+query, "")
		if users, _ := body["users"].([]any); status != 200 || len(users) != want {
			t.Errorf("users?%s: %d %v, want %d users", query, status, body, want)
		}
	}
}
