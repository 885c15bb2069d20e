// Package trigger simulates the two kinds of Power Platform triggers a
// connector can declare, the way the flow engine drives them.
//
// It owns:
//   - the webhook subscription registry: a subscribe operation (x-ms-trigger
//     with an x-ms-notification-url parameter) stores the callback URL from
//     the body, query or header and answers with a Location header pointing
//     at the definition's unsubscribe (DELETE) operation; calling that
//     operation removes the subscription;
//   - event delivery: a POST to every callback with a payload generated
//     deterministically (mock/fake) from the path-level
//     x-ms-notification-content schema, or the operation's response schema,
//     on demand (Fire), on a schedule (Run) or when a stateful create matches
//     the trigger (OnCreate); retried with exponential backoff on 5xx, 429 and
//     timeouts; every attempt is reported to a recordings.Sink as an exchange
//     with Source "event";
//   - the polling-trigger protocol: no new data answers 202 with a Location
//     that carries the trigger state and a Retry-After; new data answers 200
//     with the items (batch) or the next item (single) and a Location with an
//     advanced cursor, so each item is seen exactly once per poller.
//
// It does not route requests, authenticate, validate or serve HTTP: the mock
// server decides which operation a request is for and hands the engine a
// Request; the engine returns what to answer. pollingtrigger policies are
// read through the policy engine's typed description (policy.PollingTrigger).
// It imports connector, policy, mock/fake and recordings only, never mock
// itself.
package trigger
