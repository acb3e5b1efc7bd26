// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// reopenOnDestroyAttribute is the same in all three closed-user resources: the same default and
// the same words, so a module can switch between them without surprises.
func reopenOnDestroyAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: "`true` reopens the memberships this resource closed (Admin API activate membership) when they " +
			"leave Terraform: when the resource is destroyed, and, in `docusign_closed_users`, when a user is removed from " +
			"the set. The account must belong to a DocuSign organization. `false` (the default) only forgets them, and the " +
			"users stay closed.",
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(false),
	}
}

// warnReopened tells why the plan closes someone again: the leaver was reopened outside
// Terraform. Without it the plan shows a bare create (or set change) and no reason.
func warnReopened(diags *diag.Diagnostics, who, how string) {
	diags.AddWarning("User Reopened Outside Terraform",
		fmt.Sprintf("%s was reopened outside Terraform (%s); the next apply closes them again.", capitalize(who), how))
}

// userLabel names a user for a diagnostic: email and ID when both are known.
func userLabel(email, userID string) string {
	switch {
	case email == "":
		return userID
	case userID == "":
		return email
	}
	return email + " (" + userID + ")"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// closedUserRefresh is what a refresh found of a closed-user resource's user.
type closedUserRefresh struct {
	closed bool
	// status says why the user is not closed, quoting DocuSign (`status "Active"`); empty when the
	// user no longer exists.
	status string
	// who names the user and where, for messages ("user X in account Y").
	who string
	// ambiguous lists the users an email matched when it matched several.
	ambiguous []string
}

// importingKey marks, in private state, a resource that was just imported: the Read that
// follows an import explains a user who is not closed instead of dropping the resource, which
// terraform would report only as "Cannot import non-existent remote object".
const importingKey = "importing"

// readClosedUser refreshes a closed-user resource with read. A user who was reopened or is gone
// leaves state, so the next plan closes them again, and a reopened user gets a warning that says
// so; right after an import it is an error that says what to do instead.
func readClosedUser[M any](ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, read func(context.Context, *M) (closedUserRefresh, diag.Diagnostics)) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, diags := read(ctx, &state)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	importing, d := req.Private.GetKey(ctx, importingKey)
	resp.Diagnostics.Append(d...)
	if !found.closed {
		if len(importing) > 0 {
			resp.Diagnostics.Append(notClosedOnImport(found))
			return
		}
		if found.status != "" {
			warnReopened(&resp.Diagnostics, found.who, found.status)
		}
		resp.State.RemoveResource(ctx)
		return
	}
	if len(importing) > 0 {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// markImporting flags a freshly imported resource for readClosedUser.
func markImporting(ctx context.Context, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, []byte(`true`))...)
}

func notClosedOnImport(found closedUserRefresh) diag.Diagnostic {
	if len(found.ambiguous) > 0 {
		return diag.NewErrorDiagnostic("Cannot Import Closed User",
			fmt.Sprintf("DocuSign has %d users matching %s (%s); import by user ID instead.", len(found.ambiguous), found.who, strings.Join(found.ambiguous, ", ")))
	}
	if found.status == "" {
		return diag.NewErrorDiagnostic("Cannot Import Closed User",
			fmt.Sprintf("DocuSign has no %s, so there is no closure to import; check the import ID.", found.who))
	}
	return diag.NewErrorDiagnostic("Cannot Import User Who Is Not Closed",
		fmt.Sprintf("DocuSign has %s, but with %s: the user exists and is not closed, so there is no closure to import. "+
			"To close them, do not import: declare the resource and apply, which closes the user.", found.who, found.status))
}

// updateClosedUser applies a plan that can only change reopen_on_destroy, which lives in state alone.
func updateClosedUser[M any](ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// isImpersonatedUser reports whether userID is the user the provider signs in as.
func isImpersonatedUser(data *providerData, userID string) bool {
	return configured(data, nil, "") && userID != "" && strings.EqualFold(userID, data.connection.UserID)
}

// refuseImpersonatedUserID is the plan-time half of the self-close guard for resources that name
// one user by user_id.
func refuseImpersonatedUserID(ctx context.Context, data *providerData, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !configured(data, nil, "") {
		return
	}
	var userID types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("user_id"), &userID)...)
	if isImpersonatedUser(data, userID.ValueString()) {
		resp.Diagnostics.Append(selfCloseError(path.Root("user_id"), userID.ValueString(), ""))
	}
}

// selfCloseError refuses to close the impersonated user: every later call of this provider,
// this resource's own refresh and destroy included, would then fail to get a token.
func selfCloseError(attr path.Path, userID, via string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "Cannot Close the Provider's Own User",
		fmt.Sprintf("%s is the user this provider impersonates (provider user_id)%s. Closing them would lock the provider out: every "+
			"later DocuSign call of this provider, refreshes and destroys included, would fail. Close them through a provider alias "+
			"that impersonates another administrator, or remove them here.", userID, via))
}
