package recordings

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Proxy defaults for the limits that keep a misbehaving peer from holding
// an exchange (and its goroutine, memory and spill file) forever.
const (
	// DefaultMaxResponseBody is the largest upstream body the proxy holds
	// for storing; the CLI's default request limit is the same 1 GiB.
	DefaultMaxResponseBody = 1 << 30
	// DefaultClientTimeout is how long a client may leave its upload or
	// its download idle (the mock's ReadTimeout is the same 30 s).
	DefaultClientTimeout = 30 * time.Second
)

var errResponseTooLarge = errors.New("response body too large")

func (p *Proxy) maxResponse() int64 {
	switch {
	case p.o.MaxResponseBody < 0:
		return -1
	case p.o.MaxResponseBody == 0:
		return DefaultMaxResponseBody
	}
	return p.o.MaxResponseBody
}

// clientReader sets the connection's read deadline before each read of
// the request body: a client may upload at any steady speed, but not stop.
type clientReader struct {
	r    io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
}

func (c *clientReader) Read(b []byte) (int, error) {
	_ = c.rc.SetReadDeadline(time.Now().Add(c.idle)) // ErrNotSupported: no deadline to set
	return c.r.Read(b)
}

func (c *clientReader) Close() error { return c.r.Close() }

// clientWriter sets the connection's write deadline before each write: a
// client that stops reading its response is cut off.
type clientWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

func (c *clientWriter) Write(b []byte) (int, error) {
	_ = c.rc.SetWriteDeadline(time.Now().Add(c.idle))
	return c.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController (flush, hijack for upgrades) reach
// the real writer.
func (c *clientWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// upstreamBody watches the upstream's body: when no bytes arrive for idle
// it cancels the upstream request (which aborts the read), and past limit
// bytes it fails with errResponseTooLarge.
type upstreamBody struct {
	rc      io.ReadCloser
	timer   *time.Timer
	idle    time.Duration
	left    int64 // bytes still allowed; <0: no limit
	stalled atomic.Bool
	tooBig  bool
}

func watchUpstreamBody(body io.ReadCloser, idle time.Duration, limit int64, cancel context.CancelFunc) *upstreamBody {
	u := &upstreamBody{rc: body, idle: idle, left: limit}
	u.timer = time.AfterFunc(idle, func() {
		u.stalled.Store(true)
		cancel()
	})
	return u
}

func (u *upstreamBody) Read(b []byte) (int, error) {
	if u.left == 0 {
		// The limit is reached: one more byte means too large.
		var one [1]byte
		n, err := u.rc.Read(one[:])
		if n > 0 {
			u.tooBig = true
			return 0, errResponseTooLarge
		}
		return 0, err
	}
	if u.left > 0 && int64(len(b)) > u.left {
		b = b[:u.left]
	}
	n, err := u.rc.Read(b)
	if u.left > 0 {
		u.left -= int64(n)
	}
	if n > 0 {
		u.timer.Reset(u.idle)
	}
	return n, err
}

// Close stops the watch and closes the body.
func (u *upstreamBody) Close() error {
	u.timer.Stop()
	return u.rc.Close()
}

// foreignClient says why r may come from a web page of another origin, or
// "" for a local client: its Host must name this machine (a DNS-rebinding
// name does not); a browser's Origin must be the proxy's own origin or one
// of allowed (a page on another localhost port is another origin too: the
// mock, or any local service, can serve one); Sec-Fetch-Site must be
// absent, "none" or "same-origin"; and without either header a Referer
// must not name another site. curl and SDKs send none of these.
func foreignClient(r *http.Request, allowed []string) string {
	if !loopbackName(r.Host) {
		return "the request is addressed to Host " + r.Host + ", not to this machine"
	}
	self := "http://" + strings.ToLower(r.Host)
	if r.TLS != nil {
		self = "https://" + strings.ToLower(r.Host)
	}
	if o := r.Header.Get("Origin"); o != "" {
		if o == "null" {
			return "the request comes from a sandboxed web page (Origin: null)"
		}
		if sameOrigin(o, self) {
			return ""
		}
		for _, a := range allowed {
			if sameOrigin(o, a) {
				return ""
			}
		}
		return "the request comes from a web page of origin " + o + " (allow a page you trust with --allow-origin " + o + ")"
	}
	switch site := strings.ToLower(r.Header.Get("Sec-Fetch-Site")); site {
	case "", "none", "same-origin":
	default:
		return "the request comes from a web page of another origin (Sec-Fetch-Site: " + site + ")"
	}
	if ref := r.Header.Get("Referer"); ref != "" && r.Header.Get("Sec-Fetch-Site") == "" {
		if u, err := url.Parse(ref); err == nil && u.Host != "" && !loopbackName(u.Host) {
			return "the request comes from a web page of " + u.Scheme + "://" + u.Host + " (Referer)"
		}
	}
	return ""
}

// sameOrigin compares two origins (scheme://host[:port]) the way browsers
// do, with default ports folded.
func sameOrigin(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(strings.TrimRight(strings.TrimSpace(s), "/"))
		if err != nil || u.Host == "" {
			return "\x00" + s
		}
		host := strings.ToLower(u.Host)
		switch {
		case u.Scheme == "http" && strings.HasSuffix(host, ":80"):
			host = strings.TrimSuffix(host, ":80")
		case u.Scheme == "https" && strings.HasSuffix(host, ":443"):
			host = strings.TrimSuffix(host, ":443")
		}
		return strings.ToLower(u.Scheme) + "://" + host
	}
	return norm(a) == norm(b)
}

func loopbackName(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
