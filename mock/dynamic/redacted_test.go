package dynamic

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/connectorlab/connectorlab/recordings"
)

// TestDynamicSchemaKeyIgnoresRedactedValues: GISCloud's feature schema is
// x-ms-dynamic-schema from GetLayer with {API-Key, layer_id, expand}. The
// recorder redacts API-Key, so a replay sends another key; keyed by it,
// the replayed GetFeatures resolved another schema (issue 12). With the
// connector's redaction rule the schema follows the layer alone — the
// lookup and the dependent agree whichever asks first — and without it
// the key still picks the schema (what the rule changes).
func TestDynamicSchemaKeyIgnoresRedactedValues(t *testing.T) {
	t.Parallel()
	c, err := connector.Load(context.Background(), filepath.Join(corpus.Root(t), "certified-connectors", "GISCloud"))
	if err != nil {
		t.Fatal(err)
	}
	red, err := recordings.NameRedactor(c)
	if err != nil {
		t.Fatal(err)
	}
	dep := c.Operation("GetFeatures")
	var ref *connector.DynamicRef
	for i := range dep.Dynamic {
		if dep.Dynamic[i].Kind == connector.DynamicSchema {
			ref = &dep.Dynamic[i]
		}
	}
	if ref == nil {
		t.Fatal("GetFeatures has no x-ms-dynamic-schema")
	}
	args := func(op *connector.Operation, key, layer string) Args {
		a := Args{Path: map[string]string{"layer_id": layer}, Header: http.Header{"Api-Key": {key}}, Op: op}
		if op.ID == "GetLayer" {
			a.Query = map[string][]string{"expand": {"columns"}}
		}
		return a
	}
	schema := func(r *Resolver, key, layer string) string {
		b, _ := json.Marshal(r.Resolve(ref, args(dep, key, layer)).Value)
		return string(b)
	}
	served := func(r *Resolver, key, layer string) string {
		body, _ := r.Lookup(c.Operation("GetLayer"), args(c.Operation("GetLayer"), key, layer), nil)
		b, _ := json.Marshal(body.(map[string]any)["x-gc-columns"])
		return string(b)
	}
	for _, tc := range []struct {
		name     string
		redactor *recordings.Redactor
		same     bool
	}{{"with the recording rule", red, true}, {"without it", nil, false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			depFirst, err := New(Options{Connector: c, Seed: 12, Redactor: tc.redactor})
			if err != nil {
				t.Fatal(err)
			}
			recorded := schema(depFirst, "key-as-recorded", "77700")
			if got := schema(depFirst, "key-the-replay-sends", "77700") == recorded; got != tc.same {
				t.Errorf("another API-Key resolved the same schema: %v, want %v", got, tc.same)
			}
			if schema(depFirst, "key-as-recorded", "77701") == recorded {
				t.Error("another layer resolved the same schema")
			}
			lookupFirst, _ := New(Options{Connector: c, Seed: 12, Redactor: tc.redactor})
			if lookup := served(lookupFirst, "key-as-recorded", "77700"); lookup == "null" {
				t.Fatal("GetLayer served no schema at x-gc-columns")
			}
			if schema(lookupFirst, "key-as-recorded", "77700") != recorded {
				t.Error("the dependent's schema depends on whether the lookup was asked first")
			}
		})
	}
}
