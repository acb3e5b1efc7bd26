// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

var (
	_ action.ActionWithConfigure        = (*reopenUserAction)(nil)
	_ action.ActionWithConfigValidators = (*reopenUserAction)(nil)
)

// NewReopenUserAction is the docusign_reopen_user factory.
func NewReopenUserAction() action.Action { return &reopenUserAction{} }

// reopenUserAction reopens one closed membership now, the way reopen_on_destroy does.
type reopenUserAction struct {
	data *providerData
}

func (a *reopenUserAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_reopen_user"
}

func (a *reopenUserAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = userActionSchema("Reopens one DocuSign user's closed membership in one account, now, through the Admin API "+
		"(activate membership), so the account must belong to a DocuSign organization. A break-glass command for a pipeline "+
		"(`terraform apply -invoke=action.docusign_reopen_user.NAME`) or a resource's `action_trigger`. Requires Terraform "+
		"1.14 or later; OpenTofu does not support actions.\n\n"+
		"An unknown user is an error; a membership that is not closed is left as it is. The reopen counts only when a fresh read "+
		"of the membership says it is no longer closed. An action keeps no state: if a `docusign_closed_user` still declares the "+
		"user, its next plan closes them again.", "reopen")
}

func (a *reopenUserAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *reopenUserAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return userActionConfigValidators()
}

func (a *reopenUserAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	const summary = "Unable to Reopen User"
	accountID, who, ok := userActionTarget(ctx, a.data, req, &resp.Diagnostics, summary)
	if !ok {
		return
	}
	progress(resp, "Reopening %s in account %s", userLabel(who.Email, who.ID), accountID)
	user, reopened, err := a.data.client.ReopenAccountUser(ctx, accountID, who)
	if errors.Is(err, docusign.ErrUserNotFound) {
		resp.Diagnostics.AddError(summary, fmt.Sprintf("DocuSign account %s has no user %s. Check user_id or email, and account_id.",
			accountID, userLabel(who.Email, who.ID)))
		return
	}
	if err != nil {
		addReopenError(&resp.Diagnostics, err, summary,
			"Reopening uses the Admin API, so the account must belong to a DocuSign organization that the provider's user administers.", "")
		return
	}
	label := userLabel(keepEmailText(who.Email, user.Email), user.UserID)
	if !reopened {
		progress(resp, "%s in account %s is not closed (DocuSign reports %s); nothing to reopen", label, accountID, user.UserStatus)
		return
	}
	progress(resp, "Reopened %s in account %s: DocuSign reports the membership %s", label, accountID, user.UserStatus)
}
