//go:build !unix

package sqlite

import "os"

// processAlive cannot tell on this platform; sessions are never reaped.
func processAlive(int) bool { return true }

func owner(os.FileInfo) string { return "" }
