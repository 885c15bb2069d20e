package trigger

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// webhook is the static description of one webhook trigger.
type webhook struct {
	op          *connector.Operation
	unsub       *connector.Operation // nil: no DELETE operation fits
	payload     *openapi3.SchemaRef
	payloadFrom string // "x-ms-notification-content", "response", "none"
}

// Subscription is one registered webhook callback.
type Subscription struct {
	ID          string            `json:"id"`
	OperationID string            `json:"operationId"`
	CallbackURL string            `json:"callbackUrl"`
	CreatedAt   time.Time         `json:"createdAt"`
	Location    string            `json:"location,omitempty"`
	Unsubscribe string            `json:"unsubscribe,omitempty"` // operation ID, "" when the admin API stands in
	Params      map[string]string `json:"params,omitempty"`      // subscribe request values, for display
	Deliveries  int               `json:"deliveries"`
	Failures    int               `json:"failures"`
	LastStatus  int               `json:"lastStatus,omitempty"`
	LastError   string            `json:"lastError,omitempty"`
	Warning     string            `json:"warning,omitempty"`

	key         string            // capability key of the fallback unsubscribe URL
	unsubParams map[string]string // path and query values that identify it on the DELETE operation
	events      int               // events generated, for payload seeds
}

var hookWords = regexp.MustCompile(`(?i)hook|subscri|unregister|trigger|notif|callback|listener|event`)

func (e *Engine) newWebhook(op *connector.Operation) *webhook {
	w := &webhook{op: op}
	switch {
	case op.Trigger.Content != nil && op.Trigger.Content.Value != nil:
		w.payload, w.payloadFrom = op.Trigger.Content, "x-ms-notification-content"
	default:
		if _, s := successResponse(op); s != nil && s.Value != nil {
			w.payload, w.payloadFrom = s, "response"
		} else {
			w.payload, w.payloadFrom = &openapi3.SchemaRef{Value: openapi3.NewObjectSchema()}, "none"
		}
	}
	w.unsub = findUnsubscribe(e.c, op)
	return w
}

// findUnsubscribe picks the DELETE operation the flow engine would call to
// remove a subscription made by op: a child path of the subscribe path
// first, then the same path, then a DELETE whose path or name speaks of
// hooks or subscriptions, sharing the longest path prefix.
func findUnsubscribe(c *connector.Connector, op *connector.Operation) *connector.Operation {
	type cand struct {
		o     *connector.Operation
		score int
	}
	var cs []cand
	base := strings.TrimSuffix(op.Path, "/")
	for _, d := range c.Operations {
		if d.Method != http.MethodDelete || d.ID == "" {
			continue
		}
		score := 0
		rest := strings.TrimPrefix(d.Path, base+"/")
		switch {
		case rest != d.Path && strings.HasPrefix(rest, "{") && !strings.Contains(rest, "/"):
			score = 1000
		case d.Path == op.Path:
			score = 900
		case hookWords.MatchString(d.Path + " " + d.ID + " " + d.Summary):
			score = 100
		default:
			continue
		}
		score += 10 * commonSegments(op.Path, d.Path)
		cs = append(cs, cand{d, score})
	}
	if len(cs) == 0 {
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		return cs[i].o.ID < cs[j].o.ID
	})
	return cs[0].o
}

func commonSegments(a, b string) int {
	as, bs := strings.Split(strings.Trim(a, "/"), "/"), strings.Split(strings.Trim(b, "/"), "/")
	n := 0
	for n < len(as) && n < len(bs) && strings.EqualFold(as[n], bs[n]) {
		n++
	}
	return n
}

// callbackURL reads the x-ms-notification-url value from the request.
func callbackURL(op *connector.Operation, r Request) (string, string, error) {
	nu := op.Trigger.NotificationURL
	if nu == nil {
		return "", "", fmt.Errorf("%w: operation %s declares no x-ms-notification-url parameter", ErrNoCallback, op.ID)
	}
	var v string
	where := nu.In + " " + nu.Name
	switch nu.In {
	case "query":
		v = r.query().Get(nu.Name)
		where = "query parameter " + nu.Name
	case "header":
		v = r.Header.Get(nu.Name)
		where = "header " + nu.Name
	case "path":
		v = r.PathParams[nu.Name]
		where = "path parameter " + nu.Name
	default:
		where = "body property " + nu.Name
		if x, ok := getPath(r.Body, strings.Split(nu.Name, "/")); ok {
			v, _ = x.(string)
		} else if nu.Name == "" {
			v, _ = r.Body.(string)
		}
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", where, fmt.Errorf("%w: %s (x-ms-notification-url) is missing or empty; send the URL the service should post events to", ErrNoCallback, where)
	}
	return v, where, nil
}

// Subscribe registers the callback of a subscribe request to op. The mock
// answers the request as the definition declares, then calls
// Subscription.Decorate (through Engine.Decorate) to add the Location.
func (e *Engine) Subscribe(op *connector.Operation, r Request) (Subscription, error) {
	w := e.webhooks[op.ID]
	if w == nil {
		return Subscription{}, fmt.Errorf("%w %q: not a webhook trigger", ErrUnknownTrigger, op.ID)
	}
	cb, where, err := callbackURL(op, r)
	if err != nil {
		return Subscription{}, err
	}
	var warn string
	if u, err := url.Parse(cb); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// Answer as declared; deliveries to it will fail and say so.
		warn = fmt.Sprintf("%s (x-ms-notification-url) is %q, not an absolute http(s) URL: events cannot be delivered", where, cb)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counter++
	s := &Subscription{
		ID:          uuidFrom(fake.Seed(e.seed, "subscription", op.ID, cb, strconv.FormatUint(e.counter, 10)), fake.Seed(e.seed, "subscription-b", strconv.FormatUint(e.counter, 10))),
		OperationID: op.ID, CallbackURL: cb, CreatedAt: e.now().UTC(),
		Params: requestParams(r), key: randomKey(), Warning: warn,
	}
	if w.unsub != nil {
		s.Unsubscribe = w.unsub.ID
		s.Location, s.unsubParams = unsubscribeURL(w.unsub, r, s)
	} else if e.fallback != nil {
		s.Location = e.fallback(*s)
	}
	e.subs[s.ID] = s
	return *s, nil
}

// requestParams flattens path, query and top-level scalar body values.
func requestParams(r Request) map[string]string {
	out := map[string]string{}
	if m, ok := r.Body.(map[string]any); ok {
		for k, v := range m {
			switch v.(type) {
			case string, float64, int64, int, bool:
				out[k] = fmt.Sprint(v)
			}
		}
	}
	for k, vs := range r.query() {
		if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	for k, v := range r.PathParams {
		out[k] = v
	}
	return out
}

var idWords = regexp.MustCompile(`(?i)id$|^id|key$|name$|token$`)

// unsubscribeURL renders the unsubscribe operation's URL for s: parameters
// named like a subscribe parameter take its value, URL-like ones the
// callback and the rest the subscription ID.
func unsubscribeURL(d *connector.Operation, r Request, s *Subscription) (string, map[string]string) {
	vals := map[string]string{}
	pick := func(name string) string {
		for k, v := range s.Params {
			if strings.EqualFold(k, name) {
				return v
			}
		}
		ln := strings.ToLower(name)
		if strings.Contains(ln, "url") || strings.Contains(ln, "callback") {
			return s.CallbackURL
		}
		return s.ID
	}
	path := d.Path
	q := url.Values{}
	for _, pr := range allParams(d) {
		p := pr.Value
		if p == nil {
			continue
		}
		switch p.In {
		case "path":
			v := pick(p.Name)
			vals["path:"+p.Name] = v
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
		case "query":
			if p.Required || idWords.MatchString(p.Name) && !strings.EqualFold(p.Name, "api-version") {
				v := pick(p.Name)
				if !p.Required && v != s.ID {
					continue
				}
				vals["query:"+p.Name] = v
				q.Set(p.Name, v)
			}
		}
	}
	loc := strings.TrimSuffix(r.BaseURL, "/") + path
	if len(q) > 0 {
		loc += "?" + q.Encode()
	}
	return loc, vals
}

func allParams(op *connector.Operation) openapi3.Parameters {
	var out openapi3.Parameters
	seen := map[string]bool{}
	if op.Op != nil {
		for _, p := range op.Op.Parameters {
			if p != nil && p.Value != nil {
				seen[p.Value.In+":"+p.Value.Name] = true
				out = append(out, p)
			}
		}
	}
	if op.Item != nil {
		for _, p := range op.Item.Parameters {
			if p != nil && p.Value != nil && !seen[p.Value.In+":"+p.Value.Name] {
				out = append(out, p)
			}
		}
	}
	return out
}

// Decorate adds what the flow engine needs to a subscribe response: the
// Location of the subscription, and its ID in an id-like body property.
func (e *Engine) Decorate(s Subscription, op *connector.Operation, h http.Header, body any) any {
	if s.Location != "" && h != nil {
		h.Set("Location", s.Location)
	}
	m, ok := body.(map[string]any)
	if !ok {
		return body
	}
	_, schema := successResponse(op)
	for _, k := range []string{"id", "Id", "ID", "webhookId", "subscriptionId", "hookId", "webhook_id", "subscription_id"} {
		if _, ok := m[k].(string); !ok {
			continue
		}
		if schema != nil && schema.Value != nil {
			if ps := property(schema.Value, k, 0); ps != nil && ps.Value != nil {
				f := strings.ToLower(ps.Value.Format)
				if ps.Value.Pattern != "" || len(ps.Value.Enum) > 0 || (f != "" && f != "uuid" && f != "guid") || ps.Value.MaxLength != nil && *ps.Value.MaxLength < 36 {
					continue
				}
			}
		}
		m[k] = s.ID
		break
	}
	return m
}

// Unsubscribe handles a call to an unsubscribe operation: it removes the
// subscription the call names and reports whether there was one.
func (e *Engine) Unsubscribe(op *connector.Operation, r Request) (Subscription, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	q := r.query()
	given := map[string]string{}
	for k, v := range r.PathParams {
		given["path:"+k] = v
	}
	var match *Subscription
	ids := make([]string, 0, len(e.subs))
	for id := range e.subs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		s := e.subs[id]
		if s.Unsubscribe != op.ID {
			continue
		}
		all := len(s.unsubParams) > 0
		for k, v := range s.unsubParams {
			got := given[k]
			if strings.HasPrefix(k, "query:") {
				got = q.Get(strings.TrimPrefix(k, "query:"))
			}
			if got != v {
				all = false
				break
			}
		}
		if all {
			match = s
			break
		}
	}
	if match == nil {
		// Any path or query value equal to a subscription ID will do.
		for _, id := range ids {
			s := e.subs[id]
			if s.Unsubscribe != op.ID {
				continue
			}
			for _, v := range given {
				if v == s.ID {
					match = s
				}
			}
			for _, vs := range q {
				for _, v := range vs {
					if v == s.ID {
						match = s
					}
				}
			}
			if match != nil {
				break
			}
		}
	}
	if match == nil {
		return Subscription{}, false
	}
	delete(e.subs, match.ID)
	return *match, true
}

// UnsubscribeByID removes a subscription through the admin API's capability
// URL; key must be the one issued with it.
func (e *Engine) UnsubscribeByID(id, key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.subs[id]
	if s == nil || subtle.ConstantTimeCompare([]byte(s.key), []byte(key)) != 1 {
		return false
	}
	delete(e.subs, id)
	return true
}

// RemoveSubscription removes a subscription by ID (admin API, token held).
func (e *Engine) RemoveSubscription(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.subs[id] == nil {
		return false
	}
	delete(e.subs, id)
	return true
}

// CapabilityKey returns the key of a subscription's fallback unsubscribe
// URL, for the component that renders it.
func (s Subscription) CapabilityKey() string { return s.key }

// Subscriptions lists the live subscriptions, oldest first.
func (e *Engine) Subscriptions() []Subscription {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Subscription, 0, len(e.subs))
	for _, s := range e.subs {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}
