// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package esign_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/internal/apitest"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

const acct = "a1b2c3d4-0000-4000-8000-000000000001"

type (
	staticTokens = apitest.StaticTokens
	call         = apitest.Call
	fake         = apitest.Server
)

var (
	writeJSON = apitest.WriteJSON
	jsonEqual = apitest.JSONEqual
)

// newFake serves eSignature calls below the account's path with h.
func newFake(t *testing.T, h func(c call, w http.ResponseWriter)) (*fake, *esign.Client) {
	t.Helper()
	f := apitest.New(t, "/restapi/v2.1/accounts/"+acct, h)
	client := esign.New(apitest.Transport(), staticTokens{}, func(_ context.Context, id string) (string, error) {
		if id != acct {
			return "", fmt.Errorf("unknown account %s", id)
		}
		return f.URL + "/", nil // a trailing slash must not double up
	})
	return f, client
}

// --- listing ----------------------------------------------------------------------------------

func TestListUsersQueryAndStringPaging(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[
			{"userId":"u-1","userName":"Ann","email":"ann+x@example.com","userStatus":"Active","isAdmin":"True","permissionProfileId":"2301414","membershipId":"m-1","createdDateTime":"2024-01-02T03:04:05.0000000Z","uri":"/users/u-1"},
			{"userId":"u-2","userName":"Bob","email":"bob@example.com","userStatus":"closed","isAdmin":"False"}],
			"resultSetSize":"2","totalSetSize":"2","startPosition":"5","endPosition":"6","nextUri":null,"previousUri":""}`)
	})
	page, err := c.ListUsers(context.Background(), acct, esign.ListUsersQuery{Email: "ann+x@example.com", Status: "Active,Closed", StartPosition: 5, Count: 20})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Seen()
	if len(calls) != 1 {
		t.Fatalf("calls = %d", len(calls))
	}
	got := calls[0]
	if got.Method != "GET" || got.Path != "/users" || got.Auth != "Bearer tok" || len(got.Body) != 0 {
		t.Errorf("request = %+v", got)
	}
	want := url.Values{"start_position": {"5"}, "count": {"20"}, "email": {"ann+x@example.com"}, "status": {"Active,Closed"}}
	if !reflect.DeepEqual(got.Query, want) {
		t.Errorf("query = %v, want %v", got.Query, want)
	}
	if page.ResultSetSize != "2" || page.TotalSetSize != "2" || page.StartPosition != "5" || page.EndPosition != "6" || page.NextURI != "" {
		t.Errorf("paging = %+v", page)
	}
	if len(page.Users) != 2 {
		t.Fatalf("users = %+v", page.Users)
	}
	u := page.Users[0]
	if u.UserID != "u-1" || u.IsAdmin != "True" || u.PermissionProfileID != "2301414" || u.MembershipID != "m-1" || u.IsClosed() {
		t.Errorf("user 0 = %+v", u)
	}
	if !page.Users[1].IsClosed() {
		t.Errorf("user 1 status %q should count as closed", page.Users[1].UserStatus)
	}
}

func TestListUsersCountBounds(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `{"users":[]}`) })
	for _, q := range []esign.ListUsersQuery{{}, {Count: 500}, {Count: -3}, {Count: 100, EmailSubstring: "example.com"}} {
		if _, err := c.ListUsers(context.Background(), acct, q); err != nil {
			t.Fatal(err)
		}
	}
	calls := f.Seen()
	for i, cl := range calls {
		if cl.Query.Get("count") != "100" || cl.Query.Get("start_position") != "0" {
			t.Errorf("call %d query = %v", i, cl.Query)
		}
		if cl.Query.Has("email") {
			t.Errorf("call %d sends an empty email filter", i)
		}
	}
	if got := calls[3].Query.Get("email_substring"); got != "example.com" {
		t.Errorf("email_substring = %q", got)
	}
}

// pagingServer serves total users in eSignature's paging style.
func pagingServer(t *testing.T, total int) (*fake, *esign.Client) {
	return newFake(t, func(cl call, w http.ResponseWriter) {
		start, _ := strconv.Atoi(cl.Query.Get("start_position"))
		count, _ := strconv.Atoi(cl.Query.Get("count"))
		end := min(start+count, total)
		type user struct {
			UserID string `json:"userId"`
			Email  string `json:"email"`
		}
		users := []user{}
		for i := start; i < end; i++ {
			users = append(users, user{UserID: fmt.Sprintf("u-%03d", i), Email: fmt.Sprintf("user%d@example.com", i)})
		}
		page := map[string]any{
			"users": users, "resultSetSize": strconv.Itoa(len(users)), "totalSetSize": strconv.Itoa(total),
			"startPosition": strconv.Itoa(start), "endPosition": strconv.Itoa(end - 1),
		}
		if end < total {
			page["nextUri"] = fmt.Sprintf("/users?start_position=%d&count=%d", end, count)
		}
		if start > 0 {
			page["previousUri"] = "/users?start_position=0"
		}
		b, _ := json.Marshal(page)
		writeJSON(w, 200, string(b))
	})
}

func TestListAllUsersPagesUntilDone(t *testing.T) {
	f, c := pagingServer(t, 250)
	users, err := c.ListAllUsers(context.Background(), acct, esign.ListUsersQuery{Status: "Active", StartPosition: 42})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.Seen()
	if len(calls) != 3 {
		t.Fatalf("calls = %d, want 3 pages of at most 100", len(calls))
	}
	for i, want := range []string{"0", "100", "200"} {
		if got := calls[i].Query.Get("start_position"); got != want {
			t.Errorf("page %d start_position = %s, want %s", i, got, want)
		}
		if calls[i].Query.Get("count") != "100" || calls[i].Query.Get("status") != "Active" {
			t.Errorf("page %d query = %v", i, calls[i].Query)
		}
	}
	if len(users) != 250 {
		t.Fatalf("users = %d, want 250", len(users))
	}
	seen := map[string]bool{}
	for i, u := range users {
		if u.UserID != fmt.Sprintf("u-%03d", i) || seen[u.UserID] {
			t.Fatalf("user %d = %s (duplicate or out of order)", i, u.UserID)
		}
		seen[u.UserID] = true
	}
}

func TestListAllUsersEdges(t *testing.T) {
	for _, tc := range []struct{ total, calls int }{{0, 1}, {1, 1}, {100, 1}, {101, 2}, {300, 3}} {
		t.Run(strconv.Itoa(tc.total), func(t *testing.T) {
			f, c := pagingServer(t, tc.total)
			users, err := c.ListAllUsers(context.Background(), acct, esign.ListUsersQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != tc.total || len(f.Seen()) != tc.calls {
				t.Errorf("users %d, calls %d; want %d, %d", len(users), len(f.Seen()), tc.total, tc.calls)
			}
		})
	}
}

func TestListAllUsersStopsOnError(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		if cl.Query.Get("start_position") == "0" {
			writeJSON(w, 200, `{"users":[{"userId":"u-1"}],"resultSetSize":"1","totalSetSize":"5","startPosition":"0","endPosition":"0","nextUri":"/users?start_position=1"}`)
			return
		}
		writeJSON(w, 400, `{"errorCode":"USER_LACKS_PERMISSIONS","message":"no"}`)
	})
	users, err := c.ListAllUsers(context.Background(), acct, esign.ListUsersQuery{Count: 1})
	if !transport.HasCode(err, "USER_LACKS_PERMISSIONS") || users != nil {
		t.Errorf("users %v, err %v", users, err)
	}
	if len(f.Seen()) != 2 {
		t.Errorf("calls = %d", len(f.Seen()))
	}
}

func TestFindUsersByEmail(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[{"userId":"u-1","email":"Ann@Example.com"},{"userId":"u-2","email":"ann.other@example.com"},{"userId":"u-3","email":"ann@example.com","userStatus":"Closed"}],
			"resultSetSize":"3","totalSetSize":"3","startPosition":"0","endPosition":"2"}`)
	})
	users, err := c.FindUsersByEmail(context.Background(), acct, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		ids = append(ids, u.UserID)
	}
	if !reflect.DeepEqual(ids, []string{"u-1", "u-3"}) {
		t.Errorf("matched %v, want u-1 and u-3", ids)
	}
	if got := f.Seen()[0].Query.Get("email"); got != "ann@example.com" {
		t.Errorf("email query = %q", got)
	}
	// A users list without a status may leave closed users out; the lookup names every status.
	if got := f.Seen()[0].Query.Get("status"); got != "ActivationRequired,ActivationSent,Active,Closed,Disabled" {
		t.Errorf("status query = %q, want every status", got)
	}
}

func TestPermissionProfiles(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"permissionProfiles":[
			{"permissionProfileId":"10442211","permissionProfileName":"Account Administrator","modifiedDateTime":"2024-01-02T03:04:05.0000000Z","settings":{}},
			{"permissionProfileId":"10442212","permissionProfileName":"DocuSign Sender","userCount":"4"}]}`)
	})
	profiles, err := c.PermissionProfiles(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	want := []esign.PermissionProfile{{ID: "10442211", Name: "Account Administrator"}, {ID: "10442212", Name: "DocuSign Sender"}}
	if !reflect.DeepEqual(profiles, want) {
		t.Errorf("profiles = %+v", profiles)
	}
	if cl := f.Seen()[0]; cl.Method != "GET" || cl.Path != "/permission_profiles" {
		t.Errorf("request = %s %s", cl.Method, cl.Path)
	}
}

// --- one user ---------------------------------------------------------------------------------

func TestGetUser(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"userId":"u/1","userName":"Ann","email":"ann@example.com","userStatus":"ActivationSent","permissionProfileName":"DocuSign Sender"}`)
	})
	u, err := c.GetUser(context.Background(), acct, "u/1")
	if err != nil {
		t.Fatal(err)
	}
	if u.UserID != "u/1" || u.UserStatus != esign.StatusActivationSent || u.PermissionProfileName != "DocuSign Sender" {
		t.Errorf("user = %+v", u)
	}
	cl := f.Seen()[0]
	if cl.Method != "GET" || cl.Path != "/users/u/1" || !strings.HasSuffix(cl.Raw, "/users/u%2F1") {
		t.Errorf("request = %s %s (%s)", cl.Method, cl.Path, cl.Raw)
	}
}

func TestGetUserNotFound(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
	}{
		{"404", 404, `{"errorCode":"RESOURCE_NOT_FOUND","message":"not found"}`},
		{"404 html", 404, `<html>Not Found</html>`},
		{"USER_DOES_NOT_EXIST_IN_SYSTEM", 400, `{"errorCode":"USER_DOES_NOT_EXIST_IN_SYSTEM","message":"The user does not exist in the system."}`},
		{"INVALID_USERID", 400, `{"errorCode":"INVALID_USERID","message":"Invalid UserId."}`},
		{"USER_NOT_FOUND", 400, `{"errorCode":"USER_NOT_FOUND"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, tc.status, tc.body) })
			u, err := c.GetUser(context.Background(), acct, "u-404")
			if u != nil {
				t.Errorf("user = %+v", u)
			}
			if !errors.Is(err, esign.ErrUserNotFound) {
				t.Errorf("err = %v, want ErrUserNotFound", err)
			}
			if !strings.Contains(err.Error(), "u-404") || !strings.Contains(err.Error(), acct) {
				t.Errorf("err %q does not name the user and account", err)
			}
			if transport.StatusOf(err) != tc.status {
				t.Errorf("StatusOf = %d, want DocuSign's %d kept in the chain", transport.StatusOf(err), tc.status)
			}
			if len(f.Seen()) != 1 {
				t.Errorf("calls = %d", len(f.Seen()))
			}
		})
	}
}

func TestGetUserOtherErrors(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 400, `{"errorCode":"USER_LACKS_PERMISSIONS","message":"This user lacks sufficient permissions to access this resource."}`)
	})
	_, err := c.GetUser(context.Background(), acct, "u-1")
	if errors.Is(err, esign.ErrUserNotFound) {
		t.Errorf("err %v counted as not found", err)
	}
	if !transport.HasCode(err, "USER_LACKS_PERMISSIONS") {
		t.Errorf("err = %v", err)
	}
}

func TestAccountURLErrors(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, `{}`) })
	if _, err := c.GetUser(context.Background(), "", "u-1"); err == nil {
		t.Error("empty account ID accepted")
	}
	if _, err := c.GetUser(context.Background(), "other-account", "u-1"); err == nil || !strings.Contains(err.Error(), "unknown account") {
		t.Errorf("resolver error not returned: %v", err)
	}
	if len(f.Seen()) != 0 {
		t.Errorf("calls = %d, want none", len(f.Seen()))
	}
}

// --- create and update ------------------------------------------------------------------------

func TestCreateUser(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 201, `{"newUsers":[{"userId":"u-new","uri":"/users/u-new","email":"ann@example.com","userName":"Ann Example","userStatus":"ActivationSent","createdDateTime":"2026-11-03T14:00:00.0000000Z","membershipId":"m-9","permissionProfileId":"2301415"}]}`)
	})
	u, err := c.CreateUser(context.Background(), acct, esign.NewUser{UserName: "Ann Example", Email: "ann@example.com", PermissionProfileID: "2301415"})
	if err != nil {
		t.Fatal(err)
	}
	if u.UserID != "u-new" || u.MembershipID != "m-9" || u.UserStatus != "ActivationSent" {
		t.Errorf("user = %+v", u)
	}
	cl := f.Seen()[0]
	if cl.Method != "POST" || cl.Path != "/users" {
		t.Errorf("request = %s %s", cl.Method, cl.Path)
	}
	jsonEqual(t, cl.Body, `{"newUsers":[{"userName":"Ann Example","email":"ann@example.com","permissionProfileId":"2301415"}]}`)
}

func TestCreateUserInlineError(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 201, `{"newUsers":[{"email":"ann@example.com","userName":"Ann","errorDetails":{"errorCode":"USER_ALREADY_EXISTS_IN_ACCOUNT","message":"Username and email combination already exists for this account."}}]}`)
	})
	u, err := c.CreateUser(context.Background(), acct, esign.NewUser{UserName: "Ann", Email: "ann@example.com"})
	if err == nil || u != nil {
		t.Fatalf("user %+v, err %v; want the inline error", u, err)
	}
	if !transport.HasCode(err, "USER_ALREADY_EXISTS_IN_ACCOUNT") || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("err = %v", err)
	}
}

func TestCreateUserEmptyAnswer(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 201, `{"newUsers":[]}`) })
	if _, err := c.CreateUser(context.Background(), acct, esign.NewUser{UserName: "A", Email: "a@example.com"}); err == nil {
		t.Error("an answer without a user was accepted")
	}
}

func TestCreateUserIsNotRetriedAfter5xx(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 503, `{"errorCode":"UNSPECIFIED_ERROR"}`) })
	_, err := c.CreateUser(context.Background(), acct, esign.NewUser{UserName: "A", Email: "a@example.com"})
	if !errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Errorf("err = %v, want ErrOutcomeUnknown", err)
	}
	if len(f.Seen()) != 1 {
		t.Errorf("calls = %d, want 1", len(f.Seen()))
	}
}

func TestCreateUserIsRetriedAfterThrottle(t *testing.T) {
	n := 0
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		n++
		if n == 1 {
			writeJSON(w, 400, `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED"}`)
			return
		}
		writeJSON(w, 201, `{"newUsers":[{"userId":"u-1"}]}`)
	})
	if u, err := c.CreateUser(context.Background(), acct, esign.NewUser{UserName: "A", Email: "a@example.com"}); err != nil || u.UserID != "u-1" {
		t.Errorf("user %+v, err %v", u, err)
	}
	if len(f.Seen()) != 2 {
		t.Errorf("calls = %d, want 2", len(f.Seen()))
	}
}

func TestUpdateUser(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		if strings.Contains(string(cl.Body), "Broken") {
			writeJSON(w, 200, `{"users":[{"userId":"u-1","errorDetails":{"errorCode":"INVALID_PERMISSION_PROFILE","message":"bad profile"}}]}`)
			return
		}
		writeJSON(w, 200, `{"users":[{"userId":"u-1","firstName":"Ann","permissionProfileId":"2301416"}]}`)
	})
	u, err := c.UpdateUser(context.Background(), acct, "u-1", esign.UserUpdate{FirstName: "Ann", PermissionProfileID: "2301416"})
	if err != nil || u.FirstName != "Ann" {
		t.Fatalf("user %+v, err %v", u, err)
	}
	cl := f.Seen()[0]
	if cl.Method != "PUT" || cl.Path != "/users" {
		t.Errorf("request = %s %s, want the bulk PUT …/users", cl.Method, cl.Path)
	}
	jsonEqual(t, cl.Body, `{"users":[{"userId":"u-1","firstName":"Ann","permissionProfileId":"2301416"}]}`)

	if _, err := c.UpdateUser(context.Background(), acct, "u-1", esign.UserUpdate{LastName: "Broken"}); !transport.HasCode(err, "INVALID_PERMISSION_PROFILE") {
		t.Errorf("inline error not surfaced: %v", err)
	}
}

// --- close ------------------------------------------------------------------------------------

func TestCloseUsers(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"users":[
			{"userId":"U-1","userStatus":"Closed","email":"one@example.com"},
			{"userId":"u-2","errorDetails":{"errorCode":"USER_DOES_NOT_EXIST_IN_SYSTEM","message":"The user does not exist in the system."}},
			{"userId":"u-4","userStatus":"Closed","errorDetails":{}}],
			"resultSetSize":"3"}`)
	})
	ids := []string{"u-1", "u-2", "u-3", "u-4"}
	results, err := c.CloseUsers(context.Background(), acct, ids)
	if err != nil {
		t.Fatal(err)
	}
	cl := f.Seen()[0]
	if cl.Method != "DELETE" || cl.Path != "/users" || len(cl.Query) != 0 {
		t.Errorf("request = %s %s ?%v", cl.Method, cl.Path, cl.Query)
	}
	jsonEqual(t, cl.Body, `{"users":[{"userId":"u-1"},{"userId":"u-2"},{"userId":"u-3"},{"userId":"u-4"}]}`)

	if len(results) != len(ids) {
		t.Fatalf("results = %+v", results)
	}
	for i, r := range results {
		if r.UserID != ids[i] {
			t.Errorf("result %d is for %s, want %s", i, r.UserID, ids[i])
		}
	}
	if results[0].Err != nil || !results[0].User.IsClosed() || results[0].User.Email != "one@example.com" {
		t.Errorf("u-1 (answered as U-1) = %+v", results[0])
	}
	if !transport.HasCode(results[1].Err, "USER_DOES_NOT_EXIST_IN_SYSTEM") || !errors.Is(results[1].Err, esign.ErrUserNotFound) {
		t.Errorf("u-2 err = %v", results[1].Err)
	}
	if results[2].Err == nil || !strings.Contains(results[2].Err.Error(), "u-3") {
		t.Errorf("u-3, missing from the answer, err = %v", results[2].Err)
	}
	if results[3].Err != nil {
		t.Errorf("u-4 with empty errorDetails err = %v", results[3].Err)
	}
}

func TestCloseUsersRetriedAfter5xx(t *testing.T) {
	n := 0
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		n++
		if n == 1 {
			writeJSON(w, 502, `bad gateway`)
			return
		}
		writeJSON(w, 200, `{"users":[{"userId":"u-1","userStatus":"Closed"}]}`)
	})
	results, err := c.CloseUsers(context.Background(), acct, []string{"u-1"})
	if err != nil || len(results) != 1 || results[0].Err != nil {
		t.Errorf("results %+v, err %v", results, err)
	}
	if len(f.Seen()) != 2 {
		t.Errorf("calls = %d, want 2 (closing is idempotent)", len(f.Seen()))
	}
}

func TestCloseUsersCallError(t *testing.T) {
	_, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 400, `{"errorCode":"INVALID_REQUEST_BODY","message":"bad"}`)
	})
	results, err := c.CloseUsers(context.Background(), acct, []string{"u-1"})
	if results != nil || !transport.HasCode(err, "INVALID_REQUEST_BODY") {
		t.Errorf("results %+v, err %v", results, err)
	}
}

// --- account and envelopes --------------------------------------------------------------------

func TestGetAccount(t *testing.T) {
	f, c := newFake(t, func(_ call, w http.ResponseWriter) {
		writeJSON(w, 200, `{"accountIdGuid":"`+acct+`","accountName":"Acme","billingPeriodEnvelopesSent":"12","billingPeriodEnvelopesAllowed":"unlimited","seatsAllowed":"10","seatsInUse":"3","envelopeSendingBlocked":"false"}`)
	})
	a, err := c.GetAccount(context.Background(), acct)
	if err != nil {
		t.Fatal(err)
	}
	if a.AccountName != "Acme" || a.BillingPeriodEnvelopesSent != "12" || a.BillingPeriodEnvelopesAllowed != "unlimited" || a.SeatsInUse != "3" {
		t.Errorf("account = %+v", a)
	}
	if cl := f.Seen()[0]; cl.Method != "GET" || cl.Path != "" || cl.Raw != "/restapi/v2.1/accounts/"+acct {
		t.Errorf("request = %s %q (%s)", cl.Method, cl.Path, cl.Raw)
	}
}

func TestCountEnvelopesSentBy(t *testing.T) {
	answer := `{"envelopes":[{"envelopeId":"e-1"}],"resultSetSize":"1","totalSetSize":"17"}`
	f, c := newFake(t, func(_ call, w http.ResponseWriter) { writeJSON(w, 200, answer) })
	loc := time.FixedZone("CET", 3600)
	from := time.Date(2026, 10, 1, 1, 0, 0, 0, loc)
	to := time.Date(2026, 11, 1, 0, 30, 0, 0, time.UTC)
	n, err := c.CountEnvelopesSentBy(context.Background(), acct, "u-1", from, to)
	if err != nil || n != 17 {
		t.Fatalf("n %d, err %v; want 17", n, err)
	}
	cl := f.Seen()[0]
	want := url.Values{"from_date": {"2026-10-01T00:00:00Z"}, "to_date": {"2026-11-01T00:30:00Z"}, "from_to_status": {"sent"}, "count": {"1000"},
		"user_id": {"u-1"}, "folder_types": {"sentitems"}}
	if cl.Method != "GET" || cl.Path != "/envelopes" || !reflect.DeepEqual(cl.Query, want) {
		t.Errorf("request = %s %s %v, want query %v", cl.Method, cl.Path, cl.Query, want)
	}

	answer = `{"envelopes":[],"resultSetSize":"0"}`
	if n, err := c.CountEnvelopesSentBy(context.Background(), acct, "u-1", from, to); err != nil || n != 0 {
		t.Errorf("no totalSetSize: n %d, err %v", n, err)
	}
	answer = `{"totalSetSize":"many"}`
	if _, err := c.CountEnvelopesSentBy(context.Background(), acct, "u-1", from, to); !errors.Is(err, esign.ErrEnvelopeCountUnreadable) {
		t.Errorf("a non-numeric count: %v", err)
	}
	// Without totalSetSize a short first page is the whole set.
	answer = `{"envelopes":[{"sender":{"userId":"u-1"}},{"sender":{"userId":"u-1"}}]}`
	if n, err := c.CountEnvelopesSentBy(context.Background(), acct, "u-1", from, to); err != nil || n != 2 {
		t.Errorf("no totalSetSize, 2 rows: n %d, err %v", n, err)
	}
	if _, err := c.CountEnvelopesSentBy(context.Background(), acct, "", from, to); err == nil {
		t.Error("a search without a sender was sent: it would count only the caller's envelopes")
	}
}

// A search that still returns other people's envelopes despite folder_types is counted by its
// rows' senders, page by page; a row without a sender is an error, never a guess.
func TestSentEnvelopesCountsRowsWhenTheNarrowingFails(t *testing.T) {
	rows := []string{"u-2", "u-1", "u-1", "u-3", "u-1"} // u-1 sent 3 of the 5 its search returns
	noSender := false
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		start, _ := strconv.Atoi(cl.Query.Get("start_position"))
		count, _ := strconv.Atoi(cl.Query.Get("count"))
		count = min(count, 2) // short pages, as if DocuSign capped them
		var items []string
		for i := start; i < min(len(rows), start+count); i++ {
			if noSender && i == 3 {
				items = append(items, `{"envelopeId":"e"}`)
				continue
			}
			items = append(items, fmt.Sprintf(`{"envelopeId":"e-%d","sender":{"userId":%q}}`, i, rows[i]))
		}
		w.Header().Set("X-RateLimit-Limit", "3000")
		w.Header().Set("X-RateLimit-Remaining", "2990")
		writeJSON(w, 200, fmt.Sprintf(`{"envelopes":[%s],"totalSetSize":"%d"}`, strings.Join(items, ","), len(rows)))
	})
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	n, err := c.SentEnvelopes(context.Background(), acct, "U-1", from, to)
	if err != nil || n.Count != 3 || !n.ByRows || n.Calls != 3 || n.RateLimit.Remaining != 2990 {
		t.Fatalf("count %+v, err %v; want 3 by rows in 3 calls (pages of 2)", n, err)
	}
	if q := f.Seen()[1].Query; q.Get("count") != strconv.Itoa(esign.MaxEnvelopePage) || q.Get("start_position") != "2" ||
		q.Get("folder_types") != "sentitems" || q.Get("user_id") != "U-1" {
		t.Errorf("row read query = %v", q)
	}
	// The whole set on the first page: counted from it, no further call.
	rows = []string{"u-1", "u-2"}
	if n, err := c.SentEnvelopes(context.Background(), acct, "u-1", from, to); err != nil || n.Count != 1 || n.Calls != 1 {
		t.Errorf("one page: %+v, %v", n, err)
	}
	// Rows that all name the user, or name nobody, leave totalSetSize the count.
	rows = []string{"u-1", "u-1", "u-1"}
	if n, err := c.SentEnvelopes(context.Background(), acct, "u-1", from, to); err != nil || n.Count != 3 || n.ByRows || n.Calls != 1 {
		t.Errorf("narrowed: %+v, %v", n, err)
	}
	rows = []string{"u-2", "u-1", "u-1", "u-3", "u-1"}
	noSender = true
	if _, err := c.SentEnvelopes(context.Background(), acct, "u-1", from, to); !errors.Is(err, esign.ErrEnvelopeSenderUnreadable) {
		t.Errorf("a row without a sender: err %v", err)
	}
}

func TestIsNotAccountMember(t *testing.T) {
	notMember := &transport.Error{API: transport.APIESign, Status: 400, Code: "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT"}
	for _, err := range []error{esign.ErrNotAccountMember, fmt.Errorf("wrapped: %w", esign.ErrNotAccountMember), notMember,
		&transport.Error{API: transport.APIESign, Status: 400, Code: "USER_LACKS_MEMBERSHIP"}} {
		if !esign.IsNotAccountMember(err) {
			t.Errorf("%v: not recognised", err)
		}
	}
	if esign.IsNotAccountMember(&transport.Error{API: transport.APIESign, Status: 400, Code: "USER_LACKS_PERMISSIONS"}) {
		t.Error("a permission refusal is not a missing membership")
	}
}

func TestErrorDetailsErr(t *testing.T) {
	var nilDetails *esign.ErrorDetails
	if nilDetails.Err("GET", "/x") != nil || (&esign.ErrorDetails{}).Err("GET", "/x") != nil {
		t.Error("empty errorDetails should be no error")
	}
	err := (&esign.ErrorDetails{ErrorCode: "INVALID_USERID", Message: "Invalid UserId."}).Err("DELETE", "/users")
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || apiErr.API != transport.APIESign || apiErr.Code != "INVALID_USERID" || apiErr.Method != "DELETE" {
		t.Errorf("Err = %#v", err)
	}
	if !errors.Is(err, esign.ErrUserNotFound) {
		t.Error("INVALID_USERID should count as not found")
	}
}

// exactCaseServer serves total users (user<i>@example.com, User7 spelled "USER7@Example.com") and
// an email filter that compares letter case, as DocuSign's might: the spec does not say.
func exactCaseServer(t *testing.T, total int) (*fake, *esign.Client) {
	emailOf := func(i int) string {
		if i == 7 {
			return "USER7@Example.com"
		}
		return fmt.Sprintf("user%d@example.com", i)
	}
	return newFake(t, func(cl call, w http.ResponseWriter) {
		start, _ := strconv.Atoi(cl.Query.Get("start_position"))
		count, _ := strconv.Atoi(cl.Query.Get("count"))
		type user struct {
			UserID string `json:"userId"`
			Email  string `json:"email"`
		}
		var all []user
		for i := range total {
			if e := cl.Query.Get("email"); e == "" || e == emailOf(i) {
				all = append(all, user{UserID: fmt.Sprintf("u-%03d", i), Email: emailOf(i)})
			}
		}
		end := min(start+count, len(all))
		page := map[string]any{
			"users": append([]user{}, all[min(start, end):end]...), "totalSetSize": strconv.Itoa(len(all)),
			"startPosition": strconv.Itoa(start), "endPosition": strconv.Itoa(end - 1),
		}
		if end < len(all) {
			page["nextUri"] = fmt.Sprintf("/users?start_position=%d", end)
		}
		b, _ := json.Marshal(page)
		writeJSON(w, 200, string(b))
	})
}

// An email filter that finds nobody is not taken as "nobody": the account's listing, compared
// without letter case, finds the user the filter missed.
func TestFindUsersWalksWhenTheFilterMayCompareCase(t *testing.T) {
	f, c := exactCaseServer(t, 250)
	users, err := c.FindUsersByEmail(context.Background(), acct, "user7@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0].UserID != "u-007" {
		t.Fatalf("found %v, want u-007", users)
	}
	seen := f.Seen()
	if len(seen) != 4 || seen[0].Query.Get("email") != "user7@example.com" || seen[1].Query.Get("email") != "" {
		t.Fatalf("calls %d (want the filter, then 3 pages without it)", len(seen))
	}
	// A true miss reads the whole (small) account and says nobody.
	users, err = c.FindUsersByEmail(context.Background(), acct, "nobody@example.com")
	if err != nil || len(users) != 0 {
		t.Fatalf("users %v, err %v", users, err)
	}
}

// Past 2,000 users the walk stops and says the answer is unconfirmed, never "nobody".
func TestFindUsersWalkIsBounded(t *testing.T) {
	f, c := exactCaseServer(t, 2050)
	_, err := c.FindUsersByEmail(context.Background(), acct, "nobody@example.com")
	var unconfirmed *esign.UnconfirmedEmailError
	if !errors.As(err, &unconfirmed) || unconfirmed.Read != 2000 {
		t.Fatalf("err = %v, want an UnconfirmedEmailError after 2,000 users", err)
	}
	if !strings.Contains(err.Error(), "nobody@example.com") || !strings.Contains(err.Error(), "by ID") {
		t.Errorf("message %q names neither the address nor the way out", err)
	}
	if got := len(f.Seen()); got != 21 {
		t.Errorf("calls = %d, want the filter and 20 pages", got)
	}
}

// Once a filter answers with another spelling of its address, it plainly ignores letter case, and
// a later miss is believed without a walk.
func TestFindUsersLearnsTheFilterIgnoresCase(t *testing.T) {
	f, c := newFake(t, func(cl call, w http.ResponseWriter) {
		if strings.EqualFold(cl.Query.Get("email"), "ann@example.com") {
			writeJSON(w, 200, `{"users":[{"userId":"u-1","email":"Ann@Example.com"}],"totalSetSize":"1","startPosition":"0","endPosition":"0"}`)
			return
		}
		writeJSON(w, 200, `{"users":[],"totalSetSize":"0","startPosition":"0","endPosition":"-1"}`)
	})
	if users, err := c.FindUsersByEmail(context.Background(), acct, "ann@example.com"); err != nil || len(users) != 1 {
		t.Fatalf("users %v, err %v", users, err)
	}
	if users, err := c.FindUsersByEmail(context.Background(), acct, "nobody@example.com"); err != nil || len(users) != 0 {
		t.Fatalf("users %v, err %v", users, err)
	}
	if got := len(f.Seen()); got != 2 {
		t.Errorf("calls = %d, want 2: no walk once the filter showed it ignores case", got)
	}
}
