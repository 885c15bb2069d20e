package policy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// Request applies the request-section policies that cover opID, in the
// order apiProperties.json declares them, to r, which it mutates: URL
// (scheme, host, path, query), Host, Method, Header and Body.
//
// r is the request as a client sends it to the connector's declared host
// (or to the mock/proxy standing in for it): its path is the connector's
// basePath followed by the operation path. A server-side request (no
// scheme/host in r.URL) is sent to the connector's scheme://host/basePath;
// an absolute r.URL keeps its scheme and host; Options.Upstream overrides
// both. After Request, r.URL is the absolute upstream URL.
//
// pathParams holds the operation's path parameter values (decoded) for
// routerequesttoendpoint's {name} placeholders; nil or missing names are
// taken from r's path, matched against the operation's path template. An
// unknown opID ("" included) runs only the policies not scoped to
// operations. Request reads r.Body only when a body policy applies, and
// then replaces it (r.GetBody and r.ContentLength follow). To keep the
// original, pass r.Clone(ctx) with a re-readable body.
//
// Errors are *Error values naming the policy; ErrMissingParameter,
// ErrUpstream and ErrNoUpstream can be tested with errors.Is.
func (e *Engine) Request(ctx context.Context, opID string, r *http.Request, pathParams map[string]string) (Trace, error) {
	tr := Trace{OperationID: opID, Section: SectionRequest}
	if r == nil || r.URL == nil {
		return tr, errors.New("policy: Request needs a request with a URL")
	}
	st := e.newRequestState(ctx, opID, r, pathParams)
	if cp, err := e.runSection(ctx, opID, SectionRequest, &tr, &st.pass, st.run); err != nil {
		st.finish()
		tr.Method, tr.URL = r.Method, st.displayURL()
		return tr, e.wrap(cp, st.exprFor, err, st.learnt)
	}
	err := st.finish()
	tr.Method, tr.URL = r.Method, st.displayURL()
	return tr, err
}

// pass is what the policies of one section share while they run over one
// request or response: secret values met (kept out of traces and errors)
// and notes for the step being run.
type pass struct {
	learnt []string // secret values met on the way
	notes  []string
}

// runSection applies the section's policies for opID in declared order,
// recording a TraceStep for each. It stops at the first policy that fails
// and returns it with its error; the caller finishes its state and wraps.
func (e *Engine) runSection(ctx context.Context, opID string, sec Section, tr *Trace, ps *pass, run func(*compiled) (string, bool, error)) (*compiled, error) {
	for _, cp := range e.policies {
		if cp.trigger || cp.section != sec || !cp.p.AppliesTo(opID) {
			continue
		}
		step := TraceStep{Template: cp.kind, Title: cp.p.Title, Pointer: cp.p.Pointer}
		if cp.disabled != "" {
			step.Note = "not applied: " + e.redact(cp.disabled, nil)
			tr.Steps = append(tr.Steps, step)
			continue
		}
		ps.notes = ps.notes[:0]
		note, applied, err := run(cp)
		if err != nil {
			step.Note = "failed: " + e.redact(err.Error(), ps.learnt)
			tr.Steps = append(tr.Steps, step)
			return cp, err
		}
		if len(ps.notes) > 0 {
			note += " (" + strings.Join(ps.notes, "; ") + ")"
		}
		step.Applied, step.Note = applied, e.redact(note, ps.learnt)
		tr.Steps = append(tr.Steps, step)
		if e.log.Enabled(ctx, slog.LevelDebug) {
			e.log.LogAttrs(ctx, slog.LevelDebug, "policy", logAttrs(opID, step)...)
		}
	}
	return nil, nil
}

// reqState is one request on its way through the policies.
type reqState struct {
	ctx        context.Context
	e          *Engine
	op         *connector.Operation
	r          *http.Request
	base       *url.URL // scheme://host/path-prefix the request goes to
	rel        string   // escaped path below base: "" or "/…"
	query      queryList
	qbuf       [2]qpair // room for a short query's pairs, saving an allocation
	origMethod string
	origPath   string            // r's escaped path as it came in
	pathParams map[string]string // escaped values; nil when no policy reads them
	body       jsonBody
	final      *url.URL // the URL finish gave the request
	pass
	exprFor string // the template being evaluated, for errors
}

func (e *Engine) newRequestState(ctx context.Context, opID string, r *http.Request, pathParams map[string]string) *reqState {
	st := &reqState{ctx: ctx, e: e, op: e.operation(opID), r: r, origMethod: r.Method}
	st.base = e.defaultBase(r)
	p := r.URL.EscapedPath()
	st.origPath = p
	if e.basePath != "" && (p == e.basePath || strings.HasPrefix(p, e.basePath+"/")) {
		p = p[len(e.basePath):]
	}
	st.rel = p
	st.query.parse(r.URL.RawQuery, st.qbuf[:0])
	// Only {name} placeholders read path parameters: without one in any
	// policy, matching the path and building the map is wasted work.
	if e.readsPathParams {
		st.pathParams = map[string]string{}
		if st.op != nil {
			for k, v := range e.matchPath(st.op.Path, st.rel) {
				st.pathParams[k] = v
			}
		}
		for k, v := range pathParams {
			st.pathParams[k] = url.PathEscape(v)
		}
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	return st
}

// defaultBase is where a request goes before any dynamichosturl.
func (e *Engine) defaultBase(r *http.Request) *url.URL {
	if e.upstreamBase != nil {
		return e.upstreamBase // never written through; built once by New
	}
	if r != nil && r.URL != nil && r.URL.Host != "" {
		return &url.URL{Scheme: r.URL.Scheme, Host: r.URL.Host, Path: e.basePath}
	}
	return &url.URL{Scheme: e.scheme(), Host: e.c.Host, Path: e.basePath}
}

// scheme is the connector's scheme, https when it allows it.
func (e *Engine) scheme() string {
	for _, s := range e.c.Schemes {
		if strings.EqualFold(s, "https") {
			return "https"
		}
	}
	if len(e.c.Schemes) > 0 && e.c.Schemes[0] != "" {
		return strings.ToLower(e.c.Schemes[0])
	}
	return "https"
}

func (st *reqState) newScope() *scope {
	return &scope{
		e:          st.e,
		header:     st.r.Header,
		query:      st.query.get,
		origMethod: st.origMethod,
		src:        st,
		pathParams: st.pathParams,
		learnt:     &st.learnt,
		notes:      &st.notes,
	}
}

func (st *reqState) learn(v string) {
	if v != "" {
		st.learnt = append(st.learnt, v)
	}
}

// render evaluates a template parameter of cp.
func (st *reqState) render(cp *compiled, name string, esc func(string) string) (string, bool, error) {
	t := cp.tpl[strings.ToLower(name)]
	if t == nil {
		return "", false, nil
	}
	st.exprFor = name + "\x00" + t.Raw
	if lit, ok := t.literal(); ok {
		return lit, false, nil // what render gives, without building a scope
	}
	return st.newScope().render(t, esc)
}

func (st *reqState) run(cp *compiled) (string, bool, error) {
	st.exprFor = ""
	switch cp.kind {
	case "dynamichosturl", "dynamicsubdomain":
		return st.dynamicHost(cp)
	case "routerequesttoendpoint":
		return st.route(cp)
	case "setheader":
		return setHeader(st, cp, st.r.Header, func(h string) { st.r.Host = h })
	case "setqueryparameter":
		return st.setQuery(cp)
	case "setvaluefromurl":
		return st.valueFromURL(cp)
	case "setproperty":
		return setProperty(st, cp)
	case "stringreplace":
		return stringReplace(st, cp)
	case "convertobjecttoarray":
		return objectToArray(st, cp)
	case "convertarraytoobject":
		return arrayToObject(st, cp)
	case "moveproperties":
		return moveProperties(st, cp)
	}
	return "not applied: " + cp.kind + " does not run on requests", false, nil
}

func (st *reqState) dynamicHost(cp *compiled) (string, bool, error) {
	if st.e.opts.Upstream != nil {
		return "not applied: the upstream URL was given explicitly (" + st.e.opts.Upstream.Redacted() + ")", false, nil
	}
	s, secret, err := st.render(cp, "urlTemplate", nil)
	if err != nil {
		return "", false, err
	}
	u, err := st.e.hostURL(s)
	if err != nil {
		if secret {
			return "", false, errors.New("the host URL it builds is not an absolute URL with a host")
		}
		return "", false, err
	}
	st.base = u
	return "host URL → " + showURL(u, secret), true, nil
}

// hostURL turns an evaluated urlTemplate into a base URL.
func (e *Engine) hostURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = e.scheme() + "://" + strings.TrimLeft(s, "/")
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("the host URL %q is not a URL: %v", s, errors.Unwrap(err))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("the host URL %q has no host (is a connection parameter empty?)", s)
	}
	u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), strings.TrimRight(u.RawPath, "/")
	u.Fragment = ""
	return u, nil
}

func showURL(u *url.URL, secret bool) string {
	if secret {
		return u.Scheme + "://<redacted>"
	}
	return u.Redacted()
}

func (st *reqState) route(cp *compiled) (string, bool, error) {
	p, _, err := st.render(cp, "newPath", url.PathEscape)
	if err != nil {
		return "", false, err
	}
	p = strings.TrimSpace(p)
	if i := strings.IndexByte(p, '?'); i >= 0 {
		st.query.merge(parseQuery(p[i+1:]))
		p = p[:i]
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	st.rel = p
	note := "path → " + p
	if t := cp.tpl["httpmethod"]; t != nil {
		if x := t.Single(); x != nil && x.Func == FuncOriginalMethod && strings.TrimSpace(t.Raw) == x.Raw {
			return note, true, nil
		}
		m, _, err := st.render(cp, "httpMethod", nil)
		if err != nil {
			return "", false, err
		}
		m = strings.ToUpper(strings.TrimSpace(m))
		if !validMethod(m) {
			return "", false, fmt.Errorf("httpMethod evaluates to %q, which is not an HTTP method", m)
		}
		if m != st.r.Method {
			note += ", method " + st.r.Method + " → " + m
			st.r.Method = m
		}
	}
	return note, true, nil
}

// setHeader runs setheader on h (request or response headers). setHost
// handles a Host header on requests, where Go keeps it outside Header.
func setHeader(bc interface {
	newScope() *scope
	learn(string)
}, cp *compiled, h http.Header, setHost func(string)) (string, bool, error) {
	// The scope is built only for a template that is not literal text
	// (a literal name and value, the common case, need none).
	var sc *scope
	render := func(t *Template) (string, bool, error) {
		if lit, ok := t.literal(); ok {
			return lit, false, nil
		}
		if sc == nil {
			sc = bc.newScope()
		}
		return sc.render(t, nil)
	}
	name, _, err := render(cp.tpl["name"])
	if err != nil {
		return "", false, err
	}
	name = strings.TrimSpace(name)
	if !validHeaderName(name) {
		return fmt.Sprintf("not applied: %q is not a valid header name", name), false, nil
	}
	_, exists := headerValues(h, name)
	switch cp.action {
	case "skip":
		if exists {
			return "header " + name + " is present; skipped (existsAction skip)", false, nil
		}
	case "delete":
		if !exists {
			return "header " + name + " is absent; nothing to delete", false, nil
		}
		delHeader(h, name)
		return "header " + name + " deleted", true, nil
	}
	var val string
	secret := cp.litNameSecret
	if !cp.litName {
		secret = sensitiveName(name)
	}
	if t := cp.tpl["value"]; t != nil {
		v, sec, err := render(t)
		if err != nil {
			return "", false, err
		}
		val, secret = v, secret || sec
	}
	if secret {
		bc.learn(val)
	}
	if strings.ContainsAny(val, "\r\n") {
		return "not applied: the value contains a line break", false, nil
	}
	if setHost != nil && strings.EqualFold(name, "Host") {
		setHost(val)
	} else if cp.action == "append" {
		h.Add(name, val)
	} else {
		delHeader(h, name)
		h.Set(name, val)
	}
	action := cp.action
	if action == "skip" {
		action = "skip: was absent"
	}
	// The note is what Sprintf("header %s = %q (%s)") gave, built in one
	// concatenation: for the usual plain value, %q only adds the quotes.
	switch {
	case secret:
		return "header " + name + " = <redacted> (" + action + ")", true, nil
	case quotesAsIs(val):
		return "header " + name + " = \"" + val + "\" (" + action + ")", true, nil
	}
	return "header " + name + " = " + strconv.Quote(val) + " (" + action + ")", true, nil
}

// quotesAsIs reports whether strconv.Quote(s) is s in double quotes: s is
// printable ASCII without a quote or backslash.
func quotesAsIs(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func delHeader(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}

func (st *reqState) setQuery(cp *compiled) (string, bool, error) {
	name, _, err := st.render(cp, "name", nil)
	if err != nil {
		return "", false, err
	}
	name = strings.TrimSpace(name)
	if dec, err := url.QueryUnescape(name); err == nil {
		name = dec
	}
	if name == "" {
		return "not applied: the name evaluates to \"\"", false, nil
	}
	exists := st.query.has(name)
	switch cp.action {
	case "skip":
		if exists {
			return "query parameter " + name + " is present; skipped (existsAction skip)", false, nil
		}
	case "delete":
		if !exists {
			return "query parameter " + name + " is absent; nothing to delete", false, nil
		}
		st.query.del(name)
		return "query parameter " + name + " deleted", true, nil
	}
	val, secret, err := st.render(cp, "value", nil)
	if err != nil {
		return "", false, err
	}
	secret = secret || sensitiveName(name)
	if secret {
		st.learn(val)
		st.query.secretKeys = append(st.query.secretKeys, name)
	}
	if cp.action == "append" {
		st.query.add(name, val)
	} else {
		st.query.set(name, val)
	}
	shown := fmt.Sprintf("%q", val)
	if secret {
		shown = "<redacted>"
	}
	return fmt.Sprintf("query %s = %s (%s)", name, shown, cp.action), true, nil
}

// valueFromURL runs setvaluefromurl: a side call whose response supplies a
// header or query value (a token, a team id).
func (st *reqState) valueFromURL(cp *compiled) (string, bool, error) {
	raw, _, err := st.render(cp, "parameterValueUrl", nil)
	if err != nil {
		return "", false, err
	}
	raw = strings.TrimSpace(raw)
	var target *url.URL
	if strings.Contains(raw, "://") {
		target, err = url.Parse(raw)
	} else {
		b := *st.base
		b.RawQuery = ""
		target, err = url.Parse(strings.TrimRight(b.String(), "/") + "/" + strings.TrimLeft(raw, "/"))
	}
	if err != nil || target.Host == "" {
		return "", false, fmt.Errorf("parameterValueUrl %q does not make a URL", raw)
	}
	method := "GET"
	if cp.tpl["httpmethod"] != nil {
		m, _, err := st.render(cp, "httpMethod", nil)
		if err != nil {
			return "", false, err
		}
		if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
			method = m
		}
	}
	if !validMethod(method) {
		return "", false, fmt.Errorf("httpMethod %q is not an HTTP method", method)
	}
	st.exprFor = ""
	req, err := http.NewRequestWithContext(st.ctx, method, target.String(), nil)
	if err != nil {
		return "", false, err
	}
	for k, vs := range st.r.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Host", "Connection", "Transfer-Encoding", "Accept-Encoding", "Upgrade", "Te", "Trailer", "Keep-Alive", "Proxy-Connection":
			continue
		}
		req.Header[k] = append([]string(nil), vs...)
	}
	shownURL := method + " " + target.Scheme + "://" + target.Host + target.EscapedPath()
	resp, err := st.e.client.Do(req)
	if err != nil {
		return "", false, fmt.Errorf("%w: %s: %v", ErrUpstream, shownURL, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, st.e.opts.MaxBodyBytes))
	if err != nil {
		return "", false, fmt.Errorf("%w: %s: reading the response: %v", ErrUpstream, shownURL, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", false, fmt.Errorf("%w: %s answered %s", ErrUpstream, shownURL, resp.Status)
	}
	var jb jsonBody
	jb.parse(data)
	if !jb.ok {
		return "", false, fmt.Errorf("%w: %s answered %s, but %s", ErrUpstream, shownURL, resp.Status, jb.why)
	}
	vp := cp.paths["parametervaluepathtemplate"]
	v, ok := walk(jb.val, vp.Steps)
	if !ok || v == nil {
		return "", false, fmt.Errorf("%w: the response of %s has no %s", ErrUpstream, shownURL, vp)
	}
	val := stringOf(v)
	st.learn(val)
	x := cp.tpl["parametertemplate"].Single()
	where := ""
	switch x.Func {
	case FuncHeaders:
		delHeader(st.r.Header, x.Args[0])
		st.r.Header.Set(x.Args[0], val)
		where = "header " + x.Args[0]
	case FuncQueryParameters:
		st.query.set(x.Args[0], val)
		st.query.secretKeys = append(st.query.secretKeys, x.Args[0])
		where = "query parameter " + x.Args[0]
	}
	return fmt.Sprintf("%s → %d; %s = <redacted> (from %s)", shownURL, resp.StatusCode, where, vp), true, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// loadJSON reads the request body once.
func (st *reqState) loadJSON() (*jsonBody, error) {
	b := &st.body
	if b.loaded {
		return b, nil
	}
	b.loaded = true
	r := st.r
	if r.Body == nil || r.Body == http.NoBody {
		b.why = "the request has no body"
		return b, nil
	}
	if ce := strings.TrimSpace(r.Header.Get("Content-Encoding")); ce != "" && !strings.EqualFold(ce, "identity") {
		b.why = "the request body is " + ce + "-encoded"
		return b, nil
	}
	data, replay, over, err := readBody(r.Body, st.e.opts.MaxBodyBytes)
	r.Body = replay
	if err != nil {
		return b, fmt.Errorf("reading the request body: %w", err)
	}
	if over {
		b.why = fmt.Sprintf("the request body is larger than %d bytes", st.e.opts.MaxBodyBytes)
		return b, nil
	}
	setRequestBody(r, data)
	b.parse(data)
	return b, nil
}

func setRequestBody(r *http.Request, data []byte) {
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	r.ContentLength = int64(len(data))
	if r.Header.Get("Content-Length") != "" {
		r.Header.Set("Content-Length", itoa64(r.ContentLength))
	}
	r.TransferEncoding = nil
}

// finish writes URL and body back to the request.
func (st *reqState) finish() error {
	r := st.r
	if st.body.dirty {
		setRequestBody(r, encodeJSONSized(st.body.val, st.body.size))
	}
	u := st.url()
	st.final = u
	r.URL = u
	r.Host = u.Host
	if u.Host == "" {
		op := "the operation"
		if st.op != nil {
			op = "operation " + st.op.ID
		}
		return fmt.Errorf("%w: %s: the connector declares no host and no dynamichosturl policy applies to %s; give the upstream URL explicitly", ErrNoUpstream, st.e.c.Name, op)
	}
	return nil
}

func (st *reqState) url() *url.URL {
	bp := strings.TrimRight(st.base.EscapedPath(), "/")
	joined := st.origPath
	if len(joined) != len(bp)+len(st.rel) || !strings.HasPrefix(joined, bp) || !strings.HasSuffix(joined, st.rel) {
		// Joined anew unless (the usual case: the upstream's path is the
		// basePath the request came with, and no policy routed it) the
		// join is the path the request came with.
		joined = bp + st.rel
	}
	if joined == "" && st.base.Host != "" {
		joined = "/"
	}
	q := st.query.encode()
	if st.base.RawQuery != "" {
		if q != "" {
			q = st.base.RawQuery + "&" + q
		} else {
			q = st.base.RawQuery
		}
	}
	u := &url.URL{Scheme: st.base.Scheme, Host: st.base.Host, User: st.base.User, RawQuery: q}
	if p, err := url.PathUnescape(joined); err == nil {
		u.Path = p
		if u.EscapedPath() != joined {
			u.RawPath = joined
		}
	} else {
		u.Path = joined
	}
	return u
}

// displayURL is the final URL for the trace, secrets redacted. It is
// called after finish, whose URL it copies rather than building it again.
func (st *reqState) displayURL() string {
	u := *st.final
	u.RawQuery = st.query.redacted(st.base.RawQuery)
	s := u.Redacted()
	return st.e.redact(s, st.learnt)
}

func (e *Engine) wrap(cp *compiled, exprFor string, err error, learnt []string) error {
	pe := &Error{Template: cp.p.TemplateID, Title: cp.p.Title, File: e.c.Files.Properties, Pointer: cp.p.Pointer, Err: redactedErr{err, e.redact(err.Error(), learnt)}}
	if name, raw, ok := strings.Cut(exprFor, "\x00"); ok {
		pe.Pointer = paramPointer(cp.p, name)
		pe.Expr = e.redact(raw, learnt)
	}
	return pe
}

// redactedErr keeps errors.Is working while its text is redacted.
type redactedErr struct {
	err  error
	text string
}

func (r redactedErr) Error() string { return r.text }
func (r redactedErr) Unwrap() error { return r.err }

// matchPath matches an escaped request path against an operation path
// template and returns the escaped path parameter values.
func (e *Engine) matchPath(tmpl, path string) map[string]string {
	var pm *pathMatcher
	if v, ok := e.pathRe.Load(tmpl); ok {
		pm = v.(*pathMatcher)
	} else {
		pm = &pathMatcher{names: pathParamNames(tmpl)}
		if len(pm.names) > 0 { // no placeholders, no regexp to compile
			pm.re = pathRegexp(tmpl)
		}
		e.pathRe.Store(tmpl, pm)
	}
	names, re := pm.names, pm.re
	if len(names) == 0 || re == nil {
		return nil
	}
	try := func(p string, escaped bool) map[string]string {
		m := re.FindStringSubmatch(p)
		if m == nil {
			return nil
		}
		out := map[string]string{}
		for i, n := range names {
			v := m[i+1]
			if !escaped {
				v = url.PathEscape(v)
			}
			out[n] = v
		}
		return out
	}
	if m := try(path, true); m != nil {
		return m
	}
	if dec, err := url.PathUnescape(path); err == nil {
		return try(dec, false)
	}
	return nil
}

// pathMatcher is an operation path template's placeholders and the
// regexp that captures them (nil without placeholders, or if it did not
// compile), built once per template.
type pathMatcher struct {
	names []string
	re    *regexp.Regexp
}

// pathRegexp turns "/a/{x}('{y}')" into a regexp with one group per
// placeholder; a trailing slash is optional.
func pathRegexp(tmpl string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	rest := strings.TrimRight(tmpl, "/")
	for {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		b.WriteString("([^/]*?)")
		rest = rest[j+1:]
	}
	b.WriteString("/?$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil
	}
	return re
}

// queryList is a query string that keeps the order and spelling of the
// pairs no policy touched.
type queryList struct {
	pairs      []qpair
	secretKeys []string
	// raw is the query as parsed; untouched says encode would give it
	// back unchanged (no empty parts dropped, no pair set, added or
	// deleted), so it can be returned as is.
	raw       string
	untouched bool
}

type qpair struct {
	raw      string
	key, val string
	dirty    bool
}

func parseQuery(raw string) *queryList {
	q := &queryList{}
	q.parse(raw, nil)
	return q
}

// parse fills an empty q from raw, keeping the pairs in buf when they fit.
func (q *queryList) parse(raw string, buf []qpair) {
	q.raw, q.untouched = raw, true
	if raw == "" {
		return
	}
	if n := strings.Count(raw, "&") + 1; cap(buf) >= n {
		q.pairs = buf[:0]
	} else {
		q.pairs = make([]qpair, 0, n)
	}
	for rest := raw; ; {
		part, more, found := strings.Cut(rest, "&")
		rest = more
		if part == "" {
			q.untouched = false // encode drops it
			if !found {
				break
			}
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		q.pairs = append(q.pairs, qpair{raw: part, key: k, val: v})
		if !found {
			break
		}
	}
}

func (q *queryList) index(name string) int {
	for i, p := range q.pairs {
		if p.key == name {
			return i
		}
	}
	for i, p := range q.pairs {
		if strings.EqualFold(p.key, name) {
			return i
		}
	}
	return -1
}

func (q *queryList) get(name string) (string, bool) {
	if i := q.index(name); i >= 0 {
		return q.pairs[i].val, true
	}
	return "", false
}

func (q *queryList) has(name string) bool { return q.index(name) >= 0 }

func (q *queryList) set(name, val string) {
	i := q.index(name)
	if i < 0 {
		q.add(name, val)
		return
	}
	q.untouched = false
	q.pairs[i] = qpair{key: q.pairs[i].key, val: val, dirty: true}
	key := q.pairs[i].key
	out := q.pairs[:i+1]
	for _, p := range q.pairs[i+1:] {
		if p.key != key {
			out = append(out, p)
		}
	}
	q.pairs = out
}

func (q *queryList) add(name, val string) {
	q.untouched = false
	q.pairs = append(q.pairs, qpair{key: name, val: val, dirty: true})
}

func (q *queryList) del(name string) {
	i := q.index(name)
	if i < 0 {
		return
	}
	q.untouched = false
	key := q.pairs[i].key
	out := q.pairs[:0]
	for _, p := range q.pairs {
		if p.key != key {
			out = append(out, p)
		}
	}
	q.pairs = out
}

func (q *queryList) merge(o *queryList) {
	for _, p := range o.pairs {
		q.set(p.key, p.val)
	}
}

func (q *queryList) encode() string {
	if q.untouched {
		return q.raw
	}
	var parts []string
	for _, p := range q.pairs {
		if !p.dirty {
			parts = append(parts, p.raw)
			continue
		}
		parts = append(parts, url.QueryEscape(p.key)+"="+url.QueryEscape(p.val))
	}
	return strings.Join(parts, "&")
}

// redacted encodes the query with credential values replaced.
func (q *queryList) redacted(baseQuery string) string {
	secret := func(k string) bool {
		if sensitiveName(k) {
			return true
		}
		for _, s := range q.secretKeys {
			if strings.EqualFold(s, k) {
				return true
			}
		}
		return false
	}
	if baseQuery == "" && q.untouched && !slices.ContainsFunc(q.pairs, func(p qpair) bool { return secret(p.key) }) {
		return q.raw // nothing to redact, nothing rewritten
	}
	var parts []string
	if baseQuery != "" {
		parts = append(parts, parseQuery(baseQuery).redacted(""))
	}
	for _, p := range q.pairs {
		if secret(p.key) {
			parts = append(parts, url.QueryEscape(p.key)+"=REDACTED")
			continue
		}
		if !p.dirty {
			parts = append(parts, p.raw)
			continue
		}
		parts = append(parts, url.QueryEscape(p.key)+"="+url.QueryEscape(p.val))
	}
	return strings.Join(parts, "&")
}
