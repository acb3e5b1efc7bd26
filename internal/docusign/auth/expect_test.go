// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package auth_test

import (
	"context"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
)

// An operation that expects its scopes takes one grant for all of them, asking for those and no
// others; configured scopes stay as configured.
func TestExpectAsksForAnOperationsScopesInOneGrant(t *testing.T) {
	srv := newOAuthServer(t)
	ts := newSource(t, srv, func(c *auth.Config) { c.Scopes = nil })
	ctx := context.Background()
	ts.Expect("organization_read", "user_read", "user_write")
	var tokens []string
	for _, scopes := range [][]string{{"organization_read"}, {"user_read"}, {"user_write"}, nil} {
		tok, err := ts.WithScopes(scopes...).AccessToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	if ts.Grants() != 1 || tokens[0] != tokens[1] || tokens[1] != tokens[2] || tokens[2] != tokens[3] {
		t.Fatalf("%d grants for one operation (tokens %v), want 1", ts.Grants(), tokens)
	}
	if got := srv.scopeOf(t, 0); got != "signature impersonation organization_read user_read user_write" {
		t.Errorf("the grant asked for %q", got)
	}

	fixed := newSource(t, srv, func(c *auth.Config) { c.Scopes = []string{"signature", "impersonation"} })
	fixed.Expect("user_write")
	if _, err := fixed.AccessToken(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.scopeOf(t, 1); got != "signature impersonation" {
		t.Errorf("configured scopes grew to %q", got)
	}
	var none *auth.TokenSource
	none.Expect("user_read") // a client without a token source has nothing to widen
}
