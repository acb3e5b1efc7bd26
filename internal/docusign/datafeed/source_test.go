// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/opensam/terraform-provider-docusign/internal/docusign/admin"
	"github.com/opensam/terraform-provider-docusign/internal/docusign/esign"
)

// plainAPI is two accounts on two plans, each with an open and a closed membership.
func plainAPI() *fakeAPI {
	return &fakeAPI{
		org:   admin.Organization{ID: "org", Accounts: []admin.Account{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}},
		items: []admin.PlanItem{{PlanID: "p1", PlanName: "Pro"}, {PlanID: "p2", PlanName: "Std"}},
		users: map[string][]admin.OrgUser{
			"a": {{ID: "u1", Email: "u1@x", MembershipStatus: "active", PlanName: "Pro"}, {ID: "u2", Email: "u2@x", MembershipStatus: "closed", PlanName: "Pro"}},
			"b": {{ID: "u3", Email: "u3@x", MembershipStatus: "active", PlanName: "Std"}, {ID: "u4", Email: "u4@x", MembershipStatus: "closed", PlanName: "Std"}},
		},
		accounts: map[string]*esign.Account{},
	}
}

// hostileExport exports f's memberships the hostile way: no plan columns, no closed memberships.
func hostileExport(f *fakeAPI, skipped ...SkippedResult) Exporter {
	return func(context.Context, string, []string) (*Export, error) {
		out := &Export{Skipped: skipped}
		for acct, users := range f.users {
			for _, u := range users {
				if IsClosed(u.MembershipStatus) {
					continue
				}
				u.PlanName, u.SubscriptionID = "", ""
				out.Rows = append(out.Rows, ExportedMembership{AccountID: acct, OrgUser: u})
			}
		}
		return out, nil
	}
}

func idents(r *SubscriptionsReport) []string {
	var out []string
	for _, s := range r.Subscriptions {
		out = append(out, s.UserID+"/"+s.MembershipStatus+"/"+s.SubscriptionIdentifier)
	}
	return out
}

// TestExportWithoutPlansOrClosedReadsLikeTheListing: each membership takes its account's plan,
// and the closed memberships the export left out come from the listing.
func TestExportWithoutPlansOrClosedReadsLikeTheListing(t *testing.T) {
	f := plainAPI()
	c := &Client{Admin: f, ESign: f, Export: hostileExport(f)}
	list, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", IncludeClosed: true, Source: SourceList})
	if err != nil {
		t.Fatal(err)
	}
	f.queries = nil
	exp, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", IncludeClosed: true, Source: SourceExport})
	if err != nil {
		t.Fatal(err)
	}
	// One closed listing per account, which names each account's plan too: no separate plan read.
	if len(f.queries) != 2 || f.queries[0].MembershipStatus != "closed" || f.queries[1].MembershipStatus != "closed" {
		t.Fatalf("listing queries %+v, want one closed listing per account", f.queries)
	}
	if exp.Source != SourceExport || len(exp.Warnings) != 0 || !reflect.DeepEqual(idents(exp), idents(list)) ||
		!reflect.DeepEqual(exp.Plans, list.Plans) {
		t.Fatalf("export %v (%v, warnings %v)\nlist   %v", idents(exp), exp.Plans, exp.Warnings, idents(list))
	}
	// Without include_closed the closed listing is not read.
	f.queries = nil
	if _, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", Source: SourceExport}); err != nil {
		t.Fatal(err)
	}
	for _, q := range f.queries {
		if q.MembershipStatus == "closed" {
			t.Fatalf("closed memberships listed without include_closed: %+v", q)
		}
	}
}

// TestExportPlanUnknownWarns: an account nobody can name a plan for keeps an empty plan and a
// warning naming it, never a guess.
func TestExportPlanUnknownWarns(t *testing.T) {
	f := plainAPI()
	f.failAccount = "b"
	c := &Client{Admin: f, ESign: f, Export: hostileExport(f)}
	r, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", Source: SourceExport})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || r.Warnings[0].Summary != `Plan Unknown for DocuSign Account "B"` || !strings.Contains(r.Warnings[0].Detail, "boom") {
		t.Fatalf("warnings %+v", r.Warnings)
	}
	if got := idents(r); !reflect.DeepEqual(got, []string{"u1/active/Pro", "u3/active/"}) {
		t.Fatalf("subscriptions %v", got)
	}
}

// TestUnreadableExport: "auto" reads the listing instead with a warning quoting why; "export"
// fails; a partial export is a warning with partial counts under "export", the listing under "auto".
func TestUnreadableExport(t *testing.T) {
	f := plainAPI()
	broken := errors.New("the export has no UserID (or APIUserName) column")
	for _, tc := range []struct {
		name    string
		export  Exporter
		source  string
		wantErr bool
		used    string
		warning string
		partial bool
	}{
		{"auto, unreadable", func(context.Context, string, []string) (*Export, error) { return nil, broken }, SourceAuto, false, SourceList, "DocuSign Export Unreadable, Memberships Listed Instead", false},
		{"export, unreadable", func(context.Context, string, []string) (*Export, error) { return nil, broken }, SourceExport, true, "", "", false},
		{"auto, partial", hostileExport(f, SkippedResult{ID: "r2", Rows: 7, Reason: "export_failed: boom"}), SourceAuto, false, SourceList, "DocuSign Export Unreadable, Memberships Listed Instead", false},
		{"export, partial", hostileExport(f, SkippedResult{ID: "r2", Rows: 7, Reason: "export_failed: boom"}), SourceExport, false, SourceExport, "Partial DocuSign Export: Counts Are Partial", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// 21 accounts make auto choose the export.
			api := plainAPI()
			for i := range 20 {
				api.org.Accounts = append(api.org.Accounts, admin.Account{ID: "x" + string(rune('a'+i)), Name: "X"})
			}
			c := &Client{Admin: api, ESign: api, Export: tc.export}
			r, err := c.Subscriptions(context.Background(), SubscriptionsQuery{OrganizationID: "org", Source: tc.source})
			if tc.wantErr {
				if !errors.Is(err, broken) {
					t.Fatalf("err = %v, want the export's", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Source != tc.used || r.Partial != tc.partial || len(r.Warnings) != 1 || r.Warnings[0].Summary != tc.warning {
				t.Fatalf("source %s, partial %v, warnings %+v", r.Source, r.Partial, r.Warnings)
			}
			if d := r.Warnings[0].Detail; !strings.Contains(d, "r2 (7 rows): export_failed: boom") && !strings.Contains(d, "APIUserName") {
				t.Fatalf("the warning does not say what could not be read: %s", d)
			}
		})
	}
}
