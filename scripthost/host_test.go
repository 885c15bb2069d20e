package scripthost

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// cacheDir is shared by the tests of one run so each script compiles once.
var testCache = func() string {
	d, err := os.MkdirTemp("", "scripthost-test-")
	if err != nil {
		panic(err)
	}
	return d
}()

func newHost(t testing.TB, code string, o Options) *Host {
	t.Helper()
	o.Engine = engineOrSkip(t)
	if o.CacheDir == "" {
		o.CacheDir = testCache
	}
	h, err := New(context.Background(), Source{Name: "script.csx", Code: []byte(code)}, o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// echoSend answers every SendAsync with 200, the method, URL and a header.
func echoSend(ctx context.Context, r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", "application/json")
	rec.Header().Set("X-Seen-Auth", r.Header.Get("Authorization"))
	rec.WriteHeader(200)
	io.WriteString(rec, `{"method":"`+r.Method+`","url":"`+r.URL.String()+`","body":`+strings.TrimSpace(string(orNull(b)))+`}`)
	return rec.Result(), nil
}

func orNull(b []byte) []byte {
	if len(b) == 0 {
		return []byte("null")
	}
	return b
}

const passThrough = `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
    }
}`

func TestPassThrough(t *testing.T) {
	t.Parallel()
	h := newHost(t, passThrough, Options{Send: echoSend})
	req := httptest.NewRequest("POST", "https://api.example.com/v1/items?x=1", strings.NewReader(`{"a":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer t")
	r := h.Call(context.Background(), Call{OperationID: "Create", Request: req})
	if r.Err != nil {
		t.Fatalf("call failed: %v", r.Err)
	}
	want := `{"method":"POST","url":"https://api.example.com/v1/items?x=1","body":{"a":1}}`
	if r.Status != 200 || string(r.Body) != want {
		t.Fatalf("got %d %s, want 200 %s", r.Status, r.Body, want)
	}
	if got := r.Header.Get("X-Seen-Auth"); got != "Bearer t" {
		t.Errorf("the backend saw Authorization %q", got)
	}
	if len(r.Sends) != 1 || r.Sends[0].Status != 200 {
		t.Errorf("sends = %+v", r.Sends)
	}
}

func TestExceptionAnswers500WithMessageAndLogs(t *testing.T) {
	t.Parallel()
	h := newHost(t, `public class Script : ScriptBase
{
    public override Task<HttpResponseMessage> ExecuteAsync()
    {
        this.Context.Logger.LogInformation("operation {op} starting", this.Context.OperationId);
        Console.WriteLine("from console");
        throw new InvalidOperationException("boom in " + this.Context.OperationId);
    }
}`, Options{Send: echoSend})
	r := h.Call(context.Background(), Call{OperationID: "Op1", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
	if r.Status != 500 || r.Err == nil || r.Err.Kind != "exception" || !strings.Contains(string(r.Body), "boom in Op1") {
		t.Fatalf("got %d %s %+v", r.Status, r.Body, r.Err)
	}
	if len(r.Logs) != 2 || r.Logs[0].Message != "operation Op1 starting" || r.Logs[0].Level != "Information" || r.Logs[1].Message != "from console" {
		t.Errorf("logs = %+v", r.Logs)
	}
}

func TestSendFailureAnswers502(t *testing.T) {
	t.Parallel()
	h := newHost(t, passThrough, Options{Send: func(ctx context.Context, r *http.Request) (*http.Response, error) {
		return nil, io.ErrUnexpectedEOF
	}})
	r := h.Call(context.Background(), Call{OperationID: "Op", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
	if r.Status != 502 || !strings.Contains(string(r.Body), "unexpected EOF") {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
}

// TestTimeoutKillsAndRestarts: a script past the limit answers 504, its
// process group is killed and the next call runs on a fresh child.
func TestTimeoutKillsAndRestarts(t *testing.T) {
	t.Parallel()
	h := newHost(t, `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        if (this.Context.OperationId == "Spin") { while (true) { } }
        if (this.Context.OperationId == "Sleep") { await Task.Delay(60000); }
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent("{\"ok\":true}") };
    }
}`, Options{Timeout: 700 * time.Millisecond})
	for _, op := range []string{"Spin", "Sleep"} {
		start := time.Now()
		r := h.Call(context.Background(), Call{OperationID: op, Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
		took := time.Since(start)
		if r.Status != 504 || r.Err == nil || r.Err.Kind != "timeout" {
			t.Fatalf("%s: got %d %s", op, r.Status, r.Body)
		}
		if took > 3*time.Second {
			t.Errorf("%s: the timeout took %s", op, took)
		}
		r = h.Call(context.Background(), Call{OperationID: "Ok", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
		if r.Status != 200 || string(r.Body) != `{"ok":true}` {
			t.Fatalf("after %s: got %d %s", op, r.Status, r.Body)
		}
	}
	if h.Starts() < 2 {
		t.Errorf("starts = %d, want a restart after the busy loop", h.Starts())
	}
}

func TestCompileErrorNamesLineAndColumn(t *testing.T) {
	t.Parallel()
	e := engineOrSkip(t)
	_, err := Compile(context.Background(), e, testCache, Source{Name: "conn/script.csx", Code: []byte("public class Script : ScriptBase\n{\n    public override async Task<HttpResponseMessage> ExecuteAsync()\n    {\n        return undefinedThing;\n    }\n}\n")})
	ce, ok := IsCompileError(err)
	if !ok {
		t.Fatalf("err = %v, want a CompileError", err)
	}
	if !strings.HasPrefix(ce.Error(), "conn/script.csx:5:16: error CS0103:") {
		t.Errorf("error = %q", ce.Error())
	}
}

func TestNamespaceAllowList(t *testing.T) {
	t.Parallel()
	ce := Check(Source{Name: "s.csx", Code: []byte("using System;\nusing System.Net.Sockets;\npublic class Script : ScriptBase {}\n")})
	if ce == nil || ce.Kind != "namespace" || ce.Diagnostics[0].Line != 2 || !strings.Contains(ce.Error(), "s.csx:2:7: error namespace: namespace System.Net.Sockets is not supported") {
		t.Fatalf("got %v", ce)
	}
	if ce := Check(Source{Code: []byte("using System.Net.Http.Headers;\nusing static System.Math;\npublic class Script : ScriptBase {}\n")}); ce != nil {
		t.Fatalf("allowed namespaces refused: %v", ce)
	}
}

func TestSourceLimit(t *testing.T) {
	t.Parallel()
	big := "public class Script : ScriptBase {}\n//" + strings.Repeat("x", MaxSource)
	ce := Check(Source{Name: "s.csx", Code: []byte(big)})
	if ce == nil || ce.Kind != "size" || !strings.Contains(ce.Error(), "1 MB") {
		t.Fatalf("got %v", ce)
	}
}

// TestGatewayFiveSecondLimit: with the default limit a script that runs
// on answers 504 after 5 s (not before, not much after).
func TestGatewayFiveSecondLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 5 s: skipped with -short")
	}
	t.Parallel()
	h := newHost(t, `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(30));
        return new HttpResponseMessage(HttpStatusCode.OK);
    }
}`, Options{})
	if h.Timeout() != 5*time.Second {
		t.Fatalf("default timeout %s", h.Timeout())
	}
	start := time.Now()
	r := h.Call(context.Background(), Call{OperationID: "Slow", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
	took := time.Since(start)
	if r.Status != 504 || r.Err == nil || r.Err.Kind != "timeout" {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	if took < 5*time.Second || took > 7*time.Second {
		t.Errorf("the 5 s limit answered after %s", took)
	}
}

// TestIsolation: the child has an empty environment and, where a network
// namespace is available, cannot open a socket; SendAsync still works.
func TestIsolation(t *testing.T) {
	t.Setenv("CONNECTORLAB_SECRET_CANARY", "leak")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	h := newHost(t, `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        var env = Environment.GetEnvironmentVariable("CONNECTORLAB_SECRET_CANARY") ?? "none";
        string net;
        try
        {
            var c = new System.Net.Sockets.TcpClient();
            c.Connect("127.0.0.1", `+strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)+`);
            net = "connected";
        }
        catch (Exception e) { net = "refused: " + e.GetType().Name; }
        var resp = await this.Context.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://backend.test/ok"), this.CancellationToken);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = CreateJsonContent("{\"env\":\"" + env + "\",\"net\":\"" + net + "\",\"send\":" + (int)resp.StatusCode + "}") };
    }
}`, Options{Send: echoSend})
	r := h.Call(context.Background(), Call{OperationID: "Probe", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
	if r.Status != 200 {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	body := string(r.Body)
	if !strings.Contains(body, `"env":"none"`) {
		t.Errorf("the child saw the parent's environment: %s", body)
	}
	if !strings.Contains(body, `"send":200`) {
		t.Errorf("SendAsync did not work: %s", body)
	}
	if strings.Contains(h.Isolation(), "own network namespace") && !strings.Contains(body, `"net":"refused`) {
		t.Errorf("isolation %q, yet the script connected: %s", h.Isolation(), body)
	}
	t.Logf("isolation: %s; script saw %s", h.Isolation(), body)
}

// TestConcurrentCallsShareOneChild: calls in flight at once are
// multiplexed over one child, each getting its own answer and logs.
func TestConcurrentCallsShareOneChild(t *testing.T) {
	t.Parallel()
	h := newHost(t, `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        this.Context.Logger.LogInformation("op {op}", this.Context.OperationId);
        await Task.Delay(50);
        var resp = await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
        resp.Headers.Add("X-Op", this.Context.OperationId);
        return resp;
    }
}`, Options{Send: echoSend})
	var wg sync.WaitGroup
	errs := make(chan string, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			op := "Op" + strconv.Itoa(i)
			r := h.Call(context.Background(), Call{OperationID: op, Request: httptest.NewRequest("GET", "https://x.test/"+op, nil)})
			if r.Status != 200 || r.Header.Get("X-Op") != op || !strings.Contains(string(r.Body), "/"+op) || len(r.Logs) != 1 || r.Logs[0].Message != "op "+op {
				errs <- fmt.Sprintf("%s: %d %v %s %v", op, r.Status, r.Header, r.Body, r.Logs)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if h.Starts() != 1 {
		t.Errorf("starts = %d, want 1", h.Starts())
	}
}

// TestChildExitIsRecovered: a script that ends the process answers 500
// and the next call runs on a fresh child.
func TestChildExitIsRecovered(t *testing.T) {
	t.Parallel()
	h := newHost(t, `public class Script : ScriptBase
{
    public override Task<HttpResponseMessage> ExecuteAsync()
    {
        if (this.Context.OperationId == "Exit") { Environment.Exit(3); }
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));
    }
}`, Options{})
	r := h.Call(context.Background(), Call{OperationID: "Exit", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
	if r.Status != 500 || r.Err == nil || r.Err.Kind != "host" || !strings.Contains(r.Err.Message, "exited") {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	r = h.Call(context.Background(), Call{OperationID: "Ok", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
	if r.Status != 202 {
		t.Fatalf("after the exit: %d %s", r.Status, r.Body)
	}
}

// TestBinaryBodiesRoundTrip: bodies cross the protocol byte for byte.
func TestBinaryBodiesRoundTrip(t *testing.T) {
	t.Parallel()
	body := make([]byte, 300<<10)
	for i := range body {
		body[i] = byte(i * 7)
	}
	var got []byte
	h := newHost(t, passThrough, Options{Send: func(ctx context.Context, r *http.Request) (*http.Response, error) {
		got, _ = io.ReadAll(r.Body)
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "application/octet-stream")
		rec.Write(got)
		return rec.Result(), nil
	}})
	req := httptest.NewRequest("PUT", "https://x.test/blob", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/octet-stream")
	r := h.Call(context.Background(), Call{OperationID: "Put", Request: req})
	if r.Status != 200 || !bytes.Equal(got, body) || !bytes.Equal(r.Body, body) || r.Header.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("status %d, sent %d bytes, got back %d, content type %q", r.Status, len(got), len(r.Body), r.Header.Get("Content-Type"))
	}
}
