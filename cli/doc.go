// Package cli is Connector Lab's headless front door: argument parsing,
// turning errors into user text and exit codes, and report formatting.
// cmd/connectorlab calls Run. It must never import Wails (a test checks
// the dependency list) so the CLI builds and runs on machines without a GUI.
package cli
