// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// AccountUser returns userID's membership in accountID, or an error wrapping
// esign.ErrUserNotFound. It works whether or not DocuSign lets an administrator read other users
// through GET …/users/{userId}: the newer eSignature spec says that route serves only the
// caller's own record, the older one lets administrators read anyone.
//
// With the user's email (as state holds it) the lookup is one list call filtered by email, which
// works under both readings and costs what the GET costs. Without it, or when the email no longer
// matches, it asks GET …/users/{userId}; if DocuSign refuses that with USER_LACKS_PERMISSIONS, the
// client remembers the refusal for the rest of the process and from then on goes straight to the
// Admin API's profile of the user, whose email then finds the eSignature record (two calls,
// organization accounts) or, failing that, pages through the account's users (one call per 100).
func (c *Client) AccountUser(ctx context.Context, accountID, userID, email string) (*esign.User, error) {
	if email != "" {
		users, err := c.ESign.FindUsers(ctx, accountID, esign.ListUsersQuery{Email: email, AdditionalInfo: true})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if strings.EqualFold(u.UserID, userID) {
				return &u, nil
			}
		}
	}
	return c.userByID(ctx, accountID, userID)
}

func (c *Client) userByID(ctx context.Context, accountID, userID string) (*esign.User, error) {
	if !c.usersSelfOnly.Load() {
		u, err := c.ESign.GetUser(ctx, accountID, userID)
		if !transport.HasCode(err, "USER_LACKS_PERMISSIONS") {
			return u, err
		}
		c.usersSelfOnly.Store(true)
	}
	if orgID, err := c.OrganizationOfAccount(ctx, accountID); err == nil {
		profile, err := c.Admin.ProfileByID(ctx, orgID, userID)
		switch {
		case errors.Is(err, admin.ErrUserNotFound):
			return nil, fmt.Errorf("%w: %s in account %s", esign.ErrUserNotFound, userID, accountID)
		case err == nil:
			for _, m := range profile.Memberships {
				if strings.EqualFold(m.AccountID, accountID) {
					return c.userByProfileEmail(ctx, accountID, profile, m)
				}
			}
			return nil, fmt.Errorf("%w: %s in account %s", esign.ErrUserNotFound, userID, accountID)
		}
		// Not an organization administrator, or no Admin scope: the account's own list still works.
	}
	users, err := c.ESign.ListAllUsers(ctx, accountID, esign.ListUsersQuery{Status: esign.AnyStatus, AdditionalInfo: true})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if strings.EqualFold(u.UserID, userID) {
			return &u, nil
		}
	}
	return nil, fmt.Errorf("%w: %s in account %s", esign.ErrUserNotFound, userID, accountID)
}

// userByProfileEmail reads the eSignature record of the user whose Admin profile gave their
// email, so that every lookup path gives the same values (the Admin API writes dates and
// statuses its own way). The profile's own values serve when the list leaves the user out.
func (c *Client) userByProfileEmail(ctx context.Context, accountID string, p *admin.Profile, m admin.Membership) (*esign.User, error) {
	if m.Email != "" {
		users, err := c.ESign.FindUsers(ctx, accountID, esign.ListUsersQuery{Email: m.Email, AdditionalInfo: true})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if strings.EqualFold(u.UserID, p.ID) {
				return &u, nil
			}
		}
	}
	return userFromProfile(p, m), nil
}

// userFromProfile is the eSignature view of one membership of an Admin API profile.
func userFromProfile(p *admin.Profile, m admin.Membership) *esign.User {
	u := &esign.User{
		UserID: p.ID, UserName: p.UserName, FirstName: p.FirstName, LastName: p.LastName, Email: m.Email,
		UserStatus: eSignatureStatus(m.Status), MembershipID: m.ID, IsAdmin: "False",
		CreatedDateTime: eSignatureTime(p.CreatedOn),
	}
	if m.IsAdmin {
		u.IsAdmin = "True"
	}
	if m.PermissionProfile != nil {
		u.PermissionProfileID = strconv.FormatInt(m.PermissionProfile.ID, 10)
		u.PermissionProfileName = m.PermissionProfile.Name
	}
	return u
}

// eSignatureStatus spells an Admin API membership status (activation_sent) the eSignature way
// (ActivationSent).
func eSignatureStatus(s string) string {
	for _, known := range []string{esign.StatusActivationRequired, esign.StatusActivationSent, esign.StatusActive, esign.StatusClosed, esign.StatusDisabled} {
		if strings.EqualFold(strings.ReplaceAll(s, "_", ""), known) {
			return known
		}
	}
	return s
}

// eSignatureTime writes an Admin API time the way eSignature writes createdDateTime.
func eSignatureTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// FindUserByEmail resolves email to the one user of accountID who has it, closed users included:
// ErrUserNotFound when none has it, *AmbiguousEmailError when several share it.
func (c *Client) FindUserByEmail(ctx context.Context, accountID, email string) (*esign.User, error) {
	users, err := c.ESign.FindUsersByEmail(ctx, accountID, email)
	if err != nil {
		return nil, err
	}
	switch len(users) {
	case 0:
		return nil, fmt.Errorf("%w: no user with email %s in account %s", ErrUserNotFound, email, accountID)
	case 1:
		return &users[0], nil
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.UserID
	}
	sort.Strings(ids)
	return nil, &AmbiguousEmailError{AccountID: accountID, Email: email, UserIDs: ids}
}

// CreateUser adds u to accountID once: when DocuSign's answer was lost, it looks the email up
// before trying again, so a dropped response never leads to a second user. An email the account
// already holds an open membership for is a *UserExistsError naming that user.
func (c *Client) CreateUser(ctx context.Context, accountID string, u esign.NewUser) (*esign.User, error) {
	created, err := c.createUserOnce(ctx, accountID, u)
	if transport.HasCode(err, "USER_ALREADY_EXISTS_IN_ACCOUNT") {
		exists := &UserExistsError{AccountID: accountID, Email: u.Email, Err: err}
		if users, findErr := c.ESign.FindUsersByEmail(ctx, accountID, u.Email); findErr == nil && len(users) > 0 {
			exists.UserID = users[0].UserID
		}
		return nil, exists
	}
	return created, err
}

func (c *Client) createUserOnce(ctx context.Context, accountID string, u esign.NewUser) (*esign.User, error) {
	created, err := c.ESign.CreateUser(ctx, accountID, u)
	if err == nil || !errors.Is(err, transport.ErrOutcomeUnknown) {
		return created, err
	}
	users, findErr := c.ESign.FindUsersByEmail(ctx, accountID, u.Email)
	var unconfirmed *esign.UnconfirmedEmailError
	if findErr != nil && !errors.As(findErr, &unconfirmed) {
		return nil, fmt.Errorf("%w; checking whether the user was created also failed: %w", err, findErr)
	}
	// Found by nobody, or not ruled out: sending again is safe either way, because DocuSign
	// refuses a second open membership for the address (USER_ALREADY_EXISTS_IN_ACCOUNT).
	for _, existing := range users {
		if !existing.IsClosed() {
			return &existing, nil
		}
	}
	return c.ESign.CreateUser(ctx, accountID, u)
}

// FindOpenUser is who's record in accountID: by ID, or by email the first membership of that
// email that is not closed (an email may have closed memberships besides the open one). The user
// returned may be closed (read by ID); ErrUserNotFound when there is none.
func (c *Client) FindOpenUser(ctx context.Context, accountID string, who UserRef) (*esign.User, error) {
	userID := who.ID
	if userID == "" {
		users, err := c.ESign.FindUsers(ctx, accountID, esign.ListUsersQuery{Email: who.Email, AdditionalInfo: true})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if !u.IsClosed() {
				userID = u.UserID
				break
			}
		}
		if userID == "" {
			return nil, fmt.Errorf("%w: no open membership for %s in account %s", ErrUserNotFound, who.Email, accountID)
		}
	}
	return c.AccountUser(ctx, accountID, userID, who.Email)
}
