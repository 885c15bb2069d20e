package authoring_test

import (
	"context"
	"fmt"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
)

// ExampleBuild converts an OpenAPI 3 file into a connector folder and
// lists what the conversion lost.
func ExampleBuild() {
	c, err := connector.Load(context.Background(), "testdata/petstore.openapi3.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	src, _ := authoring.FromConnector(c)
	f, err := authoring.Build(src, authoring.Options{Auth: authoring.AuthAPIKey})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Definition["swagger"], f.Definition["host"], f.Definition["basePath"])
	for name := range f.Files() {
		if name == authoring.DefinitionFile {
			fmt.Println("writes", name)
		}
	}
	fmt.Println(len(f.Findings), "findings")
	// Output:
	// 2.0 petstore.contoso.com /api
	// writes apiDefinition.swagger.json
	// 0 findings
}
