package trigger

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
)

// CursorParam is the query parameter that carries a polling trigger's state
// in the Location URLs the engine issues.
const CursorParam = "triggerstate"

// Defaults for zero Options fields.
const (
	DefaultRetryAfter = 15 * time.Second
	DefaultMaxBatch   = 100
	DefaultMaxItems   = 10000
	// DefaultMaxItemBytes caps the JSON kept per polling trigger.
	DefaultMaxItemBytes = 16 << 20
)

// Options configure an Engine. Connector is required; other zero fields
// take the documented defaults.
type Options struct {
	Connector *connector.Connector
	// Generator makes payloads and items; nil means fake.New(fake.Options{}).
	Generator *fake.Generator
	// Seed is the mock's --seed; payloads are a function of it.
	Seed uint64
	// Sink receives every delivery attempt (Source "event"); may be nil.
	Sink recordings.Sink
	// Client posts deliveries; nil means a client without redirects whose
	// per-attempt timeout is Retry.Timeout.
	Client *http.Client
	Logger *slog.Logger
	Retry  Retry
	// RetryAfter is what 202 answers of polling triggers advertise.
	RetryAfter time.Duration
	// MaxBatch caps the items one batch poll returns (the rest follow on
	// the next poll).
	MaxBatch int
	// MaxItems caps the items kept per polling trigger.
	MaxItems int
	// MaxItemBytes caps the JSON bytes of the items kept per polling
	// trigger (default 16 MiB); the oldest go first.
	MaxItemBytes int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// FallbackUnsubscribe gives the Location of a subscription whose
	// trigger has no unsubscribe operation in the definition (the admin
	// API's capability URL); nil leaves Location out.
	FallbackUnsubscribe func(s Subscription) string
	// Policies overrides the pollingtrigger policies decoded from the
	// connector, by operation ID.
	Policies map[string]PollingPolicy
	// AllowPrivateCallbacks lets subscriptions name loopback and private
	// callback addresses (--allow-private-callbacks). Off, only public
	// addresses are posted to, so a web page cannot make the mock call
	// services on this machine or its network.
	AllowPrivateCallbacks bool
	// OwnAddrs lists this process's listeners (host:port: the mocks, the
	// admin API, proxies it runs); callbacks to them are always refused.
	OwnAddrs func() []string
	// MaxCallbackURL caps a callback URL's length (default 2048 bytes).
	MaxCallbackURL int
	// MaxSubscriptions caps the live subscriptions (default 1000).
	MaxSubscriptions int
	// Workers bounds concurrent deliveries (default 8); Queue the
	// deliveries waiting for a worker (default 1000).
	Workers, Queue int
	// DeliveryTimeout bounds one delivery, every attempt and backoff
	// included (default 30s).
	DeliveryTimeout time.Duration
}

// Retry says how deliveries are retried.
type Retry struct {
	Attempts int           // total attempts; 0 means 4
	Initial  time.Duration // first backoff; 0 means 500ms
	Max      time.Duration // backoff cap; 0 means 10s
	Timeout  time.Duration // per attempt; 0 means 10s
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 4
	}
	if r.Initial <= 0 {
		r.Initial = 500 * time.Millisecond
	}
	if r.Max <= 0 {
		r.Max = 10 * time.Second
	}
	if r.Timeout <= 0 {
		r.Timeout = 10 * time.Second
	}
	return r
}

// Request is what the mock tells the engine about an incoming call.
type Request struct {
	// URL is the absolute URL the client addressed (scheme, host, path and
	// query).
	URL *url.URL
	// BaseURL is the absolute URL of the connector's base path on the mock,
	// without a trailing slash ("http://127.0.0.1:4010/v1").
	BaseURL    string
	PathParams map[string]string
	Header     http.Header
	// Body is the decoded JSON request body, or nil.
	Body any
}

func (r Request) query() url.Values {
	if r.URL == nil {
		return url.Values{}
	}
	return r.URL.Query()
}

// Response is what the engine wants answered. A nil Body means no body.
type Response struct {
	Status int
	Header http.Header
	Body   any
	Notes  []recordings.Note
}

// Errors callers branch on.
var (
	ErrNoCallback     = errors.New("no callback URL")
	ErrUnknownTrigger = errors.New("unknown trigger")
	// ErrUnknownSubscription: a fire request names a subscription the
	// engine does not have (or one of another trigger).
	ErrUnknownSubscription = errors.New("unknown subscription")
	ErrBadCursor           = errors.New("bad trigger state")
)

// Engine runs the triggers of one connector. It is safe for concurrent use.
type Engine struct {
	c            *connector.Connector
	gen          *fake.Generator
	seed         uint64
	sink         recordings.Sink
	client       *http.Client
	log          *slog.Logger
	retry        Retry
	after        time.Duration
	maxBatch     int
	maxItems     int
	maxItemBytes int64
	now          func() time.Time
	fallback     func(Subscription) string

	webhooks map[string]*webhook // by trigger operation ID
	unsubOps map[string]bool     // operation IDs that unsubscribe
	polls    map[string]*poller  // by trigger operation ID
	order    []string            // trigger IDs in definition order

	mu      sync.Mutex
	subs    map[string]*Subscription
	counter uint64

	allowPrivate    bool
	own             func() []string
	maxCallback     int
	maxSubs         int
	maxWorkers      int
	queueCap        int
	deliveryTimeout time.Duration

	qmu     sync.Mutex // guards the delivery pool and log below
	queue   []*job
	workers int
	dseq    uint64
	dlog    []*Delivery
	pending sync.WaitGroup

	ctx    context.Context
	cancel context.CancelFunc
}

// New builds the engine for opts.Connector. It returns the engine and the
// problems found in the connector's trigger definitions (policies it could
// not read); the engine works without them.
func New(opts Options) (*Engine, []error) {
	if opts.Connector == nil {
		return nil, []error{errors.New("trigger.New: no connector")}
	}
	e := &Engine{
		c: opts.Connector, gen: opts.Generator, seed: opts.Seed, sink: opts.Sink,
		client: opts.Client, log: opts.Logger, retry: opts.Retry.withDefaults(),
		after: opts.RetryAfter, maxBatch: opts.MaxBatch, maxItems: opts.MaxItems, maxItemBytes: opts.MaxItemBytes,
		now: opts.Now, fallback: opts.FallbackUnsubscribe,
		allowPrivate: opts.AllowPrivateCallbacks, own: opts.OwnAddrs, maxCallback: opts.MaxCallbackURL,
		maxSubs: opts.MaxSubscriptions, maxWorkers: opts.Workers, queueCap: opts.Queue, deliveryTimeout: opts.DeliveryTimeout,
		webhooks: map[string]*webhook{}, unsubOps: map[string]bool{}, polls: map[string]*poller{},
		subs: map[string]*Subscription{},
	}
	if e.gen == nil {
		e.gen = fake.New(fake.Options{})
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.after <= 0 {
		e.after = DefaultRetryAfter
	}
	if e.maxBatch <= 0 {
		e.maxBatch = DefaultMaxBatch
	}
	if e.maxItems <= 0 {
		e.maxItems = DefaultMaxItems
	}
	if e.maxItemBytes <= 0 {
		e.maxItemBytes = DefaultMaxItemBytes
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.maxCallback <= 0 {
		e.maxCallback = DefaultMaxCallbackURL
	}
	if e.maxSubs <= 0 {
		e.maxSubs = DefaultMaxSubscriptions
	}
	if e.maxWorkers <= 0 {
		e.maxWorkers = DefaultWorkers
	}
	if e.queueCap <= 0 {
		e.queueCap = DefaultQueue
	}
	if e.deliveryTimeout <= 0 {
		e.deliveryTimeout = DefaultDeliveryTimeout
	}
	if e.client == nil {
		e.client = e.defaultClient()
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	policies := opts.Policies
	var errs []error
	if policies == nil {
		policies, errs = PollingPolicies(e.c)
	}
	for _, op := range e.c.Operations {
		if op.Trigger == nil || op.ID == "" {
			continue
		}
		switch op.Trigger.Kind {
		case connector.TriggerWebhook:
			w := e.newWebhook(op)
			e.webhooks[op.ID] = w
			if w.unsub != nil {
				e.unsubOps[w.unsub.ID] = true
			}
		case connector.TriggerPolling:
			pp, ok := policies[op.ID]
			var ppp *PollingPolicy
			if ok {
				ppp = &pp
			}
			e.polls[op.ID] = e.newPoller(op, ppp)
		default:
			continue
		}
		e.order = append(e.order, op.ID)
	}
	return e, errs
}

// Close stops scheduled work and waits for deliveries in flight (which
// end at once: their context is cancelled).
func (e *Engine) Close() {
	e.cancel()
	e.pending.Wait()
}

// Wait blocks until the deliveries started so far have finished.
func (e *Engine) Wait() { e.pending.Wait() }

// IsSubscribe reports whether operationID subscribes a webhook trigger.
func (e *Engine) IsSubscribe(operationID string) bool { return e.webhooks[operationID] != nil }

// IsUnsubscribe reports whether operationID is the unsubscribe operation of
// some webhook trigger.
func (e *Engine) IsUnsubscribe(operationID string) bool { return e.unsubOps[operationID] }

// IsPolling reports whether operationID is a polling trigger.
func (e *Engine) IsPolling(operationID string) bool { return e.polls[operationID] != nil }

// TriggerInfo describes one trigger for the admin API.
type TriggerInfo struct {
	OperationID string `json:"operationId"`
	Kind        string `json:"kind"`
	Cardinality string `json:"cardinality"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Summary     string `json:"summary,omitempty"`
	// Webhooks: the unsubscribe operation ("" when the admin API stands in)
	// and the number of live subscriptions.
	Unsubscribe   string `json:"unsubscribe,omitempty"`
	Subscriptions int    `json:"subscriptions,omitempty"`
	// Payload says which schema events are generated from.
	Payload string `json:"payload,omitempty"`
	// Polling: items made so far and where they sit in the response.
	Items    int    `json:"items,omitempty"`
	DataPath string `json:"dataPath,omitempty"`
	Policy   bool   `json:"policy,omitempty"`
}

// Triggers lists the connector's triggers in definition order.
func (e *Engine) Triggers() []TriggerInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]TriggerInfo, 0, len(e.order))
	for _, id := range e.order {
		if w := e.webhooks[id]; w != nil {
			ti := TriggerInfo{OperationID: id, Kind: string(connector.TriggerWebhook), Cardinality: w.op.Trigger.Cardinality,
				Method: w.op.Method, Path: w.op.Path, Summary: w.op.Summary, Payload: w.payloadFrom}
			if w.unsub != nil {
				ti.Unsubscribe = w.unsub.ID
			}
			for _, s := range e.subs {
				if s.OperationID == id {
					ti.Subscriptions++
				}
			}
			out = append(out, ti)
			continue
		}
		p := e.polls[id]
		ti := TriggerInfo{OperationID: id, Kind: string(connector.TriggerPolling), Cardinality: p.op.Trigger.Cardinality,
			Method: p.op.Method, Path: p.op.Path, Summary: p.op.Summary, Policy: p.policy != nil}
		p.mu.Lock()
		ti.Items = p.head
		p.mu.Unlock()
		if p.dataPath != nil {
			ti.DataPath = "/" + strings.Join(p.dataPath, "/")
		}
		out = append(out, ti)
	}
	return out
}

// Reset forgets every subscription, polling item and cursor.
func (e *Engine) Reset() {
	e.mu.Lock()
	e.subs = map[string]*Subscription{}
	e.mu.Unlock()
	for _, p := range e.polls {
		p.reset()
	}
}

// resolve finds a trigger by operation ID, exactly or ignoring case.
func (e *Engine) resolve(id string) (string, error) {
	if e.webhooks[id] != nil || e.polls[id] != nil {
		return id, nil
	}
	for _, t := range e.order {
		if strings.EqualFold(t, id) {
			return t, nil
		}
	}
	names := append([]string(nil), e.order...)
	sort.Strings(names)
	if len(names) == 0 {
		return "", fmt.Errorf("%w %q: connector %s has no triggers", ErrUnknownTrigger, id, e.c.Name)
	}
	return "", fmt.Errorf("%w %q: connector %s has %s", ErrUnknownTrigger, id, e.c.Name, strings.Join(names, ", "))
}

func randomKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// uuidFrom formats a deterministic UUID (version 4 layout) from two seeds.
func uuidFrom(a, b uint64) string {
	var x [16]byte
	for i := 0; i < 8; i++ {
		x[i] = byte(a >> (8 * i))
		x[8+i] = byte(b >> (8 * i))
	}
	x[6] = x[6]&0x0f | 0x40
	x[8] = x[8]&0x3f | 0x80
	h := hex.EncodeToString(x[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func customCodeNote(op *connector.Operation) []recordings.Note {
	if op == nil || !op.CustomCode {
		return nil
	}
	return []recordings.Note{{ID: "custom-code-not-executed", Level: "info",
		Message: "custom code not executed; responses come from the definition"}}
}

// FireAll fires every trigger once in the background: one event to each
// webhook subscription, one new item for each polling trigger.
func (e *Engine) FireAll() { e.fireAsync(nil, nil) }

// Adopt takes over the subscriptions and polling items of old, the engine
// of the previous version of a reloaded connector, for the triggers that
// still exist, so running flows keep working across --watch reloads.
func (e *Engine) Adopt(old *Engine) {
	if old == nil || old == e {
		return
	}
	for _, s := range old.Subscriptions() {
		if w := e.webhooks[s.OperationID]; w != nil {
			old.mu.Lock()
			orig := old.subs[s.ID]
			old.mu.Unlock()
			if orig == nil {
				continue
			}
			cp := *orig
			if w.unsub == nil || w.unsub.ID != cp.Unsubscribe {
				cp.Unsubscribe = ""
				if w.unsub != nil {
					cp.Unsubscribe = w.unsub.ID
				}
			}
			e.mu.Lock()
			e.subs[cp.ID] = &cp
			e.counter = max(e.counter, old.counter)
			e.mu.Unlock()
		}
	}
	for id, op := range old.polls {
		np := e.polls[id]
		if np == nil {
			continue
		}
		op.mu.Lock()
		np.mu.Lock()
		np.head, np.first, np.lastAt, np.baseline = op.head, op.first, op.lastAt, op.baseline
		np.items = append([]pollItem(nil), op.items...)
		np.bytes = op.bytes
		np.mu.Unlock()
		op.mu.Unlock()
	}
}
