// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// closeSplitting closes ids in one DELETE …/users call. DocuSign documents that call as
// "succeeded (200 - OK) or failed (400 - Error)", so one unknown or invalid user may fail the
// whole batch instead of only its own entry. When a batch of several is refused that way, it is
// halved and each half resent, down to single users: the valid users are still closed, and the
// refusal lands on the bad user alone.
//
// Halving rather than checking every user first: a check costs at least one listing per account
// on every apply, while halving costs nothing when all users are valid and about 2·log2(n) extra
// calls per bad user in a batch of n (measured for a batch of 100: 13 calls with one unknown ID, 21
// with two, 47 with five; a lenient DocuSign answers all of these in 1).
//
// It returns one result per ID, in order, and the number of calls made. The error is set only
// when the first, whole-batch call failed for a reason that is not about its users (throttling
// that outlasted the retries, the network, the caller's permissions); a half failing that way
// fails its own users' results.
func closeSplitting(ctx context.Context, es *esign.Client, accountID string, ids []string) ([]esign.CloseResult, int, error) {
	results, err := es.CloseUsers(ctx, accountID, ids)
	if err == nil {
		return results, 1, nil
	}
	if !batchRefused(err) {
		return nil, 1, err
	}
	if len(ids) == 1 {
		return []esign.CloseResult{{UserID: ids[0], Err: err}}, 1, nil
	}
	calls := 1
	out := make([]esign.CloseResult, 0, len(ids))
	mid := len(ids) / 2
	for _, half := range [][]string{ids[:mid], ids[mid:]} {
		res, n, err := closeSplitting(ctx, es, accountID, half)
		calls += n
		if err != nil {
			res = make([]esign.CloseResult, len(half))
			for i, id := range half {
				res[i] = esign.CloseResult{UserID: id, Err: err}
			}
		}
		out = append(out, res...)
	}
	return out, calls, nil
}

// accountWideRefusals are 400 codes about the caller or the account, never one listed user:
// halving the batch cannot help, and would only multiply the calls.
var accountWideRefusals = []string{
	"USER_LACKS_PERMISSIONS", "ACCOUNT_LACKS_PERMISSIONS", "INVALID_ACCOUNT_ID",
	"AUTHORIZATION_INVALID_TOKEN", "USER_AUTHENTICATION_FAILED", "PARTNER_AUTHENTICATION_FAILED",
}

// batchRefused reports DocuSign refusing a close batch with a 400 that may come from one of its
// users.
func batchRefused(err error) bool {
	var apiErr *transport.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.IsRateLimit() || errors.Is(err, transport.ErrRetryBudget) {
		return false
	}
	for _, code := range accountWideRefusals {
		if strings.EqualFold(apiErr.Code, code) {
			return false
		}
	}
	return true
}
