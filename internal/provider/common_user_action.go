// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

// The two break-glass actions, docusign_close_user and docusign_reopen_user, name one user of one
// account the same way, so they share their configuration, its checks and its lookup here.

// userActionModel is the configuration of both user actions.
type userActionModel struct {
	AccountID types.String `tfsdk:"account_id"`
	UserID    types.String `tfsdk:"user_id"`
	Email     types.String `tfsdk:"email"`
}

// userActionSchema is the schema of an action on one user; verb is "close" or "reopen".
func userActionSchema(description, verb string) schema.Schema {
	return schema.Schema{
		MarkdownDescription: description,
		Attributes: map[string]schema.Attribute{
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account ID GUID of the account whose membership to " + verb + ". Defaults to the provider's " +
					"`account_id`, else the impersonated user's default account.",
				Optional:   true,
				Validators: []validator.String{isGUID()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "User ID GUID of the user to " + verb + ". Exactly one of `user_id` or `email` must be set.",
				Optional:            true,
				Validators:          []validator.String{isGUID()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Email address of the user to " + verb + ". Exactly one of `user_id` or `email` must be set. " +
					"It must match exactly one user in the account; letter case does not matter, as in DocuSign.",
				Optional:   true,
				Validators: []validator.String{isEmail()},
			},
		},
	}
}

// userActionConfigValidators require exactly one way of naming the user.
func userActionConfigValidators() []action.ConfigValidator {
	return []action.ConfigValidator{
		actionvalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("email")),
	}
}

// userActionTarget reads an action's configuration and settles the account: the configured one,
// else the provider's default. ok is false when diags got an error.
func userActionTarget(ctx context.Context, data *providerData, req action.InvokeRequest, diags *diag.Diagnostics, summary string) (accountID string, who docusign.UserRef, ok bool) {
	var config userActionModel
	if diags.Append(req.Config.Get(ctx, &config)...); diags.HasError() || !configured(data, diags, summary) {
		return "", who, false
	}
	accountID, err := data.client.AccountID(ctx, config.AccountID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("account_id"), summary, "Could not determine the account: "+explain(err))
		return "", who, false
	}
	return accountID, docusign.UserRef{ID: config.UserID.ValueString(), Email: config.Email.ValueString()}, true
}

// progress sends one progress message to Terraform; actions show them as they run.
func progress(resp *action.InvokeResponse, format string, args ...any) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}
}
