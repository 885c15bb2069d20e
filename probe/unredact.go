package probe

import (
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// ParamValue returns a value valid for op's parameter (in, name): its
// example or default, otherwise one generated from its schema, seeded from
// (seed, operation, in, name) so the same call always gives the same value.
// Replay sends it in place of a recorded value the recording redacted. ok
// is false when op declares no such parameter. Header names compare
// case-insensitively.
func (b *Builder) ParamValue(op *connector.Operation, in, name string) (vals []string, ok bool) {
	if op == nil {
		return nil, false
	}
	for _, p := range params(op) {
		if p.In != in || !(p.Name == name || in == openapi3.ParameterInHeader && strings.EqualFold(p.Name, name)) {
			continue
		}
		vals = b.paramValues(p, fake.Seed(b.opts.Seed, op.ID, "redacted", in, p.Name))
		if in == openapi3.ParameterInHeader {
			vals = []string{headerValue(strings.Join(vals, ","))}
		}
		return vals, true
	}
	return nil, false
}

// BodyValue returns a value valid for the request body property at pointer
// (JSON pointer tokens below the body root, array indexes as numbers) of
// op's body with media type mediaType ("" or an undeclared type: the
// body's preferred one), generated from the property's schema and seeded
// from (seed, operation, pointer). ok is false when the schema has no
// property there (an undeclared field of a free-form object).
func (b *Builder) BodyValue(op *connector.Operation, mediaType string, pointer []string) (any, bool) {
	sch := requestSchema(op, mediaType)
	for _, tok := range pointer {
		sch = childSchema(sch, tok, 0)
		if sch == nil {
			return nil, false
		}
	}
	if sch == nil || sch.Value == nil {
		return nil, false
	}
	hint := ""
	for i := len(pointer) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(pointer[i]); err != nil {
			hint = pointer[i]
			break
		}
	}
	s := sch.Value
	switch {
	case s.Example != nil && s.VisitJSON(s.Example) == nil:
		return s.Example, true
	case s.Default != nil && s.VisitJSON(s.Default) == nil:
		return s.Default, true
	}
	return b.gen.Generate(sch, fake.Seed(b.opts.Seed, op.ID, "redacted", "body", strings.Join(pointer, "/")), hint), true
}

// BodyProperties are the property names the request body schema declares
// for the object at pointer (required ones first, each group sorted),
// allOf branches included: the names a redacted key there can stand for.
func (b *Builder) BodyProperties(op *connector.Operation, mediaType string, pointer []string) []string {
	sch := requestSchema(op, mediaType)
	for _, tok := range pointer {
		if sch = childSchema(sch, tok, 0); sch == nil {
			return nil
		}
	}
	req, all := map[string]bool{}, map[string]bool{}
	var collect func(s *openapi3.SchemaRef, depth int)
	collect = func(s *openapi3.SchemaRef, depth int) {
		if s == nil || s.Value == nil || depth > 8 {
			return
		}
		for k := range s.Value.Properties {
			all[k] = true
		}
		for _, k := range s.Value.Required {
			req[k] = true
		}
		for _, sub := range s.Value.AllOf {
			collect(sub, depth+1)
		}
	}
	collect(sch, 0)
	var first, rest []string
	for k := range all {
		if req[k] {
			first = append(first, k)
		} else {
			rest = append(rest, k)
		}
	}
	sort.Strings(first)
	sort.Strings(rest)
	return append(first, rest...)
}

// requestSchema is the schema of op's request body in mediaType, or in its
// preferred media type when mediaType is not declared.
func requestSchema(op *connector.Operation, mediaType string) *openapi3.SchemaRef {
	if op == nil || op.Op == nil || op.Op.RequestBody == nil || op.Op.RequestBody.Value == nil {
		return nil
	}
	content := op.Op.RequestBody.Value.Content
	if mediaType != "" {
		mt := strings.ToLower(strings.TrimSpace(strings.SplitN(mediaType, ";", 2)[0]))
		for k, m := range content {
			if strings.EqualFold(k, mt) && m != nil {
				return m.Schema
			}
		}
	}
	best := ""
	for k := range content {
		if best == "" || mediaOrder(k) < mediaOrder(best) || mediaOrder(k) == mediaOrder(best) && k < best {
			best = k
		}
	}
	if m := content[best]; m != nil {
		return m.Schema
	}
	return nil
}

// childSchema is the schema of member tok (a property name or an array
// index) of a value of sch, looking through allOf, oneOf and anyOf.
func childSchema(sch *openapi3.SchemaRef, tok string, depth int) *openapi3.SchemaRef {
	if sch == nil || sch.Value == nil || depth > 8 {
		return nil
	}
	s := sch.Value
	if p := s.Properties[tok]; p != nil {
		return p
	}
	if s.Items != nil {
		if _, err := strconv.Atoi(tok); err == nil {
			return s.Items
		}
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, sub := range group {
			if c := childSchema(sub, tok, depth+1); c != nil {
				return c
			}
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && s.Items == nil {
		return ap
	}
	return nil
}
