// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"errors"
	"fmt"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// The client's typed errors. Callers match them with errors.Is and errors.As and never read an
// error's text; the text is for people.

// RateLimitError is a call given up on because DocuSign kept refusing it for the account's API
// limits; it carries the limit and when it resets.
type RateLimitError = transport.RateLimitError

// Why a RateLimitError gave up.
const (
	RateLimitRetriesSpent = transport.RetriesSpent
	RateLimitResetTooFar  = transport.ResetTooFar
	RateLimitPastDeadline = transport.PastDeadline
)

// ErrRetryBudget means every allowed retry of a call was spent (on throttles, 5xx answers or
// network failures); the last failure is wrapped with it.
var ErrRetryBudget = transport.ErrRetryBudget

// ErrUnreachable means DocuSign answered nothing for long enough that calls now fail at once.
var ErrUnreachable = transport.ErrUnreachable

// ErrDeadline means the caller's deadline ended a call; it matches context.DeadlineExceeded.
var ErrDeadline = transport.ErrDeadline

// ErrOutcomeUnknown means DocuSign may or may not have done what a call asked.
var ErrOutcomeUnknown = transport.ErrOutcomeUnknown

// DefaultMaxRetries is how often one call is resent when Config.MaxRetries is nil.
const DefaultMaxRetries = transport.DefaultMaxRetries

// Retries is a Config.MaxRetries of n.
func Retries(n int) *int { return transport.Retries(n) }

// ErrNotFound matches any DocuSign answer of HTTP 404.
var ErrNotFound = transport.ErrNotFound

// ErrRefused matches any DocuSign answer of HTTP 401 or 403.
var ErrRefused = transport.ErrRefused

// ErrUserNotFound means the account or organization has no such user. It is the one way the
// client says so, whichever API and call found out.
var ErrUserNotFound = esign.ErrUserNotFound

// ErrAccountNotReachable means the impersonated user has no membership in the account: userinfo
// does not list it, or eSignature refused it (USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT).
var ErrAccountNotReachable = esign.ErrNotAccountMember

// ErrNotAccountAdmin means eSignature refused a call for want of the account's administrator
// rights (USER_LACKS_PERMISSIONS).
var ErrNotAccountAdmin = esign.ErrNotAccountAdmin

// ErrNoOrganization means an account belongs to no DocuSign organization, so the Admin API
// cannot act on it.
var ErrNoOrganization = errors.New("the account does not belong to a DocuSign organization")

// ErrCloseNotConfirmed means DocuSign answered a close without saying the user is now closed.
var ErrCloseNotConfirmed = esign.ErrCloseNotConfirmed

// UnconfirmedEmailError means DocuSign's email filter found no user with an email, and the
// account has more users than the client reads to rule out another letter case.
type UnconfirmedEmailError = esign.UnconfirmedEmailError

// AdminAccessError is the Admin API refusing a call: the impersonated user does not administer
// the organization, or the token lacks the scope (MissingScope) the call needs.
type AdminAccessError = admin.AccessError

// OAuthError is DocuSign refusing the JWT grant. With ErrConsentRequired it carries the
// ConsentURL to open.
type OAuthError = auth.OAuthError

// The reasons of an OAuthError a person acts on differently.
var (
	ErrConsentRequired = auth.ErrConsentRequired
	ErrKeyRejected     = auth.ErrKeyRejected
	// ErrImpersonatedUserUnknown: DocuSign does not know the user the grant impersonates.
	ErrImpersonatedUserUnknown = auth.ErrUserNotFound
	ErrIssuerNotFound          = auth.ErrIssuerNotFound
)

// AmbiguousEmailError means several users share an email where one was asked for, as old
// accounts allow. AccountID or OrganizationID says where.
type AmbiguousEmailError struct {
	AccountID, OrganizationID string
	Email                     string
	UserIDs                   []string // sorted
}

func (e *AmbiguousEmailError) Error() string {
	where := "account " + e.AccountID
	if e.OrganizationID != "" {
		where = "organization " + e.OrganizationID
	}
	return fmt.Sprintf("DocuSign %s has %d users with email %s: %s", where, len(e.UserIDs), e.Email, strings.Join(e.UserIDs, ", "))
}

// UserExistsError means the account already holds an open membership for the email, so a
// create was refused (USER_ALREADY_EXISTS_IN_ACCOUNT). UserID is that user, when a lookup found it.
type UserExistsError struct {
	AccountID, Email, UserID string
	Err                      error
}

func (e *UserExistsError) Error() string {
	return fmt.Sprintf("account %s already has an open membership for %s (user ID %s)", e.AccountID, e.Email, e.UserID)
}

func (e *UserExistsError) Unwrap() error { return e.Err }

// ImpersonatedUserError refuses to close the user the client signs in as: every later call
// would then fail to get a token.
type ImpersonatedUserError struct {
	UserID string
	Email  string // how the caller named them, when by email
}

func (e *ImpersonatedUserError) Error() string {
	return fmt.Sprintf("user %s is the user this client impersonates; closing them would lock the client out", e.UserID)
}

// Step names the part of a multi-call operation that failed.
type Step string

// Steps of the close and reopen operations.
const (
	StepFindOrganization Step = "find the account's organization"
	StepFindUser         Step = "find the user"
	StepClose            Step = "close the memberships"
	StepReopen           Step = "reopen a membership"
)

// Steps of ValidateConnection, in order.
const (
	StepToken             Step = "get an access token"
	StepMembership        Step = "find an account of the impersonated user in the organization"
	StepOrganizationAdmin Step = "confirm organization administrator rights"
	StepPlanItems         Step = "read the organization's plan items"
	StepReadAccount       Step = "read an account of the organization"
)

// NoAccountInOrganizationError means the impersonated user holds no active account in the
// organization, so eSignature cannot reach any of it. Accounts are those they do hold, sorted.
type NoAccountInOrganizationError struct {
	UserID, OrganizationID string
	Accounts               []string
}

func (e *NoAccountInOrganizationError) Error() string {
	list := strings.Join(e.Accounts, ", ")
	if list == "" {
		list = "none"
	}
	return fmt.Sprintf("the impersonated user %s has no active account in organization %s (their accounts: %s)", e.UserID, e.OrganizationID, list)
}

// StepError is a multi-call operation failing at Step; the IDs say where, Err why.
type StepError struct {
	Step           Step
	OrganizationID string
	AccountID      string
	UserID         string
	Err            error
}

func (e *StepError) Error() string {
	var where []string
	for _, part := range []struct{ name, id string }{{"user", e.UserID}, {"account", e.AccountID}, {"organization", e.OrganizationID}} {
		if part.id != "" {
			where = append(where, part.name+" "+part.id)
		}
	}
	return fmt.Sprintf("could not %s (%s): %s", e.Step, strings.Join(where, ", "), e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// ErrRedirect means DocuSign (or something in between) answered with a redirect, which no call
// follows: tokens and keys go only to the configured hosts.
var ErrRedirect = transport.ErrRedirect
