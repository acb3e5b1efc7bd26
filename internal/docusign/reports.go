// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// The organization reports, read through the one data-feed client the Client builds.

type progressKey struct{}

// WithProgress makes the bulk jobs that calls on ctx start (user-list exports) report to p.
func WithProgress(ctx context.Context, p Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

func progressFrom(ctx context.Context) Progress {
	p, _ := ctx.Value(progressKey{}).(Progress)
	return p
}

// Organization finds orgID among the organizations the impersonated user administers
// (datafeed.ErrOrganizationNotFound otherwise).
func (c *Client) Organization(ctx context.Context, orgID string) (*admin.Organization, error) {
	return c.feed.Organization(ctx, orgID)
}

// Subscriptions reads the organization's memberships, plans and seats (see datafeed.Client).
func (c *Client) Subscriptions(ctx context.Context, q datafeed.SubscriptionsQuery) (*datafeed.SubscriptionsReport, error) {
	// The organization, its plan items and its users (listed or exported) in one JWT grant.
	c.Tokens.Expect("organization_read", "organization_sub_account_read", "user_read")
	return c.feed.Subscriptions(ctx, q)
}

// Activity adds each membership's last activity to r, and the reclaim candidates.
func (c *Client) Activity(ctx context.Context, q datafeed.ActivityQuery, r *datafeed.SubscriptionsReport) (*datafeed.ActivityReport, error) {
	return c.feed.Activity(ctx, q, r)
}

// Consumption reads the envelope consumption of the organization's accounts.
func (c *Client) Consumption(ctx context.Context, q datafeed.ConsumptionQuery) (*datafeed.ConsumptionReport, error) {
	return c.feed.Consumption(ctx, q)
}
