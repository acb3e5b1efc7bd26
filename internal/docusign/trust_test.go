// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package docusign

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

func TestIsDocuSignHost(t *testing.T) {
	for host, want := range map[string]bool{
		"docusign.net": true, "na3.docusign.net": true, "account.docusign.com": true, "API-D.DocuSign.NET": true,
		"demo.docusign.net.": true, "evil-docusign.net": false, "docusign.net.evil.example": false, "docusign.org": false,
		"127.0.0.1": false, "": false, "xdocusign.com": false,
	} {
		if got := IsDocuSignHost(host); got != want {
			t.Errorf("IsDocuSignHost(%q) = %v, want %v", host, got, want)
		}
	}
	for raw, ok := range map[string]bool{
		"https://na3.docusign.net": true, "https://na3.docusign.net:443/restapi": true,
		"http://na3.docusign.net": false, "https://user:pw@evil.example/x?email=a@b": false, "ftp://docusign.net": false, "::": false,
	} {
		err := TrustedURL(raw)
		if (err == nil) != ok {
			t.Errorf("TrustedURL(%q) = %v, want ok=%v", raw, err, ok)
		}
		if err != nil && (strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "email")) {
			t.Errorf("TrustedURL(%q) quotes credentials or the query: %v", raw, err)
		}
	}
}

// TestProductionRefusesAForeignBaseURI: in production the token goes only to DocuSign's hosts;
// the emulator's userinfo hands out an http base_uri on 127.0.0.1, which must be refused before
// any eSignature call carries the token there.
func TestProductionRefusesAForeignBaseURI(t *testing.T) {
	srv := startEmulator(t, nil, emulator.Options{})
	c := newClient(t, srv, func(cfg *Config) { cfg.DocuSignHostsOnly = true })
	_, err := c.ESign.GetAccount(context.Background(), testSales)
	if !errors.Is(err, ErrUntrustedHost) || !strings.Contains(err.Error(), "base_uri") {
		t.Fatalf("err = %v, want ErrUntrustedHost about base_uri", err)
	}
	if n := srv.Stats().Requests["GET /restapi/v2.1/accounts/{accountId}"]; n != 0 {
		t.Errorf("%d account reads reached the untrusted base_uri", n)
	}
	// The same client without the rule (a proxy or the emulator, opted in) works.
	open := newClient(t, srv)
	if _, err := open.ESign.GetAccount(context.Background(), testSales); err != nil {
		t.Fatal(err)
	}
}
