// Package fake generates deterministic, realistic JSON values from OpenAPI 3
// schemas, for the mock server's synthesised responses (and request bodies).
//
// It owns:
//   - value synthesis for every schema shape found in converted Power Platform
//     connectors: objects (required/optional properties, additionalProperties,
//     min/maxProperties), arrays (min/maxItems, uniqueItems), strings, numbers,
//     integers, booleans, untyped and empty schemas, allOf (merged), oneOf and
//     anyOf (first branch whose value validates), discriminators, enums
//     (including string enums on booleans), const, nullable, readOnly and
//     writeOnly by Direction;
//   - string formats (date-time, date, time, email, uri, uuid/guid, byte,
//     binary, ipv4/6, hostname, password, phone, duration, html, numeric
//     strings) and RE2 patterns, with an approximation for ECMA patterns Go
//     cannot compile (lookarounds, \uXXXX);
//   - property-name heuristics (email, firstName, createdAt, price, ...) that
//     make values look real without leaving the declared constraints;
//   - determinism: the same schema, seed and hint give the same value. Seed
//     derives per-request seeds from request parts.
//
// It does not load documents, pick responses or media types, or serve HTTP;
// callers hand it a resolved *openapi3.SchemaRef. Every value it returns is
// meant to pass kin-openapi's Schema.VisitJSON; where a schema is
// contradictory (an enum of strings on a boolean, minimum above maximum) it
// returns a best-effort value instead and never panics.
//
// Imports: kin-openapi, gofakeit and the standard library only.
package fake
