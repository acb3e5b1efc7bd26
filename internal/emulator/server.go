// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Server is an emulator listening on a local address. OAuth, eSignature, Admin and Monitor share
// the host, as a proxy would present them; AdminBaseURL ends in /Management like DocuSign's, and
// MonitorBaseURL is the root the Monitor stream path (/api/v2.0/…) hangs off, like lens.docusign.net.
type Server struct {
	*Emulator
	URL            string
	OAuthBaseURL   string
	AdminBaseURL   string
	MonitorBaseURL string

	http     *http.Server
	listener net.Listener
	done     chan struct{}
}

// Start serves a new emulator on a free loopback port.
func Start(f *Fixture, opts Options) (*Server, error) {
	return Listen("127.0.0.1:0", f, opts, nil)
}

// StartWithHandler is Start with a middleware around the emulator's handler, such as a
// contract recorder.
func StartWithHandler(f *Fixture, opts Options, wrap func(http.Handler) http.Handler) (*Server, error) {
	return Listen("127.0.0.1:0", f, opts, wrap)
}

// Listen serves a new emulator on addr.
func Listen(addr string, f *Fixture, opts Options, wrap func(http.Handler) http.Handler) (*Server, error) {
	return listen(addr, nil, f, opts, wrap)
}

// ListenTLS serves a new emulator over https on addr with the PEM certificate and key files;
// every URL it hands out then starts with https://.
func ListenTLS(addr, certFile, keyFile string, f *Fixture, opts Options, wrap func(http.Handler) http.Handler) (*Server, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS certificate and key: %w", err)
	}
	return listen(addr, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, f, opts, wrap)
}

func listen(addr string, tlsConfig *tls.Config, f *Fixture, opts Options, wrap func(http.Handler) http.Handler) (*Server, error) {
	e, err := New(f, opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	scheme := "http"
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
		scheme = "https"
	}
	h := e.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	url := scheme + "://" + ln.Addr().String()
	s := &Server{
		Emulator: e, URL: url, OAuthBaseURL: url, AdminBaseURL: url + "/Management", MonitorBaseURL: url,
		http:     &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		listener: ln, done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln)
	}()
	return s, nil
}

// externalBase is scheme://host as the client reached the emulator: https when it was served
// over TLS or a TLS-terminating proxy says so with X-Forwarded-Proto, as DocuSign's own URLs
// always are.
func externalBase(r *http.Request) string {
	scheme := "http"
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	if r.TLS != nil || strings.EqualFold(strings.TrimSpace(proto), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Close stops the server and waits for it.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		_ = s.http.Close()
	}
	<-s.done
}

// apiKind picks the error dialect and the rate-limit bucket of a route.
type apiKind int

const (
	apiOAuth apiKind = iota
	apiESign
	apiAdmin
	apiMonitor
	apiDownload // pre-signed result files: no token, no API rate limit, as on a storage host
)

// call is one API request on its way through the emulator.
type call struct {
	w       http.ResponseWriter
	r       *http.Request
	api     apiKind
	token   *token
	account *account // eSignature routes
	org     *org     // Admin organization routes
}

type route struct {
	method, pattern string
	api             apiKind
	scope           string // scope the access token must carry; "" for OAuth routes
	handle          func(e *Emulator, c *call)
}

// RouteTemplates lists the emulator's DocuSign routes as "METHOD template", the keys of
// Stats.Requests.
func RouteTemplates() []string {
	var out []string
	for _, rt := range routes() {
		out = append(out, rt.method+" "+rt.pattern)
	}
	return out
}

func routes() []route {
	const es = "/restapi/v2.1/accounts/{accountId}"
	const org = "/Management/v2/organizations/{organizationId}"
	return []route{
		{"POST", "/oauth/token", apiOAuth, "", (*Emulator).handleToken},
		{"GET", "/oauth/userinfo", apiOAuth, "", (*Emulator).handleUserInfo},
		{"GET", es, apiESign, "signature", (*Emulator).handleGetAccount},
		{"GET", es + "/users", apiESign, "signature", (*Emulator).handleListUsers},
		{"POST", es + "/users", apiESign, "signature", (*Emulator).handleCreateUsers},
		{"DELETE", es + "/users", apiESign, "signature", (*Emulator).handleCloseUsers},
		{"GET", es + "/users/{userId}", apiESign, "signature", (*Emulator).handleGetUser},
		{"PUT", es + "/users/{userId}", apiESign, "signature", (*Emulator).handleUpdateUser},
		{"PUT", es + "/users", apiESign, "signature", (*Emulator).handleUpdateUsers},
		{"GET", es + "/permission_profiles", apiESign, "signature", (*Emulator).handlePermissionProfiles},
		{"GET", es + "/billing_plan", apiESign, "signature", (*Emulator).handleBillingPlan},
		{"GET", es + "/billing_charges", apiESign, "signature", (*Emulator).handleBillingCharges},
		{"GET", es + "/envelopes", apiESign, "signature", (*Emulator).handleListEnvelopes},
		{"GET", "/Management/v2/organizations", apiAdmin, "organization_read", (*Emulator).handleListOrganizations},
		{"GET", org + "/users", apiAdmin, "user_read", (*Emulator).handleOrgUsers},
		{"GET", org + "/users/profile", apiAdmin, "user_read", (*Emulator).handleProfilesByEmail},
		{"GET", "/Management/v2.1/organizations/{organizationId}/users/dsprofile", apiAdmin, "user_read", (*Emulator).handleProfilesByEmail},
		{"GET", "/Management/v2.1/organizations/{organizationId}/users/{userId}/dsprofile", apiAdmin, "user_read", (*Emulator).handleProfileByID},
		{"DELETE", org + "/users/{userId}/accounts", apiAdmin, "user_write", (*Emulator).handleCloseMemberships},
		{"POST", org + "/users/{userId}/memberships/{membershipId}", apiAdmin, "user_write", (*Emulator).handleActivateMembership},
		{"GET", org + "/planItems", apiAdmin, "organization_sub_account_read", (*Emulator).handlePlanItems},
		// Monitor's spec path is /api/v{version}/datasets/{dataSetName}/stream with version 2.0 and
		// dataSetName monitor; its security asks for the impersonation scope (JWT only).
		{"GET", "/api/v2.0/datasets/monitor/stream", apiMonitor, "impersonation", (*Emulator).handleMonitorStream},
		{"POST", org + "/exports/user_list", apiAdmin, "user_read", (*Emulator).handleCreateExport},
		{"GET", org + "/exports/user_list", apiAdmin, "user_read", (*Emulator).handleListExports},
		{"GET", org + "/exports/user_list/{exportId}", apiAdmin, "user_read", (*Emulator).handleGetExport},
		{"DELETE", org + "/exports/user_list/{exportId}", apiAdmin, "user_read", (*Emulator).handleDeleteExport},
		{"POST", org + "/imports/bulk_users/close", apiAdmin, "user_write", (*Emulator).handleCreateCloseImport},
		{"GET", org + "/imports/bulk_users", apiAdmin, "user_read", (*Emulator).handleListImports},
		{"GET", org + "/imports/bulk_users/{importId}", apiAdmin, "user_read", (*Emulator).handleGetImport},
		{"DELETE", org + "/imports/bulk_users/{importId}", apiAdmin, "user_write", (*Emulator).handleDeleteImport},
		{"GET", org + "/imports/bulk_users/{importId}/results_csv", apiAdmin, "user_read", (*Emulator).handleImportResults},
		{"GET", "/_downloads/exports/{resultId}", apiDownload, "", (*Emulator).handleDownload},
	}
}

// Handler serves the emulator's DocuSign routes and its /_emulator/ control routes.
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes() {
		mux.HandleFunc(rt.method+" "+rt.pattern, func(w http.ResponseWriter, r *http.Request) { e.serve(rt, w, r) })
	}
	e.controlRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.stats.Total++
		e.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/Management") {
			writeJSON(w, http.StatusNotFound, adminError("not_found", "No route for "+r.Method+" "+r.URL.Path))
			return
		}
		writeJSON(w, http.StatusNotFound, esignError("RESOURCE_NOT_FOUND", "The URL provided does not resolve to a resource."))
	})
	return mux
}

// serve runs one API request through DocuSign's pipeline: count, delay, rate limits, injected
// faults, authentication, scope, then the route itself. A dropped response does the work first,
// so clients learn what "the outcome is unknown" means.
func (e *Emulator) serve(rt route, w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.stats.Total++
	e.stats.Requests[rt.method+" "+rt.pattern]++
	faults := e.faults
	e.mu.Unlock()

	if faults.LatencyMS > 0 {
		select {
		case <-time.After(time.Duration(faults.LatencyMS) * time.Millisecond):
		case <-r.Context().Done():
			return
		}
	}
	c := &call{r: r, api: rt.api}
	rec := &bufferedResponse{header: http.Header{}}
	c.w = rec

	e.mu.Lock()
	defer func() {
		drop := faults.DropRate > 0 && rec.status < 300 && (len(faults.DropMethods) == 0 || slices.Contains(faults.DropMethods, r.Method)) &&
			e.rng.Float64() < faults.DropRate
		drop = drop || e.takeDropNext(rt, rec.status)
		if rec.status < 300 {
			e.stats.Succeeded[rt.method+" "+rt.pattern]++
		}
		if drop {
			e.stats.InjectedFaults++
		}
		e.mu.Unlock()
		e.opts.Logf("%s %s -> %d (dropped: %v)", r.Method, r.URL.Path, rec.status, drop)
		if drop {
			dropConnection(w)
			return
		}
		rec.flush(w)
	}()

	if rt.api != apiOAuth && rt.api != apiDownload {
		if !e.authenticate(c) {
			return
		}
		if !e.resolveScope(c) {
			return
		}
		if !e.rateLimit(c) {
			return
		}
	}
	if e.injectFault(c, faults) || e.injectFailNext(c, rt) {
		return
	}
	if c.token != nil && rt.scope != "" && !c.token.scopes[rt.scope] {
		e.insufficientScope(c, rt.scope)
		return
	}
	tamper := e.tamperFor(rt.method + " " + rt.pattern)
	if tamper != nil && tamper.SkipWork {
		c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = c.w.Write(tamper.Body)
		return
	}
	rt.handle(e, c)
	if tamper != nil {
		tamper.rewrite(rec)
	}
}

// authenticate checks the bearer token.
func (e *Emulator) authenticate(c *call) bool {
	raw, ok := strings.CutPrefix(c.r.Header.Get("Authorization"), "Bearer ")
	tok := e.tokens[raw]
	if !ok || tok == nil || !e.opts.Now().Before(tok.expires) {
		if c.api == apiAdmin || c.api == apiMonitor {
			writeJSON(c.w, http.StatusUnauthorized, adminError("unauthorized", "Not Authorized"))
		} else {
			writeJSON(c.w, http.StatusUnauthorized, esignError("USER_AUTHENTICATION_FAILED", "One or both of Username and Password are invalid. Invalid access token"))
		}
		return false
	}
	c.token = tok
	return true
}

// resolveScope finds the account or organization in the path and checks the caller may use it.
func (e *Emulator) resolveScope(c *call) bool {
	if id := c.r.PathValue("accountId"); id != "" {
		acct := e.accounts[strings.ToLower(id)]
		if acct == nil {
			acct = e.accountByExternalID(id)
		}
		if acct == nil {
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_ACCOUNT_ID", "Invalid account specified for user."))
			return false
		}
		// An organization administrator without an active membership in the account is refused
		// like any other outsider: DocuSign does not allow cross-account eSignature calls.
		caller := e.users[strings.ToLower(c.token.userID)]
		if caller == nil || caller.membershipIn(acct) == nil || caller.membershipIn(acct).status != "Active" {
			writeJSON(c.w, http.StatusBadRequest, esignError("USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT", "The specified User is not a member of the specified Account."))
			return false
		}
		c.account = acct
	}
	if id := c.r.PathValue("organizationId"); id != "" {
		og := e.orgs[id]
		if og == nil {
			for _, o := range e.orgOrder {
				if strings.EqualFold(o.id, id) {
					og = o
				}
			}
		}
		if og == nil {
			writeJSON(c.w, http.StatusNotFound, adminError("not_found", "Organization "+id+" was not found."))
			return false
		}
		if !og.admins[strings.ToLower(c.token.userID)] {
			writeJSON(c.w, http.StatusForbidden, adminError("unauthorized", "Not Authorized: the user is not an administrator of organization "+og.id+"."))
			return false
		}
		c.org = og
	}
	return true
}

func (e *Emulator) accountByExternalID(id string) *account {
	for _, a := range e.accounts {
		if strconv.FormatInt(a.ExternalAccountID, 10) == id {
			return a
		}
	}
	return nil
}

func (e *Emulator) insufficientScope(c *call, scope string) {
	msg := "The access token does not carry the " + scope + " scope this call requires; add it to the JWT scope and grant consent."
	if c.api == apiAdmin || c.api == apiMonitor {
		writeJSON(c.w, http.StatusForbidden, adminError("insufficient_scope", msg))
		return
	}
	writeJSON(c.w, http.StatusUnauthorized, esignError("AUTHORIZATION_INVALID_TOKEN", msg))
}

// injectFault answers with a fault instead of the route, when the dice say so.
func (e *Emulator) injectFault(c *call, f Faults) bool {
	if f.ThrottleRate > 0 && e.rng.Float64() < f.ThrottleRate {
		e.stats.InjectedFaults++
		e.stats.Throttled++
		// Half the throttles use DocuSign's documented 400 form, half the 429 form.
		if e.rng.IntN(2) == 0 {
			c.w.Header().Set("X-BurstLimit-Remaining", "0")
			limitError(c, http.StatusBadRequest, "BURST_APIINVOCATION_LIMIT_EXCEEDED", "The maximum number of burst API invocations has been exceeded.")
		} else {
			c.w.Header().Set("Retry-After", "1")
			limitError(c, http.StatusTooManyRequests, "BURST_APIINVOCATION_LIMIT_EXCEEDED", "Too many requests.")
		}
		return true
	}
	if f.ErrorRate > 0 && e.rng.Float64() < f.ErrorRate {
		e.stats.InjectedFaults++
		status := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}[e.rng.IntN(3)]
		switch c.api {
		case apiESign:
			writeJSON(c.w, status, esignError("UNSPECIFIED_ERROR", "An unexpected error occurred on the server."))
		default:
			writeJSON(c.w, status, adminError("server_error", "An unexpected error occurred on the server."))
		}
		return true
	}
	return false
}

// limitWindow counts one bucket's calls in the current hour and 30-second window.
type limitWindow struct {
	hour, burst           time.Time
	hourCount, burstCount int
}

// limitsAt is bucket's window at now, its counts started again when the hour or the 30 seconds
// have turned.
func (e *Emulator) limitsAt(bucket string, now time.Time) *limitWindow {
	lw := e.limits[bucket]
	if lw == nil {
		lw = &limitWindow{}
		e.limits[bucket] = lw
	}
	if hour := now.Truncate(time.Hour); !lw.hour.Equal(hour) {
		lw.hour, lw.hourCount = hour, 0
	}
	if burst := now.Truncate(30 * time.Second); !lw.burst.Equal(burst) {
		lw.burst, lw.burstCount = burst, 0
	}
	return lw
}

// rateLimit applies DocuSign's hourly and burst limits per account (eSignature) or per
// organization (Admin) and sets the limit headers DocuSign sends on every response.
func (e *Emulator) rateLimit(c *call) bool {
	bucket := "admin:" + c.token.userID
	switch {
	case c.account != nil:
		bucket = "account:" + c.account.ID
	case c.org != nil:
		bucket = "org:" + c.org.id
	}
	now := e.opts.Now()
	lw := e.limitsAt(bucket, now)
	hour, burst := lw.hour, lw.burst
	lw.hourCount++
	lw.burstCount++
	h := c.w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(e.opts.HourlyLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, e.opts.HourlyLimit-lw.hourCount)))
	if e.behaviour.RateLimitResetDeltaSeconds {
		h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(hour.Add(time.Hour).Sub(now).Seconds()), 10))
	} else {
		h.Set("X-RateLimit-Reset", strconv.FormatInt(hour.Add(time.Hour).Unix(), 10))
	}
	h.Set("X-BurstLimit-Limit", strconv.Itoa(e.opts.BurstLimit))
	h.Set("X-BurstLimit-Remaining", strconv.Itoa(max(0, e.opts.BurstLimit-lw.burstCount)))
	switch {
	case lw.hourCount > e.opts.HourlyLimit:
		e.stats.Throttled++
		limitError(c, http.StatusBadRequest, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED", "The maximum number of hourly API invocations has been exceeded.")
		return false
	case lw.burstCount > e.opts.BurstLimit:
		e.stats.Throttled++
		h.Set("Retry-After", strconv.Itoa(int(burst.Add(30*time.Second).Sub(now).Seconds())+1))
		limitError(c, http.StatusBadRequest, "BURST_APIINVOCATION_LIMIT_EXCEEDED", "The maximum number of burst API invocations has been exceeded.")
		return false
	}
	return true
}

// limitError answers a rate limit in the error dialect of the route's API: eSignature's
// {errorCode, message}, or the Admin API's {error, error_description} with the same code.
func limitError(c *call, status int, code, message string) {
	if c.api == apiAdmin {
		writeJSON(c.w, status, adminError(code, message))
		return
	}
	writeJSON(c.w, status, esignError(code, message))
}

type esignErrorBody struct {
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
}

func esignError(code, message string) esignErrorBody { return esignErrorBody{code, message} }

type adminErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func adminError(code, description string) adminErrorBody { return adminErrorBody{code, description} }

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// decodeBody reads a JSON request body strictly enough to catch a client sending the wrong shape.
func decodeBody(c *call, into any) bool {
	dec := json.NewDecoder(c.r.Body)
	if err := dec.Decode(into); err != nil {
		if c.api == apiAdmin {
			writeJSON(c.w, http.StatusBadRequest, adminError("invalid_request", "The request body is not valid JSON: "+err.Error()))
		} else {
			writeJSON(c.w, http.StatusBadRequest, esignError("INVALID_REQUEST_BODY", "The request body is missing or improperly formatted. "+err.Error()))
		}
		return false
	}
	return true
}

// bufferedResponse holds an answer until the emulator decides whether to deliver it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) flush(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

// dropConnection closes the connection without an answer, as a timeout or a proxy reset does.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// A middleware hid the connection; answer with a gateway timeout, which is as ambiguous.
		w.WriteHeader(http.StatusGatewayTimeout)
		return
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}
