// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

type loggerKey struct{}

// TestEveryCallIsLoggedOnTheCallersLogger: the provider's logger lives in the context Terraform
// hands each operation, so a call made on a context without it is invisible in TF_LOG. The token
// grant, userinfo, the shared closed-user listing and the batched closes run detached from their
// callers' cancellation; each must still log through a caller's context, one line per request the
// emulator saw, and no line may carry a secret.
func TestEveryCallIsLoggedOnTheCallersLogger(t *testing.T) {
	const n = 12
	fixture, _ := emulator.LoadFixture(testdata("emulator", "demo-org.json"))
	for i := range n {
		fixture.Users = append(fixture.Users, emulator.User{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Email: fmt.Sprintf("logged%d@opensam.example", i), UserName: "Logged",
			Memberships: []emulator.Membership{{AccountID: testSales, Status: "Active"}},
		})
	}
	srv := startEmulator(t, fixture, emulator.Options{})
	var mu sync.Mutex
	var logged, orphaned int
	var lines []string
	c := newClient(t, srv, func(cfg *Config) {
		cfg.Logger = func(ctx context.Context, msg string, fields map[string]any) {
			mu.Lock()
			defer mu.Unlock()
			if ctx.Value(loggerKey{}) == nil {
				orphaned++
				return
			}
			logged++
			lines = append(lines, fmt.Sprint(msg, fields))
		}
	})
	ctx := context.WithValue(context.Background(), loggerKey{}, "terraform's logger")

	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := c.closer.Close(ctx, testSales, fmt.Sprintf("00000000-0000-4000-8000-%012d", i)); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if _, err := c.directory.User(ctx, testSales, fmt.Sprintf("00000000-0000-4000-8000-%012d", 0)); err != nil {
		t.Fatal(err)
	}

	stats := srv.Stats()
	mu.Lock()
	defer mu.Unlock()
	if orphaned > 0 || logged != stats.Total {
		t.Errorf("the emulator saw %d requests (%v); %d were logged on the caller's context and %d on a context without its logger",
			stats.Total, stats.Requests, logged, orphaned)
	}
	tok, _ := c.Tokens.AccessToken(ctx)
	for _, l := range lines {
		if strings.Contains(l, tok) || strings.Contains(l, "assertion") || strings.Contains(l, "?") {
			t.Errorf("log line carries a secret or a query: %s", l)
		}
	}
}
