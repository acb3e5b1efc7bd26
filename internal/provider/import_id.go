// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// importIDSummary is the one summary every resource's import error carries.
const importIDSummary = "Invalid Import ID"

// importPartKind says what one slash-separated part of an import ID may hold.
type importPartKind int

const (
	guidPart     importPartKind = iota // a DocuSign GUID
	userPart                           // a user ID GUID or an email address
	matchPart                          // an exclusion rule's match kind
	textPart                           // any non-empty text; as the last part it keeps further slashes
	guidListPart                       // one or more GUIDs separated by commas
)

// importPart is one part of an import ID, named as the resource's attribute.
type importPart struct {
	name string
	kind importPartKind
}

// importIDForm is the parts of one accepted import ID, in order.
type importIDForm []importPart

func (f importIDForm) String() string {
	names := make([]string, len(f))
	for i, p := range f {
		switch p.kind {
		case userPart:
			names[i] = "<user_id or email>"
		case guidListPart:
			names[i] = fmt.Sprintf("<%s>[,<%s>...]", p.name, p.name)
		default:
			names[i] = "<" + p.name + ">"
		}
	}
	return strings.Join(names, "/")
}

// parseImportID splits id by the first form with as many parts as id has (the last part keeps any
// further slashes) and checks each part. The diagnostic names the expected forms, an example and
// the part that is wrong.
func parseImportID(id, example string, forms ...importIDForm) ([]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	problem := "too few parts"
	for _, form := range forms {
		parts := strings.SplitN(id, "/", len(form))
		if len(parts) != len(form) {
			continue
		}
		problem = ""
		for i, p := range form {
			if problem = p.check(parts[i]); problem != "" {
				break
			}
		}
		if problem == "" {
			if i := len(parts) - 1; form[i].kind == guidListPart {
				parts[i] = strings.Join(guidList(parts[i]), ",")
			}
			return parts, nil
		}
		break
	}
	expected := make([]string, len(forms))
	for i, f := range forms {
		expected[i] = f.String()
	}
	diags.AddError(importIDSummary, fmt.Sprintf("Expected %s, such as %s; got %q: %s.",
		strings.Join(expected, " or "), example, id, problem))
	return nil, diags
}

func (p importPart) check(value string) string {
	switch {
	case value == "":
		return fmt.Sprintf("<%s> is empty", p.name)
	case p.kind == guidPart && !guidPattern.MatchString(value):
		return fmt.Sprintf("<%s> %q is not a DocuSign GUID", p.name, value)
	case p.kind == userPart && !guidPattern.MatchString(value) && !emailPattern.MatchString(value):
		return fmt.Sprintf("%q is neither a user ID GUID nor an email address", value)
	case p.kind == matchPart && !slices.Contains(datafeed.MatchKinds, value):
		return fmt.Sprintf("<%s> %q is not one of %s", p.name, value, strings.Join(datafeed.MatchKinds, ", "))
	case p.kind == guidListPart:
		for _, g := range guidList(value) {
			if !guidPattern.MatchString(g) {
				return fmt.Sprintf("<%s> %q is not a DocuSign GUID", p.name, g)
			}
		}
	}
	return ""
}

func guidList(value string) []string {
	ids := strings.Split(value, ",")
	for i, id := range ids {
		ids[i] = strings.TrimSpace(id)
	}
	return ids
}

// userReference turns a userPart into the user_id and email attributes, one of them null.
func userReference(value string) (userID, email types.String) {
	if guidPattern.MatchString(value) {
		return types.StringValue(value), types.StringNull()
	}
	return types.StringNull(), types.StringValue(value)
}

// The import ID forms the resources accept; their docs (templates/) show the same.
var (
	accountUserImportID      = importIDForm{{"account_id", guidPart}, {"user_id", userPart}}
	organizationUserImportID = importIDForm{{"organization_id", guidPart}, {"user_id", userPart}}
	userImportID             = importIDForm{{"user_id", userPart}}
	closedUsersImportID      = importIDForm{{"account_id", guidPart}, {"user_id", guidListPart}}
	integrationProfileID     = importIDForm{{"organization_id", guidPart}}
	userRuleImportID         = importIDForm{{"profile_id", guidPart}, {"user_id", userPart}}
	identifierRuleImportID   = importIDForm{{"profile_id", guidPart}, {"match", matchPart}, {"identifier", textPart}}
)

const (
	exampleGUID  = "6b0f8e2d-1c3a-4b5d-8e9f-0a1b2c3d4e5f"
	exampleEmail = "leaver@example.com"
)
