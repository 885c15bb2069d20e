package trigger

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWebhookPayloadCarriesTheSubscription: the subscriber chose the
// events "issue.created,issue.closed" and projectId "P-7"; every delivery
// is one of those events, for that project (was: random words).
func TestWebhookPayloadCarriesTheSubscription(t *testing.T) {
	doc := `{"swagger": "2.0", "info": {"title": "Hooks", "version": "1"}, "host": "api.example.com", "basePath": "/",
	 "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
	 "paths": {"/hooks": {
	   "x-ms-notification-content": {"schema": {"type": "object", "properties": {
	     "eventType": {"type": "string"}, "projectId": {"type": "string"}, "priority": {"type": "integer"},
	     "issue": {"type": "object", "properties": {"title": {"type": "string"}, "projectId": {"type": "string"}}}}}},
	   "post": {"operationId": "OnIssue", "x-ms-trigger": "single", "parameters": [
	     {"in": "body", "name": "body", "schema": {"type": "object", "properties": {
	       "url": {"type": "string", "x-ms-notification-url": true},
	       "events": {"type": "array", "items": {"type": "string"}},
	       "projectId": {"type": "string"}, "priority": {"type": "string"}}}}],
	     "responses": {"201": {"description": "ok", "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}}`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	c := load(t, dir)
	e, errs := New(Options{Connector: c, Seed: 5, AllowPrivateCallbacks: true})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	defer e.Close()
	rcv := newReceiver(t)
	_, err := e.Subscribe(c.Operation("OnIssue"), Request{URL: mustURL(t, "http://127.0.0.1/hooks"), BaseURL: "http://127.0.0.1",
		Body: map[string]any{"url": rcv.srv.URL + "/cb", "events": []any{"issue.created", "issue.closed"}, "projectId": "P-7", "priority": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Fire(context.Background(), FireRequest{OperationID: "OnIssue", Count: 4}); err != nil {
		t.Fatal(err)
	}
	got := rcv.got()
	if len(got) != 4 {
		t.Fatalf("receiver got %d bodies", len(got))
	}
	events := map[string]bool{}
	for _, b := range got {
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		events[v["eventType"].(string)] = true
		if v["projectId"] != "P-7" || v["issue"].(map[string]any)["projectId"] != "P-7" {
			t.Errorf("payload is not for the subscribed project: %s", b)
		}
		if v["priority"] != float64(2) {
			t.Errorf("priority %v, want the subscribed 2: %s", v["priority"], b)
		}
	}
	if !events["issue.created"] || !events["issue.closed"] || len(events) != 2 {
		t.Errorf("events %v, want issue.created and issue.closed only", events)
	}
}

// TestPollingItemsAreNewerThanTheCursorAndCarryTheFilter: every poll
// returns items whose createdAt is after the `since` the previous answer
// set (timestamps strictly increase from poll to poll and within a
// batch), and each item carries the poll's filter value (status=shipped).
func TestPollingItemsAreNewerThanTheCursorAndCarryTheFilter(t *testing.T) {
	c := contoso(t)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	e, errs := New(Options{Connector: c, AllowPrivateCallbacks: true, Now: func() time.Time { return now }})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	defer e.Close()
	op := c.Operation("OnNewOrder")
	next := base + "/trigger/orders?status=shipped"
	var since time.Time
	items := 0
	for round := 0; round < 4; round++ {
		var r Response
		r, next = poll(t, e, op, next)
		if r.Status == 200 {
			batch := r.Body.(map[string]any)["value"].([]any)
			prev := time.Time{}
			for i := len(batch) - 1; i >= 0; i-- { // oldest first
				it := batch[i].(map[string]any)
				at, err := time.Parse(time.RFC3339, it["createdAt"].(string))
				if err != nil {
					t.Fatal(err)
				}
				if !at.After(since) || !at.After(prev) {
					t.Errorf("round %d: item createdAt %v is not after the cursor %v / the previous item %v", round, at, since, prev)
				}
				prev = at
				if it["status"] != "shipped" {
					t.Errorf("round %d: item status %v, want the filter's shipped", round, it["status"])
				}
				items++
			}
		}
		s := mustURL(t, next).Query().Get("since")
		if s == "" {
			t.Fatalf("round %d: next poll URL %s carries no since", round, next)
		}
		var err error
		if since, err = time.Parse(time.RFC3339, s); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
		if _, err := e.Fire(context.Background(), FireRequest{OperationID: op.ID, Count: 2}); err != nil {
			t.Fatal(err)
		}
	}
	if items < InitialItems+4 {
		t.Fatalf("saw %d items", items)
	}
}
