// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// foreign is a host nobody configured; it records whatever reaches it.
type foreign struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newForeign(t *testing.T) *foreign {
	t.Helper()
	f := &foreign{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.seen = append(f.seen, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization")+" body="+string(body))
		f.mu.Unlock()
		// What a hostile host would answer to make a GET look like a successful close.
		writeJSON(w, 200, `{"users":[{"userId":"u1","userStatus":"closed"}],"access_token":"stolen","expires_in":3600}`)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *foreign) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

// TestRedirectsAreNeverFollowed: a 3xx on any DocuSign call is an error naming the location's
// host, and nothing (the JWT assertion, the bearer token, a DELETE turned into a GET) reaches
// the host it points at. The query of the location never appears in the error.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	other := newForeign(t)
	otherURL, _ := url.Parse(other.URL)
	cases := []struct {
		name   string
		status int
		req    transport.Request
		client *http.Client
	}{
		{"307 on the token request", http.StatusTemporaryRedirect, transport.Request{API: transport.APIOAuth, Method: "POST",
			Form: url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {"signed.jwt.assertion"}}, Idempotent: true}, nil},
		{"308 on the token request", http.StatusPermanentRedirect, transport.Request{API: transport.APIOAuth, Method: "POST",
			Form: url.Values{"assertion": {"signed.jwt.assertion"}}, Idempotent: true}, nil},
		{"302 on userinfo", http.StatusFound, transport.Request{API: transport.APIOAuth, Method: "GET", Idempotent: true, Auth: bearer("secret-token")}, nil},
		{"302 on the close", http.StatusFound, transport.Request{API: transport.APIESign, Method: "DELETE",
			JSON: map[string]any{"users": []map[string]string{{"userId": "u1"}}}, Idempotent: true, Auth: bearer("secret-token")}, nil},
		{"301 on a read", http.StatusMovedPermanently, transport.Request{API: transport.APIAdmin, Method: "GET", Idempotent: true, Auth: bearer("secret-token")}, nil},
		{"303 with a caller's client that follows redirects", http.StatusSeeOther, transport.Request{API: transport.APIESign, Method: "DELETE",
			Idempotent: true, Auth: bearer("secret-token")}, &http.Client{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Location", other.URL+"/steal?email=person%40example.com&code=abc")
				w.WriteHeader(tc.status)
			})
			tr, _ := newTransport(transport.Options{HTTPClient: tc.client})
			req := tc.req
			req.URL = srv.URL + "/oauth/token"
			var out map[string]any
			req.Out = &out
			_, err := tr.Do(context.Background(), req)
			if !errors.Is(err, transport.ErrRedirect) {
				t.Fatalf("err = %v, want ErrRedirect", err)
			}
			if got := other.requests(); len(got) > 0 {
				t.Fatalf("the foreign host received %q", got)
			}
			if calls.Load() != 1 {
				t.Errorf("the redirecting server saw %d calls, want 1 (a redirect is not retried)", calls.Load())
			}
			msg := err.Error()
			if !strings.Contains(msg, otherURL.Host) {
				t.Errorf("error %q does not name the location's host %s", msg, otherURL.Host)
			}
			for _, leak := range []string{"steal", "person", "code=abc", "secret-token", "signed.jwt"} {
				if strings.Contains(msg, leak) {
					t.Errorf("error %q quotes %q", msg, leak)
				}
			}
		})
	}
}

type bearer string

func (s bearer) AccessToken(context.Context) (string, error) { return string(s), nil }
func (bearer) Invalidate(string)                             {}

// blackHole accepts requests and never answers until the test ends, as a partitioned network
// or a hung DocuSign does.
func blackHole(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	stop := make(chan struct{})
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	return srv, &calls
}

func shortTimeouts(header time.Duration) *http.Client {
	c := transport.DefaultHTTPClient()
	c.Transport.(*http.Transport).ResponseHeaderTimeout = header //nolint:forcetypeassert // DefaultHTTPClient's transport is an *http.Transport; a test may panic if not
	return c
}

// TestDeadlineBoundsRetriedTimeouts: timed-out attempts are retried, but never past the
// operation's deadline, and the error says the deadline ended it after how many attempts.
func TestDeadlineBoundsRetriedTimeouts(t *testing.T) {
	srv, calls := blackHole(t)
	tr := transport.New(transport.Options{HTTPClient: shortTimeouts(50 * time.Millisecond), BaseDelay: time.Millisecond,
		MaxRetries: transport.Retries(1000), NoUnreachableGuard: true})
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := tr.Do(ctx, transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/x", Idempotent: true})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the call took %s past a 400 ms deadline", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, transport.ErrDeadline) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	if calls.Load() < 2 || !strings.Contains(err.Error(), "attempts") {
		t.Errorf("err = %v after %d calls; want retried attempts, named in the error", err, calls.Load())
	}
}

// TestPartitionFailsFastOnceDocuSignIsSilent: when every attempt for UnreachableAfter went
// unanswered, later calls fail at once instead of each waiting out its own timeouts and retries;
// one probe at a time still goes through, and an answer closes the guard again.
func TestPartitionFailsFastOnceDocuSignIsSilent(t *testing.T) {
	var answering atomic.Bool
	var calls atomic.Int32
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if answering.Load() {
			writeJSON(w, 200, `{}`)
			return
		}
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(stop)

	const window = 300 * time.Millisecond
	tr := transport.New(transport.Options{HTTPClient: shortTimeouts(100 * time.Millisecond), BaseDelay: time.Millisecond,
		MaxDelay: 5 * time.Millisecond, MaxRetries: transport.Retries(1000), UnreachableAfter: window})
	get := func() error {
		_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/x", Idempotent: true})
		return err
	}

	start := time.Now()
	err := get()
	if !errors.Is(err, transport.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if took := time.Since(start); took > 10*window {
		t.Errorf("the first call took %s to give up; the guard should stop it after about %s", took, window)
	}

	// Everyone else now fails at once, without a request.
	before := calls.Load()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := get(); !errors.Is(err, transport.ErrUnreachable) {
				t.Errorf("err = %v, want ErrUnreachable", err)
			}
		}()
	}
	wg.Wait()
	if got := calls.Load() - before; got != 0 {
		t.Errorf("%d requests reached the silent host while the guard was open, want 0", got)
	}

	// The network comes back: after the window one probe goes through and closes the guard.
	answering.Store(true)
	time.Sleep(window + 50*time.Millisecond)
	if err := get(); err != nil {
		t.Fatalf("the probe after the partition failed: %v", err)
	}
	if err := get(); err != nil {
		t.Fatalf("a call after a successful probe failed: %v", err)
	}
}

// TestSlowAnswersAreNotAPartition: DocuSign answering, however slowly or with errors, keeps
// the guard closed.
func TestSlowAnswersAreNotAPartition(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		writeJSON(w, 503, `{"errorCode":"UNSPECIFIED_ERROR"}`)
	}))
	defer srv.Close()
	tr := transport.New(transport.Options{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetries: transport.Retries(30), UnreachableAfter: 50 * time.Millisecond})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL, Idempotent: true})
	if errors.Is(err, transport.ErrUnreachable) || !errors.Is(err, transport.ErrRetryBudget) {
		t.Fatalf("err = %v, want the retry budget, not ErrUnreachable", err)
	}
}

func TestDefaultTimeoutsAreOrdered(t *testing.T) {
	ordered := transport.DefaultConnectTimeout < transport.DefaultResponseHeaderTimeout &&
		transport.DefaultResponseHeaderTimeout < transport.DefaultAttemptTimeout
	if !ordered {
		t.Errorf("connect %s, response headers %s, attempt %s: connect and header timeouts must be shorter than the body's",
			transport.DefaultConnectTimeout, transport.DefaultResponseHeaderTimeout, transport.DefaultAttemptTimeout)
	}
	c := transport.DefaultHTTPClient()
	base, ok := c.Transport.(*http.Transport)
	if !ok || c.Timeout != transport.DefaultAttemptTimeout || base.ResponseHeaderTimeout != transport.DefaultResponseHeaderTimeout {
		t.Errorf("DefaultHTTPClient does not use the default timeouts")
	}
}
