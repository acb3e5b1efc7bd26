// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// providerFactoriesAt serves a provider whose clock stands still at now.
func providerFactoriesAt(now time.Time) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"docusign": providerserver.NewProtocol6WithError(&docusignProvider{version: "test", now: func() time.Time { return now }}),
	}
}

// The renewal cycle and the "not in the future" check follow the provider's clock, not the
// machine's: on 2021-06-01 a contract starting 2021-06-03 is in the future, and one that
// started 2020-03-15 with a 12-month renewal is in its 2021-03-15 to 2022-03-14 cycle.
func TestAccIntegrationProfile_datesFollowTheProviderClock(t *testing.T) {
	emu := startEmulator(t)
	onDay := providerFactoriesAt(time.Date(2021, 6, 1, 23, 0, 0, 0, time.UTC))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: onDay,
		Steps: []resource.TestStep{
			{
				Config:      emu.providerConfig() + profileConfig("p", testOrgID, "2021-06-03", 12, ""),
				PlanOnly:    true,
				ExpectError: textRe("Contract Start Date In The Future", "on or before today (2021-06-01)"),
			},
			{
				Config: emu.providerConfig() + profileConfig("p", testOrgID, "2020-03-15", 12, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("docusign_integration_profile.p", tfjsonpath.New("current_period_start"), knownvalue.StringExact("2021-03-15")),
					statecheck.ExpectKnownValue("docusign_integration_profile.p", tfjsonpath.New("current_period_end"), knownvalue.StringExact("2022-03-14")),
				},
			},
		},
	})
	if n := emu.Stats().Requests[routeOrganizations]; n == 0 {
		t.Error("the profile was applied without reading the organization from the emulator")
	}
}

func TestNotFutureDateReadsItsClock(t *testing.T) {
	v := notFutureDate{now: func() time.Time { return time.Date(2021, 6, 1, 23, 0, 0, 0, time.FixedZone("UTC+2", 7200)) }}
	for date, wantError := range map[string]bool{"2021-06-01": false, "2021-06-02": false, "2021-06-03": true, "2030-01-01": true} {
		var resp validator.StringResponse
		v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("contract_start_date"), ConfigValue: types.StringValue(date)}, &resp)
		if resp.Diagnostics.HasError() != wantError {
			t.Errorf("%s: error %v, want %v (%v)", date, resp.Diagnostics.HasError(), wantError, resp.Diagnostics)
		}
	}
}
