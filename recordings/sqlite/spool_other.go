//go:build !unix

package sqlite

import (
	"errors"
	"os"
)

// No flock here: Options.Spool is ignored, and spool files (copied from
// a Unix machine) are left alone, since whether their writer is gone
// cannot be told.
const spoolSupported = false

func lockFile(*os.File) error { return errors.New("spool files need flock (Unix)") }

func tryLockFile(*os.File) bool { return false }
