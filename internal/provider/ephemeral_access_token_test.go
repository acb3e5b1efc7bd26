// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The token only reaches state here because the test echoes it into a test-only resource; that
// is how a test can see an ephemeral value at all.
func TestAccAccessTokenEphemeral(t *testing.T) {
	emu := startEmulator(t)
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"docusign": protoV6ProviderFactories["docusign"],
		"echo":     echoprovider.NewProviderServer(),
	}
	tokenWorks := func(s *terraform.State) error {
		token := s.RootModule().Resources["echo.token"].Primary.Attributes["data.access_token"]
		if token == "" {
			return fmt.Errorf("no access_token echoed")
		}
		req, _ := http.NewRequest("GET", emu.URL+"/oauth/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("the emulator refused the token: %d", resp.StatusCode)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{requiresEphemeralResources},
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config: emu.providerConfig() + fmt.Sprintf(`
ephemeral "docusign_access_token" "this" {
  account_id = %q
}

provider "echo" {
  data = ephemeral.docusign_access_token.this
}

resource "echo" "token" {}
`, testLegalAccount),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("token_type"), knownvalue.StringExact("Bearer")),
					statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("account_id"), knownvalue.StringExact(testLegalAccount)),
					statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("base_uri"), knownvalue.StringExact(emu.URL)),
					statecheck.ExpectKnownValue("echo.token", tfjsonpath.New("data").AtMapKey("expires_at"), knownvalue.StringRegexp(rfc3339Pattern)),
				},
				Check: tokenWorks,
			},
			{
				// Other scopes mean another grant, with exactly those scopes.
				Config: emu.providerConfig() + `
ephemeral "docusign_access_token" "this" {
  scopes = "signature impersonation"
}

provider "echo" {
  data = ephemeral.docusign_access_token.this
}

resource "echo" "token" {}
`,
				Check: tokenWorks,
			},
		},
	})
}
