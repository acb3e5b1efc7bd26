package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// providerDataFrom unpacks what Configure handed over; nil means the provider is not configured
// yet (Terraform validates before it configures), which is not an error.
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

// explain turns a client error into a detail sentence that says what DocuSign answered and which
// setting to change.
func explain(err error) string {
	msg := err.Error()
	var oauthErr *auth.OAuthError
	var rateLimit *docusign.RateLimitError
	switch {
	case errors.Is(err, transport.ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		return msg + timedOut(err)
	case errors.Is(err, docusign.ErrUntrustedHost):
		return msg + ". In production the provider sends tokens only to DocuSign's https hosts; for a proxy or the emulator set the provider's allow_untrusted_hosts = true."
	case errors.As(err, &oauthErr) && errors.Is(err, auth.ErrConsentRequired):
		return msg + ". Then apply again; the consent must cover every scope in that URL (the provider's scopes attribute pins them, see \"Scopes and consent\" in the provider docs)."
	case errors.Is(err, auth.ErrKeyRejected):
		return msg + ". Fix the provider's private_key, private_key_file or keystore_file (or key_pair_id)."
	case errors.Is(err, auth.ErrUserNotFound):
		return msg + ". Fix the provider's user_id."
	case errors.Is(err, auth.ErrIssuerNotFound):
		return msg + ". Fix the provider's integration_key or environment."
	case errors.Is(err, docusign.ErrAccountNotReachable):
		return msg + ". Use an account_id the impersonated user belongs to, or impersonate another user (provider user_id)."
	case errors.As(err, &rateLimit):
		return msg + rateLimitAdvice(rateLimit)
	case errors.Is(err, docusign.ErrRetryBudget):
		return msg + ". DocuSign kept failing; apply again later, or raise the provider's max_retries."
	}
	var apiErr *transport.Error
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.API == transport.APIAdmin && apiErr.Status == http.StatusForbidden && strings.Contains(strings.ToLower(apiErr.Code+apiErr.Message), "scope"):
			return msg + ". Add the missing Admin API scope to the provider's scopes attribute and grant consent for it."
		case apiErr.API == transport.APIAdmin && (apiErr.Status == http.StatusUnauthorized || apiErr.Status == http.StatusForbidden):
			return msg + ". The impersonated user (provider user_id) must be an administrator of this DocuSign organization."
		case strings.EqualFold(apiErr.Code, "USER_LACKS_PERMISSIONS"):
			return msg + ". The impersonated user (provider user_id) must be an administrator of this account."
		}
	}
	return msg
}

// adminExplain is explain with the Admin scope a call needs named.
func adminExplain(err error, scope string) string {
	msg := explain(err)
	var apiErr *transport.Error
	if errors.As(err, &apiErr) && (apiErr.Status == http.StatusForbidden || apiErr.Status == http.StatusUnauthorized) {
		msg += fmt.Sprintf(". This call needs the %s scope in the provider's scopes (and consent for it) and an organization administrator as the impersonated user.", scope)
	}
	return msg
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
