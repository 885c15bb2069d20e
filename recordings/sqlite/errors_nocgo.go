//go:build !cgo

package sqlite

import (
	"strings"

	_ "github.com/mattn/go-sqlite3" // registers a stub driver that explains itself
)

// classify: without cgo the driver is a stub whose only error says so.
func classify(err error) errKind {
	if strings.Contains(err.Error(), "CGO_ENABLED=0") {
		return kindNoDriver
	}
	return kindNone
}
