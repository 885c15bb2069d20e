package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// ImportSession creates sess and stores all of xs in one transaction, so
// an import that is killed or fails half way leaves nothing behind (no
// half-imported session that looks like a recording). The session is
// complete when it appears at all.
func (s *Store) ImportSession(ctx context.Context, sess *recordings.Session, xs []*recordings.Exchange) (int, error) {
	name := strings.TrimSpace(sess.Name)
	if name == "" {
		return 0, errors.New("import session: the name is empty")
	}
	if sess.StartedAt.IsZero() {
		sess.StartedAt = time.Now().UTC()
		for _, x := range xs {
			if !x.StartedAt.IsZero() && x.StartedAt.Before(sess.StartedAt) {
				sess.StartedAt = x.StartedAt
			}
		}
	}
	sess.Status, sess.Problem, sess.EndedAt = recordings.SessionComplete, "", time.Now().UTC()
	red := recordings.NewRedactor(s.key, recordings.DefaultRules(), s.opts.Rules, sess.Rules)
	for _, x := range xs {
		x.ID = 0
		if x.Source == "" {
			x.Source = recordings.SourceImport
		}
		s.capBodies(x)
		red.Redact(x)
	}
	tags, _ := json.Marshal(nonNil(sess.Tags))
	rules, _ := json.Marshal(sess.Rules)
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO sessions(name, connector, upstream, source, started_at, ended_at, status, problem, best_effort, tags, rules, writer_pid, writer_host)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?)`,
			name, sess.Connector, sess.Upstream, string(sess.Source), nanos(sess.StartedAt), nanos(sess.EndedAt),
			string(sess.Status), "", sess.BestEffort, string(tags), string(rules), thisHost())
		if err != nil {
			return s.wrap("import session", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		first, err := reserveIDs(tx, int64(len(xs)))
		if err != nil {
			return s.wrap("import session", err)
		}
		ins := tx.Stmt(s.insert)
		for i, x := range xs {
			x.SessionID, x.ID = id, first+int64(i)
			row, err := exchangeRow(x)
			if err != nil {
				return fmt.Errorf("exchange %d: %w", i+1, err)
			}
			if _, err := ins.Exec(row...); err != nil {
				return s.wrap(fmt.Sprintf("import exchange %d", i+1), err)
			}
		}
		return nil
	}, func() {
		for _, x := range xs {
			x.ID = 0
		}
	})
	if err != nil {
		if errors.Is(err, recordings.ErrExists) {
			return 0, fmt.Errorf("import session %q: %w: choose another --session name or remove the old one (connectorlab recordings rm %q)", name, recordings.ErrExists, name)
		}
		return 0, fmt.Errorf("import session %q: nothing was imported: %w", name, err)
	}
	sess.ID, sess.Name = id, name
	return len(xs), nil
}
