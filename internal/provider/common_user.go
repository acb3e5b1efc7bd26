// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// The attributes and values every resource that names a user shares: user_id or email, an email
// kept in the letter case configured, the user ID as held.

package provider

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// userIDOrEmailAttributes are the user_id and email attributes of a resource that names one user
// either way: exactly one is set, the other is computed, and changing the one set replaces it.
func userIDOrEmailAttributes(userIDDescription, emailDescription string) (userID, email schema.StringAttribute) {
	userID = schema.StringAttribute{
		MarkdownDescription: userIDDescription,
		Optional:            true,
		Computed:            true,
		Validators: []validator.String{
			isGUID(),
			stringvalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("email")),
		},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
	}
	email = schema.StringAttribute{
		MarkdownDescription: emailDescription + " " + emailCaseDescription,
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{isEmail()},
		PlanModifiers:       []planmodifier.String{requiresReplaceIfOtherEmail(), stringplanmodifier.UseStateForUnknown()},
	}
	return userID, email
}

// emailCaseDescription ends the description of every attribute that names a user by email.
const emailCaseDescription = "Letter case does not matter, as in DocuSign: state keeps the email as configured, and a change " +
	"of letter case alone is an in-place update, not a replacement."

// requiresReplaceIfOtherEmail replaces the resource when the configured email names another
// address; a change of letter case names the same user, so it is an in-place update.
func requiresReplaceIfOtherEmail() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.ConfigValue.IsNull() && !sameEmail(req.PlanValue, req.StateValue)
		},
		"Replaces the resource when the configured email names another address; a change of letter case does not.",
		"Replaces the resource when the configured email names another address; a change of letter case does not.")
}

// sameEmail reports whether two email values name the same address, as DocuSign compares them.
func sameEmail(a, b types.String) bool {
	return !a.IsUnknown() && !b.IsUnknown() && strings.EqualFold(a.ValueString(), b.ValueString())
}

// keepEmail returns the email to store: the one already held (configured or in state) when it
// names the address DocuSign reports, whatever the letter case, so the user's spelling stays;
// otherwise DocuSign's.
func keepEmail(held types.String, fromDocuSign string) types.String {
	switch {
	case fromDocuSign == "" && (held.IsUnknown() || held.IsNull()):
		return types.StringNull()
	case fromDocuSign == "":
		return held
	case !held.IsUnknown() && !held.IsNull() && strings.EqualFold(held.ValueString(), fromDocuSign):
		return held
	}
	return types.StringValue(fromDocuSign)
}

// profileEmail is the email DocuSign holds for an organization user, "" when no membership says.
func profileEmail(p *admin.Profile) string {
	for _, ms := range p.Memberships {
		if ms.Email != "" {
			return ms.Email
		}
	}
	return ""
}

// idAsHeld is the user ID to store: the one configuration or state already holds, in its own
// letter case, else DocuSign's.
func idAsHeld(held, fromDocuSign string) string {
	if held != "" {
		return held
	}
	return fromDocuSign
}

func stringSet(values []string) types.Set {
	sort.Strings(values)
	elems := make([]attr.Value, 0, len(values))
	seen := map[string]bool{}
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			elems = append(elems, types.StringValue(v))
		}
	}
	return types.SetValueMust(types.StringType, elems)
}

func setStrings(s types.Set) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok {
			out = append(out, v.ValueString())
		}
	}
	return out
}
