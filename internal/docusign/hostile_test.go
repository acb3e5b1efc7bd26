// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
	"github.com/opensam/terraform-provider-docusign/internal/emulator"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/hostile"
)

// behindProxy is the emulator with a hostile proxy in front and a client that talks to the proxy.
func behindProxy(t *testing.T) (*emulator.Server, *hostile.Proxy, *Client) {
	t.Helper()
	srv := startEmulator(t, nil, emulator.Options{})
	p, err := hostile.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	c := newClient(t, srv, func(cfg *Config) {
		cfg.OAuthBaseURL, cfg.AdminBaseURL = p.URL, p.URL+"/Management"
	})
	return srv, p, c
}

// TestRedirectedCloseIsNotASuccess: a 302 on DELETE …/users used to be followed as a GET, and a
// foreign host's 200 listing the user as closed was taken as the close. Now it is an error
// naming the host, the foreign host sees nothing, and the user is still active at DocuSign.
func TestRedirectedCloseIsNotASuccess(t *testing.T) {
	var reached atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"users":[{"userId":"`+r.URL.Query().Get("u")+`","userStatus":"closed"}]}`)
	}))
	defer thief.Close()
	thiefURL, _ := url.Parse(thief.URL)

	srv, p, c := behindProxy(t)
	id := userID(t, srv, "alex.leaver@opensam.example")
	p.AddRule(hostile.Rule{Method: "DELETE", PathSuffix: "/users", Status: http.StatusFound, Location: thief.URL + "/closed?u=" + id})

	res, err := c.closer.Close(context.Background(), testSales, id)
	if err == nil {
		err = res.Err
	}
	if !errors.Is(err, transport.ErrRedirect) || !strings.Contains(err.Error(), thiefURL.Host) {
		t.Fatalf("close = %v; want a refused redirect naming %s", err, thiefURL.Host)
	}
	if reached.Load() != 0 {
		t.Errorf("the redirect's host received %d requests", reached.Load())
	}
	if s, n := status(t, srv, id, testSales); s != "Active" || n != 0 {
		t.Errorf("membership is %s after %d closures; the redirect must not count as a close", s, n)
	}
}

// TestHugeEscapeLadenErrorIsCleaned: a 1 MB DocuSign error full of terminal escape codes reaches
// the caller as at most about a kilobyte of printable text.
func TestHugeEscapeLadenErrorIsCleaned(t *testing.T) {
	srv, p, c := behindProxy(t)
	id := userID(t, srv, "alex.leaver@opensam.example")
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString(`\u001b[2J\u001b[H\u001b]0;owned\u0007\u001b[5mblink `)
	}
	p.AddRule(hostile.Rule{Method: "DELETE", PathSuffix: "/users", Status: 400,
		Body: []byte(`{"errorCode":"INVALID_USERID","message":"` + b.String() + `"}`)})
	res, err := c.closer.Close(context.Background(), testSales, id)
	if err == nil {
		err = res.Err // a refusal of a one-user batch is that user's own failure
	}
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	if len(msg) > 2*transport.MaxMessageBytes || strings.ContainsAny(msg, "\x1b\x07") || strings.Contains(msg, "owned") {
		t.Errorf("error is %d bytes and begins %q", len(msg), msg[:min(len(msg), 200)])
	}
}
