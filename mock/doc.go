// Package mock is the mock server: an http.Handler that answers every
// operation of a connector like the real API would, from its definition.
//
// # Pipeline
//
// Every request to a Server goes through the same steps, in this order:
//
//  1. recover — a panic anywhere below answers 500 problem+json and is
//     logged; the server never dies of a request.
//  2. mounts — non-API handlers registered with Server.Mount (the built-in
//     OAuth 2.0 authorization server at /oauth2/authorize and /oauth2/token
//     is one) are matched by path prefix first.
//  3. read — the body is read under Options.MaxBodyBytes (413 beyond).
//  4. route — package route finds the operation and its path parameters:
//     404 names the closest operations and why they missed, 405 sends Allow.
//  5. faults — throttling (429 + Retry-After), latency, injected errors and
//     connection resets (Options.Faults, per server or per operation).
//  6. authenticate — the connector's declared auth (API key header or
//     query, basic, OAuth 2.0 bearer issued by the mock): 401 with
//     WWW-Authenticate. Options.DisableAuth turns it off.
//  7. validate — parameters, headers, content type and body against the
//     schema with kin-openapi's openapi3filter: 400/415/422 problem+json
//     naming the parameter or JSON pointer. Options.DisableValidation.
//  8. respond — the Responders in order (Options.Responders, the
//     stateful store when Options.Stateful, then the Power Platform
//     behaviours unless Options.DisableBehaviours); the first non-nil
//     Reply wins. Nothing claimed: Simulate answers from the definition
//     (Prefer-selected response, example, else fake data).
//  9. filters — every Filter may rewrite the Reply (paging links, response
//     policies), unless the Responder marked it Final.
//  10. emit — the Exchange (request, reply, operation, Notes for validation
//     results and faults, timings) goes to Options.Sink, and only then is
//     the reply written, so a durable sink never misses what a client saw.
//
// # Extension points (stable API)
//
//   - Responder: claim an operation's response. It is given a *Call — the
//     matched operation, path parameters, the read request and its decoded
//     JSON body, the per-request seed, Prefer, the authenticated principal
//     and the server State — and returns a *Reply or nil to pass. Triggers,
//     dynamic values/schemas, replay and spy modes are Responders.
//   - Filter: rewrite any Reply after it was produced.
//   - State: the per-server store (insertion-ordered buckets of JSON-like
//     values) that stateful mode uses and behaviours may share. Pass the
//     same *State to a reloaded Server to keep data across --watch reloads.
//   - Sink: a recordings.Sink receives every exchange (Source=mock, or the
//     Source a Responder sets on Call.Source). NewLogSink prints them as
//     text or JSON lines.
//   - Mount / NewHTTPServer: extra non-API handlers on the API listener
//     (Server.Mount), or on their own loopback listener with the same
//     hardened http.Server settings (NewHTTPServer, ListenLoopback) — the
//     admin API lives there.
//   - Install: behaviours.go holds installBehaviours, the one place where
//     New attaches built-in behaviour packages (mock/trigger, mock/dynamic,
//     ...) to every Server.
//
// Determinism: the same Options.Seed and the same request (method,
// operation, path parameters, query, body) give a byte-identical reply body
// and headers (Date aside) across runs and processes; any difference in the
// request gives different data — except in values a recording of the
// connector redacts (seed.go: secret-named query keys and body fields, by
// recordings.Redactor.Redacts), which a replay must replace and which so
// leave the answer, and the dynamic schemas it is built from, as recorded.
//
// It imports connector, route, recordings, mock/fake, kin-openapi and (for
// the Power Platform behaviours, see powerplatform.go) mock/trigger,
// mock/dynamic and mock/admin. It must not import cli, app, contract or a
// database driver; replay gets its recordings through recordings.Matcher.
//
// Replay, spy and record are modes of this engine: NewReplay is a Responder
// installed first (Server.UseFirst or Options.Responders[0]); SessionSink
// records the mock's own traffic into a store.
package mock
