// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opensam/terraform-provider-docusign/internal/testcert"

	"github.com/golang-jwt/jwt/v5"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

// Started with --tls-cert and --tls-key, the program serves https and every URL it hands out,
// down to userinfo's base_uri and the Admin paging links, is https.
func TestServesHTTPSWithTLSFlags(t *testing.T) {
	certFile, keyFile, pool := testcert.SelfSigned(t)
	ready := filepath.Join(t.TempDir(), "ready.json")
	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"--fixture", demoorg.FixturePath(), "--ready-file", ready, "--tls-cert", certFile, "--tls-key", keyFile}, io.Discard, stop)
	}()
	defer func() {
		stop <- os.Interrupt
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	var urls map[string]string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if data, err := os.ReadFile(ready); err == nil && json.Unmarshal(data, &urls) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the emulator did not write its ready file")
		}
	}
	for name, u := range urls {
		if !strings.HasPrefix(u, "https://") {
			t.Errorf("%s = %s, want https", name, u)
		}
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	tok := grantToken(t, client, urls["oauth_base_url"])
	for _, target := range []string{
		urls["oauth_base_url"] + "/oauth/userinfo",
		urls["admin_base_url"] + "/v2/organizations/" + demoorg.OrgID + "/users?account_id=" + demoorg.SalesAccount + "&take=2&start=2",
	} {
		req, _ := http.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || strings.Contains(string(body), "http://") || !strings.Contains(string(body), "https://") {
			t.Errorf("GET %s: %d %s; want https URLs only", target, resp.StatusCode, body)
		}
	}
}

func TestTLSFlagsGoTogether(t *testing.T) {
	err := run([]string{"--fixture", demoorg.FixturePath(), "--tls-cert", "cert.pem"}, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "--tls-key") {
		t.Errorf("--tls-cert without --tls-key: %v", err)
	}
}

func grantToken(t *testing.T, client *http.Client, oauthBase string) string {
	t.Helper()
	data, err := os.ReadFile(demoorg.KeyPath())
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	assertion, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": demoorg.IntegrationKey, "sub": demoorg.AdminUserID, "aud": strings.TrimPrefix(oauthBase, "https://"),
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "scope": demoorg.Scopes,
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.PostForm(oauthBase+"/oauth/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		t.Fatalf("grant over https: %d %v", resp.StatusCode, err)
	}
	return out.AccessToken
}
