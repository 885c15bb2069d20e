package route

import (
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

// FuzzFind builds a router from fuzzed templates and looks up a fuzzed
// path: no panic, and a match's parameters all come from its template.
func FuzzFind(f *testing.F) {
	f.Add("/v1", "/orders/{id}", "/Databases({DatabaseId})", "GET", "/v1/orders/1")
	f.Add("/", "/{a}.{b}", "/x/{m}:gen", "POST", "/x/y:gen")
	f.Add("/api/", "/{", "/}{", "GET", "/api/%zz/")
	f.Fuzz(func(t *testing.T, base, p1, p2, method, path string) {
		c := &connector.Connector{BasePath: base, Operations: []*connector.Operation{
			{ID: "a", Method: "GET", Path: p1}, {ID: "b", Method: "POST", Path: p2},
		}}
		r := New(c)
		m, miss := r.Find(method, path)
		if (m == nil) == (miss == nil) {
			t.Fatalf("exactly one of match and miss must be set: %v %v", m, miss)
		}
		if m != nil {
			for k := range m.Params {
				if !strings.Contains(m.Template, "{"+k+"}") {
					t.Fatalf("param %q not in template %q", k, m.Template)
				}
			}
		}
	})
}
