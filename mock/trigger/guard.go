package trigger

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Defaults of the callback and subscription limits.
const (
	DefaultMaxCallbackURL   = 2048
	DefaultMaxSubscriptions = 1000
)

// Errors of the callback guard and the limits.
var (
	// ErrCallbackRefused: the callback URL is not one the mock will post to
	// (not http(s), this process's own listener, a private address).
	ErrCallbackRefused = errors.New("callback URL refused")
	// ErrCallbackTooLong: the callback URL is longer than the cap.
	ErrCallbackTooLong = errors.New("callback URL too long")
	// ErrTooManySubscriptions: the subscription cap is reached.
	ErrTooManySubscriptions = errors.New("too many subscriptions")
)

// checkCallback says why the mock must not post events to raw: every link
// of "a web page subscribes a callback that is the recording proxy (or the
// mock itself), and the mock posts to it with whatever that adds" is cut
// here. Names are checked again on every dial (DNS rebinding).
func (e *Engine) checkCallback(raw string) error {
	if len(raw) > e.maxCallback {
		return fmt.Errorf("%w: the callback URL is %d bytes, over the %d-byte cap", ErrCallbackTooLong, len(raw), e.maxCallback)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%w: %q is not an absolute http(s) URL; events cannot be delivered to it", ErrCallbackRefused, clip(raw))
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	if e.isOwn(host, port) {
		return fmt.Errorf("%w: %s is a listener of this mock process or a proxy it knows (the mock, its admin API, the recording proxy's port); events are never posted to it", ErrCallbackRefused, net.JoinHostPort(host, port))
	}
	if e.allowPrivate {
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return privateErr(host)
	}
	if ip := net.ParseIP(host); ip != nil && privateIP(ip) {
		return privateErr(host)
	}
	return nil
}

func privateErr(host string) error {
	return fmt.Errorf("%w: %s is a loopback or private address; a web page could otherwise make the mock call services on this machine or network. "+
		"Start the mock with --allow-private-callbacks to deliver to local receivers", ErrCallbackRefused, host)
}

// privateIP reports whether ip is not a public unicast address.
func privateIP(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() ||
		ip.Equal(net.IPv4bcast) || (ip.To4() != nil && ip.To4()[0] == 100 && ip.To4()[1]&0xc0 == 64) // 100.64/10 carrier NAT
}

// isOwn reports whether host:port is one of this process's listeners.
func (e *Engine) isOwn(host, port string) bool {
	if e.own == nil {
		return false
	}
	hip := net.ParseIP(strings.Trim(host, "[]"))
	local := host == "localhost" || strings.HasSuffix(host, ".localhost") || hip != nil && (hip.IsLoopback() || hip.IsUnspecified())
	for _, a := range e.own() {
		oh, op, err := net.SplitHostPort(a)
		if err != nil || op != port {
			continue
		}
		oip := net.ParseIP(oh)
		if strings.EqualFold(oh, host) || oip != nil && hip != nil && oip.Equal(hip) {
			return true
		}
		// A listener on loopback or on every interface answers any local
		// address on its port.
		if local && (oip == nil || oip.IsLoopback() || oip.IsUnspecified()) {
			return true
		}
		if oip != nil && oip.IsUnspecified() && hip != nil {
			return true
		}
	}
	return false
}

// dialControl re-checks the address actually dialled, after DNS: a name
// that resolves to a private address or this process is refused too.
func (e *Engine) dialControl(_, address string, _ syscall.RawConn) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if e.isOwn(host, port) {
		return fmt.Errorf("%w: %s is a listener of this mock process", ErrCallbackRefused, address)
	}
	if ip := net.ParseIP(host); !e.allowPrivate && ip != nil && privateIP(ip) {
		return privateErr(host)
	}
	return nil
}

// defaultClient posts deliveries: no redirects, no proxy from the
// environment (a proxy would add its own credentials), the guard on
// every dial.
func (e *Engine) defaultClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: e.dialControl}
	return &http.Client{
		Timeout: e.retry.Timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           func(ctx context.Context, n, a string) (net.Conn, error) { return d.DialContext(ctx, n, a) },
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       30 * time.Second,
			ResponseHeaderTimeout: e.retry.Timeout,
			TLSHandshakeTimeout:   5 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…(" + strconv.Itoa(len(s)) + " bytes)"
	}
	return s
}
