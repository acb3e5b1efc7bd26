// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/auth"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// guidPattern is DocuSign's ID form: 8-4-4-4-12 hexadecimal digits.
var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// isGUID validates a DocuSign GUID at plan time.
func isGUID() validator.String {
	return stringvalidator.RegexMatches(guidPattern, "must be a DocuSign GUID such as 3a9e5c71-2b4d-4f8e-9a6c-1d2e3f4a5b6c")
}

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// isEmail validates an email address at plan time. Letter case is the user's to choose: DocuSign
// compares emails ignoring it, and so does the provider.
func isEmail() validator.String { return emailAddress{} }

// emailAddress refuses surrounding whitespace with a message that shows it, since a stray space
// or newline from a CSV or heredoc is invisible in the plain "must be an email address" message,
// then checks the address's shape.
type emailAddress struct{}

func (emailAddress) Description(context.Context) string {
	return "must be an email address such as jane.doe@example.com, without surrounding whitespace; letter case does not matter"
}

func (v emailAddress) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (emailAddress) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if trimmed := strings.TrimSpace(value); trimmed != value {
		resp.Diagnostics.AddAttributeError(req.Path, "Email Address With Surrounding Whitespace",
			fmt.Sprintf("Attribute %s has whitespace before or after the address: %q. Remove it, for example with trimspace(), to use %q.",
				req.Path, value, trimmed))
		return
	}
	if !emailPattern.MatchString(value) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Email Address",
			fmt.Sprintf("Attribute %s must be an email address such as jane.doe@example.com, got %q.", req.Path, value))
	}
}

var httpURLPattern = regexp.MustCompile(`^https?://[^\s/]+(/[^\s]*)?$`)

// isHTTPURL validates a base URL at plan time.
func isHTTPURL() validator.String {
	return stringvalidator.RegexMatches(httpURLPattern, "must be an http(s) URL such as https://account-d.docusign.com")
}

// isDate validates a YYYY-MM-DD calendar date at plan time.
func isDate() validator.String { return calendarDate{} }

var scopesPattern = regexp.MustCompile(`^\s*[a-z_]+(\s+[a-z_]+)*\s*$`)

// scopesValid validates a space-separated scope list at plan time: its form, then that it holds
// both signature and impersonation, without which DocuSign refuses every JWT grant.
func scopesValid() []validator.String {
	return []validator.String{
		stringvalidator.RegexMatches(scopesPattern, "must be space-separated scope names such as \"signature impersonation\""),
		baseScopes{},
	}
}

// baseScopes refuses a scope list that leaves out signature or impersonation.
type baseScopes struct{}

func (baseScopes) Description(context.Context) string {
	return "must include both signature and impersonation"
}

func (v baseScopes) MarkdownDescription(context.Context) string {
	return "must include both `signature` and `impersonation`"
}

func (baseScopes) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if detail := missingBaseScopes(req.Path.String(), req.ConfigValue.ValueString()); detail != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Missing Required DocuSign Scopes", detail)
	}
}

// missingBaseScopes explains what a scope list named by attr lacks, or is "" when it has both base
// scopes. An empty list is the pattern's to refuse.
func missingBaseScopes(attr, value string) string {
	scopes := strings.Fields(value)
	missing := auth.MissingBaseScopes(scopes)
	if len(scopes) == 0 || len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("%s must include both signature and impersonation: DocuSign refuses a JWT grant without either (consent_required), "+
		"so no call could succeed. %q lacks %s; add it, as in %q.",
		attr, value, strings.Join(missing, " and "), strings.Join(append(missing, scopes...), " "))
}

// calendarDate checks that a YYYY-MM-DD string names a real day (2025-02-30 does not).
type calendarDate struct{}

func (calendarDate) Description(context.Context) string {
	return "must be a real calendar date in the form YYYY-MM-DD"
}

func (v calendarDate) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (calendarDate) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.DateOnly, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Date",
			fmt.Sprintf("Attribute %s must be a real calendar date in the form YYYY-MM-DD, such as 2025-01-31, got %q.",
				req.Path, req.ConfigValue.ValueString()))
	}
}

var numericPattern = regexp.MustCompile(`^[0-9]+$`)

var (
	pathScopes    = path.Root("scopes")
	pathAccountID = path.Root("account_id")
)

var rfc3339Pattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)

// regexCompiles fails the plan when a regex rule's identifier is not a valid RE2 expression.
type regexCompiles struct{}

var _ resource.ConfigValidator = regexCompiles{}

func (regexCompiles) Description(context.Context) string {
	return "identifier must be a valid RE2 regular expression when match is \"regex\""
}

func (v regexCompiles) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexCompiles) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var match, identifier types.String
	var caseSensitive types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("match"), &match)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("identifier"), &identifier)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("case_sensitive"), &caseSensitive)...)
	if resp.Diagnostics.HasError() || match.IsUnknown() || identifier.IsUnknown() || identifier.IsNull() {
		return
	}
	if match.ValueString() != datafeed.MatchRegex {
		return
	}
	if _, err := datafeed.CompileRegex(identifier.ValueString(), caseSensitive.ValueBool()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("identifier"), "Invalid Exclusion Rule Regular Expression",
			fmt.Sprintf("identifier must be a valid RE2 regular expression (Go syntax) when match = \"regex\": %s. "+
				"Fix identifier, or use match = \"equals\", \"starts_with\", \"ends_with\" or \"contains\" for a literal.", err))
	}
}

// notFutureDate checks a YYYY-MM-DD date that must not lie after today (UTC) by its clock.
type notFutureDate struct{ now clock }

func (notFutureDate) Description(context.Context) string {
	return "must be a date in the form YYYY-MM-DD that is not in the future"
}

func (v notFutureDate) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v notFutureDate) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.Parse(time.DateOnly, req.ConfigValue.ValueString())
	if err != nil {
		return // isDate reports the format
	}
	// A day of grace for time zones ahead of UTC.
	if d.After(v.now.today().AddDate(0, 0, 1)) {
		resp.Diagnostics.AddAttributeError(req.Path, "Contract Start Date In The Future",
			fmt.Sprintf("Attribute %s is %s, which is in the future; the contract start date is the day the DocuSign contract began. "+
				"Use a date on or before today (%s).", req.Path, req.ConfigValue.ValueString(), datafeed.FormatDate(v.now.today())))
	}
}

// uniqueStrings rejects an element given twice (letter case ignored), in one pass.
func uniqueStrings() validator.List { return uniqueStringsValidator{} }

type uniqueStringsValidator struct{}

func (uniqueStringsValidator) Description(context.Context) string {
	return "each element must appear once, ignoring letter case"
}

func (v uniqueStringsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uniqueStringsValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	seen := map[string]bool{}
	for _, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		key := strings.ToLower(s.ValueString())
		if seen[key] {
			resp.Diagnostics.AddAttributeError(req.Path, "Duplicate Value",
				fmt.Sprintf("%s lists %q more than once; list each user once.", req.Path, s.ValueString()))
			return
		}
		seen[key] = true
	}
}
