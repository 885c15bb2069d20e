package recordings_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// rawUpstream is a TCP server that reads one request per connection and
// then does whatever misbehave does with the connection: the faults a
// real API or a network in between produces (reset, empty reply, broken
// framing, a body that stalls or never ends).
type rawUpstream struct {
	ln       net.Listener
	requests atomic.Int64
	paths    chan string
	wg       sync.WaitGroup
	stop     chan struct{}
}

func newRawUpstream(t *testing.T, misbehave func(c net.Conn, stop <-chan struct{})) *rawUpstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &rawUpstream{ln: ln, paths: make(chan string, 64), stop: make(chan struct{})}
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u.wg.Add(1)
			go func() {
				defer u.wg.Done()
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					u.requests.Add(1)
					select {
					case u.paths <- req.URL.Path:
					default:
					}
					misbehave(c, u.stop)
					return
				}
			}()
		}
	}()
	t.Cleanup(u.close)
	return u
}

func (u *rawUpstream) URL() string { return "http://" + u.ln.Addr().String() }

func (u *rawUpstream) close() {
	select {
	case <-u.stop:
	default:
		close(u.stop)
	}
	u.ln.Close()
	u.wg.Wait()
}

func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// waitGoroutines waits (bounded) for the goroutine count to fall back to
// within slack of base; it reports the stacks when it does not.
func waitGoroutines(t *testing.T, base, slack int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base+slack {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, baseline %d (+%d allowed): something hangs or leaks\n%s", n, base, slack, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestProxyUpstreamFaults: every way an upstream can fail after it
// accepted the request is answered 502/504 with a reason, recorded as a
// failed exchange (never a half response stored as good), and leaves no
// goroutine behind. A body that stalls after the headers used to hang the
// exchange for as long as the client waited (the timeout covered only the
// headers); a body that never ends used to be spooled to disk without end.
func TestProxyUpstreamFaults(t *testing.T) {
	base := runtime.NumGoroutine()
	const timeout = 300 * time.Millisecond
	for _, tc := range []struct {
		name      string
		misbehave func(c net.Conn, stop <-chan struct{})
		status    int
		problem   string
	}{
		{"reset before answering", func(c net.Conn, _ <-chan struct{}) { reset(c) }, 502, "upstream-unreachable"},
		{"empty response", func(c net.Conn, _ <-chan struct{}) {}, 502, "upstream-unreachable"},
		{"not HTTP", func(c net.Conn, _ <-chan struct{}) { io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n\r\n") }, 502, "upstream-unreachable"},
		{"malformed chunk", func(c net.Conn, _ <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n")
		}, 502, "upstream-unreachable"},
		{"short body (Content-Length lies)", func(c net.Conn, _ <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
		}, 502, "upstream-unreachable"},
		{"reset mid-body", func(c net.Conn, _ <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"+strings.Repeat("x", 5000))
			time.Sleep(20 * time.Millisecond)
			reset(c)
		}, 502, "upstream-unreachable"},
		{"headers then silence", func(c net.Conn, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
			<-stop
		}, 504, "upstream-timeout"},
		{"slow headers", func(c net.Conn, stop <-chan struct{}) { <-stop }, 504, "upstream-timeout"},
		{"endless body", func(c net.Conn, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
			chunk := fmt.Sprintf("%x\r\n%s\r\n", 64<<10, bytes.Repeat([]byte("y"), 64<<10))
			// At most 256 MiB, so a proxy without a limit fails the test
			// instead of filling the disk.
			for range 4096 {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := io.WriteString(c, chunk); err != nil {
					return
				}
			}
			io.WriteString(c, "0\r\n\r\n")
		}, 502, "response-too-large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newRawUpstream(t, tc.misbehave)
			sink := &memSink{}
			px := newProxy(t, up.URL(), recordings.ProxyOptions{Sink: sink, SessionID: 1, Timeout: timeout, MaxResponseBody: 1 << 20,
				Limits: recordings.Limits{BodyCap: 64 << 10}})
			client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{}}
			defer client.Transport.(*http.Transport).CloseIdleConnections()
			resp, err := client.Get(px.URL + "/fault?x=1")
			if err != nil {
				t.Fatalf("the proxy did not answer: %v", err)
			}
			var problem map[string]any
			json.NewDecoder(resp.Body).Decode(&problem)
			resp.Body.Close()
			if resp.StatusCode != tc.status || problem["error"] != tc.problem || problem["message"] == "" {
				t.Fatalf("got %d %v, want %d %s", resp.StatusCode, problem, tc.status, tc.problem)
			}
			sink.mu.Lock()
			defer sink.mu.Unlock()
			if len(sink.xs) != 1 || sink.xs[0].Error == "" || sink.xs[0].Response.Status != 0 || sink.xs[0].Duration <= 0 {
				t.Fatalf("want one failed exchange with its timing, got %+v", sink.xs)
			}
			if up.requests.Load() != 1 {
				t.Fatalf("upstream saw %d requests, want 1 (the proxy must not retry a request it already sent)", up.requests.Load())
			}
		})
	}
	waitGoroutines(t, base, 5)
}

// TestProxySlowClient: a client that sends its body a byte at a time and
// then stops, or never reads the response, is cut off by the proxy's idle
// timeout instead of holding a goroutine (and a spill file) forever.
func TestProxySlowClient(t *testing.T) {
	base := runtime.NumGoroutine()
	var upstreamHits atomic.Int64
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		upstreamHits.Add(1)
		io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/big" {
			w.Write(bytes.Repeat([]byte("z"), 8<<20))
		}
	}))
	defer up.Close()
	sink := &memSink{}
	u, _ := url.Parse(up.URL)
	p, err := recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: sink, SessionID: 1, ClientTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	px := httptest.NewServer(p)
	defer px.Close()
	addr := strings.TrimPrefix(px.URL, "http://")

	t.Run("stalled request body", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nabc")
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, err := io.ReadAll(c) // the proxy must close the connection
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("the proxy kept a stalled upload open (read so far %q)", b)
		}
		if !bytes.Contains(b, []byte(" 408 ")) || !bytes.Contains(b, []byte("client-timeout")) {
			t.Fatalf("a stalled upload got %q, want 408 client-timeout", b)
		}
		if upstreamHits.Load() != 0 {
			t.Fatal("a request whose body never arrived was forwarded")
		}
		sink.mu.Lock()
		n := len(sink.xs)
		var x *recordings.Exchange
		if n > 0 {
			x = sink.xs[n-1]
		}
		sink.mu.Unlock()
		if n != 1 || x.Error == "" {
			t.Fatalf("the abandoned upload is not recorded as failed: %d %+v", n, x)
		}
	})
	t.Run("refused request with a stalled body", func(t *testing.T) {
		// Refused before its body is read (a foreign Host): the proxy must
		// not then wait for the rest of a body that never comes.
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "POST /upload HTTP/1.1\r\nHost: evil.test\r\nContent-Length: 1000\r\n\r\nabc")
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() || !bytes.Contains(b, []byte(" 403 ")) {
			t.Fatalf("a refused request with a stalled body: %q, %v; want a 403 and a closed connection", b, err)
		}
	})
	t.Run("client never reads the response", func(t *testing.T) {
		// Warm up, so the proxy's keep-alive connection to the upstream
		// is part of the baseline.
		warm := &http.Transport{}
		if resp, err := (&http.Client{Transport: warm}).Get(px.URL + "/small"); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		warm.CloseIdleConnections()
		waitGoroutines(t, base, 6)
		g0 := runtime.NumGoroutine()
		sink.mu.Lock()
		before := len(sink.xs)
		sink.mu.Unlock()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetReadBuffer(4 << 10)
		}
		io.WriteString(c, "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		// Do not read: once the exchange is stored the proxy writes 8 MiB
		// into full socket buffers; its idle write timeout must end that.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			sink.mu.Lock()
			n := len(sink.xs)
			sink.mu.Unlock()
			if n > before {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the /big exchange was never recorded")
			}
		}
		waitGoroutines(t, g0, 0)
	})
	px.Close()
	waitGoroutines(t, base, 5)
}

// TestProxyRefusesCONNECT: a CONNECT is answered 405 and recorded as
// failed; it used to be forwarded to the upstream (a 2xx there makes the
// connection a tunnel, GO-2026-6613 territory).
func TestProxyRefusesCONNECT(t *testing.T) {
	hits := 0
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer up.Close()
	sink := &memSink{}
	// Remote clients allowed: the Host below is no loopback name.
	px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, SessionID: 1, AllowRemoteClients: true})
	c, err := net.Dial("tcp", strings.TrimPrefix(px.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "CONNECT 169.254.169.254:443 HTTP/1.1\r\nHost: 169.254.169.254:443\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || hits != 0 || len(sink.xs) != 1 || sink.xs[0].Error == "" {
		t.Fatalf("CONNECT: %d, upstream hits %d, recorded %+v", resp.StatusCode, hits, sink.xs)
	}
}

// TestProxyRefusesForeignBrowserPages: the proxy adds the connection's
// credentials to whatever reaches it, so a web page the developer visits
// must not be able to use it as a confused deputy: a cross-site request
// (Origin of another site, Sec-Fetch-Site cross-site, "null" origin) or a
// DNS-rebinding Host is refused with 403 before anything is forwarded.
// Local tools (curl, SDKs) pass; a dev server's page only when allowed
// (ProxyOptions.AllowOrigins, record --allow-origin).
func TestProxyRefusesForeignBrowserPages(t *testing.T) {
	var hits atomic.Int64
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "ok")
	}))
	defer up.Close()
	auth := func(r *http.Request) error { r.Header.Set("X-API-Key", "secret"); return nil }
	for _, tc := range []struct {
		name   string
		host   string
		header map[string]string
		remote bool
		want   int
	}{
		{"curl", "", nil, false, 200},
		// Issue 11 item 3: a page on another local port is another origin.
		{"dev server on localhost", "", map[string]string{"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site"}, false, 403},
		{"dev server on 127.0.0.1", "", map[string]string{"Origin": "http://127.0.0.1:5173"}, false, 403},
		{"page of another site", "", map[string]string{"Origin": "https://evil.test"}, false, 403},
		{"sandboxed page", "", map[string]string{"Origin": "null"}, false, 403},
		{"cross-site navigation (no Origin)", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, false, 403},
		{"DNS rebinding", "evil.test:4020", nil, false, 403},
		{"rebinding to a loopback-looking name", "127.0.0.1.evil.test", nil, false, 403},
		{"remote clients allowed", "proxy.lan:4020", nil, true, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := hits.Load()
			sink := &memSink{}
			px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink, SessionID: 1, Auth: auth, AllowRemoteClients: tc.remote})
			req, _ := http.NewRequest("POST", px.URL+"/v1/orders", strings.NewReader("x=1"))
			req.Header.Set("Content-Type", "text/plain")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			if tc.host != "" {
				req.Host = tc.host
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.want)
			}
			if tc.want == 403 {
				if hits.Load() != before {
					t.Fatal("a refused request reached the upstream")
				}
				if resp.Header.Get("Access-Control-Allow-Origin") != "" {
					t.Fatal("the refusal grants cross-origin reads")
				}
				if len(sink.xs) != 1 || sink.xs[0].Error == "" {
					t.Fatalf("the refusal is not recorded as a failed exchange: %+v", sink.xs)
				}
			}
		})
	}
}
