// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

// TestParseExportVocabularies: today's names, DocuSign's (APIUserName, eSignPermissionProfile,
// UserStatus as the membership's status), header names in any case and spacing, and a BOM all
// read the same row.
func TestParseExportVocabularies(t *testing.T) {
	want := ExportRow{AccountID: "a1", UserID: "u1", Email: "x@y.example", MembershipStatus: "active", PermissionSet: "DS Sender",
		LicenseType: "professional", FirstName: "Ann", LastName: "Lee"}
	for name, tc := range map[string]struct {
		file    string
		status  string // the UserStatus the row keeps
		planned bool
	}{
		"emulator": {"AccountID,UserID,UserEmail,UserStatus,MembershipStatus,PermissionSet,LicenseType,FirstName,LastName,PlanName\n" +
			"a1,u1,x@y.example,closed,Active,DS Sender,professional,Ann,Lee,\n", "closed", true},
		"docusign": {"AccountID,AccountName,APIUserName,FirstName,LastName,UserEmail,UserStatus,eSignPermissionProfile,LicenseType\n" +
			"a1,Sales,u1,Ann,Lee,x@y.example,Active,DS Sender,professional\n", "Active", false},
		"bom": {"\ufeffAccountID,APIUserName,UserEmail,UserStatus,eSignPermissionProfile,LicenseType,FirstName,LastName\r\n" +
			"a1,u1,x@y.example,active,DS Sender,professional,Ann,Lee\r\n", "active", false},
		"case and spaces": {"account id, api user name ,USER EMAIL,User_Status,esign permission profile,License Type,first name,LAST_NAME,Subscription ID\n" +
			"a1,u1,x@y.example, Active ,DS Sender,professional,Ann,Lee,sub-1\n", "Active", true},
	} {
		t.Run(name, func(t *testing.T) {
			var rows []ExportRow
			planned, err := parseExport(strings.NewReader(tc.file), func(r *ExportRow) { rows = append(rows, *r) })
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || planned != tc.planned {
				t.Fatalf("%d rows, plan columns %v; want 1, %v", len(rows), planned, tc.planned)
			}
			got := rows[0]
			got.AccountName, got.PlanName, got.SubscriptionID = "", "", ""
			w := want
			w.UserStatus = tc.status
			if got != w {
				t.Fatalf("row\n %+v\nwant\n %+v", got, w)
			}
		})
	}
}

// TestParseExportNamesMissingColumns: a file without a column the provider needs is an
// ExportColumnsError naming each missing column with the names accepted for it.
func TestParseExportNamesMissingColumns(t *testing.T) {
	_, err := parseExport(strings.NewReader("\ufeffAccount,User,UserEmail,PermissionSet\na,b,c,d\n"), func(*ExportRow) {})
	var cols *ExportColumnsError
	if !errors.As(err, &cols) || !errors.Is(err, ErrExportUnreadable) {
		t.Fatalf("err = %v, want an ExportColumnsError", err)
	}
	for _, want := range []string{"AccountID", "UserID (or APIUserName)", "MembershipStatus (or UserStatus)", "its columns: Account, User, UserEmail, PermissionSet"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "no UserEmail") {
		t.Errorf("error %q names a column that is there", err)
	}
}

// TestExportBearerOnlyToTrustedHosts: the result file on the Admin API's own host gets the
// bearer token (the emulator's default refuses a download without it); a result URL on any
// other host gets its own signature and nothing more, and a refusal there is an unreadable
// export, not a failed one.
func TestExportBearerOnlyToTrustedHosts(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	rows, err := c.ExportMemberships(context.Background(), testOrg, []string{testSales}, nil)
	if err != nil || len(rows) == 0 {
		t.Fatalf("the emulator's own host: %d rows, %v", len(rows), err)
	}

	var mu sync.Mutex
	var seen []string
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, "auth="+r.Header.Get("Authorization")+" sig="+r.URL.Query().Get("sig"))
		mu.Unlock()
		if r.Header.Get("Authorization") != "" {
			w.WriteHeader(401)
			return
		}
		_, _ = io.WriteString(w, "AccountID,APIUserName,UserEmail,UserStatus\n"+testSales+",u1,a@b.example,active\n")
	}))
	defer foreign.Close()
	body, _ := json.Marshal(map[string]any{"id": "e1", "status": "completed", "success": true,
		"results": []map[string]any{{"id": "r1", "number_rows": 1, "url": foreign.URL + "/files/r1?sig=s3cret"}}})
	if err := srv.SetTampers(emulator.Tamper{Route: "POST /Management/v2/organizations/{organizationId}/exports/user_list", Body: body}); err != nil {
		t.Fatal(err)
	}
	rows, err = c.ExportMemberships(context.Background(), testOrg, []string{testSales}, nil)
	if err != nil || len(rows) != 1 || rows[0].UserID != "u1" {
		t.Fatalf("foreign host: %v, %v", rows, err)
	}
	if fmt.Sprint(seen) != "[auth= sig=s3cret]" {
		t.Fatalf("the foreign host saw %v, want the signature and no token", seen)
	}
	if !c.sendsTokenTo("https://na3.docusign.net/export/r1") || c.sendsTokenTo("http://na3.docusign.net/x") ||
		c.sendsTokenTo("https://docusign.net.evil.example/x") || !c.sendsTokenTo(srv.AdminBaseURL+"/../_downloads/x") {
		t.Fatal("sendsTokenTo does not follow the trust rule")
	}

	// Refused without a token: unreadable, and the signature never reaches the error.
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) }))
	defer refusing.Close()
	body, _ = json.Marshal(map[string]any{"id": "e2", "status": "completed", "success": true,
		"results": []map[string]any{{"id": "r1", "number_rows": 1, "url": refusing.URL + "/files/r1?sig=s3cret"}}})
	if err := srv.SetTampers(emulator.Tamper{Route: "POST /Management/v2/organizations/{organizationId}/exports/user_list", Body: body}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ExportMemberships(context.Background(), testOrg, []string{testSales}, nil)
	if !errors.Is(err, ErrExportUnreadable) || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("err = %v, want ErrExportUnreadable without the signature", err)
	}
}

// TestExportPartialResults: results with error_details or without a URL are named, with
// DocuSign's row counts, and the rows of the others are read.
func TestExportPartialResults(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	srv.SetJobSettings(emulator.JobSettings{PartialExports: true})
	c := newClient(t, srv)
	rows, info, err := exportRows(context.Background(), c, testOrg, []string{testSales, testLegal}, nil, func(r *ExportRow) (ExportRow, bool) { return *r, true })
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Skipped) != 2 || info.Skipped[0].Rows == 0 || !strings.Contains(info.Skipped[0].Reason, "export_failed") ||
		info.Skipped[1].Reason != "DocuSign gave it no URL" {
		t.Fatalf("skipped %+v", info.Skipped)
	}
	for _, r := range rows {
		if r.AccountID != testSales {
			t.Fatalf("a row of the withheld account: %+v", r)
		}
	}
	if len(rows) == 0 {
		t.Fatal("no rows from the result that worked")
	}
	// The Directory does not take a partial export: a user missing from it would read as open.
	if _, err := c.exportAccountUsers(context.Background(), testSales); !errors.Is(err, ErrExportUnreadable) {
		t.Fatalf("exportAccountUsers of a partial export: %v", err)
	}
}

// TestDirectoryExportWithoutClosedUsers: when the export leaves closed memberships out (the
// emulator's default), the refresh keeps to the closed listing, every closed user still reads
// closed, and a second refresh does not pay for another export.
func TestDirectoryExportWithoutClosedUsers(t *testing.T) {
	const n = 1200
	f, ids := withClosedUsers(t, n, "Closed")
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv)
	alex := userID(t, srv, "alex.leaver@opensam.example")
	listing := (n + 1 + 99) / 100
	for round := range 2 {
		c.ForgetAccount(testSales)
		srv.ResetStats()
		for _, id := range append(ids, alex) {
			closed, err := c.directory.IsClosed(context.Background(), testSales, id)
			if err != nil {
				t.Fatal(err)
			}
			if closed != (id != alex) {
				t.Fatalf("round %d: user %s closed=%v", round, id, closed)
			}
		}
		st := srv.Stats()
		exports := st.Requests[routeExport]
		if st.Requests[routeUserGet] != 0 || st.Requests[routeUsersList] != listing || exports != 1-round {
			t.Fatalf("round %d: %v, want the %d-page listing and %d exports", round, st.Requests, listing, 1-round)
		}
	}
}

// TestDirectoryExportDownloadRefused: a refused download is no failure of the refresh; the
// closed listing answers for every user.
func TestDirectoryExportDownloadRefused(t *testing.T) {
	const n = 700
	f, ids := withClosedUsers(t, n, "Closed")
	srv := startEmulator(t, f, emulator.Options{})
	srv.SetBehaviour(emulator.Behaviour{ExportIncludesClosed: true})
	if err := srv.FailNext("GET /_downloads/exports/{resultId}", 100, 401); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv)
	for _, id := range ids {
		closed, err := c.directory.IsClosed(context.Background(), testSales, id)
		if err != nil || !closed {
			t.Fatalf("user %s: closed=%v, %v", id, closed, err)
		}
	}
	st := srv.Stats()
	if st.Requests[routeExport] != 1 || st.Requests[routeUsersList] != (n+1+99)/100 || st.Requests[routeUserGet] != 0 {
		t.Fatalf("calls %v", st.Requests)
	}
}

const (
	routeDeleteExport = "DELETE /Management/v2/organizations/{organizationId}/exports/user_list/{exportId}"
	routeDownload     = "GET /_downloads/exports/{resultId}"
)

// TestExportDeletedWhenDone: an export is deleted once its file is read, and once its file could
// not be read; a delete DocuSign refuses is a log line and a note on the export, never a failed read.
func TestExportDeletedWhenDone(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	if rows, err := c.ExportMemberships(ctx, testOrg, []string{testSales}, nil); err != nil || len(rows) == 0 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if n, st := srv.StoredExports(testOrg), srv.Stats(); n != 0 || st.Requests[routeDeleteExport] != 1 {
		t.Fatalf("after a read: %d exports stored, calls %v", n, st.Requests)
	}

	if err := srv.FailNext(routeDownload, 100, 401); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExportMemberships(ctx, testOrg, []string{testSales}, nil); !errors.Is(err, ErrExportUnreadable) {
		t.Fatalf("a refused download: %v", err)
	}
	if err := srv.FailNext(routeDownload, 0, 0); err != nil {
		t.Fatal(err)
	}
	if n := srv.StoredExports(testOrg); n != 0 {
		t.Fatalf("after a refused download: %d exports stored", n)
	}

	if err := srv.FailNext(routeDeleteExport, 1, 403); err != nil {
		t.Fatal(err)
	}
	var log progressLog
	exp, err := c.membershipExporter()(WithProgress(ctx, log.record), testOrg, []string{testSales})
	if err != nil || len(exp.Rows) == 0 {
		t.Fatalf("a refused delete failed the read: %v", err)
	}
	if exp.NotDeleted == "" || exp.ID == "" || srv.StoredExports(testOrg) != 1 || !strings.Contains(strings.Join(log.stages, "|"), "export cleanup") {
		t.Fatalf("a refused delete: note %q, %d stored, progress %q", exp.NotDeleted, srv.StoredExports(testOrg), log.stages)
	}
}

// TestSubscriptionsCountsOnlyExport: a counts-only read through the export, reduced as the file
// streams, gives the full read's figures under the emulator's hostile default and with every
// column and closed membership in the file, and deletes its export too.
func TestSubscriptionsCountsOnlyExport(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	alex := userID(t, srv, "alex.leaver@opensam.example")
	for name, b := range map[string]emulator.Behaviour{
		"default":  {},
		"readable": {ExportEmulatorColumns: true, ExportIncludesClosed: true},
	} {
		srv.SetBehaviour(b)
		q := datafeed.SubscriptionsQuery{OrganizationID: testOrg, IncludeClosed: true, Source: datafeed.SourceExport,
			Rules: []datafeed.Rule{{ID: "alex", Kind: datafeed.KindUser, UserID: strings.ToUpper(alex), Active: true}}}
		full, err := c.Subscriptions(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		q.CountsOnly = true
		counts, err := c.Subscriptions(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if full.Total == 0 || full.ExcludedCount == 0 || len(counts.Subscriptions) != 0 {
			t.Fatalf("%s: full %d (%d excluded), counts-only listed %d", name, full.Total, full.ExcludedCount, len(counts.Subscriptions))
		}
		full.Subscriptions = counts.Subscriptions
		if !reflect.DeepEqual(full, counts) {
			t.Errorf("%s:\nfull   %+v\ncounts %+v", name, full, counts)
		}
		if n := srv.StoredExports(testOrg); n != 0 {
			t.Errorf("%s: %d exports left", name, n)
		}
	}
}
