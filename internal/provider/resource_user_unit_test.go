// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// createdDuring decides whether destroy may close a user, so its unsure cases must land on
// "existed before".
func TestCreatedDuring(t *testing.T) {
	started := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	user := func(created string) *esign.User { return &esign.User{CreatedDateTime: created} }
	for _, tc := range []struct {
		name    string
		answers []*esign.User
		want    bool
	}{
		{"created during the apply", []*esign.User{user("2026-11-30T12:00:01.0000000Z")}, true},
		{"DocuSign's clock a little behind", []*esign.User{user("2026-11-30T11:57:00.0000000Z")}, true},
		{"existed long before", []*esign.User{user("2024-03-04T09:00:00.0000000Z")}, false},
		{"unknown date 0001-01-01", []*esign.User{user("0001-01-01T08:00:00.0000000Z")}, false},
		{"no date anywhere", []*esign.User{user(""), nil}, false},
		{"unparseable", []*esign.User{user("yesterday")}, false},
		{"create answer lacks it, read-back has it", []*esign.User{user(""), user("2026-11-30T12:00:02Z")}, true},
	} {
		if got := createdDuring(started, tc.answers...); got != tc.want {
			t.Errorf("%s: createdDuring = %v, want %v", tc.name, got, tc.want)
		}
	}
}
