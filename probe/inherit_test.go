package probe

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestAllOfInheritedPropertiesAreSupported: an ARM resource declares
// additionalProperties false next to allOf TrackedResource (which requires
// location), and a branch may close itself while the schema holding the
// allOf adds properties (Azure Machine Learning: 28 operations failed the
// conformance sweep while test --generate passed them). Inherited
// properties are not "unsupported"; an undeclared one still is.
func TestAllOfInheritedPropertiesAreSupported(t *testing.T) {
	t.Parallel()
	const doc = `{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
	 "components": {"schemas": {
	  "Resource": {"type": "object", "properties": {"id": {"type": "string"}}},
	  "Tracked": {"type": "object", "required": ["location"], "properties": {"location": {"type": "string"}}, "allOf": [{"$ref": "#/components/schemas/Resource"}]},
	  "Child": {"type": "object", "additionalProperties": false, "allOf": [{"$ref": "#/components/schemas/Tracked"}], "properties": {"kind": {"type": "string"}}},
	  "Closed": {"type": "object", "additionalProperties": false, "properties": {"id": {"type": "string"}}},
	  "Open": {"type": "object", "allOf": [{"$ref": "#/components/schemas/Closed"}], "properties": {"dataType": {"type": "string"}}}
	 }}}`
	l := openapi3.NewLoader()
	d, err := l.LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := d.Components.Schemas
	for _, tt := range []struct {
		name   string
		schema string
		v      map[string]any
		errors int
	}{
		{"inherited from the allOf family", "Child", map[string]any{"location": "x", "id": "1", "kind": "k"}, 0},
		{"added beside a closed branch", "Open", map[string]any{"id": "1", "dataType": "d"}, 0},
		{"undeclared", "Child", map[string]any{"location": "x", "bogus": 1}, 1},
		{"undeclared beside a closed branch", "Open", map[string]any{"id": "1", "bogus": 1}, 1},
	} {
		err := visit(s[tt.schema].Value, tt.v, openapi3.VisitAsResponse(), openapi3.MultiErrors())
		if got := len(Significant(err)); got != tt.errors {
			t.Errorf("%s: %d significant errors (%v), want %d", tt.name, got, err, tt.errors)
		}
	}
}
