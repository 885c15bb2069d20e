package dynamic

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// SplitPath splits a Power Platform path ("data/items") into segments.
func SplitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func getPath(v any, path []string) (any, bool) {
	for _, seg := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}

// SetPath puts x at path inside v, making the objects on the way (a
// non-object on the way is replaced); it returns the new v.
func SetPath(v any, path []string, x any) any {
	if len(path) == 0 {
		return x
	}
	m, ok := v.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[path[0]] = SetPath(m[path[0]], path[1:], x)
	return m
}

// located is a value found below a request body, with its JSON pointer.
type located struct {
	ptr string
	v   any
}

// findAll walks path below v; arrays on the way fan out to their elements
// and "*" stands for every value of an object.
func findAll(v any, ptr string, path []string) []located {
	if a, ok := v.([]any); ok && len(path) > 0 {
		var out []located
		for i, e := range a {
			out = append(out, findAll(e, ptr+"/"+strconv.Itoa(i), path)...)
		}
		return out
	}
	if len(path) == 0 {
		return []located{{ptr, v}}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if path[0] == "*" {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []located
		for _, k := range keys {
			out = append(out, findAll(m[k], ptr+"/"+connector.EscapePointerToken(k), path[1:])...)
		}
		return out
	}
	x, ok := m[path[0]]
	if !ok {
		return nil
	}
	return findAll(x, ptr+"/"+connector.EscapePointerToken(path[0]), path[1:])
}

// schemaAt walks property names from sr, stepping into array items and
// additionalProperties ("*") as the connector model's targets do.
func schemaAt(sr *openapi3.SchemaRef, path []string) *openapi3.SchemaRef {
	for _, seg := range path {
		for i := 0; i < 4 && fake.IsType(sr, "array") && sr.Value.Items != nil; i++ {
			sr = sr.Value.Items
		}
		if sr == nil || sr.Value == nil {
			return nil
		}
		if seg == "*" {
			sr = sr.Value.AdditionalProperties.Schema
			continue
		}
		sr = fake.Property(sr.Value, seg)
	}
	return sr
}

// successResponse returns the lowest 2xx response's status and schema.
func successResponse(op *connector.Operation) (int, *openapi3.SchemaRef) {
	if op == nil || op.Op == nil || op.Op.Responses == nil {
		return 200, nil
	}
	best := 0
	var schema *openapi3.SchemaRef
	for k, r := range op.Op.Responses.Map() {
		n, err := strconv.Atoi(k)
		if err != nil || n < 200 || n > 299 {
			continue
		}
		if best == 0 || n < best {
			best, schema = n, responseSchema(r)
		}
	}
	if best == 0 {
		if d := op.Op.Responses.Default(); d != nil {
			return 200, responseSchema(d)
		}
		return 200, nil
	}
	return best, schema
}

func responseSchema(r *openapi3.ResponseRef) *openapi3.SchemaRef {
	if r == nil || r.Value == nil {
		return nil
	}
	return mediaSchema(r.Value.Content)
}

func mediaSchema(content openapi3.Content) *openapi3.SchemaRef {
	if mt := content["application/json"]; mt != nil && mt.Schema != nil {
		return mt.Schema
	}
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sort.SliceStable(keys, func(i, j int) bool { return strings.Contains(keys[i], "json") && !strings.Contains(keys[j], "json") })
	for _, k := range keys {
		if content[k].Schema != nil {
			return content[k].Schema
		}
	}
	return nil
}

// requestBodySchema returns the JSON body schema of op.
func requestBodySchema(op *connector.Operation) *openapi3.SchemaRef {
	if op == nil || op.Op == nil || op.Op.RequestBody == nil || op.Op.RequestBody.Value == nil {
		return nil
	}
	return mediaSchema(op.Op.RequestBody.Value.Content)
}

func params(op *connector.Operation) openapi3.Parameters {
	var out openapi3.Parameters
	seen := map[string]bool{}
	for _, list := range []openapi3.Parameters{opParams(op), itemParams(op)} {
		for _, p := range list {
			if p != nil && p.Value != nil && !seen[p.Value.In+":"+p.Value.Name] {
				seen[p.Value.In+":"+p.Value.Name] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func opParams(op *connector.Operation) openapi3.Parameters {
	if op == nil || op.Op == nil {
		return nil
	}
	return op.Op.Parameters
}

func itemParams(op *connector.Operation) openapi3.Parameters {
	if op == nil || op.Item == nil {
		return nil
	}
	return op.Item.Parameters
}

// paramSchema is the schema of parameter in:name of op.
func paramSchema(op *connector.Operation, in, name string) *openapi3.SchemaRef {
	for _, p := range params(op) {
		if p.Value.In == in && p.Value.Name == name {
			return p.Value.Schema
		}
	}
	return nil
}

// targetSchema is the static schema at a DynamicRef target of op.
func targetSchema(op *connector.Operation, target string) *openapi3.SchemaRef {
	in, rest, _ := strings.Cut(target, ":")
	switch in {
	case "query", "path", "header", "formData", "cookie":
		return paramSchema(op, in, rest)
	case "response":
		code, sub, _ := strings.Cut(rest, "/")
		if op.Op == nil || op.Op.Responses == nil {
			return nil
		}
		return schemaAt(responseSchema(op.Op.Responses.Value(code)), SplitPath(sub))
	}
	if strings.HasPrefix(target, "body") {
		return schemaAt(requestBodySchema(op), SplitPath(strings.TrimPrefix(target, "body")))
	}
	return nil
}

// Args are the values one request carries.
type Args struct {
	Path   map[string]string
	Query  url.Values
	Header http.Header
	// Body is the decoded JSON body, or nil.
	Body any
	// Op is the operation the request is for: a parameter the request
	// leaves out counts with its declared default, as the API applies it.
	Op *connector.Operation
}

// lookupValue finds a named value in a request: path, query, header, then a
// top-level body property, then below the body along a slash path.
func (a Args) lookupValue(name string) (any, bool) {
	// "body/x" (the x-ms-dynamic-list style) names a body property.
	if rest, ok := strings.CutPrefix(name, "body/"); ok {
		return getPath(a.Body, SplitPath(rest))
	}
	if v, ok := a.Path[name]; ok {
		return v, true
	}
	for k, v := range a.Path {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	if vs, ok := a.Query[name]; ok && len(vs) > 0 {
		return vs[0], true
	}
	if v := a.Header.Get(name); v != "" {
		return v, true
	}
	if v, ok := getPath(a.Body, []string{name}); ok {
		return v, true
	}
	if strings.Contains(name, "/") {
		if v, ok := getPath(a.Body, SplitPath(name)); ok {
			return v, true
		}
	}
	if a.Op != nil {
		if p := paramNamed(a.Op, name); p != nil && p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Default != nil {
			return p.Schema.Value.Default, true
		}
	}
	return nil, false
}
