package conform

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/getkin/kin-openapi/openapi3"
)

func loadDef(t *testing.T, responses map[string]any) *connector.Operation {
	t.Helper()
	def := map[string]any{
		"swagger": "2.0", "info": map[string]any{"title": "T", "version": "1"},
		"host": "x", "basePath": "/", "schemes": []any{"https"}, "produces": []any{"application/json"},
		"paths": map[string]any{"/a": map[string]any{"get": map[string]any{"operationId": "A", "responses": responses}}},
	}
	b, _ := json.Marshal(def)
	p := filepath.Join(t.TempDir(), "apiDefinition.swagger.json")
	os.WriteFile(p, b, 0o644)
	c, err := connector.Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return c.Operation("A")
}

var orderSchema = map[string]any{
	"type": "object", "required": []any{"id"},
	"properties": map[string]any{
		"id":     map[string]any{"type": "string"},
		"total":  map[string]any{"type": "number"},
		"state":  map[string]any{"type": "string", "enum": []any{"open", "closed"}},
		"note":   map[string]any{"type": "string"},
		"lines":  map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{"sku": map[string]any{"type": "string"}}}},
		"strict": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{"a": map[string]any{"type": "integer"}}},
		"flag":   map[string]any{"type": "boolean", "enum": []any{"true", "false"}},
	},
}

func check(t *testing.T, op *connector.Operation, status int, ctype, body string) []string {
	t.Helper()
	h := http.Header{}
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	fs := New(nil, Options{}).Check(op, Response{Status: status, Header: h, Body: []byte(body)})
	var out []string
	for _, f := range fs {
		out = append(out, f.ID+"@"+f.Field)
	}
	sort.Strings(out)
	return out
}

func TestCheck(t *testing.T) {
	op := loadDef(t, map[string]any{"200": map[string]any{"description": "ok", "schema": orderSchema}, "404": map[string]any{"description": "nf"}})
	cases := []struct {
		name        string
		status      int
		ctype, body string
		want        string
	}{
		{"valid", 200, "application/json", `{"id":"1","total":3,"state":"open","lines":[{"sku":"x"}],"flag":true}`, ""},
		{"type mismatch in array", 200, "application/json", `{"id":"1","lines":[{"sku":1},{"sku":2}]}`, "body-type-mismatch@lines[].sku"},
		{"required missing", 200, "application/json", `{"total":1}`, "body-required-missing@id"},
		{"undocumented field", 200, "application/json", `{"id":"1","extra":1}`, "body-field-undocumented@extra"},
		{"not allowed", 200, "application/json", `{"id":"1","strict":{"a":1,"b":2}}`, "body-field-not-allowed@strict.b"},
		{"new enum value", 200, "application/json", `{"id":"1","state":"archived"}`, "body-enum-value-undeclared@state"},
		{"null not allowed", 200, "application/json", `{"id":"1","note":null}`, "body-null-not-allowed@note"},
		{"not json", 200, "application/json", `{"id":`, "body-not-json@"},
		{"undeclared status", 201, "application/json", `{}`, "status-undeclared@"},
		{"declared error status", 404, "", ``, ""},
		{"undeclared content type", 200, "text/html", `<html>`, "content-type-undeclared@Content-Type"},
		{"missing content type", 200, "", `{"id":"1"}`, "content-type-missing@Content-Type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(check(t, op, tc.status, tc.ctype, tc.body), " ")
			if got != tc.want {
				t.Fatalf("got %q want %q", got, tc.want)
			}
		})
	}
}

func TestRepeatedProblemIsCounted(t *testing.T) {
	op := loadDef(t, map[string]any{"200": map[string]any{"description": "ok", "schema": orderSchema}})
	h := http.Header{"Content-Type": {"application/json"}}
	fs := New(nil, Options{}).Check(op, Response{Status: 200, Header: h, Body: []byte(`{"id":"1","lines":[{"sku":1},{"sku":2},{"sku":3}]}`)})
	if len(fs) != 1 || fs[0].Count != 3 {
		t.Fatalf("findings = %+v", fs)
	}
}

func TestDynamicSchema(t *testing.T) {
	op := loadDef(t, map[string]any{"200": map[string]any{"description": "ok", "schema": map[string]any{
		"type": "object", "x-ms-dynamic-schema": map[string]any{"operationId": "GetSchema", "value-path": "schema"}}}})
	h := http.Header{"Content-Type": {"application/json"}}
	body := []byte(`{"n":"x"}`)
	if fs := New(nil, Options{}).Check(op, Response{Status: 200, Header: h, Body: body}); len(fs) != 1 || fs[0].ID != DynamicUnresolved {
		t.Fatalf("unresolved: %+v", fs)
	}
	lookup := SchemaFromLookup([]byte(`{"schema":{"type":"object","properties":{"n":{"type":"integer"}}}}`), "schema")
	k := New(nil, Options{DynamicSchema: func(*connector.Operation, string) *openapi3.SchemaRef { return lookup }})
	if fs := k.Check(op, Response{Status: 200, Header: h, Body: body}); len(fs) != 1 || fs[0].ID != BodyTypeMismatch {
		t.Fatalf("resolved: %+v", fs)
	}
}
