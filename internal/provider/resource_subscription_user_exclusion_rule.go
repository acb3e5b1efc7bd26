// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

var (
	_ resource.Resource                = (*subscriptionUserExclusionRuleResource)(nil)
	_ resource.ResourceWithConfigure   = (*subscriptionUserExclusionRuleResource)(nil)
	_ resource.ResourceWithImportState = (*subscriptionUserExclusionRuleResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*subscriptionUserExclusionRuleResource)(nil)
	_ resource.ResourceWithIdentity    = (*subscriptionUserExclusionRuleResource)(nil)
)

// NewSubscriptionUserExclusionRuleResource is the docusign_subscription_user_exclusion_rule factory.
func NewSubscriptionUserExclusionRuleResource() resource.Resource {
	return &subscriptionUserExclusionRuleResource{}
}

type subscriptionUserExclusionRuleResource struct {
	data *providerData
}

type subscriptionUserExclusionRuleModel struct {
	ID        types.String `tfsdk:"id"`
	ProfileID types.String `tfsdk:"profile_id"`
	UserID    types.String `tfsdk:"user_id"`
	Email     types.String `tfsdk:"email"`
	Active    types.Bool   `tfsdk:"active"`
	Reason    types.String `tfsdk:"reason"`
	Rule      types.Object `tfsdk:"rule"`
}

const userRuleSummary = "Unable to Create DocuSign Subscription User Exclusion Rule"

// refreshRule rebuilds the exported rule object from the model's own attributes.
func (m *subscriptionUserExclusionRuleModel) refreshRule() {
	m.Rule = ruleValue(m.ID, datafeed.KindUser, types.StringValue(datafeed.MatchEquals), types.StringNull(),
		types.BoolValue(false), m.UserID, m.Active)
}

func (r *subscriptionUserExclusionRuleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subscription_user_exclusion_rule"
}

func (r *subscriptionUserExclusionRuleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	userID, email := userIDOrEmailAttributes(
		"User ID GUID of the person to exclude. Exactly one of `user_id` or `email` must be set; the other is computed. "+
			"Changing it replaces the rule.",
		"Email address (the user principal name) of the person to exclude. It must name exactly one user in the "+
			"organization; when several users share it, set `user_id` instead. Changing it replaces the rule.")
	// An import by identity leaves these null in state for the configuration to fill in.
	userID.PlanModifiers = replaceUnlessImportedByIdentity(userID.PlanModifiers)
	email.PlanModifiers = replaceUnlessImportedByIdentity(email.PlanModifiers)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Takes one person out of the license counts in every product and plan (every account of the " +
			"organization), for example a service mailbox or a test user. Create looks the user up in the organization (Admin " +
			"API) and fails when the user is absent; the rule then matches the user ID, so a changed email does not break it. " +
			"DocuSign has no object for a rule: it is kept in Terraform state. Pass its `rule` to `data.docusign_subscriptions` " +
			"in `exclusion_rules`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Rule ID, a UUID the provider generates; `excluded_by` in `data.docusign_subscriptions` names it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"profile_id": schema.StringAttribute{
				MarkdownDescription: "ID of the `docusign_integration_profile` (the organization ID GUID) whose organization holds " +
					"the user. Changing it looks the user up again (replace).",
				Required:      true,
				Validators:    []validator.String{isGUID()},
				PlanModifiers: replaceUnlessImportedByIdentity([]planmodifier.String{stringplanmodifier.RequiresReplace()}),
			},
			"user_id": userID,
			"email":   email,
			"active": schema.BoolAttribute{
				MarkdownDescription: "`true` (default) applies the rule; `false` keeps it but excludes nothing.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"reason": schema.StringAttribute{
				MarkdownDescription: "Why the person is excluded, free text for auditors. Optional.",
				Optional:            true,
			},
			"rule": schema.ObjectAttribute{
				MarkdownDescription: ruleObjectDescription + " Here `kind` is `user`, `match` is `equals`, `identifier` is null " +
					"and `user_id` is the resolved user ID.",
				Computed:       true,
				AttributeTypes: ruleAttrTypes,
			},
		},
	}
}

// IdentitySchema names the rule by its ID.
func (r *subscriptionUserExclusionRuleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = ruleIdentitySchema
}

func (r *subscriptionUserExclusionRuleResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *subscriptionUserExclusionRuleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	planRule[subscriptionUserExclusionRuleModel](ctx, req, resp)
}

func (r *subscriptionUserExclusionRuleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan subscriptionUserExclusionRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, d := r.lookUpPlanned(ctx, plan)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(uuid.NewString())
	plan.UserID = types.StringValue(p.ID)
	plan.Email = keepEmail(plan.Email, profileEmail(p))
	plan.refreshRule()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// lookUpPlanned looks up the user a plan names, by the user ID or the email it knows.
func (r *subscriptionUserExclusionRuleResource) lookUpPlanned(ctx context.Context, plan subscriptionUserExclusionRuleModel) (*admin.Profile, diag.Diagnostics) {
	userID, email := plan.UserID.ValueString(), plan.Email.ValueString()
	if plan.UserID.IsUnknown() {
		userID = ""
	}
	if plan.Email.IsUnknown() {
		email = ""
	}
	return r.lookUp(ctx, plan.ProfileID.ValueString(), userID, email)
}

// lookUp finds the user in the profile's organization by ID or email.
func (r *subscriptionUserExclusionRuleResource) lookUp(ctx context.Context, orgID, userID, email string) (*admin.Profile, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !configured(r.data, &diags, userRuleSummary) {
		return nil, diags
	}
	who, attr := email, "email"
	if userID != "" {
		who, attr = userID, "user_id"
	}
	profile, err := r.data.client.FindOrganizationUser(ctx, orgID, docusign.UserRef{ID: userID, Email: email})
	if err == nil {
		return profile, diags
	}
	addClientError(&diags, err, clientCall{
		summary: userRuleSummary, lookupSummary: userRuleSummary, userID: userID, email: email,
		sharedEmail: "A user rule excludes one person: set user_id to one of them instead of email.",
		notFound:    fmt.Sprintf("DocuSign organization %s (profile_id) has no user %s, so the rule would exclude nobody. Check %s and profile_id.", orgID, who, attr),
		failed: func(err error) diag.Diagnostic {
			return diag.NewAttributeErrorDiagnostic(path.Root(attr), userRuleSummary,
				fmt.Sprintf("Looking up user %s in organization %s (profile_id) failed: %s", who, orgID, adminExplain(err, "user_read")))
		},
	})
	return nil, diags
}

// Read keeps the rule: it lives only in state, and matches a user ID that does not change.
func (r *subscriptionUserExclusionRuleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readRule[subscriptionUserExclusionRuleModel](ctx, req, resp)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *subscriptionUserExclusionRuleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state subscriptionUserExclusionRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.ProfileID.IsNull() {
		// Imported by identity: the state holds only the rule ID, so the user is looked up now.
		p, d := r.lookUpPlanned(ctx, plan)
		if resp.Diagnostics.Append(d...); resp.Diagnostics.HasError() {
			return
		}
		state.UserID = types.StringValue(p.ID)
		plan.Email = keepEmail(plan.Email, profileEmail(p))
	}
	// The plan's email is the state's, or the configured one differing only in letter case.
	plan.ID, plan.UserID = state.ID, state.UserID
	plan.refreshRule()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *subscriptionUserExclusionRuleResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// ImportState takes "<profile_id>/<user_id or email>", looks the user up and gives the imported
// rule a new ID; active takes its default. An import block's identity {id} gives the rule that ID
// and nothing else: the plan that follows takes the rest from the configuration.
func (r *subscriptionUserExclusionRuleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if id, ok := ruleIdentityImport(ctx, req, &resp.Diagnostics); ok || resp.Diagnostics.HasError() {
		if ok {
			m := subscriptionUserExclusionRuleModel{
				ID: types.StringValue(id), ProfileID: types.StringNull(), UserID: types.StringNull(), Email: types.StringNull(),
				Active: types.BoolNull(), Reason: types.StringNull(),
			}
			m.refreshRule()
			resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		}
		return
	}
	parts, diags := parseImportID(req.ID, exampleGUID+"/svc.contracts@example.com", userRuleImportID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	userID, email := "", ""
	if guidPattern.MatchString(parts[1]) {
		userID = parts[1]
	} else {
		email = parts[1]
	}
	p, d := r.lookUp(ctx, parts[0], userID, email)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := subscriptionUserExclusionRuleModel{
		ID: types.StringValue(uuid.NewString()), ProfileID: types.StringValue(parts[0]), UserID: types.StringValue(p.ID),
		Email: keepEmail(stringOrNull(email), profileEmail(p)), Active: types.BoolValue(true), Reason: types.StringNull(),
	}
	m.refreshRule()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	setRuleIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}
