package specdiff

import (
	"fmt"

	"github.com/connectorlab/connectorlab/contract"
)

// checkOperations: removed, renamed (incl. case-only), moved, added,
// deprecated operations.
func checkOperations(c *checker) {
	for _, o := range c.d.Removed {
		f := opFinding(OperationRemoved, contract.LevelError, o)
		f.Old = o.Method + " " + o.Path
		f.Message = fmt.Sprintf("operation %s (%s %s) was removed", o.ID, o.Method, o.Path)
		if o.Deprecated {
			f.Message += " (it was deprecated)"
		}
		c.add(f)
	}
	for _, n := range c.d.Added {
		f := opFinding(OperationAdded, contract.LevelInfo, n)
		f.New = n.Method + " " + n.Path
		f.Message = fmt.Sprintf("new operation %s (%s %s)", n.ID, n.Method, n.Path)
		c.add(f)
	}
	for _, od := range c.d.Ops {
		if od.Renamed {
			f := opFinding(OperationRenamed, contract.LevelError, od.New)
			f.Old, f.New = od.Old.ID, od.New.ID
			if od.CaseOnly {
				f.Message = fmt.Sprintf("operationId %s was renamed to %s (only the case differs; flows match operationIds exactly)", od.Old.ID, od.New.ID)
			} else {
				f.Message = fmt.Sprintf("operationId %s was renamed to %s (same %s %s)", od.Old.ID, od.New.ID, od.New.Method, od.New.Path)
			}
			f.Fix = "keep the old operationId, or keep the old operation as deprecated next to the new one"
			c.add(f)
		}
		if od.Moved {
			f := opFinding(OperationMoved, contract.LevelWarning, od.New)
			f.Old, f.New = od.Old.Method+" "+od.Old.Path, od.New.Method+" "+od.New.Path
			f.Message = fmt.Sprintf("operation %s moved from %s to %s", od.New.ID, f.Old, f.New)
			c.add(f)
		}
		if od.New.Deprecated && !od.Old.Deprecated {
			f := opFinding(OperationDeprecated, contract.LevelWarning, od.New)
			f.Message = fmt.Sprintf("operation %s is now deprecated", od.New.ID)
			c.add(f)
		}
	}
}
