// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Resource identity (Terraform 1.12 and later): the attributes that name the DocuSign object a
// resource instance stands for, which `import { identity = {…} }` and `terraform query` use. An
// identity never changes for the life of an instance: every attribute in it either replaces the
// resource when it changes or is resolved once, at create or import.

package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// identityAttribute is one string identity attribute, required in an import block's identity.
func identityAttribute(description string) identityschema.StringAttribute {
	return identityschema.StringAttribute{RequiredForImport: true, Description: description}
}

// identitySchema builds an identity schema of string attributes, each required for import.
func identitySchema(descriptions map[string]string) identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(descriptions))
	for name, d := range descriptions {
		attrs[name] = identityAttribute(d)
	}
	return identityschema.Schema{Attributes: attrs}
}

// accountUserIdentity is the identity of docusign_user and docusign_closed_user.
type accountUserIdentity struct {
	AccountID types.String `tfsdk:"account_id"`
	UserID    types.String `tfsdk:"user_id"`
}

var accountUserIdentitySchema = identitySchema(map[string]string{
	"account_id": "Account ID GUID of the membership.",
	"user_id":    "User ID GUID.",
})

// organizationUserIdentity is the identity of docusign_organization_closed_user.
type organizationUserIdentity struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	UserID         types.String `tfsdk:"user_id"`
}

var organizationUserIdentitySchema = identitySchema(map[string]string{
	"organization_id": "Organization ID GUID.",
	"user_id":         "User ID GUID.",
})

// idIdentity is the identity of the integration profile and of both exclusion rules.
type idIdentity struct {
	ID types.String `tfsdk:"id"`
}

// setIdentity stores identity when Terraform supports identities (1.12 and later; before that
// the framework passes no identity) and every part of it is known: an instance imported by
// email learns its user ID only in the Read that follows the import, which sets it then.
func setIdentity(ctx context.Context, target *tfsdk.ResourceIdentity, diags *diag.Diagnostics, identity any, parts ...types.String) {
	if target == nil {
		return
	}
	for _, p := range parts {
		if p.IsNull() || p.IsUnknown() || p.ValueString() == "" {
			return
		}
	}
	diags.Append(target.Set(ctx, identity)...)
}

// identityImportID turns an import block's identity into the string import ID the resource
// already accepts, its attributes in the order named and joined by "/", so both ways of importing
// take one path. Every attribute must be a GUID. ok is false when the import gave a string ID
// (req.ID) or the identity is unusable (diags say why).
func identityImportID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics, names ...string) (id string, ok bool) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return "", false
	}
	parts := make([]string, len(names))
	for i, name := range names {
		var v types.String
		if d := req.Identity.GetAttribute(ctx, path.Root(name), &v); d.HasError() {
			diags.Append(d...)
			return "", false
		}
		if !guidPattern.MatchString(v.ValueString()) {
			diags.AddError("Invalid Import Identity",
				fmt.Sprintf("The import block's identity %s must be a DocuSign GUID, such as %s; got %q.", name, exampleGUID, v.ValueString()))
			return "", false
		}
		parts[i] = v.ValueString()
	}
	return strings.Join(parts, "/"), true
}

// ruleIdentitySchema is both exclusion rules' identity: the rule ID. DocuSign holds nothing for a
// rule, so an import by identity can only give the rule its ID back (keeping what excluded_by
// names); the plan that follows takes every other attribute from the configuration.
var ruleIdentitySchema = identitySchema(map[string]string{
	"id": "Rule ID, the UUID the provider generated when the rule was created.",
})

// setRuleIdentity stores a rule's identity from the state just written.
func setRuleIdentity(ctx context.Context, state tfsdk.State, target *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if state.Raw.IsNull() || diags.HasError() {
		return
	}
	var id types.String
	diags.Append(state.GetAttribute(ctx, path.Root("id"), &id)...)
	setIdentity(ctx, target, diags, idIdentity{ID: id}, id)
}

// ruleIdentityImport is the rule ID an import block's identity gives; ok is false for an import by
// string ID or an unusable identity (diags say why).
func ruleIdentityImport(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (id string, ok bool) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return "", false
	}
	var v types.String
	if d := req.Identity.GetAttribute(ctx, path.Root("id"), &v); d.HasError() {
		diags.Append(d...)
		return "", false
	}
	if _, err := uuid.Parse(v.ValueString()); err != nil {
		diags.AddError("Invalid Import Identity",
			fmt.Sprintf("The import block's identity id must be the rule's UUID, such as %s; got %q.", exampleGUID, v.ValueString()))
		return "", false
	}
	return v.ValueString(), true
}

// unlessImportedByIdentity applies inner only when the prior state holds a value: right after an
// import by identity a rule's state holds only its ID, and the configuration's values fill in the
// rest as an update, not a replacement that would give the rule a new ID.
type unlessImportedByIdentity struct{ inner planmodifier.String }

func (m unlessImportedByIdentity) Description(ctx context.Context) string {
	return m.inner.Description(ctx)
}

func (m unlessImportedByIdentity) MarkdownDescription(ctx context.Context) string {
	return m.inner.MarkdownDescription(ctx)
}

func (m unlessImportedByIdentity) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.State.Raw.IsNull() && req.StateValue.IsNull() {
		var id types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		var profile types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("profile_id"), &profile)...)
		if !id.IsNull() && profile.IsNull() {
			return
		}
	}
	m.inner.PlanModifyString(ctx, req, resp)
}

// replaceUnlessImportedByIdentity wraps each modifier in unlessImportedByIdentity.
func replaceUnlessImportedByIdentity(mods []planmodifier.String) []planmodifier.String {
	out := make([]planmodifier.String, len(mods))
	for i, m := range mods {
		out[i] = unlessImportedByIdentity{inner: m}
	}
	return out
}

// identityAfterRemoval answers a Read that removed the resource with the identity its prior state
// names. The framework wants an identity after every Read without errors, removals included, and
// Terraform before 1.12, or a state written before identities, sends none to start from. identity
// maps each identity attribute to the state attribute holding it. Call it deferred at the top of
// Read, so every return goes through it.
func identityAfterRemoval(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse, identity map[string]string) {
	if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() || !resp.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		return
	}
	for idAttr, stateAttr := range identity {
		var v types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(stateAttr), &v)...)
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root(idAttr), v.ValueString())...)
	}
}
