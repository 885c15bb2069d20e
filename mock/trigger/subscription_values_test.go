package trigger

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
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
