// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
)

var (
	_ resource.ResourceWithImportState      = (*closedUsersResource)(nil)
	_ resource.Resource                     = (*closedUsersResource)(nil)
	_ resource.ResourceWithConfigure        = (*closedUsersResource)(nil)
	_ resource.ResourceWithConfigValidators = (*closedUsersResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*closedUsersResource)(nil)
)

// NewClosedUsersResource is the docusign_closed_users factory.
func NewClosedUsersResource() resource.Resource { return &closedUsersResource{} }

type closedUsersResource struct {
	data *providerData
}

type closedUsersModel struct {
	ID                 types.String `tfsdk:"id"`
	AccountID          types.String `tfsdk:"account_id"`
	UserIDs            types.List   `tfsdk:"user_ids"`
	Emails             types.List   `tfsdk:"emails"`
	ReopenOnDestroy    types.Bool   `tfsdk:"reopen_on_destroy"`
	EmailUserIDs       types.Map    `tfsdk:"email_user_ids"`
	BulkCloseThreshold types.Int64  `tfsdk:"bulk_close_threshold"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *closedUsersResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_closed_users"
}

func (r *closedUsersResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version: 1, // 1: user_ids and emails became lists (see closed_users_list.go)
		Blocks:  map[string]schema.Block{"timeouts": timeoutsBlock(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true})},
		MarkdownDescription: "Closes a set of users in one account as a single resource, for large offboarding waves. Users are " +
			"closed 100 per API call, and emails are resolved with at most one listing of the account's users, so closing " +
			"1,000 users costs about a dozen calls; from `bulk_close_threshold` users on, Admin API bulk close imports " +
			"close them in about 8 calls plus 3 per import (one import per 2,000 users of the account, DocuSign's limit). Adding a user to the set closes that user; removing one only forgets " +
			"them (or reopens them when `reopen_on_destroy` is true). A user reopened outside Terraform shows up as a change " +
			"in the next plan, and applying closes them again. Use `docusign_closed_user` instead when each leaver needs " +
			"their own resource address, organization scope, or `for_each` over a map of attributes.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Random identifier of this closure set.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "Account ID GUID. Defaults to the provider's `account_id`, else the impersonated user's default account. Changing it replaces the resource.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{isGUID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"user_ids": schema.ListAttribute{
				MarkdownDescription: "User ID GUIDs to close, each once. At least one of `user_ids` or `emails` must be set. Order does " +
					"not matter: a list with the same IDs in another order plans no change.",
				Optional:      true,
				Computed:      true,
				ElementType:   types.StringType,
				Validators:    []validator.List{listvalidator.ValueStringsAre(isGUID()), uniqueStrings()},
				PlanModifiers: []planmodifier.List{sameElementsKeepState()},
			},
			"emails": schema.ListAttribute{
				MarkdownDescription: "Email addresses to close, each once; each must match exactly one user of the account. Letter case " +
					"does not matter, as in DocuSign: state and `email_user_ids` keep each email as configured. Order does not matter.",
				Optional:      true,
				Computed:      true,
				ElementType:   types.StringType,
				Validators:    []validator.List{listvalidator.ValueStringsAre(isEmail()), uniqueStrings()},
				PlanModifiers: []planmodifier.List{sameElementsKeepState()},
			},
			"reopen_on_destroy": reopenOnDestroyAttribute(),
			"email_user_ids": schema.MapAttribute{
				MarkdownDescription: "The user ID each email in `emails` resolved to.",
				Computed:            true,
				ElementType:         types.StringType,
				PlanModifiers:       []planmodifier.Map{emailIDsFollowEmails()},
			},
			"bulk_close_threshold": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many users one apply must close in the account before the Admin API's bulk close "+
					"import replaces batched `DELETE …/users` calls; null means %d, `0` never uses it. The import costs about eight calls "+
					"plus three per 2,000 users (find the organization, one export of the account for each user's email, name and "+
					"permission set, then for each import of at most 2,000 users: upload, poll, delete), where batches cost one call per "+
					"100 users, so it wins from about 1,000 users (`make bench` measures both). Imports run one at a time per organization. "+
					"Every user whose outcome the import does not confirm (an error row, a row missing or unreadable, an unknown state) is "+
					"checked through the Admin API's membership listing and, if still open, closed through the batches; a user neither "+
					"closes fails alone, quoting DocuSign's `ProcessingResults`. An import DocuSign refuses or ends `failed` as too large "+
					"(`maximum_users_exceeded`: close's own limit is not published) is sent again in halves, down to 100 users, which "+
					"the batches close; any other `failed` import "+
					"fails the apply with its `file_level_error_rollups`. It needs the impersonated user to administer the account's organization; otherwise, "+
					"and for users the export cannot name uniquely, the batches are used.", docusign.DefaultBulkCloseThreshold),
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
		},
	}
}

func (r *closedUsersResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.AtLeastOneOf(path.MatchRoot("user_ids"), path.MatchRoot("emails")),
	}
}

func (r *closedUsersResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *closedUsersResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	defer cancel()
	var plan closedUsersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Close Users") {
		return
	}
	accountID, err := r.data.client.AccountID(ctx, plan.AccountID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Unable to Close Users", "Could not determine the account: "+explain(err))
		return
	}
	emailIDs, closedIDs, diags := r.close(ctx, accountID, listStrings(plan.UserIDs), listStrings(plan.Emails), plan.bulkThreshold())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		// Nothing is saved: the next apply closes the whole set again, and closing is idempotent.
		return
	}
	plan.ID = types.StringValue(uuid.NewString())
	plan.AccountID = types.StringValue(accountID)
	plan.UserIDs = keepListed(plan.UserIDs, closedIDs)
	plan.Emails = keepListed(plan.Emails, mapKeys(emailIDs))
	plan.EmailUserIDs = stringMap(emailIDs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// close closes the users and emails with one client call. It returns only what really got
// closed: the emails with the user IDs they resolved to, and the user IDs given directly.
func (r *closedUsersResource) close(ctx context.Context, accountID string, userIDs, emails []string, bulkThreshold int) (emailIDs map[string]string, closedIDs []string, diags diag.Diagnostics) {
	ctx = docusign.WithProgress(ctx, logProgress(ctx, "docusign_closed_users"))
	closure, err := r.data.client.CloseUsers(ctx, accountID, userIDs, emails, bulkThreshold)
	if closure == nil {
		addClientError(&diags, err, clientCall{
			summary: "Unable to Close Users", emailAttr: "emails", userIDAttr: "user_ids",
			sharedEmail: "Move that email to user_ids with the one to close.",
			step: func(step *docusign.StepError, _ string) diag.Diagnostic {
				return diag.NewErrorDiagnostic("Unable to Close Users", fmt.Sprintf("Looking up emails in account %s failed: %s", accountID, explain(step.Err)))
			},
			failed: func(err error) diag.Diagnostic {
				return diag.NewErrorDiagnostic("Unable to Close Users", fmt.Sprintf("Closing users in account %s failed: %s", accountID, explain(err)))
			},
		})
		return nil, nil, diags
	}
	for _, w := range closure.Warnings {
		diags.AddWarning("Bulk Close Import Not Fully Used", w+" Every user's outcome was still confirmed; to skip the bulk import, raise bulk_close_threshold.")
	}
	closed := map[string]bool{}
	// Users failing for one reason (a whole bulk import DocuSign ended failed) are named once.
	byReason := map[string][]string{}
	failedUsers := 0
	for _, res := range closure.Results {
		if res.Err != nil {
			byReason[res.Err.Error()] = append(byReason[res.Err.Error()], res.UserID)
			failedUsers++
			continue
		}
		closed[strings.ToLower(res.UserID)] = true
	}
	var failures []string
	for reason, ids := range byReason {
		if len(ids) == 1 {
			failures = append(failures, fmt.Sprintf("%s: %s", ids[0], reason))
			continue
		}
		sort.Strings(ids)
		shown := strings.Join(ids[:min(len(ids), 5)], ", ")
		if len(ids) > 5 {
			shown += fmt.Sprintf(" and %d more", len(ids)-5)
		}
		failures = append(failures, fmt.Sprintf("%d users (%s): %s", len(ids), shown, reason))
	}
	if err != nil {
		failures = append(failures, explain(err))
		failedUsers++
	}
	for _, id := range userIDs {
		if closed[strings.ToLower(id)] {
			closedIDs = append(closedIDs, id)
		}
	}
	emailIDs = map[string]string{}
	for email, id := range closure.EmailUserIDs {
		if closed[strings.ToLower(id)] {
			emailIDs[email] = id
		}
	}
	if len(failures) > 0 {
		sort.Strings(failures)
		diags.AddError("Unable to Close Users", fmt.Sprintf("DocuSign did not close %d of %d users in account %s: %s. Apply again to finish.",
			failedUsers, len(userIDs)+len(closure.EmailUserIDs), accountID, strings.Join(failures, "; ")))
	}
	return emailIDs, closedIDs, diags
}

// bulkThreshold is bulk_close_threshold with its default.
func (m *closedUsersModel) bulkThreshold() int {
	if m.BulkCloseThreshold.IsNull() || m.BulkCloseThreshold.IsUnknown() {
		return docusign.DefaultBulkCloseThreshold
	}
	return int(m.BulkCloseThreshold.ValueInt64())
}

func (r *closedUsersResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Read, &resp.Diagnostics)
	defer cancel()
	var state closedUsersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Read Closed Users") {
		return
	}
	accountID := state.AccountID.ValueString()
	importing, d := req.Private.GetKey(ctx, importingKey)
	resp.Diagnostics.Append(d...)
	var notClosed, reopened []string
	// One listing (or export) of the account answers every user: a refresh never costs more
	// than reading the account once, however many users the set holds.
	stillClosed := func(id, email string) (bool, error) {
		closed, err := r.data.client.IsUserClosed(ctx, accountID, id)
		if err == nil && !closed {
			notClosed = append(notClosed, id)
			reopened = append(reopened, userLabel(email, id)+" (no longer closed)")
		}
		return closed, err
	}
	// Users reopened (or gone) since the last apply drop out of the sets, so the plan shows them
	// as additions and the next apply closes them again.
	var keepIDs, keepEmails []string
	for _, id := range listStrings(state.UserIDs) {
		ok, err := stillClosed(id, "")
		if err != nil {
			resp.Diagnostics.AddError("Unable to Read Closed Users", explain(err))
			return
		}
		if ok {
			keepIDs = append(keepIDs, id)
		}
	}
	emailIDs := map[string]string{}
	for email, v := range state.EmailUserIDs.Elements() {
		held, _ := v.(types.String)
		id := held.ValueString()
		ok, err := stillClosed(id, email)
		if err != nil {
			resp.Diagnostics.AddError("Unable to Read Closed Users", explain(err))
			return
		}
		if ok {
			keepEmails = append(keepEmails, email)
			emailIDs[email] = id
		}
	}
	switch sort.Strings(reopened); {
	case len(importing) > 0 || len(reopened) == 0: // an import explains its own below
	case len(reopened) == 1:
		warnReopened(&resp.Diagnostics, "user "+reopened[0], "account "+accountID)
	default:
		resp.Diagnostics.AddWarning("Users Reopened Outside Terraform",
			fmt.Sprintf("%d users of this set were reopened outside Terraform in account %s: %s. The next apply closes them again.",
				len(reopened), accountID, strings.Join(reopened, ", ")))
	}
	state.UserIDs = keepListed(state.UserIDs, keepIDs)
	state.Emails = keepListed(state.Emails, keepEmails)
	state.EmailUserIDs = stringMap(emailIDs)
	if len(importing) > 0 {
		if len(notClosed) > 0 {
			resp.Diagnostics.AddWarning("Imported Users Not Closed",
				fmt.Sprintf("These users of account %s are not closed (open, or no such user), so the import left them out: %s. "+
					"Keep them in user_ids and apply, which closes them.", accountID, strings.Join(notClosed, ", ")))
		}
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importingKey, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// ModifyPlan refuses, at plan time, to close the user the provider impersonates when user_ids
// lists them; users named by email are checked at apply, before any close.
func (r *closedUsersResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !configured(r.data, nil, "") {
		return
	}
	var userIDs types.List
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("user_ids"), &userIDs)...)
	for _, id := range listStrings(userIDs) {
		if isImpersonatedUser(r.data, id) {
			resp.Diagnostics.Append(selfCloseError(path.Root("user_ids"), id, ""))
		}
	}
}

func (r *closedUsersResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx, cancel := boundedBy(ctx, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	defer cancel()
	var plan, state closedUsersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.data, &resp.Diagnostics, "Unable to Update Closed Users") {
		return
	}
	accountID := state.AccountID.ValueString()
	addedIDs := difference(listStrings(plan.UserIDs), listStrings(state.UserIDs))
	addedEmails := difference(listStrings(plan.Emails), listStrings(state.Emails))
	removedIDs := difference(listStrings(state.UserIDs), listStrings(plan.UserIDs))
	stateEmailIDs := mapStrings(state.EmailUserIDs)
	for _, email := range difference(listStrings(state.Emails), listStrings(plan.Emails)) {
		removedIDs = append(removedIDs, stateEmailIDs[email])
	}

	emailIDs, closedIDs, diags := r.close(ctx, accountID, addedIDs, addedEmails, plan.bulkThreshold())
	resp.Diagnostics.Append(diags...)
	if plan.ReopenOnDestroy.ValueBool() && len(removedIDs) > 0 {
		addReopenError(&resp.Diagnostics, r.data.client.ReopenUsers(ctx, accountID, removedIDs), "Unable to Reopen Users", reopenNeedsOrganization, "")
	}

	// State records what is true now: what stayed, plus what this apply really closed.
	keptIDs := difference(listStrings(state.UserIDs), removedIDs)
	// Emails stay under the configured spelling: one whose letter case alone changed keeps its user.
	heldByFold := make(map[string]string, len(stateEmailIDs))
	for held, id := range stateEmailIDs {
		heldByFold[strings.ToLower(held)] = id
	}
	newEmailIDs := map[string]string{}
	for _, email := range listStrings(plan.Emails) {
		if id, ok := heldByFold[strings.ToLower(email)]; ok {
			newEmailIDs[email] = id
		}
	}
	for email, id := range emailIDs {
		newEmailIDs[email] = id
	}
	plan.ID = state.ID
	plan.AccountID = state.AccountID
	plan.UserIDs = keepListed(plan.UserIDs, append(keptIDs, closedIDs...))
	plan.Emails = keepListed(plan.Emails, mapKeys(newEmailIDs))
	plan.EmailUserIDs = stringMap(newEmailIDs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *closedUsersResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, cancel := boundedBy(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	defer cancel()
	var state closedUsersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.ReopenOnDestroy.ValueBool() || !configured(r.data, &resp.Diagnostics, "Unable to Reopen Users") {
		return
	}
	ids := listStrings(state.UserIDs)
	for _, id := range mapStrings(state.EmailUserIDs) {
		ids = append(ids, id)
	}
	addReopenError(&resp.Diagnostics, r.data.client.ReopenUsers(ctx, state.AccountID.ValueString(), ids), "Unable to Reopen Users", reopenNeedsOrganization, "")
}

const reopenNeedsOrganization = "reopen_on_destroy needs the account to belong to a DocuSign organization."

func mapKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// keepListed keeps the elements of list that are among keep (ignoring letter case), in the list's
// own order, so state matches the plan element for element; a null list with nothing kept stays null.
func keepListed(list types.List, keep []string) types.List {
	if list.IsNull() && len(keep) == 0 {
		return list
	}
	in := foldSet(keep)
	elems := []attr.Value{}
	for _, s := range listStrings(list) {
		if in[strings.ToLower(s)] {
			elems = append(elems, types.StringValue(s))
		}
	}
	return types.ListValueMust(types.StringType, elems)
}

func listStrings(l types.List) []string {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(l.Elements()))
	for _, e := range l.Elements() {
		if v, ok := e.(types.String); ok {
			out = append(out, v.ValueString())
		}
	}
	return out
}

func stringMap(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

func mapStrings(m types.Map) map[string]string {
	out := map[string]string{}
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok {
			out[k] = s.ValueString()
		}
	}
	return out
}

// difference is a minus b, ignoring letter case; one pass each, for sets of thousands.
func difference(a, b []string) []string {
	in := foldSet(b)
	var out []string
	for _, x := range a {
		if !in[strings.ToLower(x)] {
			out = append(out, x)
		}
	}
	return out
}

func foldSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, x := range list {
		m[strings.ToLower(x)] = true
	}
	return m
}

// ImportState adopts users closed earlier: `<account_id>/<user_id>[,<user_id>…]`. Read then
// keeps the ones that really are closed, so the next plan closes any that are not.
func (r *closedUsersResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, diags := parseImportID(req.ID, exampleGUID+"/"+exampleGUID, closedUsersImportID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	accountID, ids := parts[0], strings.Split(parts[1], ",")
	state := closedUsersModel{
		ID: types.StringValue(uuid.NewString()), AccountID: types.StringValue(accountID), UserIDs: stringList(ids),
		Emails: types.ListNull(types.StringType), ReopenOnDestroy: types.BoolValue(false),
		EmailUserIDs: stringMap(map[string]string{}), BulkCloseThreshold: types.Int64Null(),
		Timeouts: nullTimeouts("create", "read", "update", "delete"),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	markImporting(ctx, resp)
}
