package dynamic

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// Reasons a reference cannot be resolved. They are stable: sweep goldens
// and the admin API list them.
const (
	ReasonCapability    = "capability"              // resolved by the platform (file-picker), not an operation
	ReasonNoOperation   = "no-operation"            // the reference names no operationId
	ReasonMissingLookup = "missing-lookup"          // the operationId is not in the definition
	ReasonNoValuePath   = "no-value-path"           // a list without value-path / itemValuePath
	ReasonNotArray      = "collection-not-array"    // the response declares the collection as something else
	ReasonItemNotObject = "item-not-object"         // the collection's items are declared scalars: no value-path to read
	ReasonSchemaNotObj  = "schema-path-not-object"  // the response declares the schema's place as a non-object
	ReasonLiteral       = "literal-rejected"        // a literal the reference sends is refused by the lookup's own parameter
	ReasonCollPath      = "collection-path-invalid" // the collection path crosses something declared not an object
)

// Resolvable says whether a reference can work at all, and if not why: a
// stable reason and a message naming what in the definition stops it.
// The mock only shapes lookups and checks dependents for resolvable
// references, so an unresolvable one never breaks the lookup's own
// declared response.
func Resolvable(c *connector.Connector, d *connector.DynamicRef) (bool, string, string) {
	ops := []string{d.OperationID}
	if d.Kind == connector.DynamicTree {
		ops = ops[:0]
		for _, s := range treeSides(d) {
			ops = append(ops, s.op)
		}
	}
	switch {
	case d.Capability != "" && d.OperationID == "":
		return false, ReasonCapability, fmt.Sprintf("capability %q is served by the platform", d.Capability)
	case len(ops) == 0 || ops[0] == "":
		return false, ReasonNoOperation, "no operationId"
	}
	for _, id := range ops {
		if c.Operation(id) == nil {
			return false, ReasonMissingLookup, fmt.Sprintf("operationId %q is not in the definition", id)
		}
	}
	switch d.Kind {
	case connector.DynamicValues:
		if d.ValuePath == "" && !scalarItems(c.Operation(d.OperationID), d.ValueCollection) {
			return false, ReasonNoValuePath, "x-ms-dynamic-values has no value-path and the items are not declared as plain values"
		}
		if ok, why, msg := listShape(c.Operation(d.OperationID), d.ValueCollection, d.ValuePath); !ok {
			return ok, why, msg
		}
		return literalsFit(c.Operation(d.OperationID), d.Parameters)
	case connector.DynamicList:
		if d.ItemValuePath == "" && !scalarItems(c.Operation(d.OperationID), d.ItemsPath) {
			return false, ReasonNoValuePath, "x-ms-dynamic-list has no itemValuePath and the items are not declared as plain values"
		}
		if ok, why, msg := listShape(c.Operation(d.OperationID), d.ItemsPath, d.ItemValuePath); !ok {
			return ok, why, msg
		}
		return literalsFit(c.Operation(d.OperationID), d.Parameters)
	case connector.DynamicTree:
		for _, s := range treeSides(d) {
			if s.value == "" && !scalarItems(c.Operation(s.op), s.items) {
				return false, ReasonNoValuePath, "x-ms-dynamic-tree side has no itemValuePath and the items are not declared as plain values"
			}
			if ok, why, msg := listShape(c.Operation(s.op), s.items, s.value); !ok {
				return ok, why, msg
			}
			if ok, why, msg := literalsFit(c.Operation(s.op), s.params); !ok {
				return ok, why, msg
			}
		}
	case connector.DynamicSchema, connector.DynamicProperties:
		op := c.Operation(d.OperationID)
		if ok, why, msg := schemaShape(op, schemaAt0(d)); !ok {
			return ok, why, msg
		}
		return literalsFit(op, d.Parameters)
	}
	return true, "", ""
}

// listShape checks that the lookup's declared response can carry a list
// at coll whose items have a field at value.
func listShape(op *connector.Operation, coll, value string) (bool, string, string) {
	_, resp := successResponse(op)
	s := resp
	where := "the response"
	segs := SplitPath(coll)
	for i, seg := range segs {
		if declaredNot(s, "object") {
			return false, ReasonCollPath, fmt.Sprintf("%s of %s is declared %v, so it has no property %q on the way to the collection /%s",
				where, op.ID, s.Value.Type.Slice(), seg, coll)
		}
		if s != nil && s.Value != nil {
			s = fake.Property(s.Value, seg)
		}
		where = "/" + strings.Join(segs[:i+1], "/")
	}
	if declaredNot(s, "array") {
		return false, ReasonNotArray, fmt.Sprintf("%s of %s is declared %v, not an array of items", where, op.ID, s.Value.Type.Slice())
	}
	if fake.IsType(s, "array") && declaredNot(s.Value.Items, "object") && len(SplitPath(value)) > 0 {
		return false, ReasonItemNotObject, fmt.Sprintf("the items at %s of %s are declared %v, so they have no %q to read", where, op.ID, s.Value.Items.Value.Type.Slice(), value)
	}
	return true, "", ""
}

// scalarItems reports whether the lookup's collection is declared as an
// array of plain values (strings, numbers): each item is then its own
// value and title, and no value path is needed.
func scalarItems(op *connector.Operation, coll string) bool {
	_, s := successResponse(op)
	if coll != "" {
		s = schemaAt(s, SplitPath(coll))
	}
	if !fake.IsType(s, "array") || s.Value.Items == nil {
		return false
	}
	it := s.Value.Items
	return fake.IsType(it, "string") || fake.IsType(it, "integer") || fake.IsType(it, "number")
}

// schemaShape checks that the lookup's declared response can carry a JSON
// schema (an object) at path.
func schemaShape(op *connector.Operation, path []string) (bool, string, string) {
	_, s := successResponse(op)
	where := "the response"
	for i := 0; ; i++ {
		if declaredNot(s, "object") {
			return false, ReasonSchemaNotObj, fmt.Sprintf("%s of %s is declared %v, so it cannot carry a JSON schema", where, op.ID, s.Value.Type.Slice())
		}
		if i == len(path) || s == nil || s.Value == nil {
			return true, "", ""
		}
		s = fake.Property(s.Value, path[i])
		where = "/" + strings.Join(path[:i+1], "/")
	}
}

// declaredNot reports whether s declares a type and t is not among it.
func declaredNot(s *openapi3.SchemaRef, t string) bool {
	return s != nil && s.Value != nil && s.Value.Type != nil && len(*s.Value.Type) > 0 && !s.Value.Type.Is(t)
}

// schemaAt0 is where a schema reference's lookup carries the schema,
// normalised: a path ending in "properties" names the property map of the
// object schema one level up, so the schema itself sits there.
func schemaAt0(d *connector.DynamicRef) []string {
	at := SplitPath(d.ValuePath)
	if d.Kind == connector.DynamicProperties {
		at = SplitPath(d.ItemValuePath)
	}
	if n := len(at); n > 0 && at[n-1] == "properties" {
		at = at[:n-1]
	}
	return at
}

// literalsFit checks the literal values a reference sends against the
// lookup's declared parameters of the same name: a literal the lookup
// itself refuses (an api-version outside its enum) makes the reference
// fail in the designer too.
func literalsFit(op *connector.Operation, ps map[string]connector.DynamicParam) (bool, string, string) {
	for name, p := range ps {
		if p.Parameter != "" || p.ParameterReference != "" || p.Value == nil {
			continue
		}
		decl := paramNamed(op, name)
		if decl == nil || decl.Schema == nil || decl.Schema.Value == nil {
			continue
		}
		v := literalFor(p.Value, decl.Schema)
		if err := decl.Schema.Value.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.DisablePatternValidation()); err != nil {
			return false, ReasonLiteral, fmt.Sprintf("the reference sends %s=%q, which %s's own %s parameter refuses: %s",
				name, canon(p.Value), op.ID, decl.In, firstLine(err.Error()))
		}
	}
	return true, "", ""
}

func paramNamed(op *connector.Operation, name string) *openapi3.Parameter {
	for _, p := range params(op) {
		if p.Value.Name == name && p.Value.In != "body" {
			return p.Value
		}
	}
	return nil
}

// literalFor reads a literal as the parameter's type would arrive.
func literalFor(v any, s *openapi3.SchemaRef) any {
	str := canon(v)
	switch {
	case fake.IsType(s, "integer"), fake.IsType(s, "number"):
		if f, err := strconv.ParseFloat(str, 64); err == nil {
			return f
		}
	case fake.IsType(s, "boolean"):
		if b, err := strconv.ParseBool(str); err == nil {
			return b
		}
	case fake.IsType(s, "string"):
		return str
	}
	return v
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}
