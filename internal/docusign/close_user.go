// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// The leaver operations of one account: close a user, read whether they are still closed, and
// reopen them. Closes share batched calls (Closer) and reads share one listing of the account's
// closed users (Directory), which every close keeps true.

// CloseUser closes who's membership in accountID, sharing the DELETE …/users call with closes
// that arrive at the same time, and returns the user as DocuSign's answer gives them. Closing a
// closed user succeeds. Errors: those of FindUserByEmail for a user named by email,
// *ImpersonatedUserError for the user this client signs in as, ErrUserNotFound for a user the
// account lacks, ErrCloseNotConfirmed when DocuSign's answer does not say the user is closed.
func (c *Client) CloseUser(ctx context.Context, accountID string, who UserRef) (*esign.User, error) {
	userID, err := c.userIDOf(ctx, accountID, who)
	if err != nil {
		return nil, err
	}
	if c.isImpersonated(userID) {
		return nil, &ImpersonatedUserError{UserID: userID, Email: who.Email}
	}
	result, err := c.closer.Close(ctx, accountID, userID)
	if err == nil {
		err = result.Err
	}
	if err != nil {
		return nil, err
	}
	user := result.User
	if user.UserID == "" {
		user.UserID = userID
	}
	c.directory.Closed(accountID, user)
	return &user, nil
}

// AccountMembership is who's membership in accountID as it is now, read from the account's
// shared listing of closed users (one listing serves every user of the account) or, for a user
// missing from it, their own record. Errors: ErrUserNotFound, and for a user named by email those
// of FindUserByEmail.
func (c *Client) AccountMembership(ctx context.Context, accountID string, who UserRef) (*esign.User, error) {
	userID, err := c.userIDOf(ctx, accountID, who)
	if err != nil {
		return nil, err
	}
	return c.directory.User(ctx, accountID, userID)
}

// IsUserClosed reports whether userID's membership in accountID is closed, from the account's
// shared listing alone: a refresh of any number of users costs one read of the account.
func (c *Client) IsUserClosed(ctx context.Context, accountID, userID string) (bool, error) {
	return c.directory.IsClosed(ctx, accountID, userID)
}

// ReopenUser reopens who's closed membership in accountID through the Admin API, which needs the
// account to belong to an organization. A user who is gone has nothing to reopen, which is no
// error. Errors are *StepError (StepFindOrganization, StepFindUser, StepReopen) or
// *AmbiguousEmailError.
func (c *Client) ReopenUser(ctx context.Context, accountID string, who UserRef) error {
	orgID, err := c.OrganizationOfAccount(ctx, accountID)
	if err != nil {
		return &StepError{Step: StepFindOrganization, AccountID: accountID, UserID: who.ID, Err: err}
	}
	exists, err := c.reopenOrganizationUser(ctx, orgID, who, []string{accountID})
	if exists && err == nil {
		c.directory.Forget(accountID)
	}
	return err
}

// ReopenAccountUser reopens who's membership in accountID and returns the user as DocuSign then
// reports them: the reopen counts only when a fresh read of the membership says it is no longer
// closed. A membership that is not closed is left alone (reopened is false). Errors:
// ErrUserNotFound for a user the account lacks, those of FindUserByEmail for a user named by email,
// and *StepError for the reopen or its confirmation.
func (c *Client) ReopenAccountUser(ctx context.Context, accountID string, who UserRef) (user *esign.User, reopened bool, err error) {
	user, err = c.AccountMembership(ctx, accountID, who)
	if err != nil || !user.IsClosed() {
		return user, false, err
	}
	if err := c.ReopenUser(ctx, accountID, UserRef{ID: user.UserID, Email: who.Email}); err != nil {
		return nil, false, err
	}
	after, err := c.AccountMembership(ctx, accountID, UserRef{ID: user.UserID})
	if err == nil && after.IsClosed() {
		err = errReopenNotConfirmed
	}
	if err != nil {
		return nil, false, &StepError{Step: StepReopen, AccountID: accountID, UserID: user.UserID, Err: err}
	}
	return after, true, nil
}

// errReopenNotConfirmed is a reopen DocuSign accepted while its membership read still says closed.
var errReopenNotConfirmed = errors.New("DocuSign accepted the reopen, but the membership still reads as closed")

// ReopenUsers reopens the closed memberships of userIDs in accountID through the Admin API, with
// one organization listing of the account's users to find the memberships. Users not closed, or
// gone, are left alone. Errors are *StepError (StepFindOrganization, StepFindUser for the
// listing, StepReopen).
func (c *Client) ReopenUsers(ctx context.Context, accountID string, userIDs []string) error {
	orgID, err := c.OrganizationOfAccount(ctx, accountID)
	if err != nil {
		return &StepError{Step: StepFindOrganization, AccountID: accountID, Err: err}
	}
	rows, err := c.Admin.ListAllUsers(ctx, orgID, admin.UsersQuery{AccountID: accountID})
	if err != nil {
		return &StepError{Step: StepFindUser, OrganizationID: orgID, AccountID: accountID, Err: err}
	}
	want := map[string]bool{}
	for _, id := range userIDs {
		want[strings.ToLower(id)] = true
	}
	siteID := 0
	if orgs, err := c.Admin.ListOrganizations(ctx); err == nil {
		for _, o := range orgs {
			for _, a := range o.Accounts {
				if strings.EqualFold(a.ID, accountID) {
					siteID = a.SiteID
				}
			}
		}
	}
	for _, row := range rows {
		if !want[strings.ToLower(row.ID)] || !strings.EqualFold(row.MembershipStatus, "closed") {
			continue
		}
		if err := c.Admin.ActivateMembership(ctx, orgID, row.ID, row.MembershipID, siteID); err != nil {
			return &StepError{Step: StepReopen, OrganizationID: orgID, AccountID: accountID, UserID: row.ID, Err: err}
		}
	}
	c.directory.Forget(accountID)
	return nil
}

// userIDOf is who's user ID, looked up by email in accountID when who names no ID.
func (c *Client) userIDOf(ctx context.Context, accountID string, who UserRef) (string, error) {
	if who.ID != "" {
		return who.ID, nil
	}
	user, err := c.FindUserByEmail(ctx, accountID, who.Email)
	if err != nil {
		return "", err
	}
	return user.UserID, nil
}
