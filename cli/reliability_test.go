package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// The reliability tests run the real servers the CLI builds (mock API,
// admin API, recording proxy), with their real http.Server settings, and
// talk to them over raw TCP where a well-behaved client would not go.

// countingUpstream is a live API that counts what reaches it.
type countingUpstream struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func newCountingUpstream(t *testing.T) *countingUpstream {
	u := &countingUpstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.paths = append(u.paths, fmt.Sprintf("%s %s %q", r.Method, r.URL.Path, b))
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"o-1"}`)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *countingUpstream) seen() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.paths...)
}

// halfClose at the end of a payload makes rawExchange close its sending
// side after it (the client is gone, its body will never be complete).
const halfClose = "\x00<half-close>"

// rawExchange writes payload on a fresh connection and reads every
// response until the server closes the connection (or 3 s of silence).
func rawExchange(t *testing.T, addr, payload string) (statuses []int, closed bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go func() {
		p, hc := strings.CutSuffix(payload, halfClose)
		io.WriteString(c, p)
		if hc {
			c.(*net.TCPConn).CloseWrite()
		}
	}()
	br := bufio.NewReader(c)
	for {
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			ne, ok := err.(net.Error)
			return statuses, !(ok && ne.Timeout())
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
}

// malformed are requests net/http must refuse before any handler runs.
var malformed = []struct{ name, payload string }{
	{"bad request line", "GARBAGE\r\n\r\n"},
	{"HTTP/0.9", "GET /\r\n\r\n"},
	{"space in target", "GET /a b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
	{"NUL in header name", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad\x00H: v\r\n\r\n"},
	{"space before colon", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A : a\r\n\r\n"},
	{"no Host", "GET / HTTP/1.1\r\n\r\n"},
	{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
	{"duplicate Content-Length", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"},
	{"negative Content-Length", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n"},
	{"signed Content-Length", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: +5\r\n\r\nhello"},
	{"Transfer-Encoding gzip, chunked", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
	{"Transfer-Encoding twice", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
	{"100k headers (1.2 MB)", "GET /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n" + manyHeaders(100_000) + "\r\n"},
	{"2 MB request line", "GET /" + strings.Repeat("a", 2<<20) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
}

// bodyBroken reach the handler but their body cannot be read.
var bodyBroken = []struct{ name, payload string }{
	{"bad chunk size", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"},
	{"chunk size overflow", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"},
	{"chunk extension 10 kB", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5;" + strings.Repeat("e", 10_000) + "\r\nhello\r\n0\r\n\r\n"},
	{"body shorter than Content-Length, then EOF", "POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"a\":1}" + halfClose},
}

func manyHeaders(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "X-H-%d: v\r\n", i)
	}
	return b.String()
}

// TestMalformedHTTP sends malformed and smuggling-shaped requests to the
// mock and to the recording proxy. Refused requests get a 4xx/5xx from
// net/http and a closed connection and never reach the upstream; requests
// whose body breaks off are answered 4xx, never forwarded; what the
// proxy does forward, the upstream sees exactly as recorded — a request
// hidden in a body (CL+TE) arrives, if at all, as its own recorded
// exchange.
func TestMalformedHTTP(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	up := newCountingUpstream(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "rec.db")
	proxyURL, _, perr, stopRecord := startRecord(t, sampleDir, "--upstream", up.URL+"/v1", "--db", db, "--port", "0", "--session", "malformed", "--no-prompt")
	urls, _, merr, stopMock := startMock(t, sampleDir, "--auth", "off")
	servers := map[string]string{"mock": strings.TrimPrefix(urls[0], "http://"), "proxy": strings.TrimPrefix(proxyURL, "http://")}

	for name, addr := range servers {
		for _, tc := range malformed {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				before := len(up.seen())
				st, closed := rawExchange(t, addr, tc.payload)
				if len(st) != 1 || st[0] < 400 || !closed {
					t.Errorf("answers %v, connection closed %v; want one 4xx/5xx and a closed connection", st, closed)
				}
				if len(st) == 1 && st[0] >= 500 && st[0] != 501 {
					t.Errorf("answered %d: a malformed request is the client's error", st[0])
				}
				if n := len(up.seen()); n != before {
					t.Errorf("the upstream saw %v", up.seen()[before:])
				}
			})
		}
		for _, tc := range bodyBroken {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				before := len(up.seen())
				st, _ := rawExchange(t, addr, tc.payload)
				if len(st) != 1 || st[0] < 400 || st[0] >= 500 {
					t.Errorf("answers %v; want one 4xx", st)
				}
				if n := len(up.seen()); n != before {
					t.Errorf("a request whose body broke off was forwarded: %v", up.seen()[before:])
				}
			})
		}
		t.Run(name+"/10k headers", func(t *testing.T) {
			st, _ := rawExchange(t, addr, "GET /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"+manyHeaders(10_000)+"\r\n")
			if len(st) != 1 || st[0] >= 500 {
				t.Errorf("answers %v; want one non-5xx answer", st)
			}
		})
	}

	// Smuggling shapes through the proxy: whatever net/http makes of them,
	// the upstream must see exactly the requests the proxy recorded.
	addr := servers["proxy"]
	for _, p := range []string{
		"POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		"POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40\r\nConnection: close\r\n\r\n" + "GET /v1/hidden HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\r\n",
		"GET http://169.254.169.254/latest/meta-data HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n",
		"CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: 169.254.169.254:80\r\nConnection: close\r\n\r\n",
	} {
		rawExchange(t, addr, p)
	}
	if code := stopRecord(); code != ExitOK {
		t.Fatalf("record exit %d: %s", code, perr)
	}
	if code := stopMock(); code != ExitOK {
		t.Fatalf("mock exit %d: %s", code, merr)
	}
	st, err := sqlite.Open(t.Context(), db, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sess, err := st.SessionByName(t.Context(), "malformed")
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.ListExchanges(t.Context(), recordings.ExchangeFilter{SessionID: sess.ID})
	if err != nil {
		t.Fatal(err)
	}
	// What each exchange says it forwarded, and with which body.
	var forwarded []string
	for _, x := range page.Exchanges {
		for _, n := range x.Notes {
			if m, ok := strings.CutPrefix(n.Message, "forwarded to "); ok && n.ID == "forwarded" && x.Response.Status != 0 {
				method, u, _ := strings.Cut(m, " ")
				forwarded = append(forwarded, fmt.Sprintf("%s %s %q", method, pathOnly(u), x.Request.Body))
			}
		}
	}
	seen := up.seen()
	if strings.Join(seen, "\n") != strings.Join(forwarded, "\n") {
		t.Errorf("the upstream saw\n  %s\nbut the recorded, answered exchanges are\n  %s", strings.Join(seen, "\n  "), strings.Join(forwarded, "\n  "))
	}
	for _, s := range seen {
		if strings.Contains(s, "169.254") || strings.Contains(s, "/latest") && !strings.Contains(s, "/v1/latest") {
			t.Errorf("the client steered the proxy: %s", s)
		}
	}
	t.Logf("upstream saw: %v", seen)
}

var pathRE = regexp.MustCompile(`^[a-z]+://[^/]*`)

func pathOnly(u string) string {
	p := pathRE.ReplaceAllString(u, "")
	p, _, _ = strings.Cut(p, "?")
	return p
}

// TestDefaultListenersAreLoopback starts the mock (with its admin API) and
// the recording proxy with default addresses and asks the kernel which
// sockets this process listens on: every one must be on loopback.
func TestDefaultListenersAreLoopback(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/net/tcp")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	up := newCountingUpstream(t)
	proxyURL, _, _, stopRecord := startRecord(t, sampleDir, "--upstream", up.URL+"/v1", "--db", filepath.Join(t.TempDir(), "r.db"), "--port", "0", "--no-prompt")
	defer stopRecord()
	_, out, _, stopMock := startMock(t, sampleDir, "--admin-port", "0")
	defer stopMock()
	if !strings.Contains(out.String(), "Admin API at http://127.0.0.1:") {
		t.Fatalf("admin API not announced on loopback:\n%s", out)
	}
	mine := socketInodes(t)
	n := 0
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fs := strings.Fields(line)
			if len(fs) < 10 || fs[3] != "0A" || !mine[fs[9]] { // 0A = LISTEN
				continue
			}
			n++
			if !loopbackHex(fs[1]) {
				t.Errorf("this process listens on %s (%s): not loopback", fs[1], f)
			}
		}
	}
	// upstream, proxy, mock, admin at least.
	if n < 4 {
		t.Fatalf("found %d listening sockets of this process, want at least 4 (proxy %s)", n, proxyURL)
	}
}

func socketInodes(t *testing.T) map[string]bool {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	out := map[string]bool{}
	for _, e := range ents {
		l, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err == nil && strings.HasPrefix(l, "socket:[") {
			out[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	return out
}

// loopbackHex reads /proc/net/tcp's "0100007F:1F90" (little-endian IPv4)
// or the IPv6 form.
func loopbackHex(local string) bool {
	ip, _, _ := strings.Cut(local, ":")
	switch len(ip) {
	case 8:
		return strings.HasSuffix(ip, "7F") // 127.x.x.x
	case 32:
		return ip == "00000000000000000000000001000000" || // ::1
			strings.HasPrefix(ip, "0000000000000000FFFF0000") && strings.HasSuffix(ip, "7F") // ::ffff:127.x
	}
	return false
}

// TestSlowlorisIsCutOff holds 20 connections on each server the CLI opens
// (mock API, admin API, recording proxy) that send their headers a byte
// at a time and never finish: each server must close them (its
// ReadHeaderTimeout, 5 s) and keep answering ordinary requests meanwhile.
func TestSlowlorisIsCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5 s header timeout")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	up := newCountingUpstream(t)
	proxyURL, _, _, stopRecord := startRecord(t, sampleDir, "--upstream", up.URL+"/v1", "--db", filepath.Join(t.TempDir(), "r.db"), "--port", "0", "--no-prompt")
	defer stopRecord()
	urls, out, _, stopMock := startMock(t, sampleDir, "--admin-port", "0", "--auth", "off")
	defer stopMock()
	adminURL := regexp.MustCompile(`Admin API at (http://[0-9.:]+)`).FindStringSubmatch(out.String())
	if adminURL == nil {
		t.Fatalf("no admin URL in\n%s", out)
	}
	targets := map[string]string{"mock": urls[0], "admin": adminURL[1], "proxy": proxyURL}
	var wg sync.WaitGroup
	for name, base := range targets {
		addr := strings.TrimPrefix(base, "http://")
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Error(err)
					return
				}
				defer c.Close()
				io.WriteString(c, "GET /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
				// Dribble a byte every 250 ms for up to 20 s; the server
				// must close the connection long before.
				for range 80 {
					time.Sleep(250 * time.Millisecond)
					if _, err := c.Write([]byte("a")); err != nil {
						return
					}
				}
				t.Errorf("%s: slow connection %d still open after 20 s", name, i)
			}()
		}
	}
	// Ordinary clients are answered while the slow ones hang on.
	time.Sleep(500 * time.Millisecond)
	for name, base := range targets {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + "/v1/orders")
		if err != nil {
			t.Errorf("%s: an ordinary request failed while slow clients were connected: %v", name, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%s: ordinary request answered %d", name, resp.StatusCode)
		}
	}
	wg.Wait()
}

// TestHostileRecordingOnTheTerminal imports a HAR file (someone else's
// recording) whose URL, headers, body, status text and comment carry
// terminal escape sequences, then prints it every way the CLI can: no
// control byte but newline and tab may reach the terminal.
func TestHostileRecordingOnTheTerminal(t *testing.T) {
	const esc = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[1A\r\u009b31m"
	dir := t.TempDir()
	har := filepath.Join(dir, "evil.har")
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	os.WriteFile(har, []byte(`{"log":{"version":"1.2","creator":{"name":`+q("x"+esc)+`,"version":"1"},"entries":[{"startedDateTime":"2024-01-01T00:00:00Z","time":1,`+
		`"request":{"method":"GET","url":`+q("http://127.0.0.1/v1/orders/%1b%5d52;c;eA==%07?q=%1b%5b2J")+`,"httpVersion":"HTTP/1.1","headers":[{"name":"X-Evil","value":`+q(esc)+`}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},`+
		`"response":{"status":200,"statusText":`+q(esc)+`,"httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"text/plain"},{"name":`+q("X-"+esc)+`,"value":`+q(esc)+`}],"cookies":[],`+
		`"content":{"size":10,"mimeType":"text/plain","text":`+q("body "+esc+"\nline2")+`},"redirectURL":"","headersSize":-1,"bodySize":10},"cache":{},"timings":{"send":0,"wait":1,"receive":0},"comment":`+q(esc)+`}]}}`), 0o644)
	db := filepath.Join(dir, "rec.db")
	if code, o, e := runCLI(t, "recordings", "import", har, "--db", db); code != ExitOK || !strings.Contains(o, "1 exchange") {
		t.Fatalf("import: %d %s %s", code, o, e)
	}
	for _, args := range [][]string{
		{"recordings", "ls", "--db", db},
		{"recordings", "show", "evil", "--db", db},
		{"recordings", "show", "1", "--db", db},
		{"recordings", "show", "--exchange", "1", "--db", db},
		{"drift", sampleDir, "--recordings", db, "-v", "--no-history"},
		{"test", sampleDir, "--recordings", db, "--target", "http://127.0.0.1:1", "--no-history"},
	} {
		_, out, errs := runCLI(t, args...)
		for name, s := range map[string]string{"stdout": out, "stderr": errs} {
			if i := strings.IndexFunc(s, func(r rune) bool {
				return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
			}); i >= 0 {
				t.Errorf("%s: %s carries %q: …%q…", strings.Join(args[:2], " "), name, s[i], s[max(0, i-30):min(len(s), i+30)])
			}
		}
	}
}

// TestTestWithNothingToReplaySaysSo: a recordings file whose session holds
// no exchange used to report "passed" and nothing else.
func TestTestWithNothingToReplaySaysSo(t *testing.T) {
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", "k")
	db := filepath.Join(t.TempDir(), "rec.db")
	s, err := sqlite.Open(t.Context(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(t.Context(), &recordings.Session{Name: "empty", Connector: "Contoso Orders"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, _, errs := runCLI(t, "test", sampleDir, "--recordings", db, "--target", "http://127.0.0.1:1", "--no-history")
	if !strings.Contains(errs, "no recorded exchange was replayed") {
		t.Fatalf("stderr: %q", errs)
	}
}

// TestMockRecordKeepsSecretsOut (plan X1, the mock's --record path): the
// credentials and secret fields a client sends the mock never reach the
// recordings file (nor its -wal).
func TestMockRecordKeepsSecretsOut(t *testing.T) {
	db := filepath.Join(t.TempDir(), "mock.db")
	urls, _, errb, stop := startMock(t, sampleDir, "--record", db)
	canaries := []string{"CNRYMOCKAUTHZ", "CNRYMOCKKEY", "CNRYMOCKCOOKIE", "CNRYMOCKPWD", "CNRYMOCKQUERY", "CNRYMOCKSECRET"}
	req, _ := http.NewRequest("POST", urls[0]+"/v1/orders?api_key="+canaries[4], strings.NewReader(
		`{"customerId":"c1","lines":[{"sku":"A","quantity":1,"unitPrice":1}],"password":"`+canaries[3]+`","client_secret":"`+canaries[5]+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+canaries[0])
	req.Header.Set("X-API-Key", canaries[1])
	req.Header.Set("Cookie", "sid="+canaries[2])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	live, _ := os.ReadFile(db + "-wal")
	if code := stop(); code != ExitOK {
		t.Fatalf("mock exit %d: %s", code, errb)
	}
	closed, _ := os.ReadFile(db)
	_, export, _ := runCLI(t, "recordings", "export", "1", "--db", db, "--format", "har")
	if !strings.Contains(export, "/v1/orders") {
		t.Fatalf("nothing recorded: %s", export)
	}
	for name, b := range map[string]string{"-wal (live)": string(live), "db": string(closed), "HAR export": export, "stderr": errb.String()} {
		for _, c := range canaries {
			if strings.Contains(b, c) {
				t.Errorf("%s found in %s", c, name)
			}
		}
	}
}
