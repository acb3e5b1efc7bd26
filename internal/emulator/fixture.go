// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Fixture is the emulator's seed document. Its JSON shape is a fixed contract shared with the
// demo, the benchmarks and anyone driving the emulator by hand; unknown fields are errors so a
// typo in a fixture fails loudly instead of silently seeding less than intended.
type Fixture struct {
	IntegrationKeys []IntegrationKey `json:"integration_keys,omitempty"`
	Organizations   []Organization   `json:"organizations,omitempty"`
	Users           []User           `json:"users,omitempty"`
	Envelopes       []Envelope       `json:"envelopes,omitempty"`
	Generate        *Generate        `json:"generate,omitempty"`
	Behaviour       *Behaviour       `json:"behaviour,omitempty"`
}

// IntegrationKey is an app registered with DocuSign: its RSA public keys and who consented.
// ConsentedUserIDs granted every scope; Consents grant only the scopes they list.
type IntegrationKey struct {
	ID               string      `json:"id"`
	PublicKeys       []PublicKey `json:"public_keys"`
	ConsentedUserIDs []string    `json:"consented_user_ids"`
	RedirectURIs     []string    `json:"redirect_uris,omitempty"`
	Consents         []Consent   `json:"consents,omitempty"`
}

// Consent is one user's consent to some scopes of an integration key.
type Consent struct {
	UserID string   `json:"user_id"`
	Scopes []string `json:"scopes"`
}

// PublicKey is one of an integration key's RSA key pairs (DocuSign allows up to five).
type PublicKey struct {
	ID  string `json:"id"`
	PEM string `json:"pem"`
}

// Organization groups accounts under organization administrators.
type Organization struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	AdminUserIDs []string   `json:"admin_user_ids"`
	PlanItems    []PlanItem `json:"plan_items,omitempty"`
	Accounts     []Account  `json:"accounts"`
	// Monitor is true when the organization has the DocuSign Monitor add-on, which serves its
	// event stream.
	Monitor bool `json:"monitor,omitempty"`
	// ReservedDomains are the organization's claimed (active) email domains; Monitor tracks only
	// users whose email is in one of them.
	ReservedDomains []string `json:"reserved_domains,omitempty"`
}

// PlanItem is a plan the organization subscribes to, as GET …/planItems lists it.
type PlanItem struct {
	PlanID           string `json:"plan_id"`
	PlanName         string `json:"plan_name"`
	SubscriptionID   string `json:"subscription_id"`
	SubscriptionName string `json:"subscription_name"`
}

// Account is an eSignature account. EnvelopesAllowed 0 means unlimited. Billing dates are
// YYYY-MM-DD, end inclusive.
type Account struct {
	// EnvelopesAllowedReported false makes GET /accounts/{id} leave out billingPeriodEnvelopesAllowed,
	// as reseller accounts do: the allowance is not reported, which is not the same as unlimited.
	// Absent means reported.
	EnvelopesAllowedReported *bool `json:"envelopes_allowed_reported,omitempty"`

	ID                 string `json:"id"`
	Name               string `json:"name"`
	ExternalAccountID  int64  `json:"external_account_id"`
	SiteID             int    `json:"site_id"`
	PlanID             string `json:"plan_id"`
	PlanName           string `json:"plan_name"`
	SeatsAllowed       int    `json:"seats_allowed"`
	EnvelopesAllowed   int    `json:"envelopes_allowed"`
	BillingPeriodStart string `json:"billing_period_start"`
	BillingPeriodEnd   string `json:"billing_period_end"`
}

// User is a DocuSign user and their account memberships.
type User struct {
	ID          string       `json:"id"`
	Email       string       `json:"email"`
	UserName    string       `json:"user_name"`
	FirstName   string       `json:"first_name,omitempty"`
	LastName    string       `json:"last_name,omitempty"`
	Created     string       `json:"created,omitempty"` // RFC 3339; default: when the fixture is loaded
	Memberships []Membership `json:"memberships"`
}

// Membership is a user's seat in one account. Status uses eSignature's spelling (Active, Closed…).
type Membership struct {
	AccountID             string `json:"account_id"`
	Status                string `json:"status"`
	IsAdmin               bool   `json:"is_admin,omitempty"`
	LicenseType           string `json:"license_type,omitempty"`
	PermissionProfileName string `json:"permission_profile_name,omitempty"`
	Created               string `json:"created,omitempty"`
	// Closed is when a Closed membership was closed (RFC 3339); default: when it was created.
	Closed string `json:"closed,omitempty"`
	// LastLogin is when the user last logged in to this account (RFC 3339); empty means never.
	LastLogin string `json:"last_login,omitempty"`
}

// Envelope is one envelope an account sent. The sender must have (or have had) a membership in
// the account; the envelope search shows it to its sender and its recipients only.
type Envelope struct {
	AccountID        string    `json:"account_id"`
	SenderUserID     string    `json:"sender_user_id"`
	RecipientUserIDs []string  `json:"recipient_user_ids,omitempty"`
	SentAt           time.Time `json:"sent_at"`
}

// Generate adds synthetic users and envelopes to every account, for scale tests.
//
// Accounts and Memberships build a large organization in the first organization of the fixture:
// Accounts new accounts (each with the organization's admins as active account administrators),
// then Memberships memberships spread over all of the organization's accounts with the mix a real
// organization has: about one user in eight holds seats in two or three accounts, one membership
// in eight is closed, a few await activation, and one user in fifty is a shared service mailbox.
type Generate struct {
	UsersPerAccount     int `json:"users_per_account"`
	EnvelopesPerAccount int `json:"envelopes_per_account"`
	Accounts            int `json:"accounts,omitempty"`
	Memberships         int `json:"memberships,omitempty"`
}

// ParseFixture decodes a fixture document strictly.
func ParseFixture(data []byte) (*Fixture, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Fixture
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("fixture: trailing data after the document")
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// LoadFixture reads and parses a fixture file.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := ParseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// validate checks what can be checked without the emulator's current state; references to
// accounts are checked when the fixture is applied, because a merge may refer to earlier ones.
// Members counts the fixture's memberships in accountID, of any status.
func (f *Fixture) Members(accountID string) int {
	n := 0
	for _, u := range f.Users {
		for _, m := range u.Memberships {
			if strings.EqualFold(m.AccountID, accountID) {
				n++
			}
		}
	}
	return n
}

func (f *Fixture) validate() error {
	for i, k := range f.IntegrationKeys {
		if k.ID == "" {
			return fmt.Errorf("fixture: integration_keys[%d].id is empty", i)
		}
		for j, pk := range k.PublicKeys {
			if _, err := parsePublicKey(pk.PEM); err != nil {
				return fmt.Errorf("fixture: integration_keys[%d].public_keys[%d]: %w", i, j, err)
			}
		}
		for j, c := range k.Consents {
			if c.UserID == "" || len(c.Scopes) == 0 {
				return fmt.Errorf("fixture: integration_keys[%d].consents[%d] needs user_id and at least one scope", i, j)
			}
		}
	}
	for i, o := range f.Organizations {
		if o.ID == "" {
			return fmt.Errorf("fixture: organizations[%d].id is empty", i)
		}
		for j, a := range o.Accounts {
			if a.ID == "" {
				return fmt.Errorf("fixture: organizations[%d].accounts[%d].id is empty", i, j)
			}
			for _, d := range []string{a.BillingPeriodStart, a.BillingPeriodEnd} {
				if d == "" {
					continue
				}
				if _, err := time.Parse(time.DateOnly, d); err != nil {
					return fmt.Errorf("fixture: organizations[%d].accounts[%d]: billing period date %q is not YYYY-MM-DD", i, j, d)
				}
			}
		}
	}
	for i, u := range f.Users {
		if u.ID == "" || u.Email == "" {
			return fmt.Errorf("fixture: users[%d] needs id and email", i)
		}
		if u.Created != "" {
			if _, err := time.Parse(time.RFC3339, u.Created); err != nil {
				return fmt.Errorf("fixture: users[%d].created %q is not RFC 3339", i, u.Created)
			}
		}
		for j, m := range u.Memberships {
			if _, ok := normalStatus(m.Status); !ok {
				return fmt.Errorf("fixture: users[%d].memberships[%d].status %q is not one of %s", i, j, m.Status, strings.Join(statuses, ", "))
			}
			if m.Created != "" {
				if _, err := time.Parse(time.RFC3339, m.Created); err != nil {
					return fmt.Errorf("fixture: users[%d].memberships[%d].created %q is not RFC 3339", i, j, m.Created)
				}
			}
			if m.Closed != "" {
				if _, err := time.Parse(time.RFC3339, m.Closed); err != nil {
					return fmt.Errorf("fixture: users[%d].memberships[%d].closed %q is not RFC 3339", i, j, m.Closed)
				}
			}
			if m.LastLogin != "" {
				if _, err := time.Parse(time.RFC3339, m.LastLogin); err != nil {
					return fmt.Errorf("fixture: users[%d].memberships[%d].last_login %q is not RFC 3339", i, j, m.LastLogin)
				}
			}
		}
	}
	for i, env := range f.Envelopes {
		if env.AccountID == "" || env.SenderUserID == "" {
			return fmt.Errorf("fixture: envelopes[%d] needs account_id and sender_user_id", i)
		}
	}
	if g := f.Generate; g != nil && (g.UsersPerAccount < 0 || g.EnvelopesPerAccount < 0 || g.Accounts < 0 || g.Memberships < 0) {
		return fmt.Errorf("fixture: generate counts must not be negative")
	}
	return nil
}

// statuses are eSignature's membership statuses.
var statuses = []string{"ActivationRequired", "ActivationSent", "Active", "Closed", "Disabled"}

func normalStatus(s string) (string, bool) {
	for _, known := range statuses {
		if strings.EqualFold(s, known) || strings.EqualFold(strings.ReplaceAll(s, "_", ""), known) {
			return known, true
		}
	}
	return "", false
}

// adminStatus is the Admin API's snake_case spelling of an eSignature status.
func adminStatus(s string) string {
	switch s {
	case "ActivationRequired":
		return "activation_required"
	case "ActivationSent":
		return "activation_sent"
	}
	return strings.ToLower(s)
}
