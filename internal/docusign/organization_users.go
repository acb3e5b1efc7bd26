// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// UserRef names one user: by ID when ID is set, else by email.
type UserRef struct {
	ID, Email string
}

// OrganizationOfAccount is the organization accountID belongs to, from userinfo (cached): no
// call beyond the token's. ErrAccountNotReachable when the impersonated user has no membership in
// the account, ErrNoOrganization when it belongs to none.
func (c *Client) OrganizationOfAccount(ctx context.Context, accountID string) (string, error) {
	info, err := c.Tokens.UserInfo(ctx)
	if err != nil {
		return "", err
	}
	acct, ok := info.Account(accountID)
	if !ok {
		return "", fmt.Errorf("%w: %s", ErrAccountNotReachable, accountID)
	}
	if acct.Organization == nil || acct.Organization.OrganizationID == "" {
		return "", fmt.Errorf("%w: account %s", ErrNoOrganization, accountID)
	}
	return acct.Organization.OrganizationID, nil
}

// FindOrganizationUser is the one organization user who, by ID or email, is who, with their
// memberships in every account: ErrUserNotFound when there is none, *AmbiguousEmailError when an
// email is shared.
func (c *Client) FindOrganizationUser(ctx context.Context, orgID string, who UserRef) (*admin.Profile, error) {
	profiles, err := c.Admin.FindProfiles(ctx, orgID, who.ID, who.Email)
	if err != nil {
		return nil, err
	}
	switch len(profiles) {
	case 0:
		name := who.ID
		if name == "" {
			name = who.Email
		}
		return nil, fmt.Errorf("%w: %s in organization %s", ErrUserNotFound, name, orgID)
	case 1:
		return &profiles[0], nil
	}
	return nil, &AmbiguousEmailError{OrganizationID: orgID, Email: who.Email, UserIDs: admin.ProfileIDs(profiles)}
}

// OrganizationClosure is what CloseOrganizationUser did.
type OrganizationClosure struct {
	User *admin.Profile
	// AccountIDs are every account of the organization the user is a member of, now closed;
	// memberships in other organizations' accounts (external ones) are left alone.
	AccountIDs []string
	// Failed are the accounts DocuSign did not confirm closed; the closure is then incomplete.
	Failed []admin.MembershipError
}

// CloseOrganizationUser closes every open membership who holds in orgID's accounts with one Admin
// API call. Errors: those of FindOrganizationUser as they are, *ImpersonatedUserError, or a
// *StepError of StepClose.
func (c *Client) CloseOrganizationUser(ctx context.Context, orgID string, who UserRef) (*OrganizationClosure, error) {
	profile, err := c.FindOrganizationUser(ctx, orgID, who)
	if err != nil {
		return nil, err
	}
	if c.isImpersonated(profile.ID) {
		return nil, &ImpersonatedUserError{UserID: profile.ID, Email: who.Email}
	}
	res := &OrganizationClosure{User: profile}
	var open []string
	for _, ms := range profile.Memberships {
		// A membership in another organization's account is not this organization's to close.
		if ms.IsExternalAccount {
			continue
		}
		res.AccountIDs = append(res.AccountIDs, ms.AccountID)
		if !ms.IsClosed() {
			open = append(open, ms.AccountID)
		}
	}
	if len(open) > 0 {
		res.Failed, err = c.CloseOrganizationMemberships(ctx, orgID, profile.ID, open)
		if err != nil {
			return nil, &StepError{Step: StepClose, OrganizationID: orgID, UserID: profile.ID, Err: err}
		}
	}
	return res, nil
}

// isImpersonated reports the user this client signs in as.
func (c *Client) isImpersonated(userID string) bool {
	return userID != "" && strings.EqualFold(userID, c.userID)
}

// ReopenOrganizationUser reopens who's closed memberships in accountIDs of orgID (Admin API
// activate membership). A user who is gone has nothing to reopen, which is no error. Errors are
// a *StepError of StepFindUser or StepReopen, or an *AmbiguousEmailError.
func (c *Client) ReopenOrganizationUser(ctx context.Context, orgID string, who UserRef, accountIDs []string) error {
	_, err := c.reopenOrganizationUser(ctx, orgID, who, accountIDs)
	return err
}

// reopenOrganizationUser reports whether the user still exists.
func (c *Client) reopenOrganizationUser(ctx context.Context, orgID string, who UserRef, accountIDs []string) (bool, error) {
	profile, err := c.FindOrganizationUser(ctx, orgID, who)
	var ambiguous *AmbiguousEmailError
	switch {
	case errors.Is(err, ErrUserNotFound):
		return false, nil
	case errors.As(err, &ambiguous):
		return false, err
	case err != nil:
		return false, &StepError{Step: StepFindUser, OrganizationID: orgID, UserID: who.ID, Err: err}
	}
	held := map[string]bool{}
	for _, id := range accountIDs {
		held[strings.ToLower(id)] = true
	}
	for _, ms := range profile.Memberships {
		if !held[strings.ToLower(ms.AccountID)] || !ms.IsClosed() {
			continue
		}
		if err := c.Admin.ActivateMembership(ctx, orgID, profile.ID, ms.ID, profile.SiteID); err != nil {
			return true, &StepError{Step: StepReopen, OrganizationID: orgID, AccountID: ms.AccountID, UserID: profile.ID, Err: err}
		}
	}
	return true, nil
}

// CloseOrganizationMemberships closes the user's memberships in accountIDs through the Admin API
// and returns the accounts where the membership is not confirmed closed. An account the answer
// confirms costs nothing more; for accounts it leaves unconfirmed (see
// admin.CloseMembershipsResult), one read of the user's memberships settles it, so a close is
// reported done only when DocuSign says so.
func (c *Client) CloseOrganizationMemberships(ctx context.Context, orgID, userID string, accountIDs []string) ([]admin.MembershipError, error) {
	res, err := c.Admin.CloseMemberships(ctx, orgID, userID, accountIDs)
	if err != nil {
		return nil, err
	}
	failed := res.Failed
	if len(res.Unconfirmed) == 0 {
		return failed, nil
	}
	profile, err := c.Admin.ProfileByID(ctx, orgID, userID)
	if err != nil {
		return nil, fmt.Errorf("DocuSign's answer to closing user %s did not confirm accounts %s, and reading the user's memberships to check failed: %w",
			userID, strings.Join(res.Unconfirmed, ", "), err)
	}
	status := map[string]string{}
	for _, ms := range profile.Memberships {
		status[strings.ToLower(ms.AccountID)] = ms.Status
	}
	for _, id := range res.Unconfirmed {
		s, member := status[strings.ToLower(id)]
		switch {
		case !member:
			failed = append(failed, admin.MembershipError{AccountID: id, Code: "not_confirmed",
				Description: "DocuSign's answer did not confirm the close, and the user has no membership in this account"})
		case !strings.EqualFold(s, "closed"):
			failed = append(failed, admin.MembershipError{AccountID: id, Code: "not_confirmed",
				Description: "DocuSign's answer did not confirm the close, and the membership's status is still " + strconv.Quote(s)})
		}
	}
	return failed, nil
}
