package fake

import (
	"reflect"
	"testing"
)

func TestHonourMapsSubscriptionValues(t *testing.T) {
	t.Parallel()
	s := schemaOf(t, `{"type":"object","properties":{"type":{"type":"string","enum":["created","deleted"]},
		"status":{"type":"string"},"count":{"type":"integer"},"url":{"type":"string"},
		"items":{"type":"array","items":{"type":"object","properties":{"status":{"type":"string"}}}}}}`)
	payload := map[string]any{"type": "deleted", "status": "lamp", "count": int64(3), "url": "https://www.example.com/x",
		"items": []any{map[string]any{"status": "lamp"}}}
	values := map[string]string{"event": "updated,created", "status": "open", "callbackUrl": "https://cb.example.com/h", "count": "nine"}
	got := Honour(payload, s, values, 1).(map[string]any)
	want := map[string]any{"type": "created", "status": "open", "count": int64(3), "url": "https://www.example.com/x",
		"items": []any{map[string]any{"status": "open"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	// seq 0 picks "updated", which the enum refuses: the value stays.
	if got := Honour(payload, s, values, 0).(map[string]any); got["type"] != "deleted" {
		t.Fatalf("type %v: a value outside the enum was set", got["type"])
	}
	if payload["status"] != "lamp" {
		t.Fatal("Honour modified its input")
	}
}
