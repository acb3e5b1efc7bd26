package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
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

// lookupScope says where a user was looked up, for the diagnostics of a failed lookup.
type lookupScope struct {
	accountID, organizationID string
	// userID and email are how the configuration named the user; attr is the attribute set.
	userID, email string
}

func (l lookupScope) attr() string {
	if l.userID != "" {
		return "user_id"
	}
	return "email"
}

// addLookupError turns a failed user lookup (docusign.FindUserByEmail, FindOrganizationUser and
// the operations built on them) into its diagnostic, and reports whether err was one.
func addLookupError(diags *diag.Diagnostics, err error, l lookupScope) bool {
	var ambiguous *docusign.AmbiguousEmailError
	switch {
	case err == nil:
		return false
	case errors.As(err, &ambiguous) && ambiguous.OrganizationID != "":
		diags.AddAttributeError(path.Root("email"), "Several Users Share This Email",
			fmt.Sprintf("DocuSign organization %s has %d users with email %s: %s. Set user_id instead of email.",
				ambiguous.OrganizationID, len(ambiguous.UserIDs), ambiguous.Email, strings.Join(ambiguous.UserIDs, ", ")))
	case ambiguous != nil:
		diags.AddAttributeError(path.Root("email"), "Several Users Share This Email",
			fmt.Sprintf("DocuSign account %s has %d users with email %s: %s. Set user_id to the one to close instead of email.",
				ambiguous.AccountID, len(ambiguous.UserIDs), ambiguous.Email, strings.Join(ambiguous.UserIDs, ", ")))
	case errors.Is(err, docusign.ErrUserNotFound) && l.organizationID != "":
		who := l.userID
		if who == "" {
			who = l.email
		}
		diags.AddAttributeError(path.Root(l.attr()), "User Not Found",
			fmt.Sprintf("DocuSign organization %s has no user %s. Check %s and organization_id.", l.organizationID, who, l.attr()))
	case errors.Is(err, docusign.ErrUserNotFound) && l.userID != "":
		diags.AddAttributeError(path.Root("user_id"), "User Not Found",
			fmt.Sprintf("DocuSign account %s has no user %s. Check user_id and account_id.", l.accountID, l.userID))
	case errors.Is(err, docusign.ErrUserNotFound):
		diags.AddAttributeError(path.Root("email"), "User Not Found",
			fmt.Sprintf("DocuSign account %s has no user with email %s. Check the email, or set account_id to the account the user belongs to.", l.accountID, l.email))
	case l.organizationID != "":
		diags.AddError("Unable to Find User", fmt.Sprintf("Looking up the user in organization %s failed: %s", l.organizationID, explain(err)))
	default:
		diags.AddError("Unable to Find User", fmt.Sprintf("Looking up %s in account %s failed: %s", l.email, l.accountID, explain(err)))
	}
	return true
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
