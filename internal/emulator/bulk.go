// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
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
	// ImportQueueTimeoutMS is how long a close import may wait queued behind another of its
	// organization before it ends timed_out_queued; 0 means 30 seconds.
	ImportQueueTimeoutMS int `json:"import_queue_timeout_ms,omitempty"`
}

// Export CSV columns. DocuSign documents the import columns (AccountID, AccountName, FirstName,
// LastName, UserEmail, PermissionSet, on POST …/imports/bulk_users/close) and says import files
// are "typically generated through a bulk export", so the export uses the same names for the same
// facts and adds the membership's own fields after them.
var exportColumns = []string{
	"AccountID", "AccountName", "UserID", "UserName", "FirstName", "LastName", "UserEmail", "UserStatus",
	"MembershipStatus", "MembershipID", "PermissionSet", "IsAccountAdmin", "LicenseType", "PlanName",
	"SubscriptionID", "MembershipCreatedOn", "MembershipClosedOn",
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

	// imports
	header   []string
	input    [][]string
	results  []string // ProcessingResults per input row
	closed   int
	noAction int
	errors   int
	rollup   map[string]int
	imp      *importRun // queueing and outcome of a close import (bulk_import.go)
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
		j.file, j.rows = e.exportCSV(j)
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
// Exports

func (e *Emulator) handleCreateExport(c *call) {
	var body struct {
		Type     string `json:"type"`
		Accounts []struct {
			AccountID string `json:"account_id"`
		} `json:"accounts"`
	}
	if !decodeBody(c, &body) {
		return
	}
	if body.Type != exportTypeMemberships {
		// The emulator only builds membership exports; the other types need reserved domains.
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request",
			"type must be organization_memberships_export, organization_domain_users_export or organization_external_memberships_export; the emulator supports organization_memberships_export"))
		return
	}
	var filter []string
	for _, a := range body.Accounts {
		acct := e.accounts[strings.ToLower(a.AccountID)]
		if acct == nil || acct.org != c.org {
			writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "Account "+a.AccountID+" is not in organization "+c.org.id+"."))
			return
		}
		filter = append(filter, acct.ID)
	}
	j := e.newJob(c, "export")
	j.accounts, j.fail = filter, e.jobSettings.FailExports
	j.ttl = time.Duration(e.jobSettings.ExportTTLMS) * time.Millisecond
	if j.ttl <= 0 {
		j.ttl = defaultExportTTL
	}
	writeJSON(c.w, http.StatusOK, e.exportJSON(c, j))
}

func (j *job) expires() time.Time {
	if !j.done {
		return j.created.Add(j.delay + j.ttl)
	}
	return j.completed.Add(j.ttl)
}

func (e *Emulator) exportJSON(c *call, j *job) map[string]any {
	selected := []map[string]any{}
	for _, id := range j.accounts {
		selected = append(selected, map[string]any{"account_id": id})
	}
	out := map[string]any{
		"id": j.id, "type": exportTypeMemberships, "requestor": requestorJSON(j.requestor),
		"created": j.created.UTC().Format(time.RFC3339Nano), "last_modified": j.created.UTC().Format(time.RFC3339Nano),
		"expires": j.expires().UTC().Format(time.RFC3339Nano), "status": j.status(), "selected_accounts": selected,
		"metadata_url":      baseURL(c.r) + "/Management/v2/organizations/" + j.org.id + "/exports/user_list/" + j.id,
		"percent_completed": 0, "results": []map[string]any{},
	}
	switch {
	case j.done && j.failed:
		out["completed"] = j.completed.UTC().Format(time.RFC3339Nano)
		out["percent_completed"], out["success"] = 100, false
		out["results"] = []map[string]any{{"id": e.newID("export-result", j.id), "site_id": 1, "number_rows": 0, "size_bytes": 0,
			"error_details": map[string]string{"error": "export_failed", "error_description": "The export could not be generated. Try again later."}}}
	case j.done:
		out["completed"] = j.completed.UTC().Format(time.RFC3339Nano)
		out["percent_completed"], out["success"] = 100, true
		out["number_rows"], out["size_bytes"] = j.rows, len(j.file)
		out["results"] = []map[string]any{{"id": j.resultID, "site_id": 1, "number_rows": j.rows, "size_bytes": len(j.file),
			"url": baseURL(c.r) + "/_downloads/exports/" + j.resultID + "?sig=" + e.sign(j.resultID)}}
	case j.status() == "in_process":
		out["percent_completed"] = 50
	}
	return out
}

func (e *Emulator) handleGetExport(c *call) {
	j := e.findJob(c, "export", c.r.PathValue("exportId"))
	if j == nil {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", "Export "+c.r.PathValue("exportId")+" was not found."))
		return
	}
	writeJSON(c.w, http.StatusOK, e.exportJSON(c, j))
}

func (e *Emulator) handleListExports(c *call) {
	exports := []map[string]any{}
	for _, j := range e.jobOrder {
		if j.kind == "export" && j.org == c.org {
			e.complete(j)
			exports = append(exports, e.exportJSON(c, j))
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"exports": exports})
}

func (e *Emulator) handleDeleteExport(c *call) {
	j := e.findJob(c, "export", c.r.PathValue("exportId"))
	if j == nil {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", "Export "+c.r.PathValue("exportId")+" was not found."))
		return
	}
	delete(e.jobs, strings.ToLower(j.id))
	for i, x := range e.jobOrder {
		if x == j {
			e.jobOrder = append(e.jobOrder[:i], e.jobOrder[i+1:]...)
			break
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{})
}

// exportCSV writes one row per membership of the selected accounts, closed ones included, as
// organization_memberships_export does ("users in multiple accounts will appear more than once").
func (e *Emulator) exportCSV(j *job) ([]byte, int) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(exportColumns)
	rows := 0
	for _, a := range j.org.accounts {
		if len(j.accounts) > 0 && !containsFold(j.accounts, a.ID) {
			continue
		}
		for _, m := range a.members {
			u := m.user
			userStatus := "active"
			if !hasActiveMembership(u) {
				userStatus = "closed"
			}
			closedOn := ""
			if !m.closedOn.IsZero() {
				closedOn = m.closedOn.Format(adminTime)
			}
			_ = w.Write([]string{
				a.ID, a.Name, u.id, u.userName, u.first, u.last, u.email, userStatus,
				adminStatus(m.status), m.id, e.profileName(m), strconv.FormatBool(m.isAdmin), m.licenseType, a.PlanName,
				a.subscriptionID(), m.created.Format(adminTime), closedOn,
			})
			rows++
		}
	}
	w.Flush()
	return buf.Bytes(), rows
}

// sign makes a result URL's signature, so only the URL DocuSign handed out downloads the file.
func (e *Emulator) sign(resultID string) string {
	mac := hmac.New(sha256.New, []byte("emulator-download-key"))
	mac.Write([]byte(resultID))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

// handleDownload serves an export's result file from its pre-signed URL: no bearer token, as
// with a storage link, but only until the export expires.
func (e *Emulator) handleDownload(c *call) {
	id := c.r.PathValue("resultId")
	var found *job
	for _, j := range e.jobOrder {
		if j.kind == "export" && j.done && strings.EqualFold(j.resultID, id) {
			found = j
		}
	}
	if found == nil || !hmac.Equal([]byte(c.r.URL.Query().Get("sig")), []byte(e.sign(id))) {
		writeXMLError(c.w, http.StatusForbidden, "AuthenticationFailed", "Server failed to authenticate the request.")
		return
	}
	if time.Now().After(found.expires()) {
		writeXMLError(c.w, http.StatusForbidden, "AuthenticationFailed", "Signed expiry time has passed.")
		return
	}
	c.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(found.file)
}

// writeXMLError answers as a storage service does, not as the Admin API.
func writeXMLError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, message)
}
