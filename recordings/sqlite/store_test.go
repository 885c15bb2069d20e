package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

func openStore(t *testing.T, path string, o sqlite.Options) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, o)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newSession(t *testing.T, s recordings.Store, name string) *recordings.Session {
	t.Helper()
	sess := &recordings.Session{Name: name, Connector: "Contoso", Upstream: "http://127.0.0.1:1", Source: recordings.SourceProxy, Tags: []string{"t1"}}
	if err := s.CreateSession(context.Background(), sess); err != nil {
		t.Fatal(err)
	}
	return sess
}

func exchange(sid int64, i int) *recordings.Exchange {
	return &recordings.Exchange{
		SessionID: sid, Source: recordings.SourceProxy, OperationID: "GetOrder",
		StartedAt: time.Unix(1700000000, int64(i)).UTC(), Duration: time.Millisecond,
		Request: recordings.Request{Method: "GET", URL: fmt.Sprintf("http://127.0.0.1/orders/%d?x=1", i),
			Message: recordings.Message{Header: http.Header{"Accept": {"application/json"}}}},
		Response: recordings.Response{Status: 200, Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(fmt.Sprintf(`{"id":%d}`, i))}},
	}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, path, sqlite.Options{})
	sess := newSession(t, s, "first")
	for i := range 5 {
		x := exchange(sess.ID, i)
		if err := s.Record(ctx, x); err != nil {
			t.Fatal(err)
		}
		if x.ID == 0 {
			t.Fatal("Record did not set the id")
		}
	}
	got, err := s.SessionByName(ctx, "first")
	if err != nil || got.Exchanges != 5 || got.Status != recordings.SessionOpen || got.Tags[0] != "t1" {
		t.Fatalf("session = %+v, %v", got, err)
	}
	page, err := s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Limit: 2})
	if err != nil || len(page.Exchanges) != 2 || page.Next == 0 {
		t.Fatalf("page 1 = %d exchanges next %d, %v", len(page.Exchanges), page.Next, err)
	}
	var all []*recordings.Exchange
	all = append(all, page.Exchanges...)
	for page.Next != 0 {
		page, err = s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Limit: 2, After: page.Next})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Exchanges...)
	}
	if len(all) != 5 {
		t.Fatalf("paginated %d exchanges, want 5", len(all))
	}
	x := all[3]
	if string(x.Response.Body) != `{"id":3}` || x.Request.Header.Get("Accept") != "application/json" || x.Response.SHA256 == "" {
		t.Fatalf("exchange read back wrong: %+v", x)
	}
	n, err := s.CountExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, PathPrefix: "/orders/", OperationID: "GetOrder"})
	if err != nil || n != 5 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if err := s.EndSession(ctx, sess.ID, recordings.SessionComplete, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameSession(ctx, sess.ID, "renamed"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Session(ctx, sess.ID)
	if got.Name != "renamed" || got.Status != recordings.SessionComplete || got.EndedAt.IsZero() {
		t.Fatalf("after end+rename: %+v", got)
	}
	other := newSession(t, s, "other")
	if err := s.RenameSession(ctx, other.ID, "renamed"); !errors.Is(err, recordings.ErrExists) {
		t.Fatalf("rename to a taken name: %v, want ErrExists", err)
	}
	if err := s.CreateSession(ctx, &recordings.Session{Name: "other"}); !errors.Is(err, recordings.ErrExists) {
		t.Fatalf("create with a taken name: %v, want ErrExists", err)
	}
	if err := s.DeleteSession(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountExchanges(ctx, recordings.ExchangeFilter{}); n != 0 {
		t.Fatalf("%d exchanges left after deleting their session", n)
	}
	if _, err := s.Session(ctx, sess.ID); !errors.Is(err, recordings.ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
}

func TestRunsAndFindings(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rec.db"), sqlite.Options{})
	sess := newSession(t, s, "s")
	x := exchange(sess.ID, 1)
	if err := s.Record(ctx, x); err != nil {
		t.Fatal(err)
	}
	r := &recordings.Run{SessionID: sess.ID, Connector: "Contoso", Kind: "replay", Target: "http://127.0.0.1:9"}
	if err := s.CreateRun(ctx, r); err != nil || r.ID == 0 {
		t.Fatal(r.ID, err)
	}
	fs := []*recordings.Finding{
		{FindingID: "response-field-removed", Level: "error", OperationID: "GetOrder", ExchangeID: x.ID, Message: "field id removed", Pointer: "/id"},
		{FindingID: "status-undeclared", Level: "warning", Message: "418 not declared"},
	}
	if err := s.AddFindings(ctx, r.ID, fs); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFindings(ctx, r.ID, []*recordings.Finding{{FindingID: "x", Level: "fatal", Message: "m"}}); err == nil {
		t.Fatal("a finding with level fatal was accepted")
	}
	r.Status, r.Total, r.Passed, r.Failed, r.EndedAt = "failed", 2, 1, 1, time.Now()
	if err := s.UpdateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	runs, err := s.ListRuns(ctx, recordings.RunFilter{SessionID: sess.ID})
	if err != nil || len(runs) != 1 || runs[0].Failed != 1 || runs[0].Status != "failed" {
		t.Fatalf("runs = %+v, %v", runs, err)
	}
	got, err := s.ListFindings(ctx, recordings.FindingFilter{RunID: r.ID, Level: "error"})
	if err != nil || len(got) != 1 || got[0].FindingID != "response-field-removed" || got[0].ExchangeID != x.ID || got[0].Pointer != "/id" {
		t.Fatalf("findings = %+v, %v", got, err)
	}
}

// TestConcurrentWritersNeverLocked is the go-sqlite3 trap the reference
// notes measured: 100 goroutines writing at once must all succeed.
func TestConcurrentWritersNeverLocked(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rec.db"), sqlite.Options{})
	sess := newSession(t, s, "load")
	var wg sync.WaitGroup
	errs := make(chan error, 2000)
	for g := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if err := s.Record(ctx, exchange(sess.ID, g*100+i)); err != nil {
					errs <- err
				}
				if i%5 == 0 {
					if _, err := s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Limit: 10, NoBodies: true}); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	if n, _ := s.CountExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID}); n != 2000 {
		t.Fatalf("stored %d exchanges, want 2000", n)
	}
}

func TestBodyCapAndRecordErrors(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rec.db"), sqlite.Options{Limits: recordings.Limits{BodyCap: 10}})
	sess := newSession(t, s, "cap")
	x := exchange(sess.ID, 1)
	x.Response.Body = []byte(strings.Repeat("a", 100))
	if err := s.Record(ctx, x); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Exchange(ctx, x.ID)
	if len(got.Response.Body) != 10 || !got.Response.Truncated || got.Response.Size != 100 || got.Response.SHA256 == "" {
		t.Fatalf("capped body: len %d truncated %v size %d", len(got.Response.Body), got.Response.Truncated, got.Response.Size)
	}
	if err := s.Record(ctx, exchange(0, 1)); err == nil {
		t.Fatal("an exchange without a session was accepted")
	}
	if err := s.Record(ctx, exchange(999, 1)); !errors.Is(err, recordings.ErrNotFound) {
		t.Fatalf("an exchange of a missing session: %v, want ErrNotFound", err)
	}
}

func TestCorruptFileIsNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.db")
	junk := []byte("these are my notes, not a database\n")
	os.WriteFile(path, junk, 0o644)
	_, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if !errors.Is(err, recordings.ErrCorrupt) || !strings.Contains(err.Error(), "left untouched") {
		t.Fatalf("open junk: %v, want ErrCorrupt naming the file as untouched", err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(junk) {
		t.Fatal("the junk file was modified")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("a -wal file was created beside the junk file")
	}

	// A real database whose pages are damaged after the header.
	good := filepath.Join(dir, "good.db")
	s, err := sqlite.Open(context.Background(), good, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sess := &recordings.Session{Name: "s"}
	s.CreateSession(context.Background(), sess)
	for i := range 50 {
		s.Record(context.Background(), exchange(sess.ID, i))
	}
	s.Close()
	b, _ := os.ReadFile(good)
	for i := 100; i < len(b); i++ {
		b[i] = 0xA5
	}
	os.WriteFile(good, b, 0o644)
	before, _ := os.ReadFile(good)
	s2, err := sqlite.Open(context.Background(), good, sqlite.Options{})
	if err == nil {
		err = s2.Record(context.Background(), exchange(sess.ID, 99))
		s2.Close()
	}
	if !errors.Is(err, recordings.ErrCorrupt) {
		t.Fatalf("damaged database: %v, want ErrCorrupt", err)
	}
	after, _ := os.ReadFile(good)
	if string(before) != string(after) {
		t.Fatal("the damaged database file was modified")
	}
}

func TestLockedDatabaseIsAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, path, sqlite.Options{BusyTimeout: 200 * time.Millisecond})
	sess := newSession(t, s, "s")
	// Another program holds a write lock.
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	err = s.Record(context.Background(), exchange(sess.ID, 1))
	tx.Rollback()
	if !errors.Is(err, recordings.ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Fatalf("record while locked: %v, want ErrLocked naming %s", err, path)
	}
	if err := s.Record(context.Background(), exchange(sess.ID, 2)); err != nil {
		t.Fatalf("record after the lock was released: %v", err)
	}
}

func TestFullDatabaseIsAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, path, sqlite.Options{MaxPageCount: 40})
	sess := newSession(t, s, "s")
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		x := exchange(sess.ID, i)
		x.Response.Body = []byte(strings.Repeat("z", 4000))
		err = s.Record(context.Background(), x)
	}
	if !errors.Is(err, recordings.ErrFull) {
		t.Fatalf("filling the database: %v, want ErrFull", err)
	}
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	if _, err := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true}); !errors.Is(err, recordings.ErrNotFound) {
		t.Fatalf("read-only open of a missing file: %v, want ErrNotFound", err)
	}
	s, _ := sqlite.Open(ctx, path, sqlite.Options{})
	sess := &recordings.Session{Name: "s"}
	s.CreateSession(ctx, sess)
	s.Close()
	ro := openStore(t, path, sqlite.Options{ReadOnly: true})
	if _, err := ro.SessionByName(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	if err := ro.Record(ctx, exchange(sess.ID, 1)); !errors.Is(err, recordings.ErrReadOnly) {
		t.Fatalf("write through a read-only store: %v", err)
	}
	if os.Geteuid() != 0 {
		os.Chmod(path, 0o444)
		defer os.Chmod(path, 0o644)
		_, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err == nil || !errors.Is(err, recordings.ErrReadOnly) && !strings.Contains(err.Error(), "cannot open") {
			t.Fatalf("open a read-only file for writing: %v", err)
		}
	}
}

func TestInterruptedSessionIsMarkedIncomplete(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	s, _ := sqlite.Open(ctx, path, sqlite.Options{})
	sess := &recordings.Session{Name: "s"}
	s.CreateSession(ctx, sess)
	s.Close()
	// Pretend a recorder with a dead pid owns it.
	db, _ := sql.Open("sqlite3", path)
	if _, err := db.Exec("UPDATE sessions SET writer_pid = 999999999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s2 := openStore(t, path, sqlite.Options{})
	got, _ := s2.Session(ctx, sess.ID)
	if got.Status != recordings.SessionIncomplete || got.Problem == "" {
		t.Fatalf("session of a dead recorder: %+v", got)
	}
	// Opening for writing marks it in the file, not only in the view.
	raw, _ := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	defer raw.Close()
	var status string
	if err := raw.QueryRow("SELECT status FROM sessions WHERE id = ?", sess.ID).Scan(&status); err != nil || status != "incomplete" {
		t.Fatalf("stored status %q, %v", status, err)
	}
}

func TestMigrationsAreVersioned(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.db")
	s, _ := sqlite.Open(context.Background(), path, sqlite.Options{})
	s.Close()
	db, _ := sql.Open("sqlite3", path)
	db.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := sqlite.Open(context.Background(), path, sqlite.Options{}); !errors.Is(err, recordings.ErrTooNew) {
		t.Fatalf("open a newer schema: %v, want ErrTooNew", err)
	}
}

func TestPickSessionAndSessionSink(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "rec.db"), sqlite.Options{})
	if _, err := recordings.PickSession(ctx, s, "", "Contoso"); !errors.Is(err, recordings.ErrNotFound) {
		t.Fatalf("empty store: %v", err)
	}
	a := newSession(t, s, "a")
	b := &recordings.Session{Name: "b", Connector: "Contoso", StartedAt: a.StartedAt.Add(time.Second)}
	s.CreateSession(ctx, b)
	sink := recordings.SessionSink(s, a.ID, recordings.SourceMock)
	x := exchange(0, 1)
	x.Source = ""
	if err := sink.Record(ctx, x); err != nil || x.SessionID != a.ID || x.Source != recordings.SourceMock {
		t.Fatalf("session sink: %v %+v", err, x)
	}
	s.Record(ctx, exchange(b.ID, 2))
	s.EndSession(ctx, a.ID, recordings.SessionComplete, "")
	// b is newer but still open: the newest complete session wins.
	if got, err := recordings.PickSession(ctx, s, "", "Contoso"); err != nil || got.ID != a.ID {
		t.Fatalf("pick newest complete: %+v %v", got, err)
	}
	if got, err := recordings.PickSession(ctx, s, fmt.Sprint(b.ID), ""); err != nil || got.ID != b.ID {
		t.Fatalf("pick by id: %+v %v", got, err)
	}
	if _, err := recordings.PickSession(ctx, s, "zzz", ""); !errors.Is(err, recordings.ErrNotFound) || !strings.Contains(err.Error(), "zzz") {
		t.Fatalf("pick unknown: %v", err)
	}
}

func TestReadOnlyViewOfInterruptedSession(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rec.db")
	s, _ := sqlite.Open(ctx, path, sqlite.Options{})
	sess := &recordings.Session{Name: "s"}
	s.CreateSession(ctx, sess)
	s.Close()
	db, _ := sql.Open("sqlite3", path)
	db.Exec("UPDATE sessions SET writer_pid = 999999999")
	db.Close()
	ro := openStore(t, path, sqlite.Options{ReadOnly: true})
	got, _ := ro.Session(ctx, sess.ID)
	if got.Status != recordings.SessionIncomplete {
		t.Fatalf("read-only view of a dead recorder's session: %s", got.Status)
	}
}
