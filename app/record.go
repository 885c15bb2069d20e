package app

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
	"github.com/connectorlab/connectorlab/workflow/recorder"
	"github.com/connectorlab/connectorlab/workflow/sessions"
)

// RecordConfig starts a recording proxy. Params are the connection
// parameter values typed in the window: they live in memory for as long
// as the proxy runs and are never written anywhere.
type RecordConfig struct {
	Path     string            `json:"path"`
	Upstream string            `json:"upstream"`
	Port     int               `json:"port"`
	Session  string            `json:"session,omitempty"`
	AuthSet  string            `json:"authSet,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
	// BestEffort answers clients even when an exchange cannot be stored.
	BestEffort bool `json:"bestEffort,omitempty"`
}

// RecordStatus is a recording proxy as the window shows it.
type RecordStatus struct {
	Path        string                `json:"path"`
	Name        string                `json:"name"`
	Running     bool                  `json:"running"`
	URL         string                `json:"url,omitempty"`
	Upstream    string                `json:"upstream"`
	SessionID   int64                 `json:"sessionId"`
	SessionName string                `json:"sessionName"`
	Stream      string                `json:"stream"`
	Database    string                `json:"database"`
	Stats       recordings.ProxyStats `json:"stats"`
	Error       string                `json:"error,omitempty"`
}

// SessionView is one stored recording session.
type SessionView struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Connector string   `json:"connector"`
	Upstream  string   `json:"upstream,omitempty"`
	Source    string   `json:"source,omitempty"`
	Started   int64    `json:"started"` // unix ms
	Ended     int64    `json:"ended,omitempty"`
	Status    string   `json:"status"`
	Problem   string   `json:"problem,omitempty"`
	Exchanges int      `json:"exchanges"`
	Tags      []string `json:"tags,omitempty"`
}

func sessionView(s *recordings.Session) SessionView {
	v := SessionView{ID: s.ID, Name: s.Name, Connector: s.Connector, Upstream: s.Upstream, Source: string(s.Source),
		Started: s.StartedAt.UnixMilli(), Status: string(s.Status), Problem: s.Problem, Exchanges: s.Exchanges, Tags: s.Tags}
	if !s.EndedAt.IsZero() {
		v.Ended = s.EndedAt.UnixMilli()
	}
	return v
}

// RecordService is bound to the window: record live traffic through the
// connector's auth into the recordings database, list sessions, export HAR.
type RecordService struct {
	ctx     context.Context
	log     *slog.Logger
	ws      *workspace
	store   *storeHolder
	traffic *trafficLog
	emit    emitter
	dialog  dialogs

	mu      sync.Mutex
	running map[string]*runningProxy
}

type runningProxy struct {
	status RecordStatus
	rec    *recorder.Recording
}

func newRecordService(log *slog.Logger, ws *workspace, st *storeHolder, t *trafficLog, e emitter, d dialogs) *RecordService {
	return &RecordService{ctx: context.Background(), log: log, ws: ws, store: st, traffic: t, emit: e, dialog: d, running: map[string]*runningProxy{}}
}

func (s *RecordService) startup(ctx context.Context) { s.ctx = ctx }

func recordStream(sessionID int64) string { return fmt.Sprintf("session:%d", sessionID) }

// Database returns the recordings database file in use.
func (s *RecordService) Database() (string, error) { return s.store.current(), nil }

// UseDatabase switches to another recordings database file (created when
// missing). Running proxies must be stopped first.
func (s *RecordService) UseDatabase(path string) (string, error) {
	s.mu.Lock()
	n := len(s.running)
	s.mu.Unlock()
	if n > 0 {
		return "", &UserError{Message: "a recording is running", Fix: "stop it before switching databases"}
	}
	if strings.TrimSpace(path) == "" {
		p, err := s.dialog.SaveFile(s.ctx, "Recordings database", "recordings.db", "*.db")
		if err != nil || p == "" {
			return s.store.current(), err
		}
		path = p
	}
	if err := s.store.switchTo(path); err != nil {
		return "", err
	}
	if _, err := s.store.get(s.ctx); err != nil {
		return "", err
	}
	return s.store.current(), nil
}

// Start records the connector at cfg.Path: a proxy on 127.0.0.1 forwards
// to cfg.Upstream with the connection's credentials and stores every
// exchange, redacted, before answering.
func (s *RecordService) Start(cfg RecordConfig) (RecordStatus, error) {
	c, err := s.ws.get(cfg.Path)
	if err != nil {
		return RecordStatus{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.running[cfg.Path]; p != nil {
		return p.status, &UserError{Message: c.Name + " is already being recorded at " + p.status.URL, Fix: "stop that recording first"}
	}
	st, err := s.store.get(s.ctx)
	if err != nil {
		return RecordStatus{}, err
	}
	rp := &runningProxy{}
	rec, err := recorder.Start(s.ctx, st, c, recorder.Config{
		Upstream: cfg.Upstream, Session: cfg.Session, AuthSet: cfg.AuthSet, Params: cfg.Params,
		BestEffort: cfg.BestEffort, Port: cfg.Port, Timeout: 10 * time.Second, Logger: s.log,
		Observe: func(ctx context.Context, x *recordings.Exchange, storeErr error) {
			if storeErr != nil {
				// Show that it was lost, but never an unredacted body.
				y := *x
				y.Request.Message, y.Response.Message = recordings.Message{}, recordings.Message{}
				y.Error = "NOT STORED: " + storeErr.Error()
				x = &y
			}
			s.traffic.Add(recordStream(x.SessionID), x)
		},
		OnStoreError: func(err error) {
			s.mu.Lock()
			rp.status.Error = "an exchange could not be stored: " + err.Error()
			stat := rp.status
			s.mu.Unlock()
			s.emit.Emit(EventRecordState, stat)
		},
		PolicyFinding: func(fd connector.Finding) {
			s.log.Warn("policy not applied", "id", fd.ID, "message", fd.Message, "pointer", fd.Pointer)
		},
	})
	if err != nil {
		return RecordStatus{}, err
	}
	sess := rec.Session()
	stream := recordStream(sess.ID)
	rp.rec = rec
	rp.status = RecordStatus{
		Path: cfg.Path, Name: c.Name, Running: true, URL: rec.URL(),
		Upstream: rec.Upstream().Redacted(), SessionID: sess.ID, SessionName: sess.Name, Stream: stream, Database: st.Path(),
	}
	s.running[cfg.Path] = rp
	s.emit.Emit(EventRecordState, rp.status)
	return rp.status, nil
}

// Stop ends the recording of path and closes its session.
func (s *RecordService) Stop(path string) (RecordStatus, error) {
	s.mu.Lock()
	rp := s.running[path]
	delete(s.running, path)
	s.mu.Unlock()
	if rp == nil {
		return RecordStatus{Path: path}, nil
	}
	res, err := rp.rec.Stop(s.ctx)
	out := rp.status
	out.Running, out.Stats = false, res.Stats
	if err != nil {
		return out, err
	}
	s.emit.Emit(EventRecordState, out)
	return out, nil
}

// Status lists the running proxies with their counters.
func (s *RecordService) Status() ([]RecordStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []RecordStatus{}
	for _, rp := range s.running {
		st := rp.status
		st.Stats = rp.rec.Stats()
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *RecordService) stopAll() {
	s.mu.Lock()
	paths := make([]string, 0, len(s.running))
	for p := range s.running {
		paths = append(paths, p)
	}
	s.mu.Unlock()
	for _, p := range paths {
		_, _ = s.Stop(p)
	}
}

// Sessions lists stored sessions, newest first (of one connector when
// connectorName is set).
func (s *RecordService) Sessions(connectorName string) ([]SessionView, error) {
	st, err := s.store.get(s.ctx)
	if err != nil {
		return nil, err
	}
	ss, err := st.ListSessions(s.ctx, recordings.SessionFilter{Connector: connectorName})
	if err != nil {
		return nil, userErr(err, "cannot list sessions: "+err.Error(), "check the recordings database")
	}
	out := make([]SessionView, 0, len(ss))
	for _, x := range ss {
		out = append(out, sessionView(x))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Started > out[j].Started })
	return out, nil
}

// OpenSession loads a stored session's exchanges into the traffic list
// (stream "session:ID") and returns the stream name.
func (s *RecordService) OpenSession(id int64) (string, error) {
	st, err := s.store.get(s.ctx)
	if err != nil {
		return "", err
	}
	stream := recordStream(id)
	s.mu.Lock()
	live := false
	for _, rp := range s.running {
		live = live || rp.status.SessionID == id
	}
	s.mu.Unlock()
	if live || len(s.traffic.Rows(stream)) > 0 {
		return stream, nil
	}
	if err := exchanges.Each(s.ctx, st, id, func(x *recordings.Exchange) error {
		s.traffic.Add(stream, x)
		return nil
	}); err != nil {
		return "", userErr(err, "cannot read session: "+err.Error(), "check the recordings database")
	}
	s.traffic.Flush()
	return stream, nil
}

// DeleteSession removes a session and its exchanges.
func (s *RecordService) DeleteSession(id int64) error {
	st, err := s.store.get(s.ctx)
	if err != nil {
		return err
	}
	if _, err := sessions.Remove(s.ctx, st, fmt.Sprintf("#%d", id)); err != nil {
		return err
	}
	s.traffic.Clear(recordStream(id))
	return nil
}

// RenameSession renames a stored session and returns it.
func (s *RecordService) RenameSession(id int64, name string) (SessionView, error) {
	st, err := s.store.get(s.ctx)
	if err != nil {
		return SessionView{}, err
	}
	if _, err := sessions.Rename(s.ctx, st, fmt.Sprintf("#%d", id), name); err != nil {
		return SessionView{}, err
	}
	sess, err := sessions.ByID(s.ctx, st, id)
	if err != nil {
		return SessionView{}, err
	}
	return sessionView(sess), nil
}

// ExportHAR is ExportSession as HAR.
func (s *RecordService) ExportHAR(id int64, path string) (string, error) {
	return s.ExportSession(id, "har", path)
}

// ExportSession writes a session as HAR 1.2 ("har") or JSON ("json") to
// path (a save dialog when path is ""); it returns the path written, ""
// if cancelled. Secrets stay redacted.
func (s *RecordService) ExportSession(id int64, format, path string) (string, error) {
	if err := sessions.CheckFormat(format, "har", "json"); err != nil {
		return "", err
	}
	st, err := s.store.get(s.ctx)
	if err != nil {
		return "", err
	}
	sess, err := sessions.ByID(s.ctx, st, id)
	if err != nil {
		return "", err
	}
	if path == "" {
		p, err := s.dialog.SaveFile(s.ctx, "Export session", recorder.Slug(sess.Name)+"."+format, "*."+format)
		if err != nil || p == "" {
			return "", err
		}
		path = p
	}
	if _, err := sessions.ExportFile(s.ctx, st, id, format, path, "desktop"); err != nil {
		return "", err
	}
	return path, nil
}

// ImportResult is what ImportSession made.
type ImportResult struct {
	Session   SessionView `json:"session"`
	Exchanges int         `json:"exchanges"`
	Skipped   []string    `json:"skipped,omitempty"`
}

// ImportSession makes a session from a HAR 1.2 file or a JSON export at
// path (an open dialog when path is ""), named name (default: the file's
// or the export's) and tagged with connectorName.
func (s *RecordService) ImportSession(path, name, connectorName string) (ImportResult, error) {
	if path == "" {
		p, err := s.dialog.ChooseFile(s.ctx, "Import a HAR file or a JSON export", "*.har;*.json")
		if err != nil || p == "" {
			return ImportResult{}, err
		}
		path = p
	}
	p, err := sessions.ImportSpec{File: path, Name: name, Connector: connectorName}.Read()
	if err != nil {
		return ImportResult{}, err
	}
	st, err := s.store.get(s.ctx)
	if err != nil {
		return ImportResult{}, err
	}
	res, err := p.Save(s.ctx, st)
	if err != nil {
		return ImportResult{}, err
	}
	return ImportResult{Session: sessionView(res.Session), Exchanges: res.Exchanges, Skipped: res.Skipped}, nil
}

// SavedCaseView is what "save as test case" did.
type SavedCaseView struct {
	Session SessionView `json:"session"`
	// Created is true when the session was made for this exchange.
	Created bool `json:"created"`
}

// SaveTestCase saves the live exchange seq (a Traffic row) as one more
// test case of the session named name, made when missing
// (workflow/sessions.SaveCase, as `connectorlab recordings copy`), so the
// Contract screen and `connectorlab test --recordings NAME` replay it.
func (s *RecordService) SaveTestCase(seq int64, name string) (SavedCaseView, error) {
	_, x, dropped, ok := s.traffic.Get(seq)
	if !ok {
		return SavedCaseView{}, &UserError{Message: fmt.Sprintf("exchange #%d is no longer kept", seq), Fix: "the live list keeps the newest 50,000 exchanges; send the request again"}
	}
	if dropped {
		return SavedCaseView{}, &UserError{Message: fmt.Sprintf("the bodies of exchange #%d are no longer kept in memory", seq), Fix: "send the request again (Replay this) and save the new exchange"}
	}
	st, err := s.store.get(s.ctx)
	if err != nil {
		return SavedCaseView{}, err
	}
	res, err := sessions.SaveCase(s.ctx, st, &x, name, x.Connector)
	if err != nil {
		return SavedCaseView{}, err
	}
	v := SavedCaseView{Session: sessionView(res.Session), Created: res.Created}
	s.emit.Emit(EventSessionsChanged, v.Session)
	return v, nil
}
