// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

// A 200 whose body is an error object is an error, never data: decoded as data, an account's
// counters would read as zero envelopes sent and no limit.
func TestErrorBodyUnderSuccessStatusIsAnError(t *testing.T) {
	cases := []struct {
		name, body string
		api        transport.API
		code       string
	}{
		{"esignature errorCode", `{"errorCode":"ACCOUNT_LACKS_PERMISSIONS","message":"This account lacks sufficient permissions."}`,
			transport.APIESign, "ACCOUNT_LACKS_PERMISSIONS"},
		{"esignature errorDetails", `{"errorDetails":{"errorCode":"USER_LACKS_PERMISSIONS","message":"no"}}`,
			transport.APIESign, "USER_LACKS_PERMISSIONS"},
		{"admin error", `{"error":"unauthorized","error_description":"Not Authorized"}`, transport.APIAdmin, "unauthorized"},
		{"admin sub-account error", `{"error":"server_error","errorDescription":"boom","isSystemError":true}`, transport.APIAdmin, "server_error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, tc.body) })
			tr, _ := newTransport(transport.Options{})
			var out struct {
				BillingPeriodEnvelopesSent string `json:"billingPeriodEnvelopesSent"`
			}
			_, err := tr.Do(context.Background(), transport.Request{API: tc.api, Method: "GET", URL: srv.URL + "/restapi/v2.1/accounts/a", Out: &out, Idempotent: true})
			if !errors.Is(err, transport.ErrErrorBodyInSuccess) || !transport.HasCode(err, tc.code) || transport.StatusOf(err) != 200 {
				t.Fatalf("err = %v, want ErrErrorBodyInSuccess with code %s and status 200", err, tc.code)
			}
			if srv.calls.Load() != 1 {
				t.Errorf("calls = %d: an error body under 200 is not retried", srv.calls.Load())
			}
		})
	}
}

// Data that merely holds error fields inside items (a batch answer's per-user errorDetails, the
// Admin close answer's error_details), or an array, stays data.
func TestSuccessBodiesWithNestedErrorsAreData(t *testing.T) {
	for _, body := range []string{
		`{"users":[{"userId":"u-1","errorDetails":{"errorCode":"USER_DOES_NOT_EXIST_IN_SYSTEM"}}]}`,
		`{"success":false,"accounts":[{"id":"a","error_details":{"error":"x","error_description":"y"}}]}`,
		`[{"plan_id":"p"}]`,
		`{"errorDetails":{}}`,
		`{"error":""}`,
		``,
	} {
		srv := newServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, body) })
		tr, _ := newTransport(transport.Options{})
		var out any
		if _, err := tr.Do(context.Background(), transport.Request{API: transport.APIESign, Method: "GET", URL: srv.URL, Out: &out}); err != nil {
			t.Errorf("body %s: err = %v", body, err)
		}
	}
}
