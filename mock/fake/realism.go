package fake

import (
	"fmt"
	"maps"
	"math"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// RealismOptions tune CheckRealism.
type RealismOptions struct {
	// Status is the HTTP status the body was served with; 0 means unknown,
	// which skips the checks that depend on it (status fields equal to the
	// served code, empty error arrays and true success flags in a success).
	Status int
	// Now is the reference for "in the past" and "in the future"; the zero
	// value means time.Now().
	Now time.Time
	// MaxFailures bounds the failures kept (the counts are always complete);
	// 0 means 20.
	MaxFailures int
}

// RealismFailure is one value that failed a semantic check.
type RealismFailure struct {
	Pointer string `json:"pointer"` // JSON pointer of the value ("" for the whole body)
	Check   string `json:"check"`   // stable check id: email-domain, country-code, ...
	Value   string `json:"value"`   // the value, shortened
}

func (f RealismFailure) String() string {
	return fmt.Sprintf("%s %s: %q", f.Check, f.Pointer, f.Value)
}

// Realism counts the generated values that passed the semantic checks a
// maker applies by eye: valid emails on example domains, ISO codes, dates
// ordered and in range, names that agree with emails and genders, status
// fields that are real HTTP codes consistent with the response, no
// dictionary word where a code is expected, no banned word.
type Realism struct {
	Checked int `json:"checked"`
	Passed  int `json:"passed"`
	// FailedBy counts the failures per check id.
	FailedBy map[string]int   `json:"failedBy,omitempty"`
	Failures []RealismFailure `json:"failures,omitempty"`
}

// Percent is the share of checked values that passed, 100 when none was
// checked.
func (r Realism) Percent() float64 {
	if r.Checked == 0 {
		return 100
	}
	return 100 * float64(r.Passed) / float64(r.Checked)
}

// Add adds o's counts to r and keeps up to max of its failures (0: 20).
func (r *Realism) Add(o Realism, max int) {
	if max <= 0 {
		max = 20
	}
	r.Checked += o.Checked
	r.Passed += o.Passed
	for k, n := range o.FailedBy {
		if r.FailedBy == nil {
			r.FailedBy = map[string]int{}
		}
		r.FailedBy[k] += n
	}
	for _, f := range o.Failures {
		if len(r.Failures) >= max {
			break
		}
		r.Failures = append(r.Failures, f)
	}
}

// CheckRealism applies the semantic checks to a decoded JSON value
// (map[string]any, []any, string, float64, int64, bool, nil), judging each
// value by its property name and the object it sits in.
func CheckRealism(v any, o RealismOptions) Realism {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.MaxFailures <= 0 {
		o.MaxFailures = 20
	}
	c := &checker{o: o}
	c.walk(v, "", "", 0)
	return c.r
}

type checker struct {
	o RealismOptions
	r Realism
}

func (c *checker) result(ok bool, ptr, check string, v any) {
	c.r.Checked++
	if ok {
		c.r.Passed++
		return
	}
	if c.r.FailedBy == nil {
		c.r.FailedBy = map[string]int{}
	}
	c.r.FailedBy[check]++
	if len(c.r.Failures) < c.o.MaxFailures {
		s := fmt.Sprint(v)
		if str, isStr := v.(string); isStr {
			s = str
		}
		if len(s) > 60 {
			s = s[:60] + "…"
		}
		c.r.Failures = append(c.r.Failures, RealismFailure{Pointer: ptr, Check: check, Value: s})
	}
}

func (c *checker) success() bool { return c.o.Status >= 200 && c.o.Status < 300 }
func (c *checker) failure() bool { return c.o.Status >= 400 }

func pointerEscape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func (c *checker) walk(v any, ptr, ctx string, depth int) {
	if depth > 64 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		c.object(x, ptr, ctx, depth)
	case []any:
		for i, e := range x {
			c.walk(e, ptr+"/"+strconv.Itoa(i), ctx, depth+1)
		}
	case string:
		if hasBannedWord(x) {
			c.result(false, ptr, "banned-word", x)
		}
	}
}

// normCache remembers norm's answers: property names are a small set.
var normCache boundedCache[string, string]

// norm is a name in lower case with only its letters and digits.
func norm(s string) string {
	if n, ok := normCache.load(s); ok {
		return n
	}
	return normCache.store(s, normUncached(s))
}

func normUncached(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// letters keeps the lower-case ASCII letters of s.
func lettersOf(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}

var (
	statusKeys  = map[string]bool{"status": true, "statuscode": true, "httpstatuscode": true, "httpstatus": true, "httpcode": true, "responsecode": true, "responsestatus": true}
	successKeys = map[string]bool{"success": true, "ok": true, "succeeded": true, "issuccess": true, "issuccessful": true, "successful": true, "issucceeded": true}
	errorsKeys  = map[string]bool{"errors": true, "errormessages": true, "errorlist": true, "validationerrors": true, "errorsList": true}
	prefixKeys  = map[string]bool{"prefix": true, "nameprefix": true, "salutation": true, "honorific": true, "nametitle": true}
	genderWords = map[string]bool{"male": true, "female": true, "m": true, "f": true, "nonbinary": true, "other": true, "unknown": true, "unspecified": true, "x": true, "man": true, "woman": true}
	cssColors   = map[string]bool{"black": true, "maroon": true, "green": true, "navy": true, "olive": true, "purple": true, "teal": true, "lime": true, "blue": true, "silver": true, "gray": true, "grey": true, "yellow": true, "fuchsia": true, "aqua": true, "white": true, "red": true, "orange": true}
	hexColor    = regexp.MustCompile(`^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$`)
	semver      = regexp.MustCompile(`^v?\d+(\.\d+){1,3}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	mimeRE      = regexp.MustCompile(`^(application|audio|font|image|message|model|multipart|text|video)/[0-9A-Za-z][0-9A-Za-z!#$&^_.+-]*(;.*)?$`)
	tzOffset    = regexp.MustCompile(`^(UTC|GMT)?[+-]\d{1,2}(:?\d\d)?$`)
)

// wordsOf is words() of a key, cached through classify's split.
var lastWordCache boundedCache[string, string]

func lastWord(key string) string {
	if w, ok := lastWordCache.load(key); ok {
		return w
	}
	return lastWordCache.store(key, lastWordUncached(key))
}

func lastWordUncached(key string) string {
	ws := words(key)
	if len(ws) == 0 {
		return ""
	}
	return ws[len(ws)-1]
}

func (c *checker) object(m map[string]any, ptr, ctx string, depth int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	addressy := false
	for _, k := range keys {
		switch classify(k) {
		case kindCity, kindZip, kindStreet, kindCountry, kindCountryCode:
			addressy = true
		}
	}
	cw := contextWord(ctx)
	problem := m["title"] != nil && (m["type"] != nil || m["detail"] != nil || m["instance"] != nil)
	for _, k := range keys {
		v := m[k]
		p := ptr + "/" + pointerEscape(k)
		switch x := v.(type) {
		case map[string]any:
			c.object(x, p, k, depth+1)
			continue
		case []any:
			if errorsKeys[norm(k)] && c.success() && depth == 0 {
				c.result(len(x) == 0, p, "errors-in-success", v)
			}
			ictx := singular(k)
			for i, e := range x {
				ep := p + "/" + strconv.Itoa(i)
				if em, ok := e.(map[string]any); ok {
					c.object(em, ep, ictx, depth+1)
					continue
				}
				c.scalar(ictx, e, ep, cw, addressy, false, depth+1)
			}
			continue
		}
		c.scalar(k, v, p, cw, addressy, problem, depth)
	}
	c.coherence(m, ptr, cw)
}

// scalar checks one scalar value under key in an object known as ctx.
func (c *checker) scalar(key string, v any, p, ctx string, addressy, problem bool, depth int) {
	s, isStr := v.(string)
	if isStr && hasBannedWord(s) {
		c.result(false, p, "banned-word", s)
		return
	}
	n := norm(key)
	num, isNum := toFloat(v)
	if isStr && s == "" {
		return
	}
	switch {
	case statusKeys[n] && (isNum || isStr && isDigits(s)):
		code := num
		if isStr {
			f, _ := strconv.Atoi(s)
			code = float64(f)
		}
		ok := code == math.Trunc(code) && code >= 100 && code <= 599 && http.StatusText(int(code)) != ""
		if ok && c.o.Status != 0 && (depth == 0 || problem) {
			ok = int(code) == c.o.Status
		}
		c.result(ok, p, "http-status", v)
		return
	case successKeys[n]:
		if b, ok := v.(bool); ok && depth <= 1 {
			if c.success() {
				c.result(b, p, "success-flag", v)
			} else if c.failure() {
				c.result(!b, p, "success-flag", v)
			}
		}
		return
	case prefixKeys[n] && isStr:
		c.result(slices.Contains(honorifics, s) || slices.Contains(honorifics, s+".") || s == "Miss", p, "name-prefix", s)
		return
	case strings.Contains(n, "iban") && isStr:
		c.result(validIBAN(s), p, "iban", s)
		return
	case strings.Contains(n, "isbn") && isStr:
		c.result(validISBN(s), p, "isbn", s)
		return
	}
	k := classify(key)
	if !isStr {
		if isNum {
			switch k {
			case kindLatitude:
				c.result(num >= -90 && num <= 90, p, "latitude", v)
			case kindLongitude:
				c.result(num >= -180 && num <= 180, p, "longitude", v)
			}
		}
		return
	}
	switch k {
	case kindEmail:
		a, err := mail.ParseAddress(s)
		ok := err == nil && a.Address == s && a.Name == ""
		if ok {
			_, dom, _ := strings.Cut(s, "@")
			ok = isExampleHost(dom)
		}
		c.result(ok, p, "email", s)
	case kindURL, kindImageURL:
		if !strings.ContainsAny(s, ":/.") && strings.ToLower(s) != s {
			return // an identifier (an enum of event names), not a URL
		}
		u, err := url.Parse(s)
		ok := err == nil
		if ok && u.Host != "" {
			ok = isExampleHost(u.Hostname())
		} else if ok {
			ok = strings.HasPrefix(s, "/")
		}
		c.result(ok, p, "url-example-domain", s)
	case kindDomain:
		if strings.Contains(s, ".") {
			c.result(isExampleHost(s), p, "domain-example", s)
		}
	case kindCompany:
		c.result(!isRealCompany(s), p, "company-fictitious", s)
	case kindCountry:
		c.result(isCountryCode(s) || countryNames()[s], p, "country", s)
	case kindCountryCode:
		c.result(isCountryCode(s), p, "country-code", s)
	case kindCurrency:
		// Lower-case ISO codes are real too (Stripe-style APIs send "eur").
		c.result(isCurrencyCode(s) || strings.ToLower(s) == s && isCurrencyCode(strings.ToUpper(s)), p, "currency-code", s)
	case kindLanguage, kindLocale:
		c.result(isLanguageCode(s) || len(s) == 2 && isLanguageCode(strings.ToLower(s)) || languageNames()[s], p, "language-code", s)
	case kindState:
		workflow := workflowState(key, addressy, ctx)
		switch {
		case workflow:
			c.result(!usStateNames()[s] && !usStateCodes()[s], p, "workflow-state", s)
		case len(s) == 2:
			c.result(usStateCodes()[s] || regionCodes()[s], p, "state-code", s)
		default:
			c.result(usStateNames()[s] || regionNames()[s] || isCapitalised(s), p, "state", s)
		}
	case kindStateCode:
		c.result(usStateCodes()[s] || regionCodes()[s], p, "state-code", s)
	case kindZip:
		c.result(strings.IndexFunc(s, unicode.IsDigit) >= 0, p, "postal-code", s)
	case kindPhone:
		digits := 0
		for _, r := range s {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		c.result(digits >= 7 && strings.Trim(s, "0123456789+-() .x") == "", p, "phone", s)
	case kindTimezone:
		c.result(isTimeZone(s) || tzOffset.MatchString(s), p, "time-zone", s)
	case kindMimeType:
		if !strings.Contains(s, "/") && isCapitalised(s) {
			return // an enum of content kinds ("HTML", "Text")
		}
		c.result(mimeRE.MatchString(s), p, "mime-type", s)
	case kindColor:
		c.result(hexColor.MatchString(s) || cssColors[strings.ToLower(s)] || isCapitalised(s) && !strings.Contains(s, " "), p, "colour", s)
	case kindVersion:
		c.result(semver.MatchString(s), p, "version", s)
	case kindIP:
		ip := net.ParseIP(s)
		c.result(ip != nil && ip.To4() != nil, p, "ipv4", s)
	case kindIPv6:
		c.result(net.ParseIP(s) != nil, p, "ipv6", s)
	case kindMAC:
		_, err := net.ParseMAC(s)
		c.result(err == nil, p, "mac", s)
	case kindGender:
		c.result(genderWords[norm(s)], p, "gender", s)
	case kindLatitude, kindLongitude:
		f, err := strconv.ParseFloat(s, 64)
		lim := 90.0
		if k == kindLongitude {
			lim = 180
		}
		c.result(err == nil && f >= -lim && f <= lim, p, "coordinate", s)
	case kindNumberID:
		c.result(strings.IndexFunc(s, unicode.IsDigit) >= 0 || isUUIDish(s), p, "reference-number", s)
	case kindCode:
		c.result(!strings.Contains(s, " "), p, "code-word", s)
	case kindDateTime, kindDate, kindMoment:
		c.date(key, s, p)
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isUUIDish(s string) bool {
	return len(s) >= 8 && strings.Trim(strings.ToLower(s), "0123456789abcdef-") == ""
}

func isCapitalised(s string) bool {
	r := []rune(s)
	return len(r) > 0 && unicode.IsUpper(r[0])
}

var dateLayouts = []string{time.RFC3339Nano, time.DateOnly, "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.RFC1123, time.RFC1123Z}

func parseDate(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Date key families.
func isBirthKey(n string) bool { return strings.Contains(n, "birth") || n == "dob" }
func isExpiryKey(n string) bool {
	return strings.Contains(n, "expir") || strings.Contains(n, "expires") || strings.Contains(n, "validuntil") ||
		strings.Contains(n, "validto") || strings.Contains(n, "renewal")
}

var pastPrefixes = []string{"created", "updated", "modified", "lastmodified", "deleted", "published", "registered", "joined", "lastlogin", "lastseen", "submitted", "signed", "uploaded", "received", "sent", "opened", "closed", "completed", "resolved", "approved", "archived", "lastactivity", "lastupdated", "datecreated", "datemodified", "dateupdated"}

func isPastKey(n string) bool {
	for _, p := range pastPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

func (c *checker) date(key, s, p string) {
	n := norm(key)
	t, ok := parseDate(s)
	if !ok {
		if isDigits(s) { // an epoch or a compact date: not judged
			return
		}
		if _, err := time.Parse(time.TimeOnly, s); err == nil {
			return
		}
		c.result(false, p, "date-parse", s)
		return
	}
	now := c.o.Now
	switch {
	case isBirthKey(n):
		c.result(!t.After(now.AddDate(-18, 0, 0)) && t.After(now.AddDate(-90, 0, -1)), p, "birth-date", s)
	case isExpiryKey(n):
		c.result(t.After(now), p, "expiry-future", s)
	case isPastKey(n):
		c.result(!t.After(now.Add(24*time.Hour)) && t.After(now.AddDate(-30, 0, 0)), p, "past-date", s)
	default:
		c.result(t.After(now.AddDate(-100, 0, 0)) && t.Before(now.AddDate(10, 0, 0)), p, "date-range", s)
	}
}

// datePairs are (earlier, later) key families within one object.
var datePairs = [][2][]string{
	{{"created", "createdat", "createdon", "createddate", "createddatetime", "datecreated", "creationdate", "createdtime"},
		{"updated", "updatedat", "updatedon", "modified", "modifiedat", "modifiedon", "lastmodified", "lastmodifiedat", "lastmodifieddate", "lastmodifieddatetime", "lastupdated", "datemodified", "dateupdated", "updateddate", "modifieddate"}},
	{{"start", "startdate", "startat", "starttime", "startdatetime", "startson", "startedat", "begin", "begindate", "from", "fromdate", "validfrom", "periodstart"},
		{"end", "enddate", "endat", "endtime", "enddatetime", "endson", "endedat", "finish", "finishdate", "to", "todate", "validto", "validuntil", "periodend"}},
}

func (c *checker) coherence(m map[string]any, ptr, ctx string) {
	str := func(k string) string { s, _ := m[k].(string); return s }
	byKind := map[kind]string{}
	keyOf := map[kind]string{}
	for k, v := range m {
		if _, ok := v.(string); !ok {
			continue
		}
		kk := classify(k)
		if p := recordPrefix(k); p != "" && p != ctx {
			continue // managerEmail is not this object's person
		}
		if prev, ok := keyOf[kk]; ok && prev < k {
			continue // deterministic: the first key in order
		}
		keyOf[kk], byKind[kk] = k, str(k)
	}
	first, last := byKind[kindFirstName], byKind[kindLastName]
	if full := byKind[kindFullName]; last == "" && first != "" && strings.HasPrefix(full, first+" ") {
		last = full[strings.LastIndexByte(full, ' ')+1:] // contact_firstname with contact_name
	}
	if first != "" && last != "" {
		for _, k := range []string{"name", "fullName", "displayName", "full_name", "display_name", "FullName", "DisplayName", "Name"} {
			if full := str(k); full != "" {
				lf := strings.ToLower(full)
				c.result(strings.Contains(lf, strings.ToLower(first)) && strings.Contains(lf, strings.ToLower(last)),
					ptr+"/"+k, "name-coherence", full)
			}
		}
	}
	if first != "" || last != "" {
		lf, ll := lettersOf(first), lettersOf(last)
		has := func(s string) bool {
			s = lettersOf(s)
			return lf != "" && strings.Contains(s, lf) || ll != "" && strings.Contains(s, ll)
		}
		if e := byKind[kindEmail]; e != "" {
			local, _, _ := strings.Cut(e, "@")
			c.result(has(local), ptr+"/"+keyOf[kindEmail], "email-coherence", e)
		}
		if u := byKind[kindUserName]; u != "" {
			c.result(has(u), ptr+"/"+keyOf[kindUserName], "username-coherence", u)
		}
	}
	if g := byKind[kindGender]; g != "" && first != "" {
		if want := genderOf[first]; want != "" {
			gn := norm(g)
			ok := gn == want || gn == want[:1] || want == "female" && gn == "woman" || want == "male" && gn == "man"
			c.result(ok, ptr+"/"+keyOf[kindGender], "gender-coherence", g)
		}
	}
	for _, k := range []string{"initials", "Initials"} {
		if in := str(k); in != "" && first != "" && last != "" {
			c.result(strings.EqualFold(lettersOf(in), lettersOf(first[:1]+last[:1])), ptr+"/"+k, "initials-coherence", in)
		}
	}
	// One country per record.
	if cn, cc := byKind[kindCountry], byKind[kindCountryCode]; cn != "" && cc != "" && len(cn) > 3 {
		if code, ok := countryCodeOf()[cn]; ok {
			c.result(code == cc || alpha3Of(code) == cc, ptr+"/"+keyOf[kindCountryCode], "country-coherence", cc)
		}
	}
	// Address lines: address1, address2 and address3 are different lines.
	var lines map[string][]string // values per line family (address1, address2 → "address")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v, ok := m[k].(string)
		if !ok || v == "" || addressLine(k) == 0 || classify(k) != kindStreet {
			continue
		}
		if lines == nil {
			lines = map[string][]string{}
		}
		base := strings.TrimRight(norm(k), "0123456789")
		if prev := lines[base]; len(prev) > 0 {
			c.result(!slices.Contains(prev, v), ptr+"/"+k, "address-lines-distinct", v)
		}
		lines[base] = append(lines[base], v)
	}
	// Ordered dates.
	for _, pair := range datePairs {
		a, ak := firstDate(m, pair[0])
		b, bk := firstDate(m, pair[1])
		if ak != "" && bk != "" {
			c.result(!b.Before(a), ptr+"/"+bk, "dates-ordered", m[bk])
		}
	}
}

func firstDate(m map[string]any, names []string) (time.Time, string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if slices.Contains(names, norm(k)) {
			if s, ok := m[k].(string); ok {
				if t, ok := parseDate(s); ok {
					return t, k
				}
			}
		}
	}
	return time.Time{}, ""
}

// validIBAN checks an IBAN's country, length and mod-97 check digits.
func validIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 || !isCountryCode(s[:2]) {
		return false
	}
	r := s[4:] + s[:4]
	mod := 0
	for _, ch := range r {
		var d int
		switch {
		case ch >= '0' && ch <= '9':
			d = int(ch - '0')
			mod = (mod*10 + d) % 97
			continue
		case ch >= 'A' && ch <= 'Z':
			d = int(ch-'A') + 10
		default:
			return false
		}
		mod = (mod*100 + d) % 97
	}
	return mod == 1
}

// validISBN checks an ISBN-10 or ISBN-13 check digit.
func validISBN(s string) bool {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "-", ""), " ", "")
	switch len(s) {
	case 10:
		sum := 0
		for i, ch := range s {
			d := int(ch - '0')
			if i == 9 && (ch == 'X' || ch == 'x') {
				d = 10
			} else if ch < '0' || ch > '9' {
				return false
			}
			sum += (10 - i) * d
		}
		return sum%11 == 0
	case 13:
		sum := 0
		for i, ch := range s {
			if ch < '0' || ch > '9' {
				return false
			}
			w := 1
			if i%2 == 1 {
				w = 3
			}
			sum += w * int(ch-'0')
		}
		return sum%10 == 0
	}
	return false
}

// believable reports whether a definition's example x for property hint
// passes the realism checks: an example on a live domain, a date of year 1
// or an HTTP status that is not the served one is generated instead.
func believable(hint string, x any, status int) bool {
	switch x.(type) {
	case string, float64, int64, bool:
	default:
		return true
	}
	if hint == "" {
		return true
	}
	c := checker{o: RealismOptions{Now: time.Now(), MaxFailures: 1, Status: status}}
	c.scalar(hint, x, "", "", false, false, 1)
	return c.r.Passed == c.r.Checked
}
