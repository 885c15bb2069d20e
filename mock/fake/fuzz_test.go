package fake

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// FuzzGenerate feeds small random schemas (JSON-decoded into
// openapi3.Schema) to Generate: it must not panic, must return JSON, and
// must be deterministic.
func FuzzGenerate(f *testing.F) {
	for _, s := range []string{
		userSchema,
		`{}`,
		`{"type":"string","pattern":"^[a-z]{2,4}(-[0-9]+)?$","minLength":3}`,
		`{"type":"integer","minimum":-5,"maximum":5,"multipleOf":3,"exclusiveMaximum":true}`,
		`{"type":"number","multipleOf":0.1,"maximum":-0.5}`,
		`{"type":"array","uniqueItems":true,"minItems":2,"items":{"enum":[1,"a",true]}}`,
		`{"allOf":[{"type":"object","required":["a"]},{"properties":{"a":{"type":"string","format":"date"}}}]}`,
		`{"oneOf":[{"type":"string"},{"type":"integer"}],"discriminator":{"propertyName":"k"}}`,
		`{"type":"object","additionalProperties":{"type":"array","items":{"type":"boolean"}},"minProperties":2,"maxProperties":2}`,
		`{"type":["string","null"],"nullable":true,"format":"email","maxLength":4}`,
		`{"type":"boolean","enum":["true"]}`,
		`{"items":{"$ref":"#/components/schemas/Missing"}}`,
		`{"type":"string","pattern":"(?!x)\\u0041+"}`,
		`{"not":{},"anyOf":[{"not":{}}]}`,
	} {
		f.Add([]byte(s), uint64(1), "createdAt")
	}
	g := New(Options{MaxNodes: 500})
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, hint string) {
		s, ok := decodeSchema(data)
		if !ok {
			return
		}
		ref := &openapi3.SchemaRef{Value: s}
		v := g.Generate(ref, seed, hint)
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("not JSON: %v (%#v)", err, v)
		}
		if w := New(Options{MaxNodes: 500}).Generate(ref, seed, hint); !reflect.DeepEqual(v, w) {
			t.Fatalf("not deterministic:\n%#v\n%#v", v, w)
		}
	})
}

// decodeSchema decodes data, treating a decoder panic as invalid input: the
// target is Generate, not kin-openapi's decoder.
func decodeSchema(data []byte) (s *openapi3.Schema, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	s = new(openapi3.Schema)
	return s, json.Unmarshal(data, s) == nil
}
