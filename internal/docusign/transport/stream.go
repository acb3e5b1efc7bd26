// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package transport

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Streamed answers. A Request with Stream set hands a 2xx body to Stream as it arrives instead of
// holding it: an export of an organization grows with the organization, and read whole it is the
// largest thing the provider holds. Everything else (retries, tokens, the partition guard, error
// bodies decoded as always) is Do's. An error body, or an error object behind a 2xx, never reaches
// Stream.

// maxStreamBody bounds a streamed answer. Its bytes pass through rather than stay, so this guards
// against an answer without end rather than against memory.
var maxStreamBody int64 = 4 << 30

// maxStreamErrorBody bounds what is held of a streamed call's error answer, or of a 2xx body that
// starts as a JSON object and may be an error in a success status: errors are short.
const maxStreamErrorBody = 1 << 20

// ErrStreamTooLarge means a streamed answer went past maxStreamBody.
var ErrStreamTooLarge = errors.New("DocuSign's answer is larger than the provider reads")

// exchange sends one attempt: Stream requests through sendStream, the rest through send. A
// failure of the caller's Stream itself is recorded in *req.streamErr and the attempt reports
// success, so Do neither retries it nor counts it as a silence of the network; doStream returns it.
// Only send holds an answer in the memory budget: a stream holds one chunk at a time, counted by
// Budget.Stream, so its release is nil.
func (t *Transport) exchange(ctx context.Context, req Request, target, contentType string, body []byte, token string, limit int64) (int, http.Header, []byte, func(), error) {
	if req.Stream == nil {
		return t.send(ctx, req.Method, target, contentType, body, token, limit)
	}
	status, header, answer, err := t.sendStream(ctx, req, target, contentType, body, token)
	return status, header, answer, nil, err
}

// doStream runs a Stream request through Do and returns the Stream's own failure, if any.
func (t *Transport) doStream(ctx context.Context, req Request) (*Response, error) {
	var failed error
	req.streamErr = &failed
	resp, err := t.Do(ctx, req)
	if failed != nil {
		return nil, failed
	}
	return resp, err
}

func (t *Transport) sendStream(ctx context.Context, req Request, target, contentType string, body []byte, token string) (int, http.Header, []byte, error) {
	resp, err := t.roundTrip(ctx, req.Method, target, contentType, "text/csv, application/json;q=0.9, */*;q=0.5", body, token)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	t.recordRateLimit(resp.Header)
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		errBody, err := io.ReadAll(io.LimitReader(resp.Body, maxStreamErrorBody))
		if err != nil {
			return 0, nil, nil, err
		}
		return resp.StatusCode, resp.Header, errBody, nil
	}
	budgeted := t.opts.Budget.Stream(ctx, resp.Body)
	defer budgeted.Close() // gives back the last chunk's room
	body2xx := &streamBody{r: budgeted, left: maxStreamBody}
	br := bufio.NewReaderSize(body2xx, 64<<10)
	head, _ := br.Peek(64 << 10)
	if first := bytes.TrimLeft(head, " \t\r\n"); len(first) > 0 && first[0] == '{' {
		// Perhaps an error object with a success status: Do checks it, and it is never data.
		whole, err := io.ReadAll(io.LimitReader(br, maxStreamErrorBody))
		if body2xx.err != nil {
			return 0, nil, nil, body2xx.err
		}
		if err != nil {
			return 0, nil, nil, err
		}
		if errorInSuccessBody(req.API, resp.StatusCode, whole) != nil {
			return resp.StatusCode, resp.Header, whole, nil
		}
		br = bufio.NewReader(io.MultiReader(bytes.NewReader(whole), body2xx))
	}
	streamErr := req.Stream(br)
	switch {
	case body2xx.err != nil:
		// The network failed mid-answer: an attempt like any other, which Do may repeat.
		return 0, nil, nil, body2xx.err
	case body2xx.tooLarge:
		*req.streamErr = fmt.Errorf("%w: %s %s went past %d bytes", ErrStreamTooLarge, req.Method, pathOf(req.URL), maxStreamBody)
	case streamErr != nil:
		*req.streamErr = streamErr
	}
	return resp.StatusCode, resp.Header, nil, nil
}

// streamBody passes a body through, up to left bytes, and remembers why reading it stopped.
type streamBody struct {
	r        io.Reader
	left     int64
	err      error // a failure of the connection, not the end of the body
	tooLarge bool
}

func (s *streamBody) Read(p []byte) (int, error) {
	if s.tooLarge {
		return 0, ErrStreamTooLarge
	}
	if int64(len(p)) > s.left+1 {
		p = p[:s.left+1]
	}
	n, err := s.r.Read(p)
	if int64(n) > s.left {
		s.tooLarge = true
		return int(s.left), ErrStreamTooLarge
	}
	s.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = err
	}
	return n, err
}
