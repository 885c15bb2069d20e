package recordings

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// PlaceholderPrefix starts every redacted value; the keyed hash follows.
const PlaceholderPrefix = "REDACTED-"

// minScrubLen is the shortest secret that is also scrubbed where it appears
// outside its own field: shorter values would hit ordinary text.
const minScrubLen = 4

var urlInText = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+`)

var placeholderRE = regexp.MustCompile(`^REDACTED-[0-9a-f]{16}$`)

// Redactor replaces secrets in exchanges with placeholders carrying a keyed
// hash (HMAC-SHA256 with a per-store key, 64 bits shown), so the same
// secret always gives the same placeholder within one store and replay
// matching still works, while the secret itself is never kept. Redaction is
// idempotent. A Redactor is safe for concurrent use.
type Redactor struct {
	key      []byte
	headers  map[string]bool
	query    map[string]bool
	fields   map[string]bool
	subs     []string
	keep     map[string]bool
	patterns []*regexp.Regexp
	secrets  []string
	lenient  *regexp.Regexp // "field": value inside any text body
}

// NewRedactor builds a redactor from a key and rules (merged in order).
// Invalid patterns are skipped; ParseRules reports them to the user first.
func NewRedactor(key []byte, rules ...Rules) *Redactor {
	var all Rules
	for _, r := range rules {
		all = all.Merge(r)
	}
	r := &Redactor{
		key:     append([]byte(nil), key...),
		headers: nameSet(all.Headers),
		query:   nameSet(all.Query),
		fields:  nameSet(all.Fields),
		keep:    nameSet(all.Keep),
	}
	for k := range r.keep {
		delete(r.headers, k)
		delete(r.query, k)
		delete(r.fields, k)
	}
	for _, s := range all.FieldSubstrings {
		if n := normName(s); n != "" {
			r.subs = append(r.subs, n)
		}
	}
	for _, p := range all.Patterns {
		if re, err := regexp.Compile(p); err == nil {
			r.patterns = append(r.patterns, re)
		}
	}
	for _, s := range all.Secrets {
		if len(s) >= minScrubLen {
			r.secrets = append(r.secrets, s)
		}
	}
	// The lenient pass finds "name": value in bodies the JSON pass could
	// not parse (truncated, invalid, JSON inside text). It needs literal
	// spellings, so it covers the configured names as written plus their
	// snake, camel and kebab forms.
	var alts []string
	seen := map[string]bool{}
	for _, f := range all.Fields {
		if r.keep[normName(f)] {
			continue
		}
		for _, v := range spellings(f) {
			if !seen[strings.ToLower(v)] {
				seen[strings.ToLower(v)] = true
				alts = append(alts, regexp.QuoteMeta(v))
			}
		}
	}
	if len(alts) > 0 {
		sort.Strings(alts)
		r.lenient = regexp.MustCompile(`(?i)"(` + strings.Join(alts, "|") + `)"\s*:\s*("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)`)
	}
	return r
}

// spellings returns f as written and in snake, kebab and joined forms.
func spellings(f string) []string {
	words := splitWords(f)
	if len(words) <= 1 {
		return []string{f}
	}
	return []string{f, strings.Join(words, "_"), strings.Join(words, "-"), strings.Join(words, "")}
}

func splitWords(s string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, strings.ToLower(cur.String()))
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c == '-' || c == '.' || c == ' ':
			flush()
		case 'A' <= c && c <= 'Z' && i > 0 && 'a' <= s[i-1] && s[i-1] <= 'z':
			flush()
			cur.WriteByte(c)
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return words
}

func nameSet(names []string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		if k := normName(n); k != "" {
			m[k] = true
		}
	}
	return m
}

// Hash is the keyed hash of a secret as it appears in placeholders.
func (r *Redactor) Hash(value string) string {
	m := hmac.New(sha256.New, r.key)
	io.WriteString(m, value)
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// Placeholder is what value is replaced with.
func (r *Redactor) Placeholder(value string) string { return PlaceholderPrefix + r.Hash(value) }

// IsPlaceholder reports whether v is already a redaction placeholder.
func IsPlaceholder(v string) bool { return placeholderRE.MatchString(v) }

// redaction collects what one Redact call replaced.
type redaction struct {
	r      *Redactor
	marks  []Redaction
	values map[string]bool // originals, scrubbed everywhere afterwards
}

func (d *redaction) replace(where, name, value string) string {
	if value == "" || IsPlaceholder(value) {
		return value
	}
	h := d.r.Hash(value)
	d.marks = append(d.marks, Redaction{Where: where, Name: name, Hash: h})
	if len(value) >= minScrubLen {
		d.values[value] = true
	}
	return PlaceholderPrefix + h
}

// Redact replaces every secret in x in place and appends a Redaction mark
// for each. Bodies that redaction changed and that were stored whole get
// Size and SHA256 recomputed, so that no unkeyed hash of a secret-bearing
// body is kept.
func (r *Redactor) Redact(x *Exchange) {
	if r == nil || x == nil {
		return
	}
	d := &redaction{r: r, values: map[string]bool{}}
	for _, s := range r.secrets {
		d.values[s] = true
	}
	x.Request.URL = d.url("request.url", x.Request.URL)
	d.header("request.header", x.Request.Header)
	d.header("response.header", x.Response.Header)
	d.body("request.body", &x.Request.Message)
	d.body("response.body", &x.Response.Message)

	// Second pass: every original value found above, every configured
	// secret and every pattern match is scrubbed wherever else it appears
	// (echoed in a body, quoted in an error message, in a Location header).
	lits := d.literals()
	scrub := func(where, name, s string) string {
		for _, re := range r.patterns {
			s = re.ReplaceAllStringFunc(s, func(m string) string { return d.replace(where, name, m) })
		}
		for _, lit := range lits {
			if strings.Contains(s, lit) {
				s = strings.ReplaceAll(s, lit, r.Placeholder(lit))
				d.marks = append(d.marks, Redaction{Where: where, Name: name, Hash: r.Hash(lit)})
			}
		}
		return s
	}
	x.Request.URL = scrub("request.url", "", x.Request.URL)
	for _, side := range []struct {
		where string
		h     http.Header
	}{{"request.header", x.Request.Header}, {"response.header", x.Response.Header}} {
		for k, vs := range side.h {
			for i, v := range vs {
				vs[i] = scrub(side.where, k, v)
			}
		}
	}
	for _, side := range []struct {
		where string
		m     *Message
	}{{"request.body", &x.Request.Message}, {"response.body", &x.Response.Message}} {
		if len(side.m.Body) == 0 || !r.bodyHasAny(side.m.Body, lits) {
			continue
		}
		before := len(d.marks)
		b := scrub(side.where, "", string(side.m.Body))
		if len(d.marks) != before {
			side.m.Body = []byte(b)
			rehash(side.m)
		}
	}
	// Free text quotes URLs (net/http errors do): redact their userinfo
	// and query too.
	urls := func(where, s string) string {
		if !strings.ContainsAny(s, "?@") {
			return s // no query and no userinfo: nothing a URL rule redacts
		}
		return urlInText.ReplaceAllStringFunc(s, func(u string) string { return d.url(where, u) })
	}
	x.Error = urls("error", x.Error)
	for i := range x.Notes {
		x.Notes[i].Message = urls("note", x.Notes[i].Message)
	}
	lits = d.literals()
	x.Error = scrub("error", "", x.Error)
	for i := range x.Notes {
		x.Notes[i].Message = scrub("note", x.Notes[i].ID, x.Notes[i].Message)
	}
	x.Redactions = append(x.Redactions, d.marks...)
}

// literals are the values to scrub, longest first so that a secret that
// contains another is replaced whole; URL-escaped spellings are included.
func (d *redaction) literals() []string {
	set := map[string]bool{}
	for v := range d.values {
		set[v] = true
		if e := url.QueryEscape(v); e != v {
			set[e] = true
		}
		if e := url.PathEscape(v); e != v {
			set[e] = true
		}
		if b, err := json.Marshal(v); err == nil {
			if e := string(b[1 : len(b)-1]); e != v {
				set[e] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for v := range set {
		if !strings.HasPrefix(v, PlaceholderPrefix) {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

func rehash(m *Message) {
	if m.Truncated {
		return
	}
	sum := sha256.Sum256(m.Body)
	m.SHA256 = hex.EncodeToString(sum[:])
	m.Size = int64(len(m.Body))
}

// url redacts userinfo and query values of a URL string, keeping its
// spelling otherwise (no re-encoding of other parts).
func (d *redaction) url(where, raw string) string {
	if raw == "" {
		return raw
	}
	// userinfo: scheme://user:pass@host
	if i := strings.Index(raw, "://"); i >= 0 {
		rest := raw[i+3:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
			ui := rest[:at]
			user, pass, hasPass := strings.Cut(ui, ":")
			if uu, err := url.PathUnescape(user); err == nil {
				user = uu
			}
			if pp, err := url.PathUnescape(pass); err == nil {
				pass = pp
			}
			repl := d.replace(where, "userinfo", user)
			if hasPass {
				repl += ":" + d.replace(where, "userinfo", pass)
			}
			raw = raw[:i+3] + repl + rest[at:]
		}
	}
	q := strings.IndexByte(raw, '?')
	if q < 0 {
		return raw
	}
	frag := ""
	if h := strings.IndexByte(raw[q:], '#'); h >= 0 {
		frag = raw[q+h:]
		raw = raw[:q+h]
	}
	return raw[:q+1] + d.pairs(where, raw[q+1:], d.r.query, false) + frag
}

// pairs redacts k=v&k=v text (a query string or a form body) for keys in
// names (and, for forms, the field rules).
func (d *redaction) pairs(where, s string, names map[string]bool, form bool) string {
	parts := strings.Split(s, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			continue
		}
		key := k
		if u, err := url.QueryUnescape(k); err == nil {
			key = u
		}
		n := normName(key)
		if !names[n] && !(form && d.r.fieldMatch(n)) {
			continue
		}
		val := v
		if u, err := url.QueryUnescape(v); err == nil {
			val = u
		}
		parts[i] = k + "=" + d.replace(where, key, val)
	}
	return strings.Join(parts, "&")
}

func (r *Redactor) fieldMatch(n string) bool {
	if r.keep[n] {
		return false
	}
	if r.fields[n] {
		return true
	}
	for _, s := range r.subs {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// urlHeaders carry URLs whose query may hold a token.
var urlHeaders = map[string]bool{"location": true, "contentlocation": true, "referer": true, "link": true}

func (d *redaction) header(where string, h http.Header) {
	for k, vs := range h {
		n := normName(k)
		switch {
		case n == "cookie":
			for i, v := range vs {
				vs[i] = d.cookie(where, k, v, false)
			}
		case n == "setcookie":
			for i, v := range vs {
				vs[i] = d.cookie(where, k, v, true)
			}
		case d.r.headers[n] && (n == "authorization" || n == "proxyauthorization" || n == "wwwauthenticate" || n == "proxyauthenticate"):
			for i, v := range vs {
				vs[i] = d.auth(where, k, v)
			}
		case d.r.headers[n]:
			for i, v := range vs {
				vs[i] = d.replace(where, k, v)
			}
		case urlHeaders[n]:
			for i, v := range vs {
				vs[i] = d.url(where, v)
			}
		}
	}
}

// auth keeps the scheme of an Authorization-like value: "Bearer REDACTED-…".
func (d *redaction) auth(where, name, v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !isToken(scheme) || len(scheme) > 16 {
		return d.replace(where, name, v)
	}
	// Parameter lists (Digest, challenges) get one placeholder for the
	// whole list: the scheme stays readable.
	return scheme + " " + d.replace(where, name, strings.TrimSpace(cred))
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// cookie keeps cookie names (and Set-Cookie attributes) and redacts values.
func (d *redaction) cookie(where, header, v string, set bool) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		if set && i > 0 {
			break // attributes: Path, Domain, Expires, HttpOnly ...
		}
		name, val, ok := strings.Cut(p, "=")
		if !ok {
			if !set {
				parts[i] = d.replace(where, header, p)
			}
			continue
		}
		parts[i] = name + "=" + d.replace(where, header+":"+strings.TrimSpace(name), strings.Trim(val, `"`))
	}
	return strings.Join(parts, ";")
}

func (d *redaction) body(where string, m *Message) {
	if len(m.Body) == 0 {
		return
	}
	before := len(d.marks)
	ct, _, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	trimmed := bytes.TrimLeft(m.Body, " \t\r\n")
	lenient := false
	switch {
	case ct == "application/x-www-form-urlencoded":
		m.Body = []byte(d.pairs(where, string(m.Body), d.r.fields, true))
	case !d.r.keyScan(m.Body):
		// No "key": in the body names a field to redact: nothing to do
		// (the common case, and cheap).
	case strings.HasSuffix(ct, "json") || len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		out, ok := d.json(where, m.Body)
		m.Body, lenient = out, !ok
	default:
		lenient = true
	}
	if lenient && d.r.lenient != nil {
		m.Body = d.r.lenient.ReplaceAllFunc(m.Body, func(match []byte) []byte {
			sub := d.r.lenient.FindSubmatchIndex(match)
			name := string(match[sub[2]:sub[3]])
			val := string(match[sub[4]:sub[5]])
			quoted := strings.HasPrefix(val, `"`)
			inner := strings.TrimSuffix(strings.TrimPrefix(val, `"`), `"`)
			if quoted {
				if s, err := strconv.Unquote(`"` + inner + `"`); err == nil {
					inner = s
				}
			}
			if IsPlaceholder(inner) || inner == "null" || inner == "true" || inner == "false" || inner == "" {
				return match
			}
			out := append([]byte(nil), match[:sub[4]]...)
			return append(out, `"`+d.replace(where, "/"+name, inner)+`"`...)
		})
	}
	if len(d.marks) != before {
		rehash(m)
	}
}

// keyScan reports whether body has a "name": pair (JSON or JSON-like
// text) whose name is a field to redact. Names with escapes count as a
// match: only the full decoder can tell.
func (r *Redactor) keyScan(body []byte) bool {
	var buf [64]byte
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		start, esc := i+1, false
		j := start
		for ; j < len(body) && body[j] != '"'; j++ {
			if body[j] == '\\' {
				esc = true
				j++
			}
		}
		if j >= len(body) {
			return esc || r.nameIn(body[start:], buf[:0]) // truncated key: be careful
		}
		k := j + 1
		for k < len(body) && (body[k] == ' ' || body[k] == '\t' || body[k] == '\r' || body[k] == '\n') {
			k++
		}
		if k < len(body) && body[k] == ':' && (esc || r.nameIn(body[start:j], buf[:0])) {
			return true
		}
		i = j
	}
	return false
}

// nameIn folds a raw name like normName and checks the field rules.
func (r *Redactor) nameIn(raw, buf []byte) bool {
	for _, c := range raw {
		switch {
		case c == '-' || c == '_' || c == '.' || c == ' ':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return r.fieldMatch(string(buf))
}

// bodyHasAny reports whether a literal or a pattern occurs in b.
func (r *Redactor) bodyHasAny(b []byte, lits []string) bool {
	for _, l := range lits {
		if bytes.Contains(b, []byte(l)) {
			return true
		}
	}
	for _, re := range r.patterns {
		if re.Match(b) {
			return true
		}
	}
	return false
}

// json redacts values of matching keys anywhere in a JSON document,
// splicing placeholders into the original bytes so everything else keeps
// its formatting and key order. ok is false when the document did not
// parse up to its end (the lenient pass still covers it).
func (d *redaction) json(where string, body []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		object    bool
		expectKey bool
		index     int
		key       string
	}
	var stack []frame
	type splice struct {
		start, end int64
		with       string
	}
	var splices []splice
	path := func(last string) string {
		var b strings.Builder
		for _, f := range stack[:len(stack)-1] {
			b.WriteByte('/')
			if f.object {
				b.WriteString(escapePointer(f.key))
			} else {
				b.WriteString(strconv.Itoa(f.index))
			}
		}
		b.WriteByte('/')
		b.WriteString(escapePointer(last))
		return b.String()
	}
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].expectKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return body, false
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
			if delim, ok := tok.(json.Delim); ok && delim == '}' {
				stack = stack[:n-1]
				valueDone()
				continue
			}
			key, _ := tok.(string)
			stack[n-1].key = key
			stack[n-1].expectKey = false
			if !d.r.fieldMatch(normName(key)) {
				continue
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return body, false
			}
			end := dec.InputOffset()
			start := end - int64(len(raw))
			val := string(raw)
			if len(raw) > 0 && raw[0] == '"' {
				var s string
				if json.Unmarshal(raw, &s) == nil {
					val = s
				}
			}
			if string(raw) != "null" && !IsPlaceholder(val) && val != "" {
				ph := d.replace(where, path(key), val)
				splices = append(splices, splice{start, end, `"` + ph + `"`})
			}
			stack[n-1].expectKey = true
			continue
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, expectKey: true})
			case '[':
				stack = append(stack, frame{})
			case '}', ']':
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
				valueDone()
			}
		default:
			valueDone()
		}
	}
	if len(splices) == 0 {
		return body, true
	}
	var out bytes.Buffer
	out.Grow(len(body))
	var at int64
	for _, s := range splices {
		if s.start < at || s.end > int64(len(body)) {
			return body, false
		}
		out.Write(body[at:s.start])
		out.WriteString(s.with)
		at = s.end
	}
	out.Write(body[at:])
	return out.Bytes(), true
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
