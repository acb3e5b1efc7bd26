// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// TestBudgetNeverExceeded: many readers growing their shares chunk by chunk, with claims that
// together far exceed the budget, never hold more than the budget at once, and all finish: the
// grants never leave every holder waiting for the others.
func TestBudgetNeverExceeded(t *testing.T) {
	const total = 1 << 20
	b := transport.NewBudget(total)
	var wg sync.WaitGroup
	var over atomic.Int64
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			claim := int64(64<<10) + rand.Int64N(total-64<<10) // up to the whole budget
			h := b.Open(claim)
			defer h.Close()
			for h.Held() < claim {
				if err := h.Grow(context.Background(), min(int64(8<<10+i*512), claim-h.Held())); err != nil {
					t.Error(err)
					return
				}
				if used := b.InUse(); used > total {
					over.Store(used)
				}
				time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("readers still waiting after 30 s with %d of %d bytes held: the budget deadlocked", b.InUse(), total)
	}
	if over.Load() > 0 || b.Peak() > total {
		t.Errorf("held %d bytes at once (peak %d), budget %d", over.Load(), b.Peak(), total)
	}
	if b.InUse() != 0 {
		t.Errorf("%d bytes still counted after every reader closed", b.InUse())
	}
}

// TestBudgetTwoHalfHoldersDoNotDeadlock: two readers that could each take half the budget and
// then both wait for the rest are the case a plain semaphore deadlocks on; one of them waits
// before that point instead.
func TestBudgetTwoHalfHoldersDoNotDeadlock(t *testing.T) {
	b := transport.NewBudget(100)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := b.Open(80)
			for h.Held() < 80 {
				if err := h.Grow(context.Background(), 10); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(time.Millisecond)
			}
			h.Close()
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("deadlock: %d of 100 bytes held by two readers waiting for each other", b.InUse())
	}
}

// TestBudgetWaitersProceedOnRelease: a reader that does not fit waits, without failing, and
// goes on as soon as another gives its bytes back.
func TestBudgetWaitersProceedOnRelease(t *testing.T) {
	b := transport.NewBudget(100)
	first := b.Open(100)
	if err := first.Grow(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	granted := make(chan error, 1)
	go func() { granted <- b.Open(40).Grow(context.Background(), 40) }()
	select {
	case err := <-granted:
		t.Fatalf("a reader got 40 bytes of a full budget (err %v)", err)
	case <-time.After(50 * time.Millisecond):
	}
	first.Shrink(60)
	select {
	case err := <-granted:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting reader did not proceed when 60 bytes were given back")
	}
	if got := b.InUse(); got != 80 {
		t.Errorf("in use %d, want 80", got)
	}
}

// TestBudgetCancelWhileWaiting: a waiting reader whose call is cancelled stops waiting with the
// context's error and takes nothing.
func TestBudgetCancelWhileWaiting(t *testing.T) {
	b := transport.NewBudget(100)
	full := b.Open(100)
	if err := full.Grow(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() { result <- b.Open(10).Grow(ctx, 10) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-result:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled reader still waits")
	}
	full.Close()
	if got := b.InUse(); got != 0 {
		t.Errorf("in use %d after everyone left, want 0", got)
	}
}

// chunked answers with n bytes of a JSON document padded with spaces (valid JSON, as a proxy
// could send), without a Content-Length, so the reader learns its size only by reading.
func chunked(n int, marker string) http.HandlerFunc { return chunkedStatus(200, n, marker) }

func chunkedStatus(status, n int, marker string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		doc := `{"users":[{"userId":"` + marker + `"}]}`
		_, _ = io.WriteString(w, doc)
		pad := bytes.Repeat([]byte(" "), 32<<10)
		for left := n - len(doc); left > 0; left -= len(pad) {
			if _, err := w.Write(pad[:min(left, len(pad))]); err != nil {
				return
			}
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		}
	}
}

// TestConcurrentAnswersShareTheBudget: ten calls at once, each answered with more than a third
// of the budget, all succeed; together they never hold more than the budget.
func TestConcurrentAnswersShareTheBudget(t *testing.T) {
	const size = 400 << 10
	declared := func(w http.ResponseWriter, r *http.Request) {
		body := `{"users":[{"userId":"u1"}]}` + strings.Repeat(" ", size)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		writeJSON(w, 200, body)
	}
	for name, handler := range map[string]http.HandlerFunc{"chunked": chunked(size, "u1"), "declared length": declared} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(handler)
			defer srv.Close()
			budget := transport.NewBudget(1 << 20)
			tr, _ := newTransport(transport.Options{Budget: budget, MaxAnswer: 512 << 10})
			var wg sync.WaitGroup
			for range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var out struct{ Users []struct{ UserID string } }
					_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL + "/users", Idempotent: true, Out: &out})
					if err != nil || len(out.Users) != 1 || out.Users[0].UserID != "u1" {
						t.Errorf("err = %v, users %v", err, out.Users)
					}
				}()
			}
			wg.Wait()
			if budget.Peak() > budget.Total() || budget.Peak() < size {
				t.Errorf("peak %d bytes held, budget %d", budget.Peak(), budget.Total())
			}
			if budget.InUse() != 0 {
				t.Errorf("%d bytes still counted after the calls returned", budget.InUse())
			}
		})
	}
}

// TestOverCapAnswerFailsNamingRouteAndSize: an answer longer than the per-answer cap fails at
// once, whether its length is declared or found by reading; the error names the route and the
// size, quotes nothing of the body, is not retried, and leaves nothing counted.
func TestOverCapAnswerFailsNamingRouteAndSize(t *testing.T) {
	const limit = 1 << 20
	const marker = "SECRET-BODY-MARKER"
	declared := func(w http.ResponseWriter, r *http.Request) {
		body := `{"users":[{"userId":"` + marker + `"}]}` + strings.Repeat(" ", 3<<20)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		writeJSON(w, 200, body)
	}
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		size    string
	}{
		{"declared length", declared, "bytes (3.0 MiB), more than 1 MiB"},
		{"chunked", chunked(3<<20, marker), "more than 1 MiB"},
		{"chunked error answer", chunkedStatus(503, 3<<20, marker), "more than 1 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				tc.handler(w, r)
			}))
			defer srv.Close()
			budget := transport.NewBudget(4 << 20)
			tr, _ := newTransport(transport.Options{Budget: budget, MaxAnswer: limit})
			var out map[string]any
			_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET",
				URL: srv.URL + "/restapi/v2.1/accounts/a1/users", Query: map[string][]string{"email": {"person@example.com"}}, Idempotent: true, Out: &out})
			if !errors.Is(err, transport.ErrAnswerTooLarge) {
				t.Fatalf("err = %v, want ErrAnswerTooLarge", err)
			}
			msg := err.Error()
			for _, want := range []string{"GET /restapi/v2.1/accounts/a1/users", tc.size, "esignature"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not say %q", msg, want)
				}
			}
			for _, leak := range []string{marker, "person", "userId"} {
				if strings.Contains(msg, leak) {
					t.Errorf("error %q quotes %q", msg, leak)
				}
			}
			if calls.Load() != 1 {
				t.Errorf("%d calls, want 1: the same answer would come again", calls.Load())
			}
			if budget.InUse() != 0 || budget.Peak() > limit {
				t.Errorf("in use %d, peak %d: the over-cap answer must hold at most the cap and give it back", budget.InUse(), budget.Peak())
			}
		})
	}
}

// TestFileAnswersHaveTheirOwnCap: a CSV read whole into RawOut may pass the JSON answers' cap
// (an export of 100,000 memberships is about 30 MB), up to MaxFileAnswer.
func TestFileAnswersHaveTheirOwnCap(t *testing.T) {
	srv := httptest.NewServer(chunked(2<<20, "u1"))
	defer srv.Close()
	for _, tc := range []struct {
		fileCap int64
		ok      bool
	}{{4 << 20, true}, {1 << 20, false}} {
		tr, _ := newTransport(transport.Options{Budget: transport.NewBudget(8 << 20), MaxAnswer: 1 << 20, MaxFileAnswer: tc.fileCap})
		var raw []byte
		_, err := tr.Do(context.Background(), transport.Request{API: transport.APIAdmin, Method: "GET", URL: srv.URL + "/export.csv", Idempotent: true, RawOut: &raw})
		if tc.ok && (err != nil || len(raw) != 2<<20) {
			t.Errorf("file cap %d: err = %v, %d bytes", tc.fileCap, err, len(raw))
		}
		if !tc.ok && !errors.Is(err, transport.ErrAnswerTooLarge) {
			t.Errorf("file cap %d: err = %v, want ErrAnswerTooLarge", tc.fileCap, err)
		}
	}
}

// TestErrorAnswersAreNotHeldThroughBackoff: a retried 5xx gives its bytes back before the
// backoff, so a call sleeping out a retry holds nothing of the budget.
func TestErrorAnswersAreNotHeldThroughBackoff(t *testing.T) {
	budget := transport.NewBudget(1 << 20)
	errSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
		_, _ = io.WriteString(w, `{"errorCode":"UNSPECIFIED_ERROR"}`+strings.Repeat(" ", 200<<10))
	}))
	defer errSrv.Close()
	var heldInSleep []int64
	tr := transport.New(transport.Options{Budget: budget, MaxRetries: transport.Retries(2), Sleep: func(ctx context.Context, d time.Duration) error {
		heldInSleep = append(heldInSleep, budget.InUse())
		return nil
	}})
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: errSrv.URL, Idempotent: true})
	if !errors.Is(err, transport.ErrRetryBudget) {
		t.Fatalf("err = %v, want the retry budget", err)
	}
	if len(heldInSleep) != 2 || heldInSleep[0] != 0 || heldInSleep[1] != 0 {
		t.Errorf("bytes held during the backoffs: %v, want none", heldInSleep)
	}
	if budget.Peak() < 200<<10 {
		t.Errorf("peak %d: the error answers were not counted while read", budget.Peak())
	}
}

// TestStreamHoldsOnlyItsChunk: a body read chunk by chunk holds at most one chunk of the budget,
// however long the body, and nothing once closed.
func TestStreamHoldsOnlyItsChunk(t *testing.T) {
	budget := transport.NewBudget(1 << 20)
	body := strings.NewReader(strings.Repeat("x", 8<<20))
	s := budget.Stream(context.Background(), io.NopCloser(body))
	buf := make([]byte, 1<<20)
	var total int64
	for {
		n, err := s.Read(buf)
		total += int64(n)
		if used := budget.InUse(); used > transport.StreamChunk {
			t.Fatalf("a stream holds %d bytes, more than its chunk of %d", used, transport.StreamChunk)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if total != 8<<20 {
		t.Errorf("read %d bytes, want %d", total, 8<<20)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if budget.InUse() != 0 {
		t.Errorf("%d bytes counted after Close", budget.InUse())
	}
}

// TestStreamConsumerMayCallBetweenReads: a stream's consumer that makes another call between two
// reads, its chunk still counted, gets that call's answer (up to the file cap, a quarter below
// the budget) rather than waiting on itself.
func TestStreamConsumerMayCallBetweenReads(t *testing.T) {
	budget := transport.NewBudget(1 << 20)
	srv := httptest.NewServer(chunked(700<<10, "u1"))
	defer srv.Close()
	tr, _ := newTransport(transport.Options{Budget: budget, MaxFileAnswer: budget.Total() / 4 * 3})
	s := budget.Stream(context.Background(), strings.NewReader(strings.Repeat("x", 1<<20)))
	defer s.Close()
	if _, err := s.Read(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var raw []byte
	if _, err := tr.Do(ctx, transport.Request{API: transport.APIAdmin, Method: "GET", URL: srv.URL + "/result.csv", Idempotent: true, RawOut: &raw}); err != nil {
		t.Fatalf("the call between two reads of a stream: %v (budget in use %d)", err, budget.InUse())
	}
	if len(raw) != 700<<10 {
		t.Errorf("read %d bytes, want %d", len(raw), 700<<10)
	}
}
