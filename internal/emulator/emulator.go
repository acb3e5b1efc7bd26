// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package emulator is an in-memory DocuSign for tests, benchmarks and the demo. It serves the
// OAuth JWT grant and userinfo, the eSignature account, users and envelopes routes, and the Admin
// organization routes the provider calls, with DocuSign's field names, string-typed eSignature
// scalars, paging, error bodies and rate-limit headers. It verifies JWT signatures against the
// registered public keys, checks consent and scopes, expires tokens, and can inject faults.
package emulator

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options tune an emulator. Zero values pick DocuSign's defaults.
type Options struct {
	TokenTTL    time.Duration // access-token lifetime; default 1 h
	HourlyLimit int           // calls per hour per account (or organization); default 3000
	BurstLimit  int           // calls per 30 s per account (or organization); default 500
	Now         func() time.Time
	Seed        uint64 // seeds fault injection, so a chaos run can be replayed
	Logf        func(format string, args ...any)
}

// Faults make the emulator misbehave on purpose. Rates are probabilities per API request.
type Faults struct {
	ErrorRate       float64  `json:"error_rate"`
	ThrottleRate    float64  `json:"throttle_rate"`
	LatencyMS       int      `json:"latency_ms"`
	TokenTTLSeconds int      `json:"token_ttl_seconds"`
	DropRate        float64  `json:"drop_rate"`              // do the work, then drop the connection
	DropMethods     []string `json:"drop_methods,omitempty"` // limit drops to these methods
}

// Stats counts API traffic since the last reset.
type Stats struct {
	Total          int            `json:"total"`
	TokenGrants    int            `json:"token_grants"`
	Throttled      int            `json:"throttled"`
	InjectedFaults int            `json:"injected_faults"`
	Requests       map[string]int `json:"requests"`
	// Succeeded counts, per route, the calls whose work was done (a 2xx, dropped answers
	// included): a throttled or refused create is a request but creates nothing.
	Succeeded map[string]int `json:"succeeded"`
}

// Emulator is DocuSign's state plus the knobs tests turn. Safe for concurrent use.
type Emulator struct {
	opts Options

	mu        sync.Mutex
	keys      map[string]*integrationKey
	orgs      map[string]*org
	orgOrder  []*org
	accounts  map[string]*account
	users     map[string]*user
	userOrder []*user
	byEmail   map[string][]*user
	tokens    map[string]*token
	faults    Faults
	failNext  map[string]*failNext // targeted faults by route
	behaviour Behaviour
	tampers   []*Tamper // see tamper.go
	rng       *rand.Rand
	stats     Stats
	limits    map[string]*limitWindow
	seq       uint64

	jobs        map[string]*job // bulk exports and imports, by lower-case ID
	jobOrder    []*job
	jobSettings JobSettings
}

type integrationKey struct {
	id            string
	keys          map[string]*rsa.PublicKey
	keyOrder      []string
	consented     map[string]bool            // users who granted every scope
	scopeConsents map[string]map[string]bool // user → the scopes they granted
	redirects     []string
	org           string // the organization that owns the key, whose Monitor stream it reads; "" = see monitorOrgs
}

type org struct {
	id, name  string
	admins    map[string]bool
	planItems []PlanItem
	accounts  []*account
	monitor   bool
	domains   []string // reserved (claimed) email domains, lower case
}

type account struct {
	Account
	org         *org
	members     []*membership
	envelopes   []envelope // sorted by sent time
	billingFrom time.Time
	billingTo   time.Time // exclusive
}

// envelope is one sent envelope; sender is nil only for generated envelopes of an account
// without members.
type envelope struct {
	sent       time.Time
	sender     *user
	recipients []*user
}

type user struct {
	id, email, userName, first, last string
	created                          time.Time
	modified                         time.Time // last change, for the recent-only profile lookup
	memberships                      []*membership
}

type membership struct {
	id                    string
	user                  *user
	account               *account
	status                string
	isAdmin               bool
	licenseType           string
	permissionProfileName string
	created               time.Time
	closedOn              time.Time
	closures              int
	lastLogin             time.Time // zero: never logged in
}

type token struct {
	ik      string
	userID  string
	scopes  map[string]bool
	expires time.Time
}

// New builds an emulator seeded with f.
func New(f *Fixture, opts Options) (*Emulator, error) {
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.HourlyLimit <= 0 {
		opts.HourlyLimit = 3000
	}
	if opts.BurstLimit <= 0 {
		opts.BurstLimit = 500
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	e := &Emulator{
		opts:     opts,
		keys:     map[string]*integrationKey{},
		orgs:     map[string]*org{},
		accounts: map[string]*account{},
		users:    map[string]*user{},
		byEmail:  map[string][]*user{},
		tokens:   map[string]*token{},
		limits:   map[string]*limitWindow{},
		rng:      rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		stats:    Stats{Requests: map[string]int{}, Succeeded: map[string]int{}},
	}
	if f != nil {
		if err := e.MergeFixture(f); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// MergeFixture adds f's keys, organizations, accounts, users, memberships and envelopes. A user
// or organization that already exists gains the new memberships or accounts.
func (e *Emulator) MergeFixture(f *Fixture) error {
	if err := f.validate(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, k := range f.IntegrationKeys {
		ik := e.keys[k.ID]
		if ik == nil {
			ik = &integrationKey{id: k.ID, keys: map[string]*rsa.PublicKey{}, consented: map[string]bool{}, scopeConsents: map[string]map[string]bool{}}
			e.keys[k.ID] = ik
		}
		for _, pk := range k.PublicKeys {
			pub, err := parsePublicKey(pk.PEM)
			if err != nil {
				return err
			}
			if _, seen := ik.keys[pk.ID]; !seen {
				ik.keyOrder = append(ik.keyOrder, pk.ID)
			}
			ik.keys[pk.ID] = pub
		}
		for _, id := range k.ConsentedUserIDs {
			ik.consented[strings.ToLower(id)] = true
		}
		for _, c := range k.Consents {
			id := strings.ToLower(c.UserID)
			if ik.scopeConsents[id] == nil {
				ik.scopeConsents[id] = map[string]bool{}
			}
			for _, scope := range c.Scopes {
				ik.scopeConsents[id][scope] = true
			}
		}
		ik.redirects = append(ik.redirects, k.RedirectURIs...)
	}
	for _, o := range f.Organizations {
		og := e.orgs[o.ID]
		if og == nil {
			og = &org{id: o.ID, name: o.Name, admins: map[string]bool{}}
			e.orgs[o.ID] = og
			e.orgOrder = append(e.orgOrder, og)
		}
		for _, id := range o.AdminUserIDs {
			og.admins[strings.ToLower(id)] = true
		}
		og.monitor = og.monitor || o.Monitor
		for _, d := range o.ReservedDomains {
			og.domains = append(og.domains, strings.ToLower(d))
		}
		og.planItems = append(og.planItems, o.PlanItems...)
		for _, a := range o.Accounts {
			if _, dup := e.accounts[strings.ToLower(a.ID)]; dup {
				return fmt.Errorf("fixture: account %s appears twice", a.ID)
			}
			acct := &account{Account: a, org: og}
			if acct.SiteID == 0 {
				acct.SiteID = 1
			}
			acct.billingFrom, acct.billingTo = e.billingPeriod(a)
			e.accounts[strings.ToLower(a.ID)] = acct
			og.accounts = append(og.accounts, acct)
		}
	}
	for _, fu := range f.Users {
		u := e.users[strings.ToLower(fu.ID)]
		if u == nil {
			u = &user{id: fu.ID, email: fu.Email, userName: fu.UserName, first: fu.FirstName, last: fu.LastName, created: e.opts.Now().UTC()}
			if fu.Created != "" {
				u.created, _ = time.Parse(time.RFC3339, fu.Created)
				u.created = u.created.UTC()
			} else {
				// Nobody joins an account before they exist: without its own date, a user is as
				// old as their oldest membership.
				for _, fm := range fu.Memberships {
					if t, err := time.Parse(time.RFC3339, fm.Created); err == nil && t.Before(u.created) {
						u.created = t.UTC()
					}
				}
			}
			u.modified = u.created
			if fu.Created == "" {
				u.modified = e.opts.Now().UTC() // loaded just now, as before users had their own dates
			}
			if u.userName == "" {
				u.userName = strings.TrimSpace(fu.FirstName + " " + fu.LastName)
			}
			e.addUser(u)
		}
		for _, fm := range fu.Memberships {
			acct := e.accounts[strings.ToLower(fm.AccountID)]
			if acct == nil {
				return fmt.Errorf("fixture: user %s has a membership in unknown account %s", fu.ID, fm.AccountID)
			}
			status, _ := normalStatus(fm.Status)
			created := u.created
			if fm.Created != "" {
				created, _ = time.Parse(time.RFC3339, fm.Created)
			}
			var lastLogin time.Time
			if fm.LastLogin != "" {
				lastLogin, _ = time.Parse(time.RFC3339, fm.LastLogin)
				lastLogin = lastLogin.UTC()
			}
			if existing := u.membershipIn(acct); existing != nil {
				existing.status = status
				if !lastLogin.IsZero() {
					existing.lastLogin = lastLogin
				}
				continue
			}
			m := &membership{
				id: e.newID("membership", u.id, acct.ID), user: u, account: acct, status: status, isAdmin: fm.IsAdmin,
				licenseType: fm.LicenseType, permissionProfileName: canonicalProfile(fm.PermissionProfileName), created: created.UTC(),
				lastLogin: lastLogin,
			}
			if m.licenseType == "" {
				m.licenseType = "professional"
			}
			if m.permissionProfileName == "" {
				m.permissionProfileName = defaultProfile
			}
			if status == "Closed" {
				m.closedOn = created.UTC()
				if fm.Closed != "" {
					closed, _ := time.Parse(time.RFC3339, fm.Closed)
					m.closedOn = closed.UTC()
				}
			}
			if m.created.After(u.modified) {
				u.modified = m.created
			}
			e.addMembership(m)
		}
	}
	if f.Behaviour != nil {
		e.behaviour = *f.Behaviour
	}
	touched := map[*account]bool{}
	for i, env := range f.Envelopes {
		acct := e.accounts[strings.ToLower(env.AccountID)]
		if acct == nil {
			return fmt.Errorf("fixture: envelope in unknown account %s", env.AccountID)
		}
		sender := e.users[strings.ToLower(env.SenderUserID)]
		if sender == nil || sender.membershipIn(acct) == nil {
			return fmt.Errorf("fixture: envelopes[%d]: sender %s has no membership in account %s", i, env.SenderUserID, env.AccountID)
		}
		sent := envelope{sent: env.SentAt.UTC(), sender: sender}
		for _, id := range env.RecipientUserIDs {
			r := e.users[strings.ToLower(id)]
			if r == nil {
				return fmt.Errorf("fixture: envelopes[%d]: unknown recipient user %s", i, id)
			}
			sent.recipients = append(sent.recipients, r)
		}
		acct.envelopes = append(acct.envelopes, sent)
		touched[acct] = true
	}
	if g := f.Generate; g != nil {
		e.generate(*g, touched)
	}
	for acct := range touched {
		sort.SliceStable(acct.envelopes, func(i, j int) bool { return acct.envelopes[i].sent.Before(acct.envelopes[j].sent) })
	}
	return nil
}

func (e *Emulator) addUser(u *user) {
	e.users[strings.ToLower(u.id)] = u
	e.userOrder = append(e.userOrder, u)
	key := strings.ToLower(u.email)
	e.byEmail[key] = append(e.byEmail[key], u)
}

func (e *Emulator) addMembership(m *membership) {
	m.user.memberships = append(m.user.memberships, m)
	m.account.members = append(m.account.members, m)
}

func (u *user) membershipIn(a *account) *membership {
	for _, m := range u.memberships {
		if m.account == a {
			return m
		}
	}
	return nil
}

// generate adds synthetic members and envelopes to every account, deterministically.
func (e *Emulator) generate(g Generate, touched map[*account]bool) {
	if (g.Accounts > 0 || g.Memberships > 0) && len(e.orgOrder) > 0 {
		e.generateOrganization(e.orgOrder[0], g.Accounts, g.Memberships)
	}
	for _, og := range e.orgOrder {
		for ai, acct := range og.accounts {
			for i := range g.UsersPerAccount {
				id := e.newID("generated-user", acct.ID, fmt.Sprint(i))
				u := &user{
					id: id, email: fmt.Sprintf("user%05d.a%02d@generated.example", i, ai),
					userName: fmt.Sprintf("Generated User %d-%d", ai, i), first: "Generated", last: fmt.Sprintf("User %d-%d", ai, i),
					created: acct.billingFrom.AddDate(-1, 0, 0),
				}
				u.modified = u.created
				e.addUser(u)
				status := "Active"
				if i%10 == 9 {
					status = "Closed"
				}
				m := &membership{id: e.newID("membership", id, acct.ID), user: u, account: acct, status: status,
					licenseType: "professional", permissionProfileName: defaultProfile, created: u.created}
				e.addMembership(m)
			}
			if g.EnvelopesPerAccount > 0 {
				// Senders take turns among the account's members, closed ones included: a user
				// closed since still sent what they sent.
				members := acct.members
				span := acct.billingTo.Sub(acct.billingFrom.AddDate(-1, 0, 0))
				for i := range g.EnvelopesPerAccount {
					offset := time.Duration(int64(span) / int64(g.EnvelopesPerAccount) * int64(i))
					env := envelope{sent: acct.billingFrom.AddDate(-1, 0, 0).Add(offset)}
					if len(members) > 0 {
						env.sender = members[i%len(members)].user
					}
					acct.envelopes = append(acct.envelopes, env)
				}
				touched[acct] = true
			}
		}
	}
}

// generateOrganization adds accounts, then memberships spread over every account of og.
func (e *Emulator) generateOrganization(og *org, accounts, memberships int) {
	for i := range accounts {
		a := Account{
			ID: e.newID("generated-account", og.id, fmt.Sprint(i)), Name: fmt.Sprintf("Generated Account %03d", i+1),
			ExternalAccountID: int64(30000000 + len(e.accounts)), SiteID: 1, SeatsAllowed: 5000,
		}
		if len(og.planItems) > 0 {
			p := og.planItems[i%len(og.planItems)]
			a.PlanID, a.PlanName = p.PlanID, p.PlanName
		}
		acct := &account{Account: a, org: og}
		acct.billingFrom, acct.billingTo = e.billingPeriod(a)
		e.accounts[strings.ToLower(a.ID)] = acct
		og.accounts = append(og.accounts, acct)
		for adminID := range og.admins {
			if u := e.users[adminID]; u != nil {
				e.addMembership(&membership{id: e.newID("membership", u.id, a.ID), user: u, account: acct, status: "Active", isAdmin: true,
					licenseType: "professional", permissionProfileName: "DS Admin", created: u.created})
			}
		}
	}
	if memberships <= 0 || len(og.accounts) == 0 {
		return
	}
	n := len(og.accounts)
	created := e.opts.Now().UTC().AddDate(-2, 0, 0)
	made := 0
	for i := 0; made < memberships; i++ {
		seats := 1
		switch {
		case i%25 == 7 && n >= 3:
			seats = 3
		case i%10 == 3 && n >= 2:
			seats = 2
		}
		seats = min(seats, memberships-made)
		id := e.newID("generated-member", og.id, fmt.Sprint(i))
		u := &user{id: id, email: fmt.Sprintf("member%06d@generated.example", i), first: "Member", last: fmt.Sprintf("%06d", i), created: created}
		profile := defaultProfile
		if i%50 == 0 { // shared mailboxes send on behalf of a team and never sign in themselves
			u.email, u.first, u.last, profile = fmt.Sprintf("contracts-team%04d@generated.example", i/50), "Contracts", fmt.Sprintf("Mailbox %d", i/50), "DS Viewer"
		}
		u.userName = u.first + " " + u.last
		u.modified = created
		e.addUser(u)
		for s := range seats {
			acct := og.accounts[(i+s*(n/3+1))%n]
			if u.membershipIn(acct) != nil {
				continue
			}
			status := "Active"
			switch k := (i + s) % 40; {
			case k%8 == 5:
				status = "Closed"
			case k == 6:
				status = "ActivationSent"
			}
			m := &membership{id: e.newID("membership", id, acct.ID), user: u, account: acct, status: status,
				licenseType: "professional", permissionProfileName: profile, created: created}
			if status == "Closed" {
				m.closedOn = created.AddDate(1, 0, 0)
			}
			e.addMembership(m)
			made++
		}
	}
}

// billingPeriod is the account's current billing period as [from, to); a fixture without dates
// gets the calendar month containing now.
func (e *Emulator) billingPeriod(a Account) (time.Time, time.Time) {
	now := e.opts.Now().UTC()
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	if a.BillingPeriodStart != "" {
		from, _ = time.Parse(time.DateOnly, a.BillingPeriodStart)
	}
	if a.BillingPeriodEnd != "" {
		end, _ := time.Parse(time.DateOnly, a.BillingPeriodEnd)
		to = end.AddDate(0, 0, 1)
	}
	return from, to
}

// newID derives a stable GUID-shaped ID from its parts, so fixtures and generated data give the
// same IDs on every run.
func (e *Emulator) newID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	h := hex.EncodeToString(sum[:16])
	return fmt.Sprintf("%s-%s-4%s-8%s-%s", h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])
}

// freshID is a new random-looking GUID for objects created through the API.
func (e *Emulator) freshID(kind string) string {
	e.seq++
	return e.newID(kind, fmt.Sprint(e.seq), e.opts.Now().String())
}

func parsePublicKey(text string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("public key is not PEM")
	}
	var parsed any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		parsed, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		parsed, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		cert, err = x509.ParseCertificate(block.Bytes)
		if err == nil {
			parsed = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf("unexpected PEM block %q", block.Type)
	}
	if err != nil {
		return nil, err
	}
	pub, ok := parsed.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("public key is not RSA")
	}
	return pub, nil
}

// MembershipView is one membership as tests see it.
type MembershipView struct {
	AccountID    string `json:"account_id"`
	Status       string `json:"status"`
	MembershipID string `json:"membership_id"`
	Closures     int    `json:"closures"`
	// PermissionProfileID is the account's own ID of the membership's permission profile.
	PermissionProfileID string `json:"permission_profile_id"`
}

// UserView is a user as tests see it.
type UserView struct {
	ID          string           `json:"id"`
	Email       string           `json:"email"`
	UserName    string           `json:"user_name"`
	Memberships []MembershipView `json:"memberships"`
}

func (u *user) view() UserView {
	v := UserView{ID: u.id, Email: u.email, UserName: u.userName, Memberships: []MembershipView{}}
	for _, m := range u.memberships {
		v.Memberships = append(v.Memberships, MembershipView{AccountID: m.account.ID, Status: m.status, MembershipID: m.id, Closures: m.closures,
			PermissionProfileID: m.account.profileID(m.permissionProfileName)})
	}
	return v
}

// User returns the emulator's view of a user.
func (e *Emulator) User(id string) (UserView, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(id)]
	if u == nil {
		return UserView{}, false
	}
	return u.view(), true
}

// UserByEmail returns the first user with the email.
func (e *Emulator) UserByEmail(email string) (UserView, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	us := e.byEmail[strings.ToLower(email)]
	if len(us) == 0 {
		return UserView{}, false
	}
	return us[0].view(), true
}

// UsersByEmail returns every user with the email.
func (e *Emulator) UsersByEmail(email string) []UserView {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []UserView
	for _, u := range e.byEmail[strings.ToLower(email)] {
		out = append(out, u.view())
	}
	return out
}

// SetMembershipStatus changes a membership out of band, as an administrator would in the web app.
func (e *Emulator) SetMembershipStatus(userID, accountID, status string) error {
	norm, ok := normalStatus(status)
	if !ok {
		return fmt.Errorf("status %q is not one of %s", status, strings.Join(statuses, ", "))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.users[strings.ToLower(userID)]
	if u == nil {
		return fmt.Errorf("no user %s", userID)
	}
	acct := e.accounts[strings.ToLower(accountID)]
	if acct == nil {
		return fmt.Errorf("no account %s", accountID)
	}
	m := u.membershipIn(acct)
	if m == nil {
		return fmt.Errorf("user %s has no membership in account %s", userID, accountID)
	}
	e.setStatus(m, norm)
	return nil
}

// setStatus records a status change; closures count real transitions to Closed so tests can
// prove each user was closed exactly once.
func (e *Emulator) setStatus(m *membership, status string) {
	if status == "Closed" && m.status != "Closed" {
		m.closures++
		m.closedOn = e.opts.Now().UTC()
	}
	if status != "Closed" {
		m.closedOn = time.Time{}
	}
	if m.status != status {
		e.touch(m.user)
	}
	m.status = status
}

// SetFaults replaces the injected faults.
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = f
}

// Stats returns a copy of the traffic counters.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stats
	s.Requests, s.Succeeded = maps.Clone(e.stats.Requests), maps.Clone(e.stats.Succeeded)
	return s
}

// ResetStats zeroes the traffic counters (not the rate-limit windows).
func (e *Emulator) ResetStats() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats = Stats{Requests: map[string]int{}, Succeeded: map[string]int{}}
}

// EnvelopeCount counts the account's envelopes sent in [from, to).
func (e *Emulator) EnvelopeCount(accountID string, from, to time.Time) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	acct := e.accounts[strings.ToLower(accountID)]
	if acct == nil {
		return 0
	}
	return acct.countEnvelopes(from, to)
}

// EnvelopesBySender counts the account's envelopes sent in [from, to) per sender user ID.
func (e *Emulator) EnvelopesBySender(accountID string, from, to time.Time) map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]int{}
	acct := e.accounts[strings.ToLower(accountID)]
	if acct == nil {
		return out
	}
	lo, hi := acct.envelopeRange(from, to)
	for _, env := range acct.envelopes[lo:hi] {
		if env.sender != nil {
			out[env.sender.id]++
		}
	}
	return out
}

func (a *account) countEnvelopes(from, to time.Time) int {
	lo, hi := a.envelopeRange(from, to)
	return hi - lo
}

// envelopeRange is the index range [lo, hi) of the envelopes sent in [from, to).
func (a *account) envelopeRange(from, to time.Time) (int, int) {
	lo := sort.Search(len(a.envelopes), func(i int) bool { return !a.envelopes[i].sent.Before(from) })
	hi := sort.Search(len(a.envelopes), func(i int) bool { return !a.envelopes[i].sent.Before(to) })
	return lo, max(lo, hi)
}
