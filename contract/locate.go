package contract

import (
	"os"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
)

// Locate fills Line and Col of findings that have a File and a Pointer,
// reading each file once. Files that cannot be read (or YAML, which has no
// index) leave the findings as they are.
func Locate(fs []Finding) {
	idx := map[string]*jsontext.Index{}
	for i := range fs {
		f := &fs[i]
		if f.File == "" || f.Pointer == "" || f.Line > 0 {
			continue
		}
		ix, seen := idx[f.File]
		if !seen {
			if b, err := os.ReadFile(f.File); err == nil && len(b) > 0 && (b[0] == '{' || b[0] == 0xEF) {
				ix = jsontext.NewIndex(b)
			}
			idx[f.File] = ix
		}
		if ix == nil {
			continue
		}
		if line, col, ok := ix.Position(f.Pointer); ok {
			f.Line, f.Col = line, col
		}
	}
}

// LocateOperations places the findings of r that name an operation but no
// place in a file (test and drift findings come from traffic, not from
// the definition) at that operation in c's definition, so CI annotations
// (GitHub's ::error file=,line=) land on the operation a maker edits.
func LocateOperations(r *Report, c *connector.Connector) {
	if r == nil || c == nil || c.Files.Definition == "" {
		return
	}
	ptr := map[string]string{}
	for _, op := range c.Operations {
		if op.Pointer != "" {
			ptr[op.ID] = op.Pointer
		}
	}
	place := func(fs []Finding, caseOp string) {
		for i := range fs {
			f := &fs[i]
			if f.File != "" {
				continue
			}
			op := f.Operation
			if op == "" {
				op = caseOp
			}
			if p, ok := ptr[op]; ok {
				f.File = c.Files.Definition
				if f.Pointer == "" || !strings.HasPrefix(f.Pointer, "/paths/") {
					f.Pointer = p
				}
			}
		}
		Locate(fs)
	}
	place(r.Findings, "")
	for si := range r.Suites {
		for ci := range r.Suites[si].Cases {
			cs := &r.Suites[si].Cases[ci]
			place(cs.Findings, cs.Operation)
		}
	}
}
