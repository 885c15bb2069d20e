package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

var _ recordings.Store = (*Store)(nil)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Options configure a Store. The zero value is the production setting.
type Options struct {
	// ReadOnly opens the file for reading only: nothing is created,
	// migrated or written, and every write returns ErrReadOnly.
	ReadOnly bool
	// Existing refuses to create the database: a missing or empty file is
	// ErrNotFound, so a command that reads or edits recordings never
	// leaves a new empty database behind a mistyped --db.
	Existing bool
	// BusyTimeout is how long a write waits for another process holding
	// the database before failing with ErrLocked (default 5 s).
	BusyTimeout time.Duration
	// Limits cap stored bodies (default 5 MiB).
	Limits recordings.Limits
	// Rules are redaction rules for every session, on top of the defaults.
	Rules recordings.Rules
	// MaxBatch bounds how many writes share one transaction (default 256).
	MaxBatch int
	// ReadConns is the size of the read pool (default 4).
	ReadConns int
	// Logger receives warnings (never exchange contents).
	Logger *slog.Logger
	// MaxPageCount, when set, caps the database size in pages (4 KiB);
	// tests use it to make the database "full".
	MaxPageCount int
	// WALLimit bounds the -wal file (default DefaultWALLimit): past it
	// the writer runs a PASSIVE checkpoint right after its commit, and
	// journal_size_limit truncates the file back to it when it restarts.
	WALLimit int64
	// Spool makes Record return once the exchange is written (write(2),
	// no fsync) to an append-only spool file beside the database, and
	// inserts it into SQLite in the background, in batches. A kill -9
	// then loses nothing Record returned for, like a commit (the kernel
	// holds what was written); the next writable Open stores what a
	// killed process left in its spool. See spool.go. Reads through the
	// Store wait for the exchanges recorded before them, so they see
	// their own writes. Unix only; elsewhere it is ignored.
	Spool bool
}

// DefaultWALLimit is the -wal size past which the writer checkpoints
// (PASSIVE; RESTART past twice the limit, when readers that never pause
// keep a passive one from letting the WAL start over). The WAL then stays
// below about 2 × WALLimit plus one group commit (MaxBatch exchanges, each
// at most two body caps) plus what is written between two looks at its
// size (at most 32 transactions, or about 1 MiB of bodies), unless a
// reader holds one snapshot open longer than the busy timeout.
const DefaultWALLimit = 64 << 20

// Store is a recordings.Store in one SQLite file, in WAL mode, with one
// writer connection (group commit: concurrent writes share a transaction)
// and a pool of read-only connections.
type Store struct {
	path string
	opts Options
	log  *slog.Logger
	wdb  *sql.DB // single connection; nil when read-only
	rdb  *sql.DB
	cdb  *sql.DB // checkpointer connection; nil when read-only

	commits atomic.Int64 // transactions committed, for the checkpointer
	// walCheckpoints counts checkpoints the writer ran past WALLimit.
	walCheckpoints atomic.Int64
	stopCkpt       chan struct{}
	ckptDone       chan struct{}
	key            []byte

	mu       sync.RWMutex // guards closed
	closed   bool
	inflight sync.WaitGroup // writes and drainers not finished yet

	// Group commit: queued jobs, and whether a goroutine is committing.
	gcMu     sync.Mutex
	pending  []*job
	leading  bool
	brokenMu sync.Mutex
	broken   error // set on corruption: no more writes

	insert *sql.Stmt // prepared on the writer connection
	raw    rawWriter // batches of exchanges through the driver (rawinsert_cgo.go)

	// Exchange ids are handed out by the store from a block reserved in
	// the meta table (ids.go), so an exchange has its id before it is
	// inserted (the spool needs that; the proxy answers with it).
	idMu   sync.Mutex
	idNext int64
	idEnd  int64

	// spool, when Options.Spool is on (spool.go).
	sp        *spool
	recovered SpoolRecovery
	// asyncPending counts spooled exchanges not yet committed (or failed).
	asyncPending atomic.Int64
	// asyncErr is the last error of a background insert; while set,
	// Record waits for its own commit again (as without a spool), so the
	// caller sees the database's trouble; a commit that succeeds clears it.
	asyncMu  sync.Mutex
	asyncErr error
	// Since boundWAL last looked at the -wal: transactions and bytes.
	walSince int
	walBytes int64

	// failed remembers, per session, exchanges that could not be stored,
	// so ending such a session "complete" makes it incomplete instead even
	// when the failure could not be written down at the time (a lock).
	failMu sync.Mutex
	failed map[int64]*storeFailure

	// ident is the database file as opened, to notice it deleted or
	// replaced (see gone.go); nil when read-only.
	ident  os.FileInfo
	sides  map[string]os.FileInfo // its -wal and -shm as opened
	goneMu sync.Mutex
	gone   error
	goneCh chan struct{}
	// identOK is when (Unix ns) the latest identity check that found the
	// file in place started: an exchange that started before then needs
	// no stat of its own (spoolRecord).
	identOK atomic.Int64

	// drainHold, set by tests only (export_test.go, under gcMu), makes the
	// drainer of spooled exchanges wait for it to be closed: the window in
	// which answered exchanges are only in the spool, made deterministic.
	drainHold chan struct{}

	redMu     sync.Mutex
	redactors map[int64]*recordings.Redactor
	secrets   map[int64][]string
}

type storeFailure struct {
	n     int
	first error
}

func (s *Store) noteFailure(sessionID int64, err error) {
	s.failMu.Lock()
	defer s.failMu.Unlock()
	f := s.failed[sessionID]
	if f == nil {
		f = &storeFailure{first: err}
		s.failed[sessionID] = f
	}
	f.n++
}

// failureProblem says what could not be stored in a session, or "".
func (s *Store) failureProblem(sessionID int64) string {
	s.failMu.Lock()
	defer s.failMu.Unlock()
	f := s.failed[sessionID]
	if f == nil {
		return ""
	}
	return fmt.Sprintf("%d exchange(s) could not be stored; the first: %v", f.n, f.first)
}

type job struct {
	fn func(tx *sql.Tx) error
	// row, when set instead of fn, is one exchange for the prepared
	// insert (its id included). A batch of one such job runs as a
	// single autocommit INSERT: no BEGIN and COMMIT statements parsed
	// and run through cgo for it (issue 17: at moderate load most batches
	// hold one exchange).
	row  []any
	size int64  // bytes of bodies in row, roughly (for boundWAL)
	fail func() // undo in-memory effects when the transaction fails
	done chan error
	// async jobs are spooled exchanges nobody waits for: done is nil and
	// failures go to Store.asyncFailed; file is the spool file holding it.
	async bool
	file  *spoolFile
	err   error // an async job's outcome, for spoolSettled
	// barrier jobs do nothing: waiting for one waits for everything
	// queued before it (Store.settle).
	barrier bool
}

func allRows(batch []*job) bool {
	for _, j := range batch {
		if j.row == nil {
			return false
		}
	}
	return true
}

func allBarriers(batch []*job) bool {
	for _, j := range batch {
		if !j.barrier {
			return false
		}
	}
	return true
}

// run executes j inside tx; ins is the batch's insert statement.
func (j *job) run(tx *sql.Tx, ins func() *sql.Stmt) error {
	switch {
	case j.barrier:
		return nil
	case j.row == nil:
		return j.fn(tx)
	}
	_, err := ins().Exec(j.row...)
	return err
}

const sqliteMagic = "SQLite format 3\x00"

// Open opens (creating and migrating when needed) the database at path.
// A file that is not a SQLite database, or is damaged, is reported with
// ErrCorrupt and left untouched.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("open recordings database: no file name given")
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = 4
	}
	if opts.WALLimit <= 0 {
		opts.WALLimit = DefaultWALLimit
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open recordings database %s: %w", path, err)
	}
	if err := checkFile(abs, opts.ReadOnly || opts.Existing, opts.ReadOnly); err != nil {
		return nil, err
	}
	if opts.ReadOnly && spoolSupported && len(pendingSpools(abs)) > 0 {
		// A recorder was killed with exchanges only in its spool: a read
		// would miss them, so store them first when the file is writable
		// (recovery is idempotent); else the read-only open warns.
		if w, err := Open(ctx, abs, Options{Existing: true, Logger: opts.Logger, BusyTimeout: opts.BusyTimeout}); err == nil {
			w.Close()
		} else {
			log.Info("spool: a writable open to store a stopped recorder's spool failed", "err", err)
		}
	}
	if !opts.ReadOnly && !opts.Existing {
		// A new database is private to its user (SQLite gives the -wal and
		// -shm the same mode): it holds recorded traffic and the redaction
		// key that placeholders are keyed with.
		if f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			f.Close()
		}
	}
	s := &Store{path: abs, opts: opts, log: log, redactors: map[int64]*recordings.Redactor{}, secrets: map[int64][]string{}, failed: map[int64]*storeFailure{},
		goneCh: make(chan struct{})}
	busy := strconv.Itoa(int(opts.BusyTimeout / time.Millisecond))
	u := &url.URL{Scheme: "file", Opaque: (&url.URL{Path: abs}).EscapedPath()}
	if !opts.ReadOnly {
		q := url.Values{}
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_busy_timeout", busy)
		q.Set("_txlock", "immediate")
		q.Set("_foreign_keys", "on")
		q.Set("_secure_delete", "on")
		u.RawQuery = q.Encode()
		s.wdb, err = sql.Open("sqlite3", u.String())
		if err != nil {
			return nil, s.wrap("open", err)
		}
		s.wdb.SetMaxOpenConns(1)
		s.wdb.SetMaxIdleConns(1)
		s.wdb.SetConnMaxLifetime(0)
		s.wdb.SetConnMaxIdleTime(0)
		if err := s.wdb.PingContext(ctx); err != nil {
			s.wdb.Close()
			return nil, s.wrap("open", err)
		}
		if opts.MaxPageCount > 0 {
			if _, err := s.wdb.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", opts.MaxPageCount)); err != nil {
				s.wdb.Close()
				return nil, s.wrap("open", err)
			}
		}
		if err := s.migrate(ctx); err != nil {
			s.wdb.Close()
			return nil, err
		}
		if s.insert, err = s.wdb.PrepareContext(ctx, insertExchange); err != nil {
			s.wdb.Close()
			return nil, s.wrap("open", err)
		}
		// Checkpoints (the only step that fsyncs under synchronous=NORMAL)
		// run on their own connection, off the commit path; see checkpointer.
		if _, err := s.wdb.ExecContext(ctx, fmt.Sprintf("PRAGMA journal_size_limit = %d", opts.WALLimit)); err != nil {
			s.wdb.Close()
			return nil, s.wrap("open", err)
		}
		if _, err := s.wdb.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
			s.wdb.Close()
			return nil, s.wrap("open", err)
		}
		cq := url.Values{}
		cq.Set("_busy_timeout", busy)
		cu := *u
		cu.RawQuery = cq.Encode()
		s.cdb, err = sql.Open("sqlite3", cu.String())
		if err != nil {
			s.wdb.Close()
			return nil, s.wrap("open", err)
		}
		s.cdb.SetMaxOpenConns(1)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", busy)
	q.Set("_foreign_keys", "on")
	u.RawQuery = q.Encode()
	s.rdb, err = sql.Open("sqlite3", u.String())
	if err != nil {
		s.closeDBs()
		return nil, s.wrap("open", err)
	}
	s.rdb.SetMaxOpenConns(opts.ReadConns)
	s.rdb.SetMaxIdleConns(opts.ReadConns)
	if opts.ReadOnly && s.cannotOpenShm(ctx) {
		// A WAL database in a directory we cannot write (a read-only mount,
		// a checkout without write permission): SQLite cannot create the
		// -shm it reads through. With no -wal beside it, every committed
		// row is in the main file, so read it as the immutable file it is.
		s.rdb.Close()
		q.Set("immutable", "1")
		u.RawQuery = q.Encode()
		if s.rdb, err = sql.Open("sqlite3", u.String()); err != nil {
			return nil, s.wrap("open", err)
		}
		s.rdb.SetMaxOpenConns(opts.ReadConns)
		s.rdb.SetMaxIdleConns(opts.ReadConns)
	}
	if err := s.checkReadable(ctx); err != nil {
		s.closeDBs()
		return nil, err
	}
	if err := s.loadKey(ctx); err != nil {
		s.closeDBs()
		return nil, err
	}
	if !opts.ReadOnly {
		if s.ident, err = os.Stat(abs); err != nil {
			s.closeDBs()
			return nil, fmt.Errorf("open recordings database %s: %w", abs, err)
		}
		s.sides = map[string]os.FileInfo{}
		for _, side := range []string{abs + "-wal", abs + "-shm"} {
			if st, err := os.Stat(side); err == nil {
				s.sides[side] = st
			}
		}
		s.recoverSpools(ctx)
		if opts.Spool && spoolSupported {
			s.sp = newSpool(abs)
		}
		s.stopCkpt, s.ckptDone = make(chan struct{}), make(chan struct{})
		go s.checkpointer()
		s.reapSessions(ctx)
	} else if spoolSupported {
		s.notePendingSpools()
	}
	return s, nil
}

// Path is the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// checkFile refuses a file that exists but is not a SQLite database before
// the driver touches it (opening in WAL mode writes to the file).
func checkFile(path string, existing, readOnly bool) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if existing {
			return fmt.Errorf("open recordings database %s: %w (no such file; record a session first or check --db)", path, recordings.ErrNotFound)
		}
		dir := filepath.Dir(path)
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("open recordings database %s: directory %s: %w", path, dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("open recordings database %s: %w", path, err)
	case st.IsDir():
		return fmt.Errorf("open recordings database %s: it is a directory; give a file name such as %s", path, filepath.Join(path, "recordings.db"))
	case st.Size() == 0:
		if existing && !readOnly {
			// (read-only opens say so after checking for a -wal.)
			return fmt.Errorf("open recordings database %s: %w (empty file; nothing was recorded into it)", path, recordings.ErrNotFound)
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open recordings database %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteMagic {
		return fmt.Errorf("open recordings database %s: %w: it is not a SQLite database (the file was left untouched; move it away or choose another --db)", path, recordings.ErrCorrupt)
	}
	return nil
}

// cannotOpenShm reports whether a read-only open fails only because the
// -shm file cannot be created and no -wal exists.
func (s *Store) cannotOpenShm(ctx context.Context) bool {
	var n int
	err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n)
	if err == nil || classify(err) != kindCantOpen {
		return false
	}
	if _, err := os.Stat(s.path + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	_, err = os.Stat(s.path + "-shm")
	return errors.Is(err, fs.ErrNotExist)
}

func (s *Store) checkReadable(ctx context.Context) error {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		return s.wrap("read", err)
	}
	var v int
	if err := s.rdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return s.wrap("read", err)
	}
	if v == 0 && n == 0 {
		return fmt.Errorf("open recordings database %s: %w (empty file; nothing was recorded into it)", s.path, recordings.ErrNotFound)
	}
	if v > len(migrationNames()) {
		return fmt.Errorf("open recordings database %s: %w (schema %d, this program knows %d; upgrade connectorlab)", s.path, recordings.ErrTooNew, v, len(migrationNames()))
	}
	if v < len(migrationNames()) {
		return fmt.Errorf("open recordings database %s: schema version %d is older than %d; open it once without read-only access to migrate it", s.path, v, len(migrationNames()))
	}
	return nil
}

func migrationNames() []string {
	ents, _ := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(ents)
	return ents
}

// migrate applies the embedded migrations newer than PRAGMA user_version,
// each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	var v int
	if err := s.wdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return s.wrap("migrate", err)
	}
	names := migrationNames()
	if v > len(names) {
		return fmt.Errorf("open recordings database %s: %w (schema %d, this program knows %d; upgrade connectorlab)", s.path, recordings.ErrTooNew, v, len(names))
	}
	for i := v; i < len(names); i++ {
		body, err := migrationFS.ReadFile(names[i])
		if err != nil {
			return fmt.Errorf("migration %s: %w", names[i], err)
		}
		tx, err := s.wdb.BeginTx(ctx, nil)
		if err != nil {
			return s.wrap("migrate", err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return s.wrap("migrate "+filepath.Base(names[i]), err)
		}
		if i == 0 {
			key := make([]byte, 32)
			if _, err := rand.Read(key); err != nil {
				tx.Rollback()
				return fmt.Errorf("generate redaction key: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES ('redaction_key', ?)", key); err != nil {
				tx.Rollback()
				return s.wrap("migrate", err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return s.wrap("migrate", err)
		}
		if err := tx.Commit(); err != nil {
			return s.wrap("migrate", err)
		}
	}
	return nil
}

func (s *Store) loadKey(ctx context.Context) error {
	err := s.rdb.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'redaction_key'").Scan(&s.key)
	if err != nil || len(s.key) < 16 {
		return fmt.Errorf("open recordings database %s: redaction key missing or short (%v): %w", s.path, err, recordings.ErrCorrupt)
	}
	return nil
}

// reapSessions marks sessions incomplete whose recorder on this host is
// gone (killed, crashed) without ending them.
func (s *Store) reapSessions(ctx context.Context) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT id, writer_pid FROM sessions WHERE status = 'open' AND writer_host = ? AND writer_pid > 0", thisHost())
	if err != nil {
		return
	}
	var dead []int64
	for rows.Next() {
		var id, pid int64
		if rows.Scan(&id, &pid) == nil && pid != int64(os.Getpid()) && !processAlive(int(pid)) {
			dead = append(dead, id)
		}
	}
	rows.Close()
	for _, id := range dead {
		if err := s.EndSession(ctx, id, recordings.SessionIncomplete, interruptedProblem); err != nil {
			s.log.Warn("mark interrupted session incomplete", "session", id, "err", err)
		}
	}
}

// Close finishes pending writes, checkpoints the WAL and closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.inflight.Wait()
	s.closeSpool()
	if s.wdb != nil && s.brokenErr() == nil && s.checkIdentity() == nil {
		s.giveBackIDs()
	}
	if s.stopCkpt != nil {
		close(s.stopCkpt)
		<-s.ckptDone
	}
	if s.wdb != nil && s.brokenErr() == nil && s.commits.Load() > 0 && s.checkIdentity() == nil {
		// Fold the WAL back into the main file so it is one file again —
		// only after writes of our own: a store that only read has nothing
		// to fold back, and TRUNCATE would wait out the busy timeout
		// behind another program's lock before the command could exit.
		if _, err := s.wdb.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			s.log.Warn("checkpoint on close", "db", s.path, "err", err)
		}
	}
	return s.closeDBs()
}

// Checkpoint policy. A checkpoint fsyncs the database file; under load that
// slows the commits running beside it (measured: 5-10 ms commits, p99 up
// several ms when checkpointing twice a second). So: checkpoint when the
// writer has been idle for a moment, and under sustained load only every
// ckptEvery or after ckptMaxTx transactions, which bounds the WAL.
const (
	ckptTick  = 250 * time.Millisecond
	ckptEvery = 10 * time.Second
	ckptMaxTx = 8000
)

// checkpointer copies the WAL back into the database file (PASSIVE: it
// never blocks the writer or readers) on its own connection, so commits
// never wait for an fsync themselves.
func (s *Store) checkpointer() {
	defer close(s.ckptDone)
	t := time.NewTicker(ckptTick)
	defer t.Stop()
	var done, prev int64 // commit counts at the last checkpoint and the last tick
	last := time.Now()
	for {
		select {
		case <-s.stopCkpt:
			return
		case <-t.C:
		}
		if s.checkIdentity() != nil {
			return
		}
		n := s.commits.Load()
		idle := n == prev
		prev = n
		if n == done || s.brokenErr() != nil {
			continue
		}
		if !idle && time.Since(last) < ckptEvery && n-done < ckptMaxTx {
			continue
		}
		if _, err := s.cdb.Exec("PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			s.log.Warn("checkpoint", "db", s.path, "err", err)
		}
		done, last = n, time.Now()
	}
}

func (s *Store) closeDBs() error {
	var errs []error
	if s.cdb != nil {
		errs = append(errs, s.cdb.Close())
	}
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.insert != nil {
		errs = append(errs, s.insert.Close())
	}
	if s.wdb != nil {
		s.closeRaw()
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	return errors.Join(errs...)
}

func (s *Store) brokenErr() error {
	s.brokenMu.Lock()
	defer s.brokenMu.Unlock()
	return s.broken
}

// write queues fn and waits until the transaction holding it committed
// (or failed).
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error, fail func()) error {
	return s.submit(ctx, &job{fn: fn, fail: fail})
}

// submit queues j (fn or row set) and waits for its transaction.
func (s *Store) submit(ctx context.Context, j *job) error {
	if s.opts.ReadOnly {
		return fmt.Errorf("write %s: %w (opened read-only)", s.path, recordings.ErrReadOnly)
	}
	if err := s.brokenErr(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	j.done = make(chan error, 1)
	if err := s.enterWrite(); err != nil {
		return err
	}
	defer s.inflight.Done()
	s.enqueue(j, false)
	// Once queued the write happens; waiting is not cancellable, so a
	// caller never believes an exchange was lost that was in fact stored.
	return <-j.done
}

// enqueue is group commit without a dedicated goroutine: when no commit is
// running, the caller commits itself (its job and whatever queued
// meanwhile) — no hand-off to another goroutine on the common path; when
// one is running, the job waits for it. Jobs that arrive during a commit
// are taken by a drainer goroutine, so no caller commits for others for
// long. Jobs commit in arrival order, at most MaxBatch per transaction.
//
// handOff (spooled exchanges) never commits on the caller's goroutine: an
// idle writer gets a drainer, so the caller returns at once.
func (s *Store) enqueue(j *job, handOff bool) {
	s.gcMu.Lock()
	s.pending = append(s.pending, j)
	if s.leading {
		s.gcMu.Unlock()
		return
	}
	s.leading = true
	if handOff {
		s.inflight.Add(1)
		hold := s.drainHold
		s.gcMu.Unlock()
		go func() {
			defer s.inflight.Done()
			if hold != nil {
				<-hold
			}
			// Nobody waits for a spooled row's commit, so its writer lets a
			// batch gather first: each transaction's BEGIN/COMMIT (4 % of
			// the recorder's CPU at 200 connections, profiled) is shared
			// by more rows. A synchronous job arriving meanwhile waits at
			// most this long more.
			time.Sleep(spoolLinger)
			s.drain()
		}()
		return
	}
	batch := s.take()
	s.gcMu.Unlock()
	s.commit(batch)

	s.gcMu.Lock()
	if len(s.pending) == 0 {
		s.leading = false
		s.gcMu.Unlock()
		return
	}
	s.inflight.Add(1)
	s.gcMu.Unlock()
	go func() {
		defer s.inflight.Done()
		s.drain()
	}()
}

// spoolLinger is how long the writer of spooled rows waits for more before
// it commits a batch.
const spoolLinger = 2 * time.Millisecond

// drain commits queued batches until none is left.
func (s *Store) drain() {
	for {
		s.gcMu.Lock()
		if len(s.pending) == 0 {
			s.leading = false
			s.gcMu.Unlock()
			return
		}
		batch := s.take()
		s.gcMu.Unlock()
		s.commit(batch)
	}
}

// take removes up to MaxBatch jobs from the queue; gcMu is held.
func (s *Store) take() []*job {
	n := min(len(s.pending), s.opts.MaxBatch)
	batch := append([]*job(nil), s.pending[:n]...)
	s.pending = append(s.pending[:0], s.pending[n:]...)
	return batch
}

func (s *Store) commit(batch []*job) {
	finish := func(errs []error, all error) {
		spooled, rows := false, false
		for i, j := range batch {
			e := all
			if errs != nil && errs[i] != nil {
				e = errs[i]
			}
			if e != nil && j.fail != nil {
				j.fail()
			}
			rows = rows || j.row != nil
			if j.async {
				spooled, j.err = true, e
				continue
			}
			j.done <- e
		}
		if all == nil && errs == nil && rows {
			s.clearAsyncErr()
		}
		if spooled {
			s.spoolSettled(batch)
		}
	}
	if allBarriers(batch) {
		finish(nil, nil)
		return
	}
	if err := s.brokenErr(); err != nil {
		finish(nil, err)
		return
	}
	if err := s.checkIdentity(); err != nil {
		finish(nil, err)
		return
	}
	if allRows(batch) {
		// Exchanges only (the common batch): straight through the driver.
		if ok, err := s.rawInsert(batch); ok {
			s.commits.Add(1)
			switch {
			case err == nil:
				finish(nil, nil)
				s.boundWAL(batch)
			case len(batch) == 1:
				finish(nil, s.wrap("record exchange", err))
			default:
				for _, j := range batch { // only the failing one fails
					s.commit([]*job{j})
				}
			}
			return
		}
	}
	if len(batch) == 1 && batch[0].row != nil {
		// One exchange: its INSERT is its own transaction.
		err := batch[0].run(nil, func() *sql.Stmt { return s.insert })
		s.commits.Add(1)
		if err != nil {
			finish(nil, s.wrap("record exchange", err))
			return
		}
		finish(nil, nil)
		s.boundWAL(batch)
		return
	}
	tx, err := s.wdb.BeginTx(context.Background(), nil)
	if err != nil {
		finish(nil, s.wrap("begin", err))
		return
	}
	var ins *sql.Stmt // the insert bound to tx, once per batch
	insert := func() *sql.Stmt {
		if ins == nil {
			ins = tx.Stmt(s.insert)
		}
		return ins
	}
	for _, j := range batch {
		if err = j.run(tx, insert); err != nil {
			if j.row != nil {
				err = s.wrap("record exchange", err)
			}
			break
		}
	}
	if err != nil {
		tx.Rollback()
		if len(batch) == 1 {
			finish(nil, err)
			return
		}
		// One job failed: run each alone so only that one fails. Rare
		// (a duplicate name, a missing session), so the fast path keeps no
		// savepoints.
		for _, j := range batch {
			if j.fail != nil && j.row == nil {
				j.fail() // (an exchange's undo is its failure, not a retry)
			}
			s.commit([]*job{j})
		}
		return
	}
	err = tx.Commit()
	s.commits.Add(1)
	if err != nil {
		tx.Rollback()
		finish(nil, s.wrap("commit", err))
		return
	}
	finish(nil, nil)
	s.boundWAL(batch)
}

// boundWAL runs a PASSIVE checkpoint from the writer when the -wal has
// grown past WALLimit: under sustained load the background checkpointer
// waits for a pause that never comes, and the WAL would grow without
// bound (813 MB was measured). It runs after the batch's callers were
// answered, before the next batch begins; PASSIVE never waits for readers.
func (s *Store) boundWAL(batch []*job) {
	// The -wal is looked at every walStatEvery transactions or once
	// walStatBytes of exchanges were written since the last look, not after
	// every commit (a stat per exchange was 2 % of the recorder's CPU).
	// Only the committing goroutine gets here (one at a time, ordered by
	// gcMu), so the counters need no lock of their own.
	s.walSince++
	for _, j := range batch {
		s.walBytes += j.size
	}
	if s.walSince < walStatEvery && s.walBytes < walStatBytes {
		return
	}
	s.walSince, s.walBytes = 0, 0
	st, err := os.Stat(s.path + "-wal")
	if err != nil || st.Size() < s.opts.WALLimit {
		return
	}
	mode := "PASSIVE"
	if st.Size() >= 2*s.opts.WALLimit {
		// Readers that never pause keep the WAL from restarting after a
		// passive checkpoint: RESTART waits (busy timeout) for them to move
		// to the database file, then the next commit starts the WAL over.
		mode = "RESTART"
	}
	if _, err := s.wdb.Exec("PRAGMA wal_checkpoint(" + mode + ")"); err != nil {
		s.log.Warn("checkpoint past the WAL limit", "db", s.path, "wal", st.Size(), "mode", mode, "err", err)
	}
	s.walCheckpoints.Add(1)
}

// How often boundWAL looks at the -wal's size: every walStatEvery
// transactions, or sooner once walStatBytes of exchange data were written.
const (
	walStatEvery = 32
	walStatBytes = 1 << 20
)

// WALCheckpoints is how many checkpoints the writer ran because the WAL
// passed WALLimit.
func (s *Store) WALCheckpoints() int64 { return s.walCheckpoints.Load() }

// wrap classifies a driver error into the recordings sentinels, naming the
// file and what to do. Corruption stops all further writes.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var out error
	switch classify(err) {
	case kindNone:
		out = fmt.Errorf("%s %s: %w", op, s.path, err)
	case kindLocked:
		out = fmt.Errorf("%s %s: %w (%v; another program holds it: close it, or wait and retry)", op, s.path, recordings.ErrLocked, err)
	case kindReadOnly:
		if why := writeProblem(s.path); why != "" {
			out = fmt.Errorf("%s %s: %w: %s", op, s.path, recordings.ErrReadOnly, why)
			break
		}
		out = fmt.Errorf("%s %s: %w (%v; the file, its -wal/-shm files and its directory look writable: another program may hold it open read-only, or its file system refuses writes)", op, s.path, recordings.ErrReadOnly, err)
	case kindFull:
		out = fmt.Errorf("%s %s: %w (%v; free disk space)", op, s.path, recordings.ErrFull, err)
	case kindCorrupt:
		out = fmt.Errorf("%s %s: %w (%v; the file is left untouched; move it away or choose another --db)", op, s.path, recordings.ErrCorrupt, err)
		s.brokenMu.Lock()
		if s.broken == nil {
			s.broken = out
		}
		s.brokenMu.Unlock()
	case kindCantOpen:
		if why := writeProblem(s.path); why != "" && !s.opts.ReadOnly {
			// SQLite says "no such file" when it cannot create the -wal.
			out = fmt.Errorf("%s %s: %w: %s", op, s.path, recordings.ErrReadOnly, why)
			break
		}
		out = fmt.Errorf("%s %s: cannot open the file (%w; check that its directory exists and is writable)", op, s.path, err)
	case kindUnique:
		out = fmt.Errorf("%s %s: %w (%v)", op, s.path, recordings.ErrExists, err)
	case kindNoDriver:
		out = fmt.Errorf("%s %s: this connectorlab was built without cgo, so it has no SQLite (%w); rebuild with CGO_ENABLED=1 and a C compiler (make build installs one)", op, s.path, err)
	}
	return out
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// urlPath is the path of a stored URL, for filtering.
func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		p, _, _ := strings.Cut(raw, "?")
		return p
	}
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// enterWrite counts one more write in flight (the caller ends it with
// s.inflight.Done), or says the store is closed.
func (s *Store) enterWrite() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return fmt.Errorf("write %s: %w", s.path, recordings.ErrClosed)
	}
	s.inflight.Add(1)
	return nil
}
