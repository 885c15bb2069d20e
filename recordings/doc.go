// Package recordings owns recorded HTTP traffic: the Exchange and Session
// types, the Store interface, the Sink that live traffic is written to,
// redaction of secrets, replay matching, HAR/JSON import and export, and
// the recording proxy.
//
// Entry points:
//   - Store (Sessions + Exchanges + Runs): implemented by recordings/sqlite.
//     Store.Record is a Sink that redacts, caps bodies and returns once the
//     exchange is committed (or, with sqlite.Options.Spool, written to the
//     store's spool file: as durable against kill -9). SessionSink binds a Sink to one session;
//     PickSession resolves a --session argument.
//   - NewProxy: the recording reverse proxy (an http.Handler) with the
//     connector's Authenticator (AuthFor, ParamsFromEnv) and Policies
//     (*policy.Engine); the client is answered only after its exchange was
//     stored.
//   - Redactor, Rules, DefaultRules, ConnectorRules, LoadRules: what is
//     replaced before anything is stored or exported, with a keyed hash.
//   - Matcher (NewMatcher, LoadMatcher): answers a request from recorded
//     exchanges or names the closest one and the fields that differed;
//     NewRequest and WriteReplay adapt net/http.
//   - ReadHAR, ExportHAR, ExportJSON, ReadExport, Import: HAR 1.2 and the
//     JSON export (schemaVersion 1).
//
// It imports connector and policy (the proxy runs the connector's policy
// templates through the Policies interface *policy.Engine satisfies) but
// never mock, contract, app or cli, and never a database driver:
// recordings/sqlite implements Store.
package recordings
