package specdiff

import "testing"

func TestCheckVisibility(t *testing.T) {
	mk := func(vis string) map[string]any {
		extra := map[string]any{}
		if vis != "" {
			extra["x-ms-visibility"] = vis
		}
		return doc(map[string]any{"/a": map[string]any{"get": op("A", extra)}})
	}
	cases := []struct{ old, new, want string }{
		{"", "internal", "operation-visibility-internal@error"},
		{"important", "Internal", "operation-visibility-internal@error"},
		{"", "advanced", "operation-visibility-changed@info"},
	}
	for _, tc := range cases {
		expect(t, load(t, mk(tc.old), nil), load(t, mk(tc.new), nil), tc.want)
	}
	expect(t, load(t, mk("internal"), nil), load(t, mk("internal"), nil))
}
