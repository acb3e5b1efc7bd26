// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package apitest is the fake DocuSign API server the client packages' unit tests share: it
// records every call below a path prefix and lets each test answer as DocuSign would.
package apitest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// StaticTokens is a token source that always has the token "tok".
type StaticTokens struct{}

func (StaticTokens) AccessToken(context.Context) (string, error) { return "tok", nil }
func (StaticTokens) Invalidate(string)                           {}

// Call is one request the fake server saw.
type Call struct {
	Method string
	Path   string // unescaped, below the server's prefix
	Raw    string // escaped, whole
	Query  url.Values
	Body   []byte
	Auth   string
}

// Server records calls and hands each to the test's handler.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	calls []Call
}

// New starts a server whose requests must all be below prefix; it stops with the test.
func New(t *testing.T, prefix string, h func(c Call, w http.ResponseWriter)) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !strings.HasPrefix(r.URL.Path, prefix) {
			t.Errorf("path %s is not below %s", r.URL.Path, prefix)
		}
		c := Call{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, prefix), Raw: r.URL.EscapedPath(),
			Query: r.URL.Query(), Body: body, Auth: r.Header.Get("Authorization")}
		s.mu.Lock()
		s.calls = append(s.calls, c)
		s.mu.Unlock()
		h(c, w)
	}))
	t.Cleanup(s.Close)
	return s
}

// Seen returns the calls so far.
func (s *Server) Seen() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Transport is a transport whose retry waits return at once.
func Transport() *transport.Transport {
	return transport.New(transport.Options{Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
}

// WriteJSON answers with a JSON body.
func WriteJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// JSONEqual compares a request body with the JSON it should be, ignoring key order.
func JSONEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("request body = %s\nwant %s", got, want)
	}
}
