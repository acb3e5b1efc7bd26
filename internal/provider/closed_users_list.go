package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

// uniqueStrings rejects an element given twice (letter case ignored), in one pass.
func uniqueStrings() validator.List { return uniqueStringsValidator{} }

type uniqueStringsValidator struct{}

func (uniqueStringsValidator) Description(context.Context) string {
	return "each element must appear once, ignoring letter case"
}

func (v uniqueStringsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uniqueStringsValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	seen := map[string]bool{}
	for _, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		key := strings.ToLower(s.ValueString())
		if seen[key] {
			resp.Diagnostics.AddAttributeError(req.Path, "Duplicate Value",
				fmt.Sprintf("%s lists %q more than once; list each user once.", req.Path, s.ValueString()))
			return
		}
		seen[key] = true
	}
}

// sameElementsKeepState plans the prior state when the configuration holds the same elements in
// another order, so reordering a list of users is no change.
func sameElementsKeepState() planmodifier.List { return sameElementsKeepStateModifier{} }

type sameElementsKeepStateModifier struct{}

func (sameElementsKeepStateModifier) Description(context.Context) string {
	return "the same elements in another order plan no change"
}

func (m sameElementsKeepStateModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (sameElementsKeepStateModifier) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	// The attributes are Computed only so that this modifier may plan the state's order; what is
	// not configured stays null.
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
		return
	}
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() || len(req.StateValue.Elements()) != len(req.PlanValue.Elements()) {
		return
	}
	for _, e := range req.PlanValue.Elements() {
		if s, ok := e.(types.String); !ok || s.IsUnknown() {
			return
		}
	}
	if sameStrings(listStrings(req.PlanValue), listStrings(req.StateValue)) {
		resp.PlanValue = req.StateValue
	}
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		if count[s] == 0 {
			return false
		}
		count[s]--
	}
	return true
}

// emailIDsFollowEmails keeps email_user_ids from state while the configured emails are the
// state's (in any order); the framework would otherwise plan it unknown whenever anything in the
// resource changes, a reordering included.
func emailIDsFollowEmails() planmodifier.Map { return emailIDsFollowEmailsModifier{} }

type emailIDsFollowEmailsModifier struct{}

func (emailIDsFollowEmailsModifier) Description(context.Context) string {
	return "unchanged while the emails are unchanged"
}

func (m emailIDsFollowEmailsModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (emailIDsFollowEmailsModifier) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	var configured, inState types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("emails"), &configured)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("emails"), &inState)...)
	if resp.Diagnostics.HasError() || configured.IsUnknown() {
		return
	}
	if sameStrings(listStrings(configured), listStrings(inState)) {
		resp.PlanValue = req.StateValue
	}
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
