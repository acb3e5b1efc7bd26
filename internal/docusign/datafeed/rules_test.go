// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import "testing"

func TestRuleMatches(t *testing.T) {
	sub := Subscription{UserID: "70000005-0000-4000-8000-000000000005", SubscriptionIdentifier: "eSignature Business Pro"}
	cases := []struct {
		name string
		rule Rule
		want bool
	}{
		{"equals ignores case by default", Rule{Kind: KindIdentifier, Identifier: "esignature business pro", Active: true}, true},
		{"empty match is equals", Rule{Kind: KindIdentifier, Match: "", Identifier: "eSignature Business", Active: true}, false},
		{"equals case-sensitive", Rule{Kind: KindIdentifier, Match: MatchEquals, Identifier: "esignature business pro", CaseSensitive: true, Active: true}, false},
		{"starts_with", Rule{Kind: KindIdentifier, Match: MatchStartsWith, Identifier: "ESIGNATURE", Active: true}, true},
		{"starts_with case-sensitive miss", Rule{Kind: KindIdentifier, Match: MatchStartsWith, Identifier: "ESIGNATURE", CaseSensitive: true, Active: true}, false},
		{"ends_with", Rule{Kind: KindIdentifier, Match: MatchEndsWith, Identifier: "pro", Active: true}, true},
		{"ends_with miss", Rule{Kind: KindIdentifier, Match: MatchEndsWith, Identifier: "Business", Active: true}, false},
		{"contains", Rule{Kind: KindIdentifier, Match: MatchContains, Identifier: "BUSINESS", Active: true}, true},
		{"contains case-sensitive", Rule{Kind: KindIdentifier, Match: MatchContains, Identifier: "Business", CaseSensitive: true, Active: true}, true},
		{"regex", Rule{Kind: KindIdentifier, Match: MatchRegex, Identifier: `^esignature (business|enterprise) pro$`, Active: true}, true},
		{"regex case-sensitive", Rule{Kind: KindIdentifier, Match: MatchRegex, Identifier: `^esignature`, CaseSensitive: true, Active: true}, false},
		{"regex unanchored", Rule{Kind: KindIdentifier, Match: MatchRegex, Identifier: `ss P`, Active: true}, true},
		{"inactive identifier rule", Rule{Kind: KindIdentifier, Identifier: "eSignature Business Pro", Active: false}, false},
		{"user rule", Rule{Kind: KindUser, UserID: "70000005-0000-4000-8000-000000000005", Active: true}, true},
		{"user rule ignores ID case", Rule{Kind: KindUser, UserID: "70000005-0000-4000-8000-000000000005", Active: true}, true},
		{"user rule other user", Rule{Kind: KindUser, UserID: "70000006-0000-4000-8000-000000000006", Active: true}, false},
		{"inactive user rule", Rule{Kind: KindUser, UserID: "70000005-0000-4000-8000-000000000005"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.rule
			r.ID = "r"
			if err := r.Compile(); err != nil {
				t.Fatal(err)
			}
			if got := r.Matches(sub); got != c.want {
				t.Errorf("Matches = %v, want %v", got, c.want)
			}
		})
	}
}

func TestRuleCompileErrors(t *testing.T) {
	for _, r := range []Rule{
		{ID: "a", Kind: KindIdentifier, Match: MatchRegex, Identifier: "(unclosed"},
		{ID: "b", Kind: KindIdentifier, Match: "fuzzy", Identifier: "x"},
		{ID: "c", Kind: "person", UserID: "x"},
		{ID: "d", Kind: KindUser},
	} {
		if err := r.Compile(); err == nil {
			t.Errorf("rule %s compiled, want an error", r.ID)
		}
	}
	if _, err := CompileRules([]Rule{{ID: "ok", Kind: KindUser, UserID: "u"}, {ID: "bad", Kind: KindIdentifier, Match: MatchRegex, Identifier: "["}}); err == nil {
		t.Error("CompileRules accepted a bad regex")
	}
}

func TestApplyNamesEveryMatchingRule(t *testing.T) {
	rules, err := CompileRules([]Rule{
		{ID: "plan", Kind: KindIdentifier, Identifier: "Plan A", Active: true},
		{ID: "off", Kind: KindIdentifier, Identifier: "Plan A", Active: false},
		{ID: "user", Kind: KindUser, UserID: "u1", Active: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	subs := []Subscription{{UserID: "u1", SubscriptionIdentifier: "plan a"}, {UserID: "u2", SubscriptionIdentifier: "Plan B"}}
	Apply(rules, subs)
	if !subs[0].Excluded || len(subs[0].ExcludedBy) != 2 || subs[0].ExcludedBy[0] != "plan" || subs[0].ExcludedBy[1] != "user" {
		t.Errorf("first subscription: %+v", subs[0])
	}
	if subs[1].Excluded || subs[1].ExcludedBy != nil {
		t.Errorf("second subscription: %+v", subs[1])
	}
}
