// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// handleToken is DocuSign's JWT grant: it checks the assertion the way DocuSign's account server
// does and answers its error codes.
func (e *Emulator) handleToken(c *call) {
	if err := c.r.ParseForm(); err != nil {
		writeJSON(c.w, http.StatusBadRequest, oauthError{"invalid_request", "the body is not form-encoded"})
		return
	}
	if c.r.PostForm.Get("grant_type") != jwtBearer {
		writeJSON(c.w, http.StatusBadRequest, oauthError{"invalid_grant", "unsupported_grant_type"})
		return
	}
	assertion := c.r.PostForm.Get("assertion")
	if assertion == "" {
		writeJSON(c.w, http.StatusBadRequest, oauthError{"invalid_request", "assertion is required"})
		return
	}
	tok, oerr := e.verifyAssertion(assertion, c.r.Host)
	if oerr != nil {
		writeJSON(c.w, http.StatusBadRequest, *oerr)
		return
	}
	ttl := e.opts.TokenTTL
	if e.faults.TokenTTLSeconds > 0 {
		ttl = time.Duration(e.faults.TokenTTLSeconds) * time.Second
	}
	tok.expires = e.opts.Now().Add(ttl)
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	access := "eyEmu." + hex.EncodeToString(raw)
	e.tokens[access] = tok
	e.stats.TokenGrants++
	writeJSON(c.w, http.StatusOK, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": int(ttl.Seconds())})
}

type assertionClaims struct {
	Scope string `json:"scope"`
	jwt.RegisteredClaims
}

// verifyAssertion returns the token the assertion earns or DocuSign's refusal.
func (e *Emulator) verifyAssertion(assertion, host string) (*token, *oauthError) {
	keyRejected := &oauthError{"invalid_grant", "no_valid_keys_or_signatures"}
	var claims assertionClaims
	// Read the issuer first: the keys to try belong to it.
	if _, _, err := jwt.NewParser().ParseUnverified(assertion, &claims); err != nil {
		return nil, keyRejected
	}
	ik := e.keys[claims.Issuer]
	if ik == nil {
		for id, k := range e.keys {
			if strings.EqualFold(id, claims.Issuer) {
				ik = k
			}
		}
	}
	if ik == nil {
		return nil, &oauthError{"invalid_grant", "issuer_not_found"}
	}
	verified := false
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	for _, kid := range ik.keyOrder {
		_, err := parser.ParseWithClaims(assertion, &assertionClaims{}, func(t *jwt.Token) (any, error) {
			if want, ok := t.Header["kid"].(string); ok && want != "" && want != kid {
				return nil, errors.New("other key")
			}
			return ik.keys[kid], nil
		})
		if err == nil {
			verified = true
			break
		}
	}
	if !verified {
		return nil, keyRejected
	}
	now := e.opts.Now()
	switch {
	case claims.ExpiresAt == nil:
		return nil, keyRejected
	// DocuSign's JWT guide requires iat and an exp at most an hour after it. Which description
	// DocuSign sends for these is undocumented; no_valid_keys_or_signatures is the one its support
	// FAQ gives for the neighbouring faults (a missing exp, a malformed aud).
	case claims.IssuedAt == nil:
		return nil, &oauthError{"invalid_grant", "no_valid_keys_or_signatures"}
	case claims.ExpiresAt.Sub(claims.IssuedAt.Time) > maxAssertionLifetime:
		return nil, &oauthError{"invalid_grant", "no_valid_keys_or_signatures"}
	case !now.Before(claims.ExpiresAt.Time):
		return nil, &oauthError{"invalid_grant", "expired_grant"}
	case claims.NotBefore != nil && now.Before(claims.NotBefore.Time):
		return nil, keyRejected
	case !audienceIs(claims.Audience, host):
		return nil, keyRejected
	}
	subject := e.users[strings.ToLower(claims.Subject)]
	if subject == nil || !hasActiveMembership(subject) {
		return nil, &oauthError{"invalid_grant", "user_not_found"}
	}
	scopes := map[string]bool{}
	for _, s := range strings.Fields(claims.Scope) {
		scopes[s] = true
	}
	// The JWT grant needs both signature and impersonation. DocuSign answers a grant without one
	// of them with consent_required, the answer for scopes not consented (docusign.com blog "From
	// the Trenches: But I already gave consent!": "If you do not add impersonation to the consent
	// scopes, you will end up with the 'Consent required' error"; the support FAQ: "signature
	// impersonation" is the minimum). It is checked before consent, so a user who consented to
	// everything still cannot get a token without them.
	if !scopes["signature"] || !scopes["impersonation"] {
		return nil, &oauthError{Error: "consent_required"}
	}
	if !ik.consentCovers(subject.id, scopes) {
		return nil, &oauthError{Error: "consent_required"}
	}
	return &token{ik: ik.id, userID: subject.id, scopes: scopes}, nil
}

// maxAssertionLifetime is the longest exp - iat DocuSign accepts in a JWT assertion.
const maxAssertionLifetime = time.Hour

// consentCovers reports whether the user consented to every scope asked for: consent is per
// scope, so one scope never granted brings back consent_required however many others were.
func (ik *integrationKey) consentCovers(userID string, scopes map[string]bool) bool {
	id := strings.ToLower(userID)
	if ik.consented[id] {
		return true
	}
	granted := ik.scopeConsents[id]
	if granted == nil {
		return false
	}
	for s := range scopes {
		if !granted[s] {
			return false
		}
	}
	return true
}

// audienceIs accepts exactly the account server's host without scheme or trailing slash.
func audienceIs(aud jwt.ClaimStrings, host string) bool {
	for _, a := range aud {
		if a == host {
			return true
		}
	}
	return false
}

func hasActiveMembership(u *user) bool {
	for _, m := range u.memberships {
		if m.status == "Active" {
			return true
		}
	}
	return false
}

// handleUserInfo lists the caller's accounts with their base URIs, as /oauth/userinfo does.
func (e *Emulator) handleUserInfo(c *call) {
	raw, _ := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer ")
	tok := e.tokens[raw]
	if tok == nil || !e.opts.Now().Before(tok.expires) {
		writeJSON(c.w, http.StatusUnauthorized, oauthError{"invalid_token", "The access token is invalid or expired."})
		return
	}
	u := e.users[strings.ToLower(tok.userID)]
	base := externalBase(c.r)
	type orgRef struct {
		OrganizationID string              `json:"organization_id"`
		Links          []map[string]string `json:"links"`
	}
	type acctRef struct {
		AccountID   string  `json:"account_id"`
		IsDefault   bool    `json:"is_default"`
		AccountName string  `json:"account_name"`
		BaseURI     string  `json:"base_uri"`
		Org         *orgRef `json:"organization,omitempty"`
	}
	accounts := []acctRef{}
	for _, m := range u.memberships {
		if m.status != "Active" {
			continue
		}
		a := acctRef{AccountID: m.account.ID, AccountName: m.account.Name, BaseURI: base, IsDefault: len(accounts) == 0}
		if m.account.org != nil {
			a.Org = &orgRef{OrganizationID: m.account.org.id, Links: []map[string]string{{"rel": "self", "href": base + "/Management/v2/organizations/" + m.account.org.id}}}
		}
		accounts = append(accounts, a)
	}
	writeJSON(c.w, http.StatusOK, map[string]any{
		"sub": u.id, "name": u.userName, "given_name": u.first, "family_name": u.last,
		"created": u.created.Format("2006-01-02T15:04:05.00"), "email": u.email, "accounts": accounts,
	})
}
