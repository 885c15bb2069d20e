package specdiff

import (
	"fmt"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
)

// checkDynamic: an x-ms-dynamic-* lookup that now calls another operation
// or reads another path leaves dropdowns and dynamic schemas empty in
// existing flows.
func checkDynamic(c *checker) {
	for _, od := range c.d.Ops {
		old := map[string]connector.DynamicRef{}
		for _, r := range od.Old.Dynamic {
			old[string(r.Kind)+"|"+r.Target] = r
		}
		for _, r := range od.New.Dynamic {
			o, ok := old[string(r.Kind)+"|"+r.Target]
			if !ok {
				continue
			}
			a, b := dynSummary(o), dynSummary(r)
			if a == b {
				continue
			}
			f := opFinding(DynamicValuesChanged, contract.LevelWarning, od.New)
			f.Where, f.Field, f.Old, f.New = "dynamic", r.Target, a, b
			f.Message = fmt.Sprintf("x-ms-dynamic-%s on %s changed from %s to %s", r.Kind, r.Target, a, b)
			c.add(f)
		}
	}
}

func dynSummary(r connector.DynamicRef) string {
	s := r.OperationID
	for _, p := range []string{r.ValuePath, r.ValueCollection, r.ItemsPath, r.ItemValuePath} {
		if p != "" {
			s += " " + p
		}
	}
	return s
}
