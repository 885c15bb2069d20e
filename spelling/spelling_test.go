package spelling

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	long := strings.Repeat("a", 70)
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"validate", "valdate", 1},
		{"x-ms-visibility", "x-ms-visibilty", 1},
		{"kitten", "sitting", 3},
		{"connectionParameters", "connectionParamters", 1},
		{"Brønnøy", "Bronnoy", 2}, // runes, not bytes
		{long, long, 0},
		{long, long + "b", 71},
	}
	for _, tc := range cases {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance is not symmetric for %q, %q", tc.a, tc.b)
		}
	}
}
