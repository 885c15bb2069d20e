// Package replay re-sends recorded requests to a target — the live API, a
// staging build or a mock of a newer definition — and turns each answer
// into a test case: conformance to the definition (contract/conform) and
// drift against the recorded answer (contract/drift).
//
// Requests keep their recorded method, path, query, headers and body;
// redacted values are dropped and the connection's real credentials (from
// CONNECTORLAB_PARAM_* through recordings.AuthFor) are added; the
// connector's request policies run with the target as upstream.
// Concurrency is bounded, 429/503 answers with Retry-After are retried
// after the wait the server asks for (capped), and every request has a
// timeout. Cases come back in recording order whatever the concurrency,
// and --shard selects a deterministic subset.
//
// Memory is bounded by the caps, not the session: RunSource reads the
// exchanges as they are replayed (a Source over the store's pages), and a
// Result lists only the first Options.Keep failing and passing cases in
// full; the others are tallied per operation in Suite.Summary, which the
// report's counts, verdict and formats include.
//
// Generate builds the requests from the definition instead (package
// probe), for a Dredd/Schemathesis-style check of a live API without
// recordings. A request-body part with an x-ms-dynamic-schema is built, as
// the designer builds it, from the schema the target's own lookup answers
// (sent like every request: basePath, policies, credentials); replay does
// the same for such a part the recording redacted. Recorded webhook deliveries (Source "event") are not re-sent;
// their payloads are checked against the definition's
// x-ms-notification-content.
//
// It imports connector, recordings, route, probe, policy, mock/dynamic (its
// Power Platform path helpers) and the contract
// packages; never cli, app or a database driver.
package replay
