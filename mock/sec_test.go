package mock

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// countSink counts the exchanges a server emits.
type countSink struct {
	mu sync.Mutex
	xs []*recordings.Exchange
}

func (c *countSink) Record(_ context.Context, x *recordings.Exchange) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.xs = append(c.xs, x)
	return nil
}

func (c *countSink) n() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.xs) }

// TestPreferInformationalCodeRefused (issue 11 item 12): Prefer: code=101
// (any 1xx) used to be honoured: Go's server sent it as an informational
// answer, then a 200 after it, and the exchange was stored twice. Now any
// code outside 200-599, a code that is not a number and an oversized
// example name are refused with a 400 that names the Prefer header, and
// the exchange is stored once.
func TestPreferInformationalCodeRefused(t *testing.T) {
	t.Parallel()
	for _, prefer := range []string{"code=101", "code=100", "code=103", "code=199", "code=99", "code=600", "code=-1", "code=abc", "code=404, example=" + strings.Repeat("x", 300)} {
		t.Run(prefer[:min(len(prefer), 20)], func(t *testing.T) {
			t.Parallel()
			sink := &countSink{}
			_, ts := newSample(t, Options{Seed: 1, DisableAuth: true, Sink: sink})
			a := do(t, "GET", ts.URL+"/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6", "", map[string]string{"Prefer": prefer})
			if a.status != 400 || !strings.Contains(string(a.body), "prefer-invalid") || !strings.Contains(string(a.body), "Prefer") {
				t.Fatalf("Prefer %s: %d %s, want 400 prefer-invalid", prefer, a.status, a.body)
			}
			if n := sink.n(); n != 1 {
				t.Fatalf("Prefer %s: %d exchanges stored, want 1", prefer, n)
			}
		})
	}
	// The control: a final status is still honoured.
	_, ts := newSample(t, Options{Seed: 1, DisableAuth: true})
	if a := do(t, "GET", ts.URL+"/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6", "", map[string]string{"Prefer": "code=404"}); a.status != 404 {
		t.Fatalf("Prefer code=404: %d", a.status)
	}
}
