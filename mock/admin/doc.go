// Package admin is the mock's control API: a small JSON API on its own
// loopback listener, apart from the mocked API's paths, through which the
// CLI (connectorlab trigger) and the desktop UI list connectors, webhook
// subscriptions and polling cursors, fire events, reset state and set the
// scenario and faults at run time. docs/ADMIN-API.md documents it.
//
// Every request needs the token printed at startup and written to the
// token file (Authorization: Bearer TOKEN), compared in constant time, and
// a loopback Host header (against DNS rebinding). The one exception is the
// unsubscribe capability URL a webhook subscription gets when its
// connector declares no unsubscribe operation: its unguessable key is the
// credential.
//
// It owns the HTTP surface, the token and the token file; the mock server
// implements Backend. It imports mock/trigger for the shapes it returns and
// never mock itself.
package admin
