package specdiff

import "testing"

func TestCheckParameters(t *testing.T) {
	mk := func(params ...map[string]any) map[string]any {
		ps := make([]any, len(params))
		for i, p := range params {
			ps[i] = p
		}
		return doc(map[string]any{"/a": map[string]any{"get": op("A", map[string]any{"parameters": ps})}})
	}
	q := func(name, typ string, required bool, extra map[string]any) map[string]any {
		p := map[string]any{"name": name, "in": "query", "type": typ, "required": required}
		for k, v := range extra {
			p[k] = v
		}
		return p
	}
	cases := []struct {
		name     string
		old, new map[string]any
		want     []string
	}{
		{"required added", mk(), mk(q("top", "integer", true, nil)), []string{"request-parameter-added-required@error"}},
		{"required added with default", mk(), mk(q("v", "string", true, map[string]any{"default": "1", "x-ms-visibility": "internal"})), []string{"request-parameter-added@info"}},
		{"optional added", mk(), mk(q("top", "integer", false, nil)), []string{"request-parameter-added@info"}},
		{"became required", mk(q("top", "integer", false, nil)), mk(q("top", "integer", true, nil)), []string{"request-parameter-became-required@error"}},
		{"removed", mk(q("top", "integer", false, nil)), mk(), []string{"request-parameter-removed@warning"}},
		{"internal removed", mk(q("v", "string", true, map[string]any{"x-ms-visibility": "internal", "default": "1"})), mk(), []string{"request-parameter-removed@info"}},
		{"retyped", mk(q("top", "integer", false, nil)), mk(q("top", "string", false, nil)), []string{"request-parameter-type-changed@error"}},
		{"widened", mk(q("top", "integer", false, nil)), mk(q("top", "number", false, nil)), []string{"request-parameter-type-changed@info"}},
		{"enum narrowed", mk(q("s", "string", false, map[string]any{"enum": []any{"a", "b"}})), mk(q("s", "string", false, map[string]any{"enum": []any{"a"}})), []string{"request-parameter-enum-narrowed@error"}},
		{"enum widened", mk(q("s", "string", false, map[string]any{"enum": []any{"a"}})), mk(q("s", "string", false, map[string]any{"enum": []any{"a", "b"}})), []string{"request-parameter-enum-widened@info"}},
		{"became internal", mk(q("s", "string", false, nil)), mk(q("s", "string", false, map[string]any{"x-ms-visibility": "internal"})), []string{"request-parameter-visibility-internal@warning"}},
		{"header names ignore case", mk(map[string]any{"name": "X-Key", "in": "header", "type": "string"}), mk(map[string]any{"name": "x-key", "in": "header", "type": "string"}), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, load(t, tc.old, nil), load(t, tc.new, nil), tc.want...)
		})
	}
}
