// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"
)

const closeHeader = "AccountID,FirstName,LastName,UserEmail,PermissionSet\n"

func startWithLeavers(t *testing.T, n int, edit func(*Fixture)) *Server {
	t.Helper()
	f, err := LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		f.Users = append(f.Users, User{ID: fmt.Sprintf("c2000000-0000-4000-8000-%012d", i), Email: fmt.Sprintf("imp%04d@bulk.example", i),
			FirstName: "Imp", LastName: fmt.Sprint(i), Memberships: []Membership{{AccountID: sales, Status: "Active"}}})
	}
	if edit != nil {
		edit(f)
	}
	srv, err := Start(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func leaverRows(from, to int) string {
	var b strings.Builder
	b.WriteString(closeHeader)
	for i := from; i < to; i++ {
		fmt.Fprintf(&b, "%s,Imp,%d,imp%04d@bulk.example,DS Sender\n", sales, i, i)
	}
	return b.String()
}

func resultRows(t *testing.T, tok, org, id string) [][]string {
	t.Helper()
	code, text := getRawCSV(t, tok, org+"/imports/bulk_users/"+id+"/results_csv")
	if code != 200 {
		t.Fatalf("results_csv: %d %s", code, text)
	}
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// TestCloseImportHostileDefaults: snake_case values, an order of its own, the SDK's states, and
// cannot_close_last_active_admin; the switches bring back today's words and the upload order.
func TestCloseImportHostileDefaults(t *testing.T) {
	const solo = "c3000000-0000-4000-8000-000000000001"
	srv := startWithLeavers(t, 20, func(f *Fixture) {
		for i := range f.Users {
			for j := range f.Users[i].Memberships {
				if f.Users[i].Memberships[j].AccountID == sales {
					f.Users[i].Memberships[j].IsAdmin = false
				}
			}
		}
		f.Users = append(f.Users, User{ID: solo, Email: "solo.admin@bulk.example", FirstName: "Solo", LastName: "Admin",
			Memberships: []Membership{{AccountID: sales, Status: "Active", IsAdmin: true}}})
	})
	tok := accessToken(t, srv)
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	text := leaverRows(0, 20) + sales + ",Solo,Admin,solo.admin@bulk.example,DS Sender\n"
	_, created := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", text)
	id := jsonAt[string](t, created, "id")
	done, _ := waitJob(t, tok, org+"/imports/bulk_users/"+id)
	if done["status"] != "processed_with_errors" || done["closed_user_count"] != float64(20) || done["error_count"] != float64(1) {
		t.Fatalf("import: %v", done)
	}
	rows := resultRows(t, tok, org, id)
	inOrder := true
	for i, r := range rows {
		want := "membership_closed"
		if r[3] == "solo.admin@bulk.example" {
			want = "cannot_close_last_active_admin"
		}
		if r[5] != want {
			t.Errorf("row %v: want %s", r, want)
		}
		inOrder = inOrder && (i >= 20 || r[3] == fmt.Sprintf("imp%04d@bulk.example", i))
	}
	if inOrder {
		t.Fatal("results came back in upload order by default")
	}
	if v, _ := srv.User(solo); v.Memberships[0].Status != "Active" {
		t.Fatalf("the last admin closed: %+v", v)
	}
	// Deleted, the import is gone.
	if status, _, _ := doCall(t, tok, "DELETE", org+"/imports/bulk_users/"+id, ""); status != 200 || srv.StoredImports(orgID) != 0 {
		t.Fatalf("delete: %d, %d stored", status, srv.StoredImports(orgID))
	}

	srv.SetBehaviour(Behaviour{ImportResultsWords: true, ImportResultsUploadOrder: true})
	for _, u := range []int{0, 1, 2} {
		if err := srv.SetMembershipStatus(fmt.Sprintf("c2000000-0000-4000-8000-%012d", u), sales, "Active"); err != nil {
			t.Fatal(err)
		}
	}
	_, created = uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", leaverRows(0, 5))
	id = jsonAt[string](t, created, "id")
	done, _ = waitJob(t, tok, org+"/imports/bulk_users/"+id)
	if done["status"] != "processed_with_issues" {
		t.Fatalf("import with already-closed rows: %v", done)
	}
	for i, r := range resultRows(t, tok, org, id) {
		if r[3] != fmt.Sprintf("imp%04d@bulk.example", i) || !strings.HasPrefix(r[5], "Success") {
			t.Errorf("row %d: %v", i, r)
		}
	}
}

// TestCloseImportFileLevelFailures: a bad CSV and an import over the spec's limits are accepted
// and end failed with file_level_error_rollups, closing nobody; close_import_checks_upload
// refuses the bad CSV at once.
func TestCloseImportFileLevelFailures(t *testing.T) {
	srv := startWithLeavers(t, 2001, nil)
	tok := accessToken(t, srv)
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	for name, tc := range map[string]struct{ text, kind string }{
		"missing columns": {"AccountID,UserEmail\n" + sales + ",imp0000@bulk.example\n", "column_headers_missing"},
		"bad syntax":      {closeHeader + sales + `,"Imp,0,imp0000@bulk.example,DS Sender` + "\n", "invalid_csv_data_or_syntax"},
		"over 2,000":      {leaverRows(0, 2001), "maximum_users_exceeded"},
	} {
		status, created := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", tc.text)
		if status != 200 {
			t.Fatalf("%s: upload %d %v", name, status, created)
		}
		done, _ := waitJob(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, created, "id"))
		if done["status"] != "failed" || jsonAt[string](t, done, "file_level_error_rollups", 0, "error_type") != tc.kind {
			t.Fatalf("%s: %v", name, done)
		}
		if v, _ := srv.User("c2000000-0000-4000-8000-000000000000"); v.Memberships[0].Status != "Active" {
			t.Fatalf("%s: a failed import closed a user", name)
		}
	}
	srv.SetBehaviour(Behaviour{CloseImportChecksUpload: true})
	if status, body := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", "AccountID,UserEmail\n"); status != 400 || body["error"] != "column_headers_missing" {
		t.Fatalf("checked upload: %d %v", status, body)
	}
}

// TestCloseImportQueue: one import runs at a time per organization and one more may wait; a
// third is refused unless import_queue_unlimited; a queued import past its timeout ends
// timed_out_queued having closed nobody, unless import_queue_never_times_out.
func TestCloseImportQueue(t *testing.T) {
	srv := startWithLeavers(t, 6, nil)
	srv.SetJobSettings(JobSettings{DelayMS: 400, ImportQueueTimeoutMS: 200})
	tok := accessToken(t, srv)
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	upload := func(from, to int) (int, map[string]any) {
		return uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", leaverRows(from, to))
	}
	_, first := upload(0, 2)
	_, second := upload(2, 4) // waits 400 ms behind the first: past its 200 ms timeout
	if status, body := upload(4, 6); status != 400 || body["error"] != "import_already_queued" {
		t.Fatalf("third import: %d %v", status, body)
	}
	done, _ := waitJob(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, second, "id"))
	if done["status"] != "timed_out_queued" {
		t.Fatalf("second import: %v", done)
	}
	if v, _ := srv.User("c2000000-0000-4000-8000-000000000002"); v.Memberships[0].Status != "Active" {
		t.Fatal("a timed-out import closed a user")
	}
	if done, _ = waitJob(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, first, "id")); done["status"] != "completed" {
		t.Fatalf("first import: %v", done)
	}

	srv.SetBehaviour(Behaviour{ImportQueueUnlimited: true, ImportQueueNeverTimesOut: true})
	var ids []string
	for i := range 3 {
		status, created := upload(2*i, 2*i+2)
		if status != 200 {
			t.Fatalf("queued import %d: %d %v", i, status, created)
		}
		ids = append(ids, jsonAt[string](t, created, "id"))
	}
	for _, id := range ids {
		if done, _ := waitJob(t, tok, org+"/imports/bulk_users/"+id); done["status"] != "completed" && done["status"] != "processed_with_issues" {
			t.Fatalf("queued import: %v", done)
		}
	}
}

// TestCloseImportStoredCap: about 90 stored imports, then refusals until some are deleted;
// import_jobs_uncapped lifts the cap.
func TestCloseImportStoredCap(t *testing.T) {
	srv := startWithLeavers(t, 1, nil)
	tok := accessToken(t, srv)
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	var last map[string]any
	for i := range maxStoredJobs {
		status, created := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", leaverRows(0, 1))
		if status != 200 {
			t.Fatalf("import %d: %d %v", i, status, created)
		}
		last = created
		waitJob(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, created, "id"))
	}
	if status, body := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", leaverRows(0, 1)); status != 400 || body["error"] != "maximum_imports_exceeded" {
		t.Fatalf("over the cap: %d %v", status, body)
	}
	doCall(t, tok, "DELETE", org+"/imports/bulk_users/"+jsonAt[string](t, last, "id"), "")
	if status, _ := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", leaverRows(0, 1)); status != 200 {
		t.Fatalf("after a delete: %d", status)
	}
	time.Sleep(10 * time.Millisecond)
	srv.SetBehaviour(Behaviour{ImportJobsUncapped: true})
	if status, _ := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", leaverRows(0, 1)); status != 200 {
		t.Fatalf("uncapped: %d", status)
	}
}
