// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// emulatorQuery is a query check that verifies what the emulator saw, since a query step has no
// state to hang an emulatorcheck on.
type emulatorQuery struct{ checks []emulatorcheck.Check }

func (c emulatorQuery) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	resp.Error = emulatorcheck.Verify(c.checks...)
}

func emulatorSaw(checks ...emulatorcheck.Check) querycheck.QueryResultCheck {
	return emulatorQuery{checks: checks}
}

// listBlock is a list block of type under provider docusign.
func listBlock(typ, name, limit string, config ...string) string {
	limitLine := ""
	if limit != "" {
		limitLine = "  limit = " + limit + "\n"
	}
	return fmt.Sprintf("list %q %q {\n  provider = docusign\n%s  include_resource = true\n  config {\n    %s\n  }\n}\n",
		typ, name, limitLine, strings.Join(config, "\n    "))
}

// queryTerraform is the Terraform to drive `terraform query` with, or a skip: list resources need
// Terraform 1.14.
func queryTerraform(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf, err := tfrun.TerraformPath()
	if err != nil {
		t.Skip("terraform is not installed")
	}
	if v := terraformVersion(t, tf); v.LessThan(version.Must(version.NewVersion("1.14.0"))) {
		t.Skipf("terraform query needs Terraform >= 1.14; this is %s (set TF_ACC_TERRAFORM_PATH)", v)
	}
	return tf
}

// adoptByQuery runs what the adoption guide tells people to: `terraform query
// -generate-config-out` with query, then one apply of the generated import blocks and resources,
// then a plan that must be empty. It returns the generated configuration.
func adoptByQuery(t *testing.T, emu *testEmulator, query string) string {
	t.Helper()
	queryTerraform(t)
	ctx := context.Background()
	ws, err := tfrun.NewWorkspace(filepath.Join(t.TempDir(), "adopt"), builtProvider(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.Write("main.tf", demoorg.ProviderConfig(emu.OAuthBaseURL, emu.AdminBaseURL)); err != nil {
		t.Fatal(err)
	}
	if err := ws.Write("adopt.tfquery.hcl", query); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Run(ctx, "query", "-no-color", "-generate-config-out=generated.tf"); err != nil {
		t.Fatal(err)
	}
	generated, err := os.ReadFile(filepath.Join(ws.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	// The plan of the generated configuration only imports: a value the query wrote that differs
	// from what the import reads would show as a change here, and the apply would make it.
	imports := strings.Count(string(generated), "import {")
	out, err := ws.Run(ctx, "plan", "-no-color", "-input=false")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", imports); !strings.Contains(out, want) {
		t.Fatalf("the plan of the generated configuration does more than import; want %q:\n%s\ngenerated configuration:\n%s", want, out, generated)
	}
	if _, err := ws.Run(ctx, "apply", "-no-color", "-auto-approve", "-input=false"); err != nil {
		t.Fatalf("%v\ngenerated configuration:\n%s", err, generated)
	}
	out, err = ws.Run(ctx, "plan", "-no-color", "-input=false", "-detailed-exitcode")
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() == 2 {
		t.Fatalf("the plan after adopting the generated configuration is not empty:\n%s\ngenerated configuration:\n%s", out, generated)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(generated)
}

// closeInSales closes these fixture users in the Sales account, as someone did by hand.
func (e *testEmulator) closeInSales(t *testing.T, emails ...string) []string {
	t.Helper()
	ids := make([]string, len(emails))
	for i, email := range emails {
		ids[i] = e.userIDByEmail(t, email)
		if err := e.SetMembershipStatus(ids[i], testSalesAccount, "Closed"); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

const (
	caseyClosed = "casey.closed@opensam.example" // closed in Sales on 2026-08-31 by the fixture
	priyaShah   = "priya.shah@opensam.example"
	tomBecker   = "tom.becker@opensam.example"
)

func TestAccClosedUserList_query(t *testing.T) {
	emu := startEmulator(t)
	ids := emu.closeInSales(t, priyaShah, tomBecker) // closed now, after the fixture's Casey
	caseyID := emu.userIDByEmail(t, caseyClosed)
	sales := fmt.Sprintf("account_id = %q", testSalesAccount)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				Query:  true,
				Config: emu.providerConfig() + listBlock("docusign_closed_user", "all", "", sales),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_closed_user.all", 3),
					querycheck.ExpectIdentity("docusign_closed_user.all", map[string]knownvalue.Check{
						"account_id": knownvalue.StringExact(testSalesAccount), "user_id": knownvalue.StringExact(caseyID),
					}),
					querycheck.ExpectIdentity("docusign_closed_user.all", map[string]knownvalue.Check{
						"account_id": knownvalue.StringExact(testSalesAccount), "user_id": knownvalue.StringExact(ids[0]),
					}),
				},
			},
			{
				// closed_since leaves Casey, closed in August, out; it reads the Admin API.
				Query:  true,
				Config: emu.providerConfig() + listBlock("docusign_closed_user", "recent", "", sales, `closed_since = "2026-09-01"`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_closed_user.recent", 2),
					querycheck.ExpectIdentity("docusign_closed_user.recent", map[string]knownvalue.Check{
						"account_id": knownvalue.StringExact(testSalesAccount), "user_id": knownvalue.StringExact(ids[1]),
					}),
				},
			},
		},
	})
}

func TestAccClosedUserList_badClosedSince(t *testing.T) {
	emu := startEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{{
			Query:       true,
			Config:      emu.providerConfig() + listBlock("docusign_closed_user", "bad", "", `closed_since = "31/08/2026"`),
			ExpectError: regexp.MustCompile(`YYYY-MM-DD`),
		}},
	})
}

// TestAccClosedUserList_adopt is the adoption guide end to end: every closed user of the account
// in one query and one apply, and nobody closed or reopened on the way.
func TestAccClosedUserList_adopt(t *testing.T) {
	t.Parallel()
	emu := startEmulator(t)
	emu.closeInSales(t, priyaShah, tomBecker)
	generated := adoptByQuery(t, emu, listBlock("docusign_closed_user", "leavers", "", fmt.Sprintf("account_id = %q", testSalesAccount)))
	if n := strings.Count(generated, "import {"); n != 3 {
		t.Errorf("generated %d import blocks, want 3:\n%s", n, generated)
	}
	if err := emulatorcheck.Verify(
		emulatorcheck.Closures(emu, testSalesAccount, priyaShah, 1), // the hand closure only
		emulatorcheck.Closures(emu, testSalesAccount, tomBecker, 1),
		emulatorcheck.MembershipStatus(emu, testSalesAccount, caseyClosed, "Closed"),
		emulatorcheck.MembershipStatus(emu, testSalesAccount, priyaShah, "Closed"),
	); err != nil {
		t.Error(err)
	}
}

// TestAccClosedUserList_limitStopsPaging: with 250 closed users, a limit of 120 reads two pages of
// 100, not all three, and a limit of one reads one page of one user.
func TestAccClosedUserList_limitStopsPaging(t *testing.T) {
	emu := startEmulator(t)
	for _, id := range emu.generatedLeavers(t, 250) {
		if err := emu.SetMembershipStatus(id, testSalesAccount, "Closed"); err != nil {
			t.Fatal(err)
		}
	}
	sales := fmt.Sprintf("account_id = %q", testSalesAccount)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: emu.ResetStats,
				Query:     true,
				Config:    emu.providerConfig() + listBlock("docusign_closed_user", "some", "120", sales),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_closed_user.some", 120),
					emulatorSaw(emulatorcheck.Calls(emu, map[string]int{routeESignUsers: 2})),
				},
			},
			{
				PreConfig: emu.ResetStats,
				Query:     true,
				Config:    emu.providerConfig() + listBlock("docusign_closed_user", "one", "1", sales),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("docusign_closed_user.one", 1),
					emulatorSaw(emulatorcheck.Calls(emu, map[string]int{routeESignUsers: 1})),
				},
			},
		},
	})
}
