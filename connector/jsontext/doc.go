// Package jsontext is the lenient JSON front end for connector files.
//
// Power Platform connector files (apiDefinition.swagger.json,
// apiProperties.json) are often not strict JSON: they carry a UTF-8 byte
// order mark, trailing or missing commas, raw control characters in strings,
// Unicode spaces used as indentation, Windows-1252 bytes, comments and
// duplicate keys. The package owns turning such bytes into strict JSON that
// encoding/json accepts ([Normalize]), reporting each change as a [Repair]
// with a stable ID and the line and column in the original file, and refusing
// what cannot be recovered with a [SyntaxError] or [DepthError] that says
// where and what to fix. [Index] maps RFC 6901 JSON pointers back to
// positions in the original bytes, so later stages (loading, validation,
// lint) can report findings as file:line:col.
//
// Lines and columns are 1-based. A column counts characters, not bytes: a
// multi-byte UTF-8 character and a byte decoded as Windows-1252 each count
// as one, and a leading byte order mark is not counted.
//
// The package imports only the standard library.
package jsontext
