// Package recordings owns recorded HTTP traffic: the Exchange and Session
// types, the Store interface, the Sink that live traffic is written to,
// redaction of secrets, HAR import/export and the recording proxy.
//
// It imports connector (and the policy engine) but never mock, contract, app
// or cli, and never a database driver: recordings/sqlite implements Store.
package recordings
