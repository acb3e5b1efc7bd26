// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

const (
	routeListImports  = "GET /Management/v2/organizations/{organizationId}/imports/bulk_users"
	routeGetImport    = "GET /Management/v2/organizations/{organizationId}/imports/bulk_users/{importId}"
	routeDeleteImport = "DELETE /Management/v2/organizations/{organizationId}/imports/bulk_users/{importId}"
	routeImportCSV    = "GET /Management/v2/organizations/{organizationId}/imports/bulk_users/{importId}/results_csv"
	routeOrgUsers     = "GET /Management/v2/organizations/{organizationId}/users"
)

// closeAllOnce closes ids above the threshold and checks that every one ended closed exactly
// once, with no error, and that no import is left stored. It returns the progress stages the
// close went through ("import downloaded"), with how often each came.
func closeAllOnce(t *testing.T, srv *emulator.Server, c *Client, ids []string) map[string]int {
	t.Helper()
	stored := srv.StoredImports(testOrg)
	stages := map[string]int{}
	results, err := c.CloseManyPreferBulk(context.Background(), testSales, ids, 10, func(stage string, fields map[string]any) { stages[fmt.Sprint(fields["job"], " ", stage)]++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(ids) {
		t.Fatalf("%d results for %d users", len(results), len(ids))
	}
	for _, r := range results {
		if st, closures := status(t, srv, r.UserID, testSales); r.Err != nil || st != "Closed" || closures != 1 {
			t.Errorf("user %s: err %v, status %s, closures %d", r.UserID, r.Err, st, closures)
		}
	}
	if n := srv.StoredImports(testOrg); n != stored {
		t.Errorf("%d imports stored before, %d after", stored, n)
	}
	return stages
}

// TestBulkCloseUnderEachReading: under the hostile default (snake_case values, rows in an order
// of their own) and under each switch, rows are matched by account and email, in a bounded
// number of calls.
func TestBulkCloseUnderEachReading(t *testing.T) {
	for name, b := range map[string]emulator.Behaviour{
		"default":                      {},
		"import_results_words":         {ImportResultsWords: true},
		"import_results_upload_order":  {ImportResultsUploadOrder: true},
		"both":                         {ImportResultsWords: true, ImportResultsUploadOrder: true},
		"import_results_api_user_name": {ImportResultsAPIUserName: true},
		"job_states_pascal_case":       {JobStatesPascalCase: true},
	} {
		t.Run(name, func(t *testing.T) {
			// One pending user's row fails (user_awaiting_activation), so the counts do not
			// settle every row and the results are read: 29 rows matched, that one confirmed
			// open by one lookup and closed by one batch.
			f, ids := withClosedUsers(t, 30, "Active")
			srv := startEmulator(t, f, emulator.Options{})
			b.BulkCloseRefusesPending = true
			srv.SetBehaviour(b)
			if err := srv.SetMembershipStatus(ids[11], testSales, "ActivationSent"); err != nil {
				t.Fatal(err)
			}
			c := newClient(t, srv)
			srv.ResetStats()
			stages := closeAllOnce(t, srv, c, ids)
			if stages["import downloaded"] != 1 || stages["import unread"] != 0 {
				t.Errorf("the import's results were not read and matched: stages %v", stages)
			}
			st := srv.Stats()
			if st.Requests[routeImportCSV] != 1 || st.Requests[routeCloseUsers] != 1 || st.Requests[routeOrgUsers] != 1 ||
				st.Requests[routeCloseImport] != 1 || st.Requests[routeDeleteImport] != 1 || st.Total > 15 {
				t.Fatalf("calls: %d %v", st.Total, st.Requests)
			}
		})
	}
}

// TestParseImportResultsMatchesByAccountAndEmail: shuffled rows, other letter cases, a BOM,
// spaced header names, rows nobody asked for and two rows that disagree.
func TestParseImportResultsMatchesByAccountAndEmail(t *testing.T) {
	rows := []BulkCloseRow{{AccountID: "A1", Email: "ann@x.example"}, {AccountID: "a1", Email: "Bob@x.example"},
		{AccountID: "A1", Email: "cy@x.example"}, {AccountID: "A1", Email: "dee@x.example"}}
	text := "\ufeffUser Email,Account ID,First Name,Processing Results\n" +
		"BOB@X.EXAMPLE,A1,Bob,membership_closed\n" +
		"stranger@x.example,A1,S,membership_closed\n" +
		"ann@x.example,A1,Ann,cannot_close_last_active_admin\n" +
		"dee@x.example,A1,Dee,membership_closed\n" +
		"dee@x.example,A1,Dee,user_awaiting_activation\n"
	got, err := parseImportResults(strings.NewReader(text), rows)
	if err != nil {
		t.Fatal(err)
	}
	if got[1] != "membership_closed" || got[0] != "cannot_close_last_active_admin" {
		t.Fatalf("outcomes: %v", got)
	}
	if _, ok := got[2]; ok {
		t.Fatalf("a user without a row got one: %v", got)
	}
	if _, ok := got[3]; ok || len(got) != 2 {
		t.Fatalf("disagreeing rows or a stranger kept: %v", got)
	}
	if _, err := parseImportResults(strings.NewReader("AccountID,UserEmail\nA1,ann@x.example\n"), rows); err == nil || !strings.Contains(err.Error(), "ProcessingResults") {
		t.Fatalf("no ProcessingResults column: %v", err)
	}
}

// The results file's layout is undocumented: snake_case and hyphenated headers, the singular
// ProcessingResult, and a file that names users by APIUserName (no email column) all match.
func TestParseImportResultsOtherLayouts(t *testing.T) {
	rows := []BulkCloseRow{{AccountID: "A1", UserID: "U-1", Email: "ann@x.example"}, {AccountID: "A1", UserID: "U-2", Email: "bob@x.example"}}
	for name, text := range map[string]string{
		"snake_case":  "account_id,user_email,processing_results\nA1,ann@x.example,membership_closed\na1,BOB@x.example,no_action_taken\n",
		"hyphens":     "Account-ID,E-mail Address,Processing-Result\nA1,ann@x.example,membership_closed\nA1,bob@x.example,no_action_taken\n",
		"apiusername": "AccountID,APIUserName,ProcessingResults\nA1,u-1,membership_closed\nA1,U-2,no_action_taken\n",
	} {
		got, err := parseImportResults(strings.NewReader(text), rows)
		if err != nil || got[0] != "membership_closed" || got[1] != "no_action_taken" {
			t.Errorf("%s: outcomes %v, err %v", name, got, err)
		}
	}
	_, err := parseImportResults(strings.NewReader("AccountID,First Name,ProcessingResults\nA1,Ann,membership_closed\n"), rows)
	if err == nil || !strings.Contains(err.Error(), "UserEmail (or APIUserName)") {
		t.Errorf("no user column: %v", err)
	}
}

func TestClassifyProcessingResult(t *testing.T) {
	for value, want := range map[string]rowOutcome{
		"membership_closed": rowClosed, "Success: membership closed": rowClosed, "SUCCESS": rowClosed, "Membership Closed": rowClosed,
		"no_action_taken": rowUnknown, "Success: no action required, the membership was already closed": rowUnknown,
		"membership_closed_or_disabled_warning": rowUnknown, "": rowUnknown, "ok": rowUnknown, "user_added": rowUnknown,
		"cannot_close_last_active_admin": rowFailed, "Error: user_awaiting_activation: pending": rowFailed,
		"invalid_permissionset": rowFailed, "Failed": rowFailed, "unspecified_error": rowFailed,
	} {
		if got := classifyProcessingResult(value); got != want {
			t.Errorf("%q: %d, want %d", value, got, want)
		}
	}
}

// TestImportChunksKeepTheSpecLimits: at most 2,000 users of one account, 8,000 in all and 50
// accounts per import, every row in exactly one import.
func TestImportChunksKeepTheSpecLimits(t *testing.T) {
	var rows []BulkCloseRow
	for a := range 6 {
		for i := range 2500 {
			rows = append(rows, BulkCloseRow{AccountID: fmt.Sprintf("acct-%d", a), UserID: fmt.Sprint(a, "-", i)})
		}
	}
	for a := range 120 { // many small accounts: at most 50 per import
		rows = append(rows, BulkCloseRow{AccountID: fmt.Sprintf("small-%d", a), UserID: fmt.Sprint("s-", a)})
	}
	chunks := importChunks(rows)
	seen := 0
	for _, ch := range chunks {
		per := map[string]int{}
		for _, r := range ch {
			per[r.AccountID]++
			if per[r.AccountID] > MaxImportUsersPerAccount {
				t.Fatalf("an import holds %d users of %s", per[r.AccountID], r.AccountID)
			}
		}
		if len(ch) > MaxImportUsers || len(per) > MaxImportAccounts {
			t.Fatalf("an import of %d users in %d accounts", len(ch), len(per))
		}
		seen += len(ch)
	}
	if seen != len(rows) {
		t.Fatalf("%d of %d rows imported", seen, len(rows))
	}
}

// TestBulkCloseSplitsAt2000: 2,001 users of one account take two imports, one after the other,
// both deleted.
func TestBulkCloseSplitsAt2000(t *testing.T) {
	f, ids := withClosedUsers(t, 2001, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv)
	srv.ResetStats()
	closeAllOnce(t, srv, c, ids)
	if st := srv.Stats(); st.Requests[routeCloseImport] != 2 || st.Requests[routeDeleteImport] != 2 || st.Requests[routeCloseUsers] != 0 {
		t.Fatalf("calls: %v", st.Requests)
	}
}

// TestBulkCloseFailedImportNamesItsRollups: an import DocuSign accepts and then ends failed
// for a file it cannot use fails its users with the state and the file_level_error_rollups,
// and closes nobody behind them.
func TestBulkCloseFailedImportNamesItsRollups(t *testing.T) {
	f, ids := withClosedUsers(t, 30, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	srv.SetJobSettings(emulator.JobSettings{FailImportsWith: "invalid_csv_data_or_syntax"})
	c := newClient(t, srv)
	results, err := c.CloseManyPreferBulk(context.Background(), testSales, ids, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		var ie *ImportError
		if !errors.As(r.Err, &ie) || !strings.Contains(r.Err.Error(), "ended failed") || !strings.Contains(r.Err.Error(), "invalid_csv_data_or_syntax") {
			t.Fatalf("user %s: %v", r.UserID, r.Err)
		}
	}
	if st, _ := status(t, srv, ids[0], testSales); st != "Active" || srv.StoredImports(testOrg) != 0 {
		t.Fatalf("after a failed import: %s, %d stored", st, srv.StoredImports(testOrg))
	}
}

// TestBulkCloseHalvesWhatIsTooLarge: DocuSign holds close imports to a lower per-account limit
// than the one the spec states for add and update. Whether it ends the import failed or refuses
// the upload, the client sends each half instead until the imports fit, and below one batch's
// worth (100 users) leaves the rows to the eSignature batches: everyone closes once either way,
// and no import is left stored.
func TestBulkCloseHalvesWhatIsTooLarge(t *testing.T) {
	for name, tc := range map[string]struct {
		b               emulator.Behaviour
		limit           int
		imports, closes int // imports DocuSign accepted; DELETE …/users batches
	}{
		// 240 rows fail, 120 and 120 fail, four imports of 60 fit.
		"failed import":  {limit: 70, imports: 7},
		"refused upload": {b: emulator.Behaviour{CloseImportChecksUpload: true}, limit: 70, imports: 4},
		// The imports of 60 fail too: their 240 users go through three batches.
		"down to the batches": {limit: 40, imports: 7, closes: 3},
	} {
		t.Run(name, func(t *testing.T) {
			f, ids := withClosedUsers(t, 240, "Active")
			srv := startEmulator(t, f, emulator.Options{})
			srv.SetBehaviour(tc.b)
			srv.SetJobSettings(emulator.JobSettings{CloseImportUsersPerAccount: tc.limit})
			c := newClient(t, srv)
			closeAllOnce(t, srv, c, ids)
			if st := srv.Stats(); st.Succeeded[routeCloseImport] != tc.imports || st.Requests[routeCloseUsers] != tc.closes || srv.StoredImports(testOrg) != 0 {
				t.Fatalf("calls: %v, succeeded %v, %d imports stored", st.Requests, st.Succeeded, srv.StoredImports(testOrg))
			}
		})
	}
}

// TestCloseImportLostAnswer: the upload is never sent twice. When its answer is lost after
// DocuSign created the import, the client finds that import and reads it; when a 5xx leaves no
// import behind, the users go through the batches.
func TestCloseImportLostAnswer(t *testing.T) {
	for name, inject := range map[string]func(*emulator.Server) error{
		"created, answer lost": func(s *emulator.Server) error { return s.DropNext(routeCloseImport, 1) },
		"5xx, nothing created": func(s *emulator.Server) error { return s.FailNext(routeCloseImport, 1, 503) },
	} {
		t.Run(name, func(t *testing.T) {
			f, ids := withClosedUsers(t, 30, "Active")
			srv := startEmulator(t, f, emulator.Options{})
			c := newClient(t, srv)
			srv.ResetStats()
			if err := inject(srv); err != nil {
				t.Fatal(err)
			}
			closeAllOnce(t, srv, c, ids)
			st := srv.Stats()
			if st.Requests[routeCloseImport] != 1 {
				t.Fatalf("the upload was sent %d times", st.Requests[routeCloseImport])
			}
			batches := st.Requests[routeCloseUsers]
			if (name == "created, answer lost") != (batches == 0) {
				t.Fatalf("%d batches: %v", batches, st.Requests)
			}
		})
	}
}

// TestCloseImportStates: each state of DocuSign's SDK tests. unknown and an unrecognised state
// are polled a few times and then confirmed through the listing; processed_with_* are read;
// timed_out_queued did nothing and is sent once more.
func TestCloseImportStates(t *testing.T) {
	for _, tc := range []struct {
		state          string
		times          int
		uploads, lists int
	}{
		{"unknown", 0, 1, 1},
		{"queued_forever_not", 0, 1, 1}, // a state nobody documents
		{"processed_with_issues", 1, 1, 0},
		{"processed_with_errors", 1, 1, 0},
		{"completed", 1, 1, 0},
		{"timed_out_queued", 1, 2, 1}, // the second import finds the first one's work done: no action, confirmed
	} {
		t.Run(tc.state, func(t *testing.T) {
			f, ids := withClosedUsers(t, 30, "Active")
			srv := startEmulator(t, f, emulator.Options{})
			c := newClient(t, srv)
			srv.ResetStats()
			body, _ := json.Marshal(map[string]any{"status": tc.state})
			if err := srv.SetTampers(emulator.Tamper{Route: routeGetImport, Body: body, Times: tc.times}); err != nil {
				t.Fatal(err)
			}
			closeAllOnce(t, srv, c, ids)
			st := srv.Stats()
			if st.Requests[routeCloseImport] != tc.uploads || st.Requests[routeOrgUsers] != tc.lists || st.Requests[routeCloseUsers] != 0 {
				t.Fatalf("calls: %v", st.Requests)
			}
		})
	}
}

// TestCloseImportWaitsForTheQueue: another import of the organization is running; the client
// waits for it before uploading, so its own neither is refused nor times out in the queue.
func TestCloseImportWaitsForTheQueue(t *testing.T) {
	f, ids := withClosedUsers(t, 30, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	srv.SetJobSettings(emulator.JobSettings{DelayMS: 1500})
	c := newClient(t, srv)
	other := "AccountID,FirstName,LastName,UserEmail,PermissionSet\n" + testSales + ",Alex,Leaver,alex.leaver@opensam.example,DS Sender\n"
	if _, err := c.Admin.CreateCloseImport(context.Background(), testOrg, []byte(other)); err != nil {
		t.Fatal(err)
	}
	srv.SetJobSettings(emulator.JobSettings{ImportQueueTimeoutMS: 300})
	srv.ResetStats()
	closeAllOnce(t, srv, c, ids)
	if st := srv.Stats(); st.Requests[routeListImports] < 2 || st.Requests[routeCloseImport] != 1 {
		t.Fatalf("calls: %v", st.Requests)
	}
}

// TestCloseImportRefusedAtTheCap: the organization holds about 90 imports; the upload is
// refused, which is definite, so the users go through the batches.
func TestCloseImportRefusedAtTheCap(t *testing.T) {
	f, ids := withClosedUsers(t, 30, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv)
	one := "AccountID,FirstName,LastName,UserEmail,PermissionSet\n" + testSales + ",Alex,Leaver,alex.leaver@opensam.example,DS Sender\n"
	for range 90 {
		if _, err := c.Admin.CreateCloseImport(context.Background(), testOrg, []byte(one)); err != nil {
			t.Fatal(err)
		}
	}
	srv.ResetStats()
	results, err := c.CloseManyPreferBulk(context.Background(), testSales, ids, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if st, closures := status(t, srv, r.UserID, testSales); r.Err != nil || st != "Closed" || closures != 1 {
			t.Errorf("user %s: err %v, status %s, closures %d", r.UserID, r.Err, st, closures)
		}
	}
	if st := srv.Stats(); st.Requests[routeCloseImport] != 1 || st.Requests[routeCloseUsers] == 0 {
		t.Fatalf("calls: %v", st.Requests)
	}
}

// TestCloseImportUnreadableResults: no counts, and results without a ProcessingResults column;
// every user is confirmed through one listing of the account's closed memberships and none is closed twice.
func TestCloseImportUnreadableResults(t *testing.T) {
	f, ids := withClosedUsers(t, 30, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv)
	srv.ResetStats()
	// Without counts in the import's answer the results are all there is to read, and they
	// cannot be.
	if err := srv.SetTampers(emulator.Tamper{Route: routeGetImport, Body: json.RawMessage(`{"status":"completed"}`)},
		emulator.Tamper{Route: routeImportCSV, Body: json.RawMessage(`"not a results file"`)}); err != nil {
		t.Fatal(err)
	}
	closeAllOnce(t, srv, c, ids)
	if st := srv.Stats(); st.Requests[routeOrgUsers] != 1 || st.Requests[routeCloseUsers] != 0 {
		t.Fatalf("calls: %v", st.Requests)
	}
}

// TestCloseImportUserWhoCannotBeClosed: the account's last active administrator. The import
// refuses the row (cannot_close_last_active_admin), the listing confirms them open, and the
// eSignature close is refused too: that user fails alone, quoting ProcessingResults.
func TestCloseImportUserWhoCannotBeClosed(t *testing.T) {
	const solo = "c3000000-0000-4000-8000-000000000001"
	f, ids := withClosedUsers(t, 20, "Active")
	for i := range f.Users {
		for j := range f.Users[i].Memberships {
			if f.Users[i].Memberships[j].AccountID == testSales {
				f.Users[i].Memberships[j].IsAdmin = false
			}
		}
	}
	f.Users = append(f.Users, emulator.User{ID: solo, Email: "solo.admin@bulk.example", FirstName: "Solo", LastName: "Admin",
		Memberships: []emulator.Membership{{AccountID: testSales, Status: "Active", IsAdmin: true}}})
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv)
	results, err := c.CloseManyPreferBulk(context.Background(), testSales, append(ids, solo), 10, nil)
	if err != nil && !strings.Contains(err.Error(), "permission") {
		t.Fatal(err)
	}
	for _, r := range results {
		st, _ := status(t, srv, r.UserID, testSales)
		switch {
		case r.UserID == solo:
			if r.Err == nil || !strings.Contains(r.Err.Error(), `ProcessingResults "cannot_close_last_active_admin"`) || st != "Active" {
				t.Errorf("the last admin: err %v, status %s", r.Err, st)
			}
		case r.Err != nil || st != "Closed":
			t.Errorf("user %s: err %v, status %s", r.UserID, r.Err, st)
		}
	}
}

// TestCloseImportSettledByCounts: when the import's documented counts say every row closed a
// membership, the undocumented results file is not read at all.
func TestCloseImportSettledByCounts(t *testing.T) {
	f, ids := withClosedUsers(t, 30, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv)
	srv.ResetStats()
	closeAllOnce(t, srv, c, ids)
	if st := srv.Stats(); st.Requests[routeImportCSV] != 0 || st.Requests[routeOrgUsers] != 0 || st.Requests[routeCloseUsers] != 0 {
		t.Fatalf("calls: %v", st.Requests)
	}
}

// TestCloseUsersWarnsOfEachFallback: a failed export (the batches close everyone) and results
// that cannot be read (the listing confirms everyone) each leave a warning naming what could
// not be used; the users still close, once.
func TestCloseUsersWarnsOfEachFallback(t *testing.T) {
	for name, tc := range map[string]struct {
		setup func(*emulator.Server) error
		want  string
	}{
		"export failed": {func(s *emulator.Server) error {
			s.SetJobSettings(emulator.JobSettings{FailExports: true})
			return nil
		}, "user-list export it is written from failed"},
		"results unreadable": {func(s *emulator.Server) error {
			return s.SetTampers(emulator.Tamper{Route: routeGetImport, Body: json.RawMessage(`{"status":"completed"}`)},
				emulator.Tamper{Route: routeImportCSV, Body: json.RawMessage(`"not a results file"`)})
		}, "could not be read"},
	} {
		t.Run(name, func(t *testing.T) {
			f, ids := withClosedUsers(t, 30, "Active")
			srv := startEmulator(t, f, emulator.Options{})
			c := newClient(t, srv)
			if err := tc.setup(srv); err != nil {
				t.Fatal(err)
			}
			closure, err := c.CloseUsers(context.Background(), testSales, ids, nil, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(closure.Warnings) != 1 || !strings.Contains(closure.Warnings[0], tc.want) {
				t.Fatalf("warnings: %q", closure.Warnings)
			}
			for _, r := range closure.Results {
				if st, closures := status(t, srv, r.UserID, testSales); r.Err != nil || st != "Closed" || closures != 1 {
					t.Errorf("user %s: err %v, status %s, closures %d", r.UserID, r.Err, st, closures)
				}
			}
		})
	}
}
