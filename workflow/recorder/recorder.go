package recorder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow"
)

// CustomCodeTag marks a session recorded with the connector's script
// running in front of the proxy: its exchanges are what the gateway sent
// to the API (after the script), so test replays them without it.
const CustomCodeTag = "custom-code"

// Store is what a recording needs of a recordings database.
type Store interface {
	recordings.Sink
	CreateSession(ctx context.Context, s *recordings.Session) error
	EndSession(ctx context.Context, id int64, status recordings.SessionStatus, problem string) error
}

// Config is one recording. Zero values take the defaults noted.
type Config struct {
	// Upstream is the live API's base URL; "" means the connector's
	// scheme://host/basePath. An explicit one wins over dynamichosturl.
	Upstream string
	// UpstreamIsMock says Upstream is a Connector Lab mock of this
	// connector (`connectorlab mock`, with or without the basePath): it
	// serves the connector-facing paths and answers as the connector
	// does, its policy templates included. Requests then go to it as the
	// client sent them (basePath + operation path, with the connection's
	// credentials); the policies that translate between the connector and
	// the backend API (routing, host, request and response rewrites) are
	// the mock's part and are not applied twice.
	UpstreamIsMock bool
	// Session names the session; "" means CONNECTOR-YYYYMMDD-HHMMSS.
	Session string
	// AuthSet picks the connection parameter set ("" = the first).
	AuthSet string
	// Params are the connection parameter values (never stored).
	Params map[string]string
	// AllowMissing forwards without the required parameters (the
	// clients' own credentials pass through).
	AllowMissing bool
	// RulesFile is an extra redaction rules file; "" uses the connector
	// folder's rules file when present.
	RulesFile  string
	Tags       []string
	BestEffort bool
	// Host (default 127.0.0.1) and Port (0 = a free one) to listen on.
	Host string
	Port int
	// AllowRemote allows a non-loopback Host.
	AllowRemote bool
	// AllowOrigins are browser origins whose pages may use the proxy.
	AllowOrigins   []string
	Limits         recordings.Limits
	MaxRequestBody int64
	// Timeout per upstream exchange (default 120s).
	Timeout time.Duration
	// Observe, when set, sees every exchange after the store took it
	// (storeErr is the store's answer); x is redacted when storeErr is nil.
	Observe func(ctx context.Context, x *recordings.Exchange, storeErr error)
	// OnStoreError is called once, when the first exchange cannot be
	// stored (the session is already marked incomplete).
	OnStoreError func(err error)
	// PolicyFinding is called for each policy that cannot be applied.
	PolicyFinding func(f connector.Finding)
	// CustomCode, when set, runs the connector's script in front of the
	// proxy: what the script sends (SendAsync) is what is forwarded and
	// recorded, and the client gets the script's response.
	CustomCode *scripthost.Runner
	Logger     *slog.Logger
	Now        func() time.Time
}

// Recording is a running recording proxy.
type Recording struct {
	connector *connector.Connector
	store     Store
	session   *recordings.Session
	upstream  *url.URL
	proxy     *recordings.Proxy
	addr      *net.TCPAddr
	cancel    context.CancelFunc
	done      chan struct{}
	serveErr  error
	stopOnce  sync.Once
	gone      atomic.Pointer[error] // why the database went away, if it did
	result    Result
	resultErr error
}

// Result is how a recording ended.
type Result struct {
	Status  recordings.SessionStatus
	Problem string
	Stats   recordings.ProxyStats
	// ServeErr is why the proxy stopped serving early, if it did.
	ServeErr error
}

// Start validates cfg, creates the session in st and serves the proxy
// until Stop (or until ctx is done).
func Start(ctx context.Context, st Store, c *connector.Connector, cfg Config) (*Recording, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 120 * time.Second
	}
	if !mock.IsLoopback(cfg.Host) && !cfg.AllowRemote {
		return nil, workflow.Usage("host "+cfg.Host+" would expose the proxy (and your credentials) to the network", "listen on 127.0.0.1, or allow remote clients (--allow-remote) if you mean it")
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, workflow.Usage(fmt.Sprintf("port %d is out of range", cfg.Port), "use 1-65535, or 0 for any free port")
	}
	up, err := ParseUpstream(c, cfg.Upstream)
	if err != nil {
		return nil, err
	}
	if cfg.UpstreamIsMock {
		if strings.TrimSpace(cfg.Upstream) == "" {
			return nil, workflow.Usage("upstream-is-mock needs the mock's URL as the upstream", "give the URL 'connectorlab mock' prints, e.g. http://127.0.0.1:4010")
		}
		up = MockBase(c, up)
	}
	var engineUpstream *url.URL
	if strings.TrimSpace(cfg.Upstream) != "" {
		engineUpstream = up // an explicit upstream wins over dynamichosturl
	}
	for _, o := range cfg.AllowOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
			return nil, workflow.Usage(fmt.Sprintf("allowed origin %q is not an origin", o), "give scheme://host:port, e.g. http://localhost:5173")
		}
	}
	set, err := recordings.AuthSet(c, cfg.AuthSet)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "auth set: " + err.Error(), Fix: "pick one of the connector's connection types", Err: err}
	}
	params := map[string]string{}
	for k, v := range cfg.Params {
		if v != "" {
			params[k] = v
		}
	}
	if !cfg.AllowMissing {
		if err := workflow.MissingParamsError(workflow.MissingParams(set, params)); err != nil {
			return nil, err
		}
	}
	if err := recordings.CheckAuth(set, params); err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "connection " + set.Name + ": " + err.Error(), Fix: "give the user name as a connection parameter", Err: err}
	}
	rules, err := recordings.RulesFor(c, cfg.RulesFile)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "redaction rules: " + err.Error(), Fix: "fix or remove the rules file", Err: err}
	}
	rules.Secrets = recordings.SecretValues(set, params)

	name := SessionName(c.Name, cfg.Session, now())
	if cfg.CustomCode != nil {
		cfg.Tags = append(append([]string(nil), cfg.Tags...), CustomCodeTag)
	}
	sess := &recordings.Session{Name: name, Connector: c.Name, Upstream: up.Redacted(), Source: recordings.SourceProxy,
		Tags: cfg.Tags, BestEffort: cfg.BestEffort, Rules: rules}
	if err := st.CreateSession(ctx, sess); err != nil {
		if errors.Is(err, recordings.ErrExists) {
			return nil, &workflow.Error{Kind: workflow.KindExists, Message: fmt.Sprintf("a session named %q already exists", name), Fix: "pick another session name, or leave it empty for a dated one", Err: err}
		}
		return nil, &workflow.Error{Kind: workflow.KindInfra, Message: "cannot create the session: " + err.Error(), Fix: "check the recordings database", Err: err}
	}
	r := &Recording{connector: c, store: st, session: sess, upstream: up, done: make(chan struct{})}
	fail := func(msg string, err error, kind workflow.Kind, fix string) error {
		_ = st.EndSession(context.WithoutCancel(ctx), sess.ID, recordings.SessionIncomplete, msg+": "+err.Error())
		return &workflow.Error{Kind: kind, Message: msg + ": " + err.Error(), Fix: fix, Err: err}
	}

	var sink recordings.Sink = st
	if cfg.Observe != nil {
		sink = recordings.SinkFunc(func(ctx context.Context, x *recordings.Exchange) error {
			err := st.Record(ctx, x) // redacts x in place before storing
			cfg.Observe(ctx, x, err)
			return err
		})
	}
	var failOnce sync.Once
	onStoreError := func(_ *recordings.Exchange, err error) {
		failOnce.Do(func() {
			if e := st.EndSession(context.WithoutCancel(ctx), sess.ID, recordings.SessionIncomplete, "an exchange could not be stored: "+err.Error()); e != nil {
				log.Error("cannot mark the session incomplete", "session", name, "err", e)
			}
			if cfg.OnStoreError != nil {
				cfg.OnStoreError(err)
			}
		})
	}
	engine, findings := policy.New(c, policy.Options{Params: params, Upstream: engineUpstream, Logger: log})
	for _, fd := range findings {
		if fd.Level == connector.LevelError && cfg.PolicyFinding != nil {
			cfg.PolicyFinding(fd)
		}
	}
	var policies recordings.Policies = engine
	if cfg.UpstreamIsMock {
		policies = nil
	}
	goneStore, _ := st.(interface {
		Gone() <-chan struct{}
		GoneErr() error
	})
	auth := recordings.AuthFor(set, params)
	if cfg.CustomCode != nil {
		// The script got the credentials before it ran; its requests are
		// forwarded as it left them.
		plain := auth
		auth = func(r *http.Request) error {
			if scripthost.FromScript(r.Context()) {
				return nil
			}
			return plain(r)
		}
	}
	proxy, err := recordings.NewProxy(recordings.ProxyOptions{
		Refuse: func() error {
			if e := r.gone.Load(); e != nil {
				return *e
			}
			return nil
		},
		Upstream:       up,
		BasePath:       c.BasePath,
		Sink:           sink,
		SessionID:      sess.ID,
		Connector:      c.Name,
		Operation:      OperationIDs(c),
		Auth:           auth,
		Policies:       policies,
		Limits:         cfg.Limits,
		MaxRequestBody: cfg.MaxRequestBody,
		Timeout:        cfg.Timeout,
		BestEffort:     cfg.BestEffort,
		OnStoreError:   onStoreError,
		Logger:         log,
		// Listening beyond loopback means clients on other machines,
		// under other Host names.
		AllowRemoteClients: !mock.IsLoopback(cfg.Host),
		AllowOrigins:       cfg.AllowOrigins,
	})
	if err != nil {
		return nil, fail("the proxy cannot start", err, workflow.KindUsage, "check the upstream URL")
	}
	ln, err := mock.Listen(cfg.Host, cfg.Port)
	if err != nil {
		return nil, fail("the proxy could not listen", err, workflow.KindInfra, "pick another port, or 0 for any free port")
	}
	r.proxy = proxy
	r.addr = ln.Addr().(*net.TCPAddr)
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel = cancel
	var handler http.Handler = proxy
	if cfg.CustomCode != nil {
		cc := cfg.CustomCode.WithBackend(up)
		cc.Auth = recordings.AuthFor(set, params)
		handler = cc.Handler(proxy, nil)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: mock.ReadHeaderTimeout,
		IdleTimeout:       mock.IdleTimeout,
		MaxHeaderBytes:    mock.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		r.serveErr = mock.Serve(sctx, srv, ln, cfg.Timeout+5*time.Second)
		close(r.done)
	}()
	if goneStore != nil {
		// The database file deleted or replaced: refuse new requests (503),
		// let the ones in flight finish, and stop.
		go func() {
			select {
			case <-goneStore.Gone():
				err := goneStore.GoneErr()
				r.gone.Store(&err)
				log.Error("recording stopped", "err", err)
				select { // clients racing the stop get the 503 with its reason
				case <-time.After(goneGrace):
				case <-r.done:
				}
				cancel()
			case <-r.done:
			}
		}()
	}
	return r, nil
}

// goneGrace is how long the proxy answers 503 recording-stopped after the
// database went away, before it stops listening.
const goneGrace = time.Second

// Session is the session being recorded.
func (r *Recording) Session() *recordings.Session { return r.session }

// Upstream is the (parsed) upstream base URL.
func (r *Recording) Upstream() *url.URL { return r.upstream }

// Addr is the address the proxy listens on.
func (r *Recording) Addr() *net.TCPAddr { return r.addr }

// URL is the proxy's base URL including the connector's basePath.
func (r *Recording) URL() string {
	return "http://" + r.addr.String() + strings.TrimSuffix(r.connector.BasePath, "/")
}

// Stats are the proxy's counters so far.
func (r *Recording) Stats() recordings.ProxyStats { return r.proxy.Stats() }

// Done is closed when the proxy stops serving: after Stop, or on its own
// (a listener failure; Stop still has to be called to end the session).
func (r *Recording) Done() <-chan struct{} { return r.done }

// Stop shuts the proxy down (in-flight exchanges finish) and ends the
// session: complete, or incomplete with the reason. It is safe to call
// more than once.
func (r *Recording) Stop(ctx context.Context) (Result, error) {
	r.stopOnce.Do(func() {
		r.cancel()
		<-r.done
		serveErr := r.serveErr
		st := r.proxy.Stats()
		res := Result{Status: recordings.SessionComplete, Stats: st, ServeErr: serveErr}
		switch {
		case serveErr != nil:
			res.Status, res.Problem = recordings.SessionIncomplete, "the proxy stopped: "+serveErr.Error()
		case st.StoreErrors > 0:
			res.Status, res.Problem = recordings.SessionIncomplete, fmt.Sprintf("%d exchanges could not be stored", st.StoreErrors)
		}
		if e := r.gone.Load(); e != nil {
			// Nothing can be written any more; the rescued copy holds the
			// session (marked interrupted when it is next opened).
			res.Status, res.Problem, res.ServeErr = recordings.SessionIncomplete, (*e).Error(), *e
			r.result = res
			return
		}
		r.result = res
		if err := r.store.EndSession(context.WithoutCancel(ctx), r.session.ID, res.Status, res.Problem); err != nil {
			r.resultErr = &workflow.Error{Kind: workflow.KindInfra, Message: "cannot close the session: " + err.Error(), Fix: "check the recordings database", Err: err}
		}
	})
	return r.result, r.resultErr
}
