package mockhost

import (
	"encoding/json"
	"testing"
)

func TestOptionsPaths(t *testing.T) {
	t.Parallel()
	var body any
	_ = json.Unmarshal([]byte(`{"data":{"items":[{"id":1,"name":"A"},{"id":2}]}}`), &body)
	got := Options(body, Lookup{ValueCollection: "data/items", ValuePath: "id", ValueTitle: "name"})
	if len(got) != 2 || got[0] != (Option{"1", "A"}) || got[1] != (Option{"2", "2"}) {
		t.Fatalf("got %+v", got)
	}
	_ = json.Unmarshal([]byte(`["x","y"]`), &body)
	if got := Options(body, Lookup{}); len(got) != 2 || got[1].Value != "y" {
		t.Fatalf("bare array: %+v", got)
	}
}
