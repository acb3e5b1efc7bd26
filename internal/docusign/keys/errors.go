// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error returned by this package matches exactly one of them
// with errors.Is, so callers can point the user at the setting to fix.
var (
	ErrWrongPassword    = errors.New("wrong keystore password")
	ErrWrongKeyPassword = errors.New("wrong keystore key password")
	ErrNoPrivateKey     = errors.New("no private key")
	ErrAliasNotFound    = errors.New("keystore alias not found")
	ErrAmbiguousAlias   = errors.New("keystore alias required")
	ErrNotRSA           = errors.New("key is not RSA")
	ErrKeyTooShort      = errors.New("RSA key too short")
	ErrCorrupt          = errors.New("unreadable key data")
	ErrEncryptedPEM     = errors.New("encrypted PEM private key")
	ErrFileNotFound     = errors.New("key file not found")
	// ErrKeyMaterialInPath: a file path setting holds the key itself (or something else that
	// cannot be a path), which the error never repeats.
	ErrKeyMaterialInPath = errors.New("key material where a file path belongs")
)

// Error is the concrete error type. Detail is written for the person configuring the
// provider; it must never include a password or key bytes, which is why library errors
// are summarised rather than wrapped.
type Error struct {
	Kind   error  // one of the Err* sentinels
	Path   string // file the key came from, empty for in-memory data; shown only through DisplayPath
	Detail string
	// Material is what an ErrKeyMaterialInPath value holds instead of a path (a Material* kind).
	Material string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(DisplayPath(e.Path))
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.Error())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Kind }

func newErr(kind error, detail string) error { return &Error{Kind: kind, Detail: detail} }
