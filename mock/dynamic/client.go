package dynamic

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/getkin/kin-openapi/openapi3"
)

// The designer's side of a dynamic request-body schema, for clients that
// build requests the way Power Automate does (package probe, behind
// `connectorlab test --generate` and `mock --conformance`): which
// references to resolve, what to send the lookup (MappedArgs,
// LookupOperation), where its answer holds the schema (ReadSchema) and
// where the value built from it goes (FillBody). The mock reads the same
// references the same way when it answers the lookup and checks the
// dependent request, so a client using these agrees with it by
// construction, and with a live API that follows its own definition.

// BodySchemaRefs lists op's x-ms-dynamic-schema and
// x-ms-dynamic-properties references on its request body that can be
// resolved at all (Resolvable), one per target: where a node carries both
// extensions, x-ms-dynamic-properties (the connector model sorts a node's
// references by kind), which the current designer reads in preference.
func BodySchemaRefs(c *connector.Connector, op *connector.Operation) []*connector.DynamicRef {
	if op == nil {
		return nil
	}
	var out []*connector.DynamicRef
	seen := map[string]bool{}
	for i := range op.Dynamic {
		d := &op.Dynamic[i]
		if d.Kind != connector.DynamicSchema && d.Kind != connector.DynamicProperties || !strings.HasPrefix(d.Target, "body") || seen[d.Target] {
			continue
		}
		if ok, _, _ := Resolvable(c, d); !ok {
			continue
		}
		seen[d.Target] = true
		out = append(out, d)
	}
	return out
}

// ReadSchema reads the schema a lookup answered for reference d: the JSON
// object at its value-path (x-ms-dynamic-schema) or itemValuePath
// (x-ms-dynamic-properties), a trailing "properties" segment read as the
// schema holding that map, local references resolved against c.
func ReadSchema(c *connector.Connector, d *connector.DynamicRef, body []byte) (*openapi3.SchemaRef, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("the answer of %s is not JSON: %w", d.OperationID, err)
	}
	at := schemaAt0(d)
	x, ok := getPath(v, at)
	if !ok {
		return nil, fmt.Errorf("the answer of %s has nothing at %q", d.OperationID, "/"+strings.Join(at, "/"))
	}
	m, ok := x.(map[string]any)
	if !ok || !schemaLike(m) {
		return nil, fmt.Errorf("the answer of %s holds no JSON schema at %q", d.OperationID, "/"+strings.Join(at, "/"))
	}
	return toSchema(m, c)
}

// schemaLike reports whether m uses a JSON-schema keyword that constrains
// a value: an object without one (an API's plain record where a schema
// was expected) would read as "anything".
func schemaLike(m map[string]any) bool {
	for _, k := range []string{"type", "properties", "items", "allOf", "anyOf", "oneOf", "$ref", "enum", "additionalProperties", "required", "format"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// FillBody returns body (the decoded JSON request body, left unchanged)
// with the value at d's body target set to what gen makes: one value, or,
// when the dynamic schema describes the items of an array target, one per
// element. Arrays on the way fan out to their elements, as the mock reads
// them. A value the definition's own node for the target refuses (a
// looked-up schema that contradicts the static declaration) is an error,
// and body is returned as it was.
func FillBody(op *connector.Operation, d *connector.DynamicRef, body any, gen func(j int) any) (any, error) {
	info := carrierOf(op, d)
	var bad error
	out := fillTarget(deepCopy(body, 0), SplitPath(strings.TrimPrefix(d.Target, "body")), info.elems > 0, func(j int) any {
		v := gen(j)
		if bad == nil && !fits(info.carrier, v, true) {
			bad = fmt.Errorf("a value of the schema %s answered does not fit the definition's own declaration of %s", d.OperationID, d.Target)
		}
		return v
	})
	if bad != nil {
		return body, bad
	}
	return out, nil
}

func deepCopy(v any, depth int) any {
	if depth > 64 {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e, depth+1)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e, depth+1)
		}
		return a
	}
	return v
}
