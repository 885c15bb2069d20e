package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/probe"
)

// allocBudgetFile holds the allocations per request each operation of
// budgetOps may make (testing.AllocsPerRun over the whole handler). It is
// a ceiling: -update rewrites it as the measured count plus 10 % headroom.
// Allocations are stable across machines; time is not, so this is the
// regression check for the mock's hot path that runs in make test.
const allocBudgetFile = "testdata/alloc-budget.json"

// budgetOps are the operations under budget: the sample's reads, a JSON
// create and its Power Platform behaviours (dynamic values, dynamic
// schema), and the largest dev connector's (HubSpot CRM V2, 188
// operations) read, list, create, search, batch and multi-parameter read.
var budgetOps = []struct{ conn, op string }{
	{"sample", "GetOrder"},
	{"sample", "ListOrders"},
	{"sample", "CreateOrder"},
	{"sample", "GetOrderTypes"},
	{"sample", "CreateTypedOrder"},
	{largest, "Read18"},
	{largest, "List16"},
	{largest, "Create17"},
	{largest, "Post-_crm_v3_objects_contacts_search"},
	{largest, "UpdateABatchOfContacts"},
	{largest, "ListAssociations"},
}

// perOp is one budget operation ready to serve: its server and a valid
// request built by package probe (the conformance sweep's requests).
type perOp struct {
	name string
	s    *Server
	op   *connector.Operation
	req  *probe.Request
}

var (
	perOpOnce sync.Once
	perOpList []perOp
	perOpErr  error
)

// loadPerOp builds the servers once per test binary (the largest
// connector takes ~0.3 s to load).
func loadPerOp(t testing.TB) []perOp {
	t.Helper()
	perOpOnce.Do(func() {
		servers := map[string]*Server{}
		for _, b := range budgetOps {
			s := servers[b.conn]
			if s == nil {
				var c *connector.Connector
				var err error
				if b.conn == "sample" {
					c, err = connector.Load(context.Background(), sample)
				} else {
					c, err = loadCorpus(t, b.conn)
				}
				if err != nil {
					perOpErr = fmt.Errorf("load %s: %w", b.conn, err)
					return
				}
				if s, err = New(c, Options{Seed: 1}); err != nil {
					perOpErr = err
					return
				}
				servers[b.conn] = s
			}
			op := s.c.Operation(b.op)
			if op == nil {
				perOpErr = fmt.Errorf("%s has no operation %s", b.conn, b.op)
				return
			}
			pr, err := probe.New(s.c, probe.Options{Seed: 1}).Build(op)
			if err != nil {
				perOpErr = fmt.Errorf("probe %s %s: %w", b.conn, b.op, err)
				return
			}
			name := b.op
			if b.conn != "sample" {
				name = "hubspot/" + b.op
			} else {
				name = "sample/" + b.op
			}
			perOpList = append(perOpList, perOp{name: name, s: s, op: op, req: pr})
		}
	})
	if perOpErr != nil {
		if strings.Contains(perOpErr.Error(), "no such file") {
			t.Skip(perOpErr)
		}
		t.Fatal(perOpErr)
	}
	return perOpList
}

// requests returns n copies of p's request (each with its own body
// reader), built before measuring.
func (p perOp) requests(t testing.TB, n int) []*http.Request {
	t.Helper()
	out := make([]*http.Request, n)
	for i := range out {
		r, err := p.req.HTTP(context.Background(), "http://127.0.0.1")
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		out[i] = r
	}
	return out
}

// discardWriter is a ResponseWriter that allocates nothing once its header
// map has grown: what the handler allocates is what is counted.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// measureAllocs serves p's request runs times and returns the allocations
// per request, after one warm-up answer (memoised replies, compiled
// patterns). AllocsPerRun counts the whole process, so a goroutine an
// earlier test left running could add to a round; the least of three
// rounds is kept (noise only ever adds).
func measureAllocs(t *testing.T, p perOp, runs int) float64 {
	t.Helper()
	best := -1.0
	for round := 0; round < 3; round++ {
		reqs := p.requests(t, runs+2)
		w := &discardWriter{h: http.Header{}}
		p.s.ServeHTTP(w, reqs[0])
		if w.code < 200 || w.code > 299 {
			t.Fatalf("%s: the probe's valid request got %d, not a 2xx: the budget would measure an error path", p.name, w.code)
		}
		i := 1
		n := testing.AllocsPerRun(runs, func() {
			clear(w.h)
			p.s.ServeHTTP(w, reqs[i])
			i++
		})
		if best < 0 || n < best {
			best = n
		}
	}
	return best
}

// TestAllocBudget fails when a request to an operation of budgetOps
// allocates more than testdata/alloc-budget.json allows. After a change
// that needs more, or one that saves some, refresh the file with
// go test ./mock -run TestAllocBudget -update and say why in the commit.
func TestAllocBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	ops := loadPerOp(t)
	budget := map[string]int{}
	if !*update {
		b, err := os.ReadFile(allocBudgetFile)
		if err != nil {
			t.Fatalf("%s: %v (create it with go test ./mock -run TestAllocBudget -update)", allocBudgetFile, err)
		}
		if err := json.Unmarshal(b, &budget); err != nil {
			t.Fatalf("%s: not a JSON object of operation -> allocations: %v", allocBudgetFile, err)
		}
	}
	got := map[string]int{}
	for _, p := range ops {
		n := measureAllocs(t, p, 20)
		got[p.name] = int(n)
		if *update {
			continue
		}
		max, ok := budget[p.name]
		switch {
		case !ok:
			t.Errorf("%s: no budget in %s; add it with go test ./mock -run TestAllocBudget -update", p.name, allocBudgetFile)
		case int(n) > max:
			t.Errorf("%s: %.0f allocations per request, over its budget of %d in %s: find the new allocation (go test ./mock -run '^$' -bench 'BenchmarkServeOp/%s' -memprofile m.out) or, if it is needed, refresh the budget with -update",
				p.name, n, max, allocBudgetFile, strings.ReplaceAll(p.name, "/", "_"))
		default:
			t.Logf("%s: %.0f allocations per request (budget %d)", p.name, n, max)
		}
	}
	for name := range budget {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: in %s but not measured (renamed or removed operation?); refresh with -update", name, allocBudgetFile)
		}
	}
	if *update {
		out := map[string]int{}
		for k, v := range got {
			out[k] = v + v/10 + 1
		}
		keys := make([]string, 0, len(out))
		for k := range out {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("{\n")
		for i, k := range keys {
			fmt.Fprintf(&b, "  %q: %d", k, out[k])
			if i < len(keys)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("}\n")
		if err := os.WriteFile(allocBudgetFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %v (measured %v)", allocBudgetFile, out, got)
	}
}

// TestAllocBudgetCatchesARegression proves the check can fail: a filter
// that adds 50 headers per request (≥ 50 more allocations) must show up in
// the count the budget is checked against.
func TestAllocBudgetCatchesARegression(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	ops := loadPerOp(t)
	p := ops[0]
	before := measureAllocs(t, p, 10)
	c, err := connector.Load(context.Background(), sample)
	if err != nil {
		t.Fatal(err)
	}
	heavy, err := New(c, Options{Seed: 1, Filters: []Filter{FilterFunc(func(_ context.Context, _ *Call, rep *Reply) error {
		for i := 0; i < 50; i++ {
			rep.Header.Set(fmt.Sprintf("X-Waste-%d", i), "x")
		}
		return nil
	})}})
	if err != nil {
		t.Fatal(err)
	}
	op := heavy.c.Operation(p.op.ID)
	pr, err := probe.New(heavy.c, probe.Options{Seed: 1}).Build(op)
	if err != nil {
		t.Fatal(err)
	}
	after := measureAllocs(t, perOp{name: p.name, s: heavy, op: op, req: pr}, 10)
	if after < before+50 {
		t.Fatalf("AllocsPerRun did not see 50 extra allocations: %.0f before, %.0f after", before, after)
	}
}
