package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// spoolOf is the one spool file an open store with Options.Spool writes.
func spoolOf(t *testing.T, db string) string {
	t.Helper()
	files, _ := filepath.Glob(db + "-spool-*")
	if len(files) != 1 {
		t.Fatalf("spool files beside %s: %v, want one", db, files)
	}
	return files[0]
}

// orphanSpool records n exchanges with the spool on and leaves a copy of
// the spool as a process that was killed would (no one holds it), with
// their rows missing from the database as if the kill came before the
// background insert. It returns the database, the orphan and the
// exchanges as recorded.
func orphanSpool(t *testing.T, n int) (string, string, []*recordings.Exchange) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, db, sqlite.Options{Spool: true})
	sess := newSession(t, s, "spooled")
	var xs []*recordings.Exchange
	for i := range n {
		x := exchange(sess.ID, i)
		if err := s.Record(ctx, x); err != nil {
			t.Fatal(err)
		}
		if x.ID == 0 {
			t.Fatal("Record returned without an exchange id")
		}
		xs = append(xs, x)
	}
	b, err := os.ReadFile(spoolOf(t, db))
	if err != nil {
		t.Fatal(err)
	}
	orphan := db + "-spool-999999999-1"
	if err := os.WriteFile(orphan, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(db + "-spool-*"); len(left) != 1 {
		t.Fatalf("after Close, spool files %v: want only the orphan copy (a closed store removes its own)", left)
	}
	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if res, err := raw.Exec("DELETE FROM exchanges WHERE session_id = ?", sess.ID); err != nil {
		t.Fatal(err)
	} else if k, _ := res.RowsAffected(); k != int64(n) {
		t.Fatalf("the spooled exchanges were not all inserted by the store: %d rows, want %d", k, n)
	}
	return db, orphan, xs
}

// TestIssue17SpoolRecoveryTornTail: a spool left by a killed recorder is
// stored on the next open, whatever its last record looks like — a torn
// write, a damaged length, a failed checksum — reported, never a panic,
// and nothing before the tear is lost; a file that is not a spool is kept
// and reported.
func TestIssue17SpoolRecoveryTornTail(t *testing.T) {
	t.Parallel()
	frame := func(n uint32, sum uint32, payload string) []byte {
		b := binary.LittleEndian.AppendUint32(nil, n)
		b = binary.LittleEndian.AppendUint32(b, sum)
		return append(b, payload...)
	}
	cases := []struct {
		name     string
		tail     []byte
		replace  bool // tail replaces the file instead of following it
		torn     string
		stored   int
		keptFile bool
	}{
		{name: "whole", stored: 5},
		{name: "half a header", tail: []byte{0x20, 0, 0}, torn: "3 bytes of an 8-byte header", stored: 5},
		{name: "short payload", tail: frame(100, 0, "only part"), torn: "torn record", stored: 5},
		{name: "bad checksum", tail: frame(4, 12345, "abcd"), torn: "fails its checksum", stored: 5},
		{name: "absurd length", tail: frame(1<<31, 0, "x"), torn: "damaged record", stored: 5},
		{name: "killed while writing the header", tail: []byte("CLSP"), replace: true, stored: 0},
		{name: "not a spool file", tail: []byte("some other program's notes\n"), replace: true, keptFile: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, orphan, xs := orphanSpool(t, 5)
			if c.replace {
				os.WriteFile(orphan, c.tail, 0o600)
			} else if len(c.tail) > 0 {
				f, _ := os.OpenFile(orphan, os.O_WRONLY|os.O_APPEND, 0)
				f.Write(c.tail)
				f.Close()
			}
			s := openStore(t, db, sqlite.Options{})
			rec := s.Recovered()
			if rec.Files != 1 || rec.Stored != c.stored || rec.Dropped != 0 {
				t.Fatalf("recovery %+v: want 1 file, %d stored", rec, c.stored)
			}
			switch {
			case c.torn == "" && len(rec.Torn) != 0:
				t.Fatalf("a whole spool reported torn: %v", rec.Torn)
			case c.torn != "" && (len(rec.Torn) != 1 || !strings.Contains(rec.Torn[0], c.torn) || !strings.Contains(rec.Torn[0], orphan)):
				t.Fatalf("torn report %q, want one naming the file and %q", rec.Torn, c.torn)
			}
			_, err := os.Stat(orphan)
			if c.keptFile != (err == nil) || c.keptFile != (len(rec.Kept) == 1) {
				t.Fatalf("spool file present: %v, kept %v; want kept %v", err == nil, rec.Kept, c.keptFile)
			}
			n, err := s.CountExchanges(ctx, recordings.ExchangeFilter{SessionID: xs[0].SessionID})
			if err != nil || n != c.stored {
				t.Fatalf("%d exchanges in the session after recovery (%v), want %d", n, err, c.stored)
			}
			if c.stored > 0 {
				want := xs[2]
				got, err := s.Exchange(ctx, want.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Request.URL != want.Request.URL || string(got.Response.Body) != string(want.Response.Body) ||
					got.Response.Status != want.Response.Status || got.Request.Header.Get("Accept") != want.Request.Header.Get("Accept") ||
					!got.StartedAt.Equal(want.StartedAt) || got.Response.SHA256 != want.Response.SHA256 {
					t.Fatalf("recovered exchange differs:\n got %+v\nwant %+v", got, want)
				}
			}
			s.Close()
			// Replaying is idempotent and happens once.
			s2 := openStore(t, db, sqlite.Options{})
			if r := s2.Recovered(); r.Stored != 0 || (!c.keptFile && r.Files != 0) {
				t.Fatalf("second open recovered again: %+v", r)
			}
		})
	}
}

// TestIssue17SpoolOfALiveStoreIsLeftAlone: a second store opening the
// same file does not take the spool of one still recording (its flock),
// and ids of the two never collide.
func TestIssue17SpoolOfALiveStoreIsLeftAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "rec.db")
	a := openStore(t, db, sqlite.Options{Spool: true})
	sess := newSession(t, a, "live")
	x := exchange(sess.ID, 1)
	if err := a.Record(ctx, x); err != nil {
		t.Fatal(err)
	}
	live := spoolOf(t, db)
	b := openStore(t, db, sqlite.Options{})
	if r := b.Recovered(); r.Files != 0 {
		t.Fatalf("a live store's spool was recovered by another: %+v", r)
	}
	if _, err := os.Stat(live); err != nil {
		t.Fatalf("the live spool is gone: %v", err)
	}
	y := exchange(sess.ID, 2)
	if err := b.Record(ctx, y); err != nil {
		t.Fatal(err)
	}
	z := exchange(sess.ID, 3)
	if err := a.Record(ctx, z); err != nil {
		t.Fatal(err)
	}
	if x.ID == y.ID || y.ID == z.ID || x.ID == z.ID {
		t.Fatalf("ids collide: %d %d %d", x.ID, y.ID, z.ID)
	}
	if n, err := a.CountExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID}); err != nil || n != 3 {
		t.Fatalf("%d exchanges (%v), want 3", n, err)
	}
}

// TestIssue17ReadOnlyOpenStoresAStoppedRecordersSpool: after a kill -9 the
// exchanges only in the spool were missing from `recordings ls` (a
// read-only open) until some writable open ran; a read-only open now
// stores them first when the database is writable.
func TestIssue17ReadOnlyOpenStoresAStoppedRecordersSpool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, orphan, xs := orphanSpool(t, 5) // the rows are only in the orphan spool
	ro := openStore(t, db, sqlite.Options{ReadOnly: true})
	defer ro.Close()
	n, err := ro.CountExchanges(ctx, recordings.ExchangeFilter{SessionID: xs[0].SessionID})
	if err != nil || n != len(xs) {
		t.Fatalf("a read-only open lists %d exchanges (%v), want the %d only in the stopped recorder's spool", n, err, len(xs))
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatalf("the stored spool is still there (%v)", err)
	}
	if p := ro.Recovered().Pending; len(p) != 0 {
		t.Fatalf("pending spools reported after they were stored: %v", p)
	}
}
