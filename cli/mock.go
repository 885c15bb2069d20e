package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/spelling"
	"github.com/connectorlab/connectorlab/workflow/faults"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

// mockConfig is the optional --config file: stateful resources and
// per-operation faults.
type mockConfig struct {
	SchemaVersion int             `json:"schemaVersion"`
	Resources     []mock.Resource `json:"resources,omitempty"`
	Faults        *faults.Spec    `json:"faults,omitempty"`
}

type mockFlags struct {
	overrides   overridesFlag
	port        int
	host        string
	seed        uint64
	validate    bool
	auth        string
	stateful    bool
	watch       bool
	prefix      bool
	logFormat   string
	config      string
	latency     string
	errorRate   float64
	resetRate   float64
	throttle    string
	maxBodyMB   int
	replay      string
	session     string
	fallback    string
	spy         string
	record      string
	allowRemote bool
	conformance bool
	target      string
	noBasePath  bool
	format      string
	lf          loadFlags
	pp          ppFlags
}

func runMock(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("mock", "PATH...", "Serve connectors as mock APIs on localhost: routing, validation, auth and generated responses.\n"+
		"Credentials the mock requires come from the environment: CONNECTORLAB_MOCK_API_KEY, CONNECTORLAB_MOCK_USERNAME,\n"+
		"CONNECTORLAB_MOCK_PASSWORD, CONNECTORLAB_MOCK_CLIENT_ID, CONNECTORLAB_MOCK_CLIENT_SECRET (unset: any value is accepted).", e)
	var f mockFlags
	fs.IntVar(&f.port, "port", 4010, "port of the first connector (each further connector takes the next port; 0 picks free ports)")
	fs.IntVar(&f.port, "p", 4010, "shorthand for --port")
	fs.StringVar(&f.host, "host", "127.0.0.1", "address to listen on; anything but loopback needs --allow-remote")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow --host to be a non-loopback address")
	fs.Uint64Var(&f.seed, "seed", 0, "seed for generated data: the same seed and request give the same response")
	fs.BoolVar(&f.validate, "validate", true, "validate requests against the definition (400/415/422 on failure)")
	fs.StringVar(&f.auth, "auth", "on", "enforce the connector's auth: on or off")
	fs.BoolVar(&f.stateful, "stateful", false, "keep resources created with POST for GET, list, PUT, PATCH and DELETE")
	fs.Var(&f.overrides, "overrides", "apply per-operation overrides: alone, each connector's .connectorlab/overrides.json; =FILE, that file (live: edits apply without a restart)")
	fs.BoolVar(&f.watch, "watch", false, "reload a connector when its files change (a broken edit keeps the last good version)")
	fs.BoolVar(&f.prefix, "prefix", false, "serve every connector on one port under /{connector-name}/")
	fs.StringVar(&f.logFormat, "log-format", "text", "traffic log on stdout: text, json or off")
	fs.StringVar(&f.config, "config", "", "JSON file with stateful resources and per-operation faults")
	fs.StringVar(&f.latency, "latency", "", "delay every answer: a duration (200ms) or a range (100ms-1s)")
	fs.Float64Var(&f.errorRate, "error-rate", 0, "share of requests (0-1) answered with 500")
	fs.Float64Var(&f.resetRate, "reset-rate", 0, "share of requests (0-1) whose connection is reset")
	fs.StringVar(&f.throttle, "throttle", "", "answer 429 with Retry-After beyond N requests per window: N/1m")
	fs.IntVar(&f.maxBodyMB, "max-body", mock.DefaultMaxBodyBytes>>20, "largest request body in MiB (413 beyond)")
	fs.StringVar(&f.replay, "replay", "", "answer from the recordings in this database file")
	fs.StringVar(&f.session, "session", "", "with --replay: the recording session to use")
	fs.StringVar(&f.fallback, "fallback", "", "with --replay: simulate when no recording matches")
	fs.StringVar(&f.spy, "spy", "", "with --replay: forward misses to this live API URL and record them")
	fs.StringVar(&f.record, "record", "", "record the mock's own traffic into this database file")
	fs.BoolVar(&f.conformance, "conformance", false, "instead of serving: send one valid request per operation and check each answer against the definition")
	fs.StringVar(&f.target, "target", "", "with --conformance: check this running mock (e.g. Prism) instead of the built-in one")
	fs.BoolVar(&f.noBasePath, "no-base-path", false, "with --conformance: leave the basePath out of request paths (Prism routes on the path keys alone)")
	fs.StringVar(&f.format, "format", "text", "with --conformance: text or json")
	f.lf.register(fs)
	f.pp.register(fs)
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(e.stderr, "connectorlab mock: give at least one PATH (connector folder, OpenAPI file or Postman collection)")
		return ExitUsage
	}
	base, err := f.options(e)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab mock:", err)
		return ExitUsage
	}
	f.pp.apply(&base, e)
	need := len(paths)
	if f.prefix {
		need = 1
	}
	if f.port < 0 || f.port+need-1 > 65535 {
		msg := fmt.Sprintf("--port %d is not a port: use 1-65535, or 0 for free ports", f.port)
		if need > 1 && f.port >= 0 && f.port <= 65535 {
			msg = fmt.Sprintf("--port %d: %d connectors need ports %d-%d, past 65535; pick a lower port or --prefix", f.port, need, f.port, f.port+need-1)
		}
		fmt.Fprintln(e.stderr, "connectorlab mock:", msg)
		return ExitUsage
	}
	if !mock.IsLoopback(f.host) && !f.allowRemote {
		fmt.Fprintf(e.stderr, "connectorlab mock: --host %s would expose the mock to the network; add --allow-remote if you mean it\n", f.host)
		return ExitUsage
	}
	modes, code := f.openRecordingModes(ctx, e, len(paths))
	if code != ExitOK {
		return code
	}
	defer modes.close(e)

	loader := f.lf.loader()
	if f.conformance {
		return runConformance(ctx, e, &f, base, loader, paths)
	}
	var units []*mockUnit
	for _, p := range paths {
		c, err := loader.Load(ctx, p)
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock:", err)
			return loadExit(err)
		}
		ub, code := modes.options(ctx, e, c, base)
		if code != ExitOK {
			return code
		}
		if f.overrides.file != "" && len(paths) > 1 {
			fmt.Fprintln(e.stderr, "connectorlab mock: --overrides=FILE names one file but several connectors are served; use --overrides alone to read each connector's .connectorlab/overrides.json")
			return ExitUsage
		}
		if err := applyOverrides(ctx, e, &f.overrides, p, c, &ub); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock:", err)
			return ExitUsage
		}
		u := &mockUnit{path: p, slug: recorder.Slug(c.Name), base: ub, state: mock.NewState()}
		if err := u.build(c); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock:", err)
			return ExitUsage
		}
		units = append(units, u)
	}
	if err := checkFaultOperations(f.config, base.Faults, units); err != nil {
		fmt.Fprintln(e.stderr, "connectorlab mock:", err)
		return ExitUsage
	}
	uniqueSlugs(units)

	type listener struct {
		ln   net.Listener
		h    http.Handler
		unit []*mockUnit
	}
	var lns []listener
	if f.prefix || len(units) == 1 {
		ln, err := mock.Listen(f.host, f.port)
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab mock:", err)
			return ExitInfra
		}
		if len(units) == 1 && !f.prefix {
			lns = append(lns, listener{ln, units[0], units})
		} else {
			lns = append(lns, listener{ln, prefixMux(units), units})
		}
	} else {
		for i, u := range units {
			port := f.port
			if port != 0 {
				port += i
			}
			ln, err := mock.Listen(f.host, port)
			if err != nil {
				for _, l := range lns {
					l.ln.Close()
				}
				fmt.Fprintln(e.stderr, "connectorlab mock:", err)
				return ExitInfra
			}
			lns = append(lns, listener{ln, u, []*mockUnit{u}})
		}
	}

	for _, l := range lns {
		addr := l.ln.Addr().String()
		for _, u := range l.unit {
			url := "http://" + addr
			if f.prefix || len(units) > 1 && len(l.unit) > 1 {
				url += "/" + u.slug
			}
			u.url = url
			f.pp.hub.SetURL(u.cur.Load().Options().Name, url)
			printBanner(e.stdout, u)
		}
	}
	stopAdmin, err := f.pp.start(ctx, e)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab mock:", err)
		return ExitInfra
	}
	defer stopAdmin()
	fmt.Fprintln(e.stdout, "Press Ctrl-C to stop.")

	var wg sync.WaitGroup
	errc := make(chan error, len(lns))
	for _, l := range lns {
		srv := mock.NewHTTPServer(l.h, e.log)
		wg.Add(1)
		go func(ln net.Listener) {
			defer wg.Done()
			if err := mock.Serve(ctx, srv, ln, 5*time.Second); err != nil {
				errc <- err
			}
		}(l.ln)
	}
	if f.watch {
		for _, u := range units {
			go u.watch(ctx, loader, e)
		}
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		fmt.Fprintln(e.stderr, "connectorlab mock:", err)
		return ExitInfra
	}
	fmt.Fprintln(e.stdout, "Stopped.")
	return ExitOK
}

// checkFaultOperations refuses per-operation faults for an operationId no
// served connector has: a typo would otherwise leave the fault silently off.
func checkFaultOperations(config string, faults mock.Faults, units []*mockUnit) error {
	known := map[string]bool{}
	var ids []string
	for _, u := range units {
		for _, op := range u.cur.Load().Connector().Operations {
			if !known[op.ID] {
				known[op.ID] = true
				ids = append(ids, op.ID)
			}
		}
	}
	names := make([]string, 0, len(faults.Operations))
	for id := range faults.Operations {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range names {
		if known[id] {
			continue
		}
		best, bestD := "", 1<<30
		for _, k := range ids {
			if d := spelling.Distance(strings.ToLower(id), strings.ToLower(k)); d < bestD {
				best, bestD = k, d
			}
		}
		hint := "use an operationId of the connector (connectorlab inspect lists them)"
		if best != "" && bestD <= 3 {
			hint = fmt.Sprintf("did you mean %q?", best)
		}
		return fmt.Errorf("--config %s: faults.operations.%s: no served connector has the operation %q; %s", config, id, id, hint)
	}
	return nil
}

// options turns flags and the config file into mock.Options.
func (f *mockFlags) options(e *env) (mock.Options, error) {
	o := mock.Options{Seed: f.seed, DisableValidation: !f.validate, Stateful: f.stateful, MaxBodyBytes: int64(f.maxBodyMB) << 20}
	switch f.auth {
	case "on":
	case "off":
		o.DisableAuth = true
	default:
		return o, fmt.Errorf("--auth %q: use on or off", f.auth)
	}
	o.Credentials = mock.Credentials{
		APIKey: os.Getenv("CONNECTORLAB_MOCK_API_KEY"), Username: os.Getenv("CONNECTORLAB_MOCK_USERNAME"),
		Password: os.Getenv("CONNECTORLAB_MOCK_PASSWORD"), ClientID: os.Getenv("CONNECTORLAB_MOCK_CLIENT_ID"),
		ClientSecret: os.Getenv("CONNECTORLAB_MOCK_CLIENT_SECRET"),
	}
	switch f.logFormat {
	case "off":
	case "text", "json":
		sink, _ := mock.NewLogSink(e.stdout, f.logFormat)
		o.Sink = sink
	default:
		return o, fmt.Errorf("--log-format %q: use text, json or off", f.logFormat)
	}
	o.Log = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fc := faults.Spec{Latency: f.latency, ErrorRate: f.errorRate, ResetRate: f.resetRate, Throttle: f.throttle}
	if f.config != "" {
		b, err := os.ReadFile(f.config)
		if err != nil {
			return o, fmt.Errorf("--config: %w", err)
		}
		var cfg mockConfig
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return o, fmt.Errorf("--config %s: %w", f.config, err)
		}
		if cfg.SchemaVersion != 1 {
			return o, fmt.Errorf("--config %s: schemaVersion is %d; this version of Connector Lab reads schemaVersion 1 (add \"schemaVersion\": 1)", f.config, cfg.SchemaVersion)
		}
		if len(cfg.Resources) > 0 && !f.stateful {
			return o, fmt.Errorf("--config %s: resources only apply with --stateful; add --stateful or remove them", f.config)
		}
		o.Resources = cfg.Resources
		if cfg.Faults != nil {
			fc.Operations = cfg.Faults.Operations
			if fc.Latency == "" {
				fc.Latency = cfg.Faults.Latency
			}
			if fc.ErrorRate == 0 {
				fc.ErrorRate, fc.ErrorStatus = cfg.Faults.ErrorRate, cfg.Faults.ErrorStatus
			}
			if fc.ResetRate == 0 {
				fc.ResetRate = cfg.Faults.ResetRate
			}
			if fc.Throttle == "" {
				fc.Throttle = cfg.Faults.Throttle
			}
		}
	}
	fl, err := fc.Parse()
	if err != nil {
		return o, err
	}
	o.Faults = fl
	return o, nil
}

// mockUnit is one served connector; its handler can be swapped on reload.
type mockUnit struct {
	path  string
	slug  string
	url   string
	base  mock.Options
	state *mock.State
	cur   atomic.Pointer[mock.Server]
}

func (u *mockUnit) build(c *connector.Connector) error {
	o := u.base
	o.State = u.state
	s, err := mock.New(c, o)
	if err != nil {
		return err
	}
	u.cur.Store(s)
	return nil
}

func (u *mockUnit) ServeHTTP(w http.ResponseWriter, r *http.Request) { u.cur.Load().ServeHTTP(w, r) }

// watch reloads the connector when one of its files changes. A load error
// keeps the running version and says why.
func (u *mockUnit) watch(ctx context.Context, loader *connector.Loader, e *env) {
	stamp := func() string {
		c := u.cur.Load().Connector()
		var b strings.Builder
		for _, p := range []string{c.Files.Definition, c.Files.Properties} {
			if p == "" {
				continue
			}
			if st, err := os.Stat(p); err == nil {
				fmt.Fprintf(&b, "%s:%d:%d;", p, st.Size(), st.ModTime().UnixNano())
			}
		}
		return b.String()
	}
	last := stamp()
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := stamp()
		if now == last {
			continue
		}
		last = now
		c, err := loader.Load(ctx, u.path)
		if err == nil {
			err = u.build(c)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "connectorlab mock: reload of %s failed, still serving the last good version: %v\n", u.path, err)
			continue
		}
		fmt.Fprintf(e.stdout, "Reloaded %s (%d operations)\n", c.Name, len(c.Operations))
	}
}

func uniqueSlugs(units []*mockUnit) {
	seen := map[string]int{}
	for _, u := range units {
		seen[u.slug]++
		if n := seen[u.slug]; n > 1 {
			u.slug = fmt.Sprintf("%s-%d", u.slug, n)
		}
	}
}

// prefixMux serves several connectors under /{slug}/ on one port; "/"
// lists them.
func prefixMux(units []*mockUnit) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		name, rest, _ := strings.Cut(p, "/")
		for _, u := range units {
			if u.slug == name {
				r2 := r.Clone(r.Context())
				// The mock puts the prefix back into the URLs it hands out.
				r2.Header.Set("X-Forwarded-Prefix", strings.TrimSuffix(r.Header.Get("X-Forwarded-Prefix"), "/")+"/"+u.slug)
				r2.URL.Path = "/" + rest
				if r.URL.RawPath != "" {
					_, rawRest, _ := strings.Cut(strings.TrimPrefix(r.URL.RawPath, "/"), "/")
					r2.URL.RawPath = "/" + rawRest
				}
				u.ServeHTTP(w, r2)
				return
			}
		}
		type entry struct {
			Name   string `json:"name"`
			Prefix string `json:"prefix"`
		}
		list := []entry{}
		for _, u := range units {
			list = append(list, entry{u.cur.Load().Connector().Name, "/" + u.slug + "/"})
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"type": mock.ProblemTypeBase + "no-connector", "title": "No such connector", "status": 404,
			"detail": "the first path segment names the connector; see connectors", "connectors": list,
		})
	})
}

// printBanner shows where a connector is served and a request to try.
func printBanner(w io.Writer, u *mockUnit) {
	s := u.cur.Load()
	c := s.Connector()
	fmt.Fprintf(w, "Mocking %s (%d operations) at %s\n", c.Name, len(c.Operations), u.url)
	if c.CustomCode != nil {
		fmt.Fprintln(w, "  note: this connector has custom code (script.csx); it is not executed, responses come from the definition")
	}
	if ex := exampleRequest(s, u.url); ex != "" {
		fmt.Fprintf(w, "  try: %s\n", ex)
	}
}

var _ recordings.Sink = (*mock.LogSink)(nil)

// exampleRequest is a ready-to-paste curl command for the connector's most
// typical read: a visible GET by id, else any visible GET, else the first
// operation, built by package probe (credentials the mock accepts included).
func exampleRequest(s *mock.Server, base string) string {
	c := s.Connector()
	score := func(op *connector.Operation) int {
		n := 0
		if op.Method == http.MethodGet {
			n += 4
		}
		if op.Trigger == nil && op.Visibility != connector.VisibilityInternal {
			n += 2
		}
		if strings.Contains(op.Path, "{") {
			n++
		}
		return n
	}
	var pick *connector.Operation
	for _, op := range c.Operations {
		if pick == nil || score(op) > score(pick) {
			pick = op
		}
	}
	if pick == nil {
		return ""
	}
	// A bearer token the mock itself issued (valid for AccessTokenTTL): the
	// probe's placeholder token is refused by an OAuth 2.0 connector's mock.
	cr := probe.Credentials{BearerToken: s.IssueToken("mock-user", "")}
	req, err := probe.New(c, probe.Options{Seed: 1, Credentials: cr}).Build(pick)
	if err != nil {
		return ""
	}
	return req.Curl(base)
}
