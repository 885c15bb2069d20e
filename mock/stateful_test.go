package mock

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStatefulCRUD(t *testing.T) {
	_, ts := newSample(t, Options{Seed: 3, Stateful: true})
	h := with(key, "Content-Type", "application/json")
	body := `{"customerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","lines":[{"sku":"ABC123","quantity":2,"unitPrice":9.5}]}`
	a := do(t, "POST", ts.URL+"/v1/orders", body, h)
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	var created map[string]any
	if err := json.Unmarshal(a.body, &created); err != nil {
		t.Fatal(err)
	}
	id, _ := created["id"].(string)
	if id == "" || created["customerId"] != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Fatalf("created %v", created)
	}
	if loc := a.header.Get("Location"); !strings.HasSuffix(loc, "/v1/orders/"+id) {
		t.Errorf("Location %q", loc)
	}
	// A second identical POST makes a second resource.
	b := do(t, "POST", ts.URL+"/v1/orders", body, h)
	var second map[string]any
	_ = json.Unmarshal(b.body, &second)
	if second["id"] == id {
		t.Errorf("second create reused id %s", id)
	}
	got := do(t, "GET", ts.URL+"/v1/orders/"+id, "", key)
	if got.status != 200 || string(got.body) != string(a.body) {
		t.Fatalf("read back: %d %s\nwant %s", got.status, got.body, a.body)
	}
	list := do(t, "GET", ts.URL+"/v1/orders", "", key)
	var page struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(list.body, &page); err != nil || len(page.Value) != 2 || page.Value[0]["id"] != id {
		t.Fatalf("list: %v %s", err, list.body)
	}
	up := do(t, "PATCH", ts.URL+"/v1/orders/"+id, `{"notes":"leave at the door"}`, h)
	var patched map[string]any
	_ = json.Unmarshal(up.body, &patched)
	if up.status != 200 || patched["notes"] != "leave at the door" || patched["customerId"] != created["customerId"] {
		t.Fatalf("patch: %d %s", up.status, up.body)
	}
	if d := do(t, "DELETE", ts.URL+"/v1/orders/"+id, "", key); d.status != 204 {
		t.Fatalf("delete: %d", d.status)
	}
	if g := do(t, "GET", ts.URL+"/v1/orders/"+id, "", key); g.status != 404 {
		t.Fatalf("after delete: %d %s", g.status, g.body)
	}
	if g := do(t, "DELETE", ts.URL+"/v1/orders/"+id, "", key); g.status != 404 {
		t.Fatalf("delete twice: %d", g.status)
	}
}

func TestStatefulOverrideMustExist(t *testing.T) {
	_, err := New(loadSample(t), Options{Stateful: true, Resources: []Resource{{Collection: "/nope", Item: "/nope/{id}"}}})
	if err == nil || !strings.Contains(err.Error(), "/nope") {
		t.Fatalf("err = %v", err)
	}
}
