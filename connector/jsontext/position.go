package jsontext

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// lineTable turns byte offsets into 1-based line and character columns. It
// is built only when a position is needed, so clean input never pays for it.
type lineTable struct {
	src    []byte
	starts []int // offset of the first byte of each line
	bom    int   // bytes of a leading byte order mark, not counted as a column

	// Positions computed ahead by prepare, sorted by offset.
	memoOff           []int
	memoLine, memoCol []int
}

func newLineTable(src []byte) *lineTable {
	t := &lineTable{src: src, starts: make([]int, 1, len(src)/40+1)}
	for off := 0; ; {
		j := bytes.IndexByte(src[off:], '\n')
		if j < 0 {
			break
		}
		off += j + 1
		t.starts = append(t.starts, off)
	}
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		t.bom = 3
	}
	return t
}

// lineStart returns the 0-based line holding off and where its characters
// start (after a byte order mark on line 0).
func (t *lineTable) lineStart(off int) (line, start int) {
	line, found := slices.BinarySearch(t.starts, off)
	if !found {
		line--
	}
	start = t.starts[line]
	if line == 0 {
		start = min(t.bom, off)
	}
	return line, start
}

// pos counts a byte that is not valid UTF-8 as one character, matching a
// Windows-1252 reading of it. Without prepare it costs the length of the
// line, which matters only when many positions fall on one long line.
func (t *lineTable) pos(off int) (line, col int) {
	off = max(0, min(off, len(t.src)))
	if i, ok := slices.BinarySearch(t.memoOff, off); ok {
		return t.memoLine[i], t.memoCol[i]
	}
	l, start := t.lineStart(off)
	return l + 1, utf8.RuneCount(t.src[start:off]) + 1
}

// prepare computes the positions of offs in one forward sweep, so that
// thousands of repairs on one minified line stay linear.
func (t *lineTable) prepare(offs []int) {
	for i, off := range offs {
		offs[i] = max(0, min(off, len(t.src)))
	}
	slices.Sort(offs)
	offs = slices.Compact(offs)
	t.memoOff, t.memoLine, t.memoCol = offs, make([]int, len(offs)), make([]int, len(offs))
	prevLine, prevOff, prevCol := -1, 0, 0
	for i, off := range offs {
		l, start := t.lineStart(off)
		col := 0
		if l == prevLine && off >= max(prevOff, start) {
			col = prevCol + utf8.RuneCount(t.src[max(prevOff, start):off])
		} else {
			col = utf8.RuneCount(t.src[start:off]) + 1
		}
		t.memoLine[i], t.memoCol[i] = l+1, col
		prevLine, prevOff, prevCol = l, off, col
	}
}

func (p *parser) pos(off int) (line, col int) {
	if p.lines == nil {
		p.lines = newLineTable(p.src)
	}
	return p.lines.pos(off)
}

// indentOf returns the indentation (in spaces) of the line holding off.
// Tabs make indentation incomparable, so they yield -1.
func indentOf(src []byte, off int) int {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := start
	for end < len(src) && src[end] == ' ' {
		end++
	}
	if end < len(src) && src[end] == '\t' {
		return -1
	}
	return end - start
}

// firstOnLine reports whether only blanks precede off on its line, looking
// back no further than those blanks.
func firstOnLine(src []byte, off int) bool {
	for i := off - 1; i >= 0; i-- {
		switch src[i] {
		case ' ', '\t':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}

// misindented finds the first closing bracket before limit that starts its
// line at a different indentation from the line holding its opener. In a
// consistently indented file that is where an extra or missing bracket
// shifted the pairing, which the scanner only notices much later. It is a
// heuristic for hints, run only on the error path.
func (p *parser) misindented(limit int) (closer, opener int, ok bool) {
	src := p.src
	limit = min(limit, len(src))
	var open []int
	for i := 0; i < limit; i++ {
		switch c := src[i]; c {
		case '"':
			for i++; i < limit && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '/':
			if i+1 < limit && src[i+1] == '/' {
				j := bytes.IndexByte(src[i:limit], '\n')
				if j < 0 {
					return 0, 0, false
				}
				i += j
			} else if i+1 < limit && src[i+1] == '*' {
				j := bytes.Index(src[i+2:limit], []byte("*/"))
				if j < 0 {
					return 0, 0, false
				}
				i += j + 3
			}
		case '{', '[':
			open = append(open, i)
		case '}', ']':
			if len(open) == 0 {
				continue
			}
			o := open[len(open)-1]
			open = open[:len(open)-1]
			if !firstOnLine(src, i) {
				continue
			}
			if ci, oi := indentOf(src, i), indentOf(src, o); ci >= 0 && oi >= 0 && oi != ci {
				return i, o, true
			}
		}
	}
	return 0, 0, false
}
