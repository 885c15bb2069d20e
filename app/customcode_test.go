package app

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/internal/testkit"
	"github.com/connectorlab/connectorlab/scripthost"
)

const htmlToText = "../../shared/corpus/connectors/custom-connectors/HtmlToText"

// copyScriptConnector copies the corpus's HtmlToText (a real script.csx)
// into a temp folder, so saving the script never touches the corpus.
func copyScriptConnector(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(htmlToText); err != nil {
		t.Skip("corpus not present:", err)
	}
	return testkit.CopyConnector(t, htmlToText)
}

func needHost(t *testing.T) {
	t.Helper()
	if _, err := scripthost.FindEngine(); err != nil {
		t.Skip("the custom-code host is not installed:", err)
	}
}

func TestCustomCodePanelSaveRecompilesAndRunsOnce(t *testing.T) {
	needHost(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	cs := newTestConnectors(t)
	v, err := cs.Open(copyScriptConnector(t))
	if err != nil {
		t.Fatal(err)
	}
	ms := testMockService(t, cs)
	t.Cleanup(ms.stopAll)
	sv, err := ms.Script(v.Path)
	if err != nil || !sv.Compile.OK || !sv.Compile.Available || !strings.Contains(sv.Source, "HandleHtmlToTextOperation") || strings.Join(sv.Operations, ",") != "HtmlToText" {
		t.Fatalf("script view: %+v %v", sv.Compile, err)
	}
	st, err := ms.StartMock(MockConfig{Path: v.Path})
	if err != nil || !st.CustomCode || st.CodeWarning != "" {
		t.Fatalf("the desktop mock does not run the script: %+v %v", st, err)
	}
	// A broken edit is saved and listed at script.csx:line:col; the mock keeps the last good script.
	broken := strings.Replace(sv.Source, "string outText;", "string outText = ;", 1)
	bv, err := ms.SaveScript(v.Path, broken)
	if err != nil || bv.Compile.OK || len(bv.Compile.Diagnostics) == 0 {
		t.Fatalf("broken save: %+v %v", bv.Compile, err)
	}
	d := bv.Compile.Diagnostics[0]
	if !strings.HasSuffix(d.File, "script.csx") || d.Line < 20 || d.Col == 0 || d.Severity != "error" {
		t.Fatalf("diagnostic: %+v", d)
	}
	res, err := ms.Try(TryRequest{Path: v.Path, OperationID: "HtmlToText", Body: `{"html":"<p>a</p><p>b</p>"}`})
	if err != nil || res.Status != 200 || res.Response.Body != "a\nb" {
		t.Fatalf("the last good script stopped serving: %+v %v", res, err)
	}
	// A good edit recompiles and runs in the running mock at once.
	edited := strings.Replace(sv.Source, "return await this.HandleHtmlToTextOperation().ConfigureAwait(false);",
		`this.Context.Logger.LogInformation("edited in the panel"); var r = await this.HandleHtmlToTextOperation().ConfigureAwait(false); r.Headers.Add("X-Edited", "yes"); return r;`, 1)
	gv, err := ms.SaveScript(v.Path, edited)
	if err != nil || !gv.Compile.OK || gv.Reloaded != 1 {
		t.Fatalf("good save: %+v reloaded %d %q %v", gv.Compile, gv.Reloaded, gv.ReloadError, err)
	}
	res, err = ms.Try(TryRequest{Path: v.Path, OperationID: "HtmlToText", Body: `{"html":"<p>x</p>"}`})
	edit := ""
	for _, h := range res.Response.Headers {
		if h.Name == "X-Edited" {
			edit = h.Value
		}
	}
	if err != nil || edit != "yes" {
		t.Fatalf("the edited script does not serve: %+v %v", res, err)
	}
	// Run once: the script test loop through workflow/customcode.
	run, err := ms.RunScript(ScriptRunRequest{Path: v.Path, OperationID: "HtmlToText", Request: `{"body":{"html":"<p>one</p><p>two</p>"}}`})
	if err != nil {
		t.Fatal(err)
	}
	if run.After.Status != 200 || run.After.Body != "one\ntwo" || !strings.Contains(run.Before.Body, "<p>one</p>") || run.CallMs <= 0 || !run.ScriptOperation {
		t.Fatalf("run: %+v", run)
	}
	if len(run.Logs) != 1 || run.Logs[0].Message != "edited in the panel" {
		t.Fatalf("logs: %+v", run.Logs)
	}
	if _, err := ms.RunScript(ScriptRunRequest{Path: v.Path, OperationID: "HtmlToText", Request: `{"nope":1}`}); err == nil {
		t.Fatal("a request document with an unknown field was accepted")
	}
}

func TestCustomCodePanelSaysHowToInstallTheHost(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(copyScriptConnector(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir()) // no mono, no mcs
	ms := testMockService(t, cs)
	t.Cleanup(ms.stopAll)
	sv, err := ms.Script(v.Path)
	if err != nil || sv.Compile.Available || !strings.Contains(sv.Compile.InstallHint, "apt-get install") {
		t.Fatalf("script view without the host: %+v %v", sv.Compile, err)
	}
	st, err := ms.StartMock(MockConfig{Path: v.Path})
	if err != nil || st.CustomCode || !strings.Contains(st.CodeWarning, "NOT run") {
		t.Fatalf("status without the host: %+v %v", st, err)
	}
	if _, err := ms.RunScript(ScriptRunRequest{Path: v.Path, OperationID: "HtmlToText"}); err == nil || !strings.Contains(err.Error()+describe(err).Fix, "apt-get") {
		t.Fatalf("run without the host: %v", err)
	}
}

func TestCORSOriginSetting(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(testkit.CopyConnector(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	ms := testMockService(t, cs)
	t.Cleanup(ms.stopAll)
	if _, err := ms.StartMock(MockConfig{Path: v.Path, CORSOrigin: "not an origin"}); err == nil {
		t.Fatal("a bad CORS origin was accepted")
	}
	st, err := ms.StartMock(MockConfig{Path: v.Path, CORSOrigin: "https://app.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	post := func(origin string) int {
		req, _ := http.NewRequest("POST", st.URL+"/orders", strings.NewReader(`{"customerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","lines":[{"sku":"s","quantity":1,"unitPrice":2}]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", "k")
		req.Header.Set("Origin", origin)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if got := post("https://app.example.com"); got == http.StatusForbidden {
		t.Fatalf("the granted origin was refused: %d", got)
	}
	if got := post("https://elsewhere.example.com"); got != http.StatusForbidden {
		t.Fatalf("another origin's write got %d, want 403", got)
	}
}
