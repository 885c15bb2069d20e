package jsontext

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	t.Parallel()
	const src = "{\n    \"swagger\": \"2.0\",\n    \"zeta\": 1.50,\n    \"paths\": {\n        \"/a\": {\"get\": {}}\n    },\n    \"gone\": true,\n    \"list\": [1, 2]\n}\n"
	tests := []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"unchanged keeps bytes", func(map[string]any) {}, src},
		{"added member written like its one-line siblings", func(m map[string]any) {
			m["paths"].(map[string]any)["/b"] = map[string]any{"post": map[string]any{"x": 1}}
		}, "{\n    \"swagger\": \"2.0\",\n    \"zeta\": 1.50,\n    \"paths\": {\n        \"/a\": {\"get\": {}},\n        \"/b\": {\"post\":{\"x\":1}}\n    },\n    \"gone\": true,\n    \"list\": [1, 2]\n}\n"},
		{"removed member and changed scalar", func(m map[string]any) {
			delete(m, "gone")
			m["zeta"] = "z"
		}, "{\n    \"swagger\": \"2.0\",\n    \"zeta\": \"z\",\n    \"paths\": {\n        \"/a\": {\"get\": {}}\n    },\n    \"list\": [1, 2]\n}\n"},
		{"array grows inline", func(m map[string]any) {
			m["list"] = []any{1.0, 2.0, 3.0}
		}, "{\n    \"swagger\": \"2.0\",\n    \"zeta\": 1.50,\n    \"paths\": {\n        \"/a\": {\"get\": {}}\n    },\n    \"gone\": true,\n    \"list\": [1, 2, 3]\n}\n"},
		{"member into empty object", func(m map[string]any) {
			m["paths"].(map[string]any)["/a"].(map[string]any)["get"] = map[string]any{"summary": "S"}
		}, "{\n    \"swagger\": \"2.0\",\n    \"zeta\": 1.50,\n    \"paths\": {\n        \"/a\": {\"get\": {\n            \"summary\": \"S\"\n        }}\n    },\n    \"gone\": true,\n    \"list\": [1, 2]\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var m map[string]any
			if err := json.Unmarshal([]byte(src), &m); err != nil {
				t.Fatal(err)
			}
			tt.edit(m)
			got, err := Rewrite([]byte(src), m)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			var back map[string]any
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
		})
	}
}

func TestRewriteRefusesLenientJSON(t *testing.T) {
	t.Parallel()
	if _, err := Rewrite([]byte(`{"a": 1,}`), map[string]any{"a": 1}); err == nil {
		t.Fatal("trailing comma accepted; Rewrite needs strict JSON")
	}
}

// FuzzRewrite: on valid JSON, rewriting the unchanged tree gives the input
// back byte for byte, and rewriting with a member added gives valid JSON
// holding it; on anything else Rewrite fails without panicking.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a": [1, {"b": null}], "c": "\u00e9"}`, "{\n  \"x\": {\n    \"y\": true\n  }\n}\n", `[1,2,3]`, `"s"`, `{"a":1,}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			_, _ = Rewrite(data, map[string]any{})
			return
		}
		got, err := Rewrite(data, v)
		if err != nil {
			t.Fatalf("valid JSON refused: %v", err)
		}
		if string(got) != strings.TrimPrefix(string(data), "\xEF\xBB\xBF") {
			t.Fatalf("unchanged tree rewritten:\n%q\n%q", data, got)
		}
		if m, ok := v.(map[string]any); ok {
			m["zz-added"] = []any{1.0, "two"}
			out, err := Rewrite(data, m)
			if err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			if err := json.Unmarshal(out, &back); err != nil || back["zz-added"] == nil {
				t.Fatalf("after adding a member: %v\n%s", err, out)
			}
		}
	})
}
