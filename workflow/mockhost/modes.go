package mockhost

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

// Modes add recorded traffic to a mock: replay answers from a recorded
// session (misses simulate with Fallback, or go to the live API Spy and
// are recorded into that session), and Record stores the mock's own
// traffic as a new session. The CLI's --replay/--spy/--record and the
// Mock screen's replay, spy and record settings are both a Modes.
type Modes struct {
	// Replay is the store to replay from; nil: no replay.
	Replay recordings.Store
	// Session is the session to replay, a name or "#id"; "" the newest
	// session of the connector.
	Session  string
	Fallback bool
	// Spy is the live API's base URL that replay misses go to.
	Spy string
	// SpyParams gives the connection parameters the spy proxy signs with
	// (the CLI: environment or prompt; the desktop: the form).
	SpyParams func(set connector.AuthSet) (map[string]string, error)
	// Record is the store the mock's traffic is recorded into; nil: none.
	Record recordings.Store
	// AllowRemoteClients is set when the mock listens beyond loopback.
	AllowRemoteClients bool
	Log                *slog.Logger
	Now                func() time.Time
}

// Check applies the rules between the settings before any store is
// opened: replaying says whether a store to replay from is given, n is
// how many connectors are served.
func (m *Modes) Check(replaying bool, n int) error {
	if !replaying && (m.Session != "" || m.Fallback || m.Spy != "") {
		return workflow.Usage("a session, a fallback and a spy URL only apply when replaying", "give the recordings database to replay from (--replay FILE)")
	}
	if m.Fallback && m.Spy != "" {
		return workflow.Usage("simulate-on-miss and spy both handle misses", "choose one")
	}
	if m.Session != "" && n > 1 {
		return workflow.Usage("a session names one connector's recording", "with several connectors leave it out: each replays its latest session")
	}
	if m.Spy != "" {
		if _, err := ParseSpy(m.Spy); err != nil {
			return err
		}
	}
	return nil
}

// ParseSpy parses the live API's base URL of spy mode.
func ParseSpy(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, workflow.Usage(fmt.Sprintf("spy %q is not the live API's base URL", raw), "give it with its scheme, e.g. https://api.example.com/v1")
	}
	if u.User != nil {
		return nil, workflow.Usage("the spy URL carries user:password@", "give credentials as connection parameters (CONNECTORLAB_PARAM_* or the form)")
	}
	return u, nil
}

// Attached is what Modes added to one connector's mock; End closes the
// session it records into.
type Attached struct {
	// Replayed is the session answered from, nil when not replaying;
	// Exchanges how many of its exchanges can answer.
	Replayed  *recordings.Session
	Exchanges int
	// Recording is the session the mock's traffic goes to, nil when not
	// recording.
	Recording *recordings.Session
	record    recordings.Store
	replay    mock.Responder
	sink      recordings.Sink
}

// Into adds the attached replay responder and recording sink to o: the
// same ones again when the mock's settings change while it runs.
func (a *Attached) Into(o mock.Options) mock.Options {
	if a == nil {
		return o
	}
	if a.replay != nil {
		o.Responders = append([]mock.Responder{a.replay}, o.Responders...)
		o.LocalOriginsOnly = true // recorded data: no cross-site reads from other web pages
	}
	if a.sink != nil {
		if o.Sink != nil {
			o.Sink = recordings.Sinks{o.Sink, a.sink}
		} else {
			o.Sink = a.sink
		}
	}
	return o
}

// Lines says what was attached, one line each, for a banner or a log.
func (a *Attached) Lines(connectorName, recordInto string) []string {
	var out []string
	if a.Replayed != nil {
		out = append(out, fmt.Sprintf("Replaying session %q (%d exchanges) for %s", a.Replayed.Name, a.Exchanges, connectorName))
	}
	if a.Recording != nil {
		out = append(out, fmt.Sprintf("Recording the mock's traffic for %s into session %q of %s", connectorName, a.Recording.Name, recordInto))
	}
	return out
}

// End marks the recorded session complete. It is safe on nil and twice.
func (a *Attached) End(ctx context.Context) error {
	if a == nil || a.Recording == nil || a.record == nil {
		return nil
	}
	st := a.record
	a.record = nil
	if err := st.EndSession(context.WithoutCancel(ctx), a.Recording.ID, recordings.SessionComplete, ""); err != nil {
		return &workflow.Error{Kind: workflow.KindInfra, Message: "cannot close the recorded session: " + err.Error(), Fix: "check the recordings database", Err: err}
	}
	return nil
}

// Apply adds the replay responder and the recording sink for c to o.
func (m *Modes) Apply(ctx context.Context, c *connector.Connector, o mock.Options) (mock.Options, *Attached, error) {
	a := &Attached{}
	if m.Replay != nil {
		sess, err := m.session(ctx, c)
		if err != nil {
			return o, nil, err
		}
		matcher, err := recordings.LoadMatcher(ctx, m.Replay, sess.ID, recordings.MatchOptions{BasePath: c.BasePath})
		if err != nil {
			return o, nil, &workflow.Error{Kind: workflow.KindInfra, Message: "cannot read session " + sess.Name + ": " + err.Error(), Fix: "check the recordings database", Err: err}
		}
		ro := mock.ReplayOptions{Fallback: m.Fallback}
		if m.Spy != "" {
			spy, err := m.spyProxy(c, sess.ID)
			if err != nil {
				return o, nil, err
			}
			ro.Spy = spy
		}
		a.Replayed, a.Exchanges = sess, matcher.Len()
		a.replay = mock.NewReplay(matcher, ro)
	}
	if m.Record != nil {
		now := time.Now
		if m.Now != nil {
			now = m.Now
		}
		name := recorder.SessionName(c.Name+" mock", "", now())
		sess := &recordings.Session{Name: name, Connector: c.Name, Source: recordings.SourceMock, Rules: recordings.ConnectorRules(c)}
		err := m.Record.CreateSession(ctx, sess)
		// Two mocks of one connector started in the same second: number
		// the second one's session rather than fail.
		for n := 2; errors.Is(err, recordings.ErrExists) && n < 100; n++ {
			sess.Name = fmt.Sprintf("%s-%d", name, n)
			err = m.Record.CreateSession(ctx, sess)
		}
		if err != nil {
			kind := workflow.KindInfra
			if errors.Is(err, recordings.ErrExists) {
				kind = workflow.KindExists
			}
			return o, nil, &workflow.Error{Kind: kind, Message: "cannot create the recording session: " + err.Error(), Fix: "check the recordings database", Err: err}
		}
		a.Recording, a.record = sess, m.Record
		a.sink = mock.SessionSink(m.Record, sess.ID)
	}
	return a.Into(o), a, nil
}

// session is the named session, else the newest recorded for c.
func (m *Modes) session(ctx context.Context, c *connector.Connector) (*recordings.Session, error) {
	if m.Session != "" {
		s, err := recordings.PickSession(ctx, m.Replay, m.Session, "")
		if err != nil {
			return nil, sessionError(err)
		}
		return s, nil
	}
	ss, err := m.Replay.ListSessions(ctx, recordings.SessionFilter{Connector: c.Name})
	if err != nil {
		return nil, sessionError(err)
	}
	var best *recordings.Session
	for _, s := range ss {
		if best == nil || s.ID > best.ID {
			best = s
		}
	}
	if best == nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("no session recorded for connector %q", c.Name),
			Fix: "record one with connectorlab record or the Record screen, or name a session", Err: recordings.ErrNotFound}
	}
	return best, nil
}

func sessionError(err error) error {
	if errors.Is(err, recordings.ErrNotFound) {
		return &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Fix: "pick a session of the recordings database", Err: err}
	}
	return &workflow.Error{Kind: workflow.KindInfra, Message: "cannot read the sessions: " + err.Error(), Fix: "check the recordings database", Err: err}
}

// spyProxy is the recording proxy that takes replay misses to the live
// API and records them into the replayed session.
func (m *Modes) spyProxy(c *connector.Connector, sessionID int64) (*recordings.Proxy, error) {
	up, err := ParseSpy(m.Spy)
	if err != nil {
		return nil, err
	}
	set, err := recordings.AuthSet(c, "")
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "spy: " + err.Error(), Fix: "fix the connector's connection parameters", Err: err}
	}
	var params map[string]string
	if m.SpyParams != nil {
		if params, err = m.SpyParams(set); err != nil {
			return nil, err
		}
	}
	log := m.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	engine, _ := policy.New(c, policy.Options{Params: params, Upstream: up, Logger: log})
	p, err := recordings.NewProxy(recordings.ProxyOptions{
		Upstream: up, BasePath: c.BasePath, Sink: m.Replay, SessionID: sessionID, Connector: c.Name, Source: recordings.SourceSpy,
		Operation: recorder.OperationIDs(c), Auth: recordings.AuthFor(set, params), Policies: engine, Logger: log,
		AllowRemoteClients: m.AllowRemoteClients,
	})
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "spy: " + err.Error(), Fix: "check the spy URL", Err: err}
	}
	return p, nil
}

// Files are the database files of the CLI's modes.
type Files struct {
	Replay, Record string
	Spy            bool
}

// Open opens the databases of f into m (replay read-only unless spying
// or recording into it) and returns the function that closes them.
// A replay file that does not exist is the user's mistake, said before
// the store would make one.
func (f Files) Open(ctx context.Context, m *Modes, log *slog.Logger) (func(), error) {
	var replay, record *sqlite.Store
	closeAll := func() {
		if record != nil && record != replay {
			record.Close()
		}
		if replay != nil {
			replay.Close()
		}
	}
	var err error
	if f.Replay != "" {
		if _, err := os.Stat(f.Replay); errors.Is(err, fs.ErrNotExist) {
			return nil, workflow.Usage("replay "+f.Replay+": no such file", "record a session with 'connectorlab record' or 'connectorlab mock --record', or check the path")
		}
		readOnly := !f.Spy && f.Record != f.Replay
		if replay, err = sqlite.Open(ctx, f.Replay, sqlite.Options{ReadOnly: readOnly, Existing: true, Logger: log}); err != nil {
			return nil, &workflow.Error{Kind: workflow.KindInfra, Message: "replay: " + err.Error(), Fix: "check the recordings database", Err: err}
		}
		m.Replay = replay
	}
	if f.Record != "" {
		if f.Record == f.Replay {
			record = replay
		} else if record, err = sqlite.Open(ctx, f.Record, sqlite.Options{Logger: log, Spool: true}); err != nil { // as `record`: answers wait for a write(2), not a commit
			closeAll()
			return nil, &workflow.Error{Kind: workflow.KindInfra, Message: "record: " + err.Error(), Fix: "pick a database file in a folder you can write to", Err: err}
		}
		m.Record = record
	}
	return closeAll, nil
}
