// Copyright (c) Opensam
// SPDX-License-Identifier: MPL-2.0

// Package contract checks HTTP traffic against DocuSign's official OpenAPI (Swagger 2.0)
// descriptions: routes, query parameter names, and the field names (and JSON types) of request
// and response bodies.
//
// The specs live in the repository's testdata/openapi (see DefaultDir). Load parses them once; callers in
// tests should share one *Spec per process (sync.Once). Schemas are resolved lazily and cached,
// so checking a body is cheap.
package contract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// API names, the values of Operation.API.
const (
	APIESignature = "esignature"
	APIAdmin      = "admin"
	APIMonitor    = "monitor"
)

// The spec files Load reads from its directory.
var specFiles = []struct {
	api, file string
	required  bool
}{
	{APIESignature, "esignature.rest.swagger-v2.1.json", true},
	{APIAdmin, "admin.rest.swagger-v2.1.json", true},
	{APIMonitor, "monitor.rest.swagger-v2.0.json", false},
}

// OpenAPIDirEnv names the environment variable that points the contract checks at another
// directory of OpenAPI files.
const OpenAPIDirEnv = "DOCUSIGN_OPENAPI_DIR"

// vendoredDir is where the repository keeps DocuSign's OpenAPI files, relative to its root.
var vendoredDir = filepath.Join("testdata", "openapi")

// DefaultDir returns the directory holding the OpenAPI files: $DOCUSIGN_OPENAPI_DIR if set, else
// the repository's testdata/openapi, where the repository root is the first directory holding
// go.mod above the working directory, else the root computed from this source file's location.
// Load names DOCUSIGN_OPENAPI_DIR when the directory it gets lacks the files.
func DefaultDir() string {
	if d := os.Getenv(OpenAPIDirEnv); d != "" {
		return d
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return filepath.Join(dir, vendoredDir)
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		// file is <repo>/internal/contract/spec.go
		return filepath.Join(filepath.Dir(file), "..", "..", vendoredDir)
	}
	return vendoredDir
}

// Spec is the set of loaded OpenAPI descriptions.
type Spec struct {
	// IgnoreTypes turns off JSON type checks (string vs number vs boolean ...) of body fields,
	// leaving only the field-name checks. Set it before the Spec is used concurrently.
	IgnoreTypes bool

	docs   map[string]*document // by API
	ops    []*Operation
	byKey  map[matchKey][]*Operation
	byLen  map[int][]*Operation // all methods, for "path exists with other methods" hints
	mu     sync.Mutex
	views  map[*Schema]*objectView
	defMus sync.Mutex
}

type matchKey struct {
	method string
	nseg   int
}

// document is one parsed spec file.
type document struct {
	api, file, basePath string
	defsRaw             map[string]json.RawMessage
	defs                map[string]*Schema // parsed lazily, guarded by Spec.defMus
	paramsRaw           map[string]json.RawMessage
	responsesRaw        map[string]json.RawMessage
}

// Operation is one method on one path of a spec.
type Operation struct {
	API          string // APIESignature, APIAdmin or APIMonitor
	Method       string // upper case
	PathTemplate string // full path including basePath, e.g. /restapi/v2.1/accounts/{accountId}/users
	SpecPath     string // the key under "paths", without basePath
	OperationID  string
	Summary      string
	Deprecated   bool
	QueryParams  []string // sorted names of the declared query parameters (path-level + op-level)
	PathParams   []string
	BodyParam    string   // name of the "in: body" parameter, "" if none
	BodyRef      string   // definition name the body schema refers to, "" if none or inline
	Scopes       []string // OAuth scopes the operation's security requires, sorted
	FormParams   []string // names of the "in: formData" parameters (multipart uploads)
	Consumes     []string // request media types the operation declares

	doc       *document
	segs      []segment
	baseSegs  int // how many leading segments come from basePath
	foldBase  bool
	query     map[string]bool
	body      *Schema
	responses map[string]*Schema // status code or "default" -> schema (nil if none declared)
}

// Key returns "METHOD /path/template".
func (op *Operation) Key() string { return op.Method + " " + op.PathTemplate }

// ResponseRef returns the definition name of the response schema declared for status (or the
// element definition for an array response), "" if none.
func (op *Operation) ResponseRef(status int) string {
	s, _, _ := op.responseSchema(status)
	if s == nil {
		return ""
	}
	if s.Ref == "" && s.Items != nil {
		s = s.Items
	}
	return refName(s.Ref)
}

// DeclaredStatuses returns the response status codes the operation declares, sorted.
func (op *Operation) DeclaredStatuses() []string {
	var out []string
	for k := range op.responses {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type segKind int

const (
	segParam   segKind = iota // {name}
	segMixed                  // prefix{name}suffix, e.g. v{version}
	segLiteral                // literal text
)

type segment struct {
	kind   segKind
	lit    string // literal, or prefix for segMixed
	suffix string // for segMixed
	name   string // parameter name
}

func parseSegments(p string) []segment {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	out := make([]segment, len(parts))
	for i, s := range parts {
		lbrace := strings.IndexByte(s, '{')
		rbrace := strings.LastIndexByte(s, '}')
		switch {
		case lbrace < 0 || rbrace < lbrace:
			out[i] = segment{kind: segLiteral, lit: s}
		case lbrace == 0 && rbrace == len(s)-1 && strings.Count(s, "{") == 1:
			out[i] = segment{kind: segParam, name: s[1 : len(s)-1]}
		default:
			out[i] = segment{kind: segMixed, lit: s[:lbrace], suffix: s[rbrace+1:], name: s[lbrace+1 : rbrace]}
		}
	}
	return out
}

// Schema is a Swagger 2.0 schema object, reduced to what the checks need.
type Schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Format               string             `json:"format"`
	Properties           map[string]*Schema `json:"properties"`
	Items                *Schema            `json:"items"`
	AllOf                []*Schema          `json:"allOf"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
}

type rawParam struct {
	Ref    string  `json:"$ref"`
	Name   string  `json:"name"`
	In     string  `json:"in"`
	Schema *Schema `json:"schema"`
}

type rawResponse struct {
	Ref    string  `json:"$ref"`
	Schema *Schema `json:"schema"`
}

type rawOp struct {
	OperationID string                 `json:"operationId"`
	Summary     string                 `json:"summary"`
	Deprecated  bool                   `json:"deprecated"`
	Parameters  []rawParam             `json:"parameters"`
	Responses   map[string]rawResponse `json:"responses"`
	Security    []map[string][]string  `json:"security"`
	Consumes    []string               `json:"consumes"`
}

type rawDoc struct {
	BasePath    string                                `json:"basePath"`
	Paths       map[string]map[string]json.RawMessage `json:"paths"`
	Definitions map[string]json.RawMessage            `json:"definitions"`
	Parameters  map[string]json.RawMessage            `json:"parameters"`
	Responses   map[string]json.RawMessage            `json:"responses"`
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true}

// Load reads the spec files from dir. The eSignature and Admin files are required; the Monitor
// file is optional.
func Load(dir string) (*Spec, error) {
	type result struct {
		doc *document
		ops []*Operation
		err error
	}
	results := make([]result, len(specFiles))
	var wg sync.WaitGroup
	for i, f := range specFiles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(dir, f.file)
			data, err := os.ReadFile(path)
			if err != nil {
				if !f.required && os.IsNotExist(err) {
					return
				}
				results[i].err = fmt.Errorf("contract: load %s spec: %w", f.api, err)
				if os.IsNotExist(err) {
					results[i].err = fmt.Errorf("contract: DocuSign's %s OpenAPI file %s is missing: %w. The repository keeps it in %s; "+
						"set %s to a directory holding %s to use another copy", f.api, f.file, err, vendoredDir, OpenAPIDirEnv, f.file)
				}
				return
			}
			doc, ops, err := parseDoc(f.api, f.file, data)
			if err != nil {
				results[i].err = fmt.Errorf("contract: parse %s: %w", path, err)
				return
			}
			results[i] = result{doc: doc, ops: ops}
		}()
	}
	wg.Wait()
	s := &Spec{
		docs:  map[string]*document{},
		byKey: map[matchKey][]*Operation{},
		byLen: map[int][]*Operation{},
		views: map[*Schema]*objectView{},
	}
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		if r.doc == nil {
			continue
		}
		s.docs[r.doc.api] = r.doc
		s.ops = append(s.ops, r.ops...)
	}
	sort.Slice(s.ops, func(i, j int) bool {
		if s.ops[i].PathTemplate != s.ops[j].PathTemplate {
			return s.ops[i].PathTemplate < s.ops[j].PathTemplate
		}
		return s.ops[i].Method < s.ops[j].Method
	})
	for _, op := range s.ops {
		k := matchKey{op.Method, len(op.segs)}
		s.byKey[k] = append(s.byKey[k], op)
		s.byLen[len(op.segs)] = append(s.byLen[len(op.segs)], op)
	}
	return s, nil
}

func parseDoc(api, file string, data []byte) (*document, []*Operation, error) {
	var raw rawDoc
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, err
	}
	doc := &document{
		api: api, file: file, basePath: strings.TrimSuffix(raw.BasePath, "/"),
		defsRaw: raw.Definitions, defs: map[string]*Schema{},
		paramsRaw: raw.Parameters, responsesRaw: raw.Responses,
	}
	baseSegs := 0
	if doc.basePath != "" {
		baseSegs = len(parseSegments(doc.basePath))
	}
	var ops []*Operation
	for p, item := range raw.Paths {
		var common []rawParam
		if pr, ok := item["parameters"]; ok {
			if err := json.Unmarshal(pr, &common); err != nil {
				return nil, nil, fmt.Errorf("path %s parameters: %w", p, err)
			}
		}
		for m, body := range item {
			if !httpMethods[strings.ToLower(m)] {
				continue // "parameters", x-* extensions
			}
			var ro rawOp
			if err := json.Unmarshal(body, &ro); err != nil {
				return nil, nil, fmt.Errorf("%s %s: %w", m, p, err)
			}
			full := doc.basePath + p
			op := &Operation{
				API: api, Method: strings.ToUpper(m), PathTemplate: full, SpecPath: p,
				OperationID: ro.OperationID, Summary: ro.Summary, Deprecated: ro.Deprecated,
				doc: doc, segs: parseSegments(full), baseSegs: baseSegs,
				foldBase: api == APIAdmin,
				query:    map[string]bool{}, responses: map[string]*Schema{}, Consumes: ro.Consumes,
			}
			params := map[string]rawParam{} // in+name -> param; op-level overrides path-level
			var order []string
			for _, list := range [][]rawParam{common, ro.Parameters} {
				for _, prm := range list {
					prm = doc.resolveParam(prm)
					k := prm.In + "\x00" + prm.Name
					if _, seen := params[k]; !seen {
						order = append(order, k)
					}
					params[k] = prm
				}
			}
			for _, k := range order {
				prm := params[k]
				switch prm.In {
				case "query":
					op.query[prm.Name] = true
					op.QueryParams = append(op.QueryParams, prm.Name)
				case "path":
					op.PathParams = append(op.PathParams, prm.Name)
				case "formData":
					op.FormParams = append(op.FormParams, prm.Name)
				case "body":
					op.BodyParam = prm.Name
					op.body = prm.Schema
					if prm.Schema != nil {
						op.BodyRef = refName(prm.Schema.Ref)
					}
				}
			}
			sort.Strings(op.QueryParams)
			for _, req := range ro.Security {
				for _, scopes := range req {
					op.Scopes = append(op.Scopes, scopes...)
				}
			}
			sort.Strings(op.Scopes)
			for code, r := range ro.Responses {
				r = doc.resolveResponse(r)
				op.responses[code] = r.Schema
			}
			ops = append(ops, op)
		}
	}
	return doc, ops, nil
}

func (d *document) resolveParam(p rawParam) rawParam {
	for i := 0; i < 8 && p.Ref != ""; i++ {
		raw, ok := d.paramsRaw[refName(p.Ref)]
		if !ok || !strings.HasPrefix(p.Ref, "#/parameters/") {
			return p
		}
		var np rawParam
		if json.Unmarshal(raw, &np) != nil {
			return p
		}
		p = np
	}
	return p
}

func (d *document) resolveResponse(r rawResponse) rawResponse {
	for i := 0; i < 8 && r.Ref != ""; i++ {
		raw, ok := d.responsesRaw[refName(r.Ref)]
		if !ok || !strings.HasPrefix(r.Ref, "#/responses/") {
			return r
		}
		var nr rawResponse
		if json.Unmarshal(raw, &nr) != nil {
			return r
		}
		r = nr
	}
	return r
}

func refName(ref string) string {
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

// Operations lists the operations of one API (APIESignature, APIAdmin, APIMonitor), or of all
// APIs when api is "", sorted by path template then method.
func (s *Spec) Operations(api string) []*Operation {
	var out []*Operation
	for _, op := range s.ops {
		if api == "" || op.API == api {
			out = append(out, op)
		}
	}
	return out
}

// Definition returns the named definition of an API's spec, nil if absent.
func (s *Spec) Definition(api, name string) *Schema {
	d := s.docs[api]
	if d == nil {
		return nil
	}
	return s.definition(d, name)
}

// Match finds the operation for method and urlPath (a decoded URL path, no query). Literal
// segments match case-sensitively, except the Admin basePath (/Management or /management).
// When several templates match, the one with a literal segment where another has a parameter
// wins (segments compared left to right).
func (s *Spec) Match(method, urlPath string) (*Operation, bool) {
	segs := strings.Split(strings.TrimPrefix(urlPath, "/"), "/")
	op := best(s.byKey[matchKey{strings.ToUpper(method), len(segs)}], segs)
	return op, op != nil
}

// PathMethods returns the methods the specs declare for the path template matching urlPath,
// whatever the method; nil if no template matches.
func (s *Spec) PathMethods(urlPath string) (template string, methods []string) {
	segs := strings.Split(strings.TrimPrefix(urlPath, "/"), "/")
	var bestOp *Operation
	var bestScore []segKind
	for _, op := range s.byLen[len(segs)] {
		sc, ok := op.match(segs)
		if !ok {
			continue
		}
		if bestOp == nil || better(sc, bestScore) {
			bestOp, bestScore = op, sc
		}
	}
	if bestOp == nil {
		return "", nil
	}
	for _, op := range s.byLen[len(segs)] {
		if op.PathTemplate == bestOp.PathTemplate {
			methods = append(methods, op.Method)
		}
	}
	sort.Strings(methods)
	return bestOp.PathTemplate, methods
}

func best(cands []*Operation, segs []string) *Operation {
	var bestOp *Operation
	var bestScore []segKind
	for _, op := range cands {
		sc, ok := op.match(segs)
		if !ok {
			continue
		}
		if bestOp == nil || better(sc, bestScore) {
			bestOp, bestScore = op, sc
		}
	}
	return bestOp
}

func better(a, b []segKind) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

func (op *Operation) match(segs []string) ([]segKind, bool) {
	if len(segs) != len(op.segs) {
		return nil, false
	}
	score := make([]segKind, len(segs))
	for i, t := range op.segs {
		v := segs[i]
		switch t.kind {
		case segLiteral:
			baseMatchIgnoringCase := op.foldBase && i < op.baseSegs && strings.EqualFold(v, t.lit)
			if v != t.lit && !baseMatchIgnoringCase {
				return nil, false
			}
		case segParam:
			if v == "" {
				return nil, false
			}
		case segMixed:
			if len(v) <= len(t.lit)+len(t.suffix) || !strings.HasPrefix(v, t.lit) || !strings.HasSuffix(v, t.suffix) {
				return nil, false
			}
		}
		score[i] = t.kind
	}
	return score, true
}
