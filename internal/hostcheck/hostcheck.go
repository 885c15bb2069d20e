package hostcheck

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Loopback reports whether host (without a port) names only this machine:
// "localhost", a "*.localhost" name, or a loopback IP.
func Loopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Policy says which Host values a listener answers.
type Policy struct {
	// Bind is the address the listener is bound to (its Addr()); nil means
	// loopback only.
	Bind net.Addr
	// Names are extra host names (without port) to answer, case-insensitive
	// (--allow-host). "*" turns the check off.
	Names []string
}

// Allowed reports whether a request addressed to hostport may be answered.
// Loopback names always are; an IP literal is when it is the bound IP, or
// any IP when the listener is bound to all interfaces (a rebinding page
// always sends a DNS name, never an IP); any other name only when listed.
func (p Policy) Allowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if Loopback(host) {
		return true
	}
	for _, n := range p.Names {
		if n == "*" || strings.EqualFold(strings.TrimSuffix(host, "."), strings.TrimSuffix(n, ".")) {
			return true
		}
	}
	ip := net.ParseIP(host)
	if ip == nil || p.Bind == nil {
		return false
	}
	var bound net.IP
	switch a := p.Bind.(type) {
	case *net.TCPAddr:
		bound = a.IP
	default:
		if h, _, err := net.SplitHostPort(a.String()); err == nil {
			bound = net.ParseIP(h)
		}
	}
	if bound == nil || bound.IsUnspecified() {
		return true // bound everywhere: any IP literal names this machine's listener
	}
	return bound.Equal(ip)
}

// Refusal is the message for a refused Host, with the fix.
func (p Policy) Refusal(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return fmt.Sprintf("this listener answers only requests addressed to its own address or a loopback name, not Host %q "+
		"(a web page rebinding its DNS name to this machine would read the data otherwise); to allow the name, start it with --allow-host %s", hostport, host)
}

// Handler wraps next: a request whose Host p does not allow gets 403 with
// a problem+json body and never reaches next.
func (p Policy) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.Allowed(r.Host) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"type":"https://connectorlab.dev/problems/host-not-allowed","title":"Host not allowed","status":403,"detail":%q}`+"\n", p.Refusal(r.Host))
			return
		}
		next.ServeHTTP(w, r)
	})
}
