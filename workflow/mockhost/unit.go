package mockhost

import (
	"net/http"
	"sync/atomic"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/scripthost"
)

// Unit is one connector's mock; its server can be swapped while it serves.
type Unit struct {
	state  *mock.State
	cur    atomic.Pointer[mock.Server]
	opts   atomic.Pointer[mock.Options]
	prefer atomic.Pointer[string]
	// code runs the connector's script.csx in front of the mock.
	code atomic.Pointer[codeHook]
}

type codeHook struct {
	r *scripthost.Runner
	h http.Handler
}

// NewUnit builds the first server of c with o (o.State is replaced by the
// unit's own store, kept across swaps).
func NewUnit(c *connector.Connector, o mock.Options) (*Unit, error) {
	u := &Unit{state: mock.NewState()}
	o.State = u.state
	s, err := mock.New(c, o)
	if err != nil {
		return nil, err
	}
	u.cur.Store(s)
	u.opts.Store(&o)
	return u, nil
}

// Server is the server answering now.
func (u *Unit) Server() *mock.Server { return u.cur.Load() }

// Connector is the definition served now.
func (u *Unit) Connector() *connector.Connector { return u.cur.Load().Connector() }

// SetScenario sets a Prefer header applied to requests that send none
// ("code=404", "example=NAME"); "" answers normally.
func (u *Unit) SetScenario(prefer string) { u.prefer.Store(&prefer) }

// Swap builds a server of c with o and puts it in place of the running
// one: the port, in-flight requests, the stateful store and the
// triggers' subscriptions and polling items survive. On error the
// running server stays.
func (u *Unit) Swap(c *connector.Connector, o mock.Options) error {
	o.State = u.state
	s, err := mock.New(c, o)
	if err != nil {
		return err
	}
	old := u.cur.Load()
	if ne, _ := s.PowerPlatform(); ne != nil {
		oe, _ := old.PowerPlatform()
		ne.Adopt(oe)
	}
	u.cur.Store(s)
	u.opts.Store(&o)
	old.Close()
	return nil
}

// Options are the options the current server was built with.
func (u *Unit) Options() mock.Options { return *u.opts.Load() }

// Reload swaps in a server of c with the current options (an edited
// definition).
func (u *Unit) Reload(c *connector.Connector) error { return u.Swap(c, u.Options()) }

// UseCustomCode runs r's script between the client and the simulated
// backend: the script's SendAsync requests are answered by the mock, its
// response is what the client gets. nil stops running it; the host
// replaced is closed.
func (u *Unit) UseCustomCode(r *scripthost.Runner) {
	var hook *codeHook
	if r != nil {
		hook = &codeHook{r: r, h: r.Handler(http.HandlerFunc(u.serve), nil)}
	}
	if old := u.code.Swap(hook); old != nil && (hook == nil || old.r != hook.r) {
		old.r.Host.Close()
	}
}

// CustomCode is the script runner in use, nil when none.
func (u *Unit) CustomCode() *scripthost.Runner {
	if c := u.code.Load(); c != nil {
		return c.r
	}
	return nil
}

// ServeHTTP applies the scenario and hands the request to the script
// (when one runs) and the current server.
func (u *Unit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := u.prefer.Load(); p != nil && *p != "" && r.Header.Get("Prefer") == "" {
		r.Header.Set("Prefer", *p)
	}
	if c := u.code.Load(); c != nil {
		c.h.ServeHTTP(w, r)
		return
	}
	u.serve(w, r)
}

func (u *Unit) serve(w http.ResponseWriter, r *http.Request) { u.cur.Load().ServeHTTP(w, r) }

// Close stops the current server's background work and the script host.
func (u *Unit) Close() {
	u.UseCustomCode(nil)
	u.cur.Load().Close()
}
