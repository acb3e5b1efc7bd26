// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package demoorg names what testdata/emulator/demo-org.json holds, so tests, benchmarks and the
// chaos run agree on one organization: its IDs, and the paths of the fixture and test key.
package demoorg

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

const (
	IntegrationKey = "8f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b" // consented by the admin
	UnconsentedKey = "c0ffee00-1111-4222-8333-444455556666" // nobody consented
	KeyPairID      = "e2d1c0b9-a8f7-4e6d-8c5b-4a3928170605"
	AdminUserID    = "3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c" // org admin, admin of every account
	NotAdminUserID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a81" // consented, not an org admin
	OrgID          = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
	SalesAccount   = "4c2b7a10-5d3e-4f1a-9b8c-7d6e5f4a3b21"
	LegalAccount   = "9d8e7f60-1a2b-4c3d-8e4f-5a6b7c8d9e01"
	LabsAccount    = "2f3e4d5c-6b7a-4891-a2b3-c4d5e6f7a8b9" // on a plan missing from the org's plan items
	// PartnersAccount is in the organization, but the admin holds no eSignature membership in it.
	PartnersAccount = "f1a2b3c4-5d6e-4f70-8a9b-0c1d2e3f4a5b"
	// NorthwindAccount belongs to another organization; ContractorUserID is a member of it and of
	// Sales, so the demo organization sees that membership as external.
	NorthwindOrgID   = "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f"
	NorthwindAccount = "1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b"
	ContractorUserID = "70000040-0000-4000-8000-000000000040"
	ClosedSenderID   = "70000007-0000-4000-8000-000000000007" // Casey: closed in Sales, sent envelopes before
	Scopes           = "signature impersonation organization_read user_read user_write account_read organization_sub_account_read"
)

// Testdata is the path of a file under the repository's testdata folder.
func Testdata(parts ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", "..", "..", "testdata"}, parts...)...)
}

// FixturePath is the demo organization's fixture file.
func FixturePath() string { return Testdata("emulator", "demo-org.json") }

// KeyPath is the PEM private key whose public half the fixture registers.
func KeyPath() string { return Testdata("keys", "rsa2048.pkcs1.key") }

// ProviderBlock is a provider block that connects as the demo admin, with the test key, to an
// emulator at oauthBaseURL and adminBaseURL; extra lines go inside the block. The emulator is
// plain http on 127.0.0.1, which production settings refuse, so the block opts out of that rule.
func ProviderBlock(oauthBaseURL, adminBaseURL string, extra ...string) string {
	return fmt.Sprintf(`
provider "docusign" {
  oauth_base_url   = %q
  admin_base_url   = %q
  allow_untrusted_hosts = true
  integration_key  = %q
  user_id          = %q
  private_key_file = %q
  %s
}
`, oauthBaseURL, adminBaseURL, IntegrationKey, AdminUserID, KeyPath(), strings.Join(extra, "\n  "))
}

// ProviderConfig is ProviderBlock plus the required_providers entry a terraform working directory
// needs to run the provider through dev_overrides.
func ProviderConfig(oauthBaseURL, adminBaseURL string, extra ...string) string {
	return `terraform {
  required_providers {
    docusign = { source = "opensam/docusign" }
  }
}
` + ProviderBlock(oauthBaseURL, adminBaseURL, extra...)
}
