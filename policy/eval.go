package policy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// scope is what expressions see while one policy runs.
type scope struct {
	e          *Engine
	header     http.Header                      // @headers
	query      func(name string) (string, bool) // @queryParameters
	origMethod string                           // @Request.OriginalHTTPMethod
	src        bodyCtx                          // @body(): the request or response body
	item       any                              // @item()
	hasItem    bool                             //
	trigger    any                              // @triggerBody()
	hasTrigger bool                             //
	pathParams map[string]string                // {name}
	learnt     *[]string                        // secret values met during this call
	notes      *[]string                        // absent values, for the trace
}

func (s *scope) note(format string, args ...any) {
	if s.notes != nil {
		*s.notes = append(*s.notes, fmt.Sprintf(format, args...))
	}
}

func (s *scope) secret(v string) {
	if s.learnt != nil && v != "" {
		*s.learnt = append(*s.learnt, v)
	}
}

// eval evaluates one expression. found is false when the value is absent
// (a missing header, a body path that does not exist); secret is true when
// the value is, or derives from, a credential.
func (s *scope) eval(x *Expr) (v any, found, secret bool, err error) {
	arg := func(i int) (string, bool) {
		if i < len(x.Args) {
			return x.Args[i], true
		}
		return "", false
	}
	switch x.Func {
	case FuncConnectionParameters:
		name, _ := arg(0)
		def, hasDef := arg(1)
		val, sec, err := s.connParam(name, def, hasDef)
		if err != nil {
			return nil, false, sec, err
		}
		if sec {
			s.secret(val)
		}
		return val, true, sec, nil
	case FuncHeaders:
		name, _ := arg(0)
		def, hasDef := arg(1)
		sec := sensitiveName(name)
		if vals, ok := headerValues(s.header, name); ok {
			val := strings.Join(vals, ",")
			if sec {
				s.secret(val)
			}
			return val, true, sec, nil
		}
		if hasDef {
			return def, true, false, nil
		}
		s.note("header %s is absent; it evaluates to \"\"", name)
		return "", false, sec, nil
	case FuncQueryParameters:
		name, _ := arg(0)
		def, hasDef := arg(1)
		sec := sensitiveName(name)
		if s.query != nil {
			if val, ok := s.query(name); ok {
				if sec {
					s.secret(val)
				}
				return val, true, sec, nil
			}
		}
		if hasDef {
			return def, true, false, nil
		}
		s.note("query parameter %s is absent; it evaluates to \"\"", name)
		return "", false, sec, nil
	case FuncOriginalMethod:
		return s.origMethod, true, false, nil
	case FuncBody, FuncItem, FuncTriggerBody:
		root, ok := s.root(x.Func)
		if !ok {
			s.note("%s() has no JSON value here", x.Name)
			return nil, false, false, nil
		}
		v, ok := walk(root, x.Path)
		if !ok {
			s.note("%s is absent", x.Raw)
		}
		return v, ok, false, nil
	}
	return nil, false, false, fmt.Errorf("unknown function %s", x.Name)
}

func (s *scope) root(f Func) (any, bool) {
	switch f {
	case FuncBody:
		if s.src == nil {
			return nil, false
		}
		b, err := s.src.loadJSON()
		if err != nil || !b.ok {
			return nil, false
		}
		return b.val, true
	case FuncItem:
		return s.item, s.hasItem
	case FuncTriggerBody:
		return s.trigger, s.hasTrigger
	}
	return nil, false
}

// connParam looks a connection parameter up: the caller's value, then the
// declared defaultValue, then the expression's default argument.
func (s *scope) connParam(name, def string, hasDef bool) (string, bool, error) {
	e := s.e
	sec := e.isSecretParam(name)
	if v, ok := e.opts.Params[name]; ok {
		return v, sec, nil
	}
	for k, v := range e.opts.Params {
		if strings.EqualFold(k, name) {
			return v, sec, nil
		}
	}
	p := e.param(name)
	if p != nil && p.Default != nil {
		if d := paramValue(p.Default); d != "" {
			return d, sec, nil
		}
	}
	if hasDef {
		return def, false, nil
	}
	what := "it is not declared in apiProperties.json"
	if p != nil {
		what = fmt.Sprintf("declared as %s", p.Type)
		if p.DisplayName != "" {
			what += fmt.Sprintf(" %q", p.DisplayName)
		}
	}
	return "", sec, fmt.Errorf("%w: %q (%s); supply a value for it", ErrMissingParameter, name, what)
}

func headerValues(h http.Header, name string) ([]string, bool) {
	if h == nil {
		return nil, false
	}
	if v, ok := h[http.CanonicalHeaderKey(name)]; ok && len(v) > 0 {
		return v, true
	}
	for k, v := range h { // non-canonical keys set directly on the map
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v, true
		}
	}
	return nil, false
}

// render evaluates a template to a string. esc, when set, escapes each
// substituted expression value (url.PathEscape in newPath); literal text and
// path parameters (held in their escaped form) are kept as written.
func (s *scope) render(t *Template, esc func(string) string) (string, bool, error) {
	if lit, ok := t.literal(); ok {
		return lit, false, nil // no copy to build
	}
	var b strings.Builder
	secret := false
	for _, p := range t.Parts {
		switch {
		case p.Expr != nil:
			v, _, sec, err := s.eval(p.Expr)
			if err != nil {
				return "", secret || sec, err
			}
			secret = secret || sec
			str := stringOf(v)
			if esc != nil {
				str = esc(str)
			}
			b.WriteString(str)
		case p.Placeholder != "":
			v, ok := lookupFold(s.pathParams, p.Placeholder)
			if !ok {
				s.note("path parameter {%s} has no value; left as written", p.Placeholder)
				b.WriteString("{" + p.Placeholder + "}")
				continue
			}
			b.WriteString(v) // path parameters are held escaped already
		default:
			b.WriteString(p.Lit)
		}
	}
	return b.String(), secret, nil
}

// literal is the text of a template made of one literal part: what render
// gives for it, without a scope or a builder.
func (t *Template) literal() (string, bool) {
	if len(t.Parts) == 1 && t.Parts[0].Expr == nil && t.Parts[0].Placeholder == "" {
		return t.Parts[0].Lit, true
	}
	return "", false
}

func lookupFold(m map[string]string, k string) (string, bool) {
	if v, ok := m[k]; ok {
		return v, true
	}
	for kk, v := range m {
		if strings.EqualFold(kk, k) {
			return v, true
		}
	}
	return "", false
}

// valueOf evaluates a setproperty value template to a JSON value:
//   - exactly one expression ("{@body().next}") gives its value as is;
//   - text starting with '[' or '{' is JSON once each expression is
//     substituted (JSON-encoded outside strings, escaped inside them):
//     "[{@body().payments}]" wraps a value in an array;
//   - text in single quotes is a string literal with the quotes removed;
//   - anything else is a string with the expressions interpolated
//     (numbers stay strings: "30" sets "30").
func (s *scope) valueOf(t *Template) (v any, found, secret bool, err error) {
	if x := t.Single(); x != nil {
		v, found, secret, err = s.eval(x)
		return deepCopy(v), found, secret, err
	}
	raw := strings.TrimSpace(t.Raw)
	if strings.HasPrefix(raw, "[") || (strings.HasPrefix(raw, "{") && !strings.HasPrefix(raw, "{@")) {
		text, sec, err := s.renderJSON(t)
		if err != nil {
			return nil, false, sec, err
		}
		if val, jerr := decodeJSON([]byte(text)); jerr == nil {
			return val, true, sec, nil
		}
	}
	str, sec, err := s.render(t, nil)
	if err != nil {
		return nil, false, sec, err
	}
	if tr := strings.TrimSpace(str); len(tr) >= 2 && tr[0] == '\'' && tr[len(tr)-1] == '\'' {
		str = tr[1 : len(tr)-1]
	}
	return str, true, sec, nil
}

// renderJSON substitutes expressions into JSON text: a value outside a JSON
// string is written as JSON, one inside a string as escaped string content.
func (s *scope) renderJSON(t *Template) (string, bool, error) {
	var b strings.Builder
	inString, escaped := false, false
	secret := false
	track := func(lit string) {
		for i := 0; i < len(lit); i++ {
			c := lit[i]
			switch {
			case escaped:
				escaped = false
			case c == '\\' && inString:
				escaped = true
			case c == '"':
				inString = !inString
			}
		}
	}
	for _, p := range t.Parts {
		if p.Expr == nil {
			lit := p.Lit
			if p.Placeholder != "" {
				lit = "{" + p.Placeholder + "}"
			}
			track(lit)
			b.WriteString(lit)
			continue
		}
		v, found, sec, err := s.eval(p.Expr)
		if err != nil {
			return "", secret || sec, err
		}
		secret = secret || sec
		if inString {
			q, _ := json.Marshal(stringOf(v))
			b.Write(q[1 : len(q)-1])
			continue
		}
		if !found {
			b.WriteString("null")
			continue
		}
		b.Write(encodeJSON(v))
	}
	return b.String(), secret, nil
}

// walk follows accessors through the ordered JSON model.
func walk(v any, steps []Accessor) (any, bool) {
	for _, st := range steps {
		switch x := v.(type) {
		case *object:
			if st.IsIndex {
				return nil, false
			}
			nv, ok := x.get(st.Key)
			if !ok {
				return nil, false
			}
			v = nv
		case []any:
			if !st.IsIndex || st.Index < 0 || st.Index >= len(x) {
				return nil, false
			}
			v = x[st.Index]
		default:
			return nil, false
		}
	}
	return v, true
}

// setAt writes val at steps below root, creating objects on the way, and
// returns the (possibly new) root. It fails when a step crosses a value
// that is neither an object nor an array.
func setAt(root any, steps []Accessor, val any) (any, error) {
	if len(steps) == 0 {
		return val, nil
	}
	st := steps[0]
	switch x := root.(type) {
	case *object:
		if st.IsIndex {
			return root, fmt.Errorf("cannot index an object with [%d]", st.Index)
		}
		child, _ := x.get(st.Key)
		if child == nil && len(steps) > 1 {
			child = newObject()
		}
		nv, err := setAt(child, steps[1:], val)
		if err != nil {
			return root, err
		}
		x.set(st.Key, nv)
		return x, nil
	case []any:
		if !st.IsIndex || st.Index >= len(x) {
			return root, fmt.Errorf("cannot write %s into an array", st)
		}
		nv, err := setAt(x[st.Index], steps[1:], val)
		if err != nil {
			return root, err
		}
		x[st.Index] = nv
		return x, nil
	case nil:
		if st.IsIndex {
			return root, fmt.Errorf("cannot create an array element [%d]", st.Index)
		}
		o := newObject()
		return setAt(o, steps, val)
	}
	return root, fmt.Errorf("cannot write %s below a %s", st, kindOf(root))
}

// deleteAt removes the value at steps below root.
func deleteAt(root any, steps []Accessor) bool {
	if len(steps) == 0 {
		return false
	}
	parent, ok := walk(root, steps[:len(steps)-1])
	if !ok {
		return false
	}
	last := steps[len(steps)-1]
	if o, isObj := parent.(*object); isObj && !last.IsIndex {
		if _, had := o.get(last.Key); had {
			o.del(last.Key)
			return true
		}
	}
	return false
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case *object:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}
