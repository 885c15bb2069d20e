// Package catalog is the workflow of looking at connector definitions:
// `connectorlab inspect` (a summary of files, auth, policies and the
// operations table) and `connectorlab validate` (lint many definitions
// into one report with a pass/fail threshold), with their text views. It
// imports connector only, never cli or app.
package catalog
