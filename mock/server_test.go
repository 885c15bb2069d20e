package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
)

const sample = "../examples/contoso-orders"

func loadSample(t testing.TB) *connector.Connector {
	t.Helper()
	c, err := connector.Load(context.Background(), sample)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newSample(t testing.TB, o Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(loadSample(t), o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, method, u string, body string, h map[string]string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

const orderID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

var key = map[string]string{"X-API-Key": "k"}

func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func problemOf(t *testing.T, a answer) Problem {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, a.body)
	}
	var p Problem
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, a.body)
	}
	return p
}

func TestPipelineAnswers(t *testing.T) {
	_, ts := newSample(t, Options{Seed: 7})
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		problem                  string // problem type suffix
		check                    func(t *testing.T, a answer, p Problem)
	}{
		{name: "get by id", method: "GET", path: "/v1/orders/" + orderID, header: key, status: 200,
			check: func(t *testing.T, a answer, _ Problem) {
				if a.header.Get(probe.OperationHeader) != "GetOrder" {
					t.Errorf("operation header %q", a.header.Get(probe.OperationHeader))
				}
			}},
		{name: "missing key", method: "GET", path: "/v1/orders/" + orderID, status: 401, problem: "unauthorized",
			check: func(t *testing.T, a answer, _ Problem) {
				if !strings.Contains(a.header.Get("WWW-Authenticate"), `name="X-API-Key"`) {
					t.Errorf("WWW-Authenticate %q", a.header.Get("WWW-Authenticate"))
				}
			}},
		{name: "unknown route", method: "GET", path: "/v1/order", header: key, status: 404, problem: "no-route",
			check: func(t *testing.T, _ answer, p Problem) {
				if len(p.Closest) == 0 || p.Closest[0].OperationID != "ListOrders" || !strings.Contains(p.Closest[0].Reason, `"orders"`) {
					t.Errorf("closest %+v", p.Closest)
				}
			}},
		{name: "wrong method", method: "PUT", path: "/v1/orders", header: key, status: 405, problem: "method-not-allowed",
			check: func(t *testing.T, a answer, _ Problem) {
				if a.header.Get("Allow") != "GET, POST" {
					t.Errorf("Allow %q", a.header.Get("Allow"))
				}
			}},
		{name: "query out of range", method: "GET", path: "/v1/orders?top=1000", header: key, status: 400, problem: "request-invalid",
			check: func(t *testing.T, _ answer, p Problem) {
				if len(p.Errors) != 1 || p.Errors[0].In != "query" || p.Errors[0].Name != "top" || p.Errors[0].Rule != "maximum" {
					t.Errorf("errors %+v", p.Errors)
				}
			}},
		{name: "body schema", method: "POST", path: "/v1/orders", body: `{"customerId": 5}`, header: with(key, "Content-Type", "application/json"),
			status: 422, problem: "request-invalid",
			check: func(t *testing.T, _ answer, p Problem) {
				ptrs := map[string]string{}
				for _, e := range p.Errors {
					ptrs[e.Pointer] = e.Rule
				}
				if ptrs["/customerId"] != "type" || ptrs["/lines"] != "required" && ptrs[""] != "required" {
					t.Errorf("errors %+v", p.Errors)
				}
			}},
		{name: "content type", method: "POST", path: "/v1/orders", body: `<order/>`, header: with(key, "Content-Type", "application/xml"),
			status: 415, problem: "request-invalid"},
		{name: "invalid json", method: "POST", path: "/v1/orders", body: `{"a":`, header: with(key, "Content-Type", "application/json"),
			status: 400, problem: "body-invalid-json"},
		{name: "too deep", method: "POST", path: "/v1/orders", body: strings.Repeat("[", 200) + strings.Repeat("]", 200),
			header: with(key, "Content-Type", "application/json"), status: 400, problem: "body-too-deep"},
		{name: "delete no content", method: "DELETE", path: "/v1/orders/" + orderID, header: key, status: 204},
		{name: "prefer code", method: "GET", path: "/v1/orders/" + orderID, header: with(key, "Prefer", "code=404"), status: 404},
		{name: "head", method: "HEAD", path: "/v1/orders/" + orderID, header: key, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, tt.method, ts.URL+tt.path, tt.body, tt.header)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			var p Problem
			if tt.problem != "" {
				p = problemOf(t, a)
				if p.Type != ProblemTypeBase+tt.problem {
					t.Errorf("type %q, want %s", p.Type, tt.problem)
				}
			}
			if tt.check != nil {
				tt.check(t, a, p)
			}
		})
	}
}

func TestBodyLimit413(t *testing.T) {
	_, ts := newSample(t, Options{MaxBodyBytes: 1024})
	a := do(t, "POST", ts.URL+"/v1/orders", `{"x":"`+strings.Repeat("a", 4096)+`"}`, with(key, "Content-Type", "application/json"))
	if a.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if p := problemOf(t, a); p.Type != ProblemTypeBase+"body-too-large" {
		t.Errorf("type %s", p.Type)
	}
}

func TestAuthOff(t *testing.T) {
	_, ts := newSample(t, Options{DisableAuth: true})
	if a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", nil); a.status != 200 {
		t.Fatalf("status %d", a.status)
	}
}

func TestConfiguredAPIKey(t *testing.T) {
	_, ts := newSample(t, Options{Credentials: Credentials{APIKey: "secret-1"}})
	if a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key); a.status != 401 {
		t.Fatalf("wrong key: status %d", a.status)
	}
	if a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", map[string]string{"X-API-Key": "secret-1"}); a.status != 200 {
		t.Fatalf("right key: status %d", a.status)
	}
}

// oauthConnector is the sample with OAuth 2.0 instead of an API key.
func oauthConnector(t *testing.T) *connector.Connector {
	c := loadSample(t)
	c.Auth = connector.Auth{Kind: connector.AuthOAuth2, Sets: []connector.AuthSet{{Kind: connector.AuthOAuth2, OAuth2: &connector.OAuth2Auth{}}}}
	return c
}

func TestOAuthFlow(t *testing.T) {
	s, err := New(oauthConnector(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// No token: 401 with a Bearer challenge.
	a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", nil)
	if a.status != 401 || !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("no token: %d %q", a.status, a.header.Get("WWW-Authenticate"))
	}
	// authorize auto-consents and redirects with the code and state.
	resp, err := noRedirect.Get(ts.URL + "/oauth2/authorize?response_type=code&client_id=app&redirect_uri=" +
		url.QueryEscape("https://app.example/cb") + "&state=xyz&scope=orders.read")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Host != "app.example" || loc.Query().Get("state") != "xyz" || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: %d %s", resp.StatusCode, loc)
	}
	token := func(form url.Values) (int, map[string]any) {
		resp, err := http.PostForm(ts.URL+"/oauth2/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	code := loc.Query().Get("code")
	st, tok := token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"app"}, "redirect_uri": {"https://app.example/cb"}})
	if st != 200 || tok["access_token"] == nil || tok["refresh_token"] == nil || tok["token_type"] != "Bearer" {
		t.Fatalf("code exchange: %d %v", st, tok)
	}
	// A code is single-use.
	if st, m := token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"app"}}); st != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("code reuse: %d %v", st, m)
	}
	bearer := map[string]string{"Authorization": "Bearer " + tok["access_token"].(string)}
	if a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", bearer); a.status != 200 {
		t.Fatalf("with token: %d %s", a.status, a.body)
	}
	st, tok2 := token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}})
	if st != 200 || tok2["access_token"] == nil {
		t.Fatalf("refresh: %d %v", st, tok2)
	}
	st, tok3 := token(url.Values{"grant_type": {"client_credentials"}, "client_id": {"svc"}, "client_secret": {"x"}})
	if st != 200 || tok3["access_token"] == nil || tok3["refresh_token"] != nil {
		t.Fatalf("client_credentials: %d %v", st, tok3)
	}
	// A refresh token is not an access token; a forged one is rejected.
	for _, bad := range []string{tok["refresh_token"].(string), "mock_e30.AAAA", "random"} {
		a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", map[string]string{"Authorization": "Bearer " + bad})
		if a.status != 401 || !strings.Contains(a.header.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("token %.20s: %d %q", bad, a.status, a.header.Get("WWW-Authenticate"))
		}
	}
}

func TestPanicAnswers500(t *testing.T) {
	boom := ResponderFunc(func(context.Context, *Call) (*Reply, error) { panic("boom") })
	var logs bytes.Buffer
	_, ts := newSample(t, Options{Responders: []Responder{boom}, Log: slogTo(&logs)})
	a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key)
	if a.status != 500 {
		t.Fatalf("status %d", a.status)
	}
	if p := problemOf(t, a); p.Type != ProblemTypeBase+"internal-error" {
		t.Errorf("type %s", p.Type)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	// The server keeps answering.
	if a := do(t, "GET", ts.URL+"/v1/order", "", key); a.status != 404 {
		t.Errorf("after panic: %d", a.status)
	}
}

type captureSink struct {
	mu sync.Mutex
	xs []*recordings.Exchange
}

func (c *captureSink) Record(_ context.Context, x *recordings.Exchange) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.xs = append(c.xs, x)
	return nil
}

func TestSinkGetsEveryExchange(t *testing.T) {
	sink := &captureSink{}
	_, ts := newSample(t, Options{Sink: sink})
	do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key)
	do(t, "GET", ts.URL+"/v1/orders?top=0", "", key)
	do(t, "GET", ts.URL+"/nope", "", nil)
	if len(sink.xs) != 3 {
		t.Fatalf("%d exchanges", len(sink.xs))
	}
	x := sink.xs[0]
	if x.Source != recordings.SourceMock || x.OperationID != "GetOrder" || x.Response.Status != 200 || len(x.Response.Body) == 0 {
		t.Errorf("first exchange %+v", x)
	}
	if got := x.Request.Header.Get("X-API-Key"); got != "REDACTED" {
		t.Errorf("API key not redacted in the traffic log: %q", got)
	}
	if n := sink.xs[1].Notes; len(n) == 0 || n[0].ID != "request-invalid" {
		t.Errorf("validation note missing: %+v", n)
	}
}

func TestFaults(t *testing.T) {
	t.Run("throttle", func(t *testing.T) {
		_, ts := newSample(t, Options{Faults: Faults{Throttle: 2, Window: time.Hour}})
		var last answer
		for i := 0; i < 3; i++ {
			last = do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key)
		}
		if last.status != 429 || last.header.Get("Retry-After") == "" {
			t.Fatalf("third request: %d Retry-After=%q", last.status, last.header.Get("Retry-After"))
		}
	})
	t.Run("error rate per operation", func(t *testing.T) {
		_, ts := newSample(t, Options{Faults: Faults{Operations: map[string]Faults{"GetOrder": {ErrorRate: 1, ErrorStatus: 503}}}})
		if a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key); a.status != 503 {
			t.Errorf("GetOrder: %d", a.status)
		}
		if a := do(t, "GET", ts.URL+"/v1/orders", "", key); a.status != 200 {
			t.Errorf("ListOrders: %d", a.status)
		}
	})
	t.Run("reset", func(t *testing.T) {
		_, ts := newSample(t, Options{Faults: Faults{ResetRate: 1}})
		resp, err := http.Get(ts.URL + "/v1/orders/" + orderID)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("got an answer %d, want a reset connection", resp.StatusCode)
		}
	})
	t.Run("latency", func(t *testing.T) {
		_, ts := newSample(t, Options{Faults: Faults{Latency: 150 * time.Millisecond}})
		start := time.Now()
		do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key)
		if d := time.Since(start); d < 150*time.Millisecond {
			t.Errorf("answered after %s", d)
		}
	})
}

// Determinism: the same seed and request give byte-identical answers in
// another process; another id gives other data.
func TestDeterministicAcrossProcesses(t *testing.T) {
	if os.Getenv("CONNECTORLAB_MOCK_CHILD") == "1" {
		return
	}
	paths := []string{"/v1/orders/" + orderID, "/v1/orders/" + strings.Replace(orderID, "3fa8", "4fa8", 1), "/v1/orders?top=5", "/v1/customers"}
	local := map[string]string{}
	_, ts := newSample(t, Options{Seed: 42})
	for _, p := range paths {
		a := do(t, "GET", ts.URL+p, "", key)
		a.header.Del("Date")
		local[p] = fmt.Sprintf("%d %v %s", a.status, a.header, a.body)
	}
	if local[paths[0]] == local[paths[1]] {
		t.Errorf("different ids gave the same answer")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeterministicChild$", "-test.v")
	cmd.Env = append(os.Environ(), "CONNECTORLAB_MOCK_CHILD=1", "CONNECTORLAB_MOCK_PATHS="+strings.Join(paths, ","))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, p := range paths {
		if !strings.Contains(string(out), "ANSWER "+p+" "+local[p]+"\n") {
			t.Errorf("%s: the other process answered differently\nhere:  %s\nchild output:\n%.2000s", p, local[p], out)
		}
	}
}

func TestDeterministicChild(t *testing.T) {
	if os.Getenv("CONNECTORLAB_MOCK_CHILD") != "1" {
		t.Skip("run by TestDeterministicAcrossProcesses")
	}
	_, ts := newSample(t, Options{Seed: 42})
	for _, p := range strings.Split(os.Getenv("CONNECTORLAB_MOCK_PATHS"), ",") {
		a := do(t, "GET", ts.URL+p, "", key)
		a.header.Del("Date")
		fmt.Printf("ANSWER %s %d %v %s\n", p, a.status, a.header, a.body)
	}
}

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

func TestGeneratedResourceCarriesRequestedID(t *testing.T) {
	_, ts := newSample(t, Options{Seed: 5})
	a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key)
	var o map[string]any
	if err := json.Unmarshal(a.body, &o); err != nil || o["id"] != orderID {
		t.Fatalf("id = %v, want %s (%v)", o["id"], orderID, err)
	}
}

// TestInvalidJSONBodyPosition: the 400 for a broken JSON body named line 1,
// column 1 whatever the broken byte (the decoder's offset, not the error's).
func TestInvalidJSONBodyPosition(t *testing.T) {
	_, ts := newSample(t, Options{})
	tests := []struct{ body, want string }{
		{`{"a":1,}`, "line 1, column 8:"},
		{"{\n  \"a\": x}", "line 2, column 8:"},
		{`{"customerId":`, "line 1, column 15:"},
	}
	for _, tt := range tests {
		a := do(t, "POST", ts.URL+"/v1/orders", tt.body, with(key, "Content-Type", "application/json"))
		p := problemOf(t, a)
		if a.status != 400 || p.Type != ProblemTypeBase+"body-invalid-json" || !strings.HasPrefix(p.Detail, tt.want) {
			t.Errorf("%q: status %d, detail %q, want it to start with %q", tt.body, a.status, p.Detail, tt.want)
		}
	}
}

// TestLocalOriginsOnly is the regression test for replayed recordings being
// readable by any web page: with LocalOriginsOnly (set by --replay) only
// pages served from loopback get CORS; by default every origin does, so
// browser apps anywhere can prototype against generated data.
func TestLocalOriginsOnly(t *testing.T) {
	cases := []struct {
		origin    string
		localOnly bool
		granted   bool
	}{
		{"https://evil.example", false, true},
		{"https://evil.example", true, false},
		{"http://localhost:3000", true, true},
		{"http://127.0.0.1:5173", true, true},
		{"http://[::1]:8080", true, true},
		{"http://localhost.evil.example", true, false},
		{"null", true, false},
	}
	for _, tc := range cases {
		_, ts := newSample(t, Options{Seed: 1, DisableAuth: true, LocalOriginsOnly: tc.localOnly})
		a := do(t, "GET", ts.URL+"/v1/customers", "", map[string]string{"Origin": tc.origin})
		want := http.StatusOK
		if tc.localOnly && !tc.granted {
			want = http.StatusForbidden // replay: a page of another site is refused outright (issue 11)
		}
		if a.status != want {
			t.Fatalf("%s: status %d, want %d", tc.origin, a.status, want)
		}
		got := a.header.Get("Access-Control-Allow-Origin")
		if granted := got == tc.origin; granted != tc.granted {
			t.Errorf("origin %q (local only %v): Access-Control-Allow-Origin %q, want granted=%v", tc.origin, tc.localOnly, got, tc.granted)
		}
	}
}
