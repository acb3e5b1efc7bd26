// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package admin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/url"
	"strings"
	"unicode"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// Export is a user-list export request as DocuSign reports it (OrganizationExportResponse).
type Export struct {
	ID               string         `json:"id"`
	Type             string         `json:"type"`
	Status           string         `json:"status"` // queued, in_process, completed or failed
	Created          string         `json:"created"`
	Completed        string         `json:"completed"`
	Expires          string         `json:"expires"`
	MetadataURL      string         `json:"metadata_url"`
	PercentCompleted int            `json:"percent_completed"`
	NumberRows       int64          `json:"number_rows"`
	Success          *bool          `json:"success"`
	Results          []ExportResult `json:"results"`
}

// ExportResult is one result file of an export: one per server the organization's accounts live on.
type ExportResult struct {
	ID           string        `json:"id"`
	URL          string        `json:"url"`
	NumberRows   int64         `json:"number_rows"`
	ErrorDetails *ErrorDetails `json:"error_details"`
}

// ErrorDetails is the Admin API's error object inside an answer.
type ErrorDetails struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// Export types of POST …/exports/user_list.
const ExportMemberships = "organization_memberships_export"

// CreateMembershipsExport asks for an organization_memberships_export of accountIDs (every
// account when empty). A repeated request only makes a second export, so it may be resent.
func (c *Client) CreateMembershipsExport(ctx context.Context, orgID string, accountIDs []string) (*Export, error) {
	type ref struct {
		AccountID string `json:"account_id"`
	}
	body := map[string]any{"type": ExportMemberships}
	if len(accountIDs) > 0 {
		refs := make([]ref, len(accountIDs))
		for i, id := range accountIDs {
			refs[i] = ref{id}
		}
		body["accounts"] = refs
	}
	var out Export
	if err := c.do(ctx, "POST", orgPath(orgID, "/exports/user_list"), nil, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetExport returns an export's status and, once completed, its result URLs.
func (c *Client) GetExport(ctx context.Context, orgID, exportID string) (*Export, error) {
	var out Export
	if err := c.do(ctx, "GET", orgPath(orgID, "/exports/user_list/"+url.PathEscape(exportID)), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteExport deletes a user-list export, pending or completed; one already gone counts as
// deleted. DocuSign's SDK tests delete each export to stay under a cap of about 90 stored jobs.
func (c *Client) DeleteExport(ctx context.Context, orgID, exportID string) error {
	err := c.do(ctx, "DELETE", orgPath(orgID, "/exports/user_list/"+url.PathEscape(exportID)), nil, nil, nil)
	if transport.StatusOf(err) == 404 {
		return nil
	}
	return err
}

// DownloadResult streams an export's result file to read as it arrives. DocuSign's own examples
// send the bearer token with it (Node bulkExportUserData.js, the bash, Java, PHP and C#
// examples); withToken is the caller's word that the URL's host may have it. The query of a
// result URL may be a signature, so it never reaches an error or a log.
func (c *Client) DownloadResult(ctx context.Context, resultURL string, withToken bool, read func(io.Reader) error) error {
	u, err := url.Parse(resultURL)
	if err != nil || u.Host == "" {
		return errors.New("the export's result URL is not a valid URL")
	}
	query := u.Query()
	u.RawQuery = ""
	req := transport.Request{
		API: transport.APIAdmin, Method: "GET", URL: u.String(), Query: query, Idempotent: true, Stream: read,
	}
	if withToken {
		// The token of the export itself: user_read, as for GET …/exports/user_list/{exportId}.
		req.Auth = c.tokensFor("GET", orgPath("-", "/exports/user_list/-"))
	}
	_, err = c.transport.Do(ctx, req)
	return err
}

// Import is a bulk user import as DocuSign reports it (OrganizationImportResponse).
type Import struct {
	ID                        string         `json:"id"`
	Type                      string         `json:"type"`
	Status                    string         `json:"status"`
	Created                   string         `json:"created"`
	Requestor                 *ImportUser    `json:"requestor"`
	UserCount                 int            `json:"user_count"`
	ProcessedUserCount        int            `json:"processed_user_count"`
	ClosedUserCount           int            `json:"closed_user_count"`
	NoActionRequiredUserCount int            `json:"no_action_required_user_count"`
	ErrorCount                int            `json:"error_count"`
	WarningCount              int            `json:"warning_count"`
	InvalidColumnHeaders      string         `json:"invalid_column_headers"`
	ImportsFailedForAccounts  string         `json:"imports_failed_for_accounts"`
	ImportsTimedOutForAccts   string         `json:"imports_timed_out_for_accounts"`
	FileLevelErrorRollups     []ImportRollup `json:"file_level_error_rollups"`
	UserLevelErrorRollups     []ImportRollup `json:"user_level_error_rollups"`
}

// ImportUser is an import's requestor.
type ImportUser struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// ImportRollup counts one error type of an import (OrganizationImportResponseErrorRollup).
type ImportRollup struct {
	ErrorType string `json:"error_type"`
	Count     int    `json:"count"`
}

// The import states DocuSign's SDK tests list. Only queued and in_process change later;
// unknown may be DocuSign not having settled yet, so callers give it a few more looks.
const (
	ImportUnknown             = "unknown"
	ImportQueued              = "queued"
	ImportInProcess           = "in_process"
	ImportProcessedWithIssues = "processed_with_issues"
	ImportProcessedWithErrors = "processed_with_errors"
	ImportFailed              = "failed"
	ImportCompleted           = "completed"
	ImportTimedOutQueued      = "timed_out_queued"
)

// Importing reports an import still waiting or running.
func (i *Import) Importing() bool {
	s := JobState(i.Status)
	return s == ImportQueued || s == ImportInProcess
}

// JobState spells an export's or import's status the way DocuSign's SDK tests do (in_process,
// timed_out_queued), whatever case, spaces or hyphens the answer used: "InProcess", "In Process"
// and "IN-PROCESS" are all in_process. "processing" and "complete" are read as their SDK names.
func JobState(status string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range strings.TrimSpace(status) {
		switch {
		case r == ' ' || r == '-' || r == '_':
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			b.WriteByte('_')
		}
		prevLower = unicode.IsLower(r)
		b.WriteRune(unicode.ToLower(r))
	}
	switch s := b.String(); s {
	case "processing", "inprocess":
		return ImportInProcess
	case "complete":
		return ImportCompleted
	default:
		return s
	}
}

// CreateCloseImport uploads a bulk close CSV (multipart, part file.csv). It is never resent by
// the transport: after a lost answer or a 5xx the caller gets transport.ErrOutcomeUnknown and
// must look for the import (ListImports) before anything else, since a second upload would queue
// a second import that DocuSign may refuse, time out, or run twice over the same users.
func (c *Client) CreateCloseImport(ctx context.Context, orgID string, csvData []byte) (*Import, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file.csv", "close-users.csv")
	if err != nil {
		return nil, err
	}
	if _, err := part.Write(csvData); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var out Import
	_, err = c.transport.Do(ctx, transport.Request{
		API: transport.APIAdmin, Method: "POST", URL: c.baseURL + orgPath(orgID, "/imports/bulk_users/close"),
		Body: body.Bytes(), ContentType: mw.FormDataContentType(), Out: &out, Idempotent: false,
		Auth: c.tokensFor("POST", orgPath(orgID, "/imports/bulk_users/close")),
	})
	if err != nil {
		return nil, accessError("POST", orgPath(orgID, "/imports/bulk_users/close"), err)
	}
	return &out, nil
}

// GetImport returns a bulk import's status and counts.
func (c *Client) GetImport(ctx context.Context, orgID, importID string) (*Import, error) {
	var out Import
	if err := c.do(ctx, "GET", orgPath(orgID, "/imports/bulk_users/"+url.PathEscape(importID)), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListImports returns the organization's bulk user imports, every type and state.
func (c *Client) ListImports(ctx context.Context, orgID string) ([]Import, error) {
	var out struct {
		Imports []Import `json:"imports"`
	}
	if err := c.do(ctx, "GET", orgPath(orgID, "/imports/bulk_users"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Imports, nil
}

// DeleteImport deletes an import and its results; one already gone counts as deleted.
func (c *Client) DeleteImport(ctx context.Context, orgID, importID string) error {
	err := c.do(ctx, "DELETE", orgPath(orgID, "/imports/bulk_users/"+url.PathEscape(importID)), nil, nil, nil)
	if transport.StatusOf(err) == 404 {
		return nil
	}
	return err
}

// ImportResults hands read the uploaded CSV with DocuSign's ProcessingResults column per row, as
// it arrives: results of 8,000 users are never held whole. A read the transport repeats (the
// network failed mid-answer) starts over from the first byte, so read must start afresh each
// time. An error answer never reaches read; read's own failure is returned as it is.
func (c *Client) ImportResults(ctx context.Context, orgID, importID string, read func(io.Reader) error) error {
	path := orgPath(orgID, "/imports/bulk_users/"+url.PathEscape(importID)+"/results_csv")
	_, err := c.transport.Do(ctx, transport.Request{
		API: transport.APIAdmin, Method: "GET", URL: c.baseURL + path, Idempotent: true, Auth: c.tokensFor("GET", path), Stream: read,
	})
	return accessError("GET", path, err)
}

// JobFinished reports a bulk job status that will not change any more.
func JobFinished(status string) bool {
	s := JobState(status)
	return s != ImportQueued && s != ImportInProcess && s != ""
}
