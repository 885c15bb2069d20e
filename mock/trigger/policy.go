package trigger

import (
	"fmt"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/policy"
)

// PollingPolicy is the meaning of one pollingtrigger policy template for
// the mock: where the new items sit in the trigger's response and which
// query parameters the next poll carries. It is read from the policy
// engine's typed description (policy.PollingTrigger), so the mock and the
// recording proxy agree on what the policy says.
type PollingPolicy struct {
	// DataPath locates the item array in the response body
	// (triggerDataPath "@triggerBody().value" → ["value"]).
	DataPath []string
	// Config maps next-poll query parameters to their values.
	Config []ConfigParam
	// Trigger is the policy engine's description; its Next computes the
	// next poll's state from a response body. Nil in hand-made policies.
	Trigger *policy.PollingTrigger
}

// ConfigParam is one triggerConfig entry: a literal, or a field read from
// the newest item of the last response ("@{triggerBody().value[0].createdAt}").
type ConfigParam struct {
	Name    string
	Literal string
	// Field is the item field the value comes from, below DataPath; nil for
	// a literal or a template that reads something else (Trigger.Next
	// evaluates those).
	Field []string
}

// PollingPolicies decodes the pollingtrigger policies of c by operation ID.
// Policies that cannot be read are returned as errors naming the policy.
func PollingPolicies(c *connector.Connector) (map[string]PollingPolicy, []error) {
	out := map[string]PollingPolicy{}
	var errs []error
	e, findings := policy.New(c, policy.Options{})
	var ptrs []string
	for _, p := range c.Policies {
		if p.Template == "pollingtrigger" {
			ptrs = append(ptrs, p.Pointer)
		}
	}
	for _, f := range findings {
		if f.Level != connector.LevelError {
			continue
		}
		for _, ptr := range ptrs {
			if ptr != "" && strings.HasPrefix(f.Pointer, ptr) {
				errs = append(errs, fmt.Errorf("%s: %s", f.ID, f.Message))
				break
			}
		}
	}
	for _, pt := range e.PollingTriggers() {
		pp := PollingPolicy{Trigger: pt}
		bad := false
		for _, st := range pt.Items.Steps {
			if st.IsIndex {
				errs = append(errs, fmt.Errorf("policy %s (%s): triggerDataPath %q: an index is not allowed here", pt.Title, pt.Pointer, pt.ItemsPath))
				bad = true
				break
			}
			pp.DataPath = append(pp.DataPath, st.Key)
		}
		if bad {
			continue
		}
		if pp.DataPath == nil {
			pp.DataPath = []string{}
		}
		for _, sp := range pt.State {
			cp := ConfigParam{Name: sp.Name}
			if sp.Literal {
				cp.Literal = sp.Template
			} else if f, ok := pt.ItemField(sp); ok {
				cp.Field = f
			}
			pp.Config = append(pp.Config, cp)
		}
		sort.Slice(pp.Config, func(i, j int) bool { return pp.Config[i].Name < pp.Config[j].Name })
		out[pt.OperationID] = pp
	}
	return out, errs
}
