package specdiff

import "testing"

func TestCheckTrigger(t *testing.T) {
	mk := func(trigger string, payload map[string]any) map[string]any {
		o := op("OnEvent", map[string]any{
			"parameters": []any{map[string]any{"name": "body", "in": "body", "schema": obj(map[string]any{
				"url": map[string]any{"type": "string", "x-ms-notification-url": true, "x-ms-visibility": "internal"},
			})}},
			"responses": map[string]any{"201": map[string]any{"description": "created"}},
		})
		if trigger != "" {
			o["x-ms-trigger"] = trigger
		}
		item := map[string]any{"post": o}
		if payload != nil {
			item["x-ms-notification-content"] = map[string]any{"description": "evt", "schema": payload}
		}
		return doc(map[string]any{"/hooks": item})
	}
	p := func(t string) map[string]any {
		return obj(map[string]any{"filings": map[string]any{"type": "array", "items": obj(map[string]any{"FilingType": typ(t)})}})
	}
	cases := []struct {
		name     string
		old, new map[string]any
		want     []string
	}{
		{"payload type changed", mk("single", p("string")), mk("single", p("integer")), []string{"trigger-payload-type-changed@error"}},
		{"payload field removed", mk("single", p("string")), mk("single", obj(map[string]any{"filings": map[string]any{"type": "array", "items": obj(map[string]any{})}})), []string{"trigger-payload-field-removed@error"}},
		{"cardinality changed", mk("single", p("string")), mk("batch", p("string")), []string{"trigger-changed@error"}},
		{"no longer a trigger", mk("single", p("string")), mk("", p("string")), []string{"trigger-changed@error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, load(t, tc.old, nil), load(t, tc.new, nil), tc.want...)
		})
	}
}
