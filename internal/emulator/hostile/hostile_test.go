// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package hostile_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/hostile"
)

func TestProxy(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"base_uri":"http://`+r.Host+`","path":"`+r.URL.Path+`"}`)
	}))
	defer target.Close()
	p, err := hostile.New(target.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	client := &http.Client{Timeout: 2 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, error) {
		resp, err := client.Get(p.URL + path)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b) + resp.Header.Get("Location"), nil
	}

	if status, body, err := get("/oauth/userinfo"); err != nil || status != 200 || !strings.Contains(body, p.URL) {
		t.Errorf("forward = %d %q %v; want the target's answer naming the proxy's host", status, body, err)
	}
	p.AddRule(hostile.Rule{Method: "GET", PathSuffix: "/token", Status: 307, Location: "http://127.0.0.1:1/elsewhere", Times: 1})
	if status, body, _ := get("/oauth/token"); status != 307 || !strings.Contains(body, "127.0.0.1:1") {
		t.Errorf("rule = %d %q", status, body)
	}
	if status, _, _ := get("/oauth/token"); status != 200 {
		t.Errorf("a rule used up should forward again, got %d", status)
	}

	p.SetMode(hostile.Blackhole)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", p.URL+"/x", nil)
	if _, err := client.Do(req); err == nil {
		t.Error("a partitioned proxy answered")
	}
	p.Heal()
	if status, _, err := get("/x"); err != nil || status != 200 {
		t.Errorf("after healing = %d %v", status, err)
	}
	if p.Requests()["GET /oauth/token"] != 2 {
		t.Errorf("requests = %v", p.Requests())
	}
}

func TestProxyForwardsOnlyToLoopback(t *testing.T) {
	for _, target := range []string{"http://example.com", "https://127.0.0.1:1", "http://10.0.0.1"} {
		if p, err := hostile.New(target); err == nil {
			p.Close()
			t.Errorf("New(%q) accepted a non-loopback or non-http target", target)
		}
	}
}

// TestLargeAnswers: a rule pads its body to Size bytes, with a Content-Length or chunked.
func TestLargeAnswers(t *testing.T) {
	target := httptest.NewServer(http.NotFoundHandler())
	defer target.Close()
	p, err := hostile.New(target.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, chunked := range []bool{false, true} {
		p.ClearRules()
		p.AddRule(hostile.Rule{Method: "GET", PathSuffix: "/users", Status: 200, Body: []byte(`{"users":[]}`), Size: 3 << 20, Chunked: chunked})
		resp, err := http.Get(p.URL + "/restapi/v2.1/accounts/a/users")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || len(body) != 3<<20 || !strings.HasPrefix(string(body), `{"users":[]} `) || strings.TrimSpace(string(body)) != `{"users":[]}` {
			t.Errorf("chunked=%v: %d bytes, err %v", chunked, len(body), err)
		}
		if want := int64(3 << 20); chunked == (resp.ContentLength == want) {
			t.Errorf("chunked=%v: Content-Length %d", chunked, resp.ContentLength)
		}
	}
}
