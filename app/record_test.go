package app

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/internal/testkit"
	"github.com/connectorlab/connectorlab/mock"
)

// eventLog records emitted events for assertions.
type eventLog struct {
	mu   sync.Mutex
	list []struct {
		name string
		data any
	}
}

func (e *eventLog) Emit(name string, data any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, struct {
		name string
		data any
	}{name, data})
}

func (e *eventLog) wait(t *testing.T, name string) any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		e.mu.Lock()
		for _, ev := range e.list {
			if ev.name == name {
				e.mu.Unlock()
				return ev.data
			}
		}
		e.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %s event", name)
	return nil
}

// TestRecordThenContractTest records through the proxy into SQLite (the
// upstream is a mock of the sample), checks redaction and HAR export, then
// replays the session as a contract test against the same mock.
func TestRecordThenContractTest(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := cs.ws.get(v.Path)
	up, err := mock.New(c, mock.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewServer(up)
	defer upstream.Close()

	events := &eventLog{}
	tl := newTrafficLog(events)
	tl.Interval = time.Millisecond
	st := newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "rec.db"))
	defer st.close()
	rs := newRecordService(quietLog(), cs.ws, st, tl, events, noDialogs{})

	set := c.Auth.Sets[0]
	params := map[string]string{}
	const canary = "CANARY-secret-7f3a"
	for _, p := range set.Parameters {
		params[p.Name] = canary
	}
	if _, err := rs.Start(RecordConfig{Path: v.Path, Upstream: "ftp://x"}); err == nil {
		t.Fatal("ftp upstream accepted")
	}
	status, err := rs.Start(RecordConfig{Path: v.Path, Upstream: upstream.URL + c.BasePath, Session: "s1", Params: params})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/orders/a1", "/orders", "/customers"} {
		req, _ := http.NewRequest("GET", status.URL+p, nil)
		req.Header.Set("Authorization", "Bearer "+canary) // a client's own secret: redacted too
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s through the proxy: %d", p, resp.StatusCode)
		}
	}
	final, err := rs.Stop(v.Path)
	if err != nil || final.Stats.Stored != 3 {
		t.Fatalf("stop: %+v %v", final, err)
	}
	tl.Flush()
	rows := tl.Rows(status.Stream)
	if len(rows) != 3 {
		t.Fatalf("live rows = %d", len(rows))
	}
	if rows[0].Redactions == 0 {
		t.Errorf("the API key was not marked redacted in the live list: %+v", rows[0])
	}
	detail, _ := (&TrafficService{log: tl}).Detail(rows[0].Seq)
	raw := strings.Join([]string{detail.Request.Body, detail.URL}, " ")
	for _, h := range detail.Request.Headers {
		raw += " " + h.Value
	}
	if strings.Contains(raw, canary) {
		t.Fatal("the secret reached the window unredacted")
	}
	sessions, err := rs.Sessions(c.Name)
	if err != nil || len(sessions) != 1 || sessions[0].Exchanges != 3 || sessions[0].Status != "complete" {
		t.Fatalf("sessions = %+v %v", sessions, err)
	}
	har := filepath.Join(t.TempDir(), "s1.har")
	if _, err := rs.ExportHAR(sessions[0].ID, har); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(har)
	if !bytes.Contains(b, []byte(`"entries"`)) || bytes.Contains(b, []byte(canary)) {
		t.Fatalf("HAR export wrong or leaks the secret (%d bytes)", len(b))
	}
	if _, err := rs.Start(RecordConfig{Path: v.Path, Upstream: upstream.URL, Session: "s1"}); err == nil {
		t.Fatal("duplicate session name accepted")
	}

	ct := newContractService(quietLog(), cs.ws, st, events, noDialogs{})
	// The target as the Mock screen shows it, basePath included.
	run, err := ct.Run(ContractConfig{Path: v.Path, SessionID: sessions[0].ID, Target: upstream.URL + c.BasePath, Params: params})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Running || run.Key == "" {
		t.Fatalf("run = %+v", run)
	}
	done := events.wait(t, EventContractDone).(ContractRunView)
	if done.Error != "" || done.Total != 3 || len(done.Operations) == 0 || done.RunID == 0 {
		t.Fatalf("done = %+v", done)
	}
	for _, o := range done.Operations {
		for _, cs := range o.Cases {
			if cs.Status != 200 {
				t.Errorf("replayed %s %s answered %d: the target path is wrong", cs.Method, cs.URL, cs.Status)
			}
		}
	}
	hist, err := ct.History(c.Name)
	if err != nil || len(hist) != 1 || hist[0].Total != 3 {
		t.Fatalf("history = %+v %v", hist, err)
	}
	out := filepath.Join(t.TempDir(), "r.xml")
	if _, err := ct.Export(run.Key, "junit", out); err != nil {
		t.Fatal(err)
	}
	if _, err := ct.Run(ContractConfig{Path: v.Path, Target: "nope"}); err == nil {
		t.Fatal("bad target accepted")
	}
}

// TestRecordAppliesPolicies is the regression test for desktop recordings
// skipping the connector's policy templates: the sample's setheader policy
// must reach the upstream, as it does through `connectorlab record`.
func TestRecordAppliesPolicies(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := cs.ws.get(v.Path)
	got := make(chan string, 4)
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("X-Client")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"value":[]}`))
	}))
	defer upstream.Close()
	st := newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "rec.db"))
	defer st.close()
	events := &eventLog{}
	rs := newRecordService(quietLog(), cs.ws, st, newTrafficLog(events), events, noDialogs{})
	params := map[string]string{}
	for _, p := range c.Auth.Sets[0].Parameters {
		params[p.Name] = "k"
	}
	status, err := rs.Start(RecordConfig{Path: v.Path, Upstream: upstream.URL + c.BasePath, Session: "pol", Params: params})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Stop(v.Path)
	resp, err := http.Get(status.URL + "/customers")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h := <-got; h != "connectorlab-sample" {
		t.Errorf("upstream saw X-Client %q; want the sample's setheader value connectorlab-sample", h)
	}
}

func TestSaveTestCaseFromTheTrafficList(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(testkit.CopyConnector(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	events := &eventRecorder{}
	st := newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "r.db"))
	tl := newTrafficLog(events)
	ms := newMockService(quietLog(), cs.ws, st, tl, events)
	t.Cleanup(ms.stopAll)
	rs := newRecordService(quietLog(), cs.ws, st, tl, events, noDialogs{})
	if _, err := ms.Start(MockConfig{Path: v.Path}); err != nil {
		t.Fatal(err)
	}
	if _, err := ms.Try(TryRequest{Path: v.Path, OperationID: "GetOrder", Params: map[string]string{"path:orderId": "o1"}}); err != nil {
		t.Fatal(err)
	}
	tl.Flush()
	rows := tl.Rows(mockStream(v.Path))
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	saved, err := rs.SaveTestCase(rows[0].Seq, "orders cases")
	if err != nil || !saved.Created || saved.Session.Exchanges != 1 || saved.Session.Connector != v.Name {
		t.Fatalf("save: %+v %v", saved, err)
	}
	again, err := rs.SaveTestCase(rows[0].Seq, "orders cases")
	if err != nil || again.Created || again.Session.Exchanges != 2 {
		t.Fatalf("second save: %+v %v", again, err)
	}
	if _, err := rs.SaveTestCase(999999, "orders cases"); err == nil {
		t.Fatal("an unknown exchange was saved")
	}
}
