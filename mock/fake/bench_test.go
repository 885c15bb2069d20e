package fake

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func BenchmarkGenerateSmall(b *testing.B) {
	s := schemaOf(b, userSchema)
	g := New(Options{})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Generate(s, uint64(i), "")
	}
}

// BenchmarkGenerateHubSpot generates the largest primary success response of
// HubSpot CRM V2 (1 MB of swagger, 188 operations), the corpus's biggest dev
// connector.
func BenchmarkGenerateHubSpot(b *testing.B) {
	doc, _, err := loadConnector(filepath.Join(corpusRoot, "independent-publisher-connectors", "HubSpot CRM V2"))
	if err != nil {
		b.Skip("corpus not available: ", err)
	}
	g := New(Options{})
	var biggest *openapi3.SchemaRef
	size := 0
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			s := primarySchema(op)
			if s == nil || s.Value == nil {
				continue
			}
			out, _ := json.Marshal(g.Generate(s, 1, ""))
			if len(out) > size {
				biggest, size = s, len(out)
			}
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Generate(biggest, uint64(i), "")
	}
	b.ReportMetric(float64(size), "json-bytes")
}
