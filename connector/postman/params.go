package postman

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

type header struct {
	Key         string
	Value       string
	Disabled    bool
	Description string
}

// readHeaders reads a header list: [{key, value, disabled, description}]
// (entries may also be "Key: value" strings), or one string of
// "Key: value" lines as v2.0 allowed.
func readHeaders(v any, ptr string) ([]header, error) {
	if s, ok := v.(string); ok {
		return headerLines(s), nil
	}
	arr, err := asArray(v, ptr)
	if err != nil {
		return nil, shapeErr(ptr, "expected array or string, got %s", kind(v))
	}
	var out []header
	for i, e := range arr {
		ep := ptrIdx(ptr, i)
		switch t := e.(type) {
		case nil:
		case string:
			out = append(out, headerLines(t)...)
		case map[string]any:
			var h header
			if h.Key, err = asScalar(t["key"], ptrKey(ep, "key")); err != nil {
				return nil, err
			}
			if h.Value, err = asScalar(t["value"], ptrKey(ep, "value")); err != nil {
				return nil, err
			}
			if h.Disabled, err = asDisabled(t, ep); err != nil {
				return nil, err
			}
			if h.Description, err = asDescription(t["description"], ptrKey(ep, "description")); err != nil {
				return nil, err
			}
			h.Key = strings.TrimSpace(h.Key)
			if h.Key != "" {
				out = append(out, h)
			}
		default:
			return nil, shapeErr(ep, "expected object, got %s", kind(e))
		}
	}
	return out, nil
}

func headerLines(s string) []header {
	var out []header
	for line := range strings.Lines(s) {
		k, v, ok := strings.Cut(line, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			continue
		}
		disabled := strings.HasPrefix(k, "//")
		if disabled {
			k = strings.TrimSpace(strings.TrimPrefix(k, "//"))
		}
		out = append(out, header{Key: k, Value: strings.TrimSpace(v), Disabled: disabled})
	}
	return out
}

// headerValue returns the value of the first enabled header named key.
func headerValue(hs []header, key string) string {
	for _, h := range hs {
		if !h.Disabled && strings.EqualFold(h.Key, key) {
			return h.Value
		}
	}
	return ""
}

// paramGroup collects the occurrences of one query key or header name.
type paramGroup struct {
	name     string
	values   []string // enabled values, in order
	fallback string   // first value of a disabled occurrence
	enabled  int
	desc     string
}

func groupParams(order *[]string, groups map[string]*paramGroup, key, name, value string, disabled bool, desc string) {
	g, ok := groups[key]
	if !ok {
		g = &paramGroup{name: name}
		groups[key] = g
		*order = append(*order, key)
	}
	if disabled {
		if g.fallback == "" {
			g.fallback = value
		}
	} else {
		g.enabled++
		if value != "" {
			g.values = append(g.values, value)
		}
	}
	if g.desc == "" {
		g.desc = desc
	}
}

func (g *paramGroup) param(p *openapi3.Parameter) *openapi3.ParameterRef {
	p.Required = g.enabled > 0
	p.Description = g.desc
	if g.enabled > 1 && p.In == openapi3.ParameterInQuery {
		// ?id=1&id=2: a repeated (exploded) array parameter.
		p.Schema = openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()).NewRef()
		if len(g.values) > 0 {
			ex := make([]any, len(g.values))
			for i, v := range g.values {
				ex[i] = v
			}
			p.Example = ex
		}
	} else {
		p.Schema = openapi3.NewStringSchema().NewRef()
		switch {
		case len(g.values) > 0:
			p.Example = g.values[0]
		case g.fallback != "":
			p.Example = g.fallback
		}
	}
	return &openapi3.ParameterRef{Value: p}
}

// addQueryParams adds one query parameter per distinct key. Enabled keys are
// required; disabled ones are kept as optional. The API key of an apiKey
// scheme in the query is left to the security scheme.
func (c *converter) addQueryParams(op *openapi3.Operation, query []queryParam, auth authSpec) {
	var order []string
	groups := map[string]*paramGroup{}
	for _, q := range query {
		if auth.kind == authScheme && auth.in == "query" && q.Key == auth.name {
			continue
		}
		groupParams(&order, groups, q.Key, q.Key, q.Value, q.Disabled, q.Description)
	}
	for _, k := range order {
		g := groups[k]
		op.Parameters = append(op.Parameters, g.param(openapi3.NewQueryParameter(g.name)))
	}
}

// ignoredHeaders are described elsewhere in OpenAPI (content types, security
// schemes), which ignores header parameters with these names.
var ignoredHeaders = map[string]bool{"accept": true, "content-type": true, "authorization": true}

func (c *converter) addHeaderParams(op *openapi3.Operation, headers []header, auth authSpec) {
	var order []string
	groups := map[string]*paramGroup{}
	for _, h := range headers {
		lk := strings.ToLower(h.Key)
		if ignoredHeaders[lk] {
			continue
		}
		if auth.kind == authScheme && auth.in == "header" && strings.EqualFold(h.Key, auth.name) {
			continue
		}
		groupParams(&order, groups, lk, h.Key, h.Value, h.Disabled, h.Description)
	}
	for _, k := range order {
		g := groups[k]
		op.Parameters = append(op.Parameters, g.param(openapi3.NewHeaderParameter(g.name)))
	}
}
