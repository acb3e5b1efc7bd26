// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"
	"slices"
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
	// PartialExports makes every new export complete with the last selected account's rows
	// missing: their result carries error_details, and one more result has no URL.
	PartialExports bool `json:"partial_exports"`
	// ExportOmitColumns leaves these columns (by name, any case) out of new export files.
	ExportOmitColumns []string `json:"export_omit_columns,omitempty"`
	// CloseImportUsersPerAccount holds close imports to a lower per-account limit than the 2,000
	// the spec states for add and update (close's own limit is not published); 0 keeps 2,000.
	CloseImportUsersPerAccount int `json:"close_import_users_per_account,omitempty"`
	// FailImportsWith makes every new close import end failed with this file-level error type,
	// closing nobody, as DocuSign does with a file it cannot use.
	FailImportsWith string `json:"fail_imports_with,omitempty"`
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
	userIDs  []string // the user each input row named, "" when it named none
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

// deleteJob answers DELETE on an export or an import: the job and what it stored are gone, or
// 404 when the organization holds no such job.
func (e *Emulator) deleteJob(c *call, kind, noun, id string) {
	j := e.findJob(c, kind, id)
	if j == nil {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", noun+" "+id+" was not found."))
		return
	}
	delete(e.jobs, strings.ToLower(j.id))
	e.jobOrder = slices.DeleteFunc(e.jobOrder, func(x *job) bool { return x == j })
	writeJSON(c.w, http.StatusOK, map[string]any{})
}

// storedJobs counts the jobs of one kind an organization holds until they are deleted.
func (e *Emulator) storedJobs(orgID, kind string) int {
	n := 0
	for _, j := range e.jobOrder {
		if j.kind == kind && strings.EqualFold(j.org.id, orgID) {
			n++
		}
	}
	return n
}

// StoredExports counts the exports an organization still holds, for tests of the cleanup.
func (e *Emulator) StoredExports(orgID string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.storedJobs(orgID, "export")
}

// StoredImports counts the imports an organization still holds, for tests of the cleanup.
func (e *Emulator) StoredImports(orgID string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.storedJobs(orgID, "import")
}

// StoreForeignExports leaves n finished user-list exports in an organization, as another
// integration that never deletes its exports would, so tests can meet the stored-jobs cap.
func (e *Emulator) StoreForeignExports(orgID string, n int) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.orgs[strings.ToLower(orgID)]
	if o == nil {
		return fmt.Errorf("no organization %s", orgID)
	}
	if e.jobs == nil {
		e.jobs = map[string]*job{}
	}
	now := time.Now()
	for range n {
		j := &job{id: e.freshID("export"), kind: "export", org: o, created: now, done: true, completed: now, ttl: defaultExportTTL}
		e.jobs[strings.ToLower(j.id)] = j
		e.jobOrder = append(e.jobOrder, j)
	}
	return nil
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

// jobState writes a job status as the answer spells it: the SDK tests' snake_case, or
// PascalCase under job_states_pascal_case.
func (e *Emulator) jobState(s string) string {
	if !e.behaviour.JobStatesPascalCase {
		return s
	}
	var b strings.Builder
	for _, word := range strings.Split(s, "_") {
		if word != "" {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
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
