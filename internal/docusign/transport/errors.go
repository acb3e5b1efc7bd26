package transport

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// API names which DocuSign surface answered, because each speaks its own error dialect.
type API string

const (
	APIOAuth API = "oauth"
	APIESign API = "esignature"
	APIAdmin API = "admin"
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
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" && e.Message != e.Code {
		fmt.Fprintf(&b, ": %s", e.Message)
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
	if e.Code == "" && e.Message == "" {
		e.Message = excerpt(body)
		if e.Message == "" {
			e.Message = http.StatusText(status)
		}
	}
	return e
}

func excerpt(body []byte) string {
	const max = 200
	s := strings.TrimSpace(string(body))
	s = strings.Map(func(r rune) rune {
		if r < 0x20 {
			return ' '
		}
		return r
	}, s)
	if len(s) > max {
		// Cut on a rune boundary: diagnostics travel as protobuf strings, which must be UTF-8.
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// ErrOutcomeUnknown wraps a failure after which DocuSign may or may not have done the work, such
// as a dropped connection on a create. Callers must look before they try again.
var ErrOutcomeUnknown = errors.New("the request may or may not have taken effect")

// ErrRetryBudget is wrapped around the last error when every allowed retry was spent.
var ErrRetryBudget = errors.New("retry budget exhausted")
