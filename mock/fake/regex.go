package fake

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// pattern is a schema `pattern` prepared for generation.
//
// gofakeit's Regex generator is not used: on a pattern it cannot expand (a
// long {n} repeat) it recovers from its own panic and returns the Faker
// printed with %v, pointer addresses included, which is neither valid nor
// deterministic; it also picks astral characters for \p classes, which break
// maxLength counted in UTF-16 units. This generator bounds its output, prefers
// ASCII, and lets the caller ask for short or long expansions.
type pattern struct {
	// re checks candidates. It is the pattern as kin-openapi compiles it, or,
	// for a pattern Go cannot compile (lookarounds), an approximation with
	// the lookarounds removed. nil when even that fails.
	re *regexp.Regexp
	// exact is false when re is an approximation.
	exact bool
	// prog is re parsed for generation.
	prog *syntax.Regexp
	// classes holds the characters each character class node may produce.
	classes map[*syntax.Regexp]*charChoice
}

// charChoice is what one character class can produce.
type charChoice struct {
	alnum []rune // ASCII letters and digits in the class
	other []rune // other printable ASCII in the class
	wide  []rune // a few non-ASCII members, used when there is no ASCII one
}

var patterns boundedCache[string, *pattern]

// patternOf returns the prepared pattern p (cached), or nil for "".
func patternOf(p string) *pattern {
	if p == "" {
		return nil
	}
	if pt, ok := patterns.load(p); ok {
		return pt
	}
	return patterns.store(p, compilePattern(p))
}

// codepoints rewrites \uXXXX as kin-openapi does before compiling.
var codepoints = regexp.MustCompile(`\\u([0-9A-F]{4})`)

func compilePattern(p string) *pattern {
	pt := &pattern{}
	src := codepoints.ReplaceAllString(p, `\x{$1}`)
	re, err := regexp.Compile(src)
	pt.exact = err == nil
	if err != nil {
		src = approximate(p)
		if re, err = regexp.Compile(src); err != nil {
			return pt
		}
	}
	pt.re = re
	prog, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return pt
	}
	pt.prog = prog
	pt.classes = make(map[*syntax.Regexp]*charChoice)
	var walk func(n *syntax.Regexp)
	walk = func(n *syntax.Regexp) {
		if n.Op == syntax.OpCharClass {
			pt.classes[n] = newCharChoice(n.Rune)
		}
		for _, s := range n.Sub {
			walk(s)
		}
	}
	walk(prog)
	return pt
}

// approximate turns an ECMA-style pattern into RE2: \uXXXX (any case)
// becomes \x{XXXX} and lookaround groups are dropped. The result accepts a
// superset of what the original accepts, give or take the lookarounds.
func approximate(p string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+6 <= len(p) && p[i+1] == 'u' && isHex(p[i+2:i+6]):
			b.WriteString(`\x{` + p[i+2:i+6] + `}`)
			i += 5
		case c == '\\' && i+1 < len(p):
			b.WriteByte(c)
			b.WriteByte(p[i+1])
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == ']' { // "[]...]": the ] is a member
				b.WriteByte(']')
				i++
			}
		case c == '(' && (strings.HasPrefix(p[i:], "(?=") || strings.HasPrefix(p[i:], "(?!") ||
			strings.HasPrefix(p[i:], "(?<=") || strings.HasPrefix(p[i:], "(?<!")):
			i = groupEnd(p, i)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// groupEnd returns the index of the ')' closing the group opened at p[i].
func groupEnd(p string, i int) int {
	depth := 0
	inClass := false
	for ; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(p)
}

func newCharChoice(ranges []rune) *charChoice {
	in := func(r rune) bool {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= r && r <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	cc := &charChoice{}
	for r := rune(0x20); r < 0x7f; r++ {
		if !in(r) {
			continue
		}
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			cc.alnum = append(cc.alnum, r)
		} else {
			cc.other = append(cc.other, r)
		}
	}
	if len(cc.alnum)+len(cc.other) == 0 {
		for i := 0; i+1 < len(ranges) && len(cc.wide) < 32; i += 2 {
			for r := ranges[i]; r <= ranges[i+1] && len(cc.wide) < 32; r++ {
				if utf8.ValidRune(r) && (r >= 0xa0 || len(cc.wide) == 0) {
					cc.wide = append(cc.wide, r)
				}
				if r >= 0x10ffff {
					break
				}
			}
		}
	}
	return cc
}

// expansion modes for regex generation.
const (
	expandNormal = iota // a few repetitions
	expandShort         // minimum repetitions
	expandLong          // stretch repetitions toward a target length
)

// maxPatternOutput bounds one generated pattern string.
const maxPatternOutput = 1 << 14

type regexGen struct {
	st      *state
	pt      *pattern
	b       strings.Builder
	mode    int
	stretch int
}

func (g *regexGen) gen(n *syntax.Regexp) bool {
	if g.b.Len() > maxPatternOutput {
		return false
	}
	switch n.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		for _, r := range n.Rune {
			g.b.WriteRune(r)
		}
	case syntax.OpCharClass:
		cc := g.pt.classes[n]
		if cc == nil {
			return false
		}
		f := g.st.f
		switch {
		case len(cc.alnum) > 0 && (len(cc.other) == 0 || f.IntN(10) < 8):
			g.b.WriteRune(cc.alnum[f.IntN(len(cc.alnum))])
		case len(cc.other) > 0:
			g.b.WriteRune(cc.other[f.IntN(len(cc.other))])
		case len(cc.wide) > 0:
			g.b.WriteRune(cc.wide[f.IntN(len(cc.wide))])
		default:
			return false
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		g.b.WriteByte(alnum[g.st.f.IntN(len(alnum))])
	case syntax.OpCapture:
		return g.gen(n.Sub[0])
	case syntax.OpStar:
		return g.repeat(n.Sub[0], 0, -1)
	case syntax.OpPlus:
		return g.repeat(n.Sub[0], 1, -1)
	case syntax.OpQuest:
		return g.repeat(n.Sub[0], 0, 1)
	case syntax.OpRepeat:
		return g.repeat(n.Sub[0], n.Min, n.Max)
	case syntax.OpConcat:
		for _, s := range n.Sub {
			if !g.gen(s) {
				return false
			}
		}
	case syntax.OpAlternate:
		return g.gen(n.Sub[g.st.f.IntN(len(n.Sub))])
	}
	// OpEmptyMatch, anchors and word boundaries produce nothing.
	return true
}

func (g *regexGen) repeat(sub *syntax.Regexp, lo, hi int) bool {
	var n int
	switch g.mode {
	case expandShort:
		n = lo
	case expandLong:
		n = lo + g.stretch
		if hi >= 0 && n > hi {
			n = hi
		}
	default:
		top := lo + 6
		if hi >= 0 && top > hi {
			top = hi
		}
		if lo == 0 && hi < 0 {
			lo = 1 // "x*" reads better with something in it
			top = max(top, 1)
		}
		n = lo + g.st.f.IntN(top-lo+1)
	}
	for i := 0; i < n; i++ {
		if !g.gen(sub) {
			return false
		}
	}
	return true
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// patternString generates a string that matches pt and fits v's length and
// format constraints, trying a few expansions. ok is false when none fit;
// s is then the last expansion that matched the pattern, if any.
func (st *state) patternString(pt *pattern, minL, maxL int, fits func(string) bool) (s string, ok bool) {
	if pt.prog == nil {
		return "", false
	}
	var matched string
	for try := 0; try < 12; try++ {
		g := regexGen{st: st, pt: pt, mode: expandNormal}
		switch try % 3 {
		case 1:
			g.mode = expandShort
		case 2:
			g.mode, g.stretch = expandLong, max(minL, 8)
		}
		if !g.gen(pt.prog) {
			continue
		}
		c := g.b.String()
		if n := len16(c); n < minL {
			// Unanchored patterns still match with a suffix.
			c += st.letters(minL - n)
		}
		if fits(c) {
			return c, true
		}
		if matched == "" && pt.re.MatchString(c) {
			matched = c
		}
	}
	return matched, false
}
