package create

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// InferOptions tune Infer.
type InferOptions struct {
	// Title is the document title ("" → "Recorded API").
	Title string
	// File names the source in findings (the .har or the database).
	File string
	// KeepPaths turns off base-path detection (the paths are already
	// relative to the connector's basePath).
	KeepPaths bool
}

// Inference is what Infer learnt.
type Inference struct {
	Doc      *openapi3.T
	Findings []connector.Finding
	// Operations is how many operations the traffic showed.
	Operations int
	// Auth is the auth kind seen ("" when none): apikey, basic, oauth2.
	Auth string
	// APIKeyName and APIKeyIn place an API key seen in the traffic.
	APIKeyName, APIKeyIn string
}

type group struct {
	method   string
	id       string
	slash    bool       // the path ends with a slash
	segs     [][]string // observed path segments per exchange
	xs       []*recordings.Exchange
	template []string
}

var (
	numRE    = regexp.MustCompile(`^-?\d+$`)
	hexRE    = regexp.MustCompile(`^[0-9a-fA-F]{8,}$`)
	mixedRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{8,}$`)
	digitRE  = regexp.MustCompile(`\d`)
	letterRE = regexp.MustCompile(`[A-Za-z]`)
)

// looksLikeID says whether a path segment is a value rather than a name:
// numbers, uuids, long hex strings, long mixed letter/digit tokens.
func looksLikeID(seg string) bool {
	switch {
	case numRE.MatchString(seg), uuidRE.MatchString(seg):
		return true
	case hexRE.MatchString(seg) && digitRE.MatchString(seg):
		return true
	case mixedRE.MatchString(seg) && digitRE.MatchString(seg) && letterRE.MatchString(seg):
		// A random token, not a word with a number in it
		// (dimension02items): many digits, or mixed case throughout.
		digits := len(digitRE.FindAllString(seg, -1))
		upper := strings.ToLower(seg) != seg && strings.ToUpper(seg) != seg
		return digits*4 >= len(seg) && digits >= 2 || upper && len(seg) >= 20 && digits >= 2
	case strings.HasPrefix(seg, "REDACTED-"):
		return true
	}
	return false
}

// Headers that say nothing about the API.
var ignoredHeaders = map[string]bool{
	"host": true, "user-agent": true, "accept": true, "accept-encoding": true, "accept-language": true, "connection": true,
	"content-length": true, "content-type": true, "cookie": true, "authorization": true, "proxy-authorization": true,
	"origin": true, "referer": true, "cache-control": true, "pragma": true, "te": true, "upgrade-insecure-requests": true,
	"x-request-id": true, "x-correlation-id": true, "traceparent": true, "tracestate": true, "x-amzn-trace-id": true,
	"prefer": true, "x-ms-client-request-id": true, "if-none-match": true, "if-modified-since": true, "x-forwarded-for": true,
	"x-forwarded-proto": true, "x-forwarded-host": true, "sec-fetch-mode": true, "sec-fetch-site": true, "sec-fetch-dest": true,
	"sec-ch-ua": true, "sec-ch-ua-mobile": true, "sec-ch-ua-platform": true, "dnt": true,
}

// API-key header and query names, lower case.
var keyHeaders = map[string]bool{"x-api-key": true, "api-key": true, "apikey": true, "x-apikey": true, "ocp-apim-subscription-key": true,
	"x-auth-token": true, "x-access-token": true, "x-functions-key": true, "x-token": true, "private-token": true}
var keyQuery = map[string]bool{"api_key": true, "apikey": true, "api-key": true, "key": true, "access_token": true, "token": true,
	"subscription-key": true, "code": true, "sig": true}

// Infer learns an OpenAPI 3 document from exchanges: one operation per
// recorded operationId, or per method and path with id-like segments
// templated; query and header parameters; JSON bodies with types, formats,
// required, enums and nullable from every observed value; response
// examples with secrets removed; and the auth scheme from header and query
// names (never their values).
func Infer(xs []*recordings.Exchange, opts InferOptions) (*Inference, error) {
	inf := &Inference{}
	levels := map[string]connector.Level{}
	for _, r := range authoring.Rules() {
		levels[r.ID] = r.Level
	}
	note := func(id, msg string) {
		inf.Findings = append(inf.Findings, connector.Finding{ID: id, Level: levels[id], File: opts.File, Message: msg})
	}
	hosts := map[string]int{}
	groups := map[string]*group{}
	var order []string
	authSeen := map[string]int{}
	used := 0
	for _, x := range xs {
		if x == nil || x.Source == recordings.SourceEvent || x.Request.Method == "" {
			continue
		}
		u, err := url.Parse(x.Request.URL)
		if err != nil {
			continue
		}
		used++
		if u.Host != "" {
			hosts[u.Scheme+"://"+u.Host]++
		}
		segs := splitPath(u.EscapedPath())
		slash := len(segs) > 0 && strings.HasSuffix(u.EscapedPath(), "/")
		method := strings.ToUpper(x.Request.Method)
		key := method + " " + x.OperationID
		if x.OperationID == "" {
			key = method + " " + strings.Join(templateSegs(segs), "/")
			if slash {
				key += "/"
			}
		}
		g := groups[key]
		if g == nil {
			g = &group{method: method, id: x.OperationID, slash: slash}
			groups[key] = g
			order = append(order, key)
		}
		g.segs = append(g.segs, segs)
		g.xs = append(g.xs, x)
		detectAuth(x, u, authSeen)
	}
	if used == 0 {
		return nil, fmt.Errorf("%s has no exchanges to learn from", opts.File)
	}
	order = mergeVarying(groups, order)
	var prefix []string
	if !opts.KeepPaths {
		prefix = commonPrefix(groups)
	}
	if len(prefix) > 0 {
		for _, g := range groups {
			for i := range g.segs {
				g.segs[i] = g.segs[i][len(prefix):]
			}
		}
	}
	title := opts.Title
	if title == "" {
		title = "Recorded API"
	}
	doc := &openapi3.T{OpenAPI: "3.0.3", Info: &openapi3.Info{Title: title, Version: "1.0",
		Description: fmt.Sprintf("Learnt from %d recorded exchanges.", used)}, Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{}}
	base := ""
	if len(prefix) > 0 {
		base = "/" + strings.Join(prefix, "/")
	}
	if h := topKey(hosts); h != "" || base != "" {
		doc.Servers = openapi3.Servers{{URL: h + base}}
	}
	templated := 0
	sort.SliceStable(order, func(i, j int) bool { return order[i] < order[j] })
	for _, key := range order {
		g := groups[key]
		g.template = pathTemplate(g.segs)
		path := g.path(g.template)
		if item := doc.Paths.Value(path); item != nil && item.GetOperation(g.method) != nil && len(g.segs) > 0 {
			// Two recorded operations template to one method and path:
			// keep this one's segments as seen.
			g.template = append([]string(nil), g.segs[0]...)
			path = g.path(g.template)
		}
		if strings.Contains(path, "{") {
			templated++
		}
		item := doc.Paths.Value(path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(path, item)
		}
		if item.GetOperation(g.method) != nil {
			continue // the same method and path twice: the first wins
		}
		item.SetOperation(g.method, g.operation())
		inf.Operations++
	}
	if templated > 0 {
		note(authoring.InferTemplated, fmt.Sprintf("%d paths have segments that vary (ids, numbers, uuids); they became path parameters", templated))
	}
	inf.auth(doc, authSeen)
	if inf.Auth != "" {
		note(authoring.InferAuth, fmt.Sprintf("auth %s inferred from request headers (values are not kept)", inf.Auth))
	}
	inf.Doc = doc
	return inf, nil
}

var versionish = regexp.MustCompile(`(?i)^(v\d+(\.\d+)*|api|apis|rest|services?|public|data|\d{4}-\d{2}-\d{2})$`)

// commonPrefix is the base path every exchange shares: leading segments
// that every path has, that are not ids, that leave at least one segment
// after them, and that look like a base (v1, api, ...) or lead to several
// different resources.
func commonPrefix(groups map[string]*group) []string {
	var all [][]string
	for _, g := range groups {
		all = append(all, g.segs...)
	}
	if len(all) == 0 {
		return nil
	}
	var prefix []string
	for i := 0; ; i++ {
		var seg string
		next := map[string]bool{}
		for j, s := range all {
			if len(s) <= i+1 {
				return prefix
			}
			if j == 0 {
				seg = s[i]
			} else if s[i] != seg {
				return prefix
			}
			if !looksLikeID(s[i+1]) {
				next[s[i+1]] = true
			}
		}
		if looksLikeID(seg) || strings.HasPrefix(seg, "{") {
			return prefix
		}
		if !versionish.MatchString(seg) && len(next) < 2 {
			return prefix
		}
		prefix = append(prefix, seg)
	}
}

// mergeVarying joins groups without a recorded operationId that differ in
// one path segment only, where every differing value looks like a value
// (has a digit or one of .@:%~+=,) — /tickets/t1, /tickets/t2,
// /people/ann@contoso.com — into one operation with that segment as a
// parameter. Plain words stay apart: /v1/orders and /v1/users are
// resources, and one observation of /lights/socks cannot be told from one.
func mergeVarying(groups map[string]*group, order []string) []string {
	for pos := 0; ; pos++ {
		buckets := map[string][]string{}
		more := false
		for _, key := range order {
			g := groups[key]
			if g == nil || g.id != "" || len(g.segs) == 0 {
				continue
			}
			t := templateSegs(g.segs[0])
			if pos >= len(t) {
				continue
			}
			more = true
			if t[pos] == "{}" {
				continue
			}
			w := append([]string(nil), t...)
			w[pos] = "{}"
			bk := g.method + " " + strings.Join(w, "/")
			if g.slash {
				bk += "/"
			}
			buckets[bk] = append(buckets[bk], key)
		}
		if !more {
			return order
		}
		for _, keys := range buckets {
			if len(keys) < 2 {
				continue
			}
			valueLike := 0
			for _, k := range keys {
				if v := groups[k].segs[0][pos]; digitRE.MatchString(v) || strings.ContainsAny(v, ".@:%~+=,") {
					valueLike++
				}
			}
			if valueLike < len(keys) {
				continue // words may be resources (/v1/orders, /v1/users): keep them apart
			}
			first := groups[keys[0]]
			for _, k := range keys[1:] {
				g := groups[k]
				first.segs = append(first.segs, g.segs...)
				first.xs = append(first.xs, g.xs...)
				delete(groups, k)
			}
		}
		var kept []string
		for _, k := range order {
			if groups[k] != nil {
				kept = append(kept, k)
			}
		}
		order = kept
	}
}

func (g *group) path(template []string) string {
	p := "/" + strings.Join(template, "/")
	if g.slash && p != "/" {
		p += "/"
	}
	return p
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func templateSegs(segs []string) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		if looksLikeID(s) {
			out[i] = "{}"
		} else {
			out[i] = s
		}
	}
	return out
}

// pathTemplate turns the observed segments of one operation into a path
// template: a segment becomes a parameter when it looks like an id or
// differs between exchanges. Parameters are named after the segment before
// them (users/{userId}).
func pathTemplate(all [][]string) []string {
	n := len(all[0])
	same := true
	for _, s := range all {
		if len(s) != n {
			same = false
		}
	}
	base := all[0]
	if !same {
		// Varying length under one operationId: keep the first shape.
		for _, s := range all {
			if len(s) < len(base) {
				base = s
			}
		}
		n = len(base)
	}
	out := make([]string, n)
	names := map[string]int{}
	for i := 0; i < n; i++ {
		seg := base[i]
		vary := false
		for _, s := range all {
			if i < len(s) && s[i] != seg {
				vary = true
			}
		}
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out[i] = seg
			continue
		}
		if !vary && !looksLikeID(seg) {
			if u, err := url.PathUnescape(seg); err == nil {
				seg = u
			}
			out[i] = seg
			continue
		}
		name := "id"
		if i > 0 && !strings.HasPrefix(out[i-1], "{") {
			name = singular(identifier(out[i-1])) + "Id"
		}
		names[name]++
		if names[name] > 1 {
			name += strconv.Itoa(names[name])
		}
		out[i] = "{" + name + "}"
	}
	return out
}

func identifier(s string) string {
	var b strings.Builder
	up := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' && b.Len() > 0 {
			if up && b.Len() > 0 {
				b.WriteString(strings.ToUpper(string(r)))
			} else {
				b.WriteRune(r)
			}
			up = false
			continue
		}
		up = true
	}
	if b.Len() == 0 {
		return "item"
	}
	s = b.String()
	return strings.ToLower(s[:1]) + s[1:]
}

var irregular = map[string]string{"people": "person", "children": "child", "men": "man", "women": "woman", "data": "data", "media": "media", "indices": "index", "status": "status", "news": "news"}

func singular(s string) string {
	if v, ok := irregular[strings.ToLower(s)]; ok {
		return v
	}
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 3:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "ses") || strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") && len(s) > 1:
		return s[:len(s)-1]
	}
	return s
}

func topKey(m map[string]int) string {
	best, n := "", -1
	for k, v := range m {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return best
}

func mediaType(h http.Header) string {
	ct := h.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt
}

func isJSON(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

func (g *group) operation() *openapi3.Operation {
	op := &openapi3.Operation{OperationID: g.id, Responses: openapi3.NewResponses()}
	op.Responses.Delete("default")
	// Path parameters.
	for i, seg := range g.template {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		var vals []string
		for _, s := range g.segs {
			if i < len(s) && !strings.HasPrefix(s[i], "REDACTED-") {
				if u, err := url.PathUnescape(s[i]); err == nil {
					vals = append(vals, u)
				}
			}
		}
		p := openapi3.NewPathParameter(seg[1 : len(seg)-1]).WithSchema(scalarSchema(vals))
		op.AddParameter(p)
	}
	// Query parameters.
	qvals := map[string][]string{}
	qcount := map[string]int{}
	for _, x := range g.xs {
		u, _ := url.Parse(x.Request.URL)
		if u == nil {
			continue
		}
		for k, vs := range u.Query() {
			if keyQuery[strings.ToLower(k)] {
				continue // a credential: part of auth, not an action input
			}
			qcount[k]++
			for _, v := range vs {
				if !strings.HasPrefix(v, "REDACTED-") {
					qvals[k] = append(qvals[k], v)
				}
			}
		}
	}
	for _, k := range sortedKeys(qcount) {
		p := openapi3.NewQueryParameter(k).WithSchema(scalarSchema(qvals[k]))
		p.Required = qcount[k] == len(g.xs) && len(g.xs) > 1
		op.AddParameter(p)
	}
	// Header parameters: custom headers sent on every exchange.
	hcount := map[string]int{}
	for _, x := range g.xs {
		seen := map[string]bool{}
		for k := range x.Request.Header {
			lk := strings.ToLower(k)
			if ignoredHeaders[lk] || keyHeaders[lk] || seen[lk] || strings.HasPrefix(lk, "x-connectorlab") {
				continue
			}
			seen[lk] = true
			hcount[http.CanonicalHeaderKey(k)]++
		}
	}
	for _, k := range sortedKeys(hcount) {
		if hcount[k] == len(g.xs) {
			op.AddParameter(openapi3.NewHeaderParameter(k).WithSchema(openapi3.NewStringSchema()))
		}
	}
	// Request body.
	if g.method != "GET" && g.method != "HEAD" {
		body := newAcc()
		mts := map[string]int{}
		n := 0
		for _, x := range g.xs {
			if len(x.Request.Body) == 0 {
				continue
			}
			n++
			mt := mediaType(x.Request.Header)
			if mt == "" {
				mt = "application/json"
			}
			mts[mt]++
			if isJSON(mt) {
				var v any
				if json.Unmarshal(x.Request.Body, &v) == nil {
					body.add(v, 0)
				}
			} else if mt == "application/x-www-form-urlencoded" {
				if vals, err := url.ParseQuery(string(x.Request.Body)); err == nil {
					m := map[string]any{}
					for k, v := range vals {
						m[k] = v[0]
					}
					body.add(m, 0)
				}
			}
		}
		if n > 0 {
			mt := topKey(mts)
			s := body.schema("")
			if body.n == 0 {
				s = &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "binary"}
			}
			rb := openapi3.NewRequestBody().WithContent(openapi3.NewContentWithSchema(s, []string{mt}))
			rb.Required = n == len(g.xs)
			op.RequestBody = &openapi3.RequestBodyRef{Value: rb}
		}
	}
	// Responses per status.
	type respAcc struct {
		body *acc
		mts  map[string]int
		n    int
	}
	resps := map[int]*respAcc{}
	for _, x := range g.xs {
		st := x.Response.Status
		if st == 0 {
			continue
		}
		r := resps[st]
		if r == nil {
			r = &respAcc{body: newAcc(), mts: map[string]int{}}
			resps[st] = r
		}
		r.n++
		mt := mediaType(x.Response.Header)
		if len(x.Response.Body) == 0 {
			continue
		}
		if mt == "" {
			mt = "application/json"
		}
		r.mts[mt]++
		if isJSON(mt) {
			var v any
			if json.Unmarshal(x.Response.Body, &v) == nil {
				r.body.add(v, 0)
			}
		}
	}
	codes := make([]int, 0, len(resps))
	for c := range resps {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		r := resps[c]
		desc := http.StatusText(c)
		if desc == "" {
			desc = "Status " + strconv.Itoa(c)
		}
		resp := openapi3.NewResponse().WithDescription(desc)
		if len(r.mts) > 0 {
			mt := topKey(r.mts)
			var s *openapi3.Schema
			if r.body.n > 0 {
				s = r.body.schema("")
			} else {
				s = openapi3.NewStringSchema()
			}
			content := openapi3.NewContentWithSchema(s, []string{mt})
			if r.body.example != nil {
				content[mt].Example = redactExample(r.body.example, 0)
			}
			resp.Content = content
		}
		op.Responses.Set(strconv.Itoa(c), &openapi3.ResponseRef{Value: resp})
	}
	if len(codes) == 0 {
		op.Responses.Set("200", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("OK")})
	}
	return op
}

// detectAuth counts the credential kinds one request carries, by name.
func detectAuth(x *recordings.Exchange, u *url.URL, seen map[string]int) {
	if a := x.Request.Header.Get("Authorization"); a != "" {
		scheme, _, _ := strings.Cut(a, " ")
		switch strings.ToLower(scheme) {
		case "basic":
			seen["basic"]++
		case "bearer":
			seen["bearer"]++
		default:
			seen["header:Authorization"]++
		}
	}
	for k := range x.Request.Header {
		if keyHeaders[strings.ToLower(k)] {
			seen["header:"+http.CanonicalHeaderKey(k)]++
		}
	}
	for _, r := range x.Redactions {
		if r.Where == "request.header" && keyHeaders[strings.ToLower(r.Name)] {
			seen["header:"+http.CanonicalHeaderKey(r.Name)]++
		}
	}
	for k := range u.Query() {
		if keyQuery[strings.ToLower(k)] && k != "code" && k != "sig" {
			seen["query:"+k]++
		}
	}
}

func (inf *Inference) auth(doc *openapi3.T, seen map[string]int) {
	k := topKey(seen)
	if k == "" {
		return
	}
	var s *openapi3.SecurityScheme
	switch {
	case k == "basic":
		inf.Auth = authoring.AuthBasic
		s = &openapi3.SecurityScheme{Type: "http", Scheme: "basic"}
	case k == "bearer":
		// The token URL is not in the traffic: an API key in the
		// Authorization header is what a maker can fill in.
		inf.Auth, inf.APIKeyName, inf.APIKeyIn = authoring.AuthAPIKey, "Authorization", "header"
		s = &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "Authorization", Description: "Bearer token seen in traffic: enter \"Bearer <token>\", or switch to --auth oauth2"}
	default:
		in, name, _ := strings.Cut(k, ":")
		inf.Auth, inf.APIKeyName, inf.APIKeyIn = authoring.AuthAPIKey, name, in
		s = &openapi3.SecurityScheme{Type: "apiKey", In: in, Name: name}
	}
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{"api_key": &openapi3.SecuritySchemeRef{Value: s}}
	if inf.Auth == authoring.AuthBasic {
		doc.Components.SecuritySchemes = openapi3.SecuritySchemes{"basic_auth": &openapi3.SecuritySchemeRef{Value: s}}
		doc.Security = openapi3.SecurityRequirements{{"basic_auth": []string{}}}
		return
	}
	doc.Security = openapi3.SecurityRequirements{{"api_key": []string{}}}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
