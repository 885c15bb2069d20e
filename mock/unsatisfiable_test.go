package mock

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/corpus"
)

// TestUnsatisfiablePatternNotEnforced (issue 12): where no request could
// satisfy a schema's keywords together, the mock enforces the satisfiable
// part (enum over a pattern no enum value matches; format over a pattern
// no value of the format matches) and rejects a value that breaks it, on
// the real corpus connectors that have such schemas. Only the field under
// test is judged: other problems of the hand-made requests do not matter.
func TestUnsatisfiablePatternNotEnforced(t *testing.T) {
	t.Parallel()
	root, _ := corpus.Dirs(t)
	type field struct{ in, name, pointer string }
	cases := []struct {
		connector, method, path string
		query                   url.Values
		body                    string
		field                   field
		wantRule                string // "" when the value is accepted
	}{
		{"Verified", "POST", "/api/envelopes/e1/recipients", nil, `{"language":"lt-LT"}`, field{"body", "", "/language"}, ""},
		{"Verified", "POST", "/api/envelopes/e1/recipients", nil, `{"language":"lt_LT"}`, field{"body", "", "/language"}, "enum"},
		{"HrFlow", "POST", "/v1/text/tagging", nil, `{"algorithm_key":"tagger-hrflow-labels"}`, field{"body", "", "/algorithm_key"}, ""},
		{"HrFlow", "POST", "/v1/text/tagging", nil, `{"algorithm_key":"0123456789abcdef0123456789abcdef01234567"}`, field{"body", "", "/algorithm_key"}, "enum"},
		{"DQ on Demand", "GET", "/api/Account/Usage", url.Values{"StartDate": {"2024-01-02T03:04:05Z"}}, "", field{"query", "StartDate", ""}, ""},
		{"DQ on Demand", "GET", "/api/Account/Usage", url.Values{"StartDate": {"yyyy-MM-dd hh:mm:ss.fff"}}, "", field{"query", "StartDate", ""}, "format"},
	}
	servers := map[string]*httptest.Server{}
	for _, tc := range cases {
		ts := servers[tc.connector]
		if ts == nil {
			c, err := connector.Load(context.Background(), filepath.Join(root, "certified-connectors", tc.connector))
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(c, Options{Seed: 1, DisableAuth: true})
			if err != nil {
				t.Fatal(err)
			}
			ts = httptest.NewServer(s)
			t.Cleanup(ts.Close)
			servers[tc.connector] = ts
		}
		u := ts.URL + tc.path
		if tc.query != nil {
			u += "?" + tc.query.Encode()
		}
		a := do(t, tc.method, u, tc.body, map[string]string{"Content-Type": "application/json"})
		var p struct {
			Errors []ProblemError `json:"errors"`
		}
		if a.status >= 400 {
			if err := json.Unmarshal(a.body, &p); err != nil {
				t.Fatalf("%s %s: %d %s", tc.connector, u, a.status, a.body)
			}
		}
		var rules []string
		for _, e := range p.Errors {
			if e.In == tc.field.in && e.Name == tc.field.name && e.Pointer == tc.field.pointer {
				rules = append(rules, e.Rule)
			}
		}
		switch {
		case tc.wantRule == "" && len(rules) > 0:
			t.Errorf("%s %s %s: rejected for %v, want accepted: %s", tc.connector, tc.method, u, rules, a.body)
		case tc.wantRule != "" && (len(rules) != 1 || rules[0] != tc.wantRule):
			t.Errorf("%s %s %s: rules %v, want [%s]: %d %s", tc.connector, tc.method, u, rules, tc.wantRule, a.status, a.body)
		}
	}
}
