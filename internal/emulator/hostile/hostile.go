// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package hostile is a small reverse proxy that tests put between the provider and the
// DocuSign emulator to play a hostile or broken network: it can redirect calls elsewhere, answer
// in DocuSign's place, or stop answering altogether (a partition). It listens on 127.0.0.1 only,
// forwards only to a loopback target, and imports nothing from Terraform.
package hostile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mode is how the proxy treats requests that no rule answers.
type Mode int

const (
	// Forward passes requests to the target.
	Forward Mode = iota
	// Blackhole accepts requests and never answers them, as a partitioned network does: each
	// is held until its client gives up or Heal is called (then its connection is dropped).
	Blackhole
	// Reset drops every connection as soon as a request arrives on it.
	Reset
)

// Rule answers matching requests in the target's place.
type Rule struct {
	Method     string // "" matches any method
	PathSuffix string // "" matches any path
	// Status and Location make a redirect (3xx) or any other answer; Body is sent as JSON.
	Status   int
	Location string
	Body     []byte
	// Times limits how many requests the rule answers; 0 means every one.
	Times int
	// Size, when larger than Body, pads the answer with spaces after Body up to Size bytes (JSON
	// still, as a broken proxy or a misconfigured host could send), written as it goes rather
	// than held. Chunked leaves out the Content-Length, so the client learns the size only by
	// reading.
	Size    int64
	Chunked bool
}

// Proxy is safe for concurrent use.
type Proxy struct {
	// URL is the proxy's base URL (http://127.0.0.1:port); the target's base URL in the bodies
	// it forwards is rewritten to this, so links such as userinfo's base_uri lead back here.
	URL    string
	target *url.URL

	srv      *http.Server
	listener net.Listener
	client   *http.Client

	mu     sync.Mutex
	mode   Mode
	rules  []*rule
	healed chan struct{}
	counts map[string]int // "METHOD path" → requests that reached the proxy
	held   int
}

type rule struct {
	Rule
	used int
}

// New starts a proxy in front of target, which must be a loopback http URL.
func New(target string) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme != "http" || (u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback())) {
		return nil, fmt.Errorf("hostile proxy forwards to loopback http targets only, not %q", target)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		URL: "http://" + ln.Addr().String(), target: u, listener: ln,
		healed: make(chan struct{}), counts: map[string]int{},
		// The proxy passes redirects through to the client under test rather than following them.
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Close stops the proxy, dropping held requests.
func (p *Proxy) Close() {
	p.Heal()
	_ = p.srv.Close()
}

// SetMode switches how unanswered requests are treated; Forward heals a partition.
func (p *Proxy) SetMode(m Mode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m == Forward && p.mode != Forward {
		close(p.healed)
		p.healed = make(chan struct{})
	}
	p.mode = m
}

// Heal ends a partition: held requests are dropped and new ones forwarded.
func (p *Proxy) Heal() { p.SetMode(Forward) }

// AddRule makes the proxy answer requests that match r.
func (p *Proxy) AddRule(r Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &rule{Rule: r})
}

// ClearRules removes every rule.
func (p *Proxy) ClearRules() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
}

// Requests returns how many requests reached the proxy, by "METHOD path".
func (p *Proxy) Requests() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.counts))
	for k, v := range p.counts {
		out[k] = v
	}
	return out
}

// Held is how many requests a partition is holding right now.
func (p *Proxy) Held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.counts[r.Method+" "+r.URL.Path]++
	mode, healed := p.mode, p.healed
	var match *rule
	for _, rl := range p.rules {
		if (rl.Method == "" || rl.Method == r.Method) && strings.HasSuffix(r.URL.Path, rl.PathSuffix) && (rl.Times == 0 || rl.used < rl.Times) {
			rl.used++
			match = rl
			break
		}
	}
	if mode == Blackhole && match == nil {
		p.held++
	}
	p.mu.Unlock()

	switch {
	case match != nil:
		_, _ = io.Copy(io.Discard, r.Body)
		if match.Location != "" {
			w.Header().Set("Location", match.Location)
		}
		size := max(match.Size, int64(len(match.Body)))
		if match.Body != nil || size > 0 {
			w.Header().Set("Content-Type", "application/json")
			if !match.Chunked {
				w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
			}
		}
		w.WriteHeader(match.Status)
		if _, err := w.Write(match.Body); err == nil {
			writePadding(w, size-int64(len(match.Body)))
		}
	case mode == Blackhole:
		select {
		case <-healed:
		case <-r.Context().Done():
		}
		p.mu.Lock()
		p.held--
		p.mu.Unlock()
		drop(w)
	case mode == Reset:
		drop(w)
	default:
		p.forward(w, r)
	}
}

func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.target.Scheme+"://"+p.target.Host+r.URL.RequestURI(), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	out.ContentLength = r.ContentLength
	// The target sees the host the client called, as DocuSign behind a proxy would (the JWT
	// audience and userinfo's base_uri depend on it).
	out.Host = r.Host
	resp, err := p.client.Do(out)
	if err != nil {
		if errors.Is(err, r.Context().Err()) {
			return
		}
		drop(w)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		drop(w)
		return
	}
	body = bytes.ReplaceAll(body, []byte(p.target.Scheme+"://"+p.target.Host), []byte(p.URL))
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	w.WriteHeader(http.StatusBadGateway)
}

// writePadding writes n spaces in blocks, until the client stops reading.
func writePadding(w http.ResponseWriter, n int64) {
	if n <= 0 {
		return
	}
	block := bytes.Repeat([]byte(" "), 64<<10)
	for n > 0 {
		k := min(n, int64(len(block)))
		if _, err := w.Write(block[:k]); err != nil {
			return
		}
		n -= k
	}
}
