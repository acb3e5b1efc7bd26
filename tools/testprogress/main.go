// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Command testprogress turns `go test -json` into progress a person can follow: one line per
// package as it finishes and, with -tests, one line per top-level test, instead of minutes of
// silence while the acceptance tests run. A failing test's whole output is printed when it
// fails. It exits non-zero when any test, package or build failed. Its lines keep `go test -v`'s
// own shapes ("--- PASS: TestX (1.20s)", "ok  \tpkg\t1.2s", a final PASS or FAIL), so whatever
// reads plain go test output reads this too.
//
//	go test -json ./... | go run ./tools/testprogress -tests
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

type progress struct {
	out       io.Writer
	tests     bool
	start     time.Time
	output    map[string][]string // by package + "\x00" + top-level test ("" for the package), until it ends
	failed    []string
	sawFailed bool
	counts    map[string]int // tests and subtests by final action: pass, fail, skip
}

func main() {
	tests := flag.Bool("tests", false, "print a line for every top-level test as it finishes, not only for packages")
	flag.Parse()
	p := &progress{out: os.Stdout, tests: *tests, start: time.Now(), output: map[string][]string{}, counts: map[string]int{}}
	if err := p.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		os.Exit(2)
	}
	if !p.summary() {
		os.Exit(1)
	}
}

func (p *progress) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event: compiler errors and other text go test prints as is.
			fmt.Fprintln(p.out, string(line))
			if strings.HasPrefix(string(line), "FAIL") {
				p.sawFailed = true
			}
			continue
		}
		p.handle(e)
	}
	return sc.Err()
}

func (p *progress) handle(e event) {
	key := e.Package + "\x00" + e.Test
	topLevel := e.Test != "" && !strings.Contains(e.Test, "/")
	switch e.Action {
	case "build-output":
		fmt.Fprint(p.out, e.Output)
	case "build-fail":
		p.sawFailed = true
	case "output":
		root := e.Package + "\x00" + rootTest(e.Test)
		p.output[root] = append(p.output[root], e.Output)
	case "pass", "skip", "fail":
		if e.Test == "" {
			p.packageDone(e)
			return
		}
		p.counts[e.Action]++
		if !topLevel {
			return
		}
		if e.Action == "fail" {
			p.failed = append(p.failed, e.Package+" "+e.Test)
			fmt.Fprintf(p.out, "%s--- FAIL: %s (%.2fs)\n", strings.Join(p.output[key], ""), e.Test, e.Elapsed)
		} else if p.tests {
			fmt.Fprintf(p.out, "--- %s: %s (%.2fs)\n", strings.ToUpper(e.Action), e.Test, e.Elapsed)
		}
		delete(p.output, key)
	}
}

func (p *progress) packageDone(e event) {
	key := e.Package + "\x00"
	defer delete(p.output, key)
	switch e.Action {
	case "fail":
		// The package's own output holds what failed outside any test: a panic, a timeout, TestMain.
		p.sawFailed = true
		fmt.Fprintf(p.out, "%sFAIL\t%s\t%.3fs\n", strings.Join(p.output[key], ""), e.Package, e.Elapsed)
	case "skip":
		fmt.Fprintf(p.out, "?   \t%s\t[no test files]\n", e.Package)
	default:
		fmt.Fprintf(p.out, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
	}
}

func (p *progress) elapsed() string { return time.Since(p.start).Round(time.Second).String() }

// summary lists the failures again at the end, where a person looks first.
func (p *progress) summary() bool {
	// The plain closing line CI reads to tell a run that tested something from one that did not.
	fmt.Fprintf(p.out, "tests: %d passed, %d failed, %d skipped in %s\n", p.counts["pass"], p.counts["fail"], p.counts["skip"], p.elapsed())
	if len(p.failed) == 0 && !p.sawFailed {
		fmt.Fprintln(p.out, "PASS")
		return true
	}
	sort.Strings(p.failed)
	fmt.Fprintf(p.out, "\nFAILED (%s):\n", p.elapsed())
	for _, f := range p.failed {
		fmt.Fprintln(p.out, "  "+f)
	}
	fmt.Fprintln(p.out, "FAIL")
	return false
}

func rootTest(name string) string {
	if i := strings.Index(name, "/"); i >= 0 {
		return name[:i]
	}
	return name
}
