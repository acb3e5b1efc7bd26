// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package monitor is a client for DocuSign Monitor's event stream
// (monitor.rest.swagger-v2.0.json): GET /api/v2.0/datasets/monitor/stream on Monitor's own host.
// The stream is organization-wide, oldest first, paged by cursor; it needs the Monitor add-on, a
// JWT token with the impersonation scope, and an impersonated organization administrator.
package monitor

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	t, err := time.Parse(time.RFC3339Nano, e.Timestamp)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// IsLogin reports a successful login. The public reference does not spell out the login event;
// these are the names the emulator uses (docusign-api.md §5), compared ignoring case.
func (e Event) IsLogin() bool {
	return strings.EqualFold(e.Action, "Login") && !strings.EqualFold(e.Result, "Failed")
}

// IsEnvelopeSent reports an envelope being sent.
func (e Event) IsEnvelopeSent() bool {
	return strings.EqualFold(e.Object, "Envelope") && (strings.EqualFold(e.Action, "Sent") || strings.EqualFold(e.Action, "Send")) &&
		!strings.EqualFold(e.Result, "Failed")
}

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

// Since reads every event from from to the end of the stream, calling fn for each, and returns
// how many pages it read. The stream has ended when its endCursor repeats the cursor sent, as
// DocuSign's own examples stop, or when a page comes back short: the events after it are newer
// than the read, which saves the last, empty call.
func (c *Client) Since(ctx context.Context, from time.Time, limit int, fn func(Event)) (int, error) {
	if limit <= 0 {
		limit = MaxLimit
	}
	cursor := from.UTC().Format(time.RFC3339)
	for pages := 1; ; pages++ {
		page, err := c.Stream(ctx, cursor, limit)
		if err != nil {
			return pages, err
		}
		for _, ev := range page.Data {
			fn(ev)
		}
		if len(page.Data) < limit || page.EndCursor == "" || page.EndCursor == cursor {
			return pages, nil
		}
		cursor = page.EndCursor
	}
}
