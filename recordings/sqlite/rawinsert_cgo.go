//go:build cgo

package sqlite

import (
	"context"
	"database/sql/driver"

	"github.com/mattn/go-sqlite3"
)

// rawWriter inserts batches of exchange rows straight through the
// driver's connection: database/sql converted and copied the 29 values
// of every row into a fresh []driver.NamedValue (1.2 KiB and ~0.7 µs per
// exchange, issue 17 profile) and wrapped each batch in Tx and Stmt
// bookkeeping. Only the committing goroutine uses it (one at a time).
//
// The insert runs through the statement's Query, not Exec: go-sqlite3
// binds and steps a query's positional arguments in one cgo crossing
// (the values copied into a C buffer), where Exec makes one crossing per
// column — 29 per exchange (bindValue was 1.9 µs per exchange). A
// statement without result rows executes on that first step; closing the
// rows resets it.
type rawWriter struct {
	conn *sqlite3.SQLiteConn
	ins  driver.StmtQueryContext
	cl   driver.Stmt
	args []driver.NamedValue
}

// rawInsert inserts the rows of batch (every job has one) in one
// transaction (a single row: autocommit). ok is false when the driver
// connection is not go-sqlite3's (then nothing was done).
func (s *Store) rawInsert(batch []*job) (ok bool, err error) {
	ctx := context.Background() // no Done: the driver runs the statement inline
	c, err := s.wdb.Conn(ctx)
	if err != nil {
		return true, err
	}
	defer c.Close()
	ok = true
	err = c.Raw(func(dc any) error {
		sc, isSQLite := dc.(*sqlite3.SQLiteConn)
		if !isSQLite {
			ok = false
			return nil
		}
		w := &s.raw
		if w.conn != sc {
			st, err := sc.Prepare(insertExchange)
			if err != nil {
				return err
			}
			if w.cl != nil {
				w.cl.Close()
			}
			w.conn, w.cl, w.ins = sc, st, st.(driver.StmtQueryContext)
		}
		multi := len(batch) > 1
		if multi {
			if _, err := sc.ExecContext(ctx, "BEGIN IMMEDIATE", nil); err != nil {
				return err
			}
		}
		for _, j := range batch {
			w.args = w.args[:0]
			for i, v := range j.row {
				if n, isInt := v.(int); isInt {
					v = int64(n)
				}
				w.args = append(w.args, driver.NamedValue{Ordinal: i + 1, Value: v})
			}
			rows, err := w.ins.QueryContext(ctx, w.args)
			if err == nil {
				err = rows.Close()
			}
			if err != nil {
				if multi {
					sc.ExecContext(ctx, "ROLLBACK", nil)
				}
				clear(w.args) // hold no bodies past the batch
				return err
			}
		}
		clear(w.args)
		if multi {
			if _, err := sc.ExecContext(ctx, "COMMIT", nil); err != nil {
				sc.ExecContext(ctx, "ROLLBACK", nil)
				return err
			}
		}
		return nil
	})
	return ok, err
}

// closeRaw finalizes the raw insert statement (before the writer closes).
func (s *Store) closeRaw() {
	if s.raw.cl == nil {
		return
	}
	c, err := s.wdb.Conn(context.Background())
	if err != nil {
		return
	}
	defer c.Close()
	c.Raw(func(any) error { return s.raw.cl.Close() })
	s.raw = rawWriter{}
}
