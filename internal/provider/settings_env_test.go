// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// Every provider attribute falls back to an environment variable, and TestMain clears each of
// them; the list comes from the schema, so a new attribute is cleared without a second list to
// keep. The documented names (MarkdownDescription's "Env: `DOCUSIGN_…`") are the ones cleared.
func TestSettingEnvNamesCoverEverySetting(t *testing.T) {
	names := settingEnvNames()
	for _, want := range []string{
		"DOCUSIGN_ENVIRONMENT", "DOCUSIGN_OAUTH_BASE_URL", "DOCUSIGN_ADMIN_BASE_URL", "DOCUSIGN_MONITOR_BASE_URL",
		"DOCUSIGN_INTEGRATION_KEY", "DOCUSIGN_USER_ID", "DOCUSIGN_KEY_PAIR_ID", "DOCUSIGN_PRIVATE_KEY",
		"DOCUSIGN_PRIVATE_KEY_FILE", "DOCUSIGN_KEYSTORE_FILE", "DOCUSIGN_KEYSTORE_PASSWORD", "DOCUSIGN_KEYSTORE_KEY_PASSWORD",
		"DOCUSIGN_KEYSTORE_ALIAS", "DOCUSIGN_ACCOUNT_ID", "DOCUSIGN_SCOPES", "DOCUSIGN_ALLOW_UNTRUSTED_HOSTS", "DOCUSIGN_MAX_RETRIES",
	} {
		if !slices.Contains(names, want) {
			t.Errorf("%s is not among the variables TestMain clears: %v", want, names)
		}
	}
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	for attr, a := range resp.Schema.Attributes {
		if name := envName(attr); !strings.Contains(a.GetMarkdownDescription(), "Env: `"+name+"`") {
			t.Errorf("%s falls back to %s, but its description does not say so", attr, name)
		}
	}
	for _, name := range names {
		if v, ok := os.LookupEnv(name); ok {
			t.Errorf("%s=%q survived TestMain", name, v)
		}
	}
}
