// Package recorder runs a recording proxy for one connector with a
// Start/Stop handle: it parses the upstream URL, applies the one rule for
// required connection parameters, names the session, loads redaction
// rules, builds the policy engine and the recordings.Proxy, listens and
// serves, and closes the session with the right status on Stop.
//
// cli (`connectorlab record`) and app (the Record screen) both call Start;
// prompting for parameters stays in cli, typing them stays in app. It
// imports connector, policy, route, recordings and mock (Listen/Serve), never
// cli, app or a database driver: the store is passed in.
package recorder
