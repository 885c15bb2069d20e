package connector

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Unsatisfiable constraint pairs. A string schema can declare keywords no
// value satisfies together: a pattern none of the enum values matches
// (Verified's language ^[a-z]{2}_[A-Z]{2}$ listing "nb-NO"), a .NET date
// format string as the pattern of a date-time (DQ on Demand's
// "yyyy-MM-dd hh:mm:ss.fff"). The Power Platform gateway does not validate
// requests against the schema, so such a definition works in production;
// the mock's validation is ours, and enforcing both keywords would reject
// every request a client can send. The loader therefore keeps the part that
// can be satisfied, by a fixed precedence, and reports the rest:
//
//	enum > format > pattern
//
// The losing keyword moves to x-unsatisfiable-<keyword>, like
// pattern-not-enforced moves a non-RE2 pattern to x-unenforced-pattern, so
// every tool (generator, mock validation, probe, response checks) reads the
// same satisfiable schema.
const (
	// PatternUnsatisfiable: the pattern matches none of the enum values, or
	// no value of the declared format.
	PatternUnsatisfiable = "pattern-unsatisfiable"
	// FormatUnsatisfiable: none of the enum values is a value of the format.
	FormatUnsatisfiable = "format-unsatisfiable"
)

// formatValues describes the string formats kin-openapi validates by
// default: canonical values, and the alphabet every value of the format is
// written in (its validator's regular expression admits no other rune).
var formatValues = map[string]struct {
	canonical []string
	alphabet  string
}{
	"date-time": {[]string{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05.678Z", "2024-01-02T03:04:05+01:00", "2024-01-02T03:04:05.1234567-05:00"}, "0123456789-:T.Z+"},
	"date":      {[]string{"2024-01-02"}, "0123456789-"},
	"byte":      {[]string{"U3dhZ2dlciByb2Nrcw==", "AAAA", ""}, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_="},
}

// enforcedFormat reports whether kin-openapi (and so the mock) validates
// string format f.
func enforcedFormat(f string) (openapi3.StringFormatValidator, bool) {
	if f == "" {
		return nil, false
	}
	v, ok := openapi3.SchemaStringFormats[f]
	return v, ok && v != nil
}

// constraintConflicts applies the precedence above to the raw schema m (at
// ptr): pattern is its RE2-compilable pattern, if any.
func (fx *fixer) constraintConflicts(m map[string]any, ptr string) {
	if t, ok := m["type"].(string); ok && t != "string" {
		return // pattern and format constrain strings only
	}
	var values []string
	if en, ok := m["enum"].([]any); ok {
		for _, e := range en {
			if s, ok := e.(string); ok {
				values = append(values, s)
			}
		}
	}
	format, _ := m["format"].(string)
	if fv, ok := enforcedFormat(format); ok && len(values) > 0 && !anyPasses(values, func(s string) bool { return fv.Validate(s) == nil }) {
		m[unsatisfiableFormatKey] = format
		delete(m, "format")
		fx.add(FormatUnsatisfiable, LevelWarning, ptr+"/format",
			fmt.Sprintf("format %q admits none of the enum values %s; no value satisfies both, so the enum is enforced and the format is not", format, quoteList(values)),
			"drop the format, or list values of that format in the enum")
		format = ""
	}
	p, _ := m["pattern"].(string)
	if p == "" {
		return
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return // pattern-not-enforced handles it
	}
	var why, fix string
	switch {
	case len(values) > 0:
		if anyPasses(values, re.MatchString) {
			return
		}
		why = fmt.Sprintf("pattern %q matches none of the enum values %s; no value satisfies both, so the enum is enforced and the pattern is not", p, quoteList(values))
		fix = "correct the pattern so that it matches the enum values, or remove it"
	case format != "":
		if _, ok := enforcedFormat(format); !ok || !patternExcludesFormat(re, p, format) {
			return
		}
		why = fmt.Sprintf("pattern %q can match no %s value: it needs a character no %s value contains (a date format string such as yyyy-MM-dd is not a regular expression); the format is enforced and the pattern is not", p, format, format)
		fix = "remove the pattern (the format already says what the value looks like), or write a regular expression that " + format + " values match"
	default:
		return
	}
	m[unsatisfiablePatternKey] = p
	delete(m, "pattern")
	fx.add(PatternUnsatisfiable, LevelWarning, ptr+"/pattern", why, fix)
}

// patternExcludesFormat reports whether no value of format can match re:
// none of the format's canonical values does, and the pattern cannot match
// any string written in the format's alphabet (it needs a rune, such as the
// "y" of "yyyy", that no value of the format contains). The second test is
// sound: every value of the format is such a string. A pattern that merely
// disagrees with the canonical values ("^\d{4}-\d{2}-\d{2}$" on a
// date-time) is left alone.
func patternExcludesFormat(re *regexp.Regexp, expr, format string) bool {
	fv, ok := formatValues[format]
	if !ok {
		return false
	}
	if anyPasses(fv.canonical, re.MatchString) {
		return false
	}
	return !matchesOver(expr, fv.alphabet)
}

// matchesOver reports whether the RE2 expression can match some string
// whose runes all come from alphabet. It walks the compiled program,
// taking a rune instruction only when some rune of the alphabet passes it
// and every empty-width assertion as passable (an over-approximation: a
// false answer is certain). A match need not cover the whole string, but
// a matched substring is written in the same alphabet, so unanchored
// patterns are covered too.
func matchesOver(expr, alphabet string) bool {
	rx, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return true
	}
	prog, err := syntax.Compile(rx.Simplify())
	if err != nil {
		return true
	}
	seen := make([]bool, len(prog.Inst))
	stack := []uint32{uint32(prog.Start)}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstMatch:
			return true
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Out, in.Arg)
		case syntax.InstCapture, syntax.InstEmptyWidth, syntax.InstNop:
			stack = append(stack, in.Out)
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			for _, r := range alphabet {
				if in.MatchRune(r) {
					stack = append(stack, in.Out)
					break
				}
			}
		}
	}
	return false
}

func anyPasses(values []string, ok func(string) bool) bool {
	for _, v := range values {
		if ok(v) {
			return true
		}
	}
	return false
}

// quoteList renders up to four values, then how many more.
func quoteList(values []string) string {
	const show = 4
	q := make([]string, 0, show+1)
	for i, v := range values {
		if i == show {
			q = append(q, fmt.Sprintf("… %d more", len(values)-show))
			break
		}
		q = append(q, fmt.Sprintf("%q", v))
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// The extensions a load moves a keyword it cannot enforce to, so the
// definition's author still sees what was written.
const (
	unenforcedPatternKey    = "x-unenforced-pattern"
	unsatisfiablePatternKey = "x-unsatisfiable-pattern"
	unsatisfiableFormatKey  = "x-unsatisfiable-format"
)

// RestoreMovedKeywords puts every keyword a load moved aside
// (pattern-not-enforced, pattern-unsatisfiable, format-unsatisfiable) back
// under its own name in a decoded JSON tree, in place: an export gives the
// author's definition back, and loading it again moves them again.
func RestoreMovedKeywords(v any) {
	moved := [...][2]string{{unenforcedPatternKey, "pattern"}, {unsatisfiablePatternKey, "pattern"}, {unsatisfiableFormatKey, "format"}}
	restoreMoved(v, moved[:], 0)
}

// restoreMoved does RestoreMovedKeywords below v; moved pairs each
// extension with its keyword.
func restoreMoved(v any, moved [][2]string, depth int) {
	if depth > 256 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, mk := range moved {
			ext, kw := mk[0], mk[1]
			if s, ok := x[ext].(string); ok {
				if _, taken := x[kw]; !taken {
					x[kw] = s
				}
				delete(x, ext)
			}
		}
		for _, e := range x {
			restoreMoved(e, moved, depth+1)
		}
	case []any:
		for _, e := range x {
			restoreMoved(e, moved, depth+1)
		}
	}
}
