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
// path, and reports ErrGone saying what happened and where the exchanges
// are.

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
		return nil
	}
	s.goneMu.Lock()
	defer s.goneMu.Unlock()
	if s.gone != nil {
		return s.gone
	}
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
		where = "they were saved to " + rescue + " (read it with --db " + rescue + ")"
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
	s.log.Error("database file gone", "db", s.path, "what", what, "exchanges", n, "rescue", rescue)
	close(s.goneCh)
	return s.gone
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
