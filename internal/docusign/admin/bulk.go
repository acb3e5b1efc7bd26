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
	ID                        string `json:"id"`
	Type                      string `json:"type"`
	Status                    string `json:"status"`
	UserCount                 int    `json:"user_count"`
	ProcessedUserCount        int    `json:"processed_user_count"`
	ClosedUserCount           int    `json:"closed_user_count"`
	NoActionRequiredUserCount int    `json:"no_action_required_user_count"`
	ErrorCount                int    `json:"error_count"`
}

// CreateCloseImport uploads a bulk close CSV (multipart, part file.csv). Closing a closed
// membership is "no action required", so a resent upload closes nobody twice.
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
		Body: body.Bytes(), ContentType: mw.FormDataContentType(), Out: &out, Idempotent: true,
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

// ImportResultsCSV returns the uploaded CSV with DocuSign's ProcessingResults column per row.
func (c *Client) ImportResultsCSV(ctx context.Context, orgID, importID string) ([]byte, error) {
	var raw []byte
	path := orgPath(orgID, "/imports/bulk_users/"+url.PathEscape(importID)+"/results_csv")
	_, err := c.transport.Do(ctx, transport.Request{
		API: transport.APIAdmin, Method: "GET", URL: c.baseURL + path, Idempotent: true, Auth: c.tokensFor("GET", path), RawOut: &raw,
	})
	return raw, accessError("GET", path, err)
}

// JobFinished reports a bulk job status that will not change any more.
func JobFinished(status string) bool {
	s := strings.ToLower(status)
	return s != "queued" && s != "in_process" && s != "processing" && s != ""
}
