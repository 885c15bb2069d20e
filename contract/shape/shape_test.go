package shape

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func schema(t *testing.T, s string) *openapi3.SchemaRef {
	t.Helper()
	var v openapi3.Schema
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return &openapi3.SchemaRef{Value: &v}
}

func value(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func kinds(cs []Change) string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Kind)+"@"+c.Path)
	}
	return strings.Join(out, " ")
}

func TestPathsRoundTrip(t *testing.T) {
	for _, name := range []string{"plain", "with.dot", "with[bracket]", "", "*"} {
		p := Child("a[]", name)
		parent, seg := Parent(p)
		if parent != "a[]" || seg != name {
			t.Errorf("Child/Parent(%q) = %q → %q, %q", name, p, parent, seg)
		}
	}
	if !IsBelow("a.b", "a") || IsBelow("ab", "a") || !IsBelow("a[]", "a") || IsBelow("a", "a") {
		t.Error("IsBelow")
	}
}

func TestFromSchemaMergesCompositionAndStopsRecursion(t *testing.T) {
	node := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{}}
	node.Properties["child"] = &openapi3.SchemaRef{Value: node} // recursive
	node.Properties["id"] = schema(t, `{"type":"string"}`)
	s := FromSchema(&openapi3.SchemaRef{Value: &openapi3.Schema{
		AllOf: openapi3.SchemaRefs{{Value: node}, schema(t, `{"type":"object","required":["extra"],"properties":{"extra":{"type":"integer"}}}`)},
	}}, SchemaOptions{})
	if s["id"] == nil || s["extra"] == nil || !s["extra"].Required || s["child"] == nil || !s["child"].Recursive {
		t.Fatalf("shape = %v", s.Paths())
	}
}

func TestFromValueFoldsArrays(t *testing.T) {
	s := FromValue(value(t, `{"rows":[{"a":1,"b":"x"},{"a":2.5}]}`), ValueOptions{})
	if !s["rows[].a"].Required || s["rows[].b"].Required {
		t.Fatal("presence in every element decides Required")
	}
	if got := strings.Join(s["rows[].a"].Types, ","); got != "integer,number" {
		t.Fatalf("types = %s", got)
	}
}

func TestCompare(t *testing.T) {
	cases := []struct{ old, new, want string }{
		{`{"type":"object","properties":{"a":{"type":"string"}}}`, `{"type":"object","properties":{"a":{"type":"integer"}}}`, "type-changed@a"},
		{`{"type":"object","properties":{"r":{"type":"object","properties":{"x":{"type":"string"}}}}}`, `{"type":"object","properties":{}}`, "removed@r"},
		{`{"type":"object","properties":{"Po":{"type":"string"}}}`, `{"type":"object","properties":{"PO":{"type":"string"}}}`, "renamed@Po"},
		{`{"type":"object","properties":{"a":{"type":"string"}}}`, `{"type":"array","items":{"type":"object","properties":{"a":{"type":"string"}}}}`, "type-changed@"},
		{`{"type":"string","enum":["a","b"]}`, `{"type":"string","enum":["a"]}`, "enum-narrowed@"},
		{`{"type":"string"}`, `{"type":"string","enum":["a"]}`, "enum-narrowed@"},
		{`{"type":"object","x-ms-dynamic-schema":{"operationId":"X"}}`, `{"type":"object","x-ms-dynamic-schema":{"operationId":"X"}}`, ""},
		{`{"type":"string","format":"guid"}`, `{"type":"string","format":"uuid"}`, ""},
	}
	for _, tc := range cases {
		got := kinds(Compare(FromSchema(schema(t, tc.old), SchemaOptions{}), FromSchema(schema(t, tc.new), SchemaOptions{}), CompareOptions{}))
		if got != tc.want {
			t.Errorf("%s → %s: got %q want %q", tc.old, tc.new, got, tc.want)
		}
	}
}

func TestCompareValuesNumbersAlike(t *testing.T) {
	a := FromValue(value(t, `{"n":1}`), ValueOptions{})
	b := FromValue(value(t, `{"n":1.5}`), ValueOptions{})
	if cs := Compare(a, b, CompareOptions{NumbersAlike: true, IgnoreRequired: true}); len(cs) != 0 {
		t.Fatalf("1 vs 1.5 reported: %s", kinds(cs))
	}
}
