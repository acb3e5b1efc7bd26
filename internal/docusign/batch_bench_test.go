// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

// Benchmarks of the client and its batchers against the in-process emulator, run by `make bench`
// before tools/bench. Besides time and allocations each reports API calls per operation
// (calls/op, and calls/closure or calls/lookup where that is the unit of work), read from the
// emulator's stats, so a change that costs calls shows up here as well as in tools/bench.
//
// The emulator's rate limits are lifted: a benchmark runs its operation many times, far past
// DocuSign's 500 calls per 30 s, and a throttled retry would measure the back-off, not the client.

var unlimited = emulator.Options{HourlyLimit: 1 << 30, BurstLimit: 1 << 30}

const (
	deleteUsersRoute = "DELETE /restapi/v2.1/accounts/{accountId}/users"
	listUsersRoute   = "GET /restapi/v2.1/accounts/{accountId}/users"
	getUserRoute     = "GET /restapi/v2.1/accounts/{accountId}/users/{userId}"
)

// benchServer is the demo organization plus n leavers, active in the Sales account.
func benchServer(tb testing.TB, n int) *emulator.Server {
	tb.Helper()
	f, err := fixtures.DemoWithLeavers(testSales, n)
	if err != nil {
		tb.Fatal(err)
	}
	return startEmulator(tb, f, unlimited)
}

// closeAll closes the first n bench users through the Closer from concurrent goroutines, at most
// parallelism at a time (as terraform's -parallelism hands resources to the provider), and reports
// every close that fails.
func closeAll(tb testing.TB, c *Client, n, parallelism int) {
	slots := make(chan struct{}, parallelism)
	var wg sync.WaitGroup
	for i := range n {
		slots <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-slots; wg.Done() }()
			res, err := c.closer.Close(context.Background(), testSales, fixtures.LeaverID(i))
			if err == nil {
				err = res.Err
			}
			if err != nil {
				tb.Error(err)
			}
		}(i)
	}
	wg.Wait()
}

// reopen makes the bench users active again between iterations, out of band.
func reopen(b *testing.B, srv *emulator.Server, n int) {
	b.Helper()
	for i := range n {
		if err := srv.SetMembershipStatus(fixtures.LeaverID(i), testSales, "Active"); err != nil {
			b.Fatal(err)
		}
	}
}

// warm takes the token and userinfo outside the timed loop, so calls/op counts the work only.
// warmBench is a bench server with n leavers and a client that has already resolved its base
// URI, so the measured calls are the operation's own.
func warmBench(b *testing.B, n int) (*emulator.Server, *Client) {
	b.Helper()
	srv := benchServer(b, n)
	c := newClient(b, srv)
	if _, err := c.BaseURI(context.Background(), testSales); err != nil {
		b.Fatal(err)
	}
	return srv, c
}

func reportCalls(b *testing.B, srv *emulator.Server, unit string, perOp int) {
	st := srv.Stats()
	b.ReportMetric(float64(st.Total)/float64(b.N), "calls/op")
	if unit != "" && perOp > 0 {
		b.ReportMetric(float64(st.Total)/float64(b.N*perOp), "calls/"+unit)
	}
}

// BenchmarkCloser500Concurrent: 500 goroutines close one user each through the Closer, as 500
// docusign_closed_user resources would if terraform ran them all at once.
func BenchmarkCloser500Concurrent(b *testing.B) {
	const n = 500
	srv, c := warmBench(b, n)
	srv.ResetStats()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		reopen(b, srv, n)
		b.StartTimer()
		closeAll(b, c, n, n)
	}
	b.StopTimer()
	reportCalls(b, srv, "closure", n)
}

// BenchmarkCloserParallelism10 closes 500 users with at most 10 closes in flight, the way
// terraform's default -parallelism hands them to the provider: it measures how well the Closer
// fills batches from a trickle rather than a flood.
func BenchmarkCloserParallelism10(b *testing.B) {
	const n, parallelism = 500, 10
	srv, c := warmBench(b, n)
	srv.ResetStats()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		reopen(b, srv, n)
		b.StartTimer()
		closeAll(b, c, n, parallelism)
	}
	b.StopTimer()
	reportCalls(b, srv, "closure", n)
}

// BenchmarkCloseMany1000 closes 1,000 users in one call of CloseMany (docusign_closed_users).
func BenchmarkCloseMany1000(b *testing.B) {
	const n = 1000
	srv, c := warmBench(b, n)
	ids := fixtures.LeaverIDs(n)
	srv.ResetStats()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		reopen(b, srv, n)
		b.StartTimer()
		results, err := c.CloseMany(context.Background(), testSales, ids)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range results {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
	b.StopTimer()
	reportCalls(b, srv, "closure", n)
}

// BenchmarkResolveEmails resolves few and many emails in an account of about 1,000 users: few
// take per-email lookups, many take one listing of the account.
func BenchmarkResolveEmails(b *testing.B) {
	const users = 1000
	srv, c := warmBench(b, users)
	for _, n := range []int{5, 1000} {
		b.Run(fmt.Sprintf("emails=%d", n), func(b *testing.B) {
			emails := make([]string, n)
			for i := range emails {
				emails[i] = fixtures.LeaverEmail((i * 7919) % users) // spread over the listing
			}
			srv.ResetStats()
			b.ResetTimer()
			for range b.N {
				res, err := c.ResolveEmails(context.Background(), testSales, emails)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Users) != n {
					b.Fatalf("resolved %d of %d emails (missing %v)", len(res.Users), n, res.Missing)
				}
			}
			b.StopTimer()
			reportCalls(b, srv, "email", n)
		})
	}
}

// BenchmarkDirectoryRefresh500 is the refresh of 500 docusign_closed_user in one plan: a new
// Directory (one provider process) answers 500 concurrent lookups of closed users.
func BenchmarkDirectoryRefresh500(b *testing.B) {
	const n = 500
	srv, c := warmBench(b, n)
	for i := range n {
		if err := srv.SetMembershipStatus(fixtures.LeaverID(i), testSales, "Closed"); err != nil {
			b.Fatal(err)
		}
	}
	srv.ResetStats()
	b.ResetTimer()
	for range b.N {
		dir := NewDirectory(c.ESign)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				u, err := dir.User(context.Background(), testSales, fixtures.LeaverID(i))
				if err != nil {
					b.Error(err)
					return
				}
				if !u.IsClosed() {
					b.Errorf("user %d is %s", i, u.UserStatus)
				}
			}(i)
		}
		wg.Wait()
	}
	b.StopTimer()
	reportCalls(b, srv, "lookup", n)
}

// scaleServer is one organization of `accounts` accounts with `users` generated users each; the
// demo admin is an active administrator of every account and the organization.
func scaleServer(b *testing.B, accounts, users int) (*emulator.Server, []string) {
	b.Helper()
	f, err := fixtures.ScaleOrg(accounts, users)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, accounts)
	for i := range ids {
		ids[i] = fixtures.ScaleAccountID(i)
	}
	return startEmulator(b, f, unlimited), ids
}

// BenchmarkAdminListAllUsers pages through one account of 2,000 users with the Admin API.
func BenchmarkAdminListAllUsers(b *testing.B) {
	srv, accounts := scaleServer(b, 1, 2000)
	c := newClient(b, srv)
	warmScaleOrg(b, c)
	srv.ResetStats()
	b.ResetTimer()
	for range b.N {
		rows, err := c.Admin.ListAllUsers(context.Background(), testOrg, admin.UsersQuery{AccountID: accounts[0], IncludeLicense: true})
		if err != nil {
			b.Fatal(err)
		}
		if len(rows) != 2001 {
			b.Fatalf("%d rows", len(rows))
		}
	}
	b.StopTimer()
	reportCalls(b, srv, "", 0)
}

// BenchmarkSubscriptions20k is the read behind data.docusign_subscriptions at the scale target:
// 10 accounts of 2,000 users. calls/op must stay at the pages paging needs plus fixed calls.
func BenchmarkSubscriptions20k(b *testing.B) {
	srv, _ := scaleServer(b, 10, 2000)
	c := newClient(b, srv)
	warmScaleOrg(b, c)
	feed := &datafeed.Client{Admin: c.Admin, ESign: c.ESign}
	srv.ResetStats()
	peak := watchHeap()
	b.ResetTimer()
	for range b.N {
		r, err := feed.Subscriptions(context.Background(), datafeed.SubscriptionsQuery{OrganizationID: testOrg, IncludeClosed: true})
		if err != nil {
			b.Fatal(err)
		}
		if r.Total != 10*2001 {
			b.Fatalf("total %d", r.Total)
		}
	}
	b.StopTimer()
	// The heap peak above the idle heap (which holds the emulator's 20,000 users), sampled every
	// millisecond: what the listing and the report cost in memory before the provider converts
	// the report for terraform. The emulator's answers are in it too, so it is an upper bound.
	b.ReportMetric(peak(), "peak-heap-MB")
	reportCalls(b, srv, "", 0)
}

// watchHeap samples the live heap until the returned function is called, which reports the peak
// above the heap at the start, in MB.
func watchHeap() func() float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base := read()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	return func() float64 {
		close(stop)
		<-done
		if peak.Load() < base {
			return 0
		}
		return float64(peak.Load()-base) / (1 << 20)
	}
}

// warmScaleOrg takes the token and userinfo for the scale organization.
func warmScaleOrg(b *testing.B, c *Client) {
	b.Helper()
	info, err := c.Tokens.UserInfo(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if len(info.Accounts) == 0 || !strings.EqualFold(info.Accounts[0].AccountID, fixtures.ScaleAccountID(0)) {
		b.Fatalf("userinfo accounts: %+v", info.Accounts)
	}
}

// TestCloserFillsBatchesFromATrickle: closes arriving 10 at a time, as terraform's default
// parallelism hands them over, leave in batches of all 10 once the Closer has seen that many at
// once, instead of whatever a fixed window happens to catch. The test ends each window itself,
// once every close that can arrive has, so the count is exact on any machine; timing belongs to
// the benchmarks.
func TestCloserFillsBatchesFromATrickle(t *testing.T) {
	const n, parallelism = 100, 10
	srv := benchServer(t, n)
	c := newClient(t, srv)
	c.closer.afterWindow = func(_ time.Duration, flush func()) {
		go func() {
			for {
				c.closer.mu.Lock()
				waiting := c.closer.waiting
				c.closer.mu.Unlock()
				// Full, or already sent because the Closer learned the concurrency.
				if waiting >= parallelism || waiting == 0 {
					break
				}
				time.Sleep(time.Millisecond)
			}
			flush()
		}()
	}
	closeAll(t, c, n, parallelism)
	// The first batch teaches the Closer the concurrency; every later one leaves when it is full.
	if deletes := srv.Stats().Requests[deleteUsersRoute]; deletes != n/parallelism {
		t.Errorf("%d closes at parallelism %d took %d DELETE calls, want %d", n, parallelism, deletes, n/parallelism)
	}
}

// BenchmarkBulkClose5000 closes 5,000 users of one account through CloseManyPreferBulk (three
// imports: the spec allows 2,000 users of one account per import) and reports the calls of the
// plain path (the import's counts settle every row), of reading every row (no counts), and of
// each fallback and verification: no count and no readable row, the
// upload's answer lost (the import found by listing), a 5xx on the upload (the batches), an
// import timed out in the queue (sent again), and every import stuck in state unknown.
func BenchmarkBulkClose5000(b *testing.B) {
	const n = 5000
	defer func(first time.Duration) { JobFirstPoll = first }(JobFirstPoll)
	JobFirstPoll = 10 * time.Millisecond // calls are measured here, not DocuSign's processing time
	status := func(s string) []byte { return []byte(`{"status":"` + s + `"}`) }
	for _, bc := range []struct {
		name   string
		inject func(*emulator.Server) error
	}{
		{"counted", func(*emulator.Server) error { return nil }},
		{"rows-read", func(s *emulator.Server) error {
			return s.SetTampers(emulator.Tamper{Route: routeGetImport, Body: status("completed")})
		}},
		{"none-readable", func(s *emulator.Server) error {
			return s.SetTampers(emulator.Tamper{Route: routeGetImport, Body: status("completed")},
				emulator.Tamper{Route: routeImportCSV, Body: []byte(`"not a results file"`)})
		}},
		{"lost-answer", func(s *emulator.Server) error { return s.DropNext(routeCloseImport, 1) }},
		{"upload-5xx", func(s *emulator.Server) error { return s.FailNext(routeCloseImport, 1, 503) }},
		{"timed-out-queued", func(s *emulator.Server) error {
			return s.SetTampers(emulator.Tamper{Route: routeGetImport, Body: status("timed_out_queued"), Times: 1})
		}},
		{"unknown-state", func(s *emulator.Server) error {
			return s.SetTampers(emulator.Tamper{Route: routeGetImport, Body: status("unknown")})
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv, c := warmBench(b, n)
			ids := fixtures.LeaverIDs(n)
			srv.ResetStats()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				reopen(b, srv, n)
				if err := bc.inject(srv); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				results, err := c.CloseManyPreferBulk(context.Background(), testSales, ids, DefaultBulkCloseThreshold, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range results {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
				b.StopTimer()
				if err := srv.SetTampers(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.StopTimer()
			reportCalls(b, srv, "closure", n)
		})
	}
}
