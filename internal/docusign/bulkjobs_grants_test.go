// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

// TestBulkCloseTakesOneGrant: with scopes asked for on demand (the provider's default), a bulk
// close (organization lookup, export, import) takes one JWT grant that carries all three Admin
// scopes, instead of one grant per scope as its calls come; and closes everyone.
func TestBulkCloseTakesOneGrant(t *testing.T) {
	f, ids := withClosedUsers(t, 20, "Active")
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv, func(cfg *Config) { cfg.Scopes = nil })
	srv.ResetStats()
	results, err := c.CloseManyPreferBulk(context.Background(), testSales, ids, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("user %s: %v", r.UserID, r.Err)
		}
	}
	st := srv.Stats()
	if st.Requests[routeCloseImport] != 1 || st.TokenGrants != 1 {
		t.Fatalf("%d token grants for one bulk close (calls %v), want 1", st.TokenGrants, st.Requests)
	}
	if got := c.Tokens.Scopes(); len(got) != 5 {
		t.Errorf("the grant asked for %v: the base scopes and organization_read, user_read, user_write", got)
	}
}

// TestDirectoryExportTakesOneMoreGrant: a closed-user refresh too large for the listing reads one
// export; its organization lookup and export share one grant on top of the listing's first page
// (eSignature scopes only), where they took one each before.
func TestDirectoryExportTakesOneMoreGrant(t *testing.T) {
	f, ids := withClosedUsers(t, 1200, "Closed")
	srv := startEmulator(t, f, emulator.Options{})
	c := newClient(t, srv, func(cfg *Config) { cfg.Scopes = nil })
	srv.ResetStats()
	if closed, err := c.directory.IsClosed(context.Background(), testSales, ids[0]); err != nil || !closed {
		t.Fatalf("closed %v, err %v", closed, err)
	}
	if st := srv.Stats(); st.Requests[routeExport] != 1 || st.TokenGrants != 2 {
		t.Fatalf("%d token grants (calls %v), want 2: the listing's, then the export's", st.TokenGrants, st.Requests)
	}
}
