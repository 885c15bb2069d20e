package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow/customcode"
	"github.com/connectorlab/connectorlab/workflow/faults"
	"github.com/connectorlab/connectorlab/workflow/mockhost"
	"github.com/connectorlab/connectorlab/workflow/traffic"
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
	// Watch reloads the definition when its files change (a broken edit
	// keeps the last good version).
	Watch bool `json:"watch,omitempty"`
	// ReplaySession answers from this recorded session (0: simulate).
	// Replay, spy and record are chosen when the mock starts.
	ReplaySession int64 `json:"replaySession,omitempty"`
	// Fallback simulates when no recorded exchange matches (else 404).
	Fallback bool `json:"fallback,omitempty"`
	// Spy forwards replay misses to this live API base URL and records
	// them into the replayed session, signed with SpyParams.
	Spy       string            `json:"spy,omitempty"`
	SpyParams map[string]string `json:"spyParams,omitempty"`
	// Record stores the mock's own traffic as a new session.
	Record bool `json:"record,omitempty"`
	// AllowPrivateCallbacks lets webhook subscriptions name loopback and
	// private callback addresses (the CLI's --allow-private-callbacks).
	AllowPrivateCallbacks bool `json:"allowPrivateCallbacks,omitempty"`
	// CORSOrigin lets web pages of this origin ("https://app.example.com",
	// "*" any) make state-changing requests to the mock (the CLI's
	// --cors-origin); "" (the default) lets only pages on loopback.
	CORSOrigin string `json:"corsOrigin,omitempty"`
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
	// Replaying names the session answered from; ReplayExchanges how
	// many of its exchanges can answer.
	Replaying       string `json:"replaying,omitempty"`
	ReplayExchanges int    `json:"replayExchanges,omitempty"`
	// RecordingSession is the session the mock's traffic goes to.
	RecordingSession     int64  `json:"recordingSession,omitempty"`
	RecordingSessionName string `json:"recordingSessionName,omitempty"`
	// Reloads counts the --watch reloads; ReloadError is the last failed
	// one (the last good version keeps serving).
	Reloads     int    `json:"reloads,omitempty"`
	ReloadError string `json:"reloadError,omitempty"`
	Operations  int    `json:"operations,omitempty"`
	// CustomCode says the connector's script.csx runs in front of the
	// mock; CodeWarning why it does not (the host is missing, the script
	// does not compile).
	CustomCode  bool   `json:"customCode,omitempty"`
	CodeWarning string `json:"codeWarning,omitempty"`
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
	store   *storeHolder
	ovr     overrideSets // per-operation overrides by connector path (overrides.go)

	mu      sync.Mutex
	running map[string]*runningMock // by MockStatus.ID
}

type runningMock struct {
	status MockStatus
	h      *mockhost.Hosted
}

func (m *runningMock) server() *mock.Server { return m.h.Unit.Server() }

// connector is the definition served now (a watched mock reloads it).
func (m *runningMock) connector() *connector.Connector { return m.h.Unit.Connector() }

func newMockService(log *slog.Logger, ws *workspace, st *storeHolder, t *trafficLog, e emitter) *MockService {
	s := &MockService{
		ctx: context.Background(), log: log, ws: ws, traffic: t, emit: e, store: st,
		client:  &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		host:    mockhost.NewHost(log),
		running: map[string]*runningMock{},
	}
	// The desktop's mocks run the connector's custom code as `mock` does
	// (on when the host is installed; a warning in the status otherwise).
	s.host.CustomCode = func(ctx context.Context, c *connector.Connector) (*scripthost.Runner, string, error) {
		return customcode.Start(ctx, c, customcode.Options{Logger: log})
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
	var cors []string
	if o := strings.TrimSpace(cfg.CORSOrigin); o != "" {
		cors = []string{strings.TrimSuffix(o, "/")}
		if _, err := (mockhost.Settings{CORSOrigins: cors}).Options(); err != nil {
			return mock.Options{}, err
		}
	}
	set, err := s.ovr.get(cfg.Path, c)
	if err != nil {
		return mock.Options{}, err
	}
	return mock.Options{
		Seed: cfg.Seed, DisableValidation: !cfg.Validate, DisableAuth: !cfg.Auth,
		Stateful: cfg.Stateful, Faults: f, Sink: s.traffic.Sink(stream), Log: s.log,
		PowerPlatform: mock.PowerPlatformOptions{AllowPrivateCallbacks: cfg.AllowPrivateCallbacks},
		Responders:    []mock.Responder{set.Responder()},
		CORSOrigins:   cors,
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
	modes, err := s.modes(cfg)
	if err != nil {
		return MockStatus{}, err
	}
	o, att, err := modes.Apply(s.ctx, c, o)
	if err != nil {
		return MockStatus{}, err
	}
	h, err := s.host.Start(c, o, cfg.Path, "127.0.0.1", cfg.Port)
	if err != nil {
		_ = att.End(s.ctx)
		return MockStatus{}, err
	}
	s.host.Attach(h, att)
	h.Unit.SetScenario(cfg.Scenario)
	m := &runningMock{h: h}
	m.status = MockStatus{
		ID: h.ID, Path: cfg.Path, Name: c.Name, Running: true, Port: h.Addr.Port, Stream: stream, Config: cfg,
		URL: h.URL(), Started: h.Started.UnixMilli(), Operations: len(c.Operations),
		CustomCode: h.Unit.CustomCode() != nil, CodeWarning: h.CodeWarning,
	}
	if att.Replayed != nil {
		m.status.Replaying, m.status.ReplayExchanges = att.Replayed.Name, att.Exchanges
	}
	if att.Recording != nil {
		m.status.RecordingSession, m.status.RecordingSessionName = att.Recording.ID, att.Recording.Name
	}
	m.status.Config.Port = h.Addr.Port
	m.status.Config.SpyParams = nil // secrets stay in the proxy only
	s.mu.Lock()
	s.running[h.ID] = m
	s.mu.Unlock()
	if cfg.Watch {
		h.Watch(cfg.Path, s.ws.load, func(c *connector.Connector, err error) { s.reloaded(m, c, err) })
	}
	s.emit.Emit(EventMockState, m.status)
	return m.status, nil
}

// modes are the replay, spy and record settings of cfg over the
// recordings database the Record screen uses.
func (s *MockService) modes(cfg MockConfig) (*mockhost.Modes, error) {
	m := &mockhost.Modes{Fallback: cfg.Fallback, Spy: cfg.Spy, Log: s.log,
		SpyParams: func(connector.AuthSet) (map[string]string, error) { return cfg.SpyParams, nil }}
	if cfg.ReplaySession != 0 {
		m.Session = fmt.Sprintf("#%d", cfg.ReplaySession)
	}
	if err := m.Check(cfg.ReplaySession != 0, 1); err != nil {
		return nil, err
	}
	if cfg.ReplaySession != 0 || cfg.Record {
		st, err := s.store.get(s.ctx)
		if err != nil {
			return nil, err
		}
		if cfg.ReplaySession != 0 {
			m.Replay = st
		}
		if cfg.Record {
			m.Record = st
		}
	}
	return m, nil
}

// reloaded records a watch reload of m in its status and tells the
// window.
func (s *MockService) reloaded(m *runningMock, c *connector.Connector, err error) {
	s.mu.Lock()
	if err != nil {
		m.status.ReloadError = err.Error()
	} else {
		m.status.Reloads++
		m.status.ReloadError = ""
		m.status.Name, m.status.Operations = c.Name, len(c.Operations)
		s.ws.put(m.status.Path, c)
	}
	st := m.status
	s.mu.Unlock()
	s.emit.Emit(EventMockState, st)
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
	// The port, watching, replay, spy and record stay as started.
	prev := m.status.Config
	cfg.Port, cfg.Watch, cfg.ReplaySession, cfg.Fallback, cfg.Spy, cfg.SpyParams, cfg.Record = prev.Port, prev.Watch, prev.ReplaySession, prev.Fallback, prev.Spy, nil, prev.Record
	c := m.connector()
	o, err := s.options(c, cfg, m.status.Stream)
	if err != nil {
		return m.status, err
	}
	if err := m.h.Unit.Swap(c, m.h.Attached.Into(o)); err != nil {
		return m.status, userErr(err, "cannot mock "+c.Name+": "+err.Error(), "fix the definition on the Connectors screen (see its validation findings) and start again")
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
	a, err := m.h.Try(s.ctx, s.client, mockhost.Call{OperationID: req.OperationID, Params: req.Params, Body: req.Body, ContentType: req.ContentType, Prefer: req.Prefer, NoAuth: req.NoAuth})
	res := TryResult{Method: a.Method, URL: a.URL, Status: a.Status, Millis: a.Duration.Milliseconds()}
	if err != nil {
		return res, err
	}
	res.Response = MessageView{Headers: traffic.HeaderViews(a.Header, nil, ""), Size: int64(len(a.Body))}
	res.Response.Kind, res.Response.Body = traffic.BodyText(a.Body, a.Header.Get("Content-Type"))
	return res, nil
}
