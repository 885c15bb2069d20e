// Package sessions is the recordings library workflow: open the
// database, find a session by name or id, remove, rename, export (HAR
// 1.2 or JSON, written atomically) and import (HAR or a JSON export, the
// format told by its content), and the text views of sessions and
// exchanges. `connectorlab recordings` and the desktop's Recordings
// screen both call it. It imports recordings, recordings/sqlite and
// contract/report (printable text), never cli or app.
package sessions
