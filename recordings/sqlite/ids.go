package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// Exchange ids. An exchange gets its id before it is inserted: a spooled
// exchange is answered (with its id in the ExchangeHeader) before its
// row exists. Each Store reserves a block of ids in the meta table
// (next_exchange_id) in one immediate transaction and hands them out; the
// next block starts past both the reservation and the largest stored id,
// so two processes writing the same file never pick the same id, and a
// killed process's unused ids are simply skipped. Every insert of an
// exchange by this package takes its id this way (ImportSession too), so
// SQLite's own rowid choice (largest + 1) never runs into an id a spool
// still holds. Close gives an unused remainder back when no one reserved
// after it, so ids stay dense across runs.

const (
	// idBlock: a reservation is a write transaction that every Record
	// waits behind (idMu), so it is rare: once per 8192 exchanges.
	idBlock   = 8192
	nextIDKey = "next_exchange_id"
)

// nextID is the id of the next exchange this store records.
func (s *Store) nextID(ctx context.Context) (int64, error) {
	s.idMu.Lock()
	defer s.idMu.Unlock()
	if s.idNext < s.idEnd {
		id := s.idNext
		s.idNext++
		return id, nil
	}
	var start int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		start, err = reserveIDs(tx, idBlock)
		return err
	}, nil)
	if err != nil {
		return 0, err
	}
	s.idNext, s.idEnd = start+1, start+idBlock
	return start, nil
}

// reserveIDs reserves n exchange ids inside tx and returns the first.
func reserveIDs(tx *sql.Tx, n int64) (int64, error) {
	start, err := storedNextID(tx)
	if err != nil {
		return 0, err
	}
	var top sql.NullInt64
	if err := tx.QueryRow("SELECT max(id) FROM exchanges").Scan(&top); err != nil {
		return 0, fmt.Errorf("reserve exchange ids: %w", err)
	}
	start = max(start, top.Int64+1)
	if err := setNextID(tx, start+n); err != nil {
		return 0, err
	}
	return start, nil
}

func storedNextID(q interface {
	QueryRow(string, ...any) *sql.Row
}) (int64, error) {
	var v []byte
	err := q.QueryRow("SELECT value FROM meta WHERE key = ?", nextIDKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reserve exchange ids: %w", err)
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil || n < 1 {
		return 1, nil // a damaged counter: max(id) + 1 still keeps ids unique
	}
	return n, nil
}

func setNextID(q interface {
	Exec(string, ...any) (sql.Result, error)
}, n int64) error {
	if _, err := q.Exec("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		nextIDKey, []byte(strconv.FormatInt(n, 10))); err != nil {
		return fmt.Errorf("reserve exchange ids: %w", err)
	}
	return nil
}

// giveBackIDs returns the unused rest of this store's block when nobody
// reserved after it (the writer queue is empty: Close calls it).
func (s *Store) giveBackIDs() {
	s.idMu.Lock()
	next, end := s.idNext, s.idEnd
	s.idMu.Unlock()
	if next >= end {
		return
	}
	tx, err := s.wdb.Begin()
	if err != nil {
		return
	}
	defer tx.Rollback()
	if cur, err := storedNextID(tx); err != nil || cur != end {
		return
	}
	if setNextID(tx, next) == nil {
		tx.Commit()
	}
}
