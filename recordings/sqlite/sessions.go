package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// CreateSession implements recordings.Sessions.
func (s *Store) CreateSession(ctx context.Context, sess *recordings.Session) error {
	name := strings.TrimSpace(sess.Name)
	if name == "" {
		return errors.New("create session: the name is empty")
	}
	if sess.StartedAt.IsZero() {
		sess.StartedAt = time.Now().UTC()
	}
	if sess.Status == "" {
		sess.Status = recordings.SessionOpen
	}
	tags, _ := json.Marshal(nonNil(sess.Tags))
	rules, _ := json.Marshal(sess.Rules)
	host := thisHost()
	pid := 0
	if sess.Status == recordings.SessionOpen {
		pid = os.Getpid()
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO sessions(name, connector, upstream, source, started_at, ended_at, status, problem, best_effort, tags, rules, writer_pid, writer_host)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			name, sess.Connector, sess.Upstream, string(sess.Source), nanos(sess.StartedAt), nanos(sess.EndedAt),
			string(sess.Status), sess.Problem, sess.BestEffort, string(tags), string(rules), pid, host)
		if err != nil {
			return s.wrap("create session", err)
		}
		id, err = res.LastInsertId()
		return err
	}, nil)
	if err != nil {
		if errors.Is(err, recordings.ErrExists) {
			return fmt.Errorf("create session %q: %w: choose another --session name or remove the old one (connectorlab recordings rm %q)", name, recordings.ErrExists, name)
		}
		return err
	}
	sess.ID, sess.Name = id, name
	s.redMu.Lock()
	delete(s.redactors, id)
	if len(sess.Rules.Secrets) > 0 {
		s.secrets[id] = append([]string(nil), sess.Rules.Secrets...)
	}
	s.redMu.Unlock()
	return nil
}

// EndSession implements recordings.Sessions. An incomplete session stays
// incomplete: ending it "complete" later keeps the first problem.
func (s *Store) EndSession(ctx context.Context, id int64, status recordings.SessionStatus, problem string) error {
	switch status {
	case recordings.SessionComplete, recordings.SessionIncomplete:
	default:
		return fmt.Errorf("end session %d: status %q (want complete or incomplete)", id, status)
	}
	s.settle(ctx) // spooled exchanges' failures are known once they are settled
	if p := s.failureProblem(id); p != "" && status == recordings.SessionComplete {
		status, problem = recordings.SessionIncomplete, p
	}
	now := time.Now().UTC().UnixNano()
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE sessions SET
				ended_at = CASE WHEN ? = 'complete' OR ended_at = 0 THEN ? ELSE ended_at END,
				status = CASE WHEN status = 'incomplete' THEN 'incomplete' ELSE ? END,
				problem = CASE WHEN status = 'incomplete' AND problem != '' THEN problem ELSE ? END,
				writer_pid = 0
			WHERE id = ?`, string(status), now, string(status), problem, id)
		if err != nil {
			return s.wrap("end session", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("end session %d: %w", id, recordings.ErrNotFound)
		}
		return nil
	}, nil)
}

const sessionCols = `s.id, s.name, s.connector, s.upstream, s.source, s.started_at, s.ended_at, s.status, s.problem, s.best_effort, s.tags, s.rules,
	s.writer_pid, s.writer_host, (SELECT count(*) FROM exchanges e WHERE e.session_id = s.id)`

func scanSession(sc interface{ Scan(...any) error }) (*recordings.Session, error) {
	var (
		x           recordings.Session
		src, st     string
		start, end  int64
		tags, rules string
		bestEffort  bool
		pid         int
		host        string
	)
	if err := sc.Scan(&x.ID, &x.Name, &x.Connector, &x.Upstream, &src, &start, &end, &st, &x.Problem, &bestEffort, &tags, &rules, &pid, &host, &x.Exchanges); err != nil {
		return nil, err
	}
	if st == string(recordings.SessionOpen) && pid > 0 && pid != os.Getpid() && host == thisHost() && !processAlive(pid) {
		// A read-only view cannot mark it, but must not call it open.
		st, x.Problem = string(recordings.SessionIncomplete), interruptedProblem
	}
	x.Source, x.Status, x.BestEffort = recordings.Source(src), recordings.SessionStatus(st), bestEffort
	x.StartedAt, x.EndedAt = fromNanos(start), fromNanos(end)
	_ = json.Unmarshal([]byte(tags), &x.Tags)
	_ = json.Unmarshal([]byte(rules), &x.Rules)
	return &x, nil
}

// Session implements recordings.Sessions.
func (s *Store) Session(ctx context.Context, id int64) (*recordings.Session, error) {
	s.settle(ctx)
	x, err := scanSession(s.rdb.QueryRowContext(ctx, "SELECT "+sessionCols+" FROM sessions s WHERE s.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session %d: %w", id, recordings.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap("read session", err)
	}
	return x, nil
}

// SessionByName implements recordings.Sessions.
func (s *Store) SessionByName(ctx context.Context, name string) (*recordings.Session, error) {
	s.settle(ctx)
	x, err := scanSession(s.rdb.QueryRowContext(ctx, "SELECT "+sessionCols+" FROM sessions s WHERE s.name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("session %q: %w", name, recordings.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap("read session", err)
	}
	return x, nil
}

// ListSessions implements recordings.Sessions: newest first.
func (s *Store) ListSessions(ctx context.Context, f recordings.SessionFilter) ([]*recordings.Session, error) {
	s.settle(ctx)
	var where []string
	var args []any
	if f.Connector != "" {
		where, args = append(where, "s.connector = ?"), append(args, f.Connector)
	}
	if f.Status != "" {
		where, args = append(where, "s.status = ?"), append(args, string(f.Status))
	}
	if f.Tag != "" {
		where, args = append(where, "EXISTS (SELECT 1 FROM json_each(s.tags) WHERE value = ?)"), append(args, f.Tag)
	}
	if f.NameContains != "" {
		where, args = append(where, "instr(lower(s.name), lower(?)) > 0"), append(args, f.NameContains)
	}
	q := "SELECT " + sessionCols + " FROM sessions s"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY s.started_at DESC, s.id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrap("list sessions", err)
	}
	defer rows.Close()
	var out []*recordings.Session
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, s.wrap("list sessions", err)
		}
		out = append(out, x)
	}
	return out, s.wrap("list sessions", rows.Err())
}

// RenameSession implements recordings.Sessions.
func (s *Store) RenameSession(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("rename session: the new name is empty")
	}
	err := s.updateSession(ctx, "rename session", id, "UPDATE sessions SET name = ? WHERE id = ?", name, id)
	if errors.Is(err, recordings.ErrExists) {
		return fmt.Errorf("rename session %d to %q: %w (another session has that name)", id, name, recordings.ErrExists)
	}
	return err
}

// SetSessionTags implements recordings.Sessions.
func (s *Store) SetSessionTags(ctx context.Context, id int64, tags []string) error {
	b, _ := json.Marshal(nonNil(tags))
	return s.updateSession(ctx, "tag session", id, "UPDATE sessions SET tags = ? WHERE id = ?", string(b), id)
}

// DeleteSession implements recordings.Sessions. secure_delete zeroes the
// freed pages, so deleted content does not linger in the file.
func (s *Store) DeleteSession(ctx context.Context, id int64) error {
	err := s.updateSession(ctx, "delete session", id, "DELETE FROM sessions WHERE id = ?", id)
	if err == nil {
		s.redMu.Lock()
		delete(s.redactors, id)
		delete(s.secrets, id)
		s.redMu.Unlock()
	}
	return err
}

func (s *Store) updateSession(ctx context.Context, op string, id int64, q string, args ...any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(q, args...)
		if err != nil {
			return s.wrap(op, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%s %d: %w", op, id, recordings.ErrNotFound)
		}
		return nil
	}, nil)
}

// redactor returns the redactor of a session: defaults, store rules,
// session rules and the session's in-memory secrets.
func (s *Store) redactor(ctx context.Context, sessionID int64) (*recordings.Redactor, error) {
	s.redMu.Lock()
	r := s.redactors[sessionID]
	secrets := s.secrets[sessionID]
	s.redMu.Unlock()
	if r != nil {
		return r, nil
	}
	rules := []recordings.Rules{recordings.DefaultRules(), s.opts.Rules}
	if sessionID != 0 {
		sess, err := s.Session(ctx, sessionID)
		if err != nil {
			return nil, err
		}
		rules = append(rules, sess.Rules, recordings.Rules{Secrets: secrets})
	}
	r = recordings.NewRedactor(s.key, rules...)
	s.redMu.Lock()
	s.redactors[sessionID] = r
	s.redMu.Unlock()
	return r, nil
}

const interruptedProblem = "the recorder stopped without ending the session (killed or crashed); every exchange it acknowledged is stored"

func thisHost() string {
	h, _ := os.Hostname()
	return h
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// DeleteExchange removes one exchange of a session (a bad call that
// should not be replayed); findings that named it keep their run but lose
// the link. It is ErrNotFound when the session has no exchange id.
func (s *Store) DeleteExchange(ctx context.Context, sessionID, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec("DELETE FROM exchanges WHERE id = ? AND session_id = ?", id, sessionID)
		if err != nil {
			return s.wrap("delete exchange", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("delete exchange %d of session %d: %w", id, sessionID, recordings.ErrNotFound)
		}
		return nil
	}, nil)
}
