// Package route maps an HTTP method and request path to the connector
// operation it addresses, with the path parameters it carries, or explains a
// miss: which operations came closest and why they did not match.
//
// It owns path-template matching as Power Platform connectors write it:
// basePath joined to each path, trailing slashes kept distinct, templates in
// the middle of a segment (OData "Databases({id})" and "Fn(x={x})",
// "{id}.json", "{recordId}.{format}", "{model}:action"), parameter names with
// spaces, and templates that differ only in parameter names (the first
// declared wins, deterministically, and the conflict is reported). Literal
// segments beat templated ones, so "/users/me" wins over "/users/{id}".
//
// The mock server, the recording proxy and contract tests share it, so that
// all three agree on which operation a request belongs to.
//
// It imports connector and the standard library only; it must not import
// mock, recordings or contract.
package route
