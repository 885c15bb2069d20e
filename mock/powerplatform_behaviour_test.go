package mock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/trigger"
)

// ppAnswer is one answer of the behaviour tests.
type ppAnswer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func ppDo(t *testing.T, method, u, body string, h map[string]string) ppAnswer {
	t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequest(method, u, rd)
	} else {
		req, err = http.NewRequest(method, u, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	a := ppAnswer{status: resp.StatusCode, header: resp.Header, raw: b.String()}
	_ = json.Unmarshal([]byte(a.raw), &a.body)
	return a
}

func contosoOrders(t *testing.T) *connector.Connector {
	t.Helper()
	return loadDir(t, filepath.Join("..", "examples", "contoso-orders"))
}

func loadDir(t *testing.T, dir string) *connector.Connector {
	t.Helper()
	c, err := connector.Load(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPowerPlatformURLsUnderAPrefix: behind a front door that strips a
// path prefix and says so in X-Forwarded-Prefix (connectorlab mock
// --prefix, a reverse proxy), the Location of a subscription, the next
// poll and the next page carry the prefix, and following them works.
func TestPowerPlatformURLsUnderAPrefix(t *testing.T) {
	c := contosoOrders(t)
	hub := NewHub(nil)
	s, err := New(c, Options{Seed: 3, DisableAuth: true, Name: "contoso", PowerPlatform: PowerPlatformOptions{Hub: hub, AllowPrivateCallbacks: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The prefix is also the first segment of the connector's own paths'
	// base (/v1): a guess from the path alone would get it wrong.
	const prefix = "/v1"
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, prefix+"/") {
			http.NotFound(w, r)
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
		r2.URL.RawPath = ""
		r2.Header.Set("X-Forwarded-Prefix", prefix)
		s.ServeHTTP(w, r2)
	}))
	defer front.Close()
	hub.SetURL("contoso", front.URL+prefix)
	base := front.URL + prefix + "/v1"

	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer rcv.Close()
	sub := ppDo(t, "POST", base+"/hooks", `{"callbackUrl":"`+rcv.URL+`/cb"}`, nil)
	loc := sub.header.Get("Location")
	if sub.status != 201 || !strings.HasPrefix(loc, base+"/hooks/") {
		t.Fatalf("subscribe: %d Location %q (want under %s/hooks/)", sub.status, loc, base)
	}
	if del := ppDo(t, "DELETE", loc, "", nil); del.status/100 != 2 {
		t.Fatalf("DELETE %s: %d %s", loc, del.status, del.raw)
	}
	e, _ := s.PowerPlatform()
	if n := len(e.Subscriptions()); n != 0 {
		t.Fatalf("%d subscriptions after DELETE on the prefixed Location", n)
	}

	poll := ppDo(t, "GET", base+"/trigger/orders", "", nil)
	if next := poll.header.Get("Location"); poll.status != 200 || !strings.HasPrefix(next, base+"/trigger/orders?") {
		t.Fatalf("poll: %d Location %q", poll.status, next)
	} else if again := ppDo(t, "GET", next, "", nil); again.status != 202 && again.status != 200 {
		t.Fatalf("following the poll Location: %d %s", again.status, again.raw)
	}

	page := ppDo(t, "GET", base+"/orders?top=2", "", nil)
	link, _ := page.body["@odata.nextLink"].(string)
	if page.status != 200 || !strings.HasPrefix(link, base+"/orders?") {
		t.Fatalf("page: %d nextLink %q", page.status, link)
	}
	if p2 := ppDo(t, "GET", link, "", nil); p2.status != 200 {
		t.Fatalf("next page %s: %d", link, p2.status)
	}
}

// TestStatefulCreateFeedsPollingTrigger: in stateful mode a create that
// matches a "new order" trigger becomes the trigger's next item, once.
func TestStatefulCreateFeedsPollingTrigger(t *testing.T) {
	c := contosoOrders(t)
	s, err := New(c, Options{Seed: 5, DisableAuth: true, Stateful: true, Name: "contoso"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	base := srv.URL + "/v1"
	// Drain the seeded items.
	next := base + "/trigger/orders"
	for i := 0; ; i++ {
		a := ppDo(t, "GET", next, "", nil)
		next = a.header.Get("Location")
		if a.status == 202 {
			break
		}
		if i > trigger.InitialItems+1 || a.status != 200 {
			t.Fatalf("drain: %d %s", a.status, a.raw)
		}
	}
	created := ppDo(t, "POST", base+"/orders", `{"customerId":"3f9c1c1e-9a1b-4c1d-8e2f-0a1b2c3d4e5f","lines":[{"sku":"A-1","quantity":2,"unitPrice":9.5}]}`, nil)
	if created.status/100 != 2 {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	id, _ := created.body["id"].(string)
	a := ppDo(t, "GET", next, "", nil)
	items, _ := a.body["value"].([]any)
	if a.status != 200 || len(items) != 1 {
		t.Fatalf("poll after create: %d %s", a.status, a.raw)
	}
	if got, _ := items[0].(map[string]any)["id"].(string); id == "" || got != id {
		t.Fatalf("the trigger's item is not the created order: got id %q, created %q\n%s", got, id, a.raw)
	}
	if again := ppDo(t, "GET", a.header.Get("Location"), "", nil); again.status != 202 {
		t.Fatalf("the created order was delivered twice: %d %s", again.status, again.raw)
	}
}

// TestStatefulLookupValuesAreAccepted: in stateful mode a lookup lists the
// stored items, and with --strict-dynamic the dependent accepts their
// values and refuses others.
func TestStatefulLookupValuesAreAccepted(t *testing.T) {
	dir := t.TempDir()
	def := `{"swagger": "2.0", "info": {"title": "Projects", "version": "1"}, "host": "api.example.com", "basePath": "/",
	 "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
	 "paths": {
	  "/projects": {
	   "get": {"operationId": "ListProjects", "responses": {"200": {"description": "ok", "schema": {"type": "object",
	     "properties": {"value": {"type": "array", "items": {"$ref": "#/definitions/Project"}}}}}}},
	   "post": {"operationId": "CreateProject", "parameters": [{"in": "body", "name": "body", "schema": {"$ref": "#/definitions/Project"}}],
	     "responses": {"201": {"description": "created", "schema": {"$ref": "#/definitions/Project"}}}}},
	  "/projects/{id}": {"get": {"operationId": "GetProject", "parameters": [{"in": "path", "name": "id", "required": true, "type": "string"}],
	     "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Project"}}}}},
	  "/tasks": {"post": {"operationId": "CreateTask", "parameters": [{"in": "body", "name": "body", "schema": {"type": "object",
	     "properties": {"title": {"type": "string"}, "projectId": {"type": "string",
	       "x-ms-dynamic-values": {"operationId": "ListProjects", "value-collection": "value", "value-path": "id", "value-title": "name"}}}}}],
	     "responses": {"201": {"description": "created", "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}},
	 "definitions": {"Project": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}`
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	c := loadDir(t, dir)
	s, err := New(c, Options{Seed: 2, DisableAuth: true, Stateful: true, PowerPlatform: PowerPlatformOptions{StrictDynamic: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	p := ppDo(t, "POST", srv.URL+"/projects", `{"id":"apollo","name":"Apollo"}`, nil)
	if p.status != 201 {
		t.Fatalf("create project: %d %s", p.status, p.raw)
	}
	list := ppDo(t, "GET", srv.URL+"/projects", "", nil)
	if !strings.Contains(list.raw, `"apollo"`) {
		t.Fatalf("the lookup does not list the stored project: %s", list.raw)
	}
	if ok := ppDo(t, "POST", srv.URL+"/tasks", `{"title":"t","projectId":"apollo"}`, nil); ok.status != 201 {
		t.Fatalf("a stored project's id was refused: %d %s", ok.status, ok.raw)
	}
	bad := ppDo(t, "POST", srv.URL+"/tasks", `{"title":"t","projectId":"gemini"}`, nil)
	if bad.status != 400 || !strings.Contains(bad.raw, "dynamic-value-unknown") {
		t.Fatalf("an unknown project id was accepted: %d %s", bad.status, bad.raw)
	}
}

// TestRunTimeFaultsReachStatefulCreates is the regression test for the
// admin API's faults skipping operations the stateful store answers.
func TestRunTimeFaultsReachStatefulCreates(t *testing.T) {
	c := contosoOrders(t)
	hub := NewHub(nil)
	s, err := New(c, Options{Seed: 5, DisableAuth: true, Stateful: true, Name: "contoso", PowerPlatform: PowerPlatformOptions{Hub: hub, AllowPrivateCallbacks: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	if err := hub.SetFaults("contoso", json.RawMessage(`{"errorRate": 1, "errorStatus": 503}`)); err != nil {
		t.Fatal(err)
	}
	a := ppDo(t, "POST", srv.URL+"/v1/orders", `{"customerId":"3f9c1c1e-9a1b-4c1d-8e2f-0a1b2c3d4e5f","lines":[{"sku":"A-1","quantity":2,"unitPrice":9.5}]}`, nil)
	if a.status != 503 {
		t.Fatalf("stateful create under errorRate 1: %d %s", a.status, a.raw)
	}
	if err := hub.SetFaults("contoso", json.RawMessage(`{}`)); err != nil {
		t.Fatal(err)
	}
	if a := ppDo(t, "POST", srv.URL+"/v1/orders", `{"customerId":"3f9c1c1e-9a1b-4c1d-8e2f-0a1b2c3d4e5f","lines":[{"sku":"A-1","quantity":2,"unitPrice":9.5}]}`, nil); a.status/100 != 2 {
		t.Fatalf("create after faults off: %d %s", a.status, a.raw)
	}
}

// TestStatefulCreateFeedsWebhook: in stateful mode a create whose answer is
// the schema a webhook reports is delivered to its subscribers as is.
func TestStatefulCreateFeedsWebhook(t *testing.T) {
	dir := t.TempDir()
	def := `{"swagger": "2.0", "info": {"title": "Items", "version": "1"}, "host": "api.example.com", "basePath": "/",
	 "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
	 "paths": {
	  "/items": {"post": {"operationId": "CreateItem", "parameters": [{"in": "body", "name": "body", "schema": {"$ref": "#/definitions/Item"}}],
	     "responses": {"201": {"description": "created", "schema": {"$ref": "#/definitions/Item"}}}},
	   "get": {"operationId": "ListItems", "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Item"}}}}}},
	  "/items/{id}": {"get": {"operationId": "GetItem", "parameters": [{"in": "path", "name": "id", "required": true, "type": "string"}],
	     "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}}}},
	  "/hooks": {"x-ms-notification-content": {"schema": {"$ref": "#/definitions/Item"}},
	   "post": {"operationId": "OnItemCreated", "x-ms-trigger": "single", "parameters": [{"in": "body", "name": "body", "schema": {"type": "object",
	     "properties": {"callback": {"type": "string", "x-ms-notification-url": true}}}}], "responses": {"201": {"description": "ok"}}}},
	  "/hooks/{hookId}": {"delete": {"operationId": "DeleteHook", "parameters": [{"in": "path", "name": "hookId", "required": true, "type": "string"}],
	     "responses": {"204": {"description": "gone"}}}}},
	 "definitions": {"Item": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}`
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := New(loadDir(t, dir), Options{Seed: 2, DisableAuth: true, Stateful: true, PowerPlatform: PowerPlatformOptions{AllowPrivateCallbacks: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	got := make(chan map[string]any, 4)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]any
		_ = json.NewDecoder(r.Body).Decode(&v)
		got <- v
	}))
	defer rcv.Close()
	if a := ppDo(t, "POST", srv.URL+"/hooks", `{"callback":"`+rcv.URL+`"}`, nil); a.status != 201 {
		t.Fatalf("subscribe: %d %s", a.status, a.raw)
	}
	if a := ppDo(t, "POST", srv.URL+"/items", `{"id":"i-1","name":"First"}`, nil); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.raw)
	}
	e, _ := s.PowerPlatform()
	e.Wait()
	select {
	case v := <-got:
		if v["id"] != "i-1" || v["name"] != "First" {
			t.Fatalf("the event is not the created item: %v", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event after the create")
	}
}
