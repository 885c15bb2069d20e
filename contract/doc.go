// Package contract turns connector definitions and recorded traffic into
// findings: spec-vs-spec breaking changes (contract/specdiff), conformance
// and drift of replayed or recorded exchanges (contract/conform,
// contract/drift), the replay runner (contract/replay) and the reports CI
// reads (contract/report).
//
// This root package holds what they share: the Finding with its stable ID
// and level, the catalogue of IDs (Rules), the Report a run produces, the
// Emitter through which long runs report progress to a terminal or the
// desktop app, and deterministic sharding.
//
// It imports connector and recordings only. It never imports cli, app,
// Wails or a database driver; user text and exit codes belong to cli.
package contract
