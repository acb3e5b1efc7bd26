// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/fixtures"
)

// tokenLedger groups API calls by access token. Every provider process takes its own token, so
// a token stands for one provider process that did work.
type tokenLedger struct {
	mu         sync.Mutex
	calls      map[string]int // by token
	userinfo   map[string]int // by token
	firstCall  time.Time
	lastAnswer time.Time
}

func newLedger() *tokenLedger {
	return &tokenLedger{calls: map[string]int{}, userinfo: map[string]int{}}
}

func (l *tokenLedger) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls, l.userinfo = map[string]int{}, map[string]int{}
	l.firstCall, l.lastAnswer = time.Time{}, time.Time{}
}

func (l *tokenLedger) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_emulator/") {
			next.ServeHTTP(w, r)
			return
		}
		now := time.Now()
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		l.mu.Lock()
		if l.firstCall.IsZero() {
			l.firstCall = now
		}
		if tok != "" {
			l.calls[tok]++
			if r.URL.Path == "/oauth/userinfo" {
				l.userinfo[tok]++
			}
		}
		l.mu.Unlock()
		next.ServeHTTP(w, r)
		l.mu.Lock()
		l.lastAnswer = time.Now()
		l.mu.Unlock()
	})
}

// snapshot returns the number of tokens used and the most userinfo calls any token made.
func (l *tokenLedger) snapshot() (tokens, maxUserinfo int, detail string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var parts []string
	for tok, n := range l.calls {
		tokens++
		maxUserinfo = max(maxUserinfo, l.userinfo[tok])
		parts = append(parts, fmt.Sprintf("%d calls/%d userinfo", n, l.userinfo[tok]))
	}
	sort.Strings(parts)
	return tokens, maxUserinfo, strings.Join(parts, "; ")
}

type env struct {
	srv    *emulator.Server
	ledger *tokenLedger
}

// startLeaverEmulator serves the demo organization with n leavers added to the Sales account.
func startLeaverEmulator(n int) (*env, error) {
	f, err := fixtures.DemoWithLeavers(demoorg.SalesAccount, n)
	if err != nil {
		return nil, err
	}
	return startEmulator(f)
}

func startEmulator(f *emulator.Fixture) (*env, error) {
	l := newLedger()
	srv, err := emulator.StartWithHandler(f, emulator.Options{}, l.wrap)
	if err != nil {
		return nil, err
	}
	return &env{srv: srv, ledger: l}, nil
}

func (e *env) reset() {
	e.srv.ResetStats()
	e.ledger.reset()
}

// stats reads the counters the way scripts do, through GET /_emulator/stats.
func (e *env) stats() (emulator.Stats, error) {
	var s emulator.Stats
	resp, err := http.Get(e.srv.URL + "/_emulator/stats")
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("GET /_emulator/stats: %s", resp.Status)
	}
	return s, json.NewDecoder(resp.Body).Decode(&s)
}
