package connector

import "fmt"

// DefaultMaxNodes is the default budget of JSON values (objects, arrays,
// members, elements) in one input file. The largest definition in the
// connector corpus has about 23,000; a 22 MiB file of 850,000 properties
// has about 2.6 million and used to take 2.7 GB and over two minutes to
// validate. Within this budget a definition loads in well under 1 GB.
const DefaultMaxNodes = 250_000

func (l *Loader) maxNodes() int {
	if l.MaxNodes > 0 {
		return l.MaxNodes
	}
	return DefaultMaxNodes
}

// CountJSONNodes counts the values of a JSON text the way the loader's
// budget does (object and array openings, member colons, commas), stopping
// past limit; the mock bounds request bodies with it too.
func CountJSONNodes(data []byte, limit int) int { return countJSONNodes(data, limit) }

// countJSONNodes counts the structural tokens of a JSON text (object and
// array openings, member colons and separating commas) outside strings,
// stopping as soon as the count passes limit: a linear scan that allocates
// nothing, run before the document is parsed into memory.
func countJSONNodes(data []byte, limit int) int {
	n := 0
	in, esc := false, false
	for _, b := range data {
		if in {
			switch {
			case esc:
				esc = false
			case b == '\\':
				esc = true
			case b == '"':
				in = false
			}
			continue
		}
		switch b {
		case '"':
			in = true
		case '{', '[', ':', ',':
			n++
			if n > limit {
				return n
			}
		}
	}
	return n
}

// countTreeNodes counts the values of a decoded tree, stopping past limit.
func countTreeNodes(v any, limit int) int {
	n := 0
	stack := []any{v}
	for len(stack) > 0 && n <= limit {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		switch t := x.(type) {
		case map[string]any:
			for _, e := range t {
				stack = append(stack, e)
			}
		case []any:
			stack = append(stack, t...)
		}
	}
	return n
}

func (l *Loader) budgetError(file string) error {
	limit := l.maxNodes()
	return &LoadError{File: file,
		Msg: fmt.Sprintf("the document has more than %d JSON values (objects, arrays, properties, items), the loader's budget; "+
			"loading it would take gigabytes of memory and minutes (real connectors have fewer than 25,000)", limit),
		Fix: "split the definition or remove generated bulk; if the file is genuine, raise the budget with --max-nodes"}
}
