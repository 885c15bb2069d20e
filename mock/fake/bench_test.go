package fake

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func BenchmarkGenerateSmall(b *testing.B) {
	s := schemaOf(b, userSchema)
	g := New(Options{})
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		g.Generate(s, uint64(i), "")
	}
}

// reportCPU starts measuring CPU time; the function it returns reports it
// per operation as cpu-ns/op, the figure to compare on a shared machine
// (run with GOMAXPROCS=1 so that it is the work of one core).
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if d := cpuTime() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkGenerateHubSpot generates the primary success response of GET
// /crm/v3/extensions/cards-dev/{appId} of HubSpot CRM V2 (1 MB of swagger,
// 188 operations), the corpus's biggest dev connector: the largest body
// before issue 13, named so that the benchmark measures the same schema
// whatever the generator writes.
func BenchmarkGenerateHubSpot(b *testing.B) {
	doc, _, err := loadConnector(filepath.Join(corpusRoot, "independent-publisher-connectors", "HubSpot CRM V2"))
	if err != nil {
		b.Skip("corpus not available: ", err)
	}
	g := New(Options{})
	var biggest *openapi3.SchemaRef
	size := 0
	if item := doc.Paths.Find("/crm/v3/extensions/cards-dev/{appId}"); item != nil && item.Get != nil {
		if s := primarySchema(item.Get); s != nil && s.Value != nil {
			out, _ := json.Marshal(g.Generate(s, 1, ""))
			biggest, size = s, len(out)
		}
	}
	if biggest == nil {
		b.Skip("HubSpot CRM V2 has no GET /crm/v3/extensions/cards-dev/{appId}")
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		g.Generate(biggest, uint64(i), "")
	}
	b.ReportMetric(float64(size), "json-bytes")
}

// BenchmarkGenerateCorpus generates the primary success response of every
// operation of the first 60 dev connectors (by directory name): the mix of
// shapes a mock serves, rather than one schema.
func BenchmarkGenerateCorpus(b *testing.B) {
	dirs, _ := filepath.Glob(filepath.Join(corpusRoot, "*", "*"))
	if len(dirs) == 0 {
		b.Skip("corpus not available")
	}
	slices.Sort(dirs)
	var schemas []*openapi3.SchemaRef
	for _, dir := range dirs {
		if dir > dirs[min(59, len(dirs)-1)] {
			break
		}
		doc, _, err := loadConnector(dir)
		if err != nil || doc.Paths == nil {
			continue
		}
		for _, path := range doc.Paths.InMatchingOrder() {
			for _, op := range doc.Paths.Value(path).Operations() {
				if s := primarySchema(op); s != nil && s.Value != nil {
					schemas = append(schemas, s)
				}
			}
		}
	}
	g := New(Options{})
	b.ReportAllocs()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		for j, s := range schemas {
			g.Generate(s, uint64(i*len(schemas)+j), "")
		}
	}
	b.ReportMetric(float64(len(schemas)), "schemas")
}
