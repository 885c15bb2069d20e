// Package dynamic makes a connector's dynamic metadata work in the mock the
// way the Power Platform designer uses it.
//
// It owns:
//   - lookups: an operation referenced by x-ms-dynamic-values,
//     x-ms-dynamic-list or x-ms-dynamic-tree answers with a collection at
//     value-collection / itemsPath whose items carry the value-path /
//     itemValuePath and value-title / itemTitlePath fields; the values are
//     deterministic per seed and per combination of the mapped parameters
//     (less those a recording redacts, Options.Redactor);
//   - acceptance: the dependent operation accepts the values its lookup
//     returns and, with Strict (--strict-dynamic), rejects others with a
//     clear 400;
//   - resolvability: Resolvable names, with a stable reason, each
//     reference the definition itself makes unworkable (a collection
//     declared as an object, a literal the lookup's own parameter refuses,
//     ...); the mock leaves those lookups as declared;
//   - dynamic schemas: an operation referenced by x-ms-dynamic-schema or
//     x-ms-dynamic-properties answers with a real JSON schema at value-path /
//     itemValuePath, generated per parameter combination or taken from a
//     user-supplied dynamic-schemas.json next to the connector (generated
//     schemas refine the static node that carries the extension); the
//     dependent operation validates its request, and generates its response,
//     against that resolved schema;
//   - the client side of a dynamic request-body schema (client.go): which
//     references a client resolves, what it sends the lookup, where the
//     answer holds the schema and where the value built from it goes, as
//     the designer does. Package probe uses it, so `test --generate` and
//     the conformance sweep read the extension exactly as the mock does.
//
// It does not route, authenticate or serve HTTP: the mock hands it the
// operation and the request's values and gets back a body to answer or the
// problems to report. It imports connector, mock/fake and recordings only.
package dynamic
