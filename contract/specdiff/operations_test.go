package specdiff

import "testing"

func TestCheckOperations(t *testing.T) {
	base := doc(map[string]any{
		"/items":      map[string]any{"get": op("ListItems", nil)},
		"/items/{id}": map[string]any{"get": op("GetItem", nil), "parameters": []any{map[string]any{"name": "id", "in": "path", "required": true, "type": "string"}}},
	})
	cases := []struct {
		name string
		new  map[string]any
		want []string
	}{
		{"unchanged", base, nil},
		{"removed", doc(map[string]any{"/items": map[string]any{"get": op("ListItems", nil)}}), []string{"operation-removed@error"}},
		{"renamed on the same path", doc(map[string]any{
			"/items":      map[string]any{"get": op("ListAllItems", nil)},
			"/items/{id}": base["paths"].(map[string]any)["/items/{id}"],
		}), []string{"operation-renamed@error"}},
		{"case-only rename", doc(map[string]any{
			"/items":      map[string]any{"get": op("listItems", nil)},
			"/items/{id}": base["paths"].(map[string]any)["/items/{id}"],
		}), []string{"operation-renamed@error"}},
		{"moved keeps its id", doc(map[string]any{
			"/v2/items":   map[string]any{"get": op("ListItems", nil)},
			"/items/{id}": base["paths"].(map[string]any)["/items/{id}"],
		}), []string{"operation-moved@warning"}},
		{"added and deprecated", doc(map[string]any{
			"/items":      map[string]any{"get": op("ListItems", map[string]any{"deprecated": true}), "post": op("CreateItem", nil)},
			"/items/{id}": base["paths"].(map[string]any)["/items/{id}"],
		}), []string{"operation-added@info", "operation-deprecated@warning"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, load(t, base, nil), load(t, tc.new, nil), tc.want...)
		})
	}
}

// Regression: a case-only rename must say so, since a reader of the diff
// easily misses it.
func TestCaseOnlyRenameSaysSo(t *testing.T) {
	o := load(t, doc(map[string]any{"/scan": map[string]any{"post": op("emailscan", nil)}}), nil)
	n := load(t, doc(map[string]any{"/scan": map[string]any{"post": op("EmailScan", nil)}}), nil)
	fs := expect(t, o, n, "operation-renamed@error")
	if fs[0].Old != "emailscan" || fs[0].New != "EmailScan" || !contains(fs[0].Message, "only the case") {
		t.Fatalf("finding = %+v", fs[0])
	}
}

func contains(s, sub string) bool { return len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0) }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
