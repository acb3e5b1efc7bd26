// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// uploadCSV posts a CSV as the multipart part file.csv, as the bulk import routes take it.
func uploadCSV(t *testing.T, tok, target, part, text string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(part, "close.csv")
	_, _ = io.WriteString(fw, text)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", target, &body)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	decoded := map[string]any{}
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &decoded)
	return resp.StatusCode, decoded
}

func getRawCSV(t *testing.T, tok, target string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", target, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// waitJob polls a job's status URL until it leaves queued/in_process, and returns every status seen.
func waitJob(t *testing.T, tok, statusURL string) (map[string]any, []string) {
	t.Helper()
	var seen []string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		status, _, body := doCall(t, tok, "GET", statusURL, "")
		if status != 200 {
			t.Fatalf("GET %s: %d %v", statusURL, status, body)
		}
		s, _ := body["status"].(string)
		if len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
		if s != "queued" && s != "in_process" {
			return body, seen
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %s never finished (seen %v)", statusURL, seen)
	return nil, nil
}

func TestUserListExportLifecycle(t *testing.T) {
	srv := start(t, Options{})
	srv.SetJobSettings(JobSettings{DelayMS: 300})
	// The emulator's own columns, closed memberships included; bulk_export_test.go reads the rest.
	srv.SetBehaviour(Behaviour{ExportEmulatorColumns: true, ExportIncludesClosed: true})
	tok := accessToken(t, srv)
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID

	status, _, created := doCall(t, tok, "POST", org+"/exports/user_list", `{"type":"organization_memberships_export","accounts":[{"account_id":"`+sales+`"}]}`)
	if status != 200 || created["status"] != "queued" || created["id"] == "" {
		t.Fatalf("create: %d %v", status, created)
	}
	done, seen := waitJob(t, tok, jsonAt[string](t, created, "metadata_url"))
	if strings.Join(seen, ",") != "queued,in_process,completed" {
		t.Fatalf("statuses %v, want queued, in_process, completed", seen)
	}
	results := jsonAt[[]any](t, done, "results")
	url := jsonAt[string](t, results, 0, "url")
	code, file := getRawCSV(t, tok, url)
	if code != 200 {
		t.Fatalf("download: %d %s", code, file)
	}
	rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	for _, col := range []string{"AccountID", "UserID", "UserEmail", "FirstName", "LastName", "PermissionSet", "MembershipStatus"} {
		if columnIndex(header, col) < 0 {
			t.Errorf("export lacks column %s: %v", col, header)
		}
	}
	if want := srv.membersOf(sales); len(rows)-1 != want || int(jsonAt[float64](t, done, "number_rows")) != want {
		t.Fatalf("export has %d rows (number_rows %v), the account %d memberships", len(rows)-1, done["number_rows"], want)
	}
	for _, r := range rows[1:] {
		if r[columnIndex(header, "AccountID")] != sales {
			t.Fatalf("row outside the selected account: %v", r)
		}
	}
	// A tampered signature and an expired export are refused, as storage links are.
	if code, _ := getRawCSV(t, "", strings.Replace(url, "sig=", "sig=0", 1)); code != 403 {
		t.Fatalf("tampered signature: %d, want 403", code)
	}
	srv.SetJobSettings(JobSettings{ExportTTLMS: 1})
	_, _, short := doCall(t, tok, "POST", org+"/exports/user_list", `{"type":"organization_memberships_export"}`)
	done, _ = waitJob(t, tok, jsonAt[string](t, short, "metadata_url"))
	time.Sleep(5 * time.Millisecond)
	if code, _ := getRawCSV(t, tok, jsonAt[string](t, done, "results", 0, "url")); code != 403 {
		t.Fatalf("expired export downloaded: %d", code)
	}
	srv.SetJobSettings(JobSettings{FailExports: true})
	_, _, failing := doCall(t, tok, "POST", org+"/exports/user_list", `{"type":"organization_memberships_export"}`)
	done, _ = waitJob(t, tok, jsonAt[string](t, failing, "metadata_url"))
	if done["status"] != "failed" || done["success"] != false {
		t.Fatalf("failing export: %v", done)
	}
	// Strictness: another organization's account, and an unknown export.
	if status, _, _ := doCall(t, tok, "POST", org+"/exports/user_list", `{"type":"organization_memberships_export","accounts":[{"account_id":"00000000-0000-4000-8000-000000000000"}]}`); status != 400 {
		t.Fatalf("foreign account: %d, want 400", status)
	}
	if status, _, _ := doCall(t, tok, "GET", org+"/exports/user_list/00000000-0000-4000-8000-000000000000", ""); status != 404 {
		t.Fatalf("unknown export: %d, want 404", status)
	}
}

func (e *Emulator) membersOf(accountID string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.accounts[strings.ToLower(accountID)].members)
}

// TestBulkCloseImportRowByRow runs under today's readings (words, upload order, refusal at
// upload); bulk_import_test.go covers the hostile defaults.
func TestBulkCloseImportRowByRow(t *testing.T) {
	srv := start(t, Options{})
	srv.SetBehaviour(Behaviour{ImportResultsWords: true, ImportResultsUploadOrder: true, CloseImportChecksUpload: true})
	srv.SetJobSettings(JobSettings{DelayMS: 100})
	tok := accessToken(t, srv)
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	alex := srv.mustUser(t, "alex.leaver@opensam.example")
	jamie := srv.mustUser(t, "jamie.leaver@opensam.example")

	csvText := "AccountID,AccountName,FirstName,LastName,UserEmail,PermissionSet\n" +
		sales + ",,Alex,Leaver," + strings.ToUpper(alex.Email) + ",DS Sender\n" + // emails compare case-insensitively
		sales + ",,Nobody,Here,nobody@opensam.example,DS Sender\n" +
		"00000000-0000-4000-8000-000000000000,,Jamie,Leaver," + jamie.Email + ",DS Sender\n" +
		sales + ",,Jamie,Leaver," + jamie.Email + ",No Such Profile\n" +
		sales + ",,,Leaver," + jamie.Email + ",DS Sender\n" +
		sales + ",,Short,Row\n"
	status, created := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", csvText)
	if status != 200 || created["status"] != "queued" {
		t.Fatalf("create: %d %v", status, created)
	}
	id := jsonAt[string](t, created, "id")
	if code, _ := getRawCSV(t, tok, org+"/imports/bulk_users/"+id+"/results_csv"); code != 400 {
		t.Fatalf("results before completion: %d, want 400", code)
	}
	done, _ := waitJob(t, tok, org+"/imports/bulk_users/"+id)
	if done["closed_user_count"] != float64(1) || done["error_count"] != float64(5) || done["user_count"] != float64(6) {
		t.Fatalf("counts: %v", done)
	}
	code, text := getRawCSV(t, tok, org+"/imports/bulk_users/"+id+"/results_csv")
	if code != 200 {
		t.Fatalf("results_csv: %d %s", code, text)
	}
	rd := csv.NewReader(strings.NewReader(text))
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][len(rows[0])-1] != "ProcessingResults" {
		t.Fatalf("header %v lacks ProcessingResults", rows[0])
	}
	want := []string{"Success", "Error: membership_not_in_account", "Error: invalid_account_id", "Error: invalid_permissionset",
		"Error: insufficient_row_data_found", "Error: insufficient_row_data_found"}
	for i, w := range want {
		if got := rows[i+1][len(rows[i+1])-1]; !strings.HasPrefix(got, w) {
			t.Errorf("row %d: ProcessingResults %q, want %q…", i+1, got, w)
		}
	}
	if v, _ := srv.User(alex.ID); v.Memberships[0].Status != "Closed" || v.Memberships[0].Closures != 1 {
		t.Fatalf("alex: %+v", v)
	}
	for _, m := range srv.mustUser(t, jamie.Email).Memberships {
		if m.Status == "Closed" {
			t.Fatalf("jamie closed by a bad row: %+v", m)
		}
	}
	// Importing again closes nobody twice.
	_, again := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", csvText)
	done, _ = waitJob(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, again, "id"))
	if done["closed_user_count"] != float64(0) || done["no_action_required_user_count"] != float64(1) {
		t.Fatalf("second import: %v", done)
	}
	if v, _ := srv.User(alex.ID); v.Memberships[0].Closures != 1 {
		t.Fatalf("alex closed twice: %+v", v)
	}
	// Whole-request refusals: the wrong part name, and a CSV without the required columns.
	if status, _ := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file", csvText); status != 400 {
		t.Fatalf("wrong part name: %d, want 400", status)
	}
	if status, body := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv", "AccountID,UserEmail\n"+sales+","+alex.Email+"\n"); status != 400 || body["error"] != "column_headers_missing" {
		t.Fatalf("missing columns: %d %v", status, body)
	}
}

// TestImportCompletesWithoutPolling: the work happens when the job's time comes, whether or not
// anyone asks, as with a client killed mid-import.
func TestImportCompletesWithoutPolling(t *testing.T) {
	srv := start(t, Options{})
	srv.SetJobSettings(JobSettings{DelayMS: 50})
	tok := accessToken(t, srv)
	alex := srv.mustUser(t, "alex.leaver@opensam.example")
	uploadCSV(t, tok, srv.AdminBaseURL+"/v2/organizations/"+orgID+"/imports/bulk_users/close", "file.csv",
		"AccountID,FirstName,LastName,UserEmail,PermissionSet\n"+sales+",Alex,Leaver,"+alex.Email+",DS Sender\n")
	time.Sleep(300 * time.Millisecond)
	if v, _ := srv.User(alex.ID); v.Memberships[0].Status != "Closed" {
		t.Fatalf("import did not complete on its own: %+v", v)
	}
}

func TestGenerateOrganization(t *testing.T) {
	f, err := LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	base := len(f.Organizations[0].Accounts)
	f.Generate = &Generate{Accounts: 10, Memberships: 5000}
	e, err := New(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	og := e.orgOrder[0]
	if len(og.accounts) != base+10 {
		t.Fatalf("%d accounts, want the demo's %d + 10", len(og.accounts), base)
	}
	generated, closed, multi, mailboxes := 0, 0, 0, 0
	for _, u := range e.userOrder {
		if !strings.HasSuffix(u.email, "@generated.example") {
			continue
		}
		generated += len(u.memberships)
		if len(u.memberships) > 1 {
			multi++
		}
		if strings.HasPrefix(u.email, "contracts-team") {
			mailboxes++
		}
		for _, m := range u.memberships {
			if m.status == "Closed" {
				closed++
			}
		}
	}
	if generated != 5000 || multi == 0 || mailboxes == 0 || closed < 500 || closed > 800 {
		t.Fatalf("generated %d memberships (%d users in several accounts, %d mailboxes, %d closed)", generated, multi, mailboxes, closed)
	}
	for _, a := range og.accounts[base:] {
		if m := e.users[strings.ToLower(og.accountsAdmin())].membershipIn(a); m == nil || m.status != "Active" {
			t.Fatalf("the org admin is not an active member of generated account %s", a.ID)
		}
	}
}

func (og *org) accountsAdmin() string {
	for id := range og.admins {
		return id
	}
	return ""
}

// BenchmarkGenerate100k builds the largest organization the provider is measured on: 100,000 memberships over 50 accounts.
func BenchmarkGenerate100k(b *testing.B) {
	f, err := LoadFixture(testdata("emulator", "demo-org.json"))
	if err != nil {
		b.Fatal(err)
	}
	f.Generate = &Generate{Accounts: 47, Memberships: 100000}
	for range b.N {
		if _, err := New(f, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBehaviourBulkCloseRefusesPending(t *testing.T) {
	for _, strict := range []bool{false, true} {
		srv := start(t, Options{})
		srv.SetBehaviour(Behaviour{BulkCloseRefusesPending: strict})
		tok := accessToken(t, srv)
		alex := srv.mustUser(t, "alex.leaver@opensam.example")
		if err := srv.SetMembershipStatus(alex.ID, sales, "ActivationSent"); err != nil {
			t.Fatal(err)
		}
		org := srv.AdminBaseURL + "/v2/organizations/" + orgID
		_, imp := uploadCSV(t, tok, org+"/imports/bulk_users/close", "file.csv",
			"AccountID,FirstName,LastName,UserEmail,PermissionSet\n"+sales+",Alex,Leaver,"+alex.Email+",DS Sender\n")
		waitJob(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, imp, "id"))
		_, text := getRawCSV(t, tok, org+"/imports/bulk_users/"+jsonAt[string](t, imp, "id")+"/results_csv")
		v, _ := srv.User(alex.ID)
		if strict != strings.Contains(text, "user_awaiting_activation") || strict == (v.Memberships[0].Status == "Closed") {
			t.Fatalf("strict=%v: results %q, membership %+v", strict, text, v.Memberships[0])
		}
	}
}
