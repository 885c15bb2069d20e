package jsontext

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Index maps RFC 6901 JSON pointers to positions in the original bytes,
// including lenient input that Normalize repairs. For input that Normalize
// refuses, it covers the part before the error. Safe for concurrent use.
type Index struct {
	src   []byte
	once  sync.Once
	nodes []node
	lines *lineTable
}

// node is one value in document order; children are linked so the tree
// costs one slice and no per-container allocation.
type node struct {
	keyQuote, keyClose int // the member's key token, or -1 for elements and the root
	val                int // first byte of the value
	firstKid, lastKid  int32
	next               int32
	keyDecode          bool // the raw key differs from its decoded text
}

type indexBuilder struct {
	nodes []node
}

// value records the value starting at off, as the next child of the
// innermost open container.
func (b *indexBuilder) value(p *parser, off int) {
	n := node{keyQuote: -1, keyClose: -1, val: off, firstKid: -1, lastKid: -1, next: -1}
	id := int32(len(b.nodes))
	if len(p.stack) > 0 {
		f := p.stack[len(p.stack)-1]
		if f.obj && len(p.keys) > f.keys {
			k := p.keys[len(p.keys)-1]
			n.keyQuote, n.keyClose = k.quote, k.close
			n.keyDecode = k.dec >= 0 || !utf8.Valid(p.src[k.quote+1:k.close])
		}
		parent := &b.nodes[f.node]
		if parent.lastKid < 0 {
			parent.firstKid = id
		} else {
			b.nodes[parent.lastKid].next = id
		}
		parent.lastKid = id
	}
	b.nodes = append(b.nodes, n)
}

// NewIndex returns an index over original. It only keeps the slice; the
// table is built on the first lookup. original must not change afterwards.
func NewIndex(original []byte) *Index {
	return &Index{src: original}
}

func (ix *Index) build() {
	ix.once.Do(func() {
		p := getParser(ix.src, DefaultMaxDepth)
		defer putParser(p)
		// Every value but the root follows a ':', ',' or '[': counting them
		// (fast, vectorised) sizes the table once, usually a little over.
		n := bytes.Count(ix.src, []byte{':'}) + bytes.Count(ix.src, []byte{','}) + bytes.Count(ix.src, []byte{'['}) + 1
		p.ix = &indexBuilder{nodes: make([]node, 0, n)}
		src := ix.src
		if err := p.run(); err != nil {
			// Normalize recovers some inputs with an edit that keeps every
			// position (a bracket blanked, text appended at the end): index
			// that text so pointers into the recovered document resolve.
			var nodes []node
			fixed, _, ok := recoverInput(ix.src, err, func(fixed []byte) error {
				q := getParser(fixed, DefaultMaxDepth)
				defer putParser(q)
				q.ix = &indexBuilder{nodes: make([]node, 0, n)}
				err := q.run()
				nodes = q.ix.nodes
				return err
			})
			if ok {
				p.ix, src = &indexBuilder{nodes: nodes}, fixed
			}
		}
		// a refused input still indexes its prefix
		ix.nodes = p.ix.nodes
		ix.lines = newLineTable(src)
	})
}

// Position returns where pointer is in the original input: the key of an
// object member, or the value for an array element and the root. When the
// full pointer does not exist it returns the deepest existing ancestor and
// ok=false; for a malformed pointer or empty input, line and col are 0.
//
// pointer is an RFC 6901 JSON pointer ("/paths/~1pets/get") or its URI
// fragment form ("#/definitions/Pet"), as found in a $ref. A repeated key
// resolves to its last occurrence, as encoding/json decodes it.
func (ix *Index) Position(pointer string) (line, col int, ok bool) {
	n, ok := ix.lookup(pointer)
	if n < 0 {
		return 0, 0, false
	}
	off := ix.nodes[n].val
	if ix.nodes[n].keyQuote >= 0 {
		off = ix.nodes[n].keyQuote
	}
	line, col = ix.lines.pos(off)
	return line, col, ok
}

// ValuePosition is Position but always locates the value, never the key.
func (ix *Index) ValuePosition(pointer string) (line, col int, ok bool) {
	n, ok := ix.lookup(pointer)
	if n < 0 {
		return 0, 0, false
	}
	line, col = ix.lines.pos(ix.nodes[n].val)
	return line, col, ok
}

var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

func (ix *Index) lookup(pointer string) (n int32, ok bool) {
	ix.build()
	if len(ix.nodes) == 0 {
		return -1, false
	}
	if frag, isFrag := strings.CutPrefix(pointer, "#"); isFrag {
		dec, err := url.PathUnescape(frag)
		if err != nil {
			return -1, false
		}
		pointer = dec
	}
	if pointer == "" {
		return 0, true
	}
	if pointer[0] != '/' {
		return -1, false
	}
	var scratch []byte
	for rest := pointer[1:]; ; {
		tok, more, _ := strings.Cut(rest, "/")
		if strings.Contains(tok, "~") {
			tok = pointerUnescaper.Replace(tok)
		}
		next := int32(-1)
		cur := &ix.nodes[n]
		switch ix.src[cur.val] {
		case '{':
			for k := cur.firstKid; k >= 0; k = ix.nodes[k].next {
				var match bool
				if match, scratch = ix.keyIs(k, tok, scratch); match {
					next = k // keep going: the last duplicate wins
				}
			}
		case '[':
			i, err := strconv.Atoi(tok)
			if err != nil || tok[0] < '0' || tok[0] > '9' || len(tok) > 1 && tok[0] == '0' {
				return n, false // RFC 6901 indices are plain digits: no sign, no leading zero
			}
			for k := cur.firstKid; k >= 0; k = ix.nodes[k].next {
				if i == 0 {
					next = k
					break
				}
				i--
			}
		}
		if next < 0 {
			return n, false
		}
		n = next
		if !strings.Contains(rest, "/") {
			return n, true
		}
		rest = more
	}
}

func (ix *Index) keyIs(k int32, tok string, scratch []byte) (bool, []byte) {
	nd := &ix.nodes[k]
	raw := ix.src[nd.keyQuote+1 : nd.keyClose]
	if !nd.keyDecode {
		return string(raw) == tok, scratch
	}
	scratch = appendUnescaped(scratch[:0], raw)
	return bytes.Equal(scratch, []byte(tok)), scratch
}
