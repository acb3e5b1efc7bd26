// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
)

// parsePrivateKeyDER accepts PKCS#8 first (JKS and PKCS#12 store keys that way) and
// falls back to PKCS#1 and SEC 1, because tools mislabel PEM blocks and JKS files
// written by non-Java tools sometimes hold PKCS#1. where names the source in messages.
func parsePrivateKeyDER(der []byte, where string) (*rsa.PrivateKey, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return asRSA(k, where)
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return asRSA(k, where)
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return asRSA(k, where)
	}
	// The standard parsers refuse some keys outright (unknown algorithms, RSA keys the
	// crypto/rsa minimums reject); peek at the structure so the message says why.
	if alg, ok := pkcs8Algorithm(der); ok && !alg.Equal(oidRSAEncryption) {
		return nil, notRSA(algorithmName(alg), where)
	}
	if bits, ok := pkcs1Bits(der); ok && bits < minRSABits {
		return nil, tooShort(bits)
	}
	return nil, newErr(ErrCorrupt, where+" is not a readable PKCS#1 or PKCS#8 private key (the data is damaged or truncated)")
}

var (
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	algorithmNames   = map[string]string{
		"1.2.840.113549.1.1.10": "an RSASSA-PSS (PSS-only RSA, unusable for RS256)",
		"1.2.840.10045.2.1":     "an EC",
		"1.2.840.10040.4.1":     "a DSA",
		"1.3.101.110":           "an X25519",
		"1.3.101.111":           "an X448",
		"1.3.101.112":           "an Ed25519",
		"1.3.101.113":           "an Ed448",
	}
)

func algorithmName(oid asn1.ObjectIdentifier) string {
	if name, ok := algorithmNames[oid.String()]; ok {
		return name
	}
	return "a non-RSA (algorithm " + oid.String() + ")"
}

func pkcs8Algorithm(der []byte) (asn1.ObjectIdentifier, bool) {
	var info struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(der, &info); err != nil || len(info.Algo.Algorithm) == 0 {
		return nil, false
	}
	return info.Algo.Algorithm, true
}

func pkcs1Bits(der []byte) (int, bool) {
	var key struct {
		Version int
		N       *big.Int
		E       *big.Int
		D       *big.Int
	}
	if _, err := asn1.Unmarshal(der, &key); err != nil || key.N == nil || key.D == nil || key.N.Sign() <= 0 {
		return 0, false
	}
	return key.N.BitLen(), true
}
