package mock

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/probe"
)

// Throughput targets live here and in bench/mock.sh, never in unit tests.

func benchHandler(b *testing.B, s *Server, req func() *http.Request) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req())
			if rec.Code != 200 {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
	})
}

// BenchmarkGetByID is the sample's GET /v1/orders/{orderId} (a generated
// object of ~15 fields), validation and auth on, through the handler.
func BenchmarkGetByID(b *testing.B) {
	s, err := New(loadSample(b), Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	benchHandler(b, s, func() *http.Request {
		r := httptest.NewRequest("GET", "/v1/orders/"+orderID, nil)
		r.Header.Set("X-API-Key", "k")
		return r
	})
}

// BenchmarkGetByIDHTTP is the same over real HTTP on loopback, keep-alive.
func BenchmarkGetByIDHTTP(b *testing.B) {
	s, err := New(loadSample(b), Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", ts.URL+"/v1/orders/"+orderID, nil)
			req.Header.Set("X-API-Key", "k")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

const largest = "independent-publisher-connectors/HubSpot CRM V2"

// BenchmarkLargeConnector is GET /crm/v3/objects/contacts/{contactId} of
// HubSpot CRM V2 (the largest dev connector: 1.0 MB, 188 operations).
func BenchmarkLargeConnector(b *testing.B) {
	c, err := loadCorpus(b, largest)
	if err != nil {
		b.Skip(err)
	}
	s, err := New(c, Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	pb := probe.New(c, probe.Options{Seed: 1})
	op := c.Operation(c.Operations[0].ID)
	for _, o := range c.Operations {
		if o.Method == "GET" && o.Path == "/crm/v3/objects/contacts/{contactId}" {
			op = o
		}
	}
	pr, err := pb.Build(op)
	if err != nil {
		b.Fatal(err)
	}
	benchHandler(b, s, func() *http.Request {
		r, _ := pr.HTTP(context.Background(), "http://127.0.0.1")
		return r
	})
}

// BenchmarkStartupLargest is load + build + first answer for the largest
// dev connector.
func BenchmarkStartupLargest(b *testing.B) {
	for i := 0; i < b.N; i++ {
		c, err := connector.Load(context.Background(), corpusRoot+"/"+largest)
		if err != nil {
			b.Skip(err)
		}
		s, err := New(c, Options{Seed: 1, DisableAuth: true})
		if err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/crm/v3/objects/contacts/1", nil))
		if rec.Code != 200 {
			b.Fatalf("first answer %d: %s", rec.Code, rec.Body.String())
		}
	}
}
