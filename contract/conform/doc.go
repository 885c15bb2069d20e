// Package conform checks one HTTP response against the operation's
// definition: the status is declared, the content type is one the response
// declares, the JSON body fits the response schema (types, required fields,
// enums, nullability, additionalProperties: false; fields the schema does
// not list are reported as info), and required response headers are there.
//
// Bodies are checked against the flattened schema shape (contract/shape),
// not with a strict validator: recorded traffic is noisy, so the checker
// reports precisely which field differs and never stops at the first
// problem. Dynamic schemas (x-ms-dynamic-schema / -properties) are resolved
// through Options.DynamicSchema — the replay runner resolves them from the
// recorded lookup call — and are otherwise treated as open objects, with an
// info finding saying so.
//
// One check per file: status.go, contenttype.go, body.go, headers.go.
//
// It imports connector, contract and contract/shape.
package conform
