package route

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

// largest is the router of the largest dev connector (HubSpot CRM V2,
// 188 operations) and one request path per operation, its parameters
// filled with "v1"; it skips when the corpus is missing.
func largest(tb testing.TB) (*connector.Connector, *Router, []string) {
	tb.Helper()
	c, err := connector.Load(context.Background(), filepath.Join(corpusRoot, "independent-publisher-connectors/HubSpot CRM V2"))
	if err != nil {
		tb.Skip(err)
	}
	r := New(c)
	paths := make([]string, len(c.Operations))
	for i, op := range c.Operations {
		paths[i] = varRe.ReplaceAllString(r.Template(op), "v1")
	}
	return c, r, paths
}

// BenchmarkFindLargest routes one request per operation of the largest dev
// connector (HubSpot CRM V2, 188 operations), round robin.
func BenchmarkFindLargest(b *testing.B) {
	c, r, paths := largest(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op := c.Operations[i%len(paths)]
		if m, _ := r.Find(op.Method, paths[i%len(paths)]); m == nil {
			b.Fatal("miss")
		}
	}
}
