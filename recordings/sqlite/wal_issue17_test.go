package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestIssue17WALBoundedWithSmallTransactions: one writer, so every
// exchange is its own (autocommit) transaction, each rewriting a few
// pages: the -wal grows fastest per byte stored there. boundWAL looks at
// the file only every 32 transactions (issue 17), and the WAL must still
// stay within twice the limit plus what those transactions write. The
// size is sampled after every write (bounded, not timed); without the
// checkpoint logic it grows to several MiB.
func TestIssue17WALBoundedWithSmallTransactions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	const limit = 128 << 10
	s := openStore(t, path, sqlite.Options{WALLimit: limit})
	sess := newSession(t, s, "wal-small")
	body := bytes.Repeat([]byte("x"), 1024)
	const n = 2000
	var maxWAL int64
	for i := range n {
		x := exchange(sess.ID, i)
		x.Response.Body = body
		if err := s.Record(ctx, x); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > maxWAL {
			maxWAL = st.Size()
		}
	}
	// 32 transactions between looks, each a few 4 KiB pages plus frame
	// headers: 32 × 16 KiB is generous.
	bound := int64(2*limit + 32*16<<10)
	t.Logf("max -wal %d bytes after %d single-exchange transactions (limit %d, bound %d), %d writer checkpoints", maxWAL, n, limit, bound, s.WALCheckpoints())
	if maxWAL > bound {
		t.Errorf("the -wal grew to %d bytes, more than the bound %d", maxWAL, bound)
	}
	if s.WALCheckpoints() == 0 {
		t.Error("the writer never checkpointed: the test did not reach the limit")
	}
}
