package specdiff

import "testing"

func TestCheckResponses(t *testing.T) {
	mk := func(schema any) map[string]any {
		return doc(map[string]any{"/a": map[string]any{"get": op("A", map[string]any{"responses": ok200(schema)})}})
	}
	items := func(props map[string]any) map[string]any {
		return obj(map[string]any{"results": map[string]any{"type": "array", "items": obj(props)}})
	}
	cases := []struct {
		name     string
		old, new any
		want     []string
	}{
		{"nested field removed", items(map[string]any{"alexa": typ("integer"), "x": typ("string")}), items(map[string]any{"x": typ("string")}), []string{"response-field-removed@error"}},
		{"field added", items(map[string]any{"x": typ("string")}), items(map[string]any{"x": typ("string"), "rank": typ("integer")}), []string{"response-field-added@info"}},
		{"case-only rename", obj(map[string]any{"CustomerPoNumber": typ("string")}), obj(map[string]any{"CustomerPONumber": typ("string")}), []string{"response-field-renamed@error"}},
		{"type changed", obj(map[string]any{"id": typ("string")}), obj(map[string]any{"id": typ("integer")}), []string{"response-type-changed@error"}},
		{"integer widened to number", obj(map[string]any{"n": typ("integer")}), obj(map[string]any{"n": typ("number")}), []string{"response-type-changed@warning"}},
		{"object to array reports once", obj(map[string]any{"a": typ("string")}), map[string]any{"type": "array", "items": obj(map[string]any{"a": typ("string")})}, []string{"response-type-changed@error"}},
		{"enum widened", obj(map[string]any{"s": map[string]any{"type": "string", "enum": []any{"a"}}}), obj(map[string]any{"s": map[string]any{"type": "string", "enum": []any{"a", "b"}}}), []string{"response-enum-widened@warning"}},
		{"became nullable", obj(map[string]any{"s": typ("string")}), obj(map[string]any{"s": map[string]any{"type": "string", "x-nullable": true}}), []string{"response-field-nullable@warning"}},
		{"no longer required", obj(map[string]any{"s": typ("string")}, "s"), obj(map[string]any{"s": typ("string")}), []string{"response-field-optional@warning"}},
		{"file to string/binary is not a break", typ("file"), map[string]any{"type": "string", "format": "binary"}, nil},
		{"static to dynamic", obj(map[string]any{"s": typ("string")}), map[string]any{"type": "object", "x-ms-dynamic-schema": map[string]any{"operationId": "GetSchema", "value-path": "schema"}}, []string{"response-dynamic-schema-changed@warning"}},
		{"removed subtree reports once", obj(map[string]any{"r": obj(map[string]any{"a": typ("string"), "b": typ("string")})}), obj(map[string]any{}), []string{"response-field-removed@error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, load(t, mk(tc.old), nil), load(t, mk(tc.new), nil), tc.want...)
		})
	}
}

// Regression: a refs-shared definition changed once is reported for every
// operation that returns it (Alvao: GetTicket and CreateTicket).
func TestSharedDefinitionReportedPerOperation(t *testing.T) {
	mk := func(t string) map[string]any {
		return doc(map[string]any{
			"/t":     map[string]any{"get": op("GetTicket", map[string]any{"responses": ok200(map[string]any{"$ref": "#/definitions/Ticket"})})},
			"/t/new": map[string]any{"post": op("CreateTicket", map[string]any{"responses": ok200(map[string]any{"$ref": "#/definitions/Ticket"})})},
		}, map[string]any{"definitions": map[string]any{"Ticket": obj(map[string]any{"solverTeamId": typ(t)})}})
	}
	expect(t, load(t, mk("string"), nil), load(t, mk("integer"), nil), "response-type-changed@error", "response-type-changed@error")
}
