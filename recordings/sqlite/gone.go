package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// The database file can be deleted (rm, a cleanup script) or replaced
// (mv other.db rec.db, a sync tool) under a running recorder. SQLite keeps
// writing to the file it has open — gone for everyone else, or no longer
// the file at the path — and its -wal would be mixed into whatever file
// has the name now. So the writer checks, before each commit and on every
// checkpointer tick, that the path still names the file it opened; when
// not, it stops writing, copies what it has to a rescue file beside the
// path, renames the spool files still holding answered exchanges to the
// rescue file's spool names (its first open stores them), and reports
// ErrGone saying what happened and where the exchanges are.

// checkIdentity reports a deleted or replaced database file once: it marks
// the store broken (no more writes) and rescues the data. Called with the
// writer connection free (before a commit, or from the checkpointer).
func (s *Store) checkIdentity() error {
	if s.ident == nil {
		return nil
	}
	if err := s.goneErr(); err != nil {
		return err
	}
	t0 := time.Now().UnixNano()
	st, err := os.Stat(s.path)
	what := ""
	switch {
	case errors.Is(err, fs.ErrNotExist):
		what = "was deleted"
	case err != nil:
		return nil // cannot tell (a transient permission problem): keep going
	case !os.SameFile(st, s.ident):
		what = "was replaced by another file"
	default:
		for { // the latest start wins: checks run concurrently
			prev := s.identOK.Load()
			if t0 <= prev || s.identOK.CompareAndSwap(prev, t0) {
				break
			}
		}
		return nil
	}
	s.goneMu.Lock()
	defer s.goneMu.Unlock()
	if s.gone != nil {
		return s.gone
	}
	// Exchanges answered from the spool but not inserted yet are in the
	// spool files only: hold those files (none is removed, nothing more
	// is spooled) before the copy, so every row is in the copy or in a
	// held file — or both (inserted after the copy started: recovery
	// skips ids already stored).
	held := s.holdSpools()
	var n int64
	_ = s.wdb.QueryRow("SELECT count(*) FROM exchanges").Scan(&n)
	rescue := filepath.Join(filepath.Dir(s.path), strings.TrimSuffix(filepath.Base(s.path), filepath.Ext(s.path))+
		".rescued-"+time.Now().UTC().Format("20060102-150405")+filepath.Ext(s.path))
	where := ""
	if f, err := os.OpenFile(rescue, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close() // private, like the database; VACUUM INTO fills an empty file
	}
	if _, err := s.wdb.Exec("VACUUM INTO ?", rescue); err != nil {
		where = fmt.Sprintf("they could not be saved (%v) and are lost when this program exits", err)
	} else {
		// The held spool files go with the copy (renamed to its spool
		// names), where its next open stores them; left beside the gone
		// path, the next open of whatever file has that name would take
		// them.
		copied, more := s.handOverSpools(held, rescue)
		if copied >= 0 {
			n = copied
		}
		where = "they were saved to " + rescue + " (read it with --db " + rescue + ")"
		if more > 0 {
			n += int64(more)
			where = fmt.Sprintf("%s; %d of them were answered but not yet inserted: they are in its spool (%s-spool-*), which the first open of %s stores", where, more, rescue, rescue)
		}
	}
	// Our -wal and -shm must not stay beside the file that has the name
	// now: whoever opens it would replay our WAL into it. Unlinking them
	// is safe for us (our open files keep working); a -wal that is not
	// ours (the new file's) is left alone.
	for side, was := range s.sides {
		if st, err := os.Stat(side); err == nil && os.SameFile(st, was) {
			os.Remove(side)
		}
	}
	s.gone = fmt.Errorf("%s %s while recording: %w; nothing more is recorded; %d exchanges were stored until then: %s; the file now at %s, if any, was not touched", s.path, what, recordings.ErrGone, n, where, s.path)
	s.brokenMu.Lock()
	if s.broken == nil {
		s.broken = s.gone
	}
	s.brokenMu.Unlock()
	if s.sp != nil {
		s.sp.mu.Lock()
		s.sp.off = s.gone
		s.sp.mu.Unlock()
	}
	s.log.Error("database file gone", "db", s.path, "what", what, "exchanges", n, "rescue", rescue)
	close(s.goneCh)
	return s.gone
}

// identityCovered reports whether a check that found the file in place
// started after the exchange did. Then the file was still there while the
// exchange was in flight, which is all a check of its own before its
// answer would establish: a file deleted after that is the case of an
// exchange in flight at the deletion, whose row the rescue takes from the
// spool (the commit of its batch checks again). Wall-clock times: a clock
// stepped back between a check and an exchange's start can let one
// exchange skip its stat; it is then answered and rescued like one in
// flight. Under load nearly every
// exchange is covered so — one stat per many exchanges instead of one
// each (a stat was 2 % of the recorder's CPU at 200 connections) — while
// an exchange that starts after the deletion always finds it.
func (s *Store) identityCovered(started time.Time) bool {
	return s.ident != nil && !started.IsZero() && started.UnixNano() < s.identOK.Load()
}

func (s *Store) goneErr() error {
	s.goneMu.Lock()
	defer s.goneMu.Unlock()
	return s.gone
}

// Gone is closed when the database file was deleted or replaced while the
// store had it open; GoneErr then says what happened and where the
// exchanges are. A recorder stops on it.
func (s *Store) Gone() <-chan struct{} { return s.goneCh }

// GoneErr is the ErrGone error once Gone is closed, else nil.
func (s *Store) GoneErr() error { return s.goneErr() }

// holdSpools makes the spool files that may hold exchanges not yet
// inserted stay (keep) and stops spooling; it returns them.
func (s *Store) holdSpools() []*spoolFile {
	sp := s.sp
	if sp == nil {
		return nil
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.off = fmt.Errorf("write %s: %w", s.path, recordings.ErrGone)
	var held []*spoolFile
	if sp.cur != nil {
		held = append(held, sp.cur)
	}
	held = append(held, sp.old...)
	for _, sf := range held {
		sf.keep = true
	}
	return held
}

// handOverSpools renames the held spool files to spool names of the
// rescue copy (RESCUE-spool-PID-N, what recoverSpools looks for) and
// counts the exchanges in the copy (-1 when it cannot tell) and those only
// in the spool files. The files stay flock'ed by this process until Close,
// so nobody stores them while we run.
func (s *Store) handOverSpools(held []*spoolFile, rescue string) (copied int64, more int) {
	copied = -1
	if len(held) == 0 {
		return copied, 0
	}
	sp := s.sp
	prefix := filepath.Base(s.path) + "-spool-"
	var names []string
	sp.mu.Lock()
	for _, sf := range held {
		to := rescue + "-spool-" + strings.TrimPrefix(filepath.Base(sf.name), prefix)
		if _, err := os.Lstat(to); err == nil {
			s.log.Error("spool not handed to the rescue copy: the name is taken", "spool", sf.name, "to", to)
			continue
		}
		if err := os.Rename(sf.name, to); err != nil {
			s.log.Error("spool not handed to the rescue copy", "spool", sf.name, "to", to, "err", err)
			continue
		}
		sf.name = to
		names = append(names, to)
	}
	sp.mu.Unlock()
	// Which spooled ids the copy lacks: read the files (every record in
	// them was written whole under sp.mu) and look the ids up in the copy.
	ids := map[int64]bool{}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		rows, _, _ := readSpool(f, name)
		f.Close()
		for _, row := range rows {
			if id, ok := row[0].(int64); ok {
				ids[id] = true
			}
		}
	}
	if _, err := s.wdb.Exec("ATTACH ? AS rescue", rescue); err != nil {
		return copied, len(ids)
	}
	defer s.wdb.Exec("DETACH rescue")
	if err := s.wdb.QueryRow("SELECT count(*) FROM rescue.exchanges").Scan(&copied); err != nil {
		copied = -1
	}
	for id := range ids {
		var k int
		if err := s.wdb.QueryRow("SELECT count(*) FROM rescue.exchanges WHERE id = ?", id).Scan(&k); err == nil && k == 0 {
			more++
		}
	}
	return copied, more
}
