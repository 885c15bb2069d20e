package shape

import (
	"encoding/json"
	"math"
	"sort"
)

// ValueOptions tune FromValue.
type ValueOptions struct {
	MaxDepth int // 0 means 64
	// MaxElements bounds how many elements of one array are folded into
	// its item shape (0 means 200): shapes of huge arrays repeat.
	MaxElements int
}

// FromValue flattens a decoded JSON value (encoding/json shapes). Elements
// of an array are folded into one item shape: a field is Required there
// when every element has it.
func FromValue(v any, opts ValueOptions) Shape {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 64
	}
	if opts.MaxElements <= 0 {
		opts.MaxElements = 200
	}
	w := &valueWalker{out: Shape{}, opts: opts, parents: map[string]int{}}
	w.walk(v, "", 0)
	w.out[""].Required = true
	w.finish()
	return w.out
}

type valueWalker struct {
	out  Shape
	opts ValueOptions
	// parents counts how many object instances were seen at a path, so a
	// child seen fewer times than its parent is optional.
	parents map[string]int
}

// ValueType is the JSON type of a decoded value; whole numbers are integers.
func ValueType(v any) string {
	switch x := v.(type) {
	case nil:
		return TypeNull
	case map[string]any:
		return TypeObject
	case []any:
		return TypeArray
	case string:
		return TypeString
	case bool:
		return TypeBoolean
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) && math.Abs(x) < 1<<53 {
			return TypeInteger
		}
		return TypeNumber
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return TypeInteger
		}
		return TypeNumber
	case int, int64, int32:
		return TypeInteger
	case float32:
		return TypeNumber
	}
	return ""
}

func (w *valueWalker) walk(v any, path string, depth int) {
	n := w.out[path]
	if n == nil {
		n = &Node{Path: path}
		w.out[path] = n
	}
	n.Count++
	t := ValueType(v)
	if t == TypeNull {
		n.Nullable = true
	}
	addType(n, t)
	if depth > w.opts.MaxDepth {
		n.Recursive = true
		return
	}
	switch x := v.(type) {
	case map[string]any:
		w.parents[path]++
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			w.walk(x[k], Child(path, k), depth+1)
		}
	case []any:
		if len(x) == 0 {
			if w.out[Items(path)] == nil {
				n.Empty = true
			}
			return
		}
		n.Empty = false
		for i, e := range x {
			if i >= w.opts.MaxElements {
				break
			}
			w.walk(e, Items(path), depth+1)
		}
	default:
		if b, err := json.Marshal(v); err == nil && len(b) <= 200 {
			n.Samples = addString(n.Samples, string(b), MaxSamples)
		}
	}
}

// finish marks children present in every instance of their parent object
// as required.
func (w *valueWalker) finish() {
	for p, n := range w.out {
		if p == "" {
			continue
		}
		parent, seg := Parent(p)
		if seg == "[]" {
			n.Required = true
			continue
		}
		n.Required = n.Count >= w.parents[parent]
	}
}

func sortStrings(s []string) { sort.Strings(s) }
