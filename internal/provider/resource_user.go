// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

var (
	_ resource.Resource                = (*userResource)(nil)
	_ resource.ResourceWithConfigure   = (*userResource)(nil)
	_ resource.ResourceWithImportState = (*userResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*userResource)(nil)
	_ resource.ResourceWithIdentity    = (*userResource)(nil)
)

// NewUserResource is the docusign_user factory.
func NewUserResource() resource.Resource { return &userResource{} }

type userResource struct {
	data *providerData
}

type userModel struct {
	ID                    types.String `tfsdk:"id"`
	AccountID             types.String `tfsdk:"account_id"`
	Email                 types.String `tfsdk:"email"`
	UserName              types.String `tfsdk:"user_name"`
	FirstName             types.String `tfsdk:"first_name"`
	LastName              types.String `tfsdk:"last_name"`
	PermissionProfileName types.String `tfsdk:"permission_profile_name"`
	PermissionProfileID   types.String `tfsdk:"permission_profile_id"`
	CloseOnDestroy        types.Bool   `tfsdk:"close_on_destroy"`
	CloseExistingUser     types.Bool   `tfsdk:"close_existing_user"`
	CreatedUser           types.Bool   `tfsdk:"created_user"`
	UserStatus            types.String `tfsdk:"user_status"`
	CreatedAt             types.String `tfsdk:"created_at"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *userResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (r *userResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	profileAttrs := []path.Expression{path.MatchRoot("permission_profile_name"), path.MatchRoot("permission_profile_id")}
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": timeoutsBlock(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true})},
		MarkdownDescription: "A DocuSign account membership managed by Terraform. Creating it adds the person to the account " +
			"(DocuSign emails an activation link). If the email already belongs to a DocuSign user in another account, DocuSign " +
			"adds that existing user rather than a new one, and `created_user` is `false`.\n\n" +
			"**Who is closed.** DocuSign never deletes users; destroying this resource, or replacing it, closes the membership " +
			"only when `close_on_destroy` is `true` (the default) **and** Terraform created the DocuSign user (`created_user = true`). " +
			"A user who existed before Terraform added them, or who was imported, is left open unless `close_existing_user = true` " +
			"says otherwise. A user closed or removed outside Terraform disappears from state, so the next plan offers to add them again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user ID GUID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account ID GUID. Defaults to the provider's `account_id`, else the impersonated user's default account. " +
					"Changing it replaces the resource (see `close_on_destroy` for what that closes).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{isGUID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Email address, kept as written. DocuSign compares emails without regard to letter case, and so does " +
					"this resource: a change of letter case only updates state, while any other change replaces the resource " +
					"(see `close_on_destroy` for what that closes).",
				Required:   true,
				Validators: []validator.String{isEmail()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(emailChangedBeyondCase,
					"A new email other than by letter case replaces the resource.", "A new email other than by letter case replaces the resource.")},
			},
			"user_name": schema.StringAttribute{
				MarkdownDescription: "Full name as DocuSign shows it, 1–100 characters. When the email belongs to a DocuSign user who " +
					"already exists, DocuSign keeps that user's name; Terraform then sets it to this value, which renames the user " +
					"in every account they belong to.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthBetween(1, 100)},
			},
			"first_name": schema.StringAttribute{
				MarkdownDescription: "Given name, up to 50 characters. Left out, it shows DocuSign's value: DocuSign fills it in for a " +
					"new user, and a user who already exists keeps theirs.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.LengthAtMost(50)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_name": schema.StringAttribute{
				MarkdownDescription: "Family name, up to 50 characters. Left out, it shows DocuSign's value, as for `first_name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtMost(50)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"permission_profile_name": schema.StringAttribute{
				MarkdownDescription: "Permission profile by name: a built-in profile (`DS Admin`, `DS Sender` or `DS Viewer`, which " +
					"older accounts call `Account Administrator`, `DocuSign Sender` and `DocuSign Viewer`; either name of a built-in profile " +
					"finds it on both kinds of account) or a custom profile of the account. The name is resolved to the account's own profile ID (IDs differ per account) " +
					"with one `GET …/permission_profiles` per account and run; a name the account lacks is an error that lists the " +
					"account's profiles. Set at most one of `permission_profile_name` or `permission_profile_id`; with neither, " +
					"DocuSign assigns the account's default.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.ConflictsWith(profileAttrs...), stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"permission_profile_id": schema.StringAttribute{
				MarkdownDescription: "Permission profile by numeric ID, as this account numbers it: the same profile has a different ID " +
					"in every account, so prefer `permission_profile_name` when one configuration serves several accounts. " +
					"Set at most one of `permission_profile_name` or `permission_profile_id`.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(profileAttrs...),
					stringvalidator.RegexMatches(numericPattern, "must be the account's numeric permission profile ID"),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"close_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "`true` (default): destroying or replacing the resource closes the membership, if Terraform created " +
					"the DocuSign user (`created_user`) or `close_existing_user` is `true`. `false`: destroy and replacement only " +
					"remove the resource from state and never close anyone.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"close_existing_user": schema.BoolAttribute{
				MarkdownDescription: "`false` (default): a DocuSign user who existed before Terraform added them to the account " +
					"(`created_user = false`, including every imported user) is never closed by destroy or replacement. `true`: " +
					"close their membership in this account too, as `close_on_destroy` says. Only this account's membership is " +
					"ever closed; memberships in other accounts are left alone.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_user": schema.BoolAttribute{
				MarkdownDescription: "`true` when this resource's create made a new DocuSign user: DocuSign reported the user as created " +
					"during the apply. `false` when the email already belonged to a DocuSign user whom Terraform only added to the " +
					"account, and for imported users.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"user_status": schema.StringAttribute{
				MarkdownDescription: "Membership status: `ActivationSent`, `ActivationRequired`, `Active` or `Disabled`, as of the last refresh.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When DocuSign created the user, as DocuSign reports it. For a user who existed before, this is " +
					"older than the resource.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// emailChangedBeyondCase replaces the resource for a new email, but not for the same email in
// other letter case, which DocuSign treats as the same address.
func emailChangedBeyondCase(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
}

// IdentitySchema names the membership: its account and user ID.
func (r *userResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = accountUserIdentitySchema
}

// setUserIdentity stores m's identity once its user ID is a GUID (an import by email learns it in
// the Read that follows).
func setUserIdentity(ctx context.Context, target *tfsdk.ResourceIdentity, diags *diag.Diagnostics, m userModel) {
	if guidPattern.MatchString(m.ID.ValueString()) {
		setIdentity(ctx, target, diags, accountUserIdentity{AccountID: m.AccountID, UserID: m.ID}, m.AccountID, m.ID)
	}
}

func (r *userResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan keeps the two permission profile attributes consistent, and resolves a configured
// profile name at plan time, so a name the account lacks fails the plan rather than the apply.
func (r *userResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan, config userModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *userModel
	if !req.State.Raw.IsNull() {
		state = &userModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	nameChanged := !config.PermissionProfileName.IsNull() && (state == nil || !config.PermissionProfileName.Equal(state.PermissionProfileName))
	if state != nil && !config.PermissionProfileID.IsNull() && !config.PermissionProfileID.Equal(state.PermissionProfileID) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("permission_profile_name"), types.StringUnknown())...)
	}
	if !nameChanged {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("permission_profile_id"), types.StringUnknown())...)
	if config.PermissionProfileName.IsUnknown() || plan.AccountID.IsUnknown() || !configured(r.data, nil, "") {
		return
	}
	profile, err := r.data.client.PermissionProfileByName(ctx, plan.AccountID.ValueString(), config.PermissionProfileName.ValueString())
	switch {
	case errors.Is(err, docusign.ErrUnknownPermissionProfile):
		resp.Diagnostics.AddAttributeError(path.Root("permission_profile_name"), "Unknown Permission Profile", explain(err)+
			". Set permission_profile_name to one of these names.")
	case err == nil:
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("permission_profile_id"), types.StringValue(profile.ID))...)
	}
	// Other errors (the account among them) leave the ID unknown; the apply resolves the name
	// again and reports them.
}

func (r *userResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	defer cancel()
	var plan userModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Create User") {
		return
	}
	added, err := r.data.client.CreateAccountUser(ctx, docusign.NewAccountUser{
		AccountID:             plan.AccountID.ValueString(),
		Email:                 plan.Email.ValueString(),
		UserName:              plan.UserName.ValueString(),
		FirstName:             plan.FirstName.ValueString(),
		LastName:              plan.LastName.ValueString(),
		PermissionProfileName: plan.PermissionProfileName.ValueString(),
		PermissionProfileID:   plan.PermissionProfileID.ValueString(),
	})
	if err != nil {
		addCreateUserError(&resp.Diagnostics, err, plan.Email.ValueString())
		return
	}
	// The membership exists, so state must hold it whatever else the call reports: an untracked
	// user turns every later apply into "User Already Exists". What failed after the create is
	// therefore a warning, with state filled from DocuSign's create answer and the plan. An error
	// would make Terraform taint the resource and replace it on the next apply, which closes the
	// membership just made and adds the person again.
	resp.Diagnostics.Append(addedUserWarnings(added, plan.Email.ValueString())...)
	plan.ID = types.StringValue(added.User.UserID)
	plan.AccountID = types.StringValue(added.AccountID)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), plan.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), plan.AccountID)...)
	plan.CreatedUser = types.BoolValue(added.CreatedUser)
	applyUser(&plan, added.User)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setUserIdentity(ctx, resp.Identity, &resp.Diagnostics, plan)
}

// applyUser copies what DocuSign holds into m, keeping what the configuration wrote where
// DocuSign means the same thing: an email or a profile name in other letter case, or the other
// name of a built-in profile.
func applyUser(m *userModel, u *esign.User) {
	if u.Email != "" && !strings.EqualFold(u.Email, m.Email.ValueString()) {
		m.Email = types.StringValue(u.Email)
	}
	if u.UserName != "" || m.UserName.IsUnknown() {
		m.UserName = types.StringValue(u.UserName)
	}
	m.FirstName = nameValue(m.FirstName, u.FirstName)
	m.LastName = nameValue(m.LastName, u.LastName)
	if !docusign.SameProfileName(u.PermissionProfileName, m.PermissionProfileName.ValueString()) || m.PermissionProfileName.IsUnknown() {
		m.PermissionProfileName = optionalString(u.PermissionProfileName)
	}
	m.PermissionProfileID = optionalString(u.PermissionProfileID)
	m.UserStatus = optionalString(u.UserStatus)
	if u.CreatedDateTime != "" || m.CreatedAt.IsUnknown() {
		m.CreatedAt = optionalString(u.CreatedDateTime)
	}
	if m.CloseOnDestroy.IsNull() || m.CloseOnDestroy.IsUnknown() {
		m.CloseOnDestroy = types.BoolValue(true)
	}
	if m.CloseExistingUser.IsNull() || m.CloseExistingUser.IsUnknown() {
		m.CloseExistingUser = types.BoolValue(false)
	}
	if m.CreatedUser.IsNull() || m.CreatedUser.IsUnknown() {
		m.CreatedUser = types.BoolValue(false)
	}
}

// nameValue is DocuSign's name, or null when DocuSign has none and the configuration set none.
func nameValue(current types.String, docusignValue string) types.String {
	if docusignValue == "" && (current.IsNull() || current.IsUnknown()) {
		return types.StringNull()
	}
	return types.StringValue(docusignValue)
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func (r *userResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identityAfterRemoval(ctx, req, resp, map[string]string{"account_id": "account_id", "user_id": "id"})
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Read, &resp.Diagnostics)
	defer cancel()
	var state userModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Read User") {
		return
	}
	client := r.data.client
	accountID, err := client.AccountID(ctx, state.AccountID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read User", explain(err))
		return
	}
	who := docusign.UserRef{ID: state.ID.ValueString(), Email: state.Email.ValueString()}
	if !guidPattern.MatchString(who.ID) { // imported by email
		who.ID = ""
	}
	user, err := client.FindOpenUser(ctx, accountID, who)
	if errors.Is(err, docusign.ErrUserNotFound) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read User", explain(err))
		return
	}
	if user.IsClosed() {
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(idAsHeld(who.ID, user.UserID))
	state.AccountID = types.StringValue(accountID)
	applyUser(&state, user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	setUserIdentity(ctx, resp.Identity, &resp.Diagnostics, state)
}

func (r *userResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	defer cancel()
	var plan, state userModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Update User") {
		return
	}
	accountID, userID := state.AccountID.ValueString(), state.ID.ValueString()
	var changes docusign.UserChanges
	if !plan.UserName.Equal(state.UserName) {
		changes.UserName = plan.UserName.ValueString()
	}
	if !plan.FirstName.IsUnknown() && !plan.FirstName.Equal(state.FirstName) {
		changes.FirstName = plan.FirstName.ValueString()
	}
	if !plan.LastName.IsUnknown() && !plan.LastName.Equal(state.LastName) {
		changes.LastName = plan.LastName.ValueString()
	}
	nameChanged := !plan.PermissionProfileName.IsUnknown() && !docusign.SameProfileName(plan.PermissionProfileName.ValueString(), state.PermissionProfileName.ValueString())
	idChanged := !plan.PermissionProfileID.IsUnknown() && !plan.PermissionProfileID.Equal(state.PermissionProfileID)
	if nameChanged || idChanged {
		changes.PermissionProfileName, changes.PermissionProfileID = plan.PermissionProfileName.ValueString(), plan.PermissionProfileID.ValueString()
	}
	plan.ID, plan.AccountID, plan.CreatedUser = state.ID, state.AccountID, state.CreatedUser
	if changes == (docusign.UserChanges{}) {
		// Only Terraform's own settings (or an email's letter case) changed: nothing to send.
		applyUnchanged(&plan, state)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		setUserIdentity(ctx, resp.Identity, &resp.Diagnostics, plan)
		return
	}
	user, err := r.data.client.UpdateAccountUser(ctx, accountID, userID, plan.Email.ValueString(), changes)
	if err != nil {
		addUpdateUserError(&resp.Diagnostics, err)
		return
	}
	applyUser(&plan, user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setUserIdentity(ctx, resp.Identity, &resp.Diagnostics, plan)
}

// applyUnchanged fills the plan's unknown computed values from state, for an update that sent
// nothing to DocuSign.
func applyUnchanged(plan *userModel, state userModel) {
	for _, pair := range []struct {
		to   *types.String
		from types.String
	}{
		{&plan.FirstName, state.FirstName}, {&plan.LastName, state.LastName},
		{&plan.PermissionProfileName, state.PermissionProfileName}, {&plan.PermissionProfileID, state.PermissionProfileID},
		{&plan.UserStatus, state.UserStatus}, {&plan.CreatedAt, state.CreatedAt},
	} {
		if pair.to.IsUnknown() {
			*pair.to = pair.from
		}
	}
}

// Delete closes the membership only when Terraform created the user, or the configuration opted
// in to closing users who existed before; see the resource description.
func (r *userResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	defer cancel()
	var state userModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.CloseOnDestroy.ValueBool() || !configured(r.data, &resp.Diagnostics, "Unable to Close User") {
		return
	}
	accountID, userID := state.AccountID.ValueString(), state.ID.ValueString()
	if !state.CreatedUser.ValueBool() && !state.CloseExistingUser.ValueBool() {
		resp.Diagnostics.AddWarning("User Left Open",
			fmt.Sprintf("User %s (%s) existed in DocuSign before Terraform added them to account %s, or was imported, so the membership "+
				"stays open; Terraform only forgets it. Set close_existing_user = true to close such users on destroy.",
				userID, state.Email.ValueString(), accountID))
		return
	}
	_, err := r.data.client.CloseUser(ctx, accountID, docusign.UserRef{ID: userID})
	if err != nil && !errors.Is(err, docusign.ErrUserNotFound) {
		// The resource stays in state, so the next destroy finishes the close.
		resp.Diagnostics.AddError("Unable to Close User",
			fmt.Sprintf("Closing user %s in account %s failed: %s. The user is still in state; run destroy again to finish.", userID, accountID, explain(err)))
	}
}

// ImportState accepts <user_id|email> (the provider's default account) or <account_id>/<user_id|email>,
// or an import block's identity {account_id, user_id}. An imported user existed before Terraform,
// so created_user is false.
func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, fromIdentity := identityImportID(ctx, req, &resp.Diagnostics, "account_id", "user_id")
	if !fromIdentity {
		if resp.Diagnostics.HasError() {
			return
		}
		id = req.ID
	}
	parts, diags := parseImportID(id, exampleGUID+"/"+exampleEmail, accountUserImportID, userImportID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	who := parts[len(parts)-1]
	if userID, email := userReference(who); !userID.IsNull() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), userID)...)
	} else {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), email)...)
	}
	if len(parts) == 2 {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), parts[0])...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("close_on_destroy"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("close_existing_user"), false)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("created_user"), false)...)
}
