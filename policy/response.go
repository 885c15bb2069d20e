package policy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Response applies the response-section policies that cover opID, in
// declared order, to resp, which it mutates (Header, Body, ContentLength).
//
// in is the request as the client sent it to the mock or proxy, before
// Request rewrote it (with httputil.ReverseProxy: ProxyRequest.In). It
// supplies the gateway address updatenextlink points next links at (unless
// Options.Gateway is set) and @queryParameters values; it may be nil.
// resp.Request, when set, is the upstream request. @headers() reads the
// response headers, then in's.
//
// The body is read only when a body policy applies. A gzip or deflate
// body is decoded to be rewritten and is then sent without
// Content-Encoding; other encodings, bodies over MaxBodyBytes and non-JSON
// bodies pass through untouched, and the trace says so.
func (e *Engine) Response(ctx context.Context, opID string, in *http.Request, resp *http.Response) (Trace, error) {
	tr := Trace{OperationID: opID, Section: SectionResponse}
	if resp == nil {
		return tr, errors.New("policy: Response needs a response")
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	st := &respState{ctx: ctx, e: e, opID: opID, in: in, resp: resp, tr: &tr}
	if in != nil && in.URL != nil {
		st.query = parseQuery(in.URL.RawQuery)
	} else {
		st.query = parseQuery("")
	}
	if cp, err := e.runSection(ctx, opID, SectionResponse, &tr, &st.pass, st.run); err != nil {
		st.finish()
		return tr, e.wrap(cp, "", err, st.learnt)
	}
	st.finish()
	return tr, nil
}

type respState struct {
	ctx     context.Context
	e       *Engine
	opID    string
	in      *http.Request
	resp    *http.Response
	tr      *Trace
	query   *queryList
	body    jsonBody
	decoded bool // the body was decoded from a Content-Encoding
	pass
}

func (st *respState) learn(v string) {
	if v != "" {
		st.learnt = append(st.learnt, v)
	}
}

func (st *respState) newScope() *scope {
	h := st.resp.Header
	if st.in != nil && len(st.in.Header) > 0 {
		// Response headers first, then the request's.
		h = h.Clone()
		for k, v := range st.in.Header {
			if _, ok := h[k]; !ok {
				h[k] = v
			}
		}
	}
	method := ""
	if st.in != nil {
		method = st.in.Method
	}
	return &scope{
		e:          st.e,
		header:     h,
		query:      st.query.get,
		origMethod: method,
		src:        st,
		learnt:     &st.learnt,
		notes:      &st.notes,
	}
}

func (st *respState) run(cp *compiled) (string, bool, error) {
	switch cp.kind {
	case "setheader":
		return setHeader(st, cp, st.resp.Header, nil)
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
	case "updatenextlink":
		return st.nextLink(cp)
	case "setconnectionstatustounauthenticated":
		code, _ := strconv.Atoi(strings.TrimSpace(cp.str("statusCode")))
		if st.resp.StatusCode != code {
			return fmt.Sprintf("status %d is not %d; connection status unchanged", st.resp.StatusCode, code), false, nil
		}
		st.tr.Unauthenticated = true
		return fmt.Sprintf("status %d: the gateway would mark the connection unauthenticated (the maker signs in again)", code), true, nil
	}
	return "not applied: " + cp.kind + " does not run on responses", false, nil
}

func (st *respState) loadJSON() (*jsonBody, error) {
	b := &st.body
	if b.loaded {
		return b, nil
	}
	b.loaded = true
	resp := st.resp
	if resp.Body == nil || resp.Body == http.NoBody {
		b.why = "the response has no body"
		return b, nil
	}
	data, replay, over, err := readBody(resp.Body, st.e.opts.MaxBodyBytes)
	resp.Body = replay
	if err != nil {
		return b, fmt.Errorf("reading the response body: %w", err)
	}
	if over {
		b.why = fmt.Sprintf("the response body is larger than %d bytes", st.e.opts.MaxBodyBytes)
		return b, nil
	}
	enc := resp.Header.Get("Content-Encoding")
	plain, err := decodeContent(enc, data, st.e.opts.MaxBodyBytes)
	if err != nil {
		b.why = "the response body cannot be decoded: " + err.Error()
		return b, nil
	}
	st.decoded = enc != "" && !strings.EqualFold(strings.TrimSpace(enc), "identity")
	b.parse(plain)
	return b, nil
}

func (st *respState) finish() {
	if !st.body.dirty {
		return
	}
	data := encodeJSONSized(st.body.val, st.body.size)
	resp := st.resp
	resp.Body = readCloser(data)
	resp.ContentLength = int64(len(data))
	resp.Header.Set("Content-Length", itoa64(resp.ContentLength))
	resp.TransferEncoding = nil
	if st.decoded {
		resp.Header.Del("Content-Encoding")
		resp.Uncompressed = true
	}
}

// gateway is the base URL clients reach the connector at.
func (e *Engine) gateway(in *http.Request) *url.URL {
	if g := e.opts.Gateway; g != nil {
		u := *g
		u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), strings.TrimRight(u.RawPath, "/")
		u.RawQuery, u.Fragment = "", ""
		return &u
	}
	if in == nil || in.URL == nil {
		return nil
	}
	host := in.Host
	if host == "" {
		host = in.URL.Host
	}
	if host == "" {
		return nil
	}
	scheme := "http"
	if in.TLS != nil {
		scheme = "https"
	}
	if in.URL.Scheme != "" {
		scheme = in.URL.Scheme
	}
	return &url.URL{Scheme: scheme, Host: host, Path: e.basePath}
}

// nextLink runs updatenextlink: a next link that points at the upstream is
// rewritten onto the gateway, so a client following it comes back through
// the mock or proxy (and its policies and auth) instead of calling the API
// directly.
func (st *respState) nextLink(cp *compiled) (string, bool, error) {
	b, err := st.loadJSON()
	if err != nil || !b.ok {
		return skipBody(b, err)
	}
	name := strings.TrimSpace(cp.str("nextLinkPropertyName"))
	steps := []Accessor{{Key: name}}
	if _, ok := walk(b.val, steps); !ok {
		if p, err := ParsePath(name); err == nil && (p.Root == "" || p.Root == FuncBody) {
			steps = p.Steps
		}
	}
	v, ok := walk(b.val, steps)
	link, isStr := v.(string)
	if !ok || !isStr || strings.TrimSpace(link) == "" {
		return "no next link " + name + " in this response (last page)", false, nil
	}
	lu, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return fmt.Sprintf("not applied: the next link is not a URL (%v)", errors.Unwrap(err)), false, nil
	}
	gw := st.e.gateway(st.in)
	if gw == nil {
		return "not applied: the gateway URL is unknown (no incoming request; set Options.Gateway)", false, nil
	}
	// The link points at the upstream when its host is the host URL the
	// policies give the operation, or the host the request went to
	// (resp.Request); that base path is then replaced by the gateway's.
	var cands []*url.URL
	up, _ := st.e.BaseURL(st.opID, st.in)
	if up != nil {
		cands = append(cands, up)
	}
	if rq := st.resp.Request; rq != nil && rq.URL != nil && rq.URL.Host != "" && (up == nil || !strings.EqualFold(up.Host, rq.URL.Host)) {
		cands = append(cands, &url.URL{Scheme: rq.URL.Scheme, Host: rq.URL.Host})
	}
	var match *url.URL
	for _, c := range cands {
		if lu.Host == "" || strings.EqualFold(c.Host, lu.Host) {
			match = c
			break
		}
	}
	p := lu.EscapedPath()
	note := ""
	if match == nil && lu.Host != "" {
		note = fmt.Sprintf("; its host %s is not the upstream's, its path is kept", lu.Host)
	} else if match != nil {
		bp := strings.TrimRight(match.EscapedPath(), "/")
		if bp != "" && (p == bp || strings.HasPrefix(p, bp+"/")) {
			p = p[len(bp):]
		}
	}
	nu := &url.URL{Scheme: gw.Scheme, Host: gw.Host, RawQuery: lu.RawQuery}
	joined := strings.TrimRight(gw.EscapedPath(), "/") + p
	if dp, err := url.PathUnescape(joined); err == nil {
		nu.Path = dp
		if nu.EscapedPath() != joined {
			nu.RawPath = joined
		}
	} else {
		nu.Path = joined
	}
	nb, err := setAt(b.val, steps, nu.String())
	if err != nil {
		return fmt.Sprintf("not applied: %v", err), false, nil
	}
	b.val, b.dirty = nb, true
	shown := nu.Scheme + "://" + nu.Host + nu.EscapedPath()
	if nu.RawQuery != "" {
		shown += "?…"
	}
	return fmt.Sprintf("next link %s → %s%s", name, shown, note), true, nil
}
