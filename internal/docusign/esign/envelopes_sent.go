// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package esign

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// The two reads reclaim confirms a would-be candidate with. They live apart from the envelope
// count in esign.go, which consumption owns.

// GetUserLastLogin reads one membership with additional_info=true, the read on which DocuSign
// documents lastLogin ("when the user last logged in to the system").
func (c *Client) GetUserLastLogin(ctx context.Context, accountID, userID string) (*User, error) {
	if userID == "" {
		return nil, errors.New("no user ID")
	}
	var out User
	query := url.Values{"additional_info": {"true"}}
	if err := c.do(ctx, accountID, "GET", "/users/"+url.PathEscape(userID), query, nil, &out, true); err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("%w: %s in account %s: %w", ErrUserNotFound, userID, accountID, err)
		}
		return nil, err
	}
	return &out, nil
}

// SentEnvelope is one envelope of an envelope search, trimmed to who sent it and when.
type SentEnvelope struct {
	EnvelopeID            string `json:"envelopeId"`
	Status                string `json:"status"`
	SentDateTime          string `json:"sentDateTime"`
	StatusChangedDateTime string `json:"statusChangedDateTime"`
	Sender                *struct {
		UserID string `json:"userId"`
		Email  string `json:"email"`
	} `json:"sender"`
}

// SentSearch is one page of SearchSentBy.
type SentSearch struct {
	Envelopes []SentEnvelope
	// Total is totalSetSize; -1 when DocuSign left it out or it is not a number.
	Total int
}

// SearchSentBy asks for the newest count envelopes userID sent from the account since from:
// GET …/envelopes?from_date=…&from_to_status=sent&user_id=…&folder_types=sentitems&order_by=sent
// &order=desc. DocuSign defines user_id as "the user who created the envelopes", but its web app
// pairs user_id with folder_types=inbox, so received envelopes may come back too: the caller
// must check each envelope's sender. folder_types=sentitems asks for sent items only where it is
// honoured.
func (c *Client) SearchSentBy(ctx context.Context, accountID, userID string, from time.Time, count int) (*SentSearch, error) {
	if userID == "" {
		return nil, errors.New("no sender user ID")
	}
	count = max(1, min(count, MaxEnvelopeSearchCount))
	query := url.Values{}
	query.Set("from_date", from.UTC().Format(time.RFC3339))
	query.Set("from_to_status", "sent")
	query.Set("user_id", userID)
	query.Set("folder_types", "sentitems")
	query.Set("order_by", "sent")
	query.Set("order", "desc")
	query.Set("count", strconv.Itoa(count))
	var out struct {
		Envelopes    []SentEnvelope `json:"envelopes"`
		TotalSetSize string         `json:"totalSetSize"`
	}
	if err := c.do(ctx, accountID, "GET", "/envelopes", query, nil, &out, true); err != nil {
		return nil, err
	}
	total, err := strconv.Atoi(out.TotalSetSize)
	if err != nil || total < 0 {
		total = -1
	}
	return &SentSearch{Envelopes: out.Envelopes, Total: total}, nil
}

// MaxEnvelopeSearchCount is the most envelopes one search returns (docusign-api.md: "count is
// at most 1,000").
const MaxEnvelopeSearchCount = 1000
