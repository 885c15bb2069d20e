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
	// handleSchema is the subscribe response's id property schema, which
	// shapes the handle when no unsubscribe parameter does.
	handleSchema *openapi3.SchemaRef
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
	// Handle is the subscription's identifier as the API hands it out: in
	// the unsubscribe URL and the subscribe response's id property, shaped
	// as their schemas declare (an integer, a pattern, a UUID).
	Handle string `json:"handle,omitempty"`

	key         string            // capability key of the fallback unsubscribe URL
	unsubParams map[string]string // path and query values that identify it on the DELETE operation
	events      int               // events generated, for payload seeds
}

// idProps are the subscribe-response properties that carry the
// subscription's identifier, in order of preference.
var idProps = []string{"id", "Id", "ID", "webhookId", "subscriptionId", "hookId", "webhook_id", "subscription_id"}

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
	if _, rs := successResponse(op); rs != nil && rs.Value != nil {
		for _, k := range idProps {
			if ps := fake.Property(rs.Value, k); ps != nil {
				w.handleSchema = ps
				break
			}
		}
	}
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
	if err := e.checkCallback(cb); err != nil {
		return Subscription{}, fmt.Errorf("%s (x-ms-notification-url): %w", where, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.subs) >= e.maxSubs {
		return Subscription{}, fmt.Errorf("%w: %d live subscriptions, the cap; unsubscribe some (or reset the mock through its admin API) first", ErrTooManySubscriptions, len(e.subs))
	}
	e.counter++
	n := strconv.FormatUint(e.counter, 10)
	// The ID is a function of the seed and the subscription's number, not
	// of the callback (whose port changes from run to run).
	s := &Subscription{
		ID:          uuidFrom(fake.Seed(e.seed, "subscription", op.ID, n), fake.Seed(e.seed, "subscription-b", n)),
		OperationID: op.ID, CallbackURL: cb, CreatedAt: e.now().UTC(),
		Params: requestParams(r), key: randomKey(), Warning: warn,
	}
	s.Handle = s.ID
	if w.unsub != nil {
		s.Unsubscribe = w.unsub.ID
		s.Location, s.unsubParams, s.Handle = e.unsubscribeURL(w, r, s)
	} else if e.fallback != nil {
		s.Location = e.fallback(*s)
	}
	if s.Handle == s.ID {
		s.Handle = e.handleFor(w.handleSchema, s)
	}
	e.subs[s.ID] = s
	return *s, nil
}

// requestParams flattens path, query and top-level scalar body values.
func requestParams(r Request) map[string]string {
	out := map[string]string{}
	if m, ok := r.Body.(map[string]any); ok {
		for k, v := range m {
			switch v := v.(type) {
			case string, float64, int64, int, bool:
				out[k] = fmt.Sprint(v)
			case []any: // "events": ["created", "updated"]
				var parts []string
				for _, x := range v {
					switch x.(type) {
					case string, float64, int64, int, bool:
						parts = append(parts, fmt.Sprint(x))
					}
				}
				if len(parts) > 0 {
					out[k] = strings.Join(parts, ",")
				}
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

// unsubscribeURL renders the unsubscribe operation's URL for s, the
// Location the flow engine will DELETE. Parameters named like a subscribe
// parameter take its value, URL-like ones the callback; the subscription's
// handle goes into the last path parameter (else the first id-like query
// parameter), shaped as that parameter's schema declares; the remaining
// parameters get values of their own schema. It returns the URL, the
// values that identify the subscription on the DELETE and the handle.
func (e *Engine) unsubscribeURL(w *webhook, r Request, s *Subscription) (string, map[string]string, string) {
	d := w.unsub
	var pathPs, queryPs []*openapi3.Parameter
	schemas := map[string]*openapi3.SchemaRef{}
	// A subscribe value of the same name travels on, when it is a valid
	// value of the unsubscribe parameter too.
	fromSubscribe := func(name string) (string, bool) {
		for k, v := range s.Params {
			if strings.EqualFold(k, name) && fitsText(schemas[name], v) {
				return v, true
			}
		}
		ln := strings.ToLower(name)
		if (strings.Contains(ln, "url") || strings.Contains(ln, "callback")) && fitsText(schemas[name], s.CallbackURL) {
			return s.CallbackURL, true
		}
		return "", false
	}
	for _, pr := range allParams(d) {
		p := pr.Value
		if p == nil {
			continue
		}
		schemas[p.Name] = p.Schema
		switch p.In {
		case "path":
			pathPs = append(pathPs, p)
		case "query":
			if p.Required || idWords.MatchString(p.Name) && !strings.EqualFold(p.Name, "api-version") {
				queryPs = append(queryPs, p)
			}
		}
	}
	// The handle's carrier: the last path parameter not filled from the
	// subscribe request, else the first such id-like query parameter.
	var carrier *openapi3.Parameter
	for _, p := range pathPs {
		if _, ok := fromSubscribe(p.Name); !ok {
			carrier = p
		}
	}
	if carrier == nil {
		for _, p := range queryPs {
			if _, ok := fromSubscribe(p.Name); !ok && idWords.MatchString(p.Name) {
				carrier = p
				break
			}
		}
	}
	handle := s.ID
	if carrier != nil {
		handle = e.handleFor(carrier.Schema, s)
	} else {
		handle = e.handleFor(w.handleSchema, s)
	}
	vals := map[string]string{}
	value := func(p *openapi3.Parameter) string {
		if p == carrier {
			return handle
		}
		if v, ok := fromSubscribe(p.Name); ok {
			return v
		}
		// Another identifier of the same subscription (a parent
		// resource): deterministic, of its own type.
		return e.valueFor(p.Schema, s, p.Name)
	}
	path := d.Path
	for _, p := range pathPs {
		v := value(p)
		vals["path:"+p.Name] = v
		path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
	}
	q := url.Values{}
	for _, p := range queryPs {
		if !p.Required && p != carrier {
			if _, ok := fromSubscribe(p.Name); !ok {
				continue
			}
		}
		v := value(p)
		vals["query:"+p.Name] = v
		q.Set(p.Name, v)
	}
	loc := strings.TrimSuffix(r.BaseURL, "/") + path
	if len(q) > 0 {
		loc += "?" + q.Encode()
	}
	return loc, vals, handle
}

// handleFor shapes a subscription's handle for schema sr: the UUID when a
// string of any form will do, else a value generated for the schema (an
// integer counts up from 1000).
func (e *Engine) handleFor(sr *openapi3.SchemaRef, s *Subscription) string {
	if sr == nil || sr.Value == nil || fitsString(sr, s.ID) {
		return s.ID
	}
	return e.valueFor(sr, s, "id")
}

// valueFor makes a deterministic value of schema sr for subscription s.
func (e *Engine) valueFor(sr *openapi3.SchemaRef, s *Subscription, hint string) string {
	n := s.ID
	if sr == nil || sr.Value == nil {
		return s.ID
	}
	if fake.IsType(sr, "integer") || fake.IsType(sr, "number") {
		v := int64(1000) + int64(fake.Seed(e.seed, "handle", s.ID, hint)%9000)
		if sr.Value.Min != nil && float64(v) < *sr.Value.Min || sr.Value.Max != nil && float64(v) > *sr.Value.Max {
			if x, ok := e.gen.Generate(sr, fake.Seed(e.seed, "handle", n, hint), hint).(float64); ok {
				return strconv.FormatFloat(x, 'f', -1, 64)
			}
			if x, ok := e.gen.Generate(sr, fake.Seed(e.seed, "handle", n, hint), hint).(int64); ok {
				return strconv.FormatInt(x, 10)
			}
		}
		return strconv.FormatInt(v, 10)
	}
	if fake.IsType(sr, "string") && fitsString(sr, s.ID) {
		return s.ID
	}
	for i := 0; i < 8; i++ {
		v := e.gen.Generate(sr, fake.Seed(e.seed, "handle", n, hint, strconv.Itoa(i)), hint)
		str := fmt.Sprint(v)
		if x, ok := v.(string); ok {
			str = x
		}
		if str != "" && fitsString(sr, str) {
			return str
		}
	}
	return s.ID
}

// fitsText reports whether the text v, as a path or query value, is a
// valid value of a parameter schema of any type.
func fitsText(sr *openapi3.SchemaRef, v string) bool {
	if sr == nil || sr.Value == nil || sr.Value.Type == nil || len(*sr.Value.Type) == 0 || sr.Value.Type.Is("string") {
		return fitsString(sr, v)
	}
	var x any = v
	switch {
	case sr.Value.Type.Is("integer"):
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return false
		}
		x = float64(n)
	case sr.Value.Type.Is("number"):
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		x = f
	case sr.Value.Type.Is("boolean"):
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false
		}
		x = b
	default:
		return false
	}
	defer func() { _ = recover() }()
	return sr.Value.VisitJSON(x, openapi3.VisitAsRequest()) == nil
}

// fitsString reports whether the text v is a valid value of a string (or
// untyped) parameter schema.
func fitsString(sr *openapi3.SchemaRef, v string) bool {
	if sr == nil || sr.Value == nil {
		return true
	}
	if sr.Value.Type != nil && len(*sr.Value.Type) > 0 && !sr.Value.Type.Is("string") {
		return false
	}
	defer func() { _ = recover() }()
	return sr.Value.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.SetSchemaRegexCompiler(anyRegex)) == nil
}

func anyRegex(expr string) (openapi3.RegexMatcher, error) {
	if re, err := regexp.Compile(expr); err == nil {
		return re, nil
	}
	return anyMatch{}, nil
}

type anyMatch struct{}

func (anyMatch) MatchString(string) bool { return true }

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
	for _, k := range idProps {
		cur, ok := m[k]
		if !ok {
			continue
		}
		var ps *openapi3.SchemaRef
		if schema != nil && schema.Value != nil {
			ps = fake.Property(schema.Value, k)
		}
		// The handle in the property's own type, when it is one.
		var v any = s.Handle
		switch cur.(type) {
		case float64, int64, int:
			n, err := strconv.ParseFloat(s.Handle, 64)
			if err != nil {
				continue
			}
			v = n
		case string:
		default:
			continue
		}
		if ps != nil && ps.Value != nil {
			if ps.Value.VisitJSON(v, openapi3.VisitAsResponse(), openapi3.SetSchemaRegexCompiler(anyRegex)) != nil {
				continue
			}
		}
		m[k] = v
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
	// A DELETE on a Location the mock handed out removes the
	// subscriptions it names: all of them when the unsubscribe operation
	// has no parameter to tell them apart.
	if r.URL != nil {
		var gone []Subscription
		for _, id := range ids {
			s := e.subs[id]
			if s.Unsubscribe == op.ID && s.Location != "" && sameTarget(s.Location, r.URL) {
				gone = append(gone, *s)
				delete(e.subs, id)
			}
		}
		if len(gone) > 0 {
			return gone[0], true
		}
	}
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
		// Any path or query value equal to a subscription's ID or handle
		// will do.
		for _, id := range ids {
			s := e.subs[id]
			if s.Unsubscribe != op.ID {
				continue
			}
			for _, v := range given {
				if v == s.ID || v == s.Handle {
					match = s
				}
			}
			for _, vs := range q {
				for _, v := range vs {
					if v == s.ID || v == s.Handle {
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

// sameTarget reports whether loc (an absolute URL the mock issued) and u
// name the same path and query, wherever the client reached the mock.
func sameTarget(loc string, u *url.URL) bool {
	l, err := url.Parse(loc)
	if err != nil || l.EscapedPath() != u.EscapedPath() {
		return false
	}
	lq, uq := l.Query(), u.Query()
	if len(lq) != len(uq) {
		return false
	}
	for k, vs := range lq {
		if strings.Join(vs, "\x00") != strings.Join(uq[k], "\x00") {
			return false
		}
	}
	return true
}
