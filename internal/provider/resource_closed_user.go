package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

var (
	_ resource.Resource                     = (*closedUserResource)(nil)
	_ resource.ResourceWithConfigure        = (*closedUserResource)(nil)
	_ resource.ResourceWithImportState      = (*closedUserResource)(nil)
	_ resource.ResourceWithConfigValidators = (*closedUserResource)(nil)
)

// NewClosedUserResource is the docusign_closed_user factory.
func NewClosedUserResource() resource.Resource { return &closedUserResource{} }

type closedUserResource struct {
	data *providerData
}

type closedUserModel struct {
	ID               types.String `tfsdk:"id"`
	UserID           types.String `tfsdk:"user_id"`
	Email            types.String `tfsdk:"email"`
	Scope            types.String `tfsdk:"scope"`
	AccountID        types.String `tfsdk:"account_id"`
	OrganizationID   types.String `tfsdk:"organization_id"`
	ReopenOnDestroy  types.Bool   `tfsdk:"reopen_on_destroy"`
	UserName         types.String `tfsdk:"user_name"`
	ClosedAccountIDs types.Set    `tfsdk:"closed_account_ids"`
}

const (
	scopeAccount      = "account"
	scopeOrganization = "organization"
)

func (r *closedUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_closed_user"
}

func (r *closedUserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Closes a DocuSign user when created: the leaver action as a declaration. DocuSign never deletes " +
			"users; it closes their account memberships. With `scope = \"account\"` the membership in one account is closed " +
			"(eSignature); with `scope = \"organization\"` every membership the user has in the organization's accounts is closed " +
			"(Admin API). Closing a user who is already closed succeeds. If someone reopens the user outside Terraform, the next " +
			"plan closes them again. Destroying forgets the closure, or reopens the user when `reopen_on_destroy` is true.\n\n" +
			"Concurrent closures in one account share batched API calls, so closing many users costs a fraction of a call each.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<account_id>/<user_id>` for account scope, `organization/<organization_id>/<user_id>` for organization scope.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "User ID GUID of the user to close. Exactly one of `user_id` or `email` must be set; the other is computed. Changing it closes another user (replace).",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{
					isGUID(),
					stringvalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("email")),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Email address of the user to close. Exactly one of `user_id` or `email` must be set. It must match " +
					"exactly one user in the account (or organization). Changing it closes another user (replace).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{isEmail()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"scope": schema.StringAttribute{
				MarkdownDescription: "What to close: `account` (default) closes the membership in `account_id`; `organization` closes " +
					"every membership the user has in `organization_id`'s accounts.",
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(scopeAccount),
				Validators:    []validator.String{stringvalidator.OneOf(scopeAccount, scopeOrganization)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account ID GUID, for `scope = \"account\"`. Defaults to the provider's `account_id`, else the impersonated user's default account.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{
					isGUID(),
					stringvalidator.ConflictsWith(path.MatchRoot("organization_id")),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "Organization ID GUID; required with `scope = \"organization\"` and not allowed otherwise.",
				Optional:            true,
				Validators:          []validator.String{isGUID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"reopen_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "`true` reopens the closed memberships (Admin API activate membership) when this resource is " +
					"destroyed; `false` (default) only removes it from state and the user stays closed.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"user_name": schema.StringAttribute{
				MarkdownDescription: "The user's name as DocuSign shows it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"closed_account_ids": schema.SetAttribute{
				MarkdownDescription: "Account IDs in which this resource holds the user closed.",
				Computed:            true,
				ElementType:         types.StringType,
				PlanModifiers:       []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *closedUserResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		scopeNeedsOrganization{},
	}
}

func (r *closedUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *closedUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan closedUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var diags diag.Diagnostics
	if plan.Scope.ValueString() == scopeOrganization {
		diags = r.closeInOrganization(ctx, &plan)
	} else {
		diags = r.closeInAccount(ctx, &plan)
	}
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *closedUserResource) closeInAccount(ctx context.Context, m *closedUserModel) diag.Diagnostics {
	var diags diag.Diagnostics
	client := r.data.client
	accountID, err := client.AccountID(ctx, m.AccountID.ValueString())
	if err != nil {
		diags.AddError("Unable to Close User", "Could not determine the account: "+explain(err))
		return diags
	}
	userID := m.UserID.ValueString()
	if userID == "" {
		user, d := findAccountUserByEmail(ctx, client, accountID, m.Email.ValueString())
		if d.HasError() {
			return d
		}
		userID = user.UserID
	}
	result, err := client.Closer.Close(ctx, accountID, userID)
	if err == nil {
		err = result.Err
	}
	if err != nil {
		if isUserMissing(err) {
			diags.AddAttributeError(path.Root("user_id"), "Unable to Close User",
				fmt.Sprintf("DocuSign account %s has no user %s: %s. Check user_id and account_id.", accountID, userID, err))
			return diags
		}
		diags.AddError("Unable to Close User", fmt.Sprintf("Closing user %s in account %s failed: %s", userID, accountID, explain(err)))
		return diags
	}
	client.Directory.Closed(accountID, result.User)
	email, name := result.User.Email, result.User.UserName
	if email == "" && m.Email.ValueString() != "" {
		email = m.Email.ValueString()
	}
	m.ID = types.StringValue(accountID + "/" + userID)
	m.UserID = types.StringValue(userID)
	m.AccountID = types.StringValue(accountID)
	m.Email = types.StringValue(email)
	m.UserName = types.StringValue(name)
	m.ClosedAccountIDs = stringSet([]string{accountID})
	return diags
}

func (r *closedUserResource) closeInOrganization(ctx context.Context, m *closedUserModel) diag.Diagnostics {
	var diags diag.Diagnostics
	client := r.data.client
	orgID := m.OrganizationID.ValueString()
	profile, d := findOrgProfile(ctx, client, orgID, m.UserID.ValueString(), m.Email.ValueString())
	if d.HasError() {
		return d
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
			diags.AddError("Unable to Close User", fmt.Sprintf("Closing user %s in organization %s failed: %s", profile.ID, orgID, explain(err)))
			return diags
		}
		if len(failed) > 0 {
			msgs := make([]string, len(failed))
			for i, f := range failed {
				msgs[i] = f.Error()
			}
			// Nothing is saved, so the next apply closes what is still open.
			diags.AddError("Unable to Close User", fmt.Sprintf("DocuSign closed user %s in some accounts of organization %s but not in: %s. "+
				"Apply again to finish.", profile.ID, orgID, strings.Join(msgs, "; ")))
			return diags
		}
	}
	m.ID = types.StringValue("organization/" + orgID + "/" + profile.ID)
	m.UserID = types.StringValue(profile.ID)
	m.Email = types.StringValue(profileEmail(profile, m.Email.ValueString()))
	m.UserName = types.StringValue(profile.UserName)
	m.AccountID = types.StringNull()
	m.ClosedAccountIDs = stringSet(all)
	return diags
}

func (r *closedUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state closedUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		stillClosed bool
		diags       diag.Diagnostics
	)
	if state.Scope.ValueString() == scopeOrganization {
		stillClosed, diags = r.readInOrganization(ctx, &state)
	} else {
		stillClosed, diags = r.readInAccount(ctx, &state)
	}
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !stillClosed {
		// Reopened or gone: dropping it from state makes the next plan close the user again.
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *closedUserResource) readInAccount(ctx context.Context, m *closedUserModel) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	client := r.data.client
	accountID, err := client.AccountID(ctx, m.AccountID.ValueString())
	if err != nil {
		diags.AddError("Unable to Read Closed User", explain(err))
		return false, diags
	}
	userID := m.UserID.ValueString()
	if userID == "" { // imported by email
		users, err := client.ESign.FindUsersByEmail(ctx, accountID, m.Email.ValueString())
		if err != nil {
			diags.AddError("Unable to Read Closed User", explain(err))
			return false, diags
		}
		if len(users) != 1 {
			return false, diags
		}
		userID = users[0].UserID
	}
	user, err := client.Directory.User(ctx, accountID, userID)
	if errors.Is(err, esign.ErrUserNotFound) {
		return false, diags
	}
	if err != nil {
		diags.AddError("Unable to Read Closed User", explain(err))
		return false, diags
	}
	if !user.IsClosed() {
		return false, diags
	}
	m.ID = types.StringValue(accountID + "/" + userID)
	m.UserID = types.StringValue(userID)
	m.AccountID = types.StringValue(accountID)
	if user.Email != "" {
		m.Email = types.StringValue(user.Email)
	}
	m.UserName = types.StringValue(user.UserName)
	m.ClosedAccountIDs = stringSet([]string{accountID})
	defaultScopeAndReopen(m)
	return true, diags
}

func (r *closedUserResource) readInOrganization(ctx context.Context, m *closedUserModel) (bool, diag.Diagnostics) {
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
	var all []string
	for _, ms := range profile.Memberships {
		all = append(all, ms.AccountID)
		// A reopened membership that this resource closed is drift.
		if !ms.IsClosed() && (len(held) == 0 || held[ms.AccountID]) {
			return false, diags
		}
	}
	m.ID = types.StringValue("organization/" + orgID + "/" + profile.ID)
	m.UserID = types.StringValue(profile.ID)
	m.Email = types.StringValue(profileEmail(profile, m.Email.ValueString()))
	m.UserName = types.StringValue(profile.UserName)
	m.ClosedAccountIDs = stringSet(all)
	defaultScopeAndReopen(m)
	return true, diags
}

// Update only ever changes reopen_on_destroy, which lives in state alone.
func (r *closedUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan closedUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *closedUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state closedUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.ReopenOnDestroy.ValueBool() {
		return
	}
	client := r.data.client
	orgID := state.OrganizationID.ValueString()
	if state.Scope.ValueString() != scopeOrganization {
		var err error
		orgID, err = organizationOfAccount(ctx, client, state.AccountID.ValueString())
		if err != nil {
			resp.Diagnostics.AddError("Unable to Reopen User", explain(err)+
				". reopen_on_destroy uses the Admin API, so the account must belong to a DocuSign organization; set reopen_on_destroy = false to only forget the closure.")
			return
		}
	}
	profile, d := findOrgProfile(ctx, client, orgID, state.UserID.ValueString(), state.Email.ValueString())
	if d.HasError() {
		if isNotFoundDiag(d) {
			return // nothing left to reopen
		}
		resp.Diagnostics.Append(d...)
		return
	}
	held := map[string]bool{}
	for _, id := range setStrings(state.ClosedAccountIDs) {
		held[id] = true
	}
	for _, ms := range profile.Memberships {
		if !held[ms.AccountID] || !ms.IsClosed() {
			continue
		}
		if err := client.Admin.ActivateMembership(ctx, orgID, profile.ID, ms.ID, profile.SiteID); err != nil {
			resp.Diagnostics.AddError("Unable to Reopen User",
				fmt.Sprintf("Reopening user %s in account %s failed: %s. The resource stays in state; destroy again to retry.", profile.ID, ms.AccountID, explain(err)))
			return
		}
	}
	if state.Scope.ValueString() != scopeOrganization {
		client.Directory.Forget(state.AccountID.ValueString())
	}
}

// ImportState accepts <account_id>/<user_id|email> and organization/<org_id>/<user_id|email>.
func (r *closedUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts := strings.Split(req.ID, "/")
	var scope, account, org, who string
	switch {
	case len(parts) == 3 && parts[0] == scopeOrganization:
		scope, org, who = scopeOrganization, parts[1], parts[2]
	case len(parts) == 2:
		scope, account, who = scopeAccount, parts[0], parts[1]
	default:
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Expected <account_id>/<user_id or email> or organization/<organization_id>/<user_id or email>, got %q.", req.ID))
		return
	}
	for _, id := range []string{account, org} {
		if id != "" && !guidPattern.MatchString(id) {
			resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("%q is not a DocuSign GUID in import ID %q.", id, req.ID))
			return
		}
	}
	m := closedUserModel{
		ID:               types.StringValue(req.ID),
		Scope:            types.StringValue(scope),
		UserID:           types.StringNull(),
		Email:            types.StringNull(),
		AccountID:        types.StringNull(),
		OrganizationID:   types.StringNull(),
		ReopenOnDestroy:  types.BoolValue(false),
		UserName:         types.StringNull(),
		ClosedAccountIDs: types.SetNull(types.StringType),
	}
	if account != "" {
		m.AccountID = types.StringValue(account)
	}
	if org != "" {
		m.OrganizationID = types.StringValue(org)
	}
	switch {
	case guidPattern.MatchString(who):
		m.UserID = types.StringValue(who)
	case emailPattern.MatchString(who):
		m.Email = types.StringValue(who)
	default:
		resp.Diagnostics.AddError("Invalid Import ID", fmt.Sprintf("%q is neither a user ID GUID nor an email address.", who))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func defaultScopeAndReopen(m *closedUserModel) {
	if m.ReopenOnDestroy.IsNull() || m.ReopenOnDestroy.IsUnknown() {
		m.ReopenOnDestroy = types.BoolValue(false)
	}
}

// findAccountUserByEmail resolves an email to exactly one user of the account.
func findAccountUserByEmail(ctx context.Context, client *docusign.Client, accountID, email string) (*esign.User, diag.Diagnostics) {
	var diags diag.Diagnostics
	users, err := client.ESign.FindUsersByEmail(ctx, accountID, email)
	if err != nil {
		diags.AddError("Unable to Find User", fmt.Sprintf("Looking up %s in account %s failed: %s", email, accountID, explain(err)))
		return nil, diags
	}
	switch len(users) {
	case 0:
		diags.AddAttributeError(path.Root("email"), "User Not Found",
			fmt.Sprintf("DocuSign account %s has no user with email %s. Check the email, or set account_id to the account the user belongs to.", accountID, email))
		return nil, diags
	case 1:
		return &users[0], diags
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.UserID
	}
	sort.Strings(ids)
	diags.AddAttributeError(path.Root("email"), "Several Users Share This Email",
		fmt.Sprintf("DocuSign account %s has %d users with email %s: %s. Set user_id to the one to close instead of email.",
			accountID, len(users), email, strings.Join(ids, ", ")))
	return nil, diags
}

const userNotFoundSummary = "User Not Found"

// findOrgProfile resolves a user ID or email to one organization user with their memberships in
// the organization's accounts.
func findOrgProfile(ctx context.Context, client *docusign.Client, orgID, userID, email string) (*admin.Profile, diag.Diagnostics) {
	var diags diag.Diagnostics
	profiles, err := client.Admin.FindProfiles(ctx, orgID, userID, email)
	if err != nil {
		diags.AddError("Unable to Find User", fmt.Sprintf("Looking up the user in organization %s failed: %s", orgID, explain(err)))
		return nil, diags
	}
	who, attr := email, "email"
	if userID != "" {
		who, attr = userID, "user_id"
	}
	switch len(profiles) {
	case 0:
		diags.AddAttributeError(path.Root(attr), userNotFoundSummary,
			fmt.Sprintf("DocuSign organization %s has no user %s. Check %s and organization_id.", orgID, who, attr))
		return nil, diags
	case 1:
		return &profiles[0], diags
	}
	diags.AddAttributeError(path.Root("email"), "Several Users Share This Email",
		fmt.Sprintf("DocuSign organization %s has %d users with email %s: %s. Set user_id instead of email.", orgID, len(profiles), email, strings.Join(admin.ProfileIDs(profiles), ", ")))
	return nil, diags
}

func isNotFoundDiag(d diag.Diagnostics) bool {
	for _, e := range d.Errors() {
		if e.Summary() == userNotFoundSummary {
			return true
		}
	}
	return false
}

func profileEmail(p *admin.Profile, fallback string) string {
	for _, ms := range p.Memberships {
		if ms.Email != "" {
			return ms.Email
		}
	}
	return fallback
}

// organizationOfAccount finds the organization an account belongs to, from userinfo.
func organizationOfAccount(ctx context.Context, client *docusign.Client, accountID string) (string, error) {
	info, err := client.Tokens.UserInfo(ctx)
	if err != nil {
		return "", err
	}
	acct, ok := info.Account(accountID)
	if !ok {
		return "", fmt.Errorf("%w: %s", docusign.ErrAccountNotReachable, accountID)
	}
	if acct.Organization == nil || acct.Organization.OrganizationID == "" {
		return "", fmt.Errorf("account %s does not belong to a DocuSign organization", accountID)
	}
	return acct.Organization.OrganizationID, nil
}

func isUserMissing(err error) bool {
	return errors.Is(err, esign.ErrUserNotFound) || esign.IsUserNotFound(err)
}

func stringSet(values []string) types.Set {
	sort.Strings(values)
	elems := make([]attr.Value, 0, len(values))
	seen := map[string]bool{}
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			elems = append(elems, types.StringValue(v))
		}
	}
	return types.SetValueMust(types.StringType, elems)
}

func setStrings(s types.Set) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok {
			out = append(out, v.ValueString())
		}
	}
	return out
}

// scopeNeedsOrganization: organization scope needs organization_id, account scope must not have it.
type scopeNeedsOrganization struct{}

func (scopeNeedsOrganization) Description(context.Context) string {
	return "organization_id is required when scope is \"organization\" and not allowed when scope is \"account\""
}

func (v scopeNeedsOrganization) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (scopeNeedsOrganization) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var scope, org types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("scope"), &scope)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("organization_id"), &org)...)
	if scope.IsUnknown() || org.IsUnknown() {
		return
	}
	if scope.ValueString() == scopeOrganization && org.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Missing Organization ID",
			"organization_id is required when scope is \"organization\": set it to the organization's ID GUID.")
	}
	if scope.ValueString() != scopeOrganization && !org.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Unexpected Organization ID",
			"organization_id is only used with scope = \"organization\": set scope = \"organization\" or remove organization_id.")
	}
}
