package override_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/mock/override"
)

func TestRulesMatchPathParameters(t *testing.T) {
	t.Parallel()
	c := sample(t)
	_, base := serve(t, c, `{"version":1,"operations":{
	  "GetOrder": {"rules": [
	    {"name": "missing order", "when": {"path": {"orderId": "o-404"}}, "then": {"status": 404}},
	    {"when": {"path": {"orderId": "o-vip"}, "header": {"X-Tier": "vip"}}, "then": {"body": {"id": "vip"}}},
	    {"when": {"path": {"orderId": "o-slow"}}, "then": {"status": 200}, "latencyMs": 150}
	  ]}
	}}`)
	for _, tc := range []struct {
		name, path string
		h          map[string]string
		status     int
		has        string
	}{
		{"path rule", "/orders/o-404", nil, 404, ""},
		{"other id is simulated", "/orders/o-1", nil, 200, `"orderNumber"`},
		{"path and header both hold", "/orders/o-vip", map[string]string{"X-Tier": "vip"}, 200, `"vip"`},
		{"path holds, header does not", "/orders/o-vip", nil, 200, `"orderNumber"`},
	} {
		st, body := do(t, "GET", base+tc.path, "", tc.h)
		if st != tc.status || !strings.Contains(body, tc.has) {
			t.Errorf("%s: %d %s, want %d containing %q", tc.name, st, body, tc.status, tc.has)
		}
	}
	t0 := time.Now()
	if st, _ := do(t, "GET", base+"/orders/o-slow", "", nil); st != 200 || time.Since(t0) < 150*time.Millisecond {
		t.Errorf("rule latency: %d after %v", st, time.Since(t0))
	}
}

func TestRuleOnAnUndeclaredPathParameterIsRefused(t *testing.T) {
	t.Parallel()
	c := sample(t)
	_, err := override.Parse("overrides.json", []byte(`{"operations":{"GetOrder":{"rules":[{"when":{"path":{"id":"x"}},"then":{"status":404}}]}}}`), c)
	var oe *override.Error
	if !errors.As(err, &oe) || oe.Field != "operations.GetOrder.rules[0].when.path" || !strings.Contains(oe.Fix, "orderId") {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckBodyNamesTheJSONPointer(t *testing.T) {
	t.Parallel()
	c := sample(t)
	op := c.Operation("GetOrder")
	for _, tc := range []struct {
		name, body string
		status     int
		pointers   []string
	}{
		{"conforming body", `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","orderNumber":"SO-1","customerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"pending","lines":[],"createdAt":"2024-01-01T00:00:00Z"}`, 200, nil},
		{"wrong enum and type", `{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","orderNumber":5,"customerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"lost","lines":[],"createdAt":"2024-01-01T00:00:00Z"}`, 200, []string{"/orderNumber", "/status"}},
		{"not JSON", `{"id":`, 200, []string{""}},
	} {
		got := override.CheckBody(op, tc.status, []byte(tc.body))
		var ptrs []string
		for _, p := range got {
			if p.Message == "" {
				t.Errorf("%s: a problem without a message: %+v", tc.name, p)
			}
			ptrs = append(ptrs, p.Pointer)
		}
		if strings.Join(ptrs, ",") != strings.Join(tc.pointers, ",") {
			t.Errorf("%s: pointers %q, want %q (%+v)", tc.name, ptrs, tc.pointers, got)
		}
	}
	// A missing required property is reported too.
	if got := override.CheckBody(op, 200, []byte(`{}`)); len(got) == 0 {
		t.Error("an empty object passed a schema with required properties")
	}
}

func TestSchemaOutlineForCompletion(t *testing.T) {
	t.Parallel()
	c := sample(t)
	o := override.SchemaOutline(override.ResponseSchema(c.Operation("GetOrder"), 200))
	if o == nil || o.Type != "object" || o.Properties["status"] == nil || len(o.Properties["status"].Enum) != 5 {
		t.Fatalf("outline = %+v", o)
	}
	if o.Properties["lines"] == nil || o.Properties["lines"].Items == nil || o.Properties["lines"].Items.Properties["sku"] == nil {
		t.Fatalf("lines items not outlined: %+v", o.Properties["lines"])
	}
	if override.ResponseSchema(c.Operation("DeleteOrder"), 204) != nil {
		t.Fatal("a 204 without content has a schema")
	}
}
