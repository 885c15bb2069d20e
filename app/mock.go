package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/workflow/faults"
	"github.com/connectorlab/connectorlab/workflow/mockhost"
)

// MockConfig is what the Mock screen starts a mock with.
type MockConfig struct {
	// Path is the connector (as opened on the Connectors screen).
	Path string `json:"path"`
	// Port 0 picks a free port.
	Port     int    `json:"port"`
	Seed     uint64 `json:"seed"`
	Validate bool   `json:"validate"`
	Auth     bool   `json:"auth"`
	Stateful bool   `json:"stateful"`
	// Scenario is a Prefer header applied to requests that send none
	// ("code=404", "example=NAME", "dynamic=true"); "" answers normally.
	Scenario string      `json:"scenario,omitempty"`
	Faults   FaultConfig `json:"faults"`
}

// FaultConfig is mock.Faults in units a form can hold.
type FaultConfig struct {
	LatencyMs    int     `json:"latencyMs,omitempty"`
	LatencyMaxMs int     `json:"latencyMaxMs,omitempty"`
	ErrorRate    float64 `json:"errorRate,omitempty"`
	ErrorStatus  int     `json:"errorStatus,omitempty"`
	ResetRate    float64 `json:"resetRate,omitempty"`
	Throttle     int     `json:"throttle,omitempty"`
	WindowSec    int     `json:"windowSec,omitempty"`
}

func (f FaultConfig) faults() (mock.Faults, error) {
	out := mock.Faults{
		Latency: time.Duration(f.LatencyMs) * time.Millisecond, LatencyMax: time.Duration(f.LatencyMaxMs) * time.Millisecond,
		ErrorRate: f.ErrorRate, ErrorStatus: f.ErrorStatus, ResetRate: f.ResetRate,
		Throttle: f.Throttle, Window: time.Duration(f.WindowSec) * time.Second,
	}
	return out, faults.Validate(out)
}

// MockStatus is one mock as the window shows it.
type MockStatus struct {
	// ID names this running mock (StartMock, StopMock, UpdateMock); several
	// may run at once, also of the same connector on different ports.
	ID      string     `json:"id,omitempty"`
	Path    string     `json:"path"`
	Name    string     `json:"name"`
	Running bool       `json:"running"`
	URL     string     `json:"url,omitempty"`
	Port    int        `json:"port,omitempty"`
	Stream  string     `json:"stream"`
	Config  MockConfig `json:"config"`
	Error   string     `json:"error,omitempty"`
	Started int64      `json:"started,omitempty"` // unix ms
}

// MockService is bound to the window: start and stop mocks, change their
// scenario and faults while they run, and send Try-it requests.
type MockService struct {
	ctx     context.Context
	log     *slog.Logger
	ws      *workspace
	traffic *trafficLog
	emit    emitter
	client  *http.Client
	host    *mockhost.Host
	ovr     overrideSets // per-operation overrides by connector path (overrides.go)

	mu      sync.Mutex
	running map[string]*runningMock // by MockStatus.ID
}

type runningMock struct {
	status MockStatus
	c      *connector.Connector
	h      *mockhost.Hosted
}

func (m *runningMock) server() *mock.Server { return m.h.Unit.Server() }

func newMockService(log *slog.Logger, ws *workspace, t *trafficLog, e emitter) *MockService {
	s := &MockService{
		ctx: context.Background(), log: log, ws: ws, traffic: t, emit: e,
		client:  &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		host:    mockhost.NewHost(log),
		running: map[string]*runningMock{},
	}
	s.host.OnExit = func(h *mockhost.Hosted, err error) {
		s.mu.Lock()
		m := s.running[h.ID]
		delete(s.running, h.ID)
		s.mu.Unlock()
		if m != nil {
			st := m.status
			st.Running, st.Error = false, err.Error()
			s.emit.Emit(EventMockState, st)
		}
	}
	return s
}

func (s *MockService) startup(ctx context.Context) { s.ctx = ctx }

func mockStream(path string) string { return "mock:" + path }

// find returns the running mock with id, else the first of the connector
// at path; the caller holds s.mu.
func (s *MockService) find(idOrPath string) *runningMock {
	if m := s.running[idOrPath]; m != nil {
		return m
	}
	var best *runningMock
	for _, m := range s.running {
		if m.status.Path == idOrPath && (best == nil || m.status.Started < best.status.Started) {
			best = m
		}
	}
	return best
}

func (s *MockService) options(c *connector.Connector, cfg MockConfig, stream string) (mock.Options, error) {
	f, err := cfg.Faults.faults()
	if err != nil {
		return mock.Options{}, err
	}
	set, err := s.ovr.get(cfg.Path, c)
	if err != nil {
		return mock.Options{}, err
	}
	return mock.Options{
		Seed: cfg.Seed, DisableValidation: !cfg.Validate, DisableAuth: !cfg.Auth,
		Stateful: cfg.Stateful, Faults: f, Sink: s.traffic.sink(stream), Log: s.log,
		Responders: []mock.Responder{set.Responder()},
	}, nil
}

// Start serves the connector at cfg.Path on 127.0.0.1 (one mock per
// connector; StartMock runs several).
func (s *MockService) Start(cfg MockConfig) (MockStatus, error) {
	s.mu.Lock()
	m := s.find(cfg.Path)
	s.mu.Unlock()
	if m != nil {
		return m.status, &UserError{Message: m.status.Name + " is already mocked at " + m.status.URL, Fix: "stop it first, or change its scenario and faults while it runs"}
	}
	return s.start(cfg, mockStream(cfg.Path))
}

// StartMock serves the connector at cfg.Path on 127.0.0.1 next to any
// mocks already running (also of the same connector) and returns its
// status; status.ID names it for StopMock and UpdateMock.
func (s *MockService) StartMock(cfg MockConfig) (MockStatus, error) {
	return s.start(cfg, "")
}

func (s *MockService) start(cfg MockConfig, stream string) (MockStatus, error) {
	c, err := s.ws.get(cfg.Path)
	if err != nil {
		return MockStatus{}, err
	}
	if stream == "" {
		stream = mockStream(fmt.Sprintf("%s#%d", cfg.Path, time.Now().UnixNano()))
	}
	o, err := s.options(c, cfg, stream)
	if err != nil {
		return MockStatus{}, err
	}
	h, err := s.host.Start(c, o, cfg.Path, "127.0.0.1", cfg.Port)
	if err != nil {
		return MockStatus{}, err
	}
	h.Unit.SetScenario(cfg.Scenario)
	m := &runningMock{c: c, h: h}
	m.status = MockStatus{
		ID: h.ID, Path: cfg.Path, Name: c.Name, Running: true, Port: h.Addr.Port, Stream: stream, Config: cfg,
		URL: h.URL(), Started: h.Started.UnixMilli(),
	}
	m.status.Config.Port = h.Addr.Port
	s.mu.Lock()
	s.running[h.ID] = m
	s.mu.Unlock()
	s.emit.Emit(EventMockState, m.status)
	return m.status, nil
}

// Update changes seed, validation, auth, scenario and faults of a running
// mock (cfg.Path names it). The port and the stateful store are kept.
func (s *MockService) Update(cfg MockConfig) (MockStatus, error) {
	s.mu.Lock()
	m := s.find(cfg.Path)
	s.mu.Unlock()
	if m == nil {
		return MockStatus{}, &UserError{Message: "this connector is not mocked", Fix: "start the mock first"}
	}
	return s.update(m, cfg)
}

// UpdateMock is Update for the running mock id.
func (s *MockService) UpdateMock(id string, cfg MockConfig) (MockStatus, error) {
	s.mu.Lock()
	m := s.running[id]
	s.mu.Unlock()
	if m == nil {
		return MockStatus{}, &UserError{Message: "mock " + id + " is not running", Fix: "refresh the list of mocks"}
	}
	cfg.Path = m.status.Path
	return s.update(m, cfg)
}

func (s *MockService) update(m *runningMock, cfg MockConfig) (MockStatus, error) {
	cfg.Port = m.status.Port
	o, err := s.options(m.c, cfg, m.status.Stream)
	if err != nil {
		return m.status, err
	}
	if err := m.h.Unit.Swap(m.c, o); err != nil {
		return m.status, userErr(err, "cannot mock "+m.c.Name+": "+err.Error(), "fix the definition on the Connectors screen (see its validation findings) and start again")
	}
	m.h.Unit.SetScenario(cfg.Scenario)
	s.mu.Lock()
	m.status.Config = cfg
	st := m.status
	s.mu.Unlock()
	s.emit.Emit(EventMockState, st)
	return st, nil
}

// Stop shuts the mock of path down, letting in-flight requests finish.
func (s *MockService) Stop(path string) (MockStatus, error) {
	s.mu.Lock()
	m := s.find(path)
	s.mu.Unlock()
	if m == nil {
		return MockStatus{Path: path, Stream: mockStream(path)}, nil
	}
	return s.StopMock(m.status.ID)
}

// StopMock shuts the running mock id down, letting in-flight requests
// finish; stopping one that is not running is not an error.
func (s *MockService) StopMock(id string) (MockStatus, error) {
	s.mu.Lock()
	m := s.running[id]
	delete(s.running, id)
	s.mu.Unlock()
	if m == nil {
		return MockStatus{ID: id}, nil
	}
	s.host.Stop(id)
	st := m.status
	st.Running = false
	s.emit.Emit(EventMockState, st)
	return st, nil
}

// List returns the running mocks.
func (s *MockService) List() ([]MockStatus, error) { return s.ListMocks() }

// ListMocks returns every running mock, by name then start time.
func (s *MockService) ListMocks() ([]MockStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]MockStatus, 0, len(s.running))
	for _, m := range s.running {
		out = append(out, m.status)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Started < out[j].Started
	})
	return out, nil
}

func (s *MockService) stopAll() {
	s.mu.Lock()
	ids := make([]string, 0, len(s.running))
	for id := range s.running {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		_, _ = s.StopMock(id)
	}
}

// TryRequest is one call from the Try-it panel.
type TryRequest struct {
	Path        string `json:"path"`
	OperationID string `json:"operationId"`
	// Params holds parameter values keyed "in:name" (path:orderId,
	// query:top, header:X-Trace); empty values are not sent.
	Params map[string]string `json:"params"`
	Body   string            `json:"body,omitempty"`
	// ContentType of Body; default application/json.
	ContentType string `json:"contentType,omitempty"`
	// Prefer is sent as the Prefer header (code=404, example=NAME).
	Prefer string `json:"prefer,omitempty"`
	// NoAuth sends no credentials (to see the mock's 401).
	NoAuth bool `json:"noAuth,omitempty"`
}

// TryResult is the mock's answer to a Try-it request.
type TryResult struct {
	Method   string      `json:"method"`
	URL      string      `json:"url"`
	Status   int         `json:"status"`
	Millis   int64       `json:"millis"`
	Response MessageView `json:"response"`
}

// Try sends one request to the running mock of req.Path, the way the maker
// portal's Test tab does, with credentials the mock accepts.
func (s *MockService) Try(req TryRequest) (TryResult, error) {
	s.mu.Lock()
	m := s.find(req.Path)
	s.mu.Unlock()
	if m == nil {
		return TryResult{}, &UserError{Message: "the mock of this connector is not running", Fix: "start it on the Mock screen, then try again"}
	}
	op := m.c.Operation(req.OperationID)
	if op == nil {
		return TryResult{}, &UserError{Message: fmt.Sprintf("operation %q is not in %s", req.OperationID, m.c.Name), Fix: "reopen the connector: the definition may have changed"}
	}
	hr, err := buildTryRequest(s.ctx, m, op, req)
	if err != nil {
		return TryResult{}, err
	}
	start := time.Now()
	resp, err := s.client.Do(hr)
	if err != nil {
		return TryResult{Method: hr.Method, URL: hr.URL.String()}, userErr(err, "the mock did not answer: "+err.Error(), "a fault (connection reset) may be on; otherwise restart the mock")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return TryResult{}, userErr(err, "reading the mock's answer failed: "+err.Error(), "try again")
	}
	res := TryResult{Method: hr.Method, URL: hr.URL.String(), Status: resp.StatusCode, Millis: time.Since(start).Milliseconds()}
	res.Response = MessageView{Headers: headerViews(resp.Header, nil, ""), Size: int64(len(body))}
	res.Response.Kind, res.Response.Body = bodyText(body, resp.Header.Get("Content-Type"))
	return res, nil
}

func buildTryRequest(ctx context.Context, m *runningMock, op *connector.Operation, req TryRequest) (*http.Request, error) {
	path := op.Path
	q := url.Values{}
	h := http.Header{}
	for key, val := range req.Params {
		in, name, ok := strings.Cut(key, ":")
		if !ok || val == "" {
			continue
		}
		switch in {
		case "path":
			path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(val))
		case "query":
			q.Set(name, val)
		case "header":
			h.Set(name, val)
		}
	}
	if i := strings.Index(path, "{"); i >= 0 {
		j := strings.Index(path[i:], "}")
		name := path[i+1:]
		if j > 0 {
			name = path[i+1 : i+j]
		}
		return nil, &UserError{Message: fmt.Sprintf("path parameter %q has no value", name), Fix: "fill in every required field"}
	}
	u := fmt.Sprintf("http://127.0.0.1:%d%s%s", m.status.Port, strings.TrimSuffix(m.c.BasePath, "/"), path)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body io.Reader
	if req.Body != "" {
		body = bytes.NewBufferString(req.Body)
		ct := req.ContentType
		if ct == "" {
			ct = "application/json"
		}
		h.Set("Content-Type", ct)
	}
	hr, err := http.NewRequestWithContext(ctx, strings.ToUpper(op.Method), u, body)
	if err != nil {
		return nil, userErr(err, "cannot build the request: "+err.Error(), "check the parameter values")
	}
	for k, vs := range h {
		hr.Header[k] = vs
	}
	if req.Prefer != "" {
		hr.Header.Set("Prefer", req.Prefer)
	}
	if !req.NoAuth {
		addTryCredentials(hr, m)
	}
	return hr, nil
}

// addTryCredentials signs the request the way the connector's first auth
// set asks; the mock accepts any well-formed credentials when none are
// configured, and tokens it issued itself for OAuth 2.0.
func addTryCredentials(r *http.Request, m *runningMock) {
	for _, set := range m.c.Auth.Sets {
		switch set.Kind {
		case connector.AuthAPIKey:
			if set.APIKey == nil || set.APIKey.Name == "" {
				continue
			}
			if strings.EqualFold(set.APIKey.In, "query") {
				q := r.URL.Query()
				if q.Get(set.APIKey.Name) == "" {
					q.Set(set.APIKey.Name, "try-it-key")
					r.URL.RawQuery = q.Encode()
				}
			} else if r.Header.Get(set.APIKey.Name) == "" {
				r.Header.Set(set.APIKey.Name, "try-it-key")
			}
			return
		case connector.AuthBasic:
			r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("try-it:try-it")))
			return
		case connector.AuthOAuth2:
			var scopes []string
			if set.OAuth2 != nil {
				scopes = set.OAuth2.Scopes
			}
			r.Header.Set("Authorization", "Bearer "+m.server().IssueToken("try-it", strings.Join(scopes, " ")))
			return
		}
	}
}
