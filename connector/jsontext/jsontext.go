package jsontext

import (
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Repair IDs. They are stable: callers and golden files match on them.
const (
	// RepairBOM: a leading UTF-8 byte order mark was removed.
	RepairBOM = "json-bom"
	// RepairTrailingComma: a ',' directly before '}' or ']' was removed.
	RepairTrailingComma = "json-trailing-comma"
	// RepairMissingComma: a ',' was inserted between a value and the next
	// member or element, where whitespace separates them and nothing else
	// could be meant.
	RepairMissingComma = "json-missing-comma"
	// RepairControlChar: raw control characters (TAB, line breaks, ...) in a
	// string were escaped. Reported once per string.
	RepairControlChar = "json-control-char-in-string"
	// RepairUnicodeSpace: a run of Unicode spaces (em space, no-break space,
	// zero-width space, form feed, ...) between tokens became one ' '.
	RepairUnicodeSpace = "json-unicode-whitespace"
	// RepairNotUTF8: bytes that are not valid UTF-8 were decoded as
	// Windows-1252. Reported once, at the first such byte.
	RepairNotUTF8 = "json-not-utf8"
	// RepairDuplicateKey: an object repeats a key. Nothing is changed
	// (encoding/json keeps the last value); it is reported at the later key.
	RepairDuplicateKey = "json-duplicate-key"
	// RepairComment: a // or /* */ comment was removed.
	RepairComment = "json-comment"
	// RepairInvalidEscape: a backslash that starts no valid escape (as in
	// "\d" in a regex) was doubled, keeping the text as written.
	RepairInvalidEscape = "json-invalid-escape"
	// RepairExtraBracket: a bracket closed the root value early; it was
	// removed (when indentation named it as extra) or moved to the end
	// (when members of the root object followed it). Made only when the
	// rest of the file then parses.
	RepairExtraBracket = "json-extra-bracket"
)

// Repair is one change made to make the input strict JSON, or one report
// that needed no change (RepairDuplicateKey). Line and Col locate it in the
// original input.
type Repair struct {
	ID        string
	Line, Col int
	Message   string
}

func (r Repair) String() string {
	return fmt.Sprintf("line %d, column %d: %s: %s", r.Line, r.Col, r.ID, r.Message)
}

// SyntaxError reports input that cannot be recovered. Offset is the byte
// offset in the original input; Line and Col are what a user needs. Hint
// says what to fix.
type SyntaxError struct {
	Line, Col int
	Offset    int
	Msg, Hint string

	recover *recovery // an edit that may make the input parse
}

// recovery is one edit Normalize tries once when a scan fails: blank the
// byte at blank (a space keeps every later line:col where it was) and
// append appendText.
type recovery struct {
	blank      int
	appendText string
	msg        string
	line, col  int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// DepthError reports nesting deeper than Options.MaxDepth. Line and Col
// locate the bracket that went past the limit. It is raised during the
// single scan, before any value is decoded, so hostile nesting never reaches
// a decoder that is super-linear in depth.
type DepthError struct {
	Line, Col    int
	Depth, Limit int
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("line %d, column %d: nesting depth %d exceeds the limit of %d", e.Line, e.Col, e.Depth, e.Limit)
}

// DefaultMaxDepth is the nesting limit when Options.MaxDepth is 0. The
// deepest real connector nests 29 levels.
const DefaultMaxDepth = 128

// Options tune Normalize. The zero value is ready to use.
type Options struct {
	// MaxDepth is the deepest nesting of objects and arrays accepted;
	// 0 or less means DefaultMaxDepth.
	MaxDepth int
}

// Normalize turns lenient JSON into strict JSON that encoding/json accepts.
// It scans data once and reports every change it made, sorted by position.
// When nothing had to change, out aliases data (minus a byte order mark,
// if that was the only repair), so callers must not modify data while they
// use out.
//
// On error, out is nil, err is a *SyntaxError or *DepthError, and repairs
// holds those found before the error.
func Normalize(data []byte, opts Options) (out []byte, repairs []Repair, err error) {
	if len(data) > maxInput {
		return nil, nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("input of %d bytes is larger than the 2 GiB this package handles", len(data)),
			Hint: "connector files are a few MB at most; check that this is the right file"}
	}
	out, repairs, err = normalize(data, opts)
	if err != nil {
		return recoverFrom(data, opts, repairs, err)
	}
	return out, repairs, nil
}

// recoverFrom makes one bounded retry with the edit a syntax error
// proposed; if the file then parses, the edit becomes a repair, otherwise
// the first error stands. It is apart from Normalize so the clean path
// allocates nothing.
func recoverFrom(data []byte, opts Options, repairs []Repair, err error) ([]byte, []Repair, error) {
	var out []byte
	var fixedRepairs []Repair
	_, recs, ok := recoverInput(data, err, func(fixed []byte) error {
		var err error
		out, fixedRepairs, err = normalize(fixed, opts)
		return err
	})
	if !ok {
		return nil, repairs, err
	}
	for _, r := range recs {
		fixedRepairs = append(fixedRepairs, Repair{ID: RepairExtraBracket, Line: r.line, Col: r.col, Message: r.msg})
	}
	slices.SortStableFunc(fixedRepairs, func(a, b Repair) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return out, fixedRepairs, nil
}

// recoverInput applies the edits that syntax errors propose, one at a
// time, until try accepts the text. A copy-pasted block can repeat the same
// extra bracket, so a few edits are allowed, each named by the error of the
// previous attempt. Every edit keeps the positions of the original text.
func recoverInput(data []byte, err error, try func([]byte) error) ([]byte, []*recovery, bool) {
	const maxEdits = 8
	fixed := data
	var recs []*recovery
	for range maxEdits {
		next, rec := recovered(fixed, err)
		if next == nil {
			return nil, nil, false
		}
		fixed = next
		recs = append(recs, rec)
		if err = try(fixed); err == nil {
			return fixed, recs, true
		}
	}
	return nil, nil, false
}

// recovered applies the edit err proposes to a copy of data, or returns nil.
func recovered(data []byte, err error) ([]byte, *recovery) {
	var se *SyntaxError
	if !errors.As(err, &se) || se.recover == nil {
		return nil, nil
	}
	rec := se.recover
	fixed := make([]byte, len(data), len(data)+len(rec.appendText))
	copy(fixed, data)
	if rec.blank >= 0 {
		fixed[rec.blank] = ' '
	}
	return append(fixed, rec.appendText...), rec
}

func normalize(data []byte, opts Options) ([]byte, []Repair, error) {
	p := getParser(data, opts.MaxDepth)
	defer putParser(p)
	err := p.run()
	repairs := p.publicRepairs()
	if err != nil {
		return nil, repairs, err
	}
	return p.result(), repairs, nil
}

// maxInput keeps offsets into the key arena within int32.
const maxInput = 1<<31 - 1

var parserPool = sync.Pool{New: func() any { return new(parser) }}

func getParser(data []byte, maxDepth int) *parser {
	p := parserPool.Get().(*parser)
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	p.reset(data, maxDepth)
	return p
}

// putParser keeps the scratch slices for the next call but drops everything
// that refers to the caller's data or escapes to the caller.
func putParser(p *parser) {
	p.src, p.out, p.ix, p.lines = nil, nil, nil, nil
	p.repairs = p.repairs[:0]
	if cap(p.keys) > 1<<16 || cap(p.arena) > 1<<20 || cap(p.table) > 1<<18 {
		return // let an unusually large scratch go
	}
	parserPool.Put(p)
}

// publicRepairs turns the recorded repairs into Repairs sorted by position.
func (p *parser) publicRepairs() []Repair {
	if len(p.repairs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.repairs, func(a, b rawRepair) int { return a.off - b.off })
	offs := make([]int, 0, 2*len(p.repairs))
	for _, r := range p.repairs {
		offs = append(offs, r.off)
		if r.ref >= 0 {
			offs = append(offs, r.ref)
		}
	}
	if p.lines == nil {
		p.lines = newLineTable(p.src)
	}
	p.lines.prepare(offs)
	out := make([]Repair, len(p.repairs))
	for i, r := range p.repairs {
		line, col := p.pos(r.off)
		out[i] = Repair{ID: r.id, Line: line, Col: col, Message: p.repairMessage(r)}
	}
	return out
}
