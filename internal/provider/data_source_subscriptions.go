// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"
	"fmt"

	dstimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

var (
	_ datasource.DataSource              = (*subscriptionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*subscriptionsDataSource)(nil)
)

// NewSubscriptionsDataSource is the data.docusign_subscriptions factory.
type subscriptionsDataSource struct {
	data *providerData
	now  clock
}

type subscriptionsModel struct {
	OrganizationID          types.String    `tfsdk:"organization_id"`
	AccountIDs              types.Set       `tfsdk:"account_ids"`
	IncludeClosed           types.Bool      `tfsdk:"include_closed"`
	ExclusionRules          types.List      `tfsdk:"exclusion_rules"`
	Accounts                types.List      `tfsdk:"accounts"`
	SoftwareModels          types.List      `tfsdk:"software_models"`
	Subscriptions           memberListValue `tfsdk:"subscriptions"`
	UnrecognizedIdentifiers types.List      `tfsdk:"unrecognized_identifiers"`
	Total                   types.Int64     `tfsdk:"total"`
	ExcludedCount           types.Int64     `tfsdk:"excluded_count"`
	Counted                 types.Int64     `tfsdk:"counted"`
	ActivitySource          types.String    `tfsdk:"activity_source"`
	IdleAfterDays           types.Int64     `tfsdk:"idle_after_days"`
	ReclaimCandidates       types.List      `tfsdk:"reclaim_candidates"`
	ReclaimableSeats        types.List      `tfsdk:"reclaimable_seats"`
	Source                  types.String    `tfsdk:"source"`
	SourceUsed              types.String    `tfsdk:"source_used"`
	IncludeMembers          types.Bool      `tfsdk:"include_members"`
	Plans                   types.List      `tfsdk:"plans"`

	Timeouts dstimeouts.Value `tfsdk:"timeouts"`
}

var (
	subAccountAttrTypes = map[string]attr.Type{
		"account_id": types.StringType, "account_name": types.StringType, "plan_name": types.StringType,
		"seats_allowed": types.Int64Type, "seats_in_use": types.Int64Type,
		"memberships": types.Int64Type, "counted": types.Int64Type,
	}
	planCountAttrTypes = map[string]attr.Type{
		"subscription_identifier": types.StringType, "memberships": types.Int64Type, "active": types.Int64Type,
		"excluded": types.Int64Type, "counted": types.Int64Type,
	}
	softwareModelAttrTypes = map[string]attr.Type{
		"plan_id": types.StringType, "plan_name": types.StringType, "subscription_id": types.StringType, "subscription_name": types.StringType,
	}
	subscriptionAttrTypes = map[string]attr.Type{
		"user_id": types.StringType, "email": types.StringType, "user_name": types.StringType, "account_id": types.StringType,
		"subscription_identifier": types.StringType, "membership_status": types.StringType, "license_type": types.StringType,
		"created_at": types.StringType, "excluded": types.BoolType, "excluded_by": types.ListType{ElemType: types.StringType},
		"last_activity": types.StringType, "last_activity_source": types.StringType,
	}
)

const subscriptionsSummary = "Unable to Read DocuSign Subscriptions"

func (d *subscriptionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subscriptions"
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

func computedInt(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
}

func (d *subscriptionsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Blocks: map[string]schema.Block{"timeouts": dataSourceTimeoutsBlock(ctx)},
		MarkdownDescription: "Downloads the organization's subscriptions, as a SaaS license tool does: one subscription per " +
			"account membership (who holds a seat, on which account and plan), the plans (software models) from the " +
			"organization's plan items, seats per account, and which subscriptions the exclusion rules keep out of the counts. " +
			"Reads `planItems` and the memberships, either from the Admin API's organization users per account (paged, several " +
			"accounts at once, plus each account's seat counters from eSignature) or, for large organizations, from one " +
			"user-list export (see `source`). Results are ordered by account ID, email and user ID, so plans stay quiet.\n\n" +
			"With `idle_after_days` (or `activity_source`) it also reads each membership's last activity and lists reclaim " +
			"candidates. `activity_source = \"esignature\"` (default) lists each account's eSignature users with " +
			"`additional_info=true`: one call per 100 users per account, accounts the impersonated user administers only; where " +
			"the list has no `lastLogin`, the single-user read, where DocuSign documents it, is asked for the memberships that could " +
			"be candidates. `activity_source = \"monitor\"` reads the DocuSign Monitor stream from twice `idle_after_days` back " +
			"until its `endCursor` repeats, logins and envelopes sent, but it needs the Monitor add-on, covers the organization that " +
			"owns the integration key, and tracks only users in the organization's claimed domains. Before a membership is listed " +
			"as a candidate, one envelope search confirms it sent nothing since the cutoff, so an API sender who rarely logs in is " +
			"never a candidate. DocuSign's user-list export has no documented last-login column, so it is not a source. Activity " +
			"that cannot be read is reported as `unknown`, with a warning, and is never idle. See the guide \"Reclaim idle seats\" for the reviewed workflow and the cost for 1,000 and 100,000 memberships.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "Organization ID GUID, usually `docusign_integration_profile.<name>.organization_id`. The impersonated user must administer it.",
				Required:            true,
				Validators:          []validator.String{isGUID()},
			},
			"account_ids": schema.SetAttribute{
				MarkdownDescription: "Only these account ID GUIDs of the organization. Default: every account of the organization.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(isGUID()), setvalidator.SizeAtLeast(1)},
			},
			"include_closed": schema.BoolAttribute{
				MarkdownDescription: "`true` also lists closed memberships; `false` (default) leaves them out. Closed memberships never hold a seat.",
				Optional:            true,
			},
			"exclusion_rules": schema.ListNestedAttribute{
				MarkdownDescription: "Rules that keep subscriptions out of the counts: the `rule` attribute of " +
					"`docusign_subscription_identifier_exclusion_rule` and `docusign_subscription_user_exclusion_rule` resources, " +
					"passed by reference. Identifier rules match `subscription_identifier`; user rules match `user_id`. Inactive rules exclude nothing.",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.StringAttribute{MarkdownDescription: "Rule ID; `excluded_by` names it. Required (checked when the rules are known).", Optional: true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"kind": schema.StringAttribute{MarkdownDescription: "`identifier` or `user`. Required (checked when the rules are known).", Optional: true,
						Validators: []validator.String{stringvalidator.OneOf(datafeed.KindIdentifier, datafeed.KindUser)}},
					"match": schema.StringAttribute{MarkdownDescription: "For identifier rules: " + ruleMatchDescription, Optional: true,
						Validators: []validator.String{stringvalidator.OneOf(datafeed.MatchKinds...)}},
					"identifier":     schema.StringAttribute{MarkdownDescription: "For identifier rules: the subscription identifier, or the regular expression.", Optional: true},
					"case_sensitive": schema.BoolAttribute{MarkdownDescription: "For identifier rules: `true` compares letter case exactly; null or `false` ignores it.", Optional: true},
					"user_id":        schema.StringAttribute{MarkdownDescription: "For user rules: the user ID GUID to exclude.", Optional: true},
					"active":         schema.BoolAttribute{MarkdownDescription: "`false` makes the rule exclude nothing; null or `true` applies it.", Optional: true},
				}},
			},
			"accounts": schema.ListNestedAttribute{
				MarkdownDescription: "The selected accounts, ordered by account ID.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"account_id":   computedString("Account ID GUID."),
					"account_name": computedString("Account name."),
					"plan_name":    computedString("The account's plan, as eSignature reports it (or the plan most memberships are on when the account cannot be read)."),
					"seats_allowed": computedInt("Seats the plan allows (eSignature `seatsAllowed`); null when DocuSign does not say. " +
						"It is null, with a warning naming the account and the fix, when the impersonated user holds no eSignature " +
						"membership in the account: an organization administrator can administer such an account through the Admin API, " +
						"which still gives its memberships, `seats_in_use` and `plan_name`, but DocuSign refuses eSignature calls there."),
					"seats_in_use": computedInt("Active memberships in the account, excluded or not: the seats DocuSign counts."),
					"memberships":  computedInt("Subscriptions listed in the account (closed ones only with `include_closed`)."),
					"counted":      computedInt("Of `memberships`, those neither excluded by a rule nor closed."),
				}},
			},
			"source": schema.StringAttribute{
				MarkdownDescription: "Where the memberships come from: `list` pages through the organization's users, 250 per call per " +
					"account (plus one account read each, for `seats_allowed`); `export` runs one Admin API user-list export " +
					"(`organization_memberships_export`) and downloads it, a handful of calls whatever the size, but leaves " +
					"`seats_allowed` null (reading seats costs one call per account); `auto` (default) uses the export when the " +
					"listing would take more than 20 calls: more than 20 accounts, or, judged from the first page of the first " +
					"account, more than 20 pages (about 5,000 memberships). `source_used` says which one ran. DocuSign does not " +
					"publish the export's format, so it is read by column name (DocuSign's `APIUserName`, `eSignPermissionProfile`, " +
					"`UserStatus` and the like as well), and what it does not say is read through the listing: each account's plan " +
					"when the file names none (one call per account), and closed memberships with `include_closed` when the file " +
					"holds none (one call per account and 250 closed memberships). When the export cannot be read whole (the " +
					"download refused, a column missing, a result DocuSign skipped), `auto` reads the listing instead with a " +
					"warning; `export` fails naming what is missing, or, for skipped results, warns that the counts are partial.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(datafeed.Sources...)},
			},
			"source_used": computedString("The source this read used: `export` or `list`."),
			"include_members": schema.BoolAttribute{
				MarkdownDescription: "`true` (default) lists every subscription in `subscriptions`; `false` leaves `subscriptions` null " +
					"and keeps only the counts (`accounts`, `plans`, `total`, `excluded_count`, `counted`), so the state of a " +
					"100,000-membership organization stays a few kilobytes.",
				Optional: true,
			},
			"plans": schema.ListNestedAttribute{
				MarkdownDescription: "Counts per subscription identifier (plan) across the selected accounts, ordered by identifier.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"subscription_identifier": computedString("The plan, as `subscriptions[*].subscription_identifier` reports it."),
					"memberships":             computedInt("Subscriptions on the plan."),
					"active":                  computedInt("Of those, active memberships."),
					"excluded":                computedInt("Of those, excluded by a rule."),
					"counted":                 computedInt("Of those, neither excluded nor closed."),
				}},
			},
			"software_models": schema.ListNestedAttribute{
				MarkdownDescription: "The organization's plans from its plan items, ordered by plan name.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"plan_id":           computedString("Plan ID GUID."),
					"plan_name":         computedString("Plan name; subscription identifiers that equal it are recognized."),
					"subscription_id":   computedString("DocuSign subscription ID of the plan."),
					"subscription_name": computedString("DocuSign subscription name."),
				}},
			},
			"subscriptions": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per account membership, ordered by account ID, email, then user ID.",
				Computed:            true,
				CustomType:          newMemberListType(), // the same list to Terraform; see memberListType
				NestedObject: schema.NestedAttributeObject{CustomType: memberObjectType, Attributes: map[string]schema.Attribute{
					"user_id":    computedString("User ID GUID."),
					"email":      computedString("The user's email (user principal name)."),
					"user_name":  computedString("The user's name."),
					"account_id": computedString("Account ID GUID of the membership."),
					"subscription_identifier": computedString("The plan the membership is licensed on, as DocuSign reports it " +
						"(the Admin API's `plan_name`, else its `subscription_id`)."),
					"membership_status": computedString(membershipStatusDescription),
					"license_type":      computedString("License type as the Admin API reports it, such as `professional`."),
					"created_at":        computedString("When the membership was created, as DocuSign reports it (the Admin API's `created_on`)."),
					"excluded":          schema.BoolAttribute{MarkdownDescription: "`true` when at least one active exclusion rule matches.", Computed: true},
					"excluded_by": schema.ListAttribute{MarkdownDescription: "IDs of the rules that match, in `exclusion_rules` order.",
						Computed: true, ElementType: types.StringType},
					"last_activity":        computedString(lastActivityDescription),
					"last_activity_source": computedString(lastActivitySourceDescription),
				}},
			},
			"activity_source":    activitySourceAttribute(),
			"idle_after_days":    idleAfterDaysAttribute(),
			"reclaim_candidates": reclaimCandidatesAttribute(),
			"reclaimable_seats":  reclaimableSeatsAttribute(),
			"unrecognized_identifiers": schema.ListAttribute{
				MarkdownDescription: "Subscription identifiers seen on memberships that match no plan item of the organization " +
					"(by plan name, plan ID or subscription ID, ignoring case), sorted.",
				Computed:    true,
				ElementType: types.StringType,
			},
			"total":          computedInt("Number of subscriptions listed."),
			"excluded_count": computedInt("Number of subscriptions excluded by a rule."),
			"counted": computedInt("The subscriptions that hold a seat and that no rule excludes. Closed memberships never " +
				"count, even when `include_closed = true` lists them; without `include_closed` this is `total` minus `excluded_count`."),
		},
	}
}

func (d *subscriptionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *subscriptionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, cancel := dataSourceContext(ctx, req, resp)
	defer cancel()
	var m subscriptionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !configured(d.data, &resp.Diagnostics, subscriptionsSummary) {
		return
	}
	rules, diags := ruleObjectsFrom(ctx, m.ExclusionRules)
	resp.Diagnostics.Append(diags...)
	accountIDs, diags := stringsFromSet(ctx, m.AccountIDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.client
	report, err := client.Subscriptions(docusign.WithProgress(ctx, logProgress(ctx, "data.docusign_subscriptions")), datafeed.SubscriptionsQuery{
		OrganizationID: m.OrganizationID.ValueString(), AccountIDs: accountIDs,
		IncludeClosed: m.IncludeClosed.ValueBool(), Rules: rules, Source: m.Source.ValueString(),
		// Activity reads each member, so only a read without members or activity is counts only.
		CountsOnly: !m.includeMembers() && !m.readsActivity(),
	})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			resp.Diagnostics.AddAttributeError(path.Root("timeouts"), subscriptionsSummary, fmt.Sprintf(
				"The read did not finish within its time limit: %s. Raise timeouts.read (default 5m), or set source = \"list\" "+
					"to page through the users instead.", err))
			return
		}
		addFeedError(&resp.Diagnostics, subscriptionsSummary, err)
		return
	}
	for _, w := range report.Warnings {
		resp.Diagnostics.AddAttributeWarning(path.Root("source"), w.Summary, w.Detail)
	}
	for _, a := range report.Accounts {
		if a.ESignError != nil {
			addUnreachableAccountWarning(&resp.Diagnostics, d.data, "Seats", a.AccountID, a.AccountName,
				"its seats_allowed is null and its plan_name is the plan most of its memberships are on", a.ESignError)
		}
	}
	resp.Diagnostics.Append(m.fill(report)...)
	if m.readsActivity() {
		if !d.readActivity(ctx, &m, report, &resp.Diagnostics) {
			return
		}
	}
	if m.includeMembers() {
		// Served by NewProtocol6Server, the list skips the framework's walks over the state (see there).
		if sink := largeAttributeSinkFrom(ctx); sink != nil {
			stateType, _ := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
			sink.put(stateType, "subscriptions", encodeMemberList(report.Subscriptions))
		} else {
			m.Subscriptions = memberList(report.Subscriptions)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// addUnreachableAccountWarning warns that one account's eSignature figures are null, naming the
// account, what is missing, the cause and the fix; the rest of the report stands. The summary
// names the account and the report: Terraform folds warnings with equal summaries into one, and
// each unreadable account must show.
func addUnreachableAccountWarning(diags *diag.Diagnostics, data *providerData, report, accountID, accountName, missing string, err error) {
	summary := fmt.Sprintf("%s Unknown for DocuSign Account %q", report, accountName)
	who := "the impersonated user (provider user_id)"
	if data != nil && data.connection.UserID != "" {
		who = "the impersonated user " + data.connection.UserID + " (provider user_id)"
	}
	if errors.Is(err, docusign.ErrAccountNotReachable) {
		diags.AddWarning(summary, fmt.Sprintf("Account %s (%s) is in the organization, but %s is not a member of it, "+
			"so DocuSign refuses eSignature calls there and %s; the Admin API's figures for it are still reported. "+
			"To read it, add %s as a member of account %s (%s), for example in DocuSign Admin under Users.",
			accountID, accountName, who, missing, who, accountID, accountName))
		return
	}
	diags.AddWarning(summary, fmt.Sprintf("Reading account %s (%s) through eSignature failed, so %s; the Admin API's "+
		"figures for it are still reported. DocuSign answered: %s", accountID, accountName, missing, explain(err)))
}

func (m *subscriptionsModel) includeMembers() bool {
	return m.IncludeMembers.IsNull() || m.IncludeMembers.ValueBool()
}

// logProgress turns a bulk job's progress into DEBUG log lines, which TF_LOG_PROVIDER=DEBUG shows
// while terraform waits.
func logProgress(ctx context.Context, who string) docusign.Progress {
	return func(stage string, fields map[string]any) {
		job, _ := fields["job"].(string)
		msg := fmt.Sprintf("%s: DocuSign %s %s", who, job, stage)
		if rows, ok := fields["rows"]; ok && stage == "downloaded" {
			msg += fmt.Sprintf(" %v rows", rows)
		}
		tflog.Debug(ctx, msg, fields)
	}
}

// addFeedError puts a datafeed failure on the attribute to fix.
func addFeedError(diags *diag.Diagnostics, summary string, err error) {
	switch {
	case errors.Is(err, datafeed.ErrOrganizationNotFound):
		diags.AddAttributeError(path.Root("organization_id"), summary, err.Error()+
			". Check organization_id; the impersonated user (provider user_id) must be an administrator of the organization.")
	case errors.Is(err, datafeed.ErrAccountNotInOrganization):
		diags.AddAttributeError(path.Root("account_ids"), summary, err.Error()+". Remove it from account_ids.")
	case errors.Is(err, docusign.ErrExportUnreadable):
		diags.AddAttributeError(path.Root("source"), summary, err.Error()+
			`. Set source = "auto" to fall back to the paged listing, or source = "list" to skip the export.`)
	default:
		diags.AddError(summary, adminExplain(err, "organization_read, user_read and organization_sub_account_read"))
	}
}

func stringsFromSet(ctx context.Context, set types.Set) ([]string, diag.Diagnostics) {
	if set.IsNull() || set.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := set.ElementsAs(ctx, &out, false)
	return out, diags
}

func (m *subscriptionsModel) fill(r *datafeed.SubscriptionsReport) diag.Diagnostics {
	var diags diag.Diagnostics
	obj := func(attrTypes map[string]attr.Type, values map[string]attr.Value) attr.Value {
		v, d := types.ObjectValue(attrTypes, values)
		diags.Append(d...)
		return v
	}
	accounts := make([]attr.Value, len(r.Accounts))
	for i, a := range r.Accounts {
		seats := types.Int64Null()
		if a.SeatsAllowed != nil {
			seats = types.Int64Value(int64(*a.SeatsAllowed))
		}
		accounts[i] = obj(subAccountAttrTypes, map[string]attr.Value{
			"account_id": types.StringValue(a.AccountID), "account_name": types.StringValue(a.AccountName),
			"plan_name": types.StringValue(a.PlanName), "seats_allowed": seats, "seats_in_use": types.Int64Value(int64(a.SeatsInUse)),
			"memberships": types.Int64Value(int64(a.Memberships)), "counted": types.Int64Value(int64(a.Counted)),
		})
	}
	models := make([]attr.Value, len(r.SoftwareModels))
	for i, s := range r.SoftwareModels {
		models[i] = obj(softwareModelAttrTypes, map[string]attr.Value{
			"plan_id": types.StringValue(s.PlanID), "plan_name": types.StringValue(s.PlanName),
			"subscription_id": types.StringValue(s.SubscriptionID), "subscription_name": types.StringValue(s.SubscriptionName),
		})
	}
	idents := make([]attr.Value, len(r.UnrecognizedIdentifiers))
	for i, s := range r.UnrecognizedIdentifiers {
		idents[i] = types.StringValue(s)
	}
	m.Accounts = types.ListValueMust(types.ObjectType{AttrTypes: subAccountAttrTypes}, accounts)
	m.SoftwareModels = types.ListValueMust(types.ObjectType{AttrTypes: softwareModelAttrTypes}, models)
	m.Subscriptions = memberListNull() // Read sets it, see memberList
	m.UnrecognizedIdentifiers = types.ListValueMust(types.StringType, idents)
	plans := make([]attr.Value, len(r.Plans))
	for i, p := range r.Plans {
		plans[i] = obj(planCountAttrTypes, map[string]attr.Value{
			"subscription_identifier": types.StringValue(p.SubscriptionIdentifier), "memberships": types.Int64Value(int64(p.Memberships)),
			"active": types.Int64Value(int64(p.Active)), "excluded": types.Int64Value(int64(p.Excluded)), "counted": types.Int64Value(int64(p.Counted)),
		})
	}
	m.Plans = types.ListValueMust(types.ObjectType{AttrTypes: planCountAttrTypes}, plans)
	m.SourceUsed = types.StringValue(r.Source)
	m.Total = types.Int64Value(int64(r.Total))
	m.ExcludedCount = types.Int64Value(int64(r.ExcludedCount))
	m.Counted = types.Int64Value(int64(r.Counted))
	m.ReclaimCandidates = types.ListNull(types.ObjectType{AttrTypes: candidateAttrTypes})
	m.ReclaimableSeats = types.ListNull(types.ObjectType{AttrTypes: reclaimableAttrTypes})
	return diags
}
