package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// writeProblem says what stops the database at path from being written —
// which file or directory, why, and the fix — or "" when nothing visible
// does. SQLite itself only says "attempt to write a readonly database" or,
// for a directory it cannot create the -wal in, "unable to open database
// file: no such file or directory", which names the wrong cause.
func writeProblem(path string) string {
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err != nil {
		return unwritable("the database file", path, err)
	} else {
		f.Close()
	}
	missing := false
	for _, side := range []string{path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(side, os.O_RDWR, 0)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing = true
		case err != nil:
			return unwritable("its "+side[len(path):]+" file", side, err)
		default:
			f.Close()
		}
	}
	if !missing {
		return ""
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".connectorlab-probe-*")
	if err != nil {
		return unwritable("its directory", dir, err) + "; SQLite must create " + filepath.Base(path) + "-wal and -shm there (or open it read-only: the reading commands do)"
	}
	f.Close()
	os.Remove(f.Name())
	return ""
}

func unwritable(what, path string, err error) string {
	var why, fix string
	switch {
	case errors.Is(err, syscall.EROFS):
		why, fix = "is on a read-only file system", "remount it read-write, or copy the database to a writable place and use --db"
	case errors.Is(err, syscall.EPERM):
		why, fix = "is immutable or append-only", "run chattr -i "+path+" (as root)"
	case errors.Is(err, syscall.EACCES):
		why = "is not writable by this user"
		if st, e := os.Stat(path); e == nil {
			why += fmt.Sprintf(" (mode %s%s)", st.Mode().Perm(), owner(st))
		}
		fix = "run chmod u+w " + path + " (or run as its owner)"
	default:
		why, fix = "cannot be written ("+err.Error()+")", "check it"
	}
	return fmt.Sprintf("%s %s %s: %s", what, path, why, fix)
}
