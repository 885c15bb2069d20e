package recordings_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// rawGet sends a request line exactly as given (no client-side cleaning).
func rawGet(t *testing.T, base, target string, hdr ...string) (*http.Response, map[string]any) {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s\r\n", target, host, strings.Join(hdr, ""))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	var problem map[string]any
	json.NewDecoder(resp.Body).Decode(&problem)
	return resp, problem
}

// TestIssue11PathTraversalOutOfBasePath is issue 11 item 4: decoded "..",
// %2e%2e, %2f, backslash, "..;" and double-encoded dot segments that would
// take the request (with the connection's credentials) above the
// upstream's base path are refused with a 400 and a clear body; dot
// segments that stay inside are normalised.
func TestIssue11PathTraversalOutOfBasePath(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.EscapedPath())
		mu.Unlock()
		w.Write([]byte(`{}`))
	}))
	defer up.Close()
	sink := &memSink{}
	px := newProxy(t, up.URL+"/api/v1", recordings.ProxyOptions{Sink: sink, BasePath: "/api/v1"})
	for _, target := range []string{
		"/api/v1/../admin", "/../admin", "/api/v1/%2e%2e/admin", "/api/v1/%2E%2E/%2e%2e/etc/passwd",
		"/api/v1/orders%2f..%2f..%2fadmin", "/orders/..%2f..%2fadmin", "/api/v1/..%5cadmin", "/api/v1/..;/admin",
		"/api/v1/%252e%252e/admin", "/api/v1/orders/..%252f..%252fadmin",
	} {
		resp, problem := rawGet(t, px.URL, target)
		if resp.StatusCode != 400 || problem["error"] != "path-outside-base" || !strings.Contains(fmt.Sprint(problem["message"]), "base path") {
			t.Errorf("GET %s: %d %v, want 400 path-outside-base", target, resp.StatusCode, problem)
		}
	}
	mu.Lock()
	if len(seen) != 0 {
		t.Errorf("the upstream was reached for %v", seen)
	}
	mu.Unlock()
	resp, _ := rawGet(t, px.URL, "/api/v1/orders/./x/../../customers")
	mu.Lock()
	defer mu.Unlock()
	if resp.StatusCode != 200 || len(seen) != 1 || seen[0] != "/api/v1/customers" {
		t.Errorf("an inside path: %d, upstream saw %v, want /api/v1/customers", resp.StatusCode, seen)
	}
}

// TestIssue11ProxyRefusesOtherOrigins is the proxy part of issue 11 item
// 3: a browser page on any origin other than the proxy's own — another
// local port included (the mock can serve one) — is refused, by Origin,
// by Sec-Fetch-Site, or by Referer when the browser sends neither;
// AllowOrigins lets a trusted dev server through.
func TestIssue11ProxyRefusesOtherOrigins(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) }))
	defer up.Close()
	sink := &memSink{}
	px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, AllowOrigins: []string{"http://localhost:5173"}})
	self := px.URL
	for _, tc := range []struct {
		name string
		hdr  []string
		want int
	}{
		{"another local port", []string{"Origin: http://127.0.0.1:4010\r\n"}, 403},
		{"another local port via localhost", []string{"Origin: http://localhost:3000\r\n"}, 403},
		{"same-site fetch without Origin", []string{"Sec-Fetch-Site: same-site\r\n"}, 403},
		{"old browser: Referer of another site", []string{"Referer: https://evil.test/page\r\n"}, 403},
		{"own origin", []string{"Origin: " + self + "\r\n", "Sec-Fetch-Site: same-origin\r\n"}, 200},
		{"allow-listed dev server", []string{"Origin: http://localhost:5173\r\n", "Sec-Fetch-Site: same-site\r\n"}, 200},
		{"typed in the address bar", []string{"Sec-Fetch-Site: none\r\n"}, 200},
		{"curl", nil, 200},
	} {
		resp, problem := rawGet(t, px.URL, "/x", tc.hdr...)
		if resp.StatusCode != tc.want || tc.want == 403 && problem["error"] != "foreign-client" {
			t.Errorf("%s: %d %v, want %d", tc.name, resp.StatusCode, problem, tc.want)
		}
	}
}

// TestIssue11FurtherTraceRefused (issue 11, further): TRACE and TRACK are
// not forwarded — the upstream would echo the request back to the client
// with the credentials the proxy added (cross-site tracing).
func TestIssue11FurtherTraceRefused(t *testing.T) {
	t.Parallel()
	var hits sync.Map
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Store(r.Method, true)
		w.Write([]byte(r.Header.Get("X-API-Key")))
	}))
	defer up.Close()
	sink := &memSink{}
	px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, Auth: func(r *http.Request) error { r.Header.Set("X-API-Key", "trace-secret-1"); return nil }})
	for _, m := range []string{"TRACE", "TRACK"} {
		req, _ := http.NewRequest(m, px.URL+"/x", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if _, reached := hits.Load(m); resp.StatusCode != 405 || reached {
			t.Errorf("%s: %d, upstream reached %v; want 405 and nothing forwarded", m, resp.StatusCode, reached)
		}
	}
}
