// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/opensam/terraform-provider-docusign/internal/tfrun"
)

// The acceptance tests run on two clients: Terraform (make test, on the 1.14 that .ci/run
// installs) and OpenTofu (make test-opentofu). A test of a feature newer than Terraform 1.5 lists
// one of these checks in TestCase.TerraformVersionChecks, so that on a client without the feature
// it skips with a message instead of failing on the client's own parse or protocol error.
// OpenTofu reports its own version as the "terraform_version" that terraform-plugin-testing
// compares, so a plain tfversion.SkipBelow would run a Terraform 1.10 test on OpenTofu 1.10.
var (
	requiresEphemeralResources = clientMinimum{feature: "ephemeral resources",
		terraform: tfversion.Version1_10_0, openTofu: tfversion.Version1_11_0}
	// OpenTofu 1.10's plugin client never asks a provider for identity schemas.
	requiresResourceIdentity = clientMinimum{feature: "resource identity", terraform: tfversion.Version1_12_0,
		notOnOpenTofu: "resource identity is tested on Terraform only: OpenTofu 1.10 has none"}
	requiresListResources = clientMinimum{feature: "list resources (terraform query)", terraform: tfversion.Version1_14_0,
		notOnOpenTofu: "OpenTofu has no list resources (terraform query)"}
	requiresActions = clientMinimum{feature: "actions", terraform: tfversion.Version1_14_0,
		notOnOpenTofu: "OpenTofu cannot parse action blocks"}
)

// clientMinimum skips a test below terraform on Terraform, and on OpenTofu below openTofu, or
// always, with notOnOpenTofu as the reason, when openTofu is nil.
type clientMinimum struct {
	feature       string
	terraform     *version.Version
	openTofu      *version.Version
	notOnOpenTofu string
}

var _ tfversion.TerraformVersionCheck = clientMinimum{}

func (c clientMinimum) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	resp.Skip = c.skip(req.TerraformVersion, testClientIsOpenTofu())
}

// skip is why a test of the feature does not run on client version v, or "" when it runs.
func (c clientMinimum) skip(v *version.Version, openTofu bool) string {
	switch {
	case openTofu && c.openTofu == nil:
		return fmt.Sprintf("OpenTofu %s: %s: skipping test", v, c.notOnOpenTofu)
	case openTofu && v.Core().LessThan(c.openTofu):
		return fmt.Sprintf("OpenTofu %s is below %s, the first with %s: skipping test", v, c.openTofu, c.feature)
	case !openTofu && v.Core().LessThan(c.terraform):
		return fmt.Sprintf("Terraform %s is below %s, the first with %s: skipping test", v, c.terraform, c.feature)
	}
	return ""
}

var testClientIsOpenTofu = sync.OnceValue(func() bool {
	tf, err := tfrun.TerraformPath()
	if err != nil {
		return false
	}
	return isOpenTofu(tf)
})

// isOpenTofu reports whether the client binary is OpenTofu: the first line of its `version` is
// "OpenTofu v1.10.10" where Terraform's is "Terraform v1.14.3".
func isOpenTofu(binary string) bool {
	out, err := exec.Command(binary, "version").Output()
	return err == nil && strings.HasPrefix(string(out), "OpenTofu ")
}

func TestClientMinimum(t *testing.T) {
	v := func(s string) *version.Version { return version.Must(version.NewVersion(s)) }
	for _, tc := range []struct {
		check    clientMinimum
		version  string
		openTofu bool
		want     string // a word of the skip message; "" runs the test
	}{
		{requiresEphemeralResources, "1.10.0", false, ""},
		{requiresEphemeralResources, "1.9.8", false, "Terraform 1.9.8 is below 1.10.0"},
		{requiresEphemeralResources, "1.10.10", true, "OpenTofu 1.10.10 is below 1.11.0"},
		{requiresEphemeralResources, "1.11.0-rc1", true, ""},
		{requiresResourceIdentity, "1.11.4", false, "below 1.12.0, the first with resource identity"},
		{requiresResourceIdentity, "1.14.3", false, ""},
		{requiresResourceIdentity, "1.13.0", true, "OpenTofu 1.13.0: resource identity is tested on Terraform only"},
		{requiresListResources, "1.13.5", false, "below 1.14.0"},
		{requiresListResources, "1.14.3", false, ""},
		{requiresListResources, "1.14.3", true, "OpenTofu has no list resources"},
		{requiresActions, "1.14.0", false, ""},
		{requiresActions, "1.10.10", true, "cannot parse action blocks"},
	} {
		got := tc.check.skip(v(tc.version), tc.openTofu)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s on %s (OpenTofu %v): skip %q, want %q", tc.check.feature, tc.version, tc.openTofu, got, tc.want)
		}
	}
}
