// Package postman converts Postman collections (format v2.0 and v2.1) into
// OpenAPI 3.0 documents, so that Connector Lab can mock and contract-test
// APIs that are only described by a collection.
//
// The package owns three things:
//
//   - [Detect], a cheap check that a JSON file is a Postman collection v2.x;
//   - [Convert], which builds a *openapi3.T (kin-openapi) from a collection
//     and reports lossy spots as [Warning] values with stable IDs and RFC 6901
//     pointers into the collection;
//   - [InferSchema], which derives a JSON schema from an example value; it is
//     exported for tools that compare live traffic with a contract.
//
// # Mapping
//
// Folders become tags (nested folder names joined with " / "); each request
// becomes an operation whose operationId is its name made into a
// lowerCamelCase identifier (unique, with _2, _3 … suffixes). Path segments
// ":id" and "{{id}}" become "{id}" path parameters; the host part of the URL
// ({{baseUrl}}, https://api.example.com, {{scheme}}://{{host}}) becomes a
// server, with variables whose defaults come from the collection's
// variables. Query entries become query parameters (disabled ones as
// optional); headers become header parameters except Accept, Content-Type
// and Authorization, which OpenAPI expresses elsewhere. Bodies in raw
// (JSON gets an inferred schema), urlencoded, formdata, file and graphql
// modes become request bodies; saved responses become responses with named
// examples and inferred schemas. Collection, folder and request auth
// (apikey, bearer, basic, digest, oauth2, jwt as bearer, noauth, inherit)
// become security schemes and requirements.
//
// Two requests with the same method and path become one operation (with a
// "postman-duplicate-operation" warning); paths that differ only in
// parameter names are unified. Every document Convert returns passes
// (*openapi3.T).Validate with examples validation disabled.
//
// Not covered: Postman v1 collections, pre-request and test scripts,
// environments, folder-level variables, protocolProfileBehavior, cookies
// and the saved responses' originalRequest.
//
// The package depends on kin-openapi and the standard library only.
package postman
