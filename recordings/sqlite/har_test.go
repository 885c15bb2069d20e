package sqlite_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

func TestImportBrowserHAR(t *testing.T) {
	ctx := context.Background()
	f, err := os.Open("../testdata/browser.har")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xs, skipped, err := recordings.ReadHAR(f, recordings.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) != 5 || len(skipped) != 1 || !strings.Contains(skipped[0], "data:") {
		t.Fatalf("read %d entries, skipped %v; want 5 and the data: URL skipped", len(xs), skipped)
	}
	db := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, db, sqlite.Options{})
	sess := &recordings.Session{Name: "browser", Connector: "Contoso Orders"}
	n, err := recordings.Import(ctx, s, sess, xs)
	if err != nil || n != 5 {
		t.Fatalf("import: %d, %v", n, err)
	}
	page, _ := s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID})
	got := page.Exchanges
	first := got[0]
	if first.Request.Header.Get(":authority") != "" || first.Request.Header.Get("Accept") != "application/json" {
		t.Errorf("pseudo-headers must go, ordinary headers stay: %v", first.Request.Header)
	}
	if first.Response.Encoding != "gzip" || !strings.Contains(string(first.Response.Body), `"o-1"`) || first.Upstream.Milliseconds() != 84 {
		t.Errorf("first entry: encoding %q body %q wait %v", first.Response.Encoding, first.Response.Body, first.Upstream)
	}
	if !strings.Contains(first.Request.URL, "status=open") || strings.Contains(first.Request.URL, "har-canary") {
		t.Errorf("query kept/redacted wrong: %s", first.Request.URL)
	}
	if got[1].Request.Method != "POST" || got[1].Response.Status != 201 || !strings.Contains(string(got[1].Request.Body), "c-42") {
		t.Errorf("POST entry: %+v", got[1])
	}
	if !bytes.Equal(got[3].Response.Body, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("base64 image body: %q", got[3].Response.Body)
	}
	if got[4].Error != "net::ERR_CONNECTION_REFUSED" || got[4].Response.Status != 0 {
		t.Errorf("failed entry: %q %d", got[4].Error, got[4].Response.Status)
	}
	sess2, _ := s.Session(ctx, sess.ID)
	if sess2.Status != recordings.SessionComplete || sess2.Exchanges != 5 {
		t.Errorf("imported session: %+v", sess2)
	}

	// Round trip: our HAR export reads back to the same exchanges.
	var har bytes.Buffer
	if _, err := recordings.ExportHAR(ctx, s, sess.ID, &har, "test"); err != nil {
		t.Fatal(err)
	}
	var probe map[string]any
	if err := json.Unmarshal(har.Bytes(), &probe); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	back, skipped, err := recordings.ReadHAR(bytes.NewReader(har.Bytes()), recordings.Limits{})
	if err != nil || len(back) != 5 || len(skipped) != 0 {
		t.Fatalf("re-read export: %d %v %v", len(back), skipped, err)
	}
	for i := range back {
		a, b := got[i], back[i]
		if a.Request.Method != b.Request.Method || a.Request.URL != b.Request.URL || a.Response.Status != b.Response.Status ||
			!bytes.Equal(a.Response.Body, b.Response.Body) || !bytes.Equal(a.Request.Body, b.Request.Body) || a.Error != b.Error || a.OperationID != b.OperationID {
			t.Errorf("entry %d changed in the round trip:\n%+v\n%+v", i, a, b)
		}
	}
	// JSON export round trip keeps everything, schemaVersion first.
	var js bytes.Buffer
	if _, err := recordings.ExportJSON(ctx, s, sess.ID, &js); err != nil {
		t.Fatal(err)
	}
	ex, err := recordings.ReadExport(&js)
	if err != nil || len(ex.Exchanges) != 5 || ex.Session.Name != "browser" {
		t.Fatalf("json export: %v", err)
	}
	for _, canary := range []string{"har-canary-query-key", "har-canary-bearer-token", "har-canary-cookie", "har-canary-affinity", "har-canary-header-key", "har-canary-secret", "har-canary-access-token"} {
		s.Close()
		for _, file := range []string{db, db + "-wal"} {
			if b, _ := os.ReadFile(file); bytes.Contains(b, []byte(canary)) {
				t.Errorf("%s is in %s", canary, file)
			}
		}
		if bytes.Contains(har.Bytes(), []byte(canary)) {
			t.Errorf("%s is in the HAR export", canary)
		}
	}
}

func TestReadHARRejectsJunk(t *testing.T) {
	for _, in := range []string{"", "[]", `{"log":{}}`, "not json"} {
		if _, _, err := recordings.ReadHAR(strings.NewReader(in), recordings.Limits{}); err == nil {
			t.Errorf("ReadHAR(%q) accepted junk", in)
		}
	}
}

func FuzzReadHAR(f *testing.F) {
	b, _ := os.ReadFile("../testdata/browser.har")
	f.Add(b)
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"GET","url":"http://x/"},"response":{"status":200,"content":{"text":"a","encoding":"base64"}}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recordings.ReadHAR(bytes.NewReader(data), recordings.Limits{BodyCap: 1 << 16})
	})
}
