// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
)

// The Admin API's bulk operations are asynchronous jobs: a POST queues the job and answers at
// once; the job is "queued", then "in_process", then "completed" or "failed"; the caller polls its
// status. A user-list export ends in result files, downloadable from pre-signed URLs until the
// export expires. A bulk close import reads a CSV, handles every row on its own (a bad row fails
// alone, the others go through) and keeps the CSV with a ProcessingResults column per row.

// JobSettings tune the emulator's export and import jobs.
type JobSettings struct {
	// DelayMS is how long a job takes from creation to completion: it reports "queued" for the
	// first half and "in_process" for the second.
	DelayMS int `json:"delay_ms"`
	// ExportTTLMS is how long an export's result files stay downloadable after completion;
	// 0 means DocuSign's 24 hours (the spec's `expires`).
	ExportTTLMS int `json:"export_ttl_ms"`
	// FailExports makes every new export end "failed", with error_details on its result.
	FailExports bool `json:"fail_exports"`
	// PartialExports makes every new export complete with the last selected account's rows
	// missing: their result carries error_details, and one more result has no URL.
	PartialExports bool `json:"partial_exports"`
	// ExportOmitColumns leaves these columns (by name, any case) out of new export files.
	ExportOmitColumns []string `json:"export_omit_columns,omitempty"`
}

// closeImportColumns are the columns POST …/imports/bulk_users/close requires.
var closeImportColumns = []string{"AccountID", "FirstName", "LastName", "UserEmail", "PermissionSet"}

const (
	exportTypeMemberships = "organization_memberships_export"
	importTypeClose       = "close_users"
	defaultExportTTL      = 24 * time.Hour
	processingResults     = "ProcessingResults"
)

type job struct {
	id, kind  string // kind: "export" or "import"
	org       *org
	requestor *user
	created   time.Time
	delay     time.Duration
	done      bool
	failed    bool
	completed time.Time

	// exports
	accounts []string // account filter; empty means every account
	fail     bool
	ttl      time.Duration
	file     []byte
	rows     int
	resultID string
	partial  bool
	withheld int      // rows of the results without a file (partial)
	omit     []string // columns left out of the file

	// imports
	header   []string
	input    [][]string
	results  []string // ProcessingResults per input row
	closed   int
	noAction int
	errors   int
	rollup   map[string]int
}

// SetJobSettings replaces the job settings; jobs already created keep theirs.
func (e *Emulator) SetJobSettings(s JobSettings) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.jobSettings = s
}

// JobSettings returns the job settings in force.
func (e *Emulator) JobSettings() JobSettings {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.jobSettings
}

// newJob registers a job and schedules its completion; e.mu is held.
func (e *Emulator) newJob(c *call, kind string) *job {
	j := &job{
		id: e.freshID(kind), kind: kind, org: c.org, requestor: e.users[strings.ToLower(c.token.userID)],
		created: time.Now(), delay: time.Duration(e.jobSettings.DelayMS) * time.Millisecond,
	}
	if e.jobs == nil {
		e.jobs = map[string]*job{}
	}
	e.jobs[strings.ToLower(j.id)] = j
	e.jobOrder = append(e.jobOrder, j)
	time.AfterFunc(j.delay, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.complete(j)
	})
	return j
}

// complete does a job's work once, when its time has come; e.mu is held. The work happens even
// when nobody polls, as on DocuSign: a client that dies mid-import still closes its users.
func (e *Emulator) complete(j *job) {
	if j.done || time.Since(j.created) < j.delay {
		return
	}
	j.done, j.completed = true, time.Now()
	switch j.kind {
	case "export":
		if j.fail {
			j.failed = true
			return
		}
		j.file, j.rows, j.withheld = e.exportCSV(j)
		j.resultID = e.newID("export-result", j.id)
	case "import":
		e.runCloseImport(j)
	}
}

func (j *job) status() string {
	switch {
	case j.done && j.failed:
		return "failed"
	case j.done:
		return "completed"
	case time.Since(j.created) >= j.delay/2:
		return "in_process"
	}
	return "queued"
}

func (e *Emulator) findJob(c *call, kind, id string) *job {
	j := e.jobs[strings.ToLower(id)]
	if j == nil || j.kind != kind || j.org != c.org {
		return nil
	}
	e.complete(j)
	return j
}

func requestorJSON(u *user) map[string]any {
	if u == nil {
		return map[string]any{"type": "user"}
	}
	return map[string]any{"name": u.userName, "id": u.id, "type": "user", "email": u.email}
}

// baseURL is the scheme and host the caller used, for the URLs an answer carries.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// ---------------------------------------------------------------------------------------------
// Bulk close imports

var errCSVUpload = errors.New("the request must be multipart/form-data with the CSV in a part named file.csv")

// readCSVUpload takes the CSV from the multipart part the spec names (formData "file.csv").
func readCSVUpload(r *http.Request) ([]byte, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return nil, errCSVUpload
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, errCSVUpload
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errCSVUpload, err)
		}
		if part.FormName() == "file.csv" {
			return io.ReadAll(io.LimitReader(part, 64<<20))
		}
	}
}

func (e *Emulator) handleCreateCloseImport(c *call) {
	data, err := readCSVUpload(c.r)
	if err != nil {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", err.Error()))
		return
	}
	rd := csv.NewReader(bytes.NewReader(data))
	rd.FieldsPerRecord = -1 // a short or long row fails alone, below
	records, err := rd.ReadAll()
	if err != nil || len(records) == 0 {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_csv_data_or_syntax", "The file is not a CSV with a header row."))
		return
	}
	header := records[0]
	var missing []string
	for _, col := range closeImportColumns {
		if columnIndex(header, col) < 0 {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		writeJSON(c.w, http.StatusBadRequest, adminError("column_headers_missing", "The CSV lacks the required columns: "+strings.Join(missing, ", ")+"."))
		return
	}
	j := e.newJob(c, "import")
	j.header, j.input = header, records[1:]
	writeJSON(c.w, http.StatusOK, e.importJSON(j))
}

func columnIndex(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			return i
		}
	}
	return -1
}

// runCloseImport handles each row on its own; e.mu is held.
func (e *Emulator) runCloseImport(j *job) {
	j.results = make([]string, len(j.input))
	j.rollup = map[string]int{}
	col := func(row []string, name string) string {
		i := columnIndex(j.header, name)
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	for i, row := range j.input {
		fail := func(kind, why string) {
			j.errors++
			j.rollup[kind]++
			j.results[i] = "Error: " + kind + ": " + why
		}
		if len(row) != len(j.header) {
			kind := "insufficient_row_data_found"
			if len(row) > len(j.header) {
				kind = "extra_row_data_found"
			}
			fail(kind, fmt.Sprintf("the row has %d fields, the header %d", len(row), len(j.header)))
			continue
		}
		accountID, email := col(row, "AccountID"), col(row, "UserEmail")
		first, last, permission := col(row, "FirstName"), col(row, "LastName"), col(row, "PermissionSet")
		acct := e.accounts[strings.ToLower(accountID)]
		switch {
		case accountID == "" || email == "" || first == "" || last == "" || permission == "":
			fail("insufficient_row_data_found", "AccountID, FirstName, LastName, UserEmail and PermissionSet are required")
			continue
		case acct == nil || acct.org != j.org:
			fail("invalid_account_id", "account "+accountID+" is not in the organization")
			continue
		case !strings.Contains(email, "@"):
			fail("invalid_useremail_address", "\""+email+"\" is not an email address")
			continue
		}
		if name := col(row, "AccountName"); name != "" && !strings.EqualFold(name, acct.Name) {
			fail("invalid_row_data", "AccountName \""+name+"\" does not match account "+acct.ID)
			continue
		}
		if !acct.hasPermissionSet(permission) {
			fail("invalid_permissionset", "permission set \""+permission+"\" does not exist in account "+acct.ID)
			continue
		}
		var matches []*membership
		for _, u := range e.byEmail[strings.ToLower(email)] {
			if m := u.membershipIn(acct); m != nil {
				matches = append(matches, m)
			}
		}
		switch {
		case len(matches) == 0:
			fail("membership_not_in_account", "no user with email "+email+" in account "+acct.ID)
		case len(matches) > 1:
			fail("invalid_row_data", fmt.Sprintf("%d users share email %s in account %s", len(matches), email, acct.ID))
		case e.behaviour.BulkCloseRefusesPending && strings.HasPrefix(matches[0].status, "Activation"):
			fail("user_awaiting_activation", "the user "+email+" has not activated their membership in account "+acct.ID)
		case matches[0].status == "Closed":
			j.noAction++
			j.results[i] = "Success: no action required, the membership was already closed"
		default:
			e.setStatus(matches[0], "Closed")
			j.closed++
			j.results[i] = "Success: membership closed"
		}
	}
}

// hasPermissionSet reports whether name is one of the account's permission profiles, in any
// letter case, as the import's PermissionSet column must be.
func (a *account) hasPermissionSet(name string) bool {
	_, ok := a.profileByName(name)
	return ok
}

func (e *Emulator) importJSON(j *job) map[string]any {
	out := map[string]any{
		"id": j.id, "type": importTypeClose, "requestor": requestorJSON(j.requestor),
		"created": j.created.UTC().Format(time.RFC3339Nano), "last_modified": j.created.UTC().Format(time.RFC3339Nano),
		"status": j.status(), "user_count": len(j.input), "processed_user_count": 0, "added_user_count": 0,
		"updated_user_count": 0, "closed_user_count": 0, "no_action_required_user_count": 0, "error_count": 0, "warning_count": 0,
	}
	if j.done {
		out["last_modified"] = j.completed.UTC().Format(time.RFC3339Nano)
		out["processed_user_count"] = len(j.input)
		out["closed_user_count"], out["no_action_required_user_count"], out["error_count"] = j.closed, j.noAction, j.errors
		rollups := []map[string]any{}
		for kind, n := range j.rollup {
			rollups = append(rollups, map[string]any{"error_type": kind, "count": n})
		}
		out["user_level_error_rollups"] = rollups
		out["has_csv_results"] = true
		out["results_uri"] = "/v2/organizations/" + j.org.id + "/imports/bulk_users/" + j.id + "/results_csv"
	}
	return out
}

func (e *Emulator) handleGetImport(c *call) {
	j := e.findJob(c, "import", c.r.PathValue("importId"))
	if j == nil {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", "Import "+c.r.PathValue("importId")+" was not found."))
		return
	}
	writeJSON(c.w, http.StatusOK, e.importJSON(j))
}

func (e *Emulator) handleListImports(c *call) {
	imports := []map[string]any{}
	for _, j := range e.jobOrder {
		if j.kind == "import" && j.org == c.org {
			e.complete(j)
			imports = append(imports, e.importJSON(j))
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"imports": imports})
}

// handleImportResults returns the uploaded CSV with ProcessingResults added to every row.
func (e *Emulator) handleImportResults(c *call) {
	j := e.findJob(c, "import", c.r.PathValue("importId"))
	if j == nil {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", "Import "+c.r.PathValue("importId")+" was not found."))
		return
	}
	if !j.done {
		writeJSON(c.w, http.StatusBadRequest, adminError("import_not_complete", "Import "+j.id+" is "+j.status()+"; its results are available once it completes."))
		return
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(append(append([]string(nil), j.header...), processingResults))
	for i, row := range j.input {
		_ = w.Write(append(append([]string(nil), row...), j.results[i]))
	}
	w.Flush()
	c.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(buf.Bytes())
}
