package recordings_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

var benchBody = []byte(`{"id":"o-1","customerId":"c-42","status":"open","currency":"EUR","total":129.5,"lines":[{"sku":"pen-01","qty":3,"price":1.5},{"sku":"pad-02","qty":10,"price":12.5}],"createdAt":"2026-01-02T03:04:05Z","tags":["web","priority"],"shipping":{"name":"Contoso Ltd","street":"1 Main St","city":"Redmond","country":"US"}}`)

func benchLoad(b *testing.B, h http.Handler) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(benchBody)
	}))
	defer up.Close()
	target := up.URL
	if h != nil {
		px := httptest.NewServer(h)
		defer px.Close()
		target = px.URL
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(target + "/orders/o-" + strconv.FormatInt(n.Add(1), 10))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// BenchmarkProxyOverhead compares the recording proxy (into a sink that
// only counts) with a bare httputil.ReverseProxy and with no proxy.
func BenchmarkProxyOverhead(b *testing.B) {
	b.Run("direct", func(b *testing.B) { benchLoad(b, nil) })
	b.Run("reverseproxy", func(b *testing.B) {
		up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(benchBody)
		}))
		defer up.Close()
		u, _ := url.Parse(up.URL)
		rp := httputil.NewSingleHostReverseProxy(u)
		rp.Transport = recordings.NewTransport()
		px := httptest.NewServer(rp)
		defer px.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		b.SetParallelism(4)
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				resp, err := client.Get(px.URL + "/orders/o-1")
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	})
	b.Run("recording", func(b *testing.B) {
		var cnt atomic.Int64
		sink := recordings.SinkFunc(func(context.Context, *recordings.Exchange) error { cnt.Add(1); return nil })
		var p http.Handler
		up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(benchBody)
		}))
		defer up.Close()
		u, _ := url.Parse(up.URL)
		p, _ = recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: sink})
		px := httptest.NewServer(p)
		defer px.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		b.SetParallelism(4)
		b.ResetTimer()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				resp, err := client.Get(px.URL + "/orders/o-1")
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	})
}

// reportCPU adds a cpu-µs/op metric: steadier than wall time on a shared
// machine.
func reportCPU(b *testing.B) func() {
	t0 := cpuNow()
	return func() { b.ReportMetric(float64((cpuNow()-t0).Microseconds())/float64(b.N), "cpu-µs/op") }
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
