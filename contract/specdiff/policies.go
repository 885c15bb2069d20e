package specdiff

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
)

// checkPolicies: apiProperties policy templates and the upstream address.
// Both change what reaches the API without the swagger showing it.
func checkPolicies(c *checker) {
	o, n := c.d.Old, c.d.New
	if o.Host != n.Host && o.Host != "" && n.Host != "" {
		c.add(contract.Finding{ID: HostChanged, Level: contract.LevelWarning, Where: "host", Old: o.Host, New: n.Host,
			Message: fmt.Sprintf("host changed from %s to %s", o.Host, n.Host)})
	}
	if strings.TrimSuffix(o.BasePath, "/") != strings.TrimSuffix(n.BasePath, "/") {
		c.add(contract.Finding{ID: BasePathChanged, Level: contract.LevelWarning, Where: "basePath", Old: o.BasePath, New: n.BasePath,
			Message: fmt.Sprintf("basePath changed from %q to %q", o.BasePath, n.BasePath)})
	}
	key := func(p connector.Policy) string {
		return p.Template + "|" + strings.Join(p.Operations, ",") + "|" + p.Section
	}
	olds := map[string][]connector.Policy{}
	for _, p := range o.Policies {
		olds[key(p)] = append(olds[key(p)], p)
	}
	for _, p := range n.Policies {
		k := key(p)
		if len(olds[k]) == 0 {
			c.add(contract.Finding{ID: PolicyAdded, Level: contract.LevelWarning, Where: "policy", Field: p.TemplateID, New: params(p), Pointer: p.Pointer,
				Message: fmt.Sprintf("policy %s added%s", p.TemplateID, scope(p))})
			continue
		}
		op := olds[k][0]
		olds[k] = olds[k][1:]
		if params(op) != params(p) {
			c.add(contract.Finding{ID: PolicyChanged, Level: contract.LevelWarning, Where: "policy", Field: p.TemplateID, Old: params(op), New: params(p), Pointer: p.Pointer,
				Message: fmt.Sprintf("policy %s%s changed its parameters", p.TemplateID, scope(p))})
		}
	}
	for _, rest := range olds {
		for _, p := range rest {
			c.add(contract.Finding{ID: PolicyRemoved, Level: contract.LevelWarning, Where: "policy", Field: p.TemplateID, Old: params(p),
				Message: fmt.Sprintf("policy %s removed%s", p.TemplateID, scope(p))})
		}
	}
}

func params(p connector.Policy) string {
	b, _ := json.Marshal(p.Parameters) // map keys are sorted by encoding/json
	return string(b)
}

func scope(p connector.Policy) string {
	if len(p.Operations) == 0 {
		return ""
	}
	return " (operations " + strings.Join(p.Operations, ", ") + ")"
}
