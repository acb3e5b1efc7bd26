// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// providerDataFrom unpacks what Configure handed over; nil means the provider is not configured
// yet (Terraform validates and plans before it configures), which is not an error here: every
// operation that needs the client asks configured first.
func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", data))
		return nil
	}
	return pd
}

// configured reports whether the provider handed over its client. Operations that call DocuSign
// start with it: unconfigured, they add one error under their own summary and stop; plan-time
// checks that merely can do more with a client pass diags as nil and skip the work.
func configured(data *providerData, diags *diag.Diagnostics, summary string) bool {
	if data != nil && data.client != nil {
		return true
	}
	if diags != nil {
		diags.AddError(summary, "The provider is not configured: Terraform has not yet sent the provider block's settings. "+
			"This is a bug in Terraform or in the provider; please report it.")
	}
	return false
}

// explain turns a client error into a detail sentence: what DocuSign answered, then which setting
// to change. It is the one place that reads the client's typed errors; their texts say nothing of
// Terraform, so the attribute names and the advice are written here.
func explain(err error) string {
	msg := err.Error()
	var (
		oauthErr    *docusign.OAuthError
		rateLimit   *docusign.RateLimitError
		adminAccess *docusign.AdminAccessError
	)
	switch {
	case errors.Is(err, docusign.ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		return msg + timedOut(err)
	case errors.Is(err, docusign.ErrUntrustedHost):
		return msg + ". In production the provider sends tokens only to DocuSign's https hosts; for a proxy or the emulator set the provider's allow_untrusted_hosts = true."
	case errors.Is(err, docusign.ErrRedirect):
		return msg + "; check oauth_base_url, admin_base_url and any proxy between the provider and DocuSign."
	case errors.As(err, &oauthErr):
		return msg + oauthAdvice(err)
	case errors.Is(err, docusign.ErrAccountNotReachable):
		return msg + ". Use an account_id the impersonated user belongs to, or impersonate another user (provider user_id)."
	case errors.As(err, &rateLimit):
		return msg + rateLimitAdvice(rateLimit)
	case errors.Is(err, docusign.ErrRetryBudget):
		return msg + ". DocuSign kept failing; apply again later, or raise the provider's max_retries."
	case errors.As(err, &adminAccess) && adminAccess.MissingScope:
		return msg + ". Add the missing Admin API scope to the provider's scopes attribute and grant consent for it."
	case adminAccess != nil:
		return msg + ". The impersonated user (provider user_id) must be an administrator of this DocuSign organization."
	case errors.Is(err, docusign.ErrNotAccountAdmin):
		return msg + ". The impersonated user (provider user_id) must be an administrator of this account."
	}
	return msg
}

// oauthAdvice names the provider setting behind a refused JWT grant, or is empty when err is no
// refusal it knows.
func oauthAdvice(err error) string {
	switch {
	case errors.Is(err, docusign.ErrConsentRequired):
		return ". Then apply again; the consent must cover every scope in that URL (the provider's scopes attribute pins them, see \"Scopes and consent\" in the provider docs)."
	case errors.Is(err, docusign.ErrKeyRejected):
		return ". Fix the provider's private_key, private_key_file or keystore_file (or key_pair_id)."
	case errors.Is(err, docusign.ErrImpersonatedUserUnknown):
		return ". Fix the provider's user_id."
	case errors.Is(err, docusign.ErrIssuerNotFound):
		return ". Fix the provider's integration_key or environment."
	}
	return ""
}

// rateLimitAdvice says what to change when DocuSign's rate limits ended a call.
func rateLimitAdvice(e *docusign.RateLimitError) string {
	switch e.Reason {
	case docusign.RateLimitResetTooFar:
		return "; wait, or raise the limit in DocuSign's API Usage Center."
	case docusign.RateLimitPastDeadline:
		return "; raise the operation's timeout (the resource's timeouts block), lower -parallelism, or raise the account's limit in DocuSign's API Usage Center."
	}
	return "; raise max_retries, lower -parallelism, or raise the account's limit in DocuSign's API Usage Center."
}

// adminExplain is explain with the Admin scope a call needs named.
func adminExplain(err error, scope string) string {
	msg := explain(err)
	if errors.Is(err, docusign.ErrRefused) {
		msg += fmt.Sprintf(". This call needs the %s scope in the provider's scopes (and consent for it) and an organization administrator as the impersonated user.", scope)
	}
	return msg
}

// clientCall is what a resource says around one client call that failed: the words its
// diagnostics use. addClientError maps the client's typed errors with them; zero fields take the
// general wording.
type clientCall struct {
	// summary heads the diagnostics of the operation's own failures.
	summary string
	// emailAttr and userIDAttr are the attributes that name users: email and user_id unless set.
	emailAttr, userIDAttr string
	// userID and email name the user as the configuration does (for a lookup, the attribute set
	// is the one to fix).
	userID, email string
	// lookupSummary, when set, heads a failed lookup's diagnostics instead of "Several Users
	// Share This Email" and "User Not Found".
	lookupSummary string
	// sharedEmail is the advice for an email several users share.
	sharedEmail string
	// sharedEmailUsers, when set, receives the users of a shared email as a result rather than a
	// diagnostic.
	sharedEmailUsers *[]string
	// notFound is the detail for a user the account or organization lacks; empty when the call
	// looks nobody up.
	notFound string
	// step frames a failed step of a multi-call operation; detail is what a typed error in the
	// step says, or empty when the step's error is explain's to tell.
	step func(step *docusign.StepError, detail string) diag.Diagnostic
	// failed frames any other error; nil means summary and explain(err).
	failed func(err error) diag.Diagnostic
}

func (c clientCall) userAttr() path.Path {
	if c.userID != "" {
		return path.Root(orDefault(c.userIDAttr, "user_id"))
	}
	return path.Root(orDefault(c.emailAttr, "email"))
}

// addClientError turns a failed client call into its diagnostics. It is the provider's one
// errors.As switch over the client's typed errors; what each resource says around them comes in
// with c. Generic advice (which provider setting to change) is explain's.
func addClientError(diags *diag.Diagnostics, err error, c clientCall) {
	var (
		exists     *docusign.UserExistsError
		self       *docusign.ImpersonatedUserError
		unresolved *docusign.EmailsNotResolvedError
		none       *docusign.NoAccountInOrganizationError
		step       *docusign.StepError
		ambiguous  *docusign.AmbiguousEmailError
		unsure     *docusign.UnconfirmedEmailError
	)
	emailAttr, userIDAttr := path.Root(orDefault(c.emailAttr, "email")), path.Root(orDefault(c.userIDAttr, "user_id"))
	switch {
	case err == nil:
	case errors.As(err, &exists):
		diags.AddAttributeError(emailAttr, "User Already Exists",
			fmt.Sprintf("Account %s already has an open membership for %s (user ID %s). To manage it with Terraform, import it: "+
				"terraform import <resource address> %s/%s", exists.AccountID, exists.Email, exists.UserID, exists.AccountID, exists.UserID))
	case errors.As(err, &self) && self.Email != "":
		diags.Append(selfCloseError(emailAttr, self.UserID, ", whose email is "+self.Email))
	case self != nil:
		diags.Append(selfCloseError(userIDAttr, self.UserID, ""))
	case errors.As(err, &unresolved):
		if len(unresolved.Missing) > 0 {
			diags.AddAttributeError(emailAttr, "Users Not Found",
				fmt.Sprintf("DocuSign account %s has no user with these emails: %s. Remove them or fix the spelling.", unresolved.AccountID, strings.Join(unresolved.Missing, ", ")))
		}
		for email, shared := range unresolved.Ambiguous {
			diags.Append(sharedEmailError(emailAttr, c, "account "+unresolved.AccountID, email, shared))
		}
	case errors.As(err, &none) && errors.As(err, &step) && c.step != nil:
		diags.Append(c.step(step, fmt.Sprintf("the impersonated user %s has no active account in this organization (their accounts: %s). "+
			"Check organization_id, or set the provider's user_id to an administrator who belongs to one of the organization's accounts.",
			none.UserID, orDefault(strings.Join(none.Accounts, ", "), "none"))))
	case errors.As(err, &step) && c.step != nil:
		diags.Append(c.step(step, ""))
	case errors.As(err, &ambiguous) && c.sharedEmailUsers != nil:
		*c.sharedEmailUsers = ambiguous.UserIDs
	case ambiguous != nil && ambiguous.OrganizationID != "":
		diags.Append(sharedEmailError(emailAttr, c, "organization "+ambiguous.OrganizationID, ambiguous.Email, ambiguous.UserIDs))
	case ambiguous != nil:
		diags.Append(sharedEmailError(emailAttr, c, "account "+ambiguous.AccountID, ambiguous.Email, ambiguous.UserIDs))
	case errors.As(err, &unsure):
		diags.AddAttributeError(emailAttr, orDefault(c.lookupSummary, "Unable to Find User"), unsure.Error()+".")
	case errors.Is(err, docusign.ErrUserNotFound) && c.notFound != "":
		diags.AddAttributeError(c.userAttr(), orDefault(c.lookupSummary, "User Not Found"), c.notFound)
	case errors.Is(err, docusign.ErrCloseNotConfirmed):
		diags.AddError(c.summary, fmt.Sprintf("%s. Nothing is saved; apply again to close user %s.", err, orDefault(c.userID, c.email)))
	case c.failed != nil:
		diags.Append(c.failed(err))
	default:
		diags.AddError(c.summary, explain(err))
	}
}

// sharedEmailError reports an email that several users share where one was meant.
func sharedEmailError(attr path.Path, c clientCall, where, email string, userIDs []string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, orDefault(c.lookupSummary, "Several Users Share This Email"),
		fmt.Sprintf("DocuSign %s has %d users with email %s: %s. %s", where, len(userIDs), email, strings.Join(userIDs, ", "), c.sharedEmail))
}

// lookupScope says where a user was looked up, for the diagnostics of a failed lookup.
type lookupScope struct {
	accountID, organizationID string
	// userID and email are how the configuration named the user; attr is the attribute set.
	userID, email string
}

func (l lookupScope) attr() string {
	if l.userID != "" {
		return "user_id"
	}
	return "email"
}

// call is the words of a lookup in l.
func (l lookupScope) call() clientCall {
	c := clientCall{userID: l.userID, email: l.email}
	switch {
	case l.organizationID != "":
		who := orDefault(l.userID, l.email)
		c.sharedEmail = "Set user_id instead of email."
		c.notFound = fmt.Sprintf("DocuSign organization %s has no user %s. Check %s and organization_id.", l.organizationID, who, l.attr())
		c.failed = func(err error) diag.Diagnostic {
			return diag.NewErrorDiagnostic("Unable to Find User", fmt.Sprintf("Looking up the user in organization %s failed: %s", l.organizationID, explain(err)))
		}
		return c
	case l.userID != "":
		c.notFound = fmt.Sprintf("DocuSign account %s has no user %s. Check user_id and account_id.", l.accountID, l.userID)
	default:
		c.notFound = fmt.Sprintf("DocuSign account %s has no user with email %s. Check the email, or set account_id to the account the user belongs to.", l.accountID, l.email)
	}
	c.sharedEmail = "Set user_id to the one to close instead of email."
	c.failed = func(err error) diag.Diagnostic {
		return diag.NewErrorDiagnostic("Unable to Find User", fmt.Sprintf("Looking up %s in account %s failed: %s", l.email, l.accountID, explain(err)))
	}
	return c
}

// addLookupError turns a failed user lookup (docusign.FindUserByEmail, FindOrganizationUser and
// the operations built on them) into its diagnostic, and reports whether err was one.
func addLookupError(diags *diag.Diagnostics, err error, l lookupScope) bool {
	addClientError(diags, err, l.call())
	return err != nil
}

// addCloseError explains a failed docusign.Client.CloseUser of who in accountID.
func addCloseError(diags *diag.Diagnostics, err error, accountID string, who docusign.UserRef) {
	c := lookupScope{accountID: accountID, userID: who.ID, email: who.Email}.call()
	c.summary = "Unable to Close User"
	if who.ID != "" {
		c.lookupSummary = c.summary
		c.notFound = fmt.Sprintf("DocuSign account %s has no user %s: %s. Check user_id and account_id.", accountID, who.ID, err)
		c.failed = func(err error) diag.Diagnostic {
			return diag.NewErrorDiagnostic(c.summary, fmt.Sprintf("Closing user %s in account %s failed: %s", who.ID, accountID, explain(err)))
		}
	}
	addClientError(diags, err, c)
}

// addOrganizationCloseError explains a failed docusign.Client.CloseOrganizationUser of who in orgID.
func addOrganizationCloseError(diags *diag.Diagnostics, err error, orgID string, who docusign.UserRef) {
	c := lookupScope{organizationID: orgID, userID: who.ID, email: who.Email}.call()
	c.summary = "Unable to Close User"
	c.step = func(step *docusign.StepError, _ string) diag.Diagnostic {
		return diag.NewErrorDiagnostic(c.summary, fmt.Sprintf("Closing user %s in organization %s failed: %s", step.UserID, orgID, explain(step.Err)))
	}
	addClientError(diags, err, c)
}

// reopenRetry ends the diagnostic of a reopen that failed on destroy.
const reopenRetry = ". The resource stays in state; destroy again to retry."

// addReopenError explains a failed reopen (docusign.Client.ReopenUser and its kin); noOrganization
// is the advice when the account's organization could not be found.
func addReopenError(diags *diag.Diagnostics, err error, summary, noOrganization, retry string) {
	c := lookupScope{}.call()
	c.summary = summary
	c.step = func(step *docusign.StepError, _ string) diag.Diagnostic {
		switch {
		case step.Step == docusign.StepFindOrganization:
			return diag.NewErrorDiagnostic(summary, explain(step.Err)+". "+noOrganization)
		case step.Step == docusign.StepFindUser && step.AccountID == "":
			return diag.NewErrorDiagnostic("Unable to Find User", fmt.Sprintf("Looking up the user in organization %s failed: %s", step.OrganizationID, explain(step.Err)))
		case step.Step == docusign.StepFindUser:
			return diag.NewErrorDiagnostic(summary, explain(step.Err))
		}
		return diag.NewErrorDiagnostic(summary, fmt.Sprintf("Reopening user %s in account %s failed: %s%s", step.UserID, step.AccountID, explain(step.Err), retry))
	}
	addClientError(diags, err, c)
}

// addCreateUserError explains a failed docusign.Client.CreateAccountUser of email.
func addCreateUserError(diags *diag.Diagnostics, err error, email string) {
	const summary = "Unable to Create User"
	addClientError(diags, err, clientCall{summary: summary, step: func(step *docusign.StepError, _ string) diag.Diagnostic {
		switch step.Step {
		case docusign.StepFindAccount:
			return diag.NewErrorDiagnostic(summary, "Could not determine the account: "+explain(step.Err))
		case docusign.StepFindPermissionProfile:
			return diag.NewAttributeErrorDiagnostic(path.Root("permission_profile_name"), summary,
				fmt.Sprintf("Resolving the permission profile in account %s failed: %s.", step.AccountID, explain(step.Err)))
		}
		return diag.NewErrorDiagnostic(summary, fmt.Sprintf("Adding %s to account %s failed: %s", email, step.AccountID, explain(step.Err)))
	}})
}

// addedUserWarnings are the warnings of a CreateAccountUser that added the user but failed after.
func addedUserWarnings(added *docusign.AddedAccountUser, email string) diag.Diagnostics {
	var diags diag.Diagnostics
	if added.ReadBackErr != nil {
		diags.AddWarning("Unable to Read Created User",
			fmt.Sprintf("DocuSign added %s to account %s as user %s, but reading the user back failed: %s. The user is in state; "+
				"the next refresh reads the rest.", email, added.AccountID, added.User.UserID, explain(added.ReadBackErr)))
	}
	if added.RenameErr != nil {
		diags.AddWarning("Unable to Set User Names",
			fmt.Sprintf("User %s already existed in DocuSign with other names, and setting the configured ones failed: %s. "+
				"The next apply tries again.", added.User.UserID, explain(added.RenameErr)))
	}
	return diags
}

// addUpdateUserError explains a failed docusign.Client.UpdateAccountUser.
func addUpdateUserError(diags *diag.Diagnostics, err error) {
	const summary = "Unable to Update User"
	addClientError(diags, err, clientCall{summary: summary, step: func(step *docusign.StepError, _ string) diag.Diagnostic {
		switch step.Step {
		case docusign.StepFindPermissionProfile:
			return diag.NewAttributeErrorDiagnostic(path.Root("permission_profile_name"), summary,
				fmt.Sprintf("Resolving the permission profile in account %s failed: %s.", step.AccountID, explain(step.Err)))
		case docusign.StepReadBack:
			return diag.NewErrorDiagnostic("Unable to Read Updated User", explain(step.Err))
		}
		return diag.NewErrorDiagnostic(summary, fmt.Sprintf("Updating user %s in account %s failed: %s", step.UserID, step.AccountID, explain(step.Err)))
	}})
}

// addConnectionError explains a failed docusign.Client.ValidateConnection of orgID, which checks
// in steps (of them, 4 or 5 by download_consumption), and tells whether the failure means the
// organization is gone (no account of the user in it, not administered, or not found).
func addConnectionError(diags *diag.Diagnostics, err error, orgID string, steps int) (gone bool) {
	fail := func(number int, name, detail string) diag.Diagnostic {
		return diag.NewAttributeErrorDiagnostic(path.Root("organization_id"), profileSummary,
			fmt.Sprintf("Step %d of %d (%s) failed for organization %s: %s", number, steps, name, orgID, detail))
	}
	addClientError(diags, err, clientCall{
		step: func(step *docusign.StepError, typed string) diag.Diagnostic {
			err := step.Err
			switch step.Step {
			case docusign.StepToken:
				detail := explain(err)
				// explain names the setting for the refusals it knows; for the rest, list the candidates.
				if oauthAdvice(err) == "" {
					detail += ". Check the provider's connection settings (integration_key, user_id, the private key, oauth_base_url)."
				}
				return fail(1, "access token", detail)
			case docusign.StepMembership:
				if typed != "" { // no account of the user in the organization
					gone = true
					return fail(2, "account in the organization", typed)
				}
				return fail(2, "account in the organization", "reading the impersonated user's accounts (userinfo): "+explain(err))
			case docusign.StepOrganizationAdmin:
				if errors.Is(err, datafeed.ErrOrganizationNotFound) {
					gone = true
					return fail(3, "organization administrator", err.Error()+". The impersonated user (provider user_id) must be an "+
						"administrator of this DocuSign organization (DocuSign Admin → Users → Administrators), and the organization "+
						"must have organization management enabled.")
				}
				gone = errors.Is(err, docusign.ErrNotFound)
				return fail(3, "organization administrator", "listing the organizations the user administers: "+adminExplain(err, "organization_read"))
			case docusign.StepPlanItems:
				gone = errors.Is(err, docusign.ErrNotFound)
				return fail(4, "plan items", "reading the organization's plan items: "+adminExplain(err, "organization_sub_account_read")+
					" Subscriptions are read from the plan items and the organization's user lists (scope user_read) of the public Admin API, "+
					"so the impersonated user must be an administrator of this organization; no DocuSign Data Feed or Monitor access is needed.")
			}
			return fail(5, "consumption", fmt.Sprintf("reading account %s: %s. Envelope consumption is read from each account's "+
				"billing counters: the impersonated user must be an administrator of the accounts (scope signature), or set "+
				"download_consumption = false.", step.AccountID, explain(err)))
		},
		failed: func(err error) diag.Diagnostic {
			return diag.NewAttributeErrorDiagnostic(path.Root("organization_id"), profileSummary, explain(err))
		},
	})
	return gone
}
