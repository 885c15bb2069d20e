package shape

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// JSON types a node can have. Integer is kept apart from number because a
// schema says so; values compare them through Compatible.
const (
	TypeObject  = "object"
	TypeArray   = "array"
	TypeString  = "string"
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeBoolean = "boolean"
	TypeNull    = "null"
)

// Node is what a shape knows about one field.
type Node struct {
	Path string `json:"path"`
	// Types is the sorted set of JSON types; empty means any type (an
	// untyped schema, or no value seen).
	Types    []string `json:"types,omitempty"`
	Format   string   `json:"format,omitempty"`
	Enum     []string `json:"enum,omitempty"` // canonical JSON of each value, sorted
	Nullable bool     `json:"nullable,omitempty"`
	// Required: the parent schema requires the field, or (for values) the
	// field was present in every instance of its parent.
	Required bool `json:"required,omitempty"`
	// Dynamic: x-ms-dynamic-schema / x-ms-dynamic-properties decide the
	// shape at run time; nothing below is known statically.
	Dynamic bool `json:"dynamic,omitempty"`
	// Open: an object whose properties are not listed (or that allows
	// additional properties of any shape), so unknown children are fine.
	Open bool `json:"open,omitempty"`
	// Closed: additionalProperties is false.
	Closed    bool `json:"closed,omitempty"`
	ReadOnly  bool `json:"readOnly,omitempty"`
	WriteOnly bool `json:"writeOnly,omitempty"`
	// Recursive: the schema refers back to an ancestor; children past this
	// point are not expanded.
	Recursive bool `json:"recursive,omitempty"`
	// Empty: an array value with no elements, so its item shape is unknown.
	Empty bool `json:"empty,omitempty"`
	// Count is how many values were seen at this path (values only).
	Count int `json:"count,omitempty"`
	// Samples keeps up to MaxSamples distinct scalar values seen (values
	// only), canonical JSON, for enum checks and opt-in value comparison.
	Samples []string `json:"samples,omitempty"`
	// Pointer is the schema's $ref when it came from a named component.
	Ref string `json:"ref,omitempty"`
}

// MaxSamples bounds Node.Samples.
const MaxSamples = 8

// HasType reports whether t is among n's types.
func (n *Node) HasType(t string) bool {
	for _, x := range n.Types {
		if x == t {
			return true
		}
	}
	return false
}

// TypeString renders the types for messages: "string", "integer|null", "any".
func (n *Node) TypeString() string {
	if n == nil {
		return "absent"
	}
	if len(n.Types) == 0 {
		if n.Dynamic {
			return "dynamic"
		}
		return "any"
	}
	ts := n.Types
	if n.Nullable && !n.HasType(TypeNull) {
		ts = append(append([]string(nil), ts...), TypeNull)
	}
	s := strings.Join(ts, "|")
	if n.Format != "" && len(n.Types) == 1 {
		s += "(" + n.Format + ")"
	}
	return s
}

// Shape maps field paths to nodes. The root has path "".
type Shape map[string]*Node

// Paths returns the paths in sorted order.
func (s Shape) Paths() []string {
	out := make([]string, 0, len(s))
	for p := range s {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Child joins a parent path and a property name. Names that would be
// ambiguous in the dotted form are bracket-quoted.
func Child(parent, name string) string {
	seg := name
	if name == "" || strings.ContainsAny(name, `.[]"*`) {
		b, _ := json.Marshal(name)
		seg = "[" + string(b) + "]"
		return parent + seg
	}
	if parent == "" {
		return seg
	}
	return parent + "." + seg
}

// Items is the path of an array's elements.
func Items(parent string) string { return parent + "[]" }

// Additional is the path of an object's additional (map) values.
func Additional(parent string) string {
	if parent == "" {
		return "*"
	}
	return parent + ".*"
}

// Parent returns the parent path and the last segment of p.
func Parent(p string) (string, string) {
	if strings.HasSuffix(p, "[]") {
		return strings.TrimSuffix(p, "[]"), "[]"
	}
	if strings.HasSuffix(p, `"]`) {
		if i := strings.LastIndex(p, `["`); i >= 0 {
			var name string
			if json.Unmarshal([]byte(p[i+1:len(p)-1]), &name) == nil {
				return p[:i], name
			}
		}
	}
	if i := strings.LastIndex(p, "."); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

// IsBelow reports whether p is a strict descendant of ancestor.
func IsBelow(p, ancestor string) bool {
	if ancestor == "" {
		return p != ""
	}
	if !strings.HasPrefix(p, ancestor) || len(p) == len(ancestor) {
		return false
	}
	switch p[len(ancestor)] {
	case '.', '[':
		return true
	}
	return false
}

// Display renders a path for people: the root is "(body)".
func Display(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

func addType(n *Node, t string) {
	if t == "" || n.HasType(t) {
		return
	}
	n.Types = append(n.Types, t)
	sort.Strings(n.Types)
}

func addString(list []string, v string, max int) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	if max > 0 && len(list) >= max {
		return list
	}
	list = append(list, v)
	sort.Strings(list)
	return list
}

// schemaTypes reads the declared types of a schema.
func schemaTypes(s *openapi3.Schema) []string {
	if s.Type == nil {
		return nil
	}
	return append([]string(nil), (*s.Type)...)
}
