package dynamic

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// refInfo is what the resolver derived about one reference.
type refInfo struct {
	// elems is how many array levels lie between the reference's target
	// and the schema node that carries the extension: 1 when the dynamic
	// schema describes the items of an array (a list response whose item
	// definition carries x-ms-dynamic-schema).
	elems int
	// carrier is the schema node carrying the extension (nil when not found).
	carrier *openapi3.SchemaRef
}

var schemaKeys = []string{"x-ms-dynamic-schema", "x-ms-dynamic-properties"}

// carrierOf finds the node of op's target schema that carries a dynamic
// schema extension, and how many array levels down it sits.
func carrierOf(op *connector.Operation, d *connector.DynamicRef) refInfo {
	s := targetSchema(op, d.Target)
	for depth := 0; depth < 5 && s != nil && s.Value != nil; depth++ {
		if carries(s.Value, 0) {
			return refInfo{elems: depth, carrier: s}
		}
		if !fake.IsType(s, "array") || s.Value.Items == nil {
			break
		}
		s = s.Value.Items
	}
	// Not found through the model: trust the pointer.
	if strings.HasSuffix(d.Pointer, "/items") {
		return refInfo{elems: 1}
	}
	return refInfo{}
}

func carries(s *openapi3.Schema, depth int) bool {
	if s == nil || depth > 4 {
		return false
	}
	for _, k := range schemaKeys {
		if _, ok := s.Extensions[k]; ok {
			return true
		}
	}
	for _, b := range s.AllOf {
		if b != nil && carries(b.Value, depth+1) {
			return true
		}
	}
	return false
}

// valueRegex accepts every pattern Go can compile and ignores the ones it
// cannot (look-arounds), as the mock's request validation does.
func valueRegex(expr string) (openapi3.RegexMatcher, error) {
	if m, err := compileRE(expr); err == nil {
		return m, nil
	}
	return anyMatch{}, nil
}

type anyMatch struct{}

func (anyMatch) MatchString(string) bool { return true }

// fits reports whether v satisfies s. Request-side schemas judge what a
// client sends, response-side ones what the lookup answers.
func fits(s *openapi3.SchemaRef, v any, request bool) bool {
	if s == nil || s.Value == nil {
		return true
	}
	opts := []openapi3.SchemaValidationOption{openapi3.SetSchemaRegexCompiler(valueRegex)}
	if request {
		opts = append(opts, openapi3.VisitAsRequest())
	} else {
		opts = append(opts, openapi3.VisitAsResponse())
	}
	defer func() { _ = recover() }()
	return s.Value.VisitJSON(v, opts...) == nil
}

// asType converts a scalar to the JSON type schema s declares, the way the
// designer and the gateway move a value between a lookup answer, a query
// string and a body field: numbers and booleans to and from their text.
func asType(v any, s *openapi3.SchemaRef) any {
	for i := 0; i < 4 && fake.IsType(s, "array") && s.Value.Items != nil; i++ {
		s = s.Value.Items
	}
	if s == nil || s.Value == nil || s.Value.Type == nil || len(*s.Value.Type) == 0 {
		return v
	}
	str := canon(v)
	switch {
	case s.Value.Type.Is("string"):
		return str
	case s.Value.Type.Is("integer"):
		if n, err := strconv.ParseInt(str, 10, 64); err == nil {
			return float64(n)
		}
	case s.Value.Type.Is("number"):
		if f, err := strconv.ParseFloat(str, 64); err == nil {
			return f
		}
	case s.Value.Type.Is("boolean"):
		if b, err := strconv.ParseBool(str); err == nil {
			return b
		}
	}
	return v
}

// fitsDependent reports whether v, as a lookup returns it, is a value the
// dependent target (query, path, header or body field) takes once
// converted to its type. A multi-select takes each of its items' values.
func fitsDependent(dep *openapi3.SchemaRef, v any) bool {
	for i := 0; i < 4 && fake.IsType(dep, "array") && dep.Value.Items != nil; i++ {
		dep = dep.Value.Items
	}
	return fits(dep, asType(v, dep), true)
}

func compileRE(expr string) (openapi3.RegexMatcher, error) { return regexp.Compile(expr) }
