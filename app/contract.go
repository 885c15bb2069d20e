package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow/recorder"
	"github.com/connectorlab/connectorlab/workflow/suite"
)

// ContractConfig starts a contract test run.
type ContractConfig struct {
	Path string `json:"path"`
	// SessionID is the recorded session to replay; with Generate the
	// requests come from the definition instead.
	SessionID int64  `json:"sessionId"`
	Generate  bool   `json:"generate,omitempty"`
	Target    string `json:"target"`
	AuthSet   string `json:"authSet,omitempty"`
	// Params are connection parameter values for the target's auth, held
	// in memory for the run only.
	Params      map[string]string `json:"params,omitempty"`
	Concurrency int               `json:"concurrency,omitempty"`
	// Policies runs the connector's request policies (off for targets
	// that take pre-policy requests, such as our mock).
	Policies bool `json:"policies,omitempty"`
}

// ContractProgress is sent while a run goes on.
type ContractProgress struct {
	Key   string `json:"key"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	What  string `json:"what,omitempty"`
}

// CaseView is one replayed exchange and its verdict.
type CaseView struct {
	Name      string            `json:"name"`
	Operation string            `json:"operation,omitempty"`
	Method    string            `json:"method,omitempty"`
	URL       string            `json:"url,omitempty"`
	Exchange  int64             `json:"exchange,omitempty"`
	Status    int               `json:"status,omitempty"`
	Millis    float64           `json:"millis"`
	Verdict   string            `json:"verdict"` // passed | warning | failed | error | skipped
	Skipped   string            `json:"skipped,omitempty"`
	Error     string            `json:"error,omitempty"`
	Findings  []ContractFinding `json:"findings"`
	Recorded  string            `json:"recorded,omitempty"`
	Replayed  string            `json:"replayed,omitempty"`
}

// OperationResult groups the cases of one operation.
type OperationResult struct {
	Operation string `json:"operation"`
	Verdict   string `json:"verdict"`
	Passed    int    `json:"passed"`
	Failed    int    `json:"failed"`
	Warnings  int    `json:"warnings"`
	Errors    int    `json:"errors"`
	Skipped   int    `json:"skipped"`
	// Summarised counts the cases in the totals above that are not in
	// Cases (a run beyond the report's caps lists only the first ones).
	Summarised int        `json:"summarised"`
	Cases      []CaseView `json:"cases"`
}

// ContractRunView is a run, finished or not.
type ContractRunView struct {
	Key        string            `json:"key"`
	RunID      int64             `json:"runId,omitempty"`
	Connector  string            `json:"connector"`
	Target     string            `json:"target"`
	Session    string            `json:"session,omitempty"`
	Started    int64             `json:"started"`
	Millis     int64             `json:"millis"`
	Running    bool              `json:"running"`
	Done       int               `json:"done"`
	Total      int               `json:"total"`
	Counts     map[string]int    `json:"counts"`
	Passed     bool              `json:"passed"`
	CustomCode bool              `json:"customCode,omitempty"`
	Operations []OperationResult `json:"operations"`
	Findings   []ContractFinding `json:"findings"`
	Noise      []string          `json:"noise,omitempty"`
	Error      string            `json:"error,omitempty"`
}

// RunSummary is one run of the history.
type RunSummary struct {
	ID        int64  `json:"id"`
	SessionID int64  `json:"sessionId,omitempty"`
	Connector string `json:"connector"`
	Target    string `json:"target,omitempty"`
	Started   int64  `json:"started"`
	Millis    int64  `json:"millis"`
	Status    string `json:"status"`
	Total     int    `json:"total"`
	Passed    int    `json:"passed"`
	Failed    int    `json:"failed"`
	Errors    int    `json:"errors"`
	Warnings  int    `json:"warnings"`
	Skipped   int    `json:"skipped"`
}

// ContractService is bound to the window: run contract tests in the
// background with progress events, keep their reports for export, and
// read the run history.
type ContractService struct {
	ctx   context.Context
	log   *slog.Logger
	ws    *workspace
	store *storeHolder
	emit  emitter
	dlg   dialogs

	mu   sync.Mutex
	seq  int
	runs map[string]*contractRun
}

type contractRun struct {
	view   ContractRunView
	report *contract.Report
	cancel context.CancelFunc
}

func newContractService(log *slog.Logger, ws *workspace, st *storeHolder, e emitter, d dialogs) *ContractService {
	return &ContractService{ctx: context.Background(), log: log, ws: ws, store: st, emit: e, dlg: d, runs: map[string]*contractRun{}}
}

func (s *ContractService) startup(ctx context.Context) { s.ctx = ctx }

// Run starts a contract test and returns at once; progress arrives as
// EventContractProgress and the result as EventContractDone.
func (s *ContractService) Run(cfg ContractConfig) (ContractRunView, error) {
	c, err := s.ws.get(cfg.Path)
	if err != nil {
		return ContractRunView{}, err
	}
	var st recordings.Store
	if !cfg.Generate && cfg.SessionID != 0 {
		db, err := s.store.get(s.ctx)
		if err != nil {
			return ContractRunView{}, err
		}
		st = db
	}
	plan, err := suite.NewPlan(s.ctx, c, st, suite.RunConfig{SessionID: cfg.SessionID, Generate: cfg.Generate, Target: cfg.Target,
		AuthSet: cfg.AuthSet, Params: cfg.Params, Concurrency: cfg.Concurrency, NoPolicies: !cfg.Policies, Log: s.log})
	if err != nil {
		return ContractRunView{}, err
	}
	s.mu.Lock()
	s.seq++
	key := fmt.Sprintf("run-%d", s.seq)
	ctx, cancel := context.WithCancel(context.Background())
	run := &contractRun{cancel: cancel, view: ContractRunView{
		Key: key, Connector: c.Name, Target: plan.Target.Redacted(), Session: plan.Name(), Started: time.Now().UnixMilli(),
		Running: true, Total: plan.Total(), Counts: map[string]int{}, Operations: []OperationResult{}, Findings: []ContractFinding{},
	}}
	s.runs[key] = run
	view := run.view
	s.mu.Unlock()

	var lastEmit time.Time
	var emitMu sync.Mutex
	em := contract.EmitterFuncs{ProgressFn: func(done, total int, what string) {
		emitMu.Lock()
		defer emitMu.Unlock()
		s.mu.Lock()
		run.view.Done, run.view.Total = done, total
		s.mu.Unlock()
		// At most ten events a second, and always the last.
		if done < total && time.Since(lastEmit) < 100*time.Millisecond {
			return
		}
		lastEmit = time.Now()
		s.emit.Emit(EventContractProgress, ContractProgress{Key: key, Done: done, Total: total, What: what})
	}}
	go func() {
		rep, res, err := plan.Run(ctx, "connectorlab desktop", em)
		var runID int64
		if err == nil {
			if st, serr := s.store.get(context.Background()); serr == nil {
				if runID, serr = plan.Save(context.Background(), st, rep); serr != nil {
					s.log.Warn("run history not saved", "err", serr)
				}
			}
		}
		v := reportView(rep)
		s.mu.Lock()
		v.Key, v.RunID, v.Session, v.Started = key, runID, plan.Name(), rep.Started.UnixMilli()
		v.Done, v.Total = run.view.Total, run.view.Total
		if err != nil {
			v.Error, v.Passed = describe(err).Message, false
		}
		if res != nil {
			v.Done, v.Total = res.Suite.Total(), res.Suite.Total()
		}
		run.view, run.report = v, rep
		s.mu.Unlock()
		s.emit.Emit(EventContractDone, v)
	}()
	return view, nil
}

func reportView(r *contract.Report) ContractRunView {
	v := ContractRunView{Connector: r.Connector, Target: r.Target, Millis: time.Duration(r.Duration).Milliseconds(),
		Counts: r.Counts, Passed: r.Passed, CustomCode: r.CustomCode, Findings: contractFindings(r.Findings), Noise: r.Noise, Operations: []OperationResult{}}
	byOp := map[string]*OperationResult{}
	var order []string
	// group is the operation's row, made on first use (listed and
	// summarised cases of one operation share it).
	group := func(op string) *OperationResult {
		if op == "" {
			op = "(no operation matched)"
		}
		g := byOp[op]
		if g == nil {
			g = &OperationResult{Operation: op, Cases: []CaseView{}}
			byOp[op] = g
			order = append(order, op)
		}
		return g
	}
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			g := group(c.Operation)
			cv := CaseView{Name: c.Name, Operation: c.Operation, Method: c.Method, URL: c.URL, Exchange: c.Exchange, Status: c.Status,
				Millis: float64(time.Duration(c.Duration).Microseconds()) / 1000, Skipped: c.Skipped, Error: c.Error,
				Findings: contractFindings(c.Findings), Recorded: prettyJSON(c.Recorded), Replayed: prettyJSON(c.Replayed)}
			switch {
			case c.Error != "":
				cv.Verdict = "error"
				g.Errors++
			case c.Skipped != "":
				cv.Verdict = "skipped"
				g.Skipped++
			case c.Failed(r.FailOn):
				cv.Verdict = "failed"
				g.Failed++
			case contract.MaxLevel(c.Findings) == contract.LevelWarning:
				cv.Verdict = "warning"
				g.Warnings++
			default:
				cv.Verdict = "passed"
				g.Passed++
			}
			v.Done++
			g.Cases = append(g.Cases, cv)
		}
		// Cases beyond the report's caps are tallied, not listed: count
		// them into their operation's totals.
		if s.Summary != nil {
			for _, ot := range s.Summary.Operations {
				g := group(ot.Operation)
				g.Passed += ot.Passed
				g.Failed += ot.Failed
				g.Warnings += ot.Warnings
				g.Errors += ot.Errors
				g.Skipped += ot.Skipped
				g.Summarised += ot.Cases
				v.Done += ot.Cases
			}
		}
	}
	for _, op := range order {
		g := byOp[op]
		switch {
		case g.Errors > 0:
			g.Verdict = "error"
		case g.Failed > 0:
			g.Verdict = "failed"
		case g.Warnings > 0:
			g.Verdict = "warning"
		case g.Passed == 0:
			g.Verdict = "skipped"
		default:
			g.Verdict = "passed"
		}
		v.Operations = append(v.Operations, *g)
	}
	// Failing operations first, then by name.
	rank := map[string]int{"error": 0, "failed": 1, "warning": 2, "skipped": 3, "passed": 4}
	sort.SliceStable(v.Operations, func(i, j int) bool {
		a, b := v.Operations[i], v.Operations[j]
		if rank[a.Verdict] != rank[b.Verdict] {
			return rank[a.Verdict] < rank[b.Verdict]
		}
		return a.Operation < b.Operation
	})
	v.Total = v.Done
	return v
}

func prettyJSON(s string) string {
	if s == "" || !json.Valid([]byte(s)) {
		return s
	}
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

// Result returns a run by key: its progress while running, its report
// once done.
func (s *ContractService) Result(key string) (ContractRunView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.runs[key]
	if r == nil {
		return ContractRunView{}, &UserError{Message: "no such run " + key, Fix: "start a run on the Contract tests screen"}
	}
	return r.view, nil
}

// Cancel stops a running contract test.
func (s *ContractService) Cancel(key string) error {
	s.mu.Lock()
	r := s.runs[key]
	s.mu.Unlock()
	if r != nil {
		r.cancel()
	}
	return nil
}

// Export writes a finished run's report as html, json or junit.
func (s *ContractService) Export(key, format, path string) (string, error) {
	s.mu.Lock()
	r := s.runs[key]
	s.mu.Unlock()
	if r == nil || r.report == nil {
		return "", &UserError{Message: "this run has no report yet", Fix: "wait for it to finish"}
	}
	return exportReport(s.ctx, s.dlg, r.report, format, path, recorder.Slug(r.view.Connector))
}

// History lists past runs of the connector, newest first.
func (s *ContractService) History(connectorName string) ([]RunSummary, error) {
	st, err := s.store.get(s.ctx)
	if err != nil {
		return nil, err
	}
	runs, err := st.ListRuns(s.ctx, recordings.RunFilter{Connector: connectorName, Limit: 50})
	if err != nil {
		return nil, userErr(err, "cannot read the run history: "+err.Error(), "check the recordings database")
	}
	out := make([]RunSummary, 0, len(runs))
	for _, r := range runs {
		rs := RunSummary{ID: r.ID, SessionID: r.SessionID, Connector: r.Connector, Target: r.Target, Started: r.StartedAt.UnixMilli(),
			Status: r.Status, Total: r.Total, Passed: r.Passed, Failed: r.Failed, Errors: r.Errors, Warnings: r.Warnings, Skipped: r.Skipped}
		if !r.EndedAt.IsZero() {
			rs.Millis = r.EndedAt.Sub(r.StartedAt).Milliseconds()
		}
		out = append(out, rs)
	}
	return out, nil
}

func (s *ContractService) cancelAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.runs {
		r.cancel()
	}
}
