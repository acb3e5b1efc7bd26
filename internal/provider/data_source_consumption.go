// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

var (
	_ datasource.DataSource              = (*consumptionDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*consumptionDataSource)(nil)
)

// NewConsumptionDataSource is the data.docusign_consumption factory.
type consumptionDataSource struct {
	data *providerData
	now  clock
}

type consumptionModel struct {
	OrganizationID        types.String `tfsdk:"organization_id"`
	AccountIDs            types.Set    `tfsdk:"account_ids"`
	PeriodStart           types.String `tfsdk:"period_start"`
	PeriodEnd             types.String `tfsdk:"period_end"`
	ContractStartDate     types.String `tfsdk:"contract_start_date"`
	RenewalPeriodMonths   types.Int64  `tfsdk:"renewal_period_months"`
	AsOf                  types.String `tfsdk:"as_of"`
	APIBudgetPercent      types.Int64  `tfsdk:"api_budget_percent"`
	Accounts              types.List   `tfsdk:"accounts"`
	TotalEnvelopesSent    types.Int64  `tfsdk:"total_envelopes_sent"`
	TotalEnvelopesAllowed types.Int64  `tfsdk:"total_envelopes_allowed"`

	Timeouts dstimeouts.Value `tfsdk:"timeouts"`
}

var consumptionAccountAttrTypes = map[string]attr.Type{
	"account_id": types.StringType, "account_name": types.StringType, "envelopes_sent": types.Int64Type,
	"billing_period_start": types.StringType, "billing_period_end": types.StringType,
	"billing_period_envelopes_sent": types.Int64Type, "billing_period_envelopes_allowed": types.Int64Type,
	"envelope_allowance": types.StringType, "percent_used": types.Float64Type, "esignature_reachable": types.BoolType,
}

const consumptionSummary = "Unable to Read DocuSign Consumption"

func (d *consumptionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_consumption"
}

func (d *consumptionDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	period := path.MatchRoot("period_start")
	periodEnd := path.MatchRoot("period_end")
	contract := path.MatchRoot("contract_start_date")
	renewal := path.MatchRoot("renewal_period_months")
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeoutsBlock(ctx)},
		MarkdownDescription: "Envelope consumption per account of an organization: each account's DocuSign billing counters " +
			"(eSignature `GET /accounts/{accountId}`) and the envelopes sent in a period by every sender, closed senders included. " +
			"The period is, in order of precedence: `period_start`/`period_end`; the renewal cycle " +
			"of `contract_start_date` + `renewal_period_months` containing today (or `as_of`); otherwise each account's own " +
			"DocuSign billing period. Use a profile's `current_period_start`/`current_period_end` for its cycle.\n\n" +
			"**Where the numbers come from, and what they cost.** Without a period, `envelopes_sent` is DocuSign's own " +
			"`billingPeriodEnvelopesSent`: 1 call per account. DocuSign has no account-wide envelope count for any other " +
			"period: its envelope search returns only the calling user's envelopes (or, with `user_id`, one other user's), " +
			"`billing_charges` covers only the current billing period, and a user's `usageHistory` is a lifetime total only " +
			"that user may read. So for a period or a renewal cycle the data source lists the account's memberships of any " +
			"status through the Admin API (250 per page) and runs one envelope search per member whose membership overlapped " +
			"the period, reading its count: **1 + ⌈M/250⌉ + S calls per account**, M memberships, S members who overlapped " +
			"the period (an account with 500 senders costs about 505 of DocuSign's 3,000 calls per hour). Plus 3 per read: token, " +
			"userinfo and the organization list. A period that starts on the account's current billing-period start and ends " +
			"today or later is DocuSign's own counter instead: 1 call. The searches are paced within the account's burst limit " +
			"(200 calls per 30 seconds on demo, 500 in production), and a read that would take more than `api_budget_percent` of " +
			"the hour's calls left is refused before it spends them.\n\n" +
			"**Exact counts.** DocuSign documents the search's `user_id` as the envelopes' creator, but its web app pairs it with " +
			"the inbox, so received envelopes may come back too; each search names the documented folder type `sentitems` and, " +
			"in the same call, reads up to 1,000 rows and checks their senders: when someone else's envelope comes back, the " +
			"rows the member sent are counted instead. When DocuSign " +
			"refuses a closed member's search, or a search answer's count or senders cannot be read, that account's `envelopes_sent` and " +
			"`total_envelopes_sent` are null and a warning says why.\n\n" +
			"**Accounts the impersonated user is not a member of.** An organization administrator can administer accounts in " +
			"which they hold no eSignature membership; DocuSign refuses eSignature calls there. Such an account is still " +
			"listed with its ID and name (from the Admin API), `esignature_reachable = false` and null counters, and the " +
			"read adds a warning naming it. Add the impersonated user as a member of that account to count it.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "Organization ID GUID. The impersonated user must administer it and belong to its accounts.",
				Required:            true,
				Validators:          []validator.String{isGUID()},
			},
			"account_ids": schema.SetAttribute{
				MarkdownDescription: "Only these account ID GUIDs of the organization. Default: every account of the organization.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(isGUID()), setvalidator.SizeAtLeast(1)},
			},
			"period_start": schema.StringAttribute{
				MarkdownDescription: "First day of the period, `YYYY-MM-DD` (UTC). Set together with `period_end`; conflicts with " +
					"`contract_start_date`. Computed otherwise: the cycle's first day, or the accounts' common billing-period " +
					"start (null when their billing periods differ).",
				Optional: true,
				Computed: true,
				Validators: []validator.String{isDate(), stringvalidator.AlsoRequires(periodEnd),
					stringvalidator.ConflictsWith(contract, renewal, path.MatchRoot("as_of"))},
			},
			"period_end": schema.StringAttribute{
				MarkdownDescription: "Last day of the period, inclusive, `YYYY-MM-DD` (UTC), on or after `period_start`. Computed like `period_start`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{isDate(), stringvalidator.AlsoRequires(period)},
			},
			"contract_start_date": schema.StringAttribute{
				MarkdownDescription: "Contract start date, `YYYY-MM-DD`, not in the future. With `renewal_period_months` it selects the renewal cycle containing today (or `as_of`).",
				Optional:            true,
				Validators:          []validator.String{isDate(), notFutureDate{now: d.now}, stringvalidator.AlsoRequires(renewal)},
			},
			"renewal_period_months": schema.Int64Attribute{
				MarkdownDescription: "Renewal period in months, 1–120. Set together with `contract_start_date`.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 120), int64validator.AlsoRequires(contract)},
			},
			"as_of": schema.StringAttribute{
				MarkdownDescription: "A day, `YYYY-MM-DD`, whose renewal cycle to report instead of today's. Needs `contract_start_date`.",
				Optional:            true,
				Validators:          []validator.String{isDate(), stringvalidator.AlsoRequires(contract)},
			},
			"api_budget_percent": schema.Int64Attribute{
				MarkdownDescription: "The largest share, in percent (1–100, default 50), of an account's hourly eSignature calls " +
					"left that the envelope searches of a period may take. DocuSign allows 3,000 calls per hour per account, shared by " +
					"every integration on it, and reports what is left (`X-RateLimit-Remaining`) on each answer. Before any search the " +
					"data source compares one search per member whose membership overlapped the period with that share of what the " +
					"account's first answer reports left, and refuses the read with an error stating both when it does not fit; when " +
					"DocuSign sends no `X-RateLimit-Remaining` the read goes on with a warning. " +
					"No effect without a period, or when the period is the account's current billing period.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 100)},
			},
			"accounts": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per account, ordered by account ID.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"account_id":   computedString("Account ID GUID."),
					"account_name": computedString("Account name."),
					"esignature_reachable": schema.BoolAttribute{
						MarkdownDescription: "`true` when eSignature answered for the account; `false` when the impersonated user is no member " +
							"of it, and then every counter below is null and a warning names the account.",
						Computed: true,
					},
					"envelopes_sent": computedInt("Envelopes the account sent in the period, by every sender including closed ones " +
						"(in its billing period when no period is set). Null when the account is not reachable."),
					"billing_period_start":          computedString("First day of the account's current DocuSign billing period, `YYYY-MM-DD`."),
					"billing_period_end":            computedString("Last day of the account's current DocuSign billing period, `YYYY-MM-DD`."),
					"billing_period_envelopes_sent": computedInt("Envelopes sent in the billing period, as DocuSign counts them. Null when the account is not reachable."),
					"billing_period_envelopes_allowed": computedInt("Envelopes the plan allows per billing period when `envelope_allowance` " +
						"is `limited`; null otherwise."),
					"envelope_allowance": computedString("What DocuSign reports as the billing period's envelope allowance: `limited` " +
						"(the number is in `billing_period_envelopes_allowed`), `unlimited`, or `not_reported` (DocuSign left " +
						"`billingPeriodEnvelopesAllowed` out, as reseller accounts do; this is not unlimited). Null when the account is not reachable."),
					"percent_used": schema.Float64Attribute{
						MarkdownDescription: "`billing_period_envelopes_sent` / `billing_period_envelopes_allowed` × 100 when the allowance is `limited` and above 0; null otherwise.",
						Computed:            true,
					},
				}},
			},
			"total_envelopes_sent": computedInt("Sum of `envelopes_sent`; null when an account is not reachable, because a partial " +
				"sum would understate."),
			"total_envelopes_allowed": computedInt("Sum of `billing_period_envelopes_allowed`; null unless every account's " +
				"`envelope_allowance` is `limited`."),
		},
	}
}

func (d *consumptionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *consumptionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := dataSourceContext(ctx, req, resp)
	defer cancel()
	var m consumptionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !configured(d.data, &resp.Diagnostics, consumptionSummary) {
		return
	}
	accountIDs, diags := stringsFromSet(ctx, m.AccountIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var period *datafeed.Period
	switch {
	case !m.PeriodStart.IsNull():
		start, err1 := datafeed.ParseDate(m.PeriodStart.ValueString())
		end, err2 := datafeed.ParseDate(m.PeriodEnd.ValueString())
		if err1 != nil || err2 != nil {
			resp.Diagnostics.AddAttributeError(path.Root("period_start"), consumptionSummary, "period_start and period_end must be YYYY-MM-DD dates.")
			return
		}
		if end.Before(start) {
			resp.Diagnostics.AddAttributeError(path.Root("period_end"), consumptionSummary,
				"period_end ("+m.PeriodEnd.ValueString()+") is before period_start ("+m.PeriodStart.ValueString()+"). Swap them or fix one.")
			return
		}
		period = &datafeed.Period{Start: start, End: end}
	case !m.ContractStartDate.IsNull():
		contract, err := datafeed.ParseDate(m.ContractStartDate.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("contract_start_date"), consumptionSummary, err.Error())
			return
		}
		asOf := d.now()
		if !m.AsOf.IsNull() {
			if asOf, err = datafeed.ParseDate(m.AsOf.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("as_of"), consumptionSummary, err.Error())
				return
			}
		}
		start, end := datafeed.Cycle(contract, int(m.RenewalPeriodMonths.ValueInt64()), asOf)
		period = &datafeed.Period{Start: start, End: end}
	}

	share := datafeed.DefaultBudgetShare
	if !m.APIBudgetPercent.IsNull() {
		share = float64(m.APIBudgetPercent.ValueInt64()) / 100
	}
	report, err := d.data.client.Consumption(ctx, datafeed.ConsumptionQuery{
		OrganizationID: m.OrganizationID.ValueString(), AccountIDs: accountIDs, Period: period, BudgetShare: share,
	})
	var budget *datafeed.BudgetError
	switch {
	case errors.As(err, &budget):
		resp.Diagnostics.AddAttributeError(path.Root("api_budget_percent"), consumptionSummary, "Refused before any envelope search: "+
			budget.Error()+". Narrow the read with account_ids or a shorter period (period_start/period_end), read the "+
			"billing period (no period) which costs 1 call per account, wait for the reset, or raise api_budget_percent.")
		return
	case err != nil:
		addFeedError(&resp.Diagnostics, consumptionSummary, err)
		return
	}
	m.PeriodStart, m.PeriodEnd = types.StringNull(), types.StringNull()
	if report.Period != nil {
		m.PeriodStart = types.StringValue(datafeed.FormatDate(report.Period.Start))
		m.PeriodEnd = types.StringValue(datafeed.FormatDate(report.Period.End))
	}
	elems := make([]attr.Value, len(report.Accounts))
	for i, a := range report.Accounts {
		allowance := types.StringNull()
		if a.Allowance != "" {
			allowance = types.StringValue(a.Allowance)
		}
		v, diags := types.ObjectValue(consumptionAccountAttrTypes, map[string]attr.Value{
			"account_id": types.StringValue(a.AccountID), "account_name": types.StringValue(a.AccountName),
			"esignature_reachable": types.BoolValue(a.Unreachable == nil),
			"envelopes_sent":       int64OrNull(a.EnvelopesSent),
			"billing_period_start": dateOrNull(a.BillingPeriodStart), "billing_period_end": dateOrNull(a.BillingPeriodEnd),
			"billing_period_envelopes_sent":    int64OrNull(a.BillingPeriodEnvelopesSent),
			"billing_period_envelopes_allowed": int64OrNull(a.BillingPeriodEnvelopesAllowed),
			"envelope_allowance":               allowance, "percent_used": types.Float64PointerValue(a.PercentUsed),
		})
		resp.Diagnostics.Append(diags...)
		elems[i] = v
	}
	for _, a := range report.Accounts {
		if a.BudgetUnchecked {
			resp.Diagnostics.AddWarning("DocuSign API Budget Not Checked",
				fmt.Sprintf("DocuSign's answer for account %s (%s) carried no X-RateLimit-Remaining header, so its %d envelope "+
					"searches ran without the api_budget_percent check.", a.AccountID, a.AccountName, a.SendersSearched))
		}
		if a.CountUnknown != nil {
			resp.Diagnostics.AddWarning("Incomplete DocuSign Consumption",
				fmt.Sprintf("The envelopes account %s (%s) sent in the period could not be counted, so its envelopes_sent and "+
					"total_envelopes_sent are null: %s.", a.AccountID, a.AccountName, a.CountUnknown))
		}
	}
	for _, a := range report.Unreachable() {
		addUnreachableAccountWarning(&resp.Diagnostics, d.data, "Envelope Consumption", a.AccountID, a.AccountName,
			"its envelope counts and allowance are null and total_envelopes_sent is null", a.Unreachable)
	}
	list, listDiags := types.ListValue(types.ObjectType{AttrTypes: consumptionAccountAttrTypes}, elems)
	resp.Diagnostics.Append(listDiags...)
	m.Accounts = list
	m.TotalEnvelopesSent = int64OrNull(report.TotalEnvelopesSent)
	m.TotalEnvelopesAllowed = int64OrNull(report.TotalEnvelopesAllowed)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func dateOrNull(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(datafeed.FormatDate(t))
}

func int64OrNull(n *int) types.Int64 {
	if n == nil {
		return types.Int64Null()
	}
	return types.Int64Value(int64(*n))
}
