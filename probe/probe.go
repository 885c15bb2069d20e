// Package probe builds a valid request for any operation of a connector —
// path parameters, required query parameters and headers, a body generated
// from the request schema, credentials for the declared auth — and checks an
// answer against the operation's declared responses. The mock's
// conformance sweep and `connectorlab test --generate` use it.
//
// Body parts with an x-ms-dynamic-schema or x-ms-dynamic-properties get
// their schema the way the Power Automate designer gets it: from the
// lookup operation, called on the target under test through
// Options.Lookup (Sweep sends it over HTTP itself; contract/replay sends
// it the way it sends every request), read with mock/dynamic's client
// side, so the probe and the mock read the extension one way.
//
// It imports connector, route, mock/fake and mock/dynamic; it must not
// import mock (the mock's tests import probe) or anything above.
package probe

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/route"
	"github.com/getkin/kin-openapi/openapi3"
)

// Credentials are what a built request authenticates with. Empty fields get
// placeholders that the mock (which accepts any well-formed value unless
// configured otherwise) takes.
type Credentials struct {
	APIKey      string
	Username    string
	Password    string
	BearerToken string
}

// Options tune a Builder.
type Options struct {
	Seed        uint64
	Credentials Credentials
	// NoBasePath builds paths without the connector's basePath (for mocks,
	// such as Prism, that route on the path keys alone).
	NoBasePath bool
	// Optional also fills optional query parameters and headers.
	Optional bool
	// Lookup calls a lookup operation on the target under test. When set,
	// request-body parts declared with x-ms-dynamic-schema or
	// x-ms-dynamic-properties are generated from the schema the lookup
	// answers (see dynamic.go), as the Power Automate designer builds
	// them; nil generates them from the static schema.
	Lookup LookupFunc
}

// Builder builds requests for one connector. Safe for concurrent use.
type Builder struct {
	c      *connector.Connector
	router *route.Router
	opts   Options
	gen    *fake.Generator
}

// New returns a Builder for c.
func New(c *connector.Connector, opts Options) *Builder {
	return &Builder{c: c, router: route.New(c), opts: opts,
		gen: fake.New(fake.Options{Direction: fake.Request, MaxItems: 2})}
}

// Request is a built request, independent of where it is sent.
type Request struct {
	Operation *connector.Operation
	Method    string
	// Path is escaped, basePath included unless Options.NoBasePath.
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	// Notes say where the request falls short of what the designer would
	// send: a dynamic body schema that could not be looked up, so that
	// part was generated from the static schema.
	Notes []string
}

// URL returns base + path + query.
func (r *Request) URL(base string) string {
	u := strings.TrimRight(base, "/") + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	return u
}

// HTTP returns an *http.Request for base (e.g. "http://127.0.0.1:4010").
func (r *Request) HTTP(ctx context.Context, base string) (*http.Request, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL(base), body)
	if err != nil {
		return nil, fmt.Errorf("build %s request: %w", r.Operation.ID, err)
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	return req, nil
}

// Curl renders the request as a curl command line.
func (r *Request) Curl(base string) string {
	var b strings.Builder
	b.WriteString("curl -i")
	if r.Method != http.MethodGet {
		b.WriteString(" -X " + r.Method)
	}
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range r.Header[k] {
			b.WriteString(" -H " + shellQuote(k+": "+v))
		}
	}
	if len(r.Body) > 0 {
		if len(r.Body) > 2000 {
			b.WriteString(" --data-binary @body")
		} else {
			b.WriteString(" --data-binary " + shellQuote(string(r.Body)))
		}
	}
	b.WriteString(" " + shellQuote(r.URL(base)))
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

var varRe = regexp.MustCompile(`\{[^{}]+\}`)

// params returns the operation's parameters, operation-level overriding
// path-item-level.
func params(op *connector.Operation) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	seen := map[string]bool{}
	if op.Op != nil {
		for _, p := range op.Op.Parameters {
			if p != nil && p.Value != nil {
				out = append(out, p.Value)
				seen[p.Value.In+" "+p.Value.Name] = true
			}
		}
	}
	if op.Item != nil {
		for _, p := range op.Item.Parameters {
			if p != nil && p.Value != nil && !seen[p.Value.In+" "+p.Value.Name] {
				out = append(out, p.Value)
			}
		}
	}
	return out
}

// Build returns a valid request for op.
func (b *Builder) Build(op *connector.Operation) (*Request, error) {
	return b.BuildContext(context.Background(), op)
}

// BuildContext is Build with a context for the lookups Options.Lookup
// makes.
func (b *Builder) BuildContext(ctx context.Context, op *connector.Operation) (*Request, error) {
	return b.build(ctx, op, nil)
}

// build builds a request for op; over fixes the values of named
// parameters or body properties (what a dynamic reference maps onto its
// lookup).
func (b *Builder) build(ctx context.Context, op *connector.Operation, over map[string]any) (*Request, error) {
	if op == nil {
		return nil, fmt.Errorf("no operation")
	}
	seed := fake.Seed(b.opts.Seed, op.ID)
	r := &Request{Operation: op, Method: op.Method, Query: url.Values{}, Header: http.Header{}}
	ps := params(op)
	byPath := map[string]*openapi3.Parameter{}
	for _, p := range ps {
		if p.In == openapi3.ParameterInPath {
			byPath[p.Name] = p
		}
	}
	tmpl := op.Path
	if !b.opts.NoBasePath {
		tmpl = b.router.Template(op)
	} else {
		tmpl = route.Join("", op.Path)
	}
	path, pathVals, err := b.fillPath(op, tmpl, byPath, over, seed)
	if err != nil {
		return nil, err
	}
	r.Path = path
	for _, p := range ps {
		fixed, isFixed := override(over, p)
		if p.In == openapi3.ParameterInPath || !(p.Required || b.opts.Optional || isFixed) {
			continue
		}
		vals := fixed
		if !isFixed {
			vals = b.paramValues(p, fake.Seed(seed, p.In, p.Name))
		}
		switch p.In {
		case openapi3.ParameterInQuery:
			for _, v := range vals {
				r.Query.Add(p.Name, v)
			}
		case openapi3.ParameterInHeader:
			if !validHeaderName(p.Name) {
				continue // no client can send it; the mock does not require it
			}
			r.Header.Set(p.Name, headerValue(strings.Join(vals, ",")))
		case openapi3.ParameterInCookie:
			r.Header.Add("Cookie", (&http.Cookie{Name: p.Name, Value: strings.Join(vals, ",")}).String())
		}
	}
	if err := b.body(ctx, op, r, pathVals, over, fake.Seed(seed, "body")); err != nil {
		return nil, err
	}
	b.credentials(op, r)
	return r, nil
}

// fillPath substitutes path parameters and checks that the result routes
// back to op with the same values, retrying with other seeds and finally
// plain tokens.
func (b *Builder) fillPath(op *connector.Operation, tmpl string, byPath map[string]*openapi3.Parameter, over map[string]any, seed uint64) (string, map[string]string, error) {
	names := varRe.FindAllString(tmpl, -1)
	if len(names) == 0 {
		return escapeLiteral(tmpl), nil, nil
	}
	for attempt := 0; attempt < 6; attempt++ {
		want := map[string]string{}
		out := varRe.ReplaceAllStringFunc(tmpl, func(m string) string {
			name := m[1 : len(m)-1]
			v := ""
			if attempt < 5 {
				if p := byPath[name]; p != nil {
					if fixed, ok := override(over, p); ok && attempt == 0 {
						v = strings.Join(fixed, ",")
					} else if vals := b.paramValues(p, fake.Seed(seed, "path", name, strconv.Itoa(attempt))); len(vals) > 0 {
						v = strings.Join(vals, ",")
					}
				}
			}
			if v == "" || strings.ContainsAny(v, "/?#") || attempt == 5 {
				v = fmt.Sprintf("v%d%s", attempt+1, strings.ToLower(alnum(name)))
			}
			want[name] = v
			return "\x00" + url.PathEscape(v) + "\x01"
		})
		escaped := escapeLiteral(out)
		escaped = strings.NewReplacer("\x00", "", "\x01", "").Replace(escaped)
		m, _ := b.routerFor().Find(op.Method, escaped)
		if m != nil && m.Operation == op && sameParams(m.Params, want) {
			return escaped, want, nil
		}
	}
	return "", nil, fmt.Errorf("%s: no path-parameter values route back to %s %s", op.ID, op.Method, op.Path)
}

func (b *Builder) routerFor() *route.Router {
	if !b.opts.NoBasePath {
		return b.router
	}
	c := *b.c
	c.BasePath = ""
	return route.New(&c)
}

func alnum(s string) string {
	var out strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			out.WriteRune(r)
		}
	}
	return out.String()
}

func sameParams(got, want map[string]string) bool {
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// escapeLiteral escapes the literal parts of a path (spaces and the like)
// outside the \x00…\x01 markers of already-escaped values.
func escapeLiteral(p string) string {
	var b strings.Builder
	in := false
	for _, seg := range strings.SplitAfter(p, "") {
		switch seg {
		case "\x00":
			in = true
			b.WriteString(seg)
			continue
		case "\x01":
			in = false
			b.WriteString(seg)
			continue
		}
		if in || seg == "/" {
			b.WriteString(seg)
			continue
		}
		b.WriteString(strings.ReplaceAll(url.PathEscape(seg), "%3A", ":"))
	}
	return b.String()
}

// paramValues generates the serialised value(s) of a parameter.
func (b *Builder) paramValues(p *openapi3.Parameter, seed uint64) []string {
	var sch *openapi3.SchemaRef
	if p.Schema != nil {
		sch = p.Schema
	} else {
		for _, mt := range p.Content {
			sch = mt.Schema
			break
		}
	}
	if sch == nil || sch.Value == nil {
		return []string{"v1"}
	}
	var v any
	switch {
	case p.Example != nil && sch.Value.VisitJSON(p.Example) == nil:
		v = p.Example
	case sch.Value.Default != nil && sch.Value.VisitJSON(sch.Value.Default) == nil:
		v = sch.Value.Default
	default:
		v = b.gen.Generate(sch, seed, p.Name)
	}
	if arr, ok := v.([]any); ok {
		sm, _ := p.SerializationMethod()
		strs := make([]string, 0, len(arr))
		for _, e := range arr {
			strs = append(strs, scalar(e))
		}
		if sm != nil && sm.Explode && p.In == openapi3.ParameterInQuery {
			if len(strs) == 0 {
				return nil
			}
			return strs
		}
		sep := ","
		if sm != nil {
			switch sm.Style {
			case openapi3.SerializationSpaceDelimited:
				sep = " "
			case openapi3.SerializationPipeDelimited:
				sep = "|"
			}
		}
		return []string{strings.Join(strs, sep)}
	}
	return []string{scalar(v)}
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	bs, _ := json.Marshal(v)
	return string(bs)
}

// mediaOrder prefers JSON, then forms, then text, then the rest.
func mediaOrder(k string) int {
	mt := strings.ToLower(k)
	switch {
	case mt == "application/json":
		return 0
	case strings.Contains(mt, "json"):
		return 1
	case mt == "application/x-www-form-urlencoded":
		return 2
	case mt == "multipart/form-data":
		return 3
	case strings.HasPrefix(mt, "text/"):
		return 4
	}
	return 5
}

func (b *Builder) body(ctx context.Context, op *connector.Operation, r *Request, pathVals map[string]string, over map[string]any, seed uint64) error {
	if op.Op == nil || op.Op.RequestBody == nil || op.Op.RequestBody.Value == nil {
		return nil
	}
	rb := op.Op.RequestBody.Value
	if len(rb.Content) == 0 {
		return nil
	}
	keys := make([]string, 0, len(rb.Content))
	for k := range rb.Content {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if a, c := mediaOrder(keys[i]), mediaOrder(keys[j]); a != c {
			return a < c
		}
		return keys[i] < keys[j]
	})
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if _, ok := rb.Content[ct]; ok {
			keys = []string{ct}
		}
	}
	mt := keys[0]
	media := rb.Content[mt]
	var v any
	if media.Schema != nil && media.Schema.Value != nil {
		v = b.gen.Generate(media.Schema, seed, "")
		if len(over) > 0 {
			v = overrideBody(v, over, media.Schema.Value.Properties)
		}
	}
	if strings.Contains(strings.ToLower(mt), "json") || strings.Contains(mt, "*") {
		v = b.resolveBody(ctx, op, r, pathVals, v, seed, nil)
	}
	if t := op.Trigger; t != nil && t.NotificationURL != nil && t.NotificationURL.In == "body" {
		// A webhook subscribe carries a callback the mock accepts: an
		// absolute URL on a public example name (the mock refuses words,
		// loopback and private addresses there).
		v = withCallback(v, strings.Split(t.NotificationURL.Name, "/"))
	}
	ct := mt
	if strings.Contains(ct, "*") {
		ct = "application/json"
	}
	low := strings.ToLower(ct)
	switch {
	case strings.Contains(low, "json"):
		if v == nil && media.Schema == nil {
			v = map[string]any{}
		}
		bs, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: encode body: %w", op.ID, err)
		}
		r.Body = bs
	case low == "application/x-www-form-urlencoded":
		r.Body = []byte(formValues(v).Encode())
	case low == "multipart/form-data":
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		m, _ := v.(map[string]any)
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		var props openapi3.Schemas
		if media.Schema != nil && media.Schema.Value != nil {
			props = media.Schema.Value.Properties
		}
		for _, k := range names {
			if p := props[k]; p != nil && p.Value != nil && (p.Value.Format == "binary" || p.Value.Type.Is("file")) {
				fw, _ := w.CreateFormFile(k, k+".bin")
				_, _ = fw.Write([]byte(scalar(m[k])))
				continue
			}
			_ = w.WriteField(k, scalar(m[k]))
		}
		_ = w.Close()
		r.Body = buf.Bytes()
		ct = w.FormDataContentType()
	case strings.HasPrefix(low, "text/"):
		r.Body = []byte(scalar(v))
	case strings.Contains(low, "xml"):
		r.Body = xmlOf(v)
	default:
		if s, ok := v.(string); ok {
			r.Body = []byte(s)
		} else {
			r.Body = []byte("probe")
		}
	}
	// The body's media type wins over a declared Content-Type header
	// parameter; multipart needs its boundary anyway.
	r.Header.Set("Content-Type", ct)
	return nil
}

func formValues(v any) url.Values {
	out := url.Values{}
	m, _ := v.(map[string]any)
	for k, e := range m {
		if arr, ok := e.([]any); ok {
			for _, x := range arr {
				out.Add(k, scalar(x))
			}
			continue
		}
		out.Set(k, scalar(e))
	}
	return out
}

func xmlOf(v any) []byte {
	bs, _ := json.Marshal(v)
	return []byte("<?xml version=\"1.0\"?><root>" + strings.NewReplacer("<", "&lt;", "&", "&amp;").Replace(string(bs)) + "</root>")
}

// credentials adds what the connector's first auth set needs.
func (b *Builder) credentials(op *connector.Operation, r *Request) {
	if op.Op != nil && op.Op.Security != nil && len(*op.Op.Security) == 0 {
		return
	}
	cr := b.opts.Credentials
	for _, set := range b.c.Auth.Sets {
		switch set.Kind {
		case connector.AuthAPIKey:
			if set.APIKey == nil || set.APIKey.Name == "" {
				continue
			}
			key := cr.APIKey
			if key == "" {
				key = "mock-api-key"
			}
			if strings.EqualFold(set.APIKey.In, "query") {
				r.Query.Set(set.APIKey.Name, key)
			} else {
				r.Header.Set(set.APIKey.Name, key)
			}
			return
		case connector.AuthBasic:
			u, p := cr.Username, cr.Password
			if u == "" {
				u, p = "mock-user", "mock-password"
			}
			r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u+":"+p)))
			return
		case connector.AuthOAuth2:
			tok := cr.BearerToken
			if tok == "" {
				tok = "mock-token"
			}
			r.Header.Set("Authorization", "Bearer "+tok)
			return
		}
	}
}

// FetchToken gets an access token from a mock's built-in authorization
// server with the client_credentials grant.
func FetchToken(ctx context.Context, client *http.Client, base string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"connectorlab-probe"}, "client_secret": {"probe"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("token request: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error_description"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out); err != nil || out.AccessToken == "" {
		return "", fmt.Errorf("token endpoint answered %d: %s", resp.StatusCode, out.Error)
	}
	return out.AccessToken, nil
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch <= ' ' || ch >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\\]{}`, ch) >= 0 {
			return false
		}
	}
	return true
}

// headerValue drops bytes HTTP does not allow in a header value.
func headerValue(s string) string {
	b := []byte(s)
	out := b[:0]
	for _, ch := range b {
		if ch == '\t' || ch >= ' ' && ch != 0x7f {
			out = append(out, ch)
		}
	}
	if len(out) == 0 {
		return "v1"
	}
	return string(out)
}

// CallbackURL is the webhook callback a probe subscribes with (RFC 2606).
const CallbackURL = "https://callback.example.com/connectorlab/hook"

// withCallback sets the property at path (below the body root) of v to
// CallbackURL, making the objects on the way.
func withCallback(v any, path []string) any {
	if len(path) == 0 || path[0] == "" {
		return CallbackURL
	}
	m, ok := v.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[path[0]] = withCallback(m[path[0]], path[1:])
	return m
}
