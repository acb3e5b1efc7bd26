// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// eSignature declares nearly every scalar as a string; these maps keep the wire shape honest.

func esBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

const esTime = "2006-01-02T15:04:05.0000000Z"

func (e *Emulator) userInformation(m *membership) map[string]any {
	u := m.user
	info := map[string]any{
		"userId": u.id, "userName": u.userName, "firstName": u.first, "lastName": u.last, "email": u.email,
		"uri": "/users/" + u.id, "userStatus": m.status, "userType": "CompanyUser", "isAdmin": esBool(m.isAdmin),
		"permissionProfileId": m.account.profileID(m.permissionProfileName), "permissionProfileName": e.profileName(m),
		// createdDateTime is when the user came to exist, userAddedToAccountDateTime when they joined
		// this account: a person who existed elsewhere keeps their older createdDateTime.
		"createdDateTime": u.created.Format(esTime), "userAddedToAccountDateTime": m.created.Format(esTime),
		"defaultAccountId": m.account.ID,
	}
	// DocuSign leaves lastLogin out for a user who never logged in.
	if at := e.lastLogin(m); !at.IsZero() {
		info["lastLogin"] = at.Format(esTime)
	}
	return info
}

// lastLogin is the membership's lastLogin as the record reports it: the membership's own by
// default, or under last_login_per_user the person's latest across their memberships, since the
// spec calls it the user's last login "to the system".
func (e *Emulator) lastLogin(m *membership) time.Time {
	if !e.behaviour.LastLoginPerUser {
		return m.lastLogin
	}
	var latest time.Time
	for _, other := range m.user.memberships {
		if other.lastLogin.After(latest) {
			latest = other.lastLogin
		}
	}
	return latest
}

// requireAccountAdmin answers DocuSign's refusal unless the caller administers the account.
func (e *Emulator) requireAccountAdmin(c *call) bool {
	caller := e.users[strings.ToLower(c.token.userID)]
	if m := caller.membershipIn(c.account); m != nil && m.isAdmin {
		return true
	}
	writeJSON(c.w, http.StatusBadRequest, esignError("USER_LACKS_PERMISSIONS", "This user lacks sufficient permissions to access this resource."))
	return false
}

// allowUserRecord enforces users_self_only: …/users/{userId} serves only the caller's own record.
func (e *Emulator) allowUserRecord(c *call) bool {
	if !e.behaviour.UsersSelfOnly || strings.EqualFold(c.r.PathValue("userId"), c.token.userID) {
		return true
	}
	writeJSON(c.w, http.StatusBadRequest, esignError("USER_LACKS_PERMISSIONS",
		"Users can only access their own information. A user, even one with Admin rights, cannot access another user's settings."))
	return false
}

// memberByID is userID's membership in acct, or nil.
func (e *Emulator) memberByID(acct *account, userID string) *membership {
	if u := e.users[strings.ToLower(userID)]; u != nil {
		return u.membershipIn(acct)
	}
	return nil
}

// pathMember is the {userId} membership in the account, or nil after answering DocuSign's error.
func (e *Emulator) pathMember(c *call) *membership {
	if u := e.users[strings.ToLower(c.r.PathValue("userId"))]; u != nil {
		if m := u.membershipIn(c.account); m != nil {
			return m
		}
	}
	writeJSON(c.w, http.StatusBadRequest, esignError("USER_DOES_NOT_EXIST_IN_SYSTEM", "The user does not exist in the system."))
	return nil
}

func (e *Emulator) handleGetAccount(c *call) {
	a := c.account
	sent := a.countEnvelopes(a.billingFrom, a.billingTo)
	allowed := "unlimited"
	blocked := false
	if a.EnvelopesAllowed > 0 {
		allowed = strconv.Itoa(a.EnvelopesAllowed)
		blocked = sent >= a.EnvelopesAllowed
	}
	daysLeft := int(a.billingTo.Sub(e.opts.Now()).Hours() / 24)
	info := map[string]any{
		"accountIdGuid": a.ID, "accountName": a.Name, "externalAccountId": strconv.FormatInt(a.ExternalAccountID, 10),
		"currentPlanId": a.PlanID, "planName": a.PlanName,
		"planStartDate": a.billingFrom.AddDate(-1, 0, 0).Format(esTime), "planEndDate": a.billingTo.AddDate(1, 0, 0).Format(esTime),
		"billingPeriodStartDate": a.billingFrom.Format(esTime), "billingPeriodEndDate": a.billingTo.Add(-time.Second).Format(esTime),
		"billingPeriodDaysRemaining": strconv.Itoa(max(0, daysLeft)), "billingPeriodEnvelopesSent": strconv.Itoa(sent),
		"billingPeriodEnvelopesAllowed": allowed, "envelopeSendingBlocked": esBool(blocked),
		"seatsAllowed": strconv.Itoa(a.SeatsAllowed), "seatsInUse": strconv.Itoa(a.seatsInUse()),
		"suspensionStatus": "", "createdDate": a.billingFrom.AddDate(-3, 0, 0).Format(esTime),
	}
	if a.EnvelopesAllowedReported != nil && !*a.EnvelopesAllowedReported {
		// Reseller accounts leave the allowance out: not reported, which is not unlimited.
		delete(info, "billingPeriodEnvelopesAllowed")
	}
	writeJSON(c.w, http.StatusOK, info)
}

func (a *account) seatsInUse() int {
	n := 0
	for _, m := range a.members {
		if m.status == "Active" || m.status == "ActivationSent" || m.status == "ActivationRequired" {
			n++
		}
	}
	return n
}

// pageParams reads eSignature's string paging parameters; bad values are DocuSign's 400.
func pageParams(c *call, maxCount int) (start, count int, ok bool) {
	q := c.r.URL.Query()
	start, count = 0, maxCount
	if s := q.Get("start_position"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER", "The request contained at least one invalid parameter. 'start_position' must be a non-negative number."))
			return 0, 0, false
		}
		start = n
	}
	if s := q.Get("count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER", "The request contained at least one invalid parameter. 'count' must be a positive number."))
			return 0, 0, false
		}
		count = min(n, maxCount)
	}
	return start, count, true
}

// listPage is eSignature's paging envelope around a list: string counts and next/previous URIs
// that are absent at the ends.
func listPage(c *call, key string, items []map[string]any, total, start, count int) map[string]any {
	if items == nil {
		items = []map[string]any{}
	}
	out := map[string]any{
		key: items, "resultSetSize": strconv.Itoa(len(items)), "totalSetSize": strconv.Itoa(total),
		"startPosition": strconv.Itoa(start), "endPosition": strconv.Itoa(max(start, start+len(items)-1)),
	}
	link := func(pos int) string {
		q := c.r.URL.Query()
		q.Set("start_position", strconv.Itoa(pos))
		q.Set("count", strconv.Itoa(count))
		return strings.TrimPrefix(c.r.URL.Path, "/restapi/v2.1") + "?" + q.Encode()
	}
	if start+len(items) < total {
		out["nextUri"] = link(start + len(items))
	}
	if start > 0 {
		out["previousUri"] = link(max(0, start-count))
	}
	return out
}

func (e *Emulator) handleListUsers(c *call) {
	q := c.r.URL.Query()
	if q.Get("email") != "" && q.Get("email_substring") != "" {
		writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER", "Specify either email or email_substring, not both."))
		return
	}
	start, count, ok := pageParams(c, 100)
	if !ok {
		return
	}
	var wantStatus map[string]bool
	if s := q.Get("status"); s != "" {
		wantStatus = map[string]bool{}
		for _, part := range strings.Split(s, ",") {
			norm, known := normalStatus(strings.TrimSpace(part))
			if !known {
				writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_USER_STATUS", "Invalid user status: "+part))
				return
			}
			wantStatus[norm] = true
		}
	}
	hideClosed := wantStatus == nil && e.behaviour.UsersListHidesClosed
	email, sub := q.Get("email"), q.Get("email_substring")
	fold := func(s string) string { return s }
	if !e.behaviour.UsersEmailFilterExactCase {
		fold = strings.ToLower
	}
	email, sub = fold(email), fold(sub)
	var matched []*membership
	for _, m := range c.account.members {
		switch {
		case email != "" && fold(m.user.email) != email:
		case sub != "" && !strings.Contains(fold(m.user.email), sub):
		case wantStatus != nil && !wantStatus[m.status]:
		case hideClosed && m.status == "Closed":
		default:
			matched = append(matched, m)
		}
	}
	// The list gives full user records only with additional_info=true (the spec: "If the
	// additional_info query is added to the endpoint and set to true, full user information is
	// returned for each user"); otherwise it is a summary without lastLogin. lastLogin itself is
	// documented only on the single-user read, so by default the list never carries it; under
	// users_list_last_login the full records do.
	full := strings.EqualFold(q.Get("additional_info"), "true") && e.behaviour.UsersListLastLogin
	var page []map[string]any
	for i := start; i < len(matched) && i < start+count; i++ {
		info := e.userInformation(matched[i])
		if !full {
			delete(info, "lastLogin")
		}
		page = append(page, info)
	}
	writeJSON(c.w, http.StatusOK, listPage(c, "users", page, len(matched), start, count))
}

func (e *Emulator) handleGetUser(c *call) {
	if !e.allowUserRecord(c) {
		return
	}
	m := e.pathMember(c)
	if m == nil {
		return
	}
	writeJSON(c.w, http.StatusOK, e.userInformation(m))
}

type newUserRequest struct {
	UserName              string `json:"userName"`
	Email                 string `json:"email"`
	FirstName             string `json:"firstName"`
	LastName              string `json:"lastName"`
	PermissionProfileID   string `json:"permissionProfileId"`
	PermissionProfileName string `json:"permissionProfileName"`
}

// handleCreateUsers adds users. Per-user failures come back inline with 201, as DocuSign does.
func (e *Emulator) handleCreateUsers(c *call) {
	if !e.requireAccountAdmin(c) {
		return
	}
	var body struct {
		NewUsers []newUserRequest `json:"newUsers"`
	}
	if !decodeBody(c, &body) {
		return
	}
	if len(body.NewUsers) == 0 {
		writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_BODY", "The request body must contain newUsers."))
		return
	}
	var out []map[string]any
	for _, nu := range body.NewUsers {
		out = append(out, e.createUser(c.account, nu))
	}
	writeJSON(c.w, http.StatusCreated, map[string]any{"newUsers": out})
}

func (e *Emulator) createUser(acct *account, nu newUserRequest) map[string]any {
	fail := func(code, msg string) map[string]any {
		return map[string]any{"email": nu.Email, "userName": nu.UserName, "errorDetails": map[string]string{"errorCode": code, "message": msg}}
	}
	if nu.Email == "" || nu.UserName == "" {
		return fail("INVALID_USERNAME_FOR_EMAIL", "userName and email are required.")
	}
	if !strings.Contains(nu.Email, "@") {
		return fail("INVALID_EMAIL_ADDRESS_FOR_USER", "Invalid email address: "+nu.Email)
	}
	profile, code, msg := acct.resolveProfile(nu.PermissionProfileID, nu.PermissionProfileName, e.behaviour.LegacyProfileNames)
	if code != "" {
		return fail(code, msg)
	}
	if profile == "" {
		profile = defaultProfile
	}
	var u *user
	for _, existing := range e.byEmail[strings.ToLower(nu.Email)] {
		if m := existing.membershipIn(acct); m != nil {
			if m.status != "Closed" {
				return fail("USER_ALREADY_EXISTS_IN_ACCOUNT", "Username and email combination already exists for this account.")
			}
			continue
		}
		if u == nil {
			u = existing
		}
	}
	now := e.opts.Now().UTC()
	if u == nil {
		u = &user{id: e.freshID("user"), email: nu.Email, userName: nu.UserName, first: nu.FirstName, last: nu.LastName, created: now}
		if u.first == "" && u.last == "" {
			// DocuSign fills the name parts of a new user from userName when they are left out.
			u.first, u.last, _ = strings.Cut(strings.TrimSpace(nu.UserName), " ")
		}
		e.addUser(u)
	}
	m := &membership{id: e.freshID("membership"), user: u, account: acct, status: "ActivationSent",
		licenseType: "professional", permissionProfileName: profile, created: now}
	e.addMembership(m)
	e.touch(u)
	info := e.userInformation(m)
	return map[string]any{
		"userId": info["userId"], "uri": info["uri"], "email": u.email, "userName": u.userName, "userStatus": m.status,
		"createdDateTime": info["createdDateTime"], "membershipId": m.id,
		"permissionProfileId": info["permissionProfileId"], "permissionProfileName": info["permissionProfileName"],
	}
}

type userUpdateRequest struct {
	UserName              string `json:"userName"`
	FirstName             string `json:"firstName"`
	LastName              string `json:"lastName"`
	PermissionProfileID   string `json:"permissionProfileId"`
	PermissionProfileName string `json:"permissionProfileName"`
}

// handleUpdateUser changes names and permission profile; it never reopens a closed user,
// because DocuSign documents no eSignature route that does.
func (e *Emulator) handleUpdateUser(c *call) {
	if !e.requireAccountAdmin(c) || !e.allowUserRecord(c) {
		return
	}
	m := e.pathMember(c)
	if m == nil {
		return
	}
	var body userUpdateRequest
	if !decodeBody(c, &body) {
		return
	}
	if code, msg := e.applyUserUpdate(m, body); code != "" {
		writeJSON(c.w, http.StatusBadRequest, esignError(code, msg))
		return
	}
	writeJSON(c.w, http.StatusOK, e.userInformation(m))
}

// handleCloseUsers is DELETE …/users: each listed user's membership closes; a user not in the
// account comes back with errorDetails while the others succeed.
func (e *Emulator) handleCloseUsers(c *call) {
	if !e.requireAccountAdmin(c) {
		return
	}
	var body struct {
		Users []struct {
			UserID string `json:"userId"`
		} `json:"users"`
	}
	if !decodeBody(c, &body) {
		return
	}
	if len(body.Users) == 0 {
		writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_BODY", "The request body must list users to close."))
		return
	}
	if e.behaviour.BatchCloseAllOrNothing {
		for _, ref := range body.Users {
			if e.memberByID(c.account, ref.UserID) == nil {
				writeJSON(c.w, http.StatusBadRequest, esignError("USER_DOES_NOT_EXIST_IN_SYSTEM",
					"The user does not exist in the system."))
				return
			}
		}
	}
	var out []map[string]any
	for _, ref := range body.Users {
		m := e.memberByID(c.account, ref.UserID)
		u := e.users[strings.ToLower(ref.UserID)]
		if m == nil {
			out = append(out, map[string]any{"userId": ref.UserID, "errorDetails": map[string]string{
				"errorCode": "USER_DOES_NOT_EXIST_IN_SYSTEM", "message": "The user does not exist in the system."}})
			continue
		}
		e.setStatus(m, "Closed")
		out = append(out, map[string]any{
			"userId": u.id, "userName": u.userName, "email": u.email, "userStatus": m.status, "uri": "/users/" + u.id,
			"userType": "CompanyUser", "membershipId": m.id, "accountId": c.account.ID, "accountName": c.account.Name,
		})
	}
	page := listPage(c, "users", out, len(out), 0, len(out))
	delete(page, "nextUri")
	writeJSON(c.w, http.StatusOK, page)
}

func (e *Emulator) handleBillingPlan(c *call) {
	a := c.account
	writeJSON(c.w, http.StatusOK, map[string]any{"billingPlan": map[string]any{
		"planId": a.PlanID, "planName": a.PlanName, "includedSeats": strconv.Itoa(a.SeatsAllowed), "paymentCycle": "Annually",
		"currencyCode": "USD", "planClassification": "partner",
	}})
}

func (e *Emulator) handleBillingCharges(c *call) {
	a := c.account
	sent := a.countEnvelopes(a.billingFrom, a.billingTo)
	allowed := "unlimited"
	if a.EnvelopesAllowed > 0 {
		allowed = strconv.Itoa(a.EnvelopesAllowed)
	}
	items := []map[string]any{
		{"chargeName": "envelopes", "chargeType": "envelope", "chargeUnitOfMeasure": "each", "includedQuantity": allowed, "usedQuantity": strconv.Itoa(sent), "allowedQuantity": allowed},
		{"chargeName": "seats", "chargeType": "seat", "chargeUnitOfMeasure": "each", "includedQuantity": strconv.Itoa(a.SeatsAllowed), "usedQuantity": strconv.Itoa(a.seatsInUse()), "allowedQuantity": strconv.Itoa(a.SeatsAllowed)},
	}
	if kind := c.r.URL.Query().Get("include_charges"); kind != "" {
		var kept []map[string]any
		for _, it := range items {
			if name, _ := it["chargeName"].(string); strings.Contains(kind, name) {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"billingChargeItems": items})
}

// handleListEnvelopes is the envelope search (listStatusChanges). Like DocuSign it is per user: it
// returns the envelopes the caller sent or receives (user_filter narrows that to sender,
// recipient or recipient_only), or with user_id those that user created, which any member of
// the account may ask for. It never lists the whole account.
func (e *Emulator) handleListEnvelopes(c *call) {
	q := c.r.URL.Query()
	from, err := parseESignDate(q.Get("from_date"))
	if q.Get("from_date") == "" || err != nil {
		writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER", "The request contained at least one invalid parameter. A valid from_date is required."))
		return
	}
	to := e.opts.Now()
	if s := q.Get("to_date"); s != "" {
		if to, err = parseESignDate(s); err != nil {
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER", "The request contained at least one invalid parameter. Invalid to_date: "+s))
			return
		}
	}
	if st := q.Get("from_to_status"); st != "" && !strings.EqualFold(st, "sent") && !strings.EqualFold(st, "changed") {
		writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER", "from_to_status must be a valid envelope status."))
		return
	}
	filter := strings.ToLower(q.Get("user_filter"))
	if filter != "" && filter != "sender" && filter != "recipient" && filter != "recipient_only" {
		writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER", "The request contained at least one invalid parameter. user_filter must be sender, recipient or recipient_only."))
		return
	}
	folders, ok := folderTypes(c, q.Get("folder_types"))
	if !ok {
		return
	}
	start, count, ok := pageParams(c, 100)
	if !ok {
		return
	}
	a := c.account
	subject := e.users[strings.ToLower(c.token.userID)]
	byUserID := false
	if id := q.Get("user_id"); id != "" {
		u := e.users[strings.ToLower(id)]
		if u == nil || u.membershipIn(a) == nil {
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_USERID", "Invalid UserId: "+id+" is not a user of this account."))
			return
		}
		if e.behaviour.EnvelopeSearchRefusesClosedMembers && strings.EqualFold(u.membershipIn(a).status, "Closed") {
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_USERID", "Invalid UserId: "+id+" is closed in this account."))
			return
		}
		subject, byUserID = u, true
	}
	creatorOnly := byUserID && e.behaviour.EnvelopeSearchUserIDCreatorOnly
	lo, hi := a.envelopeRange(from, to)
	var matched []int
	for i := lo; i < hi; i++ {
		if a.envelopes[i].visibleTo(subject, filter, creatorOnly, folders) {
			matched = append(matched, i)
		}
	}
	matched = orderEnvelopes(q, matched)
	var items []map[string]any
	for _, i := range matched[min(start, len(matched)):min(len(matched), start+count)] {
		env := a.envelopes[i]
		id := e.newID("envelope", a.ID, fmt.Sprint(i))
		item := map[string]any{
			"envelopeId": id, "status": "sent", "sentDateTime": env.sent.Format(esTime),
			"statusChangedDateTime": env.sent.Format(esTime), "envelopeUri": "/envelopes/" + id,
		}
		if env.sender != nil {
			item["sender"] = map[string]any{"userId": env.sender.id, "userName": env.sender.userName, "email": env.sender.email}
		}
		items = append(items, item)
	}
	// The envelope search pages by position only: its answer has no next/previous URIs.
	page := listPage(c, "envelopes", items, len(matched), start, count)
	delete(page, "nextUri")
	delete(page, "previousUri")
	page["lastQueriedDateTime"] = e.opts.Now().UTC().Format(esTime)
	writeJSON(c.w, http.StatusOK, page)
}

// visibleTo reports whether the envelope search of subject returns env. Without user_id, and
// with it by default, those are the envelopes subject sent or receives: DocuSign documents
// user_id as "the ID of the user who created the envelopes", yet its web app pairs it with
// folder_types=inbox, so received envelopes may come back too. creatorOnly is the documented
// reading. folder_types (sentitems: the envelopes subject sent; inbox: those subject receives;
// the emulator holds no drafts, templates or custom folders) narrows either reading.
func (env envelope) visibleTo(subject *user, filter string, creatorOnly bool, folders map[string]bool) bool {
	isSender := env.sender != nil && env.sender == subject
	isRecipient := false
	for _, r := range env.recipients {
		isRecipient = isRecipient || r == subject
	}
	if folders != nil && (!folders["sentitems"] || !isSender) && (!folders["inbox"] || !isRecipient) {
		return false
	}
	switch filter {
	case "sender":
		return isSender
	case "recipient":
		return isRecipient
	case "recipient_only":
		return isRecipient && !isSender
	}
	if creatorOnly {
		return isSender
	}
	return isSender || isRecipient
}

// folderTypes reads folder_types, a comma-separated list of the spec's values; nil when absent.
func folderTypes(c *call, s string) (map[string]bool, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, true
	}
	out := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch f {
		case "normal", "inbox", "sentitems", "draft", "templates":
			out[f] = true
		default:
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_PARAMETER",
				"The request contained at least one invalid parameter. folder_types must be normal, inbox, sentitems, draft or templates."))
			return nil, false
		}
	}
	return out, true
}

// UseHourlyCalls counts n calls against the account's current hour, as other integrations on
// the account would: tests set the remaining budget low with it.
func (e *Emulator) UseHourlyCalls(accountID string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accounts[strings.ToLower(accountID)]
	if a == nil {
		return
	}
	e.limitsAt("account:"+a.ID, e.opts.Now()).hourCount += n
}

// HourlyCallsUsed is how many calls the account's current hour has counted.
func (e *Emulator) HourlyCallsUsed(accountID string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accounts[strings.ToLower(accountID)]
	if a == nil {
		return 0
	}
	lw := e.limits["account:"+a.ID]
	if lw == nil || !lw.hour.Equal(e.opts.Now().Truncate(time.Hour)) {
		return 0
	}
	return lw.hourCount
}

func parseESignDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("empty date")
	}
	if unescaped, err := url.QueryUnescape(s); err == nil {
		s = unescaped
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", time.DateOnly, "01/02/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}
