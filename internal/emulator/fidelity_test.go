// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/tls"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/testcert"
)

func TestJWTNeedsIssuedAtAndAnHourAtMost(t *testing.T) {
	srv := start(t, Options{})
	now := time.Now()
	for _, tc := range []struct {
		name   string
		edit   func(*assertion)
		status int
		desc   string
	}{
		{"an hour exactly", func(a *assertion) { a.iat, a.exp = now, now.Add(time.Hour) }, 200, ""},
		{"no iat", func(a *assertion) { a.noIat = true }, 400, "no_valid_keys_or_signatures"},
		{"one second over an hour", func(a *assertion) { a.iat, a.exp = now, now.Add(time.Hour+time.Second) }, 400, "no_valid_keys_or_signatures"},
		{"a day", func(a *assertion) { a.iat, a.exp = now.Add(-time.Minute), now.Add(24*time.Hour) }, 400, "no_valid_keys_or_signatures"},
	} {
		a := goodAssertion(t, srv)
		tc.edit(&a)
		status, body := grant(t, srv, a)
		if status != tc.status {
			t.Errorf("%s: %d %v, want %d", tc.name, status, body, tc.status)
			continue
		}
		if tc.status != 200 && (body["error"] != "invalid_grant" || body["error_description"] != tc.desc) {
			t.Errorf("%s: %v, want invalid_grant %s", tc.name, body, tc.desc)
		}
	}
}

// The JWT grant needs both signature and impersonation, whatever the user consented to: a scope
// lacking either is consent_required, as DocuSign answers it.
func TestJWTGrantNeedsSignatureAndImpersonation(t *testing.T) {
	srv := start(t, Options{})
	for _, tc := range []struct {
		scope  string
		status int
	}{
		{"signature impersonation", 200},
		{"impersonation signature user_read", 200},
		{"signature", 400},
		{"impersonation", 400},
		{"signature user_read organization_read", 400},
		{"impersonation user_read", 400},
		{"", 400},
	} {
		a := goodAssertion(t, srv) // the admin consented to every scope
		a.scope = tc.scope
		status, body := grant(t, srv, a)
		if status != tc.status {
			t.Errorf("scope %q: %d %v, want %d", tc.scope, status, body, tc.status)
			continue
		}
		if tc.status == 400 && body["error"] != "consent_required" {
			t.Errorf("scope %q: %v, want consent_required", tc.scope, body)
		}
	}
}

// Consent is per scope: consents[] grants only the scopes listed, consented_user_ids every scope.
func TestConsentIsPerScope(t *testing.T) {
	srv := start(t, Options{})
	const signer = "7000aaaa-0000-4000-8000-00000000000a"
	if err := srv.MergeFixture(&Fixture{
		IntegrationKeys: []IntegrationKey{{ID: ik, Consents: []Consent{{UserID: signer, Scopes: []string{"signature", "impersonation"}}}}},
		Users:           []User{{ID: signer, Email: "signer@opensam.example", Memberships: []Membership{{AccountID: sales, Status: "Active"}}}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sub, scope string
		status     int
	}{
		{signer, "signature impersonation", 200},
		{signer, "impersonation signature", 200},
		{signer, "signature impersonation user_read", 400},
		{signer, "signature impersonation organization_read", 400},
		{adminUser, allScopes, 200}, // consented_user_ids: every scope
	} {
		a := goodAssertion(t, srv)
		a.sub, a.scope = tc.sub, tc.scope
		status, body := grant(t, srv, a)
		if status != tc.status {
			t.Errorf("%s asking for %q: %d %v, want %d", tc.sub, tc.scope, status, body, tc.status)
		}
		if tc.status == 400 && body["error"] != "consent_required" {
			t.Errorf("%s asking for %q: %v, want consent_required", tc.sub, tc.scope, body)
		}
	}
	if _, err := ParseFixture([]byte(`{"integration_keys":[{"id":"k","public_keys":[],"consented_user_ids":[],"consents":[{"user_id":"u","scopes":[]}]}]}`)); err == nil ||
		!strings.Contains(err.Error(), "consents[0]") {
		t.Errorf("a consent without scopes was accepted: %v", err)
	}
}

func TestPermissionProfilesAreTheAccountsOwn(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	salesSender := srv.profileID(t, sales, "DS Sender")
	legalSender := srv.profileID(t, legal, "DS Sender")
	legalViewer := srv.profileID(t, legal, "DS Viewer")
	if salesSender == legalSender || salesSender == "2301415" {
		t.Fatalf("Sender is %s in Sales and %s in Legal; IDs must differ per account and not be the spec's example", salesSender, legalSender)
	}
	alex := srv.mustUser(t, "alex.leaver@opensam.example")
	es := srv.URL + "/restapi/v2.1/accounts/" + legal

	// Another account's ID, or the spec's example ID, is refused; the account's own is used.
	for _, foreign := range []string{salesSender, "2301415"} {
		status, _, body := doCall(t, tok, "PUT", es+"/users/"+alex.ID, `{"permissionProfileId":"`+foreign+`"}`)
		if status != 400 || body["errorCode"] != "INVALID_PERMISSION_PROFILE_ID" {
			t.Errorf("PUT with profile %s of another account: %d %v", foreign, status, body)
		}
		status, _, body = doCall(t, tok, "POST", es+"/users", `{"newUsers":[{"userName":"Hire","email":"hire`+foreign+`@opensam.example","permissionProfileId":"`+foreign+`"}]}`)
		item := jsonAt[map[string]any](t, body, "newUsers", 0)
		if status != 201 || item["errorDetails"] == nil || item["userId"] != nil {
			t.Errorf("POST with profile %s of another account: %d %v", foreign, status, body)
		}
	}
	status, _, body := doCall(t, tok, "PUT", es+"/users/"+alex.ID, `{"permissionProfileId":"`+legalViewer+`"}`)
	if status != 200 || body["permissionProfileId"] != legalViewer || body["permissionProfileName"] != "DS Viewer" {
		t.Fatalf("PUT with the account's own Viewer ID: %d %v", status, body)
	}
	status, _, body = doCall(t, tok, "PUT", es+"/users/"+alex.ID, `{"permissionProfileName":"No Such Profile"}`)
	if status != 400 || body["errorCode"] != "INVALID_PERMISSION_PROFILE_NAME" {
		t.Errorf("PUT with an unknown profile name: %d %v", status, body)
	}
	// The Admin API reports the same per-account ID.
	status, _, body = doCall(t, tok, "GET", srv.AdminBaseURL+"/v2.1/organizations/"+orgID+"/users/"+alex.ID+"/dsprofile", "")
	if status != 200 {
		t.Fatalf("dsprofile: %d %v", status, body)
	}
	memberships := jsonAt[[]any](t, body, "users", 0, "memberships")
	if len(memberships) < 2 {
		t.Fatalf("Alex's profile lists %d memberships, want Sales and Legal", len(memberships))
	}
	for _, m := range memberships {
		m := jsonAt[map[string]any](t, m)
		pp := jsonAt[map[string]any](t, m, "permission_profile")
		want := srv.profileID(t, jsonAt[string](t, m, "account_id"), jsonAt[string](t, pp, "name"))
		if got := strconv.FormatFloat(jsonAt[float64](t, pp, "id"), 'f', -1, 64); got != want {
			t.Errorf("membership in %s: Admin profile id %s, eSignature id %s", m["account_id"], got, want)
		}
	}
}

// getRaw fetches target with extra headers and returns the status and the body as text.
func getRaw(t *testing.T, client *http.Client, tok, target string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", target, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// expectHTTPSURLs reads the answers that carry URLs and checks each URL is https.
func expectHTTPSURLs(t *testing.T, client *http.Client, srv *Server, tok string, header map[string]string) {
	t.Helper()
	targets := map[string]string{
		"userinfo base_uri":  srv.OAuthBaseURL + "/oauth/userinfo",
		"Admin paging.next":  srv.AdminBaseURL + "/v2/organizations/" + orgID + "/users?account_id=" + sales + "&take=2&start=2",
		"eSignature nextUri": srv.URL + "/restapi/v2.1/accounts/" + sales + "/users?count=2&start_position=2",
	}
	for what, target := range targets {
		status, body := getRaw(t, client, tok, target, header)
		if status != 200 {
			t.Fatalf("%s: %d %s", what, status, body)
		}
		if strings.Contains(body, "http://") {
			t.Errorf("%s: an http:// URL in %s", what, body)
		}
		switch what {
		case "userinfo base_uri":
			if !strings.Contains(body, `"base_uri":"https://`) {
				t.Errorf("%s: %s", what, body)
			}
		case "Admin paging.next":
			if !strings.Contains(body, `"next":"https://`) || !strings.Contains(body, `"previous":"https://`) {
				t.Errorf("%s: %s", what, body)
			}
		case "eSignature nextUri":
			// eSignature's paging links are relative to the account's base URI, as DocuSign's are.
			if !strings.Contains(body, `"nextUri":"/accounts/`) {
				t.Errorf("%s: %s", what, body)
			}
		}
	}
}

func TestURLsAreHTTPSBehindATLSProxy(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	expectHTTPSURLs(t, http.DefaultClient, srv, tok, map[string]string{"X-Forwarded-Proto": "https"})
	// Without the header the emulator answers with the scheme it was reached by.
	if _, body := getRaw(t, http.DefaultClient, tok, srv.OAuthBaseURL+"/oauth/userinfo", nil); !strings.Contains(body, `"base_uri":"http://`) {
		t.Errorf("plain http userinfo: %s", body)
	}
}

func TestURLsAreHTTPSWhenServedWithTLS(t *testing.T) {
	certFile, keyFile, pool := testcert.SelfSigned(t)
	f, err := LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ListenTLS("127.0.0.1:0", certFile, keyFile, f, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "https://") || !strings.HasPrefix(srv.AdminBaseURL, "https://") {
		t.Fatalf("URLs %s %s", srv.URL, srv.AdminBaseURL)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	a := goodAssertion(t, srv)
	a.aud = strings.TrimPrefix(srv.OAuthBaseURL, "https://")
	resp, err := client.PostForm(srv.OAuthBaseURL+"/oauth/token", map[string][]string{"grant_type": {jwtBearer}, "assertion": {a.sign(t)}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok, _, ok := strings.Cut(strings.TrimPrefix(string(data), `{"access_token":"`), `"`)
	if resp.StatusCode != 200 || !ok {
		t.Fatalf("grant over https: %d %s", resp.StatusCode, data)
	}
	expectHTTPSURLs(t, client, srv, tok, nil)
}

func TestAdminAnswersLeaveUnsetDatesOut(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	_, body := getRaw(t, http.DefaultClient, tok, srv.AdminBaseURL+"/v2/organizations/"+orgID+"/users?account_id="+sales+"&take=250", nil)
	if strings.Contains(body, "null") {
		t.Errorf("an Admin answer holds null: %s", body)
	}
	// casey.closed is Closed in Sales: the date is there.
	if !strings.Contains(body, `"membership_closed_on":"`) {
		t.Errorf("no membership_closed_on for the closed membership: %s", body)
	}
	if n, rows := strings.Count(body, `"membership_closed_on"`), strings.Count(body, `"membership_id"`); n == 0 || n == rows {
		t.Errorf("membership_closed_on in %d of %d rows; want it only on closed memberships", n, rows)
	}
	// Profiles hold no null either.
	for _, email := range []string{"casey.closed@opensam.example", "alex.leaver@opensam.example"} {
		_, body := getRaw(t, http.DefaultClient, tok, srv.AdminBaseURL+"/v2.1/organizations/"+orgID+"/users/dsprofile?email="+email, nil)
		if strings.Contains(body, "null") || !strings.Contains(body, email) {
			t.Errorf("%s profile: %s", email, body)
		}
	}
}

// Rate limits answer in the dialect of the API they limit.
func TestRateLimitErrorShapePerAPI(t *testing.T) {
	srv := start(t, Options{BurstLimit: 1})
	tok := accessToken(t, srv)
	for _, tc := range []struct{ target, want string }{
		{srv.AdminBaseURL + "/v2/organizations/" + orgID + "/planItems", `{"error":"BURST_APIINVOCATION_LIMIT_EXCEEDED","error_description":"`},
		{srv.URL + "/restapi/v2.1/accounts/" + sales, `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"`},
	} {
		if status, body := getRaw(t, http.DefaultClient, tok, tc.target, nil); status != 200 {
			t.Fatalf("first call: %d %s", status, body)
		}
		status, body := getRaw(t, http.DefaultClient, tok, tc.target, nil)
		if status != 400 || !strings.HasPrefix(body, tc.want) {
			t.Errorf("%s over the burst limit: %d %s, want 400 %s…", tc.target, status, body, tc.want)
		}
	}
}
