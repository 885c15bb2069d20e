package recordings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/policy"
)

// Policies runs the connector's policy templates on the way to the API and
// back; *policy.Engine satisfies it. Request gets the request as the client
// sent it to the connector (path = basePath + operation path, no scheme or
// host) and must leave r.URL absolute: that is where the proxy sends it.
// Response gets the client's request and the upstream response.
type Policies interface {
	Request(ctx context.Context, opID string, r *http.Request, pathParams map[string]string) (policy.Trace, error)
	Response(ctx context.Context, opID string, in *http.Request, resp *http.Response) (policy.Trace, error)
}

// ExchangeHeader names the response header carrying the stored exchange's
// id, so a client (or a test) can find what was recorded for it.
const ExchangeHeader = "X-Connectorlab-Exchange"

// ProxyOptions configure a recording proxy.
type ProxyOptions struct {
	// Upstream is the live API's base URL (what scheme://host/basePath
	// would be); request paths are appended to it. Required unless
	// Policies is set: then the policies place the request (give the
	// engine the same URL as its Upstream option to force it).
	Upstream *url.URL
	// BasePath, when an incoming path starts with it, is removed before
	// the operation is looked up and the request forwarded, so clients
	// may call the proxy with or without the connector's basePath.
	BasePath string
	// Sink stores exchanges; Record must return once the exchange is
	// durable. Required.
	Sink      Sink
	SessionID int64
	Connector string
	// Source tags exchanges (default SourceProxy; the mock's spy mode
	// uses SourceSpy).
	Source    Source
	Operation OperationFunc
	Policies  Policies
	Auth      Authenticator
	Limits    Limits
	// MaxRequestBody refuses larger request bodies with a 413 (recorded
	// as a failed exchange); 0 means no limit. Bodies above the body cap
	// are spooled to a temporary file while forwarded.
	MaxRequestBody int64
	// MaxResponseBody answers 502 response-too-large (recorded as a
	// failed exchange) when the upstream's body grows past it: the proxy
	// holds each response until it is stored, so a body that never ends
	// would otherwise be spooled to disk without end. 0 means
	// DefaultMaxResponseBody; negative means no limit.
	MaxResponseBody int64
	// ClientTimeout bounds how long the proxy waits for a client's next
	// request-body bytes and for it to accept response bytes (an idle
	// timeout, so large transfers at any steady speed pass); a stalled or
	// slowloris client is cut off. 0 means DefaultClientTimeout.
	ClientTimeout time.Duration
	// AllowRemoteClients turns off the checks that keep browser pages of
	// other sites out (see ServeHTTP); set it when the proxy listens on a
	// non-loopback address on purpose.
	AllowRemoteClients bool
	// AllowOrigins are browser origins (scheme://host:port) whose pages may
	// use the proxy, e.g. a dev server; the proxy's own origin always may.
	AllowOrigins []string
	// Transport reaches the upstream (default: a dedicated transport with
	// keep-alive pools sized for many clients, compression left to the
	// client).
	Transport http.RoundTripper
	// Timeout bounds the wait for the upstream's response headers; past it
	// the client gets a 504 (default 120 s, the Power Platform limit). It is
	// applied through the default transport's ResponseHeaderTimeout (a
	// per-request context timer costs more than it is worth here).
	Timeout time.Duration
	// BestEffort answers the client even when its exchange could not be
	// stored (the session becomes incomplete). Otherwise such a client
	// gets a 503 and the upstream response is withheld.
	BestEffort bool
	// OnStoreError is called for every exchange that could not be stored,
	// e.g. to mark the session incomplete and warn the user.
	OnStoreError func(x *Exchange, err error)
	// Refuse, when set and returning an error, answers every new request
	// 503 recording-stopped with that error, before anything is forwarded
	// (the recorder sets it when the database file is gone).
	Refuse func() error
	// Logger gets one line per failure; never headers, bodies or URLs'
	// query strings.
	Logger *slog.Logger
}

// Proxy is the recording reverse proxy: it forwards each request to the
// upstream with the connector's auth and policies applied, records the
// exchange (the client's request as sent, the response as the client gets
// it) and answers the client only after the exchange was stored.
type Proxy struct {
	o     ProxyOptions
	rp    *httputil.ReverseProxy
	log   *slog.Logger
	stats struct {
		requests, stored, failed, storeErrors atomic.Int64
	}
}

// ProxyStats counts what a proxy did.
type ProxyStats struct {
	Requests    int64 `json:"requests"`
	Stored      int64 `json:"stored"`
	Failed      int64 `json:"failed"` // upstream failures (answered 502/504)
	StoreErrors int64 `json:"storeErrors"`
}

// NewProxy checks the options and builds a proxy.
func NewProxy(o ProxyOptions) (*Proxy, error) {
	if o.Upstream == nil && o.Policies == nil || o.Upstream != nil && (o.Upstream.Host == "" || (o.Upstream.Scheme != "http" && o.Upstream.Scheme != "https")) {
		return nil, errors.New("recording proxy: the upstream must be an absolute http or https URL such as https://api.example.com/v1")
	}
	if o.Upstream != nil && o.Upstream.User != nil {
		return nil, errors.New("recording proxy: the upstream URL must not carry user:password@; give credentials as connection parameters (environment variables)")
	}
	if o.Sink == nil {
		return nil, errors.New("recording proxy: no store to record into")
	}
	if o.Source == "" {
		o.Source = SourceProxy
	}
	if o.Timeout <= 0 {
		o.Timeout = 120 * time.Second
	}
	if o.ClientTimeout <= 0 {
		o.ClientTimeout = DefaultClientTimeout
	}
	if o.Transport == nil {
		t := NewTransport()
		t.ResponseHeaderTimeout = o.Timeout
		o.Transport = t
	}
	o.BasePath = strings.TrimRight(o.BasePath, "/")
	p := &Proxy{o: o, log: o.Logger}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			// The outgoing URL, Host and credentials were settled in
			// ServeHTTP, where errors can still be answered.
			pr.Out.URL = pr.In.URL
			pr.Out.Host = pr.In.Host
			keepForwarded(pr) // rewrite.go
		},
		Transport:      o.Transport,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.errorHandler,
		ErrorLog:       slog.NewLogLogger(p.log.Handler(), slog.LevelWarn),
		BufferPool:     newBufferPool(),
	}
	return p, nil
}

// NewTransport is the upstream transport: keep-alive pools large enough
// for hundreds of concurrent clients, no transparent gzip (the upstream
// sees the client's Accept-Encoding and the client gets the bytes the
// upstream sent).
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 512
	t.IdleConnTimeout = 90 * time.Second
	t.DisableCompression = true
	return t
}

// Stats returns the counters so far.
func (p *Proxy) Stats() ProxyStats {
	return ProxyStats{p.stats.requests.Load(), p.stats.stored.Load(), p.stats.failed.Load(), p.stats.storeErrors.Load()}
}

type ctxKey struct{}

// flight is one exchange on its way through the proxy.
type flight struct {
	x     *Exchange
	in    *http.Request // the client's request
	start time.Time
	sent  time.Time
	// cancel aborts the upstream request (its body stalled).
	cancel context.CancelFunc
}

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.stats.requests.Add(1)
	f := &flight{start: time.Now(), in: r}
	// Idle deadlines on the client's connection: the server's own
	// timeouts cannot bound a proxied exchange (uploads and the upstream's
	// answer may take long), but a client that stops sending or reading
	// must not hold it forever. A deadline left by an earlier exchange on
	// this keep-alive connection is cleared first.
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	rawW := w
	w = &clientWriter{ResponseWriter: w, rc: rc, idle: p.o.ClientTimeout}
	path := r.URL.Path
	if p.o.BasePath != "" && (path == p.o.BasePath || strings.HasPrefix(path, p.o.BasePath+"/")) {
		path = strings.TrimPrefix(path, p.o.BasePath)
		if path == "" {
			path = "/"
		}
	}
	op := ""
	if p.o.Operation != nil {
		op = p.o.Operation(r.Method, path)
	}
	f.x = &Exchange{
		SessionID:   p.o.SessionID,
		Source:      p.o.Source,
		Connector:   p.o.Connector,
		OperationID: op,
		StartedAt:   f.start.UTC(),
		Request:     Request{Method: r.Method, URL: requestURL(r)},
	}
	// refuse answers before the body is read: the connection closes right
	// after (net/http would otherwise wait to drain the unread body, for
	// ever when the client stalls).
	refuse := func() {
		f.x.Request.Message = Message{Header: cloneHeader(r.Header)}
		_ = rc.SetReadDeadline(time.Now())
		w.Header().Set("Connection", "close")
	}
	if !p.o.AllowRemoteClients {
		if why := foreignClient(r, p.o.AllowOrigins); why != "" {
			refuse()
			p.fail(w, r, f, http.StatusForbidden, "foreign-client", errors.New(why+": the proxy adds the connection's credentials to what it forwards, so it serves only local clients, not web pages of other origins (a page of another site or another local port, or a DNS-rebinding name, could otherwise act with them)"))
			return
		}
	}
	if p.o.Refuse != nil {
		if err := p.o.Refuse(); err != nil {
			refuse()
			p.stats.failed.Add(1)
			writeProblem(w, http.StatusServiceUnavailable, "recording-stopped", "the recording stopped, so nothing is forwarded: "+err.Error(), 0)
			return
		}
	}
	if r.Method == http.MethodTrace || strings.EqualFold(r.Method, "TRACK") {
		// TRACE makes the upstream echo the request it got — with the
		// credentials the proxy added (cross-site tracing).
		refuse()
		w.Header().Set("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
		p.fail(w, r, f, http.StatusMethodNotAllowed, "method-not-proxied", errors.New(r.Method+" is not forwarded: the upstream would echo the request with the connection's credentials the proxy adds"))
		return
	}
	if r.Method == http.MethodConnect {
		// A reverse proxy for an API has nothing to tunnel, and a 2xx to a
		// forwarded CONNECT would turn the connection into a raw pipe.
		refuse()
		w.Header().Set("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
		p.fail(w, r, f, http.StatusMethodNotAllowed, "method-not-proxied", errors.New("CONNECT is not forwarded: the recording proxy is a reverse proxy for one API; send requests to it as to the API itself"))
		return
	}
	base := p.o.BasePath
	if p.o.Upstream != nil && p.o.Policies == nil {
		base = p.o.Upstream.Path
	}
	clean, why := confinePath(base, path)
	if why != "" {
		refuse()
		p.fail(w, r, f, http.StatusBadRequest, "path-outside-base", errors.New(why+": the proxy adds the connection's credentials, so it forwards only paths below the API's base path "+joinPath(base, "/")))
		return
	}
	if clean != path {
		f.x.Notes = append(f.x.Notes, Note{ID: "path-normalised", Level: "info", Message: "the request path was normalised to " + clean + " before it was forwarded"})
		path = clean
	}
	in := r.Body
	if in != nil && in != http.NoBody {
		in = &clientReader{r: in, rc: rc, idle: p.o.ClientTimeout}
		if p.o.MaxRequestBody > 0 {
			in = http.MaxBytesReader(rawW, in, p.o.MaxRequestBody)
		}
	}
	body, err := captureBody(in, p.o.Limits, r.ContentLength)
	if err == nil && in != nil && in != http.NoBody {
		// The body is in; waiting for the upstream is not the client's
		// idleness (an expired read deadline would cancel the request).
		// After a failed read the deadline stays: net/http then gives up
		// draining the rest of the body and closes the connection.
		_ = rc.SetReadDeadline(time.Time{})
	}
	if err != nil {
		f.x.Request.Message = Message{Header: cloneHeader(r.Header)}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.fail(w, r, f, http.StatusRequestEntityTooLarge, "request-too-large", fmt.Errorf("the request body is larger than %d bytes (raise --max-body)", tooBig.Limit))
			return
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			p.fail(w, r, f, http.StatusRequestTimeout, "client-timeout", fmt.Errorf("the client sent no request-body bytes for %s: %w", p.o.ClientTimeout, err))
			return
		}
		p.fail(w, r, f, http.StatusBadRequest, "request-body-unreadable", fmt.Errorf("read the request body: %w", err))
		return
	}

	defer body.Close()
	var notes []Note
	f.x.Request.Message, notes = body.Message(r.Header, p.o.Limits)
	f.x.Notes = append(f.x.Notes, notes...)

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	f.cancel = cancel
	ctx = context.WithValue(ctx, ctxKey{}, f)
	out := r.Clone(ctx)
	var target url.URL
	if p.o.Policies != nil {
		// The client's view: the policies map it onto the upstream.
		target = url.URL{Path: joinPath(p.o.BasePath, path), RawQuery: r.URL.RawQuery}
	} else {
		target = *p.o.Upstream
		target.Path = joinPath(p.o.Upstream.Path, path)
		target.RawPath = ""
		target.RawQuery = r.URL.RawQuery
	}
	out.URL = &target
	if ae := out.Header.Values("Accept-Encoding"); len(ae) > 0 {
		// Only codings the recorder can decode (and so redact): an answer
		// in zstd would be stored as "not stored" and never replayable.
		out.Header.Set("Accept-Encoding", AcceptDecodable(strings.Join(ae, ", ")))
	}
	out.Host = ""
	out.RequestURI = ""
	out.Body = io.NopCloser(body.Reader())
	out.ContentLength = body.Size()
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(body.Reader()), nil }
	if p.o.Auth != nil {
		if err := p.o.Auth(out); err != nil {
			p.fail(w, r, f, http.StatusBadGateway, "auth-failed", fmt.Errorf("apply connection credentials: %w", err))
			return
		}
	}
	if p.o.Policies != nil {
		tr, err := p.o.Policies.Request(ctx, op, out, nil)
		f.x.Notes = append(f.x.Notes, traceNotes(tr)...)
		if err != nil {
			p.fail(w, r, f, http.StatusBadGateway, "policy-failed", fmt.Errorf("request policy: %w", err))
			return
		}
		if out.URL == nil || !out.URL.IsAbs() {
			p.fail(w, r, f, http.StatusBadGateway, "policy-failed", errors.New("the request policies left no upstream URL; give --upstream"))
			return
		}
	}
	f.x.Notes = append(f.x.Notes, Note{ID: "forwarded", Level: "info", Message: "forwarded to " + out.Method + " " + redactedTarget(out.URL)})
	forwardedHeaders(out, r) // rewrite.go
	f.sent = time.Now()
	p.rp.ServeHTTP(w, out)
}

// modifyResponse runs response policies, reads the whole body, stores the
// exchange and only then lets the response go to the client.
func (p *Proxy) modifyResponse(resp *http.Response) error {
	f, _ := resp.Request.Context().Value(ctxKey{}).(*flight)
	if f == nil {
		return errors.New("recording proxy: response without its exchange")
	}
	x := f.x
	x.Upstream = time.Since(f.sent)
	// Store even when the client has gone meanwhile: the upstream saw it.
	ctx := context.WithoutCancel(resp.Request.Context())
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// An upgraded connection (WebSocket) is not an exchange with a
		// body: record the handshake and let it through.
		x.Response = Response{Status: resp.StatusCode, Message: Message{Header: cloneHeader(resp.Header)}}
		x.Notes = append(x.Notes, Note{ID: "upgraded", Level: "info", Message: "the connection was upgraded; traffic after the handshake is not recorded"})
		x.Duration = time.Since(f.start)
		if err := p.o.Sink.Record(ctx, x); err != nil {
			p.storeFailed(x, err)
		} else {
			p.stats.stored.Add(1)
		}
		return nil
	}
	limit := p.maxResponse()
	if limit >= 0 && resp.ContentLength > limit {
		resp.Body.Close()
		return &answerError{status: http.StatusBadGateway, id: "response-too-large",
			err: fmt.Errorf("the upstream's response body is %d bytes, more than the proxy holds for recording (%d)", resp.ContentLength, limit)}
	}
	watch := watchUpstreamBody(resp.Body, p.o.Timeout, limit, f.cancel)
	resp.Body = watch
	bodyErr := func(err error) error {
		switch {
		case watch.stalled.Load():
			return &answerError{status: http.StatusGatewayTimeout, id: "upstream-timeout",
				err: fmt.Errorf("the upstream stopped sending its response body: no bytes for %s", p.o.Timeout)}
		case watch.tooBig:
			return &answerError{status: http.StatusBadGateway, id: "response-too-large",
				err: fmt.Errorf("the upstream's response body grew past %d bytes, more than the proxy holds for recording", limit)}
		}
		return err
	}
	if p.o.Policies != nil {
		tr, err := p.o.Policies.Response(resp.Request.Context(), x.OperationID, f.in, resp)
		x.Notes = append(x.Notes, traceNotes(tr)...)
		if err != nil {
			resp.Body.Close()
			watch.Close()
			if e := bodyErr(nil); e != nil {
				return e
			}
			return &answerError{status: http.StatusBadGateway, id: "policy-failed", err: fmt.Errorf("response policy: %w", err)}
		}
	}
	if err := rewriteLinks(resp, f.in); err != nil { // rewrite.go: keep the client on the proxy
		resp.Body.Close()
		watch.Close()
		return bodyErr(err)
	}
	var c *Captured
	var err error
	if hb, ok := resp.Body.(*heldBody); ok && int64(len(hb.b)) <= p.o.Limits.bodyCap() {
		c = capturedBytes(hb.b) // read whole by rewriteLinks: no second copy
	} else {
		c, err = captureBody(resp.Body, p.o.Limits, resp.ContentLength)
	}
	resp.Body.Close()
	watch.Close()
	if err != nil {
		return bodyErr(err) // upstream broke off mid-body: a failed exchange
	}
	var notes []Note
	x.Response.Status = resp.StatusCode
	x.Response.Message, notes = c.Message(resp.Header, p.o.Limits)
	x.Notes = append(x.Notes, notes...)
	x.Duration = time.Since(f.start)
	if err := p.o.Sink.Record(ctx, x); err != nil {
		p.storeFailed(x, err)
		if !p.o.BestEffort {
			c.Close()
			return &answerError{status: http.StatusServiceUnavailable, id: "recording-failed", err: err, settled: true}
		}
		resp.Header.Set("X-Connectorlab-Recording", "failed")
	} else {
		p.stats.stored.Add(1)
		resp.Header.Set(ExchangeHeader, strconv.FormatInt(x.ID, 10))
		if p.log.Enabled(ctx, slog.LevelInfo) {
			p.log.LogAttrs(ctx, slog.LevelInfo, "recorded", slog.Int64("exchange", x.ID), slog.String("method", x.Request.Method),
				slog.String("path", pathOnly(x.Request.URL)), slog.Int("status", x.Response.Status), slog.String("operation", x.OperationID),
				slog.Duration("duration", x.Duration))
		}
	}
	resp.Body = &capturedBody{Reader: c.Reader(), c: c}
	resp.ContentLength = c.Size()
	resp.Header.Set("Content-Length", strconv.FormatInt(c.Size(), 10))
	resp.TransferEncoding = nil
	return nil
}

type capturedBody struct {
	io.Reader
	c *Captured
}

func (b *capturedBody) Close() error { return b.c.Close() }

// answerError is a failure the proxy answers with its own status.
type answerError struct {
	status  int
	id      string
	err     error
	settled bool // the exchange was already dealt with (do not record again)
}

func (e *answerError) Error() string { return e.err.Error() }
func (e *answerError) Unwrap() error { return e.err }

func (p *Proxy) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	f, _ := r.Context().Value(ctxKey{}).(*flight)
	if f == nil {
		writeProblem(w, http.StatusBadGateway, "upstream-unreachable", err.Error(), 0)
		return
	}
	var ae *answerError
	if errors.As(err, &ae) {
		if ae.settled {
			writeProblem(w, ae.status, ae.id, "the exchange could not be recorded, so its response is withheld: "+ae.err.Error(), 0)
			return
		}
		p.fail(w, r, f, ae.status, ae.id, ae.err)
		return
	}
	status, id := http.StatusBadGateway, "upstream-unreachable"
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		status, id = http.StatusGatewayTimeout, "upstream-timeout"
		err = fmt.Errorf("no answer from the upstream within %s: %w", p.o.Timeout, err)
	case errors.Is(r.Context().Err(), context.Canceled):
		id = "client-gone"
		err = fmt.Errorf("the client closed the connection before the upstream answered: %w", err)
	}
	p.fail(w, r, f, status, id, err)
}

// fail records a failed exchange (no response), then answers the client
// with a JSON problem.
func (p *Proxy) fail(w http.ResponseWriter, r *http.Request, f *flight, status int, id string, cause error) {
	p.stats.failed.Add(1)
	x := f.x
	x.Error = cause.Error()
	x.Duration = time.Since(f.start)
	x.Response = Response{}
	x.Notes = append(x.Notes, Note{ID: id, Level: "error", Message: fmt.Sprintf("answered %d %s", status, http.StatusText(status))})
	// Store even when the client has gone: use a context the client
	// cannot cancel.
	ctx := context.WithoutCancel(r.Context())
	var xid int64
	err := p.o.Sink.Record(ctx, x)
	// The client is told the cause as stored: a store redacts x in place,
	// so an error that quotes a credential the proxy added (a policy's
	// message, a URL with the API key in its query) reaches it redacted.
	msg := x.Error
	if err != nil {
		p.storeFailed(x, err)
		msg += "; and the failed exchange could not be recorded: " + err.Error()
	} else {
		p.stats.stored.Add(1)
		xid = x.ID
	}
	p.log.Warn("exchange failed", "status", status, "problem", id, "method", x.Request.Method, "path", pathOnly(x.Request.URL), "exchange", xid, "error", x.Error)
	writeProblem(w, status, id, msg, xid)
}

func (p *Proxy) storeFailed(x *Exchange, err error) {
	p.stats.storeErrors.Add(1)
	p.log.Error("exchange NOT recorded", "method", x.Request.Method, "path", pathOnly(x.Request.URL), "error", err)
	if p.o.OnStoreError != nil {
		p.o.OnStoreError(x, err)
	}
}

// traceNotes turns the policy steps that changed something into notes.
func traceNotes(tr policy.Trace) []Note {
	var out []Note
	for _, s := range tr.Steps {
		if s.Applied {
			out = append(out, Note{ID: "policy-applied", Level: "info", Pointer: s.Pointer, Message: string(tr.Section) + " " + s.String()})
		}
	}
	return out
}

// writeProblem answers with a small JSON body a client can show.
func writeProblem(w http.ResponseWriter, status int, id, msg string, exchangeID int64) {
	body := map[string]any{"error": id, "status": status, "message": msg}
	if exchangeID != 0 {
		body["exchangeId"] = exchangeID
		w.Header().Set(ExchangeHeader, strconv.FormatInt(exchangeID, 10))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Connectorlab-Problem", id)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// requestURL is the URL as the client sent it: path and query, plus the
// scheme and Host it used.
func requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	if r.URL.User != nil {
		u.User = r.URL.User
	}
	return u.String()
}

func redactedTarget(u *url.URL) string {
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return v.String()
}

func pathOnly(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Path
	}
	p, _, _ := strings.Cut(raw, "?")
	return p
}

// confinePath normalises the (decoded) request path p and says why it is
// refused when it would leave base once joined to it: ".." segments,
// also spelt %2e%2e, with %2f or a backslash as separator, with a ";…"
// parameter ("..;/"), or encoded twice (%252e%252e) for an upstream that
// decodes again. clean is p with its dot segments resolved.
func confinePath(base, p string) (clean, why string) {
	if strings.IndexAny(p, pathRisky) < 0 {
		// No dot, backslash, parameter or escape: no segment can climb
		// and the path is its own clean form (the common request; the
		// full check was 0.8 µs of the recorder's per-request CPU).
		return p, ""
	}
	return confinePathFull(base, p)
}

// pathRisky are the bytes without which a path cannot leave its base.
const pathRisky = ".\\;%"

func confinePathFull(base, p string) (clean, why string) {
	base = path.Clean("/" + strings.TrimRight(base, "/"))
	inside := func(q string) bool {
		if base == "/" {
			return true // nothing is above the root
		}
		segs := strings.Split(strings.ReplaceAll(q, "\\", "/"), "/")
		for i, s := range segs {
			if k := strings.IndexByte(s, ';'); k >= 0 {
				segs[i] = s[:k] // "..;/" is ".." to servlet containers
			}
		}
		full := path.Clean(base + "/" + strings.Join(segs, "/"))
		return full == base || strings.HasPrefix(full, base+"/")
	}
	if !inside(p) {
		return "", "the path " + p + " leaves the API's base path (\"..\" segments)"
	}
	if twice, err := url.PathUnescape(p); err == nil && twice != p && !inside(twice) {
		return "", "the path " + p + " leaves the API's base path once decoded again (" + twice + ")"
	}
	if !strings.Contains(p, "/.") && !strings.Contains(p, "\\") {
		return p, ""
	}
	segs := strings.Split(p, "/")
	hasDot := false
	for _, s := range segs {
		if s == "." || s == ".." {
			hasDot = true
		}
	}
	if !hasDot {
		return p, ""
	}
	c := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c, ""
}

func joinPath(base, p string) string {
	if base == "" || base == "/" {
		if p == "" {
			return "/"
		}
		return p
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(p, "/")
}

// bufferPool reuses the proxy's copy buffers.
type bufferPool struct{ p *sync.Pool }

func newBufferPool() bufferPool {
	return bufferPool{&sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b bufferPool) Get() []byte    { return *(b.p.Get().(*[]byte)) }
func (b bufferPool) Put(buf []byte) { b.p.Put(&buf) }
