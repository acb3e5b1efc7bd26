package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
	_ resource.ResourceWithModifyPlan  = (*organizationClosedUserResource)(nil)
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

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *organizationClosedUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_closed_user"
}

func (r *organizationClosedUserResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
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
		MarkdownDescription: "Account IDs in which this resource holds the user closed: every account of the organization the user is a member of. " +
			"Memberships in accounts outside the organization (the Admin API marks them `is_external_account`) are never closed and never listed.",
		Computed:      true,
		ElementType:   types.StringType,
		PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
	}
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx, timeouts.Opts{Create: true, Read: true, Delete: true})},
		MarkdownDescription: "Closes every membership a DocuSign user has in an organization's accounts when created (Admin API), " +
			"for leavers who hold seats in several accounts. Memberships the user holds in accounts of other organizations " +
			"(external memberships) are left alone and never count as drift. Closing a user who is already closed succeeds. If someone reopens " +
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
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	defer cancel()
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
	if isImpersonatedUser(r.data, profile.ID) {
		resp.Diagnostics.Append(selfCloseError(path.Root("email"), profile.ID, ", whose email is "+plan.Email.ValueString()))
		return
	}
	var open, all []string
	for _, ms := range profile.Memberships {
		// A membership in another organization's account is not this organization's to close.
		if ms.IsExternalAccount {
			continue
		}
		all = append(all, ms.AccountID)
		if !ms.IsClosed() {
			open = append(open, ms.AccountID)
		}
	}
	if len(open) > 0 {
		failed, err := client.CloseOrganizationMemberships(ctx, orgID, profile.ID, open)
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
			resp.Diagnostics.AddError("Unable to Close User", fmt.Sprintf("DocuSign did not confirm closing user %s in these accounts of organization %s: %s. "+
				"Nothing is saved; apply again to finish.", profile.ID, orgID, strings.Join(msgs, "; ")))
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
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Read, &resp.Diagnostics)
	defer cancel()
	readClosedUser(ctx, req, resp, r.read)
}

func (r *organizationClosedUserResource) read(ctx context.Context, m *organizationClosedUserModel) (closedUserRefresh, diag.Diagnostics) {
	var diags diag.Diagnostics
	orgID := m.OrganizationID.ValueString()
	who := m.UserID.ValueString()
	if who == "" {
		who = "with email " + m.Email.ValueString()
	}
	found := closedUserRefresh{who: fmt.Sprintf("user %s in organization %s", who, orgID)}
	profile, d := findOrgProfile(ctx, r.data.client, orgID, m.UserID.ValueString(), m.Email.ValueString())
	if d.HasError() {
		if isNotFoundDiag(d) {
			return found, nil
		}
		return found, d
	}
	held := map[string]bool{}
	for _, id := range setStrings(m.ClosedAccountIDs) {
		held[id] = true
	}
	found.who = fmt.Sprintf("user %s in organization %s", userLabel(m.Email.ValueString(), profile.ID), orgID)
	var all, reopened []string
	for _, ms := range profile.Memberships {
		if ms.IsExternalAccount { // never closed here, so never drift
			continue
		}
		all = append(all, ms.AccountID)
		// A reopened membership that this resource closed is drift.
		if !ms.IsClosed() && (len(held) == 0 || held[ms.AccountID]) {
			reopened = append(reopened, fmt.Sprintf("membership status %s in account %s", strconv.Quote(ms.Status), ms.AccountID))
		}
	}
	if len(reopened) > 0 {
		sort.Strings(reopened)
		found.status = strings.Join(reopened, ", ")
		return found, diags
	}
	m.UserID = types.StringValue(profile.ID)
	m.Email = keepEmail(m.Email, profileEmail(profile))
	m.UserName = types.StringValue(profile.UserName)
	m.ClosedAccountIDs = stringSet(all)
	found.closed = true
	return found, diags
}

func (r *organizationClosedUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	updateClosedUser[organizationClosedUserModel](ctx, req, resp)
}

func (r *organizationClosedUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	defer cancel()
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
	parts, diags := parseImportID(req.ID, exampleGUID+"/"+exampleEmail, organizationUserImportID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	userID, email := userReference(parts[1])
	resp.Diagnostics.Append(resp.State.Set(ctx, &organizationClosedUserModel{
		OrganizationID:   types.StringValue(parts[0]),
		UserID:           userID,
		Email:            email,
		ReopenOnDestroy:  types.BoolValue(false),
		UserName:         types.StringNull(),
		ClosedAccountIDs: types.SetNull(types.StringType),
		Timeouts:         nullTimeouts("create", "read", "delete"),
	})...)
	markImporting(ctx, resp)
}

// ModifyPlan refuses, at plan time, to close the user the provider impersonates when user_id
// names them; a user named by email is checked at apply, before any close.
func (r *organizationClosedUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	refuseImpersonatedUserID(ctx, r.data, req, resp)
}
