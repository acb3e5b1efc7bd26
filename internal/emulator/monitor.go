// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The Monitor API (monitor.rest.swagger-v2.0.json): GET /api/v2.0/datasets/monitor/stream on its
// own host (lens[-d].docusign.net). It streams the organization's events oldest first, pages by
// cursor, and starts seven days back when no cursor is given.

const (
	// monitorDefaultLimit is the spec's default for limit.
	monitorDefaultLimit = 1000
	// monitorMaxLimit caps limit. DocuSign states no maximum; its own code examples ask for 2000.
	monitorMaxLimit = 2000
	// monitorDefaultWindow is how far back the stream starts without a cursor.
	monitorDefaultWindow = 7 * 24 * time.Hour
	// monitorTime is the event timestamp format, seven fraction digits as DocuSign sends them.
	monitorTime = "2006-01-02T15:04:05.0000000Z"
	// cursorPrefix marks the emulator's opaque endCursor values (DocuSign's look like "aa_…").
	cursorPrefix = "emu_"
)

// Event kinds the emulator writes. DocuSign's events list names objects and actions, but the
// spelling of a login or a send is not in the public API reference (docusign-api.md,
// "Undocumented formats"). Under monitor_login_sent_actions the stream uses these names and the
// variants in loginSpellings and sentSpellings; by default it uses the renamed ones, which no
// published source gives and no reader can know.
const (
	MonitorObjectUser     = "User"
	MonitorActionLogin    = "Login"
	MonitorObjectEnvelope = "Envelope"
	MonitorActionSent     = "Sent"

	MonitorRenamedLoginObject = "Session"
	MonitorRenamedLoginAction = "SessionStarted"
	MonitorRenamedSentObject  = "Envelope"
	MonitorRenamedSentAction  = "Dispatched"
)

// loginSpellings and sentSpellings are {object, action} pairs integrations report or plausibly
// could: the emulator cycles through them so a reader must compare tolerantly.
var (
	loginSpellings = [][2]string{{MonitorObjectUser, MonitorActionLogin}, {"user", "UserLogin"}, {"User", "login"}, {"USER", "User Login"}}
	sentSpellings  = [][2]string{{MonitorObjectEnvelope, MonitorActionSent}, {"Envelope", "Envelope Sent"}, {"envelope", "envelope_sent"}, {"", "Sent"}}
)

// spelling picks the {object, action} of one event under the behaviour in force.
func (e *Emulator) spelling(login bool, key string) (string, string) {
	if !e.behaviour.MonitorLoginSentActions {
		if login {
			return MonitorRenamedLoginObject, MonitorRenamedLoginAction
		}
		return MonitorRenamedSentObject, MonitorRenamedSentAction
	}
	h := 0
	for _, r := range key {
		h = h*31 + int(r)
	}
	h &= 0x7fffffff
	if login {
		p := loginSpellings[h%len(loginSpellings)]
		return p[0], p[1]
	}
	p := sentSpellings[h%len(sentSpellings)]
	return p[0], p[1]
}

// monitorEvent is one stream event, kept light: the document is built only for the page served.
// key orders events with equal timestamps and is what cursors carry.
type monitorEvent struct {
	at   time.Time
	key  string
	org  *org
	m    *membership // a login; nil for an envelope sent
	acct *account    // for an envelope sent: acct.envelopes[idx]
	idx  int
}

// monitorEvents are the events of the organizations, oldest first: one login event per
// membership's last login and one envelope-sent event per envelope with a sender. Monitor tracks only
// users whose email is in one of the organization's reserved (claimed) domains.
func (e *Emulator) monitorEvents(orgs []*org) []monitorEvent {
	var out []monitorEvent
	tracked := func(og *org, u *user) bool {
		_, domain, ok := strings.Cut(strings.ToLower(u.email), "@")
		if !ok {
			return false
		}
		for _, d := range og.domains {
			if domain == d {
				return true
			}
		}
		return false
	}
	for _, og := range orgs {
		for _, acct := range og.accounts {
			for _, m := range acct.members {
				if m.lastLogin.IsZero() || !tracked(og, m.user) {
					continue
				}
				out = append(out, monitorEvent{at: m.lastLogin, key: "l" + m.id, org: og, m: m})
			}
			for i, env := range acct.envelopes {
				if env.sender == nil || !tracked(og, env.sender) {
					continue
				}
				out = append(out, monitorEvent{at: env.sent, key: fmt.Sprintf("s%s/%09d", acct.ID, i), org: og, acct: acct, idx: i})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return eventBefore(out[i].at, out[i].key, out[j].at, out[j].key) })
	return out
}

// doc is the event as the stream serves it.
func (e *Emulator) eventDoc(ev monitorEvent) map[string]any {
	if ev.m != nil {
		id := e.newID("monitor-login", ev.m.id, ev.m.lastLogin.String())
		object, action := e.spelling(true, ev.key)
		return e.monitorEvent(id, ev.at, ev.org, ev.m.account, ev.m.user.id, object, action, map[string]any{})
	}
	// The envelope search names the same envelope with the same ID.
	envelopeID := e.newID("envelope", ev.acct.ID, fmt.Sprint(ev.idx))
	object, action := e.spelling(false, ev.key)
	return e.monitorEvent(e.newID("monitor-sent", envelopeID), ev.at, ev.org, ev.acct, ev.acct.envelopes[ev.idx].sender.id,
		object, action, map[string]any{"EnvelopeId": envelopeID})
}

func eventBefore(at time.Time, id string, otherAt time.Time, otherID string) bool {
	if !at.Equal(otherAt) {
		return at.Before(otherAt)
	}
	return id < otherID
}

// monitorEvent is one event with the fields DocuSign documents for the stream.
func (e *Emulator) monitorEvent(id string, at time.Time, og *org, acct *account, userID, object, action string, data map[string]any) map[string]any {
	return map[string]any{
		"timestamp": at.UTC().Format(monitorTime), "eventId": id, "site": "DEMO", "accountId": acct.ID,
		"organizationId": og.id, "userId": userID, "integratorKey": "", "userAgent": "Mozilla/5.0",
		"ipAddress": "203.0.113.10", "object": object, "action": action, "property": "", "field": "",
		"result": "Success", "source": "Web", "data": data,
	}
}

// handleMonitorStream serves the organization's events after the cursor. The caller must be an
// administrator of an organization that has the Monitor add-on.
func (e *Emulator) handleMonitorStream(c *call) {
	monitored, status, msg := e.monitorOrgs(c)
	if status != 0 {
		writeJSON(c.w, status, adminError("forbidden", msg))
		return
	}
	q := c.r.URL.Query()
	limit := monitorDefaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "limit must be a positive integer"))
			return
		}
		limit = min(n, monitorMaxLimit)
	}
	cursor := q.Get("cursor")
	afterAt, afterID, ok := e.parseMonitorCursor(cursor)
	if !ok {
		writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request",
			"cursor must be an ISO 8601 date-time or the endCursor of an earlier response"))
		return
	}
	events := e.monitorEvents(monitored)
	first := sort.Search(len(events), func(i int) bool { return eventBefore(afterAt, afterID, events[i].at, events[i].key) })
	data := []map[string]any{}
	end := cursor
	if end == "" {
		end = formatMonitorCursor(afterAt, afterID)
	}
	for i := first; i < len(events) && len(data) < limit; i++ {
		// By default a page never crosses a UTC day, so pages come back shorter than limit
		// while more events remain (limit "is not honoured", one integration reports).
		if !e.behaviour.MonitorFullPages && len(data) > 0 && !sameDay(events[i].at, events[i-1].at) {
			break
		}
		data = append(data, e.eventDoc(events[i]))
		end = formatMonitorCursor(events[i].at, events[i].key)
	}
	// At the end of the stream endCursor repeats the cursor sent, which is how DocuSign's code
	// examples know to stop.
	writeJSON(c.w, http.StatusOK, map[string]any{"endCursor": end, "data": data})
}

// parseMonitorCursor reads a cursor: empty (seven days back), an ISO date-time (events at or
// after it) or an endCursor (events after that event).
func (e *Emulator) parseMonitorCursor(cursor string) (time.Time, string, bool) {
	if cursor == "" {
		return e.opts.Now().UTC().Add(-monitorDefaultWindow), "", true
	}
	if rest, ok := strings.CutPrefix(cursor, cursorPrefix); ok {
		nanos, id, ok := strings.Cut(rest, "_")
		n, err := strconv.ParseInt(nanos, 10, 64)
		if !ok || err != nil {
			return time.Time{}, "", false
		}
		return time.Unix(0, n).UTC(), id, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, cursor); err == nil {
			// "" sorts before every event ID, so events at exactly t are included.
			return t.UTC(), "", true
		}
	}
	return time.Time{}, "", false
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// monitorOrgs are the organizations whose events the caller's stream holds, or the refusal. The
// spec says the stream covers "the organization that owns the integration key": by default that
// is the key's organization (SetIntegrationKeyOrganization) or, when none is set, the first
// organization the caller administers. Under monitor_all_admin_orgs it is every organization
// the caller administers. The caller must administer the organizations read.
func (e *Emulator) monitorOrgs(c *call) ([]*org, int, string) {
	caller := strings.ToLower(c.token.userID)
	var administered []*org
	for _, og := range e.orgOrder {
		if og.admins[caller] {
			administered = append(administered, og)
		}
	}
	if !e.behaviour.MonitorAllAdminOrgs {
		if ik := e.keys[c.token.ik]; ik != nil && ik.org != "" {
			og := e.orgs[ik.org]
			if og == nil || !og.admins[caller] {
				administered = nil
			} else {
				administered = []*org{og}
			}
		} else if len(administered) > 1 {
			administered = administered[:1]
		}
	}
	if len(administered) == 0 {
		return nil, http.StatusForbidden, "The user must be an Organization Administrator or a Security Reports Administrator to read Monitor data."
	}
	var monitored []*org
	for _, og := range administered {
		if og.monitor {
			monitored = append(monitored, og)
		}
	}
	if len(monitored) == 0 {
		return nil, http.StatusForbidden, "Organization does not have Monitor entitlement"
	}
	return monitored, 0, ""
}

// SetIntegrationKeyOrganization makes orgID the organization that owns the integration key, whose
// events its Monitor stream reads by default.
func (e *Emulator) SetIntegrationKeyOrganization(keyID, orgID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	ik := e.keys[keyID]
	if ik == nil {
		return fmt.Errorf("no integration key %s", keyID)
	}
	if e.orgs[orgID] == nil {
		return fmt.Errorf("no organization %s", orgID)
	}
	ik.org = orgID
	return nil
}

func formatMonitorCursor(at time.Time, id string) string {
	return cursorPrefix + strconv.FormatInt(at.UnixNano(), 10) + "_" + id
}

// SetLastLogin records a login out of band, as a user signing in to the web app would.
func (e *Emulator) SetLastLogin(userID, accountID string, at time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(userID)]
	acct := e.accounts[strings.ToLower(accountID)]
	if u == nil || acct == nil || u.membershipIn(acct) == nil {
		return fmt.Errorf("user %s has no membership in account %s", userID, accountID)
	}
	u.membershipIn(acct).lastLogin = at.UTC()
	return nil
}

// SetMonitor turns the Monitor add-on of an organization on or off and sets its reserved domains.
func (e *Emulator) SetMonitor(orgID string, enabled bool, domains ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	og := e.orgs[orgID]
	if og == nil {
		return fmt.Errorf("no organization %s", orgID)
	}
	og.monitor = enabled
	og.domains = nil
	for _, d := range domains {
		og.domains = append(og.domains, strings.ToLower(d))
	}
	return nil
}
