package jsontext

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"slices"
	"unicode"
	"unicode/utf8"
)

// What the scanner expects next.
const (
	stValue = iota // a value (root, after ':', or an array element)
	stKey          // a key string or '}'
	stColon        // ':' after a key
	stAfter        // ',' or a closing bracket after a value (or the end, at the root)
)

// frame is one open object or array.
type frame struct {
	open  int   // offset of '{' or '['
	keys  int   // start of this object's keys in parser.keys
	arena int   // length of parser.arena when the object opened
	node  int32 // Index node of the container (index mode only)
	obj   bool
}

// keyRef names an object key without copying it: the raw bytes between its
// quotes, or, when it had escapes or Windows-1252 bytes, its decoded form in
// parser.arena.
type keyRef struct {
	quote, close int   // offsets of the key's quotes in src
	dec, decLen  int32 // decoded key in arena, or dec = -1
}

// rawRepair is a repair before its position is turned into line:col.
type rawRepair struct {
	id   string
	off  int    // where, in src
	ref  int    // a related offset (first duplicate, next token), or -1
	n    int    // how many characters or bytes it covers
	c    rune   // the character involved, if any
	text string // a key name or closing bracket, if any
}

type parser struct {
	src      []byte
	out      []byte // nil until the first change
	dirty    bool
	flushed  int // src[:flushed] is already in out (or deliberately dropped)
	maxDepth int

	stack   []frame
	keys    []keyRef
	arena   []byte
	hashes  []uint64
	table   []int32
	repairs []rawRepair

	ctrlRep int // index of the current string's control-char repair, or -1
	utf8Rep int // index of the not-UTF-8 repair, or -1
	lastNL  int // opening quote of the latest string holding a raw line break, or -1
	rootEnd int // offset of the root container's closing bracket, or -1

	lines *lineTable
	ix    *indexBuilder
}

func (p *parser) reset(src []byte, maxDepth int) {
	p.src, p.out, p.dirty, p.flushed, p.maxDepth = src, nil, false, 0, maxDepth
	p.stack, p.keys, p.arena, p.repairs = p.stack[:0], p.keys[:0], p.arena[:0], p.repairs[:0]
	p.ctrlRep, p.utf8Rep, p.lastNL, p.rootEnd = -1, -1, -1, -1
	p.lines, p.ix = nil, nil
}

// result is the normalized output after a successful run.
func (p *parser) result() []byte {
	if !p.dirty {
		return p.src[p.flushed:]
	}
	return append(p.out, p.src[p.flushed:]...)
}

// flush copies src up to offset to into out, switching to copy mode.
func (p *parser) flush(to int) {
	if !p.dirty {
		p.dirty = true
		p.out = make([]byte, 0, len(p.src)+len(p.src)/64+64)
	}
	p.out = append(p.out, p.src[p.flushed:to]...)
	p.flushed = to
}

// replace writes s in place of src[from:to]; from must not be before flushed.
func (p *parser) replace(from, to int, s string) {
	p.flush(from)
	p.out = append(p.out, s...)
	p.flushed = to
}

// outPos is where src offset off lands in the output; valid while
// off >= flushed, and stays valid for bytes already written.
func (p *parser) outPos(off int) int { return len(p.out) + off - p.flushed }

// insertAt inserts s before src offset off, whose output position was
// recorded as outOff when it was still ahead of flushed.
func (p *parser) insertAt(off, outOff int, s string) {
	if off >= p.flushed {
		p.replace(off, off, s)
		return
	}
	p.out = slices.Insert(p.out, outOff, []byte(s)...)
}

// removeAt drops the byte at src offset off (output position outOff).
func (p *parser) removeAt(off, outOff int) {
	if off >= p.flushed {
		p.replace(off, off+1, "")
		return
	}
	p.out = slices.Delete(p.out, outOff, outOff+1)
}

func (p *parser) addRepair(r rawRepair) int {
	p.repairs = append(p.repairs, r)
	return len(p.repairs) - 1
}

// run scans the whole input once, writing repairs as it goes.
func (p *parser) run() error {
	src := p.src
	i := 0
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		p.addRepair(rawRepair{id: RepairBOM, ref: -1})
		i, p.flushed = 3, 3
	} else if len(src) >= 2 && (src[0] == 0xFF && src[1] == 0xFE || src[0] == 0xFE && src[1] == 0xFF) {
		return p.syntaxError(0, "input is UTF-16 encoded", "save the file as UTF-8")
	}

	state := stValue
	first := false            // a container was just opened, so it may close empty
	comma, commaOut := -1, 0  // the ',' just read, in case a closer follows it
	valEnd, valEndOut := 0, 0 // end of the latest complete value
	for {
		i = p.skipSpace(i)
		if i >= len(src) {
			if state == stAfter && len(p.stack) == 0 {
				return nil
			}
			return p.eofError(i, state)
		}
		c := src[i]
		if c == '/' {
			return p.slashError(i) // skipSpace took every complete comment
		}
		switch state {
		case stValue:
			start := i
			switch {
			case c == '{' || c == '[':
				if len(p.stack) >= p.maxDepth {
					return p.depthError(i)
				}
				if p.ix != nil {
					p.ix.value(p, i)
				}
				p.stack = append(p.stack, frame{open: i, keys: len(p.keys), arena: len(p.arena), obj: c == '{'})
				if p.ix != nil {
					p.stack[len(p.stack)-1].node = int32(len(p.ix.nodes) - 1)
				}
				i++
				first, comma = true, -1
				if c == '{' {
					state = stKey
				}
				continue
			case c == ']' && len(p.stack) > 0 && !p.stack[len(p.stack)-1].obj && (first || comma >= 0):
				if comma >= 0 {
					p.removeAt(comma, commaOut)
					p.addRepair(rawRepair{id: RepairTrailingComma, off: comma, ref: -1, text: "]"})
				}
				p.closeContainer()
				i++
			case c == '"':
				var err error
				if i, _, err = p.scanString(i); err != nil {
					return err
				}
			case c == '-' || c >= '0' && c <= '9':
				end, ok := scanNumber(src, i)
				if !ok {
					return p.numberError(i)
				}
				i = end
			case c == 't' || c == 'f' || c == 'n':
				end, ok := scanLiteral(src, i)
				if !ok {
					return p.valueError(i, comma, first)
				}
				i = end
			default:
				return p.valueError(i, comma, first)
			}
			if p.ix != nil && c != ']' {
				p.ix.value(p, start)
			}

		case stKey:
			switch c {
			case '"':
				end, decode, err := p.scanString(i)
				if err != nil {
					return err
				}
				k := keyRef{quote: i, close: end - 1, dec: -1}
				if decode {
					a := len(p.arena)
					p.arena = appendUnescaped(p.arena, src[i+1:end-1])
					k.dec, k.decLen = int32(a), int32(len(p.arena)-a)
				}
				p.keys = append(p.keys, k)
				i = end
				state = stColon
				continue
			case '}':
				if !first && comma >= 0 {
					p.removeAt(comma, commaOut)
					p.addRepair(rawRepair{id: RepairTrailingComma, off: comma, ref: -1, text: "}"})
				}
				p.closeContainer()
				i++
			default:
				return p.keyError(i, comma)
			}

		case stColon:
			if c != ':' {
				return p.colonError(i)
			}
			i++
			state, first, comma = stValue, false, -1
			continue

		case stAfter:
			if len(p.stack) == 0 {
				return p.rootError(i)
			}
			top := &p.stack[len(p.stack)-1]
			switch {
			case c == ',':
				comma, commaOut = i, p.outPos(i)
				i++
				first = false
				if top.obj {
					state = stKey
				} else {
					state = stValue
				}
				continue
			case c == '}' || c == ']':
				if top.obj != (c == '}') {
					return p.mismatchError(i)
				}
				p.closeContainer()
				i++
			case i > valEnd && (top.obj && c == '"' && keyFollows(src, i) || !top.obj && isValueStart(c)):
				// A value ended, whitespace followed, and a new member or
				// element starts: the only reading is a forgotten ','.
				p.insertAt(valEnd, valEndOut, ",")
				p.addRepair(rawRepair{id: RepairMissingComma, off: valEnd, ref: i, text: missingCommaWhat(top.obj)})
				comma, first = -1, false
				if top.obj {
					state = stKey
				} else {
					state = stValue
				}
				continue
			default:
				return p.afterValueError(i, valEnd)
			}
		}
		// A value just ended at i.
		if len(p.stack) == 0 && (c == '}' || c == ']') {
			p.rootEnd = i - 1
		}
		valEnd, valEndOut = i, p.outPos(i)
		state, first, comma = stAfter, false, -1
	}
}

func missingCommaWhat(obj bool) string {
	if obj {
		return "key"
	}
	return "element"
}

// closeContainer pops the innermost container; for an object it looks for
// duplicate keys, now that all of them are known.
func (p *parser) closeContainer() {
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if f.obj {
		p.checkDuplicates(f.keys)
		p.keys = p.keys[:f.keys]
		p.arena = p.arena[:f.arena]
	}
}

var hashSeed = maphash.MakeSeed()

func (p *parser) keyBytes(k keyRef) []byte {
	if k.dec >= 0 {
		return p.arena[k.dec : k.dec+k.decLen]
	}
	return p.src[k.quote+1 : k.close]
}

// checkDuplicates reports every key of the object starting at keys[from]
// that repeats an earlier one, pointing at the later key.
func (p *parser) checkDuplicates(from int) {
	ks := p.keys[from:]
	n := len(ks)
	if n < 2 {
		return
	}
	if n <= 8 {
		for j := 1; j < n; j++ {
			kj := p.keyBytes(ks[j])
			for k := 0; k < j; k++ {
				if ks[k].dec < 0 && ks[j].dec < 0 && ks[k].close-ks[k].quote != ks[j].close-ks[j].quote {
					continue // the common case, decided without touching the bytes
				}
				if bytes.Equal(p.keyBytes(ks[k]), kj) {
					p.duplicate(ks[k], ks[j])
					break
				}
			}
		}
		return
	}
	// Open addressing over reused scratch: linear time, no allocation.
	size := 16
	for size < 2*n {
		size <<= 1
	}
	mask := uint64(size - 1)
	if cap(p.table) < size {
		p.table = make([]int32, size)
	}
	table := p.table[:size]
	clear(table)
	if cap(p.hashes) < n {
		p.hashes = make([]uint64, n)
	}
	hashes := p.hashes[:n]
	for j := range ks {
		kj := p.keyBytes(ks[j])
		h := maphash.Bytes(hashSeed, kj)
		hashes[j] = h
		for slot := h & mask; ; slot = (slot + 1) & mask {
			e := table[slot]
			if e == 0 {
				table[slot] = int32(j + 1)
				break
			}
			if hashes[e-1] == h && bytes.Equal(p.keyBytes(ks[e-1]), kj) {
				p.duplicate(ks[e-1], ks[j])
				break
			}
		}
	}
}

func (p *parser) duplicate(first, later keyRef) {
	p.addRepair(rawRepair{id: RepairDuplicateKey, off: later.quote, ref: first.quote, text: string(p.keyBytes(later))})
}

// skipSpace skips JSON whitespace and repairs comments and odd spaces.
func (p *parser) skipSpace(i int) int {
	src := p.src
	for i < len(src) {
		switch c := src[i]; {
		case c == ' ':
			// Indentation is most of the whitespace: skip it eight at a time.
			i++
			for i+8 <= len(src) {
				if x := binary.LittleEndian.Uint64(src[i:]) ^ lsb*' '; x != 0 {
					i += bits.TrailingZeros64(x) >> 3
					break
				}
				i += 8
			}
		case c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '/':
			j, ok := p.comment(i)
			if !ok {
				return i
			}
			i = j
		case c >= 0x80 || c == '\f' || c == '\v':
			j := p.oddSpace(i)
			if j == i {
				return i
			}
			i = j
		default:
			return i
		}
	}
	return i
}

// comment removes a // or /* */ comment at i and returns the offset after
// it; ok is false if there is no complete comment at i.
func (p *parser) comment(i int) (int, bool) {
	src := p.src
	if i+1 >= len(src) {
		return i, false
	}
	switch src[i+1] {
	case '/':
		end := bytes.IndexByte(src[i+2:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += i + 2
		}
		p.replace(i, end, "")
		p.addRepair(rawRepair{id: RepairComment, off: i, ref: -1, text: "//"})
		return end, true
	case '*':
		end := bytes.Index(src[i+2:], []byte("*/"))
		if end < 0 {
			return i, false
		}
		end += i + 4
		p.replace(i, end, " ") // a space keeps the tokens on either side apart
		p.addRepair(rawRepair{id: RepairComment, off: i, ref: -1, text: "/*"})
		return end, true
	}
	return i, false
}

// oddSpace replaces a run of non-JSON spaces at i with one ' ' and returns
// the offset after the run (i itself if there is none).
func (p *parser) oddSpace(i int) int {
	src := p.src
	j := i
	var first rune = -1
	n := 0
	for j < len(src) {
		r, size, bad := decodeRune(src[j:])
		if !isOddSpace(r) {
			break
		}
		if bad {
			p.notUTF8(j)
		}
		if first < 0 {
			first = r
		}
		n++
		j += size
	}
	if j == i {
		return i
	}
	p.replace(i, j, " ")
	p.addRepair(rawRepair{id: RepairUnicodeSpace, off: i, ref: -1, n: n, c: first})
	return j
}

// decodeRune decodes UTF-8, falling back to Windows-1252 for a byte that
// starts no valid sequence; bad reports the fallback.
func decodeRune(b []byte) (r rune, size int, bad bool) {
	if b[0] < utf8.RuneSelf {
		return rune(b[0]), 1, false
	}
	r, size = utf8.DecodeRune(b)
	if r == utf8.RuneError && size == 1 {
		return cp1252(b[0]), 1, true
	}
	return r, size, false
}

func isOddSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r':
		return false // plain JSON whitespace: not a repair
	case '\f', '\v', 0xFEFF, 0x200B, 0x2060:
		return true
	}
	return r >= 0x80 && unicode.IsSpace(r)
}

// cp1252 maps a byte to its Windows-1252 character. 0x80-0x9F differ from
// Latin-1; the five bytes Windows-1252 leaves undefined keep their Latin-1
// (C1 control) meaning, as Windows' own decoder does.
func cp1252(b byte) rune {
	if b >= 0x80 && b < 0xA0 {
		return cp1252High[b-0x80]
	}
	return rune(b)
}

var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// notUTF8 records a byte decoded as Windows-1252: the first one is
// reported, the rest are counted.
func (p *parser) notUTF8(off int) {
	if p.utf8Rep >= 0 {
		p.repairs[p.utf8Rep].n++
		return
	}
	p.utf8Rep = p.addRepair(rawRepair{id: RepairNotUTF8, off: off, ref: -1, n: 1, c: cp1252(p.src[off])})
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// hasZero reports (as a nonzero word) whether any byte of x is zero.
func hasZero(x uint64) uint64 { return (x - lsb) &^ x & msb }

// strStop marks the bytes that end the fast loop inside a string.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// scanString scans the string whose opening quote is at q and returns the
// offset after its closing quote, and whether its raw bytes differ from its
// decoded text other than by raw control characters (escapes, bytes that
// are not UTF-8).
func (p *parser) scanString(q int) (end int, decode bool, err error) {
	src := p.src
	i := q + 1
	p.ctrlRep = -1
	for {
		// Eight bytes at a time while none of them needs a look.
		// Eight bytes at a time; the lowest flagged byte is exact, as
		// borrows only run upwards.
		for i+8 <= len(src) {
			x := binary.LittleEndian.Uint64(src[i:])
			if m := (x-lsb*0x20)&^x&msb | hasZero(x^(lsb*'"')) | hasZero(x^(lsb*'\\')) | x&msb; m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				goto stop
			}
			i += 8
		}
		for i < len(src) && !strStop[src[i]] {
			i++
		}
	stop:
		if i >= len(src) {
			return 0, false, p.unterminatedString(q)
		}
		switch c := src[i]; {
		case c == '"':
			return i + 1, decode, nil
		case c == '\\':
			decode = true
			if i+1 >= len(src) {
				return 0, false, p.unterminatedString(q)
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
				continue
			case 'u':
				if i+6 <= len(src) && isHex(src[i+2]) && isHex(src[i+3]) && isHex(src[i+4]) && isHex(src[i+5]) {
					i += 6
					continue
				}
			}
			r, _, _ := decodeRune(src[i+1:])
			p.replace(i, i+1, `\\`)
			p.addRepair(rawRepair{id: RepairInvalidEscape, off: i, ref: -1, c: r})
			i++
		case c < 0x20:
			p.replace(i, i+1, controlEscape(c))
			if p.ctrlRep >= 0 {
				p.repairs[p.ctrlRep].n++
			} else {
				p.ctrlRep = p.addRepair(rawRepair{id: RepairControlChar, off: i, ref: -1, n: 1, c: rune(c)})
			}
			if c == '\n' || c == '\r' {
				p.lastNL = q
			}
			i++
		default:
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				p.replace(i, i+1, string(cp1252(c)))
				p.notUTF8(i)
				decode = true
			}
			i += size
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func controlEscape(c byte) string {
	switch c {
	case '\t':
		return `\t`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	}
	const hex = "0123456789abcdef"
	return `\u00` + string([]byte{hex[c>>4], hex[c&0xF]})
}

// appendUnescaped decodes a string body the way encoding/json does, so keys
// that differ only in escaping compare equal.
func appendUnescaped(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			r, size, _ := decodeRune(s[i:])
			dst = utf8.AppendRune(dst, r)
			i += size
			continue
		}
		switch e := s[i+1]; e {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s[i+2:])
			if !ok {
				dst = append(dst, '\\')
				i++
				continue
			}
			i += 6
			if utf16IsSurrogate(r) {
				r2, ok2 := rune(0), false
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, ok2 = hex4(s[i+2:])
				}
				if dec := utf16Decode(r, r2); ok2 && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
			continue
		case '"', '\\', '/':
			dst = append(dst, e)
		default:
			// An invalid escape stays as written; what follows the
			// backslash is decoded like any other text.
			dst = append(dst, '\\')
			i++
			continue
		}
		i += 2
	}
	return dst
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func utf16IsSurrogate(r rune) bool { return r >= 0xD800 && r < 0xE000 }

func utf16Decode(r1, r2 rune) rune {
	if r1 >= 0xD800 && r1 < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000 {
		return (r1-0xD800)<<10 | (r2 - 0xDC00) + 0x10000
	}
	return utf8.RuneError
}

// scanNumber matches the strict JSON number grammar at i.
func scanNumber(src []byte, i int) (int, bool) {
	n := len(src)
	if src[i] == '-' {
		i++
	}
	switch {
	case i < n && src[i] == '0':
		i++
	case i < n && src[i] >= '1' && src[i] <= '9':
		for i++; i < n && isDigit(src[i]); i++ {
		}
	default:
		return i, false
	}
	if i < n && src[i] == '.' {
		i++
		if i >= n || !isDigit(src[i]) {
			return i, false
		}
		for i++; i < n && isDigit(src[i]); i++ {
		}
	}
	if i < n && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < n && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if i >= n || !isDigit(src[i]) {
			return i, false
		}
		for i++; i < n && isDigit(src[i]); i++ {
		}
	}
	// "01", "1.2.3", "12px": the number must not run on into a word.
	if i < n && (isWordByte(src[i]) || src[i] == '.' || src[i] == '+' || src[i] == '-') {
		return i, false
	}
	return i, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$'
}

func scanLiteral(src []byte, i int) (int, bool) {
	var lit string
	switch src[i] {
	case 't':
		lit = "true"
	case 'f':
		lit = "false"
	default:
		lit = "null"
	}
	end := i + len(lit)
	if end > len(src) || string(src[i:end]) != lit || end < len(src) && isWordByte(src[end]) {
		return i, false
	}
	return end, true
}

func isValueStart(c byte) bool {
	switch c {
	case '"', '{', '[', '-', 't', 'f', 'n':
		return true
	}
	return isDigit(c)
}

// keyFollows reports whether the string at q is followed by ':', i.e. it is
// a key. Only used to decide on a missing comma, so plain whitespace only.
func keyFollows(src []byte, q int) bool {
	i := q + 1
	for i < len(src) && src[i] != '"' {
		if src[i] == '\\' {
			i++
		}
		i++
	}
	for i++; i < len(src); i++ {
		switch src[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case ':':
			return true
		}
		return false
	}
	return false
}
