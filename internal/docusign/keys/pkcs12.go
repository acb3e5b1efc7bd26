// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"software.sslmate.com/src/go-pkcs12"
)

// maxIterations caps the key-derivation rounds a PKCS#12 file may ask for. Tools use
// 2048 (openssl) to 10000 (Java); a damaged or hostile count in the billions would
// otherwise hang a load for minutes before failing.
const maxIterations = 5_000_000

func loadPKCS12(data []byte, opts Options) (*rsa.PrivateKey, error) {
	if !validDER(data) {
		return nil, newErr(ErrCorrupt, "the data starts like a PKCS#12 (.p12/.pfx) file but is truncated or damaged")
	}
	if err := checkIterations(data); err != nil {
		return nil, err
	}
	key, _, _, err := pkcs12.DecodeChain(data, opts.Password)
	if err != nil {
		if strings.Contains(err.Error(), "error reading P12 data") {
			if k, ok, derErr := loadDER(data); ok {
				return k, derErr
			}
		}
		return nil, pkcs12Error(data, opts, err)
	}
	rk, err := asRSA(key, "the PKCS#12 file")
	if err != nil {
		return nil, err
	}
	if opts.Alias != "" {
		if err := checkFriendlyName(data, opts); err != nil {
			return nil, err
		}
	}
	return rk, nil
}

// validDER reports whether data is exactly one DER element, so truncation is told
// apart from a wrong password before any key derivation runs.
func validDER(data []byte) bool {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(data, &v)
	return err == nil && len(rest) == 0
}

func pkcs12Error(data []byte, opts Options, err error) error {
	msg := err.Error()
	var notImpl pkcs12.NotImplementedError
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption),
		strings.Contains(msg, "incorrect padding"):
		return wrongStorePassword(opts, "PKCS#12 file")
	case strings.Contains(msg, "cannot be encoded in UCS-2"):
		return newErr(ErrWrongPassword, opts.Labels.password()+" contains characters a PKCS#12 password cannot hold (outside the Basic Multilingual Plane)")
	case strings.Contains(msg, "private key missing"):
		return noKeyInPKCS12()
	case strings.Contains(msg, "certificate missing"):
		// DocuSign's "Generate RSA" gives no certificate, so "-nocerts" exports happen;
		// the PKCS#12 library cannot return a key without one.
		return newErr(ErrCorrupt, "the PKCS#12 file has a private key but no certificate, and only "+
			"PKCS#12 files that have both can be read here; use the PEM private key directly ("+opts.Labels.pemFile()+"), or export again with a certificate: "+
			"`openssl req -new -x509 -key key.pem -out cert.pem -subj /CN=docusign` then "+
			"`openssl pkcs12 -export -inkey key.pem -in cert.pem -out docusign.p12`")
	case strings.Contains(msg, "expected exactly one key bag"):
		return newErr(ErrCorrupt, "the PKCS#12 file holds more than one private key, which cannot be chosen between here; "+
			"export only the key registered with DocuSign, or use a Java KeyStore and "+opts.Labels.alias())
	case errors.As(err, &notImpl):
		return newErr(ErrCorrupt, "the PKCS#12 file uses a feature not read here ("+strings.TrimPrefix(msg, "pkcs12: ")+
			"); export it again with `openssl pkcs12 -export`")
	}
	// A trust store holds only certificates in a layout DecodeChain rejects outright.
	if _, tsErr := pkcs12.DecodeTrustStore(data, opts.Password); tsErr == nil {
		return noKeyInPKCS12()
	}
	return newErr(ErrCorrupt, "the PKCS#12 file could not be read; it is damaged or not a PKCS#12 file")
}

func noKeyInPKCS12() error {
	return newErr(ErrNoPrivateKey, "found a certificate, not a private key: the PKCS#12 file holds only certificates; "+
		"export it again including the private key (`openssl pkcs12 -export -inkey key.pem -in cert.pem -out docusign.p12`)")
}

// loadDER handles a bare DER key or certificate: it starts with a SEQUENCE just like
// PKCS#12, and people do save "openssl rsa -outform DER" output as key files.
// ok is false when data is not recognisably either.
func loadDER(data []byte) (key *rsa.PrivateKey, ok bool, err error) {
	if _, err := x509.ParseCertificate(data); err == nil {
		return nil, true, newErr(ErrNoPrivateKey, "found a certificate (DER), not a private key")
	}
	if _, err := x509.ParsePKIXPublicKey(data); err == nil {
		return nil, true, newErr(ErrNoPrivateKey, "found a public key (DER), not a private key")
	}
	key, err = parsePrivateKeyDER(data, "the DER data")
	if errors.Is(err, ErrCorrupt) {
		return nil, false, nil
	}
	return key, true, err
}

func wrongStorePassword(opts Options, what string) error {
	if opts.Password == "" {
		return newErr(ErrWrongPassword, "the "+what+" is password-protected; set "+opts.Labels.password())
	}
	return newErr(ErrWrongPassword, opts.Labels.password()+" does not open the "+what)
}

// checkFriendlyName verifies an optional alias against the key's friendly name. The name is a
// bag attribute, which the PKCS#12 library exposes only through its deprecated ToPEM; it is read
// here from the file's structure instead. Key bags inside an encrypted part, and files this
// reading does not follow, leave the alias unchecked rather than failing a usable key.
func checkFriendlyName(data []byte, opts Options) error {
	names := keyFriendlyNames(data)
	for _, name := range names {
		if strings.EqualFold(name, opts.Alias) {
			return nil
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	return newErr(ErrAliasNotFound, opts.Labels.alias()+" "+strconv.Quote(opts.Alias)+" does not name the key in the PKCS#12 file; "+
		"its key is named: "+strings.Join(names, ", ")+" (set "+opts.Labels.alias()+" to that or leave it empty)")
}

var (
	oidData               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidKeyBag             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidFriendlyNameAttrib = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 20}
)

// PKCS#12 structures (RFC 7292), as far as the friendly names of key bags.
type (
	pfx struct {
		Version  int
		AuthSafe contentInfo
		MacData  asn1.RawValue `asn1:"optional"`
	}
	contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
	}
	safeBag struct {
		ID         asn1.ObjectIdentifier
		Value      asn1.RawValue     `asn1:"tag:0,explicit"`
		Attributes []pkcs12Attribute `asn1:"set,optional"`
	}
	pkcs12Attribute struct {
		ID     asn1.ObjectIdentifier
		Values asn1.RawValue `asn1:"set"`
	}
)

// keyFriendlyNames lists the friendly names of the key bags in the file's unencrypted parts.
func keyFriendlyNames(data []byte) []string {
	var p pfx
	if _, err := asn1.Unmarshal(data, &p); err != nil || !p.AuthSafe.ContentType.Equal(oidData) {
		return nil
	}
	var authSafe []byte
	if _, err := asn1.Unmarshal(p.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil
	}
	var parts []contentInfo
	if _, err := asn1.Unmarshal(authSafe, &parts); err != nil {
		return nil
	}
	var names []string
	for _, part := range parts {
		if !part.ContentType.Equal(oidData) {
			continue // encrypted: its bags cannot be read without the password's key
		}
		var contents []byte
		if _, err := asn1.Unmarshal(part.Content.Bytes, &contents); err != nil {
			continue
		}
		var bags []safeBag
		if _, err := asn1.Unmarshal(contents, &bags); err != nil {
			continue
		}
		for _, bag := range bags {
			if !bag.ID.Equal(oidKeyBag) && !bag.ID.Equal(oidShroudedKeyBag) {
				continue
			}
			for _, attr := range bag.Attributes {
				if !attr.ID.Equal(oidFriendlyNameAttrib) {
					continue
				}
				var value asn1.RawValue
				if _, err := asn1.Unmarshal(attr.Values.Bytes, &value); err == nil && value.Tag == asn1.TagBMPString {
					names = append(names, decodeBMP(value.Bytes))
				}
			}
		}
	}
	return names
}

// decodeBMP reads an ASN.1 BMPString: UTF-16, big-endian.
func decodeBMP(b []byte) string {
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		units = append(units, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(units))
}

// checkIterations walks the DER tree looking for the "salt OCTET STRING, iterations
// INTEGER" pairs used by PKCS#12 MAC and PBE parameters. Counts hidden inside
// encrypted parts are covered by the MAC, which the library checks first, so only
// the visible ones can be damaged; any other structure of the same shape merely has
// to hold a number below the cap.
func checkIterations(data []byte) error {
	if !iterationsOK(data, 0) {
		return newErr(ErrCorrupt, "the PKCS#12 file asks for an unreasonable number of key-derivation iterations; it is damaged or not made by a standard tool")
	}
	return nil
}

func iterationsOK(data []byte, depth int) bool {
	if depth > 24 {
		return true
	}
	prevOctet := false
	for len(data) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(data, &v)
		if err != nil {
			return true
		}
		data = rest
		switch {
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagInteger && prevOctet:
			n := new(big.Int).SetBytes(v.Bytes)
			if len(v.Bytes) > 8 || n.Cmp(big.NewInt(maxIterations)) > 0 {
				return false
			}
		case v.IsCompound:
			if !iterationsOK(v.Bytes, depth+1) {
				return false
			}
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString && len(v.Bytes) > 0 && v.Bytes[0] == 0x30:
			if !iterationsOK(v.Bytes, depth+1) {
				return false
			}
		}
		prevOctet = v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString
	}
	return true
}
