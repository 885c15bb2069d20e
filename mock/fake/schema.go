package fake

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Type names after inference. typeAny is a schema that constrains nothing
// about the type.
const (
	typeAny     = ""
	typeNull    = openapi3.TypeNull
	typeObject  = openapi3.TypeObject
	typeArray   = openapi3.TypeArray
	typeString  = openapi3.TypeString
	typeInteger = openapi3.TypeInteger
	typeNumber  = openapi3.TypeNumber
	typeBoolean = openapi3.TypeBoolean
)

// view returns s with its allOf members folded in (cached). A schema without
// allOf is its own view.
func (g *Generator) view(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 0 {
		return s
	}
	if v, ok := g.views.load(s); ok {
		return v
	}
	return g.views.store(s, flatten(s))
}

// branchView returns the view of s (without its oneOf/anyOf) merged with its
// i-th oneOf/anyOf branch.
func (g *Generator) branchView(s, v *openapi3.Schema, branches openapi3.SchemaRefs, i int) *openapi3.Schema {
	k := branchKey{s, i}
	if bv, ok := g.branches.load(k); ok {
		return bv
	}
	base := *v
	base.OneOf, base.AnyOf = nil, nil
	synth := &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: &base}, branches[i]}}
	return g.branches.store(k, flatten(synth))
}

// flatten merges the keywords of every schema in s's allOf tree into a copy
// of s. Properties named by several members get an allOf of their schemas.
//
// kin validates each allOf member against the whole value, so a member with
// additionalProperties: false rejects the properties that only other members
// declare. flatten keeps only the properties every such closed member
// declares (required ones stay regardless: that schema is unsatisfiable).
func flatten(s *openapi3.Schema) *openapi3.Schema {
	m := *s
	m.AllOf = nil
	ownProps, ownReq := false, false
	var closed []openapi3.Schemas
	visited := []*openapi3.Schema{s}

	var walk func(x *openapi3.Schema)
	walk = func(x *openapi3.Schema) {
		if ap := x.AdditionalProperties.Has; ap != nil && !*ap {
			closed = append(closed, x.Properties)
		}
		for _, ref := range x.AllOf {
			if ref == nil || ref.Value == nil || slices.Contains(visited, ref.Value) {
				continue
			}
			visited = append(visited, ref.Value)
			mergeInto(&m, ref.Value, &ownProps, &ownReq)
			walk(ref.Value)
		}
	}
	walk(s)

	if len(closed) > 0 {
		f := false
		m.AdditionalProperties = openapi3.AdditionalProperties{Has: &f}
		keep := make(openapi3.Schemas, len(m.Properties))
		for name, p := range m.Properties {
			ok := true
			for _, c := range closed {
				if _, in := c[name]; !in {
					ok = false
					break
				}
			}
			if ok || slices.Contains(m.Required, name) {
				keep[name] = p
			}
		}
		m.Properties = keep
	}
	return &m
}

// mergeInto folds src's own keywords (not its allOf) into dst. ownProps and
// ownReq tell whether dst's Properties and Required are already private
// copies that may be modified.
func mergeInto(dst, src *openapi3.Schema, ownProps, ownReq *bool) {
	switch {
	case src.Type == nil:
	case dst.Type == nil:
		dst.Type = src.Type
	default:
		var both openapi3.Types
		for _, t := range *dst.Type {
			if src.Type.Includes(t) {
				both = append(both, t)
			}
		}
		if len(both) > 0 {
			dst.Type = &both
		}
	}
	if dst.Format == "" {
		dst.Format = src.Format
	}
	if len(src.Enum) > 0 {
		if len(dst.Enum) == 0 {
			dst.Enum = src.Enum
		} else {
			var both []any
			for _, a := range dst.Enum {
				for _, b := range src.Enum {
					if jsonEqual(a, b) {
						both = append(both, a)
						break
					}
				}
			}
			if len(both) > 0 {
				dst.Enum = both
			}
		}
	}
	if dst.Const == nil {
		dst.Const = src.Const
	}

	// Numbers: keep the tighter bound of each side.
	if src.Min != nil {
		if dst.Min == nil || *src.Min > *dst.Min {
			dst.Min, dst.ExclusiveMin.Bool = src.Min, src.ExclusiveMin.Bool
		} else if *src.Min == *dst.Min && isTrue(src.ExclusiveMin.Bool) {
			dst.ExclusiveMin.Bool = src.ExclusiveMin.Bool
		}
	}
	if src.Max != nil {
		if dst.Max == nil || *src.Max < *dst.Max {
			dst.Max, dst.ExclusiveMax.Bool = src.Max, src.ExclusiveMax.Bool
		} else if *src.Max == *dst.Max && isTrue(src.ExclusiveMax.Bool) {
			dst.ExclusiveMax.Bool = src.ExclusiveMax.Bool
		}
	}
	if b := src.ExclusiveMin.Value; b != nil && (dst.ExclusiveMin.Value == nil || *b > *dst.ExclusiveMin.Value) {
		dst.ExclusiveMin.Value = b
	}
	if b := src.ExclusiveMax.Value; b != nil && (dst.ExclusiveMax.Value == nil || *b < *dst.ExclusiveMax.Value) {
		dst.ExclusiveMax.Value = b
	}
	if dst.MultipleOf == nil {
		dst.MultipleOf = src.MultipleOf
	}

	// Strings.
	dst.MinLength = max(dst.MinLength, src.MinLength)
	if src.MaxLength != nil && (dst.MaxLength == nil || *src.MaxLength < *dst.MaxLength) {
		dst.MaxLength = src.MaxLength
	}
	if dst.Pattern == "" {
		dst.Pattern = src.Pattern
	}

	// Arrays.
	dst.MinItems = max(dst.MinItems, src.MinItems)
	if src.MaxItems != nil && (dst.MaxItems == nil || *src.MaxItems < *dst.MaxItems) {
		dst.MaxItems = src.MaxItems
	}
	dst.UniqueItems = dst.UniqueItems || src.UniqueItems
	dst.Items = combine(dst.Items, src.Items)

	// Objects.
	if len(src.Properties) > 0 {
		if !*ownProps {
			dst.Properties = maps.Clone(dst.Properties)
			if dst.Properties == nil {
				dst.Properties = make(openapi3.Schemas, len(src.Properties))
			}
			*ownProps = true
		}
		for name, p := range src.Properties {
			dst.Properties[name] = combine(dst.Properties[name], p)
		}
	}
	if len(src.Required) > 0 {
		if !*ownReq {
			dst.Required = slices.Clone(dst.Required)
			*ownReq = true
		}
		for _, r := range src.Required {
			if !slices.Contains(dst.Required, r) {
				dst.Required = append(dst.Required, r)
			}
		}
	}
	dst.MinProps = max(dst.MinProps, src.MinProps)
	if src.MaxProps != nil && (dst.MaxProps == nil || *src.MaxProps < *dst.MaxProps) {
		dst.MaxProps = src.MaxProps
	}
	if ap := src.AdditionalProperties; ap.Has != nil || ap.Schema != nil {
		d := dst.AdditionalProperties
		switch {
		case ap.Has != nil && !*ap.Has:
			// Handled by flatten's closed-member rule.
		case ap.Schema != nil:
			d.Schema = combine(d.Schema, ap.Schema)
		case d.Has == nil && d.Schema == nil:
			d.Has = ap.Has
		}
		dst.AdditionalProperties = d
	}
	if dst.Discriminator == nil {
		dst.Discriminator = src.Discriminator
	}

	dst.ReadOnly = dst.ReadOnly || src.ReadOnly
	dst.WriteOnly = dst.WriteOnly || src.WriteOnly
	if len(dst.OneOf) == 0 {
		dst.OneOf = src.OneOf
	}
	if len(dst.AnyOf) == 0 {
		dst.AnyOf = src.AnyOf
	}
}

// combine returns a schema ref that both a and b constrain.
func combine(a, b *openapi3.SchemaRef) *openapi3.SchemaRef {
	switch {
	case a == nil:
		return b
	case b == nil, a == b, a.Value != nil && a.Value == b.Value:
		return a
	}
	return &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{a, b}}}
}

func isTrue(b *bool) bool { return b != nil && *b }

// typeOf returns the JSON type to generate for the view v.
func typeOf(v *openapi3.Schema) string {
	if v.Type != nil && len(*v.Type) > 0 {
		for _, t := range *v.Type {
			switch t {
			case typeNull:
			case "file":
				return typeString
			default:
				return t
			}
		}
		return typeNull
	}
	switch {
	case len(v.Properties) > 0, v.AdditionalProperties.Schema != nil, v.AdditionalProperties.Has != nil,
		len(v.Required) > 0, v.MinProps > 0, v.MaxProps != nil, v.Discriminator != nil:
		return typeObject
	case v.Items != nil, v.MinItems > 0, v.MaxItems != nil, v.UniqueItems:
		return typeArray
	case v.Pattern != "", v.MinLength > 0, v.MaxLength != nil:
		return typeString
	}
	switch formatKindOf(v.Format) {
	case fmtNone:
	case fmtInt:
		return typeInteger
	case fmtDecimal:
		return typeNumber
	default:
		return typeString
	}
	if v.Min != nil || v.Max != nil || v.MultipleOf != nil || v.ExclusiveMin.Value != nil || v.ExclusiveMax.Value != nil {
		return typeNumber
	}
	return typeAny
}

// permits reports whether a value of JSON type t is allowed by v's type.
func permits(v *openapi3.Schema, t string) bool {
	if v.Type == nil || len(*v.Type) == 0 {
		return true
	}
	if t == typeInteger {
		return v.Type.Includes(typeInteger) || v.Type.Includes(typeNumber)
	}
	return v.Type.Includes(t)
}

// jsonType returns the JSON type of a decoded JSON value, "integer" for
// integral numbers.
func jsonType(x any) string {
	switch x := x.(type) {
	case nil:
		return typeNull
	case bool:
		return typeBoolean
	case string:
		return typeString
	case map[string]any:
		return typeObject
	case []any:
		return typeArray
	case float64:
		if x == float64(int64(x)) {
			return typeInteger
		}
		return typeNumber
	case float32:
		return jsonType(float64(x))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return typeInteger
	}
	return typeAny
}

// jsonEqual compares two decoded JSON values, numbers by value.
func jsonEqual(a, b any) bool {
	if x, ok := toFloat(a); ok {
		y, ok := toFloat(b)
		return ok && x == y
	}
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return ok && a == b
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case nil:
		return b == nil
	case []any:
		b, ok := b.([]any)
		return ok && slices.EqualFunc(a, b, jsonEqual)
	case map[string]any:
		b, ok := b.(map[string]any)
		return ok && maps.EqualFunc(a, b, jsonEqual)
	}
	return false
}

func toFloat(x any) (float64, bool) {
	switch x := x.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// deepCopy copies maps and slices of a decoded JSON value so that callers
// may modify the result without touching the schema it came from.
func deepCopy(x any) any {
	switch x := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, v := range x {
			m[k] = deepCopy(v)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, v := range x {
			s[i] = deepCopy(v)
		}
		return s
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, v := range x {
			if ks, ok := k.(string); ok {
				m[ks] = deepCopy(v)
			}
		}
		return m
	}
	return x
}
