// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

var (
	_ resource.Resource                     = (*subscriptionIdentifierExclusionRuleResource)(nil)
	_ resource.ResourceWithImportState      = (*subscriptionIdentifierExclusionRuleResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*subscriptionIdentifierExclusionRuleResource)(nil)
	_ resource.ResourceWithConfigValidators = (*subscriptionIdentifierExclusionRuleResource)(nil)
	_ resource.ResourceWithIdentity         = (*subscriptionIdentifierExclusionRuleResource)(nil)
)

// NewSubscriptionIdentifierExclusionRuleResource is the
// docusign_subscription_identifier_exclusion_rule factory.
func NewSubscriptionIdentifierExclusionRuleResource() resource.Resource {
	return &subscriptionIdentifierExclusionRuleResource{}
}

type subscriptionIdentifierExclusionRuleResource struct{}

type subscriptionIdentifierExclusionRuleModel struct {
	ID            types.String `tfsdk:"id"`
	ProfileID     types.String `tfsdk:"profile_id"`
	Identifier    types.String `tfsdk:"identifier"`
	Match         types.String `tfsdk:"match"`
	CaseSensitive types.Bool   `tfsdk:"case_sensitive"`
	Active        types.Bool   `tfsdk:"active"`
	Reason        types.String `tfsdk:"reason"`
	Rule          types.Object `tfsdk:"rule"`
}

// refreshRule rebuilds the exported rule object from the model's own attributes.
func (m *subscriptionIdentifierExclusionRuleModel) refreshRule() {
	m.Rule = ruleValue(m.ID, datafeed.KindIdentifier, m.Match, m.Identifier, m.CaseSensitive, types.StringNull(), m.Active)
}

func (r *subscriptionIdentifierExclusionRuleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subscription_identifier_exclusion_rule"
}

func (r *subscriptionIdentifierExclusionRuleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Takes a whole product or plan out of the license counts. In SaaS license tools a *subscription " +
			"identifier* names the product or plan a subscription is on (DocuSign reports it as the membership's plan name), not " +
			"the person. DocuSign has no object for a rule: it is validated at plan time and kept in Terraform state. Pass its " +
			"`rule` to `data.docusign_subscriptions` in `exclusion_rules`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Rule ID, a UUID the provider generates; `excluded_by` in `data.docusign_subscriptions` names it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"profile_id": schema.StringAttribute{
				MarkdownDescription: "ID of the `docusign_integration_profile` the rule belongs to (the organization ID GUID).",
				Required:            true,
				Validators:          []validator.String{isGUID()},
			},
			"identifier": schema.StringAttribute{
				MarkdownDescription: "The subscription identifier (plan name) to exclude, or with `match = \"regex\"` an RE2 regular " +
					"expression, which must compile (checked at plan).",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"match": schema.StringAttribute{
				MarkdownDescription: ruleMatchDescription,
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(datafeed.MatchEquals),
				Validators:          []validator.String{stringvalidator.OneOf(datafeed.MatchKinds...)},
			},
			"case_sensitive": schema.BoolAttribute{
				MarkdownDescription: "`true` compares letter case exactly; `false` (default) ignores it (for `regex` too).",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "`true` (default) applies the rule; `false` keeps it but excludes nothing.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"reason": schema.StringAttribute{
				MarkdownDescription: "Why the subscriptions are excluded, free text for auditors. Optional.",
				Optional:            true,
			},
			"rule": schema.ObjectAttribute{
				MarkdownDescription: ruleObjectDescription + " Here `kind` is `identifier` and `user_id` is null.",
				Computed:            true,
				AttributeTypes:      ruleAttrTypes,
			},
		},
	}
}

// IdentitySchema names the rule by its ID.
func (r *subscriptionIdentifierExclusionRuleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = ruleIdentitySchema
}

func (r *subscriptionIdentifierExclusionRuleResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{regexCompiles{}}
}

func (r *subscriptionIdentifierExclusionRuleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	planRule[subscriptionIdentifierExclusionRuleModel](ctx, req, resp)
}

func (r *subscriptionIdentifierExclusionRuleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan subscriptionIdentifierExclusionRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(uuid.NewString())
	if !r.check(&plan, &resp.Diagnostics) {
		return
	}
	plan.refreshRule()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// check compiles the rule as the data source will; the plan-time validators catch the same.
func (r *subscriptionIdentifierExclusionRuleResource) check(m *subscriptionIdentifierExclusionRuleModel, diags interface {
	AddAttributeError(path.Path, string, string)
}) bool {
	rule := datafeed.Rule{ID: m.ID.ValueString(), Kind: datafeed.KindIdentifier, Match: m.Match.ValueString(),
		Identifier: m.Identifier.ValueString(), CaseSensitive: m.CaseSensitive.ValueBool(), Active: true}
	if err := rule.Compile(); err != nil {
		diags.AddAttributeError(path.Root("identifier"), "Invalid Subscription Identifier Exclusion Rule", err.Error())
		return false
	}
	return true
}

// Read keeps the rule: it lives only in state.
func (r *subscriptionIdentifierExclusionRuleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readRule[subscriptionIdentifierExclusionRuleModel](ctx, req, resp)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *subscriptionIdentifierExclusionRuleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state subscriptionIdentifierExclusionRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = state.ID
	if !r.check(&plan, &resp.Diagnostics) {
		return
	}
	plan.refreshRule()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *subscriptionIdentifierExclusionRuleResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// ImportState takes "<profile_id>/<match>/<identifier>" (the identifier may contain slashes) and
// gives the imported rule a new ID; case_sensitive and active take their defaults. An import
// block's identity {id} gives the rule that ID and nothing else: the plan that follows takes the
// rest from the configuration, as an update.
func (r *subscriptionIdentifierExclusionRuleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if id, ok := ruleIdentityImport(ctx, req, &resp.Diagnostics); ok || resp.Diagnostics.HasError() {
		if ok {
			m := subscriptionIdentifierExclusionRuleModel{
				ID: types.StringValue(id), ProfileID: types.StringNull(), Identifier: types.StringNull(), Match: types.StringNull(),
				CaseSensitive: types.BoolNull(), Active: types.BoolNull(), Reason: types.StringNull(),
			}
			m.refreshRule()
			resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		}
		return
	}
	parts, diags := parseImportID(req.ID, exampleGUID+"/equals/eSignature Business Pro", identifierRuleImportID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	m := subscriptionIdentifierExclusionRuleModel{
		ID: types.StringValue(uuid.NewString()), ProfileID: types.StringValue(parts[0]), Match: types.StringValue(parts[1]),
		Identifier: types.StringValue(parts[2]), CaseSensitive: types.BoolValue(false), Active: types.BoolValue(true),
		Reason: types.StringNull(),
	}
	if !r.check(&m, &resp.Diagnostics) {
		return
	}
	m.refreshRule()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}
