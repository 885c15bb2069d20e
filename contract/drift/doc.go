// Package drift compares what an API answers now with what was recorded:
// a structural JSON diff of the two bodies (field added or removed, type
// changed, null-ness, array item shape, object ↔ array, new enum values),
// status and content type — judged against the definition, so a field the
// definition still calls optional is a warning while one it no longer
// declares is an error. Volatile values (ids, timestamps, ETags, dates in
// headers) never count: bodies are compared by structure, values only for
// the fields a config file opts in, and the default noise list is shown in
// every report. JSON-path ignore rules come from the same config file.
//
// Offline, Traffic aggregates many recorded exchanges against the current
// definition (undocumented fields, required fields traffic lacks, type
// mismatches, undocumented statuses, with frequencies) and Patch proposes
// an updated definition whose schemas match the traffic.
//
// It imports connector, contract, contract/shape and contract/conform.
package drift
