package suite

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

// RunConfig is one contract test run of recorded sessions (or of
// requests generated from the definition) against a target.
type RunConfig struct {
	SessionID int64
	Generate  bool
	// Seed of generated request values (Generate).
	Seed    uint64
	Target  string
	AuthSet string
	// Params are connection parameter values, held in memory only.
	Params      map[string]string
	Concurrency int
	// Timeout of one request and the longest Retry-After wait honoured
	// (0: the replay defaults).
	Timeout      time.Duration
	MaxRetryWait time.Duration
	// NoPolicies leaves the connector's request policies out (targets
	// that take pre-policy requests, such as our mock).
	NoPolicies bool
	// Drift configures the recorded-vs-replayed comparison (nil: none).
	Drift *drift.Config
	// Shard runs a deterministic subset of the exchanges.
	Shard contract.Shard
	// FailOn is the report's threshold (0: error).
	FailOn contract.Level
	// Keep bounds the cases the report lists in full; the rest are
	// tallied per operation (zero: contract.DefaultKeepFailing and
	// DefaultKeepPassing per input).
	Keep contract.Keep
	// Recordings names the file the inputs came from, for the report.
	Recordings string
	// Script, when set, runs the connector's custom code in front of the
	// target for inputs recorded without it (Input.CustomCode false).
	Script *scripthost.Runner
	Log    *slog.Logger
}

// Input is one recorded session (or one HAR file) to replay: its
// exchanges in memory (Exchanges) or read as they are replayed (Source,
// a session of a store: never held whole).
type Input struct {
	// Name is what the report calls it: "session NAME", a file name.
	Name      string
	SessionID int64
	Exchanges []*recordings.Exchange
	// Source, when set, yields the exchanges instead of Exchanges; Count
	// is how many it is expected to yield (progress).
	Source replay.Source
	Count  int
	// CustomCode: recorded with the script running (recorder.CustomCodeTag),
	// so the exchanges already are what the gateway sent.
	CustomCode bool
}

// SessionInput is session s of st, read page by page as it is replayed.
func SessionInput(st recordings.Exchanges, s *recordings.Session) Input {
	src := func(ctx context.Context, fn func(*recordings.Exchange) error) error {
		return exchanges.Each(ctx, st, s.ID, fn)
	}
	return Input{Name: "session " + s.Name, SessionID: s.ID, Source: src, Count: s.Exchanges, CustomCode: slices.Contains(s.Tags, recorder.CustomCodeTag)}
}

// Each calls fn for every exchange of the input, in order, stopping at
// fn's first error.
func (in Input) Each(ctx context.Context, fn func(*recordings.Exchange) error) error {
	if in.Source != nil {
		if err := in.Source(ctx, fn); err != nil {
			return &workflow.Error{Kind: workflow.KindInfra, Message: "cannot read " + in.Name + ": " + err.Error(), Fix: "check the recordings database", Err: err}
		}
		return nil
	}
	for _, x := range in.Exchanges {
		if err := fn(x); err != nil {
			return err
		}
	}
	return nil
}

// Len is how many exchanges the input has (expected, for a Source).
func (in Input) Len() int {
	if in.Source != nil {
		return in.Count
	}
	return len(in.Exchanges)
}

// Plan is a checked run, ready to start.
type Plan struct {
	Connector *connector.Connector
	Target    *url.URL
	// Session is the replayed session when one was picked by id; nil for
	// generated requests and for inputs given to Prepare.
	Session  *recordings.Session
	Inputs   []Input
	Generate bool
	Options  replay.Options
	// PolicyFindings are the connector's policy findings of warning level
	// and above, to show before the run.
	PolicyFindings []connector.Finding
	// Skipped are the operations no request could be generated for (set
	// by Run).
	Skipped []string
	cfg     RunConfig
}

// NewPlan checks cfg (target, connection parameters, the session and its
// exchanges in st) and returns the run to start.
func NewPlan(ctx context.Context, c *connector.Connector, st recordings.Store, cfg RunConfig) (*Plan, error) {
	tu, err := ParseTarget(cfg.Target)
	if err != nil {
		return nil, err
	}
	conn, err := Connect(c, cfg.AuthSet, cfg.Params, false)
	if err != nil {
		return nil, err
	}
	var sess *recordings.Session
	var inputs []Input
	if !cfg.Generate {
		if cfg.SessionID == 0 {
			return nil, workflow.Usage("no recorded session picked", "pick a session, or generate requests from the definition")
		}
		if st == nil {
			return nil, &workflow.Error{Kind: workflow.KindInfra, Message: "no recordings database is open"}
		}
		sess, err = st.Session(ctx, cfg.SessionID)
		if err != nil {
			return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "the session is not in the recordings database", Fix: "refresh the sessions list", Err: err}
		}
		// One row says whether there is anything to replay (the session's
		// count is whatever the store filled in).
		first, err := st.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Limit: 1})
		if err != nil {
			return nil, &workflow.Error{Kind: workflow.KindInfra, Message: "cannot read the session: " + err.Error(), Fix: "check the recordings database", Err: err}
		}
		if len(first.Exchanges) == 0 {
			return nil, workflow.Usage(fmt.Sprintf("session %q has no exchanges", sess.Name), "record some traffic first")
		}
		inputs = []Input{SessionInput(st, sess)}
	}
	p := Prepare(c, tu, conn, cfg, inputs)
	p.Session = sess
	return p, nil
}

// Prepare is the run of inputs (or, with cfg.Generate, of generated
// requests) against target with conn, for callers that checked the
// target and the connection and read the inputs themselves (the CLI:
// connection parameters from the environment, HAR files, every session of
// a recordings file).
func Prepare(c *connector.Connector, target *url.URL, conn Connection, cfg RunConfig, inputs []Input) *Plan {
	p := &Plan{Connector: c, Target: target, Generate: cfg.Generate, Inputs: inputs, cfg: cfg}
	p.Options, p.PolicyFindings = Options(c, target, conn, cfg.NoPolicies, cfg.Log)
	p.Options.Concurrency, p.Options.Timeout, p.Options.MaxRetryWait = cfg.Concurrency, cfg.Timeout, cfg.MaxRetryWait
	p.Options.Drift, p.Options.Shard, p.Options.Keep = cfg.Drift, cfg.Shard, cfg.Keep
	return p
}

// Total is how many exchanges the plan's inputs have (expected: sessions
// are counted by the store, not read).
func (p *Plan) Total() int {
	n := 0
	for _, in := range p.Inputs {
		n += in.Len()
	}
	return n
}

// Name says what is replayed.
func (p *Plan) Name() string {
	switch {
	case p.Session != nil:
		return p.Session.Name
	case p.Generate:
		return "generated from the definition"
	case len(p.Inputs) == 1:
		return p.Inputs[0].Name
	}
	return fmt.Sprintf("%d sessions", len(p.Inputs))
}

// Run runs the plan, telling em of progress, and returns the finished
// report (tool names the program in it) and the result of the last input.
// A run that could not be done (cancelled, the target unreachable) returns
// the report so far and the error; it is not a result to keep.
func (p *Plan) Run(ctx context.Context, tool string, em contract.Emitter) (*contract.Report, *replay.Result, error) {
	started := time.Now()
	c := p.Connector
	failOn := p.cfg.FailOn
	if failOn == 0 {
		failOn = contract.LevelError
	}
	rep := &contract.Report{Tool: tool, Kind: contract.KindTest, Connector: c.Name, Target: p.Target.Redacted(), Recordings: p.cfg.Recordings,
		Started: started, FailOn: failOn, Shard: p.cfg.Shard.String(), CustomCode: c.CustomCode != nil, Noise: p.cfg.Drift.Noise()}
	opts := p.Options
	opts.Emitter, opts.FailOn = em, failOn
	runner := replay.New(c, opts)
	// With custom code, requests go through the script on their way to the
	// target, except those of sessions recorded with it (already after it).
	scripted := runner
	if p.cfg.Script != nil {
		so := opts
		UseCustomCode(&so, p.cfg.Script)
		scripted = replay.New(c, so)
	}
	var res *replay.Result
	var err error
	if p.Generate {
		res, p.Skipped, err = scripted.RunGenerated(ctx, probe.Options{Seed: p.cfg.Seed})
		if err == nil {
			err = p.add(rep, res, nil)
		}
	} else {
		coverage := map[string]int{}
		for _, in := range p.Inputs {
			rn := scripted
			if in.CustomCode {
				rn = runner
			}
			if in.Source != nil {
				res, err = rn.RunSource(ctx, in.Name, in.Count, in.Source)
			} else {
				res, err = rn.Run(ctx, in.Name, in.Exchanges)
			}
			if err != nil {
				var we *workflow.Error
				if ctx.Err() == nil && !errors.As(err, &we) {
					err = &workflow.Error{Kind: workflow.KindInfra, Message: "cannot read " + in.Name + ": " + err.Error(), Fix: "check the recordings database", Err: err}
				}
				break
			}
			if err = p.add(rep, res, coverage); err != nil {
				break
			}
		}
	}
	rep.Duration = contract.Duration(time.Since(started))
	contract.LocateOperations(rep, c)
	rep.Finish()
	return rep, res, err
}

// add puts one input's result into rep: an operation untested in every
// input is reported once, and so is the custom-code notice.
func (p *Plan) add(rep *contract.Report, res *replay.Result, coverage map[string]int) error {
	if res.Unreachable != nil {
		return &workflow.Error{Kind: workflow.KindInfra, Message: "the target is unreachable: " + res.Unreachable.Error(), Fix: "start the target (is the mock running?) or check the URL", Err: res.Unreachable}
	}
	rep.Suites = append(rep.Suites, res.Suite)
	for _, f := range res.Findings {
		switch {
		case coverage != nil && f.ID == drift.OperationUntested:
			coverage[f.Operation]++
			if coverage[f.Operation] < len(p.Inputs) {
				continue
			}
		case f.ID == drift.CustomCode && len(rep.Findings) > 0 && rep.Findings[0].ID == drift.CustomCode:
			continue
		}
		rep.Findings = append(rep.Findings, f)
	}
	return nil
}

// Cases counts the cases of a report, summarised ones included.
func Cases(rep *contract.Report) int {
	return rep.TotalCases()
}

// Save keeps a finished run in the history of runs (generated runs and
// runs of several sessions belong to no session).
func (p *Plan) Save(ctx context.Context, runs recordings.Runs, rep *contract.Report) (int64, error) {
	var sid int64
	switch {
	case p.Session != nil:
		sid = p.Session.ID
	case len(p.Inputs) == 1:
		sid = p.Inputs[0].SessionID
	}
	return replay.SaveRun(ctx, runs, rep, "replay", sid)
}
