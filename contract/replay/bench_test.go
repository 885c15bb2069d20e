package replay_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// benchN is the size of the replayed suite the speed target is about.
const benchN = 10000

// benchSetup records one exchange per operation of a real connector (Alvao,
// 28 operations with large shared schemas) from its mock, repeats them to
// benchN exchanges and serves the same definition's mock as the target.
func benchSetup(b *testing.B) (*connector.Connector, []*recordings.Exchange, *url.URL, func()) {
	b.Helper()
	c, err := connector.Load(context.Background(), filepath.Join(pairsDir, "08-Alvao", "new.swagger.json"))
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var recorded []*recordings.Exchange
	srv, err := mock.New(c, mock.Options{Seed: 1, DisableAuth: true, Sink: recordings.SinkFunc(func(_ context.Context, x *recordings.Exchange) error {
		mu.Lock()
		recorded = append(recorded, x)
		mu.Unlock()
		return nil
	})})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	pb := probe.New(c, probe.Options{Seed: 1})
	for _, op := range c.Operations {
		req, err := pb.Build(op)
		if err != nil {
			continue
		}
		hr, _ := req.HTTP(context.Background(), hs.URL)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if len(recorded) == 0 {
		b.Fatal("nothing recorded")
	}
	xs := make([]*recordings.Exchange, benchN)
	for i := range xs {
		x := *recorded[i%len(recorded)]
		x.ID = int64(i + 1)
		xs[i] = &x
	}
	target, _ := url.Parse(hs.URL)
	return c, xs, target, func() { hs.Close(); srv.Close() }
}

// BenchmarkReplay10k replays and checks (conformance + drift) 10,000
// recorded exchanges against a local mock, 4 in flight.
func BenchmarkReplay10k(b *testing.B) {
	c, xs, target, done := benchSetup(b)
	defer done()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := replay.New(c, replay.Options{Target: target, Concurrency: 4, KeepBody: -1}).Run(context.Background(), "bench", xs)
		if err != nil {
			b.Fatal(err)
		}
		for _, cs := range res.Suite.Cases {
			if cs.Error != "" {
				b.Fatal(cs.Error)
			}
		}
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
}

// BenchmarkSendOnly10k is the floor: the same 10,000 requests sent and read
// by 4 goroutines with no checks at all.
func BenchmarkSendOnly10k(b *testing.B) {
	_, xs, target, done := benchSetup(b)
	defer done()
	client := &http.Client{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		jobs := make(chan *recordings.Exchange)
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for x := range jobs {
					u, _ := url.Parse(x.Request.URL)
					req, _ := http.NewRequest(x.Request.Method, target.String()+u.RequestURI(), bytesReader(x.Request.Body))
					for k, v := range x.Request.Header {
						req.Header[k] = v
					}
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
		}
		for _, x := range xs {
			jobs <- x
		}
		close(jobs)
		wg.Wait()
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
}

// BenchmarkConformCheck10k checks 10,000 recorded responses against the
// definition with our shape-based checker ...
func BenchmarkConformCheck10k(b *testing.B) {
	c, xs, _, done := benchSetup(b)
	defer done()
	k := conform.New(c, conform.Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, x := range xs {
			op := c.Operation(x.OperationID)
			if op == nil {
				continue
			}
			k.Check(op, conform.Response{Status: x.Response.Status, Header: x.Response.Header, Body: x.Response.Body})
		}
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

// ... and BenchmarkKinVisitJSON10k with kin-openapi's Schema.VisitJSON,
// the validator oasdiff and most Go tools use (the peer), on the same
// bodies: decode + validate, multi-error mode.
func BenchmarkKinVisitJSON10k(b *testing.B) {
	c, xs, _, done := benchSetup(b)
	defer done()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, x := range xs {
			op := c.Operation(x.OperationID)
			if op == nil {
				continue
			}
			_, resp := conform.ResponseFor(op.Op, x.Response.Status)
			_, ref := conform.BodySchema(resp)
			if ref == nil || ref.Value == nil || len(x.Response.Body) == 0 {
				continue
			}
			var v any
			if json.Unmarshal(x.Response.Body, &v) != nil {
				continue
			}
			_ = ref.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.DisablePatternValidation())
		}
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

func bytesReader(b []byte) io.Reader {
	if len(b) == 0 {
		return nil
	}
	return &byteReader{b: b}
}

type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}
