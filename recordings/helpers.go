package recordings

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SessionSink is a Sink that records into one session of a store: it sets
// Exchange.SessionID (and Source, when empty) before Record. The mock's
// --record and --spy hand their traffic to one of these.
func SessionSink(s Exchanges, sessionID int64, source Source) Sink {
	return SinkFunc(func(ctx context.Context, x *Exchange) error {
		x.SessionID = sessionID
		if x.Source == "" {
			x.Source = source
		}
		return s.Record(ctx, x)
	})
}

// PickSession finds the session a command means: ref is a session name or
// numeric id ("#12" too); an empty ref picks the newest session of the
// connector (complete ones first), or the newest of all when connector is
// empty. Errors wrap ErrNotFound and name what was looked for.
func PickSession(ctx context.Context, s Sessions, ref, connector string) (*Session, error) {
	if ref != "" {
		sess, err := s.SessionByName(ctx, ref)
		if err == nil || !errors.Is(err, ErrNotFound) {
			return sess, err
		}
		if id, perr := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); perr == nil {
			if sess, err := s.Session(ctx, id); err == nil {
				return sess, nil
			}
		}
		return nil, fmt.Errorf("no session named %q (list them with 'connectorlab recordings ls'): %w", ref, ErrNotFound)
	}
	list, err := s.ListSessions(ctx, SessionFilter{Connector: connector})
	if err != nil {
		return nil, err
	}
	for _, sess := range list {
		if sess.Status == SessionComplete && sess.Exchanges > 0 {
			return sess, nil
		}
	}
	for _, sess := range list {
		if sess.Exchanges > 0 {
			return sess, nil
		}
	}
	if connector != "" {
		return nil, fmt.Errorf("no recorded session of connector %q (record one with 'connectorlab record', or give --session): %w", connector, ErrNotFound)
	}
	return nil, fmt.Errorf("no recorded session (record one with 'connectorlab record'): %w", ErrNotFound)
}
