package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/shape"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/route"
	"github.com/getkin/kin-openapi/openapi3"
)

// Defaults of Options.
const (
	DefaultConcurrency  = 4
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRetries   = 3
	DefaultMaxRetryWait = 30 * time.Second
	DefaultKeepBody     = 16 << 10
	maxResponseBody     = 32 << 20
)

// Options configure a Runner.
type Options struct {
	// Target is the base URL requests go to: the API's
	// scheme://host[:port][/prefix]/basePath, as record's --upstream; a
	// target without the connector's basePath gets it appended (see
	// TargetBase). The recorded path, with or without the basePath (the
	// recording proxy accepts both), is replayed below it.
	Target *url.URL
	// Client sends requests; nil is a client with no redirects followed.
	Client *http.Client
	// Concurrency bounds requests in flight (0: DefaultConcurrency).
	Concurrency int
	// Timeout bounds one request, retries excluded (0: DefaultTimeout).
	Timeout time.Duration
	// MaxRetries and MaxRetryWait bound retries of 429/503 + Retry-After.
	MaxRetries   int
	MaxRetryWait time.Duration
	// Auth adds the connection's credentials (nil: none added).
	Auth recordings.Authenticator
	// MissingCredentials, when set, stops the run (Run returns it) at the
	// first recorded credential placeholder that neither Auth nor a policy
	// replaces: the connection has no value for the parameter holding it,
	// and the placeholder sent as recorded can only be refused. Nil sends
	// it as recorded (a target that checks no credentials).
	MissingCredentials error
	// Params are the connection parameter values supplied to the run: a
	// redacted recorded value of a parameter or body property of the same
	// name is replayed with it (see unredact.go).
	Params map[string]string
	// Policies, when set, runs the connector's request policies.
	Policies *policy.Engine
	// Drift configures the recorded-vs-replayed comparison.
	Drift *drift.Config
	// Shard selects a deterministic subset of the exchanges.
	Shard contract.Shard
	// FailOn is the run's threshold (0: error): which cases count as
	// failing for Keep and the Summary.
	FailOn contract.Level
	// Keep bounds the cases a Result lists in full; the others are
	// tallied in its Suite.Summary (zero: the defaults).
	Keep contract.Keep
	// Emitter receives progress and finished cases (nil: none).
	Emitter contract.Emitter
	// KeepBody caps the bodies kept in cases for the HTML report (0:
	// DefaultKeepBody; negative: none).
	KeepBody int
	// Log receives per-request problems at debug level (nil: discard).
	Log *slog.Logger
	// Sleep waits for Retry-After (tests replace it); nil sleeps on a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Runner replays exchanges of one connector.
type Runner struct {
	c        *connector.Connector
	basePath string // the connector's basePath without a trailing '/'
	router   *route.Router
	checker  *conform.Checker
	differ   *drift.Differ
	opts     Options

	mu      sync.Mutex
	lookups map[string][]recordedLookup // operationId → recorded successful answers, for dynamic schemas
	un      *unredacter
}

// New returns a Runner for c (the definition the target is checked
// against).
func New(c *connector.Connector, opts Options) *Runner {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = DefaultMaxRetries
	}
	if opts.MaxRetryWait <= 0 {
		opts.MaxRetryWait = DefaultMaxRetryWait
	}
	if opts.KeepBody == 0 {
		opts.KeepBody = DefaultKeepBody
	}
	if opts.Client == nil {
		opts.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if opts.Emitter == nil {
		opts.Emitter = contract.NopEmitter{}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Target != nil {
		opts.Target = TargetBase(c, opts.Target)
	}
	r := &Runner{c: c, basePath: basePathOf(c), router: route.New(c), differ: drift.New(opts.Drift), opts: opts, lookups: map[string][]recordedLookup{}}
	r.un = newUnredacter(c, opts.Params, r.lookup)
	r.checker = conform.New(c, conform.Options{
		DynamicSchema: r.dynamicSchema,
		Ignore:        func(op *connector.Operation, p string) bool { return opts.Drift.Ignored(op.ID, p) },
	})
	return r
}

// TargetBase is the URL requests are replayed below: target when its path
// already ends with the connector's basePath (the live API's base URL, as
// record's --upstream takes it), else target with the basePath appended
// (the URL `connectorlab mock` prints). Give it as Upstream to a policy
// engine that rewrites the replayed requests.
func TargetBase(c *connector.Connector, target *url.URL) *url.URL {
	t := *target
	bp := basePathOf(c)
	p := strings.TrimRight(t.Path, "/")
	if bp != "" && p != bp && !strings.HasSuffix(p, bp) {
		raw := strings.TrimRight(t.EscapedPath(), "/")
		t.Path = p + bp
		t.RawPath = ""
		if raw != p {
			t.RawPath = raw + (&url.URL{Path: bp}).EscapedPath()
		}
	} else {
		t.Path = p
		t.RawPath = strings.TrimRight(t.RawPath, "/")
	}
	return &t
}

func basePathOf(c *connector.Connector) string {
	return strings.TrimRight(c.BasePath, "/")
}

// withBasePath returns u with the connector's basePath in front of its
// path unless it is there already: the recording proxy takes operation
// paths with or without it, and records what the client sent.
func (r *Runner) withBasePath(u *url.URL) *url.URL {
	bp := r.basePath
	if bp == "" || u.Path == bp || strings.HasPrefix(u.Path, bp+"/") {
		return u
	}
	nu := *u
	if u.RawPath != "" {
		nu.RawPath = (&url.URL{Path: bp}).EscapedPath() + u.RawPath
	}
	nu.Path = bp + u.Path
	return &nu
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Checker is the conformance checker the runner uses (for callers that
// check more responses the same way).
func (r *Runner) Checker() *conform.Checker { return r.checker }

// recordedLookup is one recorded successful call of a lookup operation:
// the values it was called with (query and top-level JSON body fields)
// and its answer.
type recordedLookup struct {
	args map[string]string
	body []byte
}

// maxLookupsKept bounds the recorded calls kept per lookup operation.
const maxLookupsKept = 16

func lookupArgs(x *recordings.Exchange) map[string]string {
	args := map[string]string{}
	if u, err := url.Parse(x.Request.URL); err == nil {
		for k, vs := range u.Query() {
			if len(vs) > 0 {
				args[k] = vs[0]
			}
		}
	}
	var m map[string]any
	if json.Unmarshal(x.Request.Body, &m) == nil {
		for k, v := range m {
			if _, taken := args[k]; !taken {
				args[k] = fmt.Sprint(v)
			}
		}
	}
	return args
}

// dynamicSchema resolves x-ms-dynamic-schema bodies from a recorded call
// of the lookup operation: the first one called with the literal
// parameters the response's reference sends (Meisterplan's
// GetProjectDynamicSchema answers mode=CREATE_INPUT for a request body and
// mode=OUTPUT for the response; a recording made by test --generate holds
// both), else the first one.
func (r *Runner) dynamicSchema(op *connector.Operation, status string) *openapi3.SchemaRef {
	for _, d := range op.Dynamic {
		if (d.Kind != connector.DynamicSchema && d.Kind != connector.DynamicProperties) || !strings.HasPrefix(d.Target, "response") {
			continue
		}
		r.mu.Lock()
		calls := r.lookups[d.OperationID]
		r.mu.Unlock()
		if len(calls) == 0 {
			continue
		}
		body := calls[0].body
	calls:
		for _, c := range calls {
			for k, p := range d.Parameters {
				if p.Parameter == "" && p.ParameterReference == "" && p.Value != nil && c.args[k] != fmt.Sprint(p.Value) {
					continue calls
				}
			}
			body = c.body
			break
		}
		vp := d.ValuePath
		if vp == "" {
			vp = d.ItemValuePath
		}
		if s := conform.SchemaFromLookup(body, vp); s != nil {
			return s
		}
	}
	return nil
}

// Infra is an error the target or network caused: no case could run.
type Infra struct{ Err error }

func (e *Infra) Error() string { return e.Err.Error() }
func (e *Infra) Unwrap() error { return e.Err }

// stop ends the whole run with Err (Options.MissingCredentials): no case
// could pass, so none is run further.
type stop struct{ Err error }

func (e *stop) Error() string { return e.Err.Error() }
func (e *stop) Unwrap() error { return e.Err }

// Result is the outcome of a run.
type Result struct {
	Suite contract.Suite
	// Findings are connector-wide (coverage, custom code).
	Findings []contract.Finding
	// Unreachable is set when every request failed to reach the target.
	Unreachable error
}

// Source yields exchanges in recorded order to fn and stops at fn's first
// error, returning it (exchanges.Each over a store, a slice in memory).
type Source func(ctx context.Context, fn func(*recordings.Exchange) error) error

// SliceSource is a Source over exchanges in memory.
func SliceSource(xs []*recordings.Exchange) Source {
	return func(ctx context.Context, fn func(*recordings.Exchange) error) error {
		for _, x := range xs {
			if err := fn(x); err != nil {
				return err
			}
		}
		return nil
	}
}

// Run replays xs (one suite, e.g. a recording session).
func (r *Runner) Run(ctx context.Context, suite string, xs []*recordings.Exchange) (*Result, error) {
	return r.run(ctx, suite, r.selected(xs), SliceSource(xs), r.opts.Keep)
}

// selected counts the exchanges of xs the shard replays.
func (r *Runner) selected(xs []*recordings.Exchange) int {
	n := 0
	for _, x := range xs {
		if x != nil && r.opts.Shard.Includes(shardKey(x)) {
			n++
		}
	}
	return n
}

// RunSource replays the exchanges src yields (one suite), reading them as
// they are replayed: a session of a million exchanges is never held in
// memory, only the Keep caps' cases in full and a per-operation Summary of
// the rest. total is how many exchanges src is expected to yield (for
// progress; a shard replays about total/shards of them).
func (r *Runner) RunSource(ctx context.Context, suite string, total int, src Source) (*Result, error) {
	if r.opts.Shard.Total > 1 {
		total = (total + r.opts.Shard.Total - 1) / r.opts.Shard.Total
	}
	return r.run(ctx, suite, total, src, r.opts.Keep)
}

// errLookupsFound stops the lookup pre-pass early.
var errLookupsFound = errors.New("every lookup found")

// readLookups keeps, per operation a dynamic schema is looked up from, the
// first maxLookupsKept recorded successful calls in src, before any case
// runs (a case may come before the lookup's call in the recording).
// Connectors without dynamic response schemas skip the pass: it reads the
// source once more.
func (r *Runner) readLookups(ctx context.Context, src Source) error {
	want := map[string]bool{}
	for _, op := range r.c.Operations {
		for _, d := range op.Dynamic {
			if (d.Kind == connector.DynamicSchema || d.Kind == connector.DynamicProperties) && strings.HasPrefix(d.Target, "response") && d.OperationID != "" {
				want[d.OperationID] = true
			}
		}
	}
	r.mu.Lock()
	for id := range want {
		if r.lookups[id] != nil {
			delete(want, id)
		}
	}
	r.mu.Unlock()
	if len(want) == 0 {
		return nil
	}
	err := src(ctx, func(x *recordings.Exchange) error {
		if x == nil || !want[x.OperationID] || x.Response.Status < 200 || x.Response.Status >= 300 || len(x.Response.Body) == 0 {
			return nil
		}
		r.mu.Lock()
		r.lookups[x.OperationID] = append(r.lookups[x.OperationID], recordedLookup{args: lookupArgs(x), body: x.Response.Body})
		full := len(r.lookups[x.OperationID]) >= maxLookupsKept
		r.mu.Unlock()
		if full {
			delete(want, x.OperationID)
		}
		if len(want) == 0 {
			return errLookupsFound
		}
		return ctx.Err()
	})
	if errors.Is(err, errLookupsFound) {
		return nil
	}
	return err
}

// job is one exchange to replay and its place in the input.
type job struct {
	i int
	x *recordings.Exchange
}

// kept is a bounded set of the lowest-indexed cases: when full, a case of
// a lower index evicts the highest (to the summary), so which cases are
// listed does not depend on the order workers finish them.
type kept struct {
	limit int // -1: unbounded
	idx   []int
	cases []contract.Case
}

// add keeps (i, c) if there is room or it comes before the last kept one;
// it returns the case that does not fit, if any.
func (k *kept) add(i int, c contract.Case) (contract.Case, bool) {
	if k.limit < 0 || len(k.idx) < k.limit {
		k.insert(i, c)
		return contract.Case{}, false
	}
	if k.limit == 0 || i > k.idx[len(k.idx)-1] {
		return c, true
	}
	out := k.cases[len(k.cases)-1]
	k.idx, k.cases = k.idx[:len(k.idx)-1], k.cases[:len(k.cases)-1]
	k.insert(i, c)
	return out, true
}

func (k *kept) insert(i int, c contract.Case) {
	// Workers finish nearly in order: search from the end.
	j := len(k.idx)
	for j > 0 && k.idx[j-1] > i {
		j--
	}
	k.idx = append(k.idx, 0)
	k.cases = append(k.cases, contract.Case{})
	copy(k.idx[j+1:], k.idx[j:])
	copy(k.cases[j+1:], k.cases[j:])
	k.idx[j], k.cases[j] = i, c
}

// collector gathers finished cases from the workers.
type collector struct {
	mu            sync.Mutex
	failOn        contract.Level
	failing, rest kept
	summary       contract.Summary
	seen          map[string]bool // operations exercised, for coverage
	done, reached int
	firstInfra    error
}

func (cl *collector) add(i int, c contract.Case, reached bool, infra error) int {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.seen[c.Operation] = true
	if reached {
		cl.reached++
	}
	if infra != nil && cl.firstInfra == nil {
		cl.firstInfra = infra
	}
	k := &cl.rest
	if c.Failed(cl.failOn) {
		k = &cl.failing
	}
	if out, over := k.add(i, c); over {
		cl.summary.Add(out, cl.failOn)
	}
	cl.done++
	return cl.done
}

// cases merges the kept cases back into input order.
func (cl *collector) cases() []contract.Case {
	a, b := cl.failing, cl.rest
	out := make([]contract.Case, 0, len(a.cases)+len(b.cases))
	i, j := 0, 0
	for i < len(a.idx) || j < len(b.idx) {
		if j == len(b.idx) || i < len(a.idx) && a.idx[i] < b.idx[j] {
			out = append(out, a.cases[i])
			i++
		} else {
			out = append(out, b.cases[j])
			j++
		}
	}
	return out
}

func (r *Runner) run(ctx context.Context, suite string, total int, src Source, keep contract.Keep) (*Result, error) {
	if err := r.readLookups(ctx, src); err != nil {
		return nil, fmt.Errorf("read the exchanges: %w", err)
	}
	failOn := r.opts.FailOn
	if failOn == 0 {
		failOn = contract.LevelError
	}
	kf, kp := keep.Caps()
	cl := &collector{failOn: failOn, failing: kept{limit: kf}, rest: kept{limit: kp}, seen: map[string]bool{}}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stopOnce sync.Once
	var stopped error
	jobs := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < max(1, r.opts.Concurrency); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				c, reachedTarget, infra := r.one(ctx, j.x)
				var st *stop
				if errors.As(infra, &st) {
					stopOnce.Do(func() { stopped = st.Err; cancel() })
					continue
				}
				n := cl.add(j.i, c, reachedTarget, infra)
				r.opts.Emitter.Case(c)
				r.opts.Emitter.Progress(n, max(total, n), c.Name)
			}
		}()
	}
	i := 0
	srcErr := src(ctx, func(x *recordings.Exchange) error {
		if x == nil || !r.opts.Shard.Includes(shardKey(x)) {
			return nil
		}
		select {
		case jobs <- job{i, x}:
			i++
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if stopped != nil {
		return nil, stopped
	}
	if err := parent.Err(); err != nil {
		return nil, err
	}
	if srcErr != nil {
		return nil, fmt.Errorf("read the exchanges: %w", srcErr)
	}
	if cl.done > 0 && cl.done != total {
		// The expected total was an estimate (a shard of a session).
		r.opts.Emitter.Progress(cl.done, cl.done, "")
	}
	res := &Result{Suite: contract.Suite{Name: suite, Cases: cl.cases()}}
	if cl.summary.Cases > 0 {
		res.Suite.Summary = &cl.summary
	}
	if cl.reached == 0 && cl.firstInfra != nil {
		res.Unreachable = cl.firstInfra
	}
	if r.opts.Shard.Total <= 1 {
		res.Findings = append(res.Findings, r.coverage(cl.seen)...)
	}
	if r.c.CustomCode != nil {
		res.Findings = append(res.Findings, contract.Finding{ID: drift.CustomCode, Level: contract.LevelInfo,
			Message: fmt.Sprintf("the connector runs custom code (%s): responses of its script operations may be script output, not the API's", r.c.CustomCode.File)})
	}
	return res, nil
}

func shardKey(x *recordings.Exchange) string {
	return fmt.Sprintf("%d|%s|%s", x.ID, x.Request.Method, x.Request.URL)
}

// coverage lists the definition's operations no case exercised (by the
// operation actually replayed, which follows moved operations).
func (r *Runner) coverage(seen map[string]bool) []contract.Finding {
	var out []contract.Finding
	for _, op := range r.c.Operations {
		if !seen[op.ID] {
			out = append(out, contract.Finding{ID: drift.OperationUntested, Level: contract.LevelInfo, Operation: op.ID, Method: op.Method, Path: op.Path,
				Message: fmt.Sprintf("no recorded exchange calls %s (%s %s)", op.ID, op.Method, op.Path)})
		}
	}
	return out
}

func (r *Runner) keep(b []byte) string {
	if r.opts.KeepBody < 0 || len(b) == 0 {
		return ""
	}
	if len(b) > r.opts.KeepBody {
		return string(b[:r.opts.KeepBody]) + "\n… (truncated)"
	}
	return string(b)
}

// hopHeaders are never replayed: the transport sets them.
var hopHeaders = map[string]bool{
	"Connection": true, "Content-Length": true, "Host": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true, "Accept-Encoding": true,
}

// one replays a single exchange. reached says the target answered; infra
// is set when it could not be reached.
func (r *Runner) one(ctx context.Context, x *recordings.Exchange) (c contract.Case, reached bool, infra error) {
	c = contract.Case{Operation: x.OperationID, Method: x.Request.Method, Exchange: x.ID}
	u, err := url.Parse(x.Request.URL)
	if err != nil {
		c.Skipped = "recorded URL cannot be parsed: " + err.Error()
		c.Name = caseName(c)
		return c, false, nil
	}
	u = r.withBasePath(u)
	c.URL = u.RequestURI()
	if x.Source == recordings.SourceEvent {
		c.Findings = r.payload(x)
		c.Name = caseName(c) + " (webhook event)"
		c.Recorded = r.keep(x.Request.Body)
		return c, true, nil
	}
	if x.Request.Truncated {
		c.Skipped = "the recorded request body was truncated; it cannot be re-sent faithfully"
		c.Name = caseName(c)
		return c, false, nil
	}
	var op *connector.Operation
	var params map[string]string
	m, miss := r.router.Find(x.Request.Method, u.EscapedPath())
	if m != nil {
		op, params = m.Operation, m.Params
	}
	// Flows call actions by operationId and the connector builds the URL:
	// when the recorded operation still exists under another path, replay
	// it there rather than at the recorded URL.
	if byID := r.c.Operation(x.OperationID); byID != nil && byID != op && strings.EqualFold(byID.Method, x.Request.Method) {
		if moved, ok := r.moveTo(byID, u); ok && r.redactedPath(byID, u) {
			// Not moved: the scrub replaced a secret's text inside a
			// literal segment (/v2/REDACTED-…pack for /v2/backpack).
			op, params, u = byID, nil, moved
			c.URL = u.RequestURI()
		} else if ok {
			c.Findings = append(c.Findings, contract.Finding{ID: drift.OperationMoved, Level: contract.LevelWarning, Operation: byID.ID, Exchange: x.ID,
				Method: byID.Method, Path: byID.Path, Old: x.Request.Method + " " + u.Path, New: byID.Method + " " + moved.Path, Where: "operation",
				Message: fmt.Sprintf("%s moved from %s %s to %s %s; replayed at the new address", byID.ID, x.Request.Method, u.Path, byID.Method, moved.Path)})
			op, params, u = byID, nil, moved
			c.URL = u.RequestURI()
		}
	}
	if op != nil {
		c.Operation = op.ID // the operation exercised; a rename keeps the old ID in its finding
	}
	c.Name = caseName(c)
	switch {
	case op == nil:
		f := contract.Finding{ID: drift.OperationMissing, Level: contract.LevelError, Operation: x.OperationID, Exchange: x.ID,
			Method: x.Request.Method, Path: u.Path, Where: "request",
			Message: fmt.Sprintf("%s %s matches no operation of the definition", x.Request.Method, u.Path)}
		if x.OperationID == "" && x.Response.Status >= 400 {
			// It matched none when recorded either, and failed then: a
			// stray call, not an operation that went missing. A change of
			// the answer still shows as drift-status-changed.
			f.Level = contract.LevelInfo
			f.Message += fmt.Sprintf(" (as when recorded, answered %d then)", x.Response.Status)
		}
		if miss != nil && len(miss.Closest) > 0 {
			f.Message += fmt.Sprintf(" (closest: %s, %s)", miss.Closest[0].OperationID, miss.Closest[0].Reason)
		}
		c.Findings = append(c.Findings, f)
	case x.OperationID != "" && x.OperationID != op.ID:
		c.Findings = append(c.Findings, contract.Finding{ID: drift.OperationRenamed, Level: contract.LevelError, Operation: op.ID, Exchange: x.ID,
			Method: op.Method, Path: op.Path, Old: x.OperationID, New: op.ID, Where: "operation",
			Message: fmt.Sprintf("the recorded request was %s; the definition now calls it %s", x.OperationID, op.ID)})
	}
	// Redacted values go out as values valid for their parameter or
	// property, not as the placeholders the store keeps.
	sent := x
	su := r.un.url(op, u, params)
	ct := x.Request.Header.Get("Content-Type")
	b := r.un.body(op, ct, x.Request.Body)
	if nb, ok := r.un.dynamicBody(ctx, op, ct, x.Request.Body, b, su.Query(), x.Request.Header, params); ok {
		b = nb
	}
	if !bytes.Equal(b, x.Request.Body) {
		cp := *x
		cp.Request.Body = b
		sent = &cp
	}
	start := time.Now()
	resp, body, err := r.send(ctx, sent, su, op, params)
	c.Duration = contract.Duration(time.Since(start))
	if err != nil {
		var ie *Infra
		var st *stop
		if errors.As(err, &ie) || errors.As(err, &st) {
			c.Error = err.Error()
			return c, false, err
		}
		c.Error = err.Error()
		return c, false, nil
	}
	c.Status = resp.StatusCode
	c.Recorded, c.Replayed = r.keep(x.Response.Body), r.keep(body)
	var decoded any
	if len(body) > 0 && conform.IsJSON(resp.Header.Get("Content-Type")) {
		if json.Unmarshal(body, &decoded) != nil {
			decoded = nil
		}
	}
	if op != nil {
		c.Findings = append(c.Findings, r.checker.Check(op, conform.Response{Status: resp.StatusCode, Header: resp.Header, Body: body, Decoded: decoded})...)
	}
	if x.Response.Status != 0 {
		var def shape.Shape
		if op != nil {
			def = r.checker.Shape(op, resp.StatusCode)
		}
		c.Findings = append(c.Findings, r.differ.Exchange(op,
			drift.Message{Status: x.Response.Status, Header: x.Response.Header, Body: x.Response.Body},
			drift.Message{Status: resp.StatusCode, Header: resp.Header, Body: body, Decoded: decoded}, def)...)
	}
	for i := range c.Findings {
		c.Findings[i].Exchange = x.ID
		if c.Findings[i].Operation == "" {
			c.Findings[i].Operation = c.Operation
		}
	}
	return c, true, nil
}

func caseName(c contract.Case) string {
	s := c.Operation
	if s == "" {
		s = c.Method + " " + c.URL
	}
	if c.Exchange != 0 {
		s += fmt.Sprintf(" #%d", c.Exchange)
	}
	return s
}

// build makes the outgoing request of one attempt.
func (r *Runner) build(ctx context.Context, x *recordings.Exchange, u *url.URL, op *connector.Operation, params map[string]string) (*http.Request, error) {
	target := *r.opts.Target
	q := u.Query()
	for k, vs := range q {
		for _, v := range vs {
			if recordings.IsPlaceholder(v) && !declaresParam(op, "query", k) {
				q.Del(k)
			}
		}
	}
	// u's path is basePath + operation path; the target already ends with
	// the basePath. A policy engine gets the path as a client sends it to
	// the connector (basePath + operation path) and maps it onto its
	// Upstream itself.
	rel, rawRel := strings.TrimPrefix(u.Path, r.basePath), ""
	if u.RawPath != "" {
		rawRel = strings.TrimPrefix(u.RawPath, (&url.URL{Path: r.basePath}).EscapedPath())
	}
	base, rawBase := strings.TrimRight(target.Path, "/"), strings.TrimRight(r.opts.Target.EscapedPath(), "/")
	if r.opts.Policies != nil {
		base, rawBase = r.basePath, (&url.URL{Path: r.basePath}).EscapedPath()
	}
	target.Path = base + rel
	target.RawPath = ""
	if rawRel != "" {
		target.RawPath = rawBase + rawRel
	}
	target.RawQuery = q.Encode()
	var body io.Reader
	// Placeholders of credentials the connection sets itself; sent as
	// recorded when neither Auth nor a policy sets them (a connector whose
	// key has no connection parameter to supply it from).
	var dropped []string
	for k, vs := range u.Query() {
		if _, kept := q[k]; !kept && anyPlaceholder(vs) {
			dropped = append(dropped, "query", k, vs[0])
		}
	}
	if len(x.Request.Body) > 0 {
		body = bytes.NewReader(x.Request.Body)
	}
	req, err := http.NewRequestWithContext(ctx, x.Request.Method, target.String(), body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range x.Request.Header {
		ck := http.CanonicalHeaderKey(k)
		if hopHeaders[ck] {
			continue
		}
		for _, v := range vs {
			if recordings.IsPlaceholder(v) || strings.Contains(v, recordings.PlaceholderPrefix) {
				// A redacted credential: the connection's own comes from
				// Auth (restored below if it does not). A redacted value of
				// a parameter the operation declares (an X-API-Secret
				// header parameter) is sent as the connection's value of
				// that name or a value valid for the parameter.
				if !declaresParam(op, "header", ck) {
					dropped = append(dropped, "header", ck, v)
					continue
				}
				if nv, ok := r.un.header(op, ck); ok {
					v = nv
				}
			}
			// net/http refuses such a header before dialing; say so here,
			// or the refusal reads as "target unreachable" (exit 3).
			if !httpguts.ValidHeaderFieldName(ck) || !httpguts.ValidHeaderFieldValue(v) {
				return nil, fmt.Errorf("the recorded header %q has a name or value HTTP cannot send (control characters?); fix or drop it in the recording", ck)
			}
			req.Header.Add(ck, v)
		}
	}
	if r.opts.Policies != nil {
		opID := ""
		if op != nil {
			opID = op.ID
		}
		if _, err := r.opts.Policies.Request(ctx, opID, req, params); err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
	}
	if r.opts.Auth != nil {
		if err := r.opts.Auth(req); err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
	}
	for i := 0; i+2 < len(dropped); i += 3 {
		in, k, v := dropped[i], dropped[i+1], dropped[i+2]
		if !r.un.credential(in, k) {
			continue // not where the connector sends its credentials
		}
		unset := in == "header" && len(req.Header.Values(k)) == 0 || in == "query" && !req.URL.Query().Has(k)
		if unset && r.opts.MissingCredentials != nil {
			return nil, &stop{r.opts.MissingCredentials}
		}
		switch {
		case in == "header" && len(req.Header.Values(k)) == 0:
			req.Header.Add(k, v)
		case in == "query" && !req.URL.Query().Has(k):
			rq := req.URL.Query()
			rq.Set(k, v)
			req.URL.RawQuery = rq.Encode()
		}
	}
	return req, nil
}

// send replays with retries on 429/503 + Retry-After.
func (r *Runner) send(ctx context.Context, x *recordings.Exchange, u *url.URL, op *connector.Operation, params map[string]string) (*http.Response, []byte, error) {
	for attempt := 0; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
		req, err := r.build(actx, x, u, op, params)
		if err != nil {
			cancel()
			return nil, nil, err
		}
		resp, err := r.opts.Client.Do(req)
		if err != nil {
			cancel()
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			return nil, nil, &Infra{Err: fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), unwrapURL(err))}
		}
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
		resp.Body.Close()
		cancel()
		if rerr != nil {
			return nil, nil, &Infra{Err: fmt.Errorf("%s %s: reading the answer: %w", req.Method, req.URL.Redacted(), rerr)}
		}
		if (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) && attempt < r.opts.MaxRetries {
			if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				if wait > r.opts.MaxRetryWait {
					wait = r.opts.MaxRetryWait
				}
				r.opts.Log.Debug("retry after", "url", req.URL.Redacted(), "status", resp.StatusCode, "wait", wait)
				if err := r.opts.Sleep(ctx, wait); err != nil {
					return nil, nil, err
				}
				continue
			}
		}
		return resp, body, nil
	}
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// payload checks a recorded webhook delivery against the trigger's
// x-ms-notification-content in the definition.
func (r *Runner) payload(x *recordings.Exchange) []contract.Finding {
	op := r.c.Operation(x.OperationID)
	if op == nil || op.Trigger == nil || op.Trigger.Content == nil {
		return nil
	}
	var v any
	if json.Unmarshal(x.Request.Body, &v) != nil {
		return []contract.Finding{{ID: PayloadNotJSON, Level: contract.LevelError, Operation: op.ID, Exchange: x.ID, Where: "notification.body",
			Message: "the recorded webhook payload is not JSON"}}
	}
	var out []contract.Finding
	for _, f := range conform.CheckValue(op.Trigger.Content, v) {
		f.ID = "payload-" + strings.TrimPrefix(f.ID, "body-")
		f.Where, f.Operation, f.Exchange, f.CustomCode = "notification.body", op.ID, x.ID, op.CustomCode
		f.Message = "webhook payload: " + f.Message
		out = append(out, f)
	}
	return out
}

// PayloadNotJSON and the payload-* IDs (payload-type-mismatch,
// payload-required-missing, payload-field-undocumented, ...) are the
// conformance IDs of webhook payloads. NeverSucceeded is test
// --generate's: no valid request of an operation got a success.
const (
	PayloadNotJSON = "payload-not-json"
	NeverSucceeded = "operation-never-succeeded"
	// RequestDynamicUnresolved: test --generate could not look up a
	// request body part's x-ms-dynamic schema on the target; that part
	// was generated from the static schema.
	RequestDynamicUnresolved = "request-dynamic-unresolved"
)

// Rules is the catalogue of the runner's own findings.
func Rules() contract.Catalogue {
	return contract.Catalogue{
		{ID: NeverSucceeded, Level: contract.LevelError, Kind: contract.KindTest, Summary: "test --generate: every valid request of the operation got a 4xx/5xx answer (declared or not)"},
		{ID: PayloadNotJSON, Level: contract.LevelError, Kind: contract.KindTest, Summary: "a recorded webhook payload is not JSON"},
		{ID: RequestDynamicUnresolved, Level: contract.LevelInfo, Kind: contract.KindTest, Summary: "test --generate: a request body part's x-ms-dynamic schema could not be looked up on the target; it was generated from the static schema"},
	}
}

// moveTo rebuilds a recorded URL for op's current path template: literal
// segments come from the template, parameter values from the recorded URL
// at the same positions. It fails when the segment counts differ.
func (r *Runner) moveTo(op *connector.Operation, u *url.URL) (*url.URL, bool) {
	tmpl := r.router.Template(op)
	ts := strings.Split(strings.Trim(tmpl, "/"), "/")
	rs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(ts) != len(rs) {
		return nil, false
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		if strings.Contains(t, "{") {
			out[i] = rs[i]
		} else {
			out[i] = t
		}
	}
	nu := *u
	nu.Path, nu.RawPath = "/"+strings.Join(out, "/"), ""
	if p, err := url.PathUnescape(nu.Path); err == nil {
		nu.Path = p
		nu.RawPath = "/" + strings.Join(out, "/")
	}
	return &nu, true
}

// redactedPath reports whether u is op's path with redaction placeholders
// inside its literal segments: each literal segment of the template equals
// the recorded one, or matches it with each placeholder read as any text.
func (r *Runner) redactedPath(op *connector.Operation, u *url.URL) bool {
	if !hasPlaceholder(u.Path) {
		return false
	}
	ts := strings.Split(strings.Trim(r.router.Template(op), "/"), "/")
	rs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(ts) != len(rs) {
		return false
	}
	for i, t := range ts {
		if strings.Contains(t, "{") || t == rs[i] {
			continue
		}
		if !hasPlaceholder(rs[i]) || !conform.PlaceholderPattern(rs[i]).MatchString(t) {
			return false
		}
	}
	return true
}

// declaresParam reports whether op declares a parameter in where ("query",
// "header") with this name (headers case-insensitively).
func declaresParam(op *connector.Operation, in, name string) bool {
	if op == nil || op.Op == nil {
		return false
	}
	for _, p := range op.Op.Parameters {
		if p == nil || p.Value == nil || p.Value.In != in {
			continue
		}
		if p.Value.Name == name || in == "header" && strings.EqualFold(p.Value.Name, name) {
			return true
		}
	}
	return false
}
