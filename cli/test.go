package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/contract/report"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/spelling"
	"github.com/connectorlab/connectorlab/workflow/suite"
)

// loadRecordings opens the exchanges to replay: the sessions of a SQLite
// recordings file (all, or the named one; read page by page as they run)
// or a HAR file (read whole). The store is
// returned open (nil for HAR) so the run can be written to its history.
func loadRecordings(ctx context.Context, e *env, verb, path, session, connectorName string) ([]suite.Input, *sqlite.Store, int) {
	if strings.HasSuffix(strings.ToLower(path), ".har") {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "connectorlab %s: --recordings: %v\n", verb, err)
			return nil, nil, ExitUsage
		}
		defer f.Close()
		xs, skipped, err := recordings.ReadHAR(f, recordings.Limits{})
		if err != nil {
			fmt.Fprintf(e.stderr, "connectorlab %s: %s: %v\n", verb, path, err)
			return nil, nil, ExitUsage
		}
		for _, s := range skipped {
			fmt.Fprintf(e.stderr, "connectorlab %s: %s: skipped %s\n", verb, path, s)
		}
		for i, x := range xs {
			if x.ID == 0 {
				x.ID = int64(i + 1)
			}
		}
		return []suite.Input{{Name: filepath.Base(path), Exchanges: xs}}, nil, ExitOK
	}
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(e.stderr, "connectorlab %s: --recordings %s: %v (record a session with 'connectorlab record' or pass a .har file)\n", verb, path, errText(err))
		return nil, nil, ExitUsage
	}
	store, err := openReplayStore(ctx, e, verb, path)
	if err != nil {
		fmt.Fprintf(e.stderr, "connectorlab %s: %v\n", verb, err)
		return nil, nil, ExitInfra
	}
	var sessions []*recordings.Session
	if session != "" {
		s, err := findSession(ctx, store, session)
		if err != nil {
			store.Close()
			fmt.Fprintf(e.stderr, "connectorlab %s: %v\n", verb, err)
			return nil, nil, sessionExit(err)
		}
		sessions = append(sessions, s)
	} else {
		all, err := store.ListSessions(ctx, recordings.SessionFilter{})
		if err != nil {
			store.Close()
			fmt.Fprintf(e.stderr, "connectorlab %s: %v\n", verb, err)
			return nil, nil, ExitInfra
		}
		for _, s := range all {
			if s.Connector == "" || connectorName == "" || strings.EqualFold(s.Connector, connectorName) {
				sessions = append(sessions, s)
			}
		}
		if len(sessions) == 0 {
			store.Close()
			fmt.Fprintf(e.stderr, "connectorlab %s: %s has no session for connector %q (see 'connectorlab recordings ls --db %s')\n", verb, path, connectorName, path)
			return nil, nil, ExitUsage
		}
	}
	// Sessions are read as they are replayed or checked, never whole.
	var out []suite.Input
	for _, s := range sessions {
		out = append(out, suite.SessionInput(store, s))
	}
	return out, store, ExitOK
}

// openReplayStore opens a recordings file to replay from. It must exist
// (a mistyped path never becomes a new empty database); when it cannot be
// written (a read-only file, directory or mount, as in CI) it is read
// read-only and the command goes on without saving its run history.
func openReplayStore(ctx context.Context, e *env, verb, path string) (*sqlite.Store, error) {
	store, err := sqlite.Open(ctx, path, sqlite.Options{Existing: true, Logger: e.log})
	if err == nil || errors.Is(err, recordings.ErrCorrupt) || errors.Is(err, recordings.ErrNotFound) || errors.Is(err, recordings.ErrTooNew) {
		return store, err
	}
	ro, roErr := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true, Logger: e.log})
	if roErr != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "connectorlab %s: %v\nconnectorlab %s: reading it read-only; nothing is written to it\n", verb, err, verb)
	return ro, nil
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// progressBar draws "[#####.....] 12/40 Op" on a terminal's stderr; in CI
// or when stderr is not a terminal it draws nothing.
type progressBar struct {
	mu   sync.Mutex
	w    io.Writer
	on   bool
	last time.Time
}

func newProgress(e *env) *progressBar {
	return &progressBar{w: e.stderr, on: isTerminal(e.stderr) && os.Getenv("CI") == ""}
}

func (p *progressBar) Progress(done, total int, what string) {
	if !p.on || total == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done < total && time.Since(p.last) < 80*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	n := done * width / total
	what = report.Printable(what) // a recorded URL on the terminal
	if len(what) > 40 {
		what = what[:40]
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %s\x1b[K", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total, what)
	if done == total {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func (p *progressBar) Case(contract.Case) {}

func runTest(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("test", "PATH --target URL (--recordings FILE | --generate)",
		"Replay recorded requests (or requests generated from the definition) against a target and check each answer:\n"+
			"conformance to the definition at PATH and drift against the recorded answer.\n"+
			"Credentials come from CONNECTORLAB_PARAM_<NAME> environment variables, never from flags.", e)
	var rf reportFlags
	rf.register(fs)
	var lf loadFlags
	lf.register(fs)
	target := fs.String("target", "", "base URL to send requests to: the live API, a staging build or a mock (required)")
	recs := fs.String("recordings", "", "recordings: a SQLite file written by 'connectorlab record' or a .har file")
	session := fs.String("session", "", "replay only this session (name or #id); default: every session of the connector")
	generate := fs.Bool("generate", false, "build one request per operation from the definition instead of replaying recordings")
	seed := fs.Uint64("seed", 1, "--generate: seed for generated request values")
	concurrency := fs.Int("concurrency", replay.DefaultConcurrency, "requests in flight at once")
	timeout := fs.Duration("timeout", replay.DefaultTimeout, "timeout of one request")
	maxWait := fs.Duration("max-retry-wait", replay.DefaultMaxRetryWait, "longest Retry-After wait honoured on 429/503 (3 retries)")
	config := fs.String("config", "", "drift config file (JSON or YAML): ignore rules, compare rules, ignored headers")
	shard := fs.String("shard", "", "run only shard i of n (\"2/4\"), deterministic per exchange")
	noPolicies := fs.Bool("no-policies", false, "do not apply the connector's request policies (for targets that take pre-policy requests, e.g. our mock)")
	authSet := fs.String("auth-set", "", "connection parameter set to authenticate with (default: the first)")
	noHistory := fs.Bool("no-history", false, "do not write the run to the recordings file's run history")
	var cf codeFlags
	cf.register(fs)
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) != 1 {
		fmt.Fprintln(e.stderr, "connectorlab test: give exactly one PATH (the connector definition to check against)")
		return ExitUsage
	}
	if *target == "" {
		fmt.Fprintln(e.stderr, "connectorlab test: --target URL is required (e.g. --target https://api.contoso.com or the URL 'connectorlab mock' prints)")
		return ExitUsage
	}
	tu, err := suite.ParseTarget(*target)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab test: --target:", err)
		return ExitUsage
	}
	if (*recs == "") == !*generate {
		fmt.Fprintln(e.stderr, "connectorlab test: give --recordings FILE, or --generate to build requests from the definition (not both)")
		return ExitUsage
	}
	if *concurrency < 1 || *concurrency > 256 {
		fmt.Fprintln(e.stderr, "connectorlab test: --concurrency must be between 1 and 256")
		return ExitUsage
	}
	sh, err := contract.ParseShard(*shard)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab test: --shard:", err)
		return ExitUsage
	}
	threshold, formatter, code, ok := rf.parse("test", e)
	if !ok {
		return code
	}
	var dcfg *drift.Config
	if *config != "" {
		if dcfg, err = drift.LoadConfig(*config); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab test: --config:", err)
			return ExitUsage
		}
	}
	c, err := lf.loader().Load(ctx, paths[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab test:", err)
		return loadExit(err)
	}
	if err := checkConfigOperations(c, *config, dcfg); err != nil {
		fmt.Fprintln(e.stderr, "connectorlab test: --config:", err)
		return ExitUsage
	}
	conn, err := suite.ConnectFromEnv(c, *authSet, os.LookupEnv)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab test:", err)
		return workflowExit(err)
	}
	cc, code := cf.start(ctx, e, "test", c)
	if code != ExitOK {
		return code
	}
	cfg := suite.RunConfig{Generate: *generate, Seed: *seed, Concurrency: *concurrency, Timeout: *timeout, MaxRetryWait: *maxWait,
		NoPolicies: *noPolicies, Drift: dcfg, Shard: sh, FailOn: threshold, Recordings: *recs, Log: e.log}
	if cc != nil {
		defer cc.Host.Close()
		cfg.Script = cc
	}
	var store *sqlite.Store
	var inputs []suite.Input
	if !*generate {
		inputs, store, code = loadRecordings(ctx, e, "test", *recs, *session, c.Name)
		if code != ExitOK {
			return code
		}
		if store != nil {
			defer store.Close()
		}
	}
	plan := suite.Prepare(c, tu, conn, cfg, inputs)
	for _, f := range plan.PolicyFindings {
		fmt.Fprintf(e.stderr, "connectorlab test: policy: %s\n", f.Message)
	}
	rep, _, err := plan.Run(ctx, "connectorlab "+Version, newProgress(e))
	for _, s := range plan.Skipped {
		fmt.Fprintln(e.stderr, "connectorlab test: skipped", s)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab test:", err)
		return workflowExit(err)
	}
	if suite.Cases(rep) == 0 && !*generate {
		// Nothing replayed is no evidence of a pass: say so.
		fmt.Fprintf(e.stderr, "connectorlab test: no recorded exchange was replayed from %s (an empty session, or none for this connector or shard)\n", *recs)
	}
	if store != nil && !*noHistory {
		if _, err := plan.Save(ctx, store, rep); err != nil {
			fmt.Fprintf(e.stderr, "connectorlab test: run history not saved: %v\n", err)
		}
	}
	return rf.write("test", e, formatter, rep)
}

// checkConfigOperations refuses a config rule scoped to an operation the
// definition lacks: it would never apply, and a typo would go unnoticed.
func checkConfigOperations(c *connector.Connector, file string, cfg *drift.Config) error {
	if cfg == nil {
		return nil
	}
	for _, list := range []struct {
		key   string
		rules []drift.Rule
	}{{"ignore", cfg.Ignore}, {"compare", cfg.Compare}} {
		for i, r := range list.rules {
			if r.Operation == "" || c.Operation(r.Operation) != nil {
				continue
			}
			best, bestD := "", 1<<30
			for _, op := range c.Operations {
				if d := spelling.Distance(strings.ToLower(r.Operation), strings.ToLower(op.ID)); d < bestD {
					best, bestD = op.ID, d
				}
			}
			hint := "use an operationId of the definition (connectorlab inspect lists them)"
			if best != "" && bestD <= 3 {
				hint = fmt.Sprintf("did you mean %q?", best)
			}
			return fmt.Errorf("%s: %s[%d].operation %q is not an operation of %s; %s", file, list.key, i, r.Operation, c.Name, hint)
		}
	}
	return nil
}
