//go:build !linux

package cli

import (
	"errors"
	"os"
)

// readSecret cannot hide typing on this platform, so it refuses.
func readSecret(*os.File) (string, error) {
	return "", errors.New("cannot read a secret without echo on this platform; set it in its CONNECTORLAB_PARAM_* environment variable")
}

// isTTY reports whether f looks like a terminal (a character device).
func isTTY(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
