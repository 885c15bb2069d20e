package fake

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// fmtKind is a recognised string format.
type fmtKind uint8

const (
	fmtNone fmtKind = iota
	fmtDateTime
	fmtDate
	fmtTime
	fmtEmail
	fmtURL
	fmtUUID
	fmtByte
	fmtBinary
	fmtInt
	fmtDecimal
	fmtIPv4
	fmtIPv6
	fmtHostname
	fmtPassword
	fmtPhone
	fmtDuration
	fmtHTML
)

// formatKindOf maps a format name to its kind. Unknown and free-text formats
// (there are sentences in the corpus) are fmtNone.
func formatKindOf(format string) fmtKind {
	if format == "" {
		return fmtNone
	}
	switch strings.ToLower(format) {
	case "date-time", "datetime", "date_time":
		return fmtDateTime
	case "date":
		return fmtDate
	case "time":
		return fmtTime
	case "email", "e-mail", "idn-email":
		return fmtEmail
	case "uri", "url", "uri-reference", "iri", "iri-reference", "uri-template":
		return fmtURL
	case "uuid", "guid":
		return fmtUUID
	case "byte", "base64":
		return fmtByte
	case "binary", "file":
		return fmtBinary
	case "int32", "int64", "integer", "int", "long", "int16", "int8", "uint32", "uint64":
		return fmtInt
	case "float", "double", "decimal", "number":
		return fmtDecimal
	case "ipv4", "ip":
		return fmtIPv4
	case "ipv6":
		return fmtIPv6
	case "hostname", "idn-hostname", "host":
		return fmtHostname
	case "password":
		return fmtPassword
	case "phone", "tel", "phone-number":
		return fmtPhone
	case "duration":
		return fmtDuration
	case "html":
		return fmtHTML
	}
	return fmtNone
}

// maxStringLen bounds generated strings: a larger minLength gets a
// best-effort value this long.
const maxStringLen = 1 << 16

// stringLimits returns minLength (capped at maxStringLen) and maxLength (-1:
// none).
func stringLimits(v *openapi3.Schema) (minL, maxL int) {
	minL = int(min(v.MinLength, maxStringLen))
	maxL = -1
	if v.MaxLength != nil {
		maxL = int(min(*v.MaxLength, math.MaxInt32))
	}
	return minL, maxL
}

// fitsString reports whether s satisfies v's string keywords: length (in
// UTF-16 units, as kin-openapi counts), pattern and any format validator
// kin-openapi has registered (date, date-time, byte, ...).
func (st *state) fitsString(v *openapi3.Schema, s string) bool {
	_, maxL := stringLimits(v)
	if n := len16(s); uint64(n) < v.MinLength || maxL >= 0 && n > maxL {
		return false
	}
	if pt := patternOf(v.Pattern); pt != nil && pt.re != nil && !pt.re.MatchString(s) {
		return false
	}
	if v.Format != "" {
		if fv, ok := openapi3.SchemaStringFormats[v.Format]; ok && fv.Validate(s) != nil {
			return false
		}
	}
	return true
}

// genString returns a string for v; one that shows a banned word is
// replaced by plain words.
func (st *state) genString(v *openapi3.Schema, hint string) string {
	x := st.genString1(v, hint)
	if !st.hi(hint).k.wordy() {
		return x // codes, names and dates come from clean tables
	}
	for try := 0; try < 4 && len(x) <= 512 && hasBannedWord(x); try++ {
		_, maxL := stringLimits(v)
		minL, _ := stringLimits(v)
		c := st.fitText(st.entityLabel(""), minL, maxL)
		if st.fitsString(v, c) {
			x = c
		}
	}
	return x
}

func (st *state) genString1(v *openapi3.Schema, hint string) string {
	k := st.hi(hint).k
	fk := formatKindOf(v.Format)
	fits := func(s string) bool { return st.fitsString(v, s) }
	minL, maxL := stringLimits(v)

	if c, ok := st.semantic(v, k, fk, hint); ok {
		if fits(c) {
			return c
		}
		if k.textual() && fk == fmtNone && v.Pattern == "" {
			if c = st.fitText(c, minL, maxL); fits(c) {
				return c
			}
		}
	}
	if fk != fmtNone {
		if c := st.formatString(fk, k, hint); fits(c) {
			return c
		}
	}
	if fk == fmtNone && k != kindNone {
		c := st.hintString(k, hint)
		if fits(c) {
			return c
		}
		if k.textual() {
			if c = st.fitText(c, minL, maxL); fits(c) {
				return c
			}
		}
	}
	var matched string
	if pt := patternOf(v.Pattern); pt != nil {
		c, ok := st.patternString(pt, minL, maxL, fits)
		if ok {
			return c
		}
		matched = c
	}
	c := st.fitText(st.plainFor(hint), minL, maxL)
	if fits(c) || matched == "" {
		return c
	}
	return matched
}

// wordy reports kinds whose strings come from gofakeit's word lists, which
// the banned-word filter must see.
func (k kind) wordy() bool {
	switch k {
	case kindText, kindTitle, kindWord, kindValue, kindLabel, kindNone, kindSlug, kindPath, kindFileName, kindCode:
		return true
	}
	return false
}

// textual reports kinds whose values may be cut or extended to fit a length.
func (k kind) textual() bool {
	switch k {
	case kindText, kindTitle, kindJobTitle, kindWord, kindValue, kindFullName, kindCompany, kindStreet, kindLabel,
		kindCity, kindState, kindCountry, kindNone, kindID, kindCode, kindNumberID, kindToken, kindSlug:
		return true
	}
	return false
}

func (st *state) formatString(fk fmtKind, k kind, hint string) string {
	f := st.f
	switch fk {
	case fmtDateTime:
		return st.moment(hint).Format(time.RFC3339)
	case fmtDate:
		return st.moment(hint).Format(time.DateOnly)
	case fmtTime:
		return st.moment(hint).Format(time.TimeOnly)
	case fmtEmail:
		return st.record(hint, partPerson).email
	case fmtURL:
		if k == kindImageURL {
			return st.imageURL()
		}
		return st.exampleURL()
	case fmtUUID:
		return f.UUID()
	case fmtByte, fmtBinary:
		return base64.StdEncoding.EncodeToString([]byte(st.sentence()))
	case fmtInt:
		return strconv.FormatInt(st.genInteger(anySchema, hint).(int64), 10)
	case fmtDecimal:
		return strconv.FormatFloat(st.genNumber(anySchema, hint).(float64), 'f', -1, 64)
	case fmtIPv4:
		return f.IPv4Address()
	case fmtIPv6:
		return f.IPv6Address()
	case fmtHostname:
		return st.exampleHost()
	case fmtPassword:
		return f.Password(true, true, true, false, false, 12)
	case fmtPhone:
		return f.PhoneFormatted()
	case fmtDuration:
		return st.duration()
	case fmtHTML:
		return "<p>" + st.sentence() + "</p>"
	}
	return ""
}

// epoch bounds generated moments: 2020-01-01 to 2026-12-31, UTC.
const (
	epochFrom = 1577836800
	epochTo   = 1798675200
)

func (st *state) dateTime() time.Time {
	return time.Unix(epochFrom+int64(st.f.Uint64()%(epochTo-epochFrom)), 0).UTC()
}

func (st *state) duration() string {
	f := st.f
	switch f.IntN(4) {
	case 0:
		return fmt.Sprintf("PT%dM", 5*(1+f.IntN(18)))
	case 1:
		return fmt.Sprintf("PT%dH", 1+f.IntN(8))
	case 2:
		return fmt.Sprintf("PT%dH%dM", 1+f.IntN(4), 15*(1+f.IntN(3)))
	default:
		return fmt.Sprintf("P%dD", 1+f.IntN(30))
	}
}

func (st *state) imageURL() string {
	return "https://images." + exampleDomains[st.f.IntN(len(exampleDomains))] + "/" +
		st.noun() + "-" + strconv.Itoa(100+st.f.IntN(900)) + ".png"
}

var (
	statuses = []string{"active", "pending", "completed", "inactive", "approved", "draft"}
	roles    = []string{"admin", "member", "viewer", "owner", "editor"}
	locales  = []string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "nl-NL", "ja-JP", "pt-BR"}
	fileExts = []string{"pdf", "docx", "xlsx", "csv", "png", "jpg", "txt", "pptx"}
)

// hintString returns a realistic string for what a property name says.
func (st *state) hintString(k kind, hint string) string {
	f := st.f
	switch k {
	case kindID:
		return st.token(12)
	case kindNumberID:
		return strconv.Itoa(100000 + f.IntN(900000))
	case kindEmail:
		return st.record(hint, partPerson).email
	case kindFirstName:
		return f.FirstName()
	case kindLastName:
		return f.LastName()
	case kindFullName:
		return f.Name()
	case kindUserName:
		return f.Username()
	case kindCompany:
		return st.companyName(nil)
	case kindCity:
		return f.City()
	case kindCountry:
		return f.Country()
	case kindCountryCode:
		return f.CountryAbr()
	case kindState:
		return f.State()
	case kindStateCode:
		return f.StateAbr()
	case kindStreet:
		return f.Street()
	case kindZip:
		return f.Zip()
	case kindPhone:
		return f.PhoneFormatted()
	case kindURL:
		return st.exampleURL()
	case kindImageURL:
		return st.imageURL()
	case kindCurrency:
		return f.CurrencyShort()
	case kindDateTime, kindMoment:
		return st.dateTime().Format(time.RFC3339)
	case kindDate:
		return st.dateTime().AddDate(-30, 0, 0).Format(time.DateOnly)
	case kindTimeOfDay:
		return st.dateTime().Format(time.TimeOnly)
	case kindText:
		return st.sentence()
	case kindTitle:
		return strings.TrimSuffix(st.sentence(), ".")
	case kindJobTitle:
		return st.jobTitle()
	case kindLabel:
		return capitalize(st.adjective()) + " " + capitalize(st.noun())
	case kindStatus:
		return statuses[f.IntN(len(statuses))]
	case kindColor:
		return f.SafeColor()
	case kindIP:
		return f.IPv4Address()
	case kindIPv6:
		return f.IPv6Address()
	case kindMAC:
		return f.MacAddress()
	case kindToken:
		return st.hex(32)
	case kindVersion:
		return f.AppVersion()
	case kindLanguage:
		return f.LanguageAbbreviation()
	case kindLocale:
		return locales[f.IntN(len(locales))]
	case kindTimezone:
		return f.TimeZoneRegion()
	case kindPassword:
		return f.Password(true, true, true, false, false, 12)
	case kindDomain:
		return st.exampleHost()
	case kindFileName:
		return st.adjective() + "-" + st.noun() + "." + fileExts[f.IntN(len(fileExts))]
	case kindExtension:
		return fileExts[f.IntN(len(fileExts))]
	case kindMimeType:
		return mimeTypes[f.IntN(len(mimeTypes))]
	case kindDuration:
		return st.duration()
	case kindGender:
		return f.Gender()
	case kindUserAgent:
		return f.UserAgent()
	case kindWord, kindValue:
		return st.noun()
	case kindRole:
		return roles[f.IntN(len(roles))]
	case kindSlug:
		return st.adjective() + "-" + st.noun()
	case kindPath:
		return "/" + st.noun() + "/" + st.noun()
	case kindCode:
		return strings.ToUpper(f.Lexify("???")) + f.Numerify("###")
	case kindMoney, kindLatitude, kindLongitude, kindPercent:
		return strconv.FormatFloat(st.genNumber(anySchema, hint).(float64), 'f', -1, 64)
	}
	if k.integral() {
		return strconv.FormatInt(st.genInteger(anySchema, hint).(int64), 10)
	}
	return st.plainText()
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// token returns n random lower-case letters and digits, none of whose
// letter runs is a banned word ("gbru5rxy9sex" was one).
func (st *state) token(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for try := 0; ; try++ {
		for i := range b {
			b[i] = chars[st.f.IntN(len(chars))]
		}
		if t := string(b); try >= 8 || !hasBannedWord(t) {
			return t
		}
	}
}

func (st *state) hex(n int) string {
	const chars = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[st.f.IntN(len(chars))]
	}
	return string(b)
}

// letters returns n random lower-case letters.
func (st *state) letters(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + st.f.IntN(26))
	}
	return string(b)
}

// fitText extends s with words up to minL and cuts it to maxL (-1: none),
// counting UTF-16 units.
func (st *state) fitText(s string, minL, maxL int) string {
	if maxL == 0 {
		return ""
	}
	if n := len16(s); n < minL {
		var b strings.Builder
		b.Grow(minL + 16)
		b.WriteString(s)
		for n < minL {
			w := st.filler()
			if n > 0 {
				b.WriteByte(' ')
				n++
			}
			b.WriteString(w)
			n += len16(w)
		}
		s = b.String()
	}
	if maxL >= 0 && len16(s) > maxL {
		c := cut16(s, maxL)
		// Prefer ending on a whole word when that keeps most of the room.
		if s[len(c)] != ' ' {
			if i := strings.LastIndexByte(c, ' '); i >= maxL/2 && i >= minL {
				c = c[:i]
			}
		}
		s = strings.TrimRight(c, " ")
		if n := len16(s); n < minL {
			s += st.letters(minL - n)
		}
	}
	return s
}

// len16 is the length of s in UTF-16 code units, as JSON Schema counts.
func len16(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n += utf16.RuneLen(r)
		i += size
	}
	return n
}

// cut16 returns the longest prefix of s at most n UTF-16 units long.
func cut16(s string, n int) string {
	units := 0
	for i, r := range s {
		l := utf16.RuneLen(r)
		if l < 0 {
			l = 1
		}
		if units+l > n {
			return s[:i]
		}
		units += l
	}
	return s
}

// roundTo rounds x to d decimals.
func roundTo(x float64, d int) float64 {
	p := math.Pow10(d)
	r := math.Round(x*p) / p
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return x
	}
	return r
}
