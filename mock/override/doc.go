// Package override applies per-operation overrides to a mock: an
// operation switched off, the response it answers with (a declared status,
// a named example, generated data or a custom body), its own latency and
// error rate, and rules matched on the request (header, query, JSON body;
// first match wins) — Mockoon's per-route responses, for connectors.
//
// Overrides live in a sidecar file beside the connector,
// .connectorlab/overrides.json (DefaultPath), so the CLI (`connectorlab
// mock --overrides`) and the desktop app honour the same file. The engine
// hook is one mock.Responder (Set.Responder) placed before simulation:
// declared statuses and examples are asked for by setting the call's
// Prefer and letting the simulator answer, so generated data and
// validation notes stay what the mock would produce anyway.
//
// A Set is safe for concurrent use and swapped whole (Replace, or Watch on
// the file), so changes apply live without restarting the mock.
package override
