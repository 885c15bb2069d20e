package specdiff

import "testing"

func TestCheckPolicies(t *testing.T) {
	d := doc(map[string]any{"/a": map[string]any{"get": op("A", nil)}})
	props := func(url string) map[string]any {
		if url == "" {
			return map[string]any{"properties": map[string]any{}}
		}
		return map[string]any{"properties": map[string]any{"policyTemplateInstances": []any{map[string]any{
			"templateId": "dynamichosturl", "title": "host",
			"parameters": map[string]any{"x-ms-apimTemplateParameter.urlTemplate": url},
		}}}}
	}
	expect(t, load(t, d, props("")), load(t, d, props("https://@connectionParameters('host')")), "policy-added@warning")
	expect(t, load(t, d, props("https://a")), load(t, d, props("https://b")), "policy-changed@warning")
	expect(t, load(t, d, props("https://a")), load(t, d, props("")), "policy-removed@warning")
	d2 := doc(map[string]any{"/a": map[string]any{"get": op("A", nil)}}, map[string]any{"host": "api2.example.com", "basePath": "/v2"})
	expect(t, load(t, d, nil), load(t, d2, nil), "host-changed@warning", "base-path-changed@warning")
}
