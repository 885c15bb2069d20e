package mock

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/connectorlab/connectorlab/recordings"
)

// ReplayOptions configure the replay and spy modes.
type ReplayOptions struct {
	// Fallback simulates from the definition when no recording matches
	// (--fallback simulate); otherwise a miss answers 404 naming the
	// closest recording and the fields that differed.
	Fallback bool
	// Spy, when set, takes every miss instead: the recording proxy
	// forwards it to the live API and records it (--spy URL).
	Spy http.Handler
	// Limits describe request bodies the way the store records them.
	Limits recordings.Limits
}

// Replay is the Responder of replay mode: it answers from recorded
// exchanges through a recordings.Matcher. Install it with Server.UseFirst
// so it sees every request before the simulation behaviours.
type Replay struct {
	m *recordings.Matcher
	o ReplayOptions
}

// NewReplay returns the replay Responder over m.
func NewReplay(m *recordings.Matcher, o ReplayOptions) *Replay { return &Replay{m: m, o: o} }

// Respond implements Responder.
func (rp *Replay) Respond(ctx context.Context, c *Call) (*Reply, error) {
	req := recordings.NewRequest(c.Request, c.Body, rp.o.Limits)
	res := rp.m.Match(c.Operation.ID, req)
	if res.Matched() {
		x := res.Exchange
		rep := &Reply{Status: x.Response.Status, Header: x.Response.ReplayHeader(), Body: x.Response.Body, Final: true}
		rep.Header.Set(recordings.ExchangeHeader, fmt.Sprint(x.ID))
		c.Source = recordings.SourceReplay
		c.Note("replay-matched", "info", "", fmt.Sprintf("answered with recorded exchange %d", x.ID))
		return rep, nil
	}
	p := res.Problem()
	c.Note("replay-miss", "warning", "", p.Message)
	if rp.o.Spy != nil {
		rec := httptest.NewRecorder()
		r := c.Request.Clone(ctx)
		r.Body = http.NoBody
		if len(c.Body) > 0 {
			r.Body = readCloser{bytes.NewReader(c.Body)}
			r.ContentLength = int64(len(c.Body))
		}
		rp.o.Spy.ServeHTTP(rec, r)
		c.Source = recordings.SourceSpy
		return &Reply{Status: rec.Code, Header: rec.Header().Clone(), Body: rec.Body.Bytes(), Final: true}, nil
	}
	if rp.o.Fallback {
		return nil, nil
	}
	rep := problem(Problem{Type: ProblemTypeBase + "no-recording-matched", Title: "No recording matches", Status: http.StatusNotFound,
		Detail: p.Message, Recording: p.Closest})
	rep.Final = true
	return rep, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// SessionSink stamps each exchange with a session before handing it to a
// store, for recording the mock's own traffic (--record).
func SessionSink(store recordings.Sink, sessionID int64) recordings.Sink {
	return recordings.SinkFunc(func(ctx context.Context, x *recordings.Exchange) error {
		y := *x
		y.SessionID = sessionID
		return store.Record(ctx, &y)
	})
}
