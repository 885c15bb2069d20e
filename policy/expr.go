package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// The policy template language, as the corpus uses it (see docs/POLICIES.md
// for the survey). A template is literal text with expressions in it:
//
//	@connectionParameters('name'[, 'default'])   also ConnectionParameters
//	@headers('name'[, 'default'])                also @header
//	@queryParameters('name'[, 'default'])        also @queryParameter
//	@body()  @triggerBody()  @item()             followed by .prop, ['prop'], [0]
//	@Request.OriginalHTTPMethod
//	@{expr}  {@expr}                             interpolation of one expression
//	{name}                                       a path parameter (newPath only)
//	@@                                           a literal @
//
// An '@' that does not start one of these (an e-mail address, "@odata.id")
// is literal text, so property names and values pass through unchanged.

// Mode says which placeholders a template recognises.
type Mode int

// Template modes.
const (
	// ModeText is for header and query values, URL templates and body
	// value templates.
	ModeText Mode = iota
	// ModePath also substitutes {name} with the operation's path parameter
	// (routerequesttoendpoint newPath).
	ModePath
)

// Template is a parsed template string.
type Template struct {
	Raw   string
	Parts []Part
}

// Part is one piece of a template: literal text, an expression or a path
// parameter placeholder.
type Part struct {
	Lit         string
	Expr        *Expr
	Placeholder string
	Offset      int // byte offset of the part in Raw
}

// Func names an expression function, canonicalised to lower case.
type Func string

// Expression functions.
const (
	FuncConnectionParameters Func = "connectionparameters"
	FuncHeaders              Func = "headers"
	FuncQueryParameters      Func = "queryparameters"
	FuncBody                 Func = "body"
	FuncTriggerBody          Func = "triggerbody"
	FuncItem                 Func = "item"
	FuncOriginalMethod       Func = "request.originalhttpmethod"
)

// funcAliases maps spellings (lower case) to functions. Anything else is an
// unknown function: a syntax the parser accepts and New reports.
var funcAliases = map[string]Func{
	"connectionparameters":       FuncConnectionParameters,
	"headers":                    FuncHeaders,
	"header":                     FuncHeaders,
	"queryparameters":            FuncQueryParameters,
	"queryparameter":             FuncQueryParameters,
	"body":                       FuncBody,
	"triggerbody":                FuncTriggerBody,
	"item":                       FuncItem,
	"request.originalhttpmethod": FuncOriginalMethod,
}

// returnsJSON reports whether a function yields a JSON value that accessors
// (.x, ['x'], [0]) may follow. The string functions never take accessors, so
// "@connectionParameters('host').example.com" keeps ".example.com" literal.
func (f Func) returnsJSON() bool {
	return f == FuncBody || f == FuncTriggerBody || f == FuncItem
}

// Expr is one expression: a function call with string arguments and an
// accessor path.
type Expr struct {
	Name   string // as written, e.g. "ConnectionParameters"
	Func   Func   // canonical; "" when Name is not a known function
	Args   []string
	Path   []Accessor
	Raw    string // the expression text as written
	Offset int
}

// Accessor is one accessor: .key, ['key'] or [index].
type Accessor struct {
	Key     string
	Index   int
	IsIndex bool
}

func (s Accessor) String() string {
	if s.IsIndex {
		return "[" + strconv.Itoa(s.Index) + "]"
	}
	if isPlainKey(s.Key) {
		return "." + s.Key
	}
	return "['" + strings.ReplaceAll(s.Key, "'", "''") + "']"
}

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isKeyChar(k[i]) {
			return false
		}
	}
	return true
}

// SyntaxError is a template that cannot be parsed.
type SyntaxError struct {
	Text   string // the whole template
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at offset %d of %q", e.Msg, e.Offset, e.Text)
}

// maxTemplateLen bounds parser work on hostile input.
const maxTemplateLen = 64 << 10

// Parse parses a template string.
func Parse(s string, mode Mode) (*Template, error) {
	if len(s) > maxTemplateLen {
		return nil, &SyntaxError{Text: s[:64] + "…", Msg: fmt.Sprintf("template longer than %d bytes", maxTemplateLen)}
	}
	p := &parser{s: s, mode: mode}
	t := &Template{Raw: s}
	var lit strings.Builder
	litStart := 0
	flush := func() {
		if lit.Len() > 0 {
			t.Parts = append(t.Parts, Part{Lit: lit.String(), Offset: litStart})
			lit.Reset()
		}
	}
	for p.i < len(s) {
		c := s[p.i]
		start := p.i
		switch {
		case c == '@' && p.peek(1) == '@':
			if lit.Len() == 0 {
				litStart = start
			}
			lit.WriteByte('@')
			p.i += 2
			continue
		case c == '@' && p.peek(1) == '{':
			p.i += 2
			e, err := p.braced(start)
			if err != nil {
				return nil, err
			}
			flush()
			t.Parts = append(t.Parts, Part{Expr: e, Offset: start})
			continue
		case c == '{' && p.peek(1) == '@':
			p.i++
			e, err := p.braced(start)
			if err != nil {
				return nil, err
			}
			flush()
			t.Parts = append(t.Parts, Part{Expr: e, Offset: start})
			continue
		case c == '@':
			e, ok, err := p.bare()
			if err != nil {
				return nil, err
			}
			if ok {
				flush()
				t.Parts = append(t.Parts, Part{Expr: e, Offset: start})
				continue
			}
		case c == '{' && mode == ModePath:
			if end := strings.IndexByte(s[p.i+1:], '}'); end > 0 {
				name := s[p.i+1 : p.i+1+end]
				if !strings.ContainsAny(name, "{@/") {
					flush()
					t.Parts = append(t.Parts, Part{Placeholder: name, Offset: start})
					p.i += end + 2
					continue
				}
			}
		}
		if lit.Len() == 0 {
			litStart = start
		}
		lit.WriteByte(c)
		p.i++
	}
	flush()
	return t, nil
}

// MustParse is Parse for templates known to be valid (tests, examples).
func MustParse(s string, mode Mode) *Template {
	t, err := Parse(s, mode)
	if err != nil {
		panic(err)
	}
	return t
}

// Exprs lists the template's expressions.
func (t *Template) Exprs() []*Expr {
	var out []*Expr
	for _, p := range t.Parts {
		if p.Expr != nil {
			out = append(out, p.Expr)
		}
	}
	return out
}

// Placeholders lists the {name} path parameters the template uses.
func (t *Template) Placeholders() []string {
	var out []string
	for _, p := range t.Parts {
		if p.Placeholder != "" {
			out = append(out, p.Placeholder)
		}
	}
	return out
}

// Single returns the expression when the template is exactly one expression
// (surrounding spaces allowed), for typed values such as "{@body().next}".
func (t *Template) Single() *Expr {
	var e *Expr
	for _, p := range t.Parts {
		switch {
		case p.Expr != nil && e == nil:
			e = p.Expr
		case p.Expr != nil, p.Placeholder != "", strings.TrimSpace(p.Lit) != "":
			return nil
		}
	}
	return e
}

// IsLiteral reports whether the template has no expressions or placeholders.
func (t *Template) IsLiteral() bool {
	for _, p := range t.Parts {
		if p.Expr != nil || p.Placeholder != "" {
			return false
		}
	}
	return true
}

// String renders the template back in a canonical form.
func (t *Template) String() string {
	var b strings.Builder
	for _, p := range t.Parts {
		switch {
		case p.Expr != nil:
			b.WriteString(p.Expr.String())
		case p.Placeholder != "":
			b.WriteString("{" + p.Placeholder + "}")
		default:
			b.WriteString(strings.ReplaceAll(p.Lit, "@", "@@"))
		}
	}
	return b.String()
}

// String renders the expression in interpolation form, @{...}, which
// re-parses to the same expression in any context.
func (e *Expr) String() string {
	var b strings.Builder
	b.WriteString("@{")
	b.WriteString(e.Name)
	if !strings.Contains(e.Name, ".") { // Request.X members take no parentheses
		b.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("'" + strings.ReplaceAll(a, "'", "''") + "'")
		}
		b.WriteByte(')')
	}
	for _, s := range e.Path {
		b.WriteString(s.String())
	}
	b.WriteByte('}')
	return b.String()
}

type parser struct {
	s    string
	i    int
	mode Mode
}

func (p *parser) peek(n int) byte {
	if p.i+n < len(p.s) {
		return p.s[p.i+n]
	}
	return 0
}

func (p *parser) errf(off int, format string, args ...any) error {
	return &SyntaxError{Text: p.s, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isIdentChar(c byte) bool { return isIdentStart(c) || ('0' <= c && c <= '9') }

// isKeyChar is what a bare .key accessor may contain.
func isKeyChar(c byte) bool { return isIdentChar(c) || c == '$' || c == '-' }

func (p *parser) ident() string {
	start := p.i
	for p.i < len(p.s) && isIdentChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *parser) spaces() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// bare parses an expression that starts at an '@' in literal text. ok is
// false when the '@' starts no expression (it is then literal text).
func (p *parser) bare() (*Expr, bool, error) {
	start := p.i
	p.i++ // '@'
	if p.i >= len(p.s) || !isIdentStart(p.s[p.i]) {
		p.i = start
		return nil, false, nil
	}
	name := p.ident()
	if strings.EqualFold(name, "Request") && p.peek(0) == '.' && isIdentStart(p.peek(1)) {
		p.i++
		member := p.ident()
		full := name + "." + member
		e := &Expr{Name: full, Func: funcAliases[strings.ToLower(full)], Raw: p.s[start:p.i], Offset: start}
		return e, true, nil
	}
	if p.peek(0) != '(' {
		p.i = start
		return nil, false, nil
	}
	e, err := p.call(start, name)
	if err != nil {
		return nil, false, err
	}
	e.Raw = p.s[start:p.i]
	return e, true, nil
}

// braced parses the inside of @{...} or {@...}; p.i is just past the
// opening brace (and past the '@' of "@{"). It consumes the closing brace.
func (p *parser) braced(start int) (*Expr, error) {
	p.spaces()
	if p.peek(0) == '@' {
		p.i++
	}
	if p.i >= len(p.s) || !isIdentStart(p.s[p.i]) {
		return nil, p.errf(p.i, "expected a function name after %q", p.s[start:p.i])
	}
	name := p.ident()
	var e *Expr
	if strings.EqualFold(name, "Request") && p.peek(0) == '.' {
		p.i++
		full := name + "." + p.ident()
		e = &Expr{Name: full, Func: funcAliases[strings.ToLower(full)], Offset: start}
	} else {
		if p.peek(0) != '(' {
			return nil, p.errf(p.i, "expected '(' after %q", name)
		}
		var err error
		if e, err = p.call(start, name); err != nil {
			return nil, err
		}
	}
	p.spaces()
	if p.peek(0) != '}' {
		if p.i >= len(p.s) {
			return nil, p.errf(start, "unterminated %q: missing '}'", p.s[start:min(start+2, len(p.s))])
		}
		return nil, p.errf(p.i, "unexpected %q in expression; expected '}'", string(p.s[p.i]))
	}
	p.i++
	e.Raw = p.s[start:p.i]
	return e, nil
}

// call parses "(args)" and, for JSON functions, the accessor path.
func (p *parser) call(start int, name string) (*Expr, error) {
	e := &Expr{Name: name, Func: funcAliases[strings.ToLower(name)], Offset: start}
	p.i++ // '('
	p.spaces()
	if p.peek(0) == ')' {
		p.i++
	} else {
		for {
			p.spaces()
			a, err := p.quoted()
			if err != nil {
				return nil, err
			}
			e.Args = append(e.Args, a)
			p.spaces()
			if p.peek(0) == ',' {
				p.i++
				continue
			}
			if p.peek(0) == ')' {
				p.i++
				break
			}
			if p.i >= len(p.s) {
				return nil, p.errf(start, "unterminated call %s(: missing ')'", name)
			}
			return nil, p.errf(p.i, "unexpected %q in the arguments of %s; expected ',' or ')'", string(p.s[p.i]), name)
		}
	}
	if e.Func == "" || e.Func.returnsJSON() {
		steps, err := p.accessors()
		if err != nil {
			return nil, err
		}
		e.Path = steps
	}
	return e, nil
}

// quoted parses a '...' or "..." string argument; a doubled quote escapes it.
func (p *parser) quoted() (string, error) {
	q := p.peek(0)
	if q != '\'' && q != '"' {
		if p.i >= len(p.s) {
			return "", p.errf(p.i, "unterminated argument list")
		}
		return "", p.errf(p.i, "argument must be a quoted string, found %q", string(q))
	}
	start := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == q {
			if p.peek(1) == q {
				b.WriteByte(q)
				p.i += 2
				continue
			}
			p.i++
			return b.String(), nil
		}
		b.WriteByte(c)
		p.i++
	}
	return "", p.errf(start, "unterminated string argument")
}

// accessors parses .key, ['key'] and [n] steps.
func (p *parser) accessors() ([]Accessor, error) {
	var steps []Accessor
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == '.' && p.i+1 < len(p.s) && isKeyChar(p.s[p.i+1]):
			p.i++
			start := p.i
			for p.i < len(p.s) && isKeyChar(p.s[p.i]) {
				p.i++
			}
			steps = append(steps, Accessor{Key: p.s[start:p.i]})
		case c == '[':
			open := p.i
			p.i++
			p.spaces()
			var st Accessor
			if q := p.peek(0); q == '\'' || q == '"' {
				k, err := p.quoted()
				if err != nil {
					return nil, err
				}
				st.Key = k
			} else {
				start := p.i
				for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
					p.i++
				}
				if start == p.i {
					return nil, p.errf(open, "expected a quoted key or an index after '['")
				}
				n, err := strconv.Atoi(p.s[start:p.i])
				if err != nil {
					return nil, p.errf(start, "index %q out of range", p.s[start:p.i])
				}
				st.Index, st.IsIndex = n, true
			}
			p.spaces()
			if p.peek(0) != ']' {
				return nil, p.errf(open, "unterminated '[': missing ']'")
			}
			p.i++
			steps = append(steps, st)
		default:
			return steps, nil
		}
	}
	return steps, nil
}

// Path is a location in a JSON body: the root it starts from and the steps
// below it. Body paths appear as "@body().a.b", "body()", "@item().id",
// "@triggerBody().files" or, relative to a parent, "a.b" / "['@odata.id']".
type Path struct {
	Root  Func // FuncBody, FuncItem, FuncTriggerBody, or "" for relative
	Steps []Accessor
	Raw   string
}

func (p Path) String() string {
	var b strings.Builder
	switch p.Root {
	case FuncBody:
		b.WriteString("@body()")
	case FuncItem:
		b.WriteString("@item()")
	case FuncTriggerBody:
		b.WriteString("@triggerBody()")
	}
	for i, s := range p.Steps {
		if p.Root == "" && i == 0 && !s.IsIndex && isPlainKey(s.Key) {
			b.WriteString(s.Key)
			continue
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// ParsePath parses a body path. "", "null" and "@body()" with no steps
// are valid; a relative path is dot-separated keys or bracket steps.
func ParsePath(s string) (Path, error) {
	raw := s
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "null") {
		return Path{Raw: raw}, nil
	}
	p := &parser{s: s}
	if p.peek(0) == '@' {
		p.i++
	}
	if isIdentStart(p.peek(0)) {
		save := p.i
		name := p.ident()
		if p.peek(0) == '(' && p.peek(1) == ')' {
			f := funcAliases[strings.ToLower(name)]
			if !f.returnsJSON() {
				return Path{}, p.errf(save, "a body path must start with body(), item() or triggerBody(), not %s()", name)
			}
			p.i += 2
			steps, err := p.accessors()
			if err != nil {
				return Path{}, err
			}
			if p.i != len(s) {
				return Path{}, p.errf(p.i, "unexpected %q after the path", s[p.i:])
			}
			return Path{Root: f, Steps: steps, Raw: raw}, nil
		}
		p.i = save
	}
	if s[0] == '@' {
		return Path{}, p.errf(0, "a body path must start with @body(), @item() or @triggerBody()")
	}
	// Relative: "a.b", "['x']", "a['b'][0]".
	var steps []Accessor
	if s[0] != '[' {
		start := p.i
		for p.i < len(s) && s[p.i] != '.' && s[p.i] != '[' {
			p.i++
		}
		steps = append(steps, Accessor{Key: s[start:p.i]})
	}
	rest, err := p.accessors()
	if err != nil {
		return Path{}, err
	}
	steps = append(steps, rest...)
	if p.i != len(s) {
		return Path{}, p.errf(p.i, "unexpected %q in the path", s[p.i:])
	}
	return Path{Steps: steps, Raw: raw}, nil
}
