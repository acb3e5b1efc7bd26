// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// secretFragments are the substrings of key material that must never appear in an error: every
// 16-byte window of the value, so that neither a whole line nor a long piece of base64 leaks.
func secretFragments(value string) []string {
	var out []string
	for i := 0; i+16 <= len(value); i += 8 {
		out = append(out, value[i:i+16])
	}
	return out
}

func TestLoadFileRefusesKeyMaterialWithoutEchoingIt(t *testing.T) {
	pemText := string(read(t, "rsa2048.pkcs1.key"))
	p12 := read(t, "rsa2048.p12")
	cases := []struct {
		name, value, material string
	}{
		{"pem text", pemText, MaterialPEM},
		{"pem text on one line", strings.ReplaceAll(pemText, "\n", " "), MaterialPEM},
		{"base64 p12", base64.StdEncoding.EncodeToString(p12), MaterialBase64DER},
		{"base64 p12 wrapped", base64.StdEncoding.EncodeToString(p12)[:76] + "\n" + base64.StdEncoding.EncodeToString(p12)[76:], MaterialText},
		{"base64 url-safe p12", base64.RawURLEncoding.EncodeToString(p12), MaterialBase64DER},
		{"base64 pem", base64.StdEncoding.EncodeToString([]byte(pemText)), MaterialBase64PEM},
		{"binary der", string(pemBody(t, "rsa2048.pkcs1.key")), MaterialBinary},
		{"binary p12", string(p12), MaterialBinary},
		{"absurdly long path", strings.Repeat("a/", 50_000), MaterialTooLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadFile(tc.value, Options{Password: storePass})
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrKeyMaterialInPath) || e.Material != tc.material {
				t.Fatalf("err = %v (material %q), want ErrKeyMaterialInPath with material %q", err, materialOf(err), tc.material)
			}
			msg := err.Error()
			if len(msg) > 300 {
				t.Errorf("message is %d bytes long", len(msg))
			}
			for _, frag := range secretFragments(tc.value) {
				if strings.Contains(msg, frag) {
					t.Fatalf("message echoes the value (%q…): %s", frag, msg)
				}
			}
			if !strings.Contains(msg, "not a file path") || !strings.Contains(msg, "not shown") {
				t.Errorf("message does not say what is wrong: %s", msg)
			}
		})
	}
}

func materialOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Material
	}
	return ""
}

func TestPathMaterialLeavesRealPathsAlone(t *testing.T) {
	for _, p := range []string{
		"docusign.p12", "./keys/rsa.pem", "/home/runner/work/app/app/secrets/docusign-private.key",
		`C:\Users\ci\keys\docusign.pfx`, "/home/runner/work/projectname/projectname/secrets/docusignprivatekey",
		"/var/run/secrets/MIIdocusign/key.pem", "/tmp/with space/key.pem",
	} {
		if m := PathMaterial(p); m != "" {
			t.Errorf("PathMaterial(%q) = %q, want a path", p, m)
		}
	}
}

// A path that is long but could be real is opened; the error shows its length, not the path.
func TestLongPathIsNotEchoed(t *testing.T) {
	long := "/tmp/" + strings.Repeat("nested.dir/", 200) + "key.pem" // 2,212 bytes
	_, err := LoadFile(long, Options{})
	if err == nil || errors.Is(err, ErrKeyMaterialInPath) {
		t.Fatalf("err = %v, want an open failure", err)
	}
	msg := err.Error()
	if strings.Contains(msg, strings.Repeat("nested.dir/", 3)) || !strings.Contains(msg, "2212-byte value, not shown") {
		t.Errorf("message = %q", msg)
	}
	short := "/tmp/no/such/key.pem"
	if _, err := LoadFile(short, Options{}); !errors.Is(err, ErrFileNotFound) || !strings.Contains(err.Error(), `"`+short+`"`) {
		t.Errorf("a short path is named in full: %v", err)
	}
}
