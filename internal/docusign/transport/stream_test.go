// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// streamServer answers every request with handler and counts them.
func streamServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int32)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler(w, r, calls.Add(1))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestStreamReadsTheBodyAsItArrives: a 2xx body reaches Stream whole, in pieces, with the token,
// and no copy of it is kept (Out and RawOut stay untouched).
func TestStreamReadsTheBodyAsItArrives(t *testing.T) {
	line := strings.Repeat("x", 1000) + "\n"
	srv, calls := streamServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		for range 500 {
			_, _ = io.WriteString(w, line)
		}
	})
	tr, _ := newTransport(transport.Options{})
	var got int64
	var raw []byte
	_, err := tr.Do(context.Background(), transport.Request{
		API: transport.APIAdmin, Method: "GET", URL: srv.URL + "/file", Idempotent: true, Auth: &tokens{}, RawOut: &raw,
		Stream: func(r io.Reader) error {
			n, err := io.Copy(io.Discard, r)
			got = n
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != int64(500*len(line)) || calls.Load() != 1 || raw != nil {
		t.Fatalf("streamed %d bytes in %d calls (raw %d), want %d in 1", got, calls.Load(), len(raw), 500*len(line))
	}
}

// TestStreamErrorsAreDecodedAndNeverStreamed: an error status and an error object behind a 200
// are errors as for any call; Stream never sees either.
func TestStreamErrorsAreDecodedAndNeverStreamed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"404", 404, `{"error":"not_found","error_description":"Export gone."}`, transport.ErrNotFound},
		{"error in 200", 200, `  {"error":"export_failed","error_description":"no"}`, transport.ErrErrorBodyInSuccess},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := streamServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			tr, _ := newTransport(transport.Options{})
			streamed := false
			_, err := tr.Do(context.Background(), transport.Request{
				API: transport.APIAdmin, Method: "GET", URL: srv.URL + "/file", Idempotent: true,
				Stream: func(io.Reader) error { streamed = true; return nil },
			})
			if !errors.Is(err, tc.want) || streamed {
				t.Fatalf("err = %v (streamed %v), want %v", err, streamed, tc.want)
			}
		})
	}
}

// TestStreamJSONDataIsStreamed: a 2xx JSON body that is no error object is data.
func TestStreamJSONDataIsStreamed(t *testing.T) {
	srv, _ := streamServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		_, _ = io.WriteString(w, `{"rows":[1,2,3]}`)
	})
	tr, _ := newTransport(transport.Options{})
	var got string
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIAdmin, Method: "GET", URL: srv.URL, Idempotent: true,
		Stream: func(r io.Reader) error { b, err := io.ReadAll(r); got = string(b); return err }})
	if err != nil || got != `{"rows":[1,2,3]}` {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestStreamReaderFailureIsFinal: Stream's own error ends the call at once, unretried, and
// the partition guard does not count it as silence.
func TestStreamReaderFailureIsFinal(t *testing.T) {
	srv, calls := streamServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		_, _ = io.WriteString(w, "a,b\n1,2\n")
	})
	tr, _ := newTransport(transport.Options{})
	bad := errors.New("no AccountID column")
	for range 3 {
		_, err := tr.Do(context.Background(), transport.Request{API: transport.APIAdmin, Method: "GET", URL: srv.URL, Idempotent: true,
			Stream: func(io.Reader) error { return bad }})
		if !errors.Is(err, bad) {
			t.Fatalf("err = %v, want the reader's own", err)
		}
	}
	if calls.Load() != 3 {
		t.Fatalf("%d calls for 3 reads, want 3 (no retries)", calls.Load())
	}
}

// TestStreamDroppedMidAnswerIsRetriedFromTheStart: a connection that dies mid-answer is a
// failed attempt; the retry streams the whole answer again from its start.
func TestStreamDroppedMidAnswerIsRetriedFromTheStart(t *testing.T) {
	srv, calls := streamServer(t, func(w http.ResponseWriter, _ *http.Request, n int32) {
		body := "header\nrow1\nrow2\n"
		w.Header().Set("Content-Length", "1000")
		if n == 1 {
			_, _ = io.WriteString(w, body[:9]) // then the handler ends: the client sees an unexpected EOF
			return
		}
		w.Header().Set("Content-Length", "17")
		_, _ = io.WriteString(w, body)
	})
	tr, _ := newTransport(transport.Options{})
	var reads []string
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIAdmin, Method: "GET", URL: srv.URL, Idempotent: true,
		Stream: func(r io.Reader) error {
			b, err := io.ReadAll(r)
			reads = append(reads, string(b))
			return err
		}})
	if err != nil || calls.Load() != 2 || len(reads) != 2 || reads[1] != "header\nrow1\nrow2\n" {
		t.Fatalf("err %v, %d calls, reads %q", err, calls.Load(), reads)
	}
}

// TestStreamPastTheCapFails: an answer without end stops at the cap with ErrStreamTooLarge,
// naming the route, never silently cut short.
func TestStreamPastTheCapFails(t *testing.T) {
	defer transport.SetMaxStreamBody(1000)()
	srv, calls := streamServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		_, _ = io.WriteString(w, strings.Repeat("y", 5000))
	})
	tr, _ := newTransport(transport.Options{})
	var got int
	_, err := tr.Do(context.Background(), transport.Request{API: transport.APIAdmin, Method: "GET", URL: srv.URL + "/big", Idempotent: true,
		Stream: func(r io.Reader) error { b, err := io.ReadAll(r); got = len(b); return err }})
	if !errors.Is(err, transport.ErrStreamTooLarge) || !strings.Contains(err.Error(), "GET /big") || calls.Load() != 1 || got > 1000 {
		t.Fatalf("err = %v, %d calls, %d bytes read", err, calls.Load(), got)
	}
}
