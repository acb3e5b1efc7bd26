// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// sameElementsKeepState plans the prior state when the configuration holds the same elements in
// another order, so reordering a list of users is no change.
func sameElementsKeepState() planmodifier.List { return sameElementsKeepStateModifier{} }

type sameElementsKeepStateModifier struct{}

func (sameElementsKeepStateModifier) Description(context.Context) string {
	return "the same elements in another order plan no change"
}

func (m sameElementsKeepStateModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (sameElementsKeepStateModifier) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	// The attributes are Computed only so that this modifier may plan the state's order; what is
	// not configured stays null.
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
		return
	}
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() || len(req.StateValue.Elements()) != len(req.PlanValue.Elements()) {
		return
	}
	for _, e := range req.PlanValue.Elements() {
		if s, ok := e.(types.String); !ok || s.IsUnknown() {
			return
		}
	}
	if sameStrings(listStrings(req.PlanValue), listStrings(req.StateValue)) {
		resp.PlanValue = req.StateValue
	}
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		if count[s] == 0 {
			return false
		}
		count[s]--
	}
	return true
}

// emailIDsFollowEmails keeps email_user_ids from state while the configured emails are the
// state's (in any order); the framework would otherwise plan it unknown whenever anything in the
// resource changes, a reordering included.
func emailIDsFollowEmails() planmodifier.Map { return emailIDsFollowEmailsModifier{} }

type emailIDsFollowEmailsModifier struct{}

func (emailIDsFollowEmailsModifier) Description(context.Context) string {
	return "unchanged while the emails are unchanged"
}

func (m emailIDsFollowEmailsModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (emailIDsFollowEmailsModifier) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	var configured, inState types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("emails"), &configured)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("emails"), &inState)...)
	if resp.Diagnostics.HasError() || configured.IsUnknown() {
		return
	}
	if sameStrings(listStrings(configured), listStrings(inState)) {
		resp.PlanValue = req.StateValue
	}
}
