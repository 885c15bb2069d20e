package scripthost

import (
	"bytes"
	"fmt"
	"regexp"
)

// classNameRe finds the classes a script declares: reference types whose
// "T?" annotations can be dropped.
var classNameRe = regexp.MustCompile(`\bclass\s+([A-Za-z_]\w*)`)

var dictDeclRe = regexp.MustCompile(`\bI?(?:ReadOnly)?Dictionary<\s*[\w.]+\s*,\s*([\w.]+(?:\[\])?)\s*>\s+(\w+)\s*[=;]`)

var tryGetValuesRe = regexp.MustCompile(`\bTryGetValues\s*\([^;{}]*?\bout\s+(var)\b`)

// downlevel rewrites the few C# 8/9 constructs the Mono compiler (C# 7.x)
// rejects and that have a same-meaning older form, keeping every other
// byte, line and column in place (a rewrite pads with spaces):
//
//	using var x = ...;      →  var x = ...;   (disposal at scope end skipped)
//	x is not null           →  x != null
//	x!.y, x!; x!)           →  x.y ...        (null-forgiving operator)
//	string? s, JObject? o   →  string s ...   (nullable reference annotations)
//
// Strings, characters and comments are left alone. Each rewrite is a
// warning naming its line and column.
func downlevel(code []byte, name string) ([]byte, []Diagnostic) {
	var warns []Diagnostic
	// out var of HttpHeaders.TryGetValues in an async method crashes mcs;
	// the type is known, so spell it out (the line's later columns shift).
	var out []byte
	last := 0
	for _, m := range tryGetValuesRe.FindAllSubmatchIndex(code, -1) {
		out = append(out, code[last:m[2]]...)
		out = append(out, "IEnumerable<string>"...)
		last = m[3]
		l := 1 + bytes.Count(code[:m[2]], []byte("\n"))
		c := m[2] - bytes.LastIndexByte(code[:m[2]], '\n')
		warns = append(warns, Diagnostic{File: name, Line: l, Col: c, Severity: "warning", Code: "downlevel",
			Message: "'out var' of TryGetValues spelled 'out IEnumerable<string>' (the Mono compiler crashes on 'out var' in async methods)"})
	}
	out = append(out, code[last:]...)
	// the same for TryGetValue on a dictionary field the script declares
	// with a simple value type.
	for _, d := range dictDeclRe.FindAllSubmatch(out, -1) {
		valueType, field := string(d[1]), string(d[2])
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(field) + `\s*\.\s*TryGetValue\s*\([^;{}]*?\bout\s+(var)\b`)
		var next []byte
		last := 0
		for _, m := range re.FindAllSubmatchIndex(out, -1) {
			next = append(next, out[last:m[2]]...)
			next = append(next, valueType...)
			last = m[3]
			l := 1 + bytes.Count(out[:m[2]], []byte("\n"))
			warns = append(warns, Diagnostic{File: name, Line: l, Col: m[2] - bytes.LastIndexByte(out[:m[2]], '\n'), Severity: "warning", Code: "downlevel",
				Message: fmt.Sprintf("'out var' of %s.TryGetValue spelled 'out %s' (the Mono compiler crashes on 'out var' in async methods)", field, valueType)})
		}
		if last > 0 {
			out = append(next, out[last:]...)
		}
	}
	refTypes := []string{"string", "object", "JObject", "JToken", "JArray", "JValue", "dynamic", "Exception", "HttpContent", "Uri"}
	for _, m := range classNameRe.FindAllSubmatch(code, -1) {
		refTypes = append(refTypes, string(m[1]))
	}
	line, col := 1, 1
	warn := func(l, c int, msg string) {
		warns = append(warns, Diagnostic{File: name, Line: l, Col: c, Severity: "warning", Code: "downlevel", Message: msg})
	}
	n := len(out)
	for i := 0; i < n; {
		ch := out[i]
		adv := func(k int) {
			for j := 0; j < k && i < n; j++ {
				if out[i] == '\n' {
					line, col = line+1, 1
				} else {
					col++
				}
				i++
			}
		}
		switch {
		case ch == '/' && i+1 < n && out[i+1] == '/':
			for i < n && out[i] != '\n' {
				adv(1)
			}
			continue
		case ch == '/' && i+1 < n && out[i+1] == '*':
			adv(2)
			for i < n && !(out[i] == '*' && i+1 < n && out[i+1] == '/') {
				adv(1)
			}
			adv(2)
			continue
		case ch == '"' || ch == '\'' || ((ch == '@' || ch == '$') && i+1 < n && (out[i+1] == '"' || out[i+1] == '@' || out[i+1] == '$')):
			verbatim, interp := false, false
			for i < n && out[i] != '"' && out[i] != '\'' {
				if out[i] == '@' {
					verbatim = true
				}
				if out[i] == '$' {
					interp = true
				}
				adv(1)
			}
			if i >= n {
				continue
			}
			q := out[i]
			adv(1)
			for i < n {
				if out[i] == '\\' && !verbatim {
					adv(2)
					continue
				}
				if out[i] == q {
					if verbatim && i+1 < n && out[i+1] == q {
						adv(2)
						continue
					}
					adv(1)
					break
				}
				if out[i] == '\n' && !verbatim {
					break
				}
				if interp && out[i] == '!' && i+1 < n && out[i+1] == '}' && i > 0 && (isIdent(out[i-1]) || out[i-1] == ')' || out[i-1] == ']') {
					out[i] = ' '
					warn(line, col, "C# 8 null-forgiving '!' dropped for the Mono compiler")
				}
				adv(1)
			}
			continue
		}
		// using var x = ...;
		if matchWord(out, i, "using") && !identBefore(out, i) {
			j := i + 5
			for j < n && (out[j] == ' ' || out[j] == '\t' || out[j] == '\n' || out[j] == '\r') {
				j++
			}
			if matchWord(out, j, "var") && j > i+5 {
				for k := i; k < i+5; k++ {
					out[k] = ' '
				}
				warn(line, col, "C# 8 'using var' declaration rewritten as 'var' for the Mono compiler (the object is not disposed at the end of the scope)")
			}
		}
		// is not null
		if matchWord(out, i, "is") && !identBefore(out, i) {
			j := skipSpace(out, i+2)
			if matchWord(out, j, "not") {
				k := skipSpace(out, j+3)
				if matchWord(out, k, "null") {
					copy(out[i:], "!=")
					for m := i + 2; m < k; m++ {
						if out[m] != '\n' {
							out[m] = ' '
						}
					}
					warn(line, col, "C# 9 'is not null' rewritten as '!= null' for the Mono compiler")
				}
			}
		}
		// null-forgiving x! followed by . ; ) , [ ]
		if ch == '!' && i > 0 && (isIdent(out[i-1]) || out[i-1] == ')' || out[i-1] == ']') && i+1 < n {
			switch out[i+1] {
			case '.', ';', ')', ',', '[', ']':
				out[i] = ' '
				warn(line, col, "C# 8 null-forgiving '!' dropped for the Mono compiler")
			}
		}
		// nullable reference annotations
		if ch == '?' && i > 0 && i+1 < n && (out[i+1] == ' ' || out[i+1] == '>' || out[i+1] == ',' || out[i+1] == ')' || out[i+1] == '[' || out[i+1] == ']') {
			for _, t := range refTypes {
				s := i - len(t)
				if s >= 0 && string(out[s:i]) == t && !identBefore(out, s) && nextIsDecl(out, i+1) {
					out[i] = ' '
					warn(line, col, fmt.Sprintf("C# 8 nullable annotation '%s?' rewritten as '%s' for the Mono compiler", t, t))
					break
				}
			}
		}
		adv(1)
	}
	return out, warns
}

func isIdent(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func identBefore(b []byte, i int) bool { return i > 0 && (isIdent(b[i-1]) || b[i-1] == '.') }

func matchWord(b []byte, i int, w string) bool {
	return i+len(w) <= len(b) && bytes.Equal(b[i:i+len(w)], []byte(w)) && (i+len(w) == len(b) || !isIdent(b[i+len(w)]))
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

// nextIsDecl: after "T?" comes a declared name, a closing '>' or ',' of a
// type argument list, or ')' / '[' of a parameter or array: not a
// ternary's operand (which would follow "? " with an expression, and
// which "T?" rarely precedes since T would be a type name).
func nextIsDecl(b []byte, i int) bool {
	if i < len(b) && b[i] != ' ' {
		return true
	}
	j := skipSpace(b, i)
	k := j
	for k < len(b) && isIdent(b[k]) {
		k++
	}
	if k == j {
		return false
	}
	k = skipSpace(b, k)
	return k < len(b) && (b[k] == '=' || b[k] == ';' || b[k] == ',' || b[k] == ')' || b[k] == '{')
}
