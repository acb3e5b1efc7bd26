// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Command chaos is `make chaos`: the full-size fault run, with the real terraform CLI
// and the provider built from this tree, against the in-process emulator.
//
//  1. Faults: 200 docusign_closed_user plus the subscriptions and consumption data sources, under
//     throttle_rate 0.3 (the emulator alternates the 429 and the 400 *_APIINVOCATION_LIMIT_EXCEEDED
//     forms), error_rate 0.2 (5xx) and token_ttl_seconds 5. Zero errors, every user closed exactly
//     once, the next plan empty.
//  2. Crash and resume: 300 closures, terraform (and its provider) SIGKILLed mid-apply once the
//     emulator has seen some closures, then apply again: all closed exactly once, state matches
//     the emulator, the plan after is empty.
//  3. Partition: 50 closures through a proxy that stops answering (it accepts every
//     request and never replies), at default settings. The apply must fail, in under 2 minutes;
//     the time to fail is reported. Then the network heals and the next apply must converge: all
//     closed exactly once, state matches, the plan after is empty; the time to converge is
//     reported.
//
// It prints a summary per scenario and exits non-zero when any check fails.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/hostile"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

func main() {
	faultN := flag.Int("closures", 200, "closures in the fault scenario")
	crashN := flag.Int("crash-closures", 300, "closures in the crash-and-resume scenario")
	partitionN := flag.Int("partition-closures", 50, "closures in the partition scenario")
	only := flag.String("only", "", "run only these scenarios (comma-separated): faults, crash, partition")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "emulator fault seed, to replay a run")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()

	tmp, err := os.MkdirTemp("", "docusign-chaos-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	fmt.Println("building the provider…")
	providerDir, err := tfrun.BuildProvider(ctx, filepath.Join(tmp, "bin"))
	if err != nil {
		fail(err)
	}

	ok := true
	fmt.Printf("seed %d\n\n", *seed)
	runs := func(name string) bool { return *only == "" || strings.Contains(","+*only+",", ","+name+",") }
	if runs("faults") {
		r1 := faultScenario(ctx, providerDir, filepath.Join(tmp, "faults"), *faultN, *seed)
		r1.print()
		ok = ok && r1.ok()
	}
	if runs("crash") {
		r2 := crashScenario(ctx, providerDir, filepath.Join(tmp, "crash"), *crashN, *seed)
		r2.print()
		ok = ok && r2.ok()
	}
	if runs("partition") {
		r3 := partitionScenario(ctx, providerDir, filepath.Join(tmp, "partition"), *partitionN, *seed)
		r3.print()
		ok = ok && r3.ok()
	}
	if !ok {
		fmt.Println("\nchaos: FAIL")
		os.Exit(1)
	}
	fmt.Println("\nchaos: PASS")
}

// result is one scenario's figures.
type result struct {
	name        string
	closures    int
	stats       emulator.Stats
	successful  int64
	unauthorize int64
	errors      []string
	wall        time.Duration
	notes       []string
}

func (r *result) ok() bool { return len(r.errors) == 0 }

func (r *result) print() {
	fmt.Printf("== %s ==\n", r.name)
	fmt.Printf("  %-40s %d\n", "closures", r.closures)
	fmt.Printf("  %-40s %d\n", "operations (API requests)", r.stats.Total)
	fmt.Printf("  %-40s %d\n", "successful requests", r.successful)
	fmt.Printf("  %-40s %d\n", "injected faults (throttles+5xx+drops)", r.stats.InjectedFaults)
	fmt.Printf("  %-40s %d\n", "throttled (429 and 400 forms)", r.stats.Throttled)
	fmt.Printf("  %-40s %d\n", "401 answers (expired tokens)", r.unauthorize)
	fmt.Printf("  %-40s %d\n", "token grants", r.stats.TokenGrants)
	fmt.Printf("  %-40s %d\n", "retries (total - successful)", int64(r.stats.Total)-r.successful)
	fmt.Printf("  %-40s %d\n", "errors", len(r.errors))
	fmt.Printf("  %-40s %s\n", "wall time (applies, plan, checks)", r.wall.Round(100*time.Millisecond))
	for _, n := range r.notes {
		fmt.Printf("  %s\n", n)
	}
	for _, e := range r.errors {
		fmt.Printf("  ERROR: %s\n", e)
	}
	res := "PASS"
	if !r.ok() {
		res = "FAIL"
	}
	fmt.Printf("  %-40s %s\n\n", "result", res)
}

// env is one emulator with a status-counting middleware and a terraform workspace.
type env struct {
	srv        *emulator.Server
	ws         *tfrun.Workspace
	users      []string
	successful atomic.Int64
	unauth     atomic.Int64
}

// envOptions: through puts a proxy between the provider and the emulator (its URL replaces the
// emulator's in the provider block); closuresOnly leaves the data sources out.
type envOptions struct {
	through      func(emulatorURL string) (string, error)
	closuresOnly bool
}

func newEnv(providerDir, dir string, n int, seed uint64, opts ...envOptions) (*env, error) {
	var o envOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	fixture, err := fixtures.Demo()
	if err != nil {
		return nil, err
	}
	fixture.Generate = fixtures.GeneratedLeavers(n)
	e := &env{}
	e.srv, err = emulator.StartWithHandler(fixture, emulator.Options{Seed: seed}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w}
			h.ServeHTTP(sw, r)
			switch {
			case strings.HasPrefix(r.URL.Path, "/_emulator"):
			case sw.status == http.StatusUnauthorized:
				e.unauth.Add(1)
			case sw.status != 0 && sw.status < 400:
				e.successful.Add(1)
			}
		})
	})
	if err != nil {
		return nil, err
	}
	if e.users, err = fixtures.ActiveGenerated(e.srv, demoorg.SalesAccount, n); err != nil {
		return nil, err
	}
	e.ws, err = tfrun.NewWorkspace(dir, providerDir)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if o.through != nil {
		base, err := o.through(e.srv.URL)
		if err != nil {
			return nil, err
		}
		b.WriteString(demoorg.ProviderConfig(base, base+"/Management"))
	} else {
		b.WriteString(demoorg.ProviderConfig(e.srv.OAuthBaseURL, e.srv.AdminBaseURL,
			"# A call meets a fault with probability 0.44 here; 20 retries make giving up vanishingly rare.",
			"max_retries      = 20"))
	}
	if !o.closuresOnly {
		fmt.Fprintf(&b, `
data "docusign_subscriptions" "all" {
  organization_id = %q
}

data "docusign_consumption" "cycle" {
  organization_id       = %q
  contract_start_date   = "2024-01-31"
  renewal_period_months = 12
}
`, demoorg.OrgID, demoorg.OrgID)
	}
	for i, id := range e.users {
		fmt.Fprintf(&b, "\nresource \"docusign_closed_user\" \"u%03d\" {\n  account_id = %q\n  user_id    = %q\n}\n", i, demoorg.SalesAccount, id)
	}
	return e, e.ws.Write("main.tf", b.String())
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

// Hijack keeps the emulator's dropped connections working through the middleware.
func (s *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := s.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("hijacking is not supported")
}

// closed counts the users whose Sales membership is closed; once is false when any was closed
// more than once or not at all.
func (e *env) closed() (closed int, once bool, detail []string) {
	once = true
	for _, id := range e.users {
		u, _ := e.srv.User(id)
		for _, m := range u.Memberships {
			if !strings.EqualFold(m.AccountID, demoorg.SalesAccount) {
				continue
			}
			if m.Status == "Closed" {
				closed++
			}
			if m.Closures != 1 {
				once = false
				if len(detail) < 5 {
					detail = append(detail, fmt.Sprintf("%s closed %d times", u.Email, m.Closures))
				}
			}
		}
	}
	return closed, once, detail
}

// converged checks the emulator and the state agree and the next plan is empty.
func (e *env) converged(ctx context.Context, r *result) {
	n, once, detail := e.closed()
	if n != len(e.users) || !once {
		r.errors = append(r.errors, fmt.Sprintf("emulator: %d of %d closed; not exactly once: %s", n, len(e.users), strings.Join(detail, ", ")))
	} else {
		r.notes = append(r.notes, fmt.Sprintf("emulator: all %d users closed, each exactly once", n))
	}
	inState, err := e.ws.ClosedUserIDs(ctx)
	if err != nil {
		r.errors = append(r.errors, err.Error())
	} else {
		missing := 0
		for _, id := range e.users {
			if !inState[strings.ToLower(id)] {
				missing++
			}
		}
		if missing > 0 || len(inState) != len(e.users) {
			r.errors = append(r.errors, fmt.Sprintf("state: %d closed users, %d of the emulator's closures missing", len(inState), missing))
		} else {
			r.notes = append(r.notes, fmt.Sprintf("state: %d closed users, matching the emulator", len(inState)))
		}
	}
	if out, err := e.ws.Run(ctx, "plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		r.errors = append(r.errors, fmt.Sprintf("the next plan is not empty: %v\n%s", err, tfrun.Tail(out, 3000)))
	} else {
		r.notes = append(r.notes, "next plan: empty (terraform plan -detailed-exitcode = 0)")
	}
}

func faultScenario(ctx context.Context, providerDir, dir string, n int, seed uint64) *result {
	r := &result{name: "faults: closures + subscriptions + consumption under throttle 0.3, 5xx 0.2, 5 s tokens", closures: n}
	e, err := newEnv(providerDir, dir, n, seed)
	if err != nil {
		r.errors = append(r.errors, err.Error())
		return r
	}
	defer e.srv.Close()
	e.srv.SetFaults(emulator.Faults{ThrottleRate: 0.3, ErrorRate: 0.2, TokenTTLSeconds: 5})
	start := time.Now()
	out, err := e.ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		r.errors = append(r.errors, fmt.Sprintf("apply: %v", err))
	} else if strings.Contains(out, "Error:") {
		r.errors = append(r.errors, "apply printed an error:\n"+tfrun.Tail(out, 3000))
	}
	// The check of convergence runs under the same faults: the refresh must survive them too.
	e.converged(ctx, r)
	r.wall = time.Since(start)
	r.stats, r.successful, r.unauthorize = e.srv.Stats(), e.successful.Load(), e.unauth.Load()
	return r
}

func crashScenario(ctx context.Context, providerDir, dir string, n int, seed uint64) *result {
	r := &result{name: "crash and resume: SIGKILL mid-apply, then apply again", closures: n}
	e, err := newEnv(providerDir, dir, n, seed)
	if err != nil {
		r.errors = append(r.errors, err.Error())
		return r
	}
	defer e.srv.Close()
	// Slow answers stretch the apply so the kill lands in the middle.
	e.srv.SetFaults(emulator.Faults{LatencyMS: 100})
	start := time.Now()
	cmd := e.ws.Command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // kill terraform and the provider together
	if err := cmd.Start(); err != nil {
		r.errors = append(r.errors, err.Error())
		return r
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	threshold := max(1, n/5)
	killed := false
	for !killed {
		select {
		case err := <-done:
			r.errors = append(r.errors, fmt.Sprintf("terraform apply ended before the kill (%v):\n%s", err, tfrun.Tail(out.String(), 3000)))
			return r
		case <-time.After(10 * time.Millisecond):
			if c, _, _ := e.closed(); c >= threshold {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done //nolint:errcheck // the kill ends apply with an error, which is the point
				killed = true
			}
		}
	}
	time.Sleep(300 * time.Millisecond) // calls already in flight still land
	atKill, _, _ := e.closed()
	stateAtKill, _ := e.ws.ClosedUserIDs(ctx)
	r.notes = append(r.notes, fmt.Sprintf("SIGKILL after %s: emulator had closed %d of %d, state held %d",
		time.Since(start).Round(100*time.Millisecond), atKill, n, len(stateAtKill)))

	e.srv.SetFaults(emulator.Faults{})
	if _, err := e.ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		r.errors = append(r.errors, fmt.Sprintf("apply after the crash: %v", err))
	}
	e.converged(ctx, r)
	r.wall = time.Since(start)
	r.stats, r.successful, r.unauthorize = e.srv.Stats(), e.successful.Load(), e.unauth.Load()
	return r
}

func partitionScenario(ctx context.Context, providerDir, dir string, n int, seed uint64) *result {
	r := &result{name: "partition: the proxy to DocuSign stops answering before the apply, default settings", closures: n}
	var proxy *hostile.Proxy
	e, err := newEnv(providerDir, dir, n, seed, envOptions{closuresOnly: true, through: func(target string) (string, error) {
		var err error
		proxy, err = hostile.New(target)
		if err != nil {
			return "", err
		}
		return proxy.URL, nil
	}})
	if err != nil {
		r.errors = append(r.errors, err.Error())
		return r
	}
	defer e.srv.Close()
	defer proxy.Close()
	start := time.Now()
	proxy.SetMode(hostile.Blackhole)
	out, err := e.ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	toFail := time.Since(start)
	const failBound = 2 * time.Minute
	switch {
	case err == nil:
		r.errors = append(r.errors, "the apply succeeded while DocuSign answered nothing")
	case toFail > failBound:
		r.errors = append(r.errors, fmt.Sprintf("the partitioned apply took %s to fail, over %s", toFail.Round(time.Second), failBound))
	}
	errorLines := strings.Count(out, "Error:")
	r.notes = append(r.notes, fmt.Sprintf("time to fail under the partition: %s (limit %s), %d errors reported, %d requests held by the proxy at the end",
		toFail.Round(100*time.Millisecond), failBound, errorLines, proxy.Held()))
	closedDuring, _, _ := e.closed()
	r.notes = append(r.notes, fmt.Sprintf("closed at DocuSign during the partition: %d of %d", closedDuring, n))

	proxy.Heal()
	healed := time.Now()
	if _, err := e.ws.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		r.errors = append(r.errors, fmt.Sprintf("apply after the partition healed: %v", err))
	}
	toConverge := time.Since(healed)
	r.notes = append(r.notes, fmt.Sprintf("time to converge after healing (one apply): %s", toConverge.Round(100*time.Millisecond)))
	e.converged(ctx, r)
	r.wall = time.Since(start)
	r.stats, r.successful, r.unauthorize = e.srv.Stats(), e.successful.Load(), e.unauth.Load()
	return r
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "chaos:", err)
	os.Exit(1)
}
