package sqlite_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

var benchOrder = []byte(`{"id":"o-1","customerId":"c-42","status":"open","currency":"EUR","total":129.5,` +
	`"lines":[{"sku":"pen-01","qty":3,"price":1.5},{"sku":"pad-02","qty":10,"price":12.5}],` +
	`"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z","tags":["web","priority"],` +
	`"shipping":{"name":"Contoso Ltd","street":"1 Main St","city":"Redmond","country":"US"}}`)

func benchUpstream(b *testing.B) *httptest.Server {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(benchOrder)
	}))
	b.Cleanup(up.Close)
	return up
}

func hammer(b *testing.B, base string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op") }()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(base + "/orders/o-" + strconv.FormatInt(n.Add(1), 10) + "?expand=lines")
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// cpuTime is the process's user+system CPU time: on a shared machine the
// CPU cost per request is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDirect is the peer of BenchmarkProxyRecord: the same load
// straight to the upstream.
func BenchmarkDirect(b *testing.B) { hammer(b, benchUpstream(b).URL) }

// BenchmarkProxyRecord sends requests through the recording proxy into a
// real SQLite file (redaction, body capture, group commit).
func BenchmarkProxyRecord(b *testing.B) {
	up := benchUpstream(b)
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	sess := &recordings.Session{Name: "bench"}
	s.CreateSession(context.Background(), sess)
	u, _ := url.Parse(up.URL)
	p, _ := recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: s, SessionID: sess.ID})
	px := httptest.NewServer(p)
	b.Cleanup(px.Close)
	hammer(b, px.URL)
}

// BenchmarkRecord is the store alone: exchanges per second through
// Record from 32 goroutines.
func BenchmarkRecord(b *testing.B) { benchRecord(b, sqlite.Options{}) }

// BenchmarkRecordSpool: the same with the spool (connectorlab record's
// setting); cpu-µs/op includes the background inserts, done before Close.
func BenchmarkRecordSpool(b *testing.B) { benchRecord(b, sqlite.Options{Spool: true}) }

func benchRecord(b *testing.B, o sqlite.Options) {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), o)
	if err != nil {
		b.Fatal(err)
	}
	sess := &recordings.Session{Name: "bench"}
	s.CreateSession(context.Background(), sess)
	b.SetParallelism(16)
	cpu0 := cpuTime()
	b.ResetTimer()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			x := exchange(sess.ID, int(n.Add(1)))
			x.Response.Body = benchOrder
			if err := s.Record(context.Background(), x); err != nil {
				b.Error(err)
				return
			}
		}
	})
	s.Close() // waits for what is still being inserted
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}
