package contract

import (
	"os"

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
