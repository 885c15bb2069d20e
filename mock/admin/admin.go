package admin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/connectorlab/connectorlab/internal/hostcheck"
	"github.com/connectorlab/connectorlab/mock/trigger"
)

// Backend is what the admin API controls: the running mock.
type Backend interface {
	Connectors() []Connector
	Subscriptions(connector string) ([]Subscription, error)
	RemoveSubscription(id string) bool
	// Unsubscribe removes a subscription through its capability URL.
	Unsubscribe(id, key string) bool
	Cursors(connector string) ([]Cursor, error)
	Fire(ctx context.Context, f Fire) ([]FireResult, error)
	// Deliveries lists recent webhook deliveries with their attempts and
	// result (state queued, running, delivered or failed).
	Deliveries(connector string) ([]Delivery, error)
	Reset(connector string) error
	Scenario(connector string) (Scenario, error)
	SetScenario(connector string, s Scenario) error
	// Faults returns the run-time faults as JSON; SetFaults replaces them
	// (the mock's Faults shape: latency, errorRate, errorStatus, ...).
	Faults(connector string) (json.RawMessage, error)
	SetFaults(connector string, faults json.RawMessage) error
}

// Connector describes one mocked connector.
type Connector struct {
	Name          string                `json:"name"`
	URL           string                `json:"url,omitempty"`
	Operations    int                   `json:"operations"`
	CustomCode    bool                  `json:"customCode,omitempty"`
	Stateful      bool                  `json:"stateful,omitempty"`
	StrictDynamic bool                  `json:"strictDynamic,omitempty"`
	Triggers      []trigger.TriggerInfo `json:"triggers"`
	Lookups       []string              `json:"lookups,omitempty"`
	SchemaFile    string                `json:"schemaFile,omitempty"`
}

// Subscription is a webhook subscription of a connector.
type Subscription struct {
	Connector string `json:"connector"`
	trigger.Subscription
}

// Cursor is one recent poll of a connector's polling trigger.
type Cursor struct {
	Connector string `json:"connector"`
	trigger.CursorInfo
}

// Fire asks for events; Connector "" means the only connector (or every
// connector that has the trigger).
type Fire struct {
	Connector string `json:"connector,omitempty"`
	trigger.FireRequest
}

// Delivery is one webhook delivery of a connector.
type Delivery struct {
	Connector string `json:"connector"`
	trigger.Delivery
}

// FireResult is the outcome per connector.
type FireResult struct {
	Connector string `json:"connector"`
	trigger.FireResult
}

// Scenario presets the Prefer header for requests that do not send one:
// Default for every operation, Operations per operationId.
type Scenario struct {
	Default    *Preference           `json:"default,omitempty"`
	Operations map[string]Preference `json:"operations,omitempty"`
}

// Preference is a Prefer header: code=404, example=name, dynamic=true.
type Preference struct {
	Code    int    `json:"code,omitempty"`
	Example string `json:"example,omitempty"`
	Dynamic bool   `json:"dynamic,omitempty"`
}

// Errors a Backend returns for the admin API to map to statuses.
var (
	ErrNotFound = errors.New("not found")
	ErrInvalid  = errors.New("invalid")
)

// NewToken makes a fresh random token.
func NewToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make admin token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Handler serves the admin API for b, guarded by token.
type Handler struct {
	b        Backend
	token    []byte
	mux      *http.ServeMux
	patterns []string
}

// NewHandler returns the admin API handler. token must not be empty.
func NewHandler(b Backend, token string) (*Handler, error) {
	if token == "" {
		return nil, errors.New("admin: empty token")
	}
	h := &Handler{b: b, token: []byte(token), mux: http.NewServeMux()}
	h.routes()
	return h, nil
}

const maxBody = 1 << 20

// handle registers a route and remembers its pattern, so a test can walk
// every route and prove each one is behind the token and Host checks.
func (h *Handler) handle(pattern string, fn http.HandlerFunc) {
	h.patterns = append(h.patterns, pattern)
	h.mux.HandleFunc(pattern, fn)
}

func (h *Handler) routes() {
	h.handle("GET /v1/health", func(w http.ResponseWriter, r *http.Request) { reply(w, 200, map[string]any{"ok": true}) })
	h.handle("GET /v1/connectors", func(w http.ResponseWriter, r *http.Request) { reply(w, 200, h.b.Connectors()) })
	h.handle("GET /v1/triggers", func(w http.ResponseWriter, r *http.Request) {
		type row struct {
			Connector string `json:"connector"`
			trigger.TriggerInfo
		}
		out := []row{}
		want := r.URL.Query().Get("connector")
		found := want == ""
		for _, c := range h.b.Connectors() {
			if want != "" && !strings.EqualFold(c.Name, want) {
				continue
			}
			found = true
			for _, t := range c.Triggers {
				out = append(out, row{c.Name, t})
			}
		}
		if !found {
			fail(w, fmt.Errorf("%w: no connector %q", ErrNotFound, want))
			return
		}
		reply(w, 200, out)
	})
	h.handle("GET /v1/subscriptions", func(w http.ResponseWriter, r *http.Request) {
		out, err := h.b.Subscriptions(r.URL.Query().Get("connector"))
		if err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, out)
	})
	h.handle("DELETE /v1/subscriptions/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !h.b.RemoveSubscription(r.PathValue("id")) {
			fail(w, fmt.Errorf("%w: no subscription %q", ErrNotFound, r.PathValue("id")))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	h.handle("GET /v1/cursors", func(w http.ResponseWriter, r *http.Request) {
		out, err := h.b.Cursors(r.URL.Query().Get("connector"))
		if err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, out)
	})
	h.handle("POST /v1/fire", func(w http.ResponseWriter, r *http.Request) {
		var f Fire
		if !decode(w, r, &f) {
			return
		}
		out, err := h.b.Fire(r.Context(), f)
		if err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, out)
	})
	h.handle("GET /v1/deliveries", func(w http.ResponseWriter, r *http.Request) {
		out, err := h.b.Deliveries(r.URL.Query().Get("connector"))
		if err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, out)
	})
	h.handle("POST /v1/reset", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Connector string `json:"connector"`
		}
		if r.ContentLength != 0 && !decode(w, r, &body) {
			return
		}
		if err := h.b.Reset(body.Connector); err != nil {
			fail(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	h.handle("GET /v1/scenario", func(w http.ResponseWriter, r *http.Request) {
		s, err := h.b.Scenario(r.URL.Query().Get("connector"))
		if err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, s)
	})
	h.handle("PUT /v1/scenario", func(w http.ResponseWriter, r *http.Request) {
		var s Scenario
		if !decode(w, r, &s) {
			return
		}
		if err := h.b.SetScenario(r.URL.Query().Get("connector"), s); err != nil {
			fail(w, err)
			return
		}
		reply(w, 200, s)
	})
	h.handle("GET /v1/faults", func(w http.ResponseWriter, r *http.Request) {
		f, err := h.b.Faults(r.URL.Query().Get("connector"))
		if err != nil {
			fail(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = w.Write(f)
	})
	h.handle("PUT /v1/faults", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil || !json.Valid(b) {
			fail(w, fmt.Errorf("%w: the body must be a JSON object of faults", ErrInvalid))
			return
		}
		if err := h.b.SetFaults(r.URL.Query().Get("connector"), b); err != nil {
			fail(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// UnsubscribePath is the capability URL path prefix; the full URL is
// BASE + UnsubscribePath + ID + "?key=" + KEY.
const UnsubscribePath = "/v1/unsubscribe/"

// ServeHTTP checks the Host and the token, then serves the API.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !(hostcheck.Policy{}).Allowed(r.Host) {
		fail(w, fmt.Errorf("%w: the admin API answers only requests addressed to a loopback host (got Host %q)", errForbidden, r.Host))
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, UnsubscribePath); ok && r.Method == http.MethodDelete {
		if !h.b.Unsubscribe(id, r.URL.Query().Get("key")) {
			fail(w, fmt.Errorf("%w: no subscription %q with that key", ErrNotFound, id))
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	got := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	if subtle.ConstantTimeCompare([]byte(got), h.token) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="connectorlab-admin"`)
		fail(w, errUnauthorized)
		return
	}
	h.mux.ServeHTTP(w, r)
}

var (
	errUnauthorized = errors.New("missing or wrong admin token: send Authorization: Bearer TOKEN, with the token the mock printed at startup or wrote to its token file")
	errForbidden    = errors.New("forbidden")
)

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		fail(w, fmt.Errorf("%w: request body: %v", ErrInvalid, err))
		return false
	}
	return true
}

// Error is the admin API's error body.
type Error struct {
	Status int    `json:"status"`
	Error  string `json:"error"`
}

func fail(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, errUnauthorized):
		status = http.StatusUnauthorized
	case errors.Is(err, errForbidden):
		status = http.StatusForbidden
	case errors.Is(err, ErrNotFound), errors.Is(err, trigger.ErrUnknownTrigger), errors.Is(err, trigger.ErrUnknownSubscription):
		status = http.StatusNotFound
	case errors.Is(err, ErrInvalid), errors.Is(err, trigger.ErrBadFire):
		status = http.StatusBadRequest
	}
	reply(w, status, Error{Status: status, Error: err.Error()})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
