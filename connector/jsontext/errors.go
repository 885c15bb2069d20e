package jsontext

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error and repair wording. Each error names what was found and, in Hint,
// the edit most likely to fix it.

func (p *parser) syntaxError(off int, msg, hint string) *SyntaxError {
	line, col := p.pos(off)
	return &SyntaxError{Line: line, Col: col, Offset: off, Msg: msg, Hint: hint}
}

func (p *parser) at(off int) string {
	line, col := p.pos(off)
	return fmt.Sprintf("line %d, column %d", line, col)
}

func (p *parser) depthError(off int) error {
	line, col := p.pos(off)
	return &DepthError{Line: line, Col: col, Depth: len(p.stack) + 1, Limit: p.maxDepth}
}

func kindOf(obj bool) string {
	if obj {
		return "object"
	}
	return "array"
}

func closerOf(obj bool) byte {
	if obj {
		return '}'
	}
	return ']'
}

// describe names the character at off for a message.
func (p *parser) describe(off int) string {
	if off >= len(p.src) {
		return "end of input"
	}
	c := p.src[off]
	if c >= 0x20 && c < 0x7F {
		return fmt.Sprintf("'%c'", c)
	}
	r, _, _ := decodeRune(p.src[off:])
	if r < 0x20 || r == 0x7F {
		return runeName(r)
	}
	return fmt.Sprintf("'%c' (%s)", r, runeName(r))
}

var runeNames = map[rune]string{
	0: "NUL", '\t': "TAB", '\n': "LINE FEED", '\r': "CARRIAGE RETURN", '\b': "BACKSPACE",
	'\f': "FORM FEED", '\v': "VERTICAL TAB", 0xA0: "NO-BREAK SPACE", 0x2002: "EN SPACE",
	0x2003: "EM SPACE", 0x2009: "THIN SPACE", 0x200B: "ZERO WIDTH SPACE", 0x202F: "NARROW NO-BREAK SPACE",
	0x3000: "IDEOGRAPHIC SPACE", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE", 0x2028: "LINE SEPARATOR",
}

func runeName(r rune) string {
	if n, ok := runeNames[r]; ok {
		return fmt.Sprintf("U+%04X %s", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}

// word returns the identifier-like run at off, for messages about unquoted
// text.
func (p *parser) word(off int) string {
	end := off
	for end < len(p.src) && end-off < 40 && (isWordByte(p.src[end]) || p.src[end] == '.' || p.src[end] == '+' || p.src[end] == '-') {
		end++
	}
	return string(p.src[off:end])
}

// stringAt returns the (shortened) text of the string token at q.
func (p *parser) stringAt(q int) string {
	end := q + 1
	for end < len(p.src) && p.src[end] != '"' {
		if p.src[end] == '\\' {
			end++
		}
		end++
	}
	return shorten(string(appendUnescaped(nil, p.src[q+1:min(end, len(p.src))])))
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:57]) + "..."
}

func (p *parser) lastKey() string {
	if len(p.keys) == 0 {
		return ""
	}
	return shorten(string(p.keyBytes(p.keys[len(p.keys)-1])))
}

// suspectHint words the misindentation heuristic, or returns "".
func (p *parser) suspectHint(limit, skip int, what string) string {
	closer, opener, ok := p.misindented(limit)
	if !ok || closer == skip {
		return ""
	}
	cl, cc := p.pos(closer)
	ol, _ := p.pos(opener)
	return fmt.Sprintf("the '%c' at line %d, column %d is indented differently from line %d, where what it closes was opened; %s",
		p.src[closer], cl, cc, ol, what)
}

func (p *parser) unterminatedString(q int) error {
	return p.syntaxError(q, "unterminated string: no closing '\"' before the end of input",
		"add the closing '\"' to this string")
}

func (p *parser) eofError(off, state int) error {
	if len(p.stack) == 0 {
		return p.syntaxError(off, "empty input: no JSON value", "the file is empty or holds only whitespace or comments")
	}
	top := p.stack[len(p.stack)-1]
	msg := fmt.Sprintf("unexpected end of input: the %s opened at %s is not closed", kindOf(top.obj), p.at(top.open))
	if n := len(p.stack); n > 1 {
		msg += fmt.Sprintf(" (%d brackets are open)", n)
	}
	var missing []byte
	for i := len(p.stack) - 1; i >= 0; i-- {
		missing = append(missing, closerOf(p.stack[i].obj))
	}
	hint := p.suspectHint(off, -1, "a bracket near there is probably missing")
	if hint == "" {
		hint = fmt.Sprintf("add the missing %q at the end, or check whether the file was cut short", missing)
	}
	if state == stColon {
		hint = fmt.Sprintf("the key %q has no ':' and value; the file looks cut short", p.lastKey())
	}
	e := p.syntaxError(off, msg, hint)
	// A file that ends right after a closing bracket, with one or two
	// brackets still open, lost its last closers (Shopranos); a file cut
	// short stops mid-member. Only the first is recovered.
	if state == stAfter && len(missing) <= 2 {
		if t := bytes.TrimRight(p.src, " \t\r\n"); len(t) > 0 && (t[len(t)-1] == '}' || t[len(t)-1] == ']') {
			line, col := p.pos(len(t) - 1)
			e.recover = &recovery{blank: -1, appendText: "\n" + string(missing), line: line, col: col,
				msg: fmt.Sprintf("added the missing %q at the end: the file ends after a complete value with %d bracket(s) still open", missing, len(missing))}
		}
	}
	return e
}

func (p *parser) slashError(off int) error {
	if off+1 < len(p.src) && p.src[off+1] == '*' {
		return p.syntaxError(off, "unterminated /* comment", "close the comment with */")
	}
	return p.syntaxError(off, "unexpected '/'", "comments start with // or /*; otherwise quote the text")
}

func (p *parser) numberError(off int) error {
	return p.syntaxError(off, fmt.Sprintf("invalid number %q", p.word(off)),
		"JSON numbers have no leading zeros, '+' sign, bare '.', hex digits or units; quote the value if it is text")
}

// valueError explains a token where a value was expected.
func (p *parser) valueError(off, comma int, first bool) error {
	c := p.src[off]
	inObj := len(p.stack) > 0 && p.stack[len(p.stack)-1].obj
	inArr := len(p.stack) > 0 && !inObj
	switch {
	case inObj && (c == ',' || c == '}' || c == ']'):
		return p.syntaxError(off, fmt.Sprintf("missing value after ':' for key %q", p.lastKey()),
			"add a value, or remove the key and its ':'")
	case inArr && (c == '}' || c == ']'):
		return p.mismatchError(off)
	case c == ',' && inArr && comma >= 0:
		return p.syntaxError(off, "unexpected ',': an array element is empty", "remove the extra ','")
	case c == ',' && inArr && first:
		return p.syntaxError(off, "unexpected ',' right after '['", "remove the ','")
	case c == '\'':
		return p.syntaxError(off, "single-quoted string", "JSON strings use double quotes: \"...\"")
	case c == '+' || c == '.':
		return p.numberError(off)
	case c == 0:
		return p.syntaxError(off, "unexpected NUL byte", "the file may be UTF-16 or binary; save it as UTF-8 text")
	case isWordByte(c):
		w := p.word(off)
		hint := "put text in double quotes"
		switch strings.ToLower(w) {
		case "true", "false", "null":
			hint = "JSON literals are lowercase: true, false, null"
		case "none", "nil", "undefined":
			hint = "use null"
		case "nan", "infinity", "-infinity":
			hint = "JSON has no NaN or Infinity; use null or a string"
		}
		return p.syntaxError(off, fmt.Sprintf("unquoted text %q where a value was expected", w), hint)
	}
	if len(p.stack) == 0 {
		return p.syntaxError(off, fmt.Sprintf("invalid character %s at the start of the input", p.describe(off)),
			"a JSON document starts with '{', '[' or another value")
	}
	return p.syntaxError(off, fmt.Sprintf("invalid character %s where a value was expected", p.describe(off)),
		"remove the character or quote the text")
}

// keyError explains a token where an object key was expected.
func (p *parser) keyError(off, comma int) error {
	c := p.src[off]
	switch {
	case c == '{' || c == '[':
		msg := fmt.Sprintf("'%c' cannot start an object member: a double-quoted key was expected", c)
		n := len(p.stack)
		if n >= 2 && !p.stack[n-2].obj && comma >= 0 && c == '{' {
			// The Icon Horse shape: "...", then '{' of the next array element.
			return p.syntaxError(off, msg, fmt.Sprintf(
				"the object opened at %s is probably missing its closing '}': this '{' looks like the next element of the array opened at %s; add '}' before it",
				p.at(p.stack[n-1].open), p.at(p.stack[n-2].open)))
		}
		return p.syntaxError(off, msg, "a member needs a double-quoted key and ':' before its value, or a '}' is missing before this")
	case c == ']':
		return p.mismatchError(off)
	case c == ',':
		if comma >= 0 {
			return p.syntaxError(off, "unexpected ',': an object member is empty", "remove the extra ','")
		}
		return p.syntaxError(off, "unexpected ',' right after '{'", "remove the ','")
	case c == ':':
		return p.syntaxError(off, "missing key before ':'", "add a double-quoted key before the ':'")
	case c == '\'':
		return p.syntaxError(off, "single-quoted key", "JSON keys use double quotes: \"...\"")
	case isWordByte(c):
		w := p.word(off)
		return p.syntaxError(off, fmt.Sprintf("unquoted key %q", w), fmt.Sprintf("put the key in double quotes: \"%s\"", w))
	}
	return p.syntaxError(off, fmt.Sprintf("invalid character %s where an object key was expected", p.describe(off)),
		"a member starts with a double-quoted key")
}

func (p *parser) colonError(off int) error {
	msg := fmt.Sprintf("expected ':' after the key %q, found %s", p.lastKey(), p.describe(off))
	switch p.src[off] {
	case ',', '}':
		return p.syntaxError(off, msg, "the key has no value: add ': <value>' or remove the key")
	case '"':
		return p.syntaxError(off, msg, "add ':' between the key and its value")
	}
	return p.syntaxError(off, msg, "add ':' after the key")
}

// afterValueError explains a token after a complete value inside a
// container that is neither a separator nor a closer.
func (p *parser) afterValueError(off, valEnd int) error {
	top := p.stack[len(p.stack)-1]
	c := p.src[off]
	var msg string
	if top.obj {
		msg = fmt.Sprintf("expected ',' or '}' after the value of key %q, found %s", p.lastKey(), p.describe(off))
	} else {
		msg = fmt.Sprintf("expected ',' or ']' after an array element, found %s", p.describe(off))
	}
	switch {
	case p.lastNL > top.open:
		return p.syntaxError(off, msg, fmt.Sprintf(
			"the string starting at %s contains a line break; is its closing '\"' missing?", p.at(p.lastNL)))
	case off == valEnd && isValueStart(c):
		return p.syntaxError(off, msg, "insert ',' between the two values")
	case top.obj && c == '"':
		return p.syntaxError(off, msg, "a ',' is missing before this string, or the string is missing its ':' and value")
	case top.obj && (c == '{' || c == '['):
		return p.syntaxError(off, msg, "a ',' and a key, or a closing '}', is missing before this")
	case c == ':':
		return p.syntaxError(off, msg, "a ',' may be missing before a key, or the previous key is unquoted")
	}
	return p.syntaxError(off, msg, fmt.Sprintf("insert ',' or close the %s with '%c'", kindOf(top.obj), closerOf(top.obj)))
}

func (p *parser) mismatchError(off int) error {
	top := p.stack[len(p.stack)-1]
	c := p.src[off]
	msg := fmt.Sprintf("'%c' does not match the '%c' opened at %s", c, p.src[top.open], p.at(top.open))
	hint := p.suspectHint(off, off, "a bracket near there is probably missing or extra")
	if hint == "" {
		hint = fmt.Sprintf("close the %s with '%c' before this, or remove this '%c'", kindOf(top.obj), closerOf(top.obj), c)
	}
	return p.syntaxError(off, msg, hint)
}

// rootError explains text after the root value. When the root is a
// container the error points at its closing bracket: that bracket is the
// one that came too early, or the text after it is stray.
func (p *parser) rootError(off int) error {
	if p.rootEnd < 0 {
		return p.syntaxError(off, fmt.Sprintf("text after the root value: %s", p.describe(off)),
			"the input must hold exactly one JSON value; remove the text after it")
	}
	c := p.src[p.rootEnd]
	kind := kindOf(c == '}')
	msg := fmt.Sprintf("'%c' closes the root %s here, but more text follows at %s (%s)", c, kind, p.at(off), p.describe(off))
	hint := p.suspectHint(p.rootEnd, p.rootEnd, fmt.Sprintf("an extra '%c' there would close the root %s early; remove it", c, kind))
	var rec *recovery
	switch {
	case hint != "":
		// The indentation names the extra bracket: dropping it is the
		// edit a reader would make, so Normalize tries it.
		if closer, _, ok := p.misindented(p.rootEnd); ok {
			cl, cc := p.pos(closer)
			rec = &recovery{blank: closer, msg: fmt.Sprintf("removed the extra '%c' at line %d, column %d (indented unlike the bracket it would close), which closed the root %s early", p.src[closer], cl, cc, kind)}
		}
	case c == '}' && p.src[off] == '"' && keyFollows(p.src, off):
		// The GIPHY shape: members appended after the closing brace.
		hint = fmt.Sprintf("the text after it looks like more members of the root object (%q); move this '}' to the end of the file, or remove the text after it", p.stringAt(off))
		rec = &recovery{blank: p.rootEnd, appendText: "\n}", msg: fmt.Sprintf("moved the root object's '}' from here to the end: the text after it (%q) reads as more members of the root object", p.stringAt(off))}
	default:
		hint = fmt.Sprintf("a '%c' closes the root %s early; remove it or the text after it", c, kind)
	}
	e := p.syntaxError(p.rootEnd, msg, hint)
	if rec != nil {
		rec.line, rec.col = p.pos(rec.blank)
		e.recover = rec
	}
	return e
}

func (p *parser) repairMessage(r rawRepair) string {
	switch r.id {
	case RepairBOM:
		return "removed the UTF-8 byte order mark"
	case RepairTrailingComma:
		return fmt.Sprintf("removed the ',' before '%s'", r.text)
	case RepairMissingComma:
		if r.text == "key" {
			return fmt.Sprintf("inserted ',' before the key %q at %s", p.stringAt(r.ref), p.at(r.ref))
		}
		return fmt.Sprintf("inserted ',' before the array element at %s", p.at(r.ref))
	case RepairControlChar:
		if r.n == 1 {
			return fmt.Sprintf("escaped a raw %s in a string", runeName(r.c))
		}
		return fmt.Sprintf("escaped %d raw control characters in a string (first: %s)", r.n, runeName(r.c))
	case RepairUnicodeSpace:
		if r.n == 1 {
			return fmt.Sprintf("replaced %s used as whitespace with a space", runeName(r.c))
		}
		return fmt.Sprintf("replaced %d characters used as whitespace (first: %s) with a space", r.n, runeName(r.c))
	case RepairNotUTF8:
		return fmt.Sprintf("input is not valid UTF-8: decoded %d byte(s) as Windows-1252 (first: 0x%02X as %q)", r.n, p.src[r.off], r.c)
	case RepairDuplicateKey:
		return fmt.Sprintf("duplicate key %q (first at %s); the last value wins", shorten(r.text), p.at(r.ref))
	case RepairComment:
		return fmt.Sprintf("removed a %s comment", r.text)
	case RepairInvalidEscape:
		return fmt.Sprintf("doubled the backslash of the invalid escape '\\%c' so the text stays as written", r.c)
	}
	return r.id
}
