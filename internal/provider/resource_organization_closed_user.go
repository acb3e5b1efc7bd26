// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

var (
	_ resource.Resource                = (*organizationClosedUserResource)(nil)
	_ resource.ResourceWithConfigure   = (*organizationClosedUserResource)(nil)
	_ resource.ResourceWithImportState = (*organizationClosedUserResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationClosedUserResource)(nil)
	_ resource.ResourceWithIdentity    = (*organizationClosedUserResource)(nil)
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

// IdentitySchema names the closed user: the organization and the user ID.
func (r *organizationClosedUserResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = organizationUserIdentitySchema
}

// setOrganizationClosedUserIdentity stores m's identity once its user ID is known (an import by
// email learns it in the Read that follows).
func setOrganizationClosedUserIdentity(ctx context.Context, target *tfsdk.ResourceIdentity, diags *diag.Diagnostics, m organizationClosedUserModel) {
	setIdentity(ctx, target, diags, organizationUserIdentity{OrganizationID: m.OrganizationID, UserID: m.UserID}, m.OrganizationID, m.UserID)
}

func (r *organizationClosedUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationClosedUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	defer cancel()
	var plan organizationClosedUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Close User") {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	who := docusign.UserRef{ID: plan.UserID.ValueString(), Email: plan.Email.ValueString()}
	closure, err := r.data.client.CloseOrganizationUser(ctx, orgID, who)
	switch {
	case err != nil:
		addOrganizationCloseError(&resp.Diagnostics, err, orgID, who)
		return
	case len(closure.Failed) > 0:
		msgs := make([]string, len(closure.Failed))
		for i, f := range closure.Failed {
			msgs[i] = f.Error()
		}
		// Nothing is saved, so the next apply closes what is still open.
		resp.Diagnostics.AddError("Unable to Close User", fmt.Sprintf("DocuSign did not confirm closing user %s in these accounts of organization %s: %s. "+
			"Nothing is saved; apply again to finish.", closure.User.ID, orgID, strings.Join(msgs, "; ")))
		return
	}
	profile, all := closure.User, closure.AccountIDs
	plan.UserID = types.StringValue(profile.ID)
	plan.Email = keepEmail(plan.Email, profileEmail(profile))
	plan.UserName = types.StringValue(profile.UserName)
	plan.ClosedAccountIDs = stringSet(all)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setOrganizationClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, plan)
}

func (r *organizationClosedUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identityAfterRemoval(ctx, req, resp, map[string]string{"organization_id": "organization_id", "user_id": "user_id"})
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Read, &resp.Diagnostics)
	defer cancel()
	readClosedUser(ctx, req, resp, r.read)
	if !resp.State.Raw.IsNull() && !resp.Diagnostics.HasError() {
		var m organizationClosedUserModel
		resp.Diagnostics.Append(resp.State.Get(ctx, &m)...)
		setOrganizationClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, m)
	}
}

func (r *organizationClosedUserResource) read(ctx context.Context, m *organizationClosedUserModel) (closedUserRefresh, diag.Diagnostics) {
	var diags diag.Diagnostics
	orgID := m.OrganizationID.ValueString()
	who := m.UserID.ValueString()
	if who == "" {
		who = "with email " + m.Email.ValueString()
	}
	found := closedUserRefresh{who: fmt.Sprintf("user %s in organization %s", who, orgID)}
	if !configured(r.data, &diags, "Unable to Read Closed User") {
		return found, diags
	}
	profile, err := r.data.client.FindOrganizationUser(ctx, orgID, docusign.UserRef{ID: m.UserID.ValueString(), Email: m.Email.ValueString()})
	if errors.Is(err, docusign.ErrUserNotFound) {
		return found, nil
	}
	if addLookupError(&diags, err, lookupScope{organizationID: orgID, userID: m.UserID.ValueString(), email: m.Email.ValueString()}) {
		return found, diags
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
	var m organizationClosedUserModel
	if resp.Diagnostics.Append(resp.State.Get(ctx, &m)...); !resp.Diagnostics.HasError() {
		setOrganizationClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, m)
	}
}

func (r *organizationClosedUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	defer cancel()
	var state organizationClosedUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.ReopenOnDestroy.ValueBool() || !configured(r.data, &resp.Diagnostics, "Unable to Reopen User") {
		return
	}
	err := r.data.client.ReopenOrganizationUser(ctx, state.OrganizationID.ValueString(),
		docusign.UserRef{ID: state.UserID.ValueString(), Email: state.Email.ValueString()}, setStrings(state.ClosedAccountIDs))
	addReopenError(&resp.Diagnostics, err, "Unable to Reopen User", "", reopenRetry)
}

// ImportState accepts <organization_id>/<user_id or email>, or an import block's identity
// {organization_id, user_id}.
func (r *organizationClosedUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, fromIdentity := identityImportID(ctx, req, &resp.Diagnostics, "organization_id", "user_id")
	if !fromIdentity {
		if resp.Diagnostics.HasError() {
			return
		}
		id = req.ID
	}
	parts, diags := parseImportID(id, exampleGUID+"/"+exampleEmail, organizationUserImportID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	userID, email := userReference(parts[1])
	m := organizationClosedUserModel{
		OrganizationID:   types.StringValue(parts[0]),
		UserID:           userID,
		Email:            email,
		ReopenOnDestroy:  types.BoolValue(false),
		UserName:         types.StringNull(),
		ClosedAccountIDs: types.SetNull(types.StringType),
		Timeouts:         nullTimeouts("create", "read", "delete"),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	setOrganizationClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, m)
	markImporting(ctx, resp)
}

// ModifyPlan refuses, at plan time, to close the user the provider impersonates when user_id
// names them; a user named by email is checked at apply, before any close.
func (r *organizationClosedUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	refuseImpersonatedUserID(ctx, r.data, req, resp)
}
