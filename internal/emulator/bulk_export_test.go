// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// runExport creates an export of accounts (all when empty), waits for it and returns its answer.
func runExport(t *testing.T, srv *Server, tok string, accounts ...string) map[string]any {
	t.Helper()
	org := srv.AdminBaseURL + "/v2/organizations/" + orgID
	body := `{"type":"organization_memberships_export"`
	if len(accounts) > 0 {
		refs := make([]string, len(accounts))
		for i, a := range accounts {
			refs[i] = `{"account_id":"` + a + `"}`
		}
		body += `,"accounts":[` + strings.Join(refs, ",") + `]`
	}
	status, _, created := doCall(t, tok, "POST", org+"/exports/user_list", body+"}")
	if status != 200 {
		t.Fatalf("create: %d %v", status, created)
	}
	done, _ := waitJob(t, tok, jsonAt[string](t, created, "metadata_url"))
	return done
}

func (e *Emulator) membersWithStatus(accountID, status string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, m := range e.accounts[strings.ToLower(accountID)].members {
		if m.status == status {
			n++
		}
	}
	return n
}

// TestExportReadingsDefaultIsHostile: by default a download wants the bearer token, and the file
// has DocuSign's column names only, behind a BOM, with no closed membership; each switch turns
// on one other reading.
func TestExportReadingsDefaultIsHostile(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	closed := srv.membersWithStatus(sales, "Closed")
	if closed == 0 {
		t.Fatal("the demo's Sales account has no closed membership, so the test proves little")
	}
	all := srv.membersOf(sales)
	read := func(t *testing.T, tok string) (int, []string, [][]string, string) {
		t.Helper()
		done := runExport(t, srv, accessToken(t, srv), sales)
		code, file := getRawCSV(t, tok, jsonAt[string](t, done, "results", 0, "url"))
		if code != 200 {
			return code, nil, nil, file
		}
		rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return code, rows[0], rows[1:], file
	}

	t.Run("default", func(t *testing.T) {
		srv.SetBehaviour(Behaviour{})
		if code, _, _, body := read(t, ""); code != 401 {
			t.Fatalf("download without a token: %d %s, want 401", code, body)
		}
		if code, _, _, _ := read(t, "not-a-token"); code != 401 {
			t.Fatalf("download with a bad token: %d, want 401", code)
		}
		code, header, rows, file := read(t, tok)
		if code != 200 || !strings.HasPrefix(file, "\ufeff") {
			t.Fatalf("download: %d, BOM %v", code, strings.HasPrefix(file, "\ufeff"))
		}
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
		if !slices.Equal(header, exportDocuSignColumns) {
			t.Fatalf("columns %v, want DocuSign's %v", header, exportDocuSignColumns)
		}
		status := columnIndex(header, "UserStatus")
		for _, r := range rows {
			if r[status] == "closed" {
				t.Fatalf("a closed membership in the default export: %v", r)
			}
		}
		if len(rows) != all-closed {
			t.Fatalf("%d rows, want the %d open memberships", len(rows), all-closed)
		}
	})
	t.Run("export_download_without_token", func(t *testing.T) {
		srv.SetBehaviour(Behaviour{ExportDownloadWithoutToken: true})
		if code, _, _, body := read(t, ""); code != 200 {
			t.Fatalf("pre-signed download: %d %s", code, body)
		}
	})
	t.Run("export_emulator_columns", func(t *testing.T) {
		srv.SetBehaviour(Behaviour{ExportEmulatorColumns: true})
		_, header, rows, file := read(t, tok)
		if strings.HasPrefix(file, "\ufeff") || !slices.Equal(header, exportEmulatorColumns) || len(rows) != all-closed {
			t.Fatalf("columns %v (%d rows), want the emulator's without a BOM", header, len(rows))
		}
	})
	t.Run("export_includes_closed", func(t *testing.T) {
		srv.SetBehaviour(Behaviour{ExportIncludesClosed: true})
		_, header, rows, _ := read(t, tok)
		status, n := columnIndex(header, "UserStatus"), 0
		for _, r := range rows {
			if r[status] == "closed" {
				n++
			}
		}
		if len(rows) != all || n != closed {
			t.Fatalf("%d rows, %d closed; want %d and %d", len(rows), n, all, closed)
		}
	})
}

// TestPartialExport: under partial_exports the last account's rows are missing from the file;
// its result has error_details and no URL, a third result has neither, and number_rows counts
// every row.
func TestPartialExport(t *testing.T) {
	srv := start(t, Options{})
	srv.SetJobSettings(JobSettings{PartialExports: true})
	tok := accessToken(t, srv)
	done := runExport(t, srv, tok, sales, legal)
	results := jsonAt[[]any](t, done, "results")
	if len(results) != 3 {
		t.Fatalf("%d results, want 3: %v", len(results), results)
	}
	failed, _ := results[1].(map[string]any)
	bare, _ := results[2].(map[string]any)
	if failed["url"] != nil || failed["error_details"] == nil || bare["url"] != nil || bare["error_details"] != nil {
		t.Fatalf("results %v", results)
	}
	open := func(a string) int { return srv.membersOf(a) - srv.membersWithStatus(a, "Closed") }
	_, file := getRawCSV(t, tok, jsonAt[string](t, results, 0, "url"))
	rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	withheld := int(jsonAt[float64](t, failed, "number_rows"))
	if len(rows)-1 != open(sales) || withheld != open(legal) || int(jsonAt[float64](t, done, "number_rows")) != open(sales)+open(legal) {
		t.Fatalf("%d rows in the file, %d withheld; Sales has %d open, Legal %d", len(rows)-1, withheld, open(sales), open(legal))
	}
}

// TestExportOmitColumns: export_omit_columns leaves the named columns out of header and rows.
func TestExportOmitColumns(t *testing.T) {
	srv := start(t, Options{})
	srv.SetJobSettings(JobSettings{ExportOmitColumns: []string{"apiusername", "UserStatus"}})
	tok := accessToken(t, srv)
	done := runExport(t, srv, tok, sales)
	_, file := getRawCSV(t, tok, jsonAt[string](t, done, "results", 0, "url"))
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(file, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if columnIndex(rows[0], "APIUserName") >= 0 || columnIndex(rows[0], "UserStatus") >= 0 || len(rows[0]) != len(exportDocuSignColumns)-2 || len(rows[1]) != len(rows[0]) {
		t.Fatalf("header %v, first row %v", rows[0], rows[1])
	}
}

// TestExportStoredCap: about 90 stored user-list exports, then refusals until one is deleted;
// export_jobs_uncapped lifts the cap.
func TestExportStoredCap(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	exports := srv.AdminBaseURL + "/v2/organizations/" + orgID + "/exports/user_list"
	const body = `{"type":"organization_memberships_export"}`
	var last map[string]any
	for i := range maxStoredJobs {
		status, _, created := doCall(t, tok, "POST", exports, body)
		if status != 200 {
			t.Fatalf("export %d: %d %v", i, status, created)
		}
		last = created
	}
	if status, _, refused := doCall(t, tok, "POST", exports, body); status != 400 || refused["error"] != "maximum_exports_exceeded" {
		t.Fatalf("over the cap: %d %v", status, refused)
	}
	if status, _, _ := doCall(t, tok, "DELETE", exports+"/"+jsonAt[string](t, last, "id"), ""); status != 200 {
		t.Fatalf("delete: %d", status)
	}
	if status, _, created := doCall(t, tok, "POST", exports, body); status != 200 {
		t.Fatalf("after a delete: %d %v", status, created)
	}
	srv.SetBehaviour(Behaviour{ExportJobsUncapped: true})
	if status, _, created := doCall(t, tok, "POST", exports, body); status != 200 {
		t.Fatalf("uncapped: %d %v", status, created)
	}
}
