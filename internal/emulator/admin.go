// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The Admin API speaks snake_case with real numbers and booleans.

const adminTime = time.RFC3339

// setAdminTime adds a date to an Admin answer only when it is set: the Admin API leaves unset
// dates such as membership_closed_on out rather than sending null.
func setAdminTime(row map[string]any, key string, t time.Time) {
	if !t.IsZero() {
		row[key] = t.Format(adminTime)
	}
}

func (e *Emulator) handleListOrganizations(c *call) {
	mode := c.r.URL.Query().Get("mode")
	if mode != "" && mode != "org_admin" && mode != "account_membership" {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "mode must be org_admin or account_membership"))
		return
	}
	caller := e.users[strings.ToLower(c.token.userID)]
	orgs := []map[string]any{}
	for _, og := range e.orgOrder {
		include := og.admins[strings.ToLower(caller.id)]
		if mode == "account_membership" {
			include = false
			for _, m := range caller.memberships {
				include = include || m.account.org == og
			}
		}
		if !include {
			continue
		}
		accounts := []map[string]any{}
		for _, a := range og.accounts {
			accounts = append(accounts, map[string]any{"id": a.ID, "name": a.Name, "external_account_id": a.ExternalAccountID, "site_id": a.SiteID})
		}
		def := ""
		if len(og.accounts) > 0 {
			def = og.accounts[0].ID
		}
		domains := []map[string]any{}
		for _, d := range og.domains {
			domains = append(domains, map[string]any{"id": e.newID("reserved-domain", og.id, d), "status": "active", "host_name": d})
		}
		orgs = append(orgs, map[string]any{"id": og.id, "name": og.name, "default_account_id": def, "accounts": accounts, "reserved_domains": domains})
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"organizations": orgs})
}

// orgMemberships are the org's memberships in account order, then membership order, the stable
// order the users list pages through.
func (og *org) memberships(accountID string) []*membership {
	var out []*membership
	for _, a := range og.accounts {
		if accountID != "" && !strings.EqualFold(a.ID, accountID) {
			continue
		}
		out = append(out, a.members...)
	}
	return out
}

func (e *Emulator) orgUserRow(m *membership) map[string]any {
	u := m.user
	userStatus := "active"
	if !hasActiveMembership(u) {
		userStatus = "closed"
	}
	row := map[string]any{
		"id": u.id, "user_name": u.userName, "first_name": u.first, "last_name": u.last, "user_status": userStatus,
		"membership_status": adminStatus(m.status), "email": u.email, "created_on": u.created.Format(adminTime),
		"membership_created_on": m.created.Format(adminTime),
		"membership_id":         m.id, "license_type": m.licenseType, "subscription_id": m.account.subscriptionID(), "plan_name": m.account.PlanName,
	}
	setAdminTime(row, "membership_closed_on", m.closedOn)
	return row
}

// handleOrgUsers is GET …/users: one row per membership, paged with start/take.
func (e *Emulator) handleOrgUsers(c *call) {
	q := c.r.URL.Query()
	email, accountID := q.Get("email"), q.Get("account_id")
	if email == "" && accountID == "" && q.Get("organization_reserved_domain_id") == "" {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "At least one of email, account_id or organization_reserved_domain_id is required."))
		return
	}
	if accountID != "" && e.accounts[strings.ToLower(accountID)] == nil {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "Account "+accountID+" is not part of the organization."))
		return
	}
	start, err := intParam(q, "start", 0)
	if err != nil {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "start must be a non-negative integer"))
		return
	}
	take, err := intParam(q, "take", 20)
	if err != nil || take < 1 {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "take must be a positive integer"))
		return
	}
	take = min(take, 250)
	memberStatus := strings.ToLower(q.Get("membership_status"))
	userStatus := strings.ToLower(q.Get("status"))
	var rows []*membership
	for _, m := range c.org.memberships(accountID) {
		switch {
		case email != "" && !strings.EqualFold(m.user.email, email):
		case memberStatus != "" && !strings.Contains(","+memberStatus+",", ","+adminStatus(m.status)+","):
		case userStatus == "closed" && hasActiveMembership(m.user):
		case userStatus == "active" && !hasActiveMembership(m.user):
		default:
			rows = append(rows, m)
		}
	}
	users := []map[string]any{}
	for i := start; i < len(rows) && i < start+take; i++ {
		users = append(users, e.orgUserRow(rows[i]))
	}
	link := func(pos int) string {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("start", strconv.Itoa(pos))
		nq.Set("take", strconv.Itoa(take))
		return externalBase(c.r) + c.r.URL.Path + "?" + nq.Encode()
	}
	paging := map[string]any{
		"result_set_size": len(users), "result_set_start_position": start,
		"result_set_end_position": max(start, start+len(users)-1), "total_set_size": len(rows),
	}
	if start+len(users) < len(rows) {
		paging["next"] = link(start + len(users))
	}
	if start > 0 {
		paging["previous"] = link(max(0, start-take))
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"users": users, "paging": paging})
}

func intParam(q url.Values, name string, def int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}

// profile is a user as the profile routes describe them: every membership, those in accounts
// outside og marked is_external_account as DocuSign's spec example shows.
func (e *Emulator) profile(og *org, u *user) map[string]any {
	memberships := []map[string]any{}
	siteID := 1
	defaultAccount, defaultName := "", ""
	for _, m := range u.memberships {
		external := m.account.org != og
		if defaultAccount == "" && !external {
			defaultAccount, defaultName, siteID = m.account.ID, m.account.Name, m.account.SiteID
		}
		row := map[string]any{
			"id": m.id, "email": u.email, "account_id": m.account.ID, "external_account_id": strconv.FormatInt(m.account.ExternalAccountID, 10),
			"account_name": m.account.Name, "is_external_account": external, "status": adminStatus(m.status),
			"permission_profile": map[string]any{"id": permissionProfileNumber(m), "name": e.profileName(m)},
			"created_on":         m.created.Format(adminTime), "is_admin": m.isAdmin,
			"license_type": m.licenseType, "subscription_id": m.account.subscriptionID(), "plan_name": m.account.PlanName,
		}
		if external { // another organization's subscriptions are none of og's business
			delete(row, "subscription_id")
			delete(row, "plan_name")
		}
		memberships = append(memberships, row)
	}
	userStatus := "active"
	if !hasActiveMembership(u) {
		userStatus = "closed"
	}
	return map[string]any{
		"id": u.id, "site_id": siteID, "user_name": u.userName, "first_name": u.first, "last_name": u.last,
		"user_status": userStatus, "default_account_id": defaultAccount, "default_account_name": defaultName,
		"is_organization_admin": og.admins[strings.ToLower(u.id)], "created_on": u.created.Format(adminTime),
		"memberships": memberships,
	}
}

func (u *user) inOrg(og *org) bool {
	for _, m := range u.memberships {
		if m.account.org == og {
			return true
		}
	}
	return false
}

func (e *Emulator) handleProfilesByEmail(c *call) {
	email := c.r.URL.Query().Get("email")
	if email == "" {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "email is required"))
		return
	}
	recentOnly := e.behaviour.ProfileEmailRecentOnly && !strings.HasPrefix(c.r.URL.Path, "/Management/v2.1/")
	since := e.opts.Now().Add(-profileEmailWindow)
	users := []map[string]any{}
	for _, u := range e.byEmail[strings.ToLower(email)] {
		if recentOnly && (u.modified.Before(since) || len(users) == profileEmailLimit) {
			continue
		}
		if u.inOrg(c.org) {
			users = append(users, e.profile(c.org, u))
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"users": users})
}

func (e *Emulator) handleProfileByID(c *call) {
	u := e.users[strings.ToLower(c.r.PathValue("userId"))]
	if u == nil || !u.inOrg(c.org) {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", "User "+c.r.PathValue("userId")+" was not found in the organization."))
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"users": []map[string]any{e.profile(c.org, u)}})
}

// handleCloseMemberships closes the user's memberships in the listed accounts of the org.
func (e *Emulator) handleCloseMemberships(c *call) {
	u := e.users[strings.ToLower(c.r.PathValue("userId"))]
	if u == nil || !u.inOrg(c.org) {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", "User "+c.r.PathValue("userId")+" was not found in the organization."))
		return
	}
	var body struct {
		Accounts []struct {
			ID string `json:"id"`
		} `json:"accounts"`
	}
	if !decodeBody(c, &body) {
		return
	}
	if len(body.Accounts) == 0 {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "accounts is required"))
		return
	}
	success := true
	accounts := []map[string]any{}
	for _, ref := range body.Accounts {
		acct := e.accounts[strings.ToLower(ref.ID)]
		var m *membership
		if acct != nil && acct.org == c.org {
			m = u.membershipIn(acct)
		}
		if m == nil {
			success = false
			accounts = append(accounts, map[string]any{"id": ref.ID, "error_details": map[string]string{
				"error": "membership_not_found", "error_description": "The user has no membership in account " + ref.ID + "."}})
			continue
		}
		e.setStatus(m, "Closed")
		accounts = append(accounts, map[string]any{"id": acct.ID})
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"success": success, "accounts": accounts})
}

// handleActivateMembership reopens a closed membership by membership ID.
func (e *Emulator) handleActivateMembership(c *call) {
	u := e.users[strings.ToLower(c.r.PathValue("userId"))]
	if u == nil || !u.inOrg(c.org) {
		writeJSON(c.w, http.StatusNotFound, adminError("not_found", "User "+c.r.PathValue("userId")+" was not found in the organization."))
		return
	}
	var body struct {
		SiteID *int `json:"site_id"`
	}
	if !decodeBody(c, &body) {
		return
	}
	if body.SiteID == nil {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "site_id is required"))
		return
	}
	for _, m := range u.memberships {
		if strings.EqualFold(m.id, c.r.PathValue("membershipId")) && m.account.org == c.org {
			e.setStatus(m, "Active")
			writeJSON(c.w, http.StatusOK, map[string]any{"status": "active"})
			return
		}
	}
	writeJSON(c.w, http.StatusNotFound, adminError("not_found", "Membership "+c.r.PathValue("membershipId")+" was not found for the user."))
}

func (e *Emulator) handlePlanItems(c *call) {
	items := []map[string]any{}
	for _, p := range c.org.planItems {
		n := 0
		for _, a := range c.org.accounts {
			if strings.EqualFold(a.PlanID, p.PlanID) {
				n++
			}
		}
		items = append(items, map[string]any{
			"plan_id": p.PlanID, "plan_name": p.PlanName, "subscription_id": p.SubscriptionID,
			"subscription_name": p.SubscriptionName, "associated_accounts_count": n,
		})
	}
	if e.behaviour.PlanItemsObject {
		// The docs page draws the answer as one object: the first plan item, or an empty object.
		if len(items) == 0 {
			writeJSON(c.w, http.StatusOK, map[string]any{})
			return
		}
		writeJSON(c.w, http.StatusOK, items[0])
		return
	}
	writeJSON(c.w, http.StatusOK, items)
}

// subscriptionID is the org subscription that licenses the account's plan, empty when the plan
// is not among the org's plan items.
func (a *account) subscriptionID() string {
	if a.org == nil {
		return ""
	}
	for _, p := range a.org.planItems {
		if strings.EqualFold(p.PlanID, a.PlanID) {
			return p.SubscriptionID
		}
	}
	return ""
}

// permissionProfileNumber is the membership's profile ID as the Admin API types it (int64).
func permissionProfileNumber(m *membership) int64 {
	n, _ := strconv.ParseInt(m.account.profileID(m.permissionProfileName), 10, 64)
	return n
}
