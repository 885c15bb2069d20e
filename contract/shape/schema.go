package shape

import (
	"encoding/json"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// DefaultMaxDepth bounds how deep FromSchema expands nested schemas. The
// deepest corpus schema nests 29 levels of JSON, about a dozen of fields.
const DefaultMaxDepth = 16

// SchemaOptions tune FromSchema.
type SchemaOptions struct {
	MaxDepth int // 0 means DefaultMaxDepth
}

// FromSchema flattens a resolved schema. allOf members are merged; oneOf
// and anyOf alternatives are united at the same paths (a field any branch
// declares is declared). A schema carrying x-ms-dynamic-schema or
// x-ms-dynamic-properties becomes one Dynamic node. Recursion stops at the
// first repeat of a schema on the current branch.
func FromSchema(ref *openapi3.SchemaRef, opts SchemaOptions) Shape {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	w := &schemaWalker{out: Shape{}, max: opts.MaxDepth, stack: map[*openapi3.Schema]bool{}}
	w.walk(ref, "", true, 0)
	return w.out
}

type schemaWalker struct {
	out   Shape
	max   int
	stack map[*openapi3.Schema]bool
}

func (w *schemaWalker) node(path string) *Node {
	n := w.out[path]
	if n == nil {
		n = &Node{Path: path}
		w.out[path] = n
	}
	return n
}

// IsDynamic reports whether a schema's shape is decided at run time.
func IsDynamic(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	_, a := s.Extensions["x-ms-dynamic-schema"]
	_, b := s.Extensions["x-ms-dynamic-properties"]
	return a || b
}

func (w *schemaWalker) walk(ref *openapi3.SchemaRef, path string, required bool, depth int) {
	n := w.node(path)
	// A field reached through several branches is required only if every
	// branch requires it; the first visit sets it.
	if n.Count == 0 {
		n.Required = required
	} else {
		n.Required = n.Required && required
	}
	n.Count++
	if ref == nil || ref.Value == nil {
		n.Open = true
		return
	}
	s := ref.Value
	if ref.Ref != "" && n.Ref == "" {
		n.Ref = ref.Ref
	}
	if w.stack[s] {
		n.Recursive = true
		return
	}
	if depth > w.max {
		n.Recursive = true
		return
	}
	w.stack[s] = true
	defer delete(w.stack, s)

	if IsDynamic(s) {
		n.Dynamic = true
	}
	for _, t := range schemaTypes(s) {
		if t == "file" {
			addType(n, TypeString)
			n.Format = "binary"
			continue
		}
		addType(n, t)
	}
	if s.Format != "" && n.Format == "" {
		n.Format = s.Format
	}
	if s.Nullable {
		n.Nullable = true
	}
	if v, ok := s.Extensions["x-nullable"].(bool); ok && v {
		n.Nullable = true
	}
	n.ReadOnly = n.ReadOnly || s.ReadOnly
	n.WriteOnly = n.WriteOnly || s.WriteOnly
	for _, e := range s.Enum {
		b, err := json.Marshal(e)
		if err == nil {
			n.Enum = addString(n.Enum, string(b), 0)
		}
	}
	for _, sub := range s.AllOf {
		w.walkMerged(sub, path, depth)
	}
	alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...)
	for _, sub := range alts {
		w.walkMerged(sub, path, depth)
	}
	if n.Dynamic {
		return
	}
	if len(s.Properties) > 0 && len(n.Types) == 0 {
		addType(n, TypeObject)
	}
	if s.Items != nil && len(n.Types) == 0 {
		addType(n, TypeArray)
	}
	req := map[string]bool{}
	for _, r := range s.Required {
		req[r] = true
	}
	for _, name := range sortedNames(s.Properties) {
		w.walk(s.Properties[name], Child(path, name), req[name], depth+1)
	}
	ap := s.AdditionalProperties
	switch {
	case ap.Has != nil && !*ap.Has:
		n.Closed = true
	case ap.Schema != nil:
		w.walk(ap.Schema, Additional(path), false, depth+1)
	case n.HasType(TypeObject) && len(s.Properties) == 0:
		n.Open = true
	}
	if s.Items != nil {
		w.walk(s.Items, Items(path), true, depth+1)
	}
	if len(n.Types) == 0 && len(s.Properties) == 0 && s.Items == nil && len(s.AllOf)+len(alts) == 0 {
		n.Open = true
	}
}

// walkMerged folds a composed member into the node at path: its own
// fields are applied to the same node rather than a new one.
func (w *schemaWalker) walkMerged(ref *openapi3.SchemaRef, path string, depth int) {
	n := w.node(path)
	saved := *n
	w.walk(ref, path, true, depth)
	// Composition must not change whether the field itself is required
	// or how often it was counted.
	n.Required, n.Count = saved.Required, saved.Count
	// An untyped member ("just add a description") does not make the
	// merged node open when it has properties.
	if saved.Open == false && len(n.Types) > 0 {
		n.Open = false
	}
}

func sortedNames(m openapi3.Schemas) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

// PrimaryType returns the single non-null type of a node, or "".
func (n *Node) PrimaryType() string {
	var t string
	for _, x := range n.Types {
		if x == TypeNull {
			continue
		}
		if t != "" {
			return ""
		}
		t = x
	}
	return t
}

// Lower returns a case-folded path, for case-only rename detection.
func Lower(p string) string { return strings.ToLower(p) }
