// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/paging"
)

// inflatedTotal reports a total of two billion rows on every page.
type inflatedTotal struct{ *fakeAPI }

func (f inflatedTotal) ListUsers(ctx context.Context, org string, q admin.UsersQuery) (*admin.UsersPage, error) {
	page, err := f.fakeAPI.ListUsers(ctx, org, q)
	if page != nil {
		page.Paging.TotalSetSize = 2_000_000_000
		page.Paging.Next = "next"
	}
	return page, err
}

// TestSubscriptionsRefuseAnImpossibleTotal: the report fetches the pages after the first in
// parallel, as many as the first page's total implies; a total of two billion rows would start
// millions of calls. It is refused after the first page of each account.
func TestSubscriptionsRefuseAnImpossibleTotal(t *testing.T) {
	f := demoAPI()
	c := &Client{Admin: inflatedTotal{f}, ESign: f}
	_, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: f.org.ID})
	if !errors.Is(err, paging.ErrTooManyPages) {
		t.Fatalf("err = %v, want ErrTooManyPages", err)
	}
	if n := len(f.queries); n > len(f.org.Accounts) {
		t.Errorf("%d user listings for %d accounts; only the first pages should be read", n, len(f.org.Accounts))
	}
}
