package provider

import (
	"context"
	"errors"
	"fmt"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/transport"
)

var (
	_ resource.Resource                = (*userResource)(nil)
	_ resource.ResourceWithConfigure   = (*userResource)(nil)
	_ resource.ResourceWithImportState = (*userResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*userResource)(nil)
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
		MarkdownDescription: "A DocuSign account membership whose lifecycle Terraform owns. Creating it adds the user to the account " +
			"(DocuSign emails an activation link); destroying it closes the membership, because DocuSign never deletes users. " +
			"Offboarding modules close people by removing them from the configuration. A user closed or removed outside " +
			"Terraform disappears from state, so the next plan offers to add them again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user ID GUID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account ID GUID. Defaults to the provider's `account_id`, else the impersonated user's default account. Changing it replaces the user.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{isGUID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Email address. Changing it closes this membership and creates a new one (replace).",
				Required:            true,
				Validators:          []validator.String{isEmail()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"user_name": schema.StringAttribute{
				MarkdownDescription: "Full name as DocuSign shows it, 1–100 characters.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 100)},
			},
			"first_name": schema.StringAttribute{
				MarkdownDescription: "Given name, up to 50 characters.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtMost(50)},
			},
			"last_name": schema.StringAttribute{
				MarkdownDescription: "Family name, up to 50 characters.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtMost(50)},
			},
			"permission_profile_name": schema.StringAttribute{
				MarkdownDescription: "Permission profile by name, such as `DocuSign Sender`, `DocuSign Viewer` or `Account Administrator`. " +
					"Set at most one of `permission_profile_name` or `permission_profile_id`; with neither, DocuSign assigns the account's default.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.ConflictsWith(profileAttrs...), stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"permission_profile_id": schema.StringAttribute{
				MarkdownDescription: "Permission profile by numeric ID, such as `2301415` (Sender). Set at most one of `permission_profile_name` or `permission_profile_id`.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(profileAttrs...),
					stringvalidator.RegexMatches(numericPattern, "must be a numeric permission profile ID such as 2301415"),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"close_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "`true` (default) closes the membership when the resource is destroyed; `false` only removes it from state.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"user_status": schema.StringAttribute{
				MarkdownDescription: "Membership status: `ActivationSent`, `ActivationRequired`, `Active` or `Disabled`.",
				Computed:            true,
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When DocuSign created the user, as DocuSign reports it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *userResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan keeps the two permission profile attributes consistent: when one is configured and
// changes, the other will change too, so it becomes unknown rather than its stale state value.
func (r *userResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var state, config userModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !config.PermissionProfileName.IsNull() && !config.PermissionProfileName.Equal(state.PermissionProfileName) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("permission_profile_id"), types.StringUnknown())...)
	}
	if !config.PermissionProfileID.IsNull() && !config.PermissionProfileID.Equal(state.PermissionProfileID) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("permission_profile_name"), types.StringUnknown())...)
	}
}

func (r *userResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	defer cancel()
	var plan userModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.client
	accountID, err := client.AccountID(ctx, plan.AccountID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Create User", "Could not determine the account: "+explain(err))
		return
	}
	email := plan.Email.ValueString()
	newUser := esign.NewUser{
		UserName:              plan.UserName.ValueString(),
		Email:                 email,
		FirstName:             plan.FirstName.ValueString(),
		LastName:              plan.LastName.ValueString(),
		PermissionProfileID:   plan.PermissionProfileID.ValueString(),
		PermissionProfileName: plan.PermissionProfileName.ValueString(),
	}
	created, err := createUserOnce(ctx, client, accountID, newUser)
	if err != nil {
		if transport.HasCode(err, "USER_ALREADY_EXISTS_IN_ACCOUNT") {
			existing := ""
			if users, findErr := client.ESign.FindUsersByEmail(ctx, accountID, email); findErr == nil && len(users) > 0 {
				existing = users[0].UserID
			}
			resp.Diagnostics.AddAttributeError(path.Root("email"), "User Already Exists",
				fmt.Sprintf("Account %s already has an open membership for %s (user ID %s). To manage it with Terraform, import it: "+
					"terraform import <resource address> %s/%s", accountID, email, existing, accountID, existing))
			return
		}
		resp.Diagnostics.AddError("Unable to Create User", fmt.Sprintf("Adding %s to account %s failed: %s", email, accountID, explain(err)))
		return
	}
	// The create answer is thin; one read gives the profile and status DocuSign settled on.
	user, err := client.ESign.GetUser(ctx, accountID, created.UserID)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read Created User", explain(err))
		return
	}
	plan.ID = types.StringValue(created.UserID)
	plan.AccountID = types.StringValue(accountID)
	applyUser(&plan, user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// createUserOnce creates the user, and when DocuSign's answer was lost it looks the email up
// before trying again, so a dropped response never leads to a second user.
func createUserOnce(ctx context.Context, client *docusign.Client, accountID string, u esign.NewUser) (*esign.User, error) {
	created, err := client.ESign.CreateUser(ctx, accountID, u)
	if err == nil || !errors.Is(err, transport.ErrOutcomeUnknown) {
		return created, err
	}
	users, findErr := client.ESign.FindUsersByEmail(ctx, accountID, u.Email)
	if findErr != nil {
		return nil, fmt.Errorf("%w; checking whether the user was created also failed: %w", err, findErr)
	}
	for _, existing := range users {
		if !existing.IsClosed() {
			return &existing, nil
		}
	}
	return client.ESign.CreateUser(ctx, accountID, u)
}

func applyUser(m *userModel, u *esign.User) {
	if u.Email != "" {
		m.Email = types.StringValue(u.Email)
	}
	m.UserName = types.StringValue(u.UserName)
	if u.FirstName != "" || !m.FirstName.IsNull() {
		m.FirstName = types.StringValue(u.FirstName)
	}
	if u.LastName != "" || !m.LastName.IsNull() {
		m.LastName = types.StringValue(u.LastName)
	}
	m.PermissionProfileName = types.StringValue(u.PermissionProfileName)
	m.PermissionProfileID = types.StringValue(u.PermissionProfileID)
	m.UserStatus = types.StringValue(u.UserStatus)
	m.CreatedAt = types.StringValue(u.CreatedDateTime)
	if m.CloseOnDestroy.IsNull() || m.CloseOnDestroy.IsUnknown() {
		m.CloseOnDestroy = types.BoolValue(true)
	}
}

func (r *userResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Read, &resp.Diagnostics)
	defer cancel()
	var state userModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.client
	accountID, err := client.AccountID(ctx, state.AccountID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read User", explain(err))
		return
	}
	userID := state.ID.ValueString()
	if userID == "" || !guidPattern.MatchString(userID) { // imported by email
		users, err := client.ESign.FindUsersByEmail(ctx, accountID, state.Email.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Unable to Read User", explain(err))
			return
		}
		userID = ""
		for _, u := range users {
			if !u.IsClosed() {
				userID = u.UserID
				break
			}
		}
		if userID == "" {
			resp.State.RemoveResource(ctx)
			return
		}
	}
	user, err := client.ESign.GetUser(ctx, accountID, userID)
	if errors.Is(err, esign.ErrUserNotFound) {
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
	state.ID = types.StringValue(userID)
	state.AccountID = types.StringValue(accountID)
	applyUser(&state, user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	defer cancel()
	var plan, state userModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := r.data.client
	accountID := state.AccountID.ValueString()
	update := esign.UserUpdate{
		UserName:  plan.UserName.ValueString(),
		FirstName: plan.FirstName.ValueString(),
		LastName:  plan.LastName.ValueString(),
	}
	if !plan.PermissionProfileID.IsUnknown() && !plan.PermissionProfileID.Equal(state.PermissionProfileID) {
		update.PermissionProfileID = plan.PermissionProfileID.ValueString()
	}
	if !plan.PermissionProfileName.IsUnknown() && !plan.PermissionProfileName.Equal(state.PermissionProfileName) {
		update.PermissionProfileName = plan.PermissionProfileName.ValueString()
	}
	if _, err := client.ESign.UpdateUser(ctx, accountID, state.ID.ValueString(), update); err != nil {
		resp.Diagnostics.AddError("Unable to Update User", fmt.Sprintf("Updating user %s in account %s failed: %s", state.ID.ValueString(), accountID, explain(err)))
		return
	}
	user, err := client.ESign.GetUser(ctx, accountID, state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read Updated User", explain(err))
		return
	}
	plan.ID = state.ID
	plan.AccountID = state.AccountID
	applyUser(&plan, user)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *userResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	defer cancel()
	var state userModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.CloseOnDestroy.ValueBool() {
		return
	}
	client := r.data.client
	accountID, userID := state.AccountID.ValueString(), state.ID.ValueString()
	result, err := client.Closer.Close(ctx, accountID, userID)
	if err == nil {
		err = result.Err
	}
	if err != nil && !isUserMissing(err) {
		// The resource stays in state, so the next destroy finishes the close.
		resp.Diagnostics.AddError("Unable to Close User",
			fmt.Sprintf("Closing user %s in account %s failed: %s. The user is still in state; run destroy again to finish.", userID, accountID, explain(err)))
	}
}

// ImportState accepts <user_id|email> (the provider's default account) or <account_id>/<user_id|email>.
func (r *userResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	account, who := "", req.ID
	if i := strings.Index(req.ID, "/"); i >= 0 {
		account, who = req.ID[:i], req.ID[i+1:]
		if !guidPattern.MatchString(account) {
			resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("Expected <user_id or email> or <account_id>/<user_id or email>; %q is not an account ID GUID.", account))
			return
		}
	}
	switch {
	case guidPattern.MatchString(who):
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), who)...)
	case emailPattern.MatchString(who):
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), who)...)
	default:
		resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("%q is neither a user ID GUID nor an email address.", who))
		return
	}
	if account != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("account_id"), account)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("close_on_destroy"), true)...)
}
