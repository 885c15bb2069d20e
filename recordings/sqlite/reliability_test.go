package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// TestConcurrentProxyStoresEachExchangeOnce (plan C1/C2): 100 clients send
// 10 requests each, mixed methods and bodies, through the recording proxy
// into a real file while readers list sessions and exchanges in a loop.
// Every response a client got names a stored exchange holding exactly
// that request; the file holds each request once and nothing else; no
// read and no write fails (no SQLITE_BUSY surfaces).
func TestConcurrentProxyStoresEachExchangeOnce(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rec.db"), sqlite.Options{})
	sess := newSession(t, s, "c1")
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"path":%q,"len":%d}`, r.URL.Path, len(b))
	}))
	defer up.Close()
	u, _ := url.Parse(up.URL)
	p, err := recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: s, SessionID: sess.ID})
	if err != nil {
		t.Fatal(err)
	}
	px := httptest.NewServer(p)
	defer px.Close()

	const clients, each = 100, 10
	stop := make(chan struct{})
	var readers sync.WaitGroup
	var reads atomic.Int64
	readErr := make(chan error, 4)
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.ListSessions(ctx, recordings.SessionFilter{}); err != nil {
					readErr <- err
					return
				}
				if _, err := s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Desc: true, Limit: 50}); err != nil {
					readErr <- err
					return
				}
				reads.Add(1)
			}
		}()
	}
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	type ack struct {
		id   int64
		path string
	}
	acks := make(chan ack, clients*each)
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				path := fmt.Sprintf("/c%d/r%d", c, i)
				var req *http.Request
				switch i % 3 {
				case 0:
					req, _ = http.NewRequest("GET", px.URL+path+"?q=1", nil)
				case 1:
					req, _ = http.NewRequest("POST", px.URL+path, strings.NewReader(strings.Repeat("b", 100*i)))
				default:
					req, _ = http.NewRequest("DELETE", px.URL+path, nil)
				}
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				id, _ := strconv.ParseInt(resp.Header.Get(recordings.ExchangeHeader), 10, 64)
				if resp.StatusCode != 200 || id == 0 {
					errs <- fmt.Errorf("%s %s: %d, exchange %q", req.Method, path, resp.StatusCode, resp.Header.Get(recordings.ExchangeHeader))
					return
				}
				acks <- ack{id, path}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	close(acks)
	for err := range errs {
		t.Fatal(err)
	}
	select {
	case err := <-readErr:
		t.Fatalf("a reader failed while the proxy wrote: %v", err)
	default:
	}
	stored := map[int64]string{}
	for f := (recordings.ExchangeFilter{SessionID: sess.ID, Limit: 500}); ; {
		page, err := s.ListExchanges(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page.Exchanges {
			u, _ := url.Parse(x.Request.URL)
			if prev, dup := stored[x.ID]; dup {
				t.Fatalf("exchange %d listed twice (%s)", x.ID, prev)
			}
			stored[x.ID] = u.Path
		}
		if page.Next == 0 {
			break
		}
		f.After = page.Next
	}
	if len(stored) != clients*each {
		t.Fatalf("%d exchanges stored, %d requests answered", len(stored), clients*each)
	}
	seen := map[string]bool{}
	for a := range acks {
		if stored[a.id] != a.path {
			t.Fatalf("response for %s named exchange %d, which holds %q", a.path, a.id, stored[a.id])
		}
		if seen[a.path] {
			t.Fatalf("%s answered twice", a.path)
		}
		seen[a.path] = true
	}
	t.Logf("%d exchanges, each stored once; %d reader loops meanwhile", len(stored), reads.Load())
}
