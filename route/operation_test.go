package route

import (
	"context"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

// TestOperationAgreesWithFind: for every operation of the largest dev
// connector, and for misses, escapes and wrong methods, Operation names
// what Find matches.
func TestOperationAgreesWithFind(t *testing.T) {
	t.Parallel()
	c, r, _ := largest(t)
	type req struct{ method, path string }
	var reqs []req
	for _, op := range c.Operations {
		p := varRe.ReplaceAllString(r.Template(op), "v1")
		reqs = append(reqs, req{op.Method, p}, req{"get", p + "?q=1"}, req{"DELETE", p}, req{op.Method, p + "/extra"},
			req{op.Method, varRe.ReplaceAllString(r.Template(op), "a%20b")}, req{op.Method, p + "/"})
	}
	reqs = append(reqs, req{"GET", ""}, req{"GET", "/"}, req{"GET", "/nope"}, req{"GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s"})
	matched := 0
	for _, q := range reqs {
		want := (*connector.Operation)(nil)
		if m, _ := r.Find(q.method, q.path); m != nil {
			want = m.Operation
			matched++
		}
		if got := r.Operation(q.method, q.path); got != want {
			t.Errorf("%s %s: Operation = %v, Find = %v", q.method, q.path, opID(got), opID(want))
		}
		if below, ok := strings.CutPrefix(q.path, strings.TrimRight(c.BasePath, "/")); ok && c.BasePath != "" && c.BasePath != "/" {
			if got := r.OperationBelowBase(q.method, below); got != want {
				t.Errorf("%s %s below the basePath: OperationBelowBase = %v, Find = %v", q.method, below, opID(got), opID(want))
			}
		}
	}
	if matched < len(c.Operations) {
		t.Fatalf("only %d requests matched for %d operations: the table tests nothing", matched, len(c.Operations))
	}
}

func opID(op *connector.Operation) string {
	if op == nil {
		return "<nil>"
	}
	return op.ID
}

// TestOperationAllocatesNothing is the recording proxy's per-request
// lookup: no allocation for an ordinary path.
func TestOperationAllocatesNothing(t *testing.T) {
	c, r, _ := largest(t)
	op := c.Operations[len(c.Operations)/2]
	p := varRe.ReplaceAllString(r.Template(op), "v1")
	if r.Operation(op.Method, p) != op {
		t.Fatalf("%s %s does not match %s", op.Method, p, op.ID)
	}
	withQuery := p + "?x=1"
	if n := testing.AllocsPerRun(200, func() { r.Operation(op.Method, withQuery) }); n != 0 {
		t.Fatalf("Operation allocates %.0f times per lookup, want 0", n)
	}
	below := strings.TrimPrefix(withQuery, strings.TrimRight(c.BasePath, "/"))
	if r.OperationBelowBase(op.Method, below) != op {
		t.Fatalf("%s %s below the basePath %s does not match %s", op.Method, below, c.BasePath, op.ID)
	}
	if n := testing.AllocsPerRun(200, func() { r.OperationBelowBase(op.Method, below) }); n != 0 {
		t.Fatalf("OperationBelowBase allocates %.0f times per lookup, want 0", n)
	}
}

// BenchmarkOperationLargest is BenchmarkFindLargest through Operation.
func BenchmarkOperationLargest(b *testing.B) {
	c, r, paths := largest(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op := c.Operations[i%len(paths)]
		if r.Operation(op.Method, paths[i%len(paths)]) == nil {
			b.Fatal("miss")
		}
	}
}

// TestOperationBelowBase: the sample connector's basePath (/v1) is put in
// front of the path without being joined to it.
func TestOperationBelowBase(t *testing.T) {
	t.Parallel()
	c, err := connector.Load(context.Background(), "../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	r := New(c)
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/orders/o-1?expand=lines", "/v1/orders/o-1"},
		{"get", "/orders", "/v1/orders"},
		{"GET", "/orders/o%2D1", "/v1/orders/o-1"},
		{"GET", "/v1/orders", ""},
		{"GET", "/nope", ""},
		{"GET", "", ""},
		{"GET", "orders", "/v1/orders"},
	} {
		var want *connector.Operation
		if tc.want != "" {
			m, _ := r.Find(tc.method, tc.want)
			if m == nil {
				t.Fatalf("%s %s does not match anything: the case tests nothing", tc.method, tc.want)
			}
			want = m.Operation
		}
		if got := r.OperationBelowBase(tc.method, tc.path); got != want {
			t.Errorf("%s %s: %s, want %s", tc.method, tc.path, opID(got), opID(want))
		}
	}
}
