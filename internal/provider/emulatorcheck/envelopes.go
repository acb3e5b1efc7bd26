// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulatorcheck

import (
	"fmt"
	"time"
)

type envelopesSent struct {
	emu       Emulator
	accountID string
	from, to  time.Time
	want      int
}

// EnvelopesSent checks how many envelopes the emulator holds as sent from accountID in [from, to):
// the count a consumption report must match.
func EnvelopesSent(emu Emulator, accountID string, from, to time.Time, want int) Check {
	return stateCheck{envelopesSent{emu, accountID, from, to, want}}
}

func (c envelopesSent) Verify() error {
	if n := c.emu.EnvelopeCount(c.accountID, c.from, c.to); n != c.want {
		return fmt.Errorf("emulator holds %d envelopes sent from %s in [%s, %s), want %d", n, c.accountID,
			c.from.Format(time.RFC3339), c.to.Format(time.RFC3339), c.want)
	}
	return nil
}

type envelopesBySender struct {
	emu       Emulator
	accountID string
	from, to  time.Time
	want      int
}

// EnvelopesBySenderSum checks that the envelopes the emulator holds per sender of accountID in
// [from, to) add up to want: counting sender by sender, as DocuSign's per-user search does, finds
// every envelope of the account.
func EnvelopesBySenderSum(emu Emulator, accountID string, from, to time.Time, want int) Check {
	return stateCheck{envelopesBySender{emu, accountID, from, to, want}}
}

func (c envelopesBySender) Verify() error {
	sum := 0
	for _, n := range c.emu.EnvelopesBySender(c.accountID, c.from, c.to) {
		sum += n
	}
	if sum != c.want {
		return fmt.Errorf("emulator: the senders of %s sum to %d envelopes, want %d", c.accountID, sum, c.want)
	}
	return nil
}
