// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"sort"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// ConnectionCheck is what ValidateConnection found.
type ConnectionCheck struct {
	Organization *admin.Organization
	// MemberAccountID is an account of the organization the impersonated user belongs to.
	MemberAccountID string
}

// ValidateConnection proves the connection can read orgID, the way "Validate Connection" does in
// license tools: an access token, an account of the impersonated user in the organization
// (userinfo), organization administrator rights (the organization list), the plan items, and,
// with readAccount, one account's counters. A failure is a *StepError naming the step; the
// membership step's cause is a *NoAccountInOrganizationError, the administrator step's may be
// datafeed.ErrOrganizationNotFound.
func (c *Client) ValidateConnection(ctx context.Context, orgID string, readAccount bool) (*ConnectionCheck, error) {
	fail := func(step Step, err error) error { return &StepError{Step: step, OrganizationID: orgID, Err: err} }
	if _, err := c.Tokens.Token(ctx); err != nil {
		return nil, fail(StepToken, err)
	}
	info, err := c.Tokens.UserInfo(ctx)
	if err != nil {
		return nil, fail(StepMembership, err)
	}
	check := &ConnectionCheck{}
	var seen []string
	for _, a := range info.Accounts {
		seen = append(seen, a.AccountID)
		if check.MemberAccountID == "" && a.Organization != nil && strings.EqualFold(a.Organization.OrganizationID, orgID) {
			check.MemberAccountID = a.AccountID
		}
	}
	if check.MemberAccountID == "" {
		sort.Strings(seen)
		return nil, fail(StepMembership, &NoAccountInOrganizationError{UserID: info.Sub, OrganizationID: orgID, Accounts: seen})
	}
	if check.Organization, err = c.Organization(ctx, orgID); err != nil {
		return nil, fail(StepOrganizationAdmin, err)
	}
	if _, err := c.Admin.PlanItems(ctx, check.Organization.ID); err != nil {
		return nil, fail(StepPlanItems, err)
	}
	if readAccount {
		if _, err := c.ESign.GetAccount(ctx, check.MemberAccountID); err != nil {
			return nil, &StepError{Step: StepReadAccount, OrganizationID: orgID, AccountID: check.MemberAccountID, Err: err}
		}
	}
	return check, nil
}
