// Package create is the "new connector" workflow shared by the CLI
// (connectorlab new) and the desktop app: it turns a source — blank, an
// OpenAPI 2/3 file, a Postman collection v1/v2, a HAR file or a recording
// session — into a connector folder (package authoring), learning
// operations, parameters, schemas and auth from traffic where the source
// is traffic (Infer), and adds what traffic shows to an existing
// definition without reformatting it (Merge, which extends the drift
// patch of contract/drift).
//
// It reads recordings through recordings.Store only; the caller opens the
// database. Errors a user can fix are *workflow.Error.
package create
