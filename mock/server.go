package mock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/route"
)

// Defaults for Options.
const (
	DefaultMaxBodyBytes = 10 << 20
	DefaultMaxJSONDepth = 128
	// DefaultMaxJSONNodes bounds the values of one JSON request body: a
	// 500,000-key body took 2.9 s of CPU to validate.
	DefaultMaxJSONNodes = 100_000
	// DefaultMaxStoreBytes caps the JSON held by the --stateful store.
	DefaultMaxStoreBytes = 64 << 20
	// DefaultMaxItems caps the resources of one stateful collection; the
	// oldest is evicted to make room.
	DefaultMaxItems = 10_000
	// DefaultListPageSize is the longest page a stateful list answers.
	DefaultListPageSize = 100
)

// Options configure a Server. The zero value validates requests, enforces
// auth, simulates statelessly with seed 0 and logs nothing.
type Options struct {
	// Seed makes generated data reproducible; the same seed and request give
	// the same response.
	Seed uint64
	// DisableValidation answers requests that break the definition instead
	// of rejecting them (400/415/422).
	DisableValidation bool
	// DisableAuth accepts requests without credentials.
	DisableAuth bool
	// LocalOriginsOnly grants CORS only to pages served from loopback
	// (http://localhost:3000, http://127.0.0.1:5173, ...). Replay mode sets
	// it: replayed answers are real (if redacted) data, and any web page the
	// user visits could otherwise read them from the running mock.
	LocalOriginsOnly bool
	// CORSOrigins are web origins ("https://app.example.com") granted CORS
	// for every method, on top of pages served from loopback; "*" grants
	// every origin (--cors-origin). Other origins may read (GET, HEAD)
	// unless LocalOriginsOnly, but a state-changing request from them is
	// refused with 403 before it reaches any operation: a web page must
	// not be able to subscribe webhooks or write the stateful store. No
	// origin is ever granted credentials.
	CORSOrigins []string
	// Credentials, when set, are the only ones accepted; otherwise any
	// well-formed API key, user and password are.
	Credentials Credentials
	// DisableBehaviours serves plain simulation: no Power Platform
	// behaviours (triggers, dynamic values and schemas, paging).
	DisableBehaviours bool
	// Stateful keeps resources created with POST for later GET, list, PUT,
	// PATCH and DELETE.
	Stateful bool
	// MaxStoreBytes caps the JSON the stateful store holds (default 64 MiB;
	// 413 for one item larger, 429 when full); MaxItems the resources per
	// collection (default 10,000; the oldest is evicted); ListPageSize the
	// items of one stateful list page (default 100; $top/$skip or the
	// operation's own paging parameters page on).
	MaxStoreBytes int64
	MaxItems      int
	ListPageSize  int
	// Resources overrides or adds stateful collection/item pairs.
	Resources []Resource
	// State is the store to use; nil makes a new one. Pass the previous
	// Server's State on reload to keep data.
	State *State
	// Faults inject latency, errors, throttling and resets.
	Faults Faults
	// Responders are consulted in order before simulation.
	Responders []Responder
	// Filters rewrite every reply in order.
	Filters []Filter
	// Sink receives every exchange.
	Sink recordings.Sink
	// Log gets server-side problems (panics, sink failures). nil discards.
	Log *slog.Logger
	// MaxBodyBytes limits request bodies (413 beyond); 0 means 10 MiB.
	MaxBodyBytes int64
	// MaxJSONDepth rejects JSON bodies nested deeper (400); 0 means 128.
	MaxJSONDepth int
	// MaxJSONNodes rejects JSON bodies with more values (413); 0 means
	// DefaultMaxJSONNodes.
	MaxJSONNodes int
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
	// Name overrides the connector name in exchanges (several connectors
	// on one port use their URL prefix).
	Name string
	// PowerPlatform tunes triggers, dynamic values/schemas and paging
	// (powerplatform.go).
	PowerPlatform PowerPlatformOptions
}

// Server is the mock of one connector. It is an http.Handler, safe for
// concurrent use; build a new one to serve a changed definition.
type Server struct {
	c      *connector.Connector
	router *route.Router
	opts   Options
	gen    *fake.Generator
	reqGen *fake.Generator
	log    *slog.Logger
	state  *State
	auth   *authenticator
	faults *faultInjector
	valid  *validator

	mu     sync.RWMutex
	mounts []mount

	responders []Responder
	filters    []Filter
	cache      sync.Map // per-media-type derived data (example validity)
	replies    replyCache
	// redacts is the name rule recordings of this connector are
	// redacted by (recordings.NameRedactor): the request seed and the
	// dynamic-schema keys leave out what it hides (see seed.go).
	redacts *recordings.Redactor
}

type mount struct {
	prefix string
	h      http.Handler
}

// New builds the mock for c.
func New(c *connector.Connector, opts Options) (*Server, error) {
	if c == nil || c.Doc == nil {
		return nil, errors.New("mock: connector has no definition")
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxJSONDepth <= 0 {
		opts.MaxJSONDepth = DefaultMaxJSONDepth
	}
	if opts.MaxJSONNodes <= 0 {
		opts.MaxJSONNodes = DefaultMaxJSONNodes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxStoreBytes <= 0 {
		opts.MaxStoreBytes = DefaultMaxStoreBytes
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = DefaultMaxItems
	}
	if opts.ListPageSize <= 0 {
		opts.ListPageSize = DefaultListPageSize
	}
	if opts.Name == "" {
		opts.Name = c.Name
	}
	s := &Server{
		c:      c,
		router: route.New(c),
		opts:   opts,
		gen:    fake.New(fake.Options{Now: opts.Now()}),
		reqGen: fake.New(fake.Options{Direction: fake.Request, Now: opts.Now()}),
		log:    opts.Log,
		state:  opts.State,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.state == nil {
		s.state = NewState()
	}
	var err error
	if s.redacts, err = recordings.NameRedactor(c); err != nil {
		s.log.Warn("mock: redaction rules file ignored for seeding; recording this connector will fail on it", "connector", c.Name, "err", err)
	}
	s.valid = newValidator(c)
	s.auth = newAuthenticator(s)
	s.faults = newFaultInjector(opts.Faults, opts.Seed)
	s.responders = append(s.responders, opts.Responders...)
	// Stateful resources answer before the behaviours: in stateful mode a
	// list shows what was created, not a generated page.
	if opts.Stateful {
		st, err := newStateful(s, opts.Resources)
		if err != nil {
			return nil, fmt.Errorf("mock %s: %w", c.Name, err)
		}
		s.responders = append(s.responders, st)
	}
	if !opts.DisableBehaviours {
		if err := installBehaviours(s); err != nil {
			return nil, fmt.Errorf("mock %s: %w", c.Name, err)
		}
	}
	s.filters = append(s.filters, opts.Filters...)
	s.auth.mountOAuth()
	return s, nil
}

// Connector returns the connector served.
func (s *Server) Connector() *connector.Connector { return s.c }

// Router returns the router used.
func (s *Server) Router() *route.Router { return s.router }

// State returns the server's store.
func (s *Server) State() *State { return s.state }

// Options returns the options in force, defaults applied.
func (s *Server) Options() Options { return s.opts }

// Generator returns the response-side fake data generator, for behaviours
// that synthesise bodies from other schemas.
func (s *Server) Generator() *fake.Generator { return s.gen }

// Use adds Responders after those already installed. Call it before
// serving.
func (s *Server) Use(r ...Responder) { s.responders = append(s.responders, r...) }

// UseFirst adds Responders ahead of every other, for modes that must see
// each request first (replay, record).
func (s *Server) UseFirst(r ...Responder) {
	s.responders = append(append([]Responder{}, r...), s.responders...)
}

// AddFilter appends Filters.
func (s *Server) AddFilter(f ...Filter) { s.filters = append(s.filters, f...) }

// Mount serves h for every request path under prefix (e.g. "/oauth2/"),
// ahead of routing, unless an operation of the connector claims the path.
func (s *Server) Mount(prefix string, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mounts = append(s.mounts, mount{prefix, h})
	sort.SliceStable(s.mounts, func(i, j int) bool { return len(s.mounts[i].prefix) > len(s.mounts[j].prefix) })
}

func (s *Server) mounted(path string) http.Handler {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, m := range s.mounts {
		if strings.HasPrefix(path, m.prefix) || len(m.prefix) == len(path)+1 && strings.HasPrefix(m.prefix, path) && m.prefix[len(path)] == '/' {
			return m.h
		}
	}
	return nil
}

// ServeHTTP runs the pipeline described in the package documentation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.opts.Now()
	// The exchange lives on the stack; a sink gets its own copy (record).
	xv := recordings.Exchange{Source: recordings.SourceMock, Connector: s.opts.Name, StartedAt: start}
	x := &xv
	x.Request.Method = r.Method
	if s.opts.Sink != nil { // nobody listens: skip the copies
		x.Request.URL = redactURL(r.URL, s.auth.secretQuery)
		x.Request.Header = redactHeader(r.Header, s.auth.secretHeaders)
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("mock: panic while answering", "method", r.Method, "url", r.URL.String(), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			rep := problemReply(http.StatusInternalServerError, "internal-error", "The mock failed while answering",
				"the mock server hit an internal error; it has been logged", nil)
			s.finish(r.Context(), w, r, x, nil, rep, start)
		}
	}()

	if rep := s.crossOriginWrite(r); rep != nil {
		s.finish(r.Context(), w, r, x, nil, rep, start)
		return
	}
	if h := s.mounted(r.URL.Path); h != nil {
		if m, _ := s.router.Find(r.Method, r.URL.EscapedPath()); m == nil {
			s.serveMount(w, r, h, x, start)
			return
		}
	}
	if rep := s.preflight(r); rep != nil {
		s.finish(r.Context(), w, r, x, nil, rep, start)
		return
	}

	body, err := readBody(w, r, s.opts.MaxBodyBytes)
	x.Request.Body, x.Request.Size = capBody(body), int64(len(body))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.finish(r.Context(), w, r, x, nil, problemReply(http.StatusRequestEntityTooLarge, "body-too-large", "Request body too large",
				fmt.Sprintf("the request body is larger than the %d-byte limit", s.opts.MaxBodyBytes), nil), start)
			return
		}
		s.finish(r.Context(), w, r, x, nil, problemReply(http.StatusBadRequest, "body-unreadable", "Request body could not be read", err.Error(), nil), start)
		return
	}

	method := r.Method
	m, miss := s.router.Find(method, r.URL.EscapedPath())
	if m == nil && method == http.MethodHead {
		m, miss = s.router.Find(http.MethodGet, r.URL.EscapedPath())
	}
	if m == nil {
		s.finish(r.Context(), w, r, x, nil, missReply(method, r.URL.Path, miss), start)
		return
	}
	c := &Call{
		Server: s, Connector: s.c, Operation: m.Operation, Template: m.Template, Params: m.Params,
		Request: r, Body: body, State: s.state, Source: recordings.SourceMock,
		Prefer: ParsePrefer(r.Header),
	}
	c.Seed = s.requestSeed(c)
	r.Body = bodyReader(body)
	x.OperationID = m.Operation.ID
	if c.Prefer.Invalid != "" {
		s.finish(r.Context(), w, r, x, c, problemReply(http.StatusBadRequest, "prefer-invalid", "Prefer header not honoured",
			"the request's Prefer header: "+c.Prefer.Invalid, []ProblemError{{In: "header", Name: "Prefer", Rule: "prefer", Message: c.Prefer.Invalid}}), start)
		return
	}
	rep := s.handle(r.Context(), c)
	if rep == nil {
		s.reset(w, r, x, c, start)
		return
	}
	s.finish(r.Context(), w, r, x, c, rep, start)
}

// handle runs steps 5–9 for a routed call. A nil reply means the
// connection was dropped on purpose.
func (s *Server) handle(ctx context.Context, c *Call) *Reply {
	if rep, reset := s.faults.apply(ctx, c); reset {
		return nil
	} else if rep != nil {
		return rep
	}
	if !s.opts.DisableAuth {
		if rep := s.auth.check(c); rep != nil {
			return rep
		}
	}
	if rep := s.checkBody(c); rep != nil {
		return rep
	}
	if !s.opts.DisableValidation {
		if rep := s.valid.check(ctx, c); rep != nil {
			return rep
		}
	}
	var rep *Reply
	for _, rs := range s.responders {
		out, err := rs.Respond(ctx, c)
		if err != nil {
			s.log.Error("mock: responder failed", "operation", c.Operation.ID, "err", err)
			return problemReply(http.StatusInternalServerError, "responder-failed", "A mock behaviour failed", err.Error(), nil)
		}
		if out != nil {
			rep = out
			break
		}
	}
	if rep == nil {
		var err error
		rep, err = s.Simulate(ctx, c)
		if err != nil {
			return problemReply(http.StatusInternalServerError, "simulate-failed", "The mock could not build a response", err.Error(), nil)
		}
	}
	for _, f := range s.filters {
		if rep.Final {
			break
		}
		if err := f.Filter(ctx, c, rep); err != nil {
			s.log.Error("mock: filter failed", "operation", c.Operation.ID, "err", err)
			return problemReply(http.StatusInternalServerError, "filter-failed", "A mock behaviour failed", err.Error(), nil)
		}
	}
	return rep
}

// bodyReader is a fresh reader over a buffered body; http.NoBody when
// empty, which costs nothing.
func bodyReader(b []byte) io.ReadCloser {
	if len(b) == 0 {
		return http.NoBody
	}
	return io.NopCloser(bytes.NewReader(b))
}

func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	rd := http.MaxBytesReader(w, r.Body, limit)
	defer rd.Close()
	return io.ReadAll(rd)
}

// logBodyCap bounds the body bytes copied into an exchange.
const logBodyCap = 1 << 20

func capBody(b []byte) []byte {
	if len(b) > logBodyCap {
		return b[:logBodyCap]
	}
	return b
}

// finish emits the exchange, then writes the reply.
func (s *Server) finish(ctx context.Context, w http.ResponseWriter, r *http.Request, x *recordings.Exchange, c *Call, rep *Reply, start time.Time) {
	if rep.Header == nil {
		rep.Header = http.Header{}
	}
	if c != nil {
		x.Source = c.Source
		x.Notes = append(x.Notes, c.Notes...)
		rep.Header.Set("Connectorlab-Operation", c.Operation.ID)
	}
	s.cors(r, rep)
	// Answers are data, never a page: a browser must not sniff a reflected
	// value into HTML or script.
	rep.Header.Set("X-Content-Type-Options", "nosniff")
	x.Response.Status = rep.Status
	if s.opts.Sink != nil {
		x.Response.Header = rep.Header.Clone()
	}
	x.Response.Body, x.Response.Size = capBody(rep.Body), int64(len(rep.Body))
	x.Response.Truncated = len(rep.Body) > logBodyCap
	x.Request.Truncated = x.Request.Size > logBodyCap
	x.Duration = s.opts.Now().Sub(start)
	if s.opts.Sink != nil {
		s.record(ctx, x)
	}
	h := w.Header()
	for k, v := range rep.Header {
		h[k] = v
	}
	if len(rep.Body) > 0 || rep.Header.Get("Content-Type") != "" {
		h.Set("Content-Length", strconv.Itoa(len(rep.Body)))
	}
	w.WriteHeader(rep.Status)
	if r.Method != http.MethodHead && bodyAllowed(rep.Status) {
		_, _ = w.Write(rep.Body)
	}
}

// record hands a copy of x to the sink: x itself stays on ServeHTTP's
// stack, so a mock nobody listens to allocates no exchange.
func (s *Server) record(ctx context.Context, x *recordings.Exchange) {
	cp := new(recordings.Exchange)
	*cp = *x
	if err := s.opts.Sink.Record(ctx, cp); err != nil {
		s.log.Error("mock: traffic sink failed", "err", err)
	}
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// reset records the exchange as dropped and closes the connection with a
// TCP reset, as a crashing upstream would.
func (s *Server) reset(w http.ResponseWriter, r *http.Request, x *recordings.Exchange, c *Call, start time.Time) {
	x.Error = "connection reset (injected fault)"
	x.Notes = append(x.Notes, c.Notes...)
	x.Duration = s.opts.Now().Sub(start)
	if s.opts.Sink != nil {
		s.record(r.Context(), x)
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// serveMount runs a mounted handler and records what it answered.
func (s *Server) serveMount(w http.ResponseWriter, r *http.Request, h http.Handler, x *recordings.Exchange, start time.Time) {
	rec := &captureWriter{ResponseWriter: w, status: http.StatusOK}
	h.ServeHTTP(rec, r)
	x.Response.Status = rec.status
	x.Response.Header = w.Header().Clone()
	x.Response.Body, x.Response.Size = capBody(rec.buf.Bytes()), int64(rec.buf.Len())
	x.Duration = s.opts.Now().Sub(start)
	if s.opts.Sink != nil {
		s.record(r.Context(), x)
	}
}

type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) { c.status = code; c.ResponseWriter.WriteHeader(code) }
func (c *captureWriter) Write(b []byte) (int, error) {
	if c.buf.Len() < logBodyCap {
		c.buf.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// preflight answers CORS preflight requests for paths whose OPTIONS is not
// an operation of the connector, so browser apps can call the mock.
func (s *Server) preflight(r *http.Request) *Reply {
	if r.Method != http.MethodOptions || r.Header.Get("Origin") == "" || r.Header.Get("Access-Control-Request-Method") == "" {
		return nil
	}
	if m, _ := s.router.Find(http.MethodOptions, r.URL.EscapedPath()); m != nil {
		return nil
	}
	rep := NewReply(http.StatusNoContent)
	rep.Header.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")
	if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
		rep.Header.Set("Access-Control-Allow-Headers", h)
	}
	rep.Header.Set("Access-Control-Max-Age", "600")
	return rep
}

func (s *Server) cors(r *http.Request, rep *Reply) {
	o := r.Header.Get("Origin")
	if o == "" {
		return
	}
	write := unsafeMethod(r.Method)
	if r.Method == http.MethodOptions {
		write = unsafeMethod(r.Header.Get("Access-Control-Request-Method"))
	}
	if s.originAllowed(o, write) {
		rep.Header.Set("Access-Control-Allow-Origin", o)
		rep.Header.Add("Vary", "Origin")
		rep.Header.Set("Access-Control-Expose-Headers", "*")
	}
}

// unsafeMethod reports whether a request with method may change state.
func unsafeMethod(m string) bool {
	switch strings.ToUpper(m) {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// originAllowed says whether a page of origin o is granted CORS, for a
// state-changing request when write.
func (s *Server) originAllowed(o string, write bool) bool {
	if localOrigin(o) {
		return true
	}
	for _, a := range s.opts.CORSOrigins {
		if a == "*" || strings.EqualFold(strings.TrimSuffix(a, "/"), o) {
			return true
		}
	}
	return !write && !s.opts.LocalOriginsOnly && o != "null"
}

// crossOriginWrite refuses a state-changing request a browser sent from a
// page of another origin: CORS only hides the answer, the request itself
// (a form POST, a text/plain fetch) would still subscribe a webhook or
// write the store.
//
// With LocalOriginsOnly (replay, where answers are recorded data and a
// miss may go to the live API through --spy) a page of another site is
// refused for reads too: an <img> or a no-cors fetch would otherwise make
// the spy call the live API with the real credentials.
func (s *Server) crossOriginWrite(r *http.Request) *Reply {
	if !unsafeMethod(r.Method) && (!s.opts.LocalOriginsOnly || r.Method == http.MethodOptions) {
		return nil
	}
	o := r.Header.Get("Origin")
	switch {
	case o != "" && s.originAllowed(o, true):
		return nil
	case o == "" && r.Header.Get("Sec-Fetch-Site") != "cross-site":
		return nil // not a browser page of another site (curl, a test, a flow engine)
	}
	if o == "" {
		o = "(a cross-site page)"
	}
	return problemReply(http.StatusForbidden, "cross-origin-refused", "Cross-origin request refused",
		fmt.Sprintf("a web page of %s sent a %s request; the mock accepts state-changing requests (any request, when it replays recordings) only from pages served on loopback or origins given with --cors-origin", o, r.Method), nil)
}

// localOrigin reports whether a browser Origin is a page served from this
// machine's loopback interface.
func localOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return IsLoopback(u.Hostname())
}

// redactHeader copies h with credential headers masked: the mock's traffic
// log must never print a secret, even one the user typed for a mock.
func redactHeader(h http.Header, extra map[string]bool) http.Header {
	out := h.Clone()
	for k := range out {
		lk := strings.ToLower(k)
		if defaultSecretHeaders[lk] || extra[lk] {
			out[k] = []string{"REDACTED"}
		}
	}
	return out
}

var defaultSecretHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "x-api-key": true, "api-key": true,
	"apikey": true, "x-auth-token": true, "ocp-apim-subscription-key": true, "x-rapidapi-key": true,
}

// redactURL masks credential query values.
func redactURL(u *url.URL, secret map[string]bool) string {
	if u.RawQuery == "" {
		return u.RequestURI()
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return u.EscapedPath() + "?REDACTED"
	}
	changed := false
	for k := range q {
		if secret[strings.ToLower(k)] {
			q[k] = []string{"REDACTED"}
			changed = true
		}
	}
	if !changed {
		return u.RequestURI()
	}
	return u.EscapedPath() + "?" + q.Encode()
}
