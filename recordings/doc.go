// Package recordings owns recorded HTTP traffic: the Exchange and Session
// types, the Store interface, the Sink that live traffic is written to,
// redaction of secrets, HAR import/export and the recording proxy.
//
// It imports connector and policy (the proxy runs the connector's policy
// templates through the Policies interface *policy.Engine satisfies) but
// never mock, contract, app or cli, and never a database driver:
// recordings/sqlite implements Store.
package recordings
