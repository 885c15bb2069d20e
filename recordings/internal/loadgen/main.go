// Command loadgen is the load generator and stand-in upstream of
// bench/record.sh. It is a benchmark tool, not part of the product.
//
//	loadgen upstream                  serve a small JSON API on 127.0.0.1, print its URL
//	loadgen proxy -upstream U         a bare httputil.ReverseProxy to U (the peer), print its URL
//	loadgen run -url U -c 32 -d 10s   closed-loop load: c keep-alive clients for d
//	loadgen run ... -rate 2000        open-loop: 2000 requests/s in total, latency from the
//	                                  scheduled send time (no coordinated omission)
//
// run prints one JSON line: requests, ok, errors, rps, p50/p99/max in ms.
// upstream and proxy stop when their standard input closes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen upstream | loadgen run -url URL -c N -d DURATION")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "upstream":
		os.Exit(upstream())
	case "run":
		os.Exit(run(os.Args[2:]))
	case "proxy":
		os.Exit(bareProxy(os.Args[2:]))
	}
	fmt.Fprintln(os.Stderr, "loadgen: unknown mode", os.Args[1])
	os.Exit(2)
}

// upstream answers GET /orders/{id} with a ~400-byte JSON order and
// echoes POST bodies; it stops when stdin closes, so it never outlives
// the script.
func upstream() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Printf("http://%s\n", ln.Addr())
	order := []byte(`{"id":"o-1","customerId":"c-42","status":"open","currency":"EUR","total":129.5,` +
		`"lines":[{"sku":"pen-01","qty":3,"price":1.5},{"sku":"pad-02","qty":10,"price":12.5}],` +
		`"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z","tags":["web","priority"],` +
		`"shipping":{"name":"Contoso Ltd","street":"1 Main St","city":"Redmond","country":"US"}}`)
	go func() { io.Copy(io.Discard, os.Stdin); os.Exit(0) }()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Write(b)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(order)
	})}
	srv.Serve(ln)
	return 0
}

// bareProxy is the peer: httputil.ReverseProxy with the same transport
// settings as the recording proxy, recording nothing.
func bareProxy(args []string) int {
	fs := flag.NewFlagSet("proxy", flag.ExitOnError)
	up := fs.String("upstream", "", "upstream URL")
	fs.Parse(args)
	u, err := url.Parse(*up)
	if err != nil || u.Host == "" {
		fmt.Fprintln(os.Stderr, "loadgen proxy: need -upstream URL")
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Printf("http://%s\n", ln.Addr())
	go func() { io.Copy(io.Discard, os.Stdin); os.Exit(0) }()
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(u) }, Transport: recordings.NewTransport()}
	(&http.Server{Handler: rp}).Serve(ln)
	return 0
}

type result struct {
	Conns    int     `json:"conns"`
	Rate     int     `json:"rate,omitempty"`
	Seconds  float64 `json:"seconds"`
	Requests int64   `json:"requests"`
	OK       int64   `json:"ok"`
	Non2xx   int64   `json:"non2xx"`
	Errors   int64   `json:"errors"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50ms"`
	P99      float64 `json:"p99ms"`
	Max      float64 `json:"maxms"`
}

func run(args []string) int {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	target := fs.String("url", "", "base URL")
	conns := fs.Int("c", 32, "concurrent keep-alive clients")
	dur := fs.Duration("d", 10*time.Second, "duration (at most 2m)")
	rate := fs.Int("rate", 0, "open loop: total requests per second (0: closed loop)")
	fs.Parse(args)
	if *target == "" || *conns < 1 || *dur <= 0 || *dur > 2*time.Minute {
		fmt.Fprintln(os.Stderr, "loadgen run: need -url, -c >= 1 and 0 < -d <= 2m")
		return 2
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var ok, non2xx, errs, seq atomic.Int64
	lat := make([][]time.Duration, *conns)
	deadline := time.Now().Add(*dur)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := make([]time.Duration, 0, 1<<16)
			var every time.Duration
			next := start
			if *rate > 0 {
				every = time.Duration(float64(time.Second) * float64(*conns) / float64(*rate))
				next = start.Add(every * time.Duration(i) / time.Duration(*conns))
			}
			for time.Now().Before(deadline) {
				n := seq.Add(1)
				t0 := time.Now()
				if every > 0 {
					// Latency counts from when the request was due, so a
					// slow server cannot hide its queue by slowing us.
					if d := time.Until(next); d > 0 {
						time.Sleep(d)
					}
					t0 = next
					next = next.Add(every)
				}
				resp, err := client.Get(*target + "/orders/o-" + strconv.FormatInt(n, 10) + "?expand=lines")
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				l = append(l, time.Since(t0))
				if resp.StatusCode/100 == 2 {
					ok.Add(1)
				} else {
					non2xx.Add(1)
				}
			}
			lat[i] = l
		}()
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	q := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(int(p*float64(len(all))), len(all)-1)].Microseconds()) / 1000
	}
	r := result{Conns: *conns, Rate: *rate, Seconds: elapsed, Requests: int64(len(all)) + errs.Load(), OK: ok.Load(), Non2xx: non2xx.Load(), Errors: errs.Load(),
		RPS: float64(len(all)) / elapsed, P50: q(0.50), P99: q(0.99), Max: q(1)}
	json.NewEncoder(os.Stdout).Encode(r)
	return 0
}
