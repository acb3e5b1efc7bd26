// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// FIDELITY.md is the ledger of what the emulator models and on what evidence. These tests keep it
// honest: every behaviour switch and job setting has a row, no row names a switch that does not
// exist, and every row cites a source or says it is undocumented.

const ledgerHeader = "| behaviour | source | switches |"

// ledgerRow is one row of a ledger table, with the section it sits in and its line number.
type ledgerRow struct {
	section, behaviour, source, switches string
	line                                 int
}

// parseLedger reads every table headed by ledgerHeader. A row with other than three cells is a
// problem rather than a row.
func parseLedger(text string) (rows []ledgerRow, problems []string) {
	section := ""
	inTable := false
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "## "):
			section, inTable = strings.TrimPrefix(trimmed, "## "), false
			continue
		case trimmed == ledgerHeader:
			if section == "" {
				problems = append(problems, fmt.Sprintf("line %d: a ledger table outside any ## section", n))
			}
			inTable = true
			continue
		case !strings.HasPrefix(trimmed, "|"):
			inTable = false
			continue
		case !inTable:
			if strings.Contains(trimmed, "| behaviour |") {
				problems = append(problems, fmt.Sprintf("line %d: a table header other than %q", n, ledgerHeader))
			}
			continue
		case strings.Trim(trimmed, "|-: ") == "":
			continue // the separator row
		}
		cells := splitCells(trimmed)
		if len(cells) != 3 {
			problems = append(problems, fmt.Sprintf("line %d (%s): %d cells, want behaviour, source and switches", n, section, len(cells)))
			continue
		}
		rows = append(rows, ledgerRow{section: section, behaviour: cells[0], source: cells[1], switches: cells[2], line: n})
	}
	return rows, problems
}

// splitCells splits a table row on its unescaped pipes outside code spans.
func splitCells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var cells []string
	var cell strings.Builder
	inCode := false
	for i := 0; i < len(row); i++ {
		switch ch := row[i]; {
		case ch == '\\' && i+1 < len(row) && row[i+1] == '|':
			cell.WriteByte('|')
			i++
		case ch == '`':
			inCode = !inCode
			cell.WriteByte(ch)
		case ch == '|' && !inCode:
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(ch)
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

var (
	citationPrefixes = []string{"spec:", "sdk:", "doc:", "3rd:"}
	switchName       = regexp.MustCompile("^`([a-z0-9_]+)`$")
	// undocumented is the word in emphasis, as markdown writes it: *undocumented*, _undocumented_
	// or **undocumented**.
	undocumented = regexp.MustCompile(`(?i)(\*\*?|__?)undocumented(\*\*?|__?)`)
)

// sourceProblem says what is wrong with a source cell, or "". A source is one or more citations
// separated by ";", each starting spec:, sdk:, doc: or 3rd:, or it says *undocumented*.
func sourceProblem(source string) string {
	if strings.TrimSpace(source) == "" {
		return "no source"
	}
	if undocumented.MatchString(source) {
		return ""
	}
	for _, part := range strings.Split(source, ";") {
		part = strings.TrimSpace(part)
		if !slices.ContainsFunc(citationPrefixes, func(p string) bool {
			return len(part) > len(p) && strings.EqualFold(part[:len(p)], p) && strings.TrimSpace(part[len(p):]) != ""
		}) {
			return fmt.Sprintf("source part %q is neither a spec:, sdk:, doc: or 3rd: citation nor *undocumented*", part)
		}
	}
	return ""
}

// switchNames reads a switches cell: "—" (or "-") for none, else backticked json names separated
// by commas.
func switchNames(cell string) ([]string, error) {
	cell = strings.TrimSpace(cell)
	if cell == "—" || cell == "-" {
		return nil, nil
	}
	var names []string
	for _, part := range strings.Split(cell, ",") {
		m := switchName.FindStringSubmatch(strings.TrimSpace(part))
		if m == nil {
			return nil, fmt.Errorf("%q is not a backticked json name (or — for none)", strings.TrimSpace(part))
		}
		names = append(names, m[1])
	}
	return names, nil
}

// checkLedger lists everything wrong with a ledger: each name in required must appear in some
// row's switches, every switch a row names must be in known, every row must have a behaviour and a
// valid source, and the ledger must not be empty.
func checkLedger(text string, required, known []string) []string {
	rows, problems := parseLedger(text)
	if len(rows) == 0 {
		return append(problems, "no rows under a "+ledgerHeader+" header")
	}
	covered := map[string]bool{}
	for _, r := range rows {
		where := fmt.Sprintf("line %d (%s)", r.line, r.section)
		if r.behaviour == "" {
			problems = append(problems, where+": no behaviour")
		}
		if p := sourceProblem(r.source); p != "" {
			problems = append(problems, where+": "+p)
		}
		names, err := switchNames(r.switches)
		if err != nil {
			problems = append(problems, where+": switches: "+err.Error())
		}
		for _, name := range names {
			if !slices.Contains(known, name) {
				problems = append(problems, fmt.Sprintf("%s: names the switch %q, which is no field of emulator.Behaviour, JobSettings or Faults", where, name))
			}
			covered[name] = true
		}
	}
	for _, name := range required {
		if !covered[name] {
			problems = append(problems, fmt.Sprintf("the switch %q has no row in the ledger: add one to FIDELITY.md naming it in the switches column", name))
		}
	}
	return problems
}

// jsonNames are the json names of a struct type's fields (the Go name for a field without one),
// skipping fields tagged "-".
func jsonNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// ledgerSwitches are the names every ledger must cover (Behaviour and JobSettings) and the names a
// ledger may use (those plus Faults).
func ledgerSwitches() (required, known []string) {
	required = append(jsonNames(reflect.TypeFor[Behaviour]()), jsonNames(reflect.TypeFor[JobSettings]())...)
	known = append(slices.Clone(required), jsonNames(reflect.TypeFor[Faults]())...)
	return required, known
}

func TestFidelityLedger(t *testing.T) {
	data, err := os.ReadFile("FIDELITY.md")
	if err != nil {
		t.Fatal(err)
	}
	required, known := ledgerSwitches()
	if len(required) < 9 {
		t.Fatalf("found only %d switches by reflection (%v); the reflection is broken", len(required), required)
	}
	for _, p := range checkLedger(string(data), required, known) {
		t.Error("FIDELITY.md: " + p)
	}
	if rows, _ := parseLedger(string(data)); len(rows) < 100 {
		t.Errorf("FIDELITY.md has %d rows; the ledger covers every behaviour the emulator models, well over 100", len(rows))
	}
}

// The checks fail on each kind of fault, so a ledger that passes means something.
func TestFidelityLedgerCheckFails(t *testing.T) {
	required, known := []string{"batch_close_all_or_nothing", "delay_ms"}, []string{"batch_close_all_or_nothing", "delay_ms", "error_rate"}
	good := `# Ledger

## Users

| behaviour | source | switches |
| --- | --- | --- |
| One bad user fails the batch | spec: esignature Users_DeleteUsers; *undocumented* (which reading) | ` + "`batch_close_all_or_nothing`" + ` |
| Jobs take a while | *undocumented* | ` + "`delay_ms`, `error_rate`" + ` |
| A pipe in code ` + "`a|b`" + ` stays one cell | doc: /platform/resource-limits | — |
| Emphasis and letter case vary | SDK: docusign-esign-node-client src/api/UsersApi.js; **Undocumented** (when) | — |
`
	if p := checkLedger(good, required, known); len(p) > 0 {
		t.Fatalf("a good ledger fails: %v", p)
	}
	for name, tc := range map[string]struct{ text, want string }{
		"a switch without a row":      {strings.Replace(good, "`delay_ms`, ", "", 1), `"delay_ms" has no row`},
		"a field added without a row": {good, `"new_switch" has no row`},
		"an unknown switch":           {strings.Replace(good, "`error_rate`", "`no_such_switch`", 1), `"no_such_switch", which is no field`},
		"an empty source":             {strings.Replace(good, "| *undocumented* |", "|  |", 1), "no source"},
		"a source that cites nothing": {strings.Replace(good, "doc: /platform/resource-limits", "the docs say so", 1),
			"neither a spec:, sdk:, doc: or 3rd: citation"},
		"a citation part without prefix": {strings.Replace(good, "doc: /platform/resource-limits", "doc: /platform/resource-limits; a blog", 1),
			`"a blog"`},
		"undocumented without emphasis": {strings.Replace(good, "| *undocumented* |", "| undocumented |", 1), `"undocumented" is neither`},
		"a prefix without a citation":   {strings.Replace(good, "doc: /platform/resource-limits", "doc:", 1), `"doc:" is neither`},
		"a switch not in backticks":     {strings.Replace(good, "`delay_ms`, `error_rate`", "delay_ms", 1), "not a backticked json name"},
		"a row with two cells":          {good + "| lonely | *undocumented* |\n", "2 cells"},
		"no table":                      {"# Ledger\n\nNothing here.\n", "no rows"},
		"a table outside a section":     {"| behaviour | source | switches |\n| --- | --- | --- |\n| x | *undocumented* | — |\n", "outside any ## section"},
	} {
		req := required
		if name == "a field added without a row" {
			req = append(slices.Clone(required), "new_switch")
		}
		problems := checkLedger(tc.text, req, known)
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }) {
			t.Errorf("%s: problems %q, want one containing %q", name, problems, tc.want)
		}
	}
}

// Reflection sees every field, so a switch another change adds is required without editing this
// test: a struct with one more field requires one more name.
func TestLedgerSwitchesFollowTheStructs(t *testing.T) {
	required, known := ledgerSwitches()
	for _, name := range []string{"batch_close_all_or_nothing", "legacy_profile_names", "delay_ms", "export_ttl_ms", "fail_exports"} {
		if !slices.Contains(required, name) {
			t.Errorf("required switches %v lack %q", required, name)
		}
	}
	if !slices.Contains(known, "drop_rate") || slices.Contains(required, "drop_rate") {
		t.Errorf("fault rates may be named but are not required: required %v, known %v", required, known)
	}
	type withExtra struct {
		Behaviour
		Extra  bool `json:"extra_reading"`
		Hidden bool `json:"-"`
		NoTag  bool
	}
	if got := jsonNames(reflect.TypeFor[withExtra]()); !reflect.DeepEqual(got, []string{"Behaviour", "extra_reading", "NoTag"}) {
		t.Errorf("jsonNames = %v", got)
	}
}
