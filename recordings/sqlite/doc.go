// Package sqlite is the SQLite implementation of recordings.Store and the
// only package that imports the go-sqlite3 driver.
//
// One file holds sessions, exchanges, contract runs and findings, in WAL
// mode with synchronous=NORMAL: a commit survives kill -9 of the process
// (not an OS crash or power loss). Every write goes through one goroutine
// that batches whatever is queued into one immediate transaction (group
// commit) and answers each caller once that transaction committed; reads
// use a separate pool of read-only connections. Exchanges are redacted and
// their bodies capped before they are written. Schema changes are the
// numbered files in migrations/, applied in order on open and tracked in
// PRAGMA user_version.
//
// It imports recordings and the standard library only; never mock,
// contract, cli or app.
package sqlite
