package specdiff

import "testing"

func TestCheckDynamic(t *testing.T) {
	mk := func(lookup string) map[string]any {
		return doc(map[string]any{
			"/a": map[string]any{"get": op("A", map[string]any{"parameters": []any{map[string]any{
				"name": "board", "in": "query", "type": "string",
				"x-ms-dynamic-values": map[string]any{"operationId": lookup, "value-path": "id", "value-collection": "boards"},
			}}})},
			"/boards":  map[string]any{"get": op("GetBoards", nil)},
			"/boards2": map[string]any{"get": op("GetBoards_V2", nil)},
		})
	}
	expect(t, load(t, mk("GetBoards"), nil), load(t, mk("GetBoards_V2"), nil), "dynamic-values-changed@warning")
	expect(t, load(t, mk("GetBoards"), nil), load(t, mk("GetBoards"), nil))
}
