// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// The last-activity and reclaim part of data.docusign_subscriptions.

var (
	candidateAttrTypes = map[string]attr.Type{
		"user_id": types.StringType, "email": types.StringType, "user_name": types.StringType, "account_id": types.StringType,
		"plan_name": types.StringType, "created_at": types.StringType, "last_activity": types.StringType,
		"last_activity_source": types.StringType, "idle_days": types.Int64Type,
	}
	reclaimableAttrTypes = map[string]attr.Type{
		"account_id": types.StringType, "account_name": types.StringType, "plan_name": types.StringType,
		"seats_in_use": types.Int64Type, "reclaimable_seats": types.Int64Type, "unknown_activity": types.Int64Type,
	}
)

const lastActivityDescription = "When the membership was last active, RFC 3339: the later of the person's last login (DocuSign's " +
	"`lastLogin` is the last login \"to the system\", so the latest across the person's memberships counts) and, for a membership " +
	"that looked idle, the last envelope it sent from this account. Null when activity was not read (neither `activity_source` nor " +
	"`idle_after_days` is set) or none is known (see `last_activity_source`)."

const lastActivitySourceDescription = "Where `last_activity` comes from: `login` (eSignature `lastLogin`, from the users list or, " +
	"where the list leaves it out, the single-user read), `never_logged_in` (the single-user read has no `lastLogin`; idle since the " +
	"membership was created), `envelope_sent` (the envelope search found an envelope this user sent since the cutoff), " +
	"`monitor_login` or `monitor_envelope_sent` (the latest DocuSign Monitor event), `no_monitor_event` (a user Monitor tracks, with " +
	"no recognised event in the window read: unknown, never a reclaim candidate), or `unknown` (the account, the user record, the " +
	"envelope search or Monitor could not tell; never a reclaim candidate). Null when activity was not read."

func activitySourceAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Where last activity is read from: `esignature` or `monitor`. `esignature` (default when `idle_after_days` " +
			"is set): each account's eSignature users list with `additional_info=true`; about one call per 100 memberships per account, " +
			"no add-on, only in accounts the impersonated user administers. Where the list has no `lastLogin`, the single-user read " +
			"(documented to carry it) is asked for the memberships that could be candidates. `monitor`: the organization's DocuSign " +
			"Monitor event stream from twice `idle_after_days` back (7 days when unset), logins and envelopes sent, read until its " +
			"`endCursor` repeats; it needs the Monitor add-on, covers only the organization that owns the integration key, and tracks " +
			"only users whose email is in one of the organization's claimed domains. With either source, each membership that looks " +
			"idle is confirmed with one envelope search from the cutoff (two when the answer holds other users' envelopes), within a " +
			"cap of 300 confirmation calls per read. Setting it without `idle_after_days` reports `last_activity` without candidates.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf(datafeed.ActivitySources...)},
	}
}

func idleAfterDaysAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "Whole days, 1–3650. When set, the data source reads each membership's last activity and lists in " +
			"`reclaim_candidates` the active memberships that count (no exclusion rule matches), were created at least this many " +
			"days ago, and have had no login and sent no envelope for at least this many days; a membership that never logged in " +
			"counts from its creation. A membership whose activity is unknown is never a candidate, and a warning says which " +
			"accounts or users could not be read.",
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(1, 3650)},
	}
}

func reclaimCandidatesAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "Active, counted memberships idle for at least `idle_after_days`, ordered by account ID, email and user " +
			"ID. Null unless `idle_after_days` is set. Feed the reviewed ones to `docusign_closed_users`.",
		Computed: true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"user_id":              computedString("User ID GUID."),
			"email":                computedString("The user's email."),
			"user_name":            computedString("The user's name."),
			"account_id":           computedString("Account ID GUID of the idle membership."),
			"plan_name":            computedString("The membership's `subscription_identifier`."),
			"created_at":           computedString("When the membership was created, as DocuSign reports it (the Admin API's `created_on`)."),
			"last_activity":        computedString("As in `subscriptions`; null when the user never logged in."),
			"last_activity_source": computedString("As in `subscriptions`."),
			"idle_days":            computedInt("Whole days since the last activity (or since creation, for a user who never logged in)."),
		}},
	}
}

func reclaimableSeatsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: "Per account and plan, the active counted memberships and how many of them are reclaim candidates; " +
			"ordered by account ID, then plan. Null unless `idle_after_days` is set.",
		Computed: true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"account_id":        computedString("Account ID GUID."),
			"account_name":      computedString("Account name."),
			"plan_name":         computedString("The plan (`subscription_identifier`) of these memberships."),
			"seats_in_use":      computedInt("Active memberships on this plan in this account that count (not excluded)."),
			"reclaimable_seats": computedInt("How many of them are reclaim candidates: the seats closing them would free."),
			"unknown_activity":  computedInt("How many of them have unknown activity and so were not judged."),
		}},
	}
}

func (m *subscriptionsModel) readsActivity() bool {
	return !m.IdleAfterDays.IsNull() || !m.ActivitySource.IsNull()
}

// readActivity adds last activity to the report's subscriptions and, with idle_after_days, the
// reclaim candidates to the model. It returns false after an error diagnostic.
func (d *subscriptionsDataSource) readActivity(ctx context.Context, m *subscriptionsModel,
	report *datafeed.SubscriptionsReport, diags *diag.Diagnostics) bool {
	source := m.ActivitySource.ValueString()
	if source == "" {
		source = datafeed.SourceESignature
	}
	act, err := d.data.client.Activity(ctx, datafeed.ActivityQuery{
		OrganizationID: m.OrganizationID.ValueString(), Source: source, IdleAfterDays: int(m.IdleAfterDays.ValueInt64()), Now: d.now(),
	}, report)
	if err != nil {
		detail := err.Error()
		if source == datafeed.SourceMonitor && errors.Is(err, docusign.ErrRefused) {
			detail += ". DocuSign Monitor refused the stream: the organization needs the Monitor add-on, and the impersonated user " +
				"(provider user_id) must be an Organization Administrator. Use activity_source = \"esignature\" otherwise."
		}
		diags.AddAttributeError(path.Root("activity_source"), subscriptionsSummary, detail)
		return false
	}
	tflog.Debug(ctx, "read seat activity", map[string]any{
		"activity_source": source, "calls": act.Calls, "login_reads": act.LoginReads, "send_searches": act.SendSearches,
		"candidates": len(act.Candidates), "unreadable_accounts": len(act.UnreadableAccounts),
	})
	for _, u := range act.UnreadableAccounts {
		addUnreachableAccountWarning(diags, d.data, "Seat Activity", u.AccountID, u.AccountName,
			"the last activity of its memberships is unknown and none of them is a reclaim candidate "+
				"(activity_source = \"monitor\" reads activity without account membership)", u.Err)
	}
	for _, w := range act.Warnings {
		diags.AddWarning(w.Summary, w.Detail)
	}
	if m.IdleAfterDays.IsNull() {
		return true
	}
	candidates := make([]attr.Value, len(act.Candidates))
	for i, c := range act.Candidates {
		v, ds := types.ObjectValue(candidateAttrTypes, map[string]attr.Value{
			"user_id": types.StringValue(c.UserID), "email": types.StringValue(c.Email), "user_name": types.StringValue(c.UserName),
			"account_id": types.StringValue(c.AccountID), "plan_name": types.StringValue(c.SubscriptionIdentifier),
			"created_at": types.StringValue(c.CreatedOn), "last_activity": stringOrNull(c.LastActivity),
			"last_activity_source": types.StringValue(c.LastActivitySource), "idle_days": types.Int64Value(int64(c.IdleDays)),
		})
		diags.Append(ds...)
		candidates[i] = v
	}
	rows := make([]attr.Value, len(act.Reclaimable))
	for i, r := range act.Reclaimable {
		v, ds := types.ObjectValue(reclaimableAttrTypes, map[string]attr.Value{
			"account_id": types.StringValue(r.AccountID), "account_name": types.StringValue(r.AccountName),
			"plan_name": types.StringValue(r.PlanName), "seats_in_use": types.Int64Value(int64(r.SeatsInUse)),
			"reclaimable_seats": types.Int64Value(int64(r.Reclaimable)), "unknown_activity": types.Int64Value(int64(r.UnknownActivity)),
		})
		diags.Append(ds...)
		rows[i] = v
	}
	m.ReclaimCandidates = types.ListValueMust(types.ObjectType{AttrTypes: candidateAttrTypes}, candidates)
	m.ReclaimableSeats = types.ListValueMust(types.ObjectType{AttrTypes: reclaimableAttrTypes}, rows)
	return !diags.HasError()
}
