package recordings

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestConfinePathFastPathAgrees: a path without a dot, backslash, ';' or
// '%' is returned as is without the full check; the full check must agree
// on every such path, whatever the base.
func TestConfinePathFastPathAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 17))
	const alphabet = "/ab-_~:@!$&'()*+,=Z09"
	bases := []string{"", "/", "/v1", "/v1/", "/api/v2", "api"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		p := b.String()
		base := bases[rng.IntN(len(bases))]
		clean, why := confinePathFull(base, p)
		if clean != p || why != "" {
			t.Fatalf("confinePathFull(%q, %q) = %q, %q; the fast path would give %q, \"\"", base, p, clean, why, p)
		}
	}
}

// TestConfinePathRefusesClimbs: the risky spellings still reach the full
// check and are refused or cleaned.
func TestConfinePathRefusesClimbs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p, clean string
		refused  bool
	}{
		{"/orders/o-1", "/orders/o-1", false},
		{"/../admin", "", true},
		{"/%2e%2e/admin", "", true}, // p is decoded: the client sent %252e%252e
		{"/..%2fadmin", "", true},
		{"/..\\admin", "", true},
		{"/..;/admin", "", true},
		{"/a/./b", "/a/b", false},
		{"/a/b/../c/", "/a/c/", false},
	} {
		clean, why := confinePath("/v1", tc.p)
		if (why != "") != tc.refused || (!tc.refused && clean != tc.clean) {
			t.Errorf("confinePath(/v1, %q) = %q, %q; want clean %q refused %v", tc.p, clean, why, tc.clean, tc.refused)
		}
	}
}
