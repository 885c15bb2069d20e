package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/mock/dynamic"
	"github.com/connectorlab/connectorlab/mock/trigger"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// PowerPlatformOptions tune the Power Platform behaviours (mock/trigger,
// mock/dynamic, paging). The zero value works.
type PowerPlatformOptions struct {
	// StrictDynamic rejects (400) values that a parameter's dynamic-values
	// lookup would not return (--strict-dynamic).
	StrictDynamic bool
	// SchemaFile is a dynamic-schemas.json to use instead of the one next
	// to the connector.
	SchemaFile string
	// Retry and RetryAfter tune webhook deliveries and polling answers.
	Retry      trigger.Retry
	RetryAfter time.Duration
	// PageSize is the page length of x-ms-pageable operations whose
	// request names none; 0 means 10.
	PageSize int
	// Hub, when set, registers the server for the admin API and the
	// --fire-every schedule, and keeps subscriptions across --watch reloads.
	Hub *Hub
	// AllowPrivateCallbacks lets webhook subscriptions name loopback and
	// private callback addresses (--allow-private-callbacks); off, a web
	// page cannot make the mock post to services on this machine.
	AllowPrivateCallbacks bool
	// OwnAddrs are host:port listeners of this process (a recording proxy
	// it runs, ...) callbacks may never name, on top of those the Hub
	// knows (the mocks and the admin API).
	OwnAddrs []string
	// MaxSubscriptions caps live webhook subscriptions (default 1000; 429
	// beyond); MaxCallbackURL a callback URL's bytes (default 2048; 413).
	MaxSubscriptions int
	MaxCallbackURL   int
}

// powerPlatform is the behaviour installed on every Server.
type powerPlatform struct {
	s        *Server
	opts     PowerPlatformOptions
	engine   *trigger.Engine
	dyn      *dynamic.Resolver
	scenario atomic.Pointer[admin.Scenario]

	fmu    sync.Mutex
	faults Faults
	inject atomic.Pointer[faultInjector] // run-time faults set through the admin API

	// pages memoises stateless pages: a page is a function of the
	// operation, the request's seed (path, query, body), the URL its next
	// link is built from and the body it cuts, so a repeated request's page
	// is built once (the sample's list: 2,100 allocations and ~3 ms each).
	pages pageCache
}

func installPowerPlatform(s *Server) error {
	o := s.opts.PowerPlatform
	pp := &powerPlatform{s: s, opts: o}
	var fallback func(trigger.Subscription) string
	if o.Hub != nil {
		fallback = o.Hub.unsubscribeURL
	}
	e, errs := trigger.New(trigger.Options{
		Connector: s.c, Generator: s.gen, Seed: s.opts.Seed, Sink: s.opts.Sink, Logger: s.log,
		Retry: o.Retry, RetryAfter: o.RetryAfter, Now: s.opts.Now, FallbackUnsubscribe: fallback,
		AllowPrivateCallbacks: o.AllowPrivateCallbacks, MaxSubscriptions: o.MaxSubscriptions, MaxCallbackURL: o.MaxCallbackURL,
		OwnAddrs: func() []string {
			own := append([]string(nil), o.OwnAddrs...)
			if o.Hub != nil {
				own = append(own, o.Hub.ownAddrs()...)
			}
			return own
		},
	})
	for _, err := range errs {
		s.log.Warn("mock: trigger policy ignored", "connector", s.c.Name, "err", err)
	}
	pp.engine = e
	d, err := dynamic.New(dynamic.Options{Connector: s.c, Generator: s.gen, Seed: s.opts.Seed, Strict: o.StrictDynamic, SchemaFile: o.SchemaFile,
		Stored: pp.stored, Redactor: s.redacts})
	if err != nil {
		return err
	}
	pp.dyn = d
	s.valid.waive = pp.waive
	// The guard (run-time faults, scenario, dynamic checks) runs before the
	// stateful store, so --stateful creates are judged and faulted too; the
	// trigger protocols answer after it.
	at := len(s.responders)
	for i, r := range s.responders {
		if _, ok := r.(*stateful); ok {
			at = i
			break
		}
	}
	s.responders = append(s.responders[:at], append([]Responder{ppGuard{pp}}, s.responders[at:]...)...)
	s.responders = append(s.responders, pp)
	s.filters = append(s.filters, FilterFunc(pp.filter))
	if o.Hub != nil {
		o.Hub.register(s.opts.Name, pp)
	}
	return nil
}

// PowerPlatform returns the trigger engine and dynamic resolver of s, for
// tests and front doors that drive them directly.
func (s *Server) PowerPlatform() (*trigger.Engine, *dynamic.Resolver) {
	for _, r := range s.responders {
		if pp, ok := r.(*powerPlatform); ok {
			return pp.engine, pp.dyn
		}
	}
	return nil, nil
}

// Close stops background work of s (webhook deliveries in flight).
func (s *Server) Close() {
	if e, _ := s.PowerPlatform(); e != nil {
		e.Close()
	}
}

func dynArgs(c *Call) dynamic.Args {
	body := c.JSON
	if body == nil && len(c.Body) > 0 {
		body = formBody(c)
	}
	return dynamic.Args{Path: c.Params, Query: c.Request.URL.Query(), Header: c.Request.Header, Body: body, Op: c.Operation}
}

// formBody decodes a urlencoded or multipart request body into fields
// typed by the body schema, so form fields (formData parameters) are
// judged like JSON ones. nil for any other body.
func formBody(c *Call) any {
	ct := c.Request.Header.Get("Content-Type")
	mt := mediaBase(ct)
	if mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" {
		return nil
	}
	var sch *openapi3.Schema
	if op := c.Operation.Op; op != nil && op.RequestBody != nil && op.RequestBody.Value != nil {
		if m := op.RequestBody.Value.Content.Get(mt); m != nil && m.Schema != nil {
			sch = m.Schema.Value
		}
	}
	v, err := decodeForm(mt, ct, c.Body, sch)
	if err != nil {
		return nil
	}
	return v
}

// externalURL is the URL the client addressed, and the base of the
// connector on it (scheme, host, any front prefix and basePath).
func (pp *powerPlatform) externalURL(c *Call) (*url.URL, string) {
	r := c.Request
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	// A front door that strips a path prefix before the server sees the
	// request (`connectorlab mock --prefix`, a reverse proxy) says so in
	// X-Forwarded-Prefix; the URLs handed out (Location, next links) put it
	// back.
	prefix := strings.TrimSuffix(r.Header.Get("X-Forwarded-Prefix"), "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" && !strings.ContainsAny(h, "/ ,") {
		host = h
	}
	u := &url.URL{Scheme: scheme, Host: host, Path: prefix + r.URL.Path, RawQuery: r.URL.RawQuery}
	if r.URL.RawPath != "" {
		u.RawPath = prefix + r.URL.RawPath
	}
	reqSegs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	opSegs := strings.Split(strings.TrimPrefix(c.Operation.Path, "/"), "/")
	base := ""
	if n := len(reqSegs) - len(opSegs); n > 0 {
		base = "/" + strings.Join(reqSegs[:n], "/")
	}
	return u, scheme + "://" + host + prefix + base
}

func (pp *powerPlatform) triggerRequest(c *Call) trigger.Request {
	u, base := pp.externalURL(c)
	body := c.JSON
	if body == nil && len(c.Body) > 0 {
		body = formBody(c) // a callback URL may travel in a form field
	}
	return trigger.Request{URL: u, BaseURL: base, PathParams: c.Params, Header: c.Request.Header, Body: body}
}

// ppGuard is the part of the behaviours that sees every call first.
type ppGuard struct{ pp *powerPlatform }

// Respond implements Responder: run-time faults and scenario, the custom
// code note and the dynamic checks. It answers only to refuse or fault.
func (g ppGuard) Respond(ctx context.Context, c *Call) (*Reply, error) {
	pp := g.pp
	if fi := pp.inject.Load(); fi != nil {
		rep, reset := fi.apply(ctx, c)
		if reset {
			panic(http.ErrAbortHandler) // drops the connection, as a reset fault must
		}
		if rep != nil {
			return rep, nil
		}
	}
	if sc := pp.scenario.Load(); sc != nil && c.Prefer == (Prefer{}) {
		if p, ok := sc.Operations[c.Operation.ID]; ok {
			c.Prefer = Prefer{Code: p.Code, Example: p.Example, Dynamic: p.Dynamic}
		} else if sc.Default != nil {
			c.Prefer = Prefer{Code: sc.Default.Code, Example: sc.Default.Example, Dynamic: sc.Default.Dynamic}
		}
		if c.Prefer != (Prefer{}) {
			c.Note("scenario", "info", "", "answered under the scenario set through the admin API")
		}
	}
	if c.Operation.CustomCode {
		c.Note("custom-code-not-executed", "info", "", "custom code not executed; responses come from the definition")
	}
	if rep := pp.checkDynamic(c); rep != nil {
		return rep, nil
	}
	return nil, nil
}

// Respond implements Responder: the trigger protocols.
func (pp *powerPlatform) Respond(ctx context.Context, c *Call) (*Reply, error) {
	op := c.Operation
	switch {
	case pp.engine.IsSubscribe(op.ID):
		return pp.subscribe(ctx, c)
	case pp.engine.IsPolling(op.ID) && c.Prefer.Code == 0:
		res, err := pp.engine.Poll(op, pp.triggerRequest(c))
		if err != nil {
			if errors.Is(err, trigger.ErrBadCursor) {
				return problemReply(http.StatusBadRequest, "trigger-state-invalid", "Trigger state not recognised", err.Error(),
					[]ProblemError{{In: "query", Name: trigger.CursorParam, Rule: "trigger-state", Message: err.Error()}}), nil
			}
			return nil, err
		}
		c.Notes = append(c.Notes, res.Notes...)
		var rep *Reply
		if res.Body != nil {
			if rep, err = JSONReply(res.Status, "", res.Body); err != nil {
				return nil, err
			}
		} else {
			rep = NewReply(res.Status)
		}
		for k, v := range res.Header {
			rep.Header[k] = v
		}
		return rep, nil
	case pp.engine.IsUnsubscribe(op.ID) && c.Prefer.Code == 0:
		sub, ok := pp.engine.Unsubscribe(op, pp.triggerRequest(c))
		if !ok {
			// Deleting what is gone succeeds, as idempotent DELETEs do;
			// send Prefer: code=404 to see the not-found answer.
			c.Note("subscription-not-found", "warning", "", "no webhook subscription matches this unsubscribe request; answering as declared")
			return nil, nil
		}
		c.Note("webhook-unsubscribed", "info", "", fmt.Sprintf("subscription %s of %s removed; no more events go to %s", sub.ID, sub.OperationID, sub.CallbackURL))
	}
	return nil, nil
}

func (pp *powerPlatform) subscribe(ctx context.Context, c *Call) (*Reply, error) {
	sub, err := pp.engine.Subscribe(c.Operation, pp.triggerRequest(c))
	if err != nil {
		nu := c.Operation.Trigger.NotificationURL
		pe := ProblemError{In: "body", Rule: "x-ms-notification-url", Message: err.Error()}
		if nu != nil {
			pe.In = nu.In
			if nu.In == "body" {
				pe.Pointer = "/" + nu.Name
			} else {
				pe.Name = nu.Name
			}
		}
		switch {
		case errors.Is(err, trigger.ErrTooManySubscriptions):
			return problemReply(http.StatusTooManyRequests, "subscriptions-full", "Too many webhook subscriptions", err.Error(), []ProblemError{pe}), nil
		case errors.Is(err, trigger.ErrCallbackTooLong):
			return problemReply(http.StatusRequestEntityTooLarge, "notification-url-too-long", "Webhook callback URL too long", err.Error(), []ProblemError{pe}), nil
		}
		return problemReply(http.StatusBadRequest, "notification-url-invalid", "Webhook callback URL missing or invalid", err.Error(), []ProblemError{pe}), nil
	}
	rep, err := pp.s.Simulate(ctx, c)
	if err != nil {
		return nil, err
	}
	if rep.Status >= 200 && rep.Status < 300 {
		var body any
		if len(rep.Body) > 0 && json.Unmarshal(rep.Body, &body) == nil {
			body = pp.engine.Decorate(sub, c.Operation, rep.Header, body)
			if b, err := marshalJSON(body); err == nil {
				rep.Body = b
			}
		} else {
			pp.engine.Decorate(sub, c.Operation, rep.Header, nil)
		}
	}
	c.Note("webhook-subscribed", "info", "", fmt.Sprintf("subscription %s: events of %s go to %s", sub.ID, sub.OperationID, sub.CallbackURL))
	return rep, nil
}

// checkDynamic runs the dependent-operation checks; a rejection answers 400.
func (pp *powerPlatform) checkDynamic(c *Call) *Reply {
	if len(c.Operation.Dynamic) == 0 {
		return nil
	}
	var errs []ProblemError
	id := ""
	for _, p := range pp.dyn.Check(c.Operation, dynArgs(c)) {
		c.Notes = append(c.Notes, p.Note)
		if !p.Reject {
			continue
		}
		if id == "" {
			id = p.ID
		}
		pe := ProblemError{Rule: p.ID, Message: p.Message}
		if in, name, ok := strings.Cut(p.Pointer, ":"); ok {
			pe.In, pe.Name = in, name
		} else {
			pe.In, pe.Pointer = "body", strings.TrimPrefix(p.Pointer, "/body")
		}
		errs = append(errs, pe)
	}
	if len(errs) == 0 {
		return nil
	}
	title := "Value not offered by the dynamic-values lookup"
	if id == dynamic.ProblemSchemaMismatch {
		title = "Body does not match the dynamic schema"
	}
	return problemReply(http.StatusBadRequest, id, title, errs[0].Message, errs)
}

// filter shapes replies: lookup answers, dynamic response parts, paging,
// and tells the trigger engine about stateful creates.
func (pp *powerPlatform) filter(ctx context.Context, c *Call, rep *Reply) error {
	op := c.Operation
	if rep.Status < 200 || rep.Status > 299 {
		return nil
	}
	isJSON := len(rep.Body) == 0 || strings.Contains(rep.Header.Get("Content-Type"), "json")
	lookup := pp.dyn.IsLookup(op.ID)
	dynResp := hasDynamicResponse(op)
	if !isJSON || !(lookup || dynResp || op.Pageable != nil || pp.s.opts.Stateful) {
		return nil
	}
	var pk pageKey
	memo := op.Pageable != nil && rep.Status == http.StatusOK && !lookup && !dynResp && !pp.s.opts.Stateful
	if memo {
		pk = pp.pageKey(c, rep.Body)
		if v, ok := pp.pages.load(pk); ok {
			c.Notes = append(c.Notes, v.notes...)
			rep.Body = v.body
			if rep.Header.Get("Content-Type") == "" {
				rep.Header.Set("Content-Type", "application/json")
			}
			return nil
		}
	}
	var body any
	if len(rep.Body) > 0 {
		if err := json.Unmarshal(rep.Body, &body); err != nil {
			return nil // not ours to judge
		}
	}
	changed := false
	a := dynArgs(c)
	// A lookup whose own response has a dynamic schema: resolve that
	// first, then put the list the designer reads into it.
	if dynResp {
		body = pp.dyn.Response(op, a, rep.Status, body)
		changed = true
	}
	if lookup {
		var notes []recordings.Note
		body, notes = pp.dyn.Lookup(op, a, body)
		c.Notes = append(c.Notes, notes...)
		changed = true
	}
	notesFrom := len(c.Notes)
	// A lookup's list is the whole set of values the designer offers:
	// one page, without a next link.
	if op.Pageable != nil && rep.Status == http.StatusOK && !lookup {
		if b, ok := pp.page(c, body); ok {
			body, changed = b, true
		}
	}
	if pp.s.opts.Stateful && (op.Method == http.MethodPost || op.Method == http.MethodPut) && op.Trigger == nil && !lookup && body != nil {
		if fired := pp.engine.OnCreate(op, body); len(fired) > 0 {
			c.Note("trigger-fired", "info", "", "this create feeds trigger(s) "+strings.Join(fired, ", "))
		}
	}
	if !changed {
		return nil
	}
	b, err := marshalJSON(body)
	if err != nil {
		return err
	}
	if memo {
		pp.pages.store(pk, cachedPage{body: b, notes: append([]recordings.Note(nil), c.Notes[notesFrom:]...)}, len(b))
	}
	rep.Body = b
	if rep.Header.Get("Content-Type") == "" {
		rep.Header.Set("Content-Type", "application/json")
	}
	return nil
}

func hasDynamicResponse(op *connector.Operation) bool {
	for _, d := range op.Dynamic {
		if strings.HasPrefix(d.Target, "response:") && (d.Kind == "schema" || d.Kind == "properties") {
			return true
		}
	}
	return false
}

// waive drops the validation problems the trigger protocols make
// unavoidable, so a flow engine driving the mock is not refused for what
// it cannot do otherwise:
//   - the unsubscribe DELETE is a bare call to the Location the subscribe
//     answered: required headers (and a body) of the unsubscribe operation
//     cannot travel with it;
//   - the subscribe's x-ms-notification-url value is the platform's
//     callback URL, whatever format or pattern the definition gives it.
//
// Each waived problem is noted on the exchange.
func (pp *powerPlatform) waive(c *Call, errs []ProblemError) []ProblemError {
	op := c.Operation
	unsub := pp.engine.IsUnsubscribe(op.ID)
	var nu *connector.NotificationURL
	if pp.engine.IsSubscribe(op.ID) && op.Trigger != nil {
		nu = op.Trigger.NotificationURL
	}
	if !unsub && nu == nil {
		return errs
	}
	out := errs[:0:0]
	for _, e := range errs {
		switch {
		case unsub && e.Rule == "required" && (e.In == "header" || e.In == "body"):
			c.Note("unsubscribe-"+e.In+"-waived", "info", e.Pointer, fmt.Sprintf("%s %s is required by %s, but a flow engine's DELETE on the subscription's Location cannot carry it; not enforced", e.In, e.Name, op.ID))
		case nu != nil && e.Rule != "required" && notificationProblem(nu, e):
			c.Note("notification-url-waived", "info", e.Pointer, fmt.Sprintf("the x-ms-notification-url value is the platform's callback URL; %s not enforced on it: %s", e.Rule, e.Message))
		default:
			out = append(out, e)
		}
	}
	return out
}

// notificationProblem reports whether e is about the notification URL.
func notificationProblem(nu *connector.NotificationURL, e ProblemError) bool {
	if nu.In == "body" {
		return e.In == "body" && strings.Trim(e.Pointer, "/") == strings.Trim(nu.Name, "/")
	}
	return e.In == nu.In && strings.EqualFold(e.Name, nu.Name)
}

// stored returns what the stateful store holds for a lookup that lists a
// stateful collection: in stateful mode its answer is those items.
func (pp *powerPlatform) stored(lookup *connector.Operation) []any {
	if !pp.s.opts.Stateful || lookup.Method != http.MethodGet {
		return nil
	}
	var st *stateful
	for _, r := range pp.s.responders {
		if x, ok := r.(*stateful); ok {
			st = x
		}
	}
	if st == nil || st.byCol[lookup.Path] == nil {
		return nil
	}
	// Every bucket of the collection, whatever its parent parameters.
	parts := varNames.Split("stateful "+lookup.Path, -1)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	want := regexp.MustCompile("^" + strings.Join(parts, "[^/]*") + "$")
	var out []any
	for _, b := range pp.s.state.Buckets() {
		if want.MatchString(b) {
			for _, e := range pp.s.state.List(b) {
				out = append(out, e.Value)
			}
		}
	}
	return out
}
