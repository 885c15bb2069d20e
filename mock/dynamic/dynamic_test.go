package dynamic

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

func contoso(t testing.TB) *connector.Connector {
	t.Helper()
	c, err := connector.Load(context.Background(), filepath.Join("..", "..", "examples", "contoso-orders"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContosoDynamicValues(t *testing.T) {
	c := contoso(t)
	r, err := New(Options{Connector: c, Seed: 3, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if !r.IsLookup("ListCustomers") || !r.IsLookup("GetOrderTypes") || !r.IsLookup("GetOrderTypeSchema") || r.IsLookup("ListOrders") {
		t.Fatal("lookup operations not recognised")
	}
	body, _ := r.Lookup(c.Operation("ListCustomers"), Args{}, nil)
	items := body.(map[string]any)["value"].([]any)
	if len(items) < 3 {
		t.Fatalf("ListCustomers returned %d items", len(items))
	}
	_, s := successResponse(c.Operation("ListCustomers"))
	if err := s.Value.VisitJSON(body, openapi3.MultiErrors()); err != nil {
		t.Fatalf("lookup body breaks its own schema: %v", err)
	}
	id := items[1].(map[string]any)["id"].(string)
	if name, _ := items[1].(map[string]any)["name"].(string); name == "" {
		t.Fatal("item without a title")
	}
	// Deterministic: a second call, and a fresh resolver, agree.
	again, _ := r.Lookup(c.Operation("ListCustomers"), Args{}, nil)
	r2, _ := New(Options{Connector: c, Seed: 3})
	third, _ := r2.Lookup(c.Operation("ListCustomers"), Args{}, nil)
	if again.(map[string]any)["value"].([]any)[1].(map[string]any)["id"] != id || third.(map[string]any)["value"].([]any)[1].(map[string]any)["id"] != id {
		t.Fatal("lookup values are not deterministic")
	}
	list := c.Operation("ListOrders")
	if ps := r.Check(list, Args{Query: url.Values{"customerId": {id}}}); len(ps) != 0 {
		t.Fatalf("a returned value was refused: %+v", ps)
	}
	ps := r.Check(list, Args{Query: url.Values{"customerId": {"00000000-0000-4000-8000-000000000000"}}})
	if len(ps) != 1 || ps[0].ID != ProblemUnknownValue || !ps[0].Reject || !strings.Contains(ps[0].Message, "query parameter customerId") || !strings.Contains(ps[0].Message, "ListCustomers") {
		t.Fatalf("unknown value: %+v", ps)
	}
	// The body property of CreateOrder is checked the same way.
	create := c.Operation("CreateOrder")
	if ps := r.Check(create, Args{Body: map[string]any{"customerId": "nope", "lines": []any{}}}); len(ps) != 1 || ps[0].Pointer != "/body/customerId" {
		t.Fatalf("body value: %+v", ps)
	}
	// Without --strict-dynamic it is a warning.
	lax, _ := New(Options{Connector: c, Seed: 3})
	if ps := lax.Check(list, Args{Query: url.Values{"customerId": {"nope"}}}); len(ps) != 1 || ps[0].Reject || ps[0].Level != "warning" {
		t.Fatalf("lax: %+v", ps)
	}
}

func TestContosoDynamicSchema(t *testing.T) {
	c := contoso(t)
	r, _ := New(Options{Connector: c, Seed: 3})
	types, _ := r.Lookup(c.Operation("GetOrderTypes"), Args{}, nil)
	typeName := types.(map[string]any)["value"].([]any)[0].(map[string]any)["name"].(string)
	body, _ := r.Lookup(c.Operation("GetOrderTypeSchema"), Args{Path: map[string]string{"typeName": typeName}}, nil)
	raw, ok := body.(map[string]any)["schema"].(map[string]any)
	if !ok || raw["type"] != "object" || len(raw["properties"].(map[string]any)) < 3 {
		t.Fatalf("schema lookup = %v", body)
	}
	other, _ := r.Lookup(c.Operation("GetOrderTypeSchema"), Args{Path: map[string]string{"typeName": typeName + "x"}}, nil)
	same, _ := r.Lookup(c.Operation("GetOrderTypeSchema"), Args{Path: map[string]string{"typeName": typeName}}, nil)
	if equalJSON(t, other.(map[string]any)["schema"], raw) || !equalJSON(t, same.(map[string]any)["schema"], raw) {
		t.Fatal("schemas are not per parameter combination")
	}
	dep := c.Operation("CreateTypedOrder")
	var d *connector.DynamicRef
	for i := range dep.Dynamic {
		if dep.Dynamic[i].Kind == connector.DynamicSchema {
			d = &dep.Dynamic[i]
		}
	}
	a := Args{Path: map[string]string{"typeName": typeName}}
	s := r.Resolve(d, a)
	good := fake.New(fake.Options{Direction: fake.Request}).Generate(s, 1, "")
	a.Body = good
	if ps := r.Check(dep, a); len(ps) != 0 {
		t.Fatalf("a body from the resolved schema was refused: %+v", ps)
	}
	bad := map[string]any{}
	for name := range raw["properties"].(map[string]any) {
		bad[name] = map[string]any{"not": "a scalar"}
		break
	}
	a.Body = bad
	ps := r.Check(dep, a)
	if len(ps) == 0 || ps[0].ID != ProblemSchemaMismatch || !ps[0].Reject || !strings.Contains(ps[0].Pointer, "/body/") {
		t.Fatalf("a wrongly typed body passed the resolved schema: %+v", ps)
	}
}

func equalJSON(t *testing.T, a, b any) bool {
	return strings.EqualFold(mustJSON(t, a), mustJSON(t, b))
}

func TestSchemaFile(t *testing.T) {
	c := contoso(t)
	dir := t.TempDir()
	path := filepath.Join(dir, SchemaFileName)
	os.WriteFile(path, []byte(`{"schemaVersion": 1, "schemas": [
	  {"operationId": "GetOrderTypeSchema", "parameters": {"typeName": "express"}, "schema": {"type": "object", "required": ["deliverBy"], "properties": {"deliverBy": {"type": "string", "format": "date-time"}}}},
	  {"operationId": "GetOrderTypeSchema", "schema": {"type": "object", "properties": {"giftWrap": {"type": "boolean"}}}}]}`), 0o644)
	r, err := New(Options{Connector: c, SchemaFile: path})
	if err != nil {
		t.Fatal(err)
	}
	body, notes := r.Lookup(c.Operation("GetOrderTypeSchema"), Args{Path: map[string]string{"typeName": "express"}}, nil)
	if _, ok := body.(map[string]any)["schema"].(map[string]any)["properties"].(map[string]any)["deliverBy"]; !ok || !strings.Contains(notes[0].Message, "file") {
		t.Fatalf("express = %v %v", body, notes)
	}
	body, _ = r.Lookup(c.Operation("GetOrderTypeSchema"), Args{Path: map[string]string{"typeName": "standard"}}, nil)
	if _, ok := body.(map[string]any)["schema"].(map[string]any)["properties"].(map[string]any)["giftWrap"]; !ok {
		t.Fatalf("default = %v", body)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"syntax", `{"schemaVersion": 1,, }`, SchemaFileName + ":1:21"},
		{"version", `{"schemaVersion": 2, "schemas": []}`, "schemaVersion is 2"},
		{"op", `{"schemaVersion": 1, "schemas": [{"operationId": "Nope", "schema": {}}]}`, `schemas[0].operationId "Nope" is not an operation`},
		{"noschema", `{"schemaVersion": 1, "schemas": [{"operationId": "GetOrderTypeSchema"}]}`, `has no "schema"`},
		{"unknown", `{"schemaVersion": 1, "schema": []}`, `unknown field "schema"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(path, []byte(tc.text), 0o644)
			_, err := New(Options{Connector: c, SchemaFile: path})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDependentResponseFromResolvedSchema(t *testing.T) {
	c := loadDir(t, filepath.Join("testdata", "response"))
	r, _ := New(Options{Connector: c})
	op := c.Operation("RunReport")
	a := Args{Query: url.Values{"report": {"sales"}}}
	body := r.Response(op, a, 200, map[string]any{"id": "1", "result": map[string]any{}})
	sub, s := r.ResponseSchema(op, a, 200)
	if sub != "result" || s == nil {
		t.Fatalf("response schema: %q %v", sub, s)
	}
	res := body.(map[string]any)["result"]
	if err := s.Value.VisitJSON(res, openapi3.MultiErrors()); err != nil || len(res.(map[string]any)) == 0 {
		t.Fatalf("response %v does not follow the resolved schema: %v", res, err)
	}
}

func loadDir(t testing.TB, dir string) *connector.Connector {
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
