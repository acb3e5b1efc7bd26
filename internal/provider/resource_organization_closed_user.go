package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.Resource                = (*organizationClosedUserResource)(nil)
	_ resource.ResourceWithConfigure   = (*organizationClosedUserResource)(nil)
	_ resource.ResourceWithImportState = (*organizationClosedUserResource)(nil)
)

// NewOrganizationClosedUserResource is the docusign_organization_closed_user factory.
func NewOrganizationClosedUserResource() resource.Resource { return &organizationClosedUserResource{} }

type organizationClosedUserResource struct {
	data *providerData
}

type organizationClosedUserModel struct {
	OrganizationID   types.String `tfsdk:"organization_id"`
	UserID           types.String `tfsdk:"user_id"`
	Email            types.String `tfsdk:"email"`
	ReopenOnDestroy  types.Bool   `tfsdk:"reopen_on_destroy"`
	UserName         types.String `tfsdk:"user_name"`
	ClosedAccountIDs types.Set    `tfsdk:"closed_account_ids"`
}

func (r *organizationClosedUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_closed_user"
}

func (r *organizationClosedUserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes := closeTargetAttributes("organization")
	attributes["organization_id"] = schema.StringAttribute{
		MarkdownDescription: "Organization ID GUID. Every membership the user has in this organization's accounts is closed. Changing it replaces the resource.",
		Required:            true,
		Validators:          []validator.String{isGUID()},
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
	attributes["user_name"] = schema.StringAttribute{
		MarkdownDescription: "The user's name as DocuSign shows it.",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attributes["closed_account_ids"] = schema.SetAttribute{
		MarkdownDescription: "Account IDs in which this resource holds the user closed: every account of the organization the user is a member of.",
		Computed:            true,
		ElementType:         types.StringType,
		PlanModifiers:       []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Closes every membership a DocuSign user has in an organization's accounts when created (Admin API), " +
			"for leavers who hold seats in several accounts. Closing a user who is already closed succeeds. If someone reopens " +
			"one of those memberships outside Terraform, the next plan closes the user again. Destroying forgets the closure, or " +
			"reopens the memberships it closed when `reopen_on_destroy` is true.\n\n" +
			"Each closure is one Admin API call for the user's memberships. For one account, `docusign_closed_user` is cheaper: " +
			"concurrent closures there share batched calls.",
		Attributes: attributes,
	}
}

func (r *organizationClosedUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationClosedUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan organizationClosedUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.client
	orgID := plan.OrganizationID.ValueString()
	profile, d := findOrgProfile(ctx, client, orgID, plan.UserID.ValueString(), plan.Email.ValueString())
	if resp.Diagnostics.Append(d...); resp.Diagnostics.HasError() {
		return
	}
	var open, all []string
	for _, ms := range profile.Memberships {
		all = append(all, ms.AccountID)
		if !ms.IsClosed() {
			open = append(open, ms.AccountID)
		}
	}
	if len(open) > 0 {
		failed, err := client.Admin.CloseMemberships(ctx, orgID, profile.ID, open)
		if err != nil {
			resp.Diagnostics.AddError("Unable to Close User", fmt.Sprintf("Closing user %s in organization %s failed: %s", profile.ID, orgID, explain(err)))
			return
		}
		if len(failed) > 0 {
			msgs := make([]string, len(failed))
			for i, f := range failed {
				msgs[i] = f.Error()
			}
			// Nothing is saved, so the next apply closes what is still open.
			resp.Diagnostics.AddError("Unable to Close User", fmt.Sprintf("DocuSign closed user %s in some accounts of organization %s but not in: %s. "+
				"Apply again to finish.", profile.ID, orgID, strings.Join(msgs, "; ")))
			return
		}
	}
	plan.UserID = types.StringValue(profile.ID)
	plan.Email = keepEmail(plan.Email, profileEmail(profile))
	plan.UserName = types.StringValue(profile.UserName)
	plan.ClosedAccountIDs = stringSet(all)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *organizationClosedUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readClosure(ctx, req, resp, r.read)
}

func (r *organizationClosedUserResource) read(ctx context.Context, m *organizationClosedUserModel) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	orgID := m.OrganizationID.ValueString()
	profile, d := findOrgProfile(ctx, r.data.client, orgID, m.UserID.ValueString(), m.Email.ValueString())
	if d.HasError() {
		if isNotFoundDiag(d) {
			return false, nil
		}
		return false, d
	}
	held := map[string]bool{}
	for _, id := range setStrings(m.ClosedAccountIDs) {
		held[id] = true
	}
	var all, reopened []string
	for _, ms := range profile.Memberships {
		all = append(all, ms.AccountID)
		// A reopened membership that this resource closed is drift.
		if !ms.IsClosed() && (len(held) == 0 || held[ms.AccountID]) {
			reopened = append(reopened, ms.AccountID)
		}
	}
	if len(reopened) > 0 {
		warnReopened(&diags, userLabel(m.Email.ValueString(), profile.ID), "open again in "+accountsLabel(reopened))
		return false, diags
	}
	m.UserID = types.StringValue(profile.ID)
	m.Email = keepEmail(m.Email, profileEmail(profile))
	m.UserName = types.StringValue(profile.UserName)
	m.ClosedAccountIDs = stringSet(all)
	return true, diags
}

func (r *organizationClosedUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	updateClosure[organizationClosedUserModel](ctx, req, resp)
}

func (r *organizationClosedUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state organizationClosedUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.ReopenOnDestroy.ValueBool() {
		return
	}
	_, d := reopenMemberships(ctx, r.data, state.OrganizationID.ValueString(), state.UserID.ValueString(), state.Email.ValueString(),
		setStrings(state.ClosedAccountIDs))
	resp.Diagnostics.Append(d...)
}

// ImportState accepts <organization_id>/<user_id or email>.
func (r *organizationClosedUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, "/")
	if len(parts) != 2 {
		resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("Expected <organization_id>/<user_id or email>, got %q.", req.ID))
		return
	}
	userID, email, d := importTarget(req.ID, parts[0], parts[1])
	if resp.Diagnostics.Append(d...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &organizationClosedUserModel{
		OrganizationID:   types.StringValue(parts[0]),
		UserID:           userID,
		Email:            email,
		ReopenOnDestroy:  types.BoolValue(false),
		UserName:         types.StringNull(),
		ClosedAccountIDs: types.SetNull(types.StringType),
	})...)
}
