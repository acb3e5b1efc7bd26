// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ action.ActionWithConfigure        = (*closeUserAction)(nil)
	_ action.ActionWithConfigValidators = (*closeUserAction)(nil)
	_ action.ActionWithModifyPlan       = (*closeUserAction)(nil)
)

// NewCloseUserAction is the docusign_close_user factory.
func NewCloseUserAction() action.Action { return &closeUserAction{} }

// closeUserAction closes one user now. It is the break-glass form of docusign_closed_user: the same
// client call, so the same refusal of the provider's own user and the same verification, but no
// state, so no drift detection and nothing that closes the user again after a reopen.
type closeUserAction struct {
	data *providerData
}

func (a *closeUserAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_close_user"
}

func (a *closeUserAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = userActionSchema("Closes one DocuSign user's membership in one account, now: a break-glass command for a "+
		"pipeline (`terraform apply -invoke=action.docusign_close_user.NAME`) or a resource's `action_trigger`. Requires "+
		"Terraform 1.14 or later; OpenTofu does not support actions.\n\n"+
		"The close is the one `docusign_closed_user` makes: the provider's own user is refused, an unknown user is an error, "+
		"and the close counts only when DocuSign's answer says the user is closed. Closing a closed user succeeds. An action "+
		"keeps no state and detects no drift: to keep a leaver closed, declare `docusign_closed_user`, which is the record.", "close")
}

func (a *closeUserAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *closeUserAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return userActionConfigValidators()
}

// ModifyPlan refuses, at plan time, to close the user the provider impersonates when user_id names
// them; a user named by email is checked when the action runs, before any close.
func (a *closeUserAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var userID types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("user_id"), &userID)...)
	if isImpersonatedUser(a.data, userID.ValueString()) {
		resp.Diagnostics.Append(selfCloseError(path.Root("user_id"), userID.ValueString(), ""))
	}
}

func (a *closeUserAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	accountID, who, ok := userActionTarget(ctx, a.data, req, &resp.Diagnostics, "Unable to Close User")
	if !ok {
		return
	}
	progress(resp, "Closing %s in account %s", userLabel(who.Email, who.ID), accountID)
	user, err := a.data.client.CloseUser(ctx, accountID, who)
	if err != nil {
		addCloseError(&resp.Diagnostics, err, accountID, who)
		return
	}
	progress(resp, "Closed %s in account %s: DocuSign reports the membership %s", userLabel(keepEmailText(who.Email, user.Email), user.UserID), accountID, user.UserStatus)
}

// keepEmailText is the email as the user configured it, else as DocuSign holds it.
func keepEmailText(configured, held string) string {
	if configured != "" {
		return configured
	}
	return held
}
