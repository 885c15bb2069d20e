package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestIssue11RecordDatabaseDeletedOrReplaced is issue 11 item 6: the
// database file deleted, or replaced by another file, while recording is
// noticed: the proxy answers 503 with a body, record exits 3 saying what
// happened and how many exchanges are safe where (a rescue copy), and the
// file now at the path is left untouched (no WAL mixed into it).
func TestIssue11RecordDatabaseDeletedOrReplaced(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"o-1"}`)
	}))
	defer up.Close()
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", "k-123456")
	for _, what := range []string{"deleted", "replaced"} {
		t.Run(what, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "rec.db")
			base, _, errb, stop := startRecord(t, "../examples/contoso-orders", "--upstream", up.URL+"/v1", "--db", db, "--port", "0", "--session", "s1")
			get := func() (int, map[string]any) {
				resp, err := http.Get(base + "/orders/o-1")
				if err != nil {
					return 0, nil
				}
				defer resp.Body.Close()
				var m map[string]any
				json.NewDecoder(resp.Body).Decode(&m)
				return resp.StatusCode, m
			}
			for range 3 {
				if code, _ := get(); code != 200 {
					t.Fatalf("before: %d", code)
				}
			}
			var otherSessions int
			switch what {
			case "deleted":
				os.Remove(db)
			case "replaced":
				other := filepath.Join(dir, "other.db")
				s, err := sqlite.Open(context.Background(), other, sqlite.Options{})
				if err != nil {
					t.Fatal(err)
				}
				s.CreateSession(context.Background(), &recordings.Session{Name: "theirs", Status: recordings.SessionComplete})
				s.Close()
				otherSessions = 1
				if err := os.Rename(other, db); err != nil {
					t.Fatal(err)
				}
			}
			code, problem := get()
			if code != 503 || problem["message"] == nil {
				t.Errorf("after the file was %s: %d %v, want 503 with a body", what, code, problem)
			}
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) && !strings.Contains(errb.String(), "while recording") {
				time.Sleep(20 * time.Millisecond)
			}
			exit := stop()
			msg := errb.String()
			if exit != ExitInfra || !strings.Contains(msg, "was "+what) || !strings.Contains(msg, "3 exchanges were stored") {
				t.Fatalf("exit %d, want 3 with a message saying the file was %s and 3 exchanges are safe:\n%s", exit, what, msg)
			}
			m := regexp.MustCompile(`saved to (\S+rescued\S+\.db)`).FindStringSubmatch(msg)
			if m == nil {
				t.Fatalf("no rescue file named: %s", msg)
			}
			_, out, _ := runCLI(t, "recordings", "show", "s1", "--db", m[1])
			if !strings.Contains(out, "o-1") && !strings.Contains(out, "/orders/o-1") {
				t.Errorf("the rescue file %s lacks the exchanges:\n%s", m[1], out)
			}
			rs, err := sqlite.Open(context.Background(), m[1], sqlite.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			sess, err := rs.SessionByName(context.Background(), "s1")
			if err != nil || sess.Exchanges != 3 {
				t.Errorf("rescued session: %+v %v, want 3 exchanges", sess, err)
			}
			rs.Close()
			if what == "replaced" {
				ns, err := sqlite.Open(context.Background(), db, sqlite.Options{ReadOnly: true})
				if err != nil {
					t.Fatalf("the file now at the path: %v", err)
				}
				list, _ := ns.ListSessions(context.Background(), recordings.SessionFilter{})
				ns.Close()
				if len(list) != otherSessions || list[0].Name != "theirs" {
					t.Errorf("the replacing file was changed: %d sessions", len(list))
				}
			}
		})
	}
}

// TestIssue11FurtherImportIgnoresKeepRules (issue 11, further): a JSON
// export is a file anyone can write; its session rules may add redaction
// but a "keep" list must not switch it off for what is imported.
func TestIssue11FurtherImportIgnoresKeepRules(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "hostile.json")
	os.WriteFile(in, []byte(`{"kind":"connectorlab-recording","schemaVersion":1,"session":{"name":"h","startedAt":"2026-01-01T00:00:00Z","status":"complete","rules":{"keep":["Authorization","password"]}},
"exchanges":[{"source":"import","startedAt":"2026-01-01T00:00:00Z","duration":1,"request":{"method":"POST","url":"https://api.example/p","headers":{"Authorization":["Bearer KEEP-CANARY-1234"],"Content-Type":["application/json"]},"body":"eyJwYXNzd29yZCI6IktFRVAtQ0FOQVJZLTU2NzgifQ==","size":29},"response":{"status":200,"size":0}}]}`), 0o644)
	db := filepath.Join(dir, "rec.db")
	code, _, errOut := runCLI(t, "recordings", "import", in, "--db", db)
	if code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	_, out, _ := runCLI(t, "recordings", "export", "h", "--db", db, "--format", "json")
	if strings.Contains(out, "KEEP-CANARY") {
		t.Errorf("an imported keep list switched redaction off:\n%s\n%s", out, errOut)
	}
}
