package specdiff

import "testing"

func TestCheckStatus(t *testing.T) {
	mk := func(responses map[string]any) map[string]any {
		return doc(map[string]any{"/a": map[string]any{"delete": op("A", map[string]any{"responses": responses})}})
	}
	body := obj(map[string]any{"id": typ("string")})
	cases := []struct {
		name     string
		old, new map[string]any
		want     []string
	}{
		{"200 with body to 204", map[string]any{"200": map[string]any{"description": "ok", "schema": body}}, map[string]any{"204": map[string]any{"description": "none"}},
			[]string{"response-status-changed@error", "response-body-removed@error"}},
		{"200 to 201 same body", map[string]any{"200": map[string]any{"description": "ok", "schema": body}}, map[string]any{"201": map[string]any{"description": "ok", "schema": body}},
			[]string{"response-status-changed@error"}},
		{"error status added", map[string]any{"200": map[string]any{"description": "ok"}}, map[string]any{"200": map[string]any{"description": "ok"}, "404": map[string]any{"description": "nf"}},
			[]string{"response-status-added@info"}},
		{"second success status removed", map[string]any{"200": map[string]any{"description": "ok"}, "202": map[string]any{"description": "acc"}}, map[string]any{"200": map[string]any{"description": "ok"}},
			[]string{"response-status-removed@warning"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, load(t, mk(tc.old), nil), load(t, mk(tc.new), nil), tc.want...)
		})
	}
}

func TestMediaTypeChanged(t *testing.T) {
	mk := func(produces string) map[string]any {
		return doc(map[string]any{"/a": map[string]any{"get": op("A", map[string]any{"produces": []any{produces}, "responses": ok200(typ("string"))})}})
	}
	expect(t, load(t, mk("application/json"), nil), load(t, mk("text/plain"), nil), "response-media-type-changed@warning")
}
