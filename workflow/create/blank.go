package create

import "github.com/getkin/kin-openapi/openapi3"

// blankDoc is the smallest connector a maker can start from: one action
// the test-connection capability can call.
func blankDoc(title string) *openapi3.T {
	doc := &openapi3.T{OpenAPI: "3.0.3", Info: &openapi3.Info{Title: title, Version: "1.0",
		Description: "Describe what " + title + " does for makers."}, Paths: openapi3.NewPaths(),
		Servers: openapi3.Servers{{URL: "https://api.contoso.com"}}}
	op := &openapi3.Operation{OperationID: "GetStatus", Summary: "Get status", Description: "Checks that the service answers.",
		Responses: openapi3.NewResponses()}
	op.Responses.Delete("default")
	s := openapi3.NewObjectSchema().WithProperty("status", openapi3.NewStringSchema())
	op.Responses.Set("200", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("OK").
		WithContent(openapi3.NewContentWithJSONSchema(s))})
	doc.AddOperation("/status", "GET", op)
	return doc
}
