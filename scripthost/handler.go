package scripthost

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/route"
)

// Runner binds a Host to a connector: which requests run the script and
// the backend URL the gateway hands the script.
type Runner struct {
	Host *Host
	c    *connector.Connector
	rt   *route.Router
	// Backend is the scheme://host the script's Context.Request points
	// at (the connector's host, or the live upstream).
	backend *url.URL
	// Auth, when set, adds the connection's credentials to
	// Context.Request before the script sees it, as the gateway does.
	Auth func(*http.Request) error
	// Observe, when set, sees every call of the script.
	Observe func(op *connector.Operation, in *http.Request, res *Result)
	Log     *slog.Logger
}

// NewRunner binds h to c. backend is the base URL requests seem to go
// to from the script's side; nil means https://{host} of the connector.
func NewRunner(h *Host, c *connector.Connector, backend *url.URL) *Runner {
	if backend == nil {
		backend = DefaultBackend(c)
	}
	return &Runner{Host: h, c: c, rt: route.New(c), backend: backend, Log: slog.New(slog.DiscardHandler)}
}

// DefaultBackend is the connector's scheme://host (a placeholder host
// when it declares none).
func DefaultBackend(c *connector.Connector) *url.URL {
	scheme := "https"
	if len(c.Schemes) > 0 && c.Schemes[0] != "" {
		scheme = c.Schemes[0]
	}
	host := c.Host
	if host == "" {
		host = "backend.invalid"
	}
	return &url.URL{Scheme: scheme, Host: host}
}

// Backend is the base URL the script sees.
func (r *Runner) Backend() *url.URL { u := *r.backend; return &u }

// Operation returns the operation of method and path when it runs the
// script (path is the request path, basePath included; prefixes before
// the basePath are tried away).
func (r *Runner) Operation(method, path string) *connector.Operation {
	for p := path; ; {
		if m, _ := r.rt.Find(method, p); m != nil {
			if m.Operation.CustomCode {
				return m.Operation
			}
			return nil
		}
		i := strings.IndexByte(strings.TrimPrefix(p, "/"), '/')
		if i < 0 {
			return nil
		}
		p = p[i+1:]
	}
}

// Handler runs the script in front of next for the operations with
// custom code; everything else goes to next as is. The script's
// Context.Request is the incoming request on the backend URL; its
// SendAsync requests to the backend host are served by next in process
// (the mock's simulated backend, the recording proxy), those to other
// hosts by foreign (nil: answered with an error the script sees as an
// HttpRequestException).
func (r *Runner) Handler(next http.Handler, foreign SendFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, in *http.Request) {
		op := r.Operation(in.Method, in.URL.Path)
		if op == nil {
			next.ServeHTTP(w, in)
			return
		}
		req := in.Clone(in.Context())
		req.URL = &url.URL{Scheme: r.backend.Scheme, Host: r.backend.Host, Path: in.URL.Path, RawPath: in.URL.RawPath, RawQuery: in.URL.RawQuery}
		req.Host = r.backend.Host
		req.RequestURI = ""
		// SendAsync to the backend comes back to next as if the client had
		// sent it: same Host header and peer, so next's checks hold.
		send := func(ctx context.Context, sreq *http.Request) (*http.Response, error) {
			if !strings.EqualFold(sreq.URL.Host, r.backend.Host) {
				if foreign == nil {
					return nil, fmt.Errorf("SendAsync to %s: only %s is reachable here", sreq.URL.Host, r.backend.Host)
				}
				return foreign(ctx, sreq)
			}
			return serveLocal(ctx, next, sreq, in.Host, in.RemoteAddr), nil
		}
		res := r.run(in.Context(), op, req, send)
		res.Write(w)
	})
}

// RoundTripper runs the script in front of next (test's client): the
// outgoing request is Context.Request as it is, SendAsync requests go
// through next to wherever they point.
func (r *Runner) RoundTripper(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	send := func(ctx context.Context, req *http.Request) (*http.Response, error) {
		return next.RoundTrip(req.WithContext(ctx))
	}
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		op := r.Operation(req.Method, req.URL.Path)
		if op == nil {
			return next.RoundTrip(req)
		}
		res := r.run(req.Context(), op, req.Clone(req.Context()), send)
		rec := httptest.NewRecorder()
		res.Write(rec)
		out := rec.Result()
		out.Request = req
		return out, nil
	})
}

// Run runs the script once on req (an absolute backend URL) for op,
// sending SendAsync requests with send.
func (r *Runner) Run(ctx context.Context, op *connector.Operation, req *http.Request, send SendFunc) *Result {
	return r.run(ctx, op, req, send)
}

func (r *Runner) run(ctx context.Context, op *connector.Operation, req *http.Request, send SendFunc) *Result {
	if r.Auth != nil {
		if err := r.Auth(req); err != nil {
			r.Log.Warn("custom code: cannot add the connection's credentials", "operation", op.ID, "err", err)
		}
	}
	corr := req.Header.Get("x-ms-client-request-id")
	if corr == "" {
		corr = newCorrelationID()
	}
	res := r.Host.Call(ctx, Call{OperationID: op.ID, CorrelationID: corr, Request: req, Send: send})
	level := slog.LevelInfo
	if res.Err != nil {
		// A failure is shown with the script's own log lines.
		level = slog.LevelWarn
		r.Log.Warn("custom code failed", "operation", op.ID, "status", res.Status, "err", res.Err.Error())
	}
	for _, l := range res.Logs {
		r.Log.Log(ctx, level, "script log", "operation", op.ID, "level", l.Level, "msg", l.Message)
	}
	if r.Observe != nil {
		r.Observe(op, req, res)
	}
	return res
}

// LocalSend is a SendFunc serving requests to backendHost with h in
// process and the others with foreign (nil: an error).
func LocalSend(h http.Handler, backendHost string, foreign SendFunc) SendFunc {
	return func(ctx context.Context, req *http.Request) (*http.Response, error) {
		if !strings.EqualFold(req.URL.Host, backendHost) {
			if foreign == nil {
				return nil, fmt.Errorf("SendAsync to %s: only %s is reachable here", req.URL.Host, backendHost)
			}
			return foreign(ctx, req)
		}
		return serveLocal(ctx, h, req, "127.0.0.1", "127.0.0.1:0"), nil
	}
}

// serveLocal serves req with h in process, as if it came over the wire.
func serveLocal(ctx context.Context, h http.Handler, req *http.Request, host, remote string) *http.Response {
	in := req.Clone(context.WithValue(ctx, fromScriptKey{}, true))
	in.RequestURI = req.URL.RequestURI()
	in.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	in.Host, in.RemoteAddr = host, remote
	if in.RemoteAddr == "" {
		in.RemoteAddr = "127.0.0.1:0"
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, in)
	out := rec.Result()
	out.Request = req
	return out
}

type fromScriptKey struct{}

// FromScript reports whether a request handled by next came from the
// script's SendAsync (its credentials were added before the script ran,
// as the gateway does; adding them again would undo what the script
// changed).
func FromScript(ctx context.Context) bool {
	v, _ := ctx.Value(fromScriptKey{}).(bool)
	return v
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// newCorrelationID is a random id in the gateway's GUID shape.
func newCorrelationID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// WithBackend is a copy of r whose script sees base's scheme://host.
func (r *Runner) WithBackend(base *url.URL) *Runner {
	c := *r
	c.backend = &url.URL{Scheme: base.Scheme, Host: base.Host}
	return &c
}
