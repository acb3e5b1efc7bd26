// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// Progress hears what a bulk job is doing: stage is "queued", "processing", "completed",
// "downloaded" or "retrying", with details such as the job ID or the number of rows. The provider
// turns it into DEBUG log lines.
type Progress func(stage string, fields map[string]any)

func (p Progress) say(stage string, fields map[string]any) {
	if p != nil {
		p(stage, fields)
	}
}

// Poll intervals of bulk jobs: the first status check comes soon (small exports finish in a
// second or two), later ones back off so a long job costs few calls.
var (
	JobFirstPoll = 300 * time.Millisecond
	JobMaxPoll   = 10 * time.Second
)

// ErrExportFailed means DocuSign ended an export as failed.
var ErrExportFailed = errors.New("DocuSign could not complete the user-list export")

// ErrExportExpired means an export's result file could no longer be downloaded.
var ErrExportExpired = errors.New("the export's result file expired before it could be downloaded")

// ErrImportFailed means DocuSign ended a bulk import as failed.
var ErrImportFailed = errors.New("DocuSign could not complete the bulk close import")

// waitJob polls status until the job finishes or ctx ends, reporting each change of status.
func waitJob(ctx context.Context, kind, id string, progress Progress, status func(context.Context) (string, error)) (string, error) {
	wait := JobFirstPoll
	last := "queued"
	started := time.Now()
	for {
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("%s %s was still %s after %s: %w", kind, id, strings.ReplaceAll(last, "_", " "), time.Since(started).Round(time.Second), ctx.Err())
		case <-time.After(wait):
		}
		s, err := status(ctx)
		if err != nil {
			return "", err
		}
		s = strings.ToLower(s)
		if s != last {
			stage := s
			if s == "in_process" {
				stage = "processing"
			}
			progress.say(stage, map[string]any{"job": kind, "id": id, "waited": time.Since(started).Round(time.Millisecond).String()})
			last = s
		}
		if admin.JobFinished(s) {
			return s, nil
		}
		wait = min(wait*2, JobMaxPoll)
	}
}

// BulkCloseRow is one membership for the bulk close import, with the columns DocuSign requires.
type BulkCloseRow struct {
	AccountID, UserID, Email, FirstName, LastName, PermissionSet string
}

// BulkCloseResult is DocuSign's answer for one row: closed (or already closed), or the reason not.
type BulkCloseResult struct {
	UserID string
	Closed bool
	Reason string // DocuSign's ProcessingResults when the row failed
}

// BulkClose closes rows with one bulk close import: upload, wait, read results_csv. Each row's
// ProcessingResults decides that user's outcome, so a bad row fails only its user.
func (c *Client) BulkClose(ctx context.Context, orgID string, rows []BulkCloseRow, progress Progress) ([]BulkCloseResult, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"AccountID", "FirstName", "LastName", "UserEmail", "PermissionSet"})
	for _, r := range rows {
		_ = w.Write([]string{r.AccountID, r.FirstName, r.LastName, r.Email, r.PermissionSet})
	}
	w.Flush()
	imp, err := c.Admin.CreateCloseImport(ctx, orgID, buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("starting a bulk close import: %w", err)
	}
	progress.say("queued", map[string]any{"job": "import", "id": imp.ID, "rows": len(rows)})
	status := strings.ToLower(imp.Status)
	if !admin.JobFinished(status) {
		status, err = waitJob(ctx, "import", imp.ID, progress, func(ctx context.Context) (string, error) {
			i, err := c.Admin.GetImport(ctx, orgID, imp.ID)
			if err != nil {
				return "", fmt.Errorf("checking import %s: %w", imp.ID, err)
			}
			return i.Status, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if status == "failed" {
		return nil, fmt.Errorf("%w: import %s ended failed", ErrImportFailed, imp.ID)
	}
	data, err := c.Admin.ImportResultsCSV(ctx, orgID, imp.ID)
	if err != nil {
		return nil, fmt.Errorf("reading the results of import %s: %w", imp.ID, err)
	}
	outcomes, err := parseImportResults(data)
	if err != nil {
		return nil, fmt.Errorf("reading the results of import %s: %w", imp.ID, err)
	}
	progress.say("downloaded", map[string]any{"job": "import", "id": imp.ID, "rows": len(outcomes)})
	results := make([]BulkCloseResult, len(rows))
	for i, r := range rows {
		res := BulkCloseResult{UserID: r.UserID, Reason: "DocuSign's results list no outcome for this row"}
		// Results echo the upload row by row; the account and email confirm the pairing.
		if i < len(outcomes) && strings.EqualFold(outcomes[i].accountID, r.AccountID) && strings.EqualFold(outcomes[i].email, r.Email) {
			res.Closed = strings.HasPrefix(strings.ToLower(outcomes[i].result), "success")
			res.Reason = ""
			if !res.Closed {
				res.Reason = outcomes[i].result
			}
		}
		results[i] = res
	}
	return results, nil
}

type importOutcome struct{ accountID, email, result string }

func parseImportResults(data []byte) ([]importOutcome, error) {
	rd := csv.NewReader(bytes.NewReader(data))
	rd.FieldsPerRecord = -1
	records, err := rd.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, errors.New("empty results")
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	at := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	if _, ok := col["processingresults"]; !ok {
		return nil, fmt.Errorf("no ProcessingResults column (columns: %s)", strings.Join(records[0], ", "))
	}
	out := make([]importOutcome, 0, len(records)-1)
	for _, rec := range records[1:] {
		out = append(out, importOutcome{at(rec, "accountid"), at(rec, "useremail"), at(rec, "processingresults")})
	}
	return out, nil
}

// DefaultBulkCloseThreshold is how many users one call to CloseManyPreferBulk must close in an
// account before it uses the bulk close import: there, ten DELETE …/users batches cost about
// what the export and the import cost together (make bench measures both paths).
const DefaultBulkCloseThreshold = 1000

// administeredOrganizationOf returns the organization holding accountID among those the
// impersonated user administers.
func (c *Client) administeredOrganizationOf(ctx context.Context, accountID string) (string, error) {
	orgs, err := c.Admin.ListOrganizations(ctx)
	if err != nil {
		return "", err
	}
	for _, o := range orgs {
		for _, a := range o.Accounts {
			if strings.EqualFold(a.ID, accountID) {
				return o.ID, nil
			}
		}
	}
	return "", fmt.Errorf("account %s is in no organization the impersonated user administers", accountID)
}

// CloseManyPreferBulk closes userIDs in accountID. From threshold users on (0: never) it uses one
// bulk close import instead of batched DELETE …/users calls: an export of the account supplies
// the email, names and permission set each CSV row needs, users already closed are left alone,
// and each row's ProcessingResults is that user's outcome. Users the export cannot name
// uniquely (absent, an email shared in the account, no name), and every user when the account has
// no organization the caller administers, go through the batches.
func (c *Client) CloseManyPreferBulk(ctx context.Context, accountID string, userIDs []string, threshold int, progress Progress) ([]esign.CloseResult, error) {
	ids := dedupe(userIDs)
	if threshold <= 0 || len(ids) < threshold {
		return c.CloseMany(ctx, accountID, ids)
	}
	// The organization lookup, the export and the import in one JWT grant, not one per scope.
	c.Tokens.Expect("organization_read", "user_read", "user_write")
	orgID, err := c.administeredOrganizationOf(ctx, accountID)
	if err != nil {
		progress.say("skipped", map[string]any{"job": "import", "reason": err.Error()})
		return c.CloseMany(ctx, accountID, ids)
	}
	rows, err := c.ExportMemberships(ctx, orgID, []string{accountID}, progress)
	if err != nil {
		return nil, err
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
	if len(bulk) > 0 {
		outcomes, err := c.BulkClose(ctx, orgID, bulk, progress)
		if err != nil {
			return results, err
		}
		for i, o := range outcomes {
			u := byID[strings.ToLower(o.UserID)].esignUser()
			u.UserID = o.UserID
			res := esign.CloseResult{UserID: o.UserID, User: u}
			if o.Closed {
				res.User.UserStatus = esign.StatusClosed
				c.directory.Closed(accountID, res.User)
			} else {
				res.Err = fmt.Errorf("DocuSign's bulk close import rejected the row for %s: %s", bulk[i].Email, o.Reason)
			}
			results = append(results, res)
		}
	}
	if len(batched) > 0 {
		more, err := c.CloseMany(ctx, accountID, batched)
		results = append(results, more...)
		if err != nil {
			return results, err
		}
	}
	return results, nil
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
