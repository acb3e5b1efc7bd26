// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

// addClientError is the one place typed client errors become diagnostics: each error, however
// wrapped, gets its own summary on the attribute the resource names, in the resource's words.
func TestAddClientErrorMapsEachTypedError(t *testing.T) {
	closeUsers := clientCall{summary: "Unable to Close Users", emailAttr: "emails", userIDAttr: "user_ids", sharedEmail: "Move it."}
	step := func(s *docusign.StepError, detail string) diag.Diagnostic {
		return diag.NewErrorDiagnostic("Step "+string(s.Step), detail)
	}
	wrapped := func(err error) error { return fmt.Errorf("outer: %w", err) }
	for _, tc := range []struct {
		name              string
		err               error
		call              clientCall
		summary, attr, in string
	}{
		{"user exists inside a step", &docusign.StepError{Step: docusign.StepCreate, Err: &docusign.UserExistsError{AccountID: "A", Email: "e@x", UserID: "U"}},
			clientCall{summary: "S", step: step}, "User Already Exists", "email", "terraform import <resource address> A/U"},
		{"impersonated user by email", wrapped(&docusign.ImpersonatedUserError{UserID: "U", Email: "e@x"}), closeUsers,
			"Cannot Close the Provider's Own User", "emails", "whose email is e@x"},
		{"impersonated user by ID", &docusign.ImpersonatedUserError{UserID: "U"}, closeUsers,
			"Cannot Close the Provider's Own User", "user_ids", "U is the user"},
		{"emails not found", &docusign.EmailsNotResolvedError{AccountID: "A", Missing: []string{"m@x"}}, closeUsers,
			"Users Not Found", "emails", "no user with these emails: m@x"},
		{"shared email in a batch", &docusign.EmailsNotResolvedError{AccountID: "A", Ambiguous: map[string][]string{"s@x": {"U1", "U2"}}}, closeUsers,
			"Several Users Share This Email", "emails", "account A has 2 users with email s@x: U1, U2. Move it."},
		{"no account in the organization", &docusign.StepError{Step: docusign.StepMembership, Err: &docusign.NoAccountInOrganizationError{UserID: "U"}},
			clientCall{step: step}, "Step " + string(docusign.StepMembership), "", "(their accounts: none)"},
		{"a step", wrapped(&docusign.StepError{Step: docusign.StepReopen, Err: errors.New("boom")}), clientCall{step: step},
			"Step " + string(docusign.StepReopen), "", ""},
		{"shared email in an organization", &docusign.AmbiguousEmailError{OrganizationID: "O", Email: "s@x", UserIDs: []string{"U1", "U2"}},
			lookupScope{organizationID: "O", email: "s@x"}.call(), "Several Users Share This Email", "email", "organization O has 2 users"},
		{"user not found by ID", fmt.Errorf("%w: U", docusign.ErrUserNotFound), lookupScope{accountID: "A", userID: "U"}.call(),
			"User Not Found", "user_id", "account A has no user U"},
		{"email not ruled out", wrapped(&docusign.UnconfirmedEmailError{AccountID: "A", Email: "e@x", Read: 2000}), lookupScope{accountID: "A", email: "e@x"}.call(),
			"Unable to Find User", "email", "the first 2000 users of the account hold no other spelling of it"},
		{"anything else", errors.New("boom"), clientCall{summary: "Unable to Do It"}, "Unable to Do It", "", "boom"},
	} {
		var diags diag.Diagnostics
		addClientError(&diags, tc.err, tc.call)
		if len(diags) != 1 {
			t.Errorf("%s: %d diagnostics, want 1: %v", tc.name, len(diags), diags)
			continue
		}
		d := diags[0]
		var attr path.Path
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			attr = withPath.Path()
		}
		if d.Summary() != tc.summary || attr.String() != tc.attr || !strings.Contains(d.Detail(), tc.in) {
			t.Errorf("%s: got %q on %q: %s; want %q on %q containing %q", tc.name, d.Summary(), attr, d.Detail(), tc.summary, tc.attr, tc.in)
		}
	}

	// A shared email can be a result instead of a diagnostic.
	var diags diag.Diagnostics
	var shared []string
	addClientError(&diags, &docusign.AmbiguousEmailError{AccountID: "A", UserIDs: []string{"U1", "U2"}}, clientCall{sharedEmailUsers: &shared})
	if len(diags) != 0 || strings.Join(shared, ",") != "U1,U2" {
		t.Errorf("shared email as a result: %v, %v", shared, diags)
	}
	if addClientError(&diags, nil, clientCall{summary: "S"}); len(diags) != 0 {
		t.Errorf("no error gave %v", diags)
	}
}
