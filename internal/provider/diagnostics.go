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
		return msg + oauthAdvice(oauthErr)
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

// oauthAdvice names the provider setting behind a refused JWT grant.
func oauthAdvice(e *docusign.OAuthError) string {
	switch {
	case errors.Is(e, docusign.ErrConsentRequired):
		return ". Then apply again; the consent must cover every scope in that URL (the provider's scopes attribute pins them, see \"Scopes and consent\" in the provider docs)."
	case errors.Is(e, docusign.ErrKeyRejected):
		return ". Fix the provider's private_key, private_key_file or keystore_file (or key_pair_id)."
	case errors.Is(e, docusign.ErrImpersonatedUserUnknown):
		return ". Fix the provider's user_id."
	case errors.Is(e, docusign.ErrIssuerNotFound):
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

// addLookupError turns a failed user lookup (docusign.FindUserByEmail, FindOrganizationUser and
// the operations built on them) into its diagnostic, and reports whether err was one.
func addLookupError(diags *diag.Diagnostics, err error, l lookupScope) bool {
	var ambiguous *docusign.AmbiguousEmailError
	switch {
	case err == nil:
		return false
	case errors.As(err, &ambiguous) && ambiguous.OrganizationID != "":
		diags.AddAttributeError(path.Root("email"), "Several Users Share This Email",
			fmt.Sprintf("DocuSign organization %s has %d users with email %s: %s. Set user_id instead of email.",
				ambiguous.OrganizationID, len(ambiguous.UserIDs), ambiguous.Email, strings.Join(ambiguous.UserIDs, ", ")))
	case ambiguous != nil:
		diags.AddAttributeError(path.Root("email"), "Several Users Share This Email",
			fmt.Sprintf("DocuSign account %s has %d users with email %s: %s. Set user_id to the one to close instead of email.",
				ambiguous.AccountID, len(ambiguous.UserIDs), ambiguous.Email, strings.Join(ambiguous.UserIDs, ", ")))
	case errors.Is(err, docusign.ErrUserNotFound) && l.organizationID != "":
		who := l.userID
		if who == "" {
			who = l.email
		}
		diags.AddAttributeError(path.Root(l.attr()), "User Not Found",
			fmt.Sprintf("DocuSign organization %s has no user %s. Check %s and organization_id.", l.organizationID, who, l.attr()))
	case errors.Is(err, docusign.ErrUserNotFound) && l.userID != "":
		diags.AddAttributeError(path.Root("user_id"), "User Not Found",
			fmt.Sprintf("DocuSign account %s has no user %s. Check user_id and account_id.", l.accountID, l.userID))
	case errors.Is(err, docusign.ErrUserNotFound):
		diags.AddAttributeError(path.Root("email"), "User Not Found",
			fmt.Sprintf("DocuSign account %s has no user with email %s. Check the email, or set account_id to the account the user belongs to.", l.accountID, l.email))
	case l.organizationID != "":
		diags.AddError("Unable to Find User", fmt.Sprintf("Looking up the user in organization %s failed: %s", l.organizationID, explain(err)))
	default:
		diags.AddError("Unable to Find User", fmt.Sprintf("Looking up %s in account %s failed: %s", l.email, l.accountID, explain(err)))
	}
	return true
}

// addCloseError explains a failed docusign.Client.CloseUser of who in accountID.
func addCloseError(diags *diag.Diagnostics, err error, accountID string, who docusign.UserRef) {
	var self *docusign.ImpersonatedUserError
	switch {
	case errors.As(err, &self):
		diags.Append(selfCloseError(path.Root("email"), self.UserID, ", whose email is "+self.Email))
	case who.ID == "" && addLookupError(diags, err, lookupScope{accountID: accountID, email: who.Email}):
	case errors.Is(err, docusign.ErrUserNotFound):
		diags.AddAttributeError(path.Root("user_id"), "Unable to Close User",
			fmt.Sprintf("DocuSign account %s has no user %s: %s. Check user_id and account_id.", accountID, who.ID, err))
	case errors.Is(err, docusign.ErrCloseNotConfirmed):
		diags.AddError("Unable to Close User", fmt.Sprintf("%s. Nothing is saved; apply again to close user %s.", err, who.ID))
	default:
		diags.AddError("Unable to Close User", fmt.Sprintf("Closing user %s in account %s failed: %s", who.ID, accountID, explain(err)))
	}
}

// reopenRetry ends the diagnostic of a reopen that failed on destroy.
const reopenRetry = ". The resource stays in state; destroy again to retry."

// addReopenError explains a failed reopen (docusign.Client.ReopenUser and its kin); noOrganization
// is the advice when the account's organization could not be found.
func addReopenError(diags *diag.Diagnostics, err error, summary, noOrganization, retry string) {
	var step *docusign.StepError
	switch {
	case err == nil:
	case !errors.As(err, &step):
		addLookupError(diags, err, lookupScope{})
	case step.Step == docusign.StepFindOrganization:
		diags.AddError(summary, explain(step.Err)+". "+noOrganization)
	case step.Step == docusign.StepFindUser && step.AccountID == "":
		diags.AddError("Unable to Find User", fmt.Sprintf("Looking up the user in organization %s failed: %s", step.OrganizationID, explain(step.Err)))
	case step.Step == docusign.StepFindUser:
		diags.AddError(summary, explain(step.Err))
	default:
		diags.AddError(summary, fmt.Sprintf("Reopening user %s in account %s failed: %s%s", step.UserID, step.AccountID, explain(step.Err), retry))
	}
}

// addCreateUserError explains a failed docusign.Client.CreateAccountUser of email.
func addCreateUserError(diags *diag.Diagnostics, err error, email string) {
	const summary = "Unable to Create User"
	var (
		exists *docusign.UserExistsError
		step   *docusign.StepError
	)
	switch {
	case errors.As(err, &exists):
		diags.AddAttributeError(path.Root("email"), "User Already Exists",
			fmt.Sprintf("Account %s already has an open membership for %s (user ID %s). To manage it with Terraform, import it: "+
				"terraform import <resource address> %s/%s", exists.AccountID, email, exists.UserID, exists.AccountID, exists.UserID))
	case !errors.As(err, &step):
		diags.AddError(summary, explain(err))
	case step.Step == docusign.StepFindAccount:
		diags.AddError(summary, "Could not determine the account: "+explain(step.Err))
	case step.Step == docusign.StepFindPermissionProfile:
		diags.AddAttributeError(path.Root("permission_profile_name"), summary,
			fmt.Sprintf("Resolving the permission profile in account %s failed: %s.", step.AccountID, explain(step.Err)))
	default:
		diags.AddError(summary, fmt.Sprintf("Adding %s to account %s failed: %s", email, step.AccountID, explain(step.Err)))
	}
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
	var step *docusign.StepError
	switch {
	case !errors.As(err, &step):
		diags.AddError(summary, explain(err))
	case step.Step == docusign.StepFindPermissionProfile:
		diags.AddAttributeError(path.Root("permission_profile_name"), summary,
			fmt.Sprintf("Resolving the permission profile in account %s failed: %s.", step.AccountID, explain(step.Err)))
	case step.Step == docusign.StepReadBack:
		diags.AddError("Unable to Read Updated User", explain(step.Err))
	default:
		diags.AddError(summary, fmt.Sprintf("Updating user %s in account %s failed: %s", step.UserID, step.AccountID, explain(step.Err)))
	}
}
