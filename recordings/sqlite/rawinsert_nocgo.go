//go:build !cgo

package sqlite

// Without cgo there is no SQLite: nothing to insert through.
type rawWriter struct{}

func (s *Store) rawInsert([]*job) (bool, error) { return false, nil }

func (s *Store) closeRaw() {}
