// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// API names which DocuSign surface answered, because each speaks its own error dialect.
type API string

const (
	APIOAuth API = "oauth"
	APIESign API = "esignature"
	APIAdmin API = "admin"
	// APIMonitor is the Monitor stream; its errors use the Admin dialect.
	APIMonitor API = "monitor"
)

// Error is a DocuSign answer other than success, decoded from whichever body shape the API uses:
// eSignature {"errorCode","message"}, Admin and OAuth {"error","error_description"}, Admin
// sub-account calls {"error","errorDescription"}.
type Error struct {
	API     API
	Status  int
	Code    string
	Message string
	Method  string
	Path    string // path only: query strings may carry emails
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "DocuSign %s API answered %d", e.API, e.Status)
	// Errors are also built from inline errorDetails, so the text is cleaned here too.
	code, msg := CleanText(e.Code, 128), CleanText(e.Message, MaxMessageBytes)
	if code != "" {
		fmt.Fprintf(&b, " %s", code)
	}
	if msg != "" && msg != code {
		fmt.Fprintf(&b, ": %s", msg)
	}
	if e.Method != "" {
		fmt.Fprintf(&b, " (%s %s)", e.Method, e.Path)
	}
	return b.String()
}

// IsRateLimit reports the two shapes DocuSign uses for "too many calls": HTTP 429, or HTTP 400
// with an errorCode such as HOURLY_APIINVOCATION_LIMIT_EXCEEDED or BURST_APIINVOCATION_LIMIT_EXCEEDED.
func (e *Error) IsRateLimit() bool {
	if e.Status == http.StatusTooManyRequests {
		return true
	}
	code := strings.ToUpper(e.Code)
	return e.Status == http.StatusBadRequest && strings.HasSuffix(code, "_LIMIT_EXCEEDED") &&
		(strings.Contains(code, "APIINVOCATION") || strings.Contains(code, "POLLING"))
}

// IsHourlyLimit reports the limit that only the top of the hour lifts.
func (e *Error) IsHourlyLimit() bool {
	return e.IsRateLimit() && strings.HasPrefix(strings.ToUpper(e.Code), "HOURLY_")
}

// IsUnauthorized reports an answer that a fresh access token may cure.
func (e *Error) IsUnauthorized() bool {
	if e.Status == http.StatusUnauthorized {
		return true
	}
	switch strings.ToUpper(e.Code) {
	case "AUTHORIZATION_INVALID_TOKEN", "USER_AUTHENTICATION_FAILED":
		return true
	}
	return false
}

// IsServerError reports a 5xx answer.
func (e *Error) IsServerError() bool { return e.Status >= 500 }

// HasCode reports whether err is a DocuSign Error with the given code (case-insensitive).
func HasCode(err error, code string) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && strings.EqualFold(apiErr.Code, code)
}

// StatusOf returns the HTTP status of a DocuSign Error in err's chain, or 0.
func StatusOf(err error) int {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 0
}

// Tag returns err, unchanged in text, that also matches kind with errors.Is: a client marks
// DocuSign's answer with what it means (a user not found, an account not reachable) without
// rewording it.
func Tag(kind, err error) error {
	if err == nil {
		return nil
	}
	return &tagged{kind: kind, err: err}
}

type tagged struct{ kind, err error }

func (t *tagged) Error() string   { return t.err.Error() }
func (t *tagged) Unwrap() []error { return []error{t.kind, t.err} }

// Is reports an answer of HTTP 404 as ErrNotFound, and one of 401 or 403 as ErrRefused.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrRefused:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
	}
	return false
}

// ErrNotFound matches any DocuSign answer of HTTP 404.
var ErrNotFound = errors.New("not found")

// ErrRefused matches any DocuSign answer of HTTP 401 or 403: the caller may not do this.
var ErrRefused = errors.New("refused")

// DecodeError turns a non-2xx body into an Error. Unknown shapes keep the status and a short,
// printable excerpt of the body so that nothing is lost, yet nothing large reaches a diagnostic.
func DecodeError(api API, status int, body []byte) *Error {
	e := &Error{API: api, Status: status}
	var shape struct {
		ErrorCode        string          `json:"errorCode"`
		Message          string          `json:"message"`
		Error            json.RawMessage `json:"error"`
		ErrorDescription string          `json:"error_description"`
		ErrorDescCamel   string          `json:"errorDescription"`
	}
	if err := json.Unmarshal(body, &shape); err == nil {
		switch {
		case shape.ErrorCode != "":
			e.Code, e.Message = shape.ErrorCode, shape.Message
		case len(shape.Error) > 0:
			var code string
			if json.Unmarshal(shape.Error, &code) == nil {
				e.Code = code
			}
			e.Message = shape.ErrorDescription
			if e.Message == "" {
				e.Message = shape.ErrorDescCamel
			}
		}
	}
	e.Code = CleanText(e.Code, 128)
	e.Message = CleanText(e.Message, MaxMessageBytes)
	if e.Code == "" && e.Message == "" {
		e.Message = excerpt(body)
		if e.Message == "" {
			e.Message = http.StatusText(status)
		}
	}
	return e
}

// excerpt is a short, printable start of a body in no known shape. The cut falls on a rune
// boundary: diagnostics travel as protobuf strings, which must be UTF-8.
func excerpt(body []byte) string {
	return CleanText(string(body[:min(len(body), 4*MaxMessageBytes)]), 200)
}

// ErrOutcomeUnknown wraps a failure after which DocuSign may or may not have done the work, such
// as a dropped connection on a create. Callers must look before they try again.
var ErrOutcomeUnknown = errors.New("the request may or may not have taken effect")

// ErrRedirect is wrapped around a 3xx answer: no DocuSign call follows a redirect.
var ErrRedirect = errors.New("redirect refused")

// ErrUnreachable is returned without an attempt while DocuSign has answered nothing for longer
// than Options.UnreachableAfter.
var ErrUnreachable = errors.New("DocuSign is unreachable")

// ErrDeadline wraps context.DeadlineExceeded when an operation's deadline ends a call.
var ErrDeadline = fmt.Errorf("the operation's time limit ran out: %w", context.DeadlineExceeded)

// ErrRetryBudget is wrapped around the last error when every allowed retry was spent.
var ErrRetryBudget = errors.New("retry budget exhausted")

// RateLimitReason says why the transport stopped waiting out DocuSign's rate limits.
type RateLimitReason int

const (
	// RetriesSpent: every allowed retry went to throttled answers.
	RetriesSpent RateLimitReason = iota
	// ResetTooFar: the hourly limit lifts later than Options.MaxRateLimitWait.
	ResetTooFar
	// PastDeadline: DocuSign asked for a wait longer than the caller's context allows.
	PastDeadline
)

// RateLimitError is a call given up on because DocuSign kept refusing it for the account's API
// limits. It carries what DocuSign said of the limit, so a caller can tell a person when it lifts.
// RetriesSpent and ResetTooFar match ErrRetryBudget; every reason matches the last *Error.
type RateLimitError struct {
	Method, Path string
	Attempts     int
	Reason       RateLimitReason
	// Limit and Remaining are X-RateLimit-Limit and X-RateLimit-Remaining of the last answer, 0
	// when DocuSign sent none; Reset is X-RateLimit-Reset, zero when unknown.
	Limit, Remaining int
	Reset            time.Time
	// Wait is how long DocuSign asked the caller to wait (ResetTooFar, PastDeadline); MaxWait the
	// longest wait the transport accepts (ResetTooFar).
	Wait, MaxWait time.Duration
	Err           *Error
}

func (e *RateLimitError) Error() string {
	switch e.Reason {
	case ResetTooFar:
		when := "later"
		if !e.Reset.IsZero() {
			when = "at " + e.Reset.UTC().Format(time.RFC3339)
		}
		return fmt.Sprintf("%s: DocuSign's hourly API limit for this account is used up and resets %s, more than %s away: %s",
			ErrRetryBudget, when, e.MaxWait, e.Err)
	case PastDeadline:
		return fmt.Sprintf("%s %s: DocuSign asked to wait %s before the next call, past the operation's deadline: %s",
			e.Method, e.Path, e.Wait.Round(time.Second), e.Err)
	}
	return fmt.Sprintf("%s after %d attempts: DocuSign kept rate-limiting %s %s: %s", ErrRetryBudget, e.Attempts, e.Method, e.Path, e.Err)
}

func (e *RateLimitError) Unwrap() []error {
	if e.Reason == PastDeadline {
		return []error{e.Err}
	}
	return []error{ErrRetryBudget, e.Err}
}

// MaxMessageBytes caps the DocuSign text an error carries: enough for any real message, and a
// bound on what a hostile or broken answer can put in front of a person.
const MaxMessageBytes = 1024

// CleanText makes text from DocuSign (or anything in between) safe to print in a terminal: it
// drops ANSI escape sequences and other control characters, bidirectional overrides and invalid
// UTF-8, turns line breaks and tabs into single spaces, and cuts the result to maxBytes on a rune
// boundary. Server text is data; it must never move a cursor, clear a screen or set a title.
func CleanText(s string, maxBytes int) string {
	var b strings.Builder
	space := false
	truncated := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case 0x1b: // ESC
			i = skipEscape(s, i+size)
			continue
		case 0x9b: // CSI, in its C1 form
			i = skipCSI(s, i+size)
			continue
		case 0x90, 0x98, 0x9d, 0x9e, 0x9f: // DCS, SOS, OSC, PM, APC
			i = skipString(s, i+size)
			continue
		}
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			continue
		case r == '\n' || r == '\r' || r == '\t' || r == ' ':
			space = true
			continue
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			continue
		case r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			continue // bidirectional controls reorder what the reader sees
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if b.Len()+utf8.RuneLen(r) > maxBytes {
			truncated = true
			break
		}
		b.WriteRune(r)
	}
	if truncated {
		return b.String() + "…"
	}
	return b.String()
}

// skipEscape returns the index after the escape sequence whose ESC ended before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// Two-character escapes, possibly with intermediate bytes (ESC ( B and the like).
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) {
		i++
	}
	return i
}

// skipCSI skips a control sequence's parameters and intermediates up to its final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			break
		}
	}
	return i
}

// skipString skips an OSC, DCS and similar string up to BEL or the string terminator.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
