package specdiff

import "testing"

func TestCheckRequestBody(t *testing.T) {
	mk := func(schema map[string]any, required bool) map[string]any {
		return doc(map[string]any{"/a": map[string]any{"post": op("A", map[string]any{
			"parameters": []any{map[string]any{"name": "body", "in": "body", "required": required, "schema": schema}},
		})}})
	}
	cases := []struct {
		name     string
		old, new map[string]any
		want     []string
	}{
		{"required field added", mk(obj(map[string]any{"a": typ("string")}), true), mk(obj(map[string]any{"a": typ("string"), "b": typ("string")}, "b"), true), []string{"request-body-field-added-required@error"}},
		{"optional field added", mk(obj(map[string]any{"a": typ("string")}), true), mk(obj(map[string]any{"a": typ("string"), "b": typ("string")}), true), []string{"request-body-field-added@info"}},
		{"field became required", mk(obj(map[string]any{"a": typ("string")}), true), mk(obj(map[string]any{"a": typ("string")}, "a"), true), []string{"request-body-field-became-required@error"}},
		{"field removed", mk(obj(map[string]any{"a": typ("string"), "b": typ("string")}), true), mk(obj(map[string]any{"a": typ("string")}), true), []string{"request-body-field-removed@warning"}},
		{"retyped", mk(obj(map[string]any{"a": typ("string")}), true), mk(obj(map[string]any{"a": typ("integer")}), true), []string{"request-body-type-changed@error"}},
		{"body became required", mk(obj(map[string]any{"a": typ("string")}), false), mk(obj(map[string]any{"a": typ("string")}), true), []string{"request-body-became-required@error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, load(t, tc.old, nil), load(t, tc.new, nil), tc.want...)
		})
	}
}
