package route

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/spelling"
)

// Router finds operations of one connector. It is immutable after New and
// safe for concurrent use.
type Router struct {
	basePath string
	entries  []*entry
	buckets  map[int]*bucket // the same, indexed (lookup)
	// Conflicts lists templates that differ only in parameter names for the
	// same method; the first declared operation wins.
	conflicts []Conflict
}

// Conflict is a pair of operations a request cannot tell apart.
type Conflict struct {
	Method   string
	Winner   string // operationId that requests go to
	Shadowed string // operationId that can never be reached by path alone
	Template string
}

// Match is a successful lookup.
type Match struct {
	Operation *connector.Operation
	// Template is the full path template matched: basePath + operation path.
	Template string
	// Params are the path parameters, percent-decoded, by declared name.
	Params map[string]string
}

// Candidate is an operation that came close to a request that missed.
type Candidate struct {
	OperationID string `json:"operationId"`
	Method      string `json:"method"`
	Path        string `json:"path"` // full template, basePath included
	Reason      string `json:"reason"`
}

// Miss explains why a request matched no operation.
type Miss struct {
	// Allowed is set when the path matched but the method did not: the
	// methods the path does accept (for a 405 and its Allow header).
	Allowed []string `json:"allowed,omitempty"`
	// Closest are up to five operations ranked by how near they came.
	Closest []Candidate `json:"closest,omitempty"`
}

// MethodNotAllowed reports whether the path exists under other methods.
func (m *Miss) MethodNotAllowed() bool { return len(m.Allowed) > 0 }

type segKind uint8

const (
	segVar   segKind = 1 // "{id}"
	segMixed segKind = 2 // "Databases({id})", "{id}.json"
	segLit   segKind = 3 // "orders"
)

type segment struct {
	raw   string
	kind  segKind
	names []string // parameter names, in order
	// parts are the literals around the parameters of a segMixed segment:
	// len(parts) == len(names)+1 ("Databases(", ")" for "Databases({id})").
	parts []string
	lits  int // literal characters, to rank mixed segments
}

type entry struct {
	op       *connector.Operation
	method   string
	template string
	segs     []segment
	order    int
	params   int // path parameters, to size the Params map
}

// New builds the router for c. Operations are taken in their declared
// order; c.BasePath is joined in front of every path.
func New(c *connector.Connector) *Router {
	r := &Router{basePath: c.BasePath, buckets: map[int]*bucket{}}
	bySegs := map[int][]*entry{} // templates by segment count, declared order
	seen := map[string]*entry{}
	for i, op := range c.Operations {
		tmpl := Join(c.BasePath, op.Path)
		e := &entry{op: op, method: strings.ToUpper(op.Method), template: tmpl, segs: parseTemplate(tmpl), order: i}
		for _, sg := range e.segs {
			e.params += len(sg.names)
		}
		key := e.method + " " + normalise(e.segs)
		if prev, ok := seen[key]; ok {
			r.conflicts = append(r.conflicts, Conflict{Method: e.method, Winner: prev.op.ID, Shadowed: op.ID, Template: tmpl})
		} else {
			seen[key] = e
		}
		r.entries = append(r.entries, e)
		bySegs[len(e.segs)] = append(bySegs[len(e.segs)], e)
	}
	for n, list := range bySegs {
		b := &bucket{all: list}
		b.index()
		r.buckets[n] = b
	}
	return r
}

// bucket holds the templates of one segment count, indexed on the segment
// position whose literals tell them apart best, so a lookup tries only the
// templates with the request's literal there plus those with a parameter
// there.
type bucket struct {
	all   []*entry
	at    int                 // indexed segment position; -1: none
	byLit map[string][]*entry // literal at position at
	wild  []*entry            // parameter or mixed segment at position at
}

func (b *bucket) index() {
	b.at = -1
	if len(b.all) < 4 {
		return
	}
	n := len(b.all[0].segs)
	best := len(b.all)
	for i := 0; i < n; i++ {
		groups := map[string]int{}
		wild := 0
		for _, e := range b.all {
			if e.segs[i].kind == segLit {
				groups[e.segs[i].raw]++
			} else {
				wild++
			}
		}
		worst := 0
		for _, g := range groups {
			worst = max(worst, g)
		}
		if cost := wild + worst; cost < best {
			best, b.at = cost, i
		}
	}
	if b.at < 0 {
		return
	}
	b.byLit = map[string][]*entry{}
	for _, e := range b.all {
		if s := e.segs[b.at]; s.kind == segLit {
			b.byLit[s.raw] = append(b.byLit[s.raw], e)
		} else {
			b.wild = append(b.wild, e)
		}
	}
}

// Conflicts returns the operations shadowed by an earlier one with the same
// method and a template that differs only in parameter names.
func (r *Router) Conflicts() []Conflict { return r.conflicts }

// BasePath returns the connector's basePath as declared.
func (r *Router) BasePath() string { return r.basePath }

// Join joins a basePath and an operation path the way the gateway does: one
// slash between them, the operation path's trailing slash kept.
func Join(basePath, path string) string {
	b := strings.TrimRight(basePath, "/")
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if b == "" {
		return path
	}
	if !strings.HasPrefix(b, "/") {
		b = "/" + b
	}
	return b + path
}

// Template returns the full template (basePath included) of op.
func (r *Router) Template(op *connector.Operation) string { return Join(r.basePath, op.Path) }

func normalise(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		if s.kind == segLit {
			b.WriteString(s.raw)
			continue
		}
		b.WriteString(varNames.ReplaceAllString(s.raw, "{}"))
	}
	return b.String()
}

var varNames = regexp.MustCompile(`\{[^{}]+\}`)

// splitPath splits "/a/b/" into ["a","b",""]; "/" gives [""].
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	return strings.Split(p, "/")
}

func parseTemplate(tmpl string) []segment {
	raw := splitPath(tmpl)
	segs := make([]segment, len(raw))
	for i, s := range raw {
		segs[i] = parseSegment(s)
	}
	return segs
}

func parseSegment(s string) segment {
	locs := varNames.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return segment{raw: s, kind: segLit, lits: len(s)}
	}
	if len(locs) == 1 && locs[0][0] == 0 && locs[0][1] == len(s) {
		return segment{raw: s, kind: segVar, names: []string{s[1 : len(s)-1]}}
	}
	seg := segment{raw: s, kind: segMixed}
	at := 0
	for _, l := range locs {
		seg.parts = append(seg.parts, s[at:l[0]])
		seg.names = append(seg.names, s[l[0]+1:l[1]-1])
		at = l[1]
	}
	seg.parts = append(seg.parts, s[at:])
	for _, p := range seg.parts {
		seg.lits += len(p)
	}
	return seg
}

// matchMixed matches got against the literal parts, each parameter taking
// at least one byte and as few as the rest allows (leftmost, with
// backtracking), and returns the parameter values.
func (s segment) matchMixed(got string, fold bool) ([]string, bool) {
	vals := make([]string, len(s.names))
	if !s.mixedInto(got, fold, vals) {
		return nil, false
	}
	return vals, true
}

// mixedInto is matchMixed writing the values into vals (len(s.names)
// long), allocation-free.
func (s segment) mixedInto(got string, fold bool, vals []string) bool {
	first := s.parts[0]
	if len(got) < len(first) || !eqFold(got[:len(first)], first, fold) {
		return false
	}
	return s.mixedFrom(got, fold, vals, 0, len(first))
}

func eqFold(a, b string, fold bool) bool {
	if fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func (s segment) mixedFrom(got string, fold bool, vals []string, i, pos int) bool {
	next := s.parts[i+1]
	if i == len(s.names)-1 {
		// The last parameter runs up to the final literal.
		end := len(got) - len(next)
		if end-pos < 1 || !eqFold(got[end:], next, fold) {
			return false
		}
		vals[i] = got[pos:end]
		return true
	}
	for end := pos + 1; end+len(next) <= len(got); end++ {
		if eqFold(got[end:end+len(next)], next, fold) {
			vals[i] = got[pos:end]
			if s.mixedFrom(got, fold, vals, i+1, end+len(next)) {
				return true
			}
		}
	}
	return false
}

// fits reports whether got matches the mixed segment, without keeping the
// values (a stack buffer for up to 8 parameters).
func (s segment) fits(got string, fold bool) bool {
	var buf [8]string
	vals := buf[:0]
	if len(s.names) <= len(buf) {
		vals = buf[:len(s.names)]
	} else {
		vals = make([]string, len(s.names))
	}
	return s.mixedInto(got, fold, vals)
}

// decodeSegments splits an escaped request path and percent-decodes each
// segment, so "%2F" inside a parameter value stays inside its segment.
func decodeSegments(path string) []string {
	return decodeSegmentsInto(nil, path)
}

// decodeSegmentsInto is decodeSegments appending to buf: with a buffer on
// the caller's stack and no escapes in the path it allocates nothing.
func decodeSegmentsInto(buf []string, path string) []string {
	if path == "" {
		path = "/"
	}
	p := strings.TrimPrefix(path, "/")
	raw := buf[:0]
	for {
		i := strings.IndexByte(p, '/')
		if i < 0 {
			raw = append(raw, p)
			break
		}
		raw = append(raw, p[:i])
		p = p[i+1:]
	}
	for i, s := range raw {
		if strings.IndexByte(s, '%') >= 0 {
			if u, err := url.PathUnescape(s); err == nil {
				raw[i] = u
			}
		}
	}
	return raw
}

// match tries e against decoded request segments; params is filled when
// non-nil.
func (e *entry) match(segs []string, params map[string]string) bool {
	if len(segs) != len(e.segs) {
		return false
	}
	for i, s := range e.segs {
		got := segs[i]
		switch s.kind {
		case segLit:
			if got != s.raw {
				return false
			}
		case segVar:
			if got == "" {
				return false
			}
			if params != nil {
				params[s.names[0]] = got
			}
		case segMixed:
			if params == nil {
				if !s.fits(got, false) {
					return false
				}
				continue
			}
			vals, ok := s.matchMixed(got, false)
			if !ok {
				return false
			}
			for j, n := range s.names {
				params[n] = vals[j]
			}
		}
	}
	return true
}

// better reports whether a ranks above b for the same request: literal
// segments beat mixed ones beat pure variables, left to right; then more
// literal characters; then declaration order.
func better(a, b *entry) bool {
	for i := range a.segs {
		if a.segs[i].kind != b.segs[i].kind {
			return a.segs[i].kind > b.segs[i].kind
		}
		if a.segs[i].lits != b.segs[i].lits {
			return a.segs[i].lits > b.segs[i].lits
		}
	}
	return a.order < b.order
}

// Find looks up method and path. path is the request's escaped path
// (url.URL.EscapedPath()); a query string, if present, is ignored. Exactly
// one of the results is non-nil.
func (r *Router) Find(method, path string) (*Match, *Miss) {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	method = upper(method)
	var buf [maxStackSegs]string
	segs := decodeSegmentsInto(buf[:0], path)
	best, _ := r.lookup(method, segs, false)
	if best != nil {
		params := make(map[string]string, best.params)
		best.match(segs, params)
		return &Match{Operation: best.op, Template: best.template, Params: params}, nil
	}
	_, allowed := r.lookup(method, segs, true)
	miss := &Miss{Allowed: uniqSorted(allowed)}
	miss.Closest = r.closest(method, path, append([]string(nil), segs...))
	return nil, miss
}

// lookup finds the best entry for method and the decoded segments,
// allocation-free. With collect, it instead lists the methods of the
// entries whose path matches (for a miss's Allow).
func (r *Router) lookup(method string, segs []string, collect bool) (best *entry, allowed []string) {
	b := r.buckets[len(segs)]
	if b == nil {
		return nil, nil
	}
	try := func(list []*entry) {
		for _, e := range list {
			if !collect && e.method != method || !e.match(segs, nil) {
				continue
			}
			if collect {
				allowed = append(allowed, e.method)
				continue
			}
			if best == nil || better(e, best) {
				best = e
			}
		}
	}
	if b.at < 0 {
		try(b.all)
	} else {
		try(b.byLit[segs[b.at]])
		try(b.wild)
	}
	return best, allowed
}

// upper is strings.ToUpper without the call for the usual upper-case
// method.
func upper(m string) string {
	for i := 0; i < len(m); i++ {
		if c := m[i]; c >= 'a' && c <= 'z' {
			return strings.ToUpper(m)
		}
	}
	return m
}

func uniqSorted(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

type scored struct {
	e      *entry
	score  int
	reason string
}

// closest ranks every operation by how near it came to the request and
// says, for each, the first thing that did not match.
func (r *Router) closest(method, path string, segs []string) []Candidate {
	var all []scored
	for _, e := range r.entries {
		score, reason := e.explain(method, path, segs, r.basePath)
		all = append(all, scored{e, score, reason})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].e.order < all[j].e.order
	})
	var out []Candidate
	for _, s := range all {
		if len(out) == 5 || (s.score <= 0 && len(out) >= 3) {
			break
		}
		out = append(out, Candidate{OperationID: s.e.op.ID, Method: s.e.method, Path: s.e.template, Reason: s.reason})
	}
	return out
}

// explain scores e against the request (higher is nearer) and names the
// first difference.
func (e *entry) explain(method, path string, segs []string, basePath string) (int, string) {
	if e.match(segs, nil) {
		return 1000, fmt.Sprintf("path matches, but the operation is %s, not %s", e.method, method)
	}
	sameMethod := 0
	if e.method == method {
		sameMethod = 1
	}
	// Trailing slash only.
	alt := ""
	if strings.HasSuffix(path, "/") && len(path) > 1 {
		alt = strings.TrimSuffix(path, "/")
	} else {
		alt = path + "/"
	}
	if e.match(decodeSegments(alt), nil) {
		what := "has no trailing slash"
		if strings.HasSuffix(e.template, "/") {
			what = "ends with a slash"
		}
		return 900 + sameMethod*50, "the declared path " + what + "; trailing slashes are significant"
	}
	// Case only.
	if e.matchFold(segs) {
		return 850 + sameMethod*50, "the path differs only in letter case; paths are case-sensitive"
	}
	// basePath missing.
	if bp := strings.TrimRight(basePath, "/"); bp != "" && bp != "/" && !strings.HasPrefix(path, bp+"/") && path != bp {
		if e.match(decodeSegments(Join(basePath, path)), nil) {
			return 800 + sameMethod*50, "the request lacks the basePath " + bp + "; send " + Join(basePath, path)
		}
	}
	// Segment by segment.
	n := min(len(segs), len(e.segs))
	i := 0
	for ; i < n; i++ {
		if !e.segs[i].accepts(segs[i]) {
			break
		}
	}
	score := i*10 + sameMethod*5
	if len(segs) != len(e.segs) && i == n {
		return score, fmt.Sprintf("the path has %d segments; the template %s has %d", len(segs), e.template, len(e.segs))
	}
	if i < len(e.segs) && i < len(segs) {
		s := e.segs[i]
		got := segs[i]
		switch s.kind {
		case segLit:
			return score - spelling.Distance(s.raw, got), fmt.Sprintf("segment %d is %q; the template wants %q", i+1, got, s.raw)
		case segVar:
			return score, fmt.Sprintf("segment %d is empty; path parameter %q needs a value", i+1, s.names[0])
		default:
			return score, fmt.Sprintf("segment %d %q does not fit the template %q", i+1, got, s.raw)
		}
	}
	return score, "the path does not match " + e.template
}

func (s segment) accepts(got string) bool {
	switch s.kind {
	case segLit:
		return got == s.raw
	case segVar:
		return got != ""
	default:
		return s.fits(got, false)
	}
}

func (e *entry) matchFold(segs []string) bool {
	if len(segs) != len(e.segs) {
		return false
	}
	for i, s := range e.segs {
		switch s.kind {
		case segLit:
			if !strings.EqualFold(segs[i], s.raw) {
				return false
			}
		case segVar:
			if segs[i] == "" {
				return false
			}
		default:
			if !s.fits(segs[i], true) {
				return false
			}
		}
	}
	return true
}

// Operations returns every operation whose full template is tmpl (any
// method), in declared order.
func (r *Router) Operations(tmpl string) []*connector.Operation {
	var out []*connector.Operation
	for _, e := range r.entries {
		if e.template == tmpl {
			out = append(out, e.op)
		}
	}
	return out
}
