// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

var (
	_ list.ListResource              = (*organizationClosedUserListResource)(nil)
	_ list.ListResourceWithConfigure = (*organizationClosedUserListResource)(nil)
)

// NewOrganizationClosedUserListResource is the `list "docusign_organization_closed_user"`
// factory: the organization's users who are closed in every account of it.
func NewOrganizationClosedUserListResource() list.ListResource {
	return &organizationClosedUserListResource{}
}

type organizationClosedUserListResource struct {
	data *providerData
}

type organizationClosedUserListModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
}

const listOrganizationClosedUsersSummary = "Unable to List Closed Organization Users"

func (r *organizationClosedUserListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_closed_user"
}

func (r *organizationClosedUserListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the users whose every membership in the organization's accounts is closed, as " +
			"`docusign_organization_closed_user` resources to import. Memberships in accounts of other organizations are not " +
			"looked at, as the resource ignores them. A user may be open in any one account, so every account's users are read " +
			"(Admin API, one `GET /v2/organizations/{organizationId}/users?account_id=` per account and page of 250) before any " +
			"user counts as closed: `limit` shortens the answer, not the listing, which costs the same whatever the limit. " +
			"`include_resource` costs no extra call. Results come ordered by email.",
		Attributes: map[string]listschema.Attribute{
			"organization_id": listschema.StringAttribute{
				MarkdownDescription: "Organization ID GUID. The impersonated user must administer it.",
				Required:            true,
				Validators:          []validator.String{isGUID()},
			},
		},
	}
}

func (r *organizationClosedUserListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationClosedUserListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listConfig[organizationClosedUserListModel](ctx, req, r.data, listOrganizationClosedUsersSummary, stream)
	if !ok {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	users, err := r.data.client.ClosedOrganizationUsers(ctx, orgID, int(req.Limit))
	if err != nil {
		listFailed(stream, listOrganizationClosedUsersSummary,
			fmt.Sprintf("Listing the users of organization %s (config.organization_id) failed: %s", orgID, adminExplain(err, "organization_read user_read")))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for _, u := range users {
			identity := organizationUserIdentity{OrganizationID: types.StringValue(orgID), UserID: types.StringValue(u.UserID)}
			if !push(userListResult(ctx, req, u.UserName, u.Email, identity, func() any { return listedOrganizationClosedUser(orgID, u) })) {
				return
			}
		}
	}
}

// listedOrganizationClosedUser is a listed user as docusign_organization_closed_user state after
// an import by identity; the email stays null, as for docusign_closed_user.
func listedOrganizationClosedUser(orgID string, u docusign.OrganizationClosedUser) organizationClosedUserModel {
	return organizationClosedUserModel{
		OrganizationID:   types.StringValue(orgID),
		UserID:           types.StringValue(u.UserID),
		Email:            types.StringNull(),
		ReopenOnDestroy:  types.BoolValue(false),
		UserName:         types.StringValue(u.UserName),
		ClosedAccountIDs: stringSet(u.AccountIDs),
		Timeouts:         nullTimeouts("create", "read", "delete"),
	}
}
