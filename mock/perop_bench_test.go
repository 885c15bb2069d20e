package mock

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// Per-operation benchmarks over budgetOps (allocs_test.go), one sub-benchmark
// each, allocations reported: go test ./mock -run '^$' -bench 'Benchmark(Route|Validate|Generate|ServeOp)' -benchmem
// Names use _ for / ("sample_GetOrder").

func benchName(p perOp) string { return strings.ReplaceAll(p.name, "/", "_") }

// BenchmarkRoute is the router lookup of each operation's request path.
func BenchmarkRoute(b *testing.B) {
	for _, p := range loadPerOp(b) {
		r := p.requests(b, 1)[0]
		path := r.URL.EscapedPath()
		b.Run(benchName(p), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if m, _ := p.s.router.Find(r.Method, path); m == nil || m.Operation != p.op {
					b.Fatalf("%s %s did not route to %s", r.Method, path, p.op.ID)
				}
			}
		})
	}
}

// callFor builds the Call ServeHTTP would for r (routing, body, seed).
func callFor(b *testing.B, p perOp, r *http.Request) *Call {
	body, err := readBody(nil, r, p.s.opts.MaxBodyBytes)
	if err != nil {
		b.Fatal(err)
	}
	m, _ := p.s.router.Find(r.Method, r.URL.EscapedPath())
	c := &Call{Server: p.s, Connector: p.s.c, Operation: m.Operation, Template: m.Template, Params: m.Params,
		Request: r, Body: body, State: p.s.state, Source: recordings.SourceMock, Prefer: ParsePrefer(r.Header)}
	c.Seed = p.s.requestSeed(c)
	return c
}

// BenchmarkValidate is the request validation of each operation (JSON body
// decoding and bounds, then parameters, content type and body schema).
func BenchmarkValidate(b *testing.B) {
	for _, p := range loadPerOp(b) {
		c := callFor(b, p, p.requests(b, 1)[0])
		b.Run(benchName(p), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.JSON, c.Notes = nil, c.Notes[:0]
				if rep := p.s.checkBody(c); rep != nil {
					b.Fatalf("body refused: %d %s", rep.Status, rep.Body)
				}
				if rep := p.s.valid.check(context.Background(), c); rep != nil {
					b.Fatalf("request refused: %d %s", rep.Status, rep.Body)
				}
			}
		})
	}
}

// BenchmarkGenerate is the generation of each operation's success body
// from its schema, a new seed every time (what a request with new data
// costs when the memoised answer cannot serve it).
func BenchmarkGenerate(b *testing.B) {
	for _, p := range loadPerOp(b) {
		status, _, resp := ChooseResponse(p.op.Op, 0)
		if resp == nil {
			continue
		}
		media := resp.Content[ChooseMediaType(resp.Content, "")]
		if media == nil || media.Schema == nil {
			continue
		}
		b.Run(benchName(p), func(b *testing.B) {
			b.ReportAllocs()
			seed := uint64(0)
			for b.Loop() {
				seed++
				if v := p.s.gen.GenerateFor(media.Schema, seed, "", status); v == nil {
					b.Fatal("nothing generated")
				}
			}
		})
	}
}

// BenchmarkServeOp is the whole handler for each operation's request (the
// unit TestAllocBudget counts), memoised answers included.
func BenchmarkServeOp(b *testing.B) {
	for _, p := range loadPerOp(b) {
		b.Run(benchName(p), func(b *testing.B) {
			reqs := p.requests(b, 256)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				r := reqs[i%len(reqs)]
				if i >= len(reqs) {
					b.StopTimer()
					nr, _ := p.req.HTTP(context.Background(), "http://127.0.0.1")
					reqs[i%len(reqs)], r = nr, nr
					b.StartTimer()
				}
				i++
				clear(w.h)
				p.s.ServeHTTP(w, r)
				if w.code/100 != 2 {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}
