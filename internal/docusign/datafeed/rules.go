// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package datafeed

import (
	"fmt"
	"regexp"
	"strings"
)

// Rule kinds.
const (
	KindIdentifier = "identifier"
	KindUser       = "user"
)

// Match kinds. DocuSign license tools know only equals; the others are this provider's extensions.
const (
	MatchEquals     = "equals"
	MatchStartsWith = "starts_with"
	MatchEndsWith   = "ends_with"
	MatchContains   = "contains"
	MatchRegex      = "regex"
)

// MatchKinds lists every match kind, equals first.
var MatchKinds = []string{MatchEquals, MatchStartsWith, MatchEndsWith, MatchContains, MatchRegex}

// Rule keeps subscriptions out of the counts. An identifier rule matches the subscription
// identifier (the plan a membership is licensed on); a user rule matches one user ID in every
// account and plan. An inactive rule excludes nothing.
type Rule struct {
	ID            string
	Kind          string
	Match         string // identifier rules; empty means equals
	Identifier    string
	CaseSensitive bool
	UserID        string
	Active        bool

	re *regexp.Regexp
}

// CompileRegex compiles a regex rule's pattern as Matches will use it.
func CompileRegex(pattern string, caseSensitive bool) (*regexp.Regexp, error) {
	if !caseSensitive {
		pattern = "(?i)" + pattern
	}
	return regexp.Compile(pattern)
}

// Compile checks the rule and prepares its matcher; call it once before Matches.
func (r *Rule) Compile() error {
	switch r.Kind {
	case KindUser:
		if r.UserID == "" {
			return fmt.Errorf("rule %s: a user rule needs a user ID", r.ID)
		}
		return nil
	case KindIdentifier:
	default:
		return fmt.Errorf("rule %s: kind %q is not %q or %q", r.ID, r.Kind, KindIdentifier, KindUser)
	}
	if r.Match == "" {
		r.Match = MatchEquals
	}
	switch r.Match {
	case MatchEquals, MatchStartsWith, MatchEndsWith, MatchContains:
	case MatchRegex:
		re, err := CompileRegex(r.Identifier, r.CaseSensitive)
		if err != nil {
			return fmt.Errorf("rule %s: regex %q does not compile: %w", r.ID, r.Identifier, err)
		}
		r.re = re
	default:
		return fmt.Errorf("rule %s: match %q is not one of %s", r.ID, r.Match, strings.Join(MatchKinds, ", "))
	}
	return nil
}

// Matches reports whether the rule takes s out of the counts.
func (r *Rule) Matches(s Subscription) bool {
	if !r.Active {
		return false
	}
	if r.Kind == KindUser {
		return r.UserID != "" && strings.EqualFold(r.UserID, s.UserID)
	}
	if r.Match == MatchRegex {
		return r.re != nil && r.re.MatchString(s.SubscriptionIdentifier)
	}
	got, want := s.SubscriptionIdentifier, r.Identifier
	if !r.CaseSensitive {
		got, want = strings.ToLower(got), strings.ToLower(want)
	}
	switch r.Match {
	case MatchStartsWith:
		return strings.HasPrefix(got, want)
	case MatchEndsWith:
		return strings.HasSuffix(got, want)
	case MatchContains:
		return strings.Contains(got, want)
	default:
		return got == want
	}
}

// CompileRules compiles every rule; the first failure is returned.
func CompileRules(rules []Rule) ([]*Rule, error) {
	out := make([]*Rule, len(rules))
	for i := range rules {
		r := rules[i]
		if err := r.Compile(); err != nil {
			return nil, err
		}
		out[i] = &r
	}
	return out, nil
}

// Apply marks each subscription the rules match as excluded, naming the matching rules in
// rule order.
func Apply(rules []*Rule, subs []Subscription) {
	for i := range subs {
		subs[i].Excluded = false
		subs[i].ExcludedBy = nil
		for _, r := range rules {
			if r.Matches(subs[i]) {
				subs[i].Excluded = true
				subs[i].ExcludedBy = append(subs[i].ExcludedBy, r.ID)
			}
		}
	}
}
