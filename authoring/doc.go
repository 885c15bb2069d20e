// Package authoring is the way out of the connector model: it writes a
// connector folder the Power Platform tools accept (apiDefinition.swagger.json,
// apiProperties.json, settings.json, a README stub) from a loaded
// connector.Connector or from a bare OpenAPI 3 document, exports a folder
// back to OpenAPI 3, and checks and zips a folder the way certification
// does (Check, Pack).
//
// Conversion is honest: everything Swagger 2.0 or Power Platform cannot
// say (oneOf/anyOf, several servers, cookie parameters, callbacks, nullable
// unions, request bodies on GET, several media types, ...) is approximated
// the way the Power Platform documents and reported as a finding with a
// stable ID from Rules and the location in the source.
//
// authoring imports connector, connector/jsontext, connector/postman and
// the contract root (for the one findings catalogue); it never reads
// recordings (workflow/create infers connectors from traffic) and never
// imports cli, app or Wails.
package authoring
