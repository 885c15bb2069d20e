// Package specdiff compares two connector definitions — Swagger 2.0 with
// its x-ms-* extensions plus apiProperties.json — and reports breaking
// changes with stable IDs and levels.
//
// Computing the difference (Compute → Diff: matched operations, parameter,
// body, response and trigger-payload shape changes, auth and policy
// changes) is kept apart from judging it (Check → findings). Each check
// lives in its own file with its own test; the catalogue of IDs is Rules.
//
// Operations are matched by operationId, then by method + path (a new
// operationId on the same path is a rename, also when only the case
// changed), then by operationId ignoring case (renamed and moved).
//
// It imports connector, contract and contract/shape; never cli or app.
package specdiff
