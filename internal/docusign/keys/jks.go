// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"bytes"
	"crypto/rsa"
	"encoding/binary"
	"sort"
	"strconv"
	"strings"

	keystore "github.com/pavlo-v-chernykh/keystore-go/v4"
)

func loadJKS(data []byte, opts Options) (*rsa.PrivateKey, error) {
	// The keystore library allocates whatever lengths the file claims before reading
	// them; checking them against the real size first keeps a damaged file from
	// asking for gigabytes.
	if err := scanJKS(data); err != nil {
		return nil, err
	}
	storePass, ok := jksPassword(opts.Password)
	if !ok {
		return nil, newErr(ErrWrongPassword, opts.Labels.password()+" has characters beyond Latin-1, which JKS passwords cannot be read with here; "+
			"convert the keystore to PKCS#12 with `keytool -importkeystore -deststoretype PKCS12`")
	}
	defer clear(storePass)

	// Case-exact lookups against the aliases as stored: keytool lowercases JKS
	// aliases, but other writers may not, and matching is done case-insensitively below.
	ks := keystore.New(keystore.WithCaseExactAliases())
	if err := ks.Load(bytes.NewReader(data), storePass); err != nil {
		// The store password only feeds the integrity digest, so a digest mismatch on a
		// structurally sound file is the wrong-password signal.
		if strings.Contains(err.Error(), "invalid digest") {
			return nil, wrongStorePassword(opts, "Java KeyStore")
		}
		return nil, newErr(ErrCorrupt, "the Java KeyStore is damaged or truncated")
	}

	alias, err := chooseAlias(ks, opts.Alias, opts.Labels)
	if err != nil {
		return nil, err
	}

	keyPassStr := opts.KeyPassword
	if keyPassStr == "" {
		keyPassStr = opts.Password
	}
	keyPass, ok := jksPassword(keyPassStr)
	if !ok {
		return nil, newErr(ErrWrongKeyPassword, opts.Labels.keyPassword()+" has characters beyond Latin-1, which JKS passwords cannot be read with here")
	}
	defer clear(keyPass)
	entry, err := ks.GetPrivateKeyEntry(alias, keyPass)
	if err != nil {
		if strings.Contains(err.Error(), "invalid digest") {
			if opts.KeyPassword == "" {
				return nil, newErr(ErrWrongKeyPassword, "the key "+strconv.Quote(alias)+
					" has its own password, different from the keystore password; set "+opts.Labels.keyPassword())
			}
			return nil, newErr(ErrWrongKeyPassword, opts.Labels.keyPassword()+" does not unlock the key "+strconv.Quote(alias)+
				" (the keystore password is right)")
		}
		return nil, newErr(ErrCorrupt, "the key "+strconv.Quote(alias)+" in the Java KeyStore cannot be decrypted; "+
			"it is damaged or protected with an algorithm not read here")
	}
	defer clear(entry.PrivateKey)
	return parsePrivateKeyDER(entry.PrivateKey, "the Java KeyStore entry "+strconv.Quote(alias))
}

func chooseAlias(ks keystore.KeyStore, want string, labels Labels) (string, error) {
	all := ks.Aliases()
	sort.Strings(all)
	var private []string
	for _, a := range all {
		if ks.IsPrivateKeyEntry(a) {
			private = append(private, a)
		}
	}
	if len(all) == 0 {
		return "", newErr(ErrNoPrivateKey, "the Java KeyStore is empty")
	}
	if want != "" {
		for _, a := range all {
			if !strings.EqualFold(a, want) {
				continue
			}
			switch {
			case ks.IsPrivateKeyEntry(a):
				return a, nil
			case len(private) == 0:
				return "", newErr(ErrNoPrivateKey, "found a certificate, not a private key: alias "+strconv.Quote(a)+
					" is a trusted certificate and the Java KeyStore has no private key entries")
			default:
				return "", newErr(ErrAliasNotFound, "alias "+strconv.Quote(a)+" holds a certificate, not a private key; "+
					"private key aliases in the keystore: "+strings.Join(private, ", "))
			}
		}
		return "", newErr(ErrAliasNotFound, labels.alias()+" "+strconv.Quote(want)+" is not in the Java KeyStore; "+
			"aliases present: "+strings.Join(all, ", "))
	}
	switch len(private) {
	case 0:
		return "", newErr(ErrNoPrivateKey, "found a certificate, not a private key: the Java KeyStore holds only trusted certificates (aliases: "+
			strings.Join(all, ", ")+")")
	case 1:
		return private[0], nil
	}
	return "", newErr(ErrAmbiguousAlias, "the Java KeyStore has "+strconv.Itoa(len(private))+" private keys ("+
		strings.Join(private, ", ")+"); set "+labels.alias()+" to the one registered with DocuSign")
}

// jksPassword encodes a password the way the keystore library expects: it widens each
// byte to a UTF-16 unit, so Latin-1 bytes give Java's encoding and UTF-8 would not.
func jksPassword(s string) ([]byte, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			clear(b)
			return nil, false
		}
		b = append(b, byte(r))
	}
	return b, true
}

// scanJKS walks the JKS layout (magic, version, entries, 20-byte digest) checking every
// length against the bytes actually present.
func scanJKS(data []byte) error {
	r := jksReader{data: data}
	r.skip(4) // magic, checked by Detect
	version := r.u32()
	if !r.ok {
		return jksTruncated()
	}
	if version != 1 && version != 2 {
		return newErr(ErrCorrupt, "the Java KeyStore has unknown version "+strconv.FormatUint(uint64(version), 10))
	}
	count := r.u32()
	for i := uint32(0); r.ok && i < count; i++ {
		tag := r.u32()
		r.skip(int(r.u16())) // alias
		r.skip(8)            // creation time
		switch {
		case !r.ok:
		case tag == 1:
			r.skip(int(r.u32())) // encrypted key
			certs := r.u32()
			if uint64(certs) > uint64(r.remaining()/4) {
				r.ok = false
			}
			for j := uint32(0); r.ok && j < certs; j++ {
				r.cert(version)
			}
		case tag == 2:
			r.cert(version)
		default:
			return newErr(ErrCorrupt, "the Java KeyStore has an entry of unknown type; it is damaged")
		}
	}
	r.skip(20) // SHA-1 digest
	if !r.ok {
		return jksTruncated()
	}
	return nil
}

func jksTruncated() error {
	return newErr(ErrCorrupt, "the Java KeyStore is truncated or damaged")
}

type jksReader struct {
	data []byte
	ok   bool
	init bool
}

func (r *jksReader) remaining() int { return len(r.data) }

func (r *jksReader) take(n int) []byte {
	if !r.init {
		r.ok, r.init = true, true
	}
	if !r.ok || n < 0 || n > len(r.data) {
		r.ok = false
		return nil
	}
	b := r.data[:n]
	r.data = r.data[n:]
	return b
}

func (r *jksReader) skip(n int) { r.take(n) }

func (r *jksReader) u16() uint16 {
	if b := r.take(2); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

func (r *jksReader) u32() uint32 {
	if b := r.take(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

func (r *jksReader) cert(version uint32) {
	if version == 2 {
		r.skip(int(r.u16())) // certificate type, "X.509"
	}
	r.skip(int(r.u32()))
}
