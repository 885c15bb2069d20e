package postman

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// urlParts is a Postman request URL taken apart. Host, Path and Query keep
// Postman's {{variable}} and :param syntax untouched.
type urlParts struct {
	Protocol string   // "https", "{{scheme}}" or "" (no "://")
	Host     string   // host[:port] without user info, may hold {{vars}}; "" for a path-only URL
	Path     []string // non-empty path segments
	Query    []queryParam
	Vars     []urlVariable // the URL's "variable" list (values of :params)
}

type queryParam struct {
	Key         string
	Value       string
	HasValue    bool
	Disabled    bool
	Description string
}

type urlVariable struct {
	Key         string
	Value       string
	Description string
}

// errUnparsable marks a URL that is well-typed JSON but cannot be turned
// into an OpenAPI path; it becomes a warning rather than an error.
type errUnparsable struct{ msg string }

func (e *errUnparsable) Error() string { return e.msg }

func unparsable(format string, args ...any) error {
	return &errUnparsable{msg: fmt.Sprintf(format, args...)}
}

var protoRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.\-]*|\{\{[^{}]*\}\})://`)

// indexOutsideVars returns the index of the first c in s that is not inside
// a {{variable}}, or -1.
func indexOutsideVars(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "{{") {
			if j := strings.Index(s[i+2:], "}}"); j >= 0 {
				i += j + 3
				continue
			}
		}
		if s[i] == c {
			return i
		}
	}
	return -1
}

// parseRawURL splits a URL as typed in Postman ("{{baseUrl}}/users/:id?x=1",
// "https://api.example.com/v1/pets", "localhost:3000/items") into its parts.
// Like Postman, a leading segment without a scheme is taken as the host
// unless the URL starts with "/".
func parseRawURL(raw string) (urlParts, error) {
	var p urlParts
	s := strings.TrimSpace(raw)
	if s == "" {
		return p, unparsable("empty URL")
	}
	if strings.ContainsAny(s, "\r\n\t") {
		return p, unparsable("URL %q contains control characters", raw)
	}
	if i := indexOutsideVars(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := indexOutsideVars(s, '?'); i >= 0 {
		p.Query = parseQueryString(s[i+1:])
		s = s[:i]
	}
	if m := protoRE.FindStringSubmatch(s); m != nil {
		p.Protocol = m[1]
		s = s[len(m[0]):]
	}
	if p.Protocol != "" || !strings.HasPrefix(s, "/") {
		host := s
		if i := indexOutsideVars(s, '/'); i >= 0 {
			host, s = s[:i], s[i:]
		} else {
			s = ""
		}
		p.Host = stripUserInfo(host)
	}
	p.Path = splitPath(s)
	if p.Host == "" && p.Protocol == "" && len(p.Path) == 0 && !strings.HasPrefix(s, "/") {
		return p, unparsable("URL %q has neither host nor path", raw)
	}
	return p, nil
}

// stripUserInfo drops "user:password@" from a host so credentials never
// reach the server URL.
func stripUserInfo(host string) string {
	for {
		i := indexOutsideVars(host, '@')
		if i < 0 {
			return host
		}
		host = host[i+1:]
	}
}

func splitPath(s string) []string {
	var segs []string
	for seg := range strings.SplitSeq(s, "/") {
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	return segs
}

func parseQueryString(q string) []queryParam {
	var out []queryParam
	for pair := range strings.SplitSeq(q, "&") {
		if pair == "" {
			continue
		}
		var qp queryParam
		k, v, ok := strings.Cut(pair, "=")
		qp.Key, qp.Value, qp.HasValue = unescape(k), unescape(v), ok
		if qp.Key == "" {
			continue
		}
		out = append(out, qp)
	}
	return out
}

func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// parseURLValue reads request.url, a string or an object {raw, protocol,
// host, port, path, query, variable}. Shape problems are *ShapeError; a URL
// that cannot be used is *errUnparsable.
func parseURLValue(v any, ptr string) (urlParts, error) {
	switch t := v.(type) {
	case nil:
		return urlParts{}, unparsable("request has no URL")
	case string:
		return parseRawURL(t)
	case map[string]any:
		return parseURLObject(t, ptr)
	}
	return urlParts{}, shapeErr(ptr, "expected string or object, got %s", kind(v))
}

func parseURLObject(obj map[string]any, ptr string) (urlParts, error) {
	raw, err := asString(obj["raw"], ptrKey(ptr, "raw"))
	if err != nil {
		return urlParts{}, err
	}
	var p, fromRaw urlParts
	var rawErr error
	if strings.TrimSpace(raw) != "" {
		fromRaw, rawErr = parseRawURL(raw)
	}
	_, hasHost := obj["host"]
	_, hasPath := obj["path"]
	hasHost = hasHost && obj["host"] != nil
	hasPath = hasPath && obj["path"] != nil
	if hasHost || hasPath {
		if p.Protocol, err = asString(obj["protocol"], ptrKey(ptr, "protocol")); err != nil {
			return p, err
		}
		p.Protocol = strings.TrimSuffix(p.Protocol, "://")
		if p.Host, err = joinedParts(obj["host"], ptrKey(ptr, "host"), "."); err != nil {
			return p, err
		}
		p.Host = stripUserInfo(p.Host)
		port, err := asScalar(obj["port"], ptrKey(ptr, "port"))
		if err != nil {
			return p, err
		}
		if port != "" && p.Host != "" {
			p.Host += ":" + port
		}
		if p.Path, err = pathParts(obj["path"], ptrKey(ptr, "path")); err != nil {
			return p, err
		}
	} else {
		if raw == "" || rawErr != nil {
			if rawErr == nil {
				rawErr = unparsable("URL has neither raw text nor host and path")
			}
			return p, rawErr
		}
		p.Protocol, p.Host, p.Path = fromRaw.Protocol, fromRaw.Host, fromRaw.Path
	}
	if qv, ok := obj["query"]; ok && qv != nil {
		if p.Query, err = queryList(qv, ptrKey(ptr, "query")); err != nil {
			return p, err
		}
	} else {
		p.Query = fromRaw.Query
	}
	if p.Vars, err = variableList(obj["variable"], ptrKey(ptr, "variable")); err != nil {
		return p, err
	}
	return p, nil
}

// joinedParts reads a string or an array of strings (joined with sep).
func joinedParts(v any, ptr, sep string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case []any:
		parts := make([]string, 0, len(t))
		for i, e := range t {
			s, err := asScalar(e, ptrIdx(ptr, i))
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, sep), nil
	}
	return "", shapeErr(ptr, "expected string or array, got %s", kind(v))
}

// pathParts reads url.path: a string, or an array of strings or
// {type, value} objects.
func pathParts(v any, ptr string) ([]string, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case string:
		return splitPath(t), nil
	case []any:
		var segs []string
		for i, e := range t {
			ep := ptrIdx(ptr, i)
			var s string
			var err error
			if obj, ok := e.(map[string]any); ok {
				s, err = asScalar(obj["value"], ptrKey(ep, "value"))
			} else {
				s, err = asScalar(e, ep)
			}
			if err != nil {
				return nil, err
			}
			// A segment may itself hold slashes ("v1/users").
			segs = append(segs, splitPath(s)...)
		}
		return segs, nil
	}
	return nil, shapeErr(ptr, "expected string or array, got %s", kind(v))
}

func queryList(v any, ptr string) ([]queryParam, error) {
	arr, err := asArray(v, ptr)
	if err != nil {
		return nil, err
	}
	var out []queryParam
	for i, e := range arr {
		ep := ptrIdx(ptr, i)
		obj, err := asObject(e, ep)
		if err != nil {
			return nil, err
		}
		if obj == nil {
			continue
		}
		var qp queryParam
		if qp.Key, err = asScalar(obj["key"], ptrKey(ep, "key")); err != nil {
			return nil, err
		}
		if qp.Value, err = asScalar(obj["value"], ptrKey(ep, "value")); err != nil {
			return nil, err
		}
		qp.HasValue = obj["value"] != nil
		if qp.Disabled, err = asDisabled(obj, ep); err != nil {
			return nil, err
		}
		if qp.Description, err = asDescription(obj["description"], ptrKey(ep, "description")); err != nil {
			return nil, err
		}
		if qp.Key == "" {
			continue
		}
		out = append(out, qp)
	}
	return out, nil
}

// variableList reads a Postman variable list ([{key|id, value, description}]),
// used both for url.variable and the collection's variable.
func variableList(v any, ptr string) ([]urlVariable, error) {
	arr, err := asArray(v, ptr)
	if err != nil {
		return nil, err
	}
	var out []urlVariable
	for i, e := range arr {
		ep := ptrIdx(ptr, i)
		obj, err := asObject(e, ep)
		if err != nil {
			return nil, err
		}
		if obj == nil {
			continue
		}
		var uv urlVariable
		if uv.Key, err = asScalar(obj["key"], ptrKey(ep, "key")); err != nil {
			return nil, err
		}
		if uv.Key == "" {
			if uv.Key, err = asScalar(obj["id"], ptrKey(ep, "id")); err != nil {
				return nil, err
			}
		}
		switch val := obj["value"].(type) {
		case map[string]any, []any:
			// Complex variable values are rare; keep their JSON text.
			uv.Value = compactJSON(val)
		default:
			if uv.Value, err = asScalar(val, ptrKey(ep, "value")); err != nil {
				return nil, err
			}
		}
		if uv.Description, err = asDescription(obj["description"], ptrKey(ep, "description")); err != nil {
			return nil, err
		}
		if uv.Key == "" {
			continue
		}
		out = append(out, uv)
	}
	return out, nil
}

// tmplPart is a piece of a templated string: literal text or a variable.
type tmplPart struct {
	Lit   string
	Var   string // raw variable name as written
	IsVar bool
	Colon bool // written as :name (a Postman path variable)
}

// scanTemplate splits s into literal text and variables written as
// {{name}} or {name}. With colon set, a whole segment ":name" is a variable
// too.
func scanTemplate(s string, colon bool) ([]tmplPart, error) {
	if colon && len(s) > 1 && s[0] == ':' {
		name := s[1:]
		if strings.ContainsAny(name, "{}") {
			return nil, fmt.Errorf("path variable %q has braces", s)
		}
		return []tmplPart{{Var: name, IsVar: true, Colon: true}}, nil
	}
	var parts []tmplPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, tmplPart{Lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "{{"):
			j := strings.Index(s[i+2:], "}}")
			if j < 0 {
				return nil, fmt.Errorf("unclosed {{ in %q", s)
			}
			name := s[i+2 : i+2+j]
			if strings.ContainsAny(name, "{}") {
				return nil, fmt.Errorf("nested braces in %q", s)
			}
			flush()
			parts = append(parts, tmplPart{Var: name, IsVar: true})
			i += j + 4
		case s[i] == '{':
			j := strings.IndexByte(s[i+1:], '}')
			if j < 0 {
				return nil, fmt.Errorf("unclosed { in %q", s)
			}
			name := s[i+1 : i+1+j]
			if strings.Contains(name, "{") {
				return nil, fmt.Errorf("nested braces in %q", s)
			}
			flush()
			parts = append(parts, tmplPart{Var: name, IsVar: true})
			i += j + 2
		case s[i] == '}':
			return nil, fmt.Errorf("unmatched } in %q", s)
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	return parts, nil
}

// pathParam is a templated path variable found by templatePath.
type pathParam struct {
	Name  string // OpenAPI parameter name, as in the path template
	Raw   string // name as written in Postman
	Colon bool   // :name (values from url.variable) rather than {{name}}
}

// templatePath turns Postman path segments into an OpenAPI path template and
// its parameters: ":id" and "{{id}}" both become "{id}". Parameter names are
// made safe for templates and unique within the path.
func templatePath(segs []string) (string, []pathParam, error) {
	var b strings.Builder
	var params []pathParam
	seen := map[string]bool{}
	for _, seg := range segs {
		parts, err := scanTemplate(seg, true)
		if err != nil {
			return "", nil, unparsable("%s", err.Error())
		}
		b.WriteByte('/')
		for _, p := range parts {
			if !p.IsVar {
				b.WriteString(p.Lit)
				continue
			}
			name := uniqueName(seen, safeName(p.Var))
			params = append(params, pathParam{Name: name, Raw: p.Var, Colon: p.Colon})
			b.WriteString("{" + name + "}")
		}
	}
	if b.Len() == 0 {
		return "/", nil, nil
	}
	return b.String(), params, nil
}

func uniqueName(seen map[string]bool, name string) string {
	out := name
	for n := 2; seen[out]; n++ {
		out = name + "_" + strconv.Itoa(n)
	}
	seen[out] = true
	return out
}

// safeName makes a variable name usable inside an OpenAPI template: letters,
// digits, '_', '.' and '-' are kept, anything else becomes '_'. Postman's
// dynamic variables lose their '$'.
func safeName(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "$")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "param"
	}
	return b.String()
}

// normalizePath replaces every {name} of a path template with {} so that
// templates differing only in parameter names compare equal.
func normalizePath(path string) string {
	var b strings.Builder
	in := false
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '{':
			in = true
			b.WriteString("{}")
		case c == '}':
			in = false
		case !in:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// serverTemplate turns a Postman protocol and host into an OpenAPI server
// URL and the Postman variables it uses, in order of appearance.
// wholeURLVar reports whether the host is a single variable (the common
// {{baseUrl}}), which then carries the scheme itself.
func serverTemplate(protocol, host string) (serverURL string, vars []tmplPart, err error) {
	if host == "" {
		return "", nil, errors.New("no host")
	}
	full := host
	if protocol != "" {
		full = protocol + "://" + host
	}
	parts, err := scanTemplate(full, false)
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, p := range parts {
		if !p.IsVar {
			b.WriteString(p.Lit)
			continue
		}
		name := safeName(p.Var)
		b.WriteString("{" + name + "}")
		if !seen[name] {
			seen[name] = true
			vars = append(vars, p)
		}
	}
	return b.String(), vars, nil
}
