// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package esign is a typed client for the parts of DocuSign's eSignature REST API v2.1 the
// provider uses: account users, account information and envelope counts. Field names and the
// string-typed scalars follow the official v2.1 OpenAPI description.
package esign

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// BaseURIResolver gives the eSignature base URI (e.g. https://na3.docusign.net) of an account,
// which comes from userinfo and differs per account in production.
type BaseURIResolver func(ctx context.Context, accountID string) (string, error)

// Client calls eSignature on behalf of the impersonated user.
type Client struct {
	transport *transport.Transport
	tokens    transport.TokenSource
	baseURI   BaseURIResolver
	// emailFilterIgnoresCase: an email filter answered with another spelling of its address.
	emailFilterIgnoresCase atomic.Bool
}

// New returns an eSignature client.
func New(t *transport.Transport, tokens transport.TokenSource, baseURI BaseURIResolver) *Client {
	return &Client{transport: t, tokens: tokens, baseURI: baseURI}
}

// User is eSignature's userInformation, trimmed to the fields the provider reads or writes.
type User struct {
	UserID                string `json:"userId,omitempty"`
	UserName              string `json:"userName,omitempty"`
	FirstName             string `json:"firstName,omitempty"`
	LastName              string `json:"lastName,omitempty"`
	Email                 string `json:"email,omitempty"`
	UserStatus            string `json:"userStatus,omitempty"`
	UserType              string `json:"userType,omitempty"`
	IsAdmin               string `json:"isAdmin,omitempty"`
	PermissionProfileID   string `json:"permissionProfileId,omitempty"`
	PermissionProfileName string `json:"permissionProfileName,omitempty"`
	CreatedDateTime       string `json:"createdDateTime,omitempty"`
	MembershipID          string `json:"membershipId,omitempty"`
	URI                   string `json:"uri,omitempty"`
	// LastLogin is absent for a user who never logged in, and from list pages read without
	// AdditionalInfo.
	LastLogin    string        `json:"lastLogin,omitempty"`
	ErrorDetails *ErrorDetails `json:"errorDetails,omitempty"`
}

// ErrorDetails is how eSignature reports one failed item inside a successful batch answer.
type ErrorDetails struct {
	ErrorCode string `json:"errorCode,omitempty"`
	Message   string `json:"message,omitempty"`
}

// Err turns inline errorDetails into a transport.Error, or nil; a user DocuSign does not know
// also matches ErrUserNotFound.
func (d *ErrorDetails) Err(method, path string) error {
	if d == nil || (d.ErrorCode == "" && d.Message == "") {
		return nil
	}
	err := &transport.Error{API: transport.APIESign, Status: 200, Code: d.ErrorCode, Message: d.Message, Method: method, Path: path}
	if strings.EqualFold(d.ErrorCode, "USER_LACKS_PERMISSIONS") {
		return transport.Tag(ErrNotAccountAdmin, err)
	}
	return tagNotFound(err)
}

// User statuses as eSignature spells them.
const (
	StatusActive             = "Active"
	StatusActivationSent     = "ActivationSent"
	StatusActivationRequired = "ActivationRequired"
	StatusClosed             = "Closed"
	StatusDisabled           = "Disabled"
)

// AnyStatus is a status filter that matches every membership. DocuSign may leave Closed users out
// of a users list that names no status (the emulator's users_list_hides_closed switch), so every
// lookup that must also see closed users names them all. The status filter takes a comma-separated
// list, as DocuSign documents it for the sibling Connect users listing.
const AnyStatus = StatusActivationRequired + "," + StatusActivationSent + "," + StatusActive + "," + StatusClosed + "," + StatusDisabled

// IsClosed reports a closed membership, whatever the letter case.
func (u User) IsClosed() bool { return strings.EqualFold(u.UserStatus, StatusClosed) }

// UserList is one page of users.
type UserList struct {
	Users         []User `json:"users"`
	ResultSetSize string `json:"resultSetSize"`
	TotalSetSize  string `json:"totalSetSize"`
	StartPosition string `json:"startPosition"`
	EndPosition   string `json:"endPosition"`
	NextURI       string `json:"nextUri,omitempty"`
	PreviousURI   string `json:"previousUri,omitempty"`
}

// ListUsersQuery filters GET …/users. Status takes eSignature's values, comma-separated.
type ListUsersQuery struct {
	Email          string
	EmailSubstring string
	Status         string
	StartPosition  int
	Count          int // 1–100; 0 means 100
	// AdditionalInfo asks for each user's full record (additional_info=true), as GET
	// …/users/{userId} gives it, lastLogin among them; without it DocuSign may leave fields out
	// of list entries.
	AdditionalInfo bool
}

// MaxPageSize is the largest page GET …/users returns.
const MaxPageSize = 100

func (c *Client) accountURL(ctx context.Context, accountID string, rest string) (string, error) {
	if accountID == "" {
		return "", errors.New("no account ID")
	}
	base, err := c.baseURI(ctx, accountID)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(base, "/") + "/restapi/v2.1/accounts/" + url.PathEscape(accountID) + rest, nil
}

func (c *Client) do(ctx context.Context, accountID, method, rest string, query url.Values, body, out any, idempotent bool) error {
	_, err := c.doResponse(ctx, accountID, method, rest, query, body, out, idempotent)
	return err
}

// doResponse is do that also returns the answer's description, its rate-limit headers among them.
func (c *Client) doResponse(ctx context.Context, accountID, method, rest string, query url.Values, body, out any, idempotent bool) (*transport.Response, error) {
	target, err := c.accountURL(ctx, accountID, rest)
	if err != nil {
		return nil, err
	}
	resp, err := c.transport.Do(ctx, transport.Request{
		API: transport.APIESign, Method: method, URL: target, Query: query,
		JSON: body, Out: out, Idempotent: idempotent, Auth: c.tokens,
	})
	switch {
	case isNotAccountMember(err):
		return nil, transport.Tag(ErrNotAccountMember, err)
	case transport.HasCode(err, "USER_LACKS_PERMISSIONS"):
		return nil, transport.Tag(ErrNotAccountAdmin, err)
	}
	return resp, err
}

// ErrNotAccountAdmin means eSignature refused a call because the impersonated user lacks the
// account's administrator rights (USER_LACKS_PERMISSIONS).
var ErrNotAccountAdmin = errors.New("the impersonated user lacks the account's administrator rights")

// ListUsers returns one page of the account's users.
func (c *Client) ListUsers(ctx context.Context, accountID string, q ListUsersQuery) (*UserList, error) {
	query := url.Values{}
	count := q.Count
	if count <= 0 || count > MaxPageSize {
		count = MaxPageSize
	}
	query.Set("count", strconv.Itoa(count))
	query.Set("start_position", strconv.Itoa(q.StartPosition))
	if q.Email != "" {
		query.Set("email", q.Email)
	}
	if q.EmailSubstring != "" {
		query.Set("email_substring", q.EmailSubstring)
	}
	if q.Status != "" {
		query.Set("status", q.Status)
	}
	if q.AdditionalInfo {
		query.Set("additional_info", "true")
	}
	var out UserList
	if err := c.do(ctx, accountID, "GET", "/users", query, nil, &out, true); err != nil {
		return nil, err
	}
	return &out, nil
}

// UserPages walks the users q matches page by page, from q's first position on. A page ends
// the walk when it is empty, has no nextUri, or its endPosition reaches the total or fails to
// move past where the page started (which would ask for the same page again, forever).
func (c *Client) UserPages(ctx context.Context, accountID string, q ListUsersQuery) iter.Seq2[paging.Page[User], error] {
	return paging.Pages("GET …/users", UserKey, func(start int) (paging.Page[User], int, error) {
		q.StartPosition = start
		list, err := c.ListUsers(ctx, accountID, q)
		if err != nil {
			return paging.Page[User]{}, 0, err
		}
		total := atoiOr(list.TotalSetSize, 0)
		end, endErr := strconv.Atoi(list.EndPosition)
		next := end + 1
		if len(list.Users) == 0 || list.NextURI == "" || endErr != nil || next >= total || end < start {
			next = -1
		}
		return paging.Page[User]{Rows: list.Users, Total: total}, next, nil
	})
}

// ListAllUsers pages through every user the query matches.
func (c *Client) ListAllUsers(ctx context.Context, accountID string, q ListUsersQuery) ([]User, error) {
	var all []User
	for page, err := range c.UserPages(ctx, accountID, q) {
		if err != nil {
			return nil, err
		}
		all = append(all, page.Rows...)
	}
	return all, nil
}

// UserKey identifies a user in a listing (see paging.Pages).
func UserKey(u User) string { return strings.ToLower(u.UserID) }

func atoiOr(s string, fallback int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return fallback
}

// FindUsersByEmail lists the users whose email is exactly email (old accounts may hold several),
// closed ones included.
func (c *Client) FindUsersByEmail(ctx context.Context, accountID, email string) ([]User, error) {
	return c.FindUsers(ctx, accountID, ListUsersQuery{Email: email})
}

// FindUsers lists the users q.Email matches, compared as DocuSign compares emails: without
// regard to letter case. Without a status in q it asks for every status, closed included.
//
// The spec does not say whether the email filter itself ignores letter case. So when it finds
// nobody, the account's own listing is read and compared without case, unless an earlier answer
// of this client already showed the filter matching another spelling. That walk stops after
// emailWalkPages pages; past them the answer is an *UnconfirmedEmailError, never "nobody".
func (c *Client) FindUsers(ctx context.Context, accountID string, q ListUsersQuery) ([]User, error) {
	email := q.Email
	if q.Status == "" {
		q.Status = AnyStatus
	}
	users, err := c.ListAllUsers(ctx, accountID, q)
	if err != nil {
		return nil, err
	}
	matched := users[:0]
	for _, u := range users {
		if strings.EqualFold(u.Email, email) {
			matched = append(matched, u)
			if u.Email != email {
				c.emailFilterIgnoresCase.Store(true)
			}
		}
	}
	if len(matched) > 0 || email == "" || c.emailFilterIgnoresCase.Load() {
		return matched, nil
	}
	return c.findUsersByWalk(ctx, accountID, q)
}

// emailWalkPages bounds the listing that stands in for an email filter which may compare letter
// case: 20 pages, 2,000 users, read only when the filter found nobody.
const emailWalkPages = 20

// UnconfirmedEmailError means the email filter found no user, and the account has more users
// than the provider reads to rule out a difference in letter case.
type UnconfirmedEmailError struct {
	AccountID, Email string
	Read             int
}

func (e *UnconfirmedEmailError) Error() string {
	return fmt.Sprintf("DocuSign's email filter found no user with email %s in account %s, and DocuSign does not document "+
		"whether that filter ignores letter case; the first %d users of the account hold no other spelling of it, and the "+
		"account has more. Write the address as DocuSign holds it, or name the user by ID", e.Email, e.AccountID, e.Read)
}

func (c *Client) findUsersByWalk(ctx context.Context, accountID string, q ListUsersQuery) ([]User, error) {
	email := q.Email
	q.Email = ""
	var matched []User
	read, pages := 0, 0
	for page, err := range c.UserPages(ctx, accountID, q) {
		if err != nil {
			return nil, err
		}
		pages++
		read += len(page.Rows)
		for _, u := range page.Rows {
			if strings.EqualFold(u.Email, email) {
				matched = append(matched, u)
			}
		}
		if pages == emailWalkPages && (page.Total == 0 || read < page.Total) {
			// More users remain (or how many is unknown): a second user with the address could
			// be among them, so even a match found is not the whole answer.
			return nil, &UnconfirmedEmailError{AccountID: accountID, Email: email, Read: read}
		}
	}
	return matched, nil
}

// ErrUserNotFound means the account has no such user: GetUser's answer, and a close of a user
// DocuSign does not know (in the batch answer or as the refusal of a batch of one). It is the
// only way this package says so.
var ErrUserNotFound = errors.New("user not found in the account")

// GetUser reads one user's membership in the account.
func (c *Client) GetUser(ctx context.Context, accountID, userID string) (*User, error) {
	var out User
	err := c.do(ctx, accountID, "GET", "/users/"+url.PathEscape(userID), nil, nil, &out, true)
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("%w: %s in account %s: %w", ErrUserNotFound, userID, accountID, err)
		}
		return nil, err
	}
	return &out, nil
}

// tagNotFound marks DocuSign's ways of saying a user is not in the account as ErrUserNotFound.
func tagNotFound(err error) error {
	if err != nil && isNotFound(err) && !errors.Is(err, ErrUserNotFound) {
		return transport.Tag(ErrUserNotFound, err)
	}
	return err
}

func isNotFound(err error) bool {
	if transport.StatusOf(err) == 404 {
		return true
	}
	for _, code := range []string{"USER_DOES_NOT_EXIST_IN_SYSTEM", "INVALID_USERID", "USER_NOT_FOUND"} {
		if transport.HasCode(err, code) {
			return true
		}
	}
	return false
}

// NewUser is one entry of POST …/users.
type NewUser struct {
	UserName            string `json:"userName"`
	Email               string `json:"email"`
	FirstName           string `json:"firstName,omitempty"`
	LastName            string `json:"lastName,omitempty"`
	PermissionProfileID string `json:"permissionProfileId,omitempty"`
	// PermissionProfileName is accepted by DocuSign when no ID is given.
	PermissionProfileName string `json:"permissionProfileName,omitempty"`
}

// CreateUser adds one user to the account. It is not retried after an ambiguous failure: the
// error wraps transport.ErrOutcomeUnknown and the caller must look the email up first.
func (c *Client) CreateUser(ctx context.Context, accountID string, u NewUser) (*User, error) {
	var out struct {
		NewUsers []User `json:"newUsers"`
	}
	body := map[string]any{"newUsers": []NewUser{u}}
	if err := c.do(ctx, accountID, "POST", "/users", nil, body, &out, false); err != nil {
		return nil, err
	}
	if len(out.NewUsers) == 0 {
		return nil, errors.New("DocuSign's answer to POST …/users held no user")
	}
	created := out.NewUsers[0]
	if err := created.ErrorDetails.Err("POST", "/users"); err != nil {
		return nil, err
	}
	return &created, nil
}

// UserUpdate is one user's changes; empty fields are left as they are.
type UserUpdate struct {
	UserName              string `json:"userName,omitempty"`
	FirstName             string `json:"firstName,omitempty"`
	LastName              string `json:"lastName,omitempty"`
	PermissionProfileID   string `json:"permissionProfileId,omitempty"`
	PermissionProfileName string `json:"permissionProfileName,omitempty"`
}

// UpdateUser changes one user's details in the account. It uses the bulk PUT …/users with a
// list of one rather than PUT …/users/{userId}: the newer spec says the latter serves only the
// caller's own record ("a user, even one with Admin rights, cannot access another user's
// settings"), while the bulk route is the documented way to change other users. Both cost one call.
func (c *Client) UpdateUser(ctx context.Context, accountID, userID string, u UserUpdate) (*User, error) {
	type item struct {
		UserID string `json:"userId"`
		UserUpdate
	}
	var out UserList
	body := map[string]any{"users": []item{{UserID: userID, UserUpdate: u}}}
	if err := c.do(ctx, accountID, "PUT", "/users", nil, body, &out, true); err != nil {
		return nil, err
	}
	for _, got := range out.Users {
		if !strings.EqualFold(got.UserID, userID) {
			continue
		}
		if err := got.ErrorDetails.Err("PUT", "/users"); err != nil {
			return nil, err
		}
		return &got, nil
	}
	if len(out.Users) == 1 && out.Users[0].UserID == "" {
		if err := out.Users[0].ErrorDetails.Err("PUT", "/users"); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("DocuSign's answer to updating users in account %s did not mention user %s", accountID, userID)
}

// CloseResult is one user's outcome of a close.
type CloseResult struct {
	UserID string
	User   User
	Err    error // nil when the membership is closed (including already closed)
}

// CloseUsers closes the memberships of userIDs in one call and reports each user's outcome.
// Closing is idempotent at DocuSign (a closed user stays closed), so the call may be resent.
func (c *Client) CloseUsers(ctx context.Context, accountID string, userIDs []string) ([]CloseResult, error) {
	type ref struct {
		UserID string `json:"userId"`
	}
	refs := make([]ref, len(userIDs))
	for i, id := range userIDs {
		refs[i] = ref{UserID: id}
	}
	var out struct {
		Users []User `json:"users"`
	}
	if err := c.do(ctx, accountID, "DELETE", "/users", nil, map[string]any{"users": refs}, &out, true); err != nil {
		// A refused batch of one user DocuSign does not know is that user's not-found.
		return nil, tagNotFound(err)
	}
	byID := make(map[string]User, len(out.Users))
	for _, u := range out.Users {
		byID[strings.ToLower(u.UserID)] = u
	}
	results := make([]CloseResult, len(userIDs))
	for i, id := range userIDs {
		u, ok := byID[strings.ToLower(id)]
		results[i] = CloseResult{UserID: id, User: u}
		switch {
		case !ok:
			results[i].Err = fmt.Errorf("%w: DocuSign's answer to closing users in account %s did not list user %s", ErrCloseNotConfirmed, accountID, id)
		case u.ErrorDetails != nil && u.ErrorDetails.ErrorCode != "":
			results[i].Err = u.ErrorDetails.Err("DELETE", "/users")
		case !u.IsClosed():
			results[i].Err = fmt.Errorf("%w: DocuSign's answer to closing users in account %s lists user %s with status %s, not Closed",
				ErrCloseNotConfirmed, accountID, id, quoteStatus(u.UserStatus))
		}
	}
	return results, nil
}

// ErrCloseNotConfirmed means DocuSign answered a close without saying the user is now closed:
// the answer left the user out, or gave a status other than Closed. A close counts as done only
// when DocuSign's answer says so.
var ErrCloseNotConfirmed = errors.New("DocuSign did not confirm the close")

// quoteStatus quotes a status from DocuSign's answer, which is data and may be anything.
func quoteStatus(status string) string {
	if status == "" {
		return "(none given)"
	}
	if len(status) > 64 {
		status = status[:64] + "…"
	}
	return strconv.Quote(status)
}

// Account is eSignature's accountInformation, trimmed to the billing and seat counters.
type Account struct {
	AccountIDGUID                 string `json:"accountIdGuid"`
	AccountName                   string `json:"accountName"`
	ExternalAccountID             string `json:"externalAccountId"`
	PlanName                      string `json:"planName"`
	CurrentPlanID                 string `json:"currentPlanId"`
	PlanStartDate                 string `json:"planStartDate"`
	PlanEndDate                   string `json:"planEndDate"`
	BillingPeriodStartDate        string `json:"billingPeriodStartDate"`
	BillingPeriodEndDate          string `json:"billingPeriodEndDate"`
	BillingPeriodDaysRemaining    string `json:"billingPeriodDaysRemaining"`
	BillingPeriodEnvelopesSent    string `json:"billingPeriodEnvelopesSent"`
	BillingPeriodEnvelopesAllowed string `json:"billingPeriodEnvelopesAllowed"`
	EnvelopeSendingBlocked        string `json:"envelopeSendingBlocked"`
	SeatsAllowed                  string `json:"seatsAllowed"`
	SeatsInUse                    string `json:"seatsInUse"`
	SuspensionStatus              string `json:"suspensionStatus"`
}

// GetAccount reads the account's information, including its billing-period counters.
func (c *Client) GetAccount(ctx context.Context, accountID string) (*Account, error) {
	var out Account
	if err := c.do(ctx, accountID, "GET", "", nil, nil, &out, true); err != nil {
		return nil, err
	}
	return &out, nil
}

// CountEnvelopesSentBy counts the envelopes userID sent from the account in [from, to); see
// SentEnvelopes.
func (c *Client) CountEnvelopesSentBy(ctx context.Context, accountID, userID string, from, to time.Time) (int, error) {
	n, err := c.SentEnvelopes(ctx, accountID, userID, from, to)
	return n.Count, err
}

// SentCount is one sender's envelope count and what reading it took.
type SentCount struct {
	Count int
	Calls int
	// ByRows: the narrowed search still returned someone else's envelope, so the count is the
	// rows whose sender is the user, read page by page.
	ByRows bool
	// RateLimit is what the last answer said about the account's limits.
	RateLimit transport.RateLimit
}

// MaxEnvelopePage is the largest envelope search page asked for: DocuSign's reference caps
// count at 1,000, though the spec states no maximum. A shorter page is read as it comes.
const MaxEnvelopePage = 1000

// ErrEnvelopeSenderUnreadable means an envelope search row names no sender, so the rows cannot
// say whose envelope it is.
var ErrEnvelopeSenderUnreadable = errors.New("an envelope search row names no sender")

// ErrEnvelopeCountUnreadable means a search answer's totalSetSize is missing or not a number
// while its rows do not say the count either.
var ErrEnvelopeCountUnreadable = errors.New("the envelope search's totalSetSize cannot be read")

// envelopeSearch is the part of GET …/envelopes a count reads.
type envelopeSearch struct {
	TotalSetSize string `json:"totalSetSize"`
	Envelopes    []struct {
		Sender *struct {
			UserID string `json:"userId"`
		} `json:"sender"`
	} `json:"envelopes"`
}

// SentEnvelopes counts the envelopes userID sent from the account in [from, to), usually with
// one call: a search with user_id and from_to_status=sent whose totalSetSize is the count. The
// envelope search is per user: it lists the caller's envelopes or, with user_id, another
// member's ("any user with account access can retrieve envelopes by user_id"), so a whole
// account takes one call per sender.
//
// DocuSign documents user_id as "the ID of the user who created the envelopes", but its web app
// pairs it with folder_types=inbox, so the envelopes the user received may come back too. The
// search therefore names the documented folder type sentitems, which holds only what the user
// sent, and asks for a full page of rows (MaxEnvelopePage) rather than one, at no extra call.
// When a row's sender is someone else the narrowing did not hold: the rows the user sent are
// counted instead, reading further pages only when the first did not hold them all.
func (c *Client) SentEnvelopes(ctx context.Context, accountID, userID string, from, to time.Time) (SentCount, error) {
	var out SentCount
	if userID == "" {
		return out, errors.New("no sender user ID")
	}
	query := url.Values{}
	query.Set("from_date", from.UTC().Format(time.RFC3339))
	query.Set("to_date", to.UTC().Format(time.RFC3339))
	query.Set("from_to_status", "sent")
	query.Set("user_id", userID)
	query.Set("folder_types", "sentitems")
	query.Set("count", strconv.Itoa(MaxEnvelopePage))
	page, total, err := c.searchEnvelopes(ctx, accountID, query, &out)
	if err != nil || total == 0 {
		return out, err
	}
	others := false
	for _, env := range page.Envelopes {
		others = others || (env.Sender != nil && env.Sender.UserID != "" && !strings.EqualFold(env.Sender.UserID, userID))
	}
	if !others {
		// Every row that names a sender names the user: the narrowing held.
		out.Count = total
		return out, nil
	}
	out.ByRows = true
	for start := 0; ; {
		for _, env := range page.Envelopes {
			if env.Sender == nil || env.Sender.UserID == "" {
				return out, fmt.Errorf("counting the envelopes user %s sent: %w", userID, ErrEnvelopeSenderUnreadable)
			}
			if strings.EqualFold(env.Sender.UserID, userID) {
				out.Count++
			}
		}
		start += len(page.Envelopes)
		if len(page.Envelopes) == 0 || start >= total {
			return out, nil
		}
		query.Set("start_position", strconv.Itoa(start))
		if page, total, err = c.searchEnvelopes(ctx, accountID, query, &out); err != nil {
			return out, err
		}
	}
}

func (c *Client) searchEnvelopes(ctx context.Context, accountID string, query url.Values, out *SentCount) (*envelopeSearch, int, error) {
	var page envelopeSearch
	resp, err := c.doResponse(ctx, accountID, "GET", "/envelopes", query, nil, &page, true)
	out.Calls++
	if err != nil {
		return nil, 0, err
	}
	out.RateLimit = resp.RateLimit
	n, err := strconv.Atoi(strings.TrimSpace(page.TotalSetSize))
	switch {
	case err == nil && n >= 0:
		return &page, max(n, len(page.Envelopes)), nil
	case strings.TrimSpace(page.TotalSetSize) == "" && (len(page.Envelopes) == 0 || query.Get("start_position") == "" && len(page.Envelopes) < atoi(query.Get("count"))):
		// No count, but a first page shorter than asked for holds the whole set.
		return &page, len(page.Envelopes), nil
	}
	return nil, 0, fmt.Errorf("%w: DocuSign answered %q with %d rows", ErrEnvelopeCountUnreadable, page.TotalSetSize, len(page.Envelopes))
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// AccountRateLimit reads the account's information like GetAccount, with the answer's
// rate-limit headers: the account's hourly budget left, which every integration on it shares.
func (c *Client) AccountRateLimit(ctx context.Context, accountID string) (*Account, transport.RateLimit, error) {
	var out Account
	resp, err := c.doResponse(ctx, accountID, "GET", "", nil, nil, &out, true)
	if err != nil {
		return nil, transport.RateLimit{}, err
	}
	return &out, resp.RateLimit, nil
}

// ErrNotAccountMember means the impersonated user holds no active membership in the account:
// userinfo does not list it and DocuSign refuses eSignature calls to it, even from an
// organization administrator who administers the account through the Admin API.
var ErrNotAccountMember = errors.New("account is not among the impersonated user's accounts")

// IsNotAccountMember reports DocuSign's refusals of an account the caller is not a member of:
// the client's own ErrNotAccountMember (the account is missing from userinfo, or a call through
// this client was refused so), or a bare eSignature USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT /
// USER_LACKS_MEMBERSHIP answer from another source.
func IsNotAccountMember(err error) bool {
	return errors.Is(err, ErrNotAccountMember) || isNotAccountMember(err)
}

func isNotAccountMember(err error) bool {
	return transport.HasCode(err, "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT") || transport.HasCode(err, "USER_LACKS_MEMBERSHIP")
}
