// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

// These tests run the client against the in-process emulator: the same wire format, JWT checks,
// paging and errors the provider meets, with call counts read from the emulator's stats.

const (
	testIK     = demoorg.IntegrationKey
	testKID    = demoorg.KeyPairID
	testAdmin  = demoorg.AdminUserID
	testOrg    = demoorg.OrgID
	testSales  = demoorg.SalesAccount
	testLegal  = demoorg.LegalAccount
	fullScopes = demoorg.Scopes
)

var testdata = demoorg.Testdata

func testKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile(testdata("keys", "rsa2048.pkcs1.key"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func startEmulator(t testing.TB, f *emulator.Fixture, opts emulator.Options) *emulator.Server {
	t.Helper()
	if f == nil {
		var err error
		if f, err = emulator.LoadFixture(testdata("emulator", "demo-org.json")); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := emulator.Start(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t testing.TB, srv *emulator.Server, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		OAuthBaseURL: srv.OAuthBaseURL, AdminBaseURL: srv.AdminBaseURL, IntegrationKey: testIK, UserID: testAdmin,
		KeyPairID: testKID, Key: testKey(t), Scopes: strings.Fields(fullScopes), UserAgent: "terraform-provider-docusign/test",
	}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func userID(t testing.TB, srv *emulator.Server, email string) string {
	t.Helper()
	u, ok := srv.UserByEmail(email)
	if !ok {
		t.Fatalf("no user %s", email)
	}
	return u.ID
}

func status(t testing.TB, srv *emulator.Server, id, account string) (string, int) {
	t.Helper()
	u, _ := srv.User(id)
	for _, m := range u.Memberships {
		if m.AccountID == account {
			return m.Status, m.Closures
		}
	}
	t.Fatalf("user %s has no membership in %s", id, account)
	return "", 0
}

func TestConcurrentClosesShareOneGrantAndFewCalls(t *testing.T) {
	const n = 60
	fixture, _ := emulator.LoadFixture(testdata("emulator", "demo-org.json"))
	for i := range n {
		fixture.Users = append(fixture.Users, emulator.User{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Email: fmt.Sprintf("wave%d@opensam.example", i), UserName: "Wave",
			Memberships: []emulator.Membership{{AccountID: testSales, Status: "Active"}},
		})
	}
	srv := startEmulator(t, fixture, emulator.Options{})
	// All n run at once and the window outlasts any machine's delay, so they share one call.
	c := newClient(t, srv, func(cfg *Config) { cfg.CloseConcurrency, cfg.CloseBatchWindow = n, time.Minute })
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := c.closer.Close(context.Background(), testSales, fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
			if err == nil {
				err = res.Err
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		if s, closures := status(t, srv, fmt.Sprintf("00000000-0000-4000-8000-%012d", i), testSales); s != "Closed" || closures != 1 {
			t.Fatalf("user %d: %s after %d closures", i, s, closures)
		}
	}
	stats := srv.Stats()
	if stats.TokenGrants != 1 || stats.Requests["GET /oauth/userinfo"] != 1 {
		t.Errorf("grants %d, userinfo %d: want one of each", stats.TokenGrants, stats.Requests["GET /oauth/userinfo"])
	}
	if deletes := stats.Requests["DELETE /restapi/v2.1/accounts/{accountId}/users"]; deletes != 1 {
		t.Errorf("%d concurrent closes took %d DELETE calls; they should share one", n, deletes)
	}
}

func TestCloseUnknownUserIsThatUsersError(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	alex := userID(t, srv, "alex.leaver@opensam.example")
	results, err := c.CloseMany(context.Background(), testSales, []string{alex, "00000000-0000-4000-8000-00000000dead"})
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Err != nil || !errors.Is(results[1].Err, esign.ErrUserNotFound) {
		t.Fatalf("results: %+v", results)
	}
	if s, _ := status(t, srv, alex, testSales); s != "Closed" {
		t.Fatalf("alex is %s", s)
	}
}

func TestDirectoryServesRefreshFromOneListing(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	ids := []string{userID(t, srv, "alex.leaver@opensam.example"), userID(t, srv, "jamie.leaver@opensam.example"), userID(t, srv, "test.user1@opensam.example")}
	if _, err := c.CloseMany(ctx, testSales, ids); err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	fresh := newClient(t, srv)
	for _, id := range ids {
		u, err := fresh.directory.User(ctx, testSales, id)
		if err != nil || !u.IsClosed() {
			t.Fatalf("%s: %v %+v", id, err, u)
		}
	}
	if got := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}/users"]; got != 1 {
		t.Errorf("three lookups made %d list calls, want 1", got)
	}
	if got := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}/users/{userId}"]; got != 0 {
		t.Errorf("closed users were fetched one by one (%d GETs)", got)
	}
}

// Under users_self_only and users_list_hides_closed together, the directory still tells closed,
// open and unknown users apart.
func TestDirectoryWhenUsersAreSelfOnly(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	srv.SetBehaviour(emulator.Behaviour{UsersSelfOnly: true, UsersListHidesClosed: true})
	c := newClient(t, srv)
	ctx := context.Background()
	alex, jamie := userID(t, srv, "alex.leaver@opensam.example"), userID(t, srv, "jamie.leaver@opensam.example")
	if _, err := c.CloseMany(ctx, testSales, []string{alex}); err != nil {
		t.Fatal(err)
	}
	fresh := newClient(t, srv)
	if u, err := fresh.directory.User(ctx, testSales, alex); err != nil || !u.IsClosed() {
		t.Fatalf("closed alex: %v %+v", err, u)
	}
	for _, id := range []string{jamie, userID(t, srv, "test.user1@opensam.example")} {
		if u, err := fresh.directory.User(ctx, testSales, id); err != nil || u.IsClosed() || !strings.EqualFold(u.UserID, id) {
			t.Fatalf("active %s: %v %+v", id, err, u)
		}
	}
	if _, err := fresh.directory.User(ctx, testSales, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, esign.ErrUserNotFound) {
		t.Errorf("unknown user: %v, want ErrUserNotFound", err)
	}
}

// Under users_list_hides_closed, emails of closed users still resolve.
func TestResolveEmailsFindsClosedUsers(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	srv.SetBehaviour(emulator.Behaviour{UsersListHidesClosed: true})
	c := newClient(t, srv)
	res, err := c.ResolveEmails(context.Background(), testSales, []string{"casey.closed@opensam.example", "alex.leaver@opensam.example"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Users) != 2 || len(res.Missing) != 0 || !res.Users["casey.closed@opensam.example"].IsClosed() {
		t.Errorf("resolution %+v", res)
	}
	users, err := c.ESign.FindUsersByEmail(context.Background(), testSales, "CASEY.closed@opensam.example")
	if err != nil || len(users) != 1 || !users[0].IsClosed() {
		t.Errorf("FindUsersByEmail: %v %+v", err, users)
	}
}

func TestResolveEmails(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	res, err := c.ResolveEmails(context.Background(), testLegal, []string{"jamie.leaver@opensam.example", "shared.inbox@opensam.example", "nobody@opensam.example"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res) == "" {
		t.Fatal("empty resolution")
	}
	calls := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}/users"]
	if calls > 2 {
		t.Errorf("resolving 3 emails in a small account took %d list calls", calls)
	}
}

func TestExpiredTokenIsRefreshedOnce(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := startEmulator(t, nil, emulator.Options{Now: clock, TokenTTL: time.Minute})
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.ESign.GetAccount(ctx, testSales); err != nil {
		t.Fatal(err)
	}
	// The emulator's clock jumps past the token's life while the client still trusts it.
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	if _, err := c.ESign.GetAccount(ctx, testSales); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if grants := srv.Stats().TokenGrants; grants != 2 {
		t.Errorf("grants = %d, want 2 (one refresh after the 401)", grants)
	}
}

func TestThrottlesAndServerErrorsAreRetried(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{Seed: 42})
	c := newClient(t, srv, func(cfg *Config) { cfg.MaxRetries = transport.Retries(30) })
	ctx := context.Background()
	if _, err := c.Tokens.Token(ctx); err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(emulator.Faults{ThrottleRate: 0.3, ErrorRate: 0.2})
	for i := range 10 {
		if _, err := c.ESign.ListUsers(ctx, testSales, esign.ListUsersQuery{Count: 5}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if srv.Stats().InjectedFaults == 0 {
		t.Fatal("no faults were injected; the test proves nothing")
	}
}

func TestRetryBudgetRunsOut(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv, func(cfg *Config) { cfg.MaxRetries = transport.Retries(2) })
	ctx := context.Background()
	if _, err := c.Tokens.UserInfo(ctx); err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(emulator.Faults{ErrorRate: 1})
	_, err := c.ESign.GetAccount(ctx, testSales)
	if !errors.Is(err, transport.ErrRetryBudget) {
		t.Fatalf("want the retry budget error, got %v", err)
	}
	if got := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}"]; got != 3 {
		t.Errorf("attempts = %d, want 3 (1 + 2 retries)", got)
	}
}

func TestCreateUserIsNotRetriedBlindly(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.Tokens.UserInfo(ctx); err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(emulator.Faults{DropRate: 1, DropMethods: []string{"POST"}})
	_, err := c.ESign.CreateUser(ctx, testSales, esign.NewUser{UserName: "New Hire", Email: "new.hire@opensam.example"})
	if !errors.Is(err, transport.ErrOutcomeUnknown) {
		t.Fatalf("want an unknown outcome, got %v", err)
	}
	if got := srv.Stats().Requests["POST /restapi/v2.1/accounts/{accountId}/users"]; got != 1 {
		t.Fatalf("POST sent %d times", got)
	}
	if users := srv.UsersByEmail("new.hire@opensam.example"); len(users) != 1 {
		t.Fatalf("want exactly one user created, got %d", len(users))
	}
}

func TestOAuthErrorsAreTyped(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	cases := map[string]struct {
		edit func(*Config)
		want error
	}{
		"not consented": {func(c *Config) { c.IntegrationKey = "c0ffee00-1111-4222-8333-444455556666"; c.KeyPairID = "" }, auth.ErrConsentRequired},
		"unknown key":   {func(c *Config) { c.IntegrationKey = "11111111-2222-4333-8444-555555555555" }, auth.ErrIssuerNotFound},
		"unknown user":  {func(c *Config) { c.UserID = "11111111-2222-4333-8444-555555555555" }, auth.ErrUserNotFound},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, srv, tc.edit)
			_, err := c.Tokens.Token(context.Background())
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if errors.Is(err, auth.ErrConsentRequired) && !strings.Contains(err.Error(), "/oauth/auth?") {
				t.Fatalf("consent error lacks the consent URL: %v", err)
			}
		})
	}
}

func TestAdminCloseAndReopen(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv)
	ctx := context.Background()
	jamie := userID(t, srv, "jamie.leaver@opensam.example")
	res, err := c.Admin.CloseMemberships(ctx, testOrg, jamie, []string{testSales, testLegal})
	if err != nil || len(res.Failed) != 0 || len(res.Unconfirmed) != 0 || len(res.Closed) != 2 {
		t.Fatalf("close: %v %+v", err, res)
	}
	p, err := c.Admin.ProfileByID(ctx, testOrg, jamie)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range p.Memberships {
		if !m.IsClosed() {
			t.Fatalf("membership %s is %s", m.AccountID, m.Status)
		}
		if m.AccountID == testLegal {
			if err := c.Admin.ActivateMembership(ctx, testOrg, jamie, m.ID, p.SiteID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s, _ := status(t, srv, jamie, testLegal); s != "Active" {
		t.Fatalf("legal membership is %s after activation", s)
	}
	users, err := c.Admin.ListAllUsers(ctx, testOrg, adminUsersQuery(testSales, 3))
	if err != nil || len(users) < 10 {
		t.Fatalf("paged org users: %d %v", len(users), err)
	}
}

func adminUsersQuery(accountID string, take int) admin.UsersQuery {
	return admin.UsersQuery{AccountID: accountID, Take: take}
}
