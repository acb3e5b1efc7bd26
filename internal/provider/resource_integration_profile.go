// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
)

var (
	_ resource.Resource                = (*integrationProfileResource)(nil)
	_ resource.ResourceWithConfigure   = (*integrationProfileResource)(nil)
	_ resource.ResourceWithImportState = (*integrationProfileResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*integrationProfileResource)(nil)
	_ resource.ResourceWithIdentity    = (*integrationProfileResource)(nil)
)

// NewIntegrationProfileResource is the docusign_integration_profile factory.
type integrationProfileResource struct {
	data *providerData
	now  clock
}

type integrationProfileModel struct {
	ID                  types.String `tfsdk:"id"`
	DisplayName         types.String `tfsdk:"display_name"`
	OrganizationID      types.String `tfsdk:"organization_id"`
	ContractStartDate   types.String `tfsdk:"contract_start_date"`
	RenewalPeriodMonths types.Int64  `tfsdk:"renewal_period_months"`
	DownloadConsumption types.Bool   `tfsdk:"download_consumption"`
	IntegrationType     types.String `tfsdk:"integration_type"`
	ProfileType         types.String `tfsdk:"profile_type"`
	ConnectionURL       types.String `tfsdk:"connection_url"`
	Audience            types.String `tfsdk:"audience"`
	Accounts            types.List   `tfsdk:"accounts"`
	CurrentPeriodStart  types.String `tfsdk:"current_period_start"`
	CurrentPeriodEnd    types.String `tfsdk:"current_period_end"`
}

var profileAccountAttrTypes = map[string]attr.Type{"account_id": types.StringType, "account_name": types.StringType}

const (
	integrationTypeOrganization = "organization"
	profileTypeSubscription     = "DocuSign Subscription"
	profileSummary              = "Unable to Validate DocuSign Integration Profile"
)

func (r *integrationProfileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_profile"
}

func (r *integrationProfileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An organization-level SaaS license integration profile, as license tools such as ServiceNow's SaaS " +
			"License Management describe it. DocuSign has no object for a profile: this is a *logical* resource, validated against " +
			"DocuSign and kept in Terraform state. Create and every refresh validate the connection step by step, the way " +
			"\"Validate Connection\" does: (1) an access token, (2) an account of the impersonated user in the organization, " +
			"(3) organization administrator rights (`GET /Management/v2/organizations`), (4) the organization's plan items (the " +
			"subscriptions download), and (5) one account read when `download_consumption` is true. A failure names the step, " +
			"DocuSign's answer and what to fix. A profile whose organization is no longer reachable is removed from state on refresh.\n\n" +
			"The profile exports `current_period_start` and `current_period_end` for `data.docusign_consumption`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The organization ID; import a profile with it.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Name of the profile, any non-empty text. Changing it updates in place.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "DocuSign organization ID GUID (Settings → Organization in DocuSign Admin). The impersonated user " +
					"(provider `user_id`) must administer it. Changing it replaces the profile.",
				Required:      true,
				Validators:    []validator.String{isGUID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"contract_start_date": schema.StringAttribute{
				MarkdownDescription: "Start date of the DocuSign contract, `YYYY-MM-DD`, not in the future. Consumption cycles start " +
					"here and every `renewal_period_months` after it (a start on the 31st renews on the last day of shorter months).",
				Required:   true,
				Validators: []validator.String{isDate(), notFutureDate{now: r.now}},
			},
			"renewal_period_months": schema.Int64Attribute{
				MarkdownDescription: "Length of one renewal (consumption) cycle in months, 1–120: `1` monthly, `12` yearly.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 120)},
			},
			"download_consumption": schema.BoolAttribute{
				MarkdownDescription: "`true` (default) also validates that envelope consumption can be read (one eSignature account " +
					"read); `false` skips that step. Subscriptions are always downloaded.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"integration_type": schema.StringAttribute{
				MarkdownDescription: "Always `organization`: the profile connects at organization level with a JWT grant.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"profile_type": schema.StringAttribute{
				MarkdownDescription: "Always `DocuSign Subscription`.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"connection_url": schema.StringAttribute{
				MarkdownDescription: "The Admin API root the profile connects to, such as `https://api.docusign.net/Management`.",
				Computed:            true,
			},
			"audience": schema.StringAttribute{
				MarkdownDescription: "The OAuth host (the JWT audience), such as `account.docusign.com`.",
				Computed:            true,
			},
			"accounts": schema.ListNestedAttribute{
				MarkdownDescription: "The organization's accounts, ordered by account ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"account_id":   schema.StringAttribute{MarkdownDescription: "Account ID GUID.", Computed: true},
					"account_name": schema.StringAttribute{MarkdownDescription: "Account name.", Computed: true},
				}},
			},
			"current_period_start": schema.StringAttribute{
				MarkdownDescription: "First day (`YYYY-MM-DD`) of the renewal cycle containing today (UTC): the contract start " +
					"plus whole renewal periods.",
				Computed: true,
			},
			"current_period_end": schema.StringAttribute{
				MarkdownDescription: "Last day (`YYYY-MM-DD`, inclusive) of the renewal cycle containing today: the day before the next renewal.",
				Computed:            true,
			},
		},
	}
}

// IdentitySchema names the profile by its ID, the organization ID.
func (r *integrationProfileResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchema(map[string]string{"id": "The profile ID: the organization ID GUID."})
}

// setProfileIdentity stores the profile's identity from the state just written.
func setProfileIdentity(ctx context.Context, state tfsdk.State, target *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if state.Raw.IsNull() || diags.HasError() {
		return
	}
	var id types.String
	diags.Append(state.GetAttribute(ctx, path.Root("id"), &id)...)
	setIdentity(ctx, target, diags, idIdentity{ID: id}, id)
}

func (r *integrationProfileResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan computes the current cycle and the connection attributes at plan time, so
// data sources that read them are planned with known values.
func (r *integrationProfileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan integrationProfileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.ContractStartDate.IsUnknown() && !plan.RenewalPeriodMonths.IsUnknown() {
		if start, end, err := cyclePeriod(plan.ContractStartDate.ValueString(), plan.RenewalPeriodMonths.ValueInt64(), r.now()); err == nil {
			plan.CurrentPeriodStart, plan.CurrentPeriodEnd = types.StringValue(start), types.StringValue(end)
		}
	}
	plan.IntegrationType = types.StringValue(integrationTypeOrganization)
	plan.ProfileType = types.StringValue(profileTypeSubscription)
	if configured(r.data, nil, "") {
		plan.ConnectionURL = types.StringValue(r.data.adminBaseURL)
		plan.Audience = types.StringValue(auth.Audience(r.data.oauthBaseURL))
	}
	if !plan.OrganizationID.IsUnknown() {
		plan.ID = plan.OrganizationID
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *integrationProfileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.validateAndStore(ctx, req.Plan, &resp.State, &resp.Diagnostics)
	setProfileIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// validateAndStore proves the connection for the planned profile and keeps it, as both create
// and update do: the profile lives only in state.
func (r *integrationProfileResource) validateAndStore(ctx context.Context, planned tfsdk.Plan, state *tfsdk.State, diags *diag.Diagnostics) {
	var plan integrationProfileModel
	diags.Append(planned.Get(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	if _, d := r.validate(ctx, &plan); d.HasError() {
		diags.Append(d...)
		return
	}
	diags.Append(state.Set(ctx, &plan)...)
}

func (r *integrationProfileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identityAfterRemoval(ctx, req, resp, map[string]string{"id": "id"})
	var state integrationProfileModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.DownloadConsumption.IsNull() {
		state.DownloadConsumption = types.BoolValue(true) // imported
	}
	gone, d := r.validate(ctx, &state)
	if gone {
		tflog.Warn(ctx, "DocuSign organization is no longer reachable; removing the integration profile from state",
			map[string]any{"organization_id": state.OrganizationID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if d.HasError() {
		resp.Diagnostics.Append(d...)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	setProfileIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *integrationProfileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.validateAndStore(ctx, req.Plan, &resp.State, &resp.Diagnostics)
	setProfileIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// Delete forgets the profile: DocuSign holds nothing for it.
func (r *integrationProfileResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// ImportState takes the organization ID, or an import block's identity {id}. The contract fields
// are not stored at DocuSign: the imported profile reads them from the configuration on the next
// plan (an in-place update).
func (r *integrationProfileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importID, fromIdentity := identityImportID(ctx, req, &resp.Diagnostics, "id")
	if !fromIdentity {
		if resp.Diagnostics.HasError() {
			return
		}
		importID = req.ID
	}
	parts, diags := parseImportID(strings.TrimSpace(importID), exampleGUID, integrationProfileID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	id := parts[0]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("download_consumption"), true)...)
	setIdentity(ctx, resp.Identity, &resp.Diagnostics, idIdentity{ID: types.StringValue(id)})
}

// validate runs the connection steps and fills the computed attributes. gone reports an
// organization that is no longer reachable (no account of the user in it, or not administered).
func (r *integrationProfileResource) validate(ctx context.Context, m *integrationProfileModel) (gone bool, diags diag.Diagnostics) {
	if !configured(r.data, &diags, profileSummary) {
		return false, diags
	}
	client := r.data.client
	orgID := m.OrganizationID.ValueString()
	steps := 4
	if m.DownloadConsumption.ValueBool() {
		steps = 5
	}

	check, err := client.ValidateConnection(ctx, orgID, m.DownloadConsumption.ValueBool())
	if err != nil {
		return addConnectionError(&diags, err, orgID, steps), diags
	}
	org := check.Organization

	m.CurrentPeriodStart, m.CurrentPeriodEnd = types.StringNull(), types.StringNull()
	if !m.ContractStartDate.IsNull() && !m.RenewalPeriodMonths.IsNull() { // null only right after an import
		start, end, err := cyclePeriod(m.ContractStartDate.ValueString(), m.RenewalPeriodMonths.ValueInt64(), r.now())
		if err != nil {
			diags.AddAttributeError(path.Root("contract_start_date"), profileSummary, err.Error())
			return false, diags
		}
		m.CurrentPeriodStart, m.CurrentPeriodEnd = types.StringValue(start), types.StringValue(end)
	}
	accounts := append([]admin.Account(nil), org.Accounts...)
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].ID < accounts[j].ID })
	elems := make([]attr.Value, len(accounts))
	for i, a := range accounts {
		elems[i], _ = types.ObjectValue(profileAccountAttrTypes, map[string]attr.Value{
			"account_id": types.StringValue(a.ID), "account_name": types.StringValue(a.Name),
		})
	}
	list, d := types.ListValue(types.ObjectType{AttrTypes: profileAccountAttrTypes}, elems)
	diags.Append(d...)

	m.ID = types.StringValue(org.ID)
	m.OrganizationID = types.StringValue(org.ID)
	m.IntegrationType = types.StringValue(integrationTypeOrganization)
	m.ProfileType = types.StringValue(profileTypeSubscription)
	m.ConnectionURL = types.StringValue(r.data.adminBaseURL)
	m.Audience = types.StringValue(auth.Audience(r.data.oauthBaseURL))
	m.Accounts = list
	return false, diags
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
