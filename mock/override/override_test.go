package override_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/mock/override"
)

func sample(t *testing.T) *connector.Connector {
	t.Helper()
	c, err := connector.Load(context.Background(), filepath.Join("..", "..", "examples", "contoso-orders"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serve runs the sample's mock with the overrides of file on a real
// 127.0.0.1 server.
func serve(t *testing.T, c *connector.Connector, file string) (*override.Set, string) {
	t.Helper()
	f, err := override.Parse("overrides.json", []byte(file), c)
	if err != nil {
		t.Fatal(err)
	}
	set := override.NewSet(f)
	srv, err := mock.New(c, mock.Options{DisableAuth: true, Responders: []mock.Responder{set.Responder()}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return set, hs.URL + "/v1"
}

func do(t *testing.T, method, url, body string, h map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

func TestOverridesAnswerAsConfigured(t *testing.T) {
	t.Parallel()
	c := sample(t)
	_, base := serve(t, c, `{"version":1,"operations":{
	  "DeleteOrder": {"disabled": true},
	  "GetOrder": {
	    "response": {"status": 404},
	    "rules": [
	      {"name": "vip", "when": {"header": {"X-Tier": "vip"}}, "then": {"body": {"id": "vip-order"}, "status": 200, "headers": {"X-Rule": "vip"}}},
	      {"when": {"query": {"expand": "lines"}}, "then": {"status": 200}}
	    ]
	  },
	  "ListCustomers": {"responses": [{"body": [{"id":"a"}]}, {"body": [{"id":"b"}]}]},
	  "CreateOrder": {"rules": [{"when": {"body": {"/customerId": "c-teapot"}}, "then": {"status": 418, "body": {"error": "teapot"}}}]}
	}}`)
	for _, tc := range []struct {
		name, method, path, body string
		h                        map[string]string
		status                   int
		has                      string
	}{
		{"disabled operation", "DELETE", "/orders/o1", "", nil, 501, "switched off"},
		{"chosen declared status", "GET", "/orders/o1", "", nil, 404, ""},
		{"header rule, first match wins", "GET", "/orders/o1?expand=lines", "", map[string]string{"X-Tier": "vip"}, 200, "vip-order"},
		{"query rule", "GET", "/orders/o1?expand=lines", "", nil, 200, `"id"`},
		{"sequence 1", "GET", "/customers", "", nil, 200, `"a"`},
		{"sequence 2", "GET", "/customers", "", nil, 200, `"b"`},
		{"sequence wraps", "GET", "/customers", "", nil, 200, `"a"`},
		{"body rule", "POST", "/orders", `{"customerId":"c-teapot","lines":[{"sku":"s","quantity":1,"unitPrice":2}]}`, nil, 418, "teapot"},
		{"untouched operation answers as the mock would", "GET", "/orders", "", nil, 200, ""},
	} {
		st, body := do(t, tc.method, base+tc.path, tc.body, tc.h)
		if st != tc.status || !strings.Contains(body, tc.has) {
			t.Errorf("%s: %d %s, want %d containing %q", tc.name, st, body, tc.status, tc.has)
		}
	}
}

func TestReplaceAppliesLiveAndLatencyAndErrors(t *testing.T) {
	t.Parallel()
	c := sample(t)
	set, base := serve(t, c, `{"operations":{}}`)
	if st, _ := do(t, "GET", base+"/orders/o1", "", nil); st != 200 {
		t.Fatalf("before: %d", st)
	}
	f, err := override.Parse("x", []byte(`{"operations":{"GetOrder":{"latencyMs":120,"errorRate":1,"errorStatus":503}}}`), c)
	if err != nil {
		t.Fatal(err)
	}
	set.Replace(f)
	t0 := time.Now()
	st, body := do(t, "GET", base+"/orders/o1", "", nil)
	if st != 503 || !strings.Contains(body, "Injected error") {
		t.Fatalf("after Replace: %d %s", st, body)
	}
	if d := time.Since(t0); d < 120*time.Millisecond {
		t.Fatalf("latency not applied: %v", d)
	}
}

func TestBadFilesNameTheFieldAndTheFix(t *testing.T) {
	t.Parallel()
	c := sample(t)
	for _, tc := range []struct{ file, field string }{
		{`{"operations":{"NoSuchOp":{}}}`, "operations.NoSuchOp"},
		{`{"operations":{"GetOrder":{"response":{"status":418}}}}`, "operations.GetOrder.response.status"},
		{`{"operations":{"GetOrder":{"mode":"shuffle"}}}`, "operations.GetOrder.mode"},
		{`{"operations":{"GetOrder":{"errorRate":2}}}`, "operations.GetOrder.errorRate"},
		{`{"operations":{"GetOrder":{"rules":[{"when":{"body":{"id":"x"}},"then":{}}]}}}`, "operations.GetOrder.rules[0].when.body"},
		{`{"operations":{"GetOrder":{"latency":5}}}`, "(file)"},
		{`{"version":2}`, "version"},
	} {
		_, err := override.Parse("overrides.json", []byte(tc.file), c)
		var oe *override.Error
		if !errors.As(err, &oe) || oe.Field != tc.field || oe.Fix == "" || oe.File != "overrides.json" {
			t.Errorf("%s: err = %v, want field %s", tc.file, err, tc.field)
		}
	}
}

func TestLoadAndWatchTheSidecar(t *testing.T) {
	t.Parallel()
	c := sample(t)
	dir := t.TempDir()
	path := override.DefaultPath(dir)
	if path != filepath.Join(dir, ".connectorlab", "overrides.json") {
		t.Fatalf("DefaultPath = %s", path)
	}
	f, err := override.Load(path, c)
	if err != nil || len(f.Operations) != 0 {
		t.Fatalf("missing file: %v %v", f, err)
	}
	set := override.NewSet(f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := make(chan error, 4)
	go set.Watch(ctx, path, c, 10*time.Millisecond, func(err error) { errs <- err })
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(override.File{Version: 1, Operations: map[string]override.Operation{"GetOrder": {Disabled: true}}})
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !set.File().Operations["GetOrder"].Disabled {
		if time.Now().After(deadline) {
			select {
			case err := <-errs:
				t.Fatal("the watched file was not applied:", err)
			default:
			}
			t.Fatal("the watched file was not applied")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A broken edit keeps the last good overrides and is reported.
	if err := os.WriteFile(path, []byte(`{"operations":{"Nope":{}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errs:
		if !strings.Contains(err.Error(), "Nope") {
			t.Fatalf("error: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a broken edit was not reported")
	}
	if !set.File().Operations["GetOrder"].Disabled {
		t.Fatal("a broken edit dropped the applied overrides")
	}
}

// Regression (CI): a save truncates the file before writing it, and a
// poll in between saw an empty file and dropped every override. An empty
// file that exists is skipped; a deleted one clears the overrides.
func TestWatchSkipsAnEmptyFileMidSave(t *testing.T) {
	t.Parallel()
	c := sample(t)
	path := override.DefaultPath(t.TempDir())
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(override.File{Version: 1, Operations: map[string]override.Operation{"GetOrder": {Disabled: true}}})
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := override.Load(path, c)
	if err != nil {
		t.Fatal(err)
	}
	set := override.NewSet(f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go set.Watch(ctx, path, c, 5*time.Millisecond, nil)
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil { // the save's truncation
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // 20 polls of the empty file
	if !set.File().Operations["GetOrder"].Disabled {
		t.Fatal("an empty file mid-save dropped the overrides")
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	waitFor("a deleted file did not clear the overrides", func() bool { return len(set.File().Operations) == 0 })
}
