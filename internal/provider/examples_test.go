// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// TestAccExamplesValidate runs `terraform validate` on every example against the provider as
// built, so the examples the docs show keep matching the schema.
func TestAccExamplesValidate(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if _, err := tfrun.TerraformPath(); err != nil {
		t.Skip("terraform is not installed")
	}
	t.Parallel()
	ctx := context.Background()
	providerDir := builtProvider(t)
	root := filepath.Join(repoRoot(), "examples")
	var dirs []string
	for _, pattern := range []string{"demo", "license-management", "provider", "modules/*", "resources/*", "data-sources/*", "ephemeral-resources/*", "actions/*", "list-resources/*"} {
		matches, _ := filepath.Glob(filepath.Join(root, pattern))
		dirs = append(dirs, matches...)
	}
	if len(dirs) < 14 {
		t.Fatalf("found only %d example directories under %s", len(dirs), root)
	}
	tfVersion := terraformVersion(t, mustTerraform(t))
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		t.Run(rel, func(t *testing.T) {
			if filepath.Base(filepath.Dir(dir)) == "ephemeral-resources" {
				// It configures a third-party provider (restapi), which only the registry can install.
				t.Skipf("the example pairs the token with a registry provider; covered by TestAccAccessTokenEphemeral (Terraform %s)", tfVersion)
			}
			if filepath.Base(filepath.Dir(dir)) == "actions" && tfVersion.LessThan(version.Must(version.NewVersion("1.14.0"))) {
				t.Skipf("action blocks need Terraform >= 1.14; this is %s", tfVersion)
			}
			work := filepath.Join(t.TempDir(), "example")
			if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			// The license snippets refer to each other (the rules to the profile, the data
			// sources to the rules), as the docs read them: validate them together.
			if licenseSnippets[rel] {
				for other := range licenseSnippets {
					if other == rel {
						continue
					}
					files, _ := filepath.Glob(filepath.Join(root, other, "*.tf"))
					for _, f := range files {
						data, _ := os.ReadFile(f)
						name := strings.ReplaceAll(other, "/", "_") + "_" + filepath.Base(f)
						if err := os.WriteFile(filepath.Join(work, name), data, 0o644); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			os.RemoveAll(filepath.Join(work, "tests")) // terraform test files are run by their own test
			validate := []string{"validate", "-no-color"}
			switch {
			case filepath.Base(filepath.Dir(dir)) == "list-resources" && tfVersion.LessThan(version.Must(version.NewVersion("1.14.0"))):
				t.Skipf("list resources need Terraform >= 1.14; this is %s", tfVersion)
			case filepath.Base(filepath.Dir(dir)) == "list-resources":
				validate = append(validate, "-query")
			case tfVersion.LessThan(version.Must(version.NewVersion("1.12.0"))):
				// Identity in import blocks came with 1.12; the license snippets bring each other's too.
				identityImports, _ := filepath.Glob(filepath.Join(work, "*import-by-identity.tf"))
				for _, f := range identityImports {
					os.Remove(f)
				}
			}
			// Doc snippets leave out required_providers; without it terraform would look for hashicorp/docusign.
			if matches, _ := filepath.Glob(filepath.Join(work, "versions.tf")); len(matches) == 0 && !declaresProvider(t, work) {
				versions := "terraform {\n  required_providers {\n    docusign = { source = \"opensam/docusign\" }\n  }\n}\n"
				if err := os.WriteFile(filepath.Join(work, "versions.tf"), []byte(versions), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ws, err := tfrun.NewWorkspace(work, providerDir)
			if err != nil {
				t.Fatal(err)
			}
			if out, err := ws.Run(ctx, validate...); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

func mustTerraform(t *testing.T) string {
	tf, err := tfrun.TerraformPath()
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

func declaresProvider(t *testing.T, dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "required_providers") {
			return true
		}
	}
	return false
}

var licenseSnippets = map[string]bool{
	"resources/docusign_integration_profile":                    true,
	"resources/docusign_subscription_identifier_exclusion_rule": true,
	"resources/docusign_subscription_user_exclusion_rule":       true,
	"data-sources/docusign_subscriptions":                       true,
	"data-sources/docusign_consumption":                         true,
}
