package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
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
func warnReopened(diags *diag.Diagnostics, who, where string) {
	diags.AddWarning("User Reopened Outside Terraform",
		fmt.Sprintf("User %s was reopened outside Terraform (%s); the next apply closes them again.", who, where))
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

// accountList names accounts in a diagnostic, sorted.
func accountsLabel(accountIDs []string) string {
	ids := append([]string(nil), accountIDs...)
	sort.Strings(ids)
	if len(ids) == 1 {
		return "account " + ids[0]
	}
	return "accounts " + strings.Join(ids, ", ")
}

// readClosure refreshes a closed-user resource with read, which reports whether the user is
// still closed (and warns when someone reopened them). A user who was reopened or is gone leaves
// state, so the next plan closes them again.
func readClosure[M any](ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, read func(context.Context, *M) (bool, diag.Diagnostics)) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	stillClosed, diags := read(ctx, &state)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	if !stillClosed {
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// updateClosure applies a plan that can only change reopen_on_destroy, which lives in state alone.
func updateClosure[M any](ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}
