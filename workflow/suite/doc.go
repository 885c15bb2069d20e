// Package suite prepares a contract test run (`connectorlab test`, the
// desktop's Contract screen): the target URL rule, the connection
// parameters a run needs (a missing required one is a usage error naming
// CONNECTORLAB_PARAM_<NAME>, not a run of failing cases), and the replay
// options with auth and the connector's request policies. A session input
// is read page by page as it runs (Input.Source), never loaded whole.
// Running and grading stay in contract/replay. It imports connector, policy,
// recordings and contract/replay, never cli or app.
package suite
