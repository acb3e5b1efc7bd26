// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package monitor is a client for DocuSign Monitor's event stream
// (monitor.rest.swagger-v2.0.json): GET /api/v2.0/datasets/monitor/stream on Monitor's own host.
// The stream is organization-wide, oldest first, paged by cursor; it needs the Monitor add-on, a
// JWT token with the impersonation scope, and an impersonated organization administrator.
package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// Hosts of the stream in the form the OpenAPI file describes. DocuSign's newer base-path table
// also lists api[-d].docusign.com/v1/organizations/{organizationId}/stream, which this client
// does not call.
const (
	ProductionBaseURL = "https://lens.docusign.net"
	DemoBaseURL       = "https://lens-d.docusign.net"
	StreamPath        = "/api/v2.0/datasets/monitor/stream"
	// DefaultLimit is the spec's default page size; MaxLimit is what DocuSign's own code examples
	// ask for (the spec states no maximum).
	DefaultLimit = 1000
	MaxLimit     = 2000
)

// Client reads the stream on behalf of the impersonated organization administrator.
type Client struct {
	transport *transport.Transport
	tokens    transport.TokenSource
	baseURL   string
}

// New returns a Monitor client for baseURL (the host root, such as https://lens.docusign.net).
func New(t *transport.Transport, tokens transport.TokenSource, baseURL string) *Client {
	return &Client{transport: t, tokens: tokens, baseURL: strings.TrimRight(baseURL, "/")}
}

// Event is one stream record, trimmed to the fields activity needs. DocuSign documents more
// (site, ipAddress, userAgent, property, field, source, data …).
type Event struct {
	Timestamp      string `json:"timestamp"`
	EventID        string `json:"eventId"`
	OrganizationID string `json:"organizationId"`
	AccountID      string `json:"accountId"`
	UserID         string `json:"userId"`
	Object         string `json:"object"`
	Action         string `json:"action"`
	Result         string `json:"result"`
}

// Time is the event's timestamp, zero when it cannot be read.
func (e Event) Time() time.Time {
	// DocuSign sends seven fraction digits; a stamp without a zone is read as UTC.
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, e.Timestamp); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// The public reference does not spell out the login or envelope-sent events (docusign-api.md,
// "Undocumented formats"), so they are recognised tolerantly: ignoring case, spaces, underscores,
// hyphens and dots, under the spellings integrations report and their obvious variants. An
// event spelled otherwise is not activity; the caller warns when a stream has none it knows.
var (
	loginActions = set("login", "userlogin", "loggedin", "userloggedin", "signin", "signedin", "usersignin", "usersignedin",
		"loginsuccess", "loginsucceeded")
	// sentActions are sends whatever the object says; sentVerbs only when the object is an
	// envelope (or unnamed): "Sent" on an email object is a notification, not a send.
	sentActions    = set("envelopesent", "sendenvelope", "envelopesend", "sentenvelope")
	sentVerbs      = set("sent", "send")
	envelopeObject = set("envelope", "envelopes", "")
	failedResults  = set("failed", "failure", "fail", "error", "denied", "unsuccessful")
)

func set(words ...string) map[string]bool {
	out := make(map[string]bool, len(words))
	for _, w := range words {
		out[w] = true
	}
	return out
}

// Normalise folds a Monitor spelling for comparison: lower case without spaces, underscores,
// hyphens or dots, so "Envelope Sent", "envelope_sent" and "EnvelopeSent" compare equal.
func Normalise(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '.', '\t':
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

func (e Event) failed() bool { return failedResults[Normalise(e.Result)] }

// IsLogin reports a successful login.
func (e Event) IsLogin() bool {
	return loginActions[Normalise(e.Action)] && !e.failed()
}

// IsEnvelopeSent reports an envelope being sent.
func (e Event) IsEnvelopeSent() bool {
	action := Normalise(e.Action)
	return (sentActions[action] || sentVerbs[action] && envelopeObject[Normalise(e.Object)]) && !e.failed()
}

// Recognised reports whether the event is a login or a send this package knows.
func (e Event) Recognised() bool { return e.IsLogin() || e.IsEnvelopeSent() }

// Page is one answer of the stream.
type Page struct {
	EndCursor string  `json:"endCursor"`
	Data      []Event `json:"data"`
}

// Stream reads one page after cursor (an ISO date-time or an earlier endCursor; empty starts
// seven days back).
func (c *Client) Stream(ctx context.Context, cursor string, limit int) (*Page, error) {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out Page
	_, err := c.transport.Do(ctx, transport.Request{
		API: transport.APIMonitor, Method: "GET", URL: c.baseURL + StreamPath, Query: q, Out: &out, Idempotent: true, Auth: c.tokens,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// MaxPages bounds one read of the stream: DocuSign's example loops until endCursor repeats, and
// a stream that never repeats it must not run the read forever.
const MaxPages = 5000

// ErrStreamDidNotEnd means the stream's endCursor kept changing for MaxPages pages.
var ErrStreamDidNotEnd = errors.New("the Monitor stream did not end")

// Since reads every event from from to the end of the stream, calling fn for each, and returns
// how many pages it read. The stream has ended when its endCursor repeats the cursor sent, as
// DocuSign's own example stops. A page shorter than limit does not end it: one integration
// reports that limit is not honoured, so a short page says nothing about what remains. Events
// stamped after until (the time the read began; zero for none) end it too, since a busy
// organization's stream may never repeat its cursor while it is being read.
func (c *Client) Since(ctx context.Context, from, until time.Time, limit int, fn func(Event)) (int, error) {
	if limit <= 0 {
		limit = MaxLimit
	}
	cursor := from.UTC().Format(time.RFC3339)
	for pages := 1; pages <= MaxPages; pages++ {
		page, err := c.Stream(ctx, cursor, limit)
		if err != nil {
			return pages, err
		}
		past := false
		for _, ev := range page.Data {
			if at := ev.Time(); !until.IsZero() && at.After(until) {
				past = true
				continue
			}
			fn(ev)
		}
		if page.EndCursor == "" || page.EndCursor == cursor || past {
			return pages, nil
		}
		cursor = page.EndCursor
	}
	return MaxPages, fmt.Errorf("%w after %d pages", ErrStreamDidNotEnd, MaxPages)
}
