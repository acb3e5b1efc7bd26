// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// TestAccOffboardingModule runs examples/modules/offboarding's own `terraform test` files against
// the emulator, then checks what the emulator holds: the leavers really are closed, each once. It
// is also the for_each test: the module closes a set of emails with for_each, which the
// terraform-plugin-testing state shim cannot read.
func TestAccOffboardingModule(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf, err := tfrun.TerraformPath()
	if err != nil {
		t.Skip("terraform is not installed")
	}
	if v := terraformVersion(t, tf); v.LessThan(version.Must(version.NewVersion("1.7.0"))) {
		t.Skipf("terraform test with expect_failures on variables needs Terraform >= 1.7; this is %s", v)
	}
	t.Parallel()
	emu := startEmulator(t)
	ctx := context.Background()
	providerDir := builtProvider(t)
	dir := filepath.Join(t.TempDir(), "offboarding")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot(), "examples", "modules", "offboarding"))); err != nil {
		t.Fatal(err)
	}
	ws, err := tfrun.NewWorkspace(dir, providerDir)
	if err != nil {
		t.Fatal(err)
	}
	ws.Env = append(ws.Env,
		"DOCUSIGN_OAUTH_BASE_URL="+emu.OAuthBaseURL, "DOCUSIGN_ADMIN_BASE_URL="+emu.AdminBaseURL, "DOCUSIGN_ALLOW_UNTRUSTED_HOSTS=true",
		"DOCUSIGN_INTEGRATION_KEY="+testIntegrationKey, "DOCUSIGN_USER_ID="+testAdminUserID,
		"DOCUSIGN_PRIVATE_KEY_FILE="+testdataPath("keys", "rsa2048.pkcs1.key"))
	out, err := ws.Run(ctx, "test", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "9 passed, 0 failed") {
		t.Fatalf("terraform test did not pass all runs:\n%s", out)
	}
	// Each leaver closed exactly once; removing jamie from the list did not reopen them.
	var checks []emulatorcheck.Check
	for _, leaver := range []struct{ email, account string }{
		{leaverAlex, testSalesAccount}, {leaverJamie, testSalesAccount}, {"test.user1@opensam.example", testSalesAccount},
		{"morgan.two@opensam.example", testSalesAccount}, {"morgan.two@opensam.example", testLegalAccount},
		{"sam.okafor@opensam.example", testSalesAccount}, // by leaver_user_ids, account scope
	} {
		checks = append(checks, emulatorcheck.Closures(emu, leaver.account, leaver.email, 1),
			emulatorcheck.MembershipStatus(emu, leaver.account, leaver.email, "Closed"))
	}
	checks = append(checks,
		// Account scope leaves alex's Legal membership alone.
		emulatorcheck.MembershipStatus(emu, testLegalAccount, leaverAlex, "Active"),
		// Two users share the inbox's email: the one named by user ID is closed, the other is not.
		emulatorcheck.MembershipStatus(emu, testLegalAccount, "70000030-0000-4000-8000-000000000030", "Closed"),
		emulatorcheck.MembershipStatus(emu, testLegalAccount, "70000031-0000-4000-8000-000000000031", "Active"))
	if err := emulatorcheck.Verify(checks...); err != nil {
		t.Errorf("after the module test: %v", err)
	}
}

func terraformVersion(t *testing.T, tf string) *version.Version {
	t.Helper()
	out, err := exec.Command(tf, "version").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	first := strings.Fields(strings.SplitN(string(out), "\n", 2)[0])
	v, err := version.NewVersion(strings.TrimPrefix(first[len(first)-1], "v"))
	if err != nil {
		t.Fatalf("parsing %q: %v", out, err)
	}
	return v
}
