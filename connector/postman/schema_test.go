package postman

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func decodeForTest(t *testing.T, src string, useNumber bool) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(src))
	if useNumber {
		dec.UseNumber()
	}
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", src, err)
	}
	return v
}

func schemaJSON(t *testing.T, s *openapi3.Schema) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInferSchema(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"null", `null`, `{"nullable":true}`},
		{"bool", `true`, `{"type":"boolean"}`},
		{"integer", `42`, `{"type":"integer"}`},
		{"negative integer", `-7`, `{"type":"integer"}`},
		{"big integer", `123456789012345678901234567890`, `{"type":"integer"}`},
		{"number", `4.5`, `{"type":"number"}`},
		{"exponent", `1e3`, `{"type":"number"}`},
		{"plain string", `"hello"`, `{"type":"string"}`},
		{"empty string", `""`, `{"type":"string"}`},
		{"date-time", `"2024-02-29T13:45:00Z"`, `{"format":"date-time","type":"string"}`},
		{"date-time offset", `"2024-02-29T13:45:00.123+02:00"`, `{"format":"date-time","type":"string"}`},
		{"date", `"2024-02-29"`, `{"format":"date","type":"string"}`},
		{"not a date", `"2024-02-30"`, `{"type":"string"}`},
		{"uuid", `"123e4567-e89b-12d3-a456-426614174000"`, `{"format":"uuid","type":"string"}`},
		{"email", `"jane.doe@example.com"`, `{"format":"email","type":"string"}`},
		{"not email", `"Jane <jane@example.com>"`, `{"type":"string"}`},
		{"local email", `"root@localhost"`, `{"type":"string"}`},
		{"uri", `"https://example.com/a?b=c"`, `{"format":"uri","type":"string"}`},
		{"urn", `"urn:isbn:0451450523"`, `{"format":"uri","type":"string"}`},
		{"no uri", `"example.com/a"`, `{"type":"string"}`},
		{"time is not uri", `"12:30"`, `{"type":"string"}`},
		{"empty array", `[]`, `{"items":{},"type":"array"}`},
		{"array", `[1,2]`, `{"items":{"type":"integer"},"type":"array"}`},
		{"array int and number", `[1,2.5]`, `{"items":{"type":"number"},"type":"array"}`},
		{"array with null", `["a",null]`, `{"items":{"nullable":true,"type":"string"},"type":"array"}`},
		{"array of formats", `["2024-01-01","x"]`, `{"items":{"type":"string"},"type":"array"}`},
		{"array same format", `["2024-01-01","2024-01-02"]`, `{"items":{"format":"date","type":"string"},"type":"array"}`},
		{"mixed array", `[1,"a",true]`, `{"items":{"anyOf":[{"type":"integer"},{"type":"string"},{"type":"boolean"}]},"type":"array"}`},
		{"mixed with null", `[1,"a",null]`, `{"items":{"anyOf":[{"nullable":true,"type":"integer"},{"nullable":true,"type":"string"}],"nullable":true},"type":"array"}`},
		{"nested arrays", `[[],[1]]`, `{"items":{"items":{"type":"integer"},"type":"array"},"type":"array"}`},
		{"object", `{"a":1,"b":"x"}`, `{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}`},
		{"empty object", `{}`, `{"type":"object"}`},
		{"array of objects merged", `[{"a":1},{"b":true},{"a":null}]`,
			`{"items":{"properties":{"a":{"nullable":true,"type":"integer"},"b":{"type":"boolean"}},"type":"object"},"type":"array"}`},
		{"deep merge", `[{"o":{"x":[1]}},{"o":{"x":[],"y":"2024-01-01T00:00:00Z"}}]`,
			`{"items":{"properties":{"o":{"properties":{"x":{"items":{"type":"integer"},"type":"array"},"y":{"format":"date-time","type":"string"}},"type":"object"}},"type":"object"},"type":"array"}`},
		{"object and array", `[{"a":1},[1]]`,
			`{"items":{"anyOf":[{"properties":{"a":{"type":"integer"}},"type":"object"},{"items":{"type":"integer"},"type":"array"}]},"type":"array"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := schemaJSON(t, InferSchema(decodeForTest(t, tc.in, true)))
			if got != tc.want {
				t.Errorf("InferSchema(%s)\n got %s\nwant %s", tc.in, got, tc.want)
			}
			if err := InferSchema(decodeForTest(t, tc.in, true)).Validate(t.Context()); err != nil {
				t.Errorf("schema does not validate: %v", err)
			}
		})
	}
}

func TestInferSchemaFloat64AndGoTypes(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{decodeForTest(t, `3`, false), `{"type":"integer"}`},
		{decodeForTest(t, `3.0`, false), `{"type":"integer"}`}, // float64 cannot tell 3.0 from 3
		{decodeForTest(t, `3.25`, false), `{"type":"number"}`},
		{decodeForTest(t, `1e300`, false), `{"type":"number"}`},
		{json.Number("3.0"), `{"type":"number"}`},
		{7, `{"type":"integer"}`},
		{uint8(7), `{"type":"integer"}`},
		{float32(0.5), `{"type":"number"}`},
		{struct{}{}, `{}`},
	}
	for _, tc := range cases {
		if got := schemaJSON(t, InferSchema(tc.in)); got != tc.want {
			t.Errorf("InferSchema(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestMergeSchemasDoesNotModifyInputs(t *testing.T) {
	a := InferSchema(decodeForTest(t, `{"x":[1],"y":"a"}`, true))
	b := InferSchema(decodeForTest(t, `{"x":[2.5],"z":null}`, true))
	before := schemaJSON(t, a) + schemaJSON(t, b)
	merged := mergeSchemas(a, b)
	if after := schemaJSON(t, a) + schemaJSON(t, b); after != before {
		t.Errorf("inputs changed:\n%s\n%s", before, after)
	}
	want := `{"properties":{"x":{"items":{"type":"number"},"type":"array"},"y":{"type":"string"},"z":{"nullable":true}},"type":"object"}`
	if got := schemaJSON(t, merged); got != want {
		t.Errorf("merged = %s\nwant %s", got, want)
	}
}

func TestUniqueKey(t *testing.T) {
	m := map[string]bool{}
	var got []string
	for range 6 {
		k := uniqueKey(m, "OK")
		m[k] = true
		got = append(got, k)
	}
	want := []string{"OK", "OK (2)", "OK (3)", "OK (4)", "OK (5)", "OK (6)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q", got)
	}
	// A gap left by another name is still filled by a free key.
	m = map[string]bool{"A": true, "A (2)": true, "A (4)": true}
	if k := uniqueKey(m, "A"); m[k] {
		t.Errorf("uniqueKey returned taken key %q", k)
	}
}
