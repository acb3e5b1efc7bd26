// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/datafeed"
)

// The member list of data.docusign_subscriptions (its subscriptions attribute) can hold 100,000
// objects. Terraform sees it as the plain list of objects its nested attributes describe; inside
// the provider it has its own attribute types, because after every Read the framework, for each
// top-level attribute of the new state, converts the value into attr.Values for its semantic
// equality pass and compares the result with itself, and at every null value of the state (two per
// member: last_activity and last_activity_source) it derives the attribute's type from the schema
// again. With types.ListType of a nested object that is 100,000 types.Object built and compared
// and the member object type rebuilt 400,000 times: BenchmarkSubscriptionsExport100k/framework
// went from 14 to 6 s of CPU and from 5.7 to 4.4 GB allocated per read without them.
// memberListType hands the framework the terraform value it already holds, and memberObjectType
// is built once. NewProtocol6Server goes further and keeps the list away from the framework.

var (
	// memberObjectType is the subscriptions element type, built once (see NestedObject.CustomType).
	memberObjectType = types.ObjectType{AttrTypes: subscriptionAttrTypes}
	// memberObjectTerraformType is its terraform type.
	memberObjectTerraformType = memberObjectType.TerraformType(context.Background())
	memberListTerraformType   = tftypes.List{ElementType: memberObjectTerraformType}
)

var (
	_ basetypes.ListTypable  = memberListType{}
	_ basetypes.ListValuable = memberListValue{}
)

// memberListType is a list of memberObjectType whose values are memberListValue.
type memberListType struct {
	basetypes.ListType
}

func newMemberListType() memberListType {
	return memberListType{ListType: basetypes.ListType{ElemType: memberObjectType}}
}

func (t memberListType) Equal(o attr.Type) bool {
	other, ok := o.(memberListType)
	return ok && t.ListType.Equal(other.ListType)
}

func (t memberListType) String() string { return "provider.memberListType" }

func (t memberListType) TerraformType(context.Context) tftypes.Type { return memberListTerraformType }

func (t memberListType) ValueType(context.Context) attr.Value { return memberListValue{} }

// ValueFromTerraform keeps the terraform value: converting it is left to ToListValue, which the
// framework does not call on a data source's computed list.
func (t memberListType) ValueFromTerraform(_ context.Context, in tftypes.Value) (attr.Value, error) {
	if in.Type() == nil {
		return memberListValue{}, nil
	}
	if !in.Type().Equal(memberListTerraformType) {
		return nil, fmt.Errorf("can't use %s as the subscriptions list, %s", in.Type(), memberListTerraformType)
	}
	return memberListValue{raw: in}, nil
}

func (t memberListType) ValueFromList(ctx context.Context, in basetypes.ListValue) (basetypes.ListValuable, diag.Diagnostics) {
	raw, err := in.ToTerraformValue(ctx)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Subscriptions List Conversion Error", err.Error())
		return nil, diags
	}
	return memberListValue{raw: raw}, nil
}

// memberListValue is a value of memberListType. The zero value is null.
type memberListValue struct {
	raw tftypes.Value // a memberListTerraformType value; no type means null
}

func memberListNull() memberListValue { return memberListValue{} }

func (v memberListValue) Type(context.Context) attr.Type { return newMemberListType() }

func (v memberListValue) ToTerraformValue(context.Context) (tftypes.Value, error) {
	if v.raw.Type() == nil {
		return tftypes.NewValue(memberListTerraformType, nil), nil
	}
	return v.raw, nil
}

func (v memberListValue) IsNull() bool { return v.raw.Type() == nil || v.raw.IsNull() }

func (v memberListValue) IsUnknown() bool { return v.raw.Type() != nil && !v.raw.IsKnown() }

// Equal compares the terraform values, quickly when both hold the same elements: the framework
// compares the list with itself after every Read.
func (v memberListValue) Equal(o attr.Value) bool {
	other, ok := o.(memberListValue)
	if !ok {
		return false
	}
	if v.IsNull() || other.IsNull() || v.IsUnknown() || other.IsUnknown() {
		return v.IsNull() == other.IsNull() && v.IsUnknown() == other.IsUnknown()
	}
	var a, b []tftypes.Value
	if v.raw.As(&a) == nil && other.raw.As(&b) == nil && len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) {
		return true
	}
	return v.raw.Equal(other.raw)
}

func (v memberListValue) String() string {
	list, diags := v.ToListValue(context.Background())
	if diags.HasError() {
		return "<invalid subscriptions list>"
	}
	return list.String()
}

// ToListValue converts the whole list into attr.Values.
func (v memberListValue) ToListValue(ctx context.Context) (basetypes.ListValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	raw, _ := v.ToTerraformValue(ctx)
	value, err := newMemberListType().ListType.ValueFromTerraform(ctx, raw)
	list, ok := value.(basetypes.ListValue)
	if err != nil || !ok {
		diags.AddError("Subscriptions List Conversion Error", fmt.Sprintf("converting the subscriptions list: %v", err))
		return basetypes.NewListUnknown(memberObjectType), diags
	}
	return list, diags
}

// memberList builds the member list directly as a terraform value, in one pass over the report.
// Values that repeat across members (account IDs, plans, statuses, license types, null, false) are
// built once and shared: terraform values are immutable.
func memberList(subs []datafeed.Subscription) memberListValue {
	shared := map[string]tftypes.Value{}
	common := func(s string) tftypes.Value {
		v, ok := shared[s]
		if !ok {
			v = tftypes.NewValue(tftypes.String, s)
			shared[s] = v
		}
		return v
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	null := tftypes.NewValue(tftypes.String, nil)
	orNull := func(s string, value func(string) tftypes.Value) tftypes.Value {
		if s == "" {
			return null
		}
		return value(s)
	}
	excluded := [2]tftypes.Value{tftypes.NewValue(tftypes.Bool, false), tftypes.NewValue(tftypes.Bool, true)}
	byType := tftypes.List{ElementType: tftypes.String}
	noRule := tftypes.NewValue(byType, []tftypes.Value{})
	elems := make([]tftypes.Value, len(subs))
	for i, s := range subs {
		by := noRule
		if len(s.ExcludedBy) > 0 {
			ids := make([]tftypes.Value, len(s.ExcludedBy))
			for j, id := range s.ExcludedBy {
				ids[j] = common(id)
			}
			by = tftypes.NewValue(byType, ids)
		}
		isExcluded := excluded[0]
		if s.Excluded {
			isExcluded = excluded[1]
		}
		attrs := make(map[string]tftypes.Value, len(subscriptionAttrTypes))
		attrs["user_id"] = str(s.UserID)
		attrs["email"] = str(s.Email)
		attrs["user_name"] = str(s.UserName)
		attrs["account_id"] = common(s.AccountID)
		attrs["subscription_identifier"] = common(s.SubscriptionIdentifier)
		attrs["membership_status"] = common(membershipStatus(s.MembershipStatus))
		attrs["license_type"] = common(s.LicenseType)
		attrs["created_at"] = str(s.CreatedOn)
		attrs["excluded"] = isExcluded
		attrs["excluded_by"] = by
		attrs["last_activity"] = orNull(s.LastActivity, str)
		attrs["last_activity_source"] = orNull(s.LastActivitySource, common)
		elems[i] = tftypes.NewValue(memberObjectTerraformType, attrs)
	}
	return memberListValue{raw: tftypes.NewValue(memberListTerraformType, elems)}
}

// memberField is one attribute of a member object, for encodeMemberList.
type memberField struct {
	name string
	// text gives a string attribute's value; nullWhenEmpty writes "" as null.
	text          func(*datafeed.Subscription) string
	nullWhenEmpty bool
}

// memberFields are the member object's attributes in the order the plugin protocol's encoding
// of an object lists them: sorted by name. excluded (bool) and excluded_by (list of strings) have
// no text. TestMemberFieldsMatchSchema checks them against the schema.
var memberFields = []memberField{
	{name: "account_id", text: func(s *datafeed.Subscription) string { return s.AccountID }},
	{name: "created_at", text: func(s *datafeed.Subscription) string { return s.CreatedOn }},
	{name: "email", text: func(s *datafeed.Subscription) string { return s.Email }},
	{name: "excluded"},
	{name: "excluded_by"},
	{name: "last_activity", text: func(s *datafeed.Subscription) string { return s.LastActivity }, nullWhenEmpty: true},
	{name: "last_activity_source", text: func(s *datafeed.Subscription) string { return s.LastActivitySource }, nullWhenEmpty: true},
	{name: "license_type", text: func(s *datafeed.Subscription) string { return s.LicenseType }},
	{name: "membership_status", text: func(s *datafeed.Subscription) string { return membershipStatus(s.MembershipStatus) }},
	{name: "subscription_identifier", text: func(s *datafeed.Subscription) string { return s.SubscriptionIdentifier }},
	{name: "user_id", text: func(s *datafeed.Subscription) string { return s.UserID }},
	{name: "user_name", text: func(s *datafeed.Subscription) string { return s.UserName }},
}

// encodeMemberList writes the member list straight into the plugin protocol's encoding (see
// largeAttributeSink): the bytes the framework would send for memberList(subs), in one pass over
// the report into one buffer of the right size.
func encodeMemberList(subs []datafeed.Subscription) []byte {
	size := msgpackHeaderSize(len(subs))
	for i := range subs {
		s := &subs[i]
		size += msgpackHeaderSize(len(memberFields))
		for _, f := range memberFields {
			size += msgpackStringSize(f.name)
			switch f.name {
			case "excluded":
				size++
			case "excluded_by":
				size += msgpackHeaderSize(len(s.ExcludedBy))
				for _, id := range s.ExcludedBy {
					size += msgpackStringSize(id)
				}
			default:
				size += msgpackStringSize(f.text(s))
			}
		}
	}
	w := newMsgpackWriter(size)
	w.arrayLen(len(subs))
	for i := range subs {
		s := &subs[i]
		w.mapLen(len(memberFields))
		for _, f := range memberFields {
			w.string(f.name)
			switch f.name {
			case "excluded":
				w.bool(s.Excluded)
			case "excluded_by":
				w.arrayLen(len(s.ExcludedBy))
				for _, id := range s.ExcludedBy {
					w.string(id)
				}
			default:
				if v := f.text(s); v != "" || !f.nullWhenEmpty {
					w.string(v)
				} else {
					w.nil()
				}
			}
		}
	}
	return w.bytes()
}
