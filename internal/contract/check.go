// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Where values of a Violation.
const (
	WhereQuery        = "query"
	WhereRequestBody  = "request body"
	WhereResponseBody = "response body"
	WhereRoute        = "route"
)

// maxDepth bounds schema recursion (self-referencing definitions, deep documents).
const maxDepth = 48

// Violation is one difference between traffic and the specs.
type Violation struct {
	Method, Path string // Path is the operation's template when matched, else the URL path
	Where        string // "query", "request body", "response body", "route"
	Detail       string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s: %s: %s", v.Method, v.Path, v.Where, v.Detail)
}

// CheckQuery reports every query parameter name not declared for op (path-level and
// operation-level parameters).
func (s *Spec) CheckQuery(op *Operation, q url.Values) []Violation {
	if op == nil {
		return nil
	}
	var names []string
	for k := range q {
		if !op.query[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []Violation
	for _, k := range names {
		d := fmt.Sprintf("undeclared query parameter %q", k)
		if hint := closest(k, op.QueryParams); hint != "" {
			d += fmt.Sprintf(" (did you mean %q?)", hint)
		}
		if len(op.QueryParams) == 0 {
			d += " (the operation declares no query parameters)"
		}
		out = append(out, Violation{op.Method, op.PathTemplate, WhereQuery, d})
	}
	return out
}

// CheckRequestBody checks a JSON request body against op's body schema: every field name, at
// any depth (through arrays, $ref and allOf), must be a declared property, and unless
// IgnoreTypes is set, its JSON type must fit the declared type. An empty body, or an operation
// without a body schema, is not checked.
func (s *Spec) CheckRequestBody(op *Operation, body []byte) []Violation {
	if op == nil || op.body == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return s.checkJSON(op, WhereRequestBody, op.body, body)
}

// CheckMultipart checks a multipart/form-data request: the operation must consume
// multipart/form-data, and every part must be a declared formData parameter, every declared one
// present.
func (s *Spec) CheckMultipart(op *Operation, contentType string, body []byte) []Violation {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/form-data" {
		return nil
	}
	if !slices.Contains(op.Consumes, "multipart/form-data") || len(op.FormParams) == 0 {
		return []Violation{{op.Method, op.PathTemplate, WhereRequestBody, "multipart upload to an operation that declares no formData parameters"}}
	}
	var out []Violation
	seen := map[string]bool{}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return append(out, Violation{op.Method, op.PathTemplate, WhereRequestBody, "malformed multipart body: " + err.Error()})
		}
		seen[part.FormName()] = true
		if !slices.Contains(op.FormParams, part.FormName()) {
			out = append(out, Violation{op.Method, op.PathTemplate, WhereRequestBody,
				fmt.Sprintf("form part %q is not declared (declared: %s)", part.FormName(), strings.Join(op.FormParams, ", "))})
		}
	}
	for _, name := range op.FormParams {
		if !seen[name] {
			out = append(out, Violation{op.Method, op.PathTemplate, WhereRequestBody, fmt.Sprintf("form part %q is missing", name)})
		}
	}
	return out
}

// CheckResponse checks a 2xx JSON response body against the schema op declares for status
// (falling back to "default", then to the only declared 2xx response). A 2xx status the
// operation doesn't declare is reported too. Non-2xx responses and empty bodies are skipped.
func (s *Spec) CheckResponse(op *Operation, status int, body []byte) []Violation {
	if op == nil || status < 200 || status > 299 {
		return nil
	}
	schema, code, declared := op.responseSchema(status)
	var out []Violation
	if !declared {
		d := fmt.Sprintf("status %d is not declared (declared: %s)", status, strings.Join(op.DeclaredStatuses(), ", "))
		if code != "" {
			d += "; body checked against the " + code + " schema"
		}
		out = append(out, Violation{op.Method, op.PathTemplate, WhereResponseBody, d})
	}
	if schema == nil || len(bytes.TrimSpace(body)) == 0 {
		return out
	}
	if trimmed := bytes.TrimSpace(body); trimmed[0] == '{' && schema.Type == "array" && schema.Items != nil && oneObjectDocumented[op.Key()] != "" {
		schema = schema.Items
	}
	return append(out, s.checkJSON(op, WhereResponseBody, schema, body)...)
}

// oneObjectDocumented names array answers whose DocuSign reference page draws one object instead;
// the object form is checked against the array's element schema.
var oneObjectDocumented = map[string]string{
	"GET /Management/v2/organizations/{organizationId}/planItems": "/docs/admin-api/reference/accountprovisioning/accountcreation/getorganizationplanitems",
}

// anyRouteStatuses are the error statuses each API may answer on any route, beyond those the
// operation declares: eSignature declares only 400 per operation, yet answers 401 for a bad or
// expired token (USER_AUTHENTICATION_FAILED, AUTHORIZATION_INVALID_TOKEN); the Admin spec declares
// no error at all, yet answers 400, 401, 403 and 404 with its {error, error_description} body. Both
// may answer 429 for a rate limit and 5xx when DocuSign itself fails.
var anyRouteStatuses = map[string][]int{
	APIESignature: {401, 429, 500, 502, 503, 504},
	APIAdmin:      {400, 401, 403, 404, 429, 500, 502, 503, 504},
}

// adminErrorFields are the fields of an Admin error body: {error, error_description} on most
// routes, {error, errorDescription, isSystemError} on the sub-account ones.
var adminErrorFields = map[string]bool{"error": true, "error_description": true, "errorDescription": true, "isSystemError": true}

// CheckError checks a 4xx or 5xx answer: the status must be one the operation declares or one
// the API answers on any route, and the body must have the API's error shape: eSignature's
// errorDetails {errorCode, message} or the Admin API's {error, error_description}. Other statuses
// are not checked.
func (s *Spec) CheckError(op *Operation, status int, body []byte) []Violation {
	if op == nil || status < 400 || op.API == APIMonitor {
		return nil
	}
	var out []Violation
	violation := func(format string, args ...any) {
		out = append(out, Violation{op.Method, op.PathTemplate, WhereResponseBody, fmt.Sprintf(format, args...)})
	}
	schema, declared := op.responses[strconv.Itoa(status)]
	if !declared && !slices.Contains(anyRouteStatuses[op.API], status) {
		violation("error status %d is neither declared by the operation (declared: %s) nor one the API answers on any route", status, strings.Join(op.DeclaredStatuses(), ", "))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var fields map[string]any
	if err := dec.Decode(&fields); err != nil {
		violation("error status %d: body is not a JSON object: %s", status, excerptOf(body))
		return out
	}
	switch op.API {
	case APIESignature:
		if code, _ := fields["errorCode"].(string); code == "" {
			violation("error status %d: body has no errorCode string (eSignature's errorDetails shape is {errorCode, message}): %s", status, excerptOf(body))
		}
		if schema == nil {
			schema = s.Definition(APIESignature, "errorDetails")
		}
		if schema != nil {
			out = append(out, s.checkJSON(op, WhereResponseBody, schema, body)...)
		}
	case APIAdmin:
		if code, _ := fields["error"].(string); code == "" {
			violation("error status %d: body has no error string (the Admin API's error shape is {error, error_description}): %s", status, excerptOf(body))
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !adminErrorFields[k] {
				violation("error status %d: field %q is not part of the Admin API's error shape", status, k)
			}
		}
	}
	return out
}

func excerptOf(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// responseSchema picks the schema for status: exact code, "default", then the single declared
// 2xx code (200 preferred). declared reports whether status itself (or "default") is declared.
func (op *Operation) responseSchema(status int) (schema *Schema, code string, declared bool) {
	c := strconv.Itoa(status)
	if sc, ok := op.responses[c]; ok {
		return sc, c, true
	}
	if sc, ok := op.responses["default"]; ok {
		return sc, "default", true
	}
	if status < 200 || status > 299 {
		return nil, "", false
	}
	if sc, ok := op.responses["200"]; ok {
		return sc, "200", false
	}
	var twos []string
	for k := range op.responses {
		if len(k) == 3 && k[0] == '2' {
			twos = append(twos, k)
		}
	}
	sort.Strings(twos)
	if len(twos) > 0 {
		return op.responses[twos[0]], twos[0], false
	}
	return nil, "", false
}

func (s *Spec) checkJSON(op *Operation, where string, schema *Schema, body []byte) []Violation {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []Violation{{op.Method, op.PathTemplate, where, "body is not valid JSON: " + err.Error()}}
	}
	// The Admin API leaves unset fields out of its answers rather than sending null.
	c := checker{s: s, doc: op.doc, noNulls: op.API == APIAdmin && where == WhereResponseBody}
	c.check(v, schema, "", 0)
	out := make([]Violation, 0, len(c.problems))
	seen := map[string]bool{}
	for _, p := range c.problems {
		if !seen[p] {
			seen[p] = true
			out = append(out, Violation{op.Method, op.PathTemplate, where, p})
		}
	}
	return out
}

type checker struct {
	s        *Spec
	doc      *document
	noNulls  bool
	problems []string
}

// objectView is a schema's object shape with allOf merged and $refs resolved.
type objectView struct {
	props      map[string]*Schema
	open       bool    // additionalProperties present and not false
	additional *Schema // additionalProperties schema, if one
	typ        string  // declared type (first non-empty along allOf)
	items      *Schema
	ref        string // definition name, for messages
}

func (s *Spec) definition(d *document, name string) *Schema {
	s.defMus.Lock()
	defer s.defMus.Unlock()
	if sc, ok := d.defs[name]; ok {
		return sc
	}
	raw, ok := d.defsRaw[name]
	var sc *Schema
	if ok {
		sc = new(Schema)
		if json.Unmarshal(raw, sc) != nil {
			sc = nil
		}
	}
	d.defs[name] = sc
	return sc
}

// resolve follows $ref chains to #/definitions.
func (s *Spec) resolve(d *document, sc *Schema) (*Schema, string) {
	name := ""
	for i := 0; sc != nil && sc.Ref != "" && i < 16; i++ {
		if !strings.HasPrefix(sc.Ref, "#/definitions/") {
			return nil, name // external refs are not checked
		}
		name = refName(sc.Ref)
		sc = s.definition(d, name)
	}
	return sc, name
}

func (s *Spec) view(d *document, sc *Schema) *objectView {
	s.mu.Lock()
	v, ok := s.views[sc]
	s.mu.Unlock()
	if ok {
		return v
	}
	v = &objectView{props: map[string]*Schema{}}
	s.merge(d, sc, v, 0)
	s.mu.Lock()
	s.views[sc] = v
	s.mu.Unlock()
	return v
}

func (s *Spec) merge(d *document, sc *Schema, v *objectView, depth int) {
	if depth > 8 {
		return
	}
	sc, name := s.resolve(d, sc)
	if sc == nil {
		v.open = true // unresolvable: don't guess
		return
	}
	if v.ref == "" {
		v.ref = name
	}
	if v.typ == "" {
		v.typ = sc.Type
	}
	if v.items == nil {
		v.items = sc.Items
	}
	for k, p := range sc.Properties {
		if _, ok := v.props[k]; !ok {
			v.props[k] = p
		}
	}
	if ap := bytes.TrimSpace(sc.AdditionalProperties); len(ap) > 0 && !bytes.Equal(ap, []byte("false")) {
		v.open = true
		if ap[0] == '{' {
			var a Schema
			if json.Unmarshal(ap, &a) == nil {
				v.additional = &a
			}
		}
	}
	for _, sub := range sc.AllOf {
		s.merge(d, sub, v, depth+1)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func show(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}

func (c *checker) check(v any, sc *Schema, path string, depth int) {
	if sc == nil || depth > maxDepth {
		return
	}
	view := c.s.view(c.doc, sc)
	if v == nil {
		if c.noNulls {
			c.problems = append(c.problems, fmt.Sprintf("field %q: null, where the Admin API leaves an unset field out", show(path)))
		}
		return // otherwise null is accepted for any type
	}
	typ := view.typ
	if typ == "" && len(view.props) > 0 {
		typ = "object"
	}
	if !c.s.IgnoreTypes && typ != "" {
		if got, ok := typeFits(typ, v); !ok {
			c.problems = append(c.problems, fmt.Sprintf("field %q: declared %s, got %s", show(path), typ, got))
			return
		}
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := join(path, k)
			if ps, ok := view.props[k]; ok {
				c.check(x[k], ps, p, depth+1)
				continue
			}
			if view.open {
				c.check(x[k], view.additional, p, depth+1)
				continue
			}
			if len(view.props) == 0 {
				continue // free-form object: nothing declared to compare with
			}
			d := fmt.Sprintf("undeclared field %q", p)
			if view.ref != "" {
				d += " (not in " + view.ref + ")"
			}
			if hint := closest(k, keysOf(view.props)); hint != "" {
				d += fmt.Sprintf(" (did you mean %q?)", hint)
			}
			c.problems = append(c.problems, d)
		}
	case []any:
		for _, e := range x {
			c.check(e, view.items, path+"[]", depth+1)
		}
	}
}

// typeFits reports whether JSON value v fits Swagger type typ, and v's JSON kind.
func typeFits(typ string, v any) (string, bool) {
	var got string
	switch x := v.(type) {
	case string:
		got = "string"
	case bool:
		got = "boolean"
	case json.Number:
		got = "number"
		if typ == "integer" {
			if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				return "integer", true
			}
		}
	case map[string]any:
		got = "object"
	case []any:
		got = "array"
	default:
		return "unknown", true
	}
	switch typ {
	case "string", "boolean", "object", "array":
		return got, got == typ
	case "number":
		return got, got == "number"
	case "integer":
		return got, false
	}
	return got, true // "file" or unknown types
}

func keysOf(m map[string]*Schema) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// closest suggests a declared name for a misspelled one: same name ignoring case and
// underscores, or within edit distance 2.
func closest(name string, declared []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "") }
	n := norm(name)
	bestName, bestDist := "", 3
	for _, d := range declared {
		if norm(d) == n {
			return d
		}
		if dist := editDistance(strings.ToLower(name), strings.ToLower(d)); dist < bestDist {
			bestName, bestDist = d, dist
		}
	}
	return bestName
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
