package mockhost

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/recordings"
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
		if sink := u.Options().Sink; sink != nil {
			if op := c.r.Operation(r.Method, r.URL.Path); op != nil {
				u.serveScripted(c, op, sink, w, r)
				return
			}
		}
		c.h.ServeHTTP(w, r)
		return
	}
	u.serve(w, r)
}

// reachedKey marks a request the script runs for: serve sets the flag
// when a SendAsync of it reaches the simulated backend.
type reachedKey struct{}

func (u *Unit) serve(w http.ResponseWriter, r *http.Request) {
	if f, _ := r.Context().Value(reachedKey{}).(*atomic.Bool); f != nil {
		f.Store(true)
	}
	u.cur.Load().ServeHTTP(w, r)
}

// maxScriptedBody bounds what is kept of a script-answered exchange.
const maxScriptedBody = 10 << 20

// serveScripted runs the script for op and, when the script answered
// without reaching the simulated backend (which records what it serves),
// records the client's request and the script's response, so the traffic
// list shows every call.
func (u *Unit) serveScripted(c *codeHook, op *connector.Operation, sink recordings.Sink, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxScriptedBody+1))
		if err != nil || len(b) > maxScriptedBody {
			c.h.ServeHTTP(w, r) // too big or broken to keep: served, not recorded
			return
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	in := struct {
		method, url string
		header      http.Header
	}{r.Method, r.URL.RequestURI(), r.Header.Clone()}
	var reached atomic.Bool
	r = r.WithContext(context.WithValue(r.Context(), reachedKey{}, &reached))
	cw := &captureWriter{ResponseWriter: w}
	c.h.ServeHTTP(cw, r)
	if reached.Load() {
		return
	}
	x := &recordings.Exchange{Source: recordings.SourceMock, Connector: u.Connector().Name, OperationID: op.ID, StartedAt: start, Duration: time.Since(start),
		Request:  recordings.Request{Method: in.method, URL: in.url, Message: recordings.Message{Header: in.header, Body: body, Size: int64(len(body))}},
		Response: recordings.Response{Status: cw.code(), Message: recordings.Message{Header: w.Header().Clone(), Body: cw.buf.Bytes(), Size: int64(cw.buf.Len()), Truncated: cw.cut}},
		Notes:    []recordings.Note{{ID: "custom-code-answered", Level: "info", Message: "answered by the connector's script.csx without calling the backend"}}}
	if err := sink.Record(context.WithoutCancel(r.Context()), x); err != nil && u.Options().Log != nil {
		u.Options().Log.Warn("script-answered exchange not recorded", "operation", op.ID, "err", err)
	}
}

// captureWriter keeps a copy of what is written (up to maxScriptedBody).
type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
	cut    bool
}

func (c *captureWriter) WriteHeader(s int) {
	if c.status == 0 {
		c.status = s
	}
	c.ResponseWriter.WriteHeader(s)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	if room := maxScriptedBody - c.buf.Len(); room > 0 {
		c.buf.Write(b[:min(len(b), room)])
		c.cut = c.cut || len(b) > room
	} else if len(b) > 0 {
		c.cut = true
	}
	return c.ResponseWriter.Write(b)
}

func (c *captureWriter) code() int {
	if c.status == 0 {
		return http.StatusOK
	}
	return c.status
}

// Close stops the current server's background work and the script host.
func (u *Unit) Close() {
	u.UseCustomCode(nil)
	u.cur.Load().Close()
}
