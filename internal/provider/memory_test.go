// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/hostile"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// TestAccHugeAnswersKeepTheProviderUnder512MB runs the built provider as its own process, which
// terraform attaches to, and has a hostile endpoint answer ten concurrent email lookups with
// 100 MiB of valid JSON each (a short document padded with spaces, chunked, so the size shows
// only while reading). Every lookup fails naming its route and the cap, none is retried, and
// the process's peak RSS (the kernel's VmHWM, read before it ends) stays under 512 MB: the
// transport's shared memory budget, not the per-answer cap alone, bounds what the ten hold.
// Before the budget the same run peaked at about 1.7 GB.
func TestAccHugeAnswersKeepTheProviderUnder512MB(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := tfrun.TerraformPath(); err != nil {
		t.Skip("terraform is not installed")
	}
	const lookups, size, limitMB = 10, 100 << 20, 512
	e := newPartitionEnv(t, 0)
	e.proxy.AddRule(hostile.Rule{Method: "GET", PathSuffix: "/users", Status: 200,
		Body: []byte(`{"users":[],"resultSetSize":"0","totalSetSize":"0"}`), Size: size, Chunked: true})

	ctx := context.Background()
	providerDir, err := tfrun.BuildProvider(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ws, err := tfrun.NewWorkspace(filepath.Join(t.TempDir(), "huge"), providerDir)
	if err != nil {
		t.Fatal(err)
	}
	var config strings.Builder
	config.WriteString(demoorg.ProviderConfig(e.proxy.URL, e.proxy.URL+"/Management"))
	for i := range lookups {
		fmt.Fprintf(&config, "\ndata \"docusign_user\" \"u%02d\" {\n  account_id = %q\n  email      = \"lookup%02d@opensam.example\"\n}\n", i, testSalesAccount, i)
	}
	if err := ws.Write("main.tf", config.String()); err != nil {
		t.Fatal(err)
	}
	// The provider's own memory settings (main.go) apply only when the environment sets none.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOMEMLIMIT=") && !strings.HasPrefix(kv, "GOGC=") {
			env = append(env, kv)
		}
	}
	p, err := tfrun.StartProvider(ctx, filepath.Join(providerDir, "terraform-provider-docusign"), env)
	if err != nil {
		t.Fatal(err)
	}
	ws.Env = append(ws.Env, p.Env())
	e.emu.ResetStats()
	out, planErr := ws.Run(ctx, "plan", "-input=false", "-no-color")
	peakKB, err := p.Stop()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("provider peak RSS under %d concurrent %d MiB answers: %d MB", lookups, size>>20, peakKB/1024)

	if planErr == nil {
		t.Fatalf("the plan succeeded on answers of %d MiB:\n%s", size>>20, tfrun.Tail(out, 2000))
	}
	tooLarge := regexp.MustCompile(`(?s)Unable\s+to\s+Find\s+User.*GET\s+/restapi/v2\.1/accounts/` + testSalesAccount +
		`/users:\s+DocuSign's\s+esignature\s+API\s+answered\s+with\s+more\s+than\s+64\s+MiB`)
	if got := strings.Count(out, "Unable to Find User"); got != lookups || !tooLarge.MatchString(out) {
		t.Errorf("%d lookups failed, want %d naming the route and the cap:\n%s", got, lookups, tfrun.Tail(out, 3000))
	}
	if strings.Count(out, "    ") > 10000 {
		t.Errorf("terraform's output quotes the padded answer")
	}
	route := "GET /restapi/v2.1/accounts/" + testSalesAccount + "/users"
	if got := e.proxy.Requests()[route]; got != lookups {
		t.Errorf("the hostile endpoint answered %d lookups, want %d: an over-cap answer is not retried", got, lookups)
	}
	// The lookups never reached the emulator: the endpoint answered in its place; the token and
	// userinfo calls went through it.
	stats := e.emu.Stats()
	for r, n := range stats.Requests {
		if strings.HasSuffix(r, "/users") && strings.HasPrefix(r, "GET") {
			t.Errorf("the emulator saw %d %s calls, want none", n, r)
		}
	}
	if stats.Requests["POST /oauth/token"] == 0 {
		t.Errorf("the emulator saw no token grant (%v): the provider never reached it", stats.Requests)
	}
	if peakKB <= 0 || peakKB/1024 >= limitMB {
		t.Errorf("provider peak RSS %d MB, want under %d MB", peakKB/1024, limitMB)
	}
}
