package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/trigger"
)

// Power Platform behaviour benchmarks (docs/PERFORMANCE.md, "Power Platform
// behaviours"). Each has a "peer" run in the same benchmark: the same
// request with the behaviours off (plain simulation), or for deliveries a
// bare net/http POST of the same payload to the same receiver — what the
// behaviour costs on top of what the mock or a client pays anyway.

func contosoB(b *testing.B) *connector.Connector {
	b.Helper()
	c, err := connector.Load(context.Background(), filepath.Join("..", "examples", "contoso-orders"))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// ppBenchPair runs req against the mock with behaviours on and off.
func ppBenchPair(b *testing.B, o Options, want int, req func() *http.Request) {
	c := contosoB(b)
	for _, tc := range []struct {
		name string
		off  bool
	}{{"behaviours", false}, {"peer-simulation", true}} {
		b.Run(tc.name, func(b *testing.B) {
			oo := o
			oo.DisableBehaviours = tc.off
			s, err := New(c, oo)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req())
				if rec.Code != want && !(tc.off && rec.Code/100 == 2) {
					b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}

// BenchmarkPPLookup: a dynamic-values lookup (GET /v1/customers) shaped
// into the designer's list.
func BenchmarkPPLookup(b *testing.B) {
	ppBenchPair(b, Options{Seed: 1, DisableAuth: true}, 200, func() *http.Request {
		return httptest.NewRequest("GET", "/v1/ordertypes", nil)
	})
}

// BenchmarkPPDependentStrict: a dependent whose path parameter comes from
// a lookup, checked with --strict-dynamic, and whose body is validated
// against the dynamic schema the lookup resolves.
func BenchmarkPPDependentStrict(b *testing.B) {
	c := contosoB(b)
	s, err := New(c, Options{Seed: 1, DisableAuth: true})
	if err != nil {
		b.Fatal(err)
	}
	// The designer's pick: a value the lookup returns, and a body of the
	// schema it resolves.
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/ordertypes", nil))
	var types struct {
		Value []struct {
			Name string `json:"name"`
		} `json:"value"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &types); err != nil || len(types.Value) == 0 {
		b.Fatalf("lookup: %v %s", err, rec.Body.String())
	}
	name := types.Value[0].Name
	s.Close()
	ppBenchPair(b, Options{Seed: 1, DisableAuth: true, PowerPlatform: PowerPlatformOptions{StrictDynamic: true}}, 201, func() *http.Request {
		r := httptest.NewRequest("POST", "/v1/ordertypes/"+url.PathEscape(name)+"/orders", bytes.NewReader([]byte(`{"title":"A","quantity":2}`)))
		r.Header.Set("Content-Type", "application/json")
		return r
	})
}

// BenchmarkPPPoll: a polling trigger poll with no new data (202, Location,
// Retry-After) against the same request simulated.
func BenchmarkPPPoll(b *testing.B) {
	var next string
	ppBenchPair(b, Options{Seed: 1, DisableAuth: true}, 202, func() *http.Request {
		if next == "" {
			// Past the seeded items: every poll finds nothing new.
			next = "/v1/trigger/orders?triggerstate=" + strconv.Itoa(trigger.InitialItems)
		}
		return httptest.NewRequest("GET", next, nil)
	})
}

// BenchmarkPPWebhookDelivery: one event fired to a subscribed callback on
// 127.0.0.1 (payload generated from x-ms-notification-content, posted,
// answered, recorded) against a bare net/http POST of a payload of the
// same shape to the same receiver.
func BenchmarkPPWebhookDelivery(b *testing.B) {
	c := contosoB(b)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer rcv.Close()
	e, _ := trigger.New(trigger.Options{Connector: c, Seed: 1, Retry: trigger.Retry{Attempts: 1, Timeout: 5 * time.Second}})
	defer e.Close()
	op := c.Operation("OnOrderShipped")
	if _, err := e.Subscribe(op, trigger.Request{BaseURL: "http://127.0.0.1/v1", Body: map[string]any{"callbackUrl": rcv.URL + "/cb"}}); err != nil {
		b.Fatal(err)
	}
	res, err := e.Fire(context.Background(), trigger.FireRequest{OperationID: op.ID})
	if err != nil || len(res.Deliveries) != 1 {
		b.Fatalf("fire: %v %+v", err, res)
	}
	payload, _ := json.Marshal(res.Deliveries[0].Payload)
	b.Run("behaviours", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			res, err := e.Fire(context.Background(), trigger.FireRequest{OperationID: op.ID})
			if err != nil || len(res.Deliveries) != 1 || !res.Deliveries[0].OK() {
				b.Fatalf("fire: %v %+v", err, res)
			}
		}
	})
	b.Run("peer-net-http-post", func(b *testing.B) {
		client := &http.Client{Timeout: 5 * time.Second}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			resp, err := client.Post(rcv.URL+"/cb", "application/json", bytes.NewReader(payload))
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
