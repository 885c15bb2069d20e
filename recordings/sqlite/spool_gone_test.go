package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestSpooledExchangesReachTheRescueCopy: exchanges Record answered for
// that are still only in the spool when the database file is deleted or
// replaced are not lost and not left to whatever file has the path now:
// their spool goes with the rescue copy, whose next open stores them.
// With inFlight, one more exchange started before the file went (a check
// found the file in place after it started) and reaches Record after: it
// is answered without a check of its own and rescued the same way; the
// exchange that starts after the deletion is refused.
func TestSpooledExchangesReachTheRescueCopy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		what           string
		stored, queued int // inserted before the file went; answered, only in the spool
		inFlight       bool
	}{
		{"deleted", 0, 3, false},
		{"replaced", 0, 3, false},
		{"deleted", 2, 1, false},
		{"replaced", 2, 1, false},
		{"deleted", 2, 1, true},
		{"replaced", 0, 3, true},
	} {
		what, n := tc.what, tc.stored+tc.queued
		name := fmt.Sprintf("%s/%d+%d", what, tc.stored, tc.queued)
		if tc.inFlight {
			name += "+in-flight"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			db := filepath.Join(dir, "rec.db")
			s := openStore(t, db, sqlite.Options{Spool: true})
			sess := newSession(t, s, "s1")
			release := func() {}
			t.Cleanup(func() { release() })   // before the store's Close (LIFO), also after a Fatal
			inFlightStart := time.Now().UTC() // before the first Record's check
			for i := range n {
				if i == tc.stored {
					// A read waits for what was spooled before it: these
					// are inserted, the next ones are only in the spool.
					if got, err := s.SessionByName(ctx, "s1"); err != nil || got.Exchanges != tc.stored {
						t.Fatalf("before the hold: %+v %v, want %d exchanges", got, err, tc.stored)
					}
					release = sqlite.HoldDrain(s)
				}
				if err := s.Record(ctx, exchange(sess.ID, i)); err != nil {
					t.Fatal(err)
				}
			}
			switch what {
			case "deleted":
				if err := os.Remove(db); err != nil {
					t.Fatal(err)
				}
			case "replaced":
				other := filepath.Join(dir, "other.db")
				o := openStore(t, other, sqlite.Options{})
				newSession(t, o, "theirs")
				if err := o.Close(); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(other, db); err != nil {
					t.Fatal(err)
				}
			}
			queued := tc.queued
			if tc.inFlight {
				x := exchange(sess.ID, n)
				x.StartedAt = inFlightStart
				if err := s.Record(ctx, x); err != nil {
					t.Fatalf("Record of the exchange in flight when the file was %s: %v, want it answered (and rescued)", what, err)
				}
				n++
				queued++
			}
			late := exchange(sess.ID, n)
			late.StartedAt = time.Now().UTC() // started after the deletion
			err := s.Record(ctx, late)
			if !errors.Is(err, recordings.ErrGone) {
				t.Fatalf("Record after the file was %s: %v, want ErrGone", what, err)
			}
			msg := err.Error()
			if want := fmt.Sprintf("%d exchanges were stored until then", n); !strings.Contains(msg, want) {
				t.Errorf("error does not say %q: %s", want, msg)
			}
			if want := fmt.Sprintf("; %d of them were answered but not yet inserted: they are in its spool", queued); !strings.Contains(msg, want) {
				t.Errorf("error does not say %q: %s", want, msg)
			}
			m := regexp.MustCompile(`saved to (\S+rescued\S+\.db)`).FindStringSubmatch(msg)
			if m == nil {
				t.Fatalf("no rescue file named: %s", msg)
			}
			release()
			if err := s.Close(); err != nil {
				t.Logf("close: %v", err)
			}
			if left, _ := filepath.Glob(db + "-spool-*"); len(left) != 0 {
				t.Errorf("spool files left beside the gone path %s (its next open would take them): %v", db, left)
			}
			rs, err := sqlite.Open(ctx, m[1], sqlite.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := rs.SessionByName(ctx, "s1")
			rs.Close()
			if err != nil || got.Exchanges != n {
				t.Errorf("rescued session: %+v %v, want %d exchanges (every one Record answered for)", got, err, n)
			}
			if left, _ := filepath.Glob(m[1] + "-spool-*"); len(left) != 0 {
				t.Errorf("the rescue's spool files were not stored by its open: %v", left)
			}
			if what == "replaced" {
				ns, err := sqlite.Open(ctx, db, sqlite.Options{ReadOnly: true})
				if err != nil {
					t.Fatal(err)
				}
				defer ns.Close()
				if _, err := ns.SessionByName(ctx, "s1"); !errors.Is(err, recordings.ErrNotFound) {
					t.Errorf("the file now at the path has our session: %v", err)
				}
			}
		})
	}
}
