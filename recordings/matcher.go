package recordings

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/connectorlab/connectorlab/connector"
)

// RepeatMode says what a request gets when several recordings match it.
type RepeatMode int

// Repeat modes.
const (
	// RepeatSequence answers the matching recordings in recorded order and
	// then keeps answering the last one (a polled status that changes).
	RepeatSequence RepeatMode = iota
	// RepeatFirst always answers the first matching recording.
	RepeatFirst
)

// MatchOptions configure a Matcher. Names compare case-insensitively.
type MatchOptions struct {
	// IgnoreQuery lists query keys left out of the comparison (a
	// timestamp, a nonce); "*" ignores the whole query string.
	IgnoreQuery []string
	// IgnoreBody lists JSON pointers left out of body comparison
	// ("/requestId", "/items/*/updatedAt" with * for any array index or
	// key); "*" ignores the body altogether.
	IgnoreBody []string
	// MatchHeaders lists request headers that must be equal too (none by
	// default: clients differ in User-Agent, Accept-Encoding ...).
	MatchHeaders []string
	// Redact is applied to a copy of each incoming request before it is
	// compared, so credentials compare by keyed hash like the stored ones
	// (LoadMatcher sets it from the store).
	Redact func(*Exchange)
	Repeat RepeatMode
	// BasePath is removed from recorded and incoming paths that start
	// with it, so a recording made with or without the connector's
	// basePath in the URL matches either way.
	BasePath string
}

// Diff is one field where a request and a recorded exchange differ.
// Field is "method", "operation", "path", "query.KEY", "header.NAME",
// "body" or "body/POINTER".
type Diff struct {
	Field    string `json:"field"`
	Recorded string `json:"recorded"`
	Request  string `json:"request"`
}

// MatchResult is the answer of Matcher.Match. Exactly one of Exchange
// (a match) and Closest (a miss, nil when nothing is recorded) is set.
type MatchResult struct {
	Exchange *Exchange
	Closest  *Exchange
	// Diffs say how Closest differs from the request.
	Diffs []Diff
}

// Matched reports whether a recording matched.
func (r MatchResult) Matched() bool { return r.Exchange != nil }

// MissProblem is the JSON body a replay answers on a miss.
type MissProblem struct {
	Error   string        `json:"error"` // "no-recording-matched"
	Message string        `json:"message"`
	Closest *ClosestMatch `json:"closest,omitempty"`
}

// ClosestMatch names the recorded exchange nearest to a missed request.
type ClosestMatch struct {
	ExchangeID  int64  `json:"exchangeId"`
	OperationID string `json:"operationId,omitempty"`
	Method      string `json:"method"`
	URL         string `json:"url"`
	Differences []Diff `json:"differences"`
}

// Problem describes a miss for the client.
func (r MatchResult) Problem() MissProblem {
	p := MissProblem{Error: "no-recording-matched", Message: "no recorded exchange matches this request"}
	if r.Closest == nil {
		p.Message += " (the session has no recorded exchanges with a response)"
		return p
	}
	var fields []string
	for _, d := range r.Diffs {
		fields = append(fields, d.Field)
	}
	p.Message += fmt.Sprintf("; the closest is exchange %d, which differs in %s", r.Closest.ID, strings.Join(fields, ", "))
	p.Closest = &ClosestMatch{ExchangeID: r.Closest.ID, OperationID: r.Closest.OperationID, Method: r.Closest.Request.Method, URL: r.Closest.Request.URL, Differences: r.Diffs}
	return p
}

// Matcher answers requests from recorded exchanges. It is safe for
// concurrent use.
type Matcher struct {
	o        MatchOptions
	xs       []*candidate
	ignoreQ  map[string]bool
	allQuery bool
	allBody  bool
	ignoreB  [][]string
	headers  []string
	mu       sync.Mutex
	next     map[int64]int // sequence position by first match id

	// Indexes: by fingerprint (exact matches in O(1)), by method and path,
	// by operation and by method (the pools a miss searches for the
	// closest recording, nearest first).
	byFP     map[string][]*candidate
	byKey    map[string][]*candidate
	byOp     map[string][]*candidate
	byMethod map[string][]*candidate
}

type candidate struct {
	x     *Exchange
	path  string
	query url.Values
	body  []byte
	json  any // parsed body, when JSON
	isJS  bool
	key   string // METHOD path
	fp    string // fingerprint of everything compared; "" when not indexable
}

// NewMatcher indexes recorded exchanges; failed exchanges (no response)
// are left out.
func NewMatcher(xs []*Exchange, o MatchOptions) *Matcher {
	m := &Matcher{o: o, ignoreQ: map[string]bool{}, next: map[int64]int{},
		byFP: map[string][]*candidate{}, byKey: map[string][]*candidate{}, byOp: map[string][]*candidate{}, byMethod: map[string][]*candidate{}}
	for _, q := range o.IgnoreQuery {
		if q == "*" {
			m.allQuery = true
		}
		m.ignoreQ[strings.ToLower(q)] = true
	}
	for _, p := range o.IgnoreBody {
		if p == "*" {
			m.allBody = true
			continue
		}
		m.ignoreB = append(m.ignoreB, splitPointer(p))
	}
	for _, h := range o.MatchHeaders {
		m.headers = append(m.headers, http.CanonicalHeaderKey(h))
	}
	for _, x := range xs {
		if x == nil || x.Error != "" || x.Response.Status == 0 {
			continue
		}
		c := m.candidate(x)
		m.xs = append(m.xs, c)
		if c.fp != "" {
			m.byFP[c.fp] = append(m.byFP[c.fp], c)
		}
		m.byKey[c.key] = append(m.byKey[c.key], c)
		if x.OperationID != "" {
			m.byOp[x.OperationID] = append(m.byOp[x.OperationID], c)
		}
		m.byMethod[strings.ToUpper(x.Request.Method)] = append(m.byMethod[strings.ToUpper(x.Request.Method)], c)
	}
	return m
}

// LoadMatcher builds a Matcher over one session of a store; incoming
// requests are redacted with that session's rules.
func LoadMatcher(ctx context.Context, s Exchanges, sessionID int64, o MatchOptions) (*Matcher, error) {
	var xs []*Exchange
	f := ExchangeFilter{SessionID: sessionID, Limit: 500}
	for {
		page, err := s.ListExchanges(ctx, f)
		if err != nil {
			return nil, err
		}
		xs = append(xs, page.Exchanges...)
		if page.Next == 0 {
			break
		}
		f.After = page.Next
	}
	if o.Redact == nil {
		o.Redact = func(x *Exchange) {
			x.SessionID = sessionID
			_ = s.Redact(context.WithoutCancel(ctx), x)
		}
	}
	return NewMatcher(xs, o), nil
}

// Len is the number of recordings the matcher answers from.
func (m *Matcher) Len() int { return len(m.xs) }

func (m *Matcher) candidate(x *Exchange) *candidate {
	c := &candidate{x: x, body: x.Request.Body}
	c.path, c.query = splitURL(x.Request.URL)
	if bp := strings.TrimRight(m.o.BasePath, "/"); bp != "" && (c.path == bp || strings.HasPrefix(c.path, bp+"/")) {
		c.path = strings.TrimPrefix(c.path, bp)
		if c.path == "" {
			c.path = "/"
		}
	}
	if len(c.body) > 0 && isJSONish(x.Request.Header, c.body) {
		if v, err := decodeJSON(c.body); err == nil {
			c.json, c.isJS = v, true
		}
	}
	c.key = strings.ToUpper(x.Request.Method) + " " + c.path
	c.fp = m.fingerprint(c)
	return c
}

// fingerprint canonicalises what compare looks at apart from the
// operation (checked on the few exact candidates): method, path, query
// without ignored keys, matched headers and the body (JSON with ignored
// pointers removed and keys sorted, forms sorted, others trimmed).
// Recordings with truncated bodies compare by hash and are not indexed.
func (m *Matcher) fingerprint(c *candidate) string {
	if c.x.Request.Truncated {
		return ""
	}
	h := sha256.New()
	io.WriteString(h, c.key)
	h.Write([]byte{0})
	if !m.allQuery {
		keys := make([]string, 0, len(c.query))
		for k := range c.query {
			if !m.ignoreQ[strings.ToLower(k)] {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			io.WriteString(h, k)
			for _, v := range sortedCopy(c.query[k]) {
				h.Write([]byte{1})
				io.WriteString(h, v)
			}
			h.Write([]byte{2})
		}
	}
	h.Write([]byte{0})
	for _, name := range m.headers {
		io.WriteString(h, strings.Join(c.x.Request.Header.Values(name), ","))
		h.Write([]byte{1})
	}
	h.Write([]byte{0})
	switch {
	case m.allBody:
	case c.isJS:
		v, err := decodeJSON(c.body) // a copy to prune
		if err != nil {
			return ""
		}
		for _, ig := range m.ignoreB {
			v = prune(v, ig)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		io.WriteString(h, "j")
		h.Write(b)
	case isForm(c.x.Request.Header):
		v, _ := url.ParseQuery(string(c.body))
		for _, ig := range m.ignoreB {
			if len(ig) == 1 {
				for k := range v {
					if ig[0] == "*" || ig[0] == k {
						delete(v, k)
					}
				}
			}
		}
		for _, k := range v {
			sort.Strings(k)
		}
		io.WriteString(h, "f"+v.Encode())
	default:
		io.WriteString(h, "r")
		h.Write(bytes.TrimSpace(c.body))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// prune removes what pointer segs (with * wildcards) names from v.
func prune(v any, segs []string) any {
	if len(segs) == 0 {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if segs[0] != "*" && segs[0] != k {
				continue
			}
			if len(segs) == 1 {
				delete(t, k)
			} else {
				t[k] = prune(child, segs[1:])
			}
		}
	case []any:
		for i, child := range t {
			if segs[0] != "*" && segs[0] != strconv.Itoa(i) {
				continue
			}
			if len(segs) == 1 {
				t[i] = nil // keep positions
			} else {
				t[i] = prune(child, segs[1:])
			}
		}
	}
	return v
}

// NewRequest describes an incoming HTTP request (its body already read)
// as a recordings.Request, the way the proxy records one.
func NewRequest(r *http.Request, body []byte, l Limits) Request {
	msg, _ := BodyMessage(r.Header, body, l)
	return Request{Method: r.Method, URL: requestURL(r), Message: msg}
}

// Match finds the recorded exchange for a request; operationID is the
// operation the request routed to ("" when unknown).
func (m *Matcher) Match(operationID string, req Request) MatchResult {
	probe := &Exchange{OperationID: operationID, Request: req}
	probe.Request.Header = cloneHeader(req.Header)
	probe.Request.Body = append([]byte(nil), req.Body...)
	if m.o.Redact != nil {
		m.o.Redact(probe)
	}
	in := m.candidate(probe)
	var exact []*candidate
	pick := func(pool []*candidate) {
		for _, c := range pool {
			if diffs, _ := m.compare(c, in, operationID, req); len(diffs) == 0 {
				exact = append(exact, c)
			}
		}
	}
	if in.fp != "" {
		pick(m.byFP[in.fp])
	}
	if len(exact) == 0 {
		// Recordings not in the fingerprint index (truncated bodies) can
		// still match on the same method and path.
		var slow []*candidate
		for _, c := range m.byKey[in.key] {
			if c.fp == "" {
				slow = append(slow, c)
			}
		}
		pick(slow)
	}
	var best *candidate
	var bestDiffs []Diff
	if len(exact) == 0 {
		// The closest: among the same method and path, else the same
		// operation, else the same method, else everything.
		pool := m.byKey[in.key]
		if len(pool) == 0 && operationID != "" {
			pool = m.byOp[operationID]
		}
		if len(pool) == 0 {
			pool = m.byMethod[strings.ToUpper(req.Method)]
		}
		if len(pool) == 0 {
			pool = m.xs
		}
		if len(pool) > maxClosest {
			pool = nearest(pool, in, operationID, req.Method)
		}
		bestScore := -1
		for _, c := range pool {
			diffs, score := m.compare(c, in, operationID, req)
			if bestScore < 0 || score < bestScore {
				best, bestDiffs, bestScore = c, diffs, score
			}
		}
	}
	if len(exact) > 0 {
		if m.o.Repeat == RepeatFirst || len(exact) == 1 {
			return MatchResult{Exchange: exact[0].x}
		}
		m.mu.Lock()
		key := exact[0].x.ID
		i := m.next[key]
		m.next[key] = i + 1
		m.mu.Unlock()
		return MatchResult{Exchange: exact[min(i, len(exact)-1)].x}
	}
	if best == nil {
		return MatchResult{}
	}
	return MatchResult{Closest: best.x, Diffs: bestDiffs}
}

// maxClosest bounds how many recordings a miss compares in full.
const maxClosest = 200

// nearest keeps the maxClosest candidates closest by a cheap measure:
// method, operation and how many path segments agree.
func nearest(pool []*candidate, in *candidate, op, method string) []*candidate {
	inSegs := splitPath(in.path)
	type scored struct {
		c     *candidate
		score int
	}
	ss := make([]scored, len(pool))
	for i, c := range pool {
		sc := 0
		if !strings.EqualFold(c.x.Request.Method, method) {
			sc += 100
		}
		if op != "" && c.x.OperationID != "" && c.x.OperationID != op {
			sc += 50
		}
		if c.path != in.path {
			segs := splitPath(c.path)
			same := 0
			for j := 0; j < min(len(segs), len(inSegs)); j++ {
				if segs[j] == inSegs[j] {
					same++
				}
			}
			sc += 40 - min(same, 39) + abs(len(segs)-len(inSegs))
		}
		ss[i] = scored{c, sc}
	}
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].score < ss[j].score })
	out := make([]*candidate, maxClosest)
	for i := range out {
		out[i] = ss[i].c
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Reset forgets sequence positions (a new test run starts over).
func (m *Matcher) Reset() {
	m.mu.Lock()
	m.next = map[int64]int{}
	m.mu.Unlock()
}

const maxDiffs = 10

func (m *Matcher) compare(c, in *candidate, op string, req Request) ([]Diff, int) {
	var diffs []Diff
	score := 0
	add := func(w int, field, rec, got string) {
		score += w
		if len(diffs) < maxDiffs {
			diffs = append(diffs, Diff{Field: field, Recorded: preview(rec), Request: preview(got)})
		}
	}
	if !strings.EqualFold(c.x.Request.Method, req.Method) {
		add(100, "method", c.x.Request.Method, req.Method)
	}
	if op != "" && c.x.OperationID != "" && op != c.x.OperationID {
		add(50, "operation", c.x.OperationID, op)
	}
	if c.path != in.path {
		add(40, "path", c.path, in.path)
	}
	if !m.allQuery {
		keys := map[string]bool{}
		for k := range c.query {
			keys[k] = true
		}
		for k := range in.query {
			keys[k] = true
		}
		for _, k := range sortedSet(keys) {
			if m.ignoreQ[strings.ToLower(k)] {
				continue
			}
			a, b := sortedCopy(c.query[k]), sortedCopy(in.query[k])
			if !reflect.DeepEqual(a, b) {
				add(8, "query."+k, strings.Join(a, ","), strings.Join(b, ","))
			}
		}
	}
	for _, h := range m.headers {
		a, b := strings.Join(c.x.Request.Header.Values(h), ","), strings.Join(in.x.Request.Header.Values(h), ",")
		if a != b {
			add(5, "header."+h, a, b)
		}
	}
	if !m.allBody {
		m.compareBody(c, in, add)
	}
	return diffs, score
}

func (m *Matcher) compareBody(c, in *candidate, add func(int, string, string, string)) {
	switch {
	case c.x.Request.Truncated:
		// Only the first BodyCap bytes were kept: compare the full-body
		// hash and size instead.
		sum := sha256.Sum256(in.body)
		if c.x.Request.SHA256 != hex.EncodeToString(sum[:]) && c.x.Request.Size != int64(len(in.body)) {
			add(20, "body", fmt.Sprintf("%d bytes, sha256 %s", c.x.Request.Size, c.x.Request.SHA256), fmt.Sprintf("%d bytes", len(in.body)))
		}
	case c.isJS && in.isJS:
		n := 0
		jsonDiff("", c.json, in.json, m.ignoreB, func(ptr, a, b string) {
			n++
			w := 3
			if n > 5 {
				w = 0 // many differences: still a body mismatch, capped
			}
			add(w, "body"+ptr, a, b)
		})
	case isForm(c.x.Request.Header) && isForm(in.x.Request.Header):
		a, _ := url.ParseQuery(string(c.body))
		b, _ := url.ParseQuery(string(in.body))
		keys := map[string]bool{}
		for k := range a {
			keys[k] = true
		}
		for k := range b {
			keys[k] = true
		}
		for _, k := range sortedSet(keys) {
			if ignoredPointer(m.ignoreB, []string{k}) {
				continue
			}
			if !reflect.DeepEqual(sortedCopy(a[k]), sortedCopy(b[k])) {
				add(3, "body/"+connector.EscapePointerToken(k), strings.Join(a[k], ","), strings.Join(b[k], ","))
			}
		}
	default:
		if !bytes.Equal(bytes.TrimSpace(c.body), bytes.TrimSpace(in.body)) {
			add(20, "body", string(c.body), string(in.body))
		}
	}
}

// jsonDiff walks two decoded JSON values and reports differing leaves
// (or whole subtrees whose types differ) by pointer.
func jsonDiff(ptr string, a, b any, ignore [][]string, report func(ptr, a, b string)) {
	if ignoredPointer(ignore, splitPointer(ptr)) {
		return
	}
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			report(ptr, compact(a), compact(b))
			return
		}
		keys := map[string]bool{}
		for k := range av {
			keys[k] = true
		}
		for k := range bv {
			keys[k] = true
		}
		for _, k := range sortedSet(keys) {
			x, inA := av[k]
			y, inB := bv[k]
			p := ptr + "/" + connector.EscapePointerToken(k)
			switch {
			case !inA:
				if !ignoredPointer(ignore, splitPointer(p)) {
					report(p, "(absent)", compact(y))
				}
			case !inB:
				if !ignoredPointer(ignore, splitPointer(p)) {
					report(p, compact(x), "(absent)")
				}
			default:
				jsonDiff(p, x, y, ignore, report)
			}
		}
	case []any:
		bv, ok := b.([]any)
		if !ok {
			report(ptr, compact(a), compact(b))
			return
		}
		for i := 0; i < max(len(av), len(bv)); i++ {
			p := ptr + "/" + strconv.Itoa(i)
			switch {
			case i >= len(av):
				report(p, "(absent)", compact(bv[i]))
			case i >= len(bv):
				report(p, compact(av[i]), "(absent)")
			default:
				jsonDiff(p, av[i], bv[i], ignore, report)
			}
		}
	default:
		if !reflect.DeepEqual(a, b) {
			report(ptr, compact(a), compact(b))
		}
	}
}

func ignoredPointer(ignore [][]string, segs []string) bool {
	for _, ig := range ignore {
		if len(ig) > len(segs) {
			continue
		}
		ok := true
		for i, s := range ig {
			if s != "*" && s != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func splitPointer(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = connector.UnescapePointerToken(s)
	}
	return parts
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func isJSONish(h http.Header, b []byte) bool {
	mt := mediaType(h.Get("Content-Type"))
	if strings.HasSuffix(mt, "json") {
		return true
	}
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

func isForm(h http.Header) bool {
	return mediaType(h.Get("Content-Type")) == "application/x-www-form-urlencoded"
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func preview(s string) string {
	const n = 120
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// splitURL returns the decoded path and the query of a stored URL.
func splitURL(raw string) (string, url.Values) {
	u, err := url.Parse(raw)
	if err != nil {
		p, q, _ := strings.Cut(raw, "?")
		v, _ := url.ParseQuery(q)
		return p, v
	}
	p := u.Path
	if p == "" {
		p = "/"
	}
	v, _ := url.ParseQuery(u.RawQuery)
	return p, v
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedCopy(v []string) []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	return out
}

// ReplayHeader is the header to serve a recorded response with: the body
// is stored decoded, so Content-Encoding and Content-Length go.
func (r Response) ReplayHeader() http.Header {
	h := cloneHeader(r.Header)
	if h == nil {
		h = http.Header{}
	}
	if r.Encoding != "" {
		h.Del("Content-Encoding")
	}
	h.Del("Content-Length")
	h.Del("Transfer-Encoding")
	return h
}

// WriteReplay answers w with a recorded response. A truncated body is
// served as stored and flagged with X-Connectorlab-Truncated.
func WriteReplay(w http.ResponseWriter, x *Exchange) {
	h := w.Header()
	for k, vs := range x.Response.ReplayHeader() {
		h[k] = vs
	}
	h.Set(ExchangeHeader, strconv.FormatInt(x.ID, 10))
	if x.Response.Truncated {
		h.Set("X-Connectorlab-Truncated", fmt.Sprintf("%d of %d bytes", len(x.Response.Body), x.Response.Size))
	}
	h.Set("Content-Length", strconv.Itoa(len(x.Response.Body)))
	w.WriteHeader(x.Response.Status)
	w.Write(x.Response.Body)
}
