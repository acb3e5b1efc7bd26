// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

// A leaver reopened outside Terraform shows in the plan with a reason: each closed-user resource
// warns during refresh, naming the user, and leaves the closure for the next apply to redo. The
// acceptance tests show the plan that closes them again; the warning text is checked here, on
// each resource's Read against the emulator, because the test framework does not expose warnings.

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensam/terraform-provider-docusign/internal/docusign"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/keys"
	"github.com/opensam/terraform-provider-docusign/internal/emulator/demoorg"
)

// directClient is the provider's client for the emulator, for tests that call a resource's
// methods without terraform.
func (e *testEmulator) directClient(t *testing.T) *providerData {
	t.Helper()
	key, err := keys.LoadFile(demoorg.KeyPath(), keys.Options{})
	if err != nil {
		t.Fatal(err)
	}
	client, err := docusign.New(docusign.Config{
		OAuthBaseURL: e.OAuthBaseURL, AdminBaseURL: e.AdminBaseURL, IntegrationKey: testIntegrationKey,
		UserID: testAdminUserID, Key: key, AccountID: testSalesAccount,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &providerData{client: client}
}

// refresh runs r's Read on a state holding model, as terraform's refresh does.
func refresh(t *testing.T, r resource.Resource, model any) (*resource.ReadResponse, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	if d := state.Set(ctx, model); d.HasError() {
		t.Fatalf("building state: %v", d)
	}
	resp := &resource.ReadResponse{State: state}
	r.Read(ctx, resource.ReadRequest{State: state}, resp)
	return resp, resp.Diagnostics
}

func expectReopenedWarning(t *testing.T, diags diag.Diagnostics, parts ...string) {
	t.Helper()
	if diags.HasError() {
		t.Fatalf("refresh failed: %v", diags)
	}
	for _, w := range diags.Warnings() {
		text := w.Summary() + ": " + w.Detail()
		if !strings.Contains(w.Summary(), "Reopened Outside Terraform") || !strings.Contains(text, "next apply closes them again") {
			continue
		}
		for _, p := range parts {
			if !strings.Contains(text, p) {
				t.Errorf("warning %q does not name %s", text, p)
			}
		}
		return
	}
	t.Fatalf("refresh of a reopened leaver gave no warning; diagnostics: %v", diags)
}

func TestReopenedLeaverWarnsDuringRefresh(t *testing.T) {
	emu := startEmulator(t)
	data := emu.directClient(t)
	jamieID := emu.userIDByEmail(t, leaverJamie)
	for _, id := range []string{jamieID} {
		if err := emu.SetMembershipStatus(id, testSalesAccount, "Closed"); err != nil {
			t.Fatal(err)
		}
	}
	reopen := func() {
		t.Helper()
		if err := emu.SetMembershipStatus(jamieID, testSalesAccount, "Active"); err != nil {
			t.Fatal(err)
		}
	}
	closeJamie := func() {
		t.Helper()
		if err := emu.SetMembershipStatus(jamieID, testSalesAccount, "Closed"); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("closed_user", func(t *testing.T) {
		closeJamie()
		r := &closedUserResource{data: data}
		model := closedUserModel{UserID: types.StringValue(jamieID), Email: types.StringValue(leaverJamie),
			AccountID: types.StringValue(testSalesAccount), ReopenOnDestroy: types.BoolValue(false),
			Timeouts: nullTimeouts("create", "read", "delete")}
		if resp, diags := refresh(t, r, &model); diags.HasError() || len(diags.Warnings()) > 0 || resp.State.Raw.IsNull() {
			t.Fatalf("a user still closed: diagnostics %v, state removed %v", diags, resp.State.Raw.IsNull())
		}
		reopen()
		data.client.ForgetAccount(testSalesAccount)
		resp, diags := refresh(t, r, &model)
		expectReopenedWarning(t, diags, leaverJamie, jamieID, testSalesAccount)
		if !resp.State.Raw.IsNull() {
			t.Error("the reopened user stays in state, so the plan would not close them again")
		}
	})

	t.Run("organization_closed_user", func(t *testing.T) {
		closeJamie()
		r := &organizationClosedUserResource{data: data}
		model := organizationClosedUserModel{OrganizationID: types.StringValue(testOrgID), UserID: types.StringValue(jamieID),
			Email: types.StringValue(leaverJamie), ReopenOnDestroy: types.BoolValue(false), UserName: types.StringValue("Jamie"),
			ClosedAccountIDs: stringSet([]string{testSalesAccount}), Timeouts: nullTimeouts("create", "read", "delete")}
		reopen()
		resp, diags := refresh(t, r, &model)
		expectReopenedWarning(t, diags, leaverJamie, testSalesAccount)
		if !resp.State.Raw.IsNull() {
			t.Error("the reopened user stays in state, so the plan would not close them again")
		}
	})

	t.Run("closed_users", func(t *testing.T) {
		closeJamie()
		data.client.ForgetAccount(testSalesAccount)
		r := &closedUsersResource{data: data}
		model := closedUsersModel{ID: types.StringValue("set"), AccountID: types.StringValue(testSalesAccount),
			UserIDs: types.ListNull(types.StringType), Emails: stringList([]string{leaverJamie}), ReopenOnDestroy: types.BoolValue(false),
			EmailUserIDs: stringMap(map[string]string{leaverJamie: jamieID}), Timeouts: nullTimeouts("create", "read", "update", "delete")}
		reopen()
		resp, diags := refresh(t, r, &model)
		expectReopenedWarning(t, diags, leaverJamie, testSalesAccount)
		var after closedUsersModel
		resp.State.Get(context.Background(), &after)
		if len(after.EmailUserIDs.Elements()) != 0 {
			t.Errorf("the reopened user stays in the set: %v", after.EmailUserIDs)
		}
	})
}
