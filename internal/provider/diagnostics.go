package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
