// Package shape flattens JSON schemas and JSON values into the same form —
// a map from field path ("results[].alexa") to what is known about the
// field (types, format, enum, nullability, whether it is required) — and
// compares two such shapes into a list of structural changes.
//
// Both the breaking-change diff (schema vs schema) and drift detection
// (recorded value vs replayed value, value vs schema) build on it, so a
// field means the same thing in every report. Computing changes lives
// here; judging them (which change is an error) belongs to the callers.
//
// It imports kin-openapi and the standard library only.
package shape
