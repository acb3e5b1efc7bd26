// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package keys loads the RSA private key that signs DocuSign JWT grant assertions,
// from PEM (PKCS#1 or PKCS#8), PKCS#12 or Java KeyStore data.
//
// DocuSign only accepts RS256 assertions, so anything other than an RSA key of at
// least 2048 bits is rejected here, before a token request fails with a vaguer error.
package keys

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Options carries the secrets and selector needed by keystore formats. PEM ignores it.
type Options struct {
	Password    string // PKCS#12 / JKS store password
	KeyPassword string // JKS key password; empty means the same as Password
	Alias       string // JKS alias, or PKCS#12 friendly name (optional)
	// Labels name the settings in error details, as the caller's users know them.
	Labels Labels
}

// Labels name the settings a person fixes after a failed load, in the caller's words (a
// configuration attribute, a command-line flag); an empty label takes a plain description.
type Labels struct {
	Password    string // default "the keystore password"
	KeyPassword string // default "the key password"
	Alias       string // default "the alias"
	PEMFile     string // where a PEM key file goes instead; default "a PEM key file"
}

func (l Labels) password() string    { return orLabel(l.Password, "the keystore password") }
func (l Labels) keyPassword() string { return orLabel(l.KeyPassword, "the key password") }
func (l Labels) alias() string       { return orLabel(l.Alias, "the alias") }
func (l Labels) pemFile() string     { return orLabel(l.PEMFile, "a PEM key file") }

func orLabel(label, plain string) string {
	if label == "" {
		return plain
	}
	return label
}

// Format is the container format recognised by Detect.
type Format string

const (
	FormatPEMPKCS1 Format = "pem-pkcs1"
	FormatPEMPKCS8 Format = "pem-pkcs8"
	FormatPKCS12   Format = "pkcs12"
	FormatJKS      Format = "jks"
)

// minRSABits is DocuSign's minimum key size for JWT grant.
const minRSABits = 2048

// maxFileSize bounds LoadFile so a mistaken path (a device, a log file) cannot make
// the provider read without end; real key files are a few kilobytes.
const maxFileSize = 1 << 20

var jksMagic = []byte{0xFE, 0xED, 0xFE, 0xED}

// Detect names the format of data from its content alone: file extensions are
// unreliable (.key, .pem, .pfx, .p12, .keystore are all used loosely).
// PEM data whose first private-key block is "RSA PRIVATE KEY" is pem-pkcs1; any other
// PEM (PKCS#8, EC, or certificates only) is reported as pem-pkcs8, the generic form, so
// that Load can still explain what it found. It returns "" when unrecognised.
func Detect(data []byte) Format {
	trimmed := trimText(data)
	switch {
	case bytes.HasPrefix(trimmed, []byte("-----BEGIN")):
		return detectPEM(trimmed)
	case bytes.HasPrefix(data, jksMagic):
		return FormatJKS
	case len(data) > 0 && data[0] == 0x30:
		return FormatPKCS12
	case bytes.Contains(data, []byte("-----BEGIN")):
		// "openssl pkcs12 -nodes" output starts with "Bag Attributes" text lines.
		return detectPEM(data)
	}
	return ""
}

// Load parses data in any supported format and returns the RSA private key in it.
func Load(data []byte, opts Options) (key *rsa.PrivateKey, err error) {
	// The parsing libraries were not written for hostile input; a panic deep inside
	// one must surface as a configuration error, not crash the provider.
	defer func() {
		if r := recover(); r != nil {
			key, err = nil, newErr(ErrCorrupt, "the key data could not be parsed (it is malformed)")
		}
	}()
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, newErr(ErrCorrupt, "the key data is empty")
	}
	switch Detect(data) {
	case FormatPEMPKCS1, FormatPEMPKCS8:
		return loadPEM(data)
	case FormatJKS:
		return loadJKS(data, opts)
	case FormatPKCS12:
		return loadPKCS12(data, opts)
	}
	if bytes.HasPrefix(data, []byte{0xCE, 0xCE, 0xCE, 0xCE}) {
		return nil, newErr(ErrCorrupt, "JCEKS keystores are not supported; convert it with "+
			"`keytool -importkeystore -srcstoretype JCEKS -deststoretype PKCS12` and use the .p12 file")
	}
	return nil, newErr(ErrCorrupt, "the data is not a PEM private key, a PKCS#12 (.p12/.pfx) file or a Java KeyStore (.jks)")
}

// LoadFile reads path and calls Load; errors carry the path so the user knows which
// file is at fault.
func LoadFile(path string, opts Options) (*rsa.PrivateKey, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	defer clear(data)
	key, err := Load(data, opts)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Material == "" {
			e.Path = path
		}
		return nil, err
	}
	return key, nil
}

func readFile(path string) ([]byte, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{Kind: ErrFileNotFound, Path: path,
				Detail: "no such file; check the path (a relative path is resolved from the current working directory)"}
		}
		return nil, &Error{Kind: ErrCorrupt, Path: path, Detail: "cannot open the file: " + pathErrReason(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, &Error{Kind: ErrCorrupt, Path: path, Detail: "cannot read the file: " + pathErrReason(err)}
	}
	if len(data) > maxFileSize {
		return nil, &Error{Kind: ErrCorrupt, Path: path, Detail: "the file is larger than 1 MiB, which no key file is; check the path"}
	}
	return data, nil
}

// pathErrReason drops the path that *fs.PathError repeats, since Error.Path has it.
func pathErrReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// trimText skips a UTF-8 byte order mark and leading whitespace, which editors and
// copy-paste into Terraform variables add in front of PEM text.
func trimText(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	return bytes.TrimLeft(data, " \t\r\n")
}

// asRSA turns a parsed private key into the RSA key DocuSign needs, or explains why
// it is not one. where names the source for the message ("the PEM block", ...).
func asRSA(key any, where string) (*rsa.PrivateKey, error) {
	rk, ok := key.(*rsa.PrivateKey)
	if !ok || rk == nil || rk.N == nil {
		return nil, notRSA(keyTypeName(key), where)
	}
	if bits := rk.N.BitLen(); bits < minRSABits {
		return nil, tooShort(bits)
	}
	return rk, nil
}

func notRSA(typeName, where string) error {
	return newErr(ErrNotRSA, fmt.Sprintf("%s holds %s private key, but DocuSign JWT grant needs an RSA key (RS256); "+
		"generate an RSA key pair for the integration key in DocuSign Apps and Keys", where, typeName))
}

func tooShort(bits int) error {
	return newErr(ErrKeyTooShort, fmt.Sprintf("the RSA key is %d bits, but DocuSign needs at least %d bits; "+
		"generate a new RSA key pair in DocuSign Apps and Keys", bits, minRSABits))
}

func keyTypeName(key any) string {
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		if k != nil && k.Curve != nil {
			return "an EC (" + k.Curve.Params().Name + ")"
		}
		return "an EC"
	case ed25519.PrivateKey:
		return "an Ed25519"
	case *ecdh.PrivateKey:
		if k != nil {
			return fmt.Sprintf("an ECDH (%v)", k.Curve())
		}
		return "an ECDH"
	case nil:
		return "no usable"
	default:
		return fmt.Sprintf("a %T", key)
	}
}
