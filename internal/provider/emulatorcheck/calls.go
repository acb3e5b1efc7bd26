// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulatorcheck

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Routes are the emulator's route templates, as its Stats count them, e.g.
// "DELETE /restapi/v2.1/accounts/{accountId}/users". Counts run from the emulator's start or its
// last ResetStats.

// AtLeastOnce, as a count in Calls, asks for one call or more.
const AtLeastOnce = -1

const (
	routeToken    = "POST /oauth/token"
	routeUserinfo = "GET /oauth/userinfo"
)

type callsAtMost struct {
	emu   Emulator
	route string
	limit int
}

// CallsAtMost bounds how many times the emulator saw route.
func CallsAtMost(emu Emulator, route string, limit int) Check {
	return stateCheck{callsAtMost{emu, route, limit}}
}

func (c callsAtMost) Verify() error {
	if got := c.emu.Stats().Requests[c.route]; got > c.limit {
		return fmt.Errorf("emulator saw %s %d times, want at most %d", c.route, got, c.limit)
	}
	return nil
}

type calls struct {
	emu  Emulator
	want map[string]int
}

// Calls checks the emulator's count of each route: exactly want[route] calls, or, for
// AtLeastOnce, one or more.
func Calls(emu Emulator, want map[string]int) Check {
	return stateCheck{calls{emu, want}}
}

func (c calls) Verify() error {
	got := c.emu.Stats().Requests
	for _, route := range slices.Sorted(maps.Keys(c.want)) {
		switch n := c.want[route]; {
		case n == AtLeastOnce && got[route] == 0:
			return fmt.Errorf("emulator: no %s call, want at least one (calls: %v)", route, got)
		case n != AtLeastOnce && got[route] != n:
			return fmt.Errorf("emulator: %d %s calls, want %d (calls: %v)", got[route], route, n, got)
		}
	}
	return nil
}

type tokenGrantsAtLeast struct {
	emu   Emulator
	least int
}

// TokenGrantsAtLeast checks the emulator issued at least n access tokens, so the configured
// key really was used.
func TokenGrantsAtLeast(emu Emulator, n int) Check {
	return stateCheck{tokenGrantsAtLeast{emu, n}}
}

func (c tokenGrantsAtLeast) Verify() error {
	if got := c.emu.Stats().TokenGrants; got < c.least {
		return fmt.Errorf("emulator issued %d tokens, want at least %d", got, c.least)
	}
	return nil
}

type callBudget struct {
	emu      Emulator
	what     string
	maxTotal int
	routeMax map[string]int
}

// CallBudget checks the cost of one terraform command in calls: at most maxTotal calls in all,
// exactly one JWT grant and one userinfo (one provider process that connected once), and each
// route of routeMax within its limit. what names the command in the failure.
func CallBudget(emu Emulator, what string, maxTotal int, routeMax map[string]int) Check {
	return stateCheck{callBudget{emu, what, maxTotal, routeMax}}
}

func (c callBudget) Verify() error {
	st := c.emu.Stats()
	var problems []string
	if st.Total > c.maxTotal {
		problems = append(problems, fmt.Sprintf("%d calls, want at most %d", st.Total, c.maxTotal))
	}
	if st.TokenGrants != 1 || st.Requests[routeToken] != 1 {
		problems = append(problems, fmt.Sprintf("%d JWT grants, want exactly 1", st.Requests[routeToken]))
	}
	if n := st.Requests[routeUserinfo]; n != 1 {
		problems = append(problems, fmt.Sprintf("%d userinfo calls, want exactly 1", n))
	}
	for _, route := range slices.Sorted(maps.Keys(c.routeMax)) {
		if n, limit := st.Requests[route], c.routeMax[route]; n > limit {
			problems = append(problems, fmt.Sprintf("%d × %s, want at most %d", n, route, limit))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s (calls: %v)", c.what, strings.Join(problems, "; "), st.Requests)
	}
	return nil
}

type totalCallsAtMost struct {
	emu   Emulator
	limit int
}

// TotalCallsAtMost bounds how many API calls the emulator saw on every route together; 0 proves
// that what ran (plan-time validation, say) never reached DocuSign.
func TotalCallsAtMost(emu Emulator, limit int) Check {
	return stateCheck{totalCallsAtMost{emu, limit}}
}

func (c totalCallsAtMost) Verify() error {
	if st := c.emu.Stats(); st.Total > c.limit {
		return fmt.Errorf("emulator saw %d calls, want at most %d (calls: %v)", st.Total, c.limit, st.Requests)
	}
	return nil
}

type injectedFaultsAtLeast struct {
	emu   Emulator
	least int
}

// InjectedFaultsAtLeast checks the emulator injected at least n faults (throttles, 5xx,
// dropped answers): a test of behaviour under faults proves nothing if none happened.
func InjectedFaultsAtLeast(emu Emulator, n int) Check {
	return stateCheck{injectedFaultsAtLeast{emu, n}}
}

func (c injectedFaultsAtLeast) Verify() error {
	if n := c.emu.Stats().InjectedFaults; n < c.least {
		return fmt.Errorf("emulator injected %d faults, want at least %d", n, c.least)
	}
	return nil
}

type injectedFaults struct {
	emu  Emulator
	want int
}

// InjectedFaults checks the emulator injected exactly want faults: a one-shot fault was hit once.
func InjectedFaults(emu Emulator, want int) Check {
	return stateCheck{injectedFaults{emu, want}}
}

func (c injectedFaults) Verify() error {
	if n := c.emu.Stats().InjectedFaults; n != c.want {
		return fmt.Errorf("emulator injected %d faults, want %d", n, c.want)
	}
	return nil
}
