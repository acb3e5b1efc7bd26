// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// The bulk close import rests on formats DocuSign does not publish: the ProcessingResults
// values and the order of results_csv. So a row's outcome is read tolerantly and matched to its
// user by account and email, never by position; only a recognised success is taken as closed.
// Every other user (no row, an unrecognised value, an error, an import whose outcome is unknown)
// is confirmed through the Admin API's documented membership listing, and those still open go
// through the eSignature batch close, whose answer is documented JSON. A user that cannot be
// closed either way fails alone, quoting DocuSign's ProcessingResults.

// ErrImportFailed means DocuSign ended a bulk import as failed.
var ErrImportFailed = errors.New("DocuSign could not complete the bulk close import")

// The spec's limits of one import (said of add and update, applied to close): users per account,
// users in all and accounts. A larger close is split into several imports, run one after another;
// an import DocuSign still finds too large is halved (closeImportWithin).
const (
	MaxImportUsersPerAccount = 2000
	MaxImportUsers           = 8000
	MaxImportAccounts        = 50
)

// unknownLooks is how many times an import reported as "unknown" is polled again before its
// outcome is treated as unknown.
const unknownLooks = 3

// DefaultBulkCloseThreshold is how many users one call to CloseManyPreferBulk must close in an
// account before it uses the bulk close import: there, ten DELETE …/users batches cost about
// what the export and the import cost together (make bench measures both paths).
const DefaultBulkCloseThreshold = 1000

// ImportError is a bulk close import DocuSign ended failed: the state and what DocuSign said
// about the file (file_level_error_rollups and the columns it could not use).
type ImportError struct {
	ImportID string
	State    string
	Import   *admin.Import
}

func (e *ImportError) Error() string {
	msg := fmt.Sprintf("import %s ended %s", e.ImportID, e.State)
	if i := e.Import; i != nil {
		var rollups []string
		for _, r := range i.FileLevelErrorRollups {
			rollups = append(rollups, fmt.Sprintf("%s (%d)", r.ErrorType, r.Count))
		}
		if len(rollups) > 0 {
			msg += "; file_level_error_rollups: " + strings.Join(rollups, ", ")
		}
		if i.InvalidColumnHeaders != "" {
			msg += "; invalid_column_headers: " + i.InvalidColumnHeaders
		}
		if i.ImportsFailedForAccounts != "" {
			msg += "; imports_failed_for_accounts: " + i.ImportsFailedForAccounts
		}
	}
	return ErrImportFailed.Error() + ": " + msg
}

func (e *ImportError) Unwrap() error { return ErrImportFailed }

// BulkCloseRow is one membership for the bulk close import, with the columns DocuSign requires.
type BulkCloseRow struct {
	AccountID, UserID, Email, FirstName, LastName, PermissionSet string
}

func (r BulkCloseRow) key() string { return rowKey(r.AccountID, r.Email) }

// rowKey pairs a result row with its user: the account and the email, compared as DocuSign
// compares them, without regard to letter case.
func rowKey(accountID, email string) string {
	return strings.ToLower(strings.TrimSpace(accountID)) + "\x00" + strings.ToLower(strings.TrimSpace(email))
}

// BulkCloseResult is what the import says of one row.
type BulkCloseResult struct {
	UserID string
	// Closed: the row's ProcessingResults is a recognised success.
	Closed bool
	// Attempted: an import may have handled the row, so an unconfirmed outcome needs a read;
	// false when no import ran it (refused, or its upload's fate is unknown).
	Attempted bool
	// Reason says why the row is not known closed: DocuSign's ProcessingResults, or what could
	// not be read.
	Reason string
}

// importChunks splits rows so that no import exceeds the spec's limits.
func importChunks(rows []BulkCloseRow) [][]BulkCloseRow {
	var chunks [][]BulkCloseRow
	var cur []BulkCloseRow
	perAccount := map[string]int{}
	for _, r := range rows {
		acct := strings.ToLower(r.AccountID)
		_, seen := perAccount[acct]
		if len(cur) >= MaxImportUsers || perAccount[acct] >= MaxImportUsersPerAccount || (!seen && len(perAccount) >= MaxImportAccounts) {
			chunks = append(chunks, cur)
			cur, perAccount = nil, map[string]int{}
		}
		cur = append(cur, r)
		perAccount[acct]++
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}

// BulkClose closes rows with bulk close imports, one at a time, each within the spec's limits,
// and deletes each import once read. A row's result is Closed only when its ProcessingResults is
// a recognised success; the caller confirms the rest. An import DocuSign ends failed is an
// *ImportError; rows of earlier imports keep their results.
func (c *Client) BulkClose(ctx context.Context, orgID string, rows []BulkCloseRow, progress Progress) ([]BulkCloseResult, error) {
	known, err := c.waitImportQueue(ctx, orgID, progress)
	if err != nil {
		return nil, err
	}
	var results []BulkCloseResult
	for _, chunk := range importChunks(rows) {
		res, err := c.closeImportWithin(ctx, orgID, chunk, known, progress)
		results = append(results, res...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

// closeImportWithin runs one import of rows, and when DocuSign refuses it for its size sends
// each half instead, down to one batch's worth, which the eSignature batches close. The spec
// states its limits for add and update only, so a close import may be held to a lower one than
// importChunks keeps to; a refused or failed import closed nobody.
func (c *Client) closeImportWithin(ctx context.Context, orgID string, rows []BulkCloseRow, known map[string]bool, progress Progress) ([]BulkCloseResult, error) {
	res, err := c.closeImport(ctx, orgID, rows, known, progress)
	if err == nil || len(rows) < 2 || !tooManyUsers(err) {
		return res, err
	}
	if len(rows) <= esign.MaxPageSize {
		// One batch closes this many for one call, where more halving would cost three per import.
		return rowsNotRun(rows, err.Error(), progress), nil
	}
	progress.say("splitting", map[string]any{"job": "import", "rows": len(rows), "reason": err.Error()})
	half := len(rows) / 2
	first, err := c.closeImportWithin(ctx, orgID, rows[:half], known, progress)
	if err != nil {
		return first, err
	}
	second, err := c.closeImportWithin(ctx, orgID, rows[half:], known, progress)
	return append(first, second...), err
}

// rowsNotRun leaves rows to the eSignature batches: no import ran them.
func rowsNotRun(rows []BulkCloseRow, reason string, progress Progress) []BulkCloseResult {
	progress.say("fallback", map[string]any{"job": "import", "rows": len(rows), "reason": reason})
	out := make([]BulkCloseResult, len(rows))
	for i, r := range rows {
		out[i] = BulkCloseResult{UserID: r.UserID, Reason: reason}
	}
	return out
}

// tooManyUsers reports DocuSign refusing an import for its size: at upload, or as a failed
// import's file-level rollup.
func tooManyUsers(err error) bool {
	const code = "maximum_users_exceeded"
	var ie *ImportError
	if errors.As(err, &ie) && ie.Import != nil {
		for _, r := range ie.Import.FileLevelErrorRollups {
			if strings.EqualFold(r.ErrorType, code) {
				return true
			}
		}
	}
	return transport.HasCode(err, code)
}

// waitImportQueue waits until no import of the organization is queued or running, as DocuSign's
// SDK tests do before creating one, and returns the IDs of the imports already there.
func (c *Client) waitImportQueue(ctx context.Context, orgID string, progress Progress) (map[string]bool, error) {
	wait := JobFirstPoll
	started := time.Now()
	for {
		imports, err := c.Admin.ListImports(ctx, orgID)
		if err != nil {
			return nil, fmt.Errorf("listing the organization's imports: %w", err)
		}
		known := map[string]bool{}
		busy := ""
		for _, i := range imports {
			known[strings.ToLower(i.ID)] = true
			if i.Importing() {
				busy = i.ID + " (" + admin.JobState(i.Status) + ")"
			}
		}
		if busy == "" {
			return known, nil
		}
		progress.say("waiting", map[string]any{"job": "import", "behind": busy, "waited": time.Since(started).Round(time.Millisecond).String()})
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("import %s of the organization was still running after %s: %w", busy, time.Since(started).Round(time.Second), ctx.Err())
		case <-time.After(wait):
		}
		wait = min(wait*2, JobMaxPoll)
	}
}

// closeImport runs one import of rows: upload, wait, read, delete. An import that timed out in
// DocuSign's queue did nothing, so it is sent once more after the queue clears.
func (c *Client) closeImport(ctx context.Context, orgID string, rows []BulkCloseRow, known map[string]bool, progress Progress) ([]BulkCloseResult, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"AccountID", "FirstName", "LastName", "UserEmail", "PermissionSet"})
	for _, r := range rows {
		_ = w.Write([]string{r.AccountID, r.FirstName, r.LastName, r.Email, r.PermissionSet})
	}
	w.Flush()
	notRun := func(reason string) []BulkCloseResult { return rowsNotRun(rows, reason, progress) }
	for attempt := 1; ; attempt++ {
		imp, err := c.uploadCloseImport(ctx, orgID, buf.Bytes(), len(rows), known, progress)
		if err != nil {
			if ctx.Err() != nil || (tooManyUsers(err) && len(rows) > 1) {
				return nil, err
			}
			return notRun(err.Error()), nil
		}
		known[strings.ToLower(imp.ID)] = true
		final, err := c.waitImport(ctx, orgID, imp, progress)
		if err != nil {
			return nil, err
		}
		state := admin.JobState(final.Status)
		switch state {
		case admin.ImportTimedOutQueued:
			c.deleteImport(ctx, orgID, imp.ID, progress)
			if attempt == 1 {
				if _, err := c.waitImportQueue(ctx, orgID, progress); err != nil {
					return nil, err
				}
				progress.say("retrying", map[string]any{"job": "import", "id": imp.ID, "reason": state})
				continue
			}
			return notRun(fmt.Sprintf("import %s ended %s twice", imp.ID, state)), nil
		case admin.ImportFailed:
			c.deleteImport(ctx, orgID, imp.ID, progress)
			return nil, &ImportError{ImportID: imp.ID, State: state, Import: final}
		}
		if allClosedByCount(final, state, len(rows)) {
			// The import's documented counts already say every row closed a membership: the
			// results file, whose values are undocumented, has nothing to add.
			c.deleteImport(ctx, orgID, imp.ID, progress)
			progress.say("counted", map[string]any{"job": "import", "id": imp.ID, "rows": len(rows)})
			out := make([]BulkCloseResult, len(rows))
			for i, r := range rows {
				out[i] = BulkCloseResult{UserID: r.UserID, Closed: true, Attempted: true}
			}
			return out, nil
		}
		results := c.readImport(ctx, orgID, imp.ID, state, rows, progress)
		if !final.Importing() {
			c.deleteImport(ctx, orgID, imp.ID, progress)
		}
		return results, nil
	}
}

// allClosedByCount reports an import whose OrganizationImportResponse counts (documented JSON)
// say each of its rows closed a membership: as many users as were sent, all closed, no error.
func allClosedByCount(i *admin.Import, state string, rows int) bool {
	settled := state == admin.ImportCompleted || state == admin.ImportProcessedWithIssues || state == admin.ImportProcessedWithErrors
	return settled && rows > 0 && i.UserCount == rows && i.ClosedUserCount == rows && i.ErrorCount == 0
}

// uploadCloseImport uploads the CSV once. When the answer is lost, the import it may have
// created is looked for among the organization's imports rather than uploaded again; when none
// or several could be it, the rows are left to the eSignature batches. A refusal while another
// import runs waits for it and tries once more.
func (c *Client) uploadCloseImport(ctx context.Context, orgID string, csvData []byte, rows int, known map[string]bool, progress Progress) (*admin.Import, error) {
	for attempt := 1; ; attempt++ {
		imp, err := c.Admin.CreateCloseImport(ctx, orgID, csvData)
		if err == nil {
			progress.say("queued", map[string]any{"job": "import", "id": imp.ID, "rows": rows})
			return imp, nil
		}
		if errors.Is(err, transport.ErrOutcomeUnknown) {
			return c.findCreatedImport(ctx, orgID, rows, known, err, progress)
		}
		var apiErr *transport.Error
		if attempt > 1 || !errors.As(err, &apiErr) || apiErr.Status >= 500 || apiErr.Status == 401 || apiErr.Status == 403 {
			return nil, fmt.Errorf("DocuSign refused the bulk close import: %w", err)
		}
		// A definite refusal: nothing was created. If another import is running it may be the
		// reason (DocuSign runs one per organization); wait for it, then try once more.
		imports, lerr := c.Admin.ListImports(ctx, orgID)
		busy := false
		for _, i := range imports {
			busy = busy || i.Importing()
		}
		if lerr != nil || !busy {
			return nil, fmt.Errorf("DocuSign refused the bulk close import: %w", err)
		}
		if _, err := c.waitImportQueue(ctx, orgID, progress); err != nil {
			return nil, err
		}
	}
}

func (c *Client) findCreatedImport(ctx context.Context, orgID string, rows int, known map[string]bool, cause error, progress Progress) (*admin.Import, error) {
	imports, err := c.Admin.ListImports(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("the bulk close upload's answer was lost (%w) and the imports could not be listed: %w", cause, err)
	}
	var found []admin.Import
	for _, i := range imports {
		if known[strings.ToLower(i.ID)] || (i.UserCount != 0 && i.UserCount != rows) {
			continue
		}
		if t := strings.ToLower(i.Type); t != "" && !strings.Contains(t, "close") {
			continue
		}
		found = append(found, i)
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("the bulk close upload's answer was lost (%w) and %d new imports could be it", cause, len(found))
	}
	progress.say("found", map[string]any{"job": "import", "id": found[0].ID, "reason": "the upload's answer was lost"})
	return &found[0], nil
}

// waitImport polls an import until it settles: every state but queued and in_process, and
// unknown once it has been seen unknownLooks times.
func (c *Client) waitImport(ctx context.Context, orgID string, imp *admin.Import, progress Progress) (*admin.Import, error) {
	final := imp
	last := admin.JobState(imp.Status)
	unknowns := 0
	wait := JobFirstPoll
	started := time.Now()
	for final.Importing() || last == admin.ImportUnknown || last == "" {
		if !final.Importing() {
			unknowns++
			if unknowns > unknownLooks {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("import %s was still %s after %s: %w", imp.ID, strings.ReplaceAll(last, "_", " "), time.Since(started).Round(time.Second), ctx.Err())
		case <-time.After(wait):
		}
		got, err := c.Admin.GetImport(ctx, orgID, imp.ID)
		if err != nil {
			return nil, fmt.Errorf("checking import %s: %w", imp.ID, err)
		}
		final = got
		if s := admin.JobState(got.Status); s != last {
			stage := s
			if s == admin.ImportInProcess {
				stage = "processing"
			}
			progress.say(stage, map[string]any{"job": "import", "id": imp.ID, "waited": time.Since(started).Round(time.Millisecond).String()})
			last = s
		}
		wait = min(wait*2, JobMaxPoll)
	}
	return final, nil
}

// readImport reads a settled import's results. Rows whose outcome is not a recognised success
// keep a reason and are Attempted, for the caller to confirm.
func (c *Client) readImport(ctx context.Context, orgID, importID, state string, rows []BulkCloseRow, progress Progress) []BulkCloseResult {
	results := make([]BulkCloseResult, len(rows))
	for i, r := range rows {
		results[i] = BulkCloseResult{UserID: r.UserID, Attempted: true,
			Reason: fmt.Sprintf("import %s ended %s and its results list no row for this user", importID, state)}
	}
	recognisedState := state == admin.ImportCompleted || state == admin.ImportProcessedWithIssues || state == admin.ImportProcessedWithErrors
	if !recognisedState {
		for i := range results {
			results[i].Reason = fmt.Sprintf("import %s ended in state %q, whose outcome DocuSign does not document", importID, state)
		}
		progress.say("unread", map[string]any{"job": "import", "id": importID, "reason": "state " + state})
		return results
	}
	var outcomes map[int]string
	err := c.Admin.ImportResults(ctx, orgID, importID, func(r io.Reader) error {
		var err error
		outcomes, err = parseImportResults(r, rows)
		return err
	})
	if err != nil {
		for i := range results {
			results[i].Reason = fmt.Sprintf("the results of import %s (%s) could not be read: %s", importID, state, err)
		}
		progress.say("unread", map[string]any{"job": "import", "id": importID, "reason": err.Error()})
		return results
	}
	recognised := 0
	for i, value := range outcomes {
		switch classifyProcessingResult(value) {
		case rowClosed:
			results[i].Closed, results[i].Reason = true, ""
			recognised++
		case rowFailed:
			results[i].Reason = fmt.Sprintf("ProcessingResults %q", value)
			recognised++
		default:
			results[i].Reason = fmt.Sprintf("ProcessingResults %q is not a value this provider recognises", value)
		}
	}
	progress.say("downloaded", map[string]any{"job": "import", "id": importID, "rows": len(outcomes), "recognised": recognised})
	return results
}

type rowOutcome int

const (
	rowUnknown rowOutcome = iota
	rowClosed
	rowFailed
)

// importErrorTypes are the spec's rollup error types that say a row was not handled
// (OrganizationImportResponseErrorRollup), as tokens.
var importErrorTypes = []string{
	"invalid_column_header", "invalid_row_data", "insufficient_row_data_found", "extra_row_data_found", "blank_username",
	"invalid_characters_in_username", "invalid_useremail_address", "email_domain_is_reserved", "invalid_membership_id",
	"membership_not_in_account", "maximum_users_exceeded", "invalid_permissionset", "user_permissionset_problems",
	"column_headers_missing", "invalid_csv_data_or_syntax", "useremail_column_header_missing",
	"permissionset_column_header_missing", "user_awaiting_activation", "account_admin_access_denied", "permissionset_required",
	"apiusername_column_header_missing", "invalid_apiusername", "invalid_account_id", "cannot_close_last_active_admin",
	"cannot_close_own_membership", "unspecified_error",
}

// classifyProcessingResult reads one ProcessingResults value: today's sentences ("Success: …",
// "Error: kind: why") and the spec's snake_case tokens alike. "No action" is not taken as
// closed: for a user the provider saw open, it is a surprise worth a read.
func classifyProcessingResult(value string) rowOutcome {
	t := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(strings.TrimSpace(value)))
	words := "_" + t + "_"
	switch {
	case strings.Trim(t, "_") == "":
		return rowUnknown
	case strings.Contains(words, "_no_action_"), strings.Contains(words, "_warning_"):
		return rowUnknown
	case strings.HasPrefix(t, "error"), strings.HasPrefix(t, "fail"), strings.Contains(words, "_cannot_"):
		return rowFailed
	}
	for _, kind := range importErrorTypes {
		if strings.Contains(words, "_"+kind+"_") {
			return rowFailed
		}
	}
	switch {
	case strings.HasPrefix(t, "success"), strings.Contains(words, "_membership_closed_"), t == "closed", strings.Contains(words, "_user_closed_"):
		return rowClosed
	}
	return rowUnknown
}

// importResultColumns are the results file's columns the provider reads, each with the names
// that may carry it (normalized as export columns are: lower case, no spaces, underscores or
// hyphens). The file's layout is undocumented; it is expected to repeat the upload's columns
// (AccountID, UserEmail) and add ProcessingResults, and a file that names users by APIUserName,
// the user ID of DocuSign's import files, is matched by that instead of the email.
var importResultColumns = map[string][]string{
	"account": {"accountid"},
	"email":   {"useremail", "email", "emailaddress"},
	"user":    {"apiusername", "userid"},
	"result":  {"processingresults", "processingresult"},
}

// parseImportResults reads results_csv as it arrives and keeps the rows that name one of rows,
// by account and email (or, without an email column, account and user ID), as row index to
// ProcessingResults: the file is never held whole. A user with two rows that disagree gets no
// outcome.
func parseImportResults(r io.Reader, rows []BulkCloseRow) (map[int]string, error) {
	rd := csv.NewReader(r)
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err == io.EOF {
		return nil, errors.New("the results are empty")
	}
	if err != nil {
		return nil, err
	}
	at := readHeaderColumns(header)
	col := map[string]int{}
	for key, names := range importResultColumns {
		col[key] = at.first(names)
	}
	byEmail := col["email"] >= 0
	var missing []string
	if col["account"] < 0 {
		missing = append(missing, "AccountID")
	}
	if !byEmail && col["user"] < 0 {
		missing = append(missing, "UserEmail (or APIUserName)")
	}
	if col["result"] < 0 {
		missing = append(missing, "ProcessingResults")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the results have no %s column", strings.Join(missing, ", "))
	}
	want := make(map[string]int, len(rows))
	for i, r := range rows {
		if byEmail {
			want[r.key()] = i
		} else {
			want[rowKey(r.AccountID, r.UserID)] = i
		}
	}
	get := func(rec []string, key string) string {
		if i := col[key]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	out := map[int]string{}
	conflict := map[int]bool{}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		who := get(rec, "user")
		if byEmail {
			who = get(rec, "email")
		}
		i, ok := want[rowKey(get(rec, "account"), who)]
		if !ok || conflict[i] {
			continue
		}
		value := get(rec, "result")
		if prev, seen := out[i]; seen && prev != value {
			conflict[i] = true
			delete(out, i)
			continue
		}
		out[i] = value
	}
	return out, nil
}

// deleteImport removes a settled import, as DocuSign's SDK tests do to stay under its cap of
// stored imports; a failure only costs a log line.
func (c *Client) deleteImport(ctx context.Context, orgID, importID string, progress Progress) {
	if err := c.Admin.DeleteImport(ctx, orgID, importID); err != nil {
		progress.say("cleanup", map[string]any{"job": "import", "id": importID, "error": err.Error()})
	}
}

// confirmClosed reads, through the Admin API's documented membership listing, which of rows are
// closed in accountID now. A few users are looked up by email, more by one listing of the
// account's closed memberships, which stops once every user is found.
func (c *Client) confirmClosed(ctx context.Context, orgID, accountID string, rows []BulkCloseRow) (map[string]bool, error) {
	closed := map[string]bool{}
	byID := map[string]bool{}
	byEmail := map[string]string{}
	for _, r := range rows {
		byID[strings.ToLower(r.UserID)] = true
		byEmail[strings.ToLower(r.Email)] = strings.ToLower(r.UserID)
	}
	note := func(u admin.OrgUser) {
		if !strings.EqualFold(u.MembershipStatus, "closed") {
			return
		}
		if id := strings.ToLower(u.ID); byID[id] {
			closed[id] = true
		} else if id, ok := byEmail[strings.ToLower(u.Email)]; ok && u.ID == "" {
			closed[id] = true
		}
	}
	if len(rows) <= confirmByEmailUpTo {
		for _, r := range rows {
			users, err := c.Admin.ListAllUsers(ctx, orgID, admin.UsersQuery{AccountID: accountID, Email: r.Email})
			if err != nil {
				return nil, err
			}
			for _, u := range users {
				note(u)
			}
		}
		return closed, nil
	}
	for page, err := range c.Admin.UserPages(ctx, orgID, admin.UsersQuery{AccountID: accountID, MembershipStatus: "closed"}) {
		if err != nil {
			return nil, err
		}
		for _, u := range page.Rows {
			note(u)
		}
		if len(closed) == len(byID) {
			break
		}
	}
	return closed, nil
}

// confirmByEmailUpTo is how many users are confirmed one lookup each rather than by a listing.
const confirmByEmailUpTo = 3

// CloseManyPreferBulk closes userIDs in accountID. From threshold users on (0: never) it uses
// bulk close imports instead of batched DELETE …/users calls: an export of the account supplies
// the email, names and permission set each CSV row needs, users already closed are left alone,
// a recognised success in a row's ProcessingResults closes its user, and every other user is
// confirmed through the membership listing and, if still open, closed by the batches. Users the
// export cannot name uniquely (absent, an email shared in the account, no name), and every user
// when the account has no organization the caller administers, go through the batches.
func (c *Client) CloseManyPreferBulk(ctx context.Context, accountID string, userIDs []string, threshold int, progress Progress) ([]esign.CloseResult, error) {
	ids := dedupe(userIDs)
	if threshold <= 0 || len(ids) < threshold {
		return c.CloseMany(ctx, accountID, ids)
	}
	// The organization lookup, the export and the imports in one JWT grant, not one per scope.
	c.Tokens.Expect("organization_read", "user_read", "user_write")
	orgID, err := c.administeredOrganizationOf(ctx, accountID)
	if err != nil {
		progress.say("skipped", map[string]any{"job": "import", "reason": err.Error()})
		return c.CloseMany(ctx, accountID, ids)
	}
	rows, err := c.ExportMemberships(ctx, orgID, []string{accountID}, progress)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		// Without the export there is nothing to write the CSV from; the batches need none.
		progress.say("fallback", map[string]any{"job": "import", "rows": len(ids), "reason": "the user-list export it is written from failed: " + err.Error()})
		return c.CloseMany(ctx, accountID, ids)
	}
	byID := map[string]ExportRow{}
	emails := map[string]int{}
	for _, r := range rows {
		if strings.EqualFold(r.AccountID, accountID) {
			byID[strings.ToLower(r.UserID)] = r
			emails[strings.ToLower(r.Email)]++
		}
	}
	var results []esign.CloseResult
	var bulk []BulkCloseRow
	var batched []string
	for _, id := range ids {
		r, ok := byID[strings.ToLower(id)]
		first, last := r.FirstName, r.LastName
		if first == "" || last == "" {
			// The import requires both names; a user created with a full name only is named by it.
			first, last = splitName(r.UserName, first, last)
		}
		switch {
		case !ok || emails[strings.ToLower(r.Email)] > 1 || first == "" || last == "" || r.PermissionSet == "":
			batched = append(batched, id)
		case r.MembershipStatus == "closed":
			u := r.esignUser()
			u.UserID = id
			results = append(results, esign.CloseResult{UserID: id, User: u})
		default:
			bulk = append(bulk, BulkCloseRow{AccountID: accountID, UserID: id, Email: r.Email, FirstName: first, LastName: last, PermissionSet: r.PermissionSet})
		}
	}
	if len(bulk) == 0 {
		more, err := c.CloseMany(ctx, accountID, batched)
		return append(results, more...), err
	}
	outcomes, importErr := c.BulkClose(ctx, orgID, bulk, progress)
	if importErr != nil && ctx.Err() != nil {
		return results, importErr
	}
	userOf := func(id string) esign.User {
		u := byID[strings.ToLower(id)].esignUser()
		u.UserID = id
		return u
	}
	reasons := map[string]string{}
	var unsure, open []BulkCloseRow
	for i, o := range outcomes {
		switch {
		case o.Closed:
			res := esign.CloseResult{UserID: o.UserID, User: userOf(o.UserID)}
			res.User.UserStatus = esign.StatusClosed
			c.directory.Closed(accountID, res.User)
			results = append(results, res)
		case o.Attempted:
			unsure = append(unsure, bulk[i])
		default:
			open = append(open, bulk[i])
		}
		if !o.Closed {
			reasons[strings.ToLower(o.UserID)] = o.Reason
		}
	}
	// Rows no import reached keep the error that stopped the imports as their reason.
	for _, r := range bulk[len(outcomes):] {
		reasons[strings.ToLower(r.UserID)] = importErr.Error()
		unsure = append(unsure, r)
	}
	var failed *ImportError
	if importErr != nil && !errors.As(importErr, &failed) {
		// Not DocuSign's verdict on the file (a listing or a poll that kept failing): the users
		// are confirmed and the open ones go through the batches like any other.
		progress.say("fallback", map[string]any{"job": "import", "rows": len(bulk) - len(outcomes), "reason": importErr.Error()})
		importErr = nil
	}
	if len(unsure) > 0 {
		confirmed, err := c.confirmClosed(ctx, orgID, accountID, unsure)
		if err != nil {
			progress.say("unconfirmed", map[string]any{"job": "import", "rows": len(unsure), "reason": err.Error()})
		}
		for _, r := range unsure {
			if confirmed[strings.ToLower(r.UserID)] {
				res := esign.CloseResult{UserID: r.UserID, User: userOf(r.UserID)}
				res.User.UserStatus = esign.StatusClosed
				c.directory.Closed(accountID, res.User)
				results = append(results, res)
			} else {
				open = append(open, r)
			}
		}
	}
	if importErr != nil {
		// DocuSign ended an import failed: the users it left open are not closed behind the
		// rollups' back; they fail with the import's error.
		for _, r := range open {
			results = append(results, esign.CloseResult{UserID: r.UserID, User: userOf(r.UserID), Err: importErr})
		}
		open = nil
	}
	for _, r := range open {
		batched = append(batched, r.UserID)
	}
	if len(batched) == 0 {
		return results, nil
	}
	if len(open) > 0 {
		progress.say("batches", map[string]any{"job": "import", "rows": len(open), "reason": "users the imports left open"})
	}
	more, err := c.CloseMany(ctx, accountID, batched)
	for _, res := range more {
		if reason, ok := reasons[strings.ToLower(res.UserID)]; ok && res.Err != nil {
			res.Err = fmt.Errorf("neither DocuSign's bulk close import (%s) nor the eSignature close closed it: %w", reason, res.Err)
		}
		results = append(results, res)
	}
	return results, err
}

// splitName fills missing first and last names from a full name: the last word is the last name.
func splitName(full, first, last string) (string, string) {
	words := strings.Fields(full)
	if len(words) == 0 {
		return first, last
	}
	if last == "" {
		last = words[len(words)-1]
	}
	if first == "" {
		first = words[0]
		if len(words) > 1 {
			first = strings.Join(words[:len(words)-1], " ")
		}
	}
	return first, last
}

// bulkWarning turns a bulk close progress stage that changed the plan into a sentence for the
// user: the import not used, its results not read, an outcome not confirmed, an import left.
func bulkWarning(stage string, fields map[string]any) (string, bool) {
	if job, _ := fields["job"].(string); job != "import" {
		return "", false // the export's own stages are the export's to explain
	}
	reason, _ := fields["reason"].(string)
	rows := fields["rows"]
	switch stage {
	case "fallback":
		return fmt.Sprintf("The bulk close import was not used for %v users (%s); they were closed through the eSignature batches.", rows, reason), true
	case "unread":
		return fmt.Sprintf("The results of bulk close import %v could not be read (%s); its users were confirmed through the Admin API's membership listing and the ones still open closed through the eSignature batches.", fields["id"], reason), true
	case "unconfirmed":
		return fmt.Sprintf("The Admin API's membership listing could not confirm %v users (%s); they went through the eSignature batches, whose answer confirms each close.", rows, reason), true
	case "cleanup":
		return fmt.Sprintf("Bulk close import %v could not be deleted (%v); DocuSign keeps about 90 imports per organization, so delete it in DocuSign Admin.", fields["id"], fields["error"]), true
	}
	return "", false
}
