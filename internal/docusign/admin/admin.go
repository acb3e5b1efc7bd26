// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package admin is a typed client for the parts of DocuSign's Admin API (basePath /Management)
// the provider uses: organizations, organization users and memberships, and plan items. Field
// names follow the official Admin v2.1 OpenAPI description (snake_case, real numbers and booleans).
package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// Hosts of the Admin API.
const (
	ProductionBaseURL = "https://api.docusign.net/Management"
	DemoBaseURL       = "https://api-d.docusign.net/Management"
)

// Client calls the Admin API on behalf of the impersonated organization administrator.
type Client struct {
	transport *transport.Transport
	tokens    transport.TokenSource
	baseURL   string
}

// New returns an Admin client for baseURL (ending in /Management).
func New(t *transport.Transport, tokens transport.TokenSource, baseURL string) *Client {
	return &Client{transport: t, tokens: tokens, baseURL: strings.TrimRight(baseURL, "/")}
}

// BaseURL is the Admin API root this client calls.
func (c *Client) BaseURL() string { return c.baseURL }

// do makes one Admin API call. Every call this client makes is safe to repeat, so the transport
// may retry each: reads; closing memberships and membership changes, which end in a fixed status; and export requests, where a
// repeat at worst starts a spare export job.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	_, err := c.transport.Do(ctx, transport.Request{
		API: transport.APIAdmin, Method: method, URL: c.baseURL + path, Query: query,
		JSON: body, Out: out, Idempotent: true, Auth: c.tokensFor(method, path),
	})
	return accessError(method, path, err)
}

// AccessError is the Admin API refusing a call (HTTP 401 or 403): the impersonated user does not
// administer the organization, or the token lacks the scope the call needs.
type AccessError struct {
	// Scope is the OAuth scope the call requires (see Scope).
	Scope string
	// MissingScope reports that DocuSign named a missing scope as the reason.
	MissingScope bool
	Err          *transport.Error
}

func (e *AccessError) Error() string { return e.Err.Error() }
func (e *AccessError) Unwrap() error { return e.Err }

// accessError turns a 401 or 403 of the call into an AccessError.
func accessError(method, path string, err error) error {
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || !errors.Is(apiErr, transport.ErrRefused) {
		return err
	}
	missing := apiErr.Status == 403 && strings.Contains(strings.ToLower(apiErr.Code+apiErr.Message), "scope")
	return &AccessError{Scope: Scope(method, path), MissingScope: missing, Err: apiErr}
}

// tokensFor gives tokens carrying the scope the call requires.
func (c *Client) tokensFor(method, path string) transport.TokenSource {
	if scoped, ok := c.tokens.(scopedTokenSource); ok {
		return scoped.WithScopes(Scope(method, path))
	}
	return c.tokens
}

// scopedTokenSource hands out tokens that carry extra scopes (auth.TokenSource does).
type scopedTokenSource interface {
	WithScopes(scopes ...string) transport.TokenSource
}

// Scope is the OAuth scope the Admin API requires for a call, as each operation's security lists
// it in the Admin OpenAPI description.
func Scope(method, path string) string {
	switch {
	case method == "GET" && strings.HasSuffix(path, "/planItems"):
		return "organization_sub_account_read"
	case method == "GET" && strings.Count(path, "/") <= 2: // /v2/organizations
		return "organization_read"
	case method == "GET", method == "POST" && strings.HasSuffix(path, "/exports/user_list"),
		method == "DELETE" && strings.Contains(path, "/exports/user_list/"):
		return "user_read" // users, users/profile, users/dsprofile, users/{id}/dsprofile, user-list exports (deleting one too) and bulk job status
	default:
		return "user_write" // close memberships, activate a membership, bulk imports
	}
}

func orgPath(orgID string, rest string) string {
	return "/v2/organizations/" + url.PathEscape(orgID) + rest
}

// Organization is one entry of GET /v2/organizations.
type Organization struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	DefaultAccountID string    `json:"default_account_id"`
	Accounts         []Account `json:"accounts"`
	// ReservedDomains are the organization's claimed email domains.
	ReservedDomains []ReservedDomain `json:"reserved_domains"`
}

// ReservedDomain is a claimed email domain; Status is unknown, pending, active, deactivated or
// rejected.
type ReservedDomain struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	HostName string `json:"host_name"`
}

// Account is an account embedded in an organization.
type Account struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	ExternalAccountID int64  `json:"external_account_id"`
	SiteID            int    `json:"site_id"`
}

// ListOrganizations returns the organizations the caller administers.
func (c *Client) ListOrganizations(ctx context.Context) ([]Organization, error) {
	var out struct {
		Organizations []Organization `json:"organizations"`
	}
	q := url.Values{"mode": {"org_admin"}}
	if err := c.do(ctx, "GET", "/v2/organizations", q, nil, &out); err != nil {
		return nil, err
	}
	return out.Organizations, nil
}

// OrgUser is one row of GET /v2/organizations/{organizationId}/users: a user and one membership.
type OrgUser struct {
	ID                  string `json:"id"`
	UserName            string `json:"user_name"`
	FirstName           string `json:"first_name"`
	LastName            string `json:"last_name"`
	UserStatus          string `json:"user_status"`
	MembershipStatus    string `json:"membership_status"`
	Email               string `json:"email"`
	CreatedOn           string `json:"created_on"`
	MembershipCreatedOn string `json:"membership_created_on"`
	MembershipClosedOn  string `json:"membership_closed_on"`
	MembershipID        string `json:"membership_id"`
	LicenseType         string `json:"license_type"`
	SubscriptionID      string `json:"subscription_id"`
	PlanName            string `json:"plan_name"`
}

// Paging is the Admin API's paging object.
type Paging struct {
	ResultSetSize          int    `json:"result_set_size"`
	ResultSetStartPosition int    `json:"result_set_start_position"`
	ResultSetEndPosition   int    `json:"result_set_end_position"`
	TotalSetSize           int    `json:"total_set_size"`
	Next                   string `json:"next"`
	Previous               string `json:"previous"`
}

// UsersPage is one page of organization users.
type UsersPage struct {
	Users  []OrgUser `json:"users"`
	Paging Paging    `json:"paging"`
}

// UsersQuery filters the organization users list; DocuSign needs Email or AccountID.
type UsersQuery struct {
	AccountID        string
	Email            string
	Status           string
	MembershipStatus string
	IncludeLicense   bool
	Start            int
	Take             int // 0 means PageSize
}

// PageSize is how many rows the client asks for per page.
const PageSize = 250

// ListUsers returns one page of organization users.
func (c *Client) ListUsers(ctx context.Context, orgID string, q UsersQuery) (*UsersPage, error) {
	if q.AccountID == "" && q.Email == "" {
		return nil, errors.New("listing organization users needs an account ID or an email")
	}
	query := url.Values{}
	if q.AccountID != "" {
		query.Set("account_id", q.AccountID)
	}
	if q.Email != "" {
		query.Set("email", q.Email)
	}
	if q.Status != "" {
		query.Set("status", q.Status)
	}
	if q.MembershipStatus != "" {
		query.Set("membership_status", q.MembershipStatus)
	}
	if q.IncludeLicense {
		query.Set("include_license", "true")
	}
	take := q.Take
	if take <= 0 {
		take = PageSize
	}
	query.Set("start", strconv.Itoa(q.Start))
	query.Set("take", strconv.Itoa(take))
	var out UsersPage
	if err := c.do(ctx, "GET", orgPath(orgID, "/users"), query, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UserPages walks the rows q matches page by page; a page that is empty, has no next link or
// reaches the total ends the walk.
func (c *Client) UserPages(ctx context.Context, orgID string, q UsersQuery) iter.Seq2[paging.Page[OrgUser], error] {
	return paging.Pages("GET /v2/organizations/{organizationId}/users", RowKey, func(start int) (paging.Page[OrgUser], int, error) {
		q.Start = start
		page, err := c.ListUsers(ctx, orgID, q)
		if err != nil {
			return paging.Page[OrgUser]{}, 0, err
		}
		next := start + len(page.Users)
		if len(page.Users) == 0 || page.Paging.Next == "" || next >= page.Paging.TotalSetSize {
			next = -1
		}
		return paging.Page[OrgUser]{Rows: page.Users, Total: page.Paging.TotalSetSize}, next, nil
	})
}

// ListAllUsers pages through every row the query matches.
func (c *Client) ListAllUsers(ctx context.Context, orgID string, q UsersQuery) ([]OrgUser, error) {
	var all []OrgUser
	for page, err := range c.UserPages(ctx, orgID, q) {
		if err != nil {
			return nil, err
		}
		all = append(all, page.Rows...)
	}
	return all, nil
}

// RowKey identifies an organization user row (a user and one membership) in a listing.
func RowKey(r OrgUser) string { return strings.ToLower(r.ID + "/" + r.MembershipID + "/" + r.Email) }

// Profile is a user as GET …/users/profile describes them, with every membership.
type Profile struct {
	ID                  string       `json:"id"`
	SiteID              int          `json:"site_id"`
	UserName            string       `json:"user_name"`
	FirstName           string       `json:"first_name"`
	LastName            string       `json:"last_name"`
	UserStatus          string       `json:"user_status"`
	DefaultAccountID    string       `json:"default_account_id"`
	IsOrganizationAdmin bool         `json:"is_organization_admin"`
	CreatedOn           string       `json:"created_on"`
	Memberships         []Membership `json:"memberships"`
}

// Membership is one account membership in a profile.
type Membership struct {
	ID                string             `json:"id"`
	Email             string             `json:"email"`
	AccountID         string             `json:"account_id"`
	AccountName       string             `json:"account_name"`
	IsExternalAccount bool               `json:"is_external_account"` // an account outside the organization asked about
	Status            string             `json:"status"`
	IsAdmin           bool               `json:"is_admin"`
	PermissionProfile *PermissionProfile `json:"permission_profile,omitempty"`
	CreatedOn         string             `json:"created_on"`
	LicenseType       string             `json:"license_type"`
	SubscriptionID    string             `json:"subscription_id"`
	PlanName          string             `json:"plan_name"`
}

// PermissionProfile names a membership's permission profile.
type PermissionProfile struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// IsClosed reports a closed membership.
func (m Membership) IsClosed() bool { return strings.EqualFold(m.Status, "closed") }

// ProfilesByEmail returns every user in the organization with that email. It asks the v2.1
// dsprofile route: the v2 users/profile route documents that it returns "up to the first 20 users
// modified in the last 10 days", so a leaver untouched for a fortnight would look unknown there.
func (c *Client) ProfilesByEmail(ctx context.Context, orgID, email string) ([]Profile, error) {
	var out struct {
		Users []Profile `json:"users"`
	}
	q := url.Values{"email": {email}}
	path := "/v2.1/organizations/" + url.PathEscape(orgID) + "/users/dsprofile"
	if err := c.do(ctx, "GET", path, q, nil, &out); err != nil {
		return nil, err
	}
	return out.Users, nil
}

// ErrUserNotFound is returned when the organization has no such user.
var ErrUserNotFound = errors.New("user not found in the organization")

// ProfileByID returns the organization user with that ID and every membership.
func (c *Client) ProfileByID(ctx context.Context, orgID, userID string) (*Profile, error) {
	var out struct {
		Users []Profile `json:"users"`
	}
	path := "/v2.1/organizations/" + url.PathEscape(orgID) + "/users/" + url.PathEscape(userID) + "/dsprofile"
	if err := c.do(ctx, "GET", path, nil, nil, &out); err != nil {
		if s := transport.StatusOf(err); s == 404 {
			return nil, fmt.Errorf("%w: %s", ErrUserNotFound, userID)
		}
		return nil, err
	}
	if len(out.Users) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrUserNotFound, userID)
	}
	return &out.Users[0], nil
}

// FindProfiles returns the organization users with userID, or with email when userID is empty:
// none when there is no such user, several when an old account shares an email.
func (c *Client) FindProfiles(ctx context.Context, orgID, userID, email string) ([]Profile, error) {
	if userID == "" {
		return c.ProfilesByEmail(ctx, orgID, email)
	}
	p, err := c.ProfileByID(ctx, orgID, userID)
	if errors.Is(err, ErrUserNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []Profile{*p}, nil
}

// ProfileIDs lists the profiles' user IDs, sorted.
func ProfileIDs(profiles []Profile) []string {
	ids := make([]string, len(profiles))
	for i, p := range profiles {
		ids[i] = p.ID
	}
	sort.Strings(ids)
	return ids
}

// MembershipError is one account that a close could not handle.
type MembershipError struct {
	AccountID   string
	Code        string
	Description string
}

func (e MembershipError) Error() string {
	return fmt.Sprintf("account %s: %s %s", transport.CleanText(e.AccountID, 64), transport.CleanText(e.Code, 128),
		transport.CleanText(e.Description, transport.MaxMessageBytes))
}

// CloseMembershipsResult sorts the accounts of a close by what DocuSign's answer says of each.
type CloseMembershipsResult struct {
	Closed []string          // listed without error in an answer that reports success
	Failed []MembershipError // listed with error details
	// Unconfirmed accounts are neither: left out of the answer, or listed without error in an
	// answer whose success is false. The spec describes the answer's list both as "the accounts
	// that were closed" and as the accounts "that could not be closed", so only a read of the
	// memberships can tell what happened to these.
	Unconfirmed []string
}

// CloseMemberships closes the user's memberships in accountIDs through the Admin API. Closing a
// closed membership is harmless, so the call may be resent.
func (c *Client) CloseMemberships(ctx context.Context, orgID, userID string, accountIDs []string) (*CloseMembershipsResult, error) {
	type ref struct {
		ID string `json:"id"`
	}
	refs := make([]ref, len(accountIDs))
	for i, id := range accountIDs {
		refs[i] = ref{ID: id}
	}
	var out struct {
		Success  bool `json:"success"`
		Accounts []struct {
			ID           string `json:"id"`
			ErrorDetails *struct {
				Error            string `json:"error"`
				ErrorDescription string `json:"error_description"`
			} `json:"error_details"`
		} `json:"accounts"`
	}
	err := c.do(ctx, "DELETE", orgPath(orgID, "/users/"+url.PathEscape(userID)+"/accounts"), nil,
		map[string]any{"accounts": refs}, &out)
	if err != nil {
		return nil, err
	}
	failed := map[string]MembershipError{}
	listed := map[string]bool{}
	for _, a := range out.Accounts {
		key := strings.ToLower(a.ID)
		if a.ErrorDetails != nil && (a.ErrorDetails.Error != "" || a.ErrorDetails.ErrorDescription != "") {
			failed[key] = MembershipError{AccountID: a.ID, Code: a.ErrorDetails.Error, Description: a.ErrorDetails.ErrorDescription}
			continue
		}
		listed[key] = true
	}
	res := &CloseMembershipsResult{}
	for _, id := range accountIDs {
		key := strings.ToLower(id)
		switch f, isFailed := failed[key]; {
		case isFailed:
			res.Failed = append(res.Failed, f)
		case listed[key] && out.Success:
			res.Closed = append(res.Closed, id)
		default:
			res.Unconfirmed = append(res.Unconfirmed, id)
		}
	}
	return res, nil
}

// ActivateMembership reopens a closed membership.
func (c *Client) ActivateMembership(ctx context.Context, orgID, userID, membershipID string, siteID int) error {
	path := orgPath(orgID, "/users/"+url.PathEscape(userID)+"/memberships/"+url.PathEscape(membershipID))
	var out struct {
		Status string `json:"status"`
	}
	return c.do(ctx, "POST", path, nil, map[string]any{"site_id": siteID}, &out)
}

// PlanItem is one plan (a "software model") the organization subscribes to.
type PlanItem struct {
	PlanID           string `json:"plan_id"`
	PlanName         string `json:"plan_name"`
	SubscriptionID   string `json:"subscription_id"`
	SubscriptionName string `json:"subscription_name"`
}

// PlanItems lists the organization's plans.
func (c *Client) PlanItems(ctx context.Context, orgID string) ([]PlanItem, error) {
	var raw json.RawMessage
	if err := c.do(ctx, "GET", orgPath(orgID, "/planItems"), nil, nil, &raw); err != nil {
		return nil, err
	}
	return decodePlanItems(raw)
}

// decodePlanItems reads either answer DocuSign documents for planItems: the spec's JSON array, or
// the single object its reference page draws. An empty object is no plan at all.
func decodePlanItems(raw json.RawMessage) ([]PlanItem, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return nil, nil
	}
	if trimmed[0] == '[' {
		var items []PlanItem
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, fmt.Errorf("decoding DocuSign's plan items: %w", err)
		}
		return items, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		return nil, fmt.Errorf("decoding DocuSign's plan item: %w", err)
	}
	if len(fields) == 0 {
		return nil, nil
	}
	var item PlanItem
	if err := json.Unmarshal(trimmed, &item); err != nil {
		return nil, fmt.Errorf("decoding DocuSign's plan item: %w", err)
	}
	return []PlanItem{item}, nil
}
