// Package app is the desktop front door: the Wails application, its bound
// services and the events that carry live data to the window.
//
// It owns what the window calls (each bound struct is thin: it loads, runs
// or looks up through the engine and returns (T, error) with view structs
// shaped for the frontend), the translation of engine errors into readable
// messages with a fix, the recent-connectors list in the user config dir,
// and the batching adapter that turns recordings.Sink traffic into a few
// events per second so a list of 10,000 exchanges stays smooth.
//
// It is the only Go package that imports Wails. cli and cmd/connectorlab
// must never import it. Engine packages (connector, mock, recordings,
// contract) must not import app; they report progress through small
// interfaces that app adapts to Wails events (names in events.go).
package app
