package app

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testMockService is a MockService over cs with its own store file and a
// traffic log whose events go nowhere.
func testMockService(t *testing.T, cs *ConnectorService) *MockService {
	t.Helper()
	return newMockService(quietLog(), cs.ws, newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "r.db")), newTrafficLog(&eventRecorder{}), &eventRecorder{})
}

func startSampleMock(t *testing.T, cfg MockConfig) (*MockService, *trafficLog, MockStatus) {
	t.Helper()
	cs := newTestConnectors(t)
	v, err := cs.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	tl := newTrafficLog(&eventRecorder{})
	tl.Interval = time.Millisecond
	ms := newMockService(quietLog(), cs.ws, newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "r.db")), tl, &eventRecorder{})
	cfg.Path = v.Path
	st, err := ms.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ms.stopAll)
	return ms, tl, st
}

func TestMockStartTryAndSeeTraffic(t *testing.T) {
	ms, tl, st := startSampleMock(t, MockConfig{Validate: true, Auth: true, Seed: 7})
	if !st.Running || st.Port == 0 || !strings.HasPrefix(st.URL, "http://127.0.0.1:") {
		t.Fatalf("status = %+v", st)
	}
	res, err := ms.Try(TryRequest{Path: st.Path, OperationID: "GetOrder", Params: map[string]string{"path:orderId": "ord-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || res.Response.Kind != "json" {
		t.Fatalf("GetOrder: %d %s %s", res.Status, res.Response.Kind, res.Response.Body)
	}
	// Auth is enforced: without credentials the mock answers 401.
	res, err = ms.Try(TryRequest{Path: st.Path, OperationID: "GetOrder", Params: map[string]string{"path:orderId": "ord-1"}, NoAuth: true})
	if err != nil || res.Status != 401 {
		t.Fatalf("no auth: %d %v", res.Status, err)
	}
	tl.Flush()
	rows := tl.Rows(st.Stream)
	if len(rows) != 2 || rows[0].OperationID != "GetOrder" || rows[0].Status != 200 {
		t.Fatalf("traffic rows = %+v", rows)
	}
	svc := &TrafficService{log: tl}
	d, err := svc.Detail(rows[1].Seq)
	if err != nil || d.Response.Body == "" || len(d.Notes) == 0 {
		t.Fatalf("detail = %+v, %v", d, err)
	}
}

func TestMockTryReportsMissingPathParameter(t *testing.T) {
	ms, _, st := startSampleMock(t, MockConfig{Validate: true})
	_, err := ms.Try(TryRequest{Path: st.Path, OperationID: "GetOrder"})
	if ue := describe(err); err == nil || !strings.Contains(ue.Message, "orderId") || ue.Fix == "" {
		t.Fatalf("err = %v", err)
	}
}

func TestMockUpdateAppliesScenarioAndFaultsWithoutNewPort(t *testing.T) {
	ms, _, st := startSampleMock(t, MockConfig{Validate: true})
	cfg := st.Config
	cfg.Scenario = "code=404"
	st2, err := ms.Update(cfg)
	if err != nil || st2.Port != st.Port {
		t.Fatalf("update: %+v %v", st2, err)
	}
	res, err := ms.Try(TryRequest{Path: st.Path, OperationID: "GetOrder", Params: map[string]string{"path:orderId": "x"}})
	if err != nil || res.Status != 404 {
		t.Fatalf("scenario code=404 gave %d %v", res.Status, err)
	}
	cfg.Scenario = ""
	cfg.Faults = FaultConfig{ErrorRate: 1, ErrorStatus: 503}
	if _, err := ms.Update(cfg); err != nil {
		t.Fatal(err)
	}
	res, _ = ms.Try(TryRequest{Path: st.Path, OperationID: "GetOrder", Params: map[string]string{"path:orderId": "x"}})
	if res.Status != 503 {
		t.Fatalf("errorRate 1 gave %d", res.Status)
	}
	cfg.Faults = FaultConfig{LatencyMs: 50, LatencyMaxMs: 10}
	if _, err := ms.Update(cfg); err == nil {
		t.Fatal("reversed latency range accepted")
	}
}

func TestMockStartOnBusyPortSaysPickAnother(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cs := newTestConnectors(t)
	v, _ := cs.Open(sample)
	ms := testMockService(t, cs)
	_, err = ms.Start(MockConfig{Path: v.Path, Port: ln.Addr().(*net.TCPAddr).Port})
	d := describe(err)
	if !strings.Contains(d.Message, "already in use") || d.Fix == "" {
		t.Fatalf("busy port: %+v", d)
	}
	if _, err := ms.Start(MockConfig{Path: "/not/open"}); err == nil {
		t.Fatal("started a connector that is not open")
	}
}

func TestMockLookupFillsDynamicDropdown(t *testing.T) {
	ms, _, st := startSampleMock(t, MockConfig{Validate: true, Auth: true})
	cs := ms.ws
	c, _ := cs.get(st.Path)
	ov := operationView(c.Operation("ListOrders"), nil)
	var ref *DynamicRefView
	for _, p := range ov.Parameters {
		if p.Dynamic != nil {
			ref = p.Dynamic
		}
	}
	if ref == nil {
		t.Fatal("ListOrders has no dynamic parameter")
	}
	opts, err := ms.Lookup(LookupRequest{Path: st.Path, Ref: *ref})
	if err != nil {
		t.Fatal(err)
	}
	if len(opts) == 0 || opts[0].Value == "" {
		t.Fatalf("options = %+v", opts)
	}
}

func TestMockTriggersSubscribeFireAndSurviveUpdate(t *testing.T) {
	got := make(chan string, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	}))
	defer recv.Close()
	ms, tl, st := startSampleMock(t, MockConfig{Validate: true, Auth: true, AllowPrivateCallbacks: true})
	tv, err := ms.Triggers(st.Path)
	if err != nil || len(tv.Triggers) < 2 {
		t.Fatalf("triggers = %+v %v", tv, err)
	}
	res, err := ms.Try(TryRequest{Path: st.Path, OperationID: "OnOrderShipped", Body: `{"callbackUrl":"` + recv.URL + `/cb"}`})
	if err != nil || res.Status >= 300 {
		t.Fatalf("subscribe: %d %s %v", res.Status, res.Response.Body, err)
	}
	if _, err := ms.Update(st.Config); err != nil { // the subscription must survive
		t.Fatal(err)
	}
	fv, err := ms.Fire(st.Path, "OnOrderShipped", 1, "")
	if err != nil || len(fv.Deliveries) != 1 || fv.Deliveries[0].Status != 200 {
		t.Fatalf("fire = %+v %v", fv, err)
	}
	select {
	case body := <-got:
		if !strings.HasPrefix(body, "{") {
			t.Errorf("payload %q", body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the callback got nothing")
	}
	if _, err := ms.Fire(st.Path, "OnOrderShipped", 1, `{"orderId":"custom-1"}`); err != nil {
		t.Fatal(err)
	}
	select {
	case body := <-got:
		if !strings.Contains(body, "custom-1") {
			t.Errorf("custom payload not delivered: %q", body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the callback got nothing")
	}
	if _, err := ms.Fire(st.Path, "OnOrderShipped", 1, "{oops"); err == nil {
		t.Error("invalid JSON payload accepted")
	}
	tl.Flush()
	seenEvent := false
	for _, r := range tl.Rows(st.Stream) {
		seenEvent = seenEvent || r.Source == "event"
	}
	if !seenEvent {
		t.Error("the delivery is not in the traffic list")
	}
	if _, err := ms.Fire(st.Path, "NoSuchTrigger", 1, ""); err == nil {
		t.Error("unknown trigger fired")
	}
	if err := ms.ResetTriggers(st.Path); err != nil {
		t.Fatal(err)
	}
	if tv, _ := ms.Triggers(st.Path); len(tv.Subscriptions) != 0 {
		t.Errorf("subscriptions after reset: %+v", tv.Subscriptions)
	}
}

// TestMockServiceHoldsSeveralMocksByID: the desktop could run one mock per
// connector path only; StartMock runs several side by side (also of the
// same connector), each with its own id, port and traffic stream.
func TestMockServiceHoldsSeveralMocksByID(t *testing.T) {
	ms, _, first := startSampleMock(t, MockConfig{Seed: 1})
	second, err := ms.StartMock(MockConfig{Path: first.Path, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID == "" || second.ID == first.ID || second.Port == first.Port || second.Stream == first.Stream {
		t.Fatalf("first %+v, second %+v: want distinct ids, ports and streams", first, second)
	}
	list, err := ms.ListMocks()
	if err != nil || len(list) != 2 {
		t.Fatalf("ListMocks = %+v, %v", list, err)
	}
	for _, st := range []MockStatus{first, second} {
		resp, err := http.Get(st.URL + "/orders/ord-1")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if _, err := ms.UpdateMock(second.ID, MockConfig{Seed: 3, Scenario: "code=404"}); err != nil {
		t.Fatal(err)
	}
	if st, err := ms.StopMock(first.ID); err != nil || st.Running {
		t.Fatalf("StopMock = %+v, %v", st, err)
	}
	list, _ = ms.ListMocks()
	if len(list) != 1 || list[0].ID != second.ID || list[0].Config.Seed != 3 {
		t.Fatalf("after StopMock: %+v", list)
	}
	if _, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", itoa(first.Port))); err == nil {
		t.Fatal("the stopped mock's port still accepts connections")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
