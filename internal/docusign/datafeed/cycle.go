// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package datafeed holds the organization-level reads behind the license-management data
// sources: renewal-cycle arithmetic, exclusion rules, the subscriptions report (accounts,
// memberships, plan items) and envelope consumption, built from the public Admin and eSignature
// APIs. The name is the package's role, not DocuSign's support-enabled "Data Feed API", which has no
// public spec, and not the Monitor API (security events). It imports nothing from Terraform.
package datafeed

import (
	"fmt"
	"time"
)

// Dates are civil dates: a time.Time at midnight UTC.

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return t, nil
}

// FormatDate writes a date as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.Format(time.DateOnly) }

// Day truncates t to its calendar day (in t's own location) and returns it as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// AddMonths moves anchor n months on, clamping the day to the end of a shorter month: Jan 31
// plus one month is Feb 28 (Feb 29 in a leap year). It always counts from the anchor, so
// AddMonths(Jan 31, 2) is Mar 31, never the Mar 28 that repeated clamping would give.
func AddMonths(anchor time.Time, n int) time.Time {
	y, m, d := anchor.Date()
	total := int(m) - 1 + n
	year := y + floorDiv(total, 12)
	month := time.Month(total - floorDiv(total, 12)*12 + 1)
	if dim := daysIn(year, month); d > dim {
		d = dim
	}
	return time.Date(year, month, d, 0, 0, 0, 0, time.UTC)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Cycle returns the renewal cycle that contains asOf: cycle k starts at contractStart plus
// k*months months (clamped to month ends from the anchor) and ends, inclusive, the day before
// cycle k+1 starts. A date before the contract start gets the first cycle. months must be ≥ 1.
func Cycle(contractStart time.Time, months int, asOf time.Time) (start, end time.Time) {
	if months < 1 {
		months = 1
	}
	anchor := Day(contractStart)
	at := Day(asOf)
	k := 0
	if at.After(anchor) {
		diff := (at.Year()-anchor.Year())*12 + int(at.Month()) - int(anchor.Month())
		k = diff / months
		for k > 0 && AddMonths(anchor, k*months).After(at) {
			k--
		}
		for !AddMonths(anchor, (k+1)*months).After(at) {
			k++
		}
	}
	start = AddMonths(anchor, k*months)
	end = AddMonths(anchor, (k+1)*months).AddDate(0, 0, -1)
	return start, end
}
