// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"bytes"
	"crypto/rsa"
	"encoding/pem"
	"strings"
)

func detectPEM(data []byte) Format {
	for _, t := range pemTypes(data) {
		if strings.HasSuffix(t, "PRIVATE KEY") {
			if t == "RSA PRIVATE KEY" {
				return FormatPEMPKCS1
			}
			return FormatPEMPKCS8
		}
	}
	return FormatPEMPKCS8
}

// pemTypes lists the labels of the BEGIN lines without decoding any base64, so Detect
// stays cheap and works on incomplete PEM.
func pemTypes(data []byte) []string {
	const begin = "-----BEGIN "
	var types []string
	for {
		i := bytes.Index(data, []byte(begin))
		if i < 0 {
			return types
		}
		data = data[i+len(begin):]
		end := bytes.Index(data, []byte("-----"))
		if end < 0 {
			return types
		}
		types = append(types, string(data[:end]))
		data = data[end:]
	}
}

func loadPEM(data []byte) (*rsa.PrivateKey, error) {
	blocks := decodeAll(data)
	if len(blocks) == 0 && bytes.Contains(data, []byte(`\n`)) {
		// Keys passed through environment variables or JSON often arrive with
		// escaped newlines; undoing that is unambiguous for PEM.
		blocks = decodeAll(bytes.ReplaceAll(data, []byte(`\n`), []byte("\n")))
	}
	if len(blocks) == 0 {
		return nil, newErr(ErrCorrupt, "found a -----BEGIN line but no complete PEM block; "+
			"the text is truncated or the -----END line is missing or mistyped")
	}
	var sawCert, sawPub, sawCSR bool
	var others []string
	for _, b := range blocks {
		switch {
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			// Only the first private key counts: a second one would be ambiguous and
			// "key then cert" bundles put the key first anyway.
			return pemPrivateKey(b)
		case strings.HasSuffix(b.Type, "CERTIFICATE"):
			sawCert = true
		case strings.HasSuffix(b.Type, "PUBLIC KEY"):
			sawPub = true
		case strings.HasSuffix(b.Type, "CERTIFICATE REQUEST"):
			sawCSR = true
		default:
			others = append(others, b.Type)
		}
	}
	switch {
	case sawCert:
		return nil, newErr(ErrNoPrivateKey, "found a certificate, not a private key; use the private key "+
			"(-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----) of the RSA key pair registered with the integration key")
	case sawPub:
		return nil, newErr(ErrNoPrivateKey, "found a public key, not a private key; use the private key "+
			"DocuSign showed when the RSA key pair was generated (it is shown only once; generate a new pair if it is lost)")
	case sawCSR:
		return nil, newErr(ErrNoPrivateKey, "found a certificate request, not a private key")
	}
	return nil, newErr(ErrNoPrivateKey, "the PEM data has no private key block (found: "+strings.Join(others, ", ")+")")
}

func decodeAll(data []byte) []*pem.Block {
	var blocks []*pem.Block
	for {
		b, rest := pem.Decode(data)
		if b == nil {
			return blocks
		}
		blocks = append(blocks, b)
		data = rest
	}
}

func pemPrivateKey(b *pem.Block) (*rsa.PrivateKey, error) {
	if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, newErr(ErrEncryptedPEM, "the private key is protected by a passphrase, which is not read from PEM here; "+
			"decrypt it with `openssl pkcs8 -topk8 -nocrypt -in encrypted.key -out decrypted.key`, "+
			"or use a PKCS#12 (.p12) keystore and its password")
	}
	switch b.Type {
	case "OPENSSH PRIVATE KEY":
		return nil, newErr(ErrCorrupt, "the key is in OpenSSH format; convert a copy to PEM with "+
			"`ssh-keygen -p -m PEM -f copy_of_key` (an RSA key is still needed)")
	case "DSA PRIVATE KEY":
		return nil, notRSA("a DSA", "the PEM block")
	}
	return parsePrivateKeyDER(b.Bytes, "the PEM "+b.Type+" block")
}
