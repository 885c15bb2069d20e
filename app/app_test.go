package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow/traffic"
)

var sample = filepath.Join("..", "examples", "contoso-orders")

type noDialogs struct{}

func (noDialogs) ChooseFolder(context.Context, string) (string, error)             { return "", nil }
func (noDialogs) ChooseFile(context.Context, string, string) (string, error)       { return "", nil }
func (noDialogs) SaveFile(context.Context, string, string, string) (string, error) { return "", nil }

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestConnectors(t *testing.T) *ConnectorService {
	t.Helper()
	return newConnectorService(quietLog(), newWorkspace(), newRecentList(t.TempDir()), noDialogs{})
}

func TestOpenSampleGroupsOperationsLikeThePortal(t *testing.T) {
	s := newTestConnectors(t)
	v, err := s.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	if v.Name != "Contoso Orders" || v.Operations != 12 {
		t.Fatalf("got %q with %d operations", v.Name, v.Operations)
	}
	titles := []string{}
	byID := map[string]OperationView{}
	for _, g := range v.Groups {
		titles = append(titles, g.Title)
		for _, o := range g.Operations {
			byID[o.ID] = o
		}
	}
	if strings.Join(titles, ",") != "Actions,Triggers,References" {
		t.Errorf("groups = %v, want Actions,Triggers,References", titles)
	}
	lo := byID["ListOrders"]
	if lo.Visibility != "important" || !lo.Pageable {
		t.Errorf("ListOrders = %+v", lo)
	}
	var dyn *DynamicRefView
	for _, p := range lo.Parameters {
		if p.Name == "customerId" {
			dyn = p.Dynamic
		}
	}
	if dyn == nil || dyn.OperationID != "ListCustomers" {
		t.Errorf("customerId dynamic = %+v, want lookup ListCustomers", dyn)
	}
	if got := byID["ListCustomers"].ReferencedBy; len(got) == 0 {
		t.Errorf("ListCustomers.ReferencedBy empty")
	}
	if co := byID["CreateOrder"]; co.Body == nil || !strings.HasPrefix(co.Body.Example, "{") {
		t.Errorf("CreateOrder body = %+v", co.Body)
	}
	for _, o := range byID {
		if o.Trigger != nil && o.Trigger.Kind == "" {
			t.Errorf("%s: trigger without kind", o.ID)
		}
	}
	if v.Counts["error"] != 0 {
		t.Errorf("sample has %d errors: %+v", v.Counts["error"], v.Findings)
	}
	if _, err := s.ws.get(v.Path); err != nil {
		t.Errorf("connector not kept in the workspace: %v", err)
	}
}

func TestOpenMissingPathSaysWhatToDo(t *testing.T) {
	s := newTestConnectors(t)
	_, err := s.Open(filepath.Join(t.TempDir(), "nope"))
	var ue *UserError
	if !errors.As(err, &ue) || !strings.Contains(ue.Message, "does not exist") || ue.Fix == "" {
		t.Fatalf("err = %#v", err)
	}
	if _, err := s.Open("  "); err == nil {
		t.Fatal("empty path accepted")
	}
}

func TestOpenBrokenJSONReportsLineAndColumn(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "apiDefinition.swagger.json")
	if err := os.WriteFile(p, []byte("{\n  \"swagger\": \"2.0\",\n  \"info\": {\n    \"title\": "), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := newTestConnectors(t).Open(p)
	if err == nil {
		t.Fatal("broken JSON accepted")
	}
	d := describe(err)
	if !strings.Contains(d.Message, "apiDefinition.swagger.json:") {
		t.Errorf("message has no file:line: %q", d.Message)
	}
	if strings.Contains(d.Message, "fix:") {
		t.Errorf("fix repeated in the message: %q", d.Message)
	}
}

func TestRecentListNewestFirstCappedAndMarksMissing(t *testing.T) {
	dir := t.TempDir()
	r := newRecentList(dir)
	r.max = 3
	now := time.Unix(1700000000, 0)
	existing := t.TempDir()
	for i, p := range []string{"/gone/a", "/gone/b", existing, "/gone/a"} {
		if err := r.Add(p, "n", now.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	es, err := r.List()
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, e := range es {
		got = append(got, e.Path)
	}
	if strings.Join(got, ",") != "/gone/a,"+existing+",/gone/b" {
		t.Fatalf("order = %v", got)
	}
	if !es[0].Missing || es[1].Missing {
		t.Errorf("missing flags = %v %v", es[0].Missing, es[1].Missing)
	}
	if err := r.Remove("/gone/a"); err != nil {
		t.Fatal(err)
	}
	if es, _ := r.List(); len(es) != 2 {
		t.Errorf("after remove: %d entries", len(es))
	}
	// A damaged file is replaced, not fatal.
	if err := os.WriteFile(filepath.Join(dir, "recent.json"), []byte("{oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	if es, err := r.List(); err != nil || len(es) != 0 {
		t.Errorf("damaged list: %v %v", es, err)
	}
}

type eventRecorder struct {
	mu     sync.Mutex
	events map[string]int
	rows   int
}

func (r *eventRecorder) Emit(event string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.events == nil {
		r.events = map[string]int{}
	}
	r.events[event]++
	if b, ok := data.(TrafficBatch); ok {
		r.rows += b.New
	}
}

func TestExchangeViewKeepsMarkupAsTextAndMarksRedactions(t *testing.T) {
	x := recordings.Exchange{
		Request: recordings.Request{Method: "POST", URL: "/hooks", Message: recordings.Message{
			Header: http.Header{"Authorization": {"[redacted]"}, "Content-Type": {"application/json"}},
			Body:   []byte(`{"html":"<script>alert(1)</script>"}`),
		}},
		Response: recordings.Response{Status: 200, Message: recordings.Message{
			Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<script>alert(2)</script>"),
		}},
		Redactions: []recordings.Redaction{{Where: "request.header", Name: "Authorization", Hash: "h"}},
	}
	v := traffic.View(TrafficRow{Seq: 1}, x)
	if v.Request.Kind != "json" || !strings.Contains(v.Request.Body, "<script>alert(1)</script>") {
		t.Errorf("request body = %q (kind %s): JSON must keep < > unescaped for display", v.Request.Body, v.Request.Kind)
	}
	if v.Response.Kind != "text" || v.Response.Body != "<script>alert(2)</script>" {
		t.Errorf("response body = %q", v.Response.Body)
	}
	var auth HeaderView
	for _, h := range v.Request.Headers {
		if h.Name == "Authorization" {
			auth = h
		}
	}
	if !auth.Redacted {
		t.Errorf("Authorization not marked redacted: %+v", v.Request.Headers)
	}
	if kind, text := traffic.BodyText([]byte{0xff, 0xfe, 0x00}, "image/png"); kind != "binary" || !strings.Contains(text, "image/png") {
		t.Errorf("binary body = %s %q", kind, text)
	}
}

func TestDescribeLoadErrorSeparatesFix(t *testing.T) {
	err := &connector.LoadError{File: "a.json", Line: 3, Col: 4, Msg: "unexpected end of JSON", Fix: "close the object"}
	d := describe(err)
	if d.Message != "a.json:3:4: unexpected end of JSON" || d.Fix != "close the object" {
		t.Errorf("describe = %+v", d)
	}
	if d := describe(context.Canceled); d.Message != "cancelled" {
		t.Errorf("canceled = %+v", d)
	}
}

func TestWindowSecuritySettings(t *testing.T) {
	d, err := New(Options{ConfigDir: t.TempDir(), Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	o := d.appOptions()
	if o.BindingsAllowedOrigins != "" {
		t.Errorf("BindingsAllowedOrigins = %q: bindings must be callable only from the app's own origin", o.BindingsAllowedOrigins)
	}
	if o.ErrorFormatter == nil {
		t.Error("no ErrorFormatter: errors would reach the window as raw text")
	}
	h := o.AssetServer.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "object-src 'none'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(strings.SplitN(csp, "style-src", 2)[0], "unsafe-inline") {
		t.Errorf("CSP allows inline or eval scripts: %q", csp)
	}
	index, err := os.ReadFile(filepath.Join("..", "frontend", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	meta := strings.TrimSuffix(ContentSecurityPolicy, "; frame-ancestors 'none'")
	if !strings.Contains(string(index), meta) {
		t.Errorf("frontend/index.html's CSP meta differs from app.ContentSecurityPolicy (minus frame-ancestors, which a meta tag cannot set)")
	}
}

func TestRunWithoutDesktopTagsSaysSo(t *testing.T) {
	d, err := New(Options{ConfigDir: t.TempDir(), Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Run(); !errors.Is(err, ErrNoDesktopTags) {
		t.Fatalf("Run = %v, want ErrNoDesktopTags", err)
	}
}

func TestOpenCustomCodeConnectorFlagsIt(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "connectors", "certified-connectors", "Airmeet")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not beside the repo")
	}
	v, err := newTestConnectors(t).Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v.CustomCode == nil || v.CustomCode.File == "" {
		t.Fatalf("custom code not flagged: %+v", v.CustomCode)
	}
	flagged := 0
	for _, g := range v.Groups {
		for _, o := range g.Operations {
			if o.CustomCode {
				flagged++
			}
		}
	}
	if flagged == 0 {
		t.Error("no operation flagged as custom code")
	}
}

// TestTrafficDetailSaysWhenABodyWasDropped: past the body budget the
// detail pane says why the body is gone instead of showing nothing.
func TestTrafficDetailSaysWhenABodyWasDropped(t *testing.T) {
	tl := newTrafficLog(&eventRecorder{})
	tl.BodyBudget = 1000
	body := []byte(strings.Repeat("x", 300))
	for i := 0; i < 10; i++ {
		tl.Add("s", &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "/x"}, Response: recordings.Response{Status: 200, Message: recordings.Message{Body: body, Size: 300}}})
	}
	svc := &TrafficService{log: tl}
	old, _ := svc.Detail(1)
	if old.Response.Kind != "dropped" || !strings.Contains(old.Response.Body, "record the session") {
		t.Errorf("oldest body kept: %+v", old.Response)
	}
	newest, _ := svc.Detail(10)
	if newest.Response.Kind != "text" || len(newest.Response.Body) != 300 {
		t.Errorf("newest body dropped: %+v", newest.Response)
	}
	if _, err := svc.Detail(99); err == nil {
		t.Error("an unknown exchange was returned")
	}
}
