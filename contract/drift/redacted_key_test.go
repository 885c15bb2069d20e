package drift

import (
	"sort"
	"testing"
)

// TestRedactedKeyIsNotARemovedField: the scrub replaced a secret's text
// inside recorded names (PKIsigning's "ipAdREDACTED-…" for ipAddress, Azure
// Machine Learning's userAssignedIdentities keyed by redacted ids); such a
// key stands for the replayed key it matches, so nothing was removed. A
// field that really went away is still reported.
func TestRedactedKeyIsNotARemovedField(t *testing.T) {
	t.Parallel()
	const ph = "REDACTED-5110deb78436cc0c"
	for _, tt := range []struct {
		name, rec, rep string
		want           []string
	}{
		{"inside a name", `{"ipAd` + ph + `":"10.0.0.1","id":1}`, `{"ipAddress":"10.0.0.2","id":1}`, nil},
		{"whole map keys", `{"ids":{"` + ph + `":{"a":1},"REDACTED-6d31a8a10e18cd8e":{"a":2}}}`, `{"ids":{"k1":{"a":1},"k2":{"a":3}}}`, nil},
		{"no key to match", `{"ipAd` + ph + `":"x","id":1}`, `{"id":1}`, nil},
		{"a real removal stays", `{"ipAd` + ph + `":"x","name":"n"}`, `{"ipAddress":"y"}`, []string{FieldAbsent}},
		{"the matched value is still compared", `{"ipAd` + ph + `":{"a":1}}`, `{"ipAddress":{}}`, []string{FieldAbsent}},
	} {
		var got []string
		for _, f := range New(nil).Exchange(nil, js(200, tt.rec), js(200, tt.rep), nil) {
			got = append(got, f.ID)
		}
		sort.Strings(got)
		if len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] {
			t.Errorf("%s: findings %v, want %v", tt.name, got, tt.want)
		}
	}
}
