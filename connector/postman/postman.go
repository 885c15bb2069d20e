package postman

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// Warning is a non-fatal issue found while converting. ID is stable and
// meant for programs ("postman-duplicate-operation", …); Pointer is an
// RFC 6901 JSON pointer into the collection ("/item/0/item/2/request/url").
type Warning struct {
	ID      string
	Pointer string
	Message string
}

func (w Warning) String() string { return w.ID + " at " + w.Pointer + ": " + w.Message }

// Detect reports whether data, as strict JSON, looks like a Postman
// collection v2.0 or v2.1: its info.schema names a v2.0.0 or v2.1.0 Postman
// collection schema, or it has an info._postman_id and an item array.
func Detect(data []byte) bool {
	v, err := decodeStrict(data)
	if err != nil {
		return false
	}
	root, ok := v.(map[string]any)
	if !ok {
		return false
	}
	info, ok := root["info"].(map[string]any)
	if !ok {
		return false
	}
	if s, ok := info["schema"].(string); ok && isV2Schema(s) {
		return true
	}
	_, hasID := info["_postman_id"].(string)
	_, hasItems := root["item"].([]any)
	return hasID && hasItems
}

func isV2Schema(s string) bool {
	l := strings.ToLower(s)
	if !strings.Contains(l, "getpostman.com") && !strings.Contains(l, "postman.com") {
		return false
	}
	return strings.Contains(l, "v2.0.0") || strings.Contains(l, "v2.1.0")
}

// OpenAPIVersion is the OpenAPI version of the documents Convert returns.
const OpenAPIVersion = "3.0.3"

// Convert turns a Postman collection v2.0 or v2.1 into an OpenAPI 3.0
// document. Problems that lose information but leave a usable document are
// returned as warnings; input that is not JSON, not a collection, or has a
// value of the wrong kind where the format expects another gives an error
// (a *ShapeError naming the JSON pointer for the latter).
func Convert(data []byte) (*openapi3.T, []Warning, error) {
	v, err := decodeStrict(data)
	if err != nil {
		return nil, nil, fmt.Errorf("postman: invalid JSON: %w", err)
	}
	root, err := asObject(v, "")
	if err != nil {
		return nil, nil, err
	}
	if root == nil {
		return nil, nil, shapeErr("", "expected object, got null")
	}
	c := newConverter()
	doc, err := c.convert(root)
	if err != nil {
		return nil, nil, err
	}
	return doc, c.warnings, nil
}

type converter struct {
	warnings []Warning
	vars     map[string]urlVariable // collection variables

	schemes    map[string]*openapi3.SecurityScheme
	schemeSigs map[string]string
	docAuth    authSpec

	paths      *openapi3.Paths
	ops        map[string]*opInfo // "METHOD path" → operation
	canonPaths map[string]canonPath
	opIDs      map[string]bool
	opIDNext   map[string]int // base → next suffix to try

	tags   openapi3.Tags
	tagSet map[string]*openapi3.Tag

	servers     map[string]*openapi3.Server
	serverOrder []string
	opServer    map[*openapi3.Operation]string
}

type canonPath struct {
	path  string
	names []string
}

// opInfo is what the converter remembers about an operation for merging.
type opInfo struct {
	op        *openapi3.Operation
	name      string // the first request's name
	synthetic bool   // responses were made up (no saved examples)
}

func newConverter() *converter {
	return &converter{
		vars:       map[string]urlVariable{},
		schemes:    map[string]*openapi3.SecurityScheme{},
		schemeSigs: map[string]string{},
		paths:      openapi3.NewPaths(),
		ops:        map[string]*opInfo{},
		canonPaths: map[string]canonPath{},
		opIDs:      map[string]bool{},
		opIDNext:   map[string]int{},
		tagSet:     map[string]*openapi3.Tag{},
		servers:    map[string]*openapi3.Server{},
		opServer:   map[*openapi3.Operation]string{},
	}
}

func (c *converter) warn(id, ptr, format string, args ...any) {
	c.warnings = append(c.warnings, Warning{ID: id, Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

func (c *converter) convert(root map[string]any) (*openapi3.T, error) {
	info, err := asObject(root["info"], "/info")
	if err != nil {
		return nil, err
	}
	if info == nil {
		return nil, shapeErr("/info", "missing: not a Postman collection")
	}
	schema, err := asString(info["schema"], "/info/schema")
	if err != nil {
		return nil, err
	}
	if schema != "" && !isV2Schema(schema) {
		return nil, shapeErr("/info/schema", "unsupported collection schema %q: only Postman collection v2.0.0 and v2.1.0 are supported", schema)
	}
	if root["item"] == nil {
		return nil, shapeErr("/item", "missing: not a Postman collection")
	}
	items, err := asArray(root["item"], "/item")
	if err != nil {
		return nil, err
	}

	title, err := asScalar(info["name"], "/info/name")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(title) == "" {
		title = "Postman collection"
	}
	desc, err := asDescription(info["description"], "/info/description")
	if err != nil {
		return nil, err
	}
	version, err := readVersion(info["version"], "/info/version")
	if err != nil {
		return nil, err
	}

	vars, err := variableList(root["variable"], "/variable")
	if err != nil {
		return nil, err
	}
	for _, v := range vars {
		if _, dup := c.vars[v.Key]; !dup {
			c.vars[v.Key] = v
		}
	}

	c.docAuth, err = c.readAuth(root["auth"], "/auth")
	if err != nil {
		return nil, err
	}
	if c.docAuth.kind == authInherit {
		c.docAuth.kind = authNone
	}

	if err := c.walkItems(items, "/item", nil, c.docAuth); err != nil {
		return nil, err
	}

	doc := &openapi3.T{
		OpenAPI: OpenAPIVersion,
		Info:    &openapi3.Info{Title: title, Description: desc, Version: version},
		Paths:   c.paths,
		Tags:    c.tags,
	}
	if c.docAuth.kind == authScheme {
		doc.Security = openapi3.SecurityRequirements{c.docAuth.requirement()}
	}
	if len(c.schemes) > 0 {
		doc.Components = &openapi3.Components{SecuritySchemes: openapi3.SecuritySchemes{}}
		for name, ss := range c.schemes {
			doc.Components.SecuritySchemes[name] = &openapi3.SecuritySchemeRef{Value: ss}
		}
	}
	for _, u := range c.serverOrder {
		doc.Servers = append(doc.Servers, c.servers[u])
	}
	if len(c.serverOrder) > 1 {
		// Requests go to different hosts: pin each operation to its own.
		for op, u := range c.opServer {
			op.Servers = &openapi3.Servers{c.servers[u]}
		}
	}
	return doc, nil
}

func readVersion(v any, ptr string) (string, error) {
	if obj, ok := v.(map[string]any); ok {
		var parts []string
		for _, k := range []string{"major", "minor", "patch"} {
			s, err := asScalar(obj[k], ptrKey(ptr, k))
			if err != nil {
				return "", err
			}
			if s == "" {
				s = "0"
			}
			parts = append(parts, s)
		}
		out := strings.Join(parts, ".")
		if id, err := asScalar(obj["identifier"], ptrKey(ptr, "identifier")); err != nil {
			return "", err
		} else if id != "" {
			out += "-" + id
		}
		return out, nil
	}
	s, err := asScalar(v, ptr)
	if err != nil {
		return "", shapeErr(ptr, "expected string or object, got %s", kind(v))
	}
	if strings.TrimSpace(s) == "" {
		s = "1.0.0"
	}
	return s, nil
}

// maxResolved bounds the text that variable substitution may produce:
// values that use other variables several times can otherwise grow
// exponentially.
const maxResolved = 8 << 10

// resolve substitutes collection variables in s ({{name}}), repeatedly for
// variables whose values use other variables. Unknown variables stay, and
// so does everything once the result would exceed maxResolved bytes.
func (c *converter) resolve(s string) string {
	for range 5 {
		if !strings.Contains(s, "{{") {
			return s
		}
		var b strings.Builder
		changed := false
		for {
			i := strings.Index(s, "{{")
			if i < 0 {
				b.WriteString(s)
				break
			}
			j := strings.Index(s[i+2:], "}}")
			if j < 0 {
				b.WriteString(s)
				break
			}
			name := s[i+2 : i+2+j]
			b.WriteString(s[:i])
			if v, ok := c.vars[name]; ok && b.Len()+len(v.Value)+len(s) <= maxResolved {
				b.WriteString(v.Value)
				changed = true
			} else {
				b.WriteString(s[i : i+j+4])
			}
			s = s[i+j+4:]
		}
		s = b.String()
		if !changed {
			break
		}
	}
	return s
}

func (c *converter) addTag(name, desc string) {
	if t, ok := c.tagSet[name]; ok {
		if t.Description == "" {
			t.Description = desc
		}
		return
	}
	t := &openapi3.Tag{Name: name, Description: desc}
	c.tagSet[name] = t
	c.tags = append(c.tags, t)
}

func (c *converter) walkItems(items []any, ptr string, folders []string, auth authSpec) error {
	for i, it := range items {
		ip := ptrIdx(ptr, i)
		obj, err := asObject(it, ip)
		if err != nil {
			return err
		}
		if obj == nil {
			return shapeErr(ip, "expected object, got null")
		}
		name, err := asScalar(obj["name"], ptrKey(ip, "name"))
		if err != nil {
			return err
		}
		if obj["item"] != nil {
			sub, err := asArray(obj["item"], ptrKey(ip, "item"))
			if err != nil {
				return err
			}
			desc, err := asDescription(obj["description"], ptrKey(ip, "description"))
			if err != nil {
				return err
			}
			fauth, err := c.readAuth(obj["auth"], ptrKey(ip, "auth"))
			if err != nil {
				return err
			}
			if fauth.kind == authInherit {
				fauth = auth
			}
			if strings.TrimSpace(name) == "" {
				name = "Untitled folder"
			}
			path := append(slices.Clip(folders), name)
			c.addTag(strings.Join(path, " / "), desc)
			if err := c.walkItems(sub, ptrKey(ip, "item"), path, fauth); err != nil {
				return err
			}
			continue
		}
		if obj["request"] == nil {
			c.warn("postman-item-empty", ip, "item %q has neither a request nor sub-items; skipped", name)
			continue
		}
		if err := c.convertItem(obj, ip, name, folders, auth); err != nil {
			return err
		}
	}
	return nil
}

// supportedMethods are the methods an OpenAPI 3.0 path item can hold.
var supportedMethods = []string{
	http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete,
	http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace,
}

func (c *converter) convertItem(item map[string]any, ip, name string, folders []string, parentAuth authSpec) error {
	rp := ptrKey(ip, "request")
	var req map[string]any
	switch t := item["request"].(type) {
	case string:
		req = map[string]any{"url": t}
	case map[string]any:
		req = t
	default:
		return shapeErr(rp, "expected object or string, got %s", kind(item["request"]))
	}

	method, err := asString(req["method"], ptrKey(rp, "method"))
	if err != nil {
		return err
	}
	method = strings.ToUpper(strings.TrimSpace(method))
	if method == "" {
		method = http.MethodGet
	}
	if !slices.Contains(supportedMethods, method) {
		c.warn("postman-method-unsupported", ptrKey(rp, "method"), "method %s cannot be described in OpenAPI 3.0; request %q skipped", method, name)
		return nil
	}

	up := ptrKey(rp, "url")
	parts, err := parseURLValue(req["url"], up)
	var pathTmpl string
	var pparams []pathParam
	if err == nil {
		pathTmpl, pparams, err = templatePath(parts.Path)
	}
	if err != nil {
		var u *errUnparsable
		if errors.As(err, &u) {
			c.warn("postman-unparsable-url", up, "request %q skipped: %s", name, u.msg)
			return nil
		}
		return err
	}
	pathTmpl, pparams = c.canonicalPath(pathTmpl, pparams, up)

	desc, err := asDescription(req["description"], ptrKey(rp, "description"))
	if err != nil {
		return err
	}
	headers, err := readHeaders(req["header"], ptrKey(rp, "header"))
	if err != nil {
		return err
	}

	auth, err := c.readAuth(req["auth"], ptrKey(rp, "auth"))
	if err != nil {
		return err
	}
	if auth.kind == authInherit {
		auth = parentAuth
	}
	if auth.kind == authNone {
		for _, h := range headers {
			if !h.Disabled && strings.EqualFold(h.Key, "Authorization") {
				if a, ok := c.authFromHeader(h.Value); ok {
					auth = a
				}
				break
			}
		}
	}

	op := &openapi3.Operation{Summary: name, Description: desc, Responses: openapi3.NewResponses()}
	if len(folders) > 0 {
		op.Tags = []string{strings.Join(folders, " / ")}
	}

	// Path parameters.
	urlVars := map[string]urlVariable{}
	for _, v := range parts.Vars {
		if _, dup := urlVars[v.Key]; !dup {
			urlVars[v.Key] = v
		}
	}
	for _, pp := range pparams {
		p := openapi3.NewPathParameter(pp.Name).WithSchema(openapi3.NewStringSchema())
		v, ok := urlVars[pp.Raw]
		if !ok && !pp.Colon {
			v, ok = c.vars[pp.Raw]
		}
		if ok {
			p.Description = v.Description
			if v.Value != "" {
				p.Example = v.Value
			}
		}
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: p})
	}

	c.addQueryParams(op, parts.Query, auth)
	c.addHeaderParams(op, headers, auth)

	body, err := c.requestBody(req["body"], ptrKey(rp, "body"), headers)
	if err != nil {
		return err
	}
	if body != nil {
		op.RequestBody = &openapi3.RequestBodyRef{Value: body}
	}

	synthetic, err := c.responses(op, item["response"], ptrKey(ip, "response"))
	if err != nil {
		return err
	}

	switch {
	case auth.kind == authScheme && !auth.same(c.docAuth):
		op.Security = &openapi3.SecurityRequirements{auth.requirement()}
	case auth.kind != authScheme && c.docAuth.kind == authScheme:
		op.Security = &openapi3.SecurityRequirements{}
	}

	key := method + " " + pathTmpl
	if have, ok := c.ops[key]; ok {
		c.warn("postman-duplicate-operation", ip, "request %q is also %s %s (first defined by %q); merged into one operation", name, method, pathTmpl, have.name)
		c.mergeOperation(have, op, name, synthetic)
		return nil
	}

	op.OperationID = c.operationID(name, method, pathTmpl, ip)
	pi := c.paths.Value(pathTmpl)
	if pi == nil {
		pi = &openapi3.PathItem{}
		c.paths.Set(pathTmpl, pi)
	}
	pi.SetOperation(method, op)
	c.ops[key] = &opInfo{op: op, name: name, synthetic: synthetic}

	if u := c.server(parts, up); u != "" {
		c.opServer[op] = u
	}
	return nil
}

// canonicalPath makes templates that differ only in parameter names
// ("/users/{id}" and "/users/{userId}") one path, as OpenAPI requires; later
// ones take the first one's names.
func (c *converter) canonicalPath(path string, params []pathParam, ptr string) (string, []pathParam) {
	norm := normalizePath(path)
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	have, ok := c.canonPaths[norm]
	if !ok {
		c.canonPaths[norm] = canonPath{path: path, names: names}
		return path, params
	}
	if have.path == path || len(have.names) != len(params) {
		return path, params
	}
	c.warn("postman-path-param-renamed", ptr, "path %s is the same as %s except for parameter names; using %s", path, have.path, have.path)
	out := slices.Clone(params)
	for i := range out {
		out[i].Name = have.names[i]
	}
	return have.path, out
}

// server registers the server a request's URL points at and returns its
// URL template, or "" for a URL without a host.
func (c *converter) server(p urlParts, ptr string) string {
	if p.Host == "" {
		return ""
	}
	protocol := p.Protocol
	if protocol == "" {
		// Postman sends scheme-less URLs over http, except when the host
		// is a single variable that holds a whole base URL.
		whole := false
		if strings.HasPrefix(p.Host, "{{") && strings.HasSuffix(p.Host, "}}") && strings.Count(p.Host, "{{") == 1 {
			val := c.resolve(p.Host)
			whole = strings.Contains(val, "://") || val == p.Host
		}
		if !whole {
			protocol = "http"
		}
	}
	u, vars, err := serverTemplate(protocol, p.Host)
	if err != nil {
		c.warn("postman-unparsable-url", ptr, "cannot make a server URL from %q: %v", p.Host, err)
		return ""
	}
	if _, ok := c.servers[u]; ok {
		return u
	}
	s := &openapi3.Server{URL: u}
	for _, v := range vars {
		name := safeName(v.Var)
		sv := &openapi3.ServerVariable{}
		if cv, ok := c.vars[v.Var]; ok {
			sv.Default = c.resolve(cv.Value)
			sv.Description = cv.Description
		}
		if sv.Default == "" {
			sv.Default = "localhost"
			if u == "{"+name+"}" {
				sv.Default = "http://localhost"
			}
			c.warn("postman-undefined-variable", ptr, "variable %q has no value in the collection; server default set to %q", v.Var, sv.Default)
		}
		if s.Variables == nil {
			s.Variables = map[string]*openapi3.ServerVariable{}
		}
		s.Variables[name] = sv
	}
	c.servers[u] = s
	c.serverOrder = append(c.serverOrder, u)
	return u
}

// operationID makes a unique identifier from a request name.
func (c *converter) operationID(name, method, path, ip string) string {
	base := identifier(name)
	if base == "" {
		base = identifier(strings.ToLower(method) + " " + path)
	}
	id := base
	if c.opIDs[id] {
		n := max(c.opIDNext[base], 2)
		for ; c.opIDs[id]; n++ {
			id = base + "_" + strconv.Itoa(n)
		}
		c.opIDNext[base] = n
	}
	if id != base {
		c.warn("postman-duplicate-operation-id", ptrKey(ip, "name"), "operationId %q is already used; using %q", base, id)
	}
	c.opIDs[id] = true
	return id
}

// identifier turns free text into a lowerCamelCase identifier of ASCII
// letters and digits ("Get user by ID" → "getUserByID"); "" when the text
// has no letters or digits.
func identifier(s string) string {
	s = foldAccents(s)
	var words []string
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		words = append(words, w)
	}
	var b strings.Builder
	for i, w := range words {
		if i == 0 {
			if strings.ToUpper(w) == w {
				w = strings.ToLower(w)
			} else {
				w = strings.ToLower(w[:1]) + w[1:]
			}
		} else {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	out := b.String()
	if out != "" && out[0] >= '0' && out[0] <= '9' {
		out = "op" + out
	}
	return out
}

var accentFolds = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'Æ': "AE", 'æ': "ae", 'Œ': "OE", 'œ': "oe", 'Ø': "O", 'ø': "o", 'Ł': "L", 'ł': "l"}
	for base, variants := range map[string]string{
		"A": "ÀÁÂÃÄÅĀĂĄ", "a": "àáâãäåāăą", "C": "ÇĆĈĊČ", "c": "çćĉċč", "D": "ĎĐ", "d": "ďđ",
		"E": "ÈÉÊËĒĔĖĘĚ", "e": "èéêëēĕėęě", "G": "ĜĞĠĢ", "g": "ĝğġģ", "I": "ÌÍÎÏĨĪĬĮİ", "i": "ìíîïĩīĭįı",
		"N": "ÑŃŅŇ", "n": "ñńņň", "O": "ÒÓÔÕÖŌŎŐ", "o": "òóôõöōŏő", "R": "ŔŖŘ", "r": "ŕŗř",
		"S": "ŚŜŞŠ", "s": "śŝşš", "T": "ŢŤ", "t": "ţť", "U": "ÙÚÛÜŨŪŬŮŰŲ", "u": "ùúûüũūŭůűų",
		"Y": "ÝŸ", "y": "ýÿ", "Z": "ŹŻŽ", "z": "źżž",
	} {
		for _, r := range variants {
			m[r] = base
		}
	}
	return m
}()

// foldAccents replaces common Latin letters with diacritics by their ASCII
// base letters, so that "Créer" becomes "Creer" rather than "Cr" + "er".
func foldAccents(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := accentFolds[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSpace(buf.String())
}
