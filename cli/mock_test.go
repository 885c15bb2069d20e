package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/internal/testkit"
)

var mockURLRE = regexp.MustCompile(`Mocking .* at (http://[0-9.:]+(?:/[a-z0-9-]+)?)\n`)

// startMock runs `connectorlab mock` in-process and returns the URLs it
// printed and a stop function that returns the exit code.
func startMock(t *testing.T, args ...string) ([]string, *lockedBuffer, *lockedBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"mock", "--port", "0", "--admin-port", "-1", "--log-format", "off"}, args...), out, errb)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(out.String(), "Press Ctrl-C") {
			var urls []string
			for _, m := range mockURLRE.FindAllStringSubmatch(out.String(), -1) {
				urls = append(urls, m[1])
			}
			return urls, out, errb, func() int { cancel(); return <-done }
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("mock exited %d before serving:\n%s\n%s", code, out, errb)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("mock did not start:\n%s\n%s", out, errb)
	return nil, nil, nil, nil
}

func get(t *testing.T, u string) (int, string) { t.Helper(); return testkit.Get(t, u) }

const sampleDir = "../examples/contoso-orders"
const sampleOrder = "/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6"

func TestMockServesAndStops(t *testing.T) {
	urls, out, _, stop := startMock(t, sampleDir)
	if len(urls) != 1 || !strings.HasPrefix(urls[0], "http://127.0.0.1:") {
		t.Fatalf("urls %v\n%s", urls, out)
	}
	if !strings.Contains(out.String(), "try: curl -i -H 'X-Api-Key: mock-api-key' '"+urls[0]+"/v1/orders/") {
		t.Errorf("no example request in the banner:\n%s", out)
	}
	if code, body := get(t, urls[0]+sampleOrder); code != 200 {
		t.Fatalf("GET: %d %s", code, body)
	}
	if code := stop(); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "Stopped.") {
		t.Errorf("no stop message:\n%s", out)
	}
}

func TestMockPrefixServesSeveralOnOnePort(t *testing.T) {
	urls, out, _, stop := startMock(t, "--prefix", sampleDir, sampleDir)
	defer stop()
	if len(urls) != 2 || !strings.HasSuffix(urls[0], "/contoso-orders") || !strings.HasSuffix(urls[1], "/contoso-orders-2") {
		t.Fatalf("urls %v\n%s", urls, out)
	}
	for _, u := range urls {
		if code, body := get(t, u+sampleOrder); code != 200 {
			t.Errorf("%s: %d %s", u, code, body)
		}
	}
	root := strings.TrimSuffix(urls[0], "/contoso-orders")
	if code, body := get(t, root+"/nope"); code != 404 || !strings.Contains(body, "/contoso-orders-2/") {
		t.Errorf("unknown prefix: %d %s", code, body)
	}
}

func TestMockWatchReloadsAndSurvivesBrokenEdit(t *testing.T) {
	dir := testkit.CopyConnector(t, sampleDir)
	urls, out, errb, stop := startMock(t, "--watch", dir)
	defer stop()
	if code, _ := get(t, urls[0]+"/v1/widgets"); code != 404 {
		t.Fatalf("widgets before the edit: %d", code)
	}
	testkit.AddWidgets(t, dir)
	waitFor(t, func() bool { code, _ := get(t, urls[0]+"/v1/widgets"); return code == 200 }, "the edit to be served\n"+out.String()+errb.String())
	if !strings.Contains(out.String(), "Reloaded Contoso Orders") {
		t.Errorf("no reload message:\n%s", out)
	}
	testkit.BreakDefinition(t, dir)
	waitFor(t, func() bool { return strings.Contains(errb.String(), "still serving the last good version") }, "the broken edit to be reported\n"+errb.String())
	if code, _ := get(t, urls[0]+"/v1/widgets"); code != 200 {
		t.Errorf("after a broken edit the last good version must keep answering: %d", code)
	}
}

func waitFor(t *testing.T, ok func() bool, what string) { t.Helper(); testkit.WaitFor(t, ok, what) }

func TestMockUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"mock"},
		{"mock", "--host", "0.0.0.0", sampleDir},
		{"mock", "--auth", "maybe", sampleDir},
		{"mock", "--latency", "soon", sampleDir},
		{"mock", "--throttle", "ten", sampleDir},
		{"mock", "--error-rate", "2", sampleDir},
		{"mock", "--fallback", "simulate", sampleDir},
		{"mock", "--log-format", "xml", sampleDir},
		{"mock", "--port", "99999", sampleDir},
		{"mock", "-p", "-1", sampleDir},
		{"mock", "--port", "65535", sampleDir, sampleDir},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != ExitUsage || !strings.Contains(stderr, "connectorlab mock") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, _, _ := runCLI(t, "mock", "../nope"); code != ExitUsage {
		t.Errorf("missing path: exit %d", code)
	}
}

func TestMockConformanceCommand(t *testing.T) {
	code, out, stderr := runCLI(t, "mock", "--conformance", sampleDir)
	if code != ExitOK || !strings.Contains(out, "12/12 operations conform") || !strings.Contains(out, "% of ") || !strings.Contains(out, "realism ") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
}

// TestMockConfigTypoIsRefused: a --config fault for an operationId the
// connector lacks, a schemaVersion other than 1, or resources without
// --stateful were accepted silently and then did nothing.
func TestMockConfigTypoIsRefused(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, config, want string }{
		{"unknown operation", `{"schemaVersion": 1, "faults": {"operations": {"GetOrdr": {"latency": "1s"}}}}`,
			`faults.operations.GetOrdr: no served connector has the operation "GetOrdr"; did you mean "GetOrder"?`},
		{"schema version", `{"schemaVersion": 2}`, "schemaVersion is 2; this version of Connector Lab reads schemaVersion 1"},
		{"no schema version", `{"faults": {"latency": "1s"}}`, "schemaVersion is 0"},
		{"resources without stateful", `{"schemaVersion": 1, "resources": [{"collection": "/orders", "item": "/orders/{orderId}", "idField": "id"}]}`,
			"resources only apply with --stateful"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(dir, fmt.Sprintf("c%d.json", i))
			if err := os.WriteFile(cfg, []byte(tt.config), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := runCLI(t, "mock", "--port", "0", "--admin-port", "-1", "--config", cfg, sampleDir)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, cfg) {
				t.Errorf("exit %d, stderr %q; want exit 2 naming %s and %q", code, stderr, cfg, tt.want)
			}
		})
	}
	// The documented example still starts.
	cfg := filepath.Join(dir, "ok.json")
	os.WriteFile(cfg, []byte(`{"schemaVersion": 1, "faults": {"operations": {"GetOrder": {"latency": "300ms", "errorRate": 0.2, "errorStatus": 503}, "ListOrders": {"throttle": "5/10s"}}}}`), 0o644)
	_, _, _, stop := startMock(t, "--config", cfg, sampleDir)
	if code := stop(); code != ExitOK {
		t.Errorf("documented config: exit %d", code)
	}
}

// TestMockBannerTryWorksForOAuth: the banner's try line for an OAuth 2.0
// connector sent "Bearer mock-token", which the mock itself answers with 401.
func TestMockBannerTryWorksForOAuth(t *testing.T) {
	dir := "../../shared/corpus/connectors/certified-connectors/Adobe Creative Cloud Libraries"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not present:", err)
	}
	_, out, _, stop := startMock(t, dir)
	defer stop()
	m := regexp.MustCompile(`try: curl -i -H '([^:]+): ([^']+)' '([^']+)'`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no try line with a header:\n%s", out)
	}
	req, _ := http.NewRequest("GET", m[3], nil)
	req.Header.Set(m[1], m[2])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if m[1] != "Authorization" || resp.StatusCode != 200 {
		t.Errorf("try line %q: status %d, want 200 with an Authorization header", m[0], resp.StatusCode)
	}
}

// TestMockReplayMissingFile: --replay with a file that does not exist
// created an empty database there and then said it had no session.
func TestMockReplayMissingFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	code, _, stderr := runCLI(t, "mock", "--port", "0", "--admin-port", "-1", "--replay", db, sampleDir)
	if code != ExitUsage || !strings.Contains(stderr, "replay "+db+": no such file") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("%s was created", db)
	}
}

// TestMockConformanceUnreachableTarget: --conformance --target with nothing
// listening exited 1 (findings) instead of 3 (infrastructure).
func TestMockConformanceUnreachableTarget(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	code, _, stderr := runCLI(t, "mock", "--conformance", "--target", dead, sampleDir)
	if code != ExitInfra || !strings.Contains(stderr, dead+" is unreachable") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
