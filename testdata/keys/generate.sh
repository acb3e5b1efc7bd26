#!/usr/bin/env bash
# Regenerates the test-only keys in this folder the way a DocuSign admin makes them:
# an RSA pair (the "Generate RSA" PEM), a self-signed certificate, then a PKCS#12 bundle
# with openssl and a Java KeyStore with keytool. Nothing here is a real credential.
# The negative cases (EC, 1024-bit, corrupt, several aliases) feed the key-loading tests.
# Run from anywhere: bash testdata/keys/generate.sh; then refresh the public key in
# testdata/emulator/*.json with: go run ./internal/emulator/cmd/fixture-keys (see that tool).
set -euo pipefail
cd "$(dirname "$0")"
PASS=changeit          # store password used by every test keystore
KEYPASS=keypass123     # separate key password for the *-keypass.jks case
SUBJ="/CN=terraform-provider-docusign test/O=opensam"
rm -f ./*.pem ./*.key ./*.p12 ./*.jks ./*.der ./*.bin

# 1. The RSA pair. openssl 3 writes PKCS#8 by default; -traditional gives the PKCS#1
#    "RSA PRIVATE KEY" form that DocuSign's "Generate RSA" button hands out.
openssl genrsa -traditional -out rsa2048.pkcs1.key 2048 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in rsa2048.pkcs1.key -out rsa2048.pkcs8.key
openssl rsa -in rsa2048.pkcs1.key -pubout -out rsa2048.pub.pem 2>/dev/null

# 2. Self-signed certificate, as in DocuSign's keystore instructions.
openssl req -new -x509 -key rsa2048.pkcs1.key -out rsa2048.cert.pem -days 1095 -subj "$SUBJ"

# 3. PKCS#12 bundle with a friendly name (alias) and a password.
openssl pkcs12 -export -inkey rsa2048.pkcs1.key -in rsa2048.cert.pem -name docusign \
  -out rsa2048.p12 -passout pass:$PASS

# 4. JKS converted from the PKCS#12 with keytool.
keytool -importkeystore -noprompt -srckeystore rsa2048.p12 -srcstoretype PKCS12 -srcstorepass $PASS \
  -destkeystore rsa2048.jks -deststoretype JKS -deststorepass $PASS -destkeypass $PASS >/dev/null 2>&1

# 5. JKS whose key password differs from the store password.
keytool -importkeystore -noprompt -srckeystore rsa2048.p12 -srcstoretype PKCS12 -srcstorepass $PASS \
  -destkeystore rsa2048-keypass.jks -deststoretype JKS -deststorepass $PASS -destkeypass $KEYPASS >/dev/null 2>&1

# 6. A second RSA key, never registered with the emulator ("key DocuSign rejects").
openssl genrsa -traditional -out unregistered.pkcs1.key 2048 2>/dev/null
openssl req -new -x509 -key unregistered.pkcs1.key -out unregistered.cert.pem -days 1095 -subj "$SUBJ"
openssl pkcs12 -export -inkey unregistered.pkcs1.key -in unregistered.cert.pem -name other \
  -out unregistered.p12 -passout pass:$PASS

# 7. JKS with two private-key entries and no obvious default: alias must be chosen.
cp rsa2048.jks two-aliases.jks
keytool -importkeystore -noprompt -srckeystore unregistered.p12 -srcstoretype PKCS12 -srcstorepass $PASS \
  -destkeystore two-aliases.jks -deststoretype JKS -deststorepass $PASS -destkeypass $PASS >/dev/null 2>&1

# 8. JKS holding only a trusted certificate (no private key entry).
keytool -importcert -noprompt -alias trusted -file rsa2048.cert.pem -keystore cert-only.jks \
  -storetype JKS -storepass $PASS >/dev/null 2>&1

# 9. PKCS#12 holding only a certificate.
openssl pkcs12 -export -nokeys -in rsa2048.cert.pem -out cert-only.p12 -passout pass:$PASS

# 10. Keys that are not acceptable: EC, and RSA under 2048 bits.
openssl ecparam -name prime256v1 -genkey -noout -out ec.key
openssl pkcs8 -topk8 -nocrypt -in ec.key -out ec.pkcs8.key
openssl req -new -x509 -key ec.key -out ec.cert.pem -days 1095 -subj "$SUBJ"
openssl pkcs12 -export -inkey ec.key -in ec.cert.pem -name ec -out ec.p12 -passout pass:$PASS
keytool -importkeystore -noprompt -srckeystore ec.p12 -srcstoretype PKCS12 -srcstorepass $PASS \
  -destkeystore ec.jks -deststoretype JKS -deststorepass $PASS -destkeypass $PASS >/dev/null 2>&1
openssl genrsa -traditional -out rsa1024.pkcs1.key 1024 2>/dev/null

# 11. Corrupt files: a truncated JKS, a truncated PKCS#12 and random bytes.
head -c 200 rsa2048.jks > corrupt.jks
head -c 300 rsa2048.p12 > corrupt.p12
head -c 512 /dev/urandom > corrupt.bin
echo "generated keys in $(pwd)"
