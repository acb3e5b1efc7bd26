// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// A *_file setting is meant to hold a path, but CI pipelines often put the key itself there: the
// PEM text, or a base64-encoded .p12 from a secret store. The value must then never be echoed in
// an error, which terraform prints and CI logs keep. These rules decide what a path setting may
// hold and what of it an error may quote.
const (
	// maxPathBytes is Linux's PATH_MAX. No longer value can name a file, so it is refused without
	// an attempt to open it, which would fail anyway.
	maxPathBytes = 4096
	// maxShownPathBytes is the longest path an error quotes. A path is not secret, but a value of
	// several hundred bytes in a path setting almost certainly is not a path, and every key in a
	// format the provider reads is longer than this.
	maxShownPathBytes = 256
)

// Kinds of key material a path setting was found to hold, for Error.Material.
const (
	MaterialPEM       = "pem"        // PEM text (-----BEGIN … armour)
	MaterialBase64PEM = "base64-pem" // base64 of PEM text
	MaterialBase64DER = "base64"     // base64 of DER data: a key, certificate or PKCS#12 file
	MaterialText      = "multiline"  // several lines of text
	MaterialBinary    = "binary"     // bytes no path has: NUL, control characters, invalid UTF-8
	MaterialTooLong   = "too-long"   // longer than any path can be
)

// PathMaterial reports what key material, if any, value holds instead of a file path; "" means it
// may be a path. It never returns any part of value.
func PathMaterial(value string) string {
	v := strings.TrimSpace(strings.TrimPrefix(value, "\xEF\xBB\xBF"))
	switch {
	case strings.Contains(v, "-----BEGIN") || strings.Contains(v, "-----END"):
		return MaterialPEM
	case !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && !strings.ContainsRune("\t\r\n", r) || r == 0x7F }):
		return MaterialBinary
	case strings.ContainsAny(v, "\r\n"):
		return MaterialText
	case len(v) >= 64 && isBase64(v) && strings.HasPrefix(v, "LS0tLS1"): // "-----" in base64
		return MaterialBase64PEM
	case len(v) >= 64 && isBase64(v) && strings.HasPrefix(v, "MI"): // a DER SEQUENCE in base64
		return MaterialBase64DER
	case len(value) > maxPathBytes:
		return MaterialTooLong
	case len(v) >= maxShownPathBytes && isBase64(v) && !strings.Contains(v, "."):
		return MaterialBase64DER
	}
	return ""
}

func isBase64(s string) bool {
	for i := range len(s) {
		c := s[i]
		alphanumeric := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
		if !alphanumeric && !strings.ContainsRune("+/=-_", rune(c)) {
			return false
		}
	}
	return true
}

// DisplayPath is how an error may show a path: quoted when it is short and printable, otherwise
// only its length.
func DisplayPath(path string) string {
	if len(path) <= maxShownPathBytes && PathMaterial(path) == "" {
		return fmt.Sprintf("%q", path)
	}
	return fmt.Sprintf("(a %d-byte value, not shown)", len(path))
}

// checkPath refuses a path setting that holds key material or cannot be a path, before any
// attempt to open it. The error carries no part of the value.
func checkPath(path string) error {
	material := PathMaterial(path)
	if material == "" {
		return nil
	}
	return &Error{Kind: ErrKeyMaterialInPath, Material: material, Detail: materialDetail(material, len(path))}
}

func materialDetail(material string, n int) string {
	what := map[string]string{
		MaterialPEM:       "PEM key text",
		MaterialBase64PEM: "base64-encoded PEM text",
		MaterialBase64DER: "base64-encoded key data (such as a .p12 file or a DER key)",
		MaterialText:      "several lines of text",
		MaterialBinary:    "binary data",
		MaterialTooLong:   fmt.Sprintf("more than %d bytes, longer than any file path", maxPathBytes),
	}[material]
	return fmt.Sprintf("the value (%d bytes) is %s, not a file path; it is not shown", n, what)
}
