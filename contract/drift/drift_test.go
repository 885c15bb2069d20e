package drift

import (
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/contract/shape"
	"github.com/getkin/kin-openapi/openapi3"
)

func js(status int, body string) Message {
	return Message{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
}

func defShape(t *testing.T, schema string) shape.Shape {
	t.Helper()
	var s openapi3.Schema
	if err := s.UnmarshalJSON([]byte(schema)); err != nil {
		t.Fatal(err)
	}
	return shape.FromSchema(&openapi3.SchemaRef{Value: &s}, shape.SchemaOptions{})
}

func TestExchange(t *testing.T) {
	def := defShape(t, `{"type":"object","required":["id"],"properties":{
		"id":{"type":"string"},"n":{"type":"integer"},"opt":{"type":"string"},
		"state":{"type":"string","enum":["open","closed"]},
		"items":{"type":"array","items":{"type":"object","properties":{"a":{"type":"string"}}}},
		"any":{},"meta":{"type":"object"}}}`)
	cases := []struct {
		name               string
		recorded, replayed Message
		want               string
	}{
		{"same structure, other values", js(200, `{"id":"1","n":2}`), js(200, `{"id":"9","n":7}`), ""},
		{"integer vs number is not drift", js(200, `{"id":"1","n":2}`), js(200, `{"id":"1","n":2.5}`), ""},
		{"field removed, undeclared", js(200, `{"id":"1","gone":1}`), js(200, `{"id":"1"}`), "drift-field-removed@error@gone"},
		// As diff grades response-field-removed: flows read optional fields too.
		{"field absent, declared optional", js(200, `{"id":"1","opt":"x"}`), js(200, `{"id":"1"}`), "drift-field-absent@error@opt"},
		{"field removed, required", js(200, `{"id":"1"}`), js(200, `{}`), "drift-field-removed@error@id"},
		{"field added, declared", js(200, `{"id":"1"}`), js(200, `{"id":"1","opt":"x"}`), "drift-field-added@info@opt"},
		{"field added, undeclared", js(200, `{"id":"1"}`), js(200, `{"id":"1","zz":1}`), "drift-field-added@info@zz"},
		{"type changed", js(200, `{"id":"1"}`), js(200, `{"id":1}`), "drift-type-changed@error@id"},
		{"untyped field may change type", js(200, `{"id":"1","any":"x"}`), js(200, `{"id":"1","any":3}`), "drift-type-changed@info@any"},
		{"object to array", js(200, `{"id":"1","items":{"a":"x"}}`), js(200, `{"id":"1","items":[{"a":"x"}]}`), "drift-shape-changed@error@items"},
		{"array item shape", js(200, `{"id":"1","items":[{"a":"x"}]}`), js(200, `{"id":"1","items":[{"a":1}]}`), "drift-type-changed@error@items[].a"},
		{"empty array says nothing", js(200, `{"id":"1","items":[{"a":"x"}]}`), js(200, `{"id":"1","items":[]}`), ""},
		{"became null", js(200, `{"id":"1","opt":"x"}`), js(200, `{"id":"1","opt":null}`), "drift-null-changed@warning@opt"},
		{"new enum value", js(200, `{"id":"1","state":"open"}`), js(200, `{"id":"1","state":"archived"}`), "drift-enum-value-new@warning@state"},
		{"open object children", js(200, `{"id":"1","meta":{"a":1}}`), js(200, `{"id":"1","meta":{"b":1}}`), "drift-field-absent@info@meta.a drift-field-added@info@meta.b"},
		{"status changed", js(200, `{"id":"1"}`), js(404, `{"error":"x"}`), "drift-status-changed@error@"},
		{"case-only rename", js(200, `{"id":"1","CustomerPoNumber":"x"}`), js(200, `{"id":"1","CustomerPONumber":"x"}`), "drift-field-removed@error@CustomerPoNumber"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := New(nil).Exchange(nil, tc.recorded, tc.replayed, def)
			var out []string
			for _, f := range fs {
				out = append(out, f.ID+"@"+f.Level.String()+"@"+strings.TrimPrefix(f.Field, "(root)"))
			}
			sort.Strings(out)
			if g := strings.Join(out, " "); g != tc.want {
				t.Fatalf("got %q want %q", g, tc.want)
			}
		})
	}
}

func TestContentTypeAndHeaders(t *testing.T) {
	rec := js(200, `{}`)
	rec.Header.Set("X-Total-Count", "3")
	rec.Header.Set("Date", "Mon")
	rep := Message{Status: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte("ok")}
	fs := New(nil).Exchange(nil, rec, rep, nil)
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	if strings.Join(ids, " ") != "drift-content-type-changed drift-header-removed drift-body-not-json" {
		t.Fatalf("ids = %v", ids)
	}
}

func TestConfigIgnoreAndCompare(t *testing.T) {
	p := filepath.Join(t.TempDir(), "drift.yaml")
	os.WriteFile(p, []byte("schemaVersion: 1\nignore:\n  - path: $.meta\n  - path: $..etag\ncompare:\n  - path: $.state\n    operation: A\n"), 0o644)
	cfg, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	d := New(cfg)
	fs := d.Exchange(nil, js(200, `{"meta":{"x":1},"rows":[{"etag":"1"}],"state":"open"}`), js(200, `{"meta":5,"rows":[{}],"state":"closed"}`), nil)
	if len(fs) != 0 {
		t.Fatalf("ignored fields reported, or compare applied to another operation: %+v", fs)
	}
	if !strings.Contains(strings.Join(cfg.Noise(), ";"), "field $.meta (config)") {
		t.Fatalf("noise list lacks the user rule: %v", cfg.Noise())
	}
}

// TestConfigYAMLUnknownKey: a misspelt key in a YAML config was ignored
// (JSON configs already refused it), so its rules silently did nothing.
func TestConfigYAMLUnknownKey(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"top.yaml":  "schemaVersion: 1\nignor:\n  - path: $.meta\n",
		"rule.yaml": "schemaVersion: 1\nignore:\n  - pth: $.meta\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := LoadConfig(p); err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "not found in type") {
			t.Errorf("%s: err = %v, want the file named and the unknown key refused", name, err)
		}
	}
	p := filepath.Join(dir, "empty.yaml")
	os.WriteFile(p, nil, 0o644)
	if _, err := LoadConfig(p); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestParsePath(t *testing.T) {
	for in, want := range map[string]string{
		"$.a.b[*].c": "a.b[].c", "$.a[0].b": "a[].b", "a.b[].c": "a.b[].c", "$['odd.key'].x": `["odd.key"].x`, "$.m.*.v": "m.*.v", "$": "",
	} {
		pr, err := ParsePath(in)
		if err != nil || pr.path != want {
			t.Errorf("ParsePath(%q) = %q, %v; want %q", in, pr.path, err, want)
		}
	}
	if _, err := ParsePath("$.a[x"); err == nil {
		t.Error("unclosed bracket accepted")
	}
}
