package mock

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
)

// hostileMock serves testdata/hostile-patterns.swagger.json (catastrophic-
// backtracking patterns on a query parameter and on response properties,
// an open JSON/multipart body) behind the real HTTP server limits.
func hostileMock(t *testing.T) *httptest.Server {
	t.Helper()
	c, err := connector.Load(context.Background(), "testdata/hostile-patterns.swagger.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(c, Options{DisableAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(NewHTTPServer(s, nil).Handler)
	ts.Config.MaxHeaderBytes = MaxHeaderBytes
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// TestRequestBodyValueBombRefused (issue 11, beyond the list): a 9 MiB
// JSON body of 500,000 keys, under the body size limit, took 2.9 s of CPU
// to validate and was answered 201: a short loop of them pins the mock.
// Now a body with more than MaxJSONNodes values is refused with 413 before
// it is decoded.
func TestRequestBodyValueBombRefused(t *testing.T) {
	t.Parallel()
	ts := hostileMock(t)
	var b strings.Builder
	b.WriteString("{")
	for i := range 500_000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":"v"`, i)
	}
	b.WriteString("}")
	start := time.Now()
	a := do(t, "POST", ts.URL+"/items", b.String(), map[string]string{"Content-Type": "application/json"})
	took := time.Since(start)
	t.Logf("500k-key body: %d in %v", a.status, took)
	if a.status != 413 || !strings.Contains(string(a.body), "body-too-complex") || took > time.Second {
		t.Fatalf("500k-key body: %d in %v: %.200s", a.status, took, a.body)
	}
	if a := do(t, "POST", ts.URL+"/items", `{"a":"b"}`, map[string]string{"Content-Type": "application/json"}); a.status != 201 {
		t.Fatalf("a small body: %d %s", a.status, a.body)
	}
}

// TestAnswersAreNeverSniffed (beyond the list): the mock echoes request
// values (paths in 404s, stored bodies in stateful reads); every answer
// says nosniff so a browser never renders one as a page of the mock's
// origin (from where it could drive the mock same-origin).
func TestAnswersAreNeverSniffed(t *testing.T) {
	t.Parallel()
	_, ts := newSample(t, Options{Seed: 1, DisableAuth: true})
	for _, p := range []string{"/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6", "/v1/<script>alert(1)</script>", "/v1/orders?top=100000"} {
		if a := do(t, "GET", ts.URL+p, "", nil); a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %d without nosniff", p, a.status)
		}
	}
}

// TestHostileRequestsHold (beyond the list; these held on main and must
// keep holding): catastrophic-backtracking patterns (Go's regexp is
// linear), a 2 MiB header (431), a thousand Prefer headers, 60,000 query
// parameters and a 100,000-part multipart body are each answered in well
// under a second.
func TestHostileRequestsHold(t *testing.T) {
	t.Parallel()
	ts := hostileMock(t)
	var q strings.Builder
	for i := range 60_000 {
		fmt.Fprintf(&q, "k%d=v&", i)
	}
	var mp strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&mp, "--XX\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i)
	}
	mp.WriteString("--XX--\r\n")
	for _, tc := range []struct {
		name, method, path, body string
		hdr                      http.Header
		want                     int
	}{
		{"ReDoS query (^(a+)+$ on 100k a's and a !)", "GET", "/items?q=" + strings.Repeat("a", 100_000) + "!", "", nil, 400},
		{"ReDoS response patterns", "GET", "/items", "", nil, 200},
		{"2 MiB header", "GET", "/items", "", http.Header{"X-Big": {strings.Repeat("a", 2<<20)}}, 431},
		{"1000 Prefer headers", "GET", "/items", "", http.Header{"Prefer": strings.Split(strings.Repeat("code=200, example=x, dynamic;", 1000), ";")[:1000]}, 200},
		{"60k query parameters", "GET", "/items?" + q.String(), "", nil, 200},
		{"100k-part multipart", "POST", "/items", mp.String(), http.Header{"Content-Type": {"multipart/form-data; boundary=XX"}}, 400},
	} {
		req, _ := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(tc.body))
		for k, v := range tc.hdr {
			req.Header[k] = v
		}
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		took := time.Since(start)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want || took > 2*time.Second {
			t.Errorf("%s: %d in %v, want %d in under 2 s", tc.name, resp.StatusCode, took, tc.want)
		}
	}
}

// TestReplayRefusesCrossSitePages (beyond the list): in replay mode the
// answers are recorded data and a miss may go to the live API with real
// credentials (--spy); a page of another site could still make the GET
// (an <img>, a no-cors fetch) even though CORS hid the answer. Now any
// request a browser sent from another site is refused there.
func TestReplayRefusesCrossSitePages(t *testing.T) {
	t.Parallel()
	spied := 0
	_, ts := newSample(t, Options{Seed: 1, DisableAuth: true, LocalOriginsOnly: true,
		Responders: []Responder{ResponderFunc(func(context.Context, *Call) (*Reply, error) { spied++; return nil, nil })}})
	for _, h := range []map[string]string{{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}} {
		if a := do(t, "GET", ts.URL+"/v1/customers", "", h); a.status != 403 {
			t.Errorf("%v: %d, want 403", h, a.status)
		}
	}
	if spied != 0 {
		t.Fatalf("%d cross-site requests reached the replay/spy responder", spied)
	}
	for _, h := range []map[string]string{nil, {"Origin": "http://localhost:3000"}, {"Sec-Fetch-Site": "same-origin"}} {
		if a := do(t, "GET", ts.URL+"/v1/customers", "", h); a.status != 200 {
			t.Errorf("%v: %d, want 200", h, a.status)
		}
	}
}
