package probe

import (
	"context"
	"net/http"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

func sampleOp(t *testing.T, id string) *connector.Operation {
	t.Helper()
	c, err := connector.Load(context.Background(), "../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	op := c.Operation(id)
	if op == nil {
		t.Fatalf("no operation %s", id)
	}
	return op
}

// validOrder is what the mock answers GetOrder with at seed 1.
const validOrder = `{"createdAt":"2024-08-12T08:14:24Z","currency":"BSD","customerEmail":"gene_hamilton@carr.com","customerId":"d798a716-2eea-4e76-be26-922f06cbe90e","id":"f78a62c1-b5a7-4101-a57a-f2c6aa70794d","lines":[{"description":"x","quantity":82,"sku":"PKQ919","unitPrice":534.4}],"orderNumber":"154687","shippingAddress":{"city":"Durham","country":"Sl","postalCode":"63333","street":"72789 Port"},"status":"pending","totalAmount":806.86,"updatedAt":"2023-11-26T14:11:09Z"}`

func TestCheck(t *testing.T) {
	get := sampleOp(t, "GetOrder")
	del := sampleOp(t, "DeleteOrder")
	poll := sampleOp(t, "OnNewOrder")
	json := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name   string
		op     *connector.Operation
		status int
		h      http.Header
		body   string
		class  string
	}{
		{"valid", get, 200, json, validOrder, ""},
		{"undeclared status", get, 500, json, `{}`, ClassStatus},
		{"error for a valid request", get, 404, json, `{"code":"x","message":"y"}`, ClassStatus},
		{"undeclared content type", get, 200, http.Header{"Content-Type": {"text/html"}}, `<p>`, ClassContentType},
		{"not json", get, 200, json, `{`, ClassBody},
		{"schema", get, 200, json, `{"status":"lost"}`, ClassBody},
		{"empty body, object schema", get, 200, http.Header{"Content-Type": {"text/plain"}}, ``, ClassBody},
		{"no content", del, 204, http.Header{}, ``, ""},
		{"polling trigger, no new data", poll, 202, http.Header{"Location": {"http://127.0.0.1/v1/trigger/orders?triggerstate=2"}, "Retry-After": {"15"}}, ``, ""},
		{"polling trigger, 202 without Location", poll, 202, http.Header{}, ``, ClassStatus},
		{"answered by another operation", get, 200, http.Header{"Content-Type": {"application/json"}, OperationHeader: {"ListOrders"}}, `{}`, ClassRouting},
	}
	k := NewChecker()
	for _, tt := range tests {
		class, reason := k.Check(tt.op, tt.status, tt.h, []byte(tt.body))
		if class != tt.class {
			t.Errorf("%s: class %q (%s), want %q", tt.name, class, reason, tt.class)
		}
	}
}

func TestBuildRoutesBack(t *testing.T) {
	c, err := connector.Load(context.Background(), "../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	b := New(c, Options{Seed: 1})
	for _, op := range c.Operations {
		r, err := b.Build(op)
		if err != nil {
			t.Fatalf("%s: %v", op.ID, err)
		}
		if r.Header.Get("X-API-Key") == "" {
			t.Errorf("%s: no API key", op.ID)
		}
		if op.ID == "CreateOrder" && (r.Header.Get("Content-Type") != "application/json" || len(r.Body) == 0) {
			t.Errorf("CreateOrder: no JSON body: %q %s", r.Header.Get("Content-Type"), r.Body)
		}
	}
	again, _ := New(c, Options{Seed: 1}).Build(c.Operation("CreateOrder"))
	first, _ := b.Build(c.Operation("CreateOrder"))
	if string(again.Body) != string(first.Body) || again.URL("") != first.URL("") {
		t.Errorf("builds differ for the same seed")
	}
}
