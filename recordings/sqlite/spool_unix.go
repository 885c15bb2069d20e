//go:build unix

package sqlite

import (
	"os"
	"syscall"
)

const spoolSupported = true

// lockFile takes f's flock, waiting for it: a spool file is held by its
// process while open, so a file nobody holds belongs to a process that is
// gone (the kernel lets go of the lock when it dies, kill -9 included).
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// tryLockFile reports whether f's flock could be taken (nobody holds f).
func tryLockFile(f *os.File) bool { return lockFile(f) == nil }
