package recordings_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

var benchOrderBody = []byte(`{"id":"o-1","customerId":"c-42","status":"open","currency":"EUR","total":129.5,` +
	`"lines":[{"sku":"pen-01","qty":3,"price":1.5},{"sku":"pad-02","qty":10,"price":12.5}],` +
	`"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z","tags":["web","priority"],` +
	`"shipping":{"name":"Contoso Ltd","street":"1 Main St","city":"Redmond","country":"US"}}`)

// benchExchange is what bench/record.sh records on the sample connector:
// an API-key header the proxy added (a configured secret) and a JSON order
// without a secret field.
func benchExchange() *recordings.Exchange {
	return &recordings.Exchange{
		SessionID: 1, Source: recordings.SourceProxy, Connector: "Contoso Orders", OperationID: "GetOrder", StartedAt: time.Unix(1, 0),
		Request: recordings.Request{Method: http.MethodGet, URL: "http://127.0.0.1:4020/v1/orders/o-17?expand=lines",
			Message: recordings.Message{Header: http.Header{"User-Agent": {"Go-http-client/1.1"}, "Api-Key": {"bench-key"}, "Accept-Encoding": {"gzip"}}}},
		Response: recordings.Response{Status: 200, Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/json"}, "Date": {"Mon, 07 Dec 2026 01:00:00 GMT"}, "Content-Length": {"400"}},
			Body:   append([]byte(nil), benchOrderBody...)}},
		Notes: []recordings.Note{{ID: "forwarded", Level: "info", Message: "forwarded to GET http://127.0.0.1:1/v1/orders/o-17"}},
	}
}

// BenchmarkRedact is the redaction of one recorded exchange with the
// store's default rules and the connection's secret (issue 17: it was a
// fifth of the recording proxy's CPU).
func BenchmarkRedact(b *testing.B) {
	for _, c := range []struct {
		name    string
		secrets []string
		mutate  func(x *recordings.Exchange)
	}{
		{"configured-secret", []string{"bench-key"}, nil},
		{"no-secret", nil, nil},
		{"client-bearer", []string{"bench-key"}, func(x *recordings.Exchange) {
			x.Request.Header.Set("Authorization", "Bearer abcdefghijklmnop")
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := recordings.NewRedactor([]byte("0123456789abcdef0123456789abcdef"), recordings.DefaultRules(), recordings.Rules{Secrets: c.secrets})
			xs := make([]*recordings.Exchange, b.N)
			for i := range xs {
				xs[i] = benchExchange()
				if c.mutate != nil {
					c.mutate(xs[i])
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				r.Redact(xs[i])
			}
		})
	}
}

// benchRecorderExchange is the exchange bench/record.sh drives through the
// recorder (issue 17): GET /orders/o-123?expand=lines with the headers Go's
// http client and the proxy send, a 200 application/json order (the body
// of recordings/internal/loadgen), nothing secret in it.
func benchRecorderExchange() *recordings.Exchange {
	return &recordings.Exchange{
		SessionID: 1, Source: recordings.SourceProxy, Connector: "Contoso Orders", OperationID: "GetOrder", StartedAt: time.Unix(1, 0),
		Request: recordings.Request{Method: http.MethodGet, URL: "http://127.0.0.1:4020/orders/o-123?expand=lines",
			Message: recordings.Message{Header: http.Header{
				"User-Agent": {"Go-http-client/1.1"}, "Accept-Encoding": {"gzip"},
				"X-Forwarded-For": {"127.0.0.1"}, "X-Forwarded-Host": {"127.0.0.1:4021"}, "X-Forwarded-Proto": {"http"},
			}}},
		Response: recordings.Response{Status: 200, Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/json"}, "Date": {"Mon, 07 Dec 2026 01:00:00 GMT"}, "Content-Length": {"420"}},
			Body:   append([]byte(nil), benchOrderBody...)}},
	}
}

// BenchmarkRedactBenchExchange is the redaction of the recorder's common
// exchange with the default rules (issue 17: 3.4 µs of its CPU per request).
func BenchmarkRedactBenchExchange(b *testing.B) {
	r := recordings.NewRedactor([]byte("0123456789abcdef0123456789abcdef"), recordings.DefaultRules())
	xs := make([]*recordings.Exchange, b.N)
	for i := range xs {
		xs[i] = benchRecorderExchange()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r.Redact(xs[i])
	}
	b.StopTimer()
	if len(xs) > 0 && len(xs[0].Redactions) != 0 {
		b.Fatalf("redactions %v, want none (nothing in the exchange is secret)", xs[0].Redactions)
	}
}
