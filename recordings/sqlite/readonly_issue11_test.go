package sqlite_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// makeReadOnly makes p unwritable (chmod for a user, chattr +i for root)
// and returns the undo, or skips.
func makeReadOnly(t *testing.T, p string, dir bool) (undo func(), fix string) {
	t.Helper()
	if os.Geteuid() != 0 {
		mode := os.FileMode(0o444)
		if dir {
			mode = 0o555
		}
		os.Chmod(p, mode)
		return func() { os.Chmod(p, mode|0o200) }, "chmod u+w " + p
	}
	if exec.Command("chattr", "+i", p).Run() != nil {
		t.Skip("running as root without chattr: cannot make anything read-only")
	}
	return func() { exec.Command("chattr", "-i", p).Run() }, "chattr -i " + p
}

// TestIssue11ReadOnlyDatabaseNamesCause is issue 11 item 14: when the
// database cannot be written, the error names what is read-only (the
// file, its -wal/-shm, its directory), why, and the fix — not "no such
// file or directory" (what SQLite says for a directory it cannot create
// the -wal in) nor a list of things to check.
func TestIssue11ReadOnlyDatabaseNamesCause(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []string{"directory", "file"} {
		t.Run(tc, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "rec.db")
			s := openStore(t, path, sqlite.Options{})
			newSession(t, s, "one")
			s.Close()
			target := path
			if tc == "directory" {
				target = dir
			}
			undo, fix := makeReadOnly(t, target, tc == "directory")
			defer undo()
			var err error
			if s2, oerr := sqlite.Open(ctx, path, sqlite.Options{}); oerr != nil {
				err = oerr
			} else {
				err = s2.CreateSession(ctx, &recordings.Session{Name: "two"})
				s2.Close()
			}
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if !errors.Is(err, recordings.ErrReadOnly) || !strings.Contains(msg, fix) || strings.Contains(msg, "no such file") {
				t.Errorf("read-only %s: %v\nwant ErrReadOnly naming %s and the fix %q", tc, err, target, fix)
			}
		})
	}
}
