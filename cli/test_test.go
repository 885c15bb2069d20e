package cli

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// recordPair records one session of every operation of a pair's old side
// (through the mock) into a fresh SQLite file.
func recordPair(t *testing.T, pair string) (db string, old *connector.Connector) {
	t.Helper()
	ctx := context.Background()
	old, err := connector.Load(ctx, filepath.Join(pairs, pair, "old.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	db = filepath.Join(t.TempDir(), "rec.db")
	store, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sess := &recordings.Session{Name: "smoke", Connector: old.Name}
	if err := store.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	srv, err := mock.New(old, mock.Options{Seed: 7, DisableAuth: true, Sink: recordings.SinkFunc(func(ctx context.Context, x *recordings.Exchange) error {
		x.SessionID = sess.ID
		return store.Record(ctx, x)
	})})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	b := probe.New(old, probe.Options{Seed: 7})
	for _, op := range old.Operations {
		req, err := b.Build(op)
		if err != nil {
			continue
		}
		hr, _ := req.HTTP(ctx, hs.URL)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	store.EndSession(ctx, sess.ID, recordings.SessionComplete, "")
	return db, old
}

func serveMock(t *testing.T, path string) string {
	t.Helper()
	c, err := connector.Load(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.New(c, mock.Options{Seed: 7, DisableAuth: true, DisableValidation: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs.URL
}

func TestTestReplaysAgainstNewDefinition(t *testing.T) {
	db, _ := recordPair(t, "08-Alvao")
	newDef := filepath.Join(pairs, "08-Alvao", "new.swagger.json")
	target := serveMock(t, newDef)
	junit := filepath.Join(t.TempDir(), "r.xml")
	// The definition declares basic auth and no apiProperties.json: the
	// recorded Authorization is redacted, and the replay has no user name
	// and password to send instead (the synthetic username/password
	// parameters): exit 2 naming them, not a run of 401s.
	t.Setenv("CONNECTORLAB_PARAM_USERNAME", "")
	t.Setenv("CONNECTORLAB_PARAM_PASSWORD", "")
	if code, _, errOut := run(t, "test", newDef, "--recordings", db, "--target", target, "--no-history"); code != ExitUsage ||
		!strings.Contains(errOut, "CONNECTORLAB_PARAM_USERNAME, CONNECTORLAB_PARAM_PASSWORD") {
		t.Fatalf("without credentials: exit %d (want 2 naming the parameters): %s", code, errOut)
	}
	t.Setenv("CONNECTORLAB_PARAM_USERNAME", "u")
	t.Setenv("CONNECTORLAB_PARAM_PASSWORD", "p")
	code, _, errOut := run(t, "test", newDef, "--recordings", db, "--target", target, "--format", "junit", "--output", junit)
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	b, _ := os.ReadFile(junit)
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests < 20 || doc.Failures != 2 || !strings.Contains(string(b), `type="drift-type-changed"`) {
		t.Fatalf("tests=%d failures=%d (want 2: GetTicket, CreateTicket):\n%s", doc.Tests, doc.Failures, b)
	}
	// The run landed in the history.
	store, err := sqlite.Open(context.Background(), db, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	runs, err := store.ListRuns(context.Background(), recordings.RunFilter{})
	if err != nil || len(runs) != 1 || runs[0].Status != "failed" || runs[0].Failed != 2 {
		t.Fatalf("runs = %+v, %v", runs, err)
	}
	fs, _ := store.ListFindings(context.Background(), recordings.FindingFilter{RunID: runs[0].ID, Level: "error"})
	if len(fs) != 2 || fs[0].FindingID != "drift-type-changed" {
		t.Fatalf("stored findings = %+v", fs)
	}

	// The same session against the old definition's mock passes.
	oldDef := filepath.Join(pairs, "08-Alvao", "old.swagger.json")
	if code, out, errOut := run(t, "test", oldDef, "--recordings", db, "--target", serveMock(t, oldDef), "--session", "smoke", "--no-history"); code != ExitOK {
		t.Fatalf("exit %d against the unchanged mock:\n%s\n%s", code, out, errOut)
	}
	// Shards split the cases without overlap.
	total := 0
	for _, s := range []string{"1/3", "2/3", "3/3"} {
		_, out, _ := run(t, "test", oldDef, "--recordings", db, "--target", serveMock(t, oldDef), "--shard", s, "--no-history", "-v")
		total += strings.Count(out, "PASS ")
	}
	if total < 20 {
		t.Fatalf("shards ran %d cases in all", total)
	}
}

func TestTestGenerate(t *testing.T) {
	def := filepath.Join(pairs, "10-Tesseron-ASM-Basic-Data", "new.swagger.json")
	code, out, errOut := run(t, "test", def, "--generate", "--target", serveMock(t, def))
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
	}
}

func TestTestErrors(t *testing.T) {
	def := filepath.Join(pairs, "10-Tesseron-ASM-Basic-Data", "new.swagger.json")
	// A port nothing listens on: infrastructure, exit 3.
	l := httptest.NewServer(http.NotFoundHandler())
	dead := l.URL
	l.Close()
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"test", def, "--generate", "--target", dead}, ExitInfra, "unreachable"},
		{[]string{"test", def, "--generate"}, ExitUsage, "--target"},
		{[]string{"test", def, "--target", "ftp://x"}, ExitUsage, "http(s)"},
		{[]string{"test", def, "--target", "http://127.0.0.1:1"}, ExitUsage, "--recordings"},
		{[]string{"test", def, "--target", "http://127.0.0.1:1", "--recordings", "missing.db"}, ExitUsage, "missing.db"},
		{[]string{"test", def, "--generate", "--target", "http://127.0.0.1:1", "--shard", "3/2"}, ExitUsage, "shard"},
		{[]string{"drift", def}, ExitUsage, "--recordings"},
	}
	for _, tc := range cases {
		code, _, errOut := run(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q lacks %q", tc.args, code, tc.code, errOut, tc.msg)
		}
	}
}

// TestTestConfigUnknownOperation: a --config rule scoped to an operation
// the definition lacks was accepted and never applied.
func TestTestConfigUnknownOperation(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "drift.yaml")
	os.WriteFile(cfg, []byte("schemaVersion: 1\nignore:\n  - path: $.status\n    operation: GetOrdr\n"), 0o644)
	code, _, errOut := run(t, "test", sampleDir, "--generate", "--target", "http://127.0.0.1:1", "--config", cfg)
	want := `ignore[0].operation "GetOrdr" is not an operation of Contoso Orders; did you mean "GetOrder"?`
	if code != ExitUsage || !strings.Contains(errOut, want) || !strings.Contains(errOut, cfg) {
		t.Errorf("exit %d, stderr %q; want exit 2 naming %s and %q", code, errOut, cfg, want)
	}
}

func TestDriftOfflineAndPatch(t *testing.T) {
	db, _ := recordPair(t, "10-Tesseron-ASM-Basic-Data")
	dir := t.TempDir()
	def := filepath.Join(dir, "apiDefinition.swagger.json")
	b, _ := os.ReadFile(filepath.Join(pairs, "10-Tesseron-ASM-Basic-Data", "new.swagger.json"))
	os.WriteFile(def, b, 0o644)
	patched := filepath.Join(dir, "patched.swagger.json")
	code, out, errOut := run(t, "drift", def, "--recordings", db, "--write-patch", patched)
	if code != ExitFindings || !strings.Contains(out, "traffic-type-mismatch") || !strings.Contains(out, "Enterprises[].Status") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Enterprises[].Status: type integer → string") {
		t.Fatalf("patch summary: %s", errOut)
	}
	os.WriteFile(def, mustRead(t, patched), 0o644)
	if code, out, _ := run(t, "drift", def, "--recordings", db, "--no-history"); code != ExitOK {
		t.Fatalf("after the patch: exit %d\n%s", code, out)
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTestMissingConnectionParamExitsUsage: a required connection parameter
// without its CONNECTORLAB_PARAM_<NAME> variable used to run every case
// unauthenticated (a wall of failures, exit 1) instead of saying what to set.
func TestTestMissingConnectionParamExitsUsage(t *testing.T) {
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", "")
	code, _, errs := runCLI(t, "test", sampleDir, "--generate", "--target", "http://127.0.0.1:1")
	if code != ExitUsage || !strings.Contains(errs, "CONNECTORLAB_PARAM_API_KEY") {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming CONNECTORLAB_PARAM_API_KEY", code, errs)
	}
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", "k")
	if code, _, errs := runCLI(t, "test", sampleDir, "--generate", "--target", "http://127.0.0.1:1"); code != ExitInfra {
		t.Fatalf("with the parameter set: exit %d (want 3, unreachable), stderr %q", code, errs)
	}
}
