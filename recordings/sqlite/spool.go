package sqlite

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/connectorlab/connectorlab/recordings"
)

// The spool (Options.Spool). Without it Record returns when the SQLite
// transaction holding the exchange committed: the no-loss-on-kill-9 rule
// (a client only sees an answer whose exchange is stored) then keeps
// every answer waiting for a group commit, which bounds a closed loop of
// clients by the commit latency (issue 17). With it Record appends the
// encoded row to a spool file with one write(2) and returns; the row is
// inserted by a background drainer in batches. What survives a kill -9
// is the same in both cases: what was handed to the kernel (WAL frames
// under synchronous=NORMAL, spool records here); neither survives an OS
// crash or power loss, which this store never promised (doc.go).
//
// Files: DB-spool-PID-GEN beside the database, each flock'ed by its
// process while open (a file nobody holds belongs to a process that is
// gone), starting with spoolMagic, then records:
//
//	u32 LE length of payload | u32 LE CRC-32C of payload | payload
//
// payload: the insert's values (id first), each a tag byte and its data
// (see appendValue). A file is removed once every exchange in it was
// committed and a newer file took over (every spoolRotate bytes), or on
// Close. A file with an exchange that could not be inserted is kept; the
// next writable Open (in any process) inserts what a file nobody holds
// contains, skipping ids already stored (INSERT OR IGNORE: replaying a
// file twice changes nothing), and reports a torn last record — one
// whose write(2) was cut short by the kill, so its client never had an
// answer — without failing.

const (
	spoolMagic  = "CLSPOOL1"
	spoolRotate = 8 << 20
	// maxSpoolRecord bounds a record's declared length: two body caps
	// and headers fit; anything larger is damage, not a record.
	maxSpoolRecord = 64 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type spool struct {
	mu   sync.Mutex
	base string // DB-spool-PID-
	gen  int
	cur  *spoolFile
	old  []*spoolFile // retired, waiting for their exchanges
	buf  []byte       // encoding buffer, reused under mu
	// off, once a spool file could not be created (a directory we cannot
	// write, no space), makes Record answer after the commit for good:
	// said once in the log, not per exchange.
	off error
}

type spoolFile struct {
	f       *os.File
	name    string
	size    int64
	pending int  // exchanges written, not yet settled
	keep    bool // holds an exchange that failed to insert
}

func newSpool(dbPath string) *spool {
	return &spool{base: fmt.Sprintf("%s-spool-%d-", dbPath, os.Getpid())}
}

// open starts the next spool file; sp.mu is held.
func (sp *spool) open() (*spoolFile, error) {
	for range 100 {
		sp.gen++
		name := sp.base + fmt.Sprint(sp.gen)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue // a file of an earlier process with our pid
		}
		if err != nil {
			return nil, fmt.Errorf("spool: %w", err)
		}
		if err := lockFile(f); err != nil {
			f.Close()
			os.Remove(name)
			return nil, fmt.Errorf("spool %s: lock: %w", name, err)
		}
		if _, err := f.Write([]byte(spoolMagic)); err != nil {
			f.Close()
			os.Remove(name)
			return nil, fmt.Errorf("spool %s: %w", name, err)
		}
		return &spoolFile{f: f, name: name, size: int64(len(spoolMagic))}, nil
	}
	return nil, fmt.Errorf("spool %s*: no free file name", sp.base)
}

// retire takes sf out of use; sp.mu is held.
func (sp *spool) retire(sf *spoolFile) {
	if sp.cur == sf {
		sp.cur = nil
	}
	if sf.pending == 0 && !sf.keep {
		sf.remove()
		return
	}
	sp.old = append(sp.old, sf)
}

// remove deletes the file, then lets go of it (unlinked first, so no
// other process can take it for a dead one's meanwhile).
func (sf *spoolFile) remove() {
	os.Remove(sf.name)
	sf.f.Close()
}

// spoolRecord writes x's row to the spool and queues its insert.
func (s *Store) spoolRecord(x *recordings.Exchange, row []any, size int64) error {
	if err := s.brokenErr(); err != nil {
		return err
	}
	// A deleted or replaced database is noticed here, before the client
	// is answered, as a commit notices it before committing (one stat,
	// unless a later-started check already found the file in place; the
	// rescue copy and the spool files it takes over then hold every
	// exchange answered before: gone.go).
	if s.identityCovered(x.StartedAt) {
		if err := s.goneErr(); err != nil {
			return err
		}
	} else if err := s.checkIdentity(); err != nil {
		return err
	}
	if err := s.enterWrite(); err != nil {
		return err
	}
	sp := s.sp
	sp.mu.Lock()
	if sp.off != nil {
		sp.mu.Unlock()
		s.inflight.Done()
		return sp.off
	}
	var err error
	sp.buf, err = appendRecord(sp.buf[:0], row)
	if err != nil {
		sp.mu.Unlock()
		s.inflight.Done()
		s.log.Warn("spool: this exchange is stored without it", "db", s.path, "err", err)
		return err
	}
	if sp.cur == nil {
		if sp.cur, err = sp.open(); err != nil {
			sp.off = err
			sp.mu.Unlock()
			s.inflight.Done()
			s.log.Warn("spool off: answers wait for their commit from now on", "db", s.path, "err", err)
			return err
		}
	}
	sf := sp.cur
	if _, err := sf.f.Write(sp.buf); err != nil {
		// A short write would leave a torn record in the middle of the
		// file: cut it off and continue in a new file.
		if terr := sf.f.Truncate(sf.size); terr != nil {
			sf.keep = true // what it holds is still read up to the tear
		}
		name := sf.name // renamed under sp.mu when the database is gone
		sp.retire(sf)
		sp.mu.Unlock()
		s.inflight.Done()
		s.log.Warn("spool write", "file", name, "err", err)
		return err
	}
	sf.size += int64(len(sp.buf))
	sf.pending++
	if sf.size >= spoolRotate {
		sp.retire(sf)
	}
	sp.mu.Unlock()
	s.asyncPending.Add(1)
	s.enqueue(&job{row: row, size: size, async: true, file: sf}, true)
	return nil
}

// spoolSettled accounts for the spooled exchanges of a finished batch:
// files whose exchanges are all stored go, failures are reported.
func (s *Store) spoolSettled(batch []*job) {
	sp := s.sp
	var failed []*job
	var names []string
	sp.mu.Lock()
	for _, j := range batch {
		if !j.async {
			continue
		}
		sf := j.file
		sf.pending--
		if j.err != nil {
			sf.keep = true
			failed = append(failed, j)
			names = append(names, sf.name) // read under sp.mu: handOverSpools renames
		}
		if sf != sp.cur && sf.pending == 0 && !sf.keep {
			for i, o := range sp.old {
				if o == sf {
					sp.old = append(sp.old[:i], sp.old[i+1:]...)
					sf.remove()
					break
				}
			}
		}
	}
	sp.mu.Unlock()
	for i, j := range failed {
		s.asyncFailed(j, names[i])
	}
	for _, j := range batch {
		if j.async {
			s.asyncPending.Add(-1)
			s.inflight.Done()
		}
	}
}

// asyncFailed reports a spooled exchange that could not be inserted. Its
// client has its answer and the exchange is in a kept spool file, stored
// by the next writable Open; the session is marked incomplete when it
// ends (noteFailure) and Record waits for its own commits again until one
// succeeds, so the trouble reaches the caller.
func (s *Store) asyncFailed(j *job, spoolName string) {
	id, _ := j.row[0].(int64)
	sess, _ := j.row[1].(int64)
	err := j.err
	if strings.Contains(err.Error(), "FOREIGN KEY") {
		err = fmt.Errorf("record exchange: session %d does not exist: %w", sess, recordings.ErrNotFound)
	}
	s.noteFailure(sess, err)
	s.asyncMu.Lock()
	s.asyncErr = err
	s.asyncMu.Unlock()
	if errors.Is(err, recordings.ErrGone) {
		// Said once by the gone error, which names the rescue copy whose
		// spool this file now is (gone.go).
		s.log.Warn("exchange not inserted: the database file is gone; it is in the rescue copy's spool", "exchange", id, "spool", spoolName)
		return
	}
	s.log.Error("exchange not inserted; it stays in its spool file, which the next open of the database stores",
		"exchange", id, "session", sess, "spool", spoolName, "err", err)
}

func (s *Store) asyncError() error {
	s.asyncMu.Lock()
	defer s.asyncMu.Unlock()
	return s.asyncErr
}

func (s *Store) clearAsyncErr() {
	if s.sp == nil {
		return
	}
	s.asyncMu.Lock()
	s.asyncErr = nil
	s.asyncMu.Unlock()
}

// settle waits until every exchange spooled so far was inserted (or
// failed), so a read sees what was recorded before it.
func (s *Store) settle(ctx context.Context) {
	if s.asyncPending.Load() > 0 {
		_ = s.submit(ctx, &job{barrier: true})
	}
}

// closeSpool removes the files whose exchanges are all stored; the writer
// queue is empty.
func (s *Store) closeSpool() {
	sp := s.sp
	if sp == nil {
		return
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.cur != nil {
		sp.retire(sp.cur)
	}
	for _, sf := range sp.old {
		if sf.pending == 0 && !sf.keep {
			sf.remove()
			continue
		}
		s.log.Warn("spool kept: it holds exchanges that could not be inserted; the next open of the database stores them", "spool", sf.name)
		sf.f.Close()
	}
	sp.old = nil
}

// Value tags of a spool record.
const (
	tagNil byte = iota
	tagInt
	tagString
	tagBytes
	tagFalse
	tagTrue
)

// appendRecord appends the framed record of row to b.
func appendRecord(b []byte, row []any) ([]byte, error) {
	start := len(b)
	b = append(b, make([]byte, 8)...)
	b = binary.AppendUvarint(b, uint64(len(row)))
	for i, v := range row {
		var err error
		if b, err = appendValue(b, v); err != nil {
			return b[:start], fmt.Errorf("spool: column %d: %w", i+1, err)
		}
	}
	payload := b[start+8:]
	if len(payload) > maxSpoolRecord {
		return b[:start], fmt.Errorf("spool: record of %d bytes is larger than %d", len(payload), maxSpoolRecord)
	}
	binary.LittleEndian.PutUint32(b[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[start+4:], crc32.Checksum(payload, crcTable))
	return b, nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, tagNil), nil
	case int64:
		return binary.AppendVarint(append(b, tagInt), v), nil
	case int:
		return binary.AppendVarint(append(b, tagInt), int64(v)), nil
	case string:
		b = binary.AppendUvarint(append(b, tagString), uint64(len(v)))
		return append(b, v...), nil
	case []byte:
		b = binary.AppendUvarint(append(b, tagBytes), uint64(len(v)))
		return append(b, v...), nil
	case bool:
		if v {
			return append(b, tagTrue), nil
		}
		return append(b, tagFalse), nil
	}
	return b, fmt.Errorf("value of type %T cannot be spooled", v)
}

// decodeRecord is appendValue's inverse over a whole payload.
func decodeRecord(p []byte) ([]any, error) {
	n, k := binary.Uvarint(p)
	if k <= 0 || n > 1024 {
		return nil, errors.New("bad value count")
	}
	p = p[k:]
	row := make([]any, 0, n)
	for range n {
		if len(p) == 0 {
			return nil, errors.New("record ends early")
		}
		tag := p[0]
		p = p[1:]
		switch tag {
		case tagNil:
			row = append(row, nil)
		case tagFalse, tagTrue:
			row = append(row, tag == tagTrue)
		case tagInt:
			v, k := binary.Varint(p)
			if k <= 0 {
				return nil, errors.New("bad integer")
			}
			row, p = append(row, v), p[k:]
		case tagString, tagBytes:
			l, k := binary.Uvarint(p)
			if k <= 0 || l > uint64(len(p)-k) || l > math.MaxInt32 {
				return nil, errors.New("bad length")
			}
			data := p[k : k+int(l)]
			if tag == tagString {
				row = append(row, string(data))
			} else {
				row = append(row, append([]byte(nil), data...))
			}
			p = p[k+int(l):]
		default:
			return nil, fmt.Errorf("unknown value tag %d", tag)
		}
	}
	if len(p) != 0 {
		return nil, errors.New("bytes after the last value")
	}
	return row, nil
}

// SpoolRecovery says what Open found in spool files left by processes
// that are gone.
type SpoolRecovery struct {
	Files     int      // spool files read
	Exchanges int      // complete records in them
	Stored    int      // of those, inserted now (the others were stored already)
	Dropped   int      // of those, not stored: their session is gone
	Torn      []string // one line per file that ended in a torn or damaged record
	Kept      []string // files left in place, with why
	// Pending lists, for a read-only open (which never writes), the spool
	// files of recorders that stopped without closing: what they hold is
	// not in the database until a writable open stores it.
	Pending []string
}

// Recovered reports what this Open recovered from spool files.
func (s *Store) Recovered() SpoolRecovery { return s.recovered }

// readSpool reads the complete records of a spool file. A torn or damaged
// record ends the reading; torn describes it ("" when the file is whole).
func readSpool(r io.Reader, name string) (rows [][]any, torn string, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, "", fmt.Errorf("read spool %s: %w", name, err)
	}
	if len(data) < len(spoolMagic) || string(data[:len(spoolMagic)]) != spoolMagic {
		if len(data) < len(spoolMagic) && strings.HasPrefix(spoolMagic, string(data)) {
			return nil, "", nil // killed while starting the file: nothing in it
		}
		return nil, "", fmt.Errorf("read spool %s: not a connectorlab spool file (no %q header)", name, spoolMagic)
	}
	off := len(spoolMagic)
	for off < len(data) {
		rest := data[off:]
		if len(rest) < 8 {
			return rows, fmt.Sprintf("%s: torn record at byte %d (%d bytes of an 8-byte header), ignored", name, off, len(rest)), nil
		}
		n := int(binary.LittleEndian.Uint32(rest))
		sum := binary.LittleEndian.Uint32(rest[4:])
		if n > maxSpoolRecord {
			return rows, fmt.Sprintf("%s: damaged record at byte %d (length %d), it and the %d bytes after it ignored", name, off, n, len(rest)), nil
		}
		if len(rest)-8 < n {
			return rows, fmt.Sprintf("%s: torn record at byte %d (%d of %d bytes), ignored", name, off, len(rest)-8, n), nil
		}
		payload := rest[8 : 8+n]
		if crc32.Checksum(payload, crcTable) != sum {
			return rows, fmt.Sprintf("%s: record at byte %d fails its checksum, it and the %d bytes after it ignored", name, off, len(rest)), nil
		}
		row, err := decodeRecord(payload)
		if err != nil {
			return rows, fmt.Sprintf("%s: record at byte %d cannot be decoded (%v), it and the %d bytes after it ignored", name, off, err, len(rest)), nil
		}
		rows = append(rows, row)
		off += 8 + n
	}
	return rows, "", nil
}

// recoverSpools stores what spool files of processes that are gone hold.
// It runs in Open before anything is written; problems are logged and
// reported in Recovered, never fatal: the database itself is fine.
// pendingSpools lists the spool files beside the database at path that no
// live process holds: a recorder's that stopped without closing.
func pendingSpools(path string) []string {
	dir, prefix := filepath.Dir(path), filepath.Base(path)+"-spool-"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		if tryLockFile(f) {
			out = append(out, name)
		}
		f.Close()
	}
	return out
}

// notePendingSpools is a read-only open's look at the spool files it could
// not have stored (Open tries a writable open first): a list read now
// misses what they hold, so the reader is told instead of being shown fewer
// exchanges without a word.
func (s *Store) notePendingSpools() {
	s.recovered.Pending = pendingSpools(s.path)
	if n := len(s.recovered.Pending); n > 0 {
		s.log.Warn(fmt.Sprintf("%d spool file(s) of a recorder that was stopped without closing hold exchanges not yet in %s, and this read-only open cannot store them; they are shown once a program that can write the database opens it", n, s.path), "spools", s.recovered.Pending)
	}
}

func (s *Store) recoverSpools(ctx context.Context) {
	dir, prefix := filepath.Dir(s.path), filepath.Base(s.path)+"-spool-"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			s.recovered.Kept = append(s.recovered.Kept, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if !tryLockFile(f) {
			f.Close() // its process is alive and writing it
			continue
		}
		s.recovered.Files++
		rows, torn, err := readSpool(f, name)
		if err == nil {
			err = s.insertRecovered(ctx, rows)
		}
		if torn != "" {
			s.recovered.Torn = append(s.recovered.Torn, torn)
			s.log.Warn("spool: " + torn + " (a write cut short when its process was killed; its client never had an answer)")
		}
		if err != nil {
			s.recovered.Kept = append(s.recovered.Kept, fmt.Sprintf("%s: %v", name, err))
			s.log.Error("spool kept: its exchanges could not be stored; the next open tries again", "spool", name, "err", err)
			f.Close()
			continue
		}
		os.Remove(name)
		f.Close()
	}
	if r := s.recovered; r.Files > 0 {
		s.log.Info("spool recovered", "files", r.Files, "exchanges", r.Exchanges, "stored", r.Stored, "dropped", r.Dropped)
	}
}

var insertRecoveredExchange = strings.Replace(insertExchange, "INSERT INTO", "INSERT OR IGNORE INTO", 1)

// insertRecovered inserts rows, 500 to a transaction; an exchange whose
// session was deleted meanwhile is dropped (counted), anything else stops.
func (s *Store) insertRecovered(ctx context.Context, rows [][]any) error {
	s.recovered.Exchanges += len(rows)
	for len(rows) > 0 {
		n := min(len(rows), 500)
		stored, dropped := 0, 0
		err := func() error {
			tx, err := s.wdb.BeginTx(ctx, nil)
			if err != nil {
				return s.wrap("recover spool", err)
			}
			defer tx.Rollback()
			ins, err := tx.PrepareContext(ctx, insertRecoveredExchange)
			if err != nil {
				return s.wrap("recover spool", err)
			}
			defer ins.Close()
			for _, row := range rows[:n] {
				res, err := ins.ExecContext(ctx, row...)
				if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
					dropped++
					continue
				}
				if err != nil {
					return s.wrap("recover spool", err)
				}
				if k, _ := res.RowsAffected(); k > 0 {
					stored++
				}
			}
			return s.wrap("recover spool", tx.Commit())
		}()
		if err != nil {
			return err
		}
		s.recovered.Stored += stored
		s.recovered.Dropped += dropped
		rows = rows[n:]
	}
	return nil
}
