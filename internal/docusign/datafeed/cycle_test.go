// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddMonthsClampsFromTheAnchor(t *testing.T) {
	anchor := d("2025-01-31")
	want := []string{"2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30",
		"2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31"}
	for n, w := range want {
		if got := FormatDate(AddMonths(anchor, n)); got != w {
			t.Errorf("AddMonths(2025-01-31, %d) = %s, want %s", n, got, w)
		}
	}
	if got := FormatDate(AddMonths(d("2024-01-31"), 1)); got != "2024-02-29" {
		t.Errorf("leap February: got %s", got)
	}
	if got := FormatDate(AddMonths(d("2025-03-31"), -1)); got != "2025-02-28" {
		t.Errorf("negative months: got %s", got)
	}
	if got := FormatDate(AddMonths(d("2025-03-15"), -15)); got != "2023-12-15" {
		t.Errorf("negative across years: got %s", got)
	}
}

func TestCycle(t *testing.T) {
	cases := []struct {
		name, start string
		months      int
		asOf        string
		wantStart   string
		wantEnd     string
	}{
		{"monthly from the 31st, February", "2025-01-31", 1, "2025-02-15", "2025-01-31", "2025-02-27"},
		{"monthly from the 31st, clamped start", "2025-01-31", 1, "2025-02-28", "2025-02-28", "2025-03-30"},
		{"monthly from the 31st, back to the 31st", "2025-01-31", 1, "2025-03-31", "2025-03-31", "2025-04-29"},
		{"monthly from the 31st, April", "2025-01-31", 1, "2025-04-30", "2025-04-30", "2025-05-30"},
		{"monthly from the 31st, leap year", "2024-01-31", 1, "2024-03-01", "2024-02-29", "2024-03-30"},
		{"monthly, day before boundary", "2025-01-31", 1, "2025-03-30", "2025-02-28", "2025-03-30"},
		{"yearly from Feb 29, non-leap", "2028-02-29", 12, "2029-03-01", "2029-02-28", "2030-02-27"},
		{"yearly from Feb 29, back to leap", "2028-02-29", 12, "2032-02-29", "2032-02-29", "2033-02-27"},
		{"yearly from Feb 29, day before leap boundary", "2028-02-29", 12, "2032-02-28", "2031-02-28", "2032-02-28"},
		{"yearly from Feb 29, first cycle", "2024-02-29", 12, "2024-12-31", "2024-02-29", "2025-02-27"},
		{"asOf exactly on the start", "2024-06-15", 3, "2024-06-15", "2024-06-15", "2024-09-14"},
		{"asOf exactly on a boundary", "2024-06-15", 3, "2024-09-15", "2024-09-15", "2024-12-14"},
		{"asOf on the last day", "2024-06-15", 3, "2024-12-14", "2024-09-15", "2024-12-14"},
		{"quarterly from the 31st", "2025-08-31", 3, "2026-02-27", "2025-11-30", "2026-02-27"},
		{"quarterly from the 31st, next", "2025-08-31", 3, "2026-03-01", "2026-02-28", "2026-05-30"},
		{"quarterly from the 31st, clamped Feb", "2025-11-30", 3, "2026-02-28", "2026-02-28", "2026-05-29"},
		{"renewal 120 months", "2016-05-31", 120, "2026-11-22", "2026-05-31", "2036-05-30"},
		{"renewal 120 months, first cycle", "2016-05-31", 120, "2026-05-30", "2016-05-31", "2026-05-30"},
		{"before the contract start", "2026-01-01", 12, "2025-06-01", "2026-01-01", "2026-12-31"},
		{"yearly, far later", "2020-03-01", 12, "2026-11-22", "2026-03-01", "2027-02-28"},
		{"six-monthly from Aug 31", "2023-08-31", 6, "2024-02-29", "2024-02-29", "2024-08-30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, e := Cycle(d(c.start), c.months, d(c.asOf))
			if FormatDate(s) != c.wantStart || FormatDate(e) != c.wantEnd {
				t.Errorf("Cycle(%s, %d, %s) = %s..%s, want %s..%s", c.start, c.months, c.asOf,
					FormatDate(s), FormatDate(e), c.wantStart, c.wantEnd)
			}
		})
	}
}

// Every day belongs to exactly one cycle, and consecutive cycles touch.
func TestCycleCoversEveryDay(t *testing.T) {
	for _, start := range []string{"2024-01-31", "2024-02-29", "2023-05-30", "2020-12-31"} {
		for _, months := range []int{1, 2, 3, 6, 12, 13, 120} {
			anchor := d(start)
			prevStart, prevEnd := Cycle(anchor, months, anchor)
			for day := anchor.AddDate(0, 0, 1); day.Before(anchor.AddDate(12, 0, 0)); day = day.AddDate(0, 0, 1) {
				s, e := Cycle(anchor, months, day)
				if day.Before(s) || day.After(e) {
					t.Fatalf("%s/%d: %s is outside its cycle %s..%s", start, months, FormatDate(day), FormatDate(s), FormatDate(e))
				}
				if !s.Equal(prevStart) {
					if !s.Equal(prevEnd.AddDate(0, 0, 1)) {
						t.Fatalf("%s/%d: cycle %s..%s does not follow %s..%s", start, months, FormatDate(s), FormatDate(e), FormatDate(prevStart), FormatDate(prevEnd))
					}
					if s.Day() != min(anchor.Day(), daysIn(s.Year(), s.Month())) {
						t.Fatalf("%s/%d: cycle start %s drifted from the anchor day", start, months, FormatDate(s))
					}
				}
				prevStart, prevEnd = s, e
			}
		}
	}
}
