package create

import (
	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/workflow"
)

// IsMockoon reports whether root is a Mockoon environment file.
func IsMockoon(root map[string]any) bool {
	_, routes := root["routes"].([]any)
	_, mig := root["lastMigration"]
	return routes && mig
}

func fromMockoon(root map[string]any, file string) (*authoring.Source, error) {
	return nil, workflow.Usage(file+": Mockoon environments are not imported yet", "export the environment as OpenAPI from Mockoon and pass that file")
}
