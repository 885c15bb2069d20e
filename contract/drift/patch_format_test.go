package drift

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/conform"
)

// TestPatchKeepsFormatting: --write-patch used to re-marshal the whole
// file with sorted keys, so a one-field change showed as a diff of every
// line. Now unchanged text keeps its bytes and key order.
func TestPatchKeepsFormatting(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "apiDefinition.swagger.json")
	if err := os.WriteFile(p, []byte(trafficDef), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := connector.Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTraffic(c, conform.New(c, conform.Options{}))
	tr.Add(observe(c, 200, `{"items":[{"id":"1"}],"total":1,"next":"x"}`))
	res, err := tr.Patch().Build()
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.Document)
	// The head of the file (swagger before info, produces on its own
	// line) is untouched; only the Orders definition gained "next".
	head := trafficDef[:strings.Index(trafficDef, `"definitions"`)]
	if !strings.HasPrefix(out, head) {
		t.Errorf("unchanged part rewritten:\n%s", out)
	}
	if !strings.Contains(out, `"next":{"type":"string"}`) {
		t.Errorf("the observed field was not added:\n%s", out)
	}
	if len(res.Changes) == 0 {
		t.Error("no change reported")
	}
}
