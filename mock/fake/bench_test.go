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
	for i := 0; b.Loop(); i++ {
		g.Generate(biggest, uint64(i), "")
	}
	b.ReportMetric(float64(size), "json-bytes")
}
