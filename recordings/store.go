package recordings

import (
	"context"
	"errors"
	"time"
)

// SessionStatus says whether a session holds everything that was recorded.
type SessionStatus string

// Session states. A session is open while something records into it. It
// becomes complete when the recorder ends it cleanly, and incomplete when an
// exchange could not be stored or the recorder died (see Session.Problem).
const (
	SessionOpen       SessionStatus = "open"
	SessionComplete   SessionStatus = "complete"
	SessionIncomplete SessionStatus = "incomplete"
)

// Session is one recording: the exchanges captured from one run of the
// recording proxy, the mock's traffic log, a spy run or one imported file.
type Session struct {
	ID        int64         `json:"id,omitempty"`
	Name      string        `json:"name"`
	Connector string        `json:"connector,omitempty"`
	Upstream  string        `json:"upstream,omitempty"`
	Source    Source        `json:"source,omitempty"`
	StartedAt time.Time     `json:"startedAt"`
	EndedAt   time.Time     `json:"endedAt,omitzero"`
	Tags      []string      `json:"tags,omitempty"`
	Status    SessionStatus `json:"status"`
	// Problem says why the session is incomplete.
	Problem string `json:"problem,omitempty"`
	// BestEffort sessions let the proxy answer a client even when its
	// exchange could not be stored; otherwise the client gets a 503.
	BestEffort bool `json:"bestEffort,omitempty"`
	// Rules are the session's redaction rules on top of the store's
	// defaults (names only: Rules.Secrets is never persisted).
	Rules Rules `json:"rules,omitzero"`
	// Exchanges is the number of stored exchanges (filled by reads).
	Exchanges int `json:"exchanges"`
}

// Complete reports whether the session was ended cleanly.
func (s *Session) Complete() bool { return s.Status == SessionComplete }

// SessionFilter selects sessions. Zero values match everything.
type SessionFilter struct {
	Connector string
	Tag       string
	Status    SessionStatus
	// NameContains matches a substring of the name, case-insensitively.
	NameContains string
	Limit        int // 0: no limit
	Offset       int
}

// ExchangeFilter selects exchanges in id order. Zero values match
// everything; paginate with After (keyset) and Limit.
type ExchangeFilter struct {
	SessionID   int64
	OperationID string
	Method      string
	// PathPrefix matches the start of the URL path.
	PathPrefix string
	MinStatus  int
	MaxStatus  int
	// Failed selects exchanges without a response (Exchange.Error set).
	Failed bool
	Source Source
	// After returns exchanges with an id greater than After (or smaller,
	// with Desc).
	After int64
	Limit int // 0: no limit
	Desc  bool
	// NoBodies leaves Body empty (Size, SHA256 and Truncated still set):
	// what a list view needs.
	NoBodies bool
}

// ExchangePage is one page of exchanges. Next is the After value of the
// following page, 0 when this page is the last.
type ExchangePage struct {
	Exchanges []*Exchange `json:"exchanges"`
	Next      int64       `json:"next,omitempty"`
}

// Run is one contract run (replay, conformance, drift) over a session or a
// live target, with its counts. The contract package writes it.
type Run struct {
	ID        int64  `json:"id,omitempty"`
	SessionID int64  `json:"sessionId,omitempty"` // 0: not over a session
	Connector string `json:"connector,omitempty"`
	// Kind is what ran: "replay", "conformance", "drift", "diff".
	Kind string `json:"kind,omitempty"`
	// Target is what was tested: a URL, the mock, a spec file.
	Target    string    `json:"target,omitempty"`
	StartedAt time.Time `json:"startedAt"`
	EndedAt   time.Time `json:"endedAt,omitzero"`
	// Status: "running", "passed", "failed", "error".
	Status string `json:"status,omitempty"`
	Total  int    `json:"total"`
	Passed int    `json:"passed"`
	Failed int    `json:"failed"`
	// Errors counts cases that could not run (target unreachable ...).
	Errors   int `json:"errors"`
	Skipped  int `json:"skipped"`
	Warnings int `json:"warnings"`
	// Detail is free-form JSON the run kind needs (options, versions).
	Detail []byte `json:"detail,omitempty"`
}

// Finding is one result of a run, with a stable ID.
type Finding struct {
	ID          int64  `json:"id,omitempty"` // row id, assigned by the store
	RunID       int64  `json:"runId,omitempty"`
	FindingID   string `json:"findingId"` // stable, e.g. "response-field-removed"
	Level       string `json:"level"`     // error | warning | info
	OperationID string `json:"operationId,omitempty"`
	ExchangeID  int64  `json:"exchangeId,omitempty"`
	Message     string `json:"message"`
	Pointer     string `json:"pointer,omitempty"`
	Detail      []byte `json:"detail,omitempty"`
}

// RunFilter selects runs, newest first.
type RunFilter struct {
	SessionID int64
	Connector string
	Kind      string
	Limit     int
}

// FindingFilter selects findings (of one run when RunID is set).
type FindingFilter struct {
	RunID       int64
	Level       string
	OperationID string
	Limit       int
}

// Sessions is the session half of a Store.
type Sessions interface {
	// CreateSession stores s (Status open unless set) and sets s.ID. Names
	// are unique: a taken name is an ErrExists error.
	CreateSession(ctx context.Context, s *Session) error
	// EndSession sets the end time and final status of a session. A
	// session with exchanges this store failed to record cannot end
	// complete: it ends incomplete, saying how many and why.
	EndSession(ctx context.Context, id int64, status SessionStatus, problem string) error
	Session(ctx context.Context, id int64) (*Session, error)
	// SessionByName finds a session by exact name (ErrNotFound otherwise).
	SessionByName(ctx context.Context, name string) (*Session, error)
	ListSessions(ctx context.Context, f SessionFilter) ([]*Session, error)
	RenameSession(ctx context.Context, id int64, name string) error
	SetSessionTags(ctx context.Context, id int64, tags []string) error
	// DeleteSession removes a session and its exchanges.
	DeleteSession(ctx context.Context, id int64) error
}

// Exchanges is the exchange half of a Store. Record (the Sink) redacts,
// applies the body cap and returns once the exchange is committed; it sets
// x.ID. x.SessionID must name an existing session.
type Exchanges interface {
	Sink
	Exchange(ctx context.Context, id int64) (*Exchange, error)
	ListExchanges(ctx context.Context, f ExchangeFilter) (ExchangePage, error)
	CountExchanges(ctx context.Context, f ExchangeFilter) (int, error)
	// Redact applies the store's redaction to x (with the rules of
	// x.SessionID's session) without storing it, so that a live request
	// compares equal to its recorded twin (see Matcher).
	Redact(ctx context.Context, x *Exchange) error
}

// Runs is where contract runs and their findings are kept.
type Runs interface {
	// CreateRun stores r (Status "running" unless set) and sets r.ID.
	CreateRun(ctx context.Context, r *Run) error
	// UpdateRun rewrites a run's end time, status, counts and detail.
	UpdateRun(ctx context.Context, r *Run) error
	Run(ctx context.Context, id int64) (*Run, error)
	ListRuns(ctx context.Context, f RunFilter) ([]*Run, error)
	// AddFindings stores findings of run runID and sets their IDs.
	AddFindings(ctx context.Context, runID int64, fs []*Finding) error
	ListFindings(ctx context.Context, f FindingFilter) ([]*Finding, error)
}

// Store keeps sessions, exchanges, runs and findings. recordings/sqlite
// implements it; every method is safe for concurrent use.
type Store interface {
	Sessions
	Exchanges
	Runs
	Close() error
}

// Store errors. Implementations wrap them (errors.Is works) with the file
// name and the driver's message.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	// ErrLocked: another process holds the database longer than the busy
	// timeout.
	ErrLocked = errors.New("database is locked")
	// ErrReadOnly: the file or its directory cannot be written.
	ErrReadOnly = errors.New("database is read-only")
	// ErrFull: the disk (or the configured size limit) is full.
	ErrFull = errors.New("database or disk is full")
	// ErrCorrupt: the file is not a database or is damaged. The store
	// never writes to such a file.
	ErrCorrupt = errors.New("database file is corrupt")
	// ErrTooNew: the file was written by a newer version.
	ErrTooNew = errors.New("database schema is newer than this program")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store is closed")
	// ErrGone: the database file was deleted or replaced by another file
	// while the store had it open; nothing more is written.
	ErrGone = errors.New("database file was deleted or replaced")
)
