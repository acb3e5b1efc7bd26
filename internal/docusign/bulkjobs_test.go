// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

const (
	routeUsersList   = "GET /restapi/v2.1/accounts/{accountId}/users"
	routeUserGet     = "GET /restapi/v2.1/accounts/{accountId}/users/{userId}"
	routeCloseUsers  = "DELETE /restapi/v2.1/accounts/{accountId}/users"
	routeExport      = "POST /Management/v2/organizations/{organizationId}/exports/user_list"
	routeCloseImport = "POST /Management/v2/organizations/{organizationId}/imports/bulk_users/close"
)

type progressLog struct {
	mu     sync.Mutex
	stages []string
}

func (p *progressLog) record(stage string, fields map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	job, _ := fields["job"].(string)
	line := job + " " + stage
	if rows, ok := fields["rows"]; ok && stage == "downloaded" {
		line += fmt.Sprintf(" %v rows", rows)
	}
	p.stages = append(p.stages, line)
}

func TestExportMembershipsReportsProgress(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	srv.SetJobSettings(emulator.JobSettings{DelayMS: 1500})
	c := newClient(t, srv)
	var log progressLog
	rows, err := c.ExportMemberships(context.Background(), testOrg, []string{testSales}, log.record)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"export queued", "export processing", "export completed", fmt.Sprintf("export downloaded %d rows", len(rows))}
	if strings.Join(log.stages, "|") != strings.Join(want, "|") {
		t.Fatalf("progress %q, want %q", log.stages, want)
	}
	alex := userID(t, srv, "alex.leaver@opensam.example")
	found := false
	for _, r := range rows {
		if r.UserID == alex && r.AccountID == testSales {
			found = r.Email == "alex.leaver@opensam.example" && r.PermissionSet != "" && r.MembershipStatus == "active"
		}
	}
	if !found {
		t.Fatalf("alex's sales membership is missing or incomplete in %d rows", len(rows))
	}
}

// withClosedUsers is the demo organization plus n users in Sales, closed when closed is true.
func withClosedUsers(t *testing.T, n int, status string) (*emulator.Fixture, []string) {
	f, err := emulator.LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		id := fmt.Sprintf("c1000000-0000-4000-8000-%012d", i)
		ids = append(ids, id)
		f.Users = append(f.Users, emulator.User{ID: id, Email: fmt.Sprintf("bulk%04d@bulk.example", i), FirstName: "Bulk", LastName: fmt.Sprint(i),
			Memberships: []emulator.Membership{{AccountID: testSales, Status: status}}})
	}
	return f, ids
}

// TestCloseManyPreferBulk: above the threshold, one export and one import close everyone; a row
// DocuSign refused is confirmed open and closed by a batch, and a user already closed costs
// nothing.
func TestCloseManyPreferBulk(t *testing.T) {
	f, ids := withClosedUsers(t, 40, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	// An export with closed memberships: the user already closed is found in it and costs nothing.
	srv.SetBehaviour(emulator.Behaviour{BulkCloseRefusesPending: true, ExportIncludesClosed: true})
	if err := srv.SetMembershipStatus(ids[3], testSales, "ActivationSent"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetMembershipStatus(ids[5], testSales, "Closed"); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	srv.ResetStats()
	results, err := c.CloseManyPreferBulk(context.Background(), testSales, ids, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(ids) {
		t.Fatalf("%d results for %d users", len(results), len(ids))
	}
	for _, r := range results {
		st, closures := status(t, srv, r.UserID, testSales)
		switch {
		case r.Err != nil || st != "Closed" || closures != 1:
			t.Errorf("user %s: err %v, status %s, closures %d", r.UserID, r.Err, st, closures)
		}
	}
	// The pending user's row failed (user_awaiting_activation): the listing confirms them open
	// and one batch closes them.
	st := srv.Stats()
	if st.Requests[routeCloseUsers] != 1 || st.Requests[routeExport] != 1 || st.Requests[routeCloseImport] != 1 || st.Total > 15 {
		t.Fatalf("calls: %v", st.Requests)
	}
	// Below the threshold, the batches.
	srv.ResetStats()
	if _, err := c.CloseManyPreferBulk(context.Background(), testSales, ids[:5], 10, nil); err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); st.Requests[routeCloseUsers] != 1 || st.Requests[routeCloseImport] != 0 {
		t.Fatalf("below the threshold: %v", st.Requests)
	}
}

// TestDirectoryRefreshNeverCostsMoreThanAListing: with 1,200 closed users (12 pages), answering
// for every one of them, and for users not closed, costs one listing page and one export, and
// without organization rights the full listing: never a GET per user.
func TestDirectoryRefreshNeverCostsMoreThanAListing(t *testing.T) {
	const n = 1200
	f, ids := withClosedUsers(t, n, "Closed")
	srv := startEmulator(t, f, emulator.Options{})
	alex := userID(t, srv, "alex.leaver@opensam.example")
	srv.SetBehaviour(emulator.Behaviour{ExportIncludesClosed: true})
	for _, admin := range []bool{true, false} {
		c := newClient(t, srv, func(cfg *Config) {
			if !admin { // no Admin API scopes: the export is refused, the listing goes on
				cfg.Scopes = []string{"signature", "impersonation"}
			}
		})
		srv.ResetStats()
		for _, id := range append(ids, alex) {
			closed, err := c.directory.IsClosed(context.Background(), testSales, id)
			if err != nil {
				t.Fatal(err)
			}
			if closed != (id != alex) {
				t.Fatalf("admin=%v: user %s closed=%v", admin, id, closed)
			}
		}
		st := srv.Stats()
		listing := (n + 1 + 99) / 100 // the demo has one closed user in Sales too
		if st.Requests[routeUserGet] != 0 || st.Total > listing+3 {
			t.Fatalf("admin=%v: %d calls (%v), a listing is %d", admin, st.Total, st.Requests, listing)
		}
		if admin && (st.Requests[routeExport] != 1 || st.Total > 10) {
			t.Fatalf("admin: expected one export and at most 10 calls: %v", st.Requests)
		}
	}
}

// TestBulkJobsRideOutFaults: every bulk route (export create, status, download; import create,
// status, results) first answers 503 (the upload excepted), then DocuSign's 400 burst-limit
// form, then works. Both
// jobs still finish, and nobody is closed twice.
func TestBulkJobsRideOutFaults(t *testing.T) {
	f, ids := withClosedUsers(t, 12, "Active")
	var mu sync.Mutex
	hits := map[string]int{}
	bulkRoute := func(path, method string) string {
		switch {
		case strings.HasPrefix(path, "/_downloads/"):
			return "download"
		case strings.HasSuffix(path, "/results_csv"):
			return "results"
		case strings.Contains(path, "/exports/user_list"):
			return method + " export"
		case strings.Contains(path, "/imports/bulk_users"):
			return method + " import"
		}
		return ""
	}
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			route := bulkRoute(r.URL.Path, r.Method)
			mu.Lock()
			hits[route]++
			n := hits[route]
			mu.Unlock()
			if route == "POST import" && n == 1 {
				n = 2 // a 5xx on the upload is ambiguous, never resent: TestCloseImportLostAnswer
			}
			switch {
			case route != "" && n == 1:
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(`{"error":"server_error","error_description":"try again"}`))
			case route != "" && n == 2:
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"slow down"}`))
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
	srv, err := emulator.StartWithHandler(f, emulator.Options{}, wrap)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	// One refused row (a pending user) makes the client read the results file too.
	srv.SetBehaviour(emulator.Behaviour{BulkCloseRefusesPending: true})
	if err := srv.SetMembershipStatus(ids[4], testSales, "ActivationSent"); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	results, err := c.CloseManyPreferBulk(context.Background(), testSales, ids, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if st, closures := status(t, srv, r.UserID, testSales); r.Err != nil || st != "Closed" || closures != 1 {
			t.Errorf("user %s: err %v, status %s, closures %d", r.UserID, r.Err, st, closures)
		}
	}
	for _, route := range []string{"POST export", "GET export", "download", "POST import", "GET import", "results"} {
		if want := map[bool]int{true: 2, false: 3}[route == "POST import"]; hits[route] < want {
			t.Errorf("route %s answered %d times, want a 503, a throttle and a success", route, hits[route])
		}
	}
}
