// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"strings"
	"testing"
)

func TestParseImportID(t *testing.T) {
	cases := []struct {
		id        string
		forms     []importIDForm
		want      []string
		wantError string
	}{
		{testOrgID + "/regex/^a/b$", []importIDForm{identifierRuleImportID}, []string{testOrgID, "regex", "^a/b$"}, ""},
		{testOrgID + "//x", []importIDForm{identifierRuleImportID}, nil, "<match> is empty"},
		{testOrgID + "/like/x", []importIDForm{identifierRuleImportID}, nil, `<match> "like" is not one of equals`},
		{testOrgID, []importIDForm{identifierRuleImportID}, nil, "too few parts"},
		{"not-a-guid/" + exampleEmail, []importIDForm{accountUserImportID}, nil, `<account_id> "not-a-guid" is not a DocuSign GUID`},
		{testOrgID + "/nobody", []importIDForm{organizationUserImportID}, nil, `"nobody" is neither a user ID GUID nor an email address`},
		{testOrgID + "/ " + exampleGUID + " ," + exampleGUID, []importIDForm{closedUsersImportID}, []string{testOrgID, exampleGUID + "," + exampleGUID}, ""},
		{testOrgID + "/" + exampleGUID + ",x", []importIDForm{closedUsersImportID}, nil, `<user_id> "x" is not a DocuSign GUID`},
		{exampleEmail, []importIDForm{accountUserImportID, userImportID}, []string{exampleEmail}, ""},
		{testOrgID + "/" + exampleEmail, []importIDForm{accountUserImportID, userImportID}, []string{testOrgID, exampleEmail}, ""},
		{"sales/" + exampleEmail, []importIDForm{accountUserImportID, userImportID}, nil, "Expected <account_id>/<user_id or email> or <user_id or email>"},
	}
	for _, tc := range cases {
		parts, diags := parseImportID(tc.id, "EXAMPLE", tc.forms...)
		if tc.wantError == "" {
			if diags.HasError() || strings.Join(parts, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%q: got %q, %v; want %q", tc.id, parts, diags, tc.want)
			}
			continue
		}
		if !diags.HasError() {
			t.Errorf("%q: accepted as %q", tc.id, parts)
			continue
		}
		d := diags[0]
		if d.Summary() != importIDSummary || !strings.Contains(d.Detail(), tc.wantError) || !strings.Contains(d.Detail(), "such as EXAMPLE") {
			t.Errorf("%q: got %q: %q; want %q in the detail", tc.id, d.Summary(), d.Detail(), tc.wantError)
		}
	}
}
