package policy

import (
	"context"
	"strings"
	"testing"
)

// sensitiveNameLowered is sensitiveName as it was written before its ASCII
// fast path: lower-case the name, then match exactly. The fast path must
// give the same answer for every name.
func sensitiveNameLowered(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "code", "sig", "key", "token", "password":
		return true
	}
	for _, w := range []string{"key", "token", "secret", "password", "passwd", "auth", "signature", "credential", "session", "cookie"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func TestSensitiveNameMatchesLowerCasedRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"X-Client", false},
		{"Accept", false},
		{"expand", false},
		{"", false},
		{"Authorization", true},
		{"PROXY-AUTHORIZATION", true},
		{"Code", true},
		{"codes", false},
		{"SIG", true},
		{"sign", false},
		{"X-Api-Key", true},
		{"api_KEY", true},
		{"access_token", true},
		{"ClientSecret", true},
		{"Passwd", true},
		{"X-Auth-User", true},
		{"x-ms-signature", true},
		{"Credentials", true},
		{"SessionId", true},
		{"Set-Cookie", true},
		{"ke", false},
		{"X-Api-\u212Aey", true}, // KELVIN SIGN lower-cases to k
		{"\u017Fession", false},  // LONG S folds to s but does not lower-case to it
		{"Ключ", false},
		{"ÜberToken", true},
	}
	for _, tc := range tests {
		if got := sensitiveName(tc.name); got != tc.want {
			t.Errorf("sensitiveName(%q) = %v, want %v", tc.name, got, tc.want)
		}
		if ref := sensitiveNameLowered(tc.name); ref != tc.want {
			t.Errorf("the lower-cased rule says %v for %q; the table is wrong", ref, tc.name)
		}
	}
}

// Every name built from a few fragments (case mixes, runes that fold or
// lower-case to ASCII letters) gets the lower-cased rule's answer.
func TestSensitiveNameFragments(t *testing.T) {
	t.Parallel()
	frags := []string{"", "K", "k", "\u212A", "E", "ey", "Y", "\u017F", "S", "ession", "Auth", "TOK", "en", "-", "x", "Code", "\u0130"}
	positives, total := 0, 0
	for _, a := range frags {
		for _, b := range frags {
			for _, c := range frags {
				name := a + b + c
				total++
				got, want := sensitiveName(name), sensitiveNameLowered(name)
				if got != want {
					t.Errorf("sensitiveName(%q) = %v, the lower-cased rule says %v", name, got, want)
				}
				if want {
					positives++
				}
			}
		}
	}
	// The fragments must make both answers, or the comparison shows little.
	if positives == 0 || positives == total {
		t.Fatalf("%d of %d names are sensitive; the fragments need both kinds", positives, total)
	}
}

// setheader decides once, in New, whether a literal header name is a
// credential's; the note redacts its value as the per-request check did,
// and a computed name is still checked per request.
func TestSetHeaderLiteralNameSensitivity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, header, value, wantNote string
	}{
		{"literal credential name", "X-Api-Key", "plain-literal", "header X-Api-Key = <redacted> (override)"},
		{"literal name, any case", "authorization", "Basic abc", "header authorization = <redacted> (override)"},
		{"literal plain name", "X-Client", "connectorlab-sample", `header X-Client = "connectorlab-sample" (override)`},
		{"computed credential name", "X-@headers('Kind')-Token", "v", "header X-Client-Token = <redacted> (override)"},
		{"computed plain name", "X-@headers('Kind')", "v", `header X-Client = "v" (override)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := loadFixture(t, policies(policyJSON("setheader", "h", map[string]any{"name": tc.header, "value": tc.value, "existsAction": "override"})))
			e, _ := New(c, Options{})
			r := serverRequest("GET", "/v1/items/1", "", map[string]string{"Kind": "Client"})
			tr, err := e.Request(context.Background(), "GetItem", r, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Steps) != 1 || tr.Steps[0].Note != tc.wantNote {
				t.Fatalf("steps %+v, want one with note %q", tr.Steps, tc.wantNote)
			}
		})
	}
}
