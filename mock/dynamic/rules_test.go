package dynamic

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// The general rules the corpus sweep found, each on a minimal definition
// (the sweep over ../shared/corpus lives in mock/powerplatform_test.go).

// defOf loads a Swagger 2.0 definition made of paths and definitions.
func defOf(t *testing.T, paths, defs string) *connector.Connector {
	t.Helper()
	if defs == "" {
		defs = "{}"
	}
	doc := `{"swagger": "2.0", "info": {"title": "Rules", "version": "1"}, "host": "api.example.com", "basePath": "/",
	 "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
	 "paths": ` + paths + `, "definitions": ` + defs + `}`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func firstRef(t *testing.T, c *connector.Connector, op string) *connector.DynamicRef {
	t.Helper()
	o := c.Operation(op)
	if o == nil || len(o.Dynamic) == 0 {
		t.Fatalf("%s has no dynamic reference", op)
	}
	return &o.Dynamic[0]
}

func TestResolvableReasons(t *testing.T) {
	for _, tc := range []struct {
		name, lookupResp, ext, lookupParams, want string
	}{
		{"list of objects", `{"type": "object", "properties": {"value": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}}`,
			`"x-ms-dynamic-values": {"operationId": "L", "value-collection": "value", "value-path": "id"}`, "", ""},
		{"plain values need no value-path", `{"type": "array", "items": {"type": "string"}}`,
			`"x-ms-dynamic-values": {"operationId": "L"}`, "", ""},
		{"objects need a value-path", `{"type": "array", "items": {"type": "object"}}`,
			`"x-ms-dynamic-values": {"operationId": "L"}`, "", ReasonNoValuePath},
		{"collection declared an object", `{"type": "object", "properties": {"id": {"type": "string"}}}`,
			`"x-ms-dynamic-values": {"operationId": "L", "value-path": "id"}`, "", ReasonNotArray},
		{"collection below an array", `{"type": "array", "items": {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "object"}}}}}`,
			`"x-ms-dynamic-values": {"operationId": "L", "value-collection": "data", "value-path": "id"}`, "", ReasonCollPath},
		{"string items with a value-path", `{"type": "array", "items": {"type": "string"}}`,
			`"x-ms-dynamic-values": {"operationId": "L", "value-path": "name"}`, "", ReasonItemNotObject},
		{"file picker", `{"type": "object"}`,
			`"x-ms-dynamic-values": {"capability": "file-picker", "value-path": "id"}`, "", ReasonCapability},
		{"missing lookup", `{"type": "object"}`,
			`"x-ms-dynamic-values": {"operationId": "Nope", "value-path": "id"}`, "", ReasonMissingLookup},
		{"literal outside the lookup's enum", `{"type": "array", "items": {"type": "object"}}`,
			`"x-ms-dynamic-values": {"operationId": "L", "value-path": "id", "parameters": {"api-version": "2016-06-01"}}`,
			`[{"in": "query", "name": "api-version", "type": "string", "required": true, "enum": ["2022-05-01"]}]`, ReasonLiteral},
		{"literal inside the enum", `{"type": "array", "items": {"type": "object"}}`,
			`"x-ms-dynamic-values": {"operationId": "L", "value-path": "id", "parameters": {"api-version": "2022-05-01"}}`,
			`[{"in": "query", "name": "api-version", "type": "string", "required": true, "enum": ["2022-05-01"]}]`, ""},
		{"schema in a string", `{"type": "string"}`,
			`"x-ms-dynamic-schema": {"operationId": "L", "value-path": "schema"}`, "", ReasonSchemaNotObj},
		{"schema at properties of an object", `{"type": "object", "properties": {"properties": {"type": "object"}}}`,
			`"x-ms-dynamic-schema": {"operationId": "L", "value-path": "properties"}`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lp := tc.lookupParams
			if lp == "" {
				lp = "[]"
			}
			target := `{"in": "query", "name": "x", "type": "string", ` + tc.ext + `}`
			if strings.Contains(tc.ext, "dynamic-schema") {
				target = `{"in": "body", "name": "body", "schema": {"type": "object", ` + tc.ext + `}}`
			}
			c := defOf(t, `{"/lookup": {"get": {"operationId": "L", "parameters": `+lp+`, "responses": {"200": {"description": "ok", "schema": `+tc.lookupResp+`}}}},
			  "/dep": {"post": {"operationId": "D", "parameters": [`+target+`], "responses": {"200": {"description": "ok"}}}}}`, "")
			ok, why, msg := Resolvable(c, firstRef(t, c, "D"))
			if why != tc.want || ok != (tc.want == "") {
				t.Fatalf("Resolvable = %v %q %q, want %q", ok, why, msg, tc.want)
			}
			if !ok && msg == "" {
				t.Fatal("an unresolvable reference must say why")
			}
			// The mock leaves an unresolvable reference's lookup as declared.
			r, _ := New(Options{Connector: c, Seed: 1})
			if r.IsLookup("L") != ok {
				t.Fatalf("IsLookup(L) = %v for a reference resolvable=%v", r.IsLookup("L"), ok)
			}
		})
	}
}

// TestValuesFitLookupFieldAndDependent: a string id field feeding an
// integer parameter gets numeric strings; an enum parameter gets its
// members; the lookup answer still matches its declared schema.
func TestValuesFitLookupFieldAndDependent(t *testing.T) {
	c := defOf(t, `{"/types": {"get": {"operationId": "L", "responses": {"200": {"description": "ok", "schema": {"type": "object",
	   "properties": {"value": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}}}}}},
	 "/a": {"get": {"operationId": "A", "parameters": [{"in": "query", "name": "n", "type": "integer",
	   "x-ms-dynamic-values": {"operationId": "L", "value-collection": "value", "value-path": "id", "value-title": "name"}}], "responses": {"200": {"description": "ok"}}}},
	 "/b": {"get": {"operationId": "B", "parameters": [{"in": "query", "name": "k", "type": "string", "enum": ["red", "green"],
	   "x-ms-dynamic-values": {"operationId": "L", "value-collection": "value", "value-path": "id", "value-title": "name"}}], "responses": {"200": {"description": "ok"}}}}}`, "")
	r, err := New(Options{Connector: c, Seed: 4, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := r.Lookup(c.Operation("L"), Args{}, nil)
	_, decl := successResponse(c.Operation("L"))
	if err := decl.Value.VisitJSON(body); err != nil {
		t.Fatalf("the lookup breaks its declared schema: %v", err)
	}
	items := body.(map[string]any)["value"].([]any)
	// A (integer) and B (an enum of words) cannot take the same value: the
	// list serves each with values it takes, and the mock accepts them.
	words, numbers := 0, 0
	for _, it := range items {
		id := it.(map[string]any)["id"].(string)
		switch {
		case id == "red" || id == "green":
			words++
			if ps := r.Check(c.Operation("B"), Args{Query: url.Values{"k": {id}}}); len(ps) != 0 {
				t.Fatalf("B refused a listed value: %+v", ps)
			}
		default:
			if _, err := strconv.Atoi(id); err != nil {
				t.Fatalf("value %q suits neither dependent: %+v", id, items)
			}
			numbers++
		}
	}
	if words == 0 || numbers == 0 {
		t.Fatalf("want values for both dependents, got %+v", items)
	}
	// An integer dependent alone gets numbers carried as strings.
	c2 := defOf(t, `{"/types": {"get": {"operationId": "L", "responses": {"200": {"description": "ok", "schema": {"type": "array",
	   "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}},
	 "/a": {"get": {"operationId": "A", "parameters": [{"in": "query", "name": "n", "type": "integer", "minimum": 1,
	   "x-ms-dynamic-values": {"operationId": "L", "value-path": "id"}}], "responses": {"200": {"description": "ok"}}}}}`, "")
	r2, _ := New(Options{Connector: c2, Seed: 4, Strict: true})
	b2, _ := r2.Lookup(c2.Operation("L"), Args{}, nil)
	for _, it := range b2.([]any) {
		id, ok := it.(map[string]any)["id"].(string)
		if !ok {
			t.Fatalf("the lookup field is a string: got %T", it.(map[string]any)["id"])
		}
		var n float64
		if err := json.Unmarshal([]byte(id), &n); err != nil || n < 1 {
			t.Fatalf("value %q is not an integer >= 1 for A", id)
		}
		if ps := r2.Check(c2.Operation("A"), Args{Query: url.Values{"n": {id}}}); len(ps) != 0 {
			t.Fatalf("A refused %q: %+v", id, ps)
		}
	}
}

// TestSharedListKeepsEachReferencesValues is the regression test for two
// references on one lookup, one reading "name" as its value and the other
// as its title: the title must not overwrite the value.
func TestSharedListKeepsEachReferencesValues(t *testing.T) {
	c := defOf(t, `{"/props": {"get": {"operationId": "L", "responses": {"200": {"description": "ok", "schema": {"type": "array",
	   "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}}}},
	 "/a": {"get": {"operationId": "A", "parameters": [{"in": "query", "name": "n", "type": "string",
	   "x-ms-dynamic-values": {"operationId": "L", "value-path": "name", "value-title": "name"}}], "responses": {"200": {"description": "ok"}}}},
	 "/b": {"get": {"operationId": "B", "parameters": [{"in": "query", "name": "i", "type": "string",
	   "x-ms-dynamic-values": {"operationId": "L", "value-path": "id", "value-title": "name"}}], "responses": {"200": {"description": "ok"}}}}}`, "")
	r, _ := New(Options{Connector: c, Seed: 8, Strict: true})
	body, _ := r.Lookup(c.Operation("L"), Args{}, nil)
	for _, it := range body.([]any) {
		m := it.(map[string]any)
		if ps := r.Check(c.Operation("A"), Args{Query: url.Values{"n": {m["name"].(string)}}}); len(ps) != 0 {
			t.Fatalf("A refused the name it was listed: %+v", ps)
		}
		if ps := r.Check(c.Operation("B"), Args{Query: url.Values{"i": {m["id"].(string)}}}); len(ps) != 0 {
			t.Fatalf("B refused the id it was listed: %+v", ps)
		}
	}
}

// TestMappingNamesAndDefaults: "body/x" and "x" key the same lookup input,
// a parameter left out counts with its default, and a mapping to a
// parameter the lookup cannot carry is ignored.
func TestMappingNamesAndDefaults(t *testing.T) {
	c := defOf(t, `{"/schema": {"post": {"operationId": "S", "parameters": [{"in": "body", "name": "body", "schema": {"type": "object",
	   "properties": {"kind": {"type": "string"}}}}], "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {"schema": {"type": "object"}}}}}}},
	 "/d": {"post": {"operationId": "D", "parameters": [
	   {"in": "query", "name": "mode", "type": "string", "default": "full"},
	   {"in": "body", "name": "req", "schema": {"type": "object", "properties": {"kind": {"type": "string"}, "data": {"type": "object",
	     "x-ms-dynamic-schema": {"operationId": "S", "parameters": {"kind": {"parameter": "kind"}, "unknown": {"parameter": "mode"}}, "value-path": "schema"},
	     "x-ms-dynamic-properties": {"operationId": "S", "parameters": {"body/kind": {"parameterReference": "req/kind"}}, "itemValuePath": "schema"}}}}}],
	   "responses": {"200": {"description": "ok"}}}}}`, "")
	r, _ := New(Options{Connector: c, Seed: 2})
	d := c.Operation("D")
	// The lookup as the designer calls it for kind=a.
	body, _ := r.Lookup(c.Operation("S"), Args{Body: map[string]any{"kind": "a"}, Op: c.Operation("S")}, nil)
	fromLookup, _ := json.Marshal(body.(map[string]any)["schema"])
	for i := range d.Dynamic {
		got := r.Resolve(&d.Dynamic[i], Args{Body: map[string]any{"kind": "a"}, Op: d})
		if got == nil {
			t.Fatalf("%s did not resolve", d.Dynamic[i].Kind)
		}
		raw, _ := json.Marshal(got.Value.Properties)
		var want map[string]any
		_ = json.Unmarshal(fromLookup, &want)
		wantProps, _ := json.Marshal(want["properties"])
		if string(raw) == "null" || !sameJSON(raw, wantProps) {
			t.Fatalf("%s resolved to other properties than the lookup answers:\n%s\n%s", d.Dynamic[i].Kind, raw, wantProps)
		}
	}
	if k := r.lookups["S"].keys; len(k) != 1 || k[0] != "kind" {
		t.Fatalf("lookup keys = %v, want [kind] (mode cannot reach S; body/kind is kind)", k)
	}
	// Defaults: a request without mode reads as mode=full.
	if v, ok := (Args{Op: d}).lookupValue("mode"); !ok || v != "full" {
		t.Fatalf("default of mode = %v, %v", v, ok)
	}
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

// TestGeneratedSchemaRefinesTheStaticNode: what the carrier declares
// (properties, required, additionalProperties) survives in the resolved
// schema, and the items of an array carry the schema of an item.
func TestGeneratedSchemaRefinesTheStaticNode(t *testing.T) {
	c := defOf(t, `{"/schema": {"get": {"operationId": "S", "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}},
	 "/things": {"get": {"operationId": "List", "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Thing"}}}}},
	   "post": {"operationId": "Create", "parameters": [{"in": "body", "name": "body", "schema": {"$ref": "#/definitions/Thing"}}], "responses": {"200": {"description": "ok"}}}}}`,
		`{"Thing": {"type": "object", "required": ["key"], "additionalProperties": {"type": "object"},
		   "properties": {"key": {"type": "string"}},
		   "x-ms-dynamic-schema": {"operationId": "S", "value-path": "thing"}}}`)
	r, _ := New(Options{Connector: c, Seed: 6})
	create, list := c.Operation("Create"), c.Operation("List")
	s := r.Resolve(&create.Dynamic[0], Args{Op: create})
	if s == nil || s.Value.Properties["key"] == nil || len(s.Value.Required) != 1 || s.Value.Required[0] != "key" {
		t.Fatalf("the static key/required were lost: %+v", s)
	}
	for name, p := range s.Value.Properties {
		if name != "key" && !p.Value.Type.Is("object") {
			t.Fatalf("extra property %s is %v; additionalProperties allows only objects", name, p.Value.Type)
		}
	}
	if fake.IsType(s, "array") || !r.ElementLevel(&list.Dynamic[0]) || r.ElementLevel(&create.Dynamic[0]) {
		t.Fatal("the item definition's schema describes one item: not an array, element level for the list only")
	}
	// The list's response items are generated from that schema.
	resp := r.Response(list, Args{Op: list}, 200, []any{map[string]any{}})
	for _, it := range resp.([]any) {
		if err := s.Value.VisitJSON(it, openapi3.VisitAsResponse()); err != nil {
			t.Fatalf("a list item breaks the resolved schema: %v", err)
		}
	}
}

// TestDropdownTitlesFollowTheListedThing (issue 13, item 3): a list of
// projects shows project names and a list of boards board names in the
// value-title field, while the value-path ids stay ids (titles were
// person names whatever the list held).
func TestDropdownTitlesFollowTheListedThing(t *testing.T) {
	for _, tc := range []struct{ op, path, want string }{
		{"ListProjects", "/projects", " Project"},
		{"GetBoards", "/boards", " Board"},
	} {
		c := defOf(t, `{"`+tc.path+`": {"get": {"operationId": "`+tc.op+`", "responses": {"200": {"description": "ok", "schema": {"type": "object",
		   "properties": {"value": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}}}}}},
		 "/a": {"get": {"operationId": "A", "parameters": [{"in": "query", "name": "p", "type": "string",
		   "x-ms-dynamic-values": {"operationId": "`+tc.op+`", "value-collection": "value", "value-path": "id", "value-title": "name"}}], "responses": {"200": {"description": "ok"}}}}}`, "")
		r, err := New(Options{Connector: c, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := r.Lookup(c.Operation(tc.op), Args{}, nil)
		items := body.(map[string]any)["value"].([]any)
		if len(items) == 0 {
			t.Fatalf("%s: no items", tc.op)
		}
		for _, it := range items {
			m := it.(map[string]any)
			if name, _ := m["name"].(string); !strings.HasSuffix(name, tc.want) {
				t.Errorf("%s: title %q does not name a%s", tc.op, name, tc.want)
			}
			if id, _ := m["id"].(string); id == "" || strings.Contains(id, " ") {
				t.Errorf("%s: id %q is not an id", tc.op, id)
			}
		}
	}
}
