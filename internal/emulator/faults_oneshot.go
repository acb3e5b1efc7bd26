// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import "fmt"

// failNext is a targeted fault: the next count requests to one route fail with status, before
// the route does any work. Tests use it to fail one particular call, such as the read that
// follows a create, which random fault rates cannot aim at.
type failNext struct {
	count  int
	status int
	drop   bool // do the work, then drop the connection: a lost answer (DropNext)
}

// FailNext makes the next count requests to route fail with status and DocuSign's error body
// for that API. route is "METHOD template", as RouteTemplates and Stats.Requests spell it.
func (e *Emulator) FailNext(route string, count, status int) error {
	known := false
	for _, rt := range RouteTemplates() {
		known = known || rt == route
	}
	if !known {
		return fmt.Errorf("no route %q", route)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failNext == nil {
		e.failNext = map[string]*failNext{}
	}
	e.failNext[route] = &failNext{count: count, status: status}
	return nil
}

// injectFailNext answers with a pending targeted fault for rt, if any. The caller holds e.mu.
func (e *Emulator) injectFailNext(c *call, rt route) bool {
	f := e.failNext[rt.method+" "+rt.pattern]
	if f == nil || f.count <= 0 || f.drop {
		return false
	}
	f.count--
	e.stats.InjectedFaults++
	if c.api == apiAdmin {
		writeJSON(c.w, f.status, adminError("server_error", "An injected fault failed this request."))
	} else {
		writeJSON(c.w, f.status, esignError("UNSPECIFIED_ERROR", "An injected fault failed this request."))
	}
	return true
}

// DropNext makes the next count requests to route lose their answer: the route does its work,
// then the connection drops, so the caller cannot tell whether it happened. Tests use it to
// aim a lost answer at one create, such as a bulk import's upload.
func (e *Emulator) DropNext(route string, count int) error {
	if err := e.FailNext(route, count, 0); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failNext[route].drop = true
	return nil
}

// takeDropNext reports whether this answer of rt is to be lost. The caller holds e.mu.
func (e *Emulator) takeDropNext(rt route, status int) bool {
	f := e.failNext[rt.method+" "+rt.pattern]
	if f == nil || !f.drop || f.count <= 0 || status >= 300 {
		return false
	}
	f.count--
	return true
}
