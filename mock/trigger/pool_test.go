package trigger

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestWebhookDeliveryIsBoundedAndConcurrent (issue 11 item 8): deliveries
// ran one after another inside Fire, each with 4 × 10 s attempts, so one
// dead callback held `trigger fire` for 87 s. Now they run on a bounded
// worker pool (never more at once than Workers), one delivery gives up at
// DeliveryTimeout whatever its retries, and an Async fire returns at once
// with queued deliveries that Deliveries reports as they finish.
func TestWebhookDeliveryIsBoundedAndConcurrent(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int32
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
		inFlight.Add(-1)
	}))
	defer slow.Close()
	stop := make(chan struct{})
	dead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-time.After(10 * time.Second):
		}
	}))
	defer dead.Close()
	defer close(stop)
	c := contoso(t)
	op := c.Operation("OnOrderShipped")

	e, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, Workers: 4})
	defer e.Close()
	for range 16 {
		if _, err := e.Subscribe(op, Request{BaseURL: base, Body: map[string]any{"callbackUrl": slow.URL + "/cb"}}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	res, err := e.Fire(context.Background(), FireRequest{OperationID: "OnOrderShipped"})
	took := time.Since(start)
	if err != nil || len(res.Deliveries) != 16 {
		t.Fatalf("fire: %v %d deliveries", err, len(res.Deliveries))
	}
	for _, d := range res.Deliveries {
		if !d.OK() || d.State != StateDelivered || d.ID == "" {
			t.Fatalf("delivery %+v", d)
		}
	}
	t.Logf("16 deliveries of 200 ms on 4 workers: %v, peak %d at once", took, peak.Load())
	if p := peak.Load(); p > 4 || p < 2 {
		t.Fatalf("peak concurrency %d, want 2-4 (bounded, not serial)", p)
	}
	if took > 3200*time.Millisecond { // serial: 16 × 200 ms = 3.2 s
		t.Fatalf("16 deliveries took %v: not concurrent", took)
	}

	e2, _ := New(Options{Connector: c, AllowPrivateCallbacks: true, DeliveryTimeout: 300 * time.Millisecond,
		Retry: Retry{Attempts: 4, Timeout: 10 * time.Second, Initial: 50 * time.Millisecond}})
	defer e2.Close()
	if _, err := e2.Subscribe(op, Request{BaseURL: base, Body: map[string]any{"callbackUrl": dead.URL + "/cb"}}); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	res, _ = e2.Fire(context.Background(), FireRequest{OperationID: "OnOrderShipped", Async: true})
	if time.Since(start) > 100*time.Millisecond || len(res.Deliveries) != 1 || res.Deliveries[0].State != StateQueued {
		t.Fatalf("async fire: %v %+v", time.Since(start), res.Deliveries)
	}
	e2.Wait()
	took = time.Since(start)
	ds := e2.Deliveries()
	t.Logf("a dead callback with 4 × 10 s attempts: given up after %v: %+v", took, ds)
	if len(ds) != 1 || ds[0].State != StateFailed || ds[0].Error == "" || took > 2*time.Second {
		t.Fatalf("dead callback: after %v, %+v", took, ds)
	}
}

// TestCallbackGuardOnDial: a callback name that resolves to a private
// address (DNS rebinding, a name in /etc/hosts) is refused when dialled,
// after the subscribe-time check let the name through; the delivery is not
// retried.
func TestCallbackGuardOnDial(t *testing.T) {
	t.Parallel()
	e, _ := New(Options{Connector: contoso(t)})
	defer e.Close()
	for _, a := range []string{"127.0.0.1:80", "10.1.2.3:443", "[::1]:8080", "169.254.169.254:80", "0.0.0.0:80", "192.168.0.1:80"} {
		if err := e.dialControl("tcp", a, nil); err == nil {
			t.Errorf("dial %s allowed", a)
		}
	}
	if err := e.dialControl("tcp", "93.184.216.34:443", nil); err != nil {
		t.Errorf("a public address refused: %v", err)
	}
	// Through the client: a loopback receiver behind a name.
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer recv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(recv.URL, "http://"))
	status, _, err := e.attempt(context.Background(), e.webhooks["OnOrderShipped"].op, "http://localhost:"+port+"/cb", []byte("{}"), 1, "s")
	if err == nil || !errors.Is(err, ErrCallbackRefused) || status != 0 {
		t.Fatalf("dial to a loopback name: %d %v", status, err)
	}
}

// TestFireCountIsCapped (beyond the list): `trigger fire --count
// 1000000000` made a billion polling items (or deliveries) inside one
// request, holding the engine for minutes; a count over MaxFireCount is
// now refused at once.
func TestFireCountIsCapped(t *testing.T) {
	t.Parallel()
	e, _ := New(Options{Connector: contoso(t)})
	defer e.Close()
	start := time.Now()
	for _, op := range []string{"", "OnOrderShipped"} {
		_, err := e.Fire(context.Background(), FireRequest{OperationID: op, Count: 1_000_000_000})
		if !errors.Is(err, ErrBadFire) {
			t.Fatalf("fire %q count 1e9: %v", op, err)
		}
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("refusing took %v", took)
	}
}

// TestPollingItemsBoundedInBytes (issue 11 item 7): each --stateful create
// feeds a polling trigger the created resource; 10,000 kept items of 1 MiB
// were 10 GB. The items of one polling trigger are now bounded in JSON
// bytes too, the oldest going first, the newest always kept.
func TestPollingItemsBoundedInBytes(t *testing.T) {
	t.Parallel()
	e, _ := New(Options{Connector: contoso(t), MaxItemBytes: 4 << 20})
	defer e.Close()
	var p *poller
	for _, x := range e.polls {
		p = x
	}
	big := map[string]any{"notes": strings.Repeat("n", 1<<20)}
	for range 20 {
		p.add(big)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bytes > 4<<20 || len(p.items) == 0 || len(p.items) > 4 || p.items[len(p.items)-1].seq != p.head {
		t.Fatalf("%d items of %d bytes kept (head %d)", len(p.items), p.bytes, p.head)
	}
}
