package trigger

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

func load(t testing.TB, dir string) *connector.Connector {
	t.Helper()
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return c
}

func contoso(t testing.TB) *connector.Connector {
	return load(t, filepath.Join("..", "..", "examples", "contoso-orders"))
}

// receiver is a webhook callback that records what it gets.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	fail   int // answer 503 this many times first
	srv    *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fail > 0 {
			r.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		r.bodies = append(r.bodies, b)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) got() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...)
}

type sinkLog struct {
	mu sync.Mutex
	xs []*recordings.Exchange
}

func (s *sinkLog) Record(_ context.Context, x *recordings.Exchange) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.xs = append(s.xs, x)
	return nil
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const base = "http://127.0.0.1:4010/v1"

func TestWebhookSubscribeFireUnsubscribe(t *testing.T) {
	c := contoso(t)
	sink := &sinkLog{}
	e, errs := New(Options{Connector: c, AllowPrivateCallbacks: true, Sink: sink, Seed: 7})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	defer e.Close()
	rcv := newReceiver(t)
	op := c.Operation("OnOrderShipped")
	if !e.IsSubscribe(op.ID) || !e.IsUnsubscribe("DeleteHook") {
		t.Fatalf("OnOrderShipped/DeleteHook not recognised")
	}
	sub, err := e.Subscribe(op, Request{URL: mustURL(t, base+"/hooks"), BaseURL: base, Body: map[string]any{"callbackUrl": rcv.srv.URL + "/cb?sig=x"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := base + "/hooks/" + sub.ID; sub.Location != want {
		t.Fatalf("Location = %q, want %q", sub.Location, want)
	}
	h := http.Header{}
	body := e.Decorate(sub, op, h, map[string]any{"id": "x", "callbackUrl": "y"})
	if h.Get("Location") != sub.Location || body.(map[string]any)["id"] != sub.ID {
		t.Fatalf("Decorate: header %v body %v", h, body)
	}
	res, err := e.Fire(context.Background(), FireRequest{OperationID: "onordershipped", Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deliveries) != 2 || !res.Deliveries[0].OK() {
		t.Fatalf("deliveries = %+v", res.Deliveries)
	}
	got := rcv.got()
	if len(got) != 2 {
		t.Fatalf("receiver got %d bodies", len(got))
	}
	for _, b := range got {
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if err := op.Trigger.Content.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
			t.Errorf("payload does not match x-ms-notification-content: %v\n%s", err, b)
		}
	}
	if string(got[0]) == string(got[1]) {
		t.Errorf("two events carry the same payload")
	}
	if len(sink.xs) != 2 || sink.xs[0].Source != recordings.SourceEvent || sink.xs[0].Response.Status != 202 {
		t.Fatalf("sink = %+v", sink.xs)
	}
	// DELETE /hooks/{hookId}
	if _, ok := e.Unsubscribe(c.Operation("DeleteHook"), Request{URL: mustURL(t, base+"/hooks/nope"), PathParams: map[string]string{"hookId": "nope"}}); ok {
		t.Fatal("unsubscribed an unknown hook")
	}
	if _, ok := e.Unsubscribe(c.Operation("DeleteHook"), Request{URL: mustURL(t, sub.Location), PathParams: map[string]string{"hookId": sub.ID}}); !ok {
		t.Fatal("unsubscribe failed")
	}
	res, _ = e.Fire(context.Background(), FireRequest{OperationID: "OnOrderShipped"})
	if len(res.Deliveries) != 0 || len(res.Idle) != 1 {
		t.Fatalf("after unsubscribe: %+v", res)
	}
}

func TestSubscribeErrors(t *testing.T) {
	c := contoso(t)
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true})
	op := c.Operation("OnOrderShipped")
	for _, tc := range []struct {
		name string
		body any
		want string
	}{
		{"missing", map[string]any{}, "body property callbackUrl (x-ms-notification-url) is missing"},
		{"nobody", nil, "is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Subscribe(op, Request{BaseURL: base, Body: tc.body})
			if !errors.Is(err, ErrNoCallback) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestRelativeCallbackIsRefused: a callback that is not an absolute
// http(s) URL used to be kept with a warning and fail at delivery; now the
// subscribe is refused and says why (issue 11 item 3).
func TestRelativeCallbackIsRefused(t *testing.T) {
	c := contoso(t)
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true})
	_, err := e.Subscribe(c.Operation("OnOrderShipped"), Request{BaseURL: base, Body: map[string]any{"callbackUrl": "/cb"}})
	if !errors.Is(err, ErrCallbackRefused) || !strings.Contains(err.Error(), "not an absolute http(s) URL") {
		t.Fatalf("err = %v", err)
	}
	if n := len(e.Subscriptions()); n != 0 {
		t.Fatalf("%d subscriptions kept", n)
	}
}

func TestDeliveryRetriesWithBackoff(t *testing.T) {
	c := contoso(t)
	sink := &sinkLog{}
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, Sink: sink, Retry: Retry{Attempts: 4, Initial: time.Millisecond, Max: 5 * time.Millisecond, Timeout: 200 * time.Millisecond}})
	defer e.Close()
	rcv := newReceiver(t)
	rcv.fail = 2
	op := c.Operation("OnOrderShipped")
	sub, err := e.Subscribe(op, Request{BaseURL: base, Body: map[string]any{"callbackUrl": rcv.srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Fire(context.Background(), FireRequest{OperationID: op.ID, SubscriptionID: sub.ID})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Deliveries[0]
	if !d.OK() || d.Attempts != 3 {
		t.Fatalf("delivery = %+v, want OK after 3 attempts", d)
	}
	if len(sink.xs) != 3 || sink.xs[0].Response.Status != 503 || sink.xs[2].Response.Status != 202 {
		t.Fatalf("want 3 logged attempts (503, 503, 202), got %d", len(sink.xs))
	}
	// A callback that never answers in time: every attempt times out.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer slow.Close()
	e2, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, Retry: Retry{Attempts: 2, Initial: time.Millisecond, Timeout: 50 * time.Millisecond}})
	defer e2.Close()
	if _, err := e2.Subscribe(op, Request{BaseURL: base, Body: map[string]any{"callbackUrl": slow.URL}}); err != nil {
		t.Fatal(err)
	}
	res, _ = e2.Fire(context.Background(), FireRequest{OperationID: op.ID})
	if d := res.Deliveries[0]; d.OK() || d.Attempts != 2 || d.Error == "" {
		t.Fatalf("timeout delivery = %+v", d)
	}
	if s := e2.Subscriptions()[0]; s.Failures != 1 || s.LastError == "" {
		t.Fatalf("subscription = %+v", s)
	}
}

// poll follows the protocol: it returns the response and the next URL.
func poll(t *testing.T, e *Engine, op *connector.Operation, u string) (Response, string) {
	t.Helper()
	r, err := e.Poll(op, Request{URL: mustURL(t, u), BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	loc := r.Header.Get("Location")
	if loc == "" {
		t.Fatalf("poll %s: no Location", u)
	}
	return r, loc
}

func TestPollingBatchProtocol(t *testing.T) {
	c := contoso(t)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	e, errs := New(Options{Connector: c, AllowPrivateCallbacks: true, Now: func() time.Time { return now }, RetryAfter: 30 * time.Second})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	op := c.Operation("OnNewOrder")
	r, next := poll(t, e, op, base+"/trigger/orders")
	if r.Status != 200 || len(r.Body.(map[string]any)["value"].([]any)) != InitialItems {
		t.Fatalf("first poll = %d %v", r.Status, r.Body)
	}
	r, next = poll(t, e, op, next)
	if r.Status != 202 || r.Header.Get("Retry-After") != "30" || r.Body != nil {
		t.Fatalf("second poll = %d %v %v", r.Status, r.Header, r.Body)
	}
	if _, err := e.Fire(context.Background(), FireRequest{OperationID: op.ID, Count: 3}); err != nil {
		t.Fatal(err)
	}
	r, next = poll(t, e, op, next)
	if r.Status != 200 {
		t.Fatalf("second poll status %d", r.Status)
	}
	_, schema := successResponse(op)
	if err := schema.Value.VisitJSON(r.Body, openapi3.MultiErrors()); err != nil {
		t.Fatalf("body does not match the response schema: %v", err)
	}
	items := r.Body.(map[string]any)["value"].([]any)
	if len(items) != 3 {
		t.Fatalf("got %d items", len(items))
	}
	first := items[0].(map[string]any)["createdAt"].(string)
	last := items[2].(map[string]any)["createdAt"].(string)
	if first <= last {
		t.Errorf("items not newest first: %s .. %s", first, last)
	}
	u := mustURL(t, next)
	if u.Query().Get(CursorParam) != "5" || u.Query().Get("since") != first {
		t.Errorf("next poll URL %s: want triggerstate=5 and since=%s", next, first)
	}
	r, next = poll(t, e, op, next)
	if r.Status != 202 || mustURL(t, next).Query().Get(CursorParam) != "5" {
		t.Fatalf("third poll = %d %s", r.Status, next)
	}
	e.Fire(context.Background(), FireRequest{OperationID: op.ID})
	r, _ = poll(t, e, op, next)
	if r.Status != 200 || len(r.Body.(map[string]any)["value"].([]any)) != 1 {
		t.Fatalf("fourth poll = %d %v", r.Status, r.Body)
	}
	if cs := e.Cursors(); len(cs) != 5 || cs[2].Next != 5 {
		t.Fatalf("cursors = %+v", cs)
	}
	if _, err := e.Poll(op, Request{URL: mustURL(t, base+"/trigger/orders?triggerstate=abc")}); !errors.Is(err, ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestPollingSingleSeesEachItemOnce(t *testing.T) {
	c := load(t, filepath.Join("testdata", "single"))
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, MaxBatch: 2})
	op := c.Operation("OnNextTicket")
	next := "http://127.0.0.1:1/next"
	e.Fire(context.Background(), FireRequest{OperationID: op.ID, Count: 3})
	seen := map[string]bool{}
	for i := 0; i < 3+InitialItems; i++ {
		var r Response
		r, next = poll(t, e, op, next)
		if r.Status != 200 {
			t.Fatalf("poll %d: status %d", i, r.Status)
		}
		b, _ := json.Marshal(r.Body)
		if seen[string(b)] {
			t.Fatalf("item seen twice: %s", b)
		}
		seen[string(b)] = true
	}
	if r, _ := poll(t, e, op, next); r.Status != 202 {
		t.Fatalf("after all items: %d", r.Status)
	}
}

func TestOnCreateFeedsMatchingTriggers(t *testing.T) {
	c := contoso(t)
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true})
	defer e.Close()
	op := c.Operation("OnNewOrder")
	_, next := poll(t, e, op, base+"/trigger/orders")
	_, next = poll(t, e, op, next)
	order := map[string]any{"id": "7a1c8f4e-0000-4000-8000-000000000001", "orderNumber": "SO-1", "customerId": "7a1c8f4e-0000-4000-8000-000000000002",
		"status": "pending", "lines": []any{}, "createdAt": "2025-01-01T00:00:00Z"}
	got := e.OnCreate(c.Operation("CreateOrder"), order)
	if len(got) != 1 || got[0] != "OnNewOrder" {
		t.Fatalf("OnCreate matched %v", got)
	}
	r, _ := poll(t, e, op, next)
	items := r.Body.(map[string]any)["value"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["orderNumber"] != "SO-1" {
		t.Fatalf("poll after create = %v", r.Body)
	}
	if got := e.OnCreate(c.Operation("UpdateOrder"), order); len(got) != 0 {
		t.Fatalf("an update matched %v", got)
	}
}

func TestScheduleFires(t *testing.T) {
	c := contoso(t)
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true})
	rcv := newReceiver(t)
	if _, err := e.Subscribe(c.Operation("OnOrderShipped"), Request{BaseURL: base, Body: map[string]any{"callbackUrl": rcv.srv.URL}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx, 5*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for len(rcv.got()) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	e.Close()
	if len(rcv.got()) < 2 {
		t.Fatalf("schedule delivered %d events", len(rcv.got()))
	}
	if ti := e.Triggers(); ti[1].Items < 2+InitialItems {
		t.Fatalf("schedule made %d polling items", ti[1].Items)
	}
}

func TestQueryCallbackAndFallbackUnsubscribe(t *testing.T) {
	c := load(t, filepath.Join("testdata", "single"))
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, FallbackUnsubscribe: func(s Subscription) string {
		return "http://127.0.0.1:9/v1/unsubscribe/" + s.ID + "?key=" + s.CapabilityKey()
	}})
	op := c.Operation("OnTicketQuery")
	sub, err := e.Subscribe(op, Request{URL: mustURL(t, "http://127.0.0.1:1/subscribe?hook=http://127.0.0.1:2/x"), BaseURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if sub.CallbackURL != "http://127.0.0.1:2/x" || !strings.Contains(sub.Location, "/v1/unsubscribe/"+sub.ID) {
		t.Fatalf("sub = %+v", sub)
	}
	if e.UnsubscribeByID(sub.ID, "wrong") {
		t.Fatal("wrong key accepted")
	}
	if !e.UnsubscribeByID(sub.ID, sub.CapabilityKey()) {
		t.Fatal("right key refused")
	}
}

// TestPollingPoliciesFromPolicyEngine: the mock reads pollingtrigger
// policies through the policy engine's typed description.
func TestPollingPoliciesFromPolicyEngine(t *testing.T) {
	pp, errs := PollingPolicies(contoso(t))
	if len(errs) > 0 || len(pp["OnNewOrder"].Config) != 1 || strings.Join(pp["OnNewOrder"].Config[0].Field, "/") != "createdAt" {
		t.Fatalf("policies = %+v %v", pp, errs)
	}
	if p := pp["OnNewOrder"]; p.Trigger == nil || p.Trigger.OperationID != "OnNewOrder" || len(p.DataPath) == 0 {
		t.Fatalf("OnNewOrder policy = %+v", p)
	}
}

// hooksDef writes a webhook connector whose unsubscribe operation is
// unsub (a path item JSON) and loads it.
func hooksDef(t *testing.T, unsubPath, unsub string) *connector.Connector {
	t.Helper()
	doc := `{"swagger": "2.0", "info": {"title": "Hooks", "version": "1"}, "host": "api.example.com", "basePath": "/",
	 "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
	 "paths": {"/hooks": {
	   "x-ms-notification-content": {"schema": {"type": "object", "properties": {"event": {"type": "string"}}}},
	   "post": {"operationId": "OnEvent", "x-ms-trigger": "single", "parameters": [
	     {"in": "query", "name": "accountId", "type": "string"},
	     {"in": "body", "name": "body", "schema": {"type": "object", "properties": {"url": {"type": "string", "x-ms-notification-url": true}}}}],
	     "responses": {"201": {"description": "ok", "schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}},
	  "` + unsubPath + `": ` + unsub + `}}`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return load(t, dir)
}

// TestSubscriptionHandleFitsTheUnsubscribeParameter is the regression test
// for Locations the unsubscribe operation refused: an integer path
// parameter gets an integer handle, the subscribe response's integer id the
// same number, and a subscribe value that is not valid there is not copied.
func TestSubscriptionHandleFitsTheUnsubscribeParameter(t *testing.T) {
	c := hooksDef(t, "/hooks/{hookId}", `{"delete": {"operationId": "DeleteHook", "parameters": [
	  {"in": "path", "name": "hookId", "required": true, "type": "integer", "minimum": 1},
	  {"in": "query", "name": "accountId", "required": true, "type": "integer"}], "responses": {"204": {"description": "gone"}}}}`)
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, Seed: 3})
	defer e.Close()
	sub, err := e.Subscribe(c.Operation("OnEvent"), Request{URL: mustURL(t, "http://127.0.0.1/hooks?accountId=abc"), BaseURL: "http://127.0.0.1",
		Body: map[string]any{"url": "http://127.0.0.1:9/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	u := mustURL(t, sub.Location)
	hook := strings.TrimPrefix(u.Path, "/hooks/")
	n, err := strconv.Atoi(hook)
	if err != nil || n < 1 || hook != sub.Handle {
		t.Fatalf("Location %s: the hook id %q is not the integer handle %q", sub.Location, hook, sub.Handle)
	}
	if acc := u.Query().Get("accountId"); acc == "abc" || acc == "" {
		t.Fatalf("accountId=%q: the subscribe's string was copied into an integer parameter (or left out although required)", acc)
	} else if _, err := strconv.Atoi(acc); err != nil {
		t.Fatalf("accountId=%q is not an integer", acc)
	}
	body := e.Decorate(sub, c.Operation("OnEvent"), http.Header{}, map[string]any{"id": float64(7)})
	if body.(map[string]any)["id"] != float64(n) {
		t.Fatalf("response id = %v, want the handle %d as a number", body.(map[string]any)["id"], n)
	}
	if _, ok := e.Unsubscribe(c.Operation("DeleteHook"), Request{URL: u, PathParams: map[string]string{"hookId": hook}}); !ok {
		t.Fatal("the DELETE on Location did not unsubscribe")
	}
}

// TestUnsubscribeWithoutParametersRemovesWhatLocationNames: an
// unsubscribe operation that has no parameter to tell subscriptions apart
// removes those whose Location the DELETE addresses.
func TestUnsubscribeWithoutParametersRemovesWhatLocationNames(t *testing.T) {
	c := hooksDef(t, "/hooks/unsubscribe", `{"delete": {"operationId": "Unsubscribe", "parameters": [
	  {"in": "body", "name": "body", "schema": {"type": "object"}}], "responses": {"200": {"description": "gone"}}}}`)
	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, Seed: 3})
	defer e.Close()
	sub, err := e.Subscribe(c.Operation("OnEvent"), Request{URL: mustURL(t, "http://127.0.0.1/hooks"), BaseURL: "http://127.0.0.1:4010",
		Body: map[string]any{"url": "http://127.0.0.1:9/cb"}})
	if err != nil || sub.Location != "http://127.0.0.1:4010/hooks/unsubscribe" {
		t.Fatalf("Location %q, %v", sub.Location, err)
	}
	// Reached through another host name: path and query decide.
	if _, ok := e.Unsubscribe(c.Operation("Unsubscribe"), Request{URL: mustURL(t, "http://localhost:4010/hooks/unsubscribe")}); !ok {
		t.Fatal("the DELETE on Location did not unsubscribe")
	}
	if n := len(e.Subscriptions()); n != 0 {
		t.Fatalf("%d subscriptions left", n)
	}
}

// TestFireBySubscription: a fire request naming only a subscription fired
// every trigger (a polling item too), and an unknown subscription was a
// plain error (the admin API answered 500).
func TestFireBySubscription(t *testing.T) {
	c := contoso(t)
	e, errs := New(Options{Connector: c, AllowPrivateCallbacks: true, Seed: 7})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	defer e.Close()
	rcv := newReceiver(t)
	sub, err := e.Subscribe(c.Operation("OnOrderShipped"), Request{URL: mustURL(t, base+"/hooks"), BaseURL: base, Body: map[string]any{"callbackUrl": rcv.srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Fire(context.Background(), FireRequest{SubscriptionID: sub.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deliveries) != 1 || res.Deliveries[0].SubscriptionID != sub.ID || len(res.Items) != 0 || len(res.Idle) != 0 {
		t.Errorf("fire by subscription = %+v, want one delivery to %s and nothing else", res, sub.ID)
	}
	for _, fr := range []FireRequest{{SubscriptionID: "nope"}, {OperationID: "OnOrderShipped", SubscriptionID: "nope"}, {OperationID: "OnNewOrder", SubscriptionID: sub.ID}} {
		if _, err := e.Fire(context.Background(), fr); !errors.Is(err, ErrUnknownSubscription) {
			t.Errorf("%+v: err = %v, want ErrUnknownSubscription", fr, err)
		}
	}
}
