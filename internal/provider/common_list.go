// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
)

// The three list resources share how they read their configuration and how each listed user
// becomes a result: a display name, the identity to import by, and the resource when terraform
// asked for it (include_resource).

// listConfig reads a list block's config into M; false means the stream already carries the
// error and the list ends.
func listConfig[M any](ctx context.Context, req list.ListRequest, data *providerData, summary string, stream *list.ListResultsStream) (M, bool) {
	var cfg M
	var diags diag.Diagnostics
	diags.Append(req.Config.Get(ctx, &cfg)...)
	if diags.HasError() || !configured(data, &diags, summary) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return cfg, false
	}
	return cfg, true
}

// listFailed ends a list before its first result with one error.
func listFailed(stream *list.ListResultsStream, summary, detail string) {
	stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{diag.NewErrorDiagnostic(summary, detail)})
}

// userListResult is one listed user; state is only built when terraform asked for resources.
func userListResult(ctx context.Context, req list.ListRequest, name, email string, identity any, state func() any) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = userDisplayName(name, email)
	result.Diagnostics.Append(result.Identity.Set(ctx, identity)...)
	if req.IncludeResource {
		result.Diagnostics.Append(result.Resource.Set(ctx, state())...)
	}
	return result
}

// userDisplayName is how `terraform query` shows a listed user: name and email.
func userDisplayName(name, email string) string {
	switch {
	case name == "":
		return email
	case email == "":
		return name
	}
	return name + " <" + email + ">"
}

// listError is a list result that carries only an error.
func listError(summary, detail string) list.ListResult {
	var diags diag.Diagnostics
	diags.AddError(summary, detail)
	return list.ListResult{Diagnostics: diags}
}
