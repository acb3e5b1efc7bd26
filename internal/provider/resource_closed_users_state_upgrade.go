// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// docusign_closed_users keeps user_ids and emails as lists, not sets. With sets, the framework
// and terraform-plugin-go compare values element against element (set validation, semantic
// equality, and tftypes' deep equality, which finds each set element by value): at 5,000 IDs a
// plan spent over a minute there. Lists compare by index. Sets' meaning stays: elements must be
// unique, and a list with the same elements in another order plans no change.

func stringList(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

// closedUsersModelV0 is the state of schema version 0, when user_ids and emails were sets.
type closedUsersModelV0 struct {
	ID              types.String   `tfsdk:"id"`
	AccountID       types.String   `tfsdk:"account_id"`
	UserIDs         types.Set      `tfsdk:"user_ids"`
	Emails          types.Set      `tfsdk:"emails"`
	ReopenOnDestroy types.Bool     `tfsdk:"reopen_on_destroy"`
	EmailUserIDs    types.Map      `tfsdk:"email_user_ids"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

var _ resource.ResourceWithUpgradeState = (*closedUsersResource)(nil)

// UpgradeState turns version 0's sets into lists, in sorted order as sets held them.
func (r *closedUsersResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	str := func() schema.StringAttribute { return schema.StringAttribute{Optional: true, Computed: true} }
	return map[int64]resource.StateUpgrader{
		0: {
			PriorSchema: &schema.Schema{Attributes: map[string]schema.Attribute{
				"id": str(), "account_id": str(),
				"user_ids":          schema.SetAttribute{Optional: true, ElementType: types.StringType},
				"emails":            schema.SetAttribute{Optional: true, ElementType: types.StringType},
				"reopen_on_destroy": schema.BoolAttribute{Optional: true, Computed: true},
				"email_user_ids":    schema.MapAttribute{Computed: true, ElementType: types.StringType},
			}, Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true})}},
			StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
				var old closedUsersModelV0
				resp.Diagnostics.Append(req.State.Get(ctx, &old)...)
				if resp.Diagnostics.HasError() {
					return
				}
				toList := func(s types.Set) types.List {
					if s.IsNull() {
						return types.ListNull(types.StringType)
					}
					values := setStrings(s)
					sort.Strings(values)
					return stringList(values)
				}
				resp.Diagnostics.Append(resp.State.Set(ctx, closedUsersModel{
					ID: old.ID, AccountID: old.AccountID, UserIDs: toList(old.UserIDs), Emails: toList(old.Emails),
					ReopenOnDestroy: old.ReopenOnDestroy, EmailUserIDs: old.EmailUserIDs, BulkCloseThreshold: types.Int64Null(),
					Timeouts: old.Timeouts,
				})...)
			},
		},
	}
}
