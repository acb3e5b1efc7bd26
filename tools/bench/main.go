// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Command bench runs the scripted terraform part of `make bench`: one terraform run per
// performance target, each against its own in-process DocuSign emulator, ending in one table.
// README.md lists the scenarios and targets and says how each is measured.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

var (
	flagOnly              = flag.String("only", "", "run only these scenarios (comma-separated): closures, bulk-ids, bulk-emails, scale, consumption, activity, export, bulk-close, memory")
	flagKeep              = flag.Bool("keep", false, "keep the work directory")
	flagVerbose           = flag.Bool("v", false, "print terraform output and per-token call counts")
	flagClosures          = flag.Int("closures", 500, "docusign_closed_user resources in the closures scenario")
	flagBulk              = flag.Int("bulk", 1000, "users in the docusign_closed_users scenarios (at most 1024: terraform's range limit)")
	flagScaleAccounts     = flag.Int("scale-accounts", 10, "accounts in the scale scenario")
	flagScaleUsers        = flag.Int("scale-users", 2000, "generated users per account in the scale scenario")
	flagPairs             = flag.Int("pairs", 3, "terraform_data/closures apply pairs timed for the overhead target (median ratio)")
	flagSenders           = flag.Int("senders", 500, "members who send envelopes in the consumption scenario's account")
	flagActivityUsers     = flag.Int("activity-users", 100, "users per account (10 accounts) in the activity scenario")
	flagActivitySends     = flag.Int("activity-sends", 50, "envelopes each user sent in the activity scenario's 90-day window")
	flagExportMemberships = flag.Int("export-memberships", 100000, "memberships in the export scenario")
	flagExportAccounts    = flag.Int("export-accounts", 50, "accounts in the export scenario")
	flagBulkClose         = flag.Int("bulk-close", 5000, "users closed in the bulk-close scenario")
)

type bench struct {
	work        string // scratch directory
	pluginDir   string // what dev_overrides points at: the PID-recording wrapper
	realBinary  string
	pidFile     string
	rows        []row
	notes       []string
	totalCalls  int
	totalFaults int
	started     time.Time
}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
}

func run() error {
	ctx := context.Background()
	b := &bench{started: time.Now()}
	work, err := os.MkdirTemp("", "docusign-bench-")
	if err != nil {
		return err
	}
	b.work = work
	if *flagKeep {
		fmt.Println("work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	if err := b.buildProvider(ctx); err != nil {
		return err
	}

	scenarios := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"closures", b.closures},
		{"bulk-ids", b.bulkIDs},
		{"bulk-emails", b.bulkEmails},
		{"scale", b.scale},
		{"consumption", b.consumption},
		{"activity", b.activity},
		{"export", b.exportScale},
		{"bulk-close", b.bulkClose},
		{"memory", b.memory},
	}
	only := map[string]bool{}
	for _, s := range strings.Split(*flagOnly, ",") {
		if s = strings.TrimSpace(s); s != "" {
			only[s] = true
		}
	}
	for _, s := range scenarios {
		if len(only) > 0 && !only[s.name] {
			continue
		}
		fmt.Fprintf(os.Stderr, "==> %s\n", s.name)
		t0 := time.Now()
		if err := s.fn(ctx); err != nil {
			b.rows = append(b.rows, row{target: s.name + ": scenario ran", measured: "error", limit: "no error"})
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", s.name, err)
		}
		fmt.Fprintf(os.Stderr, "    %s took %s\n", s.name, time.Since(t0).Round(time.Millisecond))
	}
	return b.report()
}

// buildProvider compiles the provider once and puts a PID-recording wrapper where terraform
// looks for it.
func (b *bench) buildProvider(ctx context.Context) error {
	realDir := filepath.Join(b.work, "provider")
	b.pluginDir = filepath.Join(b.work, "plugins")
	b.pidFile = filepath.Join(b.work, "provider-pids")
	for _, d := range []string{realDir, b.pluginDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "==> building the provider")
	if _, err := tfrun.BuildProvider(ctx, realDir); err != nil {
		return err
	}
	b.realBinary = filepath.Join(realDir, "terraform-provider-docusign")
	// With BENCH_PROVIDER_LOG set, the provider's stderr (its SDK log lines, which terraform reads
	// and filters) is also appended to that file; terraform still gets every line.
	wrapper := fmt.Sprintf(`#!/usr/bin/env bash
echo $$ >> %q
if [ -n "$BENCH_PROVIDER_LOG" ]; then
  exec %q "$@" 2> >(tee -a "$BENCH_PROVIDER_LOG" >&2)
fi
exec %q "$@"
`, b.pidFile, b.realBinary, b.realBinary)
	return os.WriteFile(filepath.Join(b.pluginDir, "terraform-provider-docusign"), []byte(wrapper), 0o755)
}
