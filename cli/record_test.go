package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while a command writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listenRE = regexp.MustCompile(`listening on (http://[0-9.:]+)`)

// startRecord runs `connectorlab record` in-process and returns its URL and
// a stop function that returns the exit code.
func startRecord(t *testing.T, args ...string) (string, *lockedBuffer, *lockedBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- Run(ctx, append([]string{"record"}, args...), out, errb) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenRE.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, errb, func() int { cancel(); return <-done }
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("record exited %d before listening:\n%s\n%s", code, out, errb)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("record did not start:\n%s\n%s", out, errb)
	return "", nil, nil, nil
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRecordEndToEnd(t *testing.T) {
	const apiKey = "canary-api-key-7f3a9"
	var seenKey, seenClient string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seenKey, seenClient = r.Header.Get("X-API-Key"), r.Header.Get("X-Client")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"o-1","total":12.5}`)
	}))
	defer up.Close()
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", apiKey)
	dir := t.TempDir()
	db := filepath.Join(dir, "rec.db")
	base, _, errb, stop := startRecord(t, "../examples/contoso-orders", "--upstream", up.URL+"/v1", "--db", db, "--port", "0", "--session", "e2e", "--tag", "smoke")
	for _, p := range []string{"/orders/o-1", "/v1/orders/o-1?expand=lines"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "o-1") || resp.Header.Get("X-Connectorlab-Exchange") == "" {
			t.Fatalf("GET %s via proxy: %d %s %v", p, resp.StatusCode, b, resp.Header)
		}
	}
	// The read pool lets the UI or another shell list while recording.
	if code, out, errs := runCLI(t, "recordings", "ls", "--db", db); code != 0 || !strings.Contains(out, "open") {
		t.Fatalf("ls while recording: %d %s %s", code, out, errs)
	}
	if seenKey != apiKey {
		t.Fatalf("upstream saw X-API-Key %q, want the connection parameter", seenKey)
	}
	if seenClient != "connectorlab-sample" {
		t.Fatalf("upstream saw X-Client %q: the connector's setheader policy was not applied", seenClient)
	}
	if code := stop(); code != ExitOK {
		t.Fatalf("record exit %d: %s", code, errb)
	}

	code, out, _ := runCLI(t, "recordings", "ls", "--db", db)
	if code != 0 || !strings.Contains(out, "e2e") || !strings.Contains(out, "complete") || !strings.Contains(out, "Contoso Orders") {
		t.Fatalf("ls: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "recordings", "show", "e2e", "--db", db)
	if code != 0 || strings.Count(out, "GetOrder") != 2 {
		t.Fatalf("show: %d\n%s", code, out)
	}
	harFile := filepath.Join(dir, "e2e.har")
	if code, _, errs := runCLI(t, "recordings", "export", "e2e", "--db", db, "-o", harFile); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	har, _ := os.ReadFile(harFile)
	var h struct {
		Log struct {
			Version string            `json:"version"`
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(har, &h); err != nil || h.Log.Version != "1.2" || len(h.Log.Entries) != 2 {
		t.Fatalf("HAR export: %v %s", err, har)
	}
	code, out, errs := runCLI(t, "recordings", "import", harFile, "--db", db, "--session", "again")
	if code != 0 || !strings.Contains(out, "imported 2 exchanges") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, out, _ = runCLI(t, "recordings", "export", "again", "--db", db, "--format", "json")
	if code != 0 || !strings.Contains(out, `"schemaVersion": 1`) || !strings.Contains(out, `"operationId": "GetOrder"`) {
		t.Fatalf("json export: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, "recordings", "rename", "again", "e2e", "--db", db); code != ExitUsage {
		t.Fatalf("rename onto a taken name: exit %d, want %d", code, ExitUsage)
	}
	if code, _, _ := runCLI(t, "recordings", "rm", "again", "--db", db); code != 0 {
		t.Fatalf("rm: %d", code)
	}
	if code, _, _ := runCLI(t, "recordings", "show", "again", "--db", db); code != ExitUsage {
		t.Fatalf("show removed session: exit %d", code)
	}
	for _, f := range []string{db, db + "-wal", harFile} {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(apiKey)) {
			t.Fatalf("the API key is in %s", f)
		}
	}
}

func TestRecordErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database"), 0o644)
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", "k")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no path", []string{"record"}, ExitUsage, "exactly one PATH"},
		{"bad upstream", []string{"record", "../examples/contoso-orders", "--upstream", "ftp://x"}, ExitUsage, "http or https"},
		{"userinfo upstream", []string{"record", "../examples/contoso-orders", "--upstream", "https://u:p@x"}, ExitUsage, "user:password"},
		{"remote host", []string{"record", "../examples/contoso-orders", "--host", "0.0.0.0"}, ExitUsage, "--allow-remote"},
		{"corrupt db", []string{"record", "../examples/contoso-orders", "--upstream", "http://127.0.0.1:9", "--db", junk}, ExitInfra, "not a SQLite database"},
		{"missing db", []string{"recordings", "ls", "--db", filepath.Join(dir, "none.db")}, ExitInfra, "no such file"},
		{"unknown verb", []string{"recordings", "frob"}, ExitUsage, "unknown verb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, want %d; stderr %q should contain %q", code, tc.code, errs, tc.want)
			}
		})
	}
	if b, _ := os.ReadFile(junk); string(b) != "not a database" {
		t.Fatal("the corrupt file was changed")
	}
}

func TestRecordRequiresParamsWithoutTerminal(t *testing.T) {
	os.Unsetenv("CONNECTORLAB_PARAM_API_KEY")
	code, _, errs := runCLI(t, "record", "../examples/contoso-orders", "--upstream", "http://127.0.0.1:9", "--db", filepath.Join(t.TempDir(), "r.db"))
	if code != ExitUsage || !strings.Contains(errs, "CONNECTORLAB_PARAM_API_KEY") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// TestRecordStdinFromDevNullDoesNotPrompt: /dev/null is a character device,
// so stdin redirected from it (CI, nohup) was taken for a terminal; record
// prompted and failed with "inappropriate ioctl for device".
func TestRecordStdinFromDevNullDoesNotPrompt(t *testing.T) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	if isTerminal(devnull) {
		t.Errorf("isTerminal(%s) = true", os.DevNull)
	}
	old := os.Stdin
	os.Stdin = devnull
	defer func() { os.Stdin = old }()
	os.Unsetenv("CONNECTORLAB_PARAM_API_KEY")
	code, _, errs := runCLI(t, "record", "../examples/contoso-orders", "--upstream", "http://127.0.0.1:9", "--db", filepath.Join(t.TempDir(), "r.db"))
	if code != ExitUsage || !strings.Contains(errs, "required connection parameters are not set: CONNECTORLAB_PARAM_API_KEY") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
