// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

// user_id returns what that user received too by default (DocuSign's web app pairs user_id
// with folder_types=inbox); folder_types=sentitems narrows it to what they sent under either
// reading; envelope_search_user_id_creator_only is the documented reading.
func TestEnvelopeSearchUserIDReadings(t *testing.T) {
	srv := start(t, Options{})
	tok := accessToken(t, srv)
	tom := srv.mustUser(t, "tom.becker@opensam.example")
	priya := srv.mustUser(t, "priya.shah@opensam.example")
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// Tom receives two envelopes Priya sent.
	if err := srv.MergeFixture(&Fixture{Envelopes: []Envelope{
		{AccountID: sales, SenderUserID: priya.ID, RecipientUserIDs: []string{tom.ID}, SentAt: from.Add(time.Hour)},
		{AccountID: sales, SenderUserID: priya.ID, RecipientUserIDs: []string{tom.ID}, SentAt: from.Add(2 * time.Hour)},
	}}); err != nil {
		t.Fatal(err)
	}
	sent := srv.EnvelopesBySender(sales, from, to)[tom.ID]
	search := func(extra url.Values) (int, map[string]any) {
		q := url.Values{"from_date": {from.Format(time.RFC3339)}, "to_date": {to.Format(time.RFC3339)}, "from_to_status": {"sent"},
			"count": {"1"}, "user_id": {tom.ID}}
		for k, v := range extra {
			q[k] = v
		}
		status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales+"/envelopes?"+q.Encode(), "")
		return status, body
	}
	for _, c := range []struct {
		name        string
		creatorOnly bool
		q           url.Values
		want        int
	}{
		{"default: sent and received", false, nil, sent + 2},
		{"default, sentitems", false, url.Values{"folder_types": {"sentitems"}}, sent},
		{"default, inbox", false, url.Values{"folder_types": {"inbox"}}, 2},
		{"default, inbox and sentitems", false, url.Values{"folder_types": {"inbox,sentitems"}}, sent + 2},
		{"default, drafts", false, url.Values{"folder_types": {"draft"}}, 0},
		{"creator only", true, nil, sent},
		{"creator only, sentitems", true, url.Values{"folder_types": {"sentitems"}}, sent},
	} {
		srv.SetBehaviour(Behaviour{EnvelopeSearchUserIDCreatorOnly: c.creatorOnly})
		if status, body := search(c.q); status != 200 || body["totalSetSize"] != strconv.Itoa(c.want) {
			t.Errorf("%s: %d %v, want totalSetSize %d", c.name, status, body, c.want)
		}
	}
	if sent == 0 {
		t.Fatal("the fixture should hold envelopes Tom sent")
	}
	srv.SetBehaviour(Behaviour{})
	if status, body := search(url.Values{"folder_types": {"outbox"}}); status != 400 {
		t.Errorf("an unknown folder type: %d %v", status, body)
	}

	// A closed member's search is answered, unless envelope_search_refuses_closed_members.
	closed := url.Values{"user_id": {demoorg.ClosedSenderID}, "folder_types": {"sentitems"}}
	if status, body := search(closed); status != 200 || body["totalSetSize"] == "0" {
		t.Errorf("closed member: %d %v", status, body)
	}
	srv.SetBehaviour(Behaviour{EnvelopeSearchRefusesClosedMembers: true})
	if status, body := search(closed); status != 400 || body["errorCode"] != "INVALID_USERID" {
		t.Errorf("closed member refused: %d %v", status, body)
	}
	if status, body := search(url.Values{"folder_types": {"sentitems"}}); status != 200 {
		t.Errorf("an active member under the refusal switch: %d %v", status, body)
	}
}

// Every eSignature answer carries DocuSign's limit headers, and calls other integrations made
// this hour (UseHourlyCalls) count against the account's budget.
func TestHourlyBudgetIsPerAccount(t *testing.T) {
	srv := start(t, Options{HourlyLimit: 100})
	tok := accessToken(t, srv)
	srv.UseHourlyCalls(sales, 90)
	_, h, _ := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales, "")
	if h.Get("X-RateLimit-Limit") != "100" || h.Get("X-RateLimit-Remaining") != "9" || h.Get("X-RateLimit-Reset") == "" || h.Get("X-BurstLimit-Limit") == "" {
		t.Fatalf("headers after 91 calls: %v", h)
	}
	_, h, _ = doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+legal, "")
	if h.Get("X-RateLimit-Remaining") != "99" {
		t.Errorf("another account's budget: %v", h)
	}
	srv.UseHourlyCalls(sales, 9)
	if status, _, body := doCall(t, tok, "GET", srv.URL+"/restapi/v2.1/accounts/"+sales, ""); status != 400 || body["errorCode"] != "HOURLY_APIINVOCATION_LIMIT_EXCEEDED" {
		t.Errorf("over the hour: %d %v", status, body)
	}
}
