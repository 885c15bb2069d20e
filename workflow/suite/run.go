package suite

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
)

// RunConfig is one contract test run of a recorded session (or of
// requests generated from the definition) against a target.
type RunConfig struct {
	SessionID int64
	Generate  bool
	Target    string
	AuthSet   string
	// Params are connection parameter values, held in memory only.
	Params      map[string]string
	Concurrency int
	// NoPolicies leaves the connector's request policies out (targets
	// that take pre-policy requests, such as our mock).
	NoPolicies bool
	Log        *slog.Logger
}

// Plan is a checked run, ready to start.
type Plan struct {
	Connector *connector.Connector
	Target    *url.URL
	// Session is the replayed session; nil for generated requests.
	Session   *recordings.Session
	Exchanges []*recordings.Exchange
	Generate  bool
	Options   replay.Options
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
	p := &Plan{Connector: c, Target: tu, Generate: cfg.Generate}
	if !cfg.Generate {
		if cfg.SessionID == 0 {
			return nil, workflow.Usage("no recorded session picked", "pick a session, or generate requests from the definition")
		}
		if st == nil {
			return nil, &workflow.Error{Kind: workflow.KindInfra, Message: "no recordings database is open"}
		}
		p.Session, err = st.Session(ctx, cfg.SessionID)
		if err != nil {
			return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "the session is not in the recordings database", Fix: "refresh the sessions list", Err: err}
		}
		if p.Exchanges, err = exchanges.All(ctx, st, cfg.SessionID); err != nil {
			return nil, &workflow.Error{Kind: workflow.KindInfra, Message: "cannot read the session: " + err.Error(), Fix: "check the recordings database", Err: err}
		}
		if len(p.Exchanges) == 0 {
			return nil, workflow.Usage(fmt.Sprintf("session %q has no exchanges", p.Session.Name), "record some traffic first")
		}
	}
	p.Options, _ = Options(c, tu, conn, cfg.NoPolicies, cfg.Log)
	p.Options.Concurrency = cfg.Concurrency
	return p, nil
}

// Name says what is replayed.
func (p *Plan) Name() string {
	if p.Session == nil {
		return "generated from the definition"
	}
	return p.Session.Name
}

// Run runs the plan, telling em of progress, and returns the finished
// report (tool names the program in it). A run that could not be done
// (cancelled, the target unreachable) returns the report so far and the
// error; it is not a result to keep.
func (p *Plan) Run(ctx context.Context, tool string, em contract.Emitter) (*contract.Report, *replay.Result, error) {
	started := time.Now()
	c := p.Connector
	rep := &contract.Report{Tool: tool, Kind: contract.KindTest, Connector: c.Name, Target: p.Target.Redacted(),
		Started: started, FailOn: contract.LevelError, CustomCode: c.CustomCode != nil, Noise: (*drift.Config)(nil).Noise()}
	opts := p.Options
	opts.Emitter = em
	runner := replay.New(c, opts)
	var res *replay.Result
	var err error
	if p.Generate {
		res, _, err = runner.RunGenerated(ctx, probe.Options{})
	} else {
		res, err = runner.Run(ctx, "session "+p.Name(), p.Exchanges)
	}
	switch {
	case err != nil:
	case res.Unreachable != nil:
		err = &workflow.Error{Kind: workflow.KindInfra, Message: "the target is unreachable: " + res.Unreachable.Error(), Fix: "start the target (is the mock running?) or check the URL", Err: res.Unreachable}
	default:
		rep.Suites = append(rep.Suites, res.Suite)
		rep.Findings = append(rep.Findings, res.Findings...)
	}
	rep.Duration = contract.Duration(time.Since(started))
	contract.LocateOperations(rep, c)
	rep.Finish()
	return rep, res, err
}

// Save keeps a finished run in the history of runs (generated runs
// belong to no session).
func (p *Plan) Save(ctx context.Context, runs recordings.Runs, rep *contract.Report) (int64, error) {
	var sid int64
	if p.Session != nil {
		sid = p.Session.ID
	}
	return replay.SaveRun(ctx, runs, rep, "replay", sid)
}
