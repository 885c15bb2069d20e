package drift

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/conform"
)

const trafficDef = `{"swagger":"2.0","info":{"title":"T","version":"1"},"host":"x","basePath":"/","schemes":["https"],
"produces":["application/json"],
"paths":{"/orders":{"get":{"operationId":"ListOrders","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Orders"}}}}},
"/orders/{id}":{"delete":{"operationId":"DeleteOrder","parameters":[{"name":"id","in":"path","required":true,"type":"string"}],"responses":{"204":{"description":"gone"}}}}},
"definitions":{"Orders":{"type":"object","required":["items","total"],"properties":{
"total":{"type":"integer"},"items":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"}}}}}}}}`

func observe(c *connector.Connector, status int, body string) Observation {
	return Observation{Operation: c.Operation("ListOrders"), Method: "GET", URL: "/orders", Status: status,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}
}

func TestTrafficAndPatch(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "apiDefinition.swagger.json")
	os.WriteFile(p, []byte(trafficDef), 0o644)
	c, err := connector.Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTraffic(c, conform.New(c, conform.Options{}))
	bodies := []string{
		`{"items":[{"id":1,"note":"a"}],"next":"x"}`,
		`{"items":[{"id":2,"note":null}],"next":"y"}`,
		`{"items":[{"id":3}],"next":null,"total":4}`,
	}
	for _, b := range bodies {
		tr.Add(observe(c, 200, b))
	}
	tr.Add(observe(c, 500, `{"error":"boom"}`))
	got := map[string]int{}
	for _, f := range tr.Findings() {
		got[f.ID+" "+f.Field] = f.Count
	}
	want := map[string]int{
		"traffic-type-mismatch items[].id":        3,
		"traffic-field-undocumented items[].note": 2,
		"traffic-field-undocumented next":         3,
		"traffic-required-field-missing total":    2,
		"traffic-status-undeclared ":              1,
		"operation-untested ":                     0,
	}
	for k, n := range want {
		if c, ok := got[k]; !ok || c != n {
			t.Errorf("%s: count %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
	res, err := tr.Patch().Build()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Changes, "\n"), "items[].id: type string → integer") {
		t.Errorf("changes: %v", res.Changes)
	}
	// The patched definition must accept the same traffic without problems.
	os.WriteFile(p, res.Document, 0o644)
	c2, err := connector.Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	tr2 := NewTraffic(c2, conform.New(c2, conform.Options{}))
	for _, b := range bodies {
		tr2.Add(observe(c2, 200, b))
	}
	tr2.Add(observe(c2, 500, `{"error":"boom"}`))
	for _, f := range tr2.Findings() {
		if f.ID != OperationUntested {
			t.Errorf("after the patch: %s", f)
		}
	}
}

// TestPatchIntegerAndDecimalAreNumbers: a number field seen as 146 in one
// response and 774.81 in another was patched to type string (mixed types),
// dropping its format.
func TestPatchIntegerAndDecimalAreNumbers(t *testing.T) {
	p := filepath.Join(t.TempDir(), "apiDefinition.swagger.json")
	def := strings.Replace(trafficDef, `"total":{"type":"integer"},`, `"total":{"type":"integer"},"price":{"type":"number","format":"double"},`, 1)
	os.WriteFile(p, []byte(def), 0o644)
	c, err := connector.Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTraffic(c, conform.New(c, conform.Options{}))
	tr.Add(observe(c, 200, `{"items":[],"total":1,"price":146}`))
	tr.Add(observe(c, 200, `{"items":[],"total":2,"price":774.81}`))
	res, err := tr.Patch().Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 0 {
		t.Errorf("changes %v, want none", res.Changes)
	}
	// Mixed types that are not all numbers still fall back to string.
	tr.Add(observe(c, 200, `{"items":[],"total":3,"price":"n/a"}`))
	if res, _ = tr.Patch().Build(); !strings.Contains(strings.Join(res.Changes, "\n"), "price: type number → string") {
		t.Errorf("changes %v", res.Changes)
	}
}
