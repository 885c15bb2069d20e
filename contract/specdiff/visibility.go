package specdiff

import (
	"fmt"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
)

// checkVisibility: an operation that becomes x-ms-visibility internal
// vanishes from the flow designer.
func checkVisibility(c *checker) {
	for _, od := range c.d.Ops {
		o, n := od.Old.Visibility, od.New.Visibility
		if o == n {
			continue
		}
		if n == connector.VisibilityInternal {
			f := opFinding(VisibilityInternal, contract.LevelError, od.New)
			f.Old, f.New = visName(o), visName(n)
			f.Message = fmt.Sprintf("operation %s became internal (was %s): makers can no longer add it", od.New.ID, visName(o))
			c.add(f)
			continue
		}
		f := opFinding(VisibilityChanged, contract.LevelInfo, od.New)
		f.Old, f.New = visName(o), visName(n)
		f.Message = fmt.Sprintf("operation %s visibility changed from %s to %s", od.New.ID, visName(o), visName(n))
		c.add(f)
	}
}

func visName(v connector.Visibility) string {
	if v == "" {
		return "none"
	}
	return string(v)
}
