package dynamic

import (
	"fmt"

	"github.com/connectorlab/connectorlab/connector"
)

// Reasons a reference cannot be resolved. They are stable: sweep goldens
// list them.
const (
	ReasonCapability    = "capability"           // resolved by the platform (file-picker), not an operation
	ReasonNoOperation   = "no-operation"         // the reference names no operationId
	ReasonMissingLookup = "missing-lookup"       // the operationId is not in the definition
	ReasonNoValuePath   = "no-value-path"        // a list without value-path / itemValuePath
	ReasonNotArray      = "collection-not-array" // the response declares the collection as something else
)

// Resolvable says whether a reference can work at all, and if not why.
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
	notArray := func(op, coll string) (bool, string, string) {
		_, resp := successResponse(c.Operation(op))
		s := resp
		if coll != "" {
			s = schemaAt(resp, splitPath(coll))
		}
		if s != nil && s.Value != nil && s.Value.Type != nil && len(*s.Value.Type) > 0 && !s.Value.Type.Is("array") {
			where := "the response"
			if coll != "" {
				where = "/" + coll
			}
			return false, ReasonNotArray, fmt.Sprintf("%s of %s is declared %v, not an array of items", where, op, s.Value.Type.Slice())
		}
		return true, "", ""
	}
	switch d.Kind {
	case connector.DynamicValues:
		if d.ValuePath == "" {
			return false, ReasonNoValuePath, "x-ms-dynamic-values has no value-path"
		}
		return notArray(d.OperationID, d.ValueCollection)
	case connector.DynamicList:
		if d.ItemValuePath == "" {
			return false, ReasonNoValuePath, "x-ms-dynamic-list has no itemValuePath"
		}
		return notArray(d.OperationID, d.ItemsPath)
	case connector.DynamicTree:
		for _, s := range treeSides(d) {
			if s.value == "" {
				return false, ReasonNoValuePath, "x-ms-dynamic-tree side has no itemValuePath"
			}
			if ok, why, msg := notArray(s.op, s.items); !ok {
				return ok, why, msg
			}
		}
	}
	return true, "", ""
}
