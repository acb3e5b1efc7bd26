// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"
	"time"
)

func TestCyclePeriodStrings(t *testing.T) {
	s, e, err := cyclePeriod("2024-01-31", 1, time.Date(2024, 2, 29, 15, 0, 0, 0, time.UTC))
	if err != nil || s != "2024-02-29" || e != "2024-03-30" {
		t.Fatalf("got %s %s %v", s, e, err)
	}
	if _, _, err := cyclePeriod("2024-02-30", 1, time.Now()); err == nil {
		t.Error("invalid date accepted")
	}
}
