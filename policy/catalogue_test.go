package policy

import (
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

// TestLintKnowsWhatTheEngineApplies keeps connector lint's list of known
// templates in step with the engine: lint must not warn about a template the
// engine applies, nor stay silent about one it does not.
func TestLintKnowsWhatTheEngineApplies(t *testing.T) {
	for id := range implemented {
		if !connector.IsKnownPolicyTemplate(id) {
			t.Errorf("engine applies %q but connector lint reports it as unknown", id)
		}
	}
	for id := range unsupported {
		if connector.IsKnownPolicyTemplate(id) {
			t.Errorf("engine does not apply %q but connector lint calls it known", id)
		}
	}
}
