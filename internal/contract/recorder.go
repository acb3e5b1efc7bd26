// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package contract

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// maxCapture bounds how much of a response body the Recorder keeps for checking.
const maxCapture = 8 << 20

// Recorder is HTTP middleware that checks every request and response passing through it against
// the specs and collects the violations. It is safe for concurrent use.
type Recorder struct {
	spec *Spec

	mu         sync.Mutex
	violations map[Violation]struct{}
	exercised  map[string]int
}

// NewRecorder returns a Recorder checking against s.
func NewRecorder(s *Spec) *Recorder {
	return &Recorder{spec: s, violations: map[Violation]struct{}{}, exercised: map[string]int{}}
}

// Skipped reports whether a path is outside the specs on purpose: OAuth (/oauth/...), the
// emulator's control routes (/_emulator/...) and pre-signed export files (/_downloads/..., which
// DocuSign serves from storage links, not from the Admin API).
func Skipped(urlPath string) bool {
	return urlPath == "/oauth" || strings.HasPrefix(urlPath, "/oauth/") || strings.HasPrefix(urlPath, "/_downloads/") ||
		urlPath == "/_emulator" || strings.HasPrefix(urlPath, "/_emulator/")
}

// Wrap returns next with every exchange checked: the route must be an operation of the specs,
// query parameter names must be declared, JSON request and 2xx response bodies may only use
// declared fields, and error answers must use a status and body shape the API documents.
func (r *Recorder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if Skipped(req.URL.Path) {
			next.ServeHTTP(w, req)
			return
		}
		var reqBody []byte
		if req.Body != nil && req.Body != http.NoBody {
			b, err := io.ReadAll(req.Body)
			_ = req.Body.Close()
			reqBody = b
			if err != nil {
				req.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{err}))
			} else {
				req.Body = io.NopCloser(bytes.NewReader(b))
			}
		}
		op, ok := r.spec.Match(req.Method, req.URL.Path)
		if !ok {
			detail := "no operation in the OpenAPI specs"
			if tmpl, methods := r.spec.PathMethods(req.URL.Path); tmpl != "" {
				detail = fmt.Sprintf("%s %s is not in the specs; %s declares only %s",
					req.Method, tmpl, tmpl, strings.Join(methods, ", "))
			}
			r.add(Violation{req.Method, req.URL.Path, WhereRoute, detail})
			next.ServeHTTP(w, req)
			return
		}
		var vs []Violation
		vs = append(vs, r.spec.CheckQuery(op, req.URL.Query())...)
		if ct := req.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
			vs = append(vs, r.spec.CheckMultipart(op, ct, reqBody)...)
		} else {
			vs = append(vs, r.spec.CheckRequestBody(op, reqBody)...)
		}

		cw := &captureWriter{ResponseWriter: w}
		next.ServeHTTP(cw, req)
		status := cw.status
		if status == 0 {
			status = http.StatusOK
		}
		// CSV answers (results_csv) are declared as a bare object; only JSON bodies have fields.
		isJSON := !strings.HasPrefix(cw.Header().Get("Content-Type"), "text/csv")
		if !cw.truncated && isJSON {
			vs = append(vs, r.spec.CheckResponse(op, status, cw.buf.Bytes())...)
			vs = append(vs, r.spec.CheckError(op, status, cw.buf.Bytes())...)
		}
		r.mu.Lock()
		r.exercised[op.Key()]++
		for _, v := range vs {
			r.violations[v] = struct{}{}
		}
		r.mu.Unlock()
	})
}

func (r *Recorder) add(v Violation) {
	r.mu.Lock()
	r.violations[v] = struct{}{}
	r.mu.Unlock()
}

// Violations returns the distinct violations seen so far, sorted by path, method, where, detail.
func (r *Recorder) Violations() []Violation {
	r.mu.Lock()
	out := make([]Violation, 0, len(r.violations))
	for v := range r.violations {
		out = append(out, v)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Method != b.Method {
			return a.Method < b.Method
		}
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		return a.Detail < b.Detail
	})
	return out
}

// Exercised returns the sorted "METHOD /path/template" keys of the operations seen so far.
func (r *Recorder) Exercised() []string {
	r.mu.Lock()
	out := make([]string, 0, len(r.exercised))
	for k := range r.exercised {
		out = append(out, k)
	}
	r.mu.Unlock()
	sort.Strings(out)
	return out
}

// Counts returns how many exchanges each exercised operation had.
func (r *Recorder) Counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.exercised))
	for k, n := range r.exercised {
		out[k] = n
	}
	return out
}

// Reset forgets the violations and exercised operations recorded so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.violations = map[Violation]struct{}{}
	r.exercised = map[string]int{}
	r.mu.Unlock()
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// captureWriter passes everything through to the wrapped ResponseWriter and keeps the status
// and a copy of the body.
type captureWriter struct {
	http.ResponseWriter
	status    int
	buf       bytes.Buffer
	truncated bool
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 && code >= 200 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if !c.truncated {
		if c.buf.Len()+len(p) > maxCapture {
			c.truncated = true
			c.buf.Reset()
		} else {
			c.buf.Write(p)
		}
	}
	return c.ResponseWriter.Write(p)
}

// Flush implements http.Flusher when the wrapped writer does.
func (c *captureWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack implements http.Hijacker when the wrapped writer does.
func (c *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := c.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, http.ErrNotSupported
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (c *captureWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
