// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package auth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// Sentinels for the OAuth failures a person has to act on differently; OAuthError matches them
// with errors.Is.
var (
	ErrConsentRequired = errors.New("consent_required")
	ErrKeyRejected     = errors.New("no_valid_keys_or_signatures")
	ErrUserNotFound    = errors.New("user_not_found")
	ErrIssuerNotFound  = errors.New("issuer_not_found")
	ErrExpiredGrant    = errors.New("expired_grant")
)

// OAuthError is DocuSign's answer to a refused JWT grant.
type OAuthError struct {
	Status      int
	Code        string // "error": consent_required, invalid_grant, …
	Description string // "error_description": no_valid_keys_or_signatures, user_not_found, …
	// ConsentURL is where the impersonated user (or an admin) grants consent; set for consent_required.
	ConsentURL string
}

func (e *OAuthError) Error() string {
	switch {
	case errors.Is(e, ErrConsentRequired):
		return fmt.Sprintf("DocuSign needs consent for this integration key and scopes (consent_required); open %s as the impersonated user, or have an organization administrator grant admin consent", e.ConsentURL)
	case errors.Is(e, ErrKeyRejected):
		return "DocuSign rejected the JWT assertion (no_valid_keys_or_signatures): the RSA key is not registered on this integration key in this environment (demo vs production), or the key pair ID (the JWT kid) names another key"
	case errors.Is(e, ErrUserNotFound):
		return fmt.Sprintf("DocuSign does not know the impersonated user in this environment (%s): the user must be named by their API user ID GUID, not an email", e.Description)
	case errors.Is(e, ErrIssuerNotFound):
		return "DocuSign does not know this integration key in this environment (issuer_not_found): check the integration key and whether it belongs to demo or production"
	case errors.Is(e, ErrExpiredGrant):
		return "DocuSign says the JWT assertion has expired (expired_grant): check this machine's clock"
	}
	msg := "DocuSign refused the JWT grant: " + e.Code
	if e.Description != "" {
		msg += " (" + e.Description + ")"
	}
	return msg
}

// Is matches the sentinels above on either field, because DocuSign puts consent_required in
// "error" and the invalid_grant reasons in "error_description".
func (e *OAuthError) Is(target error) bool {
	for _, s := range []error{ErrConsentRequired, ErrKeyRejected, ErrUserNotFound, ErrIssuerNotFound, ErrExpiredGrant} {
		if target != s {
			continue
		}
		name := s.Error()
		if strings.EqualFold(e.Code, name) || strings.EqualFold(e.Description, name) {
			return true
		}
		// invalid_subject is DocuSign's other spelling of an unknown user.
		return s == ErrUserNotFound && strings.EqualFold(e.Description, "invalid_subject")
	}
	return false
}

func oauthErrorFrom(apiErr *transport.Error) *OAuthError {
	return &OAuthError{Status: apiErr.Status, Code: apiErr.Code, Description: apiErr.Message}
}
