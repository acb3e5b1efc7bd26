// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"net/url"
	"slices"
	"strings"
)

// orderEnvelopes applies the envelope search's documented order (asc|desc) to matched, which
// holds envelope indexes in sent order. Only the orders the emulator can tell apart are modelled:
// every envelope's status is "sent", so sent, created, last_modified and status_changed all sort
// by the sent time. The reclaim check asks order_by=sent&order=desc with count=1 to read a
// sender's latest send.
func orderEnvelopes(q url.Values, matched []int) []int {
	if !strings.EqualFold(q.Get("order"), "desc") {
		return matched
	}
	out := slices.Clone(matched)
	slices.Reverse(out)
	return out
}
