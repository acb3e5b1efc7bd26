// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensam/terraform-provider-docusign/internal/provider/emulatorcheck"
)

// TestClosedUsersStateUpgradeFromSets: a version 0 state (user_ids and emails as sets) becomes
// version 1 with the same elements as lists, and bulk_close_threshold null.
func TestClosedUsersStateUpgradeFromSets(t *testing.T) {
	ctx := context.Background()
	r := &closedUsersResource{}
	up := r.UpgradeState(ctx)[0]
	var current resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &current)

	priorType, ok := up.PriorSchema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("prior schema type is %T, want an object", up.PriorSchema.Type().TerraformType(ctx))
	}
	strs := func(vs ...string) []tftypes.Value {
		out := make([]tftypes.Value, len(vs))
		for i, v := range vs {
			out[i] = tftypes.NewValue(tftypes.String, v)
		}
		return out
	}
	set := tftypes.Set{ElementType: tftypes.String}
	raw := tftypes.NewValue(priorType, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, "x"), "account_id": tftypes.NewValue(tftypes.String, testSalesAccount),
		"user_ids":          tftypes.NewValue(set, strs("b-2", "a-1")),
		"emails":            tftypes.NewValue(set, nil),
		"reopen_on_destroy": tftypes.NewValue(tftypes.Bool, true),
		"email_user_ids":    tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{}),
		"timeouts":          tftypes.NewValue(priorType.AttributeTypes["timeouts"], nil),
	})
	req := resource.UpgradeStateRequest{State: &tfsdk.State{Schema: *up.PriorSchema, Raw: raw}}
	resp := resource.UpgradeStateResponse{State: tfsdk.State{Schema: current.Schema, Raw: tftypes.NewValue(current.Schema.Type().TerraformType(ctx), nil)}}
	up.StateUpgrader(ctx, req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var got closedUsersModel
	if d := resp.State.Get(ctx, &got); d.HasError() {
		t.Fatal(d)
	}
	ids := listStrings(got.UserIDs)
	if len(ids) != 2 || ids[0] != "a-1" || ids[1] != "b-2" || !got.Emails.IsNull() || !got.ReopenOnDestroy.ValueBool() ||
		!got.BulkCloseThreshold.IsNull() || got.AccountID != types.StringValue(testSalesAccount) {
		t.Fatalf("upgraded state: %+v", got)
	}
}

// TestAccClosedUsers_listBehavesAsASet: reordering the users plans nothing, and a user listed
// twice (in any letter case) is refused at plan time.
func TestAccClosedUsers_listBehavesAsASet(t *testing.T) {
	emu := startEmulator(t)
	users := emu.generatedLeavers(t, 6)
	reversed := make([]string, len(users))
	for i, u := range users {
		reversed[len(users)-1-i] = u
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config:      bulkConfig(emu.providerConfig(), append(users, strings.ToUpper(users[0])), 0),
				PlanOnly:    true,
				ExpectError: textRe("Duplicate Value", "more than once"),
			},
			{Config: bulkConfig(emu.providerConfig(), users, 0), ConfigStateChecks: []statecheck.StateCheck{emulatorcheck.ClosedExactlyOnce(emu, testSalesAccount, users...)}},
			{
				Config:           bulkConfig(emu.providerConfig(), reversed, 0),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
