package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestIssue11WALBoundedUnderSustainedLoad is issue 11 item 15: under
// writes that never pause (and readers beside them) the -wal stays within
// WALLimit plus one group commit: the writer checkpoints (PASSIVE) past the
// limit and journal_size_limit truncates the file when it restarts.
func TestIssue11WALBoundedUnderSustainedLoad(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	const limit = 1 << 20
	s := openStore(t, path, sqlite.Options{WALLimit: limit})
	sess := newSession(t, s, "wal")
	body := bytes.Repeat([]byte("0123456789abcdef"), 4<<10) // 64 KiB
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var maxWAL atomic.Int64
	wg.Add(2)
	go func() { // a reader that never rests
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Limit: 5, Desc: true, NoBodies: true})
		}
	}()
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > maxWAL.Load() {
				maxWAL.Store(st.Size())
			}
		}
	}()
	const n = 400 // 25 MiB of response bodies, written without a pause
	var wwg sync.WaitGroup
	for w := range 4 {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			for i := w; i < n; i += 4 {
				x := exchange(sess.ID, i)
				x.Response.Body = body
				if err := s.Record(ctx, x); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wwg.Wait()
	close(stop)
	wg.Wait()
	// The bound (DefaultWALLimit's doc): twice the limit plus one group
	// commit (4 writers × 64 KiB, with page overhead), with slack.
	bound := int64(2*limit + 2<<20)
	t.Logf("max -wal %d bytes for %d MiB written (limit %d, bound %d), %d writer checkpoints", maxWAL.Load(), n*len(body)>>20, limit, bound, s.WALCheckpoints())
	if maxWAL.Load() > bound {
		t.Errorf("the -wal grew to %d bytes, more than the bound %d", maxWAL.Load(), bound)
	}
}
