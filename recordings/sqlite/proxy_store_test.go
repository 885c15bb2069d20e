package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestProxyLockedDatabaseNeverDropsSilently: while another program holds
// the database, the proxy withholds the upstream response (503
// recording-failed), reports the failure and the session ends incomplete;
// once the lock is gone recording resumes.
func TestProxyLockedDatabaseNeverDropsSilently(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, path, sqlite.Options{BusyTimeout: 150 * time.Millisecond})
	sess := newSession(t, s, "locked")
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"ok":true}`) }))
	defer up.Close()
	var mu sync.Mutex
	var failures []error
	u, _ := url.Parse(up.URL)
	p, _ := recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: s, SessionID: sess.ID,
		OnStoreError: func(_ *recordings.Exchange, err error) {
			mu.Lock()
			failures = append(failures, err)
			mu.Unlock()
			s.EndSession(context.WithoutCancel(ctx), sess.ID, recordings.SessionIncomplete, err.Error())
		}})
	px := httptest.NewServer(p)
	defer px.Close()

	other, _ := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(px.URL + "/a")
	if err != nil {
		t.Fatal(err)
	}
	var problem map[string]any
	json.NewDecoder(resp.Body).Decode(&problem)
	resp.Body.Close()
	tx.Rollback()
	if resp.StatusCode != 503 || problem["error"] != "recording-failed" {
		t.Fatalf("while locked: %d %v", resp.StatusCode, problem)
	}
	mu.Lock()
	n := len(failures)
	mu.Unlock()
	if n != 1 {
		t.Fatalf("%d store failures reported, want 1", n)
	}
	resp, err = http.Get(px.URL + "/b")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get(recordings.ExchangeHeader) == "" {
		t.Fatalf("after the lock: %d", resp.StatusCode)
	}
	s.EndSession(ctx, sess.ID, recordings.SessionComplete, "")
	got, _ := s.Session(ctx, sess.ID)
	if got.Status != recordings.SessionIncomplete || got.Exchanges != 1 {
		t.Fatalf("session after a failed store: %s with %d exchanges (want incomplete with 1)", got.Status, got.Exchanges)
	}
}
