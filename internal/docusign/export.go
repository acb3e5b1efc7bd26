// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// The organization_memberships_export's file has no published format: the spec says only that
// results[].url "returns the results as a CSV text stream". The client reads it by column name,
// in every vocabulary there is evidence for, and says which columns it missed rather than guess.

// ExportRow is one membership of an organization_memberships_export.
type ExportRow struct {
	AccountID, AccountName, UserID, UserName, FirstName, LastName, Email   string
	UserStatus, MembershipStatus, MembershipID, PermissionSet, LicenseType string
	PlanName, SubscriptionID, MembershipCreatedOn, MembershipClosedOn      string
}

// ErrExportUnreadable means an export completed but its file could not be read: the download
// was refused or failed, or the file lacks a column the provider needs. The export is not
// wrong, only unreadable here, so a caller with another route (the paged listing) takes it.
var ErrExportUnreadable = errors.New("the user-list export's file could not be read")

// ExportColumnsError is an export file without a column the provider needs.
type ExportColumnsError struct {
	Missing []string // what is missing, each with the names accepted for it
	Columns []string // the file's header, cleaned for printing
}

func (e *ExportColumnsError) Error() string {
	return fmt.Sprintf("%s: it has no %s column (its columns: %s)", ErrExportUnreadable,
		strings.Join(e.Missing, ", no "), strings.Join(e.Columns, ", "))
}

func (e *ExportColumnsError) Unwrap() error { return ErrExportUnreadable }

// SkippedResult is a result of an export that carried no rows: DocuSign gave it error_details or
// no URL. Rows is DocuSign's own count for it, 0 when it gave none.
type SkippedResult struct {
	ID     string
	Rows   int64
	Reason string
}

// ExportInfo is what an export said beyond its rows.
type ExportInfo struct {
	ID string
	// PlanColumns: every file named each membership's plan (PlanName or SubscriptionID).
	PlanColumns bool
	// Skipped results: the rows are partial when there is any.
	Skipped []SkippedResult
	// NotDeleted is why the export could not be deleted after the read, "" when it was.
	NotDeleted string
}

// exportFields are the facts the provider reads from an export, each with the column names that
// carry it, normalized (lower case, no spaces, underscores or hyphens) and in order of preference.
// Today's names come first; DocuSign's vocabulary follows: APIUserName is "the user's unique
// UserID" (DocuSign Community) and the user ID of DocuSign's import files, eSignPermissionProfile
// the permission of the import files and the spec's error types; AccountID, UserEmail,
// LicenseType and UserStatus are what a production script reads.
var exportFields = []struct {
	key, label string
	names      []string
}{
	{"account", "AccountID", []string{"accountid"}},
	{"accountname", "AccountName", []string{"accountname"}},
	{"user", "UserID (or APIUserName)", []string{"userid", "apiusername"}},
	{"username", "UserName", []string{"username", "fullname"}},
	{"first", "FirstName", []string{"firstname"}},
	{"last", "LastName", []string{"lastname"}},
	{"email", "UserEmail", []string{"useremail", "email", "emailaddress"}},
	{"userstatus", "UserStatus", []string{"userstatus"}},
	{"membershipstatus", "MembershipStatus", []string{"membershipstatus", "accountstatus"}},
	{"membershipid", "MembershipID", []string{"membershipid"}},
	{"permission", "PermissionSet (or eSignPermissionProfile)", []string{"permissionset", "esignpermissionprofile", "permissionprofile", "permissionprofilename"}},
	{"license", "LicenseType", []string{"licensetype"}},
	{"plan", "PlanName", []string{"planname", "plan"}},
	{"subscription", "SubscriptionID", []string{"subscriptionid"}},
	{"created", "MembershipCreatedOn", []string{"membershipcreatedon", "createdon", "membershipcreated"}},
	{"closed", "MembershipClosedOn", []string{"membershipclosedon", "closedon"}},
}

func normalizeColumn(h string) string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '_', '-', '\ufeff':
			return -1
		}
		return r
	}, strings.ToLower(h))
}

// exportColumns is where each field sits in one file's rows, -1 when absent.
type exportColumns map[string]int

// headerColumns is where each normalized column name first stands in a CSV header.
type headerColumns map[string]int

func readHeaderColumns(header []string) headerColumns {
	at := headerColumns{}
	for i, h := range header {
		if _, seen := at[normalizeColumn(h)]; !seen {
			at[normalizeColumn(h)] = i
		}
	}
	return at
}

// first is the index of the first of names the header has, -1 when it has none.
func (at headerColumns) first(names []string) int {
	for _, n := range names {
		if i, ok := at[n]; ok {
			return i
		}
	}
	return -1
}

func readExportHeader(header []string) (exportColumns, error) {
	at := readHeaderColumns(header)
	cols := exportColumns{}
	for _, f := range exportFields {
		cols[f.key] = at.first(f.names)
	}
	var missing []string
	for _, key := range []string{"account", "user", "email"} {
		if cols[key] < 0 {
			missing = append(missing, labelOf(key))
		}
	}
	if cols["membershipstatus"] < 0 && cols["userstatus"] < 0 {
		missing = append(missing, "MembershipStatus (or UserStatus)")
	}
	if len(missing) > 0 {
		shown := make([]string, len(header))
		for i, h := range header {
			shown[i] = transport.CleanText(strings.TrimPrefix(h, "\ufeff"), 64)
		}
		return nil, &ExportColumnsError{Missing: missing, Columns: shown}
	}
	return cols, nil
}

func labelOf(key string) string {
	for _, f := range exportFields {
		if f.key == key {
			return f.label
		}
	}
	return key
}

// planColumns reports a file that names each membership's plan.
func (c exportColumns) planColumns() bool { return c["plan"] >= 0 || c["subscription"] >= 0 }

// parseExport reads an export file as it arrives, handing each row to add. It reports whether
// the file named each membership's plan.
func parseExport(r io.Reader, add func(*ExportRow)) (bool, error) {
	rd := csv.NewReader(r)
	rd.FieldsPerRecord = -1 // a short row lacks its last fields, read as empty
	rd.LazyQuotes = true
	// Without ReuseRecord, each record is one string its fields slice into: one allocation a row.
	header, err := rd.Read()
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	cols, err := readExportHeader(header)
	if err != nil {
		return false, err
	}
	var row ExportRow
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return cols.planColumns(), nil
		}
		if err != nil {
			return false, err
		}
		get := func(key string) string {
			if i := cols[key]; i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		status := get("membershipstatus")
		if cols["membershipstatus"] < 0 {
			// Without a membership column the row's UserStatus is its status in that account, as
			// the script that reads DocuSign's file uses it.
			status = get("userstatus")
		}
		row = ExportRow{
			AccountID: get("account"), AccountName: get("accountname"), UserID: get("user"), UserName: get("username"),
			FirstName: get("first"), LastName: get("last"), Email: get("email"), UserStatus: get("userstatus"),
			MembershipStatus: normalizeStatus(status), MembershipID: get("membershipid"),
			PermissionSet: get("permission"), LicenseType: get("license"), PlanName: get("plan"),
			SubscriptionID: get("subscription"), MembershipCreatedOn: get("created"), MembershipClosedOn: get("closed"),
		}
		if row.AccountID == "" && row.UserID == "" && row.Email == "" {
			continue // a blank line some writers add at the end
		}
		add(&row)
	}
}

// normalizeStatus spells a status as the Admin API's listing does: lower case, words joined by
// underscores ("Activation Sent" is activation_sent).
func normalizeStatus(s string) string {
	plain := true
	for i := range len(s) {
		if c := s[i]; c >= 'A' && c <= 'Z' || c == ' ' || c == '\t' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain { // the usual case, without an allocation per row
		return s
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), "_")
}

// sendsTokenTo reports whether an export's result URL may receive the access token: https on
// DocuSign's own hosts, or the Admin API host the provider was configured with, which holds the
// token already. A storage host anywhere else gets the URL's own signature and nothing more.
func (c *Client) sendsTokenTo(resultURL string) bool {
	if TrustedURL(resultURL) == nil {
		return true
	}
	u, err := url.Parse(resultURL)
	if err != nil || u.Host == "" {
		return false
	}
	base, err := url.Parse(c.Admin.BaseURL())
	return err == nil && strings.EqualFold(base.Scheme, u.Scheme) && strings.EqualFold(base.Host, u.Host)
}

// ExportMemberships runs an organization_memberships_export of accountIDs (all when empty),
// waits for it, returns its rows and deletes it: about five calls whatever the organization's
// size. Results DocuSign skipped (error_details, no URL) leave their rows out.
func (c *Client) ExportMemberships(ctx context.Context, orgID string, accountIDs []string, progress Progress) ([]ExportRow, error) {
	rows, _, err := exportRows(ctx, c, orgID, accountIDs, progress, func(r *ExportRow) (ExportRow, bool) { return *r, true })
	return rows, err
}

// exportRows runs an export and keeps conv of each row it accepts, read as the file arrives so
// that the file itself is never held. An export whose file expired before the download is asked
// for once more.
func exportRows[T any](ctx context.Context, c *Client, orgID string, accountIDs []string, progress Progress, conv func(*ExportRow) (T, bool)) ([]T, *ExportInfo, error) {
	rows, info, err := exportOnce(ctx, c, orgID, accountIDs, progress, conv)
	if errors.Is(err, ErrExportExpired) {
		progress.say("retrying", map[string]any{"job": "export", "reason": err.Error()})
		rows, info, err = exportOnce(ctx, c, orgID, accountIDs, progress, conv)
	}
	return rows, info, err
}

func exportOnce[T any](ctx context.Context, c *Client, orgID string, accountIDs []string, progress Progress, conv func(*ExportRow) (T, bool)) (rows []T, info *ExportInfo, err error) {
	exp, err := c.Admin.CreateMembershipsExport(ctx, orgID, accountIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("starting a user-list export: %w", err)
	}
	progress.say("queued", map[string]any{"job": "export", "id": exp.ID, "accounts": len(accountIDs)})
	// Read, failed or given up on, the export is deleted: DocuSign keeps about 90 jobs per
	// organization, and an export nobody deletes counts against that cap for its whole lifetime.
	defer func() {
		if err := c.deleteExport(ctx, orgID, exp.ID, progress); err != nil && info != nil {
			info.NotDeleted = err.Error()
		}
	}()
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
			return nil, nil, err
		}
	}
	withURL := 0
	for _, r := range final.Results {
		if r.URL != "" && r.ErrorDetails == nil {
			withURL++
		}
	}
	if admin.JobState(final.Status) != admin.ImportCompleted || (final.Success != nil && !*final.Success && withURL == 0) {
		reason := final.Status
		for _, r := range final.Results {
			if r.ErrorDetails != nil {
				reason = strings.TrimSpace(r.ErrorDetails.Error + ": " + r.ErrorDetails.ErrorDescription)
			}
		}
		return nil, nil, fmt.Errorf("%w: export %s ended %s", ErrExportFailed, exp.ID, transport.CleanText(reason, 256))
	}
	info = &ExportInfo{ID: exp.ID, PlanColumns: true}
	var expected int64
	for _, r := range final.Results {
		expected += max(0, r.NumberRows)
	}
	if len(final.Results) == 0 && final.NumberRows > 0 {
		info.Skipped = append(info.Skipped, SkippedResult{ID: exp.ID, Rows: final.NumberRows, Reason: "the export lists no result file"})
	}
	// DocuSign reports each file's row count: sized from it, 100,000 rows are not copied as the
	// slice grows. The hint is capped, since it is only DocuSign's word.
	rows = make([]T, 0, min(expected, 1<<20))
	for _, r := range final.Results {
		if r.ErrorDetails != nil || r.URL == "" {
			reason := "DocuSign gave it no URL"
			if d := r.ErrorDetails; d != nil {
				reason = transport.CleanText(strings.Trim(strings.TrimSpace(d.Error+": "+d.ErrorDescription), ": "), 256)
			}
			info.Skipped = append(info.Skipped, SkippedResult{ID: transport.CleanText(r.ID, 64), Rows: max(0, r.NumberRows), Reason: reason})
			continue
		}
		mark := len(rows)
		planned := true
		err := c.Admin.DownloadResult(ctx, r.URL, c.sendsTokenTo(r.URL), func(body io.Reader) error {
			rows = rows[:mark] // a download the transport repeats starts over
			var err error
			planned, err = parseExport(body, func(row *ExportRow) {
				if v, ok := conv(row); ok {
					rows = append(rows, v)
				}
			})
			return err
		})
		var cols *ExportColumnsError
		switch {
		case errors.As(err, &cols):
			return nil, nil, fmt.Errorf("reading export %s: %w", exp.ID, err)
		case err != nil && isExpired(err):
			return nil, nil, fmt.Errorf("%w: export %s: %w", ErrExportExpired, exp.ID, err)
		case err != nil:
			return nil, nil, fmt.Errorf("%w: downloading export %s: %w", ErrExportUnreadable, exp.ID, err)
		}
		info.PlanColumns = info.PlanColumns && planned
	}
	progress.say("downloaded", map[string]any{"job": "export", "id": exp.ID, "rows": len(rows), "skipped": len(info.Skipped)})
	return rows, info, nil
}

// deleteExport removes an export once its files are read or given up on. A failure costs only a
// log line (and a warning where the caller has one to give): the read itself is done. A caller
// that gave up (a cancelled context) still gets its export deleted, within a short wait.
func (c *Client) deleteExport(ctx context.Context, orgID, exportID string, progress Progress) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exportCleanupTimeout)
	defer cancel()
	err := c.Admin.DeleteExport(ctx, orgID, exportID)
	if err != nil {
		progress.say("cleanup", map[string]any{"job": "export", "id": exportID, "error": err.Error()})
	}
	return err
}

// exportCleanupTimeout bounds the delete of an export, retries included.
const exportCleanupTimeout = 30 * time.Second

// isExpired reports a refusal that a fresh export cures: the pre-signed link's time ran out, or
// the file is gone. A 401 is a token refused, which a fresh export would not change.
func isExpired(err error) bool {
	s := transport.StatusOf(err)
	return s == 403 || s == 404 || s == 410
}

// membershipExporter adapts the export to the data feed's reports; the export's progress goes
// to the Progress of the context (see WithProgress).
func (c *Client) membershipExporter() datafeed.Exporter {
	return func(ctx context.Context, orgID string, accountIDs []string) (*datafeed.Export, error) {
		rows, info, err := exportRows(ctx, c, orgID, accountIDs, progressFrom(ctx), func(r *ExportRow) (datafeed.ExportedMembership, bool) {
			return datafeed.ExportedMembership{AccountID: r.AccountID, OrgUser: admin.OrgUser{
				ID: r.UserID, UserName: r.UserName, FirstName: r.FirstName, LastName: r.LastName, UserStatus: r.UserStatus,
				MembershipStatus: r.MembershipStatus, Email: r.Email, CreatedOn: r.MembershipCreatedOn,
				MembershipCreatedOn: r.MembershipCreatedOn, MembershipClosedOn: r.MembershipClosedOn, MembershipID: r.MembershipID,
				LicenseType: r.LicenseType, SubscriptionID: r.SubscriptionID, PlanName: r.PlanName,
			}}, true
		})
		if err != nil {
			return nil, err
		}
		out := feedExport(info)
		out.Rows = rows
		return out, nil
	}
}

// feedExport is what the datafeed needs to know of an export besides its rows: its plan columns,
// its ID, whether it was left undeleted, and the results DocuSign skipped.
func feedExport(info *ExportInfo) *datafeed.Export {
	out := &datafeed.Export{PlanColumns: info.PlanColumns, ID: info.ID, NotDeleted: info.NotDeleted}
	for _, s := range info.Skipped {
		out.Skipped = append(out.Skipped, datafeed.SkippedResult{ID: s.ID, Rows: s.Rows, Reason: s.Reason})
	}
	return out
}

// membershipCounter is membershipExporter for a counts-only read: each row is reduced as the
// file streams (datafeed.CountedMembership), so neither the file nor its rows are held.
func (c *Client) membershipCounter() datafeed.CountsExporter {
	return func(ctx context.Context, orgID string, accountIDs []string) (*datafeed.Export, error) {
		in := datafeed.Interner{}
		var user admin.OrgUser
		counts, info, err := exportRows(ctx, c, orgID, accountIDs, progressFrom(ctx), func(r *ExportRow) (datafeed.CountedMembership, bool) {
			user = admin.OrgUser{ID: r.UserID, MembershipStatus: r.MembershipStatus, PlanName: r.PlanName, SubscriptionID: r.SubscriptionID}
			return in.Count(r.AccountID, &user), true
		})
		if err != nil {
			return nil, err
		}
		out := feedExport(info)
		out.Counts = counts
		return out, nil
	}
}

// exportAccountUsers reads every membership of accountID from one export, for the Directory.
// An export with skipped results is an error: a user missing from it would read as not closed.
func (c *Client) exportAccountUsers(ctx context.Context, accountID string) ([]esign.User, error) {
	// The organization lookup and the export in one JWT grant, not one per scope.
	c.Tokens.Expect("organization_read", "user_read")
	orgID, err := c.administeredOrganizationOf(ctx, accountID)
	if err != nil {
		return nil, err
	}
	users, info, err := exportRows(ctx, c, orgID, []string{accountID}, progressFrom(ctx), func(r *ExportRow) (esign.User, bool) {
		return r.esignUser(), strings.EqualFold(r.AccountID, accountID)
	})
	if err != nil {
		progressFrom(ctx).say("skipped", map[string]any{"job": "export", "reason": err.Error()})
		return nil, err
	}
	if len(info.Skipped) > 0 {
		err := fmt.Errorf("%w: export %s skipped %s", ErrExportUnreadable, info.ID, describeSkipped(info.Skipped))
		progressFrom(ctx).say("skipped", map[string]any{"job": "export", "reason": err.Error()})
		return nil, err
	}
	return users, nil
}

// describeSkipped names skipped results and why, for errors and warnings.
func describeSkipped(skipped []SkippedResult) string {
	parts := make([]string, 0, len(skipped))
	for _, s := range skipped {
		p := "result " + s.ID
		if s.Rows > 0 {
			p += fmt.Sprintf(" (%d rows)", s.Rows)
		}
		parts = append(parts, p+": "+s.Reason)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func (r ExportRow) esignUser() esign.User {
	status := r.MembershipStatus
	if strings.EqualFold(status, "closed") {
		status = esign.StatusClosed
	}
	name := r.UserName
	if name == "" { // DocuSign's columns name the user by first and last name only
		name = strings.TrimSpace(r.FirstName + " " + r.LastName)
	}
	return esign.User{UserID: r.UserID, UserName: name, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email,
		UserStatus: status, PermissionProfileName: r.PermissionSet, MembershipID: r.MembershipID}
}
