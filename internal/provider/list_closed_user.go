// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

var (
	_ list.ListResource              = (*closedUserListResource)(nil)
	_ list.ListResourceWithConfigure = (*closedUserListResource)(nil)
)

// NewClosedUserListResource is the `list "docusign_closed_user"` factory: an account's closed
// users, for `terraform query`.
func NewClosedUserListResource() list.ListResource { return &closedUserListResource{} }

type closedUserListResource struct {
	data *providerData
}

type closedUserListModel struct {
	AccountID   types.String `tfsdk:"account_id"`
	ClosedSince types.String `tfsdk:"closed_since"`
}

const listClosedUsersSummary = "Unable to List Closed Users"

func (r *closedUserListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_closed_user"
}

func (r *closedUserListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists an account's closed users, as `docusign_closed_user` resources to import: adopting the " +
			"leavers someone closed by hand. Without `closed_since` it pages eSignature's `GET …/users?status=Closed`, up to 100 " +
			"users a call; with it, it pages the Admin API's users of the account (`membership_closed_on` is the only place DocuSign " +
			"gives a closing date), up to 250 a call. Either listing stops at the page that reaches `limit`, and " +
			"`include_resource` costs no extra call.",
		Attributes: map[string]listschema.Attribute{
			"account_id": listschema.StringAttribute{
				MarkdownDescription: "Account ID GUID. Defaults to the provider's `account_id`, else the impersonated user's default account.",
				Optional:            true,
				Validators:          []validator.String{isGUID()},
			},
			"closed_since": listschema.StringAttribute{
				MarkdownDescription: "Only memberships closed on or after this day (UTC), `YYYY-MM-DD`. It needs the Admin API: the " +
					"account must belong to a DocuSign organization the impersonated user administers. A closed membership whose " +
					"closing date DocuSign does not give is left out, with a warning naming it.",
				Optional:   true,
				Validators: []validator.String{isDate()},
			},
		},
	}
}

func (r *closedUserListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *closedUserListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listConfig[closedUserListModel](ctx, req, r.data, listClosedUsersSummary, stream)
	if !ok {
		return
	}
	filter := docusign.ClosedUsersFilter{Limit: int(req.Limit)}
	if s := cfg.ClosedSince.ValueString(); s != "" {
		since, err := datafeed.ParseDate(s)
		if err != nil { // the validator has refused it already
			listFailed(stream, listClosedUsersSummary, "config.closed_since: "+err.Error())
			return
		}
		filter.Since = since
	}
	accountID, err := r.data.client.AccountID(ctx, cfg.AccountID.ValueString())
	if err != nil {
		listFailed(stream, listClosedUsersSummary, "Could not determine the account (config.account_id): "+explain(err))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var undated []string
		for u, err := range r.data.client.ClosedAccountUsers(ctx, accountID, filter) {
			if err != nil {
				push(listError(listClosedUsersSummary, closedListFailure(accountID, err)))
				return
			}
			if !filter.Since.IsZero() && u.ClosedOn.IsZero() {
				undated = append(undated, fmt.Sprintf("%s (closed on %q)", userLabel(u.Email, u.UserID), u.ClosedOnText))
				continue
			}
			identity := accountUserIdentity{AccountID: types.StringValue(accountID), UserID: types.StringValue(u.UserID)}
			if !push(userListResult(ctx, req, u.UserName, u.Email, identity, func() any { return listedClosedUser(accountID, u.UserID) })) {
				return
			}
		}
		if len(undated) > 0 {
			var warn diag.Diagnostics
			warn.AddWarning("Closing Date Unknown",
				fmt.Sprintf("DocuSign gave no readable closing date for %d closed users of account %s, so closed_since could not place them "+
					"and they are left out: %s. List without closed_since to include them.", len(undated), accountID, strings.Join(undated, ", ")))
			push(list.ListResult{Diagnostics: warn})
		}
	}
}

// listedClosedUser is a listed closed user as docusign_closed_user state after an import by
// identity. The email stays null: user_id and email exclude each other in configuration, and the
// refresh after the import fills it in.
func listedClosedUser(accountID, userID string) closedUserModel {
	return closedUserModel{
		UserID:          types.StringValue(userID),
		Email:           types.StringNull(),
		AccountID:       types.StringValue(accountID),
		ReopenOnDestroy: types.BoolValue(false),
		Timeouts:        nullTimeouts("create", "read", "delete"),
	}
}

func closedListFailure(accountID string, err error) string {
	if errors.Is(err, docusign.ErrNoOrganization) {
		return fmt.Sprintf("Account %s belongs to no DocuSign organization, and only the Admin API gives the closing date that "+
			"config.closed_since filters on. Remove closed_since to list every closed user of the account.", accountID)
	}
	return "Listing the closed users of account " + accountID + " failed: " + explain(err)
}
