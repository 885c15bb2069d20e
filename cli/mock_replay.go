package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

// recordingModes holds the stores of --replay/--spy and --record.
type recordingModes struct {
	f        *mockFlags
	replay   *sqlite.Store
	record   *sqlite.Store
	sessions []int64 // sessions created by --record, ended on close
}

// openRecordingModes checks the replay/spy/record flags and opens their
// databases.
func (f *mockFlags) openRecordingModes(ctx context.Context, e *env, nPaths int) (*recordingModes, int) {
	m := &recordingModes{f: f}
	if f.replay == "" && (f.session != "" || f.fallback != "" || f.spy != "") {
		fmt.Fprintln(e.stderr, "connectorlab mock: --session, --fallback and --spy only apply with --replay FILE")
		return m, ExitUsage
	}
	if f.fallback != "" && f.fallback != "simulate" {
		fmt.Fprintf(e.stderr, "connectorlab mock: --fallback %q: the only fallback is simulate\n", f.fallback)
		return m, ExitUsage
	}
	if f.fallback != "" && f.spy != "" {
		fmt.Fprintln(e.stderr, "connectorlab mock: --fallback simulate and --spy both handle misses; choose one")
		return m, ExitUsage
	}
	if f.session != "" && nPaths > 1 {
		fmt.Fprintln(e.stderr, "connectorlab mock: --session names one session; with several connectors leave it out and each replays its latest session")
		return m, ExitUsage
	}
	if f.spy != "" {
		if u, err := url.Parse(f.spy); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			fmt.Fprintf(e.stderr, "connectorlab mock: --spy %q: give the live API's base URL, e.g. https://api.example.com/v1\n", f.spy)
			return m, ExitUsage
		}
	}
	var err error
	if f.replay != "" {
		// A missing file is the user's mistake, said as such, before the
		// store reports it its own way (or, writing for --spy, makes it).
		if _, err := os.Stat(f.replay); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(e.stderr, "connectorlab mock: --replay %s: no such file (record a session with 'connectorlab record' or 'connectorlab mock --record', or check the path)\n", f.replay)
			return m, ExitUsage
		}
		// Only --spy (and --record into the same file) writes to it; plain
		// replay reads, so a read-only file, directory or mount serves.
		readOnly := f.spy == "" && f.record != f.replay
		if m.replay, err = sqlite.Open(ctx, f.replay, sqlite.Options{ReadOnly: readOnly, Existing: true, Logger: e.log}); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock: --replay:", err)
			return m, ExitInfra
		}
	}
	if f.record != "" {
		if f.record == f.replay {
			m.record = m.replay
		} else if m.record, err = sqlite.Open(ctx, f.record, sqlite.Options{Logger: e.log}); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock: --record:", err)
			m.close(e)
			return m, ExitInfra
		}
	}
	return m, ExitOK
}

// options adds the replay Responder and the recording sink for c.
func (m *recordingModes) options(ctx context.Context, e *env, c *connector.Connector, base mock.Options) (mock.Options, int) {
	o := base
	if m.replay != nil {
		sess, err := m.session(ctx, c)
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock: --replay:", err)
			if errors.Is(err, recordings.ErrNotFound) {
				return o, ExitUsage
			}
			return o, ExitInfra
		}
		matcher, err := recordings.LoadMatcher(ctx, m.replay, sess.ID, recordings.MatchOptions{BasePath: c.BasePath})
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock: --replay:", err)
			return o, ExitInfra
		}
		ro := mock.ReplayOptions{Fallback: m.f.fallback == "simulate"}
		if m.f.spy != "" {
			spy, code := m.spyProxy(e, c, sess.ID)
			if code != ExitOK {
				return o, code
			}
			ro.Spy = spy
		}
		fmt.Fprintf(e.stdout, "Replaying session %q (%d exchanges) for %s\n", sess.Name, matcher.Len(), c.Name)
		o.Responders = append([]mock.Responder{mock.NewReplay(matcher, ro)}, o.Responders...)
		o.LocalOriginsOnly = true // recorded data: no cross-site reads from other web pages
	}
	if m.record != nil {
		sess := &recordings.Session{Name: recorder.SessionName(c.Name+" mock", "", time.Now()), Connector: c.Name,
			Source: recordings.SourceMock, Rules: recordings.ConnectorRules(c)}
		if err := m.record.CreateSession(ctx, sess); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock: --record:", err)
			return o, ExitInfra
		}
		m.sessions = append(m.sessions, sess.ID)
		fmt.Fprintf(e.stdout, "Recording the mock's traffic for %s into session %q of %s\n", c.Name, sess.Name, m.f.record)
		sink := mock.SessionSink(m.record, sess.ID)
		if o.Sink != nil {
			o.Sink = recordings.Sinks{o.Sink, sink}
		} else {
			o.Sink = sink
		}
	}
	return o, ExitOK
}

// session is --session, else the newest session recorded for c.
func (m *recordingModes) session(ctx context.Context, c *connector.Connector) (*recordings.Session, error) {
	if m.f.session != "" {
		return m.replay.SessionByName(ctx, m.f.session)
	}
	ss, err := m.replay.ListSessions(ctx, recordings.SessionFilter{Connector: c.Name})
	if err != nil {
		return nil, err
	}
	var best *recordings.Session
	for _, s := range ss {
		if best == nil || s.ID > best.ID {
			best = s
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%s has no session for connector %q (record one with connectorlab record, or name one with --session): %w", m.f.replay, c.Name, recordings.ErrNotFound)
	}
	return best, nil
}

// spyProxy is the recording proxy that takes replay misses to the live API
// and records them into the replayed session.
func (m *recordingModes) spyProxy(e *env, c *connector.Connector, sessionID int64) (*recordings.Proxy, int) {
	up, err := url.Parse(m.f.spy)
	if err != nil {
		return nil, ExitUsage
	}
	set, err := recordings.AuthSet(c, "")
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab mock: --spy:", err)
		return nil, ExitUsage
	}
	params, code := connectionParams(e, set, false)
	if code != ExitOK {
		return nil, code
	}
	engine, _ := policy.New(c, policy.Options{Params: params, Upstream: up, Logger: e.log})
	p, err := recordings.NewProxy(recordings.ProxyOptions{
		Upstream: up, BasePath: c.BasePath, Sink: m.replay, SessionID: sessionID, Connector: c.Name, Source: recordings.SourceSpy,
		Operation: recorder.OperationIDs(c),
		Auth:      recordings.AuthFor(set, params), Policies: engine, Logger: e.log,
		AllowRemoteClients: !mock.IsLoopback(m.f.host),
	})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab mock: --spy:", err)
		return nil, ExitUsage
	}
	return p, ExitOK
}

func (m *recordingModes) close(e *env) {
	ctx := context.Background()
	if m.record != nil {
		for _, id := range m.sessions {
			if err := m.record.EndSession(ctx, id, recordings.SessionComplete, ""); err != nil {
				fmt.Fprintln(e.stderr, "connectorlab mock: --record: end session:", err)
			}
		}
		if m.record != m.replay {
			m.record.Close()
		}
	}
	if m.replay != nil {
		m.replay.Close()
	}
}
