package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/mock/trigger"
)

// Hub joins the Servers of one `connectorlab mock` process for the admin
// API and the --fire-every schedule. It implements admin.Backend.
type Hub struct {
	log *slog.Logger

	mu       sync.Mutex
	servers  map[string]*powerPlatform
	order    []string
	urls     map[string]string
	adminURL string
	own      []string
}

var _ admin.Backend = (*Hub)(nil)

// NewHub returns an empty Hub.
func NewHub(log *slog.Logger) *Hub {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Hub{log: log, servers: map[string]*powerPlatform{}, urls: map[string]string{}}
}

// SetAdminURL tells the hub where its admin API listens, for the
// unsubscribe capability URLs of webhooks without an unsubscribe operation.
func (h *Hub) SetAdminURL(u string) {
	h.mu.Lock()
	h.adminURL = strings.TrimSuffix(u, "/")
	h.mu.Unlock()
}

// SetURL records where a connector is served, for listings.
func (h *Hub) SetURL(name, u string) {
	h.mu.Lock()
	h.urls[name] = u
	h.mu.Unlock()
}

// AddOwnAddr tells the hub about another listener of this process (a
// recording proxy it runs): webhook callbacks may never name it.
func (h *Hub) AddOwnAddr(hostport string) {
	h.mu.Lock()
	h.own = append(h.own, hostport)
	h.mu.Unlock()
}

// ownAddrs is every listener of this process the hub knows: the mocks,
// the admin API and those added with AddOwnAddr.
func (h *Hub) ownAddrs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := append([]string(nil), h.own...)
	for _, u := range append([]string{h.adminURL}, mapValues(h.urls)...) {
		if pu, err := url.Parse(u); err == nil && pu.Host != "" {
			out = append(out, pu.Host)
		}
	}
	return out
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func (h *Hub) url(name string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.urls[name]
}

func (h *Hub) unsubscribeURL(s trigger.Subscription) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.adminURL == "" {
		return ""
	}
	return h.adminURL + admin.UnsubscribePath + s.ID + "?key=" + s.CapabilityKey()
}

// register adds (or, on reload, replaces) the server named name. A
// replaced server's subscriptions stay valid: the old engine keeps them
// until its connector reloads again, and the hub consults it.
func (h *Hub) register(name string, pp *powerPlatform) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if old := h.servers[name]; old != nil {
		pp.engine.Adopt(old.engine)
		if sc := old.scenario.Load(); sc != nil {
			pp.scenario.Store(sc)
		}
		if fi := old.inject.Load(); fi != nil {
			pp.faults = old.faults
			pp.inject.Store(fi)
		}
	} else {
		h.order = append(h.order, name)
	}
	h.servers[name] = pp
}

// Run fires every trigger of every server each interval until ctx ends.
func (h *Hub) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, pp := range h.all("") {
			pp.engine.FireAll()
		}
	}
}

func (h *Hub) all(connector string) []*powerPlatform {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*powerPlatform
	for _, n := range h.order {
		if connector == "" || strings.EqualFold(n, connector) {
			out = append(out, h.servers[n])
		}
	}
	return out
}

func (h *Hub) pick(connector string) ([]*powerPlatform, error) {
	out := h.all(connector)
	if len(out) == 0 {
		h.mu.Lock()
		names := append([]string(nil), h.order...)
		h.mu.Unlock()
		return nil, fmt.Errorf("%w: no connector %q (serving %s)", admin.ErrNotFound, connector, strings.Join(names, ", "))
	}
	return out, nil
}

// Connectors implements admin.Backend.
func (h *Hub) Connectors() []admin.Connector {
	out := []admin.Connector{}
	for _, pp := range h.all("") {
		c := pp.s.c
		ac := admin.Connector{Name: pp.s.opts.Name, Operations: len(c.Operations), CustomCode: c.CustomCode != nil,
			Stateful: pp.s.opts.Stateful, StrictDynamic: pp.dyn.Strict(), Triggers: pp.engine.Triggers()}
		h.mu.Lock()
		ac.URL = h.urls[ac.Name]
		h.mu.Unlock()
		for _, op := range c.Operations {
			if pp.dyn.IsLookup(op.ID) {
				ac.Lookups = append(ac.Lookups, op.ID)
			}
		}
		if f := pp.dyn.SchemaFile(); f != nil {
			ac.SchemaFile = f.Path
		}
		out = append(out, ac)
	}
	return out
}

// Subscriptions implements admin.Backend.
func (h *Hub) Subscriptions(connector string) ([]admin.Subscription, error) {
	pps, err := h.pick(connector)
	if err != nil {
		return nil, err
	}
	out := []admin.Subscription{}
	for _, pp := range pps {
		for _, s := range pp.engine.Subscriptions() {
			out = append(out, admin.Subscription{Connector: pp.s.opts.Name, Subscription: s})
		}
	}
	return out, nil
}

// RemoveSubscription implements admin.Backend.
func (h *Hub) RemoveSubscription(id string) bool {
	for _, pp := range h.all("") {
		if pp.engine.RemoveSubscription(id) {
			return true
		}
	}
	return false
}

// Unsubscribe implements admin.Backend.
func (h *Hub) Unsubscribe(id, key string) bool {
	for _, pp := range h.all("") {
		if pp.engine.UnsubscribeByID(id, key) {
			return true
		}
	}
	return false
}

// Cursors implements admin.Backend.
func (h *Hub) Cursors(connector string) ([]admin.Cursor, error) {
	pps, err := h.pick(connector)
	if err != nil {
		return nil, err
	}
	out := []admin.Cursor{}
	for _, pp := range pps {
		for _, c := range pp.engine.Cursors() {
			out = append(out, admin.Cursor{Connector: pp.s.opts.Name, CursorInfo: c})
		}
	}
	return out, nil
}

// Fire implements admin.Backend. Without a connector, every connector that
// has the trigger fires it.
func (h *Hub) Fire(ctx context.Context, f admin.Fire) ([]admin.FireResult, error) {
	pps, err := h.pick(f.Connector)
	if err != nil {
		return nil, err
	}
	var out []admin.FireResult
	var firstErr error
	for _, pp := range pps {
		res, err := pp.engine.Fire(ctx, f.FireRequest)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		out = append(out, admin.FireResult{Connector: pp.s.opts.Name, FireResult: res})
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// Deliveries implements admin.Backend.
func (h *Hub) Deliveries(connector string) ([]admin.Delivery, error) {
	pps, err := h.pick(connector)
	if err != nil {
		return nil, err
	}
	out := []admin.Delivery{}
	for _, pp := range pps {
		for _, d := range pp.engine.Deliveries() {
			out = append(out, admin.Delivery{Connector: pp.s.opts.Name, Delivery: d})
		}
	}
	return out, nil
}

// Reset implements admin.Backend: subscriptions, polling items and cursors,
// and the stateful store go back to empty.
func (h *Hub) Reset(connector string) error {
	pps, err := h.pick(connector)
	if err != nil {
		return err
	}
	for _, pp := range pps {
		pp.engine.Reset()
		for _, b := range pp.s.state.Buckets() {
			pp.s.state.Reset(b)
		}
	}
	return nil
}

// Scenario implements admin.Backend.
func (h *Hub) Scenario(connector string) (admin.Scenario, error) {
	pps, err := h.pick(connector)
	if err != nil {
		return admin.Scenario{}, err
	}
	if sc := pps[0].scenario.Load(); sc != nil {
		return *sc, nil
	}
	return admin.Scenario{}, nil
}

// SetScenario implements admin.Backend.
func (h *Hub) SetScenario(connector string, sc admin.Scenario) error {
	pps, err := h.pick(connector)
	if err != nil {
		return err
	}
	check := func(where string, p *admin.Preference) error {
		if p == nil || p.Code == 0 {
			return nil
		}
		if msg := CheckPreferCode(p.Code); msg != "" {
			return fmt.Errorf("%w: scenario %s: %s", admin.ErrInvalid, where, msg)
		}
		return nil
	}
	if err := check("default", sc.Default); err != nil {
		return err
	}
	for id, p := range sc.Operations {
		if err := check("operations."+id, &p); err != nil {
			return err
		}
	}
	for _, pp := range pps {
		for id := range sc.Operations {
			if pp.s.c.Operation(id) == nil && len(pps) == 1 {
				return fmt.Errorf("%w: scenario names operation %q, which %s does not have", admin.ErrInvalid, id, pp.s.c.Name)
			}
		}
	}
	for _, pp := range pps {
		cp := sc
		pp.scenario.Store(&cp)
	}
	return nil
}

// Faults implements admin.Backend.
func (h *Hub) Faults(connector string) (json.RawMessage, error) {
	pps, err := h.pick(connector)
	if err != nil {
		return nil, err
	}
	pp := pps[0]
	pp.fmu.Lock()
	defer pp.fmu.Unlock()
	b, _ := json.Marshal(pp.faults)
	return b, nil
}

// SetFaults implements admin.Backend. The run-time faults apply on top of
// the ones the server started with; {} turns them off.
func (h *Hub) SetFaults(connector string, raw json.RawMessage) error {
	pps, err := h.pick(connector)
	if err != nil {
		return err
	}
	var f Faults
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%w: faults: %v (durations are nanoseconds, as in the mock's Faults JSON)", admin.ErrInvalid, err)
	}
	if err := checkFaults("", f); err != nil {
		return err
	}
	// As for the scenario: a fault for an operation the connector lacks
	// would never fire, so a typo is refused rather than accepted.
	for id := range f.Operations {
		if len(pps) == 1 && pps[0].s.c.Operation(id) == nil {
			return fmt.Errorf("%w: faults name operation %q, which %s does not have", admin.ErrInvalid, id, pps[0].s.c.Name)
		}
	}
	for _, pp := range pps {
		pp.fmu.Lock()
		pp.faults = f
		if f.zero() && len(f.Operations) == 0 {
			pp.inject.Store(nil)
		} else {
			pp.inject.Store(newFaultInjector(f, pp.s.opts.Seed))
		}
		pp.fmu.Unlock()
	}
	return nil
}

// names returns the registered connector names, sorted (tests).
func (h *Hub) names() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := append([]string(nil), h.order...)
	sort.Strings(out)
	return out
}

// maxFaultLatency bounds an injected delay: longer would only hold
// connections open past the server's write timeout.
const maxFaultLatency = 10 * time.Minute

// checkFaults refuses run-time faults the mock cannot honour: an error
// status outside 400-599 (a 1xx would switch the protocol, as Prefer
// code=101 did), shares outside 0-1, negative or endless latencies, for
// the server-wide faults and each operation's.
func checkFaults(where string, f Faults) error {
	switch {
	case f.ErrorRate < 0 || f.ErrorRate > 1 || f.ResetRate < 0 || f.ResetRate > 1:
		return fmt.Errorf("%w: faults%s: errorRate and resetRate are shares between 0 and 1", admin.ErrInvalid, where)
	case f.ErrorStatus != 0 && (f.ErrorStatus < 400 || f.ErrorStatus > 599):
		return fmt.Errorf("%w: faults%s: errorStatus %d is not an HTTP error status; use 400-599 (default 500)", admin.ErrInvalid, where, f.ErrorStatus)
	case f.Latency < 0 || f.LatencyMax < 0 || f.Latency > maxFaultLatency || f.LatencyMax > maxFaultLatency:
		return fmt.Errorf("%w: faults%s: latency must be between 0 and %s (durations are nanoseconds)", admin.ErrInvalid, where, maxFaultLatency)
	case f.Throttle < 0 || f.Window < 0:
		return fmt.Errorf("%w: faults%s: throttle and window cannot be negative", admin.ErrInvalid, where)
	}
	for id, of := range f.Operations {
		if err := checkFaults(where+".operations."+id, of); err != nil {
			return err
		}
	}
	return nil
}
