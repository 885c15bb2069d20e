package customcode

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
	"github.com/connectorlab/connectorlab/workflow/mockhost"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

const corpus = "../../../shared/corpus/connectors/"

func load(t *testing.T, rel string) *connector.Connector {
	t.Helper()
	if _, err := scripthost.FindEngine(); err != nil {
		t.Skipf("custom-code host unavailable: %v", err)
	}
	c, err := (&connector.Loader{}).Load(context.Background(), corpus+rel)
	if err != nil {
		t.Skipf("corpus connector %s: %v", rel, err)
	}
	return c
}

func runner(t *testing.T, c *connector.Connector) *scripthost.Runner {
	t.Helper()
	r, warn, err := Start(context.Background(), c, Options{Mode: On, CacheDir: filepath.Join(t.TempDir(), "cache")})
	if err != nil || r == nil {
		t.Fatalf("Start: %v (warning %q)", err, warn)
	}
	t.Cleanup(func() { r.Host.Close() })
	return r
}

// upstream is a live API stand-in that keeps what it received.
type upstream struct {
	mu   sync.Mutex
	got  []*http.Request
	body []string
	srv  *httptest.Server
}

func newUpstream(t *testing.T, answer func(r *http.Request, body string) (int, string)) *upstream {
	u := &upstream{}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.got = append(u.got, r.Clone(context.Background()))
		u.body = append(u.body, string(b))
		u.mu.Unlock()
		status, out := answer(r, string(b))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, out)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

// record starts a recording proxy of c with its script in front.
func record(t *testing.T, c *connector.Connector, up *upstream, params map[string]string) (*recorder.Recording, *sqlite.Store) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "rec.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rec, err := recorder.Start(context.Background(), st, c, recorder.Config{Upstream: up.srv.URL, Params: params, AllowMissing: true, CustomCode: runner(t, c)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Stop(context.Background()) })
	return rec, st
}

func recorded(t *testing.T, rec *recorder.Recording, st *sqlite.Store) []*recordings.Exchange {
	t.Helper()
	if _, err := rec.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	xs, err := exchanges.All(context.Background(), st, rec.Session().ID)
	if err != nil {
		t.Fatal(err)
	}
	return xs
}

// serveWithCode serves c's mock with the script runner r in front of it on
// a loopback test server and returns its URL; both close with the test.
func serveWithCode(t *testing.T, c *connector.Connector, opts mock.Options, r *scripthost.Runner) string {
	t.Helper()
	u, err := mockhost.NewUnit(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.Close() })
	u.UseCustomCode(r)
	srv := httptest.NewServer(u)
	t.Cleanup(srv.Close)
	return srv.URL
}

func do(t *testing.T, method, url, body string, h map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestHeaderInjection_AIorNot: the script moves the api_key header into
// "Authorization: Bearer"; the live API and the recording see the
// gateway's request, not the client's.
func TestHeaderInjection_AIorNot(t *testing.T) {
	t.Parallel()
	c := load(t, "independent-publisher-connectors/AI or Not")
	up := newUpstream(t, func(*http.Request, string) (int, string) { return 200, `{"is_live":true}` })
	rec, st := record(t, c, up, map[string]string{"api_key": "k-123"})
	status, body := do(t, "GET", rec.URL()+"/v1/system/live", "", nil)
	if status != 200 || body != `{"is_live":true}` {
		t.Fatalf("client got %d %s", status, body)
	}
	if len(up.got) != 1 || up.got[0].Header.Get("Authorization") != "Bearer k-123" || up.got[0].Header.Get("api_key") != "" {
		t.Fatalf("upstream got %v", up.got[0].Header)
	}
	xs := recorded(t, rec, st)
	if len(xs) != 1 || xs[0].Request.Header.Get("api_key") != "" || xs[0].Request.Header.Get("Authorization") == "" {
		t.Fatalf("recorded %+v", xs[0].Request.Header)
	}
	if strings.Contains(xs[0].Request.Header.Get("Authorization"), "k-123") {
		t.Errorf("the recorded Authorization header was not redacted: %q", xs[0].Request.Header.Get("Authorization"))
	}
}

// TestBodyReshape_BlackbaudGifts: the script adds TYPE_value to each
// custom field of the response; the client gets the reshaped body, the
// recording keeps what the API answered.
func TestBodyReshape_BlackbaudGifts(t *testing.T) {
	t.Parallel()
	c := load(t, "certified-connectors/Blackbaud Raiser's Edge NXT Gifts")
	raw := `{"count":1,"value":[{"type":"Text","value":"gold","category":"tier"}]}`
	up := newUpstream(t, func(*http.Request, string) (int, string) { return 200, raw })
	rec, st := record(t, c, up, nil)
	status, body := do(t, "GET", rec.URL()+"/gift/v1/gifts/42/customfields", "", map[string]string{"Authorization": "Bearer t"})
	var got struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal([]byte(body), &got); status != 200 || err != nil || len(got.Value) != 1 {
		t.Fatalf("client got %d %s", status, body)
	}
	if got.Value[0]["text_value"] != "gold" {
		t.Errorf("the script's text_value is missing: %s", body)
	}
	xs := recorded(t, rec, st)
	if len(xs) != 1 || string(xs[0].Response.Body) != raw {
		t.Errorf("recorded response %q, want the API's %q", xs[0].Response.Body, raw)
	}
}

// TestURLRewrite_ZohoSign: InvokeAPI takes the method from the query
// string and drops the query; the API sees the rewritten request.
func TestURLRewrite_ZohoSign(t *testing.T) {
	t.Parallel()
	c := load(t, "certified-connectors/ZohoSign")
	up := newUpstream(t, func(*http.Request, string) (int, string) { return 200, `{"requests":[]}` })
	rec, st := record(t, c, up, nil)
	status, body := do(t, "POST", rec.URL()+"/zzz?method=GET", `{}`, map[string]string{"Content-Type": "application/json", "Authorization": "Bearer t"})
	if status != 200 || !strings.Contains(body, `"requests"`) {
		t.Fatalf("client got %d %s", status, body)
	}
	if len(up.got) != 1 || up.got[0].Method != "GET" || up.got[0].URL.RawQuery != "" || !strings.HasSuffix(up.got[0].URL.Path, "/zzz") {
		t.Fatalf("upstream got %s %s", up.got[0].Method, up.got[0].URL)
	}
	xs := recorded(t, rec, st)
	if len(xs) != 1 || xs[0].Request.Method != "GET" || strings.Contains(xs[0].Request.URL, "method=") {
		t.Errorf("recorded %s %s", xs[0].Request.Method, xs[0].Request.URL)
	}
}

// TestSecondCall_Calendly: CreateWebhookSubscription first calls
// users/me, then posts the subscription with the organization added; both
// calls reach the API and are recorded.
func TestSecondCall_Calendly(t *testing.T) {
	t.Parallel()
	c := load(t, "certified-connectors/Calendly")
	up := newUpstream(t, func(r *http.Request, body string) (int, string) {
		if r.URL.Path == "/users/me" {
			return 200, `{"resource":{"current_organization":"https://api.calendly.com/organizations/ORG1"}}`
		}
		return 201, `{"resource":{"callback_url":"https://flow.example/cb"}}`
	})
	rec, st := record(t, c, up, map[string]string{"api_key": "Bearer pat"})
	status, body := do(t, "POST", rec.URL()+"/webhook_subscriptions", `{"url":"https://flow.example/cb","events":["invitee.created"],"scope":"organization"}`, map[string]string{"Content-Type": "application/json"})
	if status != 201 || !strings.Contains(body, "callback_url") {
		t.Fatalf("client got %d %s", status, body)
	}
	if len(up.got) != 2 || up.got[0].URL.Path != "/users/me" || up.got[0].Header.Get("X-Calendly-Consumer-Application") != "ms_power_automate" {
		t.Fatalf("upstream got %d requests: %v", len(up.got), up.got)
	}
	if !strings.Contains(up.body[1], `"organization": "https://api.calendly.com/organizations/ORG1"`) {
		t.Errorf("the subscription body lacks the organization: %s", up.body[1])
	}
	xs := recorded(t, rec, st)
	if len(xs) != 2 {
		t.Fatalf("recorded %d exchanges, want both calls", len(xs))
	}
}

// TestMockServesScriptResponse_HtmlToText: in the mock, the script's own
// response is what the client gets.
func TestMockServesScriptResponse_HtmlToText(t *testing.T) {
	t.Parallel()
	c := load(t, "custom-connectors/HtmlToText")
	base := serveWithCode(t, c, mock.Options{Seed: 1}, runner(t, c))
	status, body := do(t, "POST", base+"/HtmlToText", `{"html":"<p>Hello <b>world</b></p><div>again</div>"}`, map[string]string{"Content-Type": "application/json"})
	if status != 200 || body != "Hello world\nagain" {
		t.Fatalf("got %d %q", status, body)
	}
}

// TestMockPassThroughReachesSimulatedBackend: the script's SendAsync is
// answered by the mock's simulated backend (Calendly's users/me is not an
// operation, so the mock's 404 comes back and the script surfaces it).
func TestMockPassThroughReachesSimulatedBackend(t *testing.T) {
	t.Parallel()
	c := load(t, "independent-publisher-connectors/AI or Not")
	// The mock checks the definition's api_key header; the script moves it
	// to Authorization before the simulated backend sees it.
	r := runner(t, c)
	var sends []scripthost.Sent
	r.Observe = func(_ *connector.Operation, _ *http.Request, res *scripthost.Result) { sends = res.Sends }
	base := serveWithCode(t, c, mock.Options{Seed: 1, DisableAuth: true}, r)
	status, body := do(t, "GET", base+"/v1/system/live", "", map[string]string{"api_key": "k"})
	if status != 200 {
		t.Fatalf("got %d %s", status, body)
	}
	if len(sends) != 1 || sends[0].Header.Get("Authorization") != "Bearer k" || sends[0].Status != 200 {
		t.Fatalf("sends = %+v", sends)
	}
}

// TestHostStartRunsCustomCode: the desktop's mock host starts the script
// through its CustomCode hook.
func TestHostStartRunsCustomCode(t *testing.T) {
	t.Parallel()
	c := load(t, "custom-connectors/HtmlToText")
	cache := filepath.Join(t.TempDir(), "cache")
	h := mockhost.NewHost(nil)
	h.CustomCode = func(ctx context.Context, c *connector.Connector) (*scripthost.Runner, string, error) {
		return Start(ctx, c, Options{Mode: On, CacheDir: cache})
	}
	defer h.StopAll()
	m, err := h.Start(c, mock.Options{Seed: 1}, "k", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if m.Unit.CustomCode() == nil || m.CodeWarning != "" {
		t.Fatalf("custom code not running (warning %q)", m.CodeWarning)
	}
	status, body := do(t, "POST", m.URL()+"/HtmlToText", `{"html":"<p>a</p><p>b</p>"}`, map[string]string{"Content-Type": "application/json"})
	if status != 200 || body != "a\nb" {
		t.Fatalf("got %d %q", status, body)
	}
}
