// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

var (
	_ resource.Resource                = (*closedUserResource)(nil)
	_ resource.ResourceWithConfigure   = (*closedUserResource)(nil)
	_ resource.ResourceWithImportState = (*closedUserResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*closedUserResource)(nil)
	_ resource.ResourceWithIdentity    = (*closedUserResource)(nil)
)

// NewClosedUserResource is the docusign_closed_user factory.
func NewClosedUserResource() resource.Resource { return &closedUserResource{} }

type closedUserResource struct {
	data *providerData
}

// closedUserModel is deliberately small. Offboarding waves declare hundreds of these, and
// terraform rewrites the whole state file after each one, converting every attribute of every
// instance; each extra attribute costs more wall time per apply than the API call does. The
// organization-wide form, which needs more, is docusign_organization_closed_user.
type closedUserModel struct {
	UserID          types.String `tfsdk:"user_id"`
	Email           types.String `tfsdk:"email"`
	AccountID       types.String `tfsdk:"account_id"`
	ReopenOnDestroy types.Bool   `tfsdk:"reopen_on_destroy"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *closedUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_closed_user"
}

func (r *closedUserResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes := closeTargetAttributes("account")
	attributes["account_id"] = schema.StringAttribute{
		MarkdownDescription: "Account ID GUID of the account whose membership is closed. Defaults to the provider's `account_id`, " +
			"else the impersonated user's default account. Changing it closes the user in another account (replace).",
		Optional:      true,
		Computed:      true,
		Validators:    []validator.String{isGUID()},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
	}
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx, timeouts.Opts{Create: true, Read: true, Delete: true})},
		MarkdownDescription: "Closes a DocuSign user's membership in one account when created: the leaver action as a declaration. " +
			"DocuSign never deletes users; it closes their memberships. Closing a user who is already closed succeeds. If someone " +
			"reopens the user outside Terraform, the next plan closes them again. Destroying forgets the closure, or reopens the " +
			"membership when `reopen_on_destroy` is true.\n\n" +
			"Concurrent closures in one account share batched API calls, so closing many users costs a fraction of a call each. " +
			"To close every membership a user has across an organization's accounts, use `docusign_organization_closed_user`; " +
			"to close a whole list as one resource, use `docusign_closed_users`.",
		Attributes: attributes,
	}
}

// closeTargetAttributes are the attributes both closed-user resources share: who to close, and
// whether destroying reopens them. where is "account" or "organization".
func closeTargetAttributes(where string) map[string]schema.Attribute {
	userID, email := userIDOrEmailAttributes(
		"User ID GUID of the user to close. Exactly one of `user_id` or `email` must be set; the other is computed. "+
			"Changing it closes another user (replace).",
		"Email address of the user to close. Exactly one of `user_id` or `email` must be set; the other is computed. "+
			"It must match exactly one user in the "+where+". Changing it closes another user (replace).")
	return map[string]schema.Attribute{
		"user_id":           userID,
		"email":             email,
		"reopen_on_destroy": reopenOnDestroyAttribute(),
	}
}

// IdentitySchema names the closed membership: its account and user ID.
func (r *closedUserResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = accountUserIdentitySchema
}

// setClosedUserIdentity stores m's identity once its user ID is known (an import by email
// learns it in the Read that follows).
func setClosedUserIdentity(ctx context.Context, target *tfsdk.ResourceIdentity, diags *diag.Diagnostics, m closedUserModel) {
	setIdentity(ctx, target, diags, accountUserIdentity{AccountID: m.AccountID, UserID: m.UserID}, m.AccountID, m.UserID)
}

func (r *closedUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *closedUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	defer cancel()
	var plan closedUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Close User") {
		return
	}
	client := r.data.client
	accountID, err := client.AccountID(ctx, plan.AccountID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Close User", "Could not determine the account: "+explain(err))
		return
	}
	who := docusign.UserRef{ID: plan.UserID.ValueString(), Email: plan.Email.ValueString()}
	user, err := client.CloseUser(ctx, accountID, who)
	if err != nil {
		addCloseError(&resp.Diagnostics, err, accountID, who)
		return
	}
	plan.UserID = types.StringValue(idAsHeld(who.ID, user.UserID))
	plan.AccountID = types.StringValue(accountID)
	plan.Email = keepEmail(plan.Email, user.Email)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, plan)
}

func (r *closedUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identityAfterRemoval(ctx, req, resp, map[string]string{"account_id": "account_id", "user_id": "user_id"})
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Read, &resp.Diagnostics)
	defer cancel()
	readClosedUser(ctx, req, resp, r.read)
	if !resp.State.Raw.IsNull() && !resp.Diagnostics.HasError() {
		var m closedUserModel
		resp.Diagnostics.Append(resp.State.Get(ctx, &m)...)
		setClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, m)
	}
}

func (r *closedUserResource) read(ctx context.Context, m *closedUserModel) (closedUserRefresh, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !configured(r.data, &diags, "Unable to Read Closed User") {
		return closedUserRefresh{}, diags
	}
	client := r.data.client
	accountID, err := client.AccountID(ctx, m.AccountID.ValueString())
	if err != nil {
		diags.AddError("Unable to Read Closed User", explain(err))
		return closedUserRefresh{}, diags
	}
	who := docusign.UserRef{ID: m.UserID.ValueString(), Email: m.Email.ValueString()}
	found := closedUserRefresh{who: fmt.Sprintf("user %s in account %s", userLabel(who.Email, who.ID), accountID)}
	if who.ID == "" { // imported by email
		found.who = fmt.Sprintf("user with email %s in account %s", who.Email, accountID)
	}
	user, err := client.AccountMembership(ctx, accountID, who)
	if errors.Is(err, docusign.ErrUserNotFound) {
		return found, diags
	}
	if err != nil {
		// An email several users share is a result: the import that asked is told to use an ID.
		addClientError(&diags, err, clientCall{summary: "Unable to Read Closed User", sharedEmailUsers: &found.ambiguous})
		return found, diags
	}
	found.who = fmt.Sprintf("user %s in account %s", userLabel(who.Email, idAsHeld(who.ID, user.UserID)), accountID)
	if !user.IsClosed() {
		found.status = "status " + strconv.Quote(user.UserStatus)
		return found, diags
	}
	m.UserID = types.StringValue(idAsHeld(who.ID, user.UserID))
	m.AccountID = types.StringValue(accountID)
	m.Email = keepEmail(m.Email, user.Email)
	found.closed = true
	return found, diags
}

func (r *closedUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	updateClosedUser[closedUserModel](ctx, req, resp)
	var m closedUserModel
	if resp.Diagnostics.Append(resp.State.Get(ctx, &m)...); !resp.Diagnostics.HasError() {
		setClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, m)
	}
}

func (r *closedUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	defer cancel()
	var state closedUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.ReopenOnDestroy.ValueBool() || !configured(r.data, &resp.Diagnostics, "Unable to Reopen User") {
		return
	}
	err := r.data.client.ReopenUser(ctx, state.AccountID.ValueString(), docusign.UserRef{ID: state.UserID.ValueString(), Email: state.Email.ValueString()})
	addReopenError(&resp.Diagnostics, err, "Unable to Reopen User",
		"reopen_on_destroy uses the Admin API, so the account must belong to a DocuSign organization; set reopen_on_destroy = false to only forget the closure.",
		reopenRetry)
}

// ImportState accepts <account_id>/<user_id or email>, or an import block's identity
// {account_id, user_id}.
func (r *closedUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, fromIdentity := identityImportID(ctx, req, &resp.Diagnostics, "account_id", "user_id")
	if !fromIdentity {
		if resp.Diagnostics.HasError() {
			return
		}
		id = req.ID
	}
	parts, diags := parseImportID(id, exampleGUID+"/"+exampleEmail, accountUserImportID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	userID, email := userReference(parts[1])
	m := closedUserModel{
		UserID:          userID,
		Email:           email,
		AccountID:       types.StringValue(parts[0]),
		ReopenOnDestroy: types.BoolValue(false),
		Timeouts:        nullTimeouts("create", "read", "delete"),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	setClosedUserIdentity(ctx, resp.Identity, &resp.Diagnostics, m)
	markImporting(ctx, resp)
}

// ModifyPlan refuses, at plan time, to close the user the provider impersonates when user_id
// names them; a user named by email is checked at apply, before any close.
func (r *closedUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	refuseImpersonatedUserID(ctx, r.data, req, resp)
}
