// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"reflect"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
)

// wholeExport exports f's memberships with every column and the closed ones.
func wholeExport(f *fakeAPI) Exporter {
	return func(context.Context, string, []string) (*Export, error) {
		out := &Export{PlanColumns: true}
		for acct, users := range f.users {
			for _, u := range users {
				out.Rows = append(out.Rows, ExportedMembership{AccountID: acct, OrgUser: u})
			}
		}
		return out, nil
	}
}

// countsAPI is plainAPI with more on it: a membership whose user ID differs in case from a user
// rule's, a plan no plan item knows and a pending membership.
func countsAPI() *fakeAPI {
	f := plainAPI()
	f.users["a"] = append(f.users["a"],
		admin.OrgUser{ID: "U5", Email: "u5@x", MembershipStatus: "active", PlanName: "Pro"},
		admin.OrgUser{ID: "u6", Email: "u6@x", MembershipStatus: "activation_sent", SubscriptionID: "sub-legacy"})
	f.users["b"] = append(f.users["b"], admin.OrgUser{ID: "u7", Email: "u7@x", MembershipStatus: "active", PlanName: "Std"})
	return f
}

// TestCountsOnlyMatchesTheFullRead: a counts-only read of the export gives the same accounts,
// plans and counts as the full read, whatever the export holds (every column, or neither plans
// nor closed memberships), with and without closed memberships, under identifier and user rules
// (a user rule matching in any letter case); and it lists no subscriptions.
func TestCountsOnlyMatchesTheFullRead(t *testing.T) {
	rules := []Rule{
		{ID: "std", Kind: KindIdentifier, Identifier: "std", Active: true},
		{ID: "u5", Kind: KindUser, UserID: "u5", Active: true},
		{ID: "off", Kind: KindUser, UserID: "u1", Active: false},
	}
	for name, export := range map[string]func(*fakeAPI) Exporter{
		"whole":   wholeExport,
		"hostile": func(f *fakeAPI) Exporter { return hostileExport(f) },
	} {
		for _, closed := range []bool{false, true} {
			f := countsAPI()
			c := &Client{Admin: f, ESign: f, Export: export(f)}
			q := SubscriptionsQuery{OrganizationID: "org", IncludeClosed: closed, Source: SourceExport, Rules: rules}
			full, err := c.Subscriptions(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			q.CountsOnly = true
			counts, err := c.Subscriptions(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if full.ExcludedCount == 0 || full.Total == 0 {
				t.Fatalf("%s: the full read excluded %d of %d, so the comparison proves little", name, full.ExcludedCount, full.Total)
			}
			if len(counts.Subscriptions) != 0 {
				t.Errorf("%s, closed %v: counts only listed %d subscriptions", name, closed, len(counts.Subscriptions))
			}
			full.Subscriptions = counts.Subscriptions
			if !reflect.DeepEqual(full, counts) {
				t.Errorf("%s, closed %v:\nfull   %+v\ncounts %+v", name, closed, full, counts)
			}
		}
	}
}

// TestCountsExporterIsUsed: a client with a counts exporter reads through it, never the full one.
func TestCountsExporterIsUsed(t *testing.T) {
	f := plainAPI()
	full := 0
	c := &Client{Admin: f, ESign: f,
		Export: func(context.Context, string, []string) (*Export, error) {
			full++
			return &Export{PlanColumns: true}, nil
		},
		ExportCounts: func(context.Context, string, []string) (*Export, error) {
			return &Export{PlanColumns: true, Counts: []CountedMembership{
				{AccountID: "A", Plan: "Pro", Status: "active", User: UserKey("u1")},
				{AccountID: "b", Plan: "Std", Status: "closed", User: UserKey("u4")},
				{AccountID: "elsewhere", Plan: "Std", Status: "active", User: UserKey("u9")},
			}}, nil
		}}
	r, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", IncludeClosed: true, Source: SourceExport, CountsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if full != 0 || r.Total != 2 || r.Counted != 1 || r.Accounts[0].Memberships != 1 || r.Accounts[1].Memberships != 1 {
		t.Fatalf("full exports %d, report %+v", full, r)
	}
}

func TestUserKeyIgnoresCase(t *testing.T) {
	if UserKey("2F1E0D4C-AB") != UserKey("2f1e0d4c-ab") || UserKey("a") == UserKey("b") || UserKey("") == UserKey("a") {
		t.Fatal("UserKey does not tell user IDs apart ignoring case alone")
	}
}
