package recordings_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
)

// memSink is a Sink that keeps exchanges, optionally failing.
type memSink struct {
	mu   sync.Mutex
	xs   []*recordings.Exchange
	fail error
}

func (m *memSink) Record(_ context.Context, x *recordings.Exchange) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	x.ID = int64(len(m.xs) + 1)
	m.xs = append(m.xs, x)
	return nil
}

func newProxy(t *testing.T, upstream string, o recordings.ProxyOptions) *httptest.Server {
	t.Helper()
	u, _ := url.Parse(upstream)
	o.Upstream = u
	p, err := recordings.NewProxy(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv
}

func TestProxyRecordsAndForwards(t *testing.T) {
	var got *http.Request
	var gotBody []byte
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		gotBody, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(`{"id":"42","status":"open"}`))
		zw.Close()
	}))
	defer up.Close()
	sink := &memSink{}
	ops := func(method, path string) string {
		if method == "POST" && path == "/orders" {
			return "CreateOrder"
		}
		return ""
	}
	px := newProxy(t, up.URL+"/v1", recordings.ProxyOptions{
		Sink: sink, SessionID: 7, Connector: "Contoso", Operation: ops, BasePath: "/v1",
		Auth: func(r *http.Request) error { r.Header.Set("X-API-Key", "k-secret-1"); return nil },
	})
	req, _ := http.NewRequest("POST", px.URL+"/v1/orders?expand=lines", strings.NewReader(`{"item":"pen"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got.URL.Path != "/v1/orders" || got.URL.RawQuery != "expand=lines" || string(gotBody) != `{"item":"pen"}` {
		t.Fatalf("upstream got %s %s?%s %q", got.Method, got.URL.Path, got.URL.RawQuery, gotBody)
	}
	if got.Header.Get("X-API-Key") != "k-secret-1" {
		t.Fatal("the proxy did not add the connection's API key")
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("client did not get the gzip bytes the upstream sent: %v", err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != `{"id":"42","status":"open"}` || resp.Header.Get(recordings.ExchangeHeader) != "1" {
		t.Fatalf("client got %q, exchange header %q", plain, resp.Header.Get(recordings.ExchangeHeader))
	}
	if len(sink.xs) != 1 {
		t.Fatalf("%d exchanges recorded", len(sink.xs))
	}
	x := sink.xs[0]
	if x.OperationID != "CreateOrder" || x.SessionID != 7 || x.Connector != "Contoso" || x.Source != recordings.SourceProxy {
		t.Fatalf("exchange tags: %+v", x)
	}
	if x.Request.Header.Get("X-API-Key") != "" {
		t.Fatal("the injected credential is in the recorded request (it must hold the client's request as sent)")
	}
	if string(x.Response.Body) != `{"id":"42","status":"open"}` || x.Response.Encoding != "gzip" || x.Response.WireSize == 0 {
		t.Fatalf("stored response body %q encoding %q wire %d", x.Response.Body, x.Response.Encoding, x.Response.WireSize)
	}
	if !strings.HasSuffix(x.Request.URL, "/v1/orders?expand=lines") || string(x.Request.Body) != `{"item":"pen"}` || x.Response.Status != 200 {
		t.Fatalf("stored request %s %q status %d", x.Request.URL, x.Request.Body, x.Response.Status)
	}
	if x.Duration <= 0 || x.Upstream <= 0 {
		t.Fatalf("timings not set: %v %v", x.Duration, x.Upstream)
	}
}

func TestProxyUpstreamFailures(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()

	for _, tc := range []struct {
		name, upstream string
		status         int
		problem        string
	}{
		{"unreachable", deadURL, 502, "upstream-unreachable"},
		{"timeout", slow.URL, 504, "upstream-timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := &memSink{}
			px := newProxy(t, tc.upstream, recordings.ProxyOptions{Sink: sink, SessionID: 1, Timeout: 200 * time.Millisecond})
			resp, err := http.Get(px.URL + "/x")
			if err != nil {
				t.Fatal(err)
			}
			var problem map[string]any
			json.NewDecoder(resp.Body).Decode(&problem)
			resp.Body.Close()
			if resp.StatusCode != tc.status || problem["error"] != tc.problem || problem["message"] == "" {
				t.Fatalf("got %d %v", resp.StatusCode, problem)
			}
			if len(sink.xs) != 1 || sink.xs[0].Error == "" || sink.xs[0].Response.Status != 0 {
				t.Fatalf("failed exchange not recorded as failed: %+v", sink.xs)
			}
			if problem["exchangeId"] != float64(1) {
				t.Fatalf("problem does not name the recorded exchange: %v", problem)
			}
		})
	}
}

func TestProxyWithholdsResponseWhenNotStored(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret data") }))
	defer up.Close()
	var reported []error
	sink := &memSink{fail: errors.New("disk full")}
	px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, SessionID: 1,
		OnStoreError: func(_ *recordings.Exchange, err error) { reported = append(reported, err) }})
	resp, err := http.Get(px.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(b), "recording-failed") || strings.Contains(string(b), "secret data") {
		t.Fatalf("strict mode answered %d %s", resp.StatusCode, b)
	}
	if len(reported) != 1 {
		t.Fatalf("store error reported %d times", len(reported))
	}

	px2 := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, SessionID: 1, BestEffort: true})
	resp, _ = http.Get(px2.URL + "/x")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "secret data" || resp.Header.Get("X-Connectorlab-Recording") != "failed" {
		t.Fatalf("best-effort mode answered %d %q %v", resp.StatusCode, b, resp.Header)
	}
}

func TestProxyLargeBodies(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789"), 50_000) // 500 kB
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, _ := io.ReadAll(r.Body)
		w.Write(in)
	}))
	defer up.Close()
	sink := &memSink{}
	px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, SessionID: 1, Limits: recordings.Limits{BodyCap: 1000}})
	resp, err := http.Post(px.URL+"/echo", "application/octet-stream", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(b, big) {
		t.Fatalf("client got %d bytes, want %d (the cap must not cut what is forwarded)", len(b), len(big))
	}
	x := sink.xs[0]
	for _, m := range []recordings.Message{x.Request.Message, x.Response.Message} {
		if len(m.Body) != 1000 || !m.Truncated || m.Size != int64(len(big)) || len(m.SHA256) != 64 {
			t.Fatalf("stored body: len %d truncated %v size %d", len(m.Body), m.Truncated, m.Size)
		}
	}
}

func TestDecompressionBombStops(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bytes.Repeat([]byte{0}, 20<<20))
	zw.Close()
	h := http.Header{"Content-Encoding": {"gzip"}}
	m, notes := recordings.BodyMessage(h, buf.Bytes(), recordings.Limits{BodyCap: 1 << 10, DecodedCap: 1 << 20})
	if !m.Truncated || len(m.Body) != 1<<10 || len(notes) != 1 || notes[0].ID != "body-decode-limit" {
		t.Fatalf("bomb: truncated %v len %d notes %v", m.Truncated, len(m.Body), notes)
	}
	m, notes = recordings.BodyMessage(h, []byte("not gzip at all"), recordings.Limits{})
	// Issue 11 item 2: bytes that cannot be decoded are never stored raw.
	if strings.Contains(string(m.Body), "not gzip at all") || !strings.HasPrefix(string(m.Body), "not stored: undecodable coding gzip") || len(notes) != 1 || notes[0].ID != "body-not-stored" {
		t.Fatalf("bad gzip: %+v %v", m, notes)
	}
}

// The policy engine plugs in as it is.
var _ recordings.Policies = (*policy.Engine)(nil)

func TestProxyAppliesConnectorPolicies(t *testing.T) {
	c, err := connector.Load(context.Background(), "../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	var gotPath, gotClient string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotClient = r.URL.Path, r.Header.Get("X-Client")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"value":[],"@odata.nextLink":"`+"http://"+r.Host+`/v1/orders?page=2"}`)
	}))
	defer up.Close()
	u, _ := url.Parse(up.URL + "/v1")
	eng, _ := policy.New(c, policy.Options{Upstream: u})
	sink := &memSink{}
	px := newProxy(t, up.URL+"/v1", recordings.ProxyOptions{Sink: sink, SessionID: 1, Policies: eng, BasePath: c.BasePath,
		Operation: recordings.OperationsOf(c)})
	resp, err := http.Get(px.URL + "/v1/orders")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if gotPath != "/v1/orders" || gotClient != "connectorlab-sample" {
		t.Fatalf("upstream got %s with X-Client %q", gotPath, gotClient)
	}
	if !strings.Contains(string(body), px.URL+"/v1/orders?page=2") {
		t.Fatalf("updatenextlink did not point the next link at the proxy: %s", body)
	}
	x := sink.xs[0]
	if x.OperationID != "ListOrders" || !strings.Contains(string(x.Response.Body), px.URL) {
		t.Fatalf("recorded %s %s", x.OperationID, x.Response.Body)
	}
	var applied int
	for _, n := range x.Notes {
		if n.ID == "policy-applied" {
			applied++
		}
	}
	if applied < 2 {
		t.Fatalf("policy steps not noted: %+v", x.Notes)
	}
}

func TestProxyRefusesTooLargeRequest(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("a refused body reached the upstream") }))
	defer up.Close()
	sink := &memSink{}
	px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, SessionID: 1, MaxRequestBody: 1000})
	resp, err := http.Post(px.URL+"/upload", "application/octet-stream", bytes.NewReader(make([]byte, 5000)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || !strings.Contains(string(b), "request-too-large") || len(sink.xs) != 1 || sink.xs[0].Error == "" {
		t.Fatalf("got %d %s, recorded %+v", resp.StatusCode, b, sink.xs)
	}
}
