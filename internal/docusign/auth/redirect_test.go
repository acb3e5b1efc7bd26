// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package auth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// recorder is a foreign host: it records every request that reaches it and answers as a
// thief would, with a token and a userinfo of its own.
func recorder(t *testing.T) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization")+" body="+string(body))
		mu.Unlock()
		writeJSON(w, 200, `{"access_token":"forged","expires_in":3600,"sub":"x","accounts":[{"account_id":"a","base_uri":"https://evil.example"}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// TestTokenRequestRedirectKeepsTheAssertionHome: a 307 on POST /oauth/token would resend the
// form, and with it the signed JWT assertion (good for an hour), to the location's host.
func TestTokenRequestRedirectKeepsTheAssertionHome(t *testing.T) {
	thief, seen := recorder(t)
	thiefURL, _ := url.Parse(thief.URL)
	srv := newOAuthServer(t)
	srv.tokenReply = func(_ int, w http.ResponseWriter) {
		w.Header().Set("Location", thief.URL+"/oauth/token?state=xyz")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}
	ts := newSource(t, srv, nil)
	_, err := ts.Token(context.Background())
	if !errors.Is(err, transport.ErrRedirect) {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
	if got := seen(); len(got) > 0 {
		t.Fatalf("the assertion reached the foreign host: %q", got)
	}
	if !strings.Contains(err.Error(), thiefURL.Host) || strings.Contains(err.Error(), "state=xyz") {
		t.Errorf("error %q should name the host %s and nothing else of the location", err, thiefURL.Host)
	}
}

// TestUserInfoRedirectKeepsTheTokenHome: a redirected userinfo would hand the bearer token to
// the location's host and take its accounts and base URIs as DocuSign's.
func TestUserInfoRedirectKeepsTheTokenHome(t *testing.T) {
	thief, seen := recorder(t)
	thiefURL, _ := url.Parse(thief.URL)
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"access_token":"tok-1","token_type":"Bearer","expires_in":3600}`)
	})
	mux.HandleFunc("/oauth/userinfo", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+"/oauth/userinfo", http.StatusFound)
	})
	home := httptest.NewServer(mux)
	defer home.Close()
	ts := newSource(t, &oauthServer{Server: home}, nil)
	info, err := ts.UserInfo(context.Background())
	if !errors.Is(err, transport.ErrRedirect) {
		t.Fatalf("UserInfo = %+v, %v; want a refused redirect", info, err)
	}
	if got := seen(); len(got) > 0 {
		t.Fatalf("the bearer token reached the foreign host: %q", got)
	}
	if !strings.Contains(err.Error(), thiefURL.Host) {
		t.Errorf("error %q does not name the host %s", err, thiefURL.Host)
	}
}
