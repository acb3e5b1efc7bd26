// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

// defaultOperationTimeout bounds one create, read, update or delete unless its resource's
// timeouts block says otherwise. It leaves room for DocuSign's burst-limit waits (30 s windows)
// and retries; a partition ends much sooner, because the transport stops waiting once DocuSign
// has answered nothing for the client's unreachable-after window.
const defaultOperationTimeout = 5 * time.Minute

const durationHelp = `a duration such as "30s", "10m" or "1h" (units s, m, h). Defaults to "5m".`

// timeoutsBlock is the timeouts block of a resource, offering the operations it does work in.
func timeoutsBlock(ctx context.Context, opts timeouts.Opts) schema.Block {
	opts.CreateDescription = "Time limit for creating, " + durationHelp
	opts.ReadDescription = "Time limit for refreshing, " + durationHelp
	opts.UpdateDescription = "Time limit for updating, " + durationHelp
	opts.DeleteDescription = "Time limit for destroying, " + durationHelp
	block := timeouts.Block(ctx, opts).(schema.SingleNestedBlock) //nolint:forcetypeassert // the timeouts module documents Block as a SingleNestedBlock
	block.MarkdownDescription = "Time limits per operation; each covers every DocuSign call and retry of that operation. " +
		"When one runs out, the operation fails and the next apply picks up where it stopped."
	return block
}

// dataSourceTimeoutsBlock is the timeouts block of a data source: its read.
func dataSourceTimeoutsBlock(ctx context.Context) dsschema.Block {
	block := dstimeouts.BlockWithOpts(ctx, dstimeouts.Opts{ReadDescription: "Time limit for reading, " + durationHelp}).(dsschema.SingleNestedBlock) //nolint:forcetypeassert // as above
	block.MarkdownDescription = "Time limit for the read, covering every DocuSign call and retry it makes."
	return block
}

// operationContext bounds ctx by a timeouts block's setting for one operation.
func operationContext(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	limit, d := get(ctx, defaultOperationTimeout)
	diags.Append(d...)
	return context.WithTimeout(ctx, limit)
}

// dataSourceContext bounds a data source's read by its timeouts block.
func dataSourceContext(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) (context.Context, context.CancelFunc) {
	var t dstimeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, timeoutsPath, &t)...)
	return operationContext(ctx, t.Read, &resp.Diagnostics)
}

var timeoutsPath = path.Root("timeouts")

// timedOut explains an operation ended by its time limit or by DocuSign's silence.
func timedOut(err error) string {
	switch {
	case errors.Is(err, docusign.ErrUnreachable):
		return ". DocuSign stopped answering; apply again once the network path to DocuSign works. Work already done stays in state."
	case errors.Is(err, context.DeadlineExceeded):
		return ". The operation ran out of time; apply again, or raise the limit in the resource's timeouts block (for example timeouts { create = \"10m\" })."
	}
	return ""
}

// nullTimeouts is an unset timeouts block offering ops, for state built from nothing (import).
func nullTimeouts(ops ...string) timeouts.Value {
	attrTypes := make(map[string]attr.Type, len(ops))
	for _, op := range ops {
		attrTypes[op] = types.StringType
	}
	return timeouts.Value{Object: types.ObjectNull(attrTypes)}
}

// attributeGetter is a plan, state or config.
type attributeGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// boundedBy bounds ctx by the timeouts block in src for one operation, e.g. timeouts.Value.Create.
func boundedBy(ctx context.Context, src attributeGetter, op func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics), diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	var t timeouts.Value
	diags.Append(src.GetAttribute(ctx, timeoutsPath, &t)...)
	return operationContext(ctx, func(ctx context.Context, d time.Duration) (time.Duration, diag.Diagnostics) { return op(t, ctx, d) }, diags)
}
