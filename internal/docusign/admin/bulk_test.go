// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package admin_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// TestImportResultsStream: results_csv reaches the caller as it arrives. The fake sends the
// header and the first 4,000 rows (past the 64 KiB the transport looks at before streaming), then
// waits until the caller has read the first row before sending the rest, which only a streamed
// answer allows; an answer read whole first would make it wait in vain.
func TestImportResultsStream(t *testing.T) {
	head := "AccountID,UserEmail,ProcessingResults\r\n" + strings.Repeat("a1,ann@example.com,Closed\r\n", 4000)
	const tail = "a1,bob@example.com,Closed\r\n"
	seen := make(chan struct{})
	streamed := make(chan bool, 1)
	_, c := newFake(t, func(cl call, w http.ResponseWriter) {
		if !strings.HasSuffix(cl.Path, "/imports/bulk_users/i-1/results_csv") {
			writeJSON(w, 404, `{"error":"not_found","error_description":"no such import"}`)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, head)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		select {
		case <-seen:
			streamed <- true
		case <-time.After(5 * time.Second):
			streamed <- false
		}
		_, _ = io.WriteString(w, tail)
	})
	var got strings.Builder
	err := c.ImportResults(context.Background(), org, "i-1", func(r io.Reader) error {
		got.Reset()
		br := bufio.NewReader(r)
		for range 2 { // the header and the first row
			line, err := br.ReadString('\n')
			if err != nil {
				return err
			}
			got.WriteString(line)
		}
		close(seen)
		rest, err := io.ReadAll(br)
		got.Write(rest)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !<-streamed {
		t.Error("the caller saw nothing before the whole answer had arrived")
	}
	if got.String() != head+tail {
		t.Fatalf("read %q", got.String())
	}

	// An error answer never reaches read; read's own failure comes back as it is.
	called := false
	err = c.ImportResults(context.Background(), org, "i-2", func(io.Reader) error { called = true; return nil })
	if called || transport.StatusOf(err) != 404 {
		t.Fatalf("an error answer: read called %v, err %v", called, err)
	}
	mine := errors.New("the caller's own failure")
	seen = make(chan struct{})
	close(seen)
	if err := c.ImportResults(context.Background(), org, "i-1", func(io.Reader) error { return mine }); !errors.Is(err, mine) {
		t.Fatalf("read failing: %v", err)
	}
}

// Job states are read whatever their spelling: DocuSign's SDK tests use snake_case, and an
// answer in another case or with spaces must not look settled while the job still runs.
func TestJobState(t *testing.T) {
	for in, want := range map[string]string{
		"in_process": "in_process", "InProcess": "in_process", "In Process": "in_process", "IN-PROCESS": "in_process",
		"processing": "in_process", "Queued": "queued", " COMPLETED ": "completed", "complete": "completed",
		"TimedOutQueued": "timed_out_queued", "processed_with_issues": "processed_with_issues",
		"ProcessedWithErrors": "processed_with_errors", "": "",
	} {
		if got := admin.JobState(in); got != want {
			t.Errorf("JobState(%q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range []string{"InProcess", "In Process", "QUEUED"} {
		if admin.JobFinished(s) || !(&admin.Import{Status: s}).Importing() {
			t.Errorf("%q reads as settled", s)
		}
	}
}
