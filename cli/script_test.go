package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/scripthost"
)

func needScriptHost(t *testing.T) {
	t.Helper()
	if _, err := scripthost.FindEngine(); err != nil {
		t.Skipf("custom-code host unavailable (%v)", err)
	}
}

// scriptConnector copies the sample definition into a folder with code
// as its script.csx.
func scriptConnector(t *testing.T, code string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"apiDefinition.swagger.json", "apiProperties.json"} {
		b, err := os.ReadFile(filepath.Join("../examples/contoso-orders", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "script.csx"), []byte(code), 0o600)
	return dir
}

func TestScriptTestShowsBeforeAndAfter(t *testing.T) {
	needScriptHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := scriptConnector(t, `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        this.Context.Request.Headers.TryAddWithoutValidation("X-Injected", "yes");
        this.Context.Logger.LogInformation("calling {op}", this.Context.OperationId);
        var resp = await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
        var body = JObject.Parse(await resp.Content.ReadAsStringAsync());
        resp.Content = CreateJsonContent(new JObject { ["wrapped"] = body }.ToString());
        return resp;
    }
}`)
	code, out, errOut := run(t, "script", "test", dir, "--operation", "GetOrder", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Before struct{ URL string }
		Sends  []struct {
			Request struct {
				Header map[string][]string
			}
			Response struct{ Status int }
		}
		After struct {
			Status int
			Body   string
		}
		Logs []struct{ Message string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.HasPrefix(rep.Before.URL, "https://api.contoso.example/v1/orders/") {
		t.Errorf("before URL %q", rep.Before.URL)
	}
	if len(rep.Sends) != 1 || rep.Sends[0].Request.Header["X-Injected"][0] != "yes" || rep.Sends[0].Response.Status != 200 {
		t.Errorf("sends %+v", rep.Sends)
	}
	if rep.After.Status != 200 || !strings.Contains(rep.After.Body, `"wrapped"`) {
		t.Errorf("after %+v", rep.After)
	}
	if len(rep.Logs) != 1 || rep.Logs[0].Message != "calling GetOrder" {
		t.Errorf("logs %+v", rep.Logs)
	}
	code, out, _ = run(t, "script", "test", dir, "--operation", "GetOrder")
	for _, want := range []string{"── request before the code", "── SendAsync #1: request after the code", "X-Injected: yes", "── response after the code", "calling GetOrder"} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("text report lacks %q (exit %d):\n%s", want, code, out)
		}
	}
}

func TestScriptTestCompileErrorNamesLine(t *testing.T) {
	needScriptHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := scriptConnector(t, "public class Script : ScriptBase\n{\n    public override async Task<HttpResponseMessage> ExecuteAsync()\n    {\n        return nothingHere;\n    }\n}\n")
	code, _, errOut := run(t, "script", "test", dir, "--operation", "GetOrder")
	if code != ExitUsage || !strings.Contains(errOut, "script.csx:5:16: error CS0103") {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
}

func TestScriptTestUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"script"}, {"script", "run"}, {"script", "test"}, {"script", "test", "../examples/contoso-orders"}} {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	code, _, errOut := run(t, "script", "test", "../examples/contoso-orders", "--operation", "GetOrder")
	if code != ExitUsage || !strings.Contains(errOut, "no custom code") {
		t.Errorf("no script: exit %d, %s", code, errOut)
	}
}

// TestValidateReportsScriptNamespaceLine: validate names the line of a
// using outside the gateway's list (no Mono needed for this check).
func TestValidateReportsScriptNamespaceLine(t *testing.T) {
	t.Parallel()
	dir := scriptConnector(t, "using System;\nusing System.Net.Sockets;\npublic class Script : ScriptBase {}\n")
	code, out, errOut := run(t, "validate", "--custom-code=off", dir)
	if code != ExitFindings || !strings.Contains(out, "script.csx:2:7: error [script-namespace] namespace System.Net.Sockets is not supported") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

const headerScript = `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        var resp = await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
        resp.Headers.Add("X-Script", "VERSION");
        return resp;
    }
}
`

// TestMockRunsScriptAndRecompilesOnSave: mock puts the script between
// client and simulated backend; with --watch a saved edit is recompiled,
// a broken one keeps the last good script and names the line.
func TestMockRunsScriptAndRecompilesOnSave(t *testing.T) {
	needScriptHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := scriptConnector(t, strings.Replace(headerScript, "VERSION", "v1", 1))
	urls, out, errb, stop := startMock(t, "--watch", "--custom-code=on", dir)
	defer stop()
	header := func() string {
		req, _ := http.NewRequest("GET", urls[0]+sampleOrder, nil)
		req.Header.Set("X-API-Key", "k")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("X-Script")
	}
	if got := header(); got != "v1" {
		t.Fatalf("X-Script = %q, want v1 (stderr %s)", got, errb)
	}
	script := filepath.Join(dir, "script.csx")
	os.WriteFile(script, []byte(strings.Replace(headerScript, "VERSION", "v2", 1)+"\n"), 0o600)
	waitFor(t, func() bool { return header() == "v2" }, "the edited script to run\n"+out.String()+errb.String())
	os.WriteFile(script, []byte("public class Script : ScriptBase\n{\n    public override Task<HttpResponseMessage> ExecuteAsync() { return oops; }\n}\n"), 0o600)
	waitFor(t, func() bool { return strings.Contains(errb.String(), "script.csx:3:71: error CS0103") }, "the broken script to be reported\n"+errb.String())
	if got := header(); got != "v2" {
		t.Errorf("after a broken edit the last good script must keep running: X-Script = %q", got)
	}
}

// TestTestRunsScriptOnTheWayToTarget: test --generate with custom code
// sends what the script makes of each request; --custom-code=off sends
// the requests as they are.
func TestTestRunsScriptOnTheWayToTarget(t *testing.T) {
	needScriptHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", "k-1")
	dir := scriptConnector(t, `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        this.Context.Request.Headers.TryAddWithoutValidation("X-Injected", "by-script");
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
    }
}`)
	var mu sync.Mutex
	seen := map[string]int{}
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("X-Injected")+"|"+r.Header.Get("X-API-Key")]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
	}))
	defer target.Close()
	for _, mode := range []string{"on", "off"} {
		mu.Lock()
		clear(seen)
		mu.Unlock()
		code, _, errOut := run(t, "test", dir, "--target", target.URL, "--generate", "--custom-code="+mode, "--fail-on", "error", "--format", "json")
		if code != ExitOK && code != ExitFindings {
			t.Fatalf("%s: exit %d: %s", mode, code, errOut)
		}
		mu.Lock()
		want := "|k-1"
		if mode == "on" {
			want = "by-script|k-1"
		}
		if len(seen) != 1 || seen[want] == 0 {
			t.Errorf("--custom-code=%s: the target saw %v, want every request as %q", mode, seen, want)
		}
		mu.Unlock()
	}
}

const hopScript = `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        IEnumerable<string> hv;
        int hops = this.Context.Request.Headers.TryGetValues("X-Hops", out hv) ? int.Parse(hv.First()) + 1 : 1;
        this.Context.Request.Headers.Remove("X-Hops");
        this.Context.Request.Headers.TryAddWithoutValidation("X-Hops", hops.ToString());
        var resp = await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
        var body = JObject.Parse(await resp.Content.ReadAsStringAsync());
        resp.Content = CreateJsonContent(new JObject { ["wrapped"] = body }.ToString(Formatting.None));
        return resp;
    }
}`

// TestRecordTestReplayWithScript: record stores what the script sent;
// test replays that session without running the script again; mock
// --replay answers the script's SendAsync from it and serves the
// script's reshaped response.
func TestRecordTestReplayWithScript(t *testing.T) {
	needScriptHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", "k-1")
	dir := scriptConnector(t, hopScript)
	var mu sync.Mutex
	var hops []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hops = append(hops, r.Header.Get("X-Hops"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"o-1","total":12.5}`)
	}))
	defer up.Close()
	db := filepath.Join(t.TempDir(), "rec.db")
	base, _, errb, stop := startRecord(t, dir, "--upstream", up.URL+"/v1", "--db", db, "--port", "0", "--session", "cc", "--custom-code=on")
	code, body := get(t, base+"/v1/orders/o-1")
	if code != 200 || body != `{"wrapped":{"id":"o-1","total":12.5}}` {
		t.Fatalf("via the recording proxy: %d %s", code, body)
	}
	if c := stop(); c != ExitOK {
		t.Fatalf("record exit %d: %s", c, errb)
	}
	mu.Lock()
	if len(hops) != 1 || hops[0] != "1" {
		t.Fatalf("upstream saw X-Hops %v, want [1]", hops)
	}
	hops = nil
	mu.Unlock()

	if c, out, errOut := run(t, "test", dir, "--recordings", db, "--target", up.URL+"/v1", "--custom-code=on", "--no-history"); c != ExitOK && c != ExitFindings {
		t.Fatalf("test exit %d: %s %s", c, out, errOut)
	}
	mu.Lock()
	if len(hops) != 1 || hops[0] != "1" {
		t.Errorf("test replayed X-Hops %v, want [1]: a session recorded with the script must not go through it again", hops)
	}
	mu.Unlock()

	urls, _, merr, mstop := startMock(t, "--replay", db, "--custom-code=on", dir)
	defer mstop()
	req, _ := http.NewRequest("GET", urls[0]+"/v1/orders/o-1", nil)
	req.Header.Set("X-API-Key", "k-1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(b) != `{"wrapped":{"id":"o-1","total":12.5}}` {
		t.Errorf("mock --replay with the script: %d %s (%s)", res.StatusCode, b, merr)
	}
}

// TestScriptTestNeverPrintsTheKey: the connection's key reaches the
// script and the backend but not the report (text or JSON), even when the
// script logs it or moves it into the URL.
func TestScriptTestNeverPrintsTheKey(t *testing.T) {
	needScriptHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	const key = "canary-key-5d1e"
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", key)
	dir := scriptConnector(t, `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        var k = this.Context.Request.Headers.GetValues("X-API-Key").First();
        this.Context.Logger.LogInformation("key is {k}", k);
        this.Context.Request.Headers.TryAddWithoutValidation("X-Copy", k);
        this.Context.Request.RequestUri = new Uri(this.Context.Request.RequestUri.AbsoluteUri + "?sig=" + k);
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
    }
}`)
	for _, format := range []string{"text", "json"} {
		code, out, errOut := run(t, "script", "test", dir, "--operation", "GetOrder", "--format", format)
		if code != ExitOK {
			t.Fatalf("%s: exit %d %s", format, code, errOut)
		}
		if strings.Contains(out+errOut, key) {
			t.Errorf("%s report leaks the key:\n%s", format, out)
		}
		if !strings.Contains(out, "key is [redacted]") {
			t.Errorf("%s report lacks the redacted log line:\n%s", format, out)
		}
	}
}

// TestMockScriptExceptionAnswers500AndLogs: an exception answers what the
// gateway answers (500 with the message) and stderr shows the script's
// own log lines.
func TestMockScriptExceptionAnswers500AndLogs(t *testing.T) {
	needScriptHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := scriptConnector(t, `public class Script : ScriptBase
{
    public override Task<HttpResponseMessage> ExecuteAsync()
    {
        this.Context.Logger.LogWarning("about to fail on {op}", this.Context.OperationId);
        throw new InvalidOperationException("no such order here");
    }
}`)
	urls, _, errb, stop := startMock(t, "--custom-code=on", dir)
	defer stop()
	code, body := get(t, urls[0]+sampleOrder)
	if code != 500 || !strings.Contains(body, "InvalidOperationException: no such order here") {
		t.Fatalf("got %d %s", code, body)
	}
	waitFor(t, func() bool { return strings.Contains(errb.String(), "about to fail on GetOrder") }, "the script's log line on stderr\n"+errb.String())
}
