// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

var (
	_ provider.ProviderWithListResources = (*docusignProvider)(nil)

	_ list.ListResource              = (*userListResource)(nil)
	_ list.ListResourceWithConfigure = (*userListResource)(nil)
)

// NewUserListResource is the `list "docusign_user"` factory: an account's open users, for
// `terraform query`.
func NewUserListResource() list.ListResource { return &userListResource{} }

type userListResource struct {
	data *providerData
}

type userListModel struct {
	AccountID types.String `tfsdk:"account_id"`
	Status    types.String `tfsdk:"status"`
	Email     types.String `tfsdk:"email"`
}

const listUsersSummary = "Unable to List Users"

func (r *userListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (r *userListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists an account's users who are not closed, as `docusign_user` resources to import, one " +
			"`GET …/users` per page of up to 100 users; the listing stops at the page that reaches `limit`. " +
			"`include_resource` costs no extra call: the same pages then carry each user's full record. " +
			"Closed users are `list \"docusign_closed_user\"`.",
		Attributes: map[string]listschema.Attribute{
			"account_id": listschema.StringAttribute{
				MarkdownDescription: "Account ID GUID. Defaults to the provider's `account_id`, else the impersonated user's default account.",
				Optional:            true,
				Validators:          []validator.String{isGUID()},
			},
			"status": listschema.StringAttribute{
				MarkdownDescription: "Only users with this membership status: `ActivationRequired`, `ActivationSent`, `Active` or " +
					"`Disabled`, in any letter case (`active` works). Left out, users of all four statuses.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(docusign.OpenStatuses...)},
			},
			"email": listschema.StringAttribute{
				MarkdownDescription: "Only the user with this email address, compared without regard to letter case as DocuSign compares emails.",
				Optional:            true,
				Validators:          []validator.String{isEmail()},
			},
		},
	}
}

func (r *userListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *userListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listConfig[userListModel](ctx, req, r.data, listUsersSummary, stream)
	if !ok {
		return
	}
	accountID, err := r.data.client.AccountID(ctx, cfg.AccountID.ValueString())
	if err != nil {
		listFailed(stream, listUsersSummary, "Could not determine the account (config.account_id): "+explain(err))
		return
	}
	filter := docusign.AccountUsersFilter{Email: cfg.Email.ValueString(), Limit: int(req.Limit), Full: req.IncludeResource}
	if s := canonicalStatus(cfg.Status.ValueString()); s != "" {
		filter.Statuses = []string{s}
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for u, err := range r.data.client.AccountUsers(ctx, accountID, filter) {
			if err != nil {
				push(listError(listUsersSummary, "Listing the users of account "+accountID+" failed: "+explain(err)))
				return
			}
			identity := accountUserIdentity{AccountID: types.StringValue(accountID), UserID: types.StringValue(u.UserID)}
			if !push(userListResult(ctx, req, u.UserName, u.Email, identity, func() any { return listedUser(accountID, u) })) {
				return
			}
		}
	}
}

// listedUser is a listed user as docusign_user state after an import: the values a generated
// configuration writes, so that the plan after the import is empty. The permission profile is
// named by name only (the two profile attributes conflict in configuration).
func listedUser(accountID string, u esign.User) userModel {
	m := userModel{
		ID:                    types.StringValue(u.UserID),
		AccountID:             types.StringValue(accountID),
		Email:                 types.StringValue(u.Email),
		PermissionProfileName: types.StringNull(),
		PermissionProfileID:   types.StringNull(),
		CloseOnDestroy:        types.BoolValue(true),
		CloseExistingUser:     types.BoolValue(false),
		CreatedUser:           types.BoolValue(false),
		Timeouts:              nullTimeouts("create", "read", "update", "delete"),
	}
	applyUser(&m, &u)
	if m.PermissionProfileName.IsNull() {
		return m
	}
	m.PermissionProfileID = types.StringNull()
	return m
}

// canonicalStatus spells a status the way eSignature does (Active for active); "" stays "".
func canonicalStatus(s string) string {
	for _, known := range append([]string{esign.StatusClosed}, docusign.OpenStatuses...) {
		if strings.EqualFold(s, known) {
			return known
		}
	}
	return s
}
