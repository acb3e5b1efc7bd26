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
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
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

// ExportRow is one membership of an organization_memberships_export.
type ExportRow struct {
	AccountID, AccountName, UserID, UserName, FirstName, LastName, Email   string
	UserStatus, MembershipStatus, MembershipID, PermissionSet, LicenseType string
	PlanName, SubscriptionID, MembershipCreatedOn, MembershipClosedOn      string
}

// ExportMemberships runs an organization_memberships_export of accountIDs (all when empty),
// waits for it and returns its rows: about four calls whatever the organization's size. An export
// whose file expired before the download is asked for once more.
func (c *Client) ExportMemberships(ctx context.Context, orgID string, accountIDs []string, progress Progress) ([]ExportRow, error) {
	rows, err := c.exportOnce(ctx, orgID, accountIDs, progress)
	if errors.Is(err, ErrExportExpired) {
		progress.say("retrying", map[string]any{"job": "export", "reason": err.Error()})
		rows, err = c.exportOnce(ctx, orgID, accountIDs, progress)
	}
	return rows, err
}

func (c *Client) exportOnce(ctx context.Context, orgID string, accountIDs []string, progress Progress) ([]ExportRow, error) {
	exp, err := c.Admin.CreateMembershipsExport(ctx, orgID, accountIDs)
	if err != nil {
		return nil, fmt.Errorf("starting a user-list export: %w", err)
	}
	progress.say("queued", map[string]any{"job": "export", "id": exp.ID, "accounts": len(accountIDs)})
	final := exp
	if !admin.JobFinished(exp.Status) {
		_, err = waitJob(ctx, "export", exp.ID, progress, func(ctx context.Context) (string, error) {
			e, err := c.Admin.GetExport(ctx, orgID, exp.ID)
			if err != nil {
				return "", fmt.Errorf("checking export %s: %w", exp.ID, err)
			}
			final = e
			return e.Status, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if !strings.EqualFold(final.Status, "completed") || (final.Success != nil && !*final.Success) {
		reason := final.Status
		for _, r := range final.Results {
			if r.ErrorDetails != nil {
				reason = strings.TrimSpace(r.ErrorDetails.Error + ": " + r.ErrorDetails.ErrorDescription)
			}
		}
		return nil, fmt.Errorf("%w: export %s ended %s", ErrExportFailed, exp.ID, reason)
	}
	var expected int64
	for _, r := range final.Results {
		expected += max(0, r.NumberRows)
	}
	// DocuSign reports each file's row count: sized from it, 100,000 rows are not copied as the
	// slice grows. The hint is capped, since it is only DocuSign's word.
	rows := make([]ExportRow, 0, min(expected, 1<<20))
	for _, r := range final.Results {
		if r.URL == "" {
			continue
		}
		data, err := c.Admin.DownloadResult(ctx, r.URL)
		if err != nil {
			if s := transport.StatusOf(err); s == 403 || s == 404 || s == 410 {
				return nil, fmt.Errorf("%w: export %s: %w", ErrExportExpired, exp.ID, err)
			}
			return nil, fmt.Errorf("downloading export %s: %w", exp.ID, err)
		}
		rows, err = parseExport(data, rows)
		if err != nil {
			return nil, fmt.Errorf("reading export %s: %w", exp.ID, err)
		}
	}
	progress.say("downloaded", map[string]any{"job": "export", "id": exp.ID, "rows": len(rows)})
	return rows, nil
}

// parseExport appends the rows of an export file to rows, reading columns by name, ignoring
// letter case and unknown columns.
func parseExport(data []byte, rows []ExportRow) ([]ExportRow, error) {
	// Without ReuseRecord, each record is one string its fields slice into: one allocation a row.
	rd := csv.NewReader(bytes.NewReader(data))
	header, err := rd.Read()
	if err == io.EOF {
		return rows, nil
	}
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, required := range []string{"accountid", "userid", "useremail", "membershipstatus"} {
		if _, ok := index[required]; !ok {
			return nil, fmt.Errorf("the export has no %s column (columns: %s)", required, strings.Join(header, ", "))
		}
	}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		get := func(name string) string {
			if i, ok := index[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		rows = append(rows, ExportRow{
			AccountID: get("accountid"), AccountName: get("accountname"), UserID: get("userid"), UserName: get("username"),
			FirstName: get("firstname"), LastName: get("lastname"), Email: get("useremail"), UserStatus: get("userstatus"),
			MembershipStatus: strings.ToLower(get("membershipstatus")), MembershipID: get("membershipid"),
			PermissionSet: get("permissionset"), LicenseType: get("licensetype"), PlanName: get("planname"),
			SubscriptionID: get("subscriptionid"), MembershipCreatedOn: get("membershipcreatedon"), MembershipClosedOn: get("membershipclosedon"),
		})
	}
}

// membershipExporter adapts ExportMemberships to the data feed's reports; the export's progress
// goes to the Progress of the context (see WithProgress).
func (c *Client) membershipExporter() datafeed.Exporter {
	return func(ctx context.Context, orgID string, accountIDs []string) ([]datafeed.ExportedMembership, error) {
		rows, err := c.ExportMemberships(ctx, orgID, accountIDs, progressFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := make([]datafeed.ExportedMembership, len(rows))
		for i, r := range rows {
			out[i] = datafeed.ExportedMembership{AccountID: r.AccountID, OrgUser: admin.OrgUser{
				ID: r.UserID, UserName: r.UserName, FirstName: r.FirstName, LastName: r.LastName, UserStatus: r.UserStatus,
				MembershipStatus: r.MembershipStatus, Email: r.Email, CreatedOn: r.MembershipCreatedOn,
				MembershipCreatedOn: r.MembershipCreatedOn, MembershipClosedOn: r.MembershipClosedOn, MembershipID: r.MembershipID,
				LicenseType: r.LicenseType, SubscriptionID: r.SubscriptionID, PlanName: r.PlanName,
			}}
		}
		return out, nil
	}
}

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

// exportAccountUsers reads every membership of accountID from one export, for the Directory.
func (c *Client) exportAccountUsers(ctx context.Context, accountID string) ([]esign.User, error) {
	// The organization lookup and the export in one JWT grant, not one per scope.
	c.Tokens.Expect("organization_read", "user_read")
	orgID, err := c.administeredOrganizationOf(ctx, accountID)
	if err != nil {
		return nil, err
	}
	rows, err := c.ExportMemberships(ctx, orgID, []string{accountID}, nil)
	if err != nil {
		return nil, err
	}
	users := make([]esign.User, 0, len(rows))
	for _, r := range rows {
		if strings.EqualFold(r.AccountID, accountID) {
			users = append(users, r.esignUser())
		}
	}
	return users, nil
}

func (r ExportRow) esignUser() esign.User {
	status := r.MembershipStatus
	if strings.EqualFold(status, "closed") {
		status = esign.StatusClosed
	}
	return esign.User{UserID: r.UserID, UserName: r.UserName, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email,
		UserStatus: status, PermissionProfileName: r.PermissionSet, MembershipID: r.MembershipID}
}
