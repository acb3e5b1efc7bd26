// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// memberSamples covers every encoding family the member list can hit: empty strings, strings at
// the fixstr/str8/str16/str32 boundaries, null activity, rules, and letter case in statuses.
func memberSamples() []datafeed.Subscription {
	return []datafeed.Subscription{
		{UserID: "u1", Email: "a@example.com", UserName: "", AccountID: "acct", SubscriptionIdentifier: "Business Pro",
			MembershipStatus: "active", LicenseType: "professional", CreatedOn: "2024-01-01T00:00:00Z"},
		{UserID: strings.Repeat("x", 31), Email: strings.Repeat("e", 32), UserName: strings.Repeat("n", 255),
			AccountID: strings.Repeat("a", 256), SubscriptionIdentifier: strings.Repeat("s", 65535), MembershipStatus: "activation_sent",
			LicenseType: strings.Repeat("l", 65536), CreatedOn: "", Excluded: true, ExcludedBy: []string{"rule-1", strings.Repeat("r", 40)},
			LastActivity: "2026-11-01T10:00:00Z", LastActivitySource: "login"},
		{UserID: "u3", Email: "C@Example.com", UserName: "Casey", AccountID: "acct", MembershipStatus: "Closed",
			LastActivitySource: datafeed.ActivityUnknown, ExcludedBy: make([]string, 17)},
	}
}

func TestEncodeMemberListIsTheFrameworksEncoding(t *testing.T) {
	for _, subs := range [][]datafeed.Subscription{nil, memberSamples(), manyMembers(70000)} {
		want, err := tfprotov6.NewDynamicValue(memberListTerraformType, memberList(subs).raw)
		if err != nil {
			t.Fatal(err)
		}
		got := encodeMemberList(subs)
		if !bytes.Equal(got, want.MsgPack) {
			t.Fatalf("%d members: encodeMemberList wrote %d bytes that differ from terraform-plugin-go's %d", len(subs), len(got), len(want.MsgPack))
		}
		if cap(got) != len(got) {
			t.Errorf("%d members: the buffer was sized %d for %d bytes", len(subs), cap(got), len(got))
		}
	}
}

// BenchmarkEncodeMemberList100k times the encoding alone, which BenchmarkSubscriptionsExport100k
// measures among the API calls and the report:
//
//	go test ./internal/provider -run '^$' -bench EncodeMemberList -benchmem
func BenchmarkEncodeMemberList100k(b *testing.B) {
	subs := manyMembers(100000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if len(encodeMemberList(subs)) == 0 {
			b.Fatal("no bytes")
		}
	}
}

func manyMembers(n int) []datafeed.Subscription {
	subs := make([]datafeed.Subscription, n)
	for i := range subs {
		subs[i] = datafeed.Subscription{UserID: strings.Repeat("u", i%40), Email: "m@example.com", AccountID: "acct", MembershipStatus: "active"}
	}
	return subs
}

// TestMemberTypesMatchSchema keeps the hand-written member types and fields in step with the
// nested attributes of subscriptions: Terraform must see exactly the list the attributes describe.
func TestMemberTypesMatchSchema(t *testing.T) {
	ctx := context.Background()
	var resp datasource.SchemaResponse
	(&subscriptionsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &resp)
	attr, ok := resp.Schema.Attributes["subscriptions"].(schema.ListNestedAttribute)
	if !ok {
		t.Fatalf("subscriptions is a %T", resp.Schema.Attributes["subscriptions"])
	}
	plain := attr.NestedObject
	plain.CustomType = nil
	derived := types.ListType{ElemType: plain.Type()}.TerraformType(ctx)
	if !derived.Equal(memberListTerraformType) || !attr.GetType().TerraformType(ctx).Equal(derived) {
		t.Fatalf("the member list type %s differs from the attributes' %s", memberListTerraformType, derived)
	}
	var names []string
	for _, f := range memberFields {
		names = append(names, f.name)
	}
	if !sort.StringsAreSorted(names) || len(names) != len(plain.Attributes) {
		t.Fatalf("memberFields %v must list the %d attributes sorted", names, len(plain.Attributes))
	}
	for _, f := range memberFields {
		if _, ok := plain.Attributes[f.name]; !ok {
			t.Errorf("memberFields has %q, which is no attribute", f.name)
		}
	}
}

func TestMemberListValue(t *testing.T) {
	ctx := context.Background()
	subs := memberSamples()
	v := memberList(subs)
	same, err := newMemberListType().ValueFromTerraform(ctx, v.raw.Copy())
	if err != nil {
		t.Fatal(err)
	}
	if !v.Equal(v) || !v.Equal(same) || !same.Equal(v) {
		t.Error("equal lists compare unequal")
	}
	other := memberList(subs[:2])
	if v.Equal(other) || v.Equal(memberListNull()) || memberListNull().Equal(v) || !memberListNull().Equal(memberListNull()) {
		t.Error("different lists compare equal")
	}
	list, diags := v.ToListValue(ctx)
	if diags.HasError() || len(list.Elements()) != len(subs) {
		t.Fatalf("ToListValue: %v, %d elements", diags, len(list.Elements()))
	}
	back, diags := newMemberListType().ValueFromList(ctx, list)
	if diags.HasError() || !back.Equal(v) {
		t.Fatalf("ValueFromList does not give the list back: %v", diags)
	}
	if raw, _ := memberListNull().ToTerraformValue(ctx); !raw.IsNull() || !raw.Type().Equal(memberListTerraformType) {
		t.Errorf("the null list is %s", raw)
	}
	if _, err := newMemberListType().ValueFromTerraform(ctx, tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)); err == nil {
		t.Error("a list of strings was taken as the member list")
	}
}

func TestSpliceAttribute(t *testing.T) {
	subs := memberSamples()
	stateType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"organization_id": tftypes.String, "subscriptions": memberListTerraformType, "total": tftypes.Number,
		"timeouts": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}},
	}}
	attrs := func(members tftypes.Value) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"organization_id": tftypes.NewValue(tftypes.String, "org"), "subscriptions": members, "total": tftypes.NewValue(tftypes.Number, 3),
			"timeouts": tftypes.NewValue(stateType.AttributeTypes["timeouts"], nil),
		}
	}
	without, err := tfprotov6.NewDynamicValue(stateType, tftypes.NewValue(stateType, attrs(tftypes.NewValue(memberListTerraformType, nil))))
	if err != nil {
		t.Fatal(err)
	}
	want, err := tfprotov6.NewDynamicValue(stateType, tftypes.NewValue(stateType, attrs(memberList(subs).raw)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := spliceAttribute(&without, stateType, "subscriptions", encodeMemberList(subs))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.MsgPack, want.MsgPack) {
		t.Fatal("the spliced state differs from the state encoded whole")
	}
	if _, err := spliceAttribute(&want, stateType, "subscriptions", encodeMemberList(subs)); err == nil {
		t.Error("a state that already holds the list was spliced again")
	}
	if _, err := spliceAttribute(&without, stateType, "members", nil); err == nil {
		t.Error("an attribute the state lacks was spliced")
	}
}
