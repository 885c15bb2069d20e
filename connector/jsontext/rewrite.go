package jsontext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Rewrite returns original (strict JSON, as Normalize writes it) with the
// value v written into it so that a reviewer's diff is small: every value
// that did not change keeps its bytes, members keep their order and
// whitespace, removed members disappear with their separator, and new
// members are appended at the end of their object, indented like their
// siblings. v is anything encoding/json can marshal; it is compared in its
// generic form (map[string]any, []any, string, float64, bool, nil).
//
// drift --write-patch and connectorlab new --merge write through it.
func Rewrite(original []byte, v any) ([]byte, error) {
	var generic any
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("rewrite: %w", err)
	}
	if err := json.Unmarshal(b, &generic); err != nil {
		return nil, fmt.Errorf("rewrite: %w", err)
	}
	src := bytes.TrimPrefix(original, []byte("\xEF\xBB\xBF"))
	sc := &spanScanner{src: src}
	root, err := sc.value(0)
	if err != nil {
		return nil, err
	}
	w := &rewriter{src: src, unit: indentUnit(src)}
	var out bytes.Buffer
	out.Write(src[:root.start])
	w.node(&out, root, generic)
	out.Write(src[root.end:])
	return out.Bytes(), nil
}

// span is one JSON value of the original text.
type span struct {
	kind       byte // '{', '[', or 'v' for scalars
	start, end int  // value bytes [start, end)
	members    []member
	elems      []*span
	tailStart  int // after the last member/element: whitespace before the closer
}

type member struct {
	lead           int // start of the whitespace before the key (after '{' or ',')
	keyStart, keyE int
	key            string
	val            *span
}

type spanScanner struct {
	src   []byte
	depth int
}

func (s *spanScanner) ws(i int) int {
	for i < len(s.src) && (s.src[i] == ' ' || s.src[i] == '\t' || s.src[i] == '\n' || s.src[i] == '\r') {
		i++
	}
	return i
}

func (s *spanScanner) errAt(i int, msg string) error {
	line, col := 1, 1
	for _, c := range s.src[:min(i, len(s.src))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("rewrite: line %d, column %d: %s (the file must be strict JSON)", line, col, msg)
}

func (s *spanScanner) value(i int) (*span, error) {
	i = s.ws(i)
	if i >= len(s.src) {
		return nil, s.errAt(i, "unexpected end of input")
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > 512 {
		return nil, s.errAt(i, "nested too deeply")
	}
	switch s.src[i] {
	case '{':
		sp := &span{kind: '{', start: i}
		j := i + 1
		for {
			lead := j
			j = s.ws(j)
			if j < len(s.src) && s.src[j] == '}' && len(sp.members) == 0 {
				sp.tailStart = lead
				sp.end = j + 1
				return sp, nil
			}
			if j >= len(s.src) || s.src[j] != '"' {
				return nil, s.errAt(j, "expected a key")
			}
			ke, err := s.str(j)
			if err != nil {
				return nil, err
			}
			var key string
			if err := json.Unmarshal(s.src[j:ke], &key); err != nil {
				return nil, s.errAt(j, "bad key")
			}
			c := s.ws(ke)
			if c >= len(s.src) || s.src[c] != ':' {
				return nil, s.errAt(c, "expected ':'")
			}
			v, err := s.value(c + 1)
			if err != nil {
				return nil, err
			}
			sp.members = append(sp.members, member{lead: lead, keyStart: j, keyE: ke, key: key, val: v})
			j = s.ws(v.end)
			if j < len(s.src) && s.src[j] == ',' {
				j++
				continue
			}
			if j < len(s.src) && s.src[j] == '}' {
				sp.tailStart = v.end
				sp.end = j + 1
				return sp, nil
			}
			return nil, s.errAt(j, "expected ',' or '}'")
		}
	case '[':
		sp := &span{kind: '[', start: i}
		j := i + 1
		for {
			k := s.ws(j)
			if k < len(s.src) && s.src[k] == ']' && len(sp.elems) == 0 {
				sp.tailStart = j
				sp.end = k + 1
				return sp, nil
			}
			v, err := s.value(j)
			if err != nil {
				return nil, err
			}
			sp.elems = append(sp.elems, v)
			j = s.ws(v.end)
			if j < len(s.src) && s.src[j] == ',' {
				j++
				continue
			}
			if j < len(s.src) && s.src[j] == ']' {
				sp.tailStart = v.end
				sp.end = j + 1
				return sp, nil
			}
			return nil, s.errAt(j, "expected ',' or ']'")
		}
	case '"':
		e, err := s.str(i)
		if err != nil {
			return nil, err
		}
		return &span{kind: 'v', start: i, end: e}, nil
	default:
		j := i
		for j < len(s.src) && !strings.ContainsRune(" \t\r\n,]}", rune(s.src[j])) {
			j++
		}
		if j == i {
			return nil, s.errAt(i, "expected a value")
		}
		return &span{kind: 'v', start: i, end: j}, nil
	}
}

// str returns the offset just after the string starting at i.
func (s *spanScanner) str(i int) (int, error) {
	for j := i + 1; j < len(s.src); j++ {
		switch s.src[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, s.errAt(i, "unterminated string")
}

type rewriter struct {
	src  []byte
	unit string
}

func (w *rewriter) node(out *bytes.Buffer, sp *span, v any) {
	switch nv := v.(type) {
	case map[string]any:
		if sp.kind == '{' {
			w.object(out, sp, nv)
			return
		}
	case []any:
		if sp.kind == '[' {
			w.array(out, sp, nv)
			return
		}
	default:
		if sp.kind == 'v' {
			var old any
			if json.Unmarshal(w.src[sp.start:sp.end], &old) == nil && reflect.DeepEqual(old, v) {
				out.Write(w.src[sp.start:sp.end])
				return
			}
		}
	}
	out.WriteString(w.encode(v, w.lineIndent(sp.start)))
}

func (w *rewriter) object(out *bytes.Buffer, sp *span, v map[string]any) {
	out.WriteByte('{')
	seen := map[string]bool{}
	last := map[string]int{}
	for i, m := range sp.members {
		last[m.key] = i // encoding/json keeps the last of duplicate keys
	}
	n := 0
	for i, m := range sp.members {
		nv, ok := v[m.key]
		if !ok {
			continue
		}
		seen[m.key] = true
		if n > 0 {
			out.WriteByte(',')
		}
		out.Write(w.src[m.lead:m.keyStart])
		if last[m.key] != i {
			// An earlier duplicate nobody reads: kept as written.
			out.Write(w.src[m.keyStart:m.val.end])
			n++
			continue
		}
		out.Write(w.src[m.keyStart:m.val.start])
		w.node(out, m.val, nv)
		n++
	}
	var added []string
	for k := range v {
		if !seen[k] {
			added = append(added, k)
		}
	}
	slices.Sort(added)
	tail := w.src[sp.tailStart : sp.end-1]
	if len(added) > 0 {
		indent, lead, mid := w.memberLayout(sp)
		compact := w.compactSiblings(sp)
		for _, k := range added {
			if n > 0 {
				out.WriteByte(',')
			}
			kb, _ := marshalNoEscape(k)
			out.WriteString(lead)
			out.Write(kb)
			out.WriteString(mid)
			if compact {
				b, _ := marshalNoEscape(v[k])
				out.Write(b)
			} else {
				out.WriteString(w.encode(v[k], indent))
			}
			n++
		}
		if len(sp.members) == 0 {
			tail = []byte("\n" + w.lineIndent(sp.start))
		}
	}
	if n == 0 && len(sp.members) > 0 {
		tail = nil
	}
	out.Write(tail)
	out.WriteByte('}')
}

// compactSiblings reports whether sp's members are written on one line
// each (a container value with no line break, or an object with no line
// break at all): new members are then written the same way.
func (w *rewriter) compactSiblings(sp *span) bool {
	if len(sp.members) == 0 {
		return !bytes.Contains(w.src, []byte("\n")) // a one-line file stays one line
	}
	m := sp.members[len(sp.members)-1]
	if m.val.kind == 'v' {
		return !bytes.Contains(w.src[sp.start:sp.end], []byte("\n"))
	}
	return !bytes.Contains(w.src[m.val.start:m.val.end], []byte("\n"))
}

// memberLayout says how a new member of sp is written: its indentation,
// the whitespace before the key and the text between key and value.
func (w *rewriter) memberLayout(sp *span) (indent, lead, mid string) {
	if len(sp.members) == 0 {
		indent = w.lineIndent(sp.start) + w.unit
		return indent, "\n" + indent, ": "
	}
	m := sp.members[len(sp.members)-1]
	indent = w.lineIndent(m.keyStart)
	lead = string(w.src[m.lead:m.keyStart])
	if !strings.Contains(lead, "\n") {
		if strings.Contains(string(w.src[sp.start:sp.end]), "\n") {
			lead = "\n" + indent
		}
	}
	mid = string(w.src[m.keyE:m.val.start])
	return indent, lead, mid
}

func (w *rewriter) array(out *bytes.Buffer, sp *span, v []any) {
	out.WriteByte('[')
	n := 0
	for i, nv := range v {
		if i < len(sp.elems) {
			if n > 0 {
				out.WriteByte(',')
			}
			start := sp.start + 1
			if i > 0 {
				start = bytes.IndexByte(w.src[sp.elems[i-1].end:], ',') + sp.elems[i-1].end + 1
			}
			out.Write(w.src[start:sp.elems[i].start])
			w.node(out, sp.elems[i], nv)
			n++
			continue
		}
		indent, lead := w.lineIndent(sp.start)+w.unit, ""
		if len(sp.elems) > 0 {
			last := sp.elems[len(sp.elems)-1]
			indent = w.lineIndent(last.start)
			if w.onOwnLine(last.start) {
				lead = "\n" + indent
			} else {
				lead = " "
			}
		} else {
			lead = "\n" + indent
		}
		if n > 0 {
			out.WriteByte(',')
		}
		out.WriteString(lead)
		out.WriteString(w.encode(nv, indent))
		n++
	}
	tail := w.src[sp.tailStart : sp.end-1]
	if len(sp.elems) == 0 && n > 0 {
		tail = []byte("\n" + w.lineIndent(sp.start))
	}
	if n == 0 && len(sp.elems) > 0 {
		tail = nil
	}
	out.Write(tail)
	out.WriteByte(']')
}

func (w *rewriter) onOwnLine(off int) bool {
	for i := off - 1; i >= 0; i-- {
		switch w.src[i] {
		case ' ', '\t':
			continue
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

func (w *rewriter) lineIndent(off int) string {
	ls := bytes.LastIndexByte(w.src[:off], '\n') + 1
	e := ls
	for e < len(w.src) && (w.src[e] == ' ' || w.src[e] == '\t') {
		e++
	}
	return string(w.src[ls:e])
}

func (w *rewriter) encode(v any, indent string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(indent, w.unit)
	_ = enc.Encode(v) // v came from json.Unmarshal: it encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// indentUnit finds the file's indentation step: the smallest non-empty
// indentation of a line; two spaces when the file is on one line.
func indentUnit(src []byte) string {
	best := ""
	for i := 0; i < len(src); i++ {
		if src[i] != '\n' {
			continue
		}
		j := i + 1
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if j > i+1 && (best == "" || j-i-1 < len(best)) {
			best = string(src[i+1 : j])
			if best == "\t" || best == " " {
				break
			}
		}
	}
	if best == "" {
		return "  "
	}
	return best
}
