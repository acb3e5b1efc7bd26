// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package docusign is the provider's DocuSign client: one JWT connection (token source and
// userinfo), the eSignature and Admin clients built on it, and the call-saving helpers (batched
// closes, a shared directory of closed users) that keep the provider inside DocuSign's API budget.
// It imports nothing from Terraform.
package docusign

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/monitor"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// Environment selects DocuSign's demo (developer) or production hosts.
type Environment string

const (
	Demo       Environment = "demo"
	Production Environment = "production"
)

// OAuthBaseURL is the account server of env.
func OAuthBaseURL(env Environment) string {
	if env == Demo {
		return "https://account-d.docusign.com"
	}
	return "https://account.docusign.com"
}

// AdminBaseURL is the Admin API root of env.
func AdminBaseURL(env Environment) string {
	if env == Demo {
		return admin.DemoBaseURL
	}
	return admin.ProductionBaseURL
}

// MonitorBaseURL is the Monitor stream's host of env.
func MonitorBaseURL(env Environment) string {
	if env == Demo {
		return monitor.DemoBaseURL
	}
	return monitor.ProductionBaseURL
}

// Config is one connection, as the provider block declares it.
type Config struct {
	OAuthBaseURL   string
	AdminBaseURL   string
	MonitorBaseURL string
	IntegrationKey string
	UserID         string
	KeyPairID      string
	Key            *rsa.PrivateKey
	AccountID      string // default account; empty means userinfo's default
	Scopes         []string
	// MaxRetries bounds the resends of one call (see transport.Options); nil takes the
	// transport's default.
	MaxRetries *int
	UserAgent  string
	Logger     transport.Logger
	HTTPClient *http.Client
	// UnreachableAfter: see transport.Options; 0 takes the transport's default.
	UnreachableAfter time.Duration
	// CloseBatchWindow is how long the first close in a batch waits for others to join it.
	CloseBatchWindow time.Duration
	// DocuSignHostsOnly makes every account's base_uri from userinfo pass TrustedURL before any
	// token is sent there: production's rule, unless the user opted out for a proxy or a test.
	DocuSignHostsOnly bool
	// CloseConcurrency, when set, is how many closes run at once; see Closer.ExpectConcurrency.
	CloseConcurrency int
}

// Client is safe for concurrent use by every resource of one provider instance. ESign, Admin,
// Monitor and Tokens are the typed API clients, one call each; the Client's own methods are the
// operations that take several calls or share work between callers (batched closes, the
// closed-user directory, lookups across both APIs, the organization reports).
type Client struct {
	Tokens  *auth.TokenSource
	ESign   *esign.Client
	Admin   *admin.Client
	Monitor *monitor.Client

	transport *transport.Transport
	closer    *Closer
	directory *Directory
	feed      *datafeed.Client

	accountID         string
	userID            string // the impersonated user, never closed through this client
	docuSignHostsOnly bool
	// usersSelfOnly records that DocuSign refused GET …/users/{userId} for another user, so
	// lookups by ID stop spending a call on it (see AccountUser).
	usersSelfOnly atomic.Bool
	profilesMu    sync.Mutex
	profiles      map[string][]esign.PermissionProfile // by lower-case account ID
}

// New builds a lazy client: no call reaches DocuSign until a resource needs one.
func New(cfg Config) (*Client, error) {
	t := transport.New(transport.Options{
		HTTPClient: cfg.HTTPClient,
		UserAgent:  cfg.UserAgent,
		MaxRetries: cfg.MaxRetries,
		Logger:     cfg.Logger,

		UnreachableAfter: cfg.UnreachableAfter,
	})
	tokens, err := auth.NewTokenSource(auth.Config{
		OAuthBaseURL:   cfg.OAuthBaseURL,
		IntegrationKey: cfg.IntegrationKey,
		UserID:         cfg.UserID,
		KeyPairID:      cfg.KeyPairID,
		Key:            cfg.Key,
		Scopes:         cfg.Scopes,
		Transport:      t,
	})
	if err != nil {
		return nil, err
	}
	c := &Client{Tokens: tokens, transport: t, accountID: cfg.AccountID, userID: cfg.UserID, docuSignHostsOnly: cfg.DocuSignHostsOnly}
	c.ESign = esign.New(t, tokens, c.BaseURI)
	c.Admin = admin.New(t, tokens, cfg.AdminBaseURL)
	c.Monitor = monitor.New(t, tokens, cfg.MonitorBaseURL)
	c.closer = NewCloser(c.ESign, cfg.CloseBatchWindow)
	c.closer.ExpectConcurrency(cfg.CloseConcurrency)
	c.directory = NewDirectory(c.ESign)
	c.directory.lookup = func(ctx context.Context, accountID, userID string) (*esign.User, error) {
		return c.AccountUser(ctx, accountID, userID, "")
	}
	c.directory.export = c.exportAccountUsers
	c.feed = &datafeed.Client{Admin: c.Admin, ESign: c.ESign, Users: c.ESign, Monitor: c.Monitor, Export: c.membershipExporter(),
		ExportCounts: c.membershipCounter()}
	return c, nil
}

// BaseURI returns the eSignature base URI of accountID from userinfo.
func (c *Client) BaseURI(ctx context.Context, accountID string) (string, error) {
	info, err := c.Tokens.UserInfo(ctx)
	if err != nil {
		return "", err
	}
	acct, ok := info.Account(accountID)
	if !ok {
		return "", fmt.Errorf("%w: %s (the user can reach %s)", ErrAccountNotReachable, accountID, accountList(info))
	}
	if c.docuSignHostsOnly {
		if err := TrustedURL(acct.BaseURI); err != nil {
			return "", fmt.Errorf("userinfo's base_uri for account %s: %w", accountID, err)
		}
	}
	return acct.BaseURI, nil
}

// ErrUntrustedHost means a URL is not https on one of DocuSign's hosts.
var ErrUntrustedHost = errors.New("not an https URL on a DocuSign host (*.docusign.com, *.docusign.net)")

// UntrustedHostError is a URL that is not https on one of DocuSign's hosts. It names the scheme
// and host alone: the rest of a URL may carry credentials or a query.
type UntrustedHostError struct {
	Scheme, Host string // cleaned for printing; both empty when the URL cannot be read
}

func (e *UntrustedHostError) Error() string {
	return fmt.Sprintf("%s: %s", ErrUntrustedHost, e.Where())
}

// Where is the scheme and host, or says the URL cannot be read.
func (e *UntrustedHostError) Where() string {
	if e.Host == "" {
		return "the URL cannot be read"
	}
	return e.Scheme + "://" + e.Host
}

func (e *UntrustedHostError) Unwrap() error { return ErrUntrustedHost }

// TrustedURL accepts only https URLs on DocuSign's own domains; anything else is an
// *UntrustedHostError.
func TrustedURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return &UntrustedHostError{}
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme != "https" || !IsDocuSignHost(host) {
		return &UntrustedHostError{Scheme: transport.CleanText(u.Scheme, 16), Host: transport.CleanText(u.Host, 256)}
	}
	return nil
}

// IsDocuSignHost reports docusign.com, docusign.net and their subdomains.
func IsDocuSignHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, domain := range []string{"docusign.com", "docusign.net"} {
		if host == domain || strings.HasSuffix(host, "."+domain) {
			return true
		}
	}
	return false
}

func accountList(info *auth.UserInfo) string {
	ids := make([]string, 0, len(info.Accounts))
	for _, a := range info.Accounts {
		ids = append(ids, a.AccountID)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return "no accounts"
	}
	return strings.Join(ids, ", ")
}

// AccountID resolves the account a resource works in: its own setting, else the provider's
// account_id, else the impersonated user's default account.
func (c *Client) AccountID(ctx context.Context, override string) (string, error) {
	if override != "" {
		return override, nil
	}
	if c.accountID != "" {
		return c.accountID, nil
	}
	info, err := c.Tokens.UserInfo(ctx)
	if err != nil {
		return "", err
	}
	acct, ok := info.DefaultAccount()
	if !ok {
		return "", errors.New("the impersonated user has no DocuSign account")
	}
	return acct.AccountID, nil
}

// CleanText makes text from DocuSign, or from anyone, safe to print in a terminal (see
// transport.CleanText).
func CleanText(s string, maxBytes int) string { return transport.CleanText(s, maxBytes) }

// ForgetAccount drops what the client holds about accountID's closed users, so the next read
// asks DocuSign again; for a caller that changed the account some other way.
func (c *Client) ForgetAccount(accountID string) { c.directory.Forget(accountID) }
