// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package auth_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

const (
	testIK     = "7d3e9a52-1c2b-4f4e-9f0a-2b5c6d7e8f90"
	testUserID = "4f1c2d3e-5a6b-7c8d-9e0f-a1b2c3d4e5f6"
)

var t0 = time.Date(2026, 11, 3, 14, 0, 0, 0, time.UTC)

func keysDir() string { return filepath.Join("..", "..", "..", "testdata", "keys") }

func loadPEM(t *testing.T, name string) *pem.Block {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(keysDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("%s holds no PEM block", name)
	}
	return block
}

func privateKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := x509.ParsePKCS1PrivateKey(loadPEM(t, "rsa2048.pkcs1.key").Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func publicKey(t *testing.T) *rsa.PublicKey {
	t.Helper()
	pub, err := x509.ParsePKIXPublicKey(loadPEM(t, "rsa2048.pub.pem").Bytes)
	if err != nil {
		t.Fatal(err)
	}
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("public key is %T", pub)
	}
	return rsaPub
}

// clock is a settable clock for Config.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// oauthServer fakes /oauth/token and /oauth/userinfo.
type oauthServer struct {
	*httptest.Server
	t         *testing.T
	grants    atomic.Int32
	userinfos atomic.Int32

	mu         sync.Mutex
	assertions []string
	forms      []url.Values
	headers    []http.Header
	// tokenReply answers grant number n (1-based); the default hands out tok-n for an hour.
	tokenReply func(n int, w http.ResponseWriter)
	// grantGate, when set, holds each grant until it is closed.
	grantGate chan struct{}
	userinfo  string
}

func newOAuthServer(t *testing.T) *oauthServer {
	s := &oauthServer{t: t, userinfo: `{"sub":"` + testUserID + `","name":"Ann Admin","email":"ann@example.com","accounts":[
		{"account_id":"AAA-1","is_default":false,"account_name":"First","base_uri":"https://na3.docusign.net"},
		{"account_id":"bbb-2","is_default":true,"account_name":"Second","base_uri":"https://demo.docusign.net","organization":{"organization_id":"org-1"}}]}`}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth/token", s.token)
	mux.HandleFunc("/oauth/userinfo", s.userInfo)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *oauthServer) token(w http.ResponseWriter, r *http.Request) {
	n := int(s.grants.Add(1))
	if err := r.ParseForm(); err != nil {
		s.t.Errorf("token request form: %v", err)
	}
	s.mu.Lock()
	s.assertions = append(s.assertions, r.PostForm.Get("assertion"))
	s.forms = append(s.forms, r.PostForm)
	s.headers = append(s.headers, r.Header.Clone())
	gate, reply := s.grantGate, s.tokenReply
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		s.t.Errorf("token request method = %s", r.Method)
	}
	if gate != nil {
		<-gate
	}
	if reply != nil {
		reply(n, w)
		return
	}
	writeJSON(w, 200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n))
}

func (s *oauthServer) userInfo(w http.ResponseWriter, r *http.Request) {
	s.userinfos.Add(1)
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") {
		writeJSON(w, 401, `{"error":"invalid_token"}`)
		return
	}
	writeJSON(w, 200, s.userinfo)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func newSource(t *testing.T, srv *oauthServer, mod func(*auth.Config)) *auth.TokenSource {
	t.Helper()
	cfg := auth.Config{
		OAuthBaseURL:   srv.URL,
		IntegrationKey: testIK,
		UserID:         testUserID,
		Key:            privateKey(t),
		Scopes:         []string{"signature", "impersonation"},
		Transport:      transport.New(transport.Options{Sleep: noSleep}),
	}
	if mod != nil {
		mod(&cfg)
	}
	ts, err := auth.NewTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// --- the assertion ----------------------------------------------------------------------------

func decodeSegment(t *testing.T, seg string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("segment %q: %v", seg, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("segment %s: %v", raw, err)
	}
	return m
}

func checkAssertion(t *testing.T, assertion string, now time.Time, aud, kid string, scopes string) {
	t.Helper()
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		t.Fatalf("assertion has %d parts", len(parts))
	}
	header := decodeSegment(t, parts[0])
	wantHeader := map[string]any{"alg": "RS256", "typ": "JWT"}
	if kid != "" {
		wantHeader["kid"] = kid
	}
	if !reflect.DeepEqual(header, wantHeader) {
		t.Errorf("header = %v, want %v", header, wantHeader)
	}
	claims := decodeSegment(t, parts[1])
	wantClaims := map[string]any{
		"iss":   testIK,
		"sub":   testUserID,
		"aud":   aud, // a plain string, not an array
		"iat":   json.Number(fmt.Sprint(now.Unix())),
		"exp":   json.Number(fmt.Sprint(now.Unix() + 3600)),
		"scope": scopes,
	}
	if !reflect.DeepEqual(claims, wantClaims) {
		t.Errorf("claims = %v, want exactly %v", claims, wantClaims)
	}

	// The signature must verify against the registered public key.
	tok, err := jwt.Parse(assertion, func(*jwt.Token) (any, error) { return publicKey(t), nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithTimeFunc(func() time.Time { return now.Add(time.Minute) }),
		jwt.WithAudience(aud), jwt.WithIssuer(testIK), jwt.WithSubject(testUserID),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil || !tok.Valid {
		t.Errorf("assertion does not verify: %v", err)
	}
	// And not against another key.
	other, err := x509.ParsePKCS1PrivateKey(loadPEM(t, "unregistered.pkcs1.key").Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jwt.Parse(assertion, func(*jwt.Token) (any, error) { return &other.PublicKey, nil },
		jwt.WithTimeFunc(func() time.Time { return now })); err == nil {
		t.Error("assertion verified against an unrelated key")
	}
}

func TestAssertionClaims(t *testing.T) {
	cases := []struct {
		base, aud, kid string
		scopes         []string
	}{
		{"https://account-d.docusign.com", "account-d.docusign.com", "", []string{"signature", "impersonation"}},
		{"https://account.docusign.com/", "account.docusign.com", "kp-8d1e", []string{"signature", "impersonation", "user_read", "user_write"}},
	}
	for _, tc := range cases {
		t.Run(tc.aud, func(t *testing.T) {
			cfg := auth.Config{OAuthBaseURL: tc.base, IntegrationKey: testIK, UserID: testUserID, KeyPairID: tc.kid, Key: privateKey(t), Scopes: tc.scopes}
			a, err := auth.Assertion(cfg, t0)
			if err != nil {
				t.Fatal(err)
			}
			checkAssertion(t, a, t0, tc.aud, tc.kid, strings.Join(tc.scopes, " "))
		})
	}
}

func TestAudience(t *testing.T) {
	for in, want := range map[string]string{
		"https://account-d.docusign.com":   "account-d.docusign.com",
		"https://account.docusign.com/":    "account.docusign.com",
		"https://account-d.docusign.com/x": "account-d.docusign.com",
		"http://127.0.0.1:8443":            "127.0.0.1:8443",
		"account-d.docusign.com":           "account-d.docusign.com",
	} {
		if got := auth.Audience(in); got != want {
			t.Errorf("Audience(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGrantRequest(t *testing.T) {
	srv := newOAuthServer(t)
	clk := &clock{now: t0}
	ts := newSource(t, srv, func(c *auth.Config) { c.Now = clk.Now; c.KeyPairID = "kp-1"; c.OAuthBaseURL += "/" })
	tok, err := ts.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "tok-1" || tok.TokenType != "Bearer" || tok.Lifetime != time.Hour || !tok.ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("token = %+v", tok)
	}
	srv.mu.Lock()
	form, header, assertion := srv.forms[0], srv.headers[0], srv.assertions[0]
	srv.mu.Unlock()
	if got := form.Get("grant_type"); got != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		t.Errorf("grant_type = %q", got)
	}
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, []string{"assertion", "grant_type"}) {
		t.Errorf("form fields = %v, want only assertion and grant_type", keys)
	}
	if a := header.Get("Authorization"); a != "" {
		t.Errorf("token request carries Authorization %q; the JWT grant uses no Basic auth", a)
	}
	if ct := header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
	u, _ := url.Parse(srv.URL)
	checkAssertion(t, assertion, t0, u.Host, "kp-1", "signature impersonation")
}

// --- token reuse and refresh ------------------------------------------------------------------

func TestTokenIsReused(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, nil)
	for range 25 {
		tok, err := ts.AccessToken(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if tok != "tok-1" {
			t.Fatalf("token = %q, want tok-1", tok)
		}
	}
	if srv.grants.Load() != 1 || ts.Grants() != 1 {
		t.Errorf("grants: server %d, source %d; want 1", srv.grants.Load(), ts.Grants())
	}
}

func TestTokenRefreshesWithinMarginOfExpiry(t *testing.T) {
	cases := []struct {
		name      string
		expiresIn string
		keepUntil time.Duration // still reused at this age
		renewAt   time.Duration // renewed at this age
	}{
		{"one hour: five minutes margin", `3600`, 55*time.Minute - time.Second, 55 * time.Minute},
		{"short token: a fifth of its life", `100`, 79 * time.Second, 80 * time.Second},
		{"no expires_in: assume an hour", `0`, 55*time.Minute - time.Second, 55 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newOAuthServer(t)
			srv.tokenReply = func(n int, w http.ResponseWriter) {
				writeJSON(w, 200, fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer","expires_in":%s}`, n, tc.expiresIn))
			}
			clk := &clock{now: t0}
			ts := newSource(t, srv, func(c *auth.Config) { c.Now = clk.Now })
			get := func() string {
				t.Helper()
				tok, err := ts.AccessToken(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				return tok
			}
			if got := get(); got != "tok-1" {
				t.Fatalf("first token = %q", got)
			}
			clk.Set(t0.Add(tc.keepUntil))
			if got := get(); got != "tok-1" {
				t.Errorf("at %v token = %q, want tok-1 still", tc.keepUntil, got)
			}
			clk.Set(t0.Add(tc.renewAt))
			if got := get(); got != "tok-2" {
				t.Errorf("at %v token = %q, want a fresh tok-2", tc.renewAt, got)
			}
			if got := get(); got != "tok-2" {
				t.Errorf("renewed token not reused: %q", got)
			}
			if ts.Grants() != 2 || srv.grants.Load() != 2 {
				t.Errorf("grants = %d/%d, want 2", ts.Grants(), srv.grants.Load())
			}
			// The second assertion is signed with the time of the second grant.
			srv.mu.Lock()
			a := srv.assertions[1]
			srv.mu.Unlock()
			claims := decodeSegment(t, strings.Split(a, ".")[1])
			if claims["iat"] != json.Number(fmt.Sprint(t0.Add(tc.renewAt).Unix())) {
				t.Errorf("second assertion iat = %v", claims["iat"])
			}
		})
	}
}

func TestConcurrentCallersShareOneGrant(t *testing.T) {
	srv := newOAuthServer(t)
	srv.grantGate = make(chan struct{})
	ts := newSource(t, srv, nil)

	const callers = 20
	var ready, wg sync.WaitGroup
	ready.Add(callers)
	results := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			ready.Done()
			results[i], errs[i] = ts.AccessToken(context.Background())
		})
	}
	ready.Wait()
	// Let the grant finish only once every caller is at least about to ask.
	for srv.grants.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(srv.grantGate)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || results[i] != "tok-1" {
			t.Errorf("caller %d: %q, %v", i, results[i], errs[i])
		}
	}
	if srv.grants.Load() != 1 || ts.Grants() != 1 {
		t.Errorf("grants: server %d, source %d; want exactly 1", srv.grants.Load(), ts.Grants())
	}
}

func TestInvalidateForcesANewGrant(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, nil)
	ctx := context.Background()
	first, _ := ts.AccessToken(ctx)
	ts.Invalidate("some-older-token") // not the current one: ignored
	if again, _ := ts.AccessToken(ctx); again != first || ts.Grants() != 1 {
		t.Fatalf("invalidating another token replaced the current one (%q, %d grants)", again, ts.Grants())
	}
	ts.Invalidate(first)
	second, err := ts.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second == first || second != "tok-2" || ts.Grants() != 2 {
		t.Errorf("after Invalidate: token %q, %d grants; want tok-2 from a second grant", second, ts.Grants())
	}
	// A late Invalidate of the old token must not throw away the new one.
	ts.Invalidate(first)
	if third, _ := ts.AccessToken(ctx); third != "tok-2" || ts.Grants() != 2 {
		t.Errorf("stale Invalidate forced a grant: %q, %d grants", third, ts.Grants())
	}
}

func TestTransport401RefreshesThroughTheSource(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, nil)
	var seen []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			writeJSON(w, 401, `{"errorCode":"AUTHORIZATION_INVALID_TOKEN","message":"expired"}`)
			return
		}
		writeJSON(w, 200, `{}`)
	}))
	defer api.Close()
	tr := transport.New(transport.Options{Sleep: noSleep})
	if _, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: api.URL, Auth: ts, Idempotent: true}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"Bearer tok-1", "Bearer tok-2"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("Authorization = %v, want %v", seen, want)
	}
	if ts.Grants() != 2 {
		t.Errorf("grants = %d, want 2", ts.Grants())
	}
}

func TestFailedGrantIsNotCached(t *testing.T) {
	srv := newOAuthServer(t)
	srv.tokenReply = func(n int, w http.ResponseWriter) {
		if n == 1 {
			writeJSON(w, 400, `{"error":"consent_required"}`)
			return
		}
		writeJSON(w, 200, `{"access_token":"tok-ok","token_type":"Bearer","expires_in":3600}`)
	}
	ts := newSource(t, srv, nil)
	if _, err := ts.AccessToken(context.Background()); !errors.Is(err, auth.ErrConsentRequired) {
		t.Fatalf("first call err = %v", err)
	}
	tok, err := ts.AccessToken(context.Background())
	if err != nil || tok != "tok-ok" {
		t.Errorf("second call = %q, %v; want a new grant", tok, err)
	}
}

func TestGrantRetriedAfter5xx(t *testing.T) {
	srv := newOAuthServer(t)
	srv.tokenReply = func(n int, w http.ResponseWriter) {
		if n == 1 {
			writeJSON(w, 503, `<html>unavailable</html>`)
			return
		}
		writeJSON(w, 200, `{"access_token":"tok-ok","expires_in":3600}`)
	}
	ts := newSource(t, srv, nil)
	if tok, err := ts.AccessToken(context.Background()); err != nil || tok != "tok-ok" {
		t.Errorf("token = %q, %v", tok, err)
	}
	if srv.grants.Load() != 2 || ts.Grants() != 1 {
		t.Errorf("server saw %d token calls and the source counted %d grants; want 2 and 1", srv.grants.Load(), ts.Grants())
	}
}

func TestGrantWithoutAccessToken(t *testing.T) {
	srv := newOAuthServer(t)
	srv.tokenReply = func(_ int, w http.ResponseWriter) { writeJSON(w, 200, `{"token_type":"Bearer"}`) }
	ts := newSource(t, srv, nil)
	if _, err := ts.AccessToken(context.Background()); err == nil || !strings.Contains(err.Error(), "access_token") {
		t.Errorf("err = %v, want a complaint about the missing access_token", err)
	}
}

func TestWaitingCallerCanGiveUpWithoutFailingOthers(t *testing.T) {
	srv := newOAuthServer(t)
	srv.grantGate = make(chan struct{})
	ts := newSource(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ts.AccessToken(ctx)
		done <- err
	}()
	for srv.grants.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller err = %v", err)
	}
	close(srv.grantGate)
	tok, err := ts.AccessToken(context.Background())
	if err != nil || tok != "tok-1" {
		t.Errorf("later caller = %q, %v", tok, err)
	}
	if ts.Grants() != 1 {
		t.Errorf("grants = %d, want the detached grant to be shared", ts.Grants())
	}
}

// --- userinfo ---------------------------------------------------------------------------------

func TestUserInfoFetchedOnceUnderConcurrency(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, nil)
	const callers = 20
	var wg sync.WaitGroup
	infos := make([]*auth.UserInfo, callers)
	for i := range callers {
		wg.Go(func() {
			info, err := ts.UserInfo(context.Background())
			if err != nil {
				t.Errorf("caller %d: %v", i, err)
			}
			infos[i] = info
		})
	}
	wg.Wait()
	if n := srv.userinfos.Load(); n != 1 {
		t.Errorf("userinfo calls = %d, want 1", n)
	}
	if ts.Grants() != 1 {
		t.Errorf("grants = %d, want 1", ts.Grants())
	}
	for i := range callers {
		if infos[i] != infos[0] {
			t.Fatalf("caller %d got a different UserInfo", i)
		}
	}
	info := infos[0]
	if info.Sub != testUserID || info.Email != "ann@example.com" || len(info.Accounts) != 2 {
		t.Errorf("userinfo = %+v", info)
	}
	if again, _ := ts.UserInfo(context.Background()); again != info || srv.userinfos.Load() != 1 {
		t.Error("userinfo not cached")
	}
	acct, ok := info.Account("aaa-1")
	if !ok || acct.BaseURI != "https://na3.docusign.net" || acct.Organization != nil {
		t.Errorf("Account(aaa-1) = %+v, %v", acct, ok)
	}
	if _, ok := info.Account("nope"); ok {
		t.Error("Account found an unknown ID")
	}
	def, ok := info.DefaultAccount()
	if !ok || def.AccountID != "bbb-2" || def.Organization == nil || def.Organization.OrganizationID != "org-1" {
		t.Errorf("DefaultAccount = %+v, %v", def, ok)
	}
}

func TestUserInfoDefaultAccountFallsBackToFirst(t *testing.T) {
	u := auth.UserInfo{Accounts: []auth.UserAccount{{AccountID: "a"}, {AccountID: "b"}}}
	if d, ok := u.DefaultAccount(); !ok || d.AccountID != "a" {
		t.Errorf("DefaultAccount = %+v", d)
	}
	if _, ok := (&auth.UserInfo{}).DefaultAccount(); ok {
		t.Error("DefaultAccount of no accounts")
	}
}

func TestUserInfoFailureIsNotCached(t *testing.T) {
	srv := newOAuthServer(t)
	srv.tokenReply = func(n int, w http.ResponseWriter) {
		if n == 1 {
			writeJSON(w, 400, `{"error":"invalid_grant","error_description":"user_not_found"}`)
			return
		}
		writeJSON(w, 200, `{"access_token":"tok-2","expires_in":3600}`)
	}
	ts := newSource(t, srv, nil)
	if _, err := ts.UserInfo(context.Background()); !errors.Is(err, auth.ErrUserNotFound) {
		t.Fatalf("err = %v, want ErrUserNotFound", err)
	}
	info, err := ts.UserInfo(context.Background())
	if err != nil || info == nil || srv.userinfos.Load() != 1 {
		t.Errorf("retry: %+v, %v, %d userinfo calls", info, err, srv.userinfos.Load())
	}
}

// --- OAuth errors -----------------------------------------------------------------------------

func TestOAuthErrors(t *testing.T) {
	sentinels := []error{auth.ErrConsentRequired, auth.ErrKeyRejected, auth.ErrUserNotFound, auth.ErrIssuerNotFound, auth.ErrExpiredGrant}
	cases := []struct {
		name     string
		body     string
		want     error // nil: none of the sentinels
		contains []string
	}{
		{"consent", `{"error":"consent_required"}`, auth.ErrConsentRequired, []string{"consent_required"}},
		{"bad key", `{"error":"invalid_grant","error_description":"no_valid_keys_or_signatures"}`, auth.ErrKeyRejected, []string{"no_valid_keys_or_signatures"}},
		{"unknown user", `{"error":"invalid_grant","error_description":"user_not_found"}`, auth.ErrUserNotFound, []string{"user_not_found", "GUID"}},
		{"invalid subject", `{"error":"invalid_grant","error_description":"invalid_subject"}`, auth.ErrUserNotFound, []string{"invalid_subject"}},
		{"unknown issuer", `{"error":"invalid_grant","error_description":"issuer_not_found"}`, auth.ErrIssuerNotFound, []string{"issuer_not_found"}},
		{"expired", `{"error":"invalid_grant","error_description":"expired_grant"}`, auth.ErrExpiredGrant, []string{"expired_grant", "clock"}},
		{"upper case", `{"error":"invalid_grant","error_description":"NO_VALID_KEYS_OR_SIGNATURES"}`, auth.ErrKeyRejected, nil},
		{"other", `{"error":"invalid_grant","error_description":"unsupported_grant_type"}`, nil, []string{"invalid_grant", "unsupported_grant_type"}},
		{"bare invalid_request", `{"error":"invalid_request"}`, nil, []string{"invalid_request"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newOAuthServer(t)
			srv.tokenReply = func(_ int, w http.ResponseWriter) { writeJSON(w, 400, tc.body) }
			ts := newSource(t, srv, func(c *auth.Config) {
				c.Scopes = []string{"signature", "impersonation", "user_write"}
				c.RedirectURI = "https://example.com/cb"
			})
			_, err := ts.AccessToken(context.Background())
			var oe *auth.OAuthError
			if !errors.As(err, &oe) || oe.Status != 400 {
				t.Fatalf("err = %#v, want *auth.OAuthError with status 400", err)
			}
			for _, s := range sentinels {
				if got := errors.Is(err, s); got != errors.Is(tc.want, s) {
					t.Errorf("errors.Is(err, %v) = %v", s, got)
				}
			}
			for _, c := range tc.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("error %q does not mention %q", err, c)
				}
			}
			if srv.grants.Load() != 1 {
				t.Errorf("token calls = %d, want 1 (a refused grant is not retried)", srv.grants.Load())
			}
			if errors.Is(tc.want, auth.ErrConsentRequired) {
				msg := err.Error()
				if oe.ConsentURL == "" || !strings.Contains(msg, oe.ConsentURL) {
					t.Fatalf("message %q does not hold the consent URL %q", msg, oe.ConsentURL)
				}
				u, perr := url.Parse(oe.ConsentURL)
				if perr != nil {
					t.Fatal(perr)
				}
				q := u.Query()
				if u.Path != "/oauth/auth" || !strings.HasPrefix(oe.ConsentURL, srv.URL+"/oauth/auth?") {
					t.Errorf("consent URL = %s", oe.ConsentURL)
				}
				if q.Get("client_id") != testIK || q.Get("scope") != "signature impersonation user_write" ||
					q.Get("response_type") != "code" || q.Get("redirect_uri") != "https://example.com/cb" {
					t.Errorf("consent URL query = %v", q)
				}
				if !strings.Contains(oe.ConsentURL, "scope=signature%20impersonation%20user_write") {
					t.Errorf("consent URL %s does not encode the scopes with %%20", oe.ConsentURL)
				}
				if !strings.Contains(msg, "client_id="+testIK) {
					t.Errorf("message %q lacks client_id", msg)
				}
			}
		})
	}
}

func TestRateLimitedGrantIsNotAnOAuthError(t *testing.T) {
	srv := newOAuthServer(t)
	srv.tokenReply = func(_ int, w http.ResponseWriter) {
		writeJSON(w, 429, `{"error":"too_many_requests"}`)
	}
	ts := newSource(t, srv, func(c *auth.Config) {
		c.Transport = transport.New(transport.Options{Sleep: noSleep, MaxRetries: transport.Retries(2)})
	})
	_, err := ts.AccessToken(context.Background())
	var oe *auth.OAuthError
	if errors.As(err, &oe) || !errors.Is(err, transport.ErrRetryBudget) {
		t.Errorf("err = %v, want the transport's ErrRetryBudget", err)
	}
	if srv.grants.Load() != 3 {
		t.Errorf("token calls = %d, want 3", srv.grants.Load())
	}
}

func TestConsentURL(t *testing.T) {
	got := auth.ConsentURL("https://account-d.docusign.com/", "ik+1", []string{"signature", "impersonation"}, "https://localhost/callback?a=b")
	want := "https://account-d.docusign.com/oauth/auth?client_id=ik%2B1&redirect_uri=https%3A%2F%2Flocalhost%2Fcallback%3Fa%3Db&response_type=code&scope=signature%20impersonation"
	if got != want {
		t.Errorf("ConsentURL = %s\nwant %s", got, want)
	}
}

// --- configuration ----------------------------------------------------------------------------

func TestNewTokenSourceValidates(t *testing.T) {
	key := privateKey(t)
	good := auth.Config{OAuthBaseURL: "https://account-d.docusign.com", IntegrationKey: testIK, UserID: testUserID, Key: key}
	for name, mod := range map[string]func(*auth.Config){
		"no key":  func(c *auth.Config) { c.Key = nil },
		"no IK":   func(c *auth.Config) { c.IntegrationKey = "" },
		"no user": func(c *auth.Config) { c.UserID = "" },
		"no URL":  func(c *auth.Config) { c.OAuthBaseURL = "" },
		"bad URL": func(c *auth.Config) { c.OAuthBaseURL = "https://exa mple.com/%zz" },
	} {
		cfg := good
		mod(&cfg)
		if _, err := auth.NewTokenSource(cfg); err == nil {
			t.Errorf("%s: NewTokenSource accepted %+v", name, cfg)
		}
	}
	cfg := good
	cfg.OAuthBaseURL += "/"
	ts, err := auth.NewTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ts.OAuthBaseURL() != "https://account-d.docusign.com" {
		t.Errorf("OAuthBaseURL = %q", ts.OAuthBaseURL())
	}
	if !reflect.DeepEqual(ts.Scopes(), auth.BaseScopes) {
		t.Errorf("Scopes = %v, want the base scopes", ts.Scopes())
	}
	ts.Scopes()[0] = "mutated"
	if ts.Scopes()[0] != auth.BaseScopes[0] {
		t.Error("Scopes returns the source's own slice")
	}
	if !strings.Contains(ts.ConsentURL(), "redirect_uri=https%3A%2F%2Flocalhost%2Fcallback") {
		t.Errorf("default redirect URI missing from %s", ts.ConsentURL())
	}
}

// Configured scopes without signature or impersonation can never earn a token (DocuSign answers
// consent_required), so NewTokenSource refuses them and names what is missing.
func TestNewTokenSourceNeedsBothBaseScopes(t *testing.T) {
	good := auth.Config{OAuthBaseURL: "https://account-d.docusign.com", IntegrationKey: testIK, UserID: testUserID, Key: privateKey(t)}
	for _, tc := range []struct {
		scopes  []string
		missing string
	}{
		{[]string{"signature"}, "lacks impersonation"},
		{[]string{"impersonation", "user_read"}, "lacks signature"},
		{[]string{"user_read", "organization_read"}, "lacks signature and impersonation"},
		{[]string{"signature", "impersonation", "user_read"}, ""},
		{nil, ""}, // unset: the source asks for both itself
	} {
		cfg := good
		cfg.Scopes = tc.scopes
		_, err := auth.NewTokenSource(cfg)
		switch {
		case tc.missing == "" && err != nil:
			t.Errorf("%v: %v", tc.scopes, err)
		case tc.missing != "" && (!errors.Is(err, auth.ErrMissingBaseScopes) || !strings.Contains(fmt.Sprint(err), tc.missing)):
			t.Errorf("%v: %v, want ErrMissingBaseScopes naming %q", tc.scopes, err, tc.missing)
		}
	}
	if got := auth.MissingBaseScopes([]string{"user_read", "impersonation"}); !reflect.DeepEqual(got, []string{"signature"}) {
		t.Errorf("MissingBaseScopes = %v", got)
	}
}

// --- scopes on demand ---------------------------------------------------------------------------

// scopeOf reads the scope claim of the n-th assertion the server saw (0-based).
func (s *oauthServer) scopeOf(t *testing.T, n int) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if n >= len(s.assertions) {
		t.Fatalf("only %d assertions", len(s.assertions))
	}
	claims := decodeSegment(t, strings.Split(s.assertions[n], ".")[1])
	scope, _ := claims["scope"].(string)
	return scope
}

// Unconfigured, a source asks for signature impersonation, and adds a scope only when a call
// needs it; a token that already carries the scope is reused.
func TestScopesOnDemand(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, func(c *auth.Config) { c.Scopes = nil })
	ctx := context.Background()
	first, err := ts.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.scopeOf(t, 0); got != "signature impersonation" {
		t.Errorf("first grant asked for %q", got)
	}
	again, _ := ts.WithScopes().AccessToken(ctx)
	if again != first || ts.Grants() != 1 {
		t.Errorf("a call needing no extra scope took a new grant (%d grants)", ts.Grants())
	}
	reader := ts.WithScopes("user_read")
	read1, err := reader.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if read1 == first || srv.scopeOf(t, 1) != "signature impersonation user_read" {
		t.Errorf("user_read call: token %s, grant asked for %q", read1, srv.scopeOf(t, 1))
	}
	// The wider token serves eSignature calls and later user_read calls alike.
	if tok, _ := ts.AccessToken(ctx); tok != read1 {
		t.Errorf("eSignature call after the upgrade used %s, want %s", tok, read1)
	}
	if tok, _ := reader.AccessToken(ctx); tok != read1 || ts.Grants() != 2 {
		t.Errorf("second user_read call: %s, %d grants", tok, ts.Grants())
	}
	// Scopes only grow: the next grant keeps user_read.
	if _, err := ts.WithScopes("user_write").AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.scopeOf(t, 2); got != "signature impersonation user_read user_write" {
		t.Errorf("third grant asked for %q", got)
	}
	if got := strings.Join(ts.Scopes(), " "); got != "signature impersonation user_read user_write" {
		t.Errorf("Scopes() = %q", got)
	}
}

// Configured scopes are exactly what every grant asks for; calls never widen them.
func TestConfiguredScopesAreFixed(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, func(c *auth.Config) { c.Scopes = []string{"signature", "impersonation", "organization_read"} })
	ctx := context.Background()
	a, _ := ts.AccessToken(ctx)
	b, _ := ts.WithScopes("user_write").AccessToken(ctx)
	if a != b || ts.Grants() != 1 || srv.scopeOf(t, 0) != "signature impersonation organization_read" {
		t.Errorf("tokens %s %s, %d grants, scope %q", a, b, ts.Grants(), srv.scopeOf(t, 0))
	}
}

// Concurrent calls needing different scopes share grants and end with tokens that carry theirs.
func TestScopesOnDemandConcurrently(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, func(c *auth.Config) { c.Scopes = nil })
	needs := []string{"", "user_read", "user_read", "organization_read", "user_write", ""}
	var wg sync.WaitGroup
	for i := range 40 {
		need := needs[i%len(needs)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			src := ts.WithScopes()
			if need != "" {
				src = ts.WithScopes(need)
			}
			if _, err := src.AccessToken(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ts.Grants() > 5 {
		t.Errorf("%d grants for three extra scopes", ts.Grants())
	}
	tok, _ := ts.Token(context.Background())
	for _, want := range []string{"user_read", "organization_read", "user_write"} {
		if !slices.Contains(tok.Scopes, want) {
			t.Errorf("final token scopes %v lack %s", tok.Scopes, want)
		}
	}
}

// A consent_required answer names the consent URL for the scopes that grant asked for.
func TestConsentURLNamesTheScopesAskedFor(t *testing.T) {
	srv := newOAuthServer(t)
	srv.tokenReply = func(n int, w http.ResponseWriter) {
		if n == 1 {
			writeJSON(w, 200, `{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}`)
			return
		}
		writeJSON(w, 400, `{"error":"consent_required"}`)
	}
	ts := newSource(t, srv, func(c *auth.Config) { c.Scopes = nil })
	if _, err := ts.AccessToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := ts.WithScopes("user_read").AccessToken(context.Background())
	if !errors.Is(err, auth.ErrConsentRequired) || !strings.Contains(err.Error(), "scope=signature%20impersonation%20user_read") {
		t.Errorf("err = %v", err)
	}
}
