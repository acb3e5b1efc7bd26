// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	storePass = "changeit"
	keyPass   = "keypass123"
)

var sentinels = []error{
	ErrWrongPassword, ErrWrongKeyPassword, ErrNoPrivateKey, ErrAliasNotFound, ErrAmbiguousAlias,
	ErrNotRSA, ErrKeyTooShort, ErrCorrupt, ErrEncryptedPEM, ErrFileNotFound, ErrKeyMaterialInPath,
}

func td(name string) string { return filepath.Join("..", "..", "..", "testdata", "keys", name) }

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(td(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readLocal(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pemBody returns the DER inside the first PEM block of a test file.
func pemBody(t testing.TB, name string) []byte {
	t.Helper()
	b, _ := pem.Decode(read(t, name))
	if b == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	return b.Bytes
}

func pemText(typ string, headers map[string]string, body []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Headers: headers, Bytes: body})
}

// matchingSentinels lists the sentinels err matches; exactly one is expected.
func matchingSentinels(err error) []error {
	var got []error
	for _, s := range sentinels {
		if errors.Is(err, s) {
			got = append(got, s)
		}
	}
	return got
}

type loadCase struct {
	name    string
	file    string // testdata/keys file, loaded with LoadFile
	data    []byte // used when file is empty, loaded with Load
	opts    Options
	wantErr error    // nil: success expected
	want    []string // substrings of the error message
}

func loadCases(t testing.TB) []loadCase {
	pkcs1 := read(t, "rsa2048.pkcs1.key")
	pkcs8 := read(t, "rsa2048.pkcs8.key")
	cert := read(t, "rsa2048.cert.pem")
	half := pkcs1[:len(pkcs1)/2]

	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edDER, err := x509.MarshalPKCS8PrivateKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	// A structurally valid PKCS#1 key of 512 bits: crypto/rsa refuses to parse keys
	// this small, so this exercises the size hint rather than the parser.
	n512 := new(big.Int).Lsh(big.NewInt(1), 511)
	n512.Add(n512, big.NewInt(12345))
	tiny, err := asn1.Marshal(struct {
		Version         int
		N               *big.Int
		E               int
		D, P, Q, Dp, Dq *big.Int
		Qinv            *big.Int
	}{0, n512, 65537, big.NewInt(3), big.NewInt(5), big.NewInt(7), big.NewInt(11), big.NewInt(13), big.NewInt(17)})
	if err != nil {
		t.Fatal(err)
	}

	p := Options{Password: storePass}
	return []loadCase{
		// Formats that must work.
		{name: "pem pkcs1", file: "rsa2048.pkcs1.key"},
		{name: "pem pkcs8", file: "rsa2048.pkcs8.key"},
		{name: "pem ignores options", file: "rsa2048.pkcs8.key", opts: Options{Password: "whatever", Alias: "x"}},
		{name: "pem cert then key", data: append(append([]byte{}, cert...), pkcs1...)},
		{name: "pem with bom and indentation", data: append([]byte("\xEF\xBB\xBF  \n"), pkcs8...)},
		{name: "pem after openssl bag attributes", data: append([]byte("Bag Attributes\n    friendlyName: docusign\nsubject=/CN=x\n"), pkcs8...)},
		{name: "pem with escaped newlines", data: bytes.ReplaceAll(pkcs1, []byte("\n"), []byte(`\n`))},
		{name: "pem with crlf", data: bytes.ReplaceAll(pkcs1, []byte("\n"), []byte("\r\n"))},
		{name: "der pkcs1", data: pemBody(t, "rsa2048.pkcs1.key")},
		{name: "der pkcs8", data: pemBody(t, "rsa2048.pkcs8.key")},
		{name: "pkcs12", file: "rsa2048.p12", opts: p},
		{name: "pkcs12 friendly name", file: "rsa2048.p12", opts: Options{Password: storePass, Alias: "DocuSign"}},
		{name: "pkcs12 unregistered", file: "unregistered.p12", opts: p},
		{name: "jks", file: "rsa2048.jks", opts: p},
		{name: "jks alias any case", file: "rsa2048.jks", opts: Options{Password: storePass, Alias: "DOCUSIGN"}},
		{name: "jks key password", file: "rsa2048-keypass.jks", opts: Options{Password: storePass, KeyPassword: keyPass}},
		{name: "jks two aliases pick docusign", file: "two-aliases.jks", opts: Options{Password: storePass, Alias: "docusign"}},
		{name: "jks two aliases pick other", file: "two-aliases.jks", opts: Options{Password: storePass, Alias: "other"}},

		// ErrWrongPassword
		{name: "pkcs12 wrong password", file: "rsa2048.p12", opts: Options{Password: "wrong"}, wantErr: ErrWrongPassword,
			want: []string{"the keystore password does not open the PKCS#12"}},
		{name: "pkcs12 no password", file: "rsa2048.p12", wantErr: ErrWrongPassword, want: []string{"set the keystore password"}},
		{name: "pkcs12 cert-only wrong password", file: "cert-only.p12", opts: Options{Password: "wrong"}, wantErr: ErrWrongPassword},
		{name: "jks wrong password", file: "rsa2048.jks", opts: Options{Password: "wrong"}, wantErr: ErrWrongPassword,
			want: []string{"the keystore password does not open the Java KeyStore"}},
		{name: "jks no password", file: "rsa2048.jks", wantErr: ErrWrongPassword, want: []string{"set the keystore password"}},
		{name: "jks keypass wrong store password", file: "rsa2048-keypass.jks", opts: Options{Password: keyPass, KeyPassword: keyPass},
			wantErr: ErrWrongPassword},

		{name: "pkcs12 password outside UCS-2", file: "rsa2048.p12", opts: Options{Password: "pass\U0001F511"}, wantErr: ErrWrongPassword,
			want: []string{"the keystore password contains characters"}},
		{name: "jks password outside latin-1", file: "rsa2048.jks", opts: Options{Password: "\u5bc6\u7801"}, wantErr: ErrWrongPassword,
			want: []string{"Latin-1"}},
		{name: "jks latin-1 password", file: "rsa2048.jks", opts: Options{Password: "p\u00e4ss"}, wantErr: ErrWrongPassword,
			want: []string{"does not open"}},

		// ErrWrongKeyPassword
		{name: "jks key password outside latin-1", file: "rsa2048-keypass.jks", opts: Options{Password: storePass, KeyPassword: "\u5bc6"},
			wantErr: ErrWrongKeyPassword},
		{name: "jks key password missing", file: "rsa2048-keypass.jks", opts: p, wantErr: ErrWrongKeyPassword,
			want: []string{"set the key password", `"docusign"`}},
		{name: "jks key password wrong", file: "rsa2048-keypass.jks", opts: Options{Password: storePass, KeyPassword: "nope"},
			wantErr: ErrWrongKeyPassword, want: []string{"the key password does not unlock"}},

		// ErrNoPrivateKey
		{name: "pem certificate", file: "rsa2048.cert.pem", wantErr: ErrNoPrivateKey, want: []string{"found a certificate, not a private key"}},
		{name: "pem public key", file: "rsa2048.pub.pem", wantErr: ErrNoPrivateKey, want: []string{"found a public key, not a private key"}},
		{name: "der certificate", data: pemBody(t, "rsa2048.cert.pem"), wantErr: ErrNoPrivateKey, want: []string{"found a certificate"}},
		{name: "pkcs12 cert only", file: "cert-only.p12", opts: p, wantErr: ErrNoPrivateKey, want: []string{"found a certificate, not a private key"}},
		{name: "jks cert only", file: "cert-only.jks", opts: p, wantErr: ErrNoPrivateKey,
			want: []string{"found a certificate, not a private key", "trusted"}},
		{name: "jks cert only by alias", file: "cert-only.jks", opts: Options{Password: storePass, Alias: "trusted"}, wantErr: ErrNoPrivateKey,
			want: []string{"found a certificate, not a private key"}},

		// ErrAliasNotFound
		{name: "jks alias missing", file: "rsa2048.jks", opts: Options{Password: storePass, Alias: "missing"}, wantErr: ErrAliasNotFound,
			want: []string{`"missing"`, "aliases present: docusign"}},
		{name: "jks two aliases missing", file: "two-aliases.jks", opts: Options{Password: storePass, Alias: "missing"}, wantErr: ErrAliasNotFound,
			want: []string{"aliases present: docusign, other"}},
		{name: "pkcs12 friendly name mismatch", file: "rsa2048.p12", opts: Options{Password: storePass, Alias: "other"}, wantErr: ErrAliasNotFound,
			want: []string{`"other"`, "named: docusign"}},

		// ErrAmbiguousAlias
		{name: "jks two aliases no alias", file: "two-aliases.jks", opts: p, wantErr: ErrAmbiguousAlias,
			want: []string{"2 private keys (docusign, other)", "set the alias"}},

		// ErrNotRSA
		{name: "pem ec sec1", file: "ec.key", wantErr: ErrNotRSA, want: []string{"EC (P-256)", "RSA"}},
		{name: "pem ec pkcs8", file: "ec.pkcs8.key", wantErr: ErrNotRSA, want: []string{"EC (P-256)"}},
		{name: "pkcs12 ec", file: "ec.p12", opts: p, wantErr: ErrNotRSA, want: []string{"EC (P-256)"}},
		{name: "jks ec", file: "ec.jks", opts: p, wantErr: ErrNotRSA, want: []string{"EC (P-256)", `"ec"`}},
		{name: "pem ed25519", data: pemText("PRIVATE KEY", nil, edDER), wantErr: ErrNotRSA, want: []string{"Ed25519"}},
		{name: "pem dsa", data: pemText("DSA PRIVATE KEY", nil, []byte{0x30, 0}), wantErr: ErrNotRSA, want: []string{"DSA"}},
		{name: "pem ec first of two keys", data: append(read(t, "ec.key"), pkcs1...), wantErr: ErrNotRSA},

		// ErrKeyTooShort
		{name: "pem rsa1024", file: "rsa1024.pkcs1.key", wantErr: ErrKeyTooShort, want: []string{"1024 bits", "2048"}},
		{name: "pem rsa512 refused by parser", data: pemText("RSA PRIVATE KEY", nil, tiny), wantErr: ErrKeyTooShort, want: []string{"512 bits"}},

		// ErrCorrupt
		{name: "jks truncated", file: "corrupt.jks", opts: p, wantErr: ErrCorrupt, want: []string{"Java KeyStore", "truncated"}},
		{name: "pkcs12 truncated", file: "corrupt.p12", opts: p, wantErr: ErrCorrupt, want: []string{"PKCS#12", "truncated"}},
		{name: "random bytes", file: "corrupt.bin", opts: p, wantErr: ErrCorrupt, want: []string{"not a PEM private key, a PKCS#12"}},
		{name: "shell script", file: "generate.sh", wantErr: ErrCorrupt},
		// testdata/key-only.p12: openssl pkcs12 -export -nocerts -inkey rsa2048.pkcs1.key -name docusign -passout pass:changeit
		{name: "pkcs12 key without certificate", data: readLocal(t, "key-only.p12"), opts: p, wantErr: ErrCorrupt,
			want: []string{"no certificate", "use the PEM private key directly (a PEM key file)", "openssl pkcs12 -export"}},
		{name: "pkcs12 key without certificate wrong password", data: readLocal(t, "key-only.p12"), opts: Options{Password: "x"},
			wantErr: ErrWrongPassword},
		{name: "empty", data: []byte{}, wantErr: ErrCorrupt, want: []string{"empty"}},
		{name: "whitespace", data: []byte(" \n\t"), wantErr: ErrCorrupt, want: []string{"empty"}},
		{name: "pem truncated", data: half, wantErr: ErrCorrupt, want: []string{"-----END"}},
		{name: "pem garbage body", data: pemText("PRIVATE KEY", nil, []byte("not a key at all")), wantErr: ErrCorrupt,
			want: []string{"PRIVATE KEY block"}},
		{name: "pem openssh", data: pemText("OPENSSH PRIVATE KEY", nil, []byte("openssh-key-v1\x00")), wantErr: ErrCorrupt,
			want: []string{"ssh-keygen"}},
		{name: "jceks", data: append([]byte{0xCE, 0xCE, 0xCE, 0xCE}, make([]byte, 40)...), wantErr: ErrCorrupt, want: []string{"JCEKS"}},
		{name: "jks absurd entry count", data: []byte{0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0}, opts: p,
			wantErr: ErrCorrupt},
		{name: "jks absurd key length", data: append([]byte{0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 'a',
			0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF}, make([]byte, 30)...), opts: p, wantErr: ErrCorrupt},

		// ErrEncryptedPEM
		{name: "pem pkcs8 encrypted", data: pemText("ENCRYPTED PRIVATE KEY", nil, []byte{0x30, 0}), wantErr: ErrEncryptedPEM,
			want: []string{"openssl pkcs8 -topk8 -nocrypt", ".p12"}},
		{name: "pem legacy encrypted", data: pemText("RSA PRIVATE KEY", map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00112233445566778899AABBCCDDEEFF"},
			[]byte{1, 2, 3}), wantErr: ErrEncryptedPEM, want: []string{"openssl pkcs8 -topk8 -nocrypt"}},

		// ErrFileNotFound
		{name: "missing file", file: "nope.pem", wantErr: ErrFileNotFound, want: []string{"nope.pem", "no such file"}},
	}
}

func TestLoad(t *testing.T) {
	for _, tc := range loadCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			var (
				key *rsa.PrivateKey
				err error
			)
			if tc.file != "" {
				key, err = LoadFile(td(tc.file), tc.opts)
			} else {
				key, err = Load(tc.data, tc.opts)
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if key == nil || key.N.BitLen() < 2048 {
					t.Fatalf("got key %v", key)
				}
				return
			}
			if err == nil {
				t.Fatalf("want %v, got a key", tc.wantErr)
			}
			if key != nil {
				t.Errorf("got a key alongside error %v", err)
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("want errors.Is(err, %v); got %v", tc.wantErr, err)
			}
			if got := matchingSentinels(err); len(got) != 1 {
				t.Errorf("error matches %d sentinels %v, want exactly one", len(got), got)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error is %T, want *Error", err)
			}
			if tc.file != "" && !strings.Contains(err.Error(), tc.file) {
				t.Errorf("LoadFile error %q does not name the file", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestAllFormatsGiveTheSameKey(t *testing.T) {
	want := pemBody(t, "rsa2048.pkcs1.key")
	ref, err := x509.ParsePKCS1PrivateKey(want)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]Options{
		"rsa2048.pkcs1.key":   {},
		"rsa2048.pkcs8.key":   {},
		"rsa2048.p12":         {Password: storePass},
		"rsa2048.jks":         {Password: storePass},
		"rsa2048-keypass.jks": {Password: storePass, KeyPassword: keyPass},
		"two-aliases.jks":     {Password: storePass, Alias: "docusign"},
	}
	for file, opts := range sources {
		key, err := LoadFile(td(file), opts)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if key.N.Cmp(ref.N) != 0 || key.D.Cmp(ref.D) != 0 {
			t.Errorf("%s: different key from rsa2048.pkcs1.key", file)
		}
	}
	// The published halves must match too, or the fixtures are out of sync.
	pub, err := x509.ParsePKIXPublicKey(pemBody(t, "rsa2048.pub.pem"))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(pemBody(t, "rsa2048.cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if !ref.PublicKey.Equal(pub) || !ref.PublicKey.Equal(cert.PublicKey) {
		t.Error("rsa2048.pub.pem or rsa2048.cert.pem do not match rsa2048.pkcs1.key")
	}
	other, err := LoadFile(td("two-aliases.jks"), Options{Password: storePass, Alias: "other"})
	if err != nil {
		t.Fatal(err)
	}
	unreg, err := LoadFile(td("unregistered.pkcs1.key"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if other.N.Cmp(unreg.N) != 0 || other.N.Cmp(ref.N) == 0 {
		t.Error(`alias "other" in two-aliases.jks should be the unregistered key`)
	}
}

func TestDetect(t *testing.T) {
	cases := map[string]Format{
		"rsa2048.pkcs1.key":   FormatPEMPKCS1,
		"rsa1024.pkcs1.key":   FormatPEMPKCS1,
		"rsa2048.pkcs8.key":   FormatPEMPKCS8,
		"ec.pkcs8.key":        FormatPEMPKCS8,
		"ec.key":              FormatPEMPKCS8,
		"rsa2048.cert.pem":    FormatPEMPKCS8,
		"rsa2048.pub.pem":     FormatPEMPKCS8,
		"rsa2048.p12":         FormatPKCS12,
		"cert-only.p12":       FormatPKCS12,
		"corrupt.p12":         FormatPKCS12,
		"rsa2048.jks":         FormatJKS,
		"rsa2048-keypass.jks": FormatJKS,
		"corrupt.jks":         FormatJKS,
		"generate.sh":         "",
	}
	for file, want := range cases {
		if got := Detect(read(t, file)); got != want {
			t.Errorf("Detect(%s) = %q, want %q", file, got, want)
		}
	}
	cert := read(t, "rsa2048.cert.pem")
	key := read(t, "rsa2048.pkcs1.key")
	if got := Detect(append(append([]byte{}, cert...), key...)); got != FormatPEMPKCS1 {
		t.Errorf("cert+pkcs1 bundle: Detect = %q, want %q", got, FormatPEMPKCS1)
	}
	for _, data := range [][]byte{nil, {}, []byte("hello"), {0xCE, 0xCE, 0xCE, 0xCE}} {
		if got := Detect(data); got != "" {
			t.Errorf("Detect(%q) = %q, want empty", data, got)
		}
	}
	// corrupt.bin is random: it is only guaranteed not to be mistaken for PEM or JKS.
	if got := Detect(read(t, "corrupt.bin")); got == FormatJKS || got == FormatPEMPKCS1 || got == FormatPEMPKCS8 {
		t.Errorf("Detect(corrupt.bin) = %q", got)
	}
}

// TestErrorsHideSecrets loads every test file with the real and wrong passwords and
// checks no message echoes a password or a line of key material.
func TestErrorsHideSecrets(t *testing.T) {
	files, err := filepath.Glob(td("*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	var keyLines []string
	for _, f := range []string{"rsa2048.pkcs1.key", "rsa2048.pkcs8.key", "ec.key", "rsa1024.pkcs1.key"} {
		for _, l := range strings.Split(string(read(t, f)), "\n") {
			if len(l) > 20 && !strings.HasPrefix(l, "-----") {
				keyLines = append(keyLines, l)
			}
		}
	}
	optSets := []Options{
		{Password: storePass},
		{Password: storePass, KeyPassword: keyPass},
		{Password: keyPass, KeyPassword: storePass},
		{Password: storePass, KeyPassword: keyPass, Alias: "missing"},
		{Password: "wrong-" + storePass, KeyPassword: "wrong-" + keyPass},
	}
	check := func(what string, err error) {
		if err == nil {
			return
		}
		msg := err.Error()
		for _, secret := range []string{storePass, keyPass} {
			if strings.Contains(msg, secret) {
				t.Errorf("%s: error contains a password: %q", what, msg)
			}
		}
		for _, l := range keyLines {
			if strings.Contains(msg, l[:20]) {
				t.Errorf("%s: error contains key material: %q", what, msg)
			}
		}
	}
	for _, f := range files {
		for _, o := range optSets {
			_, err := LoadFile(f, o)
			check(filepath.Base(f), err)
		}
	}
	for _, tc := range loadCases(t) {
		if tc.data != nil {
			_, err := Load(tc.data, Options{Password: storePass, KeyPassword: keyPass})
			check(tc.name, err)
		}
	}
}

func TestLoadFileUnreadable(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadFile(dir, Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), dir) {
		t.Errorf("directory: got %v", err)
	}
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, maxFileSize+10), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(big, Options{}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "1 MiB") {
		t.Errorf("big file: got %v", err)
	}
}

func TestPKCS12IterationCap(t *testing.T) {
	data := read(t, "rsa2048.p12")
	// The MAC iteration count (2048 = 02 02 08 00) is the last element of the file.
	tail := []byte{0x02, 0x02, 0x08, 0x00}
	if !bytes.HasSuffix(data, tail) {
		t.Skip("rsa2048.p12 does not end with the expected MAC iteration count")
	}
	if !iterationsOK(data, 0) {
		t.Fatal("real file rejected")
	}
	patched := append(append([]byte{}, data[:len(data)-2]...), 0x7F, 0xFF) // 32767: still fine
	if !iterationsOK(patched, 0) {
		t.Error("32767 iterations rejected")
	}
	huge := []byte{0x30, 0x0D, 0x04, 0x04, 1, 2, 3, 4, 0x02, 0x05, 0x00, 0xFF, 0xFF, 0xFF, 0xFF}
	if iterationsOK(huge, 0) {
		t.Error("2^32-1 iterations accepted")
	}
}

func FuzzLoad(f *testing.F) {
	files, err := filepath.Glob(td("*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "key-only.p12")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"-----BEGIN",
		"-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
		"\xFE\xED\xFE\xED",
		"\xFE\xED\xFE\xED\x00\x00\x00\x02\xFF\xFF\xFF\xFF",
		"\x30\x80",
		"\x30\x03\x02\x01\x03",
	} {
		f.Add([]byte(s))
	}
	opts := Options{Password: storePass}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = Detect(data)
		key, err := Load(data, opts)
		if err == nil {
			if key == nil || key.N.BitLen() < minRSABits {
				t.Fatalf("nil error with key %v", key)
			}
			return
		}
		if key != nil {
			t.Fatalf("key returned with error %v", err)
		}
		if got := matchingSentinels(err); len(got) != 1 {
			t.Fatalf("error %q matches %d sentinels", err, len(got))
		}
		if strings.Contains(err.Error(), storePass) {
			t.Fatalf("error contains the password: %q", err)
		}
	})
}

// TestLabelsNameTheSettingsToFix: a caller's own names for the settings appear in the details,
// so a person reads the name they configure.
func TestLabelsNameTheSettingsToFix(t *testing.T) {
	labels := Labels{Password: "--store-pass", KeyPassword: "--key-pass", Alias: "--alias", PEMFile: "--pem"}
	cases := []struct {
		file string
		opts Options
		want string
	}{
		{"rsa2048.p12", Options{Password: "wrong", Labels: labels}, "--store-pass does not open the PKCS#12 file"},
		{"rsa2048.jks", Options{Labels: labels}, "set --store-pass"},
		{"rsa2048-keypass.jks", Options{Password: storePass, KeyPassword: "nope", Labels: labels}, "--key-pass does not unlock"},
		{"rsa2048.jks", Options{Password: storePass, Alias: "missing", Labels: labels}, `--alias "missing" is not in the Java KeyStore`},
		{"two-aliases.jks", Options{Password: storePass, Labels: labels}, "set --alias to the one registered"},
		{"rsa2048.p12", Options{Password: storePass, Alias: "other", Labels: labels}, `--alias "other" does not name the key`},
	}
	for _, tc := range cases {
		_, err := LoadFile(td(tc.file), tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.file, err, tc.want)
		}
	}
}
