package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/customcode"
	"github.com/connectorlab/connectorlab/workflow/faults"
	"github.com/connectorlab/connectorlab/workflow/mockhost"
)

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
	faults      faults.Spec
	maxBodyMB   int
	files       mockhost.Files
	session     string
	fallback    string
	spy         string
	allowRemote bool
	allowHosts  stringList
	corsOrigins stringList
	maxStoreMB  int
	maxItems    int
	conformance bool
	target      string
	noBasePath  bool
	format      string
	lf          loadFlags
	pp          ppFlags
	code        codeFlags
}

func runMock(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("mock", "PATH...", "Serve connectors as mock APIs on localhost: routing, validation, auth and generated responses.\n"+
		"Credentials the mock requires come from the environment: "+mockhost.CredentialsHelp()+" (unset: any value is accepted).", e)
	var f mockFlags
	fs.IntVar(&f.port, "port", 4010, "port of the first connector (each further connector takes the next port; 0 picks free ports)")
	fs.IntVar(&f.port, "p", 4010, "shorthand for --port")
	fs.StringVar(&f.host, "host", "127.0.0.1", "address to listen on; anything but loopback needs --allow-remote")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow --host to be a non-loopback address")
	fs.Var(&f.corsOrigins, "cors-origin", "let pages of this web origin (https://app.example.com; * for any) make state-changing requests (repeatable); pages on loopback always may, others only read")
	fs.IntVar(&f.maxStoreMB, "max-store-mb", mock.DefaultMaxStoreBytes>>20, "with --stateful: MiB of JSON the store keeps (oldest resources evicted, 413/429 beyond)")
	fs.IntVar(&f.maxItems, "max-items", mock.DefaultMaxItems, "with --stateful: resources kept per collection (the oldest is evicted)")
	fs.Var(&f.allowHosts, "allow-host", "also answer requests whose Host header is this name (repeatable; the mock answers only its own address and loopback names, against DNS rebinding)")
	fs.Uint64Var(&f.seed, "seed", 0, "seed for generated data: the same seed and request give the same response")
	fs.BoolVar(&f.validate, "validate", true, "validate requests against the definition (400/415/422 on failure)")
	fs.StringVar(&f.auth, "auth", "on", "enforce the connector's auth: on or off")
	fs.BoolVar(&f.stateful, "stateful", false, "keep resources created with POST for GET, list, PUT, PATCH and DELETE")
	fs.Var(&f.overrides, "overrides", "apply per-operation overrides: alone, each connector's .connectorlab/overrides.json; =FILE, that file (live: edits apply without a restart)")
	fs.BoolVar(&f.watch, "watch", false, "reload a connector when its files change (a broken edit keeps the last good version)")
	fs.BoolVar(&f.prefix, "prefix", false, "serve every connector on one port under /{connector-name}/")
	fs.StringVar(&f.logFormat, "log-format", "text", "traffic log on stdout: text, json or off")
	fs.StringVar(&f.config, "config", "", "JSON file with stateful resources and per-operation faults")
	fs.StringVar(&f.faults.Latency, "latency", "", "delay every answer: a duration (200ms) or a range (100ms-1s)")
	fs.Float64Var(&f.faults.ErrorRate, "error-rate", 0, "share of requests (0-1) answered with 500")
	fs.Float64Var(&f.faults.ResetRate, "reset-rate", 0, "share of requests (0-1) whose connection is reset")
	fs.StringVar(&f.faults.Throttle, "throttle", "", "answer 429 with Retry-After beyond N requests per window: N/1m")
	fs.IntVar(&f.maxBodyMB, "max-body", mock.DefaultMaxBodyBytes>>20, "largest request body in MiB (413 beyond)")
	fs.StringVar(&f.files.Replay, "replay", "", "answer from the recordings in this database file")
	fs.StringVar(&f.session, "session", "", "with --replay: the recording session to use")
	fs.StringVar(&f.fallback, "fallback", "", "with --replay: simulate when no recording matches")
	fs.StringVar(&f.spy, "spy", "", "with --replay: forward misses to this live API URL and record them")
	fs.StringVar(&f.files.Record, "record", "", "record the mock's own traffic into this database file")
	fs.BoolVar(&f.conformance, "conformance", false, "instead of serving: send one valid request per operation and check each answer against the definition")
	fs.StringVar(&f.target, "target", "", "with --conformance: check this running mock (e.g. Prism) instead of the built-in one")
	fs.BoolVar(&f.noBasePath, "no-base-path", false, "with --conformance: leave the basePath out of request paths (Prism routes on the path keys alone)")
	fs.StringVar(&f.format, "format", "text", "with --conformance: text or json")
	f.lf.register(fs)
	f.pp.register(fs)
	f.code.register(fs)
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	f.pp.explicit(fs)
	fail := func(err error) int {
		fmt.Fprintln(e.stderr, "connectorlab mock:", err)
		var le *connector.LoadError
		if errors.As(err, &le) {
			return loadExit(err)
		}
		return workflowExit(err)
	}
	if len(paths) == 0 {
		return fail(workflow.Usage("give at least one PATH", "a connector folder, OpenAPI file or Postman collection"))
	}
	if f.fallback != "" && f.fallback != "simulate" {
		return fail(workflow.Usage(fmt.Sprintf("--fallback %q is not a fallback", f.fallback), "the only fallback is simulate"))
	}
	base, err := mockhost.Settings{Seed: f.seed, NoValidation: !f.validate, Auth: f.auth, Stateful: f.stateful, LogFormat: f.logFormat,
		LogTo: e.stdout, ConfigFile: f.config, Faults: f.faults, MaxBodyMB: f.maxBodyMB, Credentials: mockhost.CredentialsFromEnv(os.Getenv),
		CORSOrigins: f.corsOrigins, MaxStoreMB: f.maxStoreMB, MaxItems: f.maxItems,
		Log: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}.Options()
	if err != nil {
		return fail(err)
	}
	f.pp.apply(&base, e)
	need := len(paths)
	if f.prefix {
		need = 1
	}
	if err := mockhost.CheckListen(f.host, f.allowRemote, f.port, need); err != nil {
		return fail(err)
	}
	modes := &mockhost.Modes{Session: f.session, Fallback: f.fallback == "simulate", Spy: f.spy, AllowRemoteClients: !mock.IsLoopback(f.host), Log: e.log,
		SpyParams: func(set connector.AuthSet) (map[string]string, error) {
			vals, code := connectionParams(e, set, false)
			if code != ExitOK {
				return nil, workflow.Usage("cannot read the connection parameters", "set CONNECTORLAB_PARAM_<NAME>")
			}
			return vals, nil
		}}
	f.files.Spy = f.spy != ""
	if err := modes.Check(f.files.Replay != "", len(paths)); err != nil {
		return fail(err)
	}
	closeStores, err := f.files.Open(ctx, modes, e.log)
	if err != nil {
		return fail(err)
	}
	defer closeStores()

	loader := f.lf.loader()
	if f.conformance {
		return runConformance(ctx, e, &f, base, loader, paths)
	}
	if err := f.overrides.spec().Check(len(paths)); err != nil {
		return fail(err)
	}
	fleet := &mockhost.Fleet{Host: f.host, Port: f.port, Prefix: f.prefix, AllowHosts: f.allowHosts, Log: e.log}
	defer fleet.Close(context.WithoutCancel(ctx))
	for _, p := range paths {
		c, err := loader.Load(ctx, p)
		if err != nil {
			return fail(err)
		}
		o, att, err := modes.Apply(ctx, c, base)
		if err != nil {
			return fail(err)
		}
		for _, l := range att.Lines(c.Name, f.files.Record) {
			fmt.Fprintln(e.stdout, l)
		}
		line, err := f.overrides.spec().Apply(ctx, p, c, &o, func(err error) { fmt.Fprintln(e.stderr, "connectorlab mock:", err) })
		if err != nil {
			return fail(err)
		}
		if line != "" {
			fmt.Fprintln(e.stdout, line)
		}
		if err := fleet.Add(p, c, o, att); err != nil {
			return fail(err)
		}
		cc, code := f.code.start(ctx, e, "mock", c)
		if code != ExitOK {
			return code
		}
		if cc != nil {
			u := fleet.Served[len(fleet.Served)-1].Unit
			u.UseCustomCode(cc)
			defer u.UseCustomCode(nil) // closes the script host
		}
	}
	where := ""
	if f.config != "" {
		where = "--config " + f.config
	}
	if err := mockhost.CheckFaultOperations(where, base.Faults, fleet.Connectors()); err != nil {
		return fail(err)
	}
	if err := fleet.Listen(); err != nil {
		return fail(err)
	}
	for _, s := range fleet.Served {
		f.pp.hub.SetURL(s.Unit.Options().Name, s.URL)
		for _, l := range s.Banner() {
			fmt.Fprintln(e.stdout, l)
		}
	}
	stopAdmin, err := f.pp.start(ctx, e)
	if err != nil {
		return fail(err)
	}
	defer stopAdmin()
	fmt.Fprintln(e.stdout, "Press Ctrl-C to stop.")
	if f.watch {
		fleet.Watch(ctx, loader.Load, func(s *mockhost.Served, c *connector.Connector, err error) {
			if err != nil {
				fmt.Fprintln(e.stderr, "connectorlab mock:", err)
				return
			}
			fmt.Fprintf(e.stdout, "Reloaded %s (%d operations)\n", c.Name, len(c.Operations))
			if mode, _ := f.code.parsedMode(); mode != customcode.Off {
				ok, err := customcode.Reload(ctx, s.Unit, c, customcode.Options{Mode: mode, Timeout: f.code.timeout, Logger: e.log})
				if err != nil {
					fmt.Fprintln(e.stderr, "connectorlab mock:", err)
				} else if ok {
					fmt.Fprintf(e.stdout, "Recompiled %s\n", c.CustomCode.File)
				}
			}
		})
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		boundHeap()
	}
	if err := fleet.Serve(ctx); err != nil {
		return fail(err)
	}
	fmt.Fprintln(e.stdout, "Stopped.")
	return ExitOK
}

// boundHeap sets a soft memory limit of twice the live heap once the
// connectors are loaded, plus 8 MiB: the collector's usual goal at GOGC=100,
// with its overshoot under load capped (issue 17: the mock of the largest
// dev connector peaked at 61-66 MiB RSS without it; docs/PERFORMANCE.md).
// It scales with what is loaded, so a large fleet is not starved.
func boundHeap() {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	debug.SetMemoryLimit(max(int64(ms.HeapAlloc)*2+8<<20, 32<<20))
}
