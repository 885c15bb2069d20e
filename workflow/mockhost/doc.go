// Package mockhost hosts running mocks for the front doors: a Unit is one
// connector's mock whose definition or options can be swapped while it
// serves (--watch reloads, the desktop's live settings) without dropping
// the port, the stateful store or the triggers' subscriptions; a Host
// keeps several hosted mocks at once, keyed by id, with Start, Stop,
// Get and List. It imports mock and connector, never cli or app.
package mockhost
