package trigger

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Defaults of the delivery pool.
const (
	DefaultWorkers         = 8
	DefaultQueue           = 1000
	DefaultDeliveryTimeout = 30 * time.Second
	// keptDeliveries is how many finished deliveries Deliveries lists.
	keptDeliveries = 500
	// MaxFireCount caps FireRequest.Count.
	MaxFireCount = 1000
)

// Delivery states.
const (
	StateQueued    = "queued"
	StateRunning   = "running"
	StateDelivered = "delivered"
	StateFailed    = "failed"
)

type job struct {
	w       *webhook
	subID   string
	payload any
	d       *Delivery // the log's entry (no payload: the log must stay small)
	res     Delivery  // the full outcome, payload included, once done closes
	done    chan struct{}
}

// enqueue registers a delivery of one event to subID and hands it to the
// bounded worker pool; done closes when it has finished. A full queue
// fails the delivery at once (and says so) instead of growing.
func (e *Engine) enqueue(w *webhook, subID string, payload any) *job {
	done := make(chan struct{})
	e.qmu.Lock()
	defer e.qmu.Unlock()
	e.dseq++
	d := &Delivery{ID: "d" + strconv.FormatUint(e.dseq, 10), OperationID: w.op.ID, SubscriptionID: subID, State: StateQueued, QueuedAt: e.now().UTC()}
	e.mu.Lock()
	if s := e.subs[subID]; s != nil {
		d.CallbackURL = s.CallbackURL
	}
	e.mu.Unlock()
	e.remember(d)
	j := &job{w: w, subID: subID, payload: payload, d: d, done: done}
	if len(e.queue) >= e.queueCap {
		d.State, d.Error = StateFailed, fmt.Sprintf("not delivered: %d deliveries are already waiting (the queue's cap); fire fewer events or wait for them", len(e.queue))
		j.res = *d
		close(done)
		return j
	}
	e.pending.Add(1)
	e.queue = append(e.queue, j)
	if e.workers < e.maxWorkers {
		e.workers++
		go e.work()
	}
	return j
}

// work runs queued deliveries until the queue is empty.
func (e *Engine) work() {
	for {
		e.qmu.Lock()
		if len(e.queue) == 0 {
			e.workers--
			e.qmu.Unlock()
			return
		}
		j := e.queue[0]
		e.queue[0] = nil
		e.queue = e.queue[1:]
		j.d.State = StateRunning
		e.qmu.Unlock()
		ctx, cancel := context.WithTimeout(e.ctx, e.deliveryTimeout)
		res := e.deliver(ctx, j.w, j.subID, j.payload)
		cancel()
		res.ID, res.QueuedAt, res.State = j.d.ID, j.d.QueuedAt, StateDelivered
		if !res.OK() {
			res.State = StateFailed
		}
		e.qmu.Lock()
		j.res = res
		*j.d = res
		j.d.Payload = nil
		e.qmu.Unlock()
		close(j.done)
		e.pending.Done()
	}
}

// remember keeps d in the delivery log, dropping the oldest past the cap.
func (e *Engine) remember(d *Delivery) {
	e.dlog = append(e.dlog, d)
	if over := len(e.dlog) - keptDeliveries; over > 0 {
		e.dlog = append(e.dlog[:0:0], e.dlog[over:]...)
	}
}

// Deliveries lists the recent deliveries (the last 500), oldest first,
// each with its state, attempts and result.
func (e *Engine) Deliveries() []Delivery {
	e.qmu.Lock()
	defer e.qmu.Unlock()
	out := make([]Delivery, len(e.dlog))
	for i, d := range e.dlog {
		out[i] = *d
	}
	return out
}

// outcome is what Fire reports for j: the full result once it is done,
// else where it stands.
func (e *Engine) outcome(j *job) Delivery {
	select {
	case <-j.done:
		return j.res
	default:
	}
	e.qmu.Lock()
	defer e.qmu.Unlock()
	return *j.d
}
