// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// --- helpers ---------------------------------------------------------------------------------

// sleeps records the waits the transport asks for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

var fixedNow = time.Date(2026, 11, 3, 14, 20, 0, 0, time.UTC)

// newTransport returns a transport that never really sleeps and whose clock stands still.
func newTransport(opts transport.Options) (*transport.Transport, *sleeps) {
	s := &sleeps{}
	if opts.Sleep == nil {
		opts.Sleep = s.Sleep
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	return transport.New(opts), s
}

// server counts calls and answers with the handler for the call's 1-based number.
type server struct {
	*httptest.Server
	calls atomic.Int32
}

func newServer(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.calls.Add(1))
		h(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// dropConnection closes the TCP connection without an answer.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

// tokens is a fake TokenSource that hands out tok-1, then tok-2 after tok-1 is invalidated, and so on.
type tokens struct {
	mu          sync.Mutex
	n           int
	invalidated []string
	err         error
}

func (f *tokens) current() string { return "tok-" + strconv.Itoa(f.n+1) }

func (f *tokens) AccessToken(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return "", f.err
	}
	return f.current(), nil
}

func (f *tokens) Invalidate(tok string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.invalidated = append(f.invalidated, tok)
	if tok == f.current() {
		f.n++
	}
}

func (f *tokens) invalidations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.invalidated...)
}

func inRange(t *testing.T, what string, d, lo, hi time.Duration) {
	t.Helper()
	if d < lo || d > hi {
		t.Errorf("%s = %v, want within [%v, %v]", what, d, lo, hi)
	}
}

// --- headers, bodies, queries ----------------------------------------------------------------

func TestUserAgentAcceptAndAuthorizationHeaders(t *testing.T) {
	var mu sync.Mutex
	var got []http.Header
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		writeJSON(w, 200, `{}`)
	})

	def, _ := newTransport(transport.Options{})
	if def.UserAgent() != "terraform-provider-docusign/dev" {
		t.Errorf("default UserAgent() = %q", def.UserAgent())
	}
	if _, err := def.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/a"}); err != nil {
		t.Fatal(err)
	}
	custom, _ := newTransport(transport.Options{UserAgent: "terraform-provider-docusign/1.2.3 (+terraform 1.9)"})
	if _, err := custom.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/b", Auth: &tokens{}}); err != nil {
		t.Fatal(err)
	}

	if len(got) != 2 {
		t.Fatalf("server saw %d calls, want 2", len(got))
	}
	if ua := got[0].Get("User-Agent"); ua != "terraform-provider-docusign/dev" {
		t.Errorf("default User-Agent = %q", ua)
	}
	if a := got[0].Get("Authorization"); a != "" {
		t.Errorf("Authorization without a token source = %q, want none", a)
	}
	if ct := got[0].Get("Content-Type"); ct != "" {
		t.Errorf("Content-Type without a body = %q, want none", ct)
	}
	if ua := got[1].Get("User-Agent"); ua != "terraform-provider-docusign/1.2.3 (+terraform 1.9)" {
		t.Errorf("custom User-Agent = %q", ua)
	}
	if a := got[1].Get("Authorization"); a != "Bearer tok-1" {
		t.Errorf("Authorization = %q, want Bearer tok-1", a)
	}
	for i, h := range got {
		if acc := h.Get("Accept"); acc != "application/json" {
			t.Errorf("call %d Accept = %q", i+1, acc)
		}
	}
}

func TestJSONBodyQueryAndOut(t *testing.T) {
	type body struct {
		NewUsers []map[string]string `json:"newUsers"`
	}
	var gotBody body
	var gotQuery url.Values
	var gotRawQuery, gotCT, gotMethod, gotPath string
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		gotMethod, gotPath, gotCT = r.Method, r.URL.Path, r.Header.Get("Content-Type")
		gotRawQuery, gotQuery = r.URL.RawQuery, r.URL.Query()
		if err := json.NewDecoder(r.Body).Decode(&gotBody); err != nil {
			t.Errorf("decoding request body: %v", err)
		}
		writeJSON(w, 201, `{"newUsers":[{"userId":"u-1","email":"a+b@example.com"}],"resultSetSize":"1"}`)
	})

	tr, _ := newTransport(transport.Options{})
	in := body{NewUsers: []map[string]string{{"userName": "Ann Example", "email": "a+b@example.com"}}}
	var out struct {
		NewUsers []struct {
			UserID string `json:"userId"`
			Email  string `json:"email"`
		} `json:"newUsers"`
		ResultSetSize string `json:"resultSetSize"`
	}
	q := url.Values{"email": {"a+b@example.com"}, "status": {"Active,Closed"}, "name": {"Ann Example"}}
	resp, err := tr.Do(context.Background(), transport.Request{
		API: transport.APIESign, Method: "POST", URL: srv.URL + "/restapi/v2.1/accounts/acc/users",
		Query: q, JSON: in, Out: &out,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 201 || resp.Attempts != 1 {
		t.Errorf("response = %+v, want status 201 after 1 attempt", resp)
	}
	if gotMethod != "POST" || gotPath != "/restapi/v2.1/accounts/acc/users" {
		t.Errorf("request line = %s %s", gotMethod, gotPath)
	}
	if gotCT != "application/json" {
		t.Errorf("Content-Type = %q", gotCT)
	}
	if !reflect.DeepEqual(gotBody, in) {
		t.Errorf("body = %+v, want %+v", gotBody, in)
	}
	if !reflect.DeepEqual(gotQuery, q) {
		t.Errorf("query = %v, want %v", gotQuery, q)
	}
	if strings.Contains(gotRawQuery, "a+b@") {
		t.Errorf("raw query %q does not escape the + in the email", gotRawQuery)
	}
	if len(out.NewUsers) != 1 || out.NewUsers[0].UserID != "u-1" || out.ResultSetSize != "1" {
		t.Errorf("decoded answer = %+v", out)
	}
}

func TestFormBody(t *testing.T) {
	var gotCT string
	var gotForm url.Values
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		gotCT = r.Header.Get("Content-Type")
		if err := r.ParseForm(); err != nil {
			t.Errorf("ParseForm: %v", err)
		}
		gotForm = r.PostForm
		writeJSON(w, 200, `{"access_token":"x"}`)
	})
	tr, _ := newTransport(transport.Options{})
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {"a.b.c"}}
	if _, err := tr.Do(context.Background(), transport.Request{API: transport.APIOAuth, Method: "POST", URL: srv.URL + "/oauth/token", Form: form}); err != nil {
		t.Fatal(err)
	}
	if gotCT != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", gotCT)
	}
	if !reflect.DeepEqual(gotForm, form) {
		t.Errorf("form = %v, want %v", gotForm, form)
	}
}

func TestUnencodableBodyFailsBeforeSending(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{}`) })
	tr, _ := newTransport(transport.Options{})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "POST", URL: srv.URL + "/x", JSON: map[string]any{"c": make(chan int)}})
	if err == nil {
		t.Fatal("want an encoding error")
	}
	if srv.calls.Load() != 0 {
		t.Errorf("server saw %d calls, want 0", srv.calls.Load())
	}
}

func TestOutDecoding(t *testing.T) {
	t.Run("bad JSON on 2xx is an error", func(t *testing.T) {
		srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{"users":`) })
		tr, _ := newTransport(transport.Options{})
		var out map[string]any
		_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/x", Out: &out, Idempotent: true})
		if err == nil || !strings.Contains(err.Error(), "decoding") {
			t.Fatalf("err = %v, want a decoding error", err)
		}
		if srv.calls.Load() != 1 {
			t.Errorf("calls = %d, want 1", srv.calls.Load())
		}
	})
	t.Run("empty 204 leaves Out alone", func(t *testing.T) {
		srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
		tr, _ := newTransport(transport.Options{})
		out := map[string]any{"kept": true}
		resp, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "DELETE", URL: srv.URL + "/x", Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 204 || out["kept"] != true {
			t.Errorf("status %d, out %v", resp.Status, out)
		}
	})
}

// --- retries after 5xx and network failures ---------------------------------------------------

func TestIdempotent5xxIsRetriedWithBackoff(t *testing.T) {
	srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 3 {
			writeJSON(w, 503, `{"errorCode":"SERVICE_UNAVAILABLE","message":"try later"}`)
			return
		}
		writeJSON(w, 200, `{"ok":"yes"}`)
	})
	base := 100 * time.Millisecond
	tr, sl := newTransport(transport.Options{BaseDelay: base, MaxDelay: time.Minute, MaxRetries: transport.Retries(5)})
	var out struct{ OK string }
	resp, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/x", Idempotent: true, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 4 || srv.calls.Load() != 4 || out.OK != "yes" {
		t.Errorf("attempts %d, calls %d, out %+v; want 4, 4, yes", resp.Attempts, srv.calls.Load(), out)
	}
	got := sl.all()
	if len(got) != 3 {
		t.Fatalf("sleeps = %v, want 3", got)
	}
	for i, d := range got {
		full := base << i
		inRange(t, fmt.Sprintf("backoff %d", i), d, full/2, full)
	}
}

func TestIdempotent5xxGivesUpAfterMaxRetries(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 500, `{"errorCode":"UNSPECIFIED_ERROR","message":"boom"}`)
	})
	base, maxDelay := 100*time.Millisecond, 300*time.Millisecond
	tr, sl := newTransport(transport.Options{BaseDelay: base, MaxDelay: maxDelay, MaxRetries: transport.Retries(4)})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "PUT", URL: srv.URL + "/x", Idempotent: true, JSON: map[string]string{"a": "b"}})
	if !errors.Is(err, transport.ErrRetryBudget) {
		t.Fatalf("err = %v, want ErrRetryBudget", err)
	}
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 500 || apiErr.Code != "UNSPECIFIED_ERROR" {
		t.Errorf("last DocuSign error = %+v", apiErr)
	}
	if errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Errorf("an idempotent call should not report an unknown outcome: %v", err)
	}
	if !strings.Contains(err.Error(), "5 attempts") {
		t.Errorf("err %q does not say how many attempts were made", err)
	}
	if n := srv.calls.Load(); n != 5 {
		t.Errorf("calls = %d, want 1 + MaxRetries = 5", n)
	}
	got := sl.all()
	if len(got) != 4 {
		t.Fatalf("sleeps = %v, want 4", got)
	}
	for i, d := range got {
		if d > maxDelay {
			t.Errorf("sleep %d = %v exceeds MaxDelay %v", i, d, maxDelay)
		}
	}
	inRange(t, "last backoff", got[3], maxDelay/2, maxDelay)
}

func TestNegativeMaxRetriesMeansNoRetries(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 502, `bad gateway`) })
	tr, sl := newTransport(transport.Options{MaxRetries: transport.Retries(0)})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/x", Idempotent: true})
	if !errors.Is(err, transport.ErrRetryBudget) {
		t.Errorf("err = %v, want ErrRetryBudget", err)
	}
	if srv.calls.Load() != 1 || len(sl.all()) != 0 {
		t.Errorf("calls %d, sleeps %v; want 1 call and no sleep", srv.calls.Load(), sl.all())
	}
}

func TestNonIdempotent5xxIsNotRetried(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				writeJSON(w, status, `{"errorCode":"UNSPECIFIED_ERROR","message":"it broke"}`)
			})
			tr, sl := newTransport(transport.Options{})
			_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "POST", URL: srv.URL + "/users", JSON: map[string]any{"newUsers": []any{}}})
			if !errors.Is(err, transport.ErrOutcomeUnknown) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
			}
			if errors.Is(err, transport.ErrRetryBudget) {
				t.Errorf("err %v should not claim a spent retry budget", err)
			}
			if transport.StatusOf(err) != status {
				t.Errorf("StatusOf = %d, want %d", transport.StatusOf(err), status)
			}
			if srv.calls.Load() != 1 || len(sl.all()) != 0 {
				t.Errorf("calls %d, sleeps %v; want exactly 1 call, no sleep", srv.calls.Load(), sl.all())
			}
		})
	}
}

func TestNonIdempotentDroppedConnectionIsNotRetried(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { dropConnection(t, w) })
	tr, sl := newTransport(transport.Options{HTTPClient: &http.Client{}})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "POST", URL: srv.URL + "/users", JSON: map[string]any{"newUsers": []any{}}})
	if !errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if srv.calls.Load() != 1 || len(sl.all()) != 0 {
		t.Errorf("calls %d, sleeps %v; want exactly 1 call, no sleep", srv.calls.Load(), sl.all())
	}
}

func TestIdempotentDroppedConnectionIsRetried(t *testing.T) {
	srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			dropConnection(t, w)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	tr, sl := newTransport(transport.Options{HTTPClient: &http.Client{}})
	resp, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/users", Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 2 || srv.calls.Load() != 2 || len(sl.all()) != 1 {
		t.Errorf("attempts %d, calls %d, sleeps %v; want 2, 2, one sleep", resp.Attempts, srv.calls.Load(), sl.all())
	}
}

func TestConnectionRefusedIsRetriedEvenForPOST(t *testing.T) {
	// A refused dial means DocuSign never saw the request, so a create may be resent.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	tr, sl := newTransport(transport.Options{MaxRetries: transport.Retries(2), HTTPClient: &http.Client{}})
	_, err = tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "POST", URL: "http://" + addr + "/users", JSON: map[string]any{}})
	if !errors.Is(err, transport.ErrRetryBudget) {
		t.Fatalf("err = %v, want ErrRetryBudget", err)
	}
	if errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Errorf("a refused connection is not an unknown outcome: %v", err)
	}
	if n := len(sl.all()); n != 2 {
		t.Errorf("sleeps = %d, want MaxRetries = 2", n)
	}
}

// --- rate limits ------------------------------------------------------------------------------

func TestThrottlesAreRetriedForAnyMethod(t *testing.T) {
	reset := fixedNow.Add(42 * time.Second)
	base := 200 * time.Millisecond
	cases := []struct {
		name    string
		status  int
		body    string
		headers map[string]string
		lo, hi  time.Duration
	}{
		{name: "429 without headers backs off", status: 429, body: `{}`, lo: base / 2, hi: base},
		{name: "429 Retry-After", status: 429, body: ``, headers: map[string]string{"Retry-After": "7"}, lo: 7 * time.Second, hi: 7 * time.Second},
		{name: "429 Retry-After wins over reset", status: 429, headers: map[string]string{"Retry-After": "3", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)}, lo: 3 * time.Second, hi: 3 * time.Second},
		{name: "429 remaining 0 waits for reset", status: 429, headers: map[string]string{"X-RateLimit-Limit": "3000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)}, lo: 42 * time.Second, hi: 43 * time.Second},
		{name: "400 burst", status: 400, body: `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"The maximum number of burst API invocations has been exceeded."}`,
			headers: map[string]string{"X-BurstLimit-Limit": "500", "X-BurstLimit-Remaining": "0"}, lo: base / 2, hi: base},
		{name: "400 burst with Retry-After", status: 400, body: `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"x"}`, headers: map[string]string{"Retry-After": "30"}, lo: 30 * time.Second, hi: 30 * time.Second},
		{name: "400 hourly waits for X-RateLimit-Reset", status: 400, body: `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"The maximum number of hourly API invocations has been exceeded."}`,
			headers: map[string]string{"X-RateLimit-Limit": "3000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)}, lo: 42 * time.Second, hi: 43 * time.Second},
		{name: "400 hourly without remaining header still waits for reset", status: 400, body: `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"x"}`,
			headers: map[string]string{"X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)}, lo: 42 * time.Second, hi: 43 * time.Second},
		// DocuSign does not say X-RateLimit-Reset's unit; a value too small for an epoch is seconds left.
		{name: "400 hourly with reset as seconds left", status: 400, body: `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"x"}`,
			headers: map[string]string{"X-RateLimit-Reset": strconv.Itoa(int(reset.Sub(fixedNow).Seconds()))}, lo: 42 * time.Second, hi: 43 * time.Second},
		{name: "400 hourly with past reset does not wait long", status: 400, body: `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED"}`,
			headers: map[string]string{"X-RateLimit-Reset": strconv.FormatInt(fixedNow.Add(-time.Minute).Unix(), 10)}, lo: 0, hi: time.Second},
		{name: "400 envelope polling limit, mixed case", status: 400, body: `{"errorCode":"Burst_Envelope_Polling_Limit_Exceeded","message":"x"}`, lo: base / 2, hi: base},
		{name: "400 envelope update limit", status: 400, body: `{"errorCode":"Hourly_APIInvocation_Envelope_Limit_Exceeded","message":"x"}`,
			headers: map[string]string{"X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10)}, lo: 42 * time.Second, hi: 43 * time.Second},
	}
	for _, tc := range cases {
		for _, method := range []string{"GET", "POST", "DELETE"} {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
					if n == 1 {
						for k, v := range tc.headers {
							w.Header().Set(k, v)
						}
						writeJSON(w, tc.status, tc.body)
						return
					}
					writeJSON(w, 200, `{}`)
				})
				tr, sl := newTransport(transport.Options{BaseDelay: base})
				resp, err := tr.Do(context.Background(), transport.Request{
					API: transport.APIESign, Method: method, URL: srv.URL + "/users",
					JSON: map[string]any{"users": []any{}}, Idempotent: false,
				})
				if err != nil {
					t.Fatalf("err = %v, want success after one throttle", err)
				}
				if resp.Attempts != 2 || srv.calls.Load() != 2 {
					t.Errorf("attempts %d, calls %d; want 2", resp.Attempts, srv.calls.Load())
				}
				got := sl.all()
				if len(got) != 1 {
					t.Fatalf("sleeps = %v, want one", got)
				}
				inRange(t, "wait", got[0], tc.lo, tc.hi)
			})
		}
	}
}

func TestHourlyLimitFarAwayFailsFast(t *testing.T) {
	reset := fixedNow.Add(37 * time.Minute)
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "3000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		writeJSON(w, 400, `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"The maximum number of hourly API invocations has been exceeded."}`)
	})
	tr, sl := newTransport(transport.Options{MaxRateLimitWait: 2 * time.Minute})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/users", Idempotent: true})
	if !errors.Is(err, transport.ErrRetryBudget) {
		t.Fatalf("err = %v, want ErrRetryBudget", err)
	}
	if !transport.HasCode(err, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED") {
		t.Errorf("err %v does not carry DocuSign's error", err)
	}
	if !strings.Contains(err.Error(), reset.Format(time.RFC3339)) {
		t.Errorf("err %q does not say when the limit resets (%s)", err, reset.Format(time.RFC3339))
	}
	var gaveUp *transport.RateLimitError
	if !errors.As(err, &gaveUp) || gaveUp.Reason != transport.ResetTooFar || gaveUp.Limit != 3000 || gaveUp.Remaining != 0 || !gaveUp.Reset.Equal(reset) {
		t.Errorf("err = %#v, want a RateLimitError (ResetTooFar) carrying the limit 3000 and its reset", err)
	}
	if srv.calls.Load() != 1 || len(sl.all()) != 0 {
		t.Errorf("calls %d, sleeps %v; want 1 call and no sleep", srv.calls.Load(), sl.all())
	}
	rl := tr.LastRateLimit()
	if !rl.Seen || rl.Limit != 3000 || rl.Remaining != 0 || !rl.Reset.Equal(reset) {
		t.Errorf("LastRateLimit = %+v", rl)
	}
}

func TestLongRetryAfterFailsFast(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, 429, `{"errorCode":"TOO_MANY_REQUESTS"}`)
	})
	tr, sl := newTransport(transport.Options{MaxRateLimitWait: time.Minute})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/x", Idempotent: true})
	if !errors.Is(err, transport.ErrRetryBudget) || transport.StatusOf(err) != 429 {
		t.Fatalf("err = %v, want ErrRetryBudget carrying the 429", err)
	}
	if srv.calls.Load() != 1 || len(sl.all()) != 0 {
		t.Errorf("calls %d, sleeps %v", srv.calls.Load(), sl.all())
	}
}

func TestRateLimitRetryBudget(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-BurstLimit-Limit", "500")
		w.Header().Set("X-BurstLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Limit", "3000")
		w.Header().Set("X-RateLimit-Remaining", "2100")
		writeJSON(w, 400, `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"The maximum number of burst API invocations has been exceeded."}`)
	})
	tr, sl := newTransport(transport.Options{MaxRetries: transport.Retries(3), BaseDelay: 10 * time.Millisecond})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "POST", URL: srv.URL + "/users"})
	if !errors.Is(err, transport.ErrRetryBudget) {
		t.Fatalf("err = %v, want ErrRetryBudget", err)
	}
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "BURST_APIINVOCATION_LIMIT_EXCEEDED" || apiErr.Status != 400 {
		t.Errorf("last DocuSign error = %+v", apiErr)
	}
	if !strings.Contains(err.Error(), "4 attempts") || !strings.Contains(err.Error(), "rate-limit") {
		t.Errorf("err %q should say it gave up after 4 attempts because of rate limiting", err)
	}
	var gaveUp *transport.RateLimitError
	if !errors.As(err, &gaveUp) || gaveUp.Reason != transport.RetriesSpent || gaveUp.Attempts != 4 || gaveUp.Limit != 3000 || gaveUp.Remaining != 2100 {
		t.Errorf("err = %#v, want a RateLimitError (RetriesSpent) after 4 attempts carrying the limit", err)
	}
	if strings.Contains(err.Error(), "parallelism") || strings.Contains(err.Error(), "max_retries") {
		t.Errorf("err %q names Terraform settings; the provider adds that advice", err)
	}
	if srv.calls.Load() != 4 || len(sl.all()) != 3 {
		t.Errorf("calls %d, sleeps %v; want 4 calls, 3 sleeps", srv.calls.Load(), sl.all())
	}
	rl := tr.LastRateLimit()
	if rl.BurstLimit != 500 || rl.BurstRemaining != 0 || rl.Remaining != 2100 {
		t.Errorf("LastRateLimit = %+v", rl)
	}
}

func TestLastRateLimitIgnoresAnswersWithoutHeaders(t *testing.T) {
	srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("X-RateLimit-Limit", "1000")
			w.Header().Set("X-RateLimit-Remaining", "999")
			w.Header().Set("X-RateLimit-Reset", "1793800800")
		}
		writeJSON(w, 200, `{}`)
	})
	tr, _ := newTransport(transport.Options{})
	if rl := tr.LastRateLimit(); rl.Seen {
		t.Errorf("fresh transport LastRateLimit = %+v", rl)
	}
	for range 2 {
		if _, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL}); err != nil {
			t.Fatal(err)
		}
	}
	rl := tr.LastRateLimit()
	if !rl.Seen || rl.Limit != 1000 || rl.Remaining != 999 || rl.Reset.Unix() != 1793800800 {
		t.Errorf("LastRateLimit = %+v", rl)
	}
}

// --- 401 and token refresh --------------------------------------------------------------------

func Test401InvalidatesTokenAndRetriesOnce(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			writeJSON(w, 401, `{"errorCode":"USER_AUTHENTICATION_FAILED","message":"One or both of Username and Password are invalid."}`)
			return
		}
		writeJSON(w, 200, `{"ok":true}`)
	})
	// MaxRetries -1: the refresh must not count as a retry.
	tr, sl := newTransport(transport.Options{MaxRetries: transport.Retries(0)})
	ts := &tokens{}
	resp, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "POST", URL: srv.URL + "/x", Auth: ts, JSON: map[string]int{"a": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", resp.Attempts)
	}
	if want := []string{"Bearer tok-1", "Bearer tok-2"}; !reflect.DeepEqual(auths, want) {
		t.Errorf("Authorization headers = %v, want %v", auths, want)
	}
	if got := ts.invalidations(); !reflect.DeepEqual(got, []string{"tok-1"}) {
		t.Errorf("Invalidate calls = %v, want [tok-1]", got)
	}
	if len(sl.all()) != 0 {
		t.Errorf("sleeps = %v, want none", sl.all())
	}
}

func TestRepeated401IsReturnedAfterOneRefresh(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 401, `{"error":"unauthorized","error_description":"Not Authorized"}`)
	})
	tr, _ := newTransport(transport.Options{})
	ts := &tokens{}
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIAdmin, Method: "GET", URL: srv.URL + "/Management/v2/organizations", Auth: ts, Idempotent: true})
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || apiErr.Code != "unauthorized" || apiErr.Message != "Not Authorized" || apiErr.API != transport.APIAdmin {
		t.Fatalf("err = %#v, want the Admin 401", err)
	}
	if errors.Is(err, transport.ErrRetryBudget) {
		t.Errorf("a refused token is not a spent retry budget: %v", err)
	}
	if srv.calls.Load() != 2 {
		t.Errorf("calls = %d, want exactly 2 (one refresh)", srv.calls.Load())
	}
	if got := ts.invalidations(); len(got) != 1 {
		t.Errorf("Invalidate calls = %v, want one", got)
	}
}

func Test401WithoutTokenSourceIsNotRetried(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 401, `{}`) })
	tr, _ := newTransport(transport.Options{})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIOAuth, Method: "GET", URL: srv.URL, Idempotent: true})
	if transport.StatusOf(err) != 401 || srv.calls.Load() != 1 {
		t.Errorf("err %v after %d calls; want the 401 after 1 call", err, srv.calls.Load())
	}
}

func TestTokenSourceErrorStopsTheCall(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{}`) })
	tr, _ := newTransport(transport.Options{})
	boom := errors.New("consent_required")
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL, Auth: &tokens{err: boom}})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the token source's error", err)
	}
	if srv.calls.Load() != 0 {
		t.Errorf("calls = %d, want 0", srv.calls.Load())
	}
}

// --- error decoding through Do ----------------------------------------------------------------

func TestDoDecodesErrorBodies(t *testing.T) {
	cases := []struct {
		name        string
		api         transport.API
		status      int
		body        string
		code, msg   string
		msgContains string
	}{
		{name: "eSignature", api: transport.APIESign, status: 400,
			body: `{"errorCode":"USER_LACKS_PERMISSIONS","message":"This user lacks sufficient permissions to access this resource."}`,
			code: "USER_LACKS_PERMISSIONS", msg: "This user lacks sufficient permissions to access this resource."},
		{name: "Admin", api: transport.APIAdmin, status: 403,
			body: `{"error":"insufficient_scope","error_description":"The user_write scope is required"}`,
			code: "insufficient_scope", msg: "The user_write scope is required"},
		{name: "Admin sub-account", api: transport.APIAdmin, status: 400,
			body: `{"error":"invalid_request","errorDescription":"Plan not found","isSystemError":false}`,
			code: "invalid_request", msg: "Plan not found"},
		{name: "HTML", api: transport.APIESign, status: 404,
			body:        "<html>\r\n<head><title>404 Not Found</title></head>\n<body>nope</body></html>",
			msgContains: "<html>"},
		{name: "empty", api: transport.APIAdmin, status: 404, body: "", msg: "Not Found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			tr, _ := newTransport(transport.Options{})
			_, err := tr.Do(context.Background(), transport.Request{API: tc.api, Method: "GET", URL: srv.URL + "/v2/organizations/o-1/users", Query: url.Values{"email": {"secret@example.com"}}, Idempotent: true})
			var apiErr *transport.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *transport.Error", err)
			}
			if apiErr.API != tc.api || apiErr.Status != tc.status || apiErr.Code != tc.code {
				t.Errorf("decoded %+v", apiErr)
			}
			if tc.msg != "" && apiErr.Message != tc.msg {
				t.Errorf("Message = %q, want %q", apiErr.Message, tc.msg)
			}
			if tc.msgContains != "" && !strings.Contains(apiErr.Message, tc.msgContains) {
				t.Errorf("Message = %q, want it to contain %q", apiErr.Message, tc.msgContains)
			}
			if strings.ContainsAny(apiErr.Message, "\r\n") {
				t.Errorf("Message %q holds line breaks", apiErr.Message)
			}
			if apiErr.Method != "GET" || apiErr.Path != "/v2/organizations/o-1/users" {
				t.Errorf("Method/Path = %q %q", apiErr.Method, apiErr.Path)
			}
			if strings.Contains(err.Error(), "secret@example.com") {
				t.Errorf("error %q leaks the query string", err)
			}
			if srv.calls.Load() != 1 {
				t.Errorf("calls = %d, want 1", srv.calls.Load())
			}
		})
	}
}

func TestErrorsNeverShowTheToken(t *testing.T) {
	const secret = "eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0.SECRET-ACCESS-TOKEN"
	var mu sync.Mutex
	var logged []map[string]any
	logger := func(_ context.Context, _ string, fields map[string]any) {
		mu.Lock()
		logged = append(logged, fields)
		mu.Unlock()
	}
	handlers := map[string]func(n int, w http.ResponseWriter, r *http.Request){
		"400 eSignature": func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 400, `{"errorCode":"INVALID_REQUEST_PARAMETER","message":"bad"}`)
		},
		"401 twice": func(_ int, w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, 401, `{"errorCode":"AUTHORIZATION_INVALID_TOKEN","message":"The access token provided is expired, revoked or malformed."}`)
		},
		"5xx text": func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(503)
			_, _ = io.WriteString(w, "upstream connect error")
		},
		"dropped": func(_ int, w http.ResponseWriter, _ *http.Request) { dropConnection(t, w) },
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, h)
			tr, _ := newTransport(transport.Options{Logger: logger, MaxRetries: transport.Retries(1), HTTPClient: &http.Client{}})
			ts := &staticToken{tok: secret}
			_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "POST", URL: srv.URL + "/x", Auth: ts, JSON: map[string]string{"k": "v"}})
			if err == nil {
				t.Fatal("want an error")
			}
			for _, s := range []string{secret, "SECRET-ACCESS-TOKEN", "Bearer", "Authorization"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q contains %q", err, s)
				}
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logged) == 0 {
		t.Fatal("logger was never called")
	}
	for _, f := range logged {
		if s := fmt.Sprint(f); strings.Contains(s, "SECRET-ACCESS-TOKEN") || strings.Contains(s, "Bearer") {
			t.Errorf("log fields %v contain the token", f)
		}
	}
}

type staticToken struct{ tok string }

func (s *staticToken) AccessToken(context.Context) (string, error) { return s.tok, nil }
func (s *staticToken) Invalidate(string)                           {}

func TestLoggerFields(t *testing.T) {
	srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "3000")
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(3000-n))
		w.Header().Set("X-BurstLimit-Remaining", "499")
		if n == 1 {
			writeJSON(w, 503, `{}`)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	var logged []map[string]any
	tr, _ := newTransport(transport.Options{Logger: func(_ context.Context, _ string, f map[string]any) { logged = append(logged, f) }})
	if _, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/users", Query: url.Values{"email": {"x@example.com"}}, Idempotent: true}); err != nil {
		t.Fatal(err)
	}
	if len(logged) != 2 {
		t.Fatalf("log lines = %d, want one per attempt", len(logged))
	}
	want := map[string]any{"api": "esignature", "method": "GET", "path": "/users", "attempt": 2, "status": 200, "ratelimit_remaining": 2998, "burstlimit_remaining": 499}
	if !reflect.DeepEqual(logged[1], want) {
		t.Errorf("fields = %v, want %v", logged[1], want)
	}
	if logged[0]["status"] != 503 || logged[0]["attempt"] != 1 {
		t.Errorf("first fields = %v", logged[0])
	}
}

// --- context cancellation ---------------------------------------------------------------------

func TestCancelStopsTheDefaultRetryWait(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 503, `{}`) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// No Sleep injected: the real wait would be an hour, and cancelling must end it.
	tr := transport.New(transport.Options{
		BaseDelay: time.Hour, MaxDelay: time.Hour,
		Logger: func(context.Context, string, map[string]any) { cancel() },
	})
	done := make(chan error, 1)
	go func() {
		_, err := tr.Do(ctx, transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL, Idempotent: true})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Do kept waiting after the context was cancelled")
	}
	if srv.calls.Load() != 1 {
		t.Errorf("calls = %d, want 1", srv.calls.Load())
	}
}

func TestCancelDuringInjectedSleep(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    func(w http.ResponseWriter)
	}{
		{"rate limit", func(w http.ResponseWriter) {
			writeJSON(w, 400, `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED"}`)
		}},
		{"5xx", func(w http.ResponseWriter) { writeJSON(w, 500, `{}`) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { tc.h(w) })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			sleeping := make(chan struct{})
			tr := transport.New(transport.Options{
				Sleep: func(ctx context.Context, _ time.Duration) error {
					close(sleeping)
					<-ctx.Done()
					return ctx.Err()
				},
			})
			done := make(chan error, 1)
			go func() {
				_, err := tr.Do(ctx, transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL, Idempotent: true})
				done <- err
			}()
			<-sleeping
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if srv.calls.Load() != 1 {
				t.Errorf("calls = %d, want 1", srv.calls.Load())
			}
		})
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, `{}`) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tr, sl := newTransport(transport.Options{})
	_, err := tr.Do(ctx, transport.Request{API: transport.APIESign, Method: "POST", URL: srv.URL})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Errorf("a request that was never sent is not an unknown outcome")
	}
	if srv.calls.Load() != 0 || len(sl.all()) != 0 {
		t.Errorf("calls %d, sleeps %v", srv.calls.Load(), sl.all())
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := newServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "3000")
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(3000-n))
		if n%3 == 0 {
			writeJSON(w, 429, `{}`)
			return
		}
		writeJSON(w, 200, `{"n":1}`)
	})
	tr, _ := newTransport(transport.Options{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			var out struct{ N int }
			if _, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL, Out: &out, Auth: &tokens{}}); err != nil || out.N != 1 {
				t.Errorf("err %v, out %+v", err, out)
			}
			_ = tr.LastRateLimit()
		})
	}
	wg.Wait()
}
