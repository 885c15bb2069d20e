package recordings

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
)

// maxRewriteBody bounds the JSON bodies whose links the proxy rewrites; a
// larger body passes as the upstream sent it.
const maxRewriteBody = 8 << 20

// forwardedHeaders tells the upstream where the client reached the proxy
// (X-Forwarded-Host, -Proto, -For), so an upstream that builds absolute
// URLs from them (our mock, most gateways) hands out proxy URLs.
func forwardedHeaders(out, in *http.Request) {
	proto := "http"
	if in.TLS != nil {
		proto = "https"
	}
	out.Header.Set("X-Forwarded-Host", in.Host)
	out.Header.Set("X-Forwarded-Proto", proto)
	if host, _, err := net.SplitHostPort(in.RemoteAddr); err == nil {
		if prior := in.Header.Get("X-Forwarded-For"); prior != "" {
			host = prior + ", " + host
		}
		out.Header.Set("X-Forwarded-For", host)
	}
}

// keepForwarded restores the X-Forwarded-* headers forwardedHeaders set:
// httputil.ReverseProxy strips them from the outbound request before
// Rewrite runs.
func keepForwarded(pr *httputil.ProxyRequest) {
	for _, h := range []string{"X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For"} {
		if v := pr.In.Header.Get(h); v != "" {
			pr.Out.Header.Set(h, v)
		}
	}
}

// linkRewriter maps URLs on the upstream onto the proxy: same path below
// the prefix the two sides differ by.
type linkRewriter struct {
	from, to string // "scheme://host/prefix" without a trailing '/'
}

// newLinkRewriter derives the mapping from the client's request (in) and
// the request the proxy sent upstream (out): the paths share a tail (the
// operation path); what precedes it is each side's prefix.
func newLinkRewriter(in *http.Request, out *url.URL) *linkRewriter {
	if out == nil || out.Host == "" || in.Host == "" {
		return nil
	}
	cp, up := in.URL.EscapedPath(), out.EscapedPath()
	n := 0
	for n < len(cp) && n < len(up) && cp[len(cp)-1-n] == up[len(up)-1-n] {
		n++
	}
	// Cut the shared tail at a segment boundary.
	tail := cp[len(cp)-n:]
	if i := strings.IndexByte(tail, '/'); i > 0 {
		n -= i
	} else if i < 0 {
		n = 0
	}
	scheme := "http"
	if in.TLS != nil {
		scheme = "https"
	}
	lr := &linkRewriter{
		from: out.Scheme + "://" + out.Host + strings.TrimRight(up[:len(up)-n], "/"),
		to:   scheme + "://" + in.Host + strings.TrimRight(cp[:len(cp)-n], "/"),
	}
	if lr.from == lr.to {
		return nil
	}
	return lr
}

// url rewrites one URL when it points at the upstream.
func (lr *linkRewriter) url(s string) (string, bool) {
	if !strings.HasPrefix(s, lr.from) {
		return s, false
	}
	rest := s[len(lr.from):]
	if rest != "" && rest[0] != '/' && rest[0] != '?' && rest[0] != '#' {
		return s, false // another host or a longer path segment
	}
	return lr.to + rest, true
}

// headers rewrites Location, Content-Location and Link.
func (lr *linkRewriter) headers(h http.Header) {
	for _, name := range []string{"Location", "Content-Location"} {
		if v := h.Get(name); v != "" {
			if nv, ok := lr.url(v); ok {
				h.Set(name, nv)
			}
		}
	}
	links := h.Values("Link")
	for i, v := range links {
		var b strings.Builder
		for {
			start := strings.IndexByte(v, '<')
			end := strings.IndexByte(v[max(start, 0):], '>')
			if start < 0 || end < 0 {
				b.WriteString(v)
				break
			}
			end += start
			nv, _ := lr.url(v[start+1 : end])
			b.WriteString(v[:start+1] + nv + ">")
			v = v[end+1:]
		}
		links[i] = b.String()
	}
}

// body rewrites every JSON string that is a URL on the upstream: next
// links (@odata.nextLink, any x-ms-pageable nextLinkName), polling and
// self links. Other bytes stay as sent.
func (lr *linkRewriter) body(b []byte) ([]byte, bool) {
	from, to := []byte(`"`+lr.from), []byte(`"`+lr.to)
	efrom := []byte(`"` + strings.ReplaceAll(lr.from, "/", `\/`))
	eto := []byte(`"` + strings.ReplaceAll(lr.to, "/", `\/`))
	changed := false
	for _, p := range [][2][]byte{{from, to}, {efrom, eto}} {
		var out []byte
		rest := b
		for {
			i := bytes.Index(rest, p[0])
			if i < 0 {
				break
			}
			next := rest[i+len(p[0]):]
			if len(next) > 0 && next[0] != '/' && next[0] != '?' && next[0] != '#' && next[0] != '"' && next[0] != '\\' {
				out = append(out, rest[:i+len(p[0])]...)
				rest = next
				continue
			}
			out = append(append(out, rest[:i]...), p[1]...)
			rest = next
			changed = true
		}
		if out != nil {
			b = append(out, rest...)
		}
	}
	return b, changed
}

// rewriteLinks keeps the client on the proxy: links in the upstream's
// answer that point at the upstream are rewritten onto the proxy's
// address, so the client's next call (a polling Location, a next page) is
// forwarded and recorded too. JSON bodies up to 8 MiB are rewritten; a
// compressed or larger body passes untouched.
func rewriteLinks(resp *http.Response, in *http.Request) error {
	out := resp.Request.URL
	if out == nil || out.Host == "" || in.Host == "" {
		return nil // (newLinkRewriter's own check, before anything is built)
	}
	// The rewriter (a few strings per response) is built only when a
	// header or the body can name the upstream: most answers hold no
	// link to it (issue 17 profile: 2 µs per exchange for nothing).
	var lr *linkRewriter
	built := false
	rewriter := func() *linkRewriter {
		if !built {
			lr, built = newLinkRewriter(in, out), true
		}
		return lr
	}
	if hasLinkHeaders(resp.Header) {
		if rewriter() == nil {
			return nil
		}
		lr.headers(resp.Header)
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return nil
	}
	if !jsonMediaType(resp.Header.Get("Content-Type")) || resp.ContentLength > maxRewriteBody || resp.Body == nil {
		return nil
	}
	if built && lr == nil {
		return nil
	}
	var b []byte
	if n := resp.ContentLength; n > 0 && n <= maxPresize {
		b = make([]byte, 0, n+1) // +1: the read that sees EOF needs no growth
	}
	b, err := readAllInto(b, io.LimitReader(resp.Body, maxRewriteBody+1))
	if err != nil {
		return err
	}
	if len(b) > maxRewriteBody {
		resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
		return nil
	}
	// Every URL the rewriter replaces holds the upstream's host as is (a
	// host has no '/' for JSON to escape).
	if bytes.Contains(b, []byte(out.Host)) && rewriter() != nil {
		if nb, ok := lr.body(b); ok {
			b = nb
			resp.Header.Del("Content-Length")
		}
	}
	resp.Body = &heldBody{readCloser: readCloser{bytes.NewReader(b), resp.Body}, b: b}
	resp.ContentLength = int64(len(b))
	return nil
}

// hasLinkHeaders reports whether h has a header lr.headers rewrites.
func hasLinkHeaders(h http.Header) bool {
	return h.Get("Location") != "" || h.Get("Content-Location") != "" || len(h.Values("Link")) > 0
}

// jsonMediaType reports whether a Content-Type's media type names JSON
// (application/json, +json, text/json…), as mime.ParseMediaType followed
// by strings.Contains(mt, "json") did, without its allocations (and
// also for a malformed header that names JSON, which ParseMediaType
// rejected: rewriting such a body's links is what its sender meant).
func jsonMediaType(ct string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	for i := 0; i+4 <= len(ct); i++ {
		if (ct[i]|0x20) == 'j' && (ct[i+1]|0x20) == 's' && (ct[i+2]|0x20) == 'o' && (ct[i+3]|0x20) == 'n' {
			return true
		}
	}
	return false
}

// heldBody is a response body the proxy already holds whole (read for
// link rewriting): the recorder takes b as the captured body instead of
// reading it into a second buffer (issue 17).
type heldBody struct {
	readCloser
	b []byte
}

// readAllInto is io.ReadAll appending to b.
func readAllInto(b []byte, r io.Reader) ([]byte, error) {
	if b == nil {
		b = make([]byte, 0, 512)
	}
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}
