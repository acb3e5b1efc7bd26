// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Command fixture-keys copies the test public key into emulator fixtures after
// testdata/keys/generate.sh has made a new key pair, so the emulator trusts the new key.
//
//	go run ./internal/emulator/cmd/fixture-keys [-key testdata/keys/rsa2048.pub.pem] [fixture.json ...]
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/opensam/terraform-provider-docusign/internal/emulator"
)

func main() {
	keyPath := flag.String("key", "testdata/keys/rsa2048.pub.pem", "public key PEM to register")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		files, _ = filepath.Glob("testdata/emulator/*.json")
	}
	pub, err := os.ReadFile(*keyPath)
	if err != nil {
		log.Fatal(err)
	}
	for _, path := range files {
		f, err := emulator.LoadFixture(path)
		if err != nil {
			log.Fatal(err)
		}
		for i := range f.IntegrationKeys {
			for j := range f.IntegrationKeys[i].PublicKeys {
				f.IntegrationKeys[i].PublicKeys[j].PEM = string(pub)
			}
		}
		out, err := json.MarshalIndent(f, "", "  ")
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("updated %s", path)
	}
}
