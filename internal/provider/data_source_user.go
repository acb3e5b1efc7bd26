// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"sort"
	"strconv"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

var (
	_ datasource.DataSource              = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*userDataSource)(nil)
)

// NewUserDataSource is the data.docusign_user factory.
func NewUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSource struct {
	data *providerData
}

type userDataSourceModel struct {
	UserID         types.String          `tfsdk:"user_id"`
	Email          types.String          `tfsdk:"email"`
	AccountID      types.String          `tfsdk:"account_id"`
	OrganizationID types.String          `tfsdk:"organization_id"`
	ID             types.String          `tfsdk:"id"`
	UserName       types.String          `tfsdk:"user_name"`
	FirstName      types.String          `tfsdk:"first_name"`
	LastName       types.String          `tfsdk:"last_name"`
	Status         types.String          `tfsdk:"status"`
	Memberships    []userMembershipModel `tfsdk:"memberships"`

	Timeouts dstimeouts.Value `tfsdk:"timeouts"`
}

type userMembershipModel struct {
	AccountID             types.String `tfsdk:"account_id"`
	Status                types.String `tfsdk:"status"`
	PermissionProfileID   types.String `tfsdk:"permission_profile_id"`
	PermissionProfileName types.String `tfsdk:"permission_profile_name"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeoutsBlock(ctx)},
		MarkdownDescription: "Looks a DocuSign user up by `email` or `user_id`, in one account (eSignature) or across an " +
			"organization's accounts when `organization_id` is set (Admin API). Offboarding modules use it to turn HR emails into user IDs.",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.StringAttribute{
				MarkdownDescription: "User ID GUID to look up. Exactly one of `user_id` or `email` must be set.",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{
					isGUID(),
					stringvalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("email")),
				},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Email address to look up; it must match exactly one user. Exactly one of `user_id` or `email` must be set. " +
					"Letter case does not matter, as in DocuSign; when set, it is reported as configured.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{isEmail()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account ID GUID to search. Defaults to the provider's account. Not used with `organization_id`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{isGUID(), stringvalidator.ConflictsWith(path.MatchRoot("organization_id"))},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "Organization ID GUID: search every account of the organization through the Admin API.",
				Optional:            true,
				Validators:          []validator.String{isGUID()},
			},
			"id":         schema.StringAttribute{MarkdownDescription: "The user ID GUID.", Computed: true},
			"user_name":  schema.StringAttribute{MarkdownDescription: "Full name.", Computed: true},
			"first_name": schema.StringAttribute{MarkdownDescription: "Given name.", Computed: true},
			"last_name":  schema.StringAttribute{MarkdownDescription: "Family name.", Computed: true},
			"status": schema.StringAttribute{
				MarkdownDescription: "With `account_id` (or neither): the membership status in that account, " + membershipStatusValues + ". " +
					"With `organization_id`: the user's status in the organization, as the Admin API's `user_status` in the same " +
					"letter case: `Active`, `Created` or `Closed`.",
				Computed: true,
			},
			"memberships": schema.ListNestedAttribute{
				MarkdownDescription: "The user's account memberships, ordered by account ID.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"account_id":              schema.StringAttribute{MarkdownDescription: "Account ID GUID.", Computed: true},
						"status":                  schema.StringAttribute{MarkdownDescription: membershipStatusDescription, Computed: true},
						"permission_profile_id":   schema.StringAttribute{MarkdownDescription: "Permission profile ID.", Computed: true},
						"permission_profile_name": schema.StringAttribute{MarkdownDescription: "Permission profile name.", Computed: true},
					},
				},
			},
		},
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := dataSourceContext(ctx, req, resp)
	defer cancel()
	var m userDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !configured(d.data, &resp.Diagnostics, "Unable to Read User") {
		return
	}
	client := d.data.client
	if orgID := m.OrganizationID.ValueString(); orgID != "" {
		profile, err := client.FindOrganizationUser(ctx, orgID, docusign.UserRef{ID: m.UserID.ValueString(), Email: m.Email.ValueString()})
		if addLookupError(&resp.Diagnostics, err, lookupScope{organizationID: orgID, userID: m.UserID.ValueString(), email: m.Email.ValueString()}) {
			return
		}
		m.ID = types.StringValue(profile.ID)
		m.UserID = m.ID
		m.Email = keepEmail(m.Email, profileEmail(profile))
		m.UserName = types.StringValue(profile.UserName)
		m.FirstName = types.StringValue(profile.FirstName)
		m.LastName = types.StringValue(profile.LastName)
		m.Status = types.StringValue(membershipStatus(profile.UserStatus))
		m.AccountID = types.StringNull()
		m.Memberships = nil
		for _, ms := range profile.Memberships {
			mm := userMembershipModel{AccountID: types.StringValue(ms.AccountID), Status: types.StringValue(membershipStatus(ms.Status)),
				PermissionProfileID: types.StringNull(), PermissionProfileName: types.StringNull()}
			if ms.PermissionProfile != nil {
				mm.PermissionProfileID = types.StringValue(strconv.FormatInt(ms.PermissionProfile.ID, 10))
				mm.PermissionProfileName = types.StringValue(ms.PermissionProfile.Name)
			}
			m.Memberships = append(m.Memberships, mm)
		}
		sort.Slice(m.Memberships, func(i, j int) bool {
			return m.Memberships[i].AccountID.ValueString() < m.Memberships[j].AccountID.ValueString()
		})
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		return
	}

	accountID, err := client.AccountID(ctx, m.AccountID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read User", explain(err))
		return
	}
	var user *esign.User
	if id := m.UserID.ValueString(); id != "" {
		user, err = client.AccountUser(ctx, accountID, id, "")
		if errors.Is(err, docusign.ErrUserNotFound) {
			addLookupError(&resp.Diagnostics, err, lookupScope{accountID: accountID, userID: id})
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Unable to Read User", explain(err))
			return
		}
	} else {
		user, err = client.FindUserByEmail(ctx, accountID, m.Email.ValueString())
		if addLookupError(&resp.Diagnostics, err, lookupScope{accountID: accountID, email: m.Email.ValueString()}) {
			return
		}
	}
	m.ID = types.StringValue(user.UserID)
	m.UserID = m.ID
	m.Email = keepEmail(m.Email, user.Email)
	m.AccountID = types.StringValue(accountID)
	m.UserName = types.StringValue(user.UserName)
	m.FirstName = types.StringValue(user.FirstName)
	m.LastName = types.StringValue(user.LastName)
	m.Status = types.StringValue(membershipStatus(user.UserStatus))
	m.Memberships = []userMembershipModel{{
		AccountID:             types.StringValue(accountID),
		Status:                types.StringValue(membershipStatus(user.UserStatus)),
		PermissionProfileID:   types.StringValue(user.PermissionProfileID),
		PermissionProfileName: types.StringValue(user.PermissionProfileName),
	}}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
