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
// extensions, the first in definition order.
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
	if !ok {
		return nil, fmt.Errorf("the answer of %s holds no schema object at %q", d.OperationID, "/"+strings.Join(at, "/"))
	}
	return toSchema(m, c)
}

// FillBody sets the value at d's body target in body (the decoded JSON
// request body) to what gen makes: one value, or, when the dynamic schema
// describes the items of an array target, one per element. Arrays on the
// way fan out to their elements, as the mock reads them.
func FillBody(op *connector.Operation, d *connector.DynamicRef, body any, gen func(j int) any) any {
	info := carrierOf(op, d)
	return fillTarget(body, splitPath(strings.TrimPrefix(d.Target, "body")), info.elems > 0, gen)
}
