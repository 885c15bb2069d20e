package cli

import "github.com/connectorlab/connectorlab/workflow"

// workflowExit maps a workflow error to an exit code.
func workflowExit(err error) int {
	switch workflow.KindOf(err) {
	case workflow.KindUsage, workflow.KindExists:
		return ExitUsage
	}
	return ExitInfra
}
