//go:build cgo

package sqlite

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// classify maps a driver error to the kinds the store reports.
func classify(err error) errKind {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return kindNone
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return kindLocked
	case sqlite3.ErrReadonly:
		return kindReadOnly
	case sqlite3.ErrFull:
		return kindFull
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		return kindCorrupt
	case sqlite3.ErrCantOpen:
		return kindCantOpen
	case sqlite3.ErrConstraint:
		if se.ExtendedCode == sqlite3.ErrConstraintUnique {
			return kindUnique
		}
	}
	return kindNone
}
