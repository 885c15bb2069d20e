package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/route"
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
	tags                                        stringList
	bodyCapMB, maxBodyMB                        int
	timeout                                     time.Duration
	lf                                          loadFlags
}

func runRecord(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("record", "PATH --upstream URL",
		"Run a recording proxy: forward requests to the live API with the connector's auth and policies applied,\n"+
			"and record every exchange (redacted) into a SQLite file. A client gets its response only after the\n"+
			"exchange is stored. Connection parameters come from environment variables CONNECTORLAB_PARAM_<NAME>\n"+
			"(e.g. CONNECTORLAB_PARAM_API_KEY) or, on a terminal, a prompt; never from flags.", e)
	var f recordFlags
	fs.StringVar(&f.upstream, "upstream", "", "base URL of the live API (what scheme://host/basePath would be); default: the connector's host and basePath")
	fs.StringVar(&f.session, "session", "", "name of the recording session (default: CONNECTOR-YYYYMMDD-HHMMSS)")
	fs.StringVar(&f.db, "db", defaultDB(), "recordings database file (env "+DBEnv+")")
	fs.IntVar(&f.port, "port", 4020, "port to listen on (0 picks a free one)")
	fs.IntVar(&f.port, "p", 4020, "shorthand for --port")
	fs.StringVar(&f.host, "host", "127.0.0.1", "address to listen on; anything but loopback needs --allow-remote")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow --host to be a non-loopback address")
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
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) != 1 {
		fmt.Fprintln(e.stderr, "connectorlab record: give exactly one PATH (connector folder, OpenAPI file or Postman collection)")
		return ExitUsage
	}
	if !mock.IsLoopback(f.host) && !f.allowRemote {
		fmt.Fprintf(e.stderr, "connectorlab record: --host %s would expose the proxy (and your credentials) to the network; add --allow-remote if you mean it\n", f.host)
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
	up, err := recordUpstream(c, f.upstream)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		return ExitUsage
	}
	var engineUpstream *url.URL
	if f.upstream != "" {
		engineUpstream = up // an explicit --upstream wins over dynamichosturl
	}
	set, err := recordings.AuthSet(c, f.authSet)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record: --auth-set:", err)
		return ExitUsage
	}
	params, code := connectionParams(e, set, f.noPrompt)
	if code != ExitOK {
		return code
	}
	rules, err := recordings.RulesFor(c, f.rules)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record: --rules:", err)
		return ExitUsage
	}
	rules.Secrets = recordings.SecretValues(set, params)

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
	store, err := sqlite.Open(ctx, f.db, sqlite.Options{Logger: log, Limits: limits})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		return ExitInfra
	}
	defer store.Close()
	name := f.session
	if name == "" {
		name = slug(c.Name) + "-" + time.Now().Format("20060102-150405")
	}
	sess := &recordings.Session{Name: name, Connector: c.Name, Upstream: up.Redacted(), Source: recordings.SourceProxy,
		Tags: f.tags, BestEffort: f.bestEffort, Rules: rules}
	if err := store.CreateSession(ctx, sess); err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		if errors.Is(err, recordings.ErrExists) {
			return ExitUsage
		}
		return ExitInfra
	}

	var failOnce sync.Once
	var storeFailures int
	var mu sync.Mutex
	onStoreError := func(_ *recordings.Exchange, err error) {
		mu.Lock()
		storeFailures++
		mu.Unlock()
		fmt.Fprintf(e.stderr, "connectorlab record: EXCHANGE NOT RECORDED: %v\n", err)
		failOnce.Do(func() {
			if err := store.EndSession(context.WithoutCancel(ctx), sess.ID, recordings.SessionIncomplete, "an exchange could not be stored: "+err.Error()); err != nil {
				fmt.Fprintf(e.stderr, "connectorlab record: could not even mark session %q incomplete: %v\n", name, err)
			}
		})
	}
	engine, findings := policy.New(c, policy.Options{Params: params, Upstream: engineUpstream, Logger: log})
	for _, fd := range findings {
		if fd.Level == connector.LevelError {
			fmt.Fprintf(e.stderr, "connectorlab record: policy %s: %s (%s); that policy is not applied\n", fd.ID, fd.Message, fd.Pointer)
		}
	}
	router := route.New(c)
	proxy, err := recordings.NewProxy(recordings.ProxyOptions{
		Upstream:  up,
		BasePath:  c.BasePath,
		Sink:      store,
		SessionID: sess.ID,
		Connector: c.Name,
		Operation: func(method, path string) string {
			if m, _ := router.Find(method, route.Join(c.BasePath, path)); m != nil && m.Operation != nil {
				return m.Operation.ID
			}
			return ""
		},
		Auth:           recordings.AuthFor(set, params),
		Policies:       engine,
		Limits:         limits,
		MaxRequestBody: int64(f.maxBodyMB) << 20,
		Timeout:        f.timeout,
		BestEffort:     f.bestEffort,
		OnStoreError:   onStoreError,
		Logger:         log,
		// Listening beyond loopback (--allow-remote) means clients on other
		// machines, under other Host names.
		AllowRemoteClients: !mock.IsLoopback(f.host),
	})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		return ExitUsage
	}
	ln, err := mock.Listen(f.host, f.port)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", err)
		store.EndSession(context.WithoutCancel(ctx), sess.ID, recordings.SessionIncomplete, "the proxy could not listen: "+err.Error())
		return ExitInfra
	}
	srv := &http.Server{
		Handler:           proxy,
		ReadHeaderTimeout: mock.ReadHeaderTimeout,
		IdleTimeout:       mock.IdleTimeout,
		MaxHeaderBytes:    mock.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(e.stdout, "recording %s -> %s\nlistening on http://%s (session %q in %s); Ctrl-C stops\n", c.Name, up.Redacted(), ln.Addr(), name, store.Path())
	serveErr := mock.Serve(ctx, srv, ln, f.timeout+5*time.Second)

	st := proxy.Stats()
	status, problem := recordings.SessionComplete, ""
	switch {
	case serveErr != nil:
		status, problem = recordings.SessionIncomplete, "the proxy stopped: "+serveErr.Error()
	case st.StoreErrors > 0:
		status, problem = recordings.SessionIncomplete, fmt.Sprintf("%d exchanges could not be stored", st.StoreErrors)
	}
	if err := store.EndSession(context.WithoutCancel(ctx), sess.ID, status, problem); err != nil {
		fmt.Fprintln(e.stderr, "connectorlab record: end session:", err)
		return ExitInfra
	}
	fmt.Fprintf(e.stdout, "session %q: %d requests, %d exchanges stored, %d upstream failures, %d NOT stored\n", name, st.Requests, st.Stored, st.Failed, st.StoreErrors)
	if serveErr != nil {
		fmt.Fprintln(e.stderr, "connectorlab record:", serveErr)
		return ExitInfra
	}
	if st.StoreErrors > 0 {
		fmt.Fprintf(e.stderr, "connectorlab record: %d exchanges could not be stored; session %q is marked incomplete\n", st.StoreErrors, name)
		return ExitInfra
	}
	return ExitOK
}

// recordUpstream parses --upstream, defaulting to the connector's
// scheme://host/basePath.
func recordUpstream(c *connector.Connector, raw string) (*url.URL, error) {
	if raw == "" {
		if c.Host == "" {
			return nil, fmt.Errorf("--upstream is required: connector %s declares no host", c.Name)
		}
		scheme := "https"
		if len(c.Schemes) > 0 {
			scheme = c.Schemes[0]
		}
		raw = scheme + "://" + c.Host + c.BasePath
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("--upstream %q: want an absolute http or https URL such as https://api.example.com/v1", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("--upstream must not carry user:password@ (it would land in shell history); set the connection parameters in CONNECTORLAB_PARAM_* environment variables instead")
	}
	if u.RawQuery != "" {
		return nil, fmt.Errorf("--upstream %s: drop the query string; query parameters come from the requests (or the connector's policies)", u.Redacted())
	}
	return u, nil
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
	var req []string
	for _, p := range missing {
		if p.Required && p.Default == nil {
			req = append(req, recordings.ParamEnvName(p.Name))
		}
	}
	if len(req) > 0 && !noPrompt {
		fmt.Fprintf(e.stderr, "connectorlab record: required connection parameters are not set: %s\n(set them in the environment, run on a terminal to be prompted, or pass --no-prompt to forward the clients' own credentials)\n", strings.Join(req, ", "))
		return nil, ExitUsage
	}
	return vals, ExitOK
}
