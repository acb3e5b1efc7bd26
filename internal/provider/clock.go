// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// clock is the time that date logic reads: the current renewal cycle, "not in the future" checks,
// idle days. The provider holds one and hands it to each resource and data source that needs it,
// so a test can fix the day, as hashicorp/terraform-provider-time does.
type clock func() time.Time

func systemClock() time.Time { return time.Now().UTC() }

// today is the clock's day, at midnight UTC.
func (c clock) today() time.Time { return datafeed.Day(c().UTC()) }

func (p *docusignProvider) clock() clock {
	if p.now != nil {
		return p.now
	}
	return systemClock
}
