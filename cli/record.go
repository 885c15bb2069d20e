package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

// DBEnv names the environment variable with the default recordings file.
const DBEnv = "CONNECTORLAB_DB"

// defaultDB is the recordings file used when --db is not given.
func defaultDB() string {
	if v := os.Getenv(DBEnv); v != "" {
		return v
	}
	return "recordings.db"
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type recordFlags struct {
	upstream, session, db, host, authSet, rules string
	port                                        int
	allowRemote, bestEffort, noPrompt, verbose  bool
	upstreamIsMock                              bool
	tags, allowOrigins                          stringList
	bodyCapMB, maxBodyMB                        int
	timeout                                     time.Duration
	lf                                          loadFlags
	code                                        codeFlags
}

func runRecord(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("record", "PATH --upstream URL",
		"Run a recording proxy: forward requests to the live API with the connector's auth and policies applied,\n"+
			"and record every exchange (redacted) into a SQLite file. A client gets its response only after the\n"+
			"exchange is stored. Connection parameters come from environment variables CONNECTORLAB_PARAM_<NAME>\n"+
			"(e.g. CONNECTORLAB_PARAM_API_KEY) or, on a terminal, a prompt; never from flags.", e)
	var f recordFlags
	fs.StringVar(&f.upstream, "upstream", "", "base URL of the live API (what scheme://host/basePath would be); default: the connector's host and basePath")
	fs.BoolVar(&f.upstreamIsMock, "upstream-is-mock", false, "--upstream is a 'connectorlab mock' of this connector: forward requests as the client sent them (the mock answers as the connector, its policies included) instead of applying the policies")
	fs.StringVar(&f.session, "session", "", "name of the recording session (default: CONNECTOR-YYYYMMDD-HHMMSS)")
	fs.StringVar(&f.db, "db", defaultDB(), "recordings database file (env "+DBEnv+")")
	fs.IntVar(&f.port, "port", DefaultRecordPort, "port to listen on (0 picks a free one)")
	fs.IntVar(&f.port, "p", DefaultRecordPort, "shorthand for --port")
	fs.StringVar(&f.host, "host", "127.0.0.1", "address to listen on; anything but loopback needs --allow-remote")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow --host to be a non-loopback address")
	fs.Var(&f.allowOrigins, "allow-origin", "browser origin (scheme://host:port) whose pages may use the proxy, e.g. a dev server (repeatable; other origins get 403)")
	fs.StringVar(&f.authSet, "auth-set", "", "connection parameter set to use (connectors with several ways to connect)")
	fs.StringVar(&f.rules, "rules", "", "extra redaction rules file (default: "+recordings.RulesFileName+" in the connector folder, when present)")
	fs.Var(&f.tags, "tag", "tag the session (repeatable)")
	fs.BoolVar(&f.bestEffort, "best-effort", false, "answer clients even when an exchange cannot be stored (the session is marked incomplete)")
	fs.BoolVar(&f.noPrompt, "no-prompt", false, "never prompt for connection parameters; missing ones stay unset")
	fs.IntVar(&f.bodyCapMB, "body-cap", recordings.DefaultBodyCap>>20, "store at most this many MiB of each body (the rest is counted and hashed)")
	fs.IntVar(&f.maxBodyMB, "max-body", 1024, "refuse request bodies larger than this many MiB with a 413 (0: no limit)")
	fs.DurationVar(&f.timeout, "timeout", 120*time.Second, "upstream timeout per exchange (504 beyond)")
	fs.BoolVar(&f.verbose, "v", false, "log every exchange on stderr")
	f.lf.register(fs)
	f.code.register(fs)
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) != 1 {
		fmt.Fprintln(e.stderr, "connectorlab record: give exactly one PATH (connector folder, OpenAPI file or Postman collection)")
		return ExitUsage
	}
	if f.bodyCapMB <= 0 {
		fmt.Fprintln(e.stderr, "connectorlab record: --body-cap must be at least 1 (MiB)")
		return ExitUsage
	}
	c, err := f.lf.loader().Load(ctx, paths[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		return loadExit(err)
	}
	set, err := recordings.AuthSet(c, f.authSet)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record: --auth-set:", err)
		return ExitUsage
	}
	cc, code := f.code.start(ctx, e, "record", c)
	if code != ExitOK {
		return code
	}
	if cc != nil {
		defer cc.Host.Close()
	}
	params, code := connectionParams(e, set, f.noPrompt)
	if code != ExitOK {
		return code
	}
	log := e.log
	if f.verbose {
		log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	if os.Getenv("GOGC") == "" {
		// The proxy allocates per exchange and lives long; trading memory
		// for fewer GC cycles buys throughput (measured in bench/record.sh).
		debug.SetGCPercent(400)
	}
	limits := recordings.Limits{BodyCap: int64(f.bodyCapMB) << 20}
	// Spool: answers wait for a write(2) of the exchange, not for its
	// SQLite commit; as safe against kill -9 (docs/PERFORMANCE.md, issue 17).
	store, err := sqlite.Open(ctx, f.db, sqlite.Options{Logger: log, Limits: limits, Spool: true})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		return ExitInfra
	}
	defer store.Close()
	rec, err := recorder.Start(ctx, store, c, recorder.Config{
		Upstream: f.upstream, UpstreamIsMock: f.upstreamIsMock, Session: f.session, AuthSet: f.authSet, Params: params, AllowMissing: f.noPrompt,
		RulesFile: f.rules, Tags: f.tags, BestEffort: f.bestEffort,
		Host: f.host, Port: f.port, AllowRemote: f.allowRemote, AllowOrigins: f.allowOrigins,
		Limits: limits, MaxRequestBody: int64(f.maxBodyMB) << 20, Timeout: f.timeout, Logger: log, CustomCode: cc,
		OnStoreError: func(err error) {
			fmt.Fprintf(e.stderr, "connectorlab record: EXCHANGE NOT RECORDED: %v\n", err)
		},
		PolicyFinding: func(fd connector.Finding) {
			fmt.Fprintf(e.stderr, "connectorlab record: policy %s: %s (%s); that policy is not applied\n", fd.ID, fd.Message, fd.Pointer)
		},
	})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		return workflowExit(err)
	}
	stopProfiles, err := startRecordProfiles()
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		_, _ = rec.Stop(ctx)
		return ExitUsage
	}
	name := rec.Session().Name
	fmt.Fprintf(e.stdout, "recording %s -> %s\nlistening on http://%s (session %q in %s); Ctrl-C stops\n", c.Name, rec.Upstream().Redacted(), rec.Addr(), name, store.Path())
	select {
	case <-ctx.Done():
	case <-rec.Done():
	}
	res, err := rec.Stop(ctx)
	if perr := stopProfiles(); perr != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", perr)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record: end session:", err)
		return ExitInfra
	}
	st := res.Stats
	fmt.Fprintf(e.stdout, "session %q: %d requests, %d exchanges stored, %d upstream failures, %d NOT stored\n", name, st.Requests, st.Stored, st.Failed, st.StoreErrors)
	if res.ServeErr != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", res.ServeErr)
		return ExitInfra
	}
	if st.StoreErrors > 0 {
		fmt.Fprintf(e.stderr, "connectorlab record: %d exchanges could not be stored; session %q is marked incomplete\n", st.StoreErrors, name)
		return ExitInfra
	}
	return ExitOK
}

// connectionParams reads connection parameter values from the environment
// and, on a terminal, prompts for the missing ones (secrets without echo).
func connectionParams(e *env, set connector.AuthSet, noPrompt bool) (map[string]string, int) {
	vals, missing := recordings.ParamsFromEnv(set, os.LookupEnv)
	if len(missing) == 0 {
		return vals, ExitOK
	}
	stdin := os.Stdin
	if !noPrompt && isTerminal(stdin) {
		rd := bufio.NewReader(stdin)
		for _, p := range missing {
			label := p.DisplayName
			if label == "" {
				label = p.Name
			}
			fmt.Fprintf(e.stderr, "%s (%s, or set %s): ", label, p.Type, recordings.ParamEnvName(p.Name))
			var v string
			var err error
			if p.Secret() {
				v, err = readSecret(stdin)
				fmt.Fprintln(e.stderr)
			} else {
				v, err = rd.ReadString('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				fmt.Fprintln(e.stderr, "connectorlab record: read", p.Name+":", err)
				return nil, ExitUsage
			}
			if v = strings.TrimRight(v, "\r\n"); v != "" {
				vals[p.Name] = v
			}
		}
		return vals, ExitOK
	}
	return vals, ExitOK
}
