// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

func TestDecodeErrorShapes(t *testing.T) {
	long := strings.Repeat("x", 500)
	cases := []struct {
		name   string
		api    transport.API
		status int
		body   string
		code   string
		msg    string
	}{
		{"eSignature", transport.APIESign, 400, `{"errorCode":"USER_ALREADY_EXISTS_IN_ACCOUNT","message":"Username and email combination already exists for this account."}`,
			"USER_ALREADY_EXISTS_IN_ACCOUNT", "Username and email combination already exists for this account."},
		{"eSignature code only", transport.APIESign, 400, `{"errorCode":"INVALID_USERID"}`, "INVALID_USERID", ""},
		{"OAuth", transport.APIOAuth, 400, `{"error":"invalid_grant","error_description":"no_valid_keys_or_signatures"}`, "invalid_grant", "no_valid_keys_or_signatures"},
		{"OAuth code only", transport.APIOAuth, 400, `{"error":"consent_required"}`, "consent_required", ""},
		{"Admin", transport.APIAdmin, 401, `{"error":"unauthorized","error_description":"Not Authorized"}`, "unauthorized", "Not Authorized"},
		{"Admin camelCase", transport.APIAdmin, 400, `{"error":"invalid_request","errorDescription":"Bad plan","isSystemError":false}`, "invalid_request", "Bad plan"},
		{"Admin snake wins over camel", transport.APIAdmin, 400, `{"error":"e","error_description":"snake","errorDescription":"camel"}`, "e", "snake"},
		{"errorCode wins over error", transport.APIESign, 400, `{"errorCode":"A","message":"m","error":"b","error_description":"d"}`, "A", "m"},
		{"error is an object", transport.APIAdmin, 500, `{"error":{"code":1}}`, "", `{"error":{"code":1}}`},
		{"JSON array", transport.APIAdmin, 500, `["x"]`, "", `["x"]`},
		{"JSON null", transport.APIAdmin, 500, `null`, "", `null`},
		{"empty JSON object", transport.APIESign, 503, `{}`, "", `{}`},
		{"plain text", transport.APIESign, 502, "Bad Gateway\n", "", "Bad Gateway"},
		{"control characters", transport.APIESign, 500, "line1\r\nline2\tend\x1b[31m", "", "line1 line2 end"},
		{"empty", transport.APIESign, 503, "", "", "Service Unavailable"},
		{"whitespace", transport.APIESign, 404, " \n\t ", "", "Not Found"},
		{"long", transport.APIESign, 500, long, "", strings.Repeat("x", 200) + "…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := transport.DecodeError(tc.api, tc.status, []byte(tc.body))
			if e.API != tc.api || e.Status != tc.status || e.Code != tc.code || e.Message != tc.msg {
				t.Errorf("DecodeError = %+v, want code %q message %q", e, tc.code, tc.msg)
			}
		})
	}
}

// A hostile or broken server's error text is data: a megabyte of it, full of escape sequences that
// would clear the screen, move the cursor, set the window title or hide text, becomes at most
// MaxMessageBytes of plain printable text.
func TestDecodeErrorStripsTerminalControlAndCapsLength(t *testing.T) {
	nasty := "\x1b[2J\x1b[H\x1b]0;pwned title\x07\x1b[31;1mRED\x1b[0m\u009b1;1H\x1bP+q\x1b\\\x07\x08\x7f\u202eevil\u202c\x1b(B"
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString(nasty)
		b.WriteString(" user not found ")
	}
	for _, body := range []string{
		`{"errorCode":"INVALID_USERID","message":` + jsonString(b.String()) + `}`,
		`{"error":"invalid_grant","error_description":` + jsonString(b.String()) + `}`,
		b.String(), // no JSON at all
	} {
		e := transport.DecodeError(transport.APIESign, 400, []byte(body))
		msg := e.Error()
		if len(msg) > transport.MaxMessageBytes+200 {
			t.Errorf("error is %d bytes, want about %d at most", len(msg), transport.MaxMessageBytes)
		}
		for _, r := range msg {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x202e || r == 0x202c {
				t.Fatalf("error keeps control character %U: %q", r, msg[:min(len(msg), 300)])
			}
		}
		if strings.Contains(msg, "pwned") || strings.Contains(msg, "[2J") || strings.Contains(msg, "31;1m") {
			t.Errorf("error keeps the payload of an escape sequence: %q", msg[:min(len(msg), 300)])
		}
		if !strings.Contains(msg, "RED") || !strings.Contains(msg, "user not found") || !utf8.ValidString(msg) {
			t.Errorf("the printable text should survive: %q", msg[:min(len(msg), 300)])
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestCleanText(t *testing.T) {
	cases := map[string]string{
		"plain":                     "plain",
		"a\x1b[1;31mb\x1b[0mc":      "abc",
		"title\x1b]2;x\x1b\\done":   "titledone",
		"tab\tand\nnewline":         "tab and newline",
		"bell\x07 del\x7f c1\u0085": "bell del c1",
		"\u202eevil\u202c":          "evil",
		"cut \x1b":                  "cut",
		"bad \xff utf8":             "bad utf8",
		"\u009b31mcsi":              "csi",
	}
	for in, want := range cases {
		if got := transport.CleanText(in, 100); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := transport.CleanText(strings.Repeat("é", 100), 11); got != strings.Repeat("é", 5)+"…" {
		t.Errorf("cut = %q", got)
	}
}

func TestDecodeErrorTruncatesOnRuneBoundary(t *testing.T) {
	// 199 ASCII bytes then multi-byte runes: a byte cut at 200 would split "é" in half, and
	// invalid UTF-8 cannot travel in a Terraform diagnostic (protobuf strings must be UTF-8).
	body := strings.Repeat("a", 199) + strings.Repeat("é", 50)
	e := transport.DecodeError(transport.APIESign, 502, []byte(body))
	if !utf8.ValidString(e.Message) || !utf8.ValidString(e.Error()) {
		t.Fatalf("message %q is not valid UTF-8", e.Message)
	}
	if !strings.HasPrefix(e.Message, strings.Repeat("a", 199)) || !strings.HasSuffix(e.Message, "…") {
		t.Errorf("message = %q", e.Message)
	}
	if len(e.Message) > 200+len("…") {
		t.Errorf("message is %d bytes, want at most 200 plus the ellipsis", len(e.Message))
	}
}

func TestDecodeErrorInvalidUTF8Body(t *testing.T) {
	e := transport.DecodeError(transport.APIESign, 500, []byte("caf\xe9 \xff\xfe broken"))
	if !utf8.ValidString(e.Message) {
		t.Errorf("message %q is not valid UTF-8", e.Message)
	}
}

func TestErrorString(t *testing.T) {
	cases := []struct {
		e    transport.Error
		want string
	}{
		{transport.Error{API: transport.APIESign, Status: 400, Code: "USER_LACKS_PERMISSIONS", Message: "nope", Method: "GET", Path: "/restapi/v2.1/accounts/a/users"},
			"DocuSign esignature API answered 400 USER_LACKS_PERMISSIONS: nope (GET /restapi/v2.1/accounts/a/users)"},
		{transport.Error{API: transport.APIAdmin, Status: 404, Message: "Not Found"}, "DocuSign admin API answered 404: Not Found"},
		{transport.Error{API: transport.APIOAuth, Status: 400, Code: "consent_required", Message: "consent_required"}, "DocuSign oauth API answered 400 consent_required"},
		{transport.Error{API: transport.APIOAuth, Status: 400, Code: "invalid_grant"}, "DocuSign oauth API answered 400 invalid_grant"},
	}
	for _, tc := range cases {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// Rate limits on Admin routes come in the Admin error shape; both shapes are limits.
func TestRateLimitInEitherErrorShape(t *testing.T) {
	for _, tc := range []struct {
		api    transport.API
		status int
		body   string
		hourly bool
	}{
		{transport.APIESign, 400, `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"The maximum number of hourly API invocations has been exceeded."}`, true},
		{transport.APIAdmin, 400, `{"error":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","error_description":"The maximum number of hourly API invocations has been exceeded."}`, true},
		{transport.APIAdmin, 400, `{"error":"BURST_APIINVOCATION_LIMIT_EXCEEDED","error_description":"The maximum number of burst API invocations has been exceeded."}`, false},
		{transport.APIAdmin, 429, `{"error":"rate_limit_exceeded","error_description":"Too many requests."}`, false},
	} {
		e := transport.DecodeError(tc.api, tc.status, []byte(tc.body))
		if !e.IsRateLimit() || e.IsHourlyLimit() != tc.hourly {
			t.Errorf("%s %d %s: IsRateLimit %v, IsHourlyLimit %v", tc.api, tc.status, tc.body, e.IsRateLimit(), e.IsHourlyLimit())
		}
	}
}

func TestErrorPredicates(t *testing.T) {
	cases := []struct {
		status                               int
		code                                 string
		rateLimit, hourly, unauthorized, srv bool
	}{
		{429, "", true, false, false, false},
		{429, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED", true, true, false, false},
		{400, "HOURLY_APIINVOCATION_LIMIT_EXCEEDED", true, true, false, false},
		{400, "BURST_APIINVOCATION_LIMIT_EXCEEDED", true, false, false, false},
		{400, "burst_apiinvocation_limit_exceeded", true, false, false, false},
		{400, "Hourly_Envelope_Polling_Limit_Exceeded", true, true, false, false},
		{400, "Burst_APIInvocation_Envelope_Limit_Exceeded", true, false, false, false},
		{400, "ENVELOPE_LIMIT_EXCEEDED", false, false, false, false}, // a plan limit, not a throttle
		{403, "BURST_APIINVOCATION_LIMIT_EXCEEDED", false, false, false, false},
		{400, "USER_ALREADY_EXISTS_IN_ACCOUNT", false, false, false, false},
		{401, "", false, false, true, false},
		{400, "USER_AUTHENTICATION_FAILED", false, false, true, false},
		{401, "AUTHORIZATION_INVALID_TOKEN", false, false, true, false},
		{403, "PARTNER_AUTHENTICATION_FAILED", false, false, false, false},
		{500, "", false, false, false, true},
		{503, "", false, false, false, true},
		{499, "", false, false, false, false},
	}
	for _, tc := range cases {
		e := &transport.Error{API: transport.APIESign, Status: tc.status, Code: tc.code}
		if got := e.IsRateLimit(); got != tc.rateLimit {
			t.Errorf("%d %s IsRateLimit = %v", tc.status, tc.code, got)
		}
		if got := e.IsHourlyLimit(); got != tc.hourly {
			t.Errorf("%d %s IsHourlyLimit = %v", tc.status, tc.code, got)
		}
		if got := e.IsUnauthorized(); got != tc.unauthorized {
			t.Errorf("%d %s IsUnauthorized = %v", tc.status, tc.code, got)
		}
		if got := e.IsServerError(); got != tc.srv {
			t.Errorf("%d %s IsServerError = %v", tc.status, tc.code, got)
		}
	}
}

func TestHasCodeAndStatusOf(t *testing.T) {
	apiErr := &transport.Error{API: transport.APIESign, Status: 400, Code: "USER_DOES_NOT_EXIST_IN_SYSTEM"}
	wrapped := fmt.Errorf("reading user: %w", fmt.Errorf("%w: %w", transport.ErrRetryBudget, apiErr))
	if !transport.HasCode(wrapped, "user_does_not_exist_in_system") {
		t.Error("HasCode is not case-insensitive through wrapping")
	}
	if transport.HasCode(wrapped, "USER_NOT_FOUND") {
		t.Error("HasCode matched another code")
	}
	if transport.StatusOf(wrapped) != 400 {
		t.Errorf("StatusOf = %d", transport.StatusOf(wrapped))
	}
	plain := errors.New("x")
	if transport.HasCode(plain, "") || transport.StatusOf(plain) != 0 || transport.StatusOf(nil) != 0 {
		t.Error("plain errors have no code or status")
	}
}

// FuzzDecodeError feeds arbitrary bodies and statuses to the decoder: it must never panic, must keep
// the status and API, and must produce a message that can travel in a diagnostic.
func FuzzDecodeError(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{400, `{"errorCode":"USER_ALREADY_EXISTS_IN_ACCOUNT","message":"Username and email combination already exists for this account."}`},
		{400, `{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"The maximum number of hourly API invocations has been exceeded. The hourly limit is 3000."}`},
		{400, `{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"The maximum number of burst API invocations has been exceeded."}`},
		{401, `{"errorCode":"AUTHORIZATION_INVALID_TOKEN","message":"The access token provided is expired, revoked or malformed."}`},
		{400, `{"error":"consent_required"}`},
		{400, `{"error":"invalid_grant","error_description":"no_valid_keys_or_signatures"}`},
		{400, `{"error":"invalid_grant","error_description":"user_not_found"}`},
		{401, `{"error":"unauthorized","error_description":"Not Authorized"}`},
		{400, `{"error":"invalid_request","errorDescription":"Plan not found","isSystemError":false}`},
		{200, `{"newUsers":[{"errorDetails":{"errorCode":"USER_ALREADY_EXISTS_IN_ACCOUNT"}}]}`},
		{404, `<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>`},
		{502, "\xff\xfe\x00garbage\r\n"},
		{503, ""},
		{500, `{"error":{"code":"x"},"error_description":7}`},
		{500, `{"errorCode":12,"message":null}`},
		{999, `null`},
		{0, `[]`},
		{-1, `"just a string"`},
		{500, strings.Repeat("a", 199) + "éé"},
		{500, strings.Repeat("€", 300)},
	}
	for i, s := range seeds {
		f.Add(uint8(i), s.status, []byte(s.body))
	}
	apis := []transport.API{transport.APIESign, transport.APIAdmin, transport.APIOAuth}
	f.Fuzz(func(t *testing.T, which uint8, status int, body []byte) {
		api := apis[int(which)%len(apis)]
		e := transport.DecodeError(api, status, body)
		if e == nil {
			t.Fatal("DecodeError returned nil")
		}
		if e.API != api || e.Status != status {
			t.Fatalf("DecodeError lost the API or status: %+v", e)
		}
		msg := e.Error()
		if !strings.HasPrefix(msg, fmt.Sprintf("DocuSign %s API answered %d", api, status)) {
			t.Fatalf("Error() = %q", msg)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("Error() is not valid UTF-8: %q", msg)
		}
		if e.Code == "" && e.Message == "" && http.StatusText(status) != "" {
			t.Fatalf("nothing kept of the answer: %+v", e)
		}
		// The predicates must not panic either, and must agree with each other.
		if e.IsHourlyLimit() && !e.IsRateLimit() {
			t.Fatalf("hourly limit that is not a rate limit: %+v", e)
		}
		_ = e.IsUnauthorized()
		_ = e.IsServerError()
		wrapped := fmt.Errorf("wrapped: %w", e)
		if transport.StatusOf(wrapped) != status || !transport.HasCode(wrapped, e.Code) {
			t.Fatalf("StatusOf/HasCode do not see through wrapping: %+v", e)
		}
	})
}
