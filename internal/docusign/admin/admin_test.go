// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package admin_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/internal/apitest"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

const org = "0f1e2d3c-4b5a-4968-8776-655443322110"

type (
	staticTokens = apitest.StaticTokens
	call         = apitest.Call
	fake         = apitest.Server
)

var (
	writeJSON = apitest.WriteJSON
	jsonEqual = apitest.JSONEqual
)

// newFake serves Admin calls below /Management with h.
func newFake(t *testing.T, h func(c call, w http.ResponseWriter)) (*fake, *admin.Client) {
	t.Helper()
	f := apitest.New(t, "/Management", h)
	return f, admin.New(apitest.Transport(), staticTokens{}, f.URL+"/Management/")
}

func TestBaseURL(t *testing.T) {
	c := admin.New(transport.New(transport.Options{}), staticTokens{}, admin.DemoBaseURL+"/")
	if c.BaseURL() != "https://api-d.docusign.net/Management" {
		t.Errorf("BaseURL = %q", c.BaseURL())
	}
}

func TestListOrganizations(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"organizations":[{"id":"`+org+`","name":"Acme","default_account_id":"acc-1","accounts":[{"id":"acc-1","name":"Main","external_account_id":12345678901,"site_id":1}]}]}`)
	})
	orgs, err := c.ListOrganizations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []admin.Organization{{ID: org, Name: "Acme", DefaultAccountID: "acc-1", Accounts: []admin.Account{{ID: "acc-1", Name: "Main", ExternalAccountID: 12345678901, SiteID: 1}}}}
	if !reflect.DeepEqual(orgs, want) {
		t.Errorf("organizations = %+v", orgs)
	}
	cl := f.Seen()[0]
	if cl.Method != "GET" || cl.Path != "/v2/organizations" || cl.Query.Get("mode") != "org_admin" || cl.Auth != "Bearer tok" {
		t.Errorf("request = %+v", cl)
	}
}

// --- users ------------------------------------------------------------------------------------

func TestListUsersNeedsAccountOrEmail(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `{}`) })
	if _, err := c.ListUsers(context.Background(), org, admin.UsersQuery{Status: "active"}); err == nil {
		t.Error("a query without account or email was sent")
	}
	if len(f.Seen()) != 0 {
		t.Errorf("calls = %d", len(f.Seen()))
	}
}

func TestListUsersQuery(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[{"id":"u-1","user_name":"Ann","email":"ann@example.com","user_status":"active","membership_status":"closed","membership_id":"m-1","license_type":"eSign","plan_name":"Business Pro"}],
			"paging":{"result_set_size":1,"result_set_start_position":10,"result_set_end_position":10,"total_set_size":11,"next":"","previous":"https://x/prev"}}`)
	})
	page, err := c.ListUsers(context.Background(), org, admin.UsersQuery{AccountID: "acc-1", Email: "ann+1@example.com", Status: "active", MembershipStatus: "closed", IncludeLicense: true, Start: 10, Take: 50})
	if err != nil {
		t.Fatal(err)
	}
	cl := f.Seen()[0]
	want := url.Values{"account_id": {"acc-1"}, "email": {"ann+1@example.com"}, "status": {"active"}, "membership_status": {"closed"}, "include_license": {"true"}, "start": {"10"}, "take": {"50"}}
	if cl.Method != "GET" || cl.Path != "/v2/organizations/"+org+"/users" || !reflect.DeepEqual(cl.Query, want) {
		t.Errorf("request = %s %s %v\nwant query %v", cl.Method, cl.Path, cl.Query, want)
	}
	wantPaging := admin.Paging{ResultSetSize: 1, ResultSetStartPosition: 10, ResultSetEndPosition: 10, TotalSetSize: 11, Previous: "https://x/prev"}
	if page.Paging != wantPaging {
		t.Errorf("paging = %+v", page.Paging)
	}
	if len(page.Users) != 1 || page.Users[0].MembershipID != "m-1" || page.Users[0].MembershipStatus != "closed" || page.Users[0].PlanName != "Business Pro" {
		t.Errorf("users = %+v", page.Users)
	}

	// Defaults: take is PageSize and only the filters given are sent.
	if _, err := c.ListUsers(context.Background(), org, admin.UsersQuery{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	want = url.Values{"email": {"a@example.com"}, "start": {"0"}, "take": {strconv.Itoa(admin.PageSize)}}
	if got := f.Seen()[1].Query; !reflect.DeepEqual(got, want) {
		t.Errorf("default query = %v, want %v", got, want)
	}
}

// pagingServer serves total organization users in the Admin API's paging style.
func pagingServer(t *testing.T, total int) (*fake, *admin.Client) {
	return newFake(t, func(cl call, w http.ResponseWriter) {
		start, _ := strconv.Atoi(cl.Query.Get("start"))
		take, _ := strconv.Atoi(cl.Query.Get("take"))
		end := min(start+take, total)
		users := []admin.OrgUser{}
		for i := start; i < end; i++ {
			users = append(users, admin.OrgUser{ID: fmt.Sprintf("u-%04d", i), Email: fmt.Sprintf("u%d@example.com", i), MembershipStatus: "active"})
		}
		paging := admin.Paging{ResultSetSize: len(users), ResultSetStartPosition: start, ResultSetEndPosition: end - 1, TotalSetSize: total}
		if end < total {
			paging.Next = fmt.Sprintf("https://api-d.docusign.net/Management/v2/organizations/%s/users?start=%d&take=%d", org, end, take)
		}
		if start > 0 {
			paging.Previous = "prev"
		}
		b, _ := json.Marshal(admin.UsersPage{Users: users, Paging: paging})
		writeJSON(w, 200, string(b))
	})
}

func TestListAllUsersPaging(t *testing.T) {
	f, c := pagingServer(t, 600)
	users, err := c.ListAllUsers(context.Background(), org, admin.UsersQuery{AccountID: "acc-1", Start: 99})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Seen()
	if len(calls) != 3 {
		t.Fatalf("calls = %d, want 3 pages of 250", len(calls))
	}
	for i, want := range []string{"0", "250", "500"} {
		if got := calls[i].Query.Get("start"); got != want {
			t.Errorf("page %d start = %s, want %s", i, got, want)
		}
		if calls[i].Query.Get("take") != "250" || calls[i].Query.Get("account_id") != "acc-1" {
			t.Errorf("page %d query = %v", i, calls[i].Query)
		}
	}
	if len(users) != 600 {
		t.Fatalf("users = %d, want 600", len(users))
	}
	for i, u := range users {
		if u.ID != fmt.Sprintf("u-%04d", i) {
			t.Fatalf("user %d = %s", i, u.ID)
		}
	}
}

func TestListAllUsersEdges(t *testing.T) {
	for _, tc := range []struct{ total, take, calls int }{{0, 0, 1}, {250, 0, 1}, {251, 0, 2}, {7, 3, 3}} {
		t.Run(fmt.Sprintf("%d by %d", tc.total, tc.take), func(t *testing.T) {
			f, c := pagingServer(t, tc.total)
			users, err := c.ListAllUsers(context.Background(), org, admin.UsersQuery{Email: "x@example.com", Take: tc.take})
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != tc.total || len(f.Seen()) != tc.calls {
				t.Errorf("users %d, calls %d; want %d, %d", len(users), len(f.Seen()), tc.total, tc.calls)
			}
		})
	}
}

func TestListAllUsersStopsWithoutNext(t *testing.T) {
	// DocuSign may report a larger total than it will page through; no next link ends the listing.
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[{"id":"u-1"}],"paging":{"result_set_size":1,"total_set_size":99}}`)
	})
	users, err := c.ListAllUsers(context.Background(), org, admin.UsersQuery{Email: "x@example.com"})
	if err != nil || len(users) != 1 || len(f.Seen()) != 1 {
		t.Errorf("users %v, err %v, calls %d", users, err, len(f.Seen()))
	}
}

func TestProfilesByEmail(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[{"id":"u-1","site_id":1,"user_name":"Ann","user_status":"active","default_account_id":"acc-1","is_organization_admin":true,
			"memberships":[
				{"id":"m-1","email":"ann@example.com","account_id":"acc-1","account_name":"Main","status":"active","is_admin":true,"permission_profile":{"id":2301414,"name":"Account Administrator"}},
				{"id":"m-2","email":"ann@example.com","account_id":"acc-2","status":"Closed","closed_on":"2026-01-01T00:00:00Z"}]}]}`)
	})
	profiles, err := c.ProfilesByEmail(context.Background(), org, "ann+tag@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cl := f.Seen()[0]
	if cl.Method != "GET" || cl.Path != "/v2.1/organizations/"+org+"/users/dsprofile" || !reflect.DeepEqual(cl.Query, url.Values{"email": {"ann+tag@example.com"}}) {
		t.Errorf("request = %s %s %v", cl.Method, cl.Path, cl.Query)
	}
	if len(profiles) != 1 {
		t.Fatalf("profiles = %+v", profiles)
	}
	p := profiles[0]
	if p.ID != "u-1" || p.SiteID != 1 || !p.IsOrganizationAdmin || len(p.Memberships) != 2 {
		t.Errorf("profile = %+v", p)
	}
	m0, m1 := p.Memberships[0], p.Memberships[1]
	if m0.IsClosed() || m0.PermissionProfile == nil || m0.PermissionProfile.ID != 2301414 || m0.PermissionProfile.Name != "Account Administrator" || !m0.IsAdmin {
		t.Errorf("membership 0 = %+v", m0)
	}
	if !m1.IsClosed() || m1.PermissionProfile != nil {
		t.Errorf("membership 1 = %+v", m1)
	}
}

func TestProfilesByEmailNone(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `{"users":[]}`) })
	profiles, err := c.ProfilesByEmail(context.Background(), org, "nobody@example.com")
	if err != nil || len(profiles) != 0 {
		t.Errorf("profiles %v, err %v", profiles, err)
	}
}

func TestProfileByID(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		switch {
		case strings.Contains(cl.Path, "/users/missing/"):
			writeJSON(w, 404, `{"error":"not_found","error_description":"User not found"}`)
		case strings.Contains(cl.Path, "/users/empty/"):
			writeJSON(w, 200, `{"users":[]}`)
		default:
			writeJSON(w, 200, `{"users":[{"id":"u-1","site_id":2}]}`)
		}
	})
	p, err := c.ProfileByID(context.Background(), org, "u-1")
	if err != nil || p.ID != "u-1" || p.SiteID != 2 {
		t.Fatalf("profile %+v, err %v", p, err)
	}
	if cl := f.Seen()[0]; cl.Method != "GET" || cl.Path != "/v2.1/organizations/"+org+"/users/u-1/dsprofile" {
		t.Errorf("request = %s %s", cl.Method, cl.Path)
	}
	for _, id := range []string{"missing", "empty"} {
		if _, err := c.ProfileByID(context.Background(), org, id); !errors.Is(err, admin.ErrUserNotFound) || !strings.Contains(err.Error(), id) {
			t.Errorf("%s: err = %v, want ErrUserNotFound naming the user", id, err)
		}
	}
}

// --- memberships ------------------------------------------------------------------------------

func TestCloseMemberships(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"success":false,"accounts":[
			{"id":"acc-1"},
			{"id":"acc-2","error_details":{"error":"membership_not_found","error_description":"The user has no membership in this account"}},
			{"id":"acc-3","error_details":{}},
			{"id":"acc-4","error_details":{"error_description":"only a description"}}]}`)
	})
	res, err := c.CloseMemberships(context.Background(), org, "u-1", []string{"acc-1", "acc-2", "acc-3", "acc-4", "acc-5"})
	if err != nil {
		t.Fatal(err)
	}
	cl := f.Seen()[0]
	if cl.Method != "DELETE" || cl.Path != "/v2/organizations/"+org+"/users/u-1/accounts" {
		t.Errorf("request = %s %s", cl.Method, cl.Path)
	}
	jsonEqual(t, cl.Body, `{"accounts":[{"id":"acc-1"},{"id":"acc-2"},{"id":"acc-3"},{"id":"acc-4"},{"id":"acc-5"}]}`)
	want := []admin.MembershipError{
		{AccountID: "acc-2", Code: "membership_not_found", Description: "The user has no membership in this account"},
		{AccountID: "acc-4", Description: "only a description"},
	}
	if !reflect.DeepEqual(res.Failed, want) {
		t.Errorf("failed = %+v\nwant %+v", res.Failed, want)
	}
	// success is false, so the accounts listed without error are not confirmed either; acc-5 is
	// not in the answer at all.
	if !reflect.DeepEqual(res.Unconfirmed, []string{"acc-1", "acc-3", "acc-5"}) || len(res.Closed) != 0 {
		t.Errorf("unconfirmed = %v, closed = %v", res.Unconfirmed, res.Closed)
	}
	if msg := res.Failed[0].Error(); !strings.Contains(msg, "acc-2") || !strings.Contains(msg, "membership_not_found") {
		t.Errorf("MembershipError.Error() = %q", msg)
	}
}

// Only an answer that reports success and lists the account without error confirms its close.
func TestCloseMembershipsConfirmsPerAccount(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"success":true,"accounts":[{"id":"ACC-1"}]}`)
	})
	res, err := c.CloseMemberships(context.Background(), org, "u-1", []string{"acc-1", "acc-2"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Closed, []string{"acc-1"}) || !reflect.DeepEqual(res.Unconfirmed, []string{"acc-2"}) || len(res.Failed) != 0 {
		t.Errorf("result = %+v", res)
	}
}

func TestCloseMembershipsAllClosed(t *testing.T) {
	var n atomic.Int32
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		if n.Add(1) == 1 {
			writeJSON(w, 503, `{"error":"unavailable"}`)
			return
		}
		writeJSON(w, 200, `{"success":true,"accounts":[{"id":"acc-1"}]}`)
	})
	res, err := c.CloseMemberships(context.Background(), org, "u-1", []string{"acc-1"})
	if err != nil || len(res.Failed) != 0 || len(res.Closed) != 1 {
		t.Errorf("result %+v, err %v", res, err)
	}
	if len(f.Seen()) != 2 {
		t.Errorf("calls = %d, want 2 (closing is idempotent, so a 5xx is retried)", len(f.Seen()))
	}
}

func TestCloseMembershipsCallError(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 403, `{"error":"forbidden","error_description":"Application tokens are not supported"}`)
	})
	res, err := c.CloseMemberships(context.Background(), org, "u-1", []string{"acc-1"})
	var apiErr *transport.Error
	if res != nil || !errors.As(err, &apiErr) || apiErr.API != transport.APIAdmin || apiErr.Status != 403 || apiErr.Code != "forbidden" || apiErr.Message != "Application tokens are not supported" {
		t.Errorf("result %+v, err %#v", res, err)
	}
}

func TestActivateMembership(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `{"status":"active"}`) })
	if err := c.ActivateMembership(context.Background(), org, "u-1", "m-7", 2); err != nil {
		t.Fatal(err)
	}
	cl := f.Seen()[0]
	if cl.Method != "POST" || cl.Path != "/v2/organizations/"+org+"/users/u-1/memberships/m-7" {
		t.Errorf("request = %s %s", cl.Method, cl.Path)
	}
	jsonEqual(t, cl.Body, `{"site_id":2}`)
	if !strings.Contains(string(cl.Body), `"site_id":2`) {
		t.Errorf("site_id is not a JSON number: %s", cl.Body)
	}
}

func TestActivateMembershipError(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 400, `{"error":"invalid_request","error_description":"Membership is not closed"}`)
	})
	err := c.ActivateMembership(context.Background(), org, "u-1", "m-7", 1)
	if !transport.HasCode(err, "invalid_request") || !strings.Contains(err.Error(), "Membership is not closed") {
		t.Errorf("err = %v", err)
	}
}

// --- plan items -------------------------------------------------------------------------------

func TestPlanItems(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `[
			{"plan_id":"p-1","plan_name":"Business Pro","associated_accounts_count":3,"subscription_id":"s-1","subscription_name":"Main","modules":[{"plan_item_id":"pi-1","plan_item_name":"eSignature"}]},
			{"plan_id":"p-2","plan_name":"CLM"}]`)
	})
	items, err := c.PlanItems(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	want := []admin.PlanItem{{PlanID: "p-1", PlanName: "Business Pro", SubscriptionID: "s-1", SubscriptionName: "Main"}, {PlanID: "p-2", PlanName: "CLM"}}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("items = %+v", items)
	}
	if cl := f.Seen()[0]; cl.Method != "GET" || cl.Path != "/v2/organizations/"+org+"/planItems" {
		t.Errorf("request = %s %s", cl.Method, cl.Path)
	}
}

// The reference page draws planItems as one object rather than the spec's array; both decode.
func TestPlanItemsAsOneObject(t *testing.T) {
	for _, tc := range []struct {
		body string
		want []admin.PlanItem
	}{
		{`{"plan_id":"p-1","plan_name":"Business Pro","associated_accounts_count":3,"subscription_id":"s-1","subscription_name":"Main"}`,
			[]admin.PlanItem{{PlanID: "p-1", PlanName: "Business Pro", SubscriptionID: "s-1", SubscriptionName: "Main"}}},
		{`{}`, nil},
		{` [] `, []admin.PlanItem{}},
	} {
		_, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, tc.body) })
		items, err := c.PlanItems(context.Background(), org)
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		if !reflect.DeepEqual(items, tc.want) {
			t.Errorf("%s: items = %#v, want %#v", tc.body, items, tc.want)
		}
	}
	_, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `"plans"`) })
	if _, err := c.PlanItems(context.Background(), org); err == nil {
		t.Error("a string answer decoded without error")
	}
}

func TestPlanItemsSubAccountError(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 400, `{"error":"invalid_organization","errorDescription":"Organization has no plans","isSystemError":false}`)
	})
	_, err := c.PlanItems(context.Background(), org)
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "invalid_organization" || apiErr.Message != "Organization has no plans" {
		t.Errorf("err = %#v", err)
	}
}

func TestPathsAreEscaped(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `{}`) })
	if err := c.ActivateMembership(context.Background(), "o/1", "u 1", "m?1", 1); err != nil {
		t.Fatal(err)
	}
	cl := f.Seen()[0]
	if cl.Path != "/v2/organizations/o/1/users/u 1/memberships/m?1" || !strings.Contains(cl.Raw, "o%2F1/users/u%201/memberships/m%3F1") || len(cl.Query) != 0 {
		t.Errorf("path %q raw %q query %v", cl.Path, cl.Raw, cl.Query)
	}
}

func TestAdmin401IsRefreshedOnce(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 401, `{"error":"unauthorized","error_description":"Not Authorized"}`)
	})
	_, err := c.ListOrganizations(context.Background())
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || apiErr.Message != "Not Authorized" {
		t.Errorf("err = %v", err)
	}
	if len(f.Seen()) != 2 {
		t.Errorf("calls = %d, want 2", len(f.Seen()))
	}
}

// scopeRecorder is a token source that hands out a token named after the scopes asked for.
type scopeRecorder struct{ scopes string }

func (s scopeRecorder) AccessToken(context.Context) (string, error) { return "tok" + s.scopes, nil }
func (scopeRecorder) Invalidate(string)                             {}
func (scopeRecorder) WithScopes(scopes ...string) transport.TokenSource {
	return scopeRecorder{"+" + strings.Join(scopes, "+")}
}

// Each Admin call asks its token source for the scope the Admin spec lists for that operation,
// so a provider that never closes anyone never needs user_write consent.
func TestEachCallAsksForItsScope(t *testing.T) {
	f := apitest.New(t, "/Management", func(c call, w http.ResponseWriter) {
		switch {
		case strings.HasSuffix(c.Path, "/planItems"):
			writeJSON(w, 200, `[]`)
		case c.Method == "DELETE":
			writeJSON(w, 200, `{"success":true,"accounts":[]}`)
		default:
			writeJSON(w, 200, `{"users":[],"organizations":[]}`)
		}
	})
	c := admin.New(apitest.Transport(), scopeRecorder{}, f.URL+"/Management")
	ctx := context.Background()
	_, _ = c.ListOrganizations(ctx)
	_, _ = c.PlanItems(ctx, org)
	_, _ = c.ListUsers(ctx, org, admin.UsersQuery{AccountID: "a"})
	_, _ = c.ProfilesByEmail(ctx, org, "ann@example.com")
	_, _ = c.ProfileByID(ctx, org, "u-1")
	_, _ = c.CloseMemberships(ctx, org, "u-1", []string{"a"})
	_ = c.ActivateMembership(ctx, org, "u-1", "m-1", 1)
	_, _ = c.CreateMembershipsExport(ctx, org, nil)
	_, _ = c.GetExport(ctx, org, "e-1")
	_, _ = c.CreateCloseImport(ctx, org, []byte("AccountID\n"))
	_, _ = c.GetImport(ctx, org, "i-1")
	_ = c.ImportResults(ctx, org, "i-1", func(io.Reader) error { return nil })
	_, _ = c.ListImports(ctx, org)
	_ = c.DeleteImport(ctx, org, "i-1")
	_ = c.DeleteExport(ctx, org, "e-1")
	want := []string{"organization_read", "organization_sub_account_read", "user_read", "user_read", "user_read", "user_write", "user_write",
		"user_read", "user_read", "user_write", "user_read", "user_read", "user_read", "user_write", "user_read"}
	seen := f.Seen()
	if len(seen) != len(want) {
		t.Fatalf("%d calls, want %d", len(seen), len(want))
	}
	for i, cl := range seen {
		if got := cl.Auth; got != "Bearer tok+"+want[i] {
			t.Errorf("%s %s: Authorization %q, want the token for %s", cl.Method, cl.Path, got, want[i])
		}
	}
}

// A rate limit on an Admin route comes in the Admin error shape; the client waits and retries it
// as it does eSignature's.
func TestAdminRateLimitIsRetried(t *testing.T) {
	var throttled atomic.Bool
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		if throttled.CompareAndSwap(false, true) {
			writeJSON(w, 400, `{"error":"BURST_APIINVOCATION_LIMIT_EXCEEDED","error_description":"The maximum number of burst API invocations has been exceeded."}`)
			return
		}
		writeJSON(w, 200, `{"organizations":[{"id":"o-1"}]}`)
	})
	orgs, err := c.ListOrganizations(context.Background())
	if err != nil || len(orgs) != 1 {
		t.Fatalf("orgs %v, err %v", orgs, err)
	}
	if len(f.Seen()) != 2 {
		t.Errorf("calls = %d, want the throttled one and its retry", len(f.Seen()))
	}
}
