package route

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

func conn(base string, ops ...string) *connector.Connector {
	c := &connector.Connector{BasePath: base}
	for i, o := range ops {
		m, p, _ := strings.Cut(o, " ")
		c.Operations = append(c.Operations, &connector.Operation{ID: fmt.Sprintf("op%d", i), Method: m, Path: p})
	}
	return c
}

func TestFind(t *testing.T) {
	c := conn("/v1",
		"GET /orders",                              // op0
		"POST /orders",                             // op1
		"GET /orders/{id}",                         // op2
		"GET /orders/me",                           // op3
		"GET /orders/",                             // op4
		"GET /Databases({DatabaseId})",             // op5
		"GET /users/{name}.json",                   // op6
		"GET /records/{recordId}.{format}",         // op7
		"POST /models/{model}:generateContent",     // op8
		"GET /reports/Fn(start={start},end={end})", // op9
		"GET /things('{id}')",                      // op10
		"GET /jobs/{Forecast job Id}",              // op11
		"GET /models/{model}",                      // op12
		"GET /pay/${documentProcessId}",            // op13
	)
	r := New(c)
	tests := []struct {
		method, path string
		want         string
		params       map[string]string
	}{
		{"GET", "/v1/orders", "op0", nil},
		{"post", "/v1/orders", "op1", nil},
		{"GET", "/v1/orders/42", "op2", map[string]string{"id": "42"}},
		{"GET", "/v1/orders/me", "op3", nil},
		{"GET", "/v1/orders/", "op4", nil},
		{"GET", "/v1/orders/a%2Fb", "op2", map[string]string{"id": "a/b"}},
		{"GET", "/v1/Databases(7)", "op5", map[string]string{"DatabaseId": "7"}},
		{"GET", "/v1/Databases%287%29", "op5", map[string]string{"DatabaseId": "7"}},
		{"GET", "/v1/users/ann.json", "op6", map[string]string{"name": "ann"}},
		{"GET", "/v1/records/r1.xml", "op7", map[string]string{"recordId": "r1", "format": "xml"}},
		{"POST", "/v1/models/gemini-pro:generateContent", "op8", map[string]string{"model": "gemini-pro"}},
		{"GET", "/v1/models/gemini-pro", "op12", map[string]string{"model": "gemini-pro"}},
		{"GET", "/v1/reports/Fn(start=1,end=2)", "op9", map[string]string{"start": "1", "end": "2"}},
		{"GET", "/v1/things('x y')", "op10", map[string]string{"id": "x y"}},
		{"GET", "/v1/jobs/j%201", "op11", map[string]string{"Forecast job Id": "j 1"}},
		{"GET", "/v1/pay/$abc", "op13", map[string]string{"documentProcessId": "abc"}},
		{"GET", "/v1/orders/42?x=1", "op2", map[string]string{"id": "42"}},
	}
	for _, tt := range tests {
		m, miss := r.Find(tt.method, tt.path)
		if m == nil {
			t.Errorf("%s %s: miss %+v, want %s", tt.method, tt.path, miss, tt.want)
			continue
		}
		if m.Operation.ID != tt.want {
			t.Errorf("%s %s: got %s, want %s", tt.method, tt.path, m.Operation.ID, tt.want)
		}
		for k, v := range tt.params {
			if m.Params[k] != v {
				t.Errorf("%s %s: param %s = %q, want %q", tt.method, tt.path, k, m.Params[k], v)
			}
		}
	}
}

func TestMissReasons(t *testing.T) {
	c := conn("/v1", "GET /orders", "POST /orders", "GET /orders/{id}", "GET /customers/", "GET /Items")
	r := New(c)
	tests := []struct {
		method, path string
		allowed      []string
		reason       string // substring of the first candidate's reason
	}{
		{"DELETE", "/v1/orders", []string{"GET", "POST"}, "not DELETE"},
		{"GET", "/v1/customers", nil, "trailing slash"},
		{"GET", "/v1/items", nil, "letter case"},
		{"GET", "/orders", nil, "basePath /v1"},
		{"GET", "/v1/order", nil, `wants "orders"`},
		{"GET", "/v1/orders/1/lines", nil, "segments"},
	}
	for _, tt := range tests {
		m, miss := r.Find(tt.method, tt.path)
		if m != nil {
			t.Errorf("%s %s: matched %s, want a miss", tt.method, tt.path, m.Operation.ID)
			continue
		}
		if strings.Join(miss.Allowed, ",") != strings.Join(tt.allowed, ",") {
			t.Errorf("%s %s: allowed %v, want %v", tt.method, tt.path, miss.Allowed, tt.allowed)
		}
		if len(miss.Closest) == 0 || !strings.Contains(miss.Closest[0].Reason, tt.reason) {
			t.Errorf("%s %s: closest %+v, want reason containing %q", tt.method, tt.path, miss.Closest, tt.reason)
		}
	}
}

func TestConflictsReported(t *testing.T) {
	r := New(conn("/", "GET /a/{x}", "GET /a/{y}", "PUT /a/{y}"))
	cs := r.Conflicts()
	if len(cs) != 1 || cs[0].Winner != "op0" || cs[0].Shadowed != "op1" {
		t.Fatalf("conflicts = %+v", cs)
	}
	if m, _ := r.Find("GET", "/a/1"); m == nil || m.Operation.ID != "op0" {
		t.Fatalf("GET /a/1 = %+v", m)
	}
}

func TestJoin(t *testing.T) {
	for _, tt := range [][3]string{
		{"", "/a", "/a"}, {"/", "/a", "/a"}, {"/api/", "/a", "/api/a"}, {"/api", "/a/", "/api/a/"},
		{"api", "a", "/api/a"}, {"/v1", "/", "/v1/"},
	} {
		if got := Join(tt[0], tt[1]); got != tt[2] {
			t.Errorf("Join(%q, %q) = %q, want %q", tt[0], tt[1], got, tt[2])
		}
	}
}

// corpusRoot is the dev corpus, relative to this package.
const corpusRoot = "../../shared/corpus/connectors"

var varRe = regexp.MustCompile(`\{[^{}]+\}`)

// TestCorpusRouting sends one synthetic request per corpus operation (every
// {var} replaced by "v1", as the gorillamux baseline in corpus-facts §5.4
// did) and checks that it routes back to that operation. Unreachable
// operations (shadowed by a conflicting template) are listed in the golden.
func TestCorpusRouting(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep")
	}
	dirs, _ := filepath.Glob(filepath.Join(corpusRoot, "*", "*"))
	if len(dirs) == 0 {
		dirs, _ = filepath.Glob(filepath.Join(corpusRoot, "*"))
	}
	if len(dirs) == 0 {
		t.Skip("corpus not found at " + corpusRoot)
	}
	var mu sync.Mutex
	var fails []string
	total, ok := 0, 0
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, d := range dirs {
		wg.Add(1)
		sem <- struct{}{}
		go func(d string) {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := connector.Load(context.Background(), d)
			if err != nil {
				return
			}
			r := New(c)
			name, _ := filepath.Rel(corpusRoot, d)
			var local []string
			good := 0
			for _, op := range c.Operations {
				p := varRe.ReplaceAllString(r.Template(op), "v1")
				m, _ := r.Find(op.Method, p)
				switch {
				case m == nil:
					local = append(local, fmt.Sprintf("%s :: %s %s %s: no match", filepath.ToSlash(name), op.ID, op.Method, op.Path))
				case m.Operation != op:
					local = append(local, fmt.Sprintf("%s :: %s %s %s: routed to %s", filepath.ToSlash(name), op.ID, op.Method, op.Path, m.Operation.ID))
				default:
					good++
				}
			}
			mu.Lock()
			total += len(c.Operations)
			ok += good
			fails = append(fails, local...)
			mu.Unlock()
		}(d)
	}
	wg.Wait()
	sort.Strings(fails)
	t.Logf("routing: %d/%d operations (%.2f%%)", ok, total, 100*float64(ok)/float64(total))
	got := strings.Join(fails, "\n") + "\n"
	golden := "testdata/corpus-routing.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, _ := os.ReadFile(golden)
	if string(want) != got {
		t.Errorf("routing failures differ from %s (run with -update to accept):\n%s", golden, got)
	}
}
