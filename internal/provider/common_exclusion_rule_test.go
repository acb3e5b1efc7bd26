package provider

import (
	"testing"
	"time"
)

func TestNewRuleIDIsAUniqueV4UUID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := newRuleID()
		if !guidPattern.MatchString(id) || id[14] != '4' || seen[id] {
			t.Fatalf("bad or repeated rule ID %q", id)
		}
		seen[id] = true
	}
}

func TestSplitImportIDKeepsSlashesInTheLastPart(t *testing.T) {
	parts, ok := splitImportID(testOrgID+"/regex/^a/b$", 3)
	if !ok || parts[2] != "^a/b$" {
		t.Fatalf("got %v %v", parts, ok)
	}
	if _, ok := splitImportID(testOrgID+"//x", 3); ok {
		t.Error("empty part accepted")
	}
}

func TestCyclePeriodStrings(t *testing.T) {
	s, e, err := cyclePeriod("2024-01-31", 1, time.Date(2024, 2, 29, 15, 0, 0, 0, time.UTC))
	if err != nil || s != "2024-02-29" || e != "2024-03-30" {
		t.Fatalf("got %s %s %v", s, e, err)
	}
	if _, _, err := cyclePeriod("2024-02-30", 1, time.Now()); err == nil {
		t.Error("invalid date accepted")
	}
}
