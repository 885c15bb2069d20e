package mockhost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/hostcheck"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow"
)

// Hosted is one mock a Host serves.
type Hosted struct {
	// ID names the mock in the Host ("m1", "m2", ...); never reused.
	ID string
	// Key is the caller's own name for it (the desktop: the connector path).
	Key     string
	Unit    *Unit
	Addr    *net.TCPAddr
	Started time.Time
	// Attached is the replay and recording of the mock (may be nil; set
	// with Host.Attach); Stop ends its recorded session.
	Attached *Attached
	// CodeWarning says why the connector's custom code does not run
	// (the host is missing, the script does not compile), "" otherwise.
	CodeWarning string
	ctx         context.Context
	cancel      context.CancelFunc
	done        chan struct{}
	err         error
}

// URL is the mock's base URL including the connector's basePath.
func (m *Hosted) URL() string {
	return "http://" + m.Addr.String() + strings.TrimSuffix(m.Unit.Connector().BasePath, "/")
}

// Host serves several mocks at once, each on its own port.
type Host struct {
	log *slog.Logger
	// OnExit is called when a mock stops serving on its own (not by Stop).
	OnExit func(m *Hosted, err error)
	// AllowHosts are extra Host header names the mocks answer, beyond their
	// own address and loopback names (--allow-host); set before Start.
	AllowHosts []string
	// CustomCode, when set, starts the script host of each connector
	// started (workflow/customcode.Start fits): a nil runner runs none, the
	// warning lands in Hosted.CodeWarning, an error refuses the start.
	CustomCode func(ctx context.Context, c *connector.Connector) (*scripthost.Runner, string, error)

	mu    sync.Mutex
	seq   int
	mocks map[string]*Hosted
}

// NewHost returns an empty Host.
func NewHost(log *slog.Logger) *Host {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Host{log: log, mocks: map[string]*Hosted{}}
}

// Start builds a mock of c with o and serves it on host:port (host ""
// is 127.0.0.1, port 0 a free one). key is kept for the caller.
func (h *Host) Start(c *connector.Connector, o mock.Options, key, host string, port int) (*Hosted, error) {
	if port < 0 || port > 65535 {
		return nil, workflow.Usage(fmt.Sprintf("port %d is out of range", port), "use 1024-65535, or 0 for any free port")
	}
	u, err := NewUnit(c, o)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "cannot mock " + c.Name + ": " + err.Error(), Fix: "fix the definition (see its validation findings) and start again", Err: err}
	}
	var codeWarning string
	if h.CustomCode != nil {
		r, warn, err := h.CustomCode(context.Background(), c)
		if err != nil {
			u.Close()
			return nil, err
		}
		u.UseCustomCode(r)
		codeWarning = warn
	}
	ln, err := mock.Listen(host, port)
	if err != nil {
		u.Close()
		msg := err.Error()
		if errors.Is(err, syscall.EADDRINUSE) {
			msg = fmt.Sprintf("port %d is already in use", port)
		}
		return nil, &workflow.Error{Kind: workflow.KindInfra, Message: msg, Fix: "pick another port, or 0 for any free port", Err: err}
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.mu.Lock()
	h.seq++
	m := &Hosted{ID: "m" + strconv.Itoa(h.seq), Key: key, Unit: u, Addr: ln.Addr().(*net.TCPAddr), Started: time.Now(), CodeWarning: codeWarning, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	h.mocks[m.ID] = m
	h.mu.Unlock()
	hs := mock.NewHTTPServer(hostcheck.Policy{Bind: ln.Addr(), Names: h.AllowHosts}.Handler(u), h.log)
	go func() {
		defer close(m.done)
		if err := mock.Serve(ctx, hs, ln, 2*time.Second); err != nil {
			m.err = err
			h.log.Warn("mock stopped", "connector", c.Name, "err", err)
			h.mu.Lock()
			_, still := h.mocks[m.ID]
			delete(h.mocks, m.ID)
			h.mu.Unlock()
			if still {
				h.mu.Lock()
				a := m.Attached
				h.mu.Unlock()
				_ = a.End(context.Background())
				if h.OnExit != nil {
					h.OnExit(m, err)
				}
			}
		}
	}()
	return m, nil
}

// Attach records what Modes added to m, for Stop to end.
func (h *Host) Attach(m *Hosted, a *Attached) {
	h.mu.Lock()
	m.Attached = a
	h.mu.Unlock()
}

// Get returns the hosted mock id, nil when there is none.
func (h *Host) Get(id string) *Hosted {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.mocks[id]
}

// Find returns the first hosted mock with key, nil when there is none.
func (h *Host) Find(key string) *Hosted {
	for _, m := range h.List() {
		if m.Key == key {
			return m
		}
	}
	return nil
}

// List returns the hosted mocks in start order.
func (h *Host) List() []*Hosted {
	h.mu.Lock()
	out := make([]*Hosted, 0, len(h.mocks))
	for _, m := range h.mocks {
		out = append(out, m)
	}
	h.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i].ID[1:])
		b, _ := strconv.Atoi(out[j].ID[1:])
		return a < b
	})
	return out
}

// Stop shuts mock id down, letting in-flight requests finish (up to 5s).
// It returns the stopped mock, nil when there was none.
func (h *Host) Stop(id string) *Hosted {
	h.mu.Lock()
	m := h.mocks[id]
	delete(h.mocks, id)
	h.mu.Unlock()
	if m == nil {
		return nil
	}
	m.cancel()
	select {
	case <-m.done:
	case <-time.After(5 * time.Second):
	}
	m.Unit.Close()
	h.mu.Lock()
	a := m.Attached
	h.mu.Unlock()
	if err := a.End(context.Background()); err != nil {
		h.log.Warn("recorded session not closed", "mock", id, "err", err)
	}
	return m
}

// Watch reloads m from path whenever its files change, until m stops
// (see Watch).
func (m *Hosted) Watch(path string, load Loader, report func(c *connector.Connector, err error)) {
	StartWatch(m.ctx, m.Unit, path, load, report)
}

// StopAll stops every hosted mock.
func (h *Host) StopAll() {
	for _, m := range h.List() {
		h.Stop(m.ID)
	}
}
