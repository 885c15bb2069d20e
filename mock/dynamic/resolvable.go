package dynamic

import (
	"fmt"

	"github.com/connectorlab/connectorlab/connector"
)

// Reasons a reference cannot be resolved. They are stable: sweep goldens
// list them.
const (
	ReasonCapability    = "capability"       // resolved by the platform (file-picker), not an operation
	ReasonNoOperation   = "no-operation"     // the reference names no operationId
	ReasonMissingLookup = "missing-lookup"   // the operationId is not in the definition
	ReasonNoValuePath   = "no-value-path"    // a list without value-path / itemValuePath
	ReasonNotReached    = "target-not-found" // the target is not a parameter or body field
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
	switch d.Kind {
	case connector.DynamicValues:
		if d.ValuePath == "" {
			return false, ReasonNoValuePath, "x-ms-dynamic-values has no value-path"
		}
	case connector.DynamicList:
		if d.ItemValuePath == "" {
			return false, ReasonNoValuePath, "x-ms-dynamic-list has no itemValuePath"
		}
	case connector.DynamicTree:
		for _, s := range treeSides(d) {
			if s.value == "" {
				return false, ReasonNoValuePath, "x-ms-dynamic-tree side has no itemValuePath"
			}
		}
	}
	return true, "", ""
}
