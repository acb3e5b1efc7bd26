// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// ruleAttrTypes is the shape of the `rule` object both exclusion-rule resources export and
// data.docusign_subscriptions accepts in exclusion_rules.
var ruleAttrTypes = map[string]attr.Type{
	"id":             types.StringType,
	"kind":           types.StringType,
	"match":          types.StringType,
	"identifier":     types.StringType,
	"case_sensitive": types.BoolType,
	"user_id":        types.StringType,
	"active":         types.BoolType,
}

const ruleObjectDescription = "The rule as one object, `{id, kind, match, identifier, case_sensitive, user_id, active}`, " +
	"the same shape for both rule kinds. Pass it to `data.docusign_subscriptions` in `exclusion_rules`."

// ruleValue builds the exported rule object; an unknown part makes the whole object unknown.
func ruleValue(id types.String, kind string, match, identifier types.String, caseSensitive types.Bool, userID types.String, active types.Bool) types.Object {
	for _, v := range []attr.Value{id, match, identifier, caseSensitive, userID, active} {
		if v.IsUnknown() {
			return types.ObjectUnknown(ruleAttrTypes)
		}
	}
	obj, _ := types.ObjectValue(ruleAttrTypes, map[string]attr.Value{
		"id": id, "kind": types.StringValue(kind), "match": match, "identifier": identifier,
		"case_sensitive": caseSensitive, "user_id": userID, "active": active,
	})
	return obj
}

// exclusionRuleResource is the model of an exclusion-rule resource, which exports its rule as one object.
type exclusionRuleResource[M any] interface {
	*M
	refreshRule()
}

// planRule puts the rule object in the plan, so that what refers to it sees its values at plan time.
func planRule[M any, P exclusionRuleResource[M]](ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	P(&plan).refreshRule()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// readRule keeps the rule: it lives only in state, so reading rebuilds its object from state.
func readRule[M any, P exclusionRuleResource[M]](ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	P(&state).refreshRule()
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// exclusionRuleModel is a rule object as the data source receives it.
type exclusionRuleModel struct {
	ID            types.String `tfsdk:"id"`
	Kind          types.String `tfsdk:"kind"`
	Match         types.String `tfsdk:"match"`
	Identifier    types.String `tfsdk:"identifier"`
	CaseSensitive types.Bool   `tfsdk:"case_sensitive"`
	UserID        types.String `tfsdk:"user_id"`
	Active        types.Bool   `tfsdk:"active"`
}

// toRule turns a received rule object into a datafeed rule; missing active means active.
func (m exclusionRuleModel) toRule() datafeed.Rule {
	return datafeed.Rule{
		ID: m.ID.ValueString(), Kind: m.Kind.ValueString(), Match: m.Match.ValueString(),
		Identifier: m.Identifier.ValueString(), CaseSensitive: m.CaseSensitive.ValueBool(),
		UserID: m.UserID.ValueString(), Active: m.Active.IsNull() || m.Active.ValueBool(),
	}
}

// cyclePeriod computes the renewal cycle containing asOf, as strings.
func cyclePeriod(contractStart string, months int64, asOf time.Time) (string, string, error) {
	start, err := datafeed.ParseDate(contractStart)
	if err != nil {
		return "", "", err
	}
	s, e := datafeed.Cycle(start, int(months), asOf)
	return datafeed.FormatDate(s), datafeed.FormatDate(e), nil
}

var ruleMatchDescription = "How `identifier` is compared with each subscription identifier: `equals` (default, the only kind " +
	"DocuSign-aware SaaS license tools define), or this provider's extensions `starts_with`, `ends_with`, `contains` and " +
	"`regex` (an RE2 regular expression, as Go's regexp package reads it, matched anywhere unless anchored with `^`/`$`)."

// stringOrNull is types.StringValue, or null for "".
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// ruleObjectsFrom reads exclusion_rules.
func ruleObjectsFrom(ctx context.Context, list types.List) ([]datafeed.Rule, diag.Diagnostics) {
	var diags diag.Diagnostics
	if list.IsNull() || list.IsUnknown() {
		return nil, diags
	}
	var models []exclusionRuleModel
	diags.Append(list.ElementsAs(ctx, &models, false)...)
	rules := make([]datafeed.Rule, 0, len(models))
	for i, m := range models {
		r := m.toRule()
		if r.ID == "" {
			diags.AddAttributeError(path.Root("exclusion_rules").AtListIndex(i).AtName("id"), "Invalid Exclusion Rule",
				"Every exclusion rule needs an id; pass the rule attribute of a docusign_subscription_*_exclusion_rule resource.")
			continue
		}
		if err := r.Compile(); err != nil {
			diags.AddAttributeError(path.Root("exclusion_rules").AtListIndex(i), "Invalid Exclusion Rule", err.Error())
			continue
		}
		rules = append(rules, r)
	}
	return rules, diags
}
