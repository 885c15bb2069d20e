package trigger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// FireRequest asks for events. OperationID "" fires every trigger.
type FireRequest struct {
	OperationID string `json:"operationId,omitempty"`
	// SubscriptionID limits a webhook event to one subscription.
	SubscriptionID string `json:"subscriptionId,omitempty"`
	// Payload replaces the generated payload (webhook) or item (polling).
	Payload json.RawMessage `json:"payload,omitempty"`
	// Count is the number of events; 0 means 1, at most MaxFireCount.
	Count int `json:"count,omitempty"`
	// Async returns as soon as the deliveries are queued, each with its
	// ID and state "queued"; Deliveries reports how they went. Otherwise
	// Fire waits for them (bounded by the per-delivery timeout).
	Async bool `json:"async,omitempty"`
}

// FireResult says what happened.
type FireResult struct {
	Deliveries []Delivery `json:"deliveries,omitempty"`
	// Items counts new polling-trigger items, by operation ID.
	Items map[string]int `json:"items,omitempty"`
	// Idle lists webhook triggers that had no subscription to deliver to.
	Idle []string `json:"idle,omitempty"`
}

// Delivery is the outcome of one event posted to one callback.
type Delivery struct {
	// ID names the delivery in Deliveries ("d1", "d2", ...).
	ID string `json:"id,omitempty"`
	// State is queued, running, delivered or failed.
	State          string    `json:"state,omitempty"`
	QueuedAt       time.Time `json:"queuedAt,omitzero"`
	OperationID    string    `json:"operationId"`
	SubscriptionID string    `json:"subscriptionId"`
	CallbackURL    string    `json:"callbackUrl"`
	Attempts       int       `json:"attempts"`
	Status         int       `json:"status,omitempty"`
	Error          string    `json:"error,omitempty"`
	Payload        any       `json:"payload,omitempty"`
}

// OK reports whether the callback accepted the event.
func (d Delivery) OK() bool { return d.Error == "" && d.Status >= 200 && d.Status < 300 }

// ErrBadFire: a fire request the engine cannot honour.
var ErrBadFire = errors.New("bad fire request")

// Fire makes events now and, unless fr.Async, waits for their deliveries.
func (e *Engine) Fire(ctx context.Context, fr FireRequest) (FireResult, error) {
	var res FireResult
	ids := e.order
	if fr.OperationID != "" {
		id, err := e.resolve(fr.OperationID)
		if err != nil {
			return res, err
		}
		ids = []string{id}
	}
	if fr.SubscriptionID != "" {
		// A subscription belongs to one webhook trigger: fire that one only
		// (without this, a request naming just the subscription fired every
		// trigger, polling ones included).
		owner := ""
		for _, s := range e.Subscriptions() {
			if s.ID == fr.SubscriptionID {
				owner = s.OperationID
			}
		}
		if owner == "" || fr.OperationID != "" && owner != ids[0] {
			what := e.c.Name
			if fr.OperationID != "" {
				what = ids[0]
			}
			return res, fmt.Errorf("%w %q for %s", ErrUnknownSubscription, fr.SubscriptionID, what)
		}
		ids = []string{owner}
	}
	n := fr.Count
	if n <= 0 {
		n = 1
	}
	if n > MaxFireCount {
		return res, fmt.Errorf("%w: count %d is over the cap of %d events per request", ErrBadFire, n, MaxFireCount)
	}
	var payload any
	if len(fr.Payload) > 0 {
		if err := json.Unmarshal(fr.Payload, &payload); err != nil {
			return res, fmt.Errorf("payload is not JSON: %w", err)
		}
	}
	var queued []*job
	for _, id := range ids {
		if p := e.polls[id]; p != nil {
			for i := 0; i < n; i++ {
				p.add(payload)
			}
			if res.Items == nil {
				res.Items = map[string]int{}
			}
			res.Items[id] += n
			continue
		}
		subs := e.subsFor(id, fr.SubscriptionID)
		if len(subs) == 0 {
			res.Idle = append(res.Idle, id)
			continue
		}
		for i := 0; i < n; i++ {
			for _, s := range subs {
				queued = append(queued, e.enqueue(e.webhooks[id], s, payload))
			}
		}
	}
	if !fr.Async {
		for _, j := range queued {
			select {
			case <-j.done:
			case <-ctx.Done():
			}
		}
	}
	for _, j := range queued {
		res.Deliveries = append(res.Deliveries, e.outcome(j))
	}
	return res, nil
}

func (e *Engine) subsFor(opID, subID string) []string {
	var out []string
	for _, s := range e.Subscriptions() {
		if s.OperationID == opID && (subID == "" || s.ID == subID) {
			out = append(out, s.ID)
		}
	}
	return out
}

// Run fires every trigger each interval until ctx ends or Close is called.
// Deliveries run in the background so a slow callback does not delay the
// schedule.
func (e *Engine) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.ctx.Done():
			return
		case <-t.C:
			e.fireAsync(nil, nil)
		}
	}
}

// fireAsync fires every trigger (or those in only) in the background.
func (e *Engine) fireAsync(only map[string]bool, payloads map[string]any) {
	for _, id := range e.order {
		if only != nil && !only[id] {
			continue
		}
		if p := e.polls[id]; p != nil {
			p.add(payloads[id])
			continue
		}
		for _, sid := range e.subsFor(id, "") {
			e.enqueue(e.webhooks[id], sid, payloads[id])
		}
	}
}

// OnCreate tells the engine that a stateful create stored resource through
// createOp. Triggers that report such creations get an event: polling
// triggers a new item, webhook subscriptions a delivery (in the background).
// It returns the IDs of the triggers that matched.
func (e *Engine) OnCreate(createOp *connector.Operation, resource any) []string {
	if createOp == nil || createOp.Trigger != nil || (createOp.Method != http.MethodPost && createOp.Method != http.MethodPut) {
		return nil
	}
	_, created := successResponse(createOp)
	only := map[string]bool{}
	payloads := map[string]any{}
	var out []string
	for _, id := range e.order {
		item, top := e.itemSchema(id)
		ok := false
		switch {
		case created != nil && item != nil && created.Value != nil && created.Value == item.Value:
			ok = true
			if top {
				payloads[id] = resource
			}
		case createsSameThing(createOp, e.opOf(id)):
			ok = true
		}
		if ok {
			only[id] = true
			out = append(out, id)
		}
	}
	if len(out) > 0 {
		e.fireAsync(only, payloads)
	}
	return out
}

func (e *Engine) opOf(id string) *connector.Operation {
	if w := e.webhooks[id]; w != nil {
		return w.op
	}
	return e.polls[id].op
}

// itemSchema is the schema one event carries: the polling item or the
// webhook payload. top says the resource can be the whole event.
func (e *Engine) itemSchema(id string) (s *openapi3.SchemaRef, top bool) {
	if w := e.webhooks[id]; w != nil {
		return w.payload, true
	}
	p := e.polls[id]
	return p.item, true
}

// deliver posts one event to one subscription, retrying as configured.
func (e *Engine) deliver(ctx context.Context, w *webhook, subID string, payload any) Delivery {
	e.mu.Lock()
	s := e.subs[subID]
	if s == nil {
		e.mu.Unlock()
		return Delivery{OperationID: w.op.ID, SubscriptionID: subID, Error: "subscription removed"}
	}
	s.events++
	seq := s.events
	cb := s.CallbackURL
	params := s.Params
	e.mu.Unlock()
	if payload == nil {
		payload = e.gen.Generate(w.payload, fake.Seed(e.seed, "event", w.op.ID, subID, strconv.Itoa(seq)), "")
		// The event is one the subscriber asked for: its event type and filter values.
		payload = fake.Honour(payload, w.payload, params, seq-1)
	}
	body, _ := json.Marshal(payload)
	d := Delivery{OperationID: w.op.ID, SubscriptionID: subID, CallbackURL: cb, Payload: payload}
	if err := e.checkCallback(cb); err != nil {
		// Retrying cannot help a URL that is refused.
		d.Attempts, d.Error = 1, err.Error()
		e.record(&recordings.Exchange{Source: recordings.SourceEvent, Connector: e.c.Name, OperationID: w.op.ID, StartedAt: e.now(),
			Request: recordings.Request{Method: http.MethodPost, URL: cb, Message: message(nil, body)}, Error: d.Error})
		e.mu.Lock()
		if s := e.subs[subID]; s != nil {
			s.Deliveries++
			s.Failures++
			s.LastError = d.Error
		}
		e.mu.Unlock()
		return d
	}
	backoff := e.retry.Initial
	for attempt := 1; attempt <= e.retry.Attempts; attempt++ {
		d.Attempts = attempt
		status, wait, err := e.attempt(ctx, w.op, cb, body, attempt, subID)
		d.Status, d.Error = status, ""
		if err != nil {
			d.Error = err.Error()
		}
		retry := err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, ErrCallbackRefused) || status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout
		if !retry || attempt == e.retry.Attempts || ctx.Err() != nil {
			if err == nil && (status < 200 || status >= 300) {
				d.Error = fmt.Sprintf("callback answered %d", status)
			}
			break
		}
		if wait <= 0 || wait > e.retry.Max {
			wait = backoff
		}
		backoff = min(backoff*2, e.retry.Max)
		select {
		case <-ctx.Done():
			d.Error = "gave up: " + ctx.Err().Error() + " (the per-delivery timeout covers every attempt)"
			attempt = e.retry.Attempts
		case <-time.After(wait):
		}
	}
	e.mu.Lock()
	if s := e.subs[subID]; s != nil {
		s.Deliveries++
		s.LastStatus = d.Status
		s.LastError = d.Error
		if !d.OK() {
			s.Failures++
		}
	}
	e.mu.Unlock()
	return d
}

const maxLoggedBody = 64 << 10

// attempt makes one POST and reports it to the sink. wait is the server's
// Retry-After, when it sent one.
func (e *Engine) attempt(ctx context.Context, op *connector.Operation, cb string, body []byte, n int, subID string) (int, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, e.retry.Timeout)
	defer cancel()
	start := e.now()
	x := &recordings.Exchange{
		Source: recordings.SourceEvent, Connector: e.c.Name, OperationID: op.ID, StartedAt: start,
		Request: recordings.Request{Method: http.MethodPost, URL: cb, Message: message(nil, body)},
		Notes: append([]recordings.Note{{ID: "webhook-delivery", Level: "info",
			Message: fmt.Sprintf("event for subscription %s, attempt %d of %d", subID, n, e.retry.Attempts)}}, customCodeNote(op)...),
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cb, bytes.NewReader(body))
	if err != nil {
		x.Error = err.Error()
		e.record(x)
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "connectorlab-mock")
	x.Request.Header = req.Header.Clone()
	resp, err := e.client.Do(req)
	x.Duration = e.now().Sub(start)
	if err != nil {
		x.Error = err.Error()
		e.record(x)
		return 0, 0, err
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(io.LimitReader(resp.Body, maxLoggedBody+1))
	x.Response = recordings.Response{Status: resp.StatusCode, Message: message(resp.Header, rb)}
	if len(rb) > maxLoggedBody {
		x.Response.Body = rb[:maxLoggedBody]
		x.Response.Truncated = true
	}
	x.Duration = e.now().Sub(start)
	e.record(x)
	var wait time.Duration
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil {
			wait = time.Duration(secs) * time.Second
		}
	}
	return resp.StatusCode, wait, nil
}

func message(h http.Header, body []byte) recordings.Message {
	sum := sha256.Sum256(body)
	return recordings.Message{Header: h, Body: body, Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
}

func (e *Engine) record(x *recordings.Exchange) {
	if e.sink == nil {
		return
	}
	if err := e.sink.Record(context.Background(), x); err != nil {
		e.log.Warn("traffic log write failed", "operation", x.OperationID, "err", err)
	}
}
