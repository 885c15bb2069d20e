package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// Record implements recordings.Sink: it caps and redacts x in place (so
// whoever looks at x afterwards sees what was stored), sets x.ID, writes
// it and returns once the transaction holding it committed — or, with
// Options.Spool, once it is in the spool file (see spool.go).
func (s *Store) Record(ctx context.Context, x *recordings.Exchange) error {
	if x == nil {
		return errors.New("record exchange: nil exchange")
	}
	if x.SessionID == 0 {
		return errors.New("record exchange: no session (set Exchange.SessionID to a session made with CreateSession)")
	}
	if err := s.prepare(ctx, x); err != nil {
		s.noteFailure(x.SessionID, err)
		return err
	}
	id, err := s.nextID(ctx)
	if err != nil {
		s.noteFailure(x.SessionID, err)
		return err
	}
	x.ID = id
	row, err := exchangeRow(x)
	if err != nil {
		x.ID = 0
		return err
	}
	size := int64(len(x.Request.Body)+len(x.Response.Body)) + 1024
	if s.sp != nil && s.asyncError() == nil {
		if err := s.spoolRecord(x, row, size); err == nil {
			return nil
		}
		// The spool could not take it (logged): store it the old way.
	}
	err = s.submit(ctx, &job{row: row, size: size, fail: func() { x.ID = 0 }})
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return fmt.Errorf("record exchange: session %d does not exist: %w", x.SessionID, recordings.ErrNotFound)
	}
	if err != nil {
		s.noteFailure(x.SessionID, err)
	}
	return err
}

// Redact implements recordings.Exchanges.
func (s *Store) Redact(ctx context.Context, x *recordings.Exchange) error {
	r, err := s.redactor(ctx, x.SessionID)
	if err != nil {
		return err
	}
	r.Redact(x)
	return nil
}

// prepare fills Size/SHA256, applies the body cap and redacts.
func (s *Store) prepare(ctx context.Context, x *recordings.Exchange) error {
	s.capBodies(x)
	return s.Redact(ctx, x)
}

// capBodies fills Size/SHA256, applies the body cap and the start time.
func (s *Store) capBodies(x *recordings.Exchange) {
	limit := s.opts.Limits.BodyCap
	if limit <= 0 {
		limit = recordings.DefaultBodyCap
	}
	for _, m := range []*recordings.Message{&x.Request.Message, &x.Response.Message} {
		if len(m.Body) > 0 && m.SHA256 == "" {
			sum := sha256.Sum256(m.Body)
			m.SHA256, m.Size = hex.EncodeToString(sum[:]), int64(len(m.Body))
		}
		if int64(len(m.Body)) > limit {
			m.Body, m.Truncated = m.Body[:limit], true
		}
	}
	if x.StartedAt.IsZero() {
		x.StartedAt = time.Now().UTC()
	}
}

const insertExchange = `INSERT INTO exchanges(id, session_id, source, connector, operation_id, started_at, duration_ns, upstream_ns,
	method, url, path, req_headers, req_body, req_size, req_sha256, req_truncated, req_encoding, req_wire_size,
	status, resp_headers, resp_body, resp_size, resp_sha256, resp_truncated, resp_encoding, resp_wire_size,
	error, notes, redactions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

func exchangeRow(x *recordings.Exchange) ([]any, error) {
	// The four JSON columns are encoded into one buffer and made one
	// string, which the columns slice (one allocation, not four plus
	// encoding/json's).
	var small [1024]byte
	b := appendHeaderJSON(small[:0], x.Request.Header)
	a := len(b)
	b = appendHeaderJSON(b, x.Response.Header)
	c := len(b)
	b = appendNotesJSON(b, x.Notes)
	d := len(b)
	b = appendRedactionsJSON(b, x.Redactions)
	all := string(b)
	rh, sh, notes, reds := all[:a], all[a:c], all[c:d], all[d:]
	path, ok := urlPathFast(x.Request.URL)
	if !ok {
		path = urlPath(x.Request.URL)
	}
	return []any{x.ID, x.SessionID, string(x.Source), x.Connector, x.OperationID, nanos(x.StartedAt), int64(x.Duration), int64(x.Upstream),
		x.Request.Method, x.Request.URL, path,
		rh, blob(x.Request.Body), x.Request.Size, x.Request.SHA256, x.Request.Truncated, x.Request.Encoding, x.Request.WireSize,
		x.Response.Status, sh, blob(x.Response.Body), x.Response.Size, x.Response.SHA256, x.Response.Truncated, x.Response.Encoding, x.Response.WireSize,
		x.Error, notes, reds}, nil
}

func blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

const exchangeCols = `id, session_id, source, connector, operation_id, started_at, duration_ns, upstream_ns,
	method, url, req_headers, %s, req_size, req_sha256, req_truncated, req_encoding, req_wire_size,
	status, resp_headers, %s, resp_size, resp_sha256, resp_truncated, resp_encoding, resp_wire_size,
	error, notes, redactions`

func cols(noBodies bool) string {
	if noBodies {
		return fmt.Sprintf(exchangeCols, "NULL", "NULL")
	}
	return fmt.Sprintf(exchangeCols, "req_body", "resp_body")
}

func scanExchange(sc interface{ Scan(...any) error }) (*recordings.Exchange, error) {
	var (
		x                   recordings.Exchange
		src                 string
		start, dur, up      int64
		rh, sh, notes, reds string
		rb, sb              []byte
	)
	err := sc.Scan(&x.ID, &x.SessionID, &src, &x.Connector, &x.OperationID, &start, &dur, &up,
		&x.Request.Method, &x.Request.URL, &rh, &rb, &x.Request.Size, &x.Request.SHA256, &x.Request.Truncated, &x.Request.Encoding, &x.Request.WireSize,
		&x.Response.Status, &sh, &sb, &x.Response.Size, &x.Response.SHA256, &x.Response.Truncated, &x.Response.Encoding, &x.Response.WireSize,
		&x.Error, &notes, &reds)
	if err != nil {
		return nil, err
	}
	x.Source = recordings.Source(src)
	x.StartedAt, x.Duration, x.Upstream = fromNanos(start), time.Duration(dur), time.Duration(up)
	x.Request.Body, x.Response.Body = rb, sb
	_ = json.Unmarshal([]byte(rh), &x.Request.Header)
	_ = json.Unmarshal([]byte(sh), &x.Response.Header)
	if len(x.Request.Header) == 0 {
		x.Request.Header = nil
	}
	if len(x.Response.Header) == 0 {
		x.Response.Header = nil
	}
	_ = json.Unmarshal([]byte(notes), &x.Notes)
	_ = json.Unmarshal([]byte(reds), &x.Redactions)
	if len(x.Notes) == 0 {
		x.Notes = nil
	}
	if len(x.Redactions) == 0 {
		x.Redactions = nil
	}
	return &x, nil
}

// Exchange implements recordings.Exchanges.
func (s *Store) Exchange(ctx context.Context, id int64) (*recordings.Exchange, error) {
	s.settle(ctx)
	x, err := scanExchange(s.rdb.QueryRowContext(ctx, "SELECT "+cols(false)+" FROM exchanges WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("exchange %d: %w", id, recordings.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap("read exchange", err)
	}
	return x, nil
}

func exchangeWhere(f recordings.ExchangeFilter, withCursor bool) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.SessionID != 0 {
		add("session_id = ?", f.SessionID)
	}
	if f.OperationID != "" {
		add("operation_id = ?", f.OperationID)
	}
	if f.Method != "" {
		add("method = ?", strings.ToUpper(f.Method))
	}
	if f.PathPrefix != "" {
		add("substr(path, 1, ?) = ?", len(f.PathPrefix), f.PathPrefix)
	}
	if f.MinStatus != 0 {
		add("status >= ?", f.MinStatus)
	}
	if f.MaxStatus != 0 {
		add("status <= ?", f.MaxStatus)
	}
	if f.Failed {
		add("error != ''")
	}
	if f.Source != "" {
		add("source = ?", string(f.Source))
	}
	if withCursor && f.After != 0 {
		if f.Desc {
			add("id < ?", f.After)
		} else {
			add("id > ?", f.After)
		}
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListExchanges implements recordings.Exchanges (keyset pagination on id).
func (s *Store) ListExchanges(ctx context.Context, f recordings.ExchangeFilter) (recordings.ExchangePage, error) {
	s.settle(ctx)
	where, args := exchangeWhere(f, true)
	q := "SELECT " + cols(f.NoBodies) + " FROM exchanges" + where + " ORDER BY id"
	if f.Desc {
		q += " DESC"
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit+1)
	}
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return recordings.ExchangePage{}, s.wrap("list exchanges", err)
	}
	defer rows.Close()
	var page recordings.ExchangePage
	for rows.Next() {
		x, err := scanExchange(rows)
		if err != nil {
			return recordings.ExchangePage{}, s.wrap("list exchanges", err)
		}
		page.Exchanges = append(page.Exchanges, x)
	}
	if err := rows.Err(); err != nil {
		return recordings.ExchangePage{}, s.wrap("list exchanges", err)
	}
	if f.Limit > 0 && len(page.Exchanges) > f.Limit {
		page.Exchanges = page.Exchanges[:f.Limit]
		page.Next = page.Exchanges[f.Limit-1].ID
	}
	return page, nil
}

// CountExchanges implements recordings.Exchanges (After is ignored).
func (s *Store) CountExchanges(ctx context.Context, f recordings.ExchangeFilter) (int, error) {
	s.settle(ctx)
	where, args := exchangeWhere(f, false)
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM exchanges"+where, args...).Scan(&n); err != nil {
		return 0, s.wrap("count exchanges", err)
	}
	return n, nil
}
