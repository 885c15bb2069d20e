package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestIssue11ImportIsOneTransaction is issue 11 item 16: an import is one
// transaction. Another reader of the file never sees a half-imported
// session (what kill -9 would leave), and an import that fails half way
// (the disk fills) leaves no session at all.
func TestIssue11ImportIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, path, sqlite.Options{})
	newSession(t, s, "first")
	ro := openStore(t, path, sqlite.Options{ReadOnly: true})
	const n = 2000
	mk := func(size int) []*recordings.Exchange {
		xs := make([]*recordings.Exchange, n)
		for i := range xs {
			xs[i] = exchange(0, i)
			xs[i].Response.Body = bytes.Repeat([]byte("x"), size)
		}
		return xs
	}
	var partial atomic.Int64
	var seen atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			list, _ := ro.ListSessions(ctx, recordings.SessionFilter{NameContains: "imported"})
			for _, sess := range list {
				seen.Add(1)
				if sess.Status != recordings.SessionComplete || sess.Exchanges != n {
					partial.Add(1)
					t.Logf("a reader saw session %q %s with %d of %d exchanges", sess.Name, sess.Status, sess.Exchanges, n)
				}
			}
		}
	}()
	got, err := recordings.Import(ctx, s, &recordings.Session{Name: "imported", Source: recordings.SourceImport}, mk(2048))
	close(stop)
	wg.Wait()
	if err != nil || got != n {
		t.Fatalf("import: %d, %v", got, err)
	}
	if partial.Load() > 0 {
		t.Errorf("a reader saw a half-imported session %d times (of %d looks)", partial.Load(), seen.Load())
	}

	// Half way the disk is full: nothing stays.
	full := filepath.Join(t.TempDir(), "full.db")
	fs := openStore(t, full, sqlite.Options{MaxPageCount: 300})
	_, err = recordings.Import(ctx, fs, &recordings.Session{Name: "too-big", Source: recordings.SourceImport}, mk(4096))
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
		t.Errorf("import into a full database: %v, want an error saying nothing was imported", err)
	}
	if list, _ := fs.ListSessions(ctx, recordings.SessionFilter{}); len(list) != 0 {
		t.Errorf("a failed import left %d session(s): %s %s with %d exchanges", len(list), list[0].Name, list[0].Status, list[0].Exchanges)
	}
}
