package fake

import "github.com/getkin/kin-openapi/openapi3"

// Property finds the schema of property name in s, also inside allOf
// members (as converted connectors spread an object over several), to a
// bounded depth. It returns nil when s declares no such property.
func Property(s *openapi3.Schema, name string) *openapi3.SchemaRef {
	return property(s, name, 0)
}

func property(s *openapi3.Schema, name string, depth int) *openapi3.SchemaRef {
	if s == nil || depth > 8 {
		return nil
	}
	if p := s.Properties[name]; p != nil {
		return p
	}
	for _, b := range s.AllOf {
		if b != nil {
			if p := property(b.Value, name, depth+1); p != nil {
				return p
			}
		}
	}
	return nil
}

// IsType reports whether sr is resolved and its type includes t.
func IsType(sr *openapi3.SchemaRef, t string) bool {
	return sr != nil && sr.Value != nil && sr.Value.Type != nil && sr.Value.Type.Is(t)
}
