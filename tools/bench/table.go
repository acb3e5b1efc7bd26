// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

// row is one line of the result table.
type row struct {
	target, measured, limit string
	pass                    bool
	info                    bool // informational: never fails the run
}

func (b *bench) add(r row) { b.rows = append(b.rows, r) }

func (b *bench) count(st emulator.Stats) {
	b.totalCalls += st.Total
	b.totalFaults += st.InjectedFaults
}

// breakdown names the routes of a stats snapshot, most frequent first.
func breakdown(st emulator.Stats) string {
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range st.Requests {
		kvs = append(kvs, kv{short(k), v})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	parts := make([]string, len(kvs))
	for i, p := range kvs {
		parts[i] = fmt.Sprintf("%d %s", p.v, p.k)
	}
	return strings.Join(parts, ", ")
}

func short(route string) string {
	r := strings.ReplaceAll(route, "/restapi/v2.1/accounts/{accountId}", "…")
	r = strings.ReplaceAll(r, "/Management/v2/organizations/{organizationId}", "org…")
	r = strings.ReplaceAll(r, "/Management/v2/organizations", "orgs")
	return r
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }

func (b *bench) report() error {
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tmeasured\tlimit\tresult")
	failed := 0
	for _, r := range b.rows {
		res := "pass"
		switch {
		case r.info && r.pass:
			res = "pass (info)"
		case r.info:
			res = "over (info)"
		case !r.pass:
			res = "FAIL"
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.target, r.measured, r.limit, res)
	}
	tw.Flush()
	fmt.Printf("\nAPI calls in measured runs: %d; injected faults: %d (none configured); elapsed: %s\n",
		b.totalCalls, b.totalFaults, time.Since(b.started).Round(time.Millisecond))
	for _, n := range b.notes {
		fmt.Println("note:", n)
	}
	if failed > 0 {
		return fmt.Errorf("%d target(s) failed", failed)
	}
	return nil
}
