package recorder_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/internal/testkit"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

// linksDef is a connector with a polling trigger (202 + Location +
// Retry-After until the upstream has data) and two paged lists, one with
// the default @odata.nextLink and one with its own x-ms-pageable
// nextLinkName.
const linksDef = `{
  "swagger": "2.0",
  "info": {"title": "Links", "version": "1.0"},
  "host": "links.example.com",
  "basePath": "/api",
  "schemes": ["https"],
  "paths": {
    "/items": {
      "get": {
        "operationId": "ListItems",
        "parameters": [{"name": "page", "in": "query", "type": "integer"}],
        "x-ms-pageable": {"nextLinkName": "@odata.nextLink"},
        "responses": {"200": {"description": "a page", "schema": {"$ref": "#/definitions/ItemPage"}}}
      }
    },
    "/orders": {
      "get": {
        "operationId": "ListOrders",
        "parameters": [{"name": "cursor", "in": "query", "type": "string"}],
        "x-ms-pageable": {"nextLinkName": "nextPageUrl"},
        "responses": {"200": {"description": "a page", "schema": {"$ref": "#/definitions/OrderPage"}}}
      }
    },
    "/trigger/items": {
      "get": {
        "operationId": "OnNewItems",
        "x-ms-trigger": "batch",
        "parameters": [{"name": "since", "in": "query", "type": "string"}],
        "responses": {
          "200": {"description": "new items", "schema": {"$ref": "#/definitions/ItemPage"}},
          "202": {"description": "nothing new yet; poll the Location",
            "headers": {"Location": {"type": "string"}, "Retry-After": {"type": "integer"}}}
        }
      }
    }
  },
  "definitions": {
    "Item": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "ItemPage": {"type": "object", "properties": {
      "value": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
      "@odata.nextLink": {"type": "string"}}},
    "OrderPage": {"type": "object", "properties": {
      "orders": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
      "nextPageUrl": {"type": "string"}}}
  }
}`

// linksUpstream is a live API on 127.0.0.1 that hands out absolute links
// to itself, as real ones do (it ignores X-Forwarded-Host). Its answers
// depend only on the request, so a replay gets the recorded ones.
func linksUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		self := srv.URL + "/api"
		w.Header().Set("Content-Type", "application/json")
		q := r.URL.Query()
		switch r.URL.Path {
		case "/api/items":
			page := map[string]any{"value": []any{map[string]any{"id": 1, "name": "one"}}}
			if q.Get("page") == "" || q.Get("page") == "1" {
				page["@odata.nextLink"] = self + "/items?page=2"
			} else {
				page["value"] = []any{map[string]any{"id": 2, "name": "two"}}
			}
			_ = json.NewEncoder(w).Encode(page)
		case "/api/orders":
			page := map[string]any{"orders": []any{map[string]any{"id": 10, "name": "first"}}}
			if q.Get("cursor") == "" {
				page["nextPageUrl"] = self + "/orders?cursor=c2"
			} else {
				page["orders"] = []any{map[string]any{"id": 11, "name": "second"}}
			}
			_ = json.NewEncoder(w).Encode(page)
		case "/api/trigger/items":
			if q.Get("since") == "" {
				w.Header().Set("Location", self+"/trigger/items?since=t1")
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusAccepted)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"value": []any{map[string]any{"id": 3, "name": "new"}}})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestPollingTriggerAndPagedListRecordAndReplay records a polling trigger
// and two paged lists through the real recording proxy, following the
// links the upstream hands out as a client (a flow) does, and replays the
// session end to end: the links the client got point at the proxy, so
// every call was recorded, and the replay against the upstream passes.
func TestPollingTriggerAndPagedListRecordAndReplay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := testkit.Definition(t, linksDef)
	c, err := connector.Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	up := linksUpstream(t)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "rec.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rec, err := recorder.Start(ctx, store, c, recorder.Config{Upstream: up.URL + "/api", Session: "links", Host: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	proxy := strings.TrimRight(rec.URL(), "/") // with the basePath
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (*http.Response, map[string]any) {
		t.Helper()
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var v map[string]any
		if len(b) > 0 {
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("GET %s: %d %q: %v", u, resp.StatusCode, b, err)
			}
		}
		return resp, v
	}
	onProxy := func(what, link string) {
		t.Helper()
		if !strings.HasPrefix(link, proxy+"/") {
			t.Fatalf("%s = %q: not on the proxy %s (the client would leave it and the call go unrecorded)", what, link, proxy)
		}
	}

	// A flow polls the trigger: 202 + Location, then the Location.
	var calls []string
	resp, _ := get(proxy + "/trigger/items")
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("trigger: status %d, want 202", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	onProxy("trigger Location", loc)
	resp, body := get(loc)
	if resp.StatusCode != http.StatusOK || len(body["value"].([]any)) != 1 {
		t.Fatalf("polled Location: %d %v", resp.StatusCode, body)
	}
	calls = append(calls, "OnNewItems", "OnNewItems")

	// A flow reads every page of both lists.
	for _, l := range []struct{ op, start, next string }{
		{"ListItems", "/items", "@odata.nextLink"},
		{"ListOrders", "/orders", "nextPageUrl"},
	} {
		link, pages := proxy+l.start, 0
		for link != "" {
			_, page := get(link)
			calls = append(calls, l.op)
			pages++
			link, _ = page[l.next].(string)
			if link != "" {
				onProxy(l.op+" "+l.next, link)
			}
		}
		if pages != 2 {
			t.Fatalf("%s: read %d pages, want 2", l.op, pages)
		}
	}
	if _, err := rec.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	xs, err := exchanges.All(ctx, store, rec.Session().ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range xs {
		got = append(got, x.OperationID)
	}
	if fmt.Sprint(got) != fmt.Sprint(calls) {
		t.Fatalf("recorded operations %v, want every call %v", got, calls)
	}
	for _, x := range xs {
		// What is stored is what the client saw: proxy links.
		if l := x.Response.Header.Get("Location"); l != "" {
			onProxy("recorded Location", l)
		}
		if strings.Contains(string(x.Response.Body), up.URL) {
			t.Errorf("#%d %s: the recorded body still links to the upstream: %s", x.ID, x.OperationID, x.Response.Body)
		}
	}

	// Replay the session end to end against the upstream.
	target, _ := url.Parse(up.URL + "/api")
	res, err := replay.New(c, replay.Options{Target: target, Concurrency: 1}).Run(ctx, "links", xs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unreachable != nil {
		t.Fatal(res.Unreachable)
	}
	if len(res.Suite.Cases) != len(xs) {
		t.Fatalf("replayed %d cases, want %d", len(res.Suite.Cases), len(xs))
	}
	var mu sync.Mutex
	fail := func(f contract.Finding) {
		mu.Lock()
		defer mu.Unlock()
		t.Errorf("replay: %s %s #%d %s: %s", f.Level, f.ID, f.Exchange, f.Operation, f.Message)
	}
	for _, cs := range res.Suite.Cases {
		if cs.Error != "" || cs.Skipped != "" {
			t.Errorf("case %s: error %q skipped %q", cs.Name, cs.Error, cs.Skipped)
		}
		for _, f := range cs.Findings {
			if f.Level >= contract.LevelWarning {
				fail(f)
			}
		}
	}
	for _, f := range res.Findings {
		if f.Level >= contract.LevelWarning {
			fail(f)
		}
	}
}
