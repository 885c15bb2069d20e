package sessions

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow"
)

// seed makes a database with one session of two exchanges.
func seed(t *testing.T) (recordings.Store, string) {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "r.db")
	s, err := Open(ctx, db, Create, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	sess := &recordings.Session{Name: "s1", Connector: "Contoso", Source: recordings.SourceProxy, Upstream: "https://api.example.com/v1"}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{"/v1/orders/1", "/v1/orders/2"} {
		x := &recordings.Exchange{SessionID: sess.ID, Connector: "Contoso", OperationID: "GetOrder", StartedAt: time.Now(), Duration: time.Millisecond,
			Request:  recordings.Request{Method: "GET", URL: "https://api.example.com" + p},
			Response: recordings.Response{Status: 200 + i, Message: recordings.Message{Body: []byte(`{"id":1}`), Size: 8}}}
		if err := s.Record(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EndSession(ctx, sess.ID, recordings.SessionComplete, ""); err != nil {
		t.Fatal(err)
	}
	return s, db
}

func TestOpenOnlyCreatesForImport(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "none.db")
	for _, a := range []Access{Read, Write} {
		if _, err := Open(context.Background(), missing, a, nil); err == nil || workflow.KindOf(err) != workflow.KindInfra {
			t.Errorf("access %d: err = %v", a, err)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a missing database was created")
	}
}

func TestFindRemoveRename(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := seed(t)
	sess, err := Find(ctx, s, "s1")
	if err != nil || sess.Exchanges != 2 {
		t.Fatalf("find: %+v %v", sess, err)
	}
	if _, err := Find(ctx, s, "nope"); workflow.KindOf(err) != workflow.KindUsage {
		t.Errorf("missing session: %v", err)
	}
	if byID, err := ByID(ctx, s, sess.ID); err != nil || byID.Name != "s1" {
		t.Errorf("by id: %+v %v", byID, err)
	}
	if _, err := Rename(ctx, s, "s1", "  "); workflow.KindOf(err) != workflow.KindUsage {
		t.Errorf("empty name: %v", err)
	}
	if _, err := Rename(ctx, s, "s1", "golden"); err != nil {
		t.Fatal(err)
	}
	other := &recordings.Session{Name: "other", Source: recordings.SourceProxy}
	if err := s.CreateSession(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := Rename(ctx, s, "other", "golden"); workflow.KindOf(err) != workflow.KindExists {
		t.Errorf("rename onto a taken name: %v", err)
	}
	if old, err := Remove(ctx, s, "golden"); err != nil || old.Exchanges != 2 {
		t.Fatalf("remove: %+v %v", old, err)
	}
	if _, err := Find(ctx, s, "golden"); err == nil {
		t.Error("removed session still found")
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := seed(t)
	dir := t.TempDir()
	sess, _ := Find(ctx, s, "s1")
	for _, format := range []string{"har", "json"} {
		out := filepath.Join(dir, "s1."+format)
		if n, err := ExportFile(ctx, s, sess.ID, format, out, "test"); err != nil || n != 2 {
			t.Fatalf("export %s: %d %v", format, n, err)
		}
		res, err := Import(ctx, s, ImportSpec{File: out, Connector: "Contoso", Name: "from-" + format})
		if err != nil || res.Exchanges != 2 || res.Session.Name != "from-"+format {
			t.Fatalf("import %s: %+v %v", format, res, err)
		}
	}
	// The format is told by the content; the name defaults to the export's
	// (taken) or the file name.
	p, err := ImportSpec{File: filepath.Join(dir, "s1.json")}.Read()
	if err != nil || p.Session.Name != "s1" || p.Session.Connector != "Contoso" {
		t.Fatalf("read json: %+v %v", p.Session, err)
	}
	p, err = ImportSpec{File: filepath.Join(dir, "s1.har")}.Read()
	if err != nil || p.Session.Name != "s1" || len(p.Exchanges) != 2 {
		t.Fatalf("read har: %+v %v", p.Session, err)
	}
	if _, err := Export(ctx, s, sess.ID, "xml", &bytes.Buffer{}, ""); workflow.KindOf(err) != workflow.KindUsage {
		t.Errorf("xml export: %v", err)
	}
	bad := filepath.Join(dir, "bad.har")
	os.WriteFile(bad, []byte(`{"log": 1}`), 0o600)
	if _, err := (ImportSpec{File: bad}).Read(); workflow.KindOf(err) != workflow.KindUsage || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad HAR: %v", err)
	}
	// A failed export leaves no file under the real name.
	out := filepath.Join(dir, "gone.har")
	if _, err := ExportFile(ctx, s, 9999, "har", out, ""); err == nil {
		t.Error("exporting a missing session worked")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed export left a file")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestTextViewsArePrintable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := seed(t)
	list, _ := s.ListSessions(ctx, recordings.SessionFilter{})
	var b bytes.Buffer
	WriteList(&b, list, "r.db")
	if !strings.Contains(b.String(), "s1") || !strings.Contains(b.String(), "EXCHANGES") {
		t.Errorf("list:\n%s", b.String())
	}
	b.Reset()
	WriteList(&b, nil, "r.db")
	if b.String() != "no sessions in r.db\n" {
		t.Errorf("empty list: %q", b.String())
	}
	x := &recordings.Exchange{ID: 1, Request: recordings.Request{Method: "GET", URL: "http://h/\x1b[31mred"}, Response: recordings.Response{Status: 200}}
	b.Reset()
	WriteExchange(&b, x)
	if strings.Contains(b.String(), "\x1b") {
		t.Errorf("an escape sequence reached the terminal: %q", b.String())
	}
	if PathOf("https://h.example/v1/x?y=1") != "/v1/x?y=1" || PathOf("https://h.example") != "/" || PathOf("/rel") != "/rel" {
		t.Error("PathOf")
	}
}
