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
	"slices"
	"strconv"
	"strings"
	"time"
)

// The emulator's columns: DocuSign's import columns (AccountID, AccountName, FirstName, LastName,
// UserEmail, PermissionSet, on POST …/imports/bulk_users/close) with the membership's own fields
// after them. No DocuSign source shows UserID, MembershipStatus, PlanName or SubscriptionID, so
// they come only under export_emulator_columns.
var exportEmulatorColumns = []string{
	"AccountID", "AccountName", "UserID", "UserName", "FirstName", "LastName", "UserEmail", "UserStatus",
	"MembershipStatus", "MembershipID", "PermissionSet", "IsAccountAdmin", "LicenseType", "PlanName",
	"SubscriptionID", "MembershipCreatedOn", "MembershipClosedOn",
}

// exportDocuSignColumns are the names there is evidence for: APIUserName ("the user's unique
// UserID", DocuSign Community) and eSignPermissionProfile (DocuSign's import files and the spec's
// error types), AccountID, UserEmail, LicenseType and UserStatus (a production script), and the
// import's AccountName, FirstName and LastName.
var exportDocuSignColumns = []string{
	"AccountID", "AccountName", "APIUserName", "FirstName", "LastName", "UserEmail", "UserStatus", "eSignPermissionProfile", "LicenseType",
}

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
	if stored := e.storedJobs(c.org.id, "export"); stored >= maxStoredJobs && !e.behaviour.ExportJobsUncapped {
		// The SDK tests delete exports as they delete imports, to stay under about 90 each.
		writeJSON(c.w, http.StatusBadRequest, adminError("maximum_exports_exceeded",
			fmt.Sprintf("The organization holds %d user-list exports; delete finished exports before creating more.", stored)))
		return
	}
	j := e.newJob(c, "export")
	j.accounts, j.fail, j.partial = filter, e.jobSettings.FailExports, e.jobSettings.PartialExports
	j.omit = append([]string(nil), e.jobSettings.ExportOmitColumns...)
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
		"expires": j.expires().UTC().Format(time.RFC3339Nano), "status": e.jobState(j.status()), "selected_accounts": selected,
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
		out["number_rows"], out["size_bytes"] = j.rows+j.withheld, len(j.file)
		results := []map[string]any{{"id": j.resultID, "site_id": 1, "number_rows": j.rows, "size_bytes": len(j.file),
			"url": baseURL(c.r) + "/_downloads/exports/" + j.resultID + "?sig=" + e.sign(j.resultID)}}
		if j.partial {
			// The last account's server could not produce its file: one result with error_details
			// and one with neither a URL nor an error, both counted in number_rows.
			results = append(results,
				map[string]any{"id": e.newID("export-result", j.id, "2"), "site_id": 2, "number_rows": j.withheld, "size_bytes": 0,
					"error_details": map[string]string{"error": "export_failed", "error_description": "The results for this site could not be generated."}},
				map[string]any{"id": e.newID("export-result", j.id, "3"), "site_id": 3, "number_rows": 0, "size_bytes": 0})
		}
		out["results"] = results
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
	e.deleteJob(c, "export", "Export", c.r.PathValue("exportId"))
}

// exportCSV writes one row per membership of the selected accounts ("users in multiple accounts
// will appear more than once"). By default it takes the most hostile reading DocuSign's silence
// allows: DocuSign's own column names only, behind a UTF-8 BOM, no plan, membership or date
// columns, UserStatus carrying the membership's status, and no closed memberships. The switches
// give the emulator's own columns (export_emulator_columns) and closed memberships
// (export_includes_closed). Under partial_exports the last selected account's rows are withheld,
// as if its server failed; e.mu is held.
func (e *Emulator) exportCSV(j *job) (file []byte, rows, withheld int) {
	var buf bytes.Buffer
	own := e.behaviour.ExportEmulatorColumns
	header := exportDocuSignColumns
	if own {
		header = exportEmulatorColumns
	} else {
		buf.WriteString("\ufeff")
	}
	w := omittingWriter{csv.NewWriter(&buf), nil}
	for i, h := range header {
		if containsFold(j.omit, h) {
			w.skip = append(w.skip, i)
		}
	}
	_ = w.Write(header)
	var selected []*account
	for _, a := range j.org.accounts {
		if len(j.accounts) == 0 || containsFold(j.accounts, a.ID) {
			selected = append(selected, a)
		}
	}
	for i, a := range selected {
		lost := j.partial && i == len(selected)-1 && len(selected) > 1
		for _, m := range a.members {
			if m.status == "Closed" && !e.behaviour.ExportIncludesClosed {
				continue
			}
			if lost {
				withheld++
				continue
			}
			u := m.user
			if !own {
				_ = w.Write([]string{a.ID, a.Name, u.id, u.first, u.last, u.email, adminStatus(m.status), m.permissionProfileName, m.licenseType})
				rows++
				continue
			}
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
				adminStatus(m.status), m.id, m.permissionProfileName, strconv.FormatBool(m.isAdmin), m.licenseType, a.PlanName,
				a.subscriptionID(), m.created.Format(adminTime), closedOn,
			})
			rows++
		}
	}
	w.Flush()
	return buf.Bytes(), rows, withheld
}

// sign makes a result URL's signature, so only the URL DocuSign handed out downloads the file.
func (e *Emulator) sign(resultID string) string {
	mac := hmac.New(sha256.New, []byte("emulator-download-key"))
	mac.Write([]byte(resultID))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

// handleDownload serves an export's result file. By default it wants the bearer token, as every
// DocuSign example that downloads results[].url sends it, of an administrator of the export's
// organization, besides the URL's signature; export_download_without_token takes the signature
// alone, as a pre-signed storage link would. The file is gone once the export expires.
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
	if !e.behaviour.ExportDownloadWithoutToken {
		raw, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer ")
		tok := e.tokens[raw]
		if !ok || tok == nil || !e.opts.Now().Before(tok.expires) || !found.org.admins[strings.ToLower(tok.userID)] {
			writeJSON(c.w, http.StatusUnauthorized, adminError("unauthorized", "Not Authorized"))
			return
		}
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

// omittingWriter leaves the columns at skip out of every record.
type omittingWriter struct {
	*csv.Writer
	skip []int
}

func (w omittingWriter) Write(rec []string) error {
	if len(w.skip) == 0 {
		return w.Writer.Write(rec)
	}
	kept := make([]string, 0, len(rec))
	for i, v := range rec {
		if !slices.Contains(w.skip, i) {
			kept = append(kept, v)
		}
	}
	return w.Writer.Write(kept)
}
