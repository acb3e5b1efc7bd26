// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport

import (
	"bytes"
	"encoding/json"
	"errors"
)

// ErrErrorBodyInSuccess marks a DocuSign answer whose status said success but whose body was an
// error object. Decoding such a body as data would turn every missing field into a zero: an
// account with 0 envelopes sent and no limit, a user list with nobody in it.
var ErrErrorBodyInSuccess = errors.New("DocuSign answered with a success status but an error body")

// errorInSuccessBody returns the error a 2xx body carries instead of data, or nil when the body
// is data. It recognises the shapes DocuSign's APIs use for errors at the top level of an answer:
// eSignature {"errorCode","message"} and {"errorDetails":{"errorCode",…}}, Admin and OAuth
// {"error","error_description"}. No success answer of the APIs the provider calls has any of
// these fields at its top level (per-item errorDetails and error_details inside lists are data,
// handled by the caller).
func errorInSuccessBody(api API, status int, body []byte) *Error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil
	}
	var top struct {
		ErrorCode    json.RawMessage `json:"errorCode"`
		Error        json.RawMessage `json:"error"`
		ErrorDetails *struct {
			ErrorCode string `json:"errorCode"`
			Message   string `json:"message"`
		} `json:"errorDetails"`
	}
	if json.Unmarshal(trimmed, &top) != nil {
		return nil //nolint:nilerr // a body that is not one JSON object has no error shape; decoding it as data reports it
	}
	switch {
	case nonEmptyString(top.ErrorCode), nonEmptyString(top.Error):
		return DecodeError(api, status, trimmed)
	case top.ErrorDetails != nil && top.ErrorDetails.ErrorCode != "":
		return DecodeError(api, status, mustJSON(map[string]string{
			"errorCode": top.ErrorDetails.ErrorCode, "message": top.ErrorDetails.Message,
		}))
	}
	return nil
}

func nonEmptyString(raw json.RawMessage) bool {
	var s string
	return len(raw) > 0 && json.Unmarshal(raw, &s) == nil && s != ""
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
