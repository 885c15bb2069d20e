package mock

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Faults make the mock behave like a struggling API. Zero values are off.
type Faults struct {
	// Latency delays every answer; with LatencyMax above it the delay is
	// uniform in [Latency, LatencyMax].
	Latency    time.Duration `json:"latency,omitempty"`
	LatencyMax time.Duration `json:"latencyMax,omitempty"`
	// ErrorRate (0–1) answers that share of requests with ErrorStatus
	// (default 500) and a problem+json body.
	ErrorRate   float64 `json:"errorRate,omitempty"`
	ErrorStatus int     `json:"errorStatus,omitempty"`
	// ResetRate (0–1) drops that share of connections without an answer.
	ResetRate float64 `json:"resetRate,omitempty"`
	// Throttle answers 429 with Retry-After once more than Throttle
	// requests arrive within Window (default one minute).
	Throttle int           `json:"throttle,omitempty"`
	Window   time.Duration `json:"window,omitempty"`
	// Operations override the server-wide faults per operationId.
	Operations map[string]Faults `json:"operations,omitempty"`
}

func (f Faults) zero() bool {
	return f.Latency == 0 && f.LatencyMax == 0 && f.ErrorRate == 0 && f.ResetRate == 0 && f.Throttle == 0
}

type faultInjector struct {
	f  Faults
	mu sync.Mutex
	x  uint64 // xorshift state: faults are reproducible per seed
	// windows counts requests per throttle key.
	windows map[string]*window
	sleep   func(ctx context.Context, d time.Duration) error
	now     func() time.Time
}

type window struct {
	start time.Time
	n     int
}

func newFaultInjector(f Faults, seed uint64) *faultInjector {
	return &faultInjector{f: f, x: seed*0x9e3779b97f4a7c15 | 1, windows: map[string]*window{}, sleep: sleepCtx, now: time.Now}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (fi *faultInjector) rand() float64 {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.x ^= fi.x << 13
	fi.x ^= fi.x >> 7
	fi.x ^= fi.x << 17
	return float64(fi.x>>11) / float64(1<<53)
}

// apply runs the faults for c: a reply to send instead of the answer, or
// reset=true to drop the connection.
func (fi *faultInjector) apply(ctx context.Context, c *Call) (rep *Reply, reset bool) {
	f, key := fi.f, "*"
	if o, ok := fi.f.Operations[c.Operation.ID]; ok {
		f, key = o, c.Operation.ID
	}
	if f.zero() {
		return nil, false
	}
	if f.Throttle > 0 {
		win := f.Window
		if win <= 0 {
			win = time.Minute
		}
		now := fi.now()
		fi.mu.Lock()
		w := fi.windows[key]
		if w == nil || now.Sub(w.start) >= win {
			w = &window{start: now}
			fi.windows[key] = w
		}
		w.n++
		over, left := w.n > f.Throttle, win-now.Sub(w.start)
		fi.mu.Unlock()
		if over {
			secs := int(math.Ceil(left.Seconds()))
			c.Note("fault-throttled", "info", "", fmt.Sprintf("more than %d requests within %s", f.Throttle, win))
			rep := problemReply(http.StatusTooManyRequests, "throttled", "Too many requests",
				fmt.Sprintf("the mock allows %d requests per %s; retry after %d s", f.Throttle, win, secs), nil)
			rep.Header.Set("Retry-After", strconv.Itoa(max(secs, 1)))
			return rep, false
		}
	}
	if d := f.Latency; d > 0 || f.LatencyMax > 0 {
		if f.LatencyMax > d {
			d += time.Duration(fi.rand() * float64(f.LatencyMax-d))
		}
		c.Note("fault-latency", "info", "", "delayed "+d.String())
		if err := fi.sleep(ctx, d); err != nil {
			return nil, true
		}
	}
	if f.ResetRate > 0 && fi.rand() < f.ResetRate {
		c.Note("fault-reset", "info", "", "connection reset injected")
		return nil, true
	}
	if f.ErrorRate > 0 && fi.rand() < f.ErrorRate {
		st := f.ErrorStatus
		if st == 0 {
			st = http.StatusInternalServerError
		}
		c.Note("fault-error", "info", "", fmt.Sprintf("error %d injected", st))
		return problemReply(st, "fault-injected", http.StatusText(st), "error injected by the mock's fault settings", nil), false
	}
	return nil, false
}
