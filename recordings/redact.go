package recordings

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/connectorlab/connectorlab/connector"
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
	// prefixes are the patterns' literal prefixes ("" when a pattern has
	// none): text without the prefix cannot match, and is not copied.
	prefixes []string
	secrets  []string

	// The precompiled plan for the configured secrets (issue 17): their
	// spellings with placeholders, and the replacer for an exchange in
	// which no other value was found (the common case), built once
	// instead of per exchange.
	secretSpell map[string]string // spelling -> placeholder
	secretRep   *scrubber         // nil: no configured secret to scrub
	macs        sync.Pool         // of hash.Hash (HMAC-SHA256 with key)
	// verdicts memoises the structural rule (secretNorm) per normalised
	// name: the same keys and headers come back in every exchange.
	verdicts nameMemo[bool]
	// classes memoises what header() does with a header of a raw
	// (canonical) name and fieldVerdicts fieldMatch per normalised name
	// (issue 17: the folding and the several map lookups per name were a
	// tenth of Redact). The rules do not change after NewRedactor, so a
	// verdict stays true; all are bounded (maxMemoNames).
	classes       nameMemo[headerClass]
	fieldVerdicts nameMemo[bool]
	repMu         sync.Mutex
	reps          map[string]*scrubber // found values (joined) -> replacer
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
			prefix, _ := re.LiteralPrefix() // every match starts with it
			r.prefixes = append(r.prefixes, prefix)
		}
	}
	r.macs.New = func() any { return hmac.New(sha256.New, r.key) }
	r.reps = map[string]*scrubber{}
	for _, s := range all.Secrets {
		if len(s) >= minScrubLen {
			r.secrets = append(r.secrets, s)
		}
	}
	r.secretSpell = map[string]string{}
	for _, v := range r.secrets {
		for _, sp := range SecretSpellings(v) {
			if len(sp) >= minScrubLen && !strings.HasPrefix(sp, PlaceholderPrefix) {
				r.secretSpell[sp] = r.Placeholder(sp)
			}
		}
	}
	if lits := sortedLiterals(r.secretSpell); len(lits) > 0 {
		pairs := make([]string, 0, 2*len(lits))
		for _, l := range lits {
			pairs = append(pairs, l, r.secretSpell[l])
		}
		r.secretRep = newScrubber(pairs)
	}
	return r
}

// sortedLiterals are the keys of set, longest first (then in byte
// order), the order the replacer needs so that a literal that contains
// another wins.
func sortedLiterals[V any](set map[string]V) []string {
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// The one structural redaction rule (issue 11): a header, query key, form
// field or JSON key is a secret when its normalised name (lower case,
// every character other than a-z and 0-9 dropped, so "X-Api_Token",
// "apiToken" and "auth[token]" all fold) contains one of secretWords —
// unless the whole name is in harmlessNames, or the word only occurs
// inside one of harmlessWords ("keyboard", "author"), or the name ends in
// one of kindSuffixes ("tokenType"). Explicit rule names
// (Rules.Headers, Query, Fields) add to it and Rules.Keep overrides it.
var secretWords = []string{
	// "session" alone would take sessionTitle or sessionStartTime (plain
	// data a replay must send back as it was): only session ids count.
	"token", "secret", "key", "password", "passwd", "passphrase", "auth", "sessionid", "sessid",
	"signature", "cookie", "credential", "assertion", "bearer", "jwt", "privat",
}

// secretNames are short names that are secrets but contain no secret word.
var secretNames = map[string]bool{"sig": true, "pwd": true, "pass": true, "sid": true, "otp": true, "session": true, "xsession": true, "sessionstate": true}

// harmlessNames are whole normalised names that contain a secret word but
// carry no secret.
var harmlessNames = map[string]bool{
	"xmsclientrequestid": true, "contentlength": true, "tokentype": true, "keyid": true, "kid": true,
	"authtype": true, "authscheme": true, "authmethod": true, "authmode": true, "authurl": true,
	"authorizationurl": true, "authorizationendpoint": true, "tokenurl": true, "tokenendpoint": true,
	"accesscontrolallowcredentials": true, "idempotencykey": true, "xidempotencykey": true,
	"sessionexpiresin": true, "tokenexpiresin": true, "keycount": true, "haskey": true,
	"primarykeyname": true, "sortkey": true, "partitionkeypath": true,
}

// kindSuffixes end names that describe a secret rather than hold one:
// signatureType ("electronic"), tokenType ("bearer"), oauth_signature_method
// ("HMAC-SHA1"), authenticationScheme, keyFormat ("PEM"). Such values are
// ordinary words, and a redacted word is also scrubbed wherever else it
// occurs (Taktikal's signatureType "secondary" took its attachmentType
// along), so a replay could not send either back as recorded (issue 12).
var kindSuffixes = []string{"type", "kind", "mode", "method", "scheme", "format", "algorithm", "location"}

// harmlessWords are words that contain a secret word by accident.
var harmlessWords = []string{
	"keyboard", "keyword", "keynote", "keystroke", "keypad", "hotkey", "monkey", "donkey",
	"turkey", "hockey", "jockey", "whiskey", "authorit", "authored", "authors", "author",
}

// normName folds a header, query or field name for comparison: ASCII
// letters lower-cased, digits and non-ASCII bytes kept, everything else
// (separators, brackets, dots) dropped.
func normName(s string) string {
	var buf [64]byte
	return string(foldName(buf[:0], s))
}

// SecretName reports whether a header, query key, form field or JSON key
// of this name holds a secret by the structural rule alone.
func SecretName(name string) bool { return secretNorm(normName(name)) }

func secretNorm(n string) bool {
	if n == "" || harmlessNames[n] {
		return false
	}
	for _, k := range kindSuffixes {
		if strings.HasSuffix(n, k) {
			return false
		}
	}
	if secretNames[n] {
		return true
	}
	// "authorization" and "authentication" contain "author"/"authent":
	// they are secrets whatever the harmless words say.
	if strings.Contains(n, "authoriz") || strings.Contains(n, "authent") || strings.Contains(n, "oauth") {
		return true
	}
	m := n
	for _, w := range harmlessWords {
		if strings.Contains(m, w) {
			m = strings.ReplaceAll(m, w, "|")
		}
	}
	for _, w := range secretWords {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
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
	m, ok := r.macs.Get().(hash.Hash)
	if !ok { // a Redactor not made by NewRedactor
		m = hmac.New(sha256.New, r.key)
	}
	m.Reset()
	io.WriteString(m, value)
	var sum [sha256.Size]byte
	h := hex.EncodeToString(m.Sum(sum[:0])[:8])
	if ok {
		r.macs.Put(m)
	}
	return h
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
	// found and capped count the values of the last literals call and
	// those left out of the scrub pass (maxScrubValues).
	found, capped int
}

func (d *redaction) replace(where, name, value string) string {
	if value == "" || IsPlaceholder(value) {
		return value
	}
	h := d.r.Hash(value)
	d.marks = append(d.marks, Redaction{Where: where, Name: name, Hash: h})
	if len(value) >= minScrubLen {
		if d.values == nil {
			d.values = map[string]bool{}
		}
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
	// values starts empty (replace makes it): the configured secrets are
	// scrubbed by the redactor's own replacer, and foundValues leaves
	// them out anyway.
	d := &redaction{r: r}
	x.Request.URL = d.url("request.url", x.Request.URL)
	d.header("request.header", x.Request.Header)
	d.header("response.header", x.Response.Header)
	d.body("request.body", &x.Request.Message)
	d.body("response.body", &x.Response.Message)

	// Second pass: every original value found above, every configured
	// secret and every pattern match is scrubbed wherever else it appears
	// (echoed in a body, quoted in an error message, in a Location header).
	// One multi-string replacer does it in a single scan per text: a
	// search per literal was quadratic (16,000 tokens in a 576 KB body
	// took 2 minutes).
	rep := d.replacer()
	scrub := func(where, name, s string) string {
		for i, re := range r.patterns {
			// ReplaceAllStringFunc copies s even when nothing matches:
			// look first (no allocation), replace only on a match.
			if p := r.prefixes[i]; p != "" && !strings.Contains(s, p) || !re.MatchString(s) {
				continue
			}
			s = re.ReplaceAllStringFunc(s, func(m string) string { return d.replace(where, name, m) })
		}
		if rep != nil {
			if out := rep.Replace(s); out != s {
				d.markNew(where, name, s, out)
				s = out
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
		if len(side.m.Body) == 0 {
			continue
		}
		if !rep.mayMatch(side.m.Body) && !r.patternMayMatch(side.m.Body) {
			continue // scrub would find nothing: do not copy the body to look
		}
		before := len(d.marks)
		b := scrub(side.where, "", string(side.m.Body))
		if len(d.marks) != before {
			side.m.Body = []byte(b)
			rehash(side.m)
		}
	}
	// Free text quotes URLs (net/http errors do): redact their userinfo,
	// query and fragment too.
	x.Error = d.urls("error", x.Error)
	for i := range x.Notes {
		x.Notes[i].Message = d.urls("note", x.Notes[i].Message)
	}
	rep = d.replacer()
	x.Error = scrub("error", "", x.Error)
	for i := range x.Notes {
		x.Notes[i].Message = scrub("note", x.Notes[i].ID, x.Notes[i].Message)
	}
	if d.capped > 0 {
		x.Notes = append(x.Notes, Note{ID: "redaction-limit", Level: "warning", Message: fmt.Sprintf(
			"%d secret values were redacted in their own fields; the %d shortest are not also searched for elsewhere in the exchange (at most %d are)", d.found, d.capped, maxScrubValues)})
	}
	x.Redactions = append(x.Redactions, d.marks...)
}

// patternMayMatch reports whether one of the patterns matches b, as the
// scrub pass looks: its literal prefix first, then the expression.
func (r *Redactor) patternMayMatch(b []byte) bool {
	for i, re := range r.patterns {
		if p := r.prefixes[i]; p != "" && !bytes.Contains(b, []byte(p)) {
			continue
		}
		if re.Match(b) {
			return true
		}
	}
	return false
}

// Bounds of the scrub pass: at most maxScrubValues values found in one
// exchange (longest first; configured secrets always) are searched for
// elsewhere, each at most maxScrubLen bytes long.
const (
	maxScrubValues = 2048
	maxScrubLen    = 4 << 10
)

// literals are the values to scrub, longest first so that a secret that
// contains another is replaced whole; the spellings a secret takes in
// transit are included (URL-escaped, JSON-escaped, base64 at every
// alignment: an echoed "Basic base64(user:pass)" holds the password).
func (d *redaction) literals(found []string) []string {
	d.found, d.capped = len(found), 0
	if len(found) > maxScrubValues {
		d.capped = len(found) - maxScrubValues
		found = found[:maxScrubValues]
	}
	set := map[string]bool{}
	for _, v := range found {
		for _, s := range SecretSpellings(v) {
			if len(s) >= minScrubLen && !strings.HasPrefix(s, PlaceholderPrefix) {
				set[s] = true
			}
		}
	}
	for s := range d.r.secretSpell {
		set[s] = true
	}
	return sortedLiterals(set)
}

// foundValues are the values redacted in their own fields that are not
// configured secrets (those are always scrubbed), longest first.
func (d *redaction) foundValues() []string {
	var found []string
	for v := range d.values {
		if !slices.Contains(d.r.secrets, v) && len(v) <= maxScrubLen {
			found = append(found, v)
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if len(found[i]) != len(found[j]) {
			return len(found[i]) > len(found[j])
		}
		return found[i] < found[j]
	})
	return found
}

// replacer replaces every literal by its placeholder in one scan, the
// longest literal winning where several start at one place (they are in
// argument order, longest first); nil when there is nothing to scrub.
func (d *redaction) replacer() *scrubber {
	found := d.foundValues()
	if len(found) == 0 {
		// Only the configured secrets: the replacer built with the
		// redactor (what literals would give, without rebuilding it).
		d.found, d.capped = 0, 0
		return d.r.secretRep
	}
	// The same values come back exchange after exchange (a client's own
	// token, a session cookie): their replacer is kept (a bounded cache
	// in memory, beside the secrets the redactor already holds).
	key := ""
	if len(found) <= maxScrubValues {
		key = strings.Join(found, "\x00")
		d.r.repMu.Lock()
		rep := d.r.reps[key]
		d.r.repMu.Unlock()
		if rep != nil {
			d.found, d.capped = len(found), 0
			return rep
		}
	}
	lits := d.literals(found)
	if len(lits) == 0 {
		return nil
	}
	pairs := make([]string, 0, 2*len(lits))
	for _, l := range lits {
		ph, ok := d.r.secretSpell[l]
		if !ok {
			ph = d.r.Placeholder(l)
		}
		pairs = append(pairs, l, ph)
	}
	rep := newScrubber(pairs)
	if key != "" && len(key) <= maxCachedKey && d.r.reps != nil {
		d.r.repMu.Lock()
		if len(d.r.reps) >= maxCachedReplacers {
			clear(d.r.reps)
		}
		d.r.reps[key] = rep
		d.r.repMu.Unlock()
	}
	return rep
}

// scrubber is a replacer of literals with a cheap first look: text that
// holds none of them (nearly all text) is returned as it is, where
// strings.Replacer would copy it twice.
type scrubber struct {
	rep  *strings.Replacer
	lits []string
}

// maxPrecheck is how many literals are looked for one by one before the
// replacer runs; with more, the replacer's single scan is cheaper.
const maxPrecheck = 64

func newScrubber(pairs []string) *scrubber {
	sc := &scrubber{rep: strings.NewReplacer(pairs...)}
	if len(pairs)/2 <= maxPrecheck {
		for i := 0; i < len(pairs); i += 2 {
			sc.lits = append(sc.lits, pairs[i])
		}
	}
	return sc
}

// mayMatch reports whether Replace could change b: false only when every
// literal is known (the precheck list) and none is in b, so a body with
// no configured secret in it is not turned into a string to look (issue
// 17: the connection's API key is scrubbed from every exchange).
func (sc *scrubber) mayMatch(b []byte) bool {
	if sc == nil {
		return false
	}
	if sc.lits == nil {
		return true
	}
	for _, l := range sc.lits {
		if bytes.Contains(b, []byte(l)) {
			return true
		}
	}
	return false
}

// Replace is strings.Replacer.Replace.
func (sc *scrubber) Replace(t string) string {
	if sc.lits != nil {
		hit := false
		for _, l := range sc.lits {
			if strings.Contains(t, l) {
				hit = true
				break
			}
		}
		if !hit {
			return t
		}
	}
	return sc.rep.Replace(t)
}

// Bounds of the replacer cache: entries, and the length of the values
// one entry stands for.
const (
	maxCachedReplacers = 256
	maxCachedKey       = 16 << 10
)

var placeholderIn = regexp.MustCompile(`REDACTED-[0-9a-f]{16}`)

// markNew records a Redaction for each placeholder the scrub put in.
func (d *redaction) markNew(where, name, before, after string) {
	had := map[string]int{}
	for _, p := range placeholderIn.FindAllString(before, -1) {
		had[p]++
	}
	for _, p := range placeholderIn.FindAllString(after, -1) {
		if had[p] > 0 {
			had[p]--
			continue
		}
		d.marks = append(d.marks, Redaction{Where: where, Name: name, Hash: strings.TrimPrefix(p, PlaceholderPrefix)})
	}
}

// minB64Chunk is the shortest base64 run of a secret that is scrubbed: a
// shorter one would hit ordinary base64 data.
const minB64Chunk = 8

// Base64Spellings are the runs of base64 text (standard and URL alphabet)
// that any base64 encoding of a text containing s must contain, for each of
// the three byte alignments s can start at, plus the whole padded
// encoding of s alone. Runs shorter than 8 characters are left out.
func Base64Spellings(s string) []string {
	if len(s) < minScrubLen {
		return nil
	}
	var out []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		if e := enc.EncodeToString([]byte(s)); len(e) >= minB64Chunk {
			out = append(out, e)
		}
		for k := 0; k < 3; k++ {
			b := append(make([]byte, k), s...)
			e := enc.EncodeToString(b)
			from, to := 0, len(e)
			if k > 0 {
				from = 4 // the first quantum holds the bytes before s
			}
			if len(b)%3 != 0 {
				to -= 4 // the last quantum holds the bytes after s
			}
			if to-from >= minB64Chunk {
				out = append(out, e[from:to])
			}
		}
	}
	return out
}

// SecretSpellings are the ways s can appear in stored text: as is,
// URL-escaped (query and path), JSON-escaped (with and without HTML
// escaping) and in base64 (Base64Spellings).
func SecretSpellings(s string) []string {
	out := []string{s}
	add := func(v string) {
		if v != s {
			out = append(out, v)
		}
	}
	add(url.QueryEscape(s))
	add(url.PathEscape(s))
	if b, err := json.Marshal(s); err == nil {
		add(string(b[1 : len(b)-1]))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		b := bytes.TrimSpace(buf.Bytes())
		add(string(b[1 : len(b)-1]))
	}
	return append(out, Base64Spellings(s)...)
}

func rehash(m *Message) {
	if m.Truncated {
		return
	}
	sum := sha256.Sum256(m.Body)
	m.SHA256 = hex.EncodeToString(sum[:])
	m.Size = int64(len(m.Body))
}

// url redacts userinfo, query values and fragment parameters of a URL
// string (absolute or relative), keeping its spelling otherwise (no
// re-encoding of other parts).
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
	frag, hasFrag := "", false
	if h := strings.IndexByte(raw, '#'); h >= 0 {
		frag, raw, hasFrag = raw[h+1:], raw[:h], true
	}
	if q := strings.IndexByte(raw, '?'); q >= 0 {
		if p := d.pairs(where, raw[q+1:], d.r.query, false); p != raw[q+1:] {
			raw = raw[:q+1] + p
		}
	}
	if hasFrag {
		// OAuth's implicit flow returns #access_token=…&token_type=…
		if strings.Contains(frag, "=") {
			frag = d.pairs(where, frag, d.r.query, false)
		}
		raw += "#" + frag
	}
	return raw
}

// urls redacts every absolute URL in free text (header values, error
// messages, text bodies).
func (d *redaction) urls(where, s string) string {
	if !strings.Contains(s, "://") || !strings.ContainsAny(s, "?#@") {
		return s // no query, fragment or userinfo: nothing a URL rule redacts
	}
	return urlInText.ReplaceAllStringFunc(s, func(u string) string { return d.url(where, u) })
}

// refresh redacts the URL of a Refresh header ("5; url=/next?token=…").
func (d *redaction) refresh(where, v string) string {
	i := indexASCIIFold(v, "url=")
	if i < 0 {
		return d.urls(where, v)
	}
	rest := v[i+4:]
	q := ""
	if rest != "" && (rest[0] == '\'' || rest[0] == '"') {
		q, rest = rest[:1], rest[1:]
	}
	end := len(rest)
	if q != "" {
		if j := strings.Index(rest, q); j >= 0 {
			end = j
		}
	}
	return v[:i+4] + q + d.url(where, rest[:end]) + rest[end:]
}

// indexASCIIFold is strings.Index ignoring ASCII case. It indexes v
// itself: strings.ToLower can change a string's byte length (invalid
// UTF-8 becomes U+FFFD, 'İ' shrinks), so an index into the lowered copy
// may not fit the original (found by FuzzRedactHeaders).
func indexASCIIFold(v, sub string) int {
	lower := []byte(v)
	for i, c := range lower {
		if 'A' <= c && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	return bytes.Index(lower, []byte(strings.ToLower(sub)))
}

// pairs redacts k=v&k=v text (a query string, a fragment or a form body)
// for keys the rule calls secret: names, or for forms the field rules.
// A value that is itself a URL (redirect_uri=…) is redacted as one.
//
// s is copied only when a pair changes (issue 17: a query with nothing
// secret in it, the common case, was split, joined and concatenated).
func (d *redaction) pairs(where, s string, names map[string]bool, form bool) string {
	var b strings.Builder
	changed := false
	at := 0 // where the current pair starts in s
	for {
		end := strings.IndexByte(s[at:], '&')
		last := end < 0
		if last {
			end = len(s)
		} else {
			end += at
		}
		p := s[at:end]
		if out, ok := d.pair(where, p, names, form); ok {
			if !changed {
				changed = true
				b.Grow(len(s) + 32)
				b.WriteString(s[:at])
			}
			b.WriteString(out)
		} else if changed {
			b.WriteString(p)
		}
		if last {
			break
		}
		if changed {
			b.WriteByte('&')
		}
		at = end + 1
	}
	if !changed {
		return s
	}
	return b.String()
}

// pair is one k=v of pairs, redacted; ok is false when it stays as is.
func (d *redaction) pair(where, p string, names map[string]bool, form bool) (string, bool) {
	k, v, ok := strings.Cut(p, "=")
	if !ok || v == "" {
		return p, false
	}
	key := k
	if u, err := url.QueryUnescape(k); err == nil {
		key = u
	}
	val := v
	if u, err := url.QueryUnescape(v); err == nil {
		val = u
	}
	var buf [64]byte
	n := foldName(buf[:0], key)
	if !d.r.matchName(names, n) && !(form && d.r.matchName(d.r.fields, n)) {
		if strings.Contains(val, "://") || strings.HasPrefix(val, "/") && strings.ContainsAny(val, "?#") {
			if u := d.url(where, val); u != val {
				return k + "=" + url.QueryEscape(u), true
			}
		}
		return p, false
	}
	return k + "=" + d.replace(where, key, val), true
}

// foldName appends the normalised name of s to dst (lower case, only
// letters and digits; a stack buffer: no allocation for names that fit).
func foldName[T string | []byte](dst []byte, s T) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c >= 0x80:
			dst = append(dst, c)
		}
	}
	return dst
}

// matchName is match(set, string(n)) without turning n into a string
// when no substring rule needs one.
func (r *Redactor) matchName(set map[string]bool, n []byte) bool {
	if len(r.subs) > 0 {
		return r.match(set, string(n))
	}
	switch {
	case r.keep[string(n)]:
		return false
	case set[string(n)]:
		return true
	}
	return r.secretName(n)
}

// match is the rule: a name is secret when it is in the explicit set, or
// contains a configured substring, or the structural rule calls it a
// secret — unless Rules.Keep lists it.
func (r *Redactor) match(set map[string]bool, n string) bool {
	if r.keep[n] {
		return false
	}
	if set[n] {
		return true
	}
	for _, s := range r.subs {
		if strings.Contains(n, s) {
			return true
		}
	}
	return r.secretName([]byte(n))
}

// secretName is secretNorm(n), memoised (n is a normalised name).
func (r *Redactor) secretName(n []byte) bool {
	if v, ok := r.verdicts.load()[string(n)]; ok {
		return v
	}
	name := string(n)
	v := secretNorm(name)
	r.verdicts.store(name, v)
	return v
}

func (r *Redactor) fieldMatch(n string) bool { return r.match(r.fields, n) }

// Where a named value sits, for Redacts.
const (
	InHeader = "header" // a request or response header
	InQuery  = "query"  // a URL query key (request URL, Location-like headers)
	InField  = "field"  // a JSON object key at any depth, or a form field
)

// Redacts reports whether Redact replaces the value of the header, query
// key or body field (in: InHeader, InQuery, InField) called name: the
// name rule Redact applies (explicit names, substrings, the structural
// rule, Keep), not the patterns or the scrub of values found elsewhere.
// A JSON value under such a key is redacted whole. Path parameters are
// never redacted by name (in "path": false).
//
// It is the one place that says which request values a recording hides:
// whatever must not depend on them asks it, not a copy of the rule — the
// mock seeds its answers and keys its dynamic schemas without them, so a
// replay that substitutes them gets the answer that was recorded.
func (r *Redactor) Redacts(in, name string) bool {
	if r == nil {
		return false
	}
	n := normName(name)
	switch in {
	case InHeader:
		if r.keep[n] {
			return false
		}
		return n == "cookie" || n == "setcookie" || n == "setcookie2" || r.match(r.headers, n)
	case InQuery:
		return r.match(r.query, n)
	case InField:
		return r.fieldMatch(n)
	}
	return false
}

// NamesRedactedField is a cheap look at a body before decoding it: false
// means no "name": pair in it is a field Redacts (InField) names, so a
// JSON document holds no value redaction would replace by name.
func (r *Redactor) NamesRedactedField(body []byte) bool {
	return r != nil && r.keyScan(body)
}

// urlHeaders carry one URL whose query or fragment may hold a token.
var urlHeaders = map[string]bool{"location": true, "contentlocation": true, "referer": true, "referrer": true}

// headerClass is what header() does with the values of one header name.
type headerClass uint8

const (
	headerOther     headerClass = iota // URLs in free text
	headerKeep                         // Rules.Keep: left alone
	headerCookie                       // Cookie
	headerSetCookie                    // Set-Cookie, Set-Cookie2
	headerSecret                       // a credential header (auth)
	headerURL                          // one URL (Location, Referer)
	headerRefresh                      // Refresh: "5; url=…"
)

// maxMemoNames bounds a nameMemo: hostile names cannot grow it, and a
// full one copies no more (names past the bound are judged each time).
const maxMemoNames = 1024

// nameMemo is a bounded memo of per-name verdicts that concurrent
// requests read without a lock (a read lock's shared counter was 7 % of
// Redact): readers load an immutable map, a new name is added to a copy.
type nameMemo[V any] struct {
	mu sync.Mutex // serialises writers
	m  atomic.Pointer[map[string]V]
}

// load is the current map (nil before the first store); index it with
// m[string(b)], which does not allocate.
func (c *nameMemo[V]) load() map[string]V {
	if p := c.m.Load(); p != nil {
		return *p
	}
	return nil
}

func (c *nameMemo[V]) store(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.load()
	if _, ok := old[k]; ok || len(old) >= maxMemoNames {
		return
	}
	m := make(map[string]V, len(old)+1)
	for n, ov := range old {
		m[n] = ov
	}
	m[k] = v
	c.m.Store(&m)
}

// headerClassOf is the class of header name k, memoised per raw name.
func (r *Redactor) headerClassOf(k string) headerClass {
	if c, ok := r.classes.load()[k]; ok {
		return c
	}
	var c headerClass
	n := normName(k)
	switch {
	case r.keep[n]:
		c = headerKeep
	case n == "cookie":
		c = headerCookie
	case n == "setcookie" || n == "setcookie2":
		c = headerSetCookie
	case r.match(r.headers, n):
		c = headerSecret
	case urlHeaders[n]:
		c = headerURL
	case n == "refresh":
		c = headerRefresh
	default:
		c = headerOther
	}
	r.classes.store(k, c)
	return c
}

func (d *redaction) header(where string, h http.Header) {
	for k, vs := range h {
		c := d.r.headerClassOf(k)
		for i, v := range vs {
			switch c {
			case headerKeep:
			case headerCookie:
				vs[i] = d.cookie(where, k, v, false)
			case headerSetCookie:
				vs[i] = d.cookie(where, k, v, true)
			case headerSecret:
				vs[i] = d.auth(where, k, v)
			case headerURL:
				vs[i] = d.url(where, v)
			case headerRefresh:
				vs[i] = d.refresh(where, v)
			default:
				vs[i] = d.urls(where, v) // Link: <…?sig=…>; rel=next
			}
		}
	}
}

// authSchemes are the schemes a redacted credential header keeps readable.
var authSchemes = map[string]bool{
	"basic": true, "bearer": true, "digest": true, "negotiate": true, "ntlm": true, "token": true,
	"sharedkey": true, "sharedkeylite": true, "sharedaccesssignature": true, "hmac": true, "mac": true,
	"aws4-hmac-sha256": true, "hoba": true, "mutual": true, "vapid": true, "dpop": true, "ssws": true,
	"sso-key": true, "apikey": true, "key": true, "oauth": true, "splunk": true, "klaviyo-api-key": true,
}

// auth keeps a known scheme of an Authorization-like value ("Bearer
// REDACTED-…") and replaces everything else.
func (d *redaction) auth(where, name, v string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !authSchemes[strings.ToLower(scheme)] || strings.TrimSpace(cred) == "" {
		return d.replace(where, name, v)
	}
	// Parameter lists (Digest, challenges) get one placeholder for the
	// whole list: the scheme stays readable.
	return scheme + " " + d.replace(where, name, strings.TrimSpace(cred))
}

// cookieAttrs are the Set-Cookie attribute names (kept in clear).
var cookieAttrs = map[string]bool{
	"path": true, "domain": true, "expires": true, "max-age": true, "secure": true, "httponly": true,
	"samesite": true, "partitioned": true, "priority": true, "version": true, "comment": true, "commenturl": true,
	"discard": true, "port": true,
}

// cookie keeps cookie names (and Set-Cookie attributes) and redacts every
// value: each pair of a Cookie header; in a Set-Cookie, the first pair,
// a nameless value, any further name=value that is not an attribute, and
// the cookies of a comma-folded header.
func (d *redaction) cookie(where, header, v string, set bool) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		if !set || i == 0 {
			parts[i] = d.cookiePair(where, header, p)
			continue
		}
		name, val, ok := strings.Cut(p, "=")
		attr := strings.ToLower(strings.TrimSpace(name))
		switch {
		case !ok:
			// A flag (Secure, HttpOnly) or an unknown one: no value.
		case cookieAttrs[attr]:
			skip := 0
			if attr == "expires" {
				skip = 1 // "Wed, 21 Oct 2026 07:28:00 GMT"
			}
			if c := nthComma(val, skip); c >= 0 {
				// "…, next=value": a second cookie folded into this header.
				parts[i] = name + "=" + val[:c+1] + d.cookiePair(where, header, val[c+1:])
			}
		default:
			parts[i] = d.cookiePair(where, header, p)
		}
	}
	return strings.Join(parts, ";")
}

func (d *redaction) cookiePair(where, header, p string) string {
	name, val, ok := strings.Cut(p, "=")
	if !ok {
		t := strings.TrimSpace(p)
		if t == "" {
			return p
		}
		lead := p[:strings.Index(p, t)]
		return lead + d.replace(where, header, t) + p[len(lead)+len(t):]
	}
	return name + "=" + d.replace(where, header+":"+strings.TrimSpace(name), strings.Trim(strings.TrimSpace(val), `"`))
}

func nthComma(s string, skip int) int {
	at := 0
	for {
		c := strings.IndexByte(s[at:], ',')
		if c < 0 {
			return -1
		}
		if skip == 0 {
			return at + c
		}
		skip--
		at += c + 1
	}
}

// formBody matches a body that is k=v&k=v whatever its Content-Type says.
var formBody = regexp.MustCompile(`^[A-Za-z0-9_.~%\[\]-]+=[^\s&]*(&[A-Za-z0-9_.~%\[\]-]+=?[^\s&]*)*\s*$`)

// lenientPair finds "name": value in text the JSON pass could not parse
// (truncated, invalid, JSON inside text); lenientEscaped the same inside a
// JSON string (\"name\": \"value\").
var (
	lenientPair    = regexp.MustCompile(`"((?:[^"\\]|\\.){1,200})"\s*:\s*("(?:[^"\\]|\\.)*"?|[^\s,}\]"]+)`)
	lenientEscaped = regexp.MustCompile(`\\+"([^"\\]{1,200})\\+"\s*:\s*(\\+"(?:[^"\\]|\\[^"])*(?:\\+")?|[^\s,}\]"\\]+)`)
)

const maxNesting = 4 // JSON inside JSON strings, decoded this deep

func (d *redaction) body(where string, m *Message) {
	if len(m.Body) == 0 {
		return
	}
	before := len(d.marks)
	ct := bodyMediaType(m.Header.Get("Content-Type"))
	trimmed := bytes.TrimLeft(m.Body, " \t\r\n")
	lenient := false
	switch {
	case ct == "application/x-www-form-urlencoded" ||
		(ct == "" || strings.HasPrefix(ct, "text/")) && len(m.Body) <= 1<<20 && formBody.Match(m.Body):
		m.Body = []byte(d.pairs(where, string(m.Body), d.r.fields, true))
	case !d.r.needsParse(m.Body):
		// No "key": in the body names a field to redact, and no URL or
		// nested JSON can hide one: nothing to do (the common, cheap case).
	case strings.HasSuffix(ct, "json") || len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"'):
		out, ok := d.json(where, m.Body, 0)
		m.Body, lenient = out, !ok
	default:
		lenient = true
	}
	if lenient {
		m.Body = d.lenient(where, m.Body)
		if u := d.urls(where, string(m.Body)); u != string(m.Body) {
			m.Body = []byte(u)
		}
	}
	if len(d.marks) != before {
		rehash(m)
	}
}

// bodyMediaType is the lower-cased type/subtype of a Content-Type value, as
// mime.ParseMediaType gives it ("" when that fails). The common plain
// value ("application/json", "text/html; charset=utf-8") is read without
// it: ParseMediaType builds a map of the parameters (issue 17).
func bodyMediaType(v string) string {
	if t, ok := plainMediaType(v); ok {
		return t
	}
	ct, _, _ := mime.ParseMediaType(v)
	return ct
}

// plainMediaType reads "type/subtype" with an optional single
// "; charset=token" parameter, all in token characters; ok is false for
// anything else (left to mime.ParseMediaType).
func plainMediaType(v string) (string, bool) {
	t, params, _ := strings.Cut(v, ";")
	t = strings.TrimRight(t, " \t")
	slash := strings.IndexByte(t, '/')
	if slash <= 0 || slash == len(t)-1 || !plainToken(t[:slash]) || !plainToken(t[slash+1:]) {
		return "", false
	}
	if params != "" {
		name, val, ok := strings.Cut(strings.TrimLeft(params, " \t"), "=")
		if !ok || !strings.EqualFold(name, "charset") || !plainToken(strings.TrimRight(val, " \t")) {
			return "", false
		}
	}
	for i := 0; i < len(t); i++ {
		if 'A' <= t[i] && t[i] <= 'Z' {
			return strings.ToLower(t), true
		}
	}
	return t, true
}

// plainToken reports whether s is a non-empty run of the characters
// every media type token in practice uses (a subset of RFC 2045 tokens).
func plainToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '+' || c == '_') {
			return false
		}
	}
	return true
}

func (d *redaction) lenient(where string, body []byte) []byte {
	for _, re := range []*regexp.Regexp{lenientPair, lenientEscaped} {
		body = re.ReplaceAllFunc(body, func(match []byte) []byte {
			sub := re.FindSubmatchIndex(match)
			name := string(match[sub[2]:sub[3]])
			if !d.r.fieldMatch(normName(name)) {
				return match
			}
			val := string(match[sub[4]:sub[5]])
			q := ""
			if i := strings.IndexByte(val, '"'); i >= 0 && strings.Trim(val[:i], `\`) == "" {
				q = val[:i+1] // `"` or `\"`
			}
			inner := strings.TrimPrefix(val, q)
			if q != "" {
				inner = strings.TrimSuffix(inner, q)
			}
			if q == `"` {
				if s, err := strconv.Unquote(`"` + inner + `"`); err == nil {
					inner = s
				}
			}
			if IsPlaceholder(inner) || inner == "null" || inner == "true" || inner == "false" || inner == "" {
				return match
			}
			if q == "" {
				q = `"`
			}
			out := append([]byte(nil), match[:sub[4]]...)
			return append(out, q+d.replace(where, "/"+name, inner)+q...)
		})
	}
	return body
}

// needsParse reports whether the JSON pass has anything to look at: a
// "name": pair whose name is a secret, an escaped quote (JSON inside a
// JSON string) or a URL with a query, fragment or userinfo.
func (r *Redactor) needsParse(body []byte) bool {
	return r.keyScan(body) || bytes.Contains(body, []byte(`\"`)) ||
		hasSchemeSep(body) && bytes.ContainsAny(body, "?#@")
}

// hasSchemeSep is bytes.Contains(b, "://"), looking for the "//" first:
// JSON is full of ':' (every key, every time of day) and seldom has a '/'.
func hasSchemeSep(b []byte) bool {
	for i := 0; i < len(b); {
		j := bytes.Index(b[i:], []byte("//"))
		if j < 0 {
			return false
		}
		j += i
		if j > 0 && b[j-1] == ':' {
			return true
		}
		i = j + 1
	}
	return false
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
	return r.fieldVerdict(foldName(buf, raw))
}

// fieldVerdict is fieldMatch(string(n)), memoised: one lookup (which does
// not turn n into a string) where fieldMatch makes several.
func (r *Redactor) fieldVerdict(n []byte) bool {
	if v, ok := r.fieldVerdicts.load()[string(n)]; ok {
		return v
	}
	name := string(n)
	v := r.fieldMatch(name)
	r.fieldVerdicts.store(name, v)
	return v
}

// json redacts a JSON document (or several, one after another) in place:
// every scalar under a secret key, at any depth, and everything inside an
// object or array held by a secret key; a string holding JSON, a URL or a
// form is redacted as one. Placeholders are spliced into the original
// bytes so everything else keeps its formatting and key order. ok is false
// when the document did not parse up to its end (the lenient pass still
// covers it).
func (d *redaction) json(where string, body []byte, depth int) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		object bool
		secret bool
		index  int
		key    string
	}
	var stack []frame
	type splice struct {
		start, end int64
		with       string
	}
	var splices []splice
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			b.WriteByte('/')
			if f.object {
				b.WriteString(connector.EscapePointerToken(f.key))
			} else {
				b.WriteString(strconv.Itoa(f.index))
			}
		}
		return b.String()
	}
	peek := func() byte {
		for i := int(dec.InputOffset()); i < len(body); i++ {
			switch c := body[i]; c {
			case ' ', '\t', '\r', '\n', ',', ':':
			default:
				return c
			}
		}
		return 0
	}
	done := func() {
		if n := len(stack); n > 0 && !stack[n-1].object {
			stack[n-1].index++
		}
	}
	// value reads the next value; secret says everything in it is.
	value := func(secret bool) bool {
		if c := peek(); c == '{' || c == '[' {
			if _, err := dec.Token(); err != nil {
				return false
			}
			stack = append(stack, frame{object: c == '{', secret: secret})
			return true
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return false
		}
		end := dec.InputOffset()
		start := end - int64(len(raw))
		ptr := path()
		var str string
		isStr := len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &str) == nil
		switch {
		case secret:
			val := string(raw)
			if isStr {
				val = str
			}
			if val != "null" && val != "true" && val != "false" && val != "" && !IsPlaceholder(val) {
				splices = append(splices, splice{start, end, `"` + d.replace(where, ptr, val) + `"`})
			}
		case isStr && len(str) >= minScrubLen:
			if out := d.inString(where, str, depth); out != str {
				splices = append(splices, splice{start, end, jsonString(out)})
			}
		}
		done()
		return true
	}
	for {
		n := len(stack)
		if n == 0 {
			if peek() == 0 {
				break
			}
			if !value(false) {
				return body, false
			}
			continue
		}
		top := &stack[n-1]
		if top.object {
			tok, err := dec.Token()
			if err != nil {
				return body, false
			}
			if delim, ok := tok.(json.Delim); ok && delim == '}' {
				stack = stack[:n-1]
				done()
				continue
			}
			key, _ := tok.(string)
			top.key = key
			if !value(top.secret || d.r.fieldMatch(normName(key))) {
				return body, false
			}
			continue
		}
		if peek() == ']' {
			if _, err := dec.Token(); err != nil {
				return body, false
			}
			stack = stack[:n-1]
			done()
			continue
		}
		if !value(top.secret) {
			return body, false
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

// inString redacts what a JSON string value can hide: a JSON document, a
// URL with a query or fragment, a form.
func (d *redaction) inString(where, s string, depth int) string {
	t := strings.TrimSpace(s)
	switch {
	case depth < maxNesting && t != "" && (t[0] == '{' || t[0] == '[' || t[0] == '"'):
		b := []byte(s)
		if !d.r.needsParse(b) {
			return s
		}
		out, ok := d.json(where, b, depth+1)
		if !ok {
			out = d.lenient(where, b)
		}
		return string(out)
	case strings.Contains(s, "://"):
		return d.urls(where, s)
	case strings.HasPrefix(s, "/") && strings.ContainsAny(s, "?#"):
		return d.url(where, s)
	case len(s) <= 1<<16 && strings.Contains(s, "=") && formBody.MatchString(s):
		return d.pairs(where, s, d.r.fields, true)
	}
	return s
}

// jsonString is s as a JSON string literal, without HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
