package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateRun implements recordings.Runs.
func (s *Store) CreateRun(ctx context.Context, r *recordings.Run) error {
	if r.StartedAt.IsZero() {
		r.StartedAt = time.Now().UTC()
	}
	if r.Status == "" {
		r.Status = "running"
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO runs(session_id, connector, kind, target, started_at, ended_at, status, total, passed, failed, errors, skipped, warnings, detail)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			nullID(r.SessionID), r.Connector, r.Kind, r.Target, nanos(r.StartedAt), nanos(r.EndedAt), r.Status,
			r.Total, r.Passed, r.Failed, r.Errors, r.Skipped, r.Warnings, blob(r.Detail))
		if err != nil {
			return s.wrap("create run", err)
		}
		id, err = res.LastInsertId()
		return err
	}, nil)
	if err != nil {
		return err
	}
	r.ID = id
	return nil
}

// UpdateRun implements recordings.Runs.
func (s *Store) UpdateRun(ctx context.Context, r *recordings.Run) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE runs SET ended_at = ?, status = ?, total = ?, passed = ?, failed = ?, errors = ?, skipped = ?, warnings = ?, detail = ? WHERE id = ?`,
			nanos(r.EndedAt), r.Status, r.Total, r.Passed, r.Failed, r.Errors, r.Skipped, r.Warnings, blob(r.Detail), r.ID)
		if err != nil {
			return s.wrap("update run", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("update run %d: %w", r.ID, recordings.ErrNotFound)
		}
		return nil
	}, nil)
}

const runCols = `id, coalesce(session_id, 0), connector, kind, target, started_at, ended_at, status, total, passed, failed, errors, skipped, warnings, detail`

func scanRun(sc interface{ Scan(...any) error }) (*recordings.Run, error) {
	var r recordings.Run
	var start, end int64
	if err := sc.Scan(&r.ID, &r.SessionID, &r.Connector, &r.Kind, &r.Target, &start, &end, &r.Status,
		&r.Total, &r.Passed, &r.Failed, &r.Errors, &r.Skipped, &r.Warnings, &r.Detail); err != nil {
		return nil, err
	}
	r.StartedAt, r.EndedAt = fromNanos(start), fromNanos(end)
	return &r, nil
}

// Run implements recordings.Runs.
func (s *Store) Run(ctx context.Context, id int64) (*recordings.Run, error) {
	r, err := scanRun(s.rdb.QueryRowContext(ctx, "SELECT "+runCols+" FROM runs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %d: %w", id, recordings.ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap("read run", err)
	}
	return r, nil
}

// ListRuns implements recordings.Runs: newest first.
func (s *Store) ListRuns(ctx context.Context, f recordings.RunFilter) ([]*recordings.Run, error) {
	var where []string
	var args []any
	if f.SessionID != 0 {
		where, args = append(where, "session_id = ?"), append(args, f.SessionID)
	}
	if f.Connector != "" {
		where, args = append(where, "connector = ?"), append(args, f.Connector)
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	q := "SELECT " + runCols + " FROM runs"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrap("list runs", err)
	}
	defer rows.Close()
	var out []*recordings.Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, s.wrap("list runs", err)
		}
		out = append(out, r)
	}
	return out, s.wrap("list runs", rows.Err())
}

// AddFindings implements recordings.Runs: all findings commit together.
func (s *Store) AddFindings(ctx context.Context, runID int64, fs []*recordings.Finding) error {
	for i, f := range fs {
		switch f.Level {
		case "error", "warning", "info":
		default:
			return fmt.Errorf("add findings: finding %d (%s) has level %q (want error, warning or info)", i, f.FindingID, f.Level)
		}
		if f.FindingID == "" {
			return fmt.Errorf("add findings: finding %d has no findingId", i)
		}
	}
	ids := make([]int64, len(fs))
	err := s.write(ctx, func(tx *sql.Tx) error {
		st, err := tx.Prepare(`INSERT INTO findings(run_id, finding_id, level, operation_id, exchange_id, message, pointer, detail) VALUES (?,?,?,?,?,?,?,?)`)
		if err != nil {
			return s.wrap("add findings", err)
		}
		defer st.Close()
		for i, f := range fs {
			res, err := st.Exec(runID, f.FindingID, f.Level, f.OperationID, nullID(f.ExchangeID), f.Message, f.Pointer, blob(f.Detail))
			if err != nil {
				if strings.Contains(err.Error(), "FOREIGN KEY") {
					return fmt.Errorf("add findings: run %d or exchange %d does not exist: %w", runID, f.ExchangeID, recordings.ErrNotFound)
				}
				return s.wrap("add findings", err)
			}
			ids[i], _ = res.LastInsertId()
		}
		return nil
	}, nil)
	if err != nil {
		return err
	}
	for i, f := range fs {
		f.ID, f.RunID = ids[i], runID
	}
	return nil
}

// ListFindings implements recordings.Runs, in insertion order.
func (s *Store) ListFindings(ctx context.Context, f recordings.FindingFilter) ([]*recordings.Finding, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.RunID != 0 {
		where, args = append(where, "run_id = ?"), append(args, f.RunID)
	}
	if f.Level != "" {
		where, args = append(where, "level = ?"), append(args, f.Level)
	}
	if f.OperationID != "" {
		where, args = append(where, "operation_id = ?"), append(args, f.OperationID)
	}
	q := "SELECT id, run_id, finding_id, level, operation_id, coalesce(exchange_id, 0), message, pointer, detail FROM findings WHERE " + strings.Join(where, " AND ") + " ORDER BY id"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrap("list findings", err)
	}
	defer rows.Close()
	var out []*recordings.Finding
	for rows.Next() {
		var x recordings.Finding
		if err := rows.Scan(&x.ID, &x.RunID, &x.FindingID, &x.Level, &x.OperationID, &x.ExchangeID, &x.Message, &x.Pointer, &x.Detail); err != nil {
			return nil, s.wrap("list findings", err)
		}
		out = append(out, &x)
	}
	return out, s.wrap("list findings", rows.Err())
}
