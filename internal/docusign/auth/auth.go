// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package auth gets DocuSign access tokens with the OAuth JWT grant: it signs the assertion, shares
// one grant among all callers, reuses the token until shortly before it expires, and caches the
// impersonated user's userinfo (accounts and their base URIs).
package auth

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// BaseScopes are what every JWT grant asks for: eSignature calls need signature, and the JWT
// grant itself needs impersonation.
var BaseScopes = []string{"signature", "impersonation"}

// ErrMissingBaseScopes means configured scopes leave out signature or impersonation: DocuSign
// refuses every JWT grant without both (consent_required), so no call could succeed.
var ErrMissingBaseScopes = errors.New("the scopes must include both signature and impersonation")

// MissingBaseScopes lists the BaseScopes that scopes leave out, in BaseScopes' order.
func MissingBaseScopes(scopes []string) []string {
	var missing []string
	for _, base := range BaseScopes {
		if !slices.Contains(scopes, base) {
			missing = append(missing, base)
		}
	}
	return missing
}

// DocuSign's consent is per scope: a grant that asks for one scope the user never consented to
// fails with consent_required, however many others were granted. So unless Config.Scopes names
// the scopes outright, a TokenSource asks only for BaseScopes at first, and adds an Admin API
// scope the first time a call needs it (WithScopes): a configuration that never touches the Admin
// API never needs Admin consent, and one that reads subscriptions never needs user_write.

// Config is one JWT connection.
type Config struct {
	OAuthBaseURL   string // e.g. https://account-d.docusign.com
	IntegrationKey string
	UserID         string
	KeyPairID      string // sent as the JWT "kid" header when set
	Key            *rsa.PrivateKey
	// Scopes, when set, are exactly the scopes of every grant. When empty, grants ask for
	// BaseScopes plus the scopes the calls so far have needed.
	Scopes []string
	// RedirectURI goes into consent URLs; DocuSign needs one registered on the integration key.
	RedirectURI string
	Transport   *transport.Transport
	Now         func() time.Time
}

// Token is an access token and when it stops working.
type Token struct {
	AccessToken string
	TokenType   string
	ExpiresAt   time.Time
	Lifetime    time.Duration
	Scopes      []string // the scopes the grant asked for
}

// TokenSource implements transport.TokenSource. It is safe for concurrent use.
type TokenSource struct {
	cfg Config

	mu       sync.Mutex
	token    *Token
	inflight *grantCall
	grants   int
	fixed    bool            // cfg.Scopes was configured: never add scopes
	wanted   map[string]bool // scopes the next grant asks for

	userInfoMu   sync.Mutex
	userInfo     *UserInfo
	userInfoCall *userInfoCall
}

type grantCall struct {
	done   chan struct{}
	scopes []string
	token  *Token
	err    error
}

type userInfoCall struct {
	done chan struct{}
	info *UserInfo
	err  error
}

// NewTokenSource checks the configuration that can be checked without a network call.
func NewTokenSource(cfg Config) (*TokenSource, error) {
	if cfg.Key == nil {
		return nil, errors.New("no RSA private key configured")
	}
	if cfg.IntegrationKey == "" || cfg.UserID == "" {
		return nil, errors.New("integration key and user ID are both required")
	}
	if _, err := url.Parse(cfg.OAuthBaseURL); err != nil || cfg.OAuthBaseURL == "" {
		return nil, fmt.Errorf("invalid OAuth base URL %q", cfg.OAuthBaseURL)
	}
	fixed := len(cfg.Scopes) > 0
	if missing := MissingBaseScopes(cfg.Scopes); fixed && len(missing) > 0 {
		return nil, fmt.Errorf("%w; %q lacks %s", ErrMissingBaseScopes, strings.Join(cfg.Scopes, " "), strings.Join(missing, " and "))
	}
	if !fixed {
		cfg.Scopes = BaseScopes
	}
	wanted := map[string]bool{}
	for _, scope := range cfg.Scopes {
		wanted[scope] = true
	}
	if cfg.RedirectURI == "" {
		cfg.RedirectURI = "https://localhost/callback"
	}
	if cfg.Transport == nil {
		cfg.Transport = transport.New(transport.Options{})
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.OAuthBaseURL = strings.TrimRight(cfg.OAuthBaseURL, "/")
	return &TokenSource{cfg: cfg, fixed: fixed, wanted: wanted}, nil
}

// Audience is the OAuth host without scheme, which DocuSign requires as the JWT "aud".
func Audience(oauthBaseURL string) string {
	u, err := url.Parse(oauthBaseURL)
	if err != nil || u.Host == "" {
		return strings.TrimPrefix(strings.TrimPrefix(oauthBaseURL, "https://"), "http://")
	}
	return u.Host
}

// Assertion signs the JWT that DocuSign trades for an access token.
func Assertion(cfg Config, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"iss":   cfg.IntegrationKey,
		"sub":   cfg.UserID,
		"aud":   Audience(cfg.OAuthBaseURL),
		"iat":   now.Unix(),
		"exp":   now.Add(time.Hour).Unix(),
		"scope": strings.Join(cfg.Scopes, " "),
	}
	token := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if cfg.KeyPairID != "" {
		token.Header["kid"] = cfg.KeyPairID
	}
	return token.SignedString(cfg.Key)
}

// ConsentURL is the individual-consent page for this integration key and scopes.
func ConsentURL(oauthBaseURL, integrationKey string, scopes []string, redirectURI string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("scope", strings.Join(scopes, " "))
	q.Set("client_id", integrationKey)
	q.Set("redirect_uri", redirectURI)
	return strings.TrimRight(oauthBaseURL, "/") + "/oauth/auth?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// ConsentURL for this source's connection and the scopes it asks for now.
func (s *TokenSource) ConsentURL() string {
	return ConsentURL(s.cfg.OAuthBaseURL, s.cfg.IntegrationKey, s.Scopes(), s.cfg.RedirectURI)
}

// Scopes returns the scopes this source asks for now: the configured ones, or BaseScopes plus
// those calls have needed so far, in a stable order.
func (s *TokenSource) Scopes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wantedLocked()
}

func (s *TokenSource) wantedLocked() []string {
	out := append(make([]string, 0, len(s.wanted)), s.cfg.Scopes...)
	var extra []string
	for scope := range s.wanted {
		if !slices.Contains(s.cfg.Scopes, scope) {
			extra = append(extra, scope)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// WithScopes is this source for calls that need scopes beyond BaseScopes, such as an Admin API
// call that needs user_read: its tokens carry them. With configured scopes it is the source
// itself, and DocuSign's answer to a missing scope names it.
func (s *TokenSource) WithScopes(scopes ...string) transport.TokenSource {
	if s.fixed || len(scopes) == 0 {
		return s
	}
	return scopedSource{s, scopes}
}

// Expect adds scopes that the calls an operation is about to make will need, so that the next
// grant asks for all of them: one grant for the operation instead of one per scope as its calls
// come. Consent stays per scope, since callers expect only scopes they are going to use. With
// configured scopes it does nothing.
func (s *TokenSource) Expect(scopes ...string) {
	if s == nil || s.fixed {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, scope := range scopes {
		s.wanted[scope] = true
	}
}

type scopedSource struct {
	*TokenSource
	need []string
}

func (v scopedSource) AccessToken(ctx context.Context) (string, error) {
	tok, err := v.tokenFor(ctx, v.need)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

func covers(granted []string, need []string) bool {
	for _, scope := range need {
		if !slices.Contains(granted, scope) {
			return false
		}
	}
	return true
}

// OAuthBaseURL returns the OAuth host this source talks to.
func (s *TokenSource) OAuthBaseURL() string { return s.cfg.OAuthBaseURL }

// Grants counts the JWT grants this source has made (for tests and benchmarks).
func (s *TokenSource) Grants() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.grants
}

// AccessToken implements transport.TokenSource.
func (s *TokenSource) AccessToken(ctx context.Context) (string, error) {
	tok, err := s.Token(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// Token returns a token that is good for a while yet, making at most one grant at a time however
// many callers wait for it.
func (s *TokenSource) Token(ctx context.Context) (*Token, error) {
	return s.tokenFor(ctx, nil)
}

// tokenFor returns a fresh token that carries need. A grant in flight that will carry need is
// shared; one that will not is waited out first, so grants never race each other.
func (s *TokenSource) tokenFor(ctx context.Context, need []string) (*Token, error) {
	for {
		s.mu.Lock()
		for _, scope := range need {
			s.wanted[scope] = true
		}
		if s.token != nil && s.fresh(s.token) && covers(s.token.Scopes, need) {
			tok := s.token
			s.mu.Unlock()
			return tok, nil
		}
		call := s.inflight
		if call == nil {
			call = &grantCall{done: make(chan struct{}), scopes: s.wantedLocked()}
			s.inflight = call
			s.grants++
			go s.grant(context.WithoutCancel(ctx), call)
		}
		s.mu.Unlock()

		select {
		case <-call.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if call.err != nil || covers(call.scopes, need) {
			return call.token, call.err
		}
	}
}

// fresh keeps a token until about 5 minutes before expiry; short-lived tokens (the emulator's
// fault mode, or a revoked consent) get a fifth of their lifetime as margin instead.
func (s *TokenSource) fresh(tok *Token) bool {
	margin := min(5*time.Minute, tok.Lifetime/5)
	return s.cfg.Now().Before(tok.ExpiresAt.Add(-margin))
}

// Invalidate forgets token if it is still the current one (a 401 said it no longer works).
func (s *TokenSource) Invalidate(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != nil && s.token.AccessToken == token {
		s.token = nil
	}
}

// grant runs detached from any one caller's cancellation, so that a caller giving up does not fail
// the others waiting on the same grant. It keeps the first caller's values, its logger among
// them, so the grant shows in that caller's log like any other call.
func (s *TokenSource) grant(ctx context.Context, call *grantCall) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	tok, err := s.requestToken(ctx, call.scopes)

	s.mu.Lock()
	if err == nil {
		s.token = tok
	}
	s.inflight = nil
	call.token, call.err = tok, err
	s.mu.Unlock()
	close(call.done)
}

func (s *TokenSource) requestToken(ctx context.Context, scopes []string) (*Token, error) {
	now := s.cfg.Now()
	cfg := s.cfg
	cfg.Scopes = scopes
	assertion, err := Assertion(cfg, now)
	if err != nil {
		return nil, fmt.Errorf("signing the JWT assertion: %w", err)
	}
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	_, err = s.cfg.Transport.Do(ctx, transport.Request{
		API:    transport.APIOAuth,
		Method: "POST",
		URL:    s.cfg.OAuthBaseURL + "/oauth/token",
		Form: url.Values{
			"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
			"assertion":  {assertion},
		},
		// A grant has no side effect, so resending it after a 5xx or a dropped connection is safe.
		Idempotent: true,
		Out:        &out,
	})
	if err != nil {
		var apiErr *transport.Error
		if errors.As(err, &apiErr) && apiErr.Status < 500 && !apiErr.IsRateLimit() {
			oe := oauthErrorFrom(apiErr)
			if errors.Is(oe, ErrConsentRequired) {
				oe.ConsentURL = ConsentURL(s.cfg.OAuthBaseURL, s.cfg.IntegrationKey, scopes, s.cfg.RedirectURI)
			}
			return nil, oe
		}
		return nil, fmt.Errorf("requesting a DocuSign access token: %w", err)
	}
	if out.AccessToken == "" {
		return nil, errors.New("DocuSign's token answer held no access_token")
	}
	lifetime := time.Duration(out.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = time.Hour
	}
	return &Token{AccessToken: out.AccessToken, TokenType: out.TokenType, ExpiresAt: now.Add(lifetime), Lifetime: lifetime, Scopes: scopes}, nil
}

// UserInfo is the impersonated user and the accounts they can reach.
type UserInfo struct {
	Sub        string        `json:"sub"`
	Name       string        `json:"name"`
	GivenName  string        `json:"given_name"`
	FamilyName string        `json:"family_name"`
	Email      string        `json:"email"`
	Created    string        `json:"created"`
	Accounts   []UserAccount `json:"accounts"`
}

// UserAccount is one account in userinfo.
type UserAccount struct {
	AccountID    string            `json:"account_id"`
	IsDefault    bool              `json:"is_default"`
	AccountName  string            `json:"account_name"`
	BaseURI      string            `json:"base_uri"`
	Organization *UserOrganization `json:"organization,omitempty"`
}

// UserOrganization names the organization an account belongs to.
type UserOrganization struct {
	OrganizationID string `json:"organization_id"`
}

// Account finds accountID among the user's accounts.
func (u *UserInfo) Account(accountID string) (UserAccount, bool) {
	for _, a := range u.Accounts {
		if strings.EqualFold(a.AccountID, accountID) {
			return a, true
		}
	}
	return UserAccount{}, false
}

// DefaultAccount is the account DocuSign marks as default, else the first.
func (u *UserInfo) DefaultAccount() (UserAccount, bool) {
	for _, a := range u.Accounts {
		if a.IsDefault {
			return a, true
		}
	}
	if len(u.Accounts) > 0 {
		return u.Accounts[0], true
	}
	return UserAccount{}, false
}

// UserInfo fetches /oauth/userinfo once per source; concurrent callers share the one call.
func (s *TokenSource) UserInfo(ctx context.Context) (*UserInfo, error) {
	s.userInfoMu.Lock()
	if s.userInfo != nil {
		info := s.userInfo
		s.userInfoMu.Unlock()
		return info, nil
	}
	call := s.userInfoCall
	if call == nil {
		call = &userInfoCall{done: make(chan struct{})}
		s.userInfoCall = call
		// Detached like the grant, keeping the first caller's logger.
		shared := context.WithoutCancel(ctx)
		go func() {
			ctx, cancel := context.WithTimeout(shared, 2*time.Minute)
			defer cancel()
			var info UserInfo
			_, err := s.cfg.Transport.Do(ctx, transport.Request{
				API: transport.APIOAuth, Method: "GET", URL: s.cfg.OAuthBaseURL + "/oauth/userinfo",
				Idempotent: true, Auth: s, Out: &info,
			})
			s.userInfoMu.Lock()
			if err == nil {
				s.userInfo = &info
				call.info = &info
			}
			call.err = err
			s.userInfoCall = nil
			s.userInfoMu.Unlock()
			close(call.done)
		}()
	}
	s.userInfoMu.Unlock()
	select {
	case <-call.done:
		return call.info, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
