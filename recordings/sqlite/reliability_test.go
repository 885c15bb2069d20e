package sqlite_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestExistingNeverCreates: with Existing, a missing or empty file is
// ErrNotFound and no file (nor -wal/-shm) is left behind.
func TestExistingNeverCreates(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	if _, err := sqlite.Open(context.Background(), missing, sqlite.Options{Existing: true}); !errors.Is(err, recordings.ErrNotFound) {
		t.Fatalf("missing file: %v, want ErrNotFound", err)
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	if _, err := sqlite.Open(context.Background(), empty, sqlite.Options{Existing: true}); !errors.Is(err, recordings.ErrNotFound) {
		t.Fatalf("empty file: %v, want ErrNotFound", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("files left behind: %v", ents)
	}
	if st, _ := os.Stat(empty); st.Size() != 0 {
		t.Fatal("the empty file was written")
	}
}

// TestReadOnlyDirectoryIsReadable: a database in a directory that cannot
// be written (a read-only mount, a CI checkout) opens read-only — SQLite
// cannot create the -shm it normally reads through — with every session
// there, and a write says read-only.
func TestReadOnlyDirectoryIsReadable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.db")
	s := openStore(t, path, sqlite.Options{})
	sess := newSession(t, s, "ro")
	for i := range 3 {
		if err := s.Record(ctx, exchange(sess.ID, i)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	switch {
	case os.Geteuid() != 0:
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
	case exec.Command("chattr", "+i", dir).Run() == nil:
		defer exec.Command("chattr", "-i", dir).Run()
	default:
		t.Skip("running as root without chattr: cannot make a read-only directory")
	}
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		f.Close()
		t.Skip("the directory is still writable")
	}
	ro, err := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open in a read-only directory: %v", err)
	}
	defer ro.Close()
	got, err := ro.SessionByName(ctx, "ro")
	if err != nil || got.Exchanges != 3 {
		t.Fatalf("session: %+v %v", got, err)
	}
	if err := ro.Record(ctx, exchange(sess.ID, 9)); !errors.Is(err, recordings.ErrReadOnly) {
		t.Fatalf("write: %v, want ErrReadOnly", err)
	}
	if _, err := sqlite.Open(ctx, path, sqlite.Options{}); err == nil {
		t.Fatal("a writable open in a read-only directory succeeded")
	}
}
