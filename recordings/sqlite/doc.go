// Package sqlite is the SQLite implementation of recordings.Store and the
// only package that imports the go-sqlite3 driver.
//
// One file holds sessions, exchanges, contract runs and findings, in WAL
// mode with synchronous=NORMAL: a commit survives kill -9 of the process
// (not an OS crash or power loss). Writes share one writer connection:
// whatever is queued while a transaction runs goes into the next immediate
// transaction together (group commit; the caller that finds the writer idle
// commits itself, so an uncontended write costs no goroutine hand-off), and
// each caller is answered once its transaction committed — or, with
// Options.Spool, once its exchange is written to an append-only spool file
// (as safe against kill -9; the next writable Open stores what a dead
// process's spool holds; spool.go). Exchange ids come from blocks
// reserved in meta (ids.go), so an exchange has its id before its row.
// Reads use a
// separate pool of read-only connections. Exchanges are redacted and
// their bodies capped before they are written. Schema changes are the
// numbered files in migrations/, applied in order on open and tracked in
// PRAGMA user_version.
//
// It imports recordings and the standard library only; never mock,
// contract, cli or app.
package sqlite
