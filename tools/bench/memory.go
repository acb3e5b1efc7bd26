// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/hostile"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

var (
	flagMemoryMemberships = flag.String("memory-memberships", "100000:150,300000:200",
		"memory scenario: memberships of each counts-only export read, with its peak RSS limit in MB")
	flagHugeAnswers  = flag.Int("huge-answers", 10, "memory scenario: concurrent email lookups answered by the hostile endpoint")
	flagHugeAnswerMB = flag.Int("huge-answer-mb", 100, "memory scenario: MiB of each hostile answer")
)

// memory: target 10, the provider process's peak RSS (the kernel's VmHWM of one provider
// process the bench starts and terraform attaches to) for a counts-only subscriptions read on
// the export path, and under concurrent huge answers from a hostile endpoint.
func (b *bench) memory(ctx context.Context) error {
	for _, spec := range strings.Split(*flagMemoryMemberships, ",") {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		n, limit, err := membershipSpec(spec)
		if err != nil {
			return err
		}
		if err := b.memoryExport(ctx, n, limit); err != nil {
			return err
		}
	}
	if *flagHugeAnswers <= 0 {
		return nil
	}
	return b.memoryHugeAnswers(ctx, *flagHugeAnswers, int64(*flagHugeAnswerMB)<<20)
}

func membershipSpec(spec string) (n, limitMB int, err error) {
	a, l, ok := strings.Cut(strings.TrimSpace(spec), ":")
	if n, err = strconv.Atoi(a); err != nil || !ok {
		return 0, 0, fmt.Errorf("-memory-memberships: %q is not memberships:limitMB", spec)
	}
	if limitMB, err = strconv.Atoi(l); err != nil {
		return 0, 0, fmt.Errorf("-memory-memberships: %q is not memberships:limitMB", spec)
	}
	return n, limitMB, nil
}

// attached runs one terraform command against a provider process of its own and returns the
// command's result and that process's peak RSS in MB. A failed command is returned with its
// error; the peak still counts.
func (b *bench) attached(ctx context.Context, ws *tfrun.Workspace, args ...string) (tfResult, float64, error) {
	p, err := tfrun.StartProvider(ctx, b.realBinary, os.Environ())
	if err != nil {
		return tfResult{}, 0, err
	}
	ws.Env = append(ws.Env, p.Env())
	res, runErr := b.terraform(ctx, ws, args...)
	kb, err := p.Stop()
	if err != nil {
		return res, 0, err
	}
	return res, float64(kb) / 1024, runErr
}

func (b *bench) memoryExport(ctx context.Context, memberships, limitMB int) error {
	accounts := *flagExportAccounts
	f, err := fixtures.LargeOrg(accounts, memberships)
	if err != nil {
		return err
	}
	e, err := startEmulator(f)
	if err != nil {
		return err
	}
	defer e.srv.Close()
	adminView, ok := e.srv.User(demoorg.AdminUserID)
	if !ok || len(adminView.Memberships) == 0 {
		return fmt.Errorf("the generated organization gave the admin no membership")
	}
	reading := "readable export"
	if err := e.readableExport(); err != nil {
		reading = "the emulator's default export"
	}
	name := fmt.Sprintf("memory-export-%d", memberships)
	ws, err := b.workspace(name)
	if err != nil {
		return err
	}
	hcl := providerBlock(e, adminView.Memberships[0].AccountID) + fmt.Sprintf(`
data "docusign_subscriptions" "org" {
  organization_id = %q
  include_closed  = true
  source          = "export"
  include_members = false
}

output "total" {
  value = data.docusign_subscriptions.org.total
}
`, demoorg.OrgID)
	if err := ws.Write("main.tf", hcl); err != nil {
		return err
	}
	e.reset()
	res, rssMB, err := b.attached(ctx, ws, "plan")
	if err != nil {
		return err
	}
	st, err := e.stats()
	if err != nil {
		return err
	}
	b.count(st)
	total := "?"
	if i := strings.Index(res.output, "total = "); i >= 0 {
		total = strings.Fields(res.output[i+len("total = "):])[0]
	}
	b.add(row{target: fmt.Sprintf("10. subscriptions counts only (include_members = false), %d memberships / %d accounts, export path: provider peak RSS", memberships, accounts),
		measured: fmt.Sprintf("%.0f MB (%s: %d calls, plan %s, total %s)", rssMB, reading, st.Total, secs(res.wall), total),
		limit:    fmt.Sprintf("< %d MB", limitMB), pass: rssMB > 0 && rssMB < float64(limitMB)})
	return nil
}

// readableExport turns on the export's alternative readings that the scale figures assume, as
// target 7 does: the emulator's own columns (plans) and closed memberships in the file, so the
// export alone answers the read. It goes through PUT /_emulator/behaviour by json name, so a
// build whose emulator lacks those switches refuses it and the row says which reading it took.
func (e *env) readableExport() error {
	req, err := http.NewRequest("PUT", e.srv.URL+"/_emulator/behaviour",
		strings.NewReader(`{"export_emulator_columns":true,"export_includes_closed":true}`))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("PUT /_emulator/behaviour: %s", resp.Status)
	}
	return nil
}

var tooLargeLine = regexp.MustCompile(`answered with [^,\n]*`)

// memoryHugeAnswers: n data.docusign_user email lookups at terraform's default parallelism,
// each answered by a hostile endpoint in DocuSign's place with size bytes of valid JSON (a short
// document padded with spaces), chunked so that the provider learns the size only by reading.
func (b *bench) memoryHugeAnswers(ctx context.Context, n int, size int64) error {
	e, err := startLeaverEmulator(0)
	if err != nil {
		return err
	}
	defer e.srv.Close()
	proxy, err := hostile.New(e.srv.URL)
	if err != nil {
		return err
	}
	defer proxy.Close()
	proxy.AddRule(hostile.Rule{Method: "GET", PathSuffix: "/users", Status: 200,
		Body: []byte(`{"users":[],"resultSetSize":"0","totalSetSize":"0"}`), Size: size, Chunked: true})

	ws, err := b.workspace("memory-huge-answers")
	if err != nil {
		return err
	}
	var hcl strings.Builder
	hcl.WriteString(demoorg.ProviderConfig(proxy.URL, proxy.URL+"/Management"))
	for i := range n {
		fmt.Fprintf(&hcl, "\ndata \"docusign_user\" \"u%02d\" {\n  account_id = %q\n  email      = \"lookup%02d@opensam.example\"\n}\n",
			i, demoorg.SalesAccount, i)
	}
	if err := ws.Write("main.tf", hcl.String()); err != nil {
		return err
	}
	t0 := time.Now()
	res, rssMB, err := b.attached(ctx, ws, "plan")
	took := time.Since(t0)
	outcome := "plan succeeded"
	if err != nil {
		outcome = "plan failed"
		if m := tooLargeLine.FindString(res.output); m != "" {
			outcome += ": " + m
		}
	}
	hostileCalls := 0
	for k, v := range proxy.Requests() {
		if strings.HasPrefix(k, "GET ") && strings.HasSuffix(k, "/users") {
			hostileCalls += v
		}
	}
	what := fmt.Sprintf("%d concurrent %d MiB answers (email lookups, hostile endpoint, chunked)", n, size>>20)
	b.add(row{target: "10. " + what + ": provider peak RSS",
		measured: fmt.Sprintf("%.0f MB", rssMB), limit: "< 512 MB", pass: rssMB > 0 && rssMB < 512})
	b.add(row{target: "10. (info) … what the lookups got, and how many reached the hostile endpoint",
		measured: fmt.Sprintf("%s; %d calls; %s", outcome, hostileCalls, secs(took)), limit: "-", pass: true, info: true})
	return nil
}
