package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/mock/dynamic"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/mock/trigger"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/getkin/kin-openapi/openapi3"
)

// The Power Platform acceptance sweep (issue 4) drives every trigger and
// dynamic reference of the dev corpus over real HTTP on 127.0.0.1, the way
// the flow engine and the designer do, one mock server per connector:
//
//   - webhook: subscribe with a real receiver's URL, fire through the admin
//     API, check the payload against the notification schema, DELETE the
//     Location, fire again and see nothing arrive;
//   - polling: poll, follow Location with the same request until 202
//     (Retry-After), fire through the admin API, poll for the new items,
//     poll again for 202; no item may be seen twice;
//   - dynamic values/list/tree: fill every dynamic parameter of the
//     dependent operation from its lookup (as the designer does), check the
//     list is well formed, send the dependent with --strict-dynamic on and
//     see it accepted, then see an unlisted value rejected;
//   - dynamic schema/properties: resolve the schema over HTTP, send a body
//     built from it (accepted) and one that breaks it (rejected), or check
//     the dependent's response against it.
//
// References the definition itself makes unresolvable are listed with a
// stable reason; everything else must pass. Non-passing references are the
// goldens in testdata/powerplatform/ (refresh with -update).

const ppToken = "sweep-token"

// ppClock is a fixed clock: goldens must not depend on the time of day.
func ppClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2024, 10, 23, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Millisecond)
		return t
	}
}

// ppRig is one connector served over real HTTP with the admin API and a
// webhook receiver beside it.
type ppRig struct {
	name   string
	c      *connector.Connector
	s      *Server
	api    *httptest.Server
	adm    *httptest.Server
	hub    *Hub
	b      *probe.Builder
	client *http.Client
	rcv    *ppReceiver
	// designer requests per dependent operation, built once.
	designed map[string]*ppRequest
}

type ppReceiver struct {
	mu     sync.Mutex
	bodies [][]byte
	srv    *httptest.Server
}

func (r *ppReceiver) take() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.bodies
	r.bodies = nil
	return out
}

func newPPRig(t testing.TB, name string, c *connector.Connector) *ppRig {
	hub := NewHub(nil)
	s, err := New(c, Options{Seed: 1, DisableAuth: true, Name: name, Now: ppClock(), PowerPlatform: PowerPlatformOptions{
		Hub: hub, RetryAfter: time.Second, AllowPrivateCallbacks: true,
		Retry: trigger.Retry{Attempts: 2, Initial: time.Millisecond, Timeout: 5 * time.Second},
	}})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r := &ppRig{name: name, c: c, s: s, hub: hub, b: probe.New(c, probe.Options{Seed: 1}),
		client:   &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		designed: map[string]*ppRequest{}}
	r.api = httptest.NewServer(s)
	hub.SetURL(name, r.api.URL)
	h, err := admin.NewHandler(hub, ppToken)
	if err != nil {
		t.Fatal(err)
	}
	r.adm = httptest.NewServer(h)
	hub.SetAdminURL(r.adm.URL)
	r.rcv = &ppReceiver{}
	r.rcv.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) {
		b, _ := io.ReadAll(q.Body)
		r.rcv.mu.Lock()
		r.rcv.bodies = append(r.rcv.bodies, b)
		r.rcv.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	return r
}

func (r *ppRig) close() {
	r.s.Close()
	r.api.Close()
	r.adm.Close()
	r.rcv.srv.Close()
}

type ppResp struct {
	status int
	header http.Header
	body   []byte
	json   any
}

func (r *ppRig) do(method, u string, h http.Header, body []byte) (ppResp, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return ppResp{}, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return ppResp{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if os.Getenv("CONNECTORLAB_PP_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "> %s %s %s\n< %d %s\n", method, u, body, resp.StatusCode, clip(b))
	}
	out := ppResp{status: resp.StatusCode, header: resp.Header, body: b}
	_ = json.Unmarshal(b, &out.json)
	return out, nil
}

// fire asks the admin API for events, as `connectorlab trigger fire` does.
func (r *ppRig) fire(op string, count int) ([]admin.FireResult, error) {
	b, _ := json.Marshal(admin.Fire{Connector: r.name, FireRequest: trigger.FireRequest{OperationID: op, Count: count}})
	resp, err := r.do(http.MethodPost, r.adm.URL+"/v1/fire", http.Header{"Authorization": {"Bearer " + ppToken}, "Content-Type": {"application/json"}}, b)
	if err != nil {
		return nil, err
	}
	if resp.status != 200 {
		return nil, fmt.Errorf("admin fire: %d %.200s", resp.status, resp.body)
	}
	var out []admin.FireResult
	if err := json.Unmarshal(resp.body, &out); err != nil {
		return nil, fmt.Errorf("admin fire answer: %w", err)
	}
	return out, nil
}

// subscriptionFor finds the live subscription whose callback is cb
// through the admin API.
func (r *ppRig) subscriptionFor(cb string) (string, error) {
	resp, err := r.do(http.MethodGet, r.adm.URL+"/v1/subscriptions?connector="+url.QueryEscape(r.name), http.Header{"Authorization": {"Bearer " + ppToken}}, nil)
	if err != nil {
		return "", err
	}
	var subs []admin.Subscription
	if err := json.Unmarshal(resp.body, &subs); err != nil {
		return "", fmt.Errorf("admin subscriptions: %d %.200s", resp.status, resp.body)
	}
	for _, s := range subs {
		if s.CallbackURL == cb {
			return s.ID, nil
		}
	}
	return "", fmt.Errorf("no subscription for %s among %d", cb, len(subs))
}

func (r *ppRig) fireSub(op, sub string) ([]admin.FireResult, error) {
	b, _ := json.Marshal(admin.Fire{Connector: r.name, FireRequest: trigger.FireRequest{OperationID: op, SubscriptionID: sub}})
	resp, err := r.do(http.MethodPost, r.adm.URL+"/v1/fire", http.Header{"Authorization": {"Bearer " + ppToken}, "Content-Type": {"application/json"}}, b)
	if err != nil {
		return nil, err
	}
	if resp.status != 200 {
		return nil, fmt.Errorf("admin fire: %d %.200s", resp.status, resp.body)
	}
	var out []admin.FireResult
	return out, json.Unmarshal(resp.body, &out)
}

// ppRequest is a request being prepared for one operation: the probe's
// valid request with values set at dynamic targets.
type ppRequest struct {
	op     *connector.Operation
	q      *probe.Request
	params map[string]string // path parameters by name
	body   any               // decoded JSON body or form fields (nil when neither)
	isJSON bool
	form   string // "application/x-www-form-urlencoded" or "multipart/form-data" for form bodies
}

func (r *ppRig) build(op *connector.Operation) (*ppRequest, error) {
	q, err := r.b.Build(op)
	if err != nil {
		return nil, err
	}
	pr := &ppRequest{op: op, q: q, params: map[string]string{}}
	if m, _ := r.s.Router().Find(q.Method, q.Path); m != nil && m.Operation == op {
		for k, v := range m.Params {
			pr.params[k] = v
		}
	}
	ct := q.Header.Get("Content-Type")
	switch mt := mediaBase(ct); {
	case len(q.Body) > 0 && strings.Contains(ct, "json"):
		pr.isJSON = json.Unmarshal(q.Body, &pr.body) == nil
	case len(q.Body) == 0 && jsonBodySchema(op) != nil:
		pr.isJSON = true
	case mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data":
		var sch *openapi3.Schema
		if m := op.Op.RequestBody.Value.Content.Get(mt); m != nil && m.Schema != nil {
			sch = m.Schema.Value
		}
		if f, err := decodeForm(mt, ct, q.Body, sch); err == nil {
			pr.body, pr.form = f, mt
		}
	}
	return pr, nil
}

func (p *ppRequest) clone() *ppRequest {
	q := *p.q
	q.Query = url.Values{}
	for k, v := range p.q.Query {
		q.Query[k] = append([]string(nil), v...)
	}
	q.Header = p.q.Header.Clone()
	if q.Header == nil {
		q.Header = http.Header{}
	}
	cp := &ppRequest{op: p.op, q: &q, params: map[string]string{}, isJSON: p.isJSON, form: p.form}
	for k, v := range p.params {
		cp.params[k] = v
	}
	if p.body != nil {
		b, _ := json.Marshal(p.body)
		_ = json.Unmarshal(b, &cp.body)
	}
	return cp
}

func (p *ppRequest) args() dynamic.Args {
	return dynamic.Args{Path: p.params, Query: p.q.Query, Header: p.q.Header, Body: p.body, Op: p.op}
}

var pathVar = regexp.MustCompile(`\{[^{}]+\}`)

// set puts v at a DynamicRef-style target ("query:x", "path:x",
// "header:x", "body/a/b"), typed as the target's schema wants.
func (p *ppRequest) set(target string, v any, schema *openapi3.SchemaRef) bool {
	in, name, _ := strings.Cut(target, ":")
	s := scalarString(v)
	switch in {
	case "query":
		if isArraySchema(schema) {
			p.q.Query[name] = []string{s}
		} else {
			p.q.Query.Set(name, s)
		}
		return true
	case "header":
		p.q.Header.Set(name, s)
		return true
	case "path":
		p.params[name] = s
		return true
	case "formData":
		target = "body/" + name
	}
	if !strings.HasPrefix(target, "body") || !p.isJSON && p.form == "" {
		return false
	}
	segs := splitSegs(strings.TrimPrefix(target, "body"))
	p.body = setTarget(p.body, segs, typedFor(v, schema))
	return true
}

// send renders and sends the request.
func (r *ppRig) send(p *ppRequest, extra http.Header) (ppResp, error) {
	path := p.q.Path
	if len(p.params) > 0 {
		tmpl := r.s.Router().Template(p.op)
		built := pathVar.ReplaceAllStringFunc(tmpl, func(m string) string { return url.PathEscape(p.params[m[1:len(m)-1]]) })
		if m, _ := r.s.Router().Find(p.q.Method, built); m != nil && m.Operation == p.op {
			path = built
		}
	}
	body := p.q.Body
	h := p.q.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if b, ct := p.encode(); b != nil {
		body = b
		h.Set("Content-Type", ct)
	}
	for k, v := range extra {
		h[k] = v
	}
	u := r.api.URL + path
	if len(p.q.Query) > 0 {
		u += "?" + p.q.Query.Encode()
	}
	return r.do(p.q.Method, u, h, body)
}

// encode renders the (edited) body: JSON, or the form fields again.
func (p *ppRequest) encode() ([]byte, string) {
	switch {
	case p.isJSON && p.body != nil:
		b, _ := json.Marshal(p.body)
		ct := p.q.Header.Get("Content-Type")
		if !strings.Contains(ct, "json") {
			ct = "application/json"
		}
		return b, ct
	case p.form != "":
		m, _ := p.body.(map[string]any)
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		fields := url.Values{}
		for _, k := range names {
			switch x := m[k].(type) {
			case []any:
				for _, e := range x {
					fields.Add(k, formText(e))
				}
			default:
				fields.Add(k, formText(x))
			}
		}
		if p.form == "application/x-www-form-urlencoded" {
			return []byte(fields.Encode()), p.form
		}
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for _, k := range names {
			for _, v := range fields[k] {
				_ = w.WriteField(k, v)
			}
		}
		_ = w.Close()
		return buf.Bytes(), w.FormDataContentType()
	}
	return nil, ""
}

func formText(v any) string {
	switch v.(type) {
	case map[string]any, []any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return scalarString(v)
}

// designer returns the request the designer would send to op: every
// parameter with dynamic values filled from its lookup, called over HTTP
// with the values chosen so far.
func (r *ppRig) designer(op *connector.Operation) (*ppRequest, string) {
	if p := r.designed[op.ID]; p != nil {
		return p.clone(), ""
	}
	p, err := r.build(op)
	if err != nil {
		return nil, "build: " + err.Error()
	}
	// The designer sends every parameter that has a default.
	for _, pr := range allParams(op) {
		pv := pr.Value
		if pv.Schema == nil || pv.Schema.Value == nil || pv.Schema.Value.Default == nil {
			continue
		}
		switch pv.In {
		case "query":
			if _, ok := p.q.Query[pv.Name]; !ok {
				p.q.Query.Set(pv.Name, scalarString(pv.Schema.Value.Default))
			}
		case "header":
			if p.q.Header.Get(pv.Name) == "" && validHeaderName(pv.Name) {
				p.q.Header.Set(pv.Name, scalarString(pv.Schema.Value.Default))
			}
		}
	}
	// The flow engine puts its callback URL into a subscribe request.
	if op.Trigger != nil && op.Trigger.NotificationURL != nil {
		nu := op.Trigger.NotificationURL
		target := nu.In + ":" + nu.Name
		if nu.In == "body" {
			target = "body/" + nu.Name
		}
		p.set(target, r.rcv.srv.URL+"/designer", nil)
	}
	// Twice, so lookups mapped from other dynamic targets see their
	// chosen values.
	refs := listRefs(r.c, op)
	for pass := 0; pass < 2; pass++ {
		for _, d := range refs {
			items, msg := r.lookupList(p, d)
			if msg != "" || len(items) == 0 {
				continue
			}
			_, vp, _ := dynamic.ListPaths(d)
			v, ok := getPathAny(items[0], vp)
			if !ok || v == nil {
				continue
			}
			p.set(d.Target, v, targetSchemaOf(op, d.Target))
		}
	}
	// Body parts with a dynamic schema get a value of the schema the
	// lookup resolves (the designer renders its fields).
	for i := range op.Dynamic {
		d := &op.Dynamic[i]
		if d.Kind != connector.DynamicSchema && d.Kind != connector.DynamicProperties || !strings.HasPrefix(d.Target, "body") {
			continue
		}
		if ok, _, _ := dynamic.Resolvable(r.c, d); !ok {
			continue
		}
		resp, msg := r.lookupCall(p, d)
		if msg != "" {
			continue
		}
		sr, _, msg := readSchema(resp.json, dynamic.SchemaPath(d))
		if msg != "" {
			continue
		}
		_, res := r.s.PowerPlatform()
		v := fake.New(fake.Options{Direction: fake.Request}).Generate(sr, 11, "")
		if res.ElementLevel(d) && !isArraySchema(sr) {
			v = []any{v}
		}
		p.setSchemaTarget(d.Target, v)
	}
	r.designed[op.ID] = p
	return p.clone(), ""
}

// listRefs are op's resolvable list references, one per target.
func listRefs(c *connector.Connector, op *connector.Operation) []*connector.DynamicRef {
	var out []*connector.DynamicRef
	seen := map[string]bool{}
	for i := range op.Dynamic {
		d := &op.Dynamic[i]
		if d.Kind != connector.DynamicValues && d.Kind != connector.DynamicList && d.Kind != connector.DynamicTree {
			continue
		}
		if ok, _, _ := dynamic.Resolvable(c, d); !ok || seen[d.Target] {
			continue
		}
		seen[d.Target] = true
		out = append(out, d)
	}
	return out
}

// lookupRequest calls the lookup of d with the parameters the reference
// maps from the dependent request dep.
func (r *ppRig) lookupCall(dep *ppRequest, d *connector.DynamicRef) (ppResp, string) {
	lop := r.c.Operation(dynamic.LookupOperation(d))
	if lop == nil {
		return ppResp{}, "lookup operation missing"
	}
	mapped := dynamic.MappedArgs(d, dep.args())
	lq, err := r.build(lop)
	if err != nil {
		return ppResp{}, "build lookup: " + err.Error()
	}
	for name, v := range mapped {
		if rest, ok := strings.CutPrefix(name, "body/"); ok {
			lq.set("body/"+rest, v, targetSchemaOf(lop, "body/"+rest))
			continue
		}
		placed := false
		for _, pr := range allParams(lop) {
			p := pr.Value
			if p.Name != name {
				continue
			}
			switch p.In {
			case "path", "query", "header":
				lq.set(p.In+":"+name, v, p.Schema)
				placed = true
			}
		}
		if !placed && lq.isJSON {
			lq.set("body/"+name, v, targetSchemaOf(lop, "body/"+name))
		}
	}
	resp, err := r.send(lq, nil)
	if err != nil {
		return resp, "lookup: " + err.Error()
	}
	if resp.status < 200 || resp.status > 299 {
		return resp, fmt.Sprintf("lookup %s: status %d: %.300s", lop.ID, resp.status, resp.body)
	}
	// The list or schema is put into the answer the definition declares.
	if _, ls := successSchema(lop); ls != nil && resp.json != nil {
		if err := ppValid(ls, resp.json); err != nil {
			return resp, fmt.Sprintf("lookup %s: the answer breaks its declared response schema: %s", lop.ID, firstLine(err))
		}
	}
	return resp, ""
}

// lookupList calls d's lookup and returns its items.
func (r *ppRig) lookupList(dep *ppRequest, d *connector.DynamicRef) ([]any, string) {
	resp, msg := r.lookupCall(dep, d)
	if msg != "" {
		return nil, msg
	}
	coll, _, _ := dynamic.ListPaths(d)
	list, ok := getPathAny(resp.json, coll)
	items, isArr := list.([]any)
	if !ok || !isArr || len(items) == 0 {
		return nil, fmt.Sprintf("no items at /%s: %.200s", strings.Join(coll, "/"), resp.body)
	}
	return items, ""
}

// webhook subscribes, fires into a real receiver, checks the payload and
// unsubscribes through the Location the subscribe answered.
func (r *ppRig) webhook(op *connector.Operation) string {
	nu := op.Trigger.NotificationURL
	cb := r.rcv.srv.URL + "/flow/" + url.PathEscape(op.ID) + "?sig=abc"
	p, msg := r.designer(op)
	if msg != "" {
		return "subscribe: " + msg
	}
	switch nu.In {
	case "query", "header", "path":
		p.set(nu.In+":"+nu.Name, cb, nil)
	default:
		if !p.set("body/"+nu.Name, cb, nil) {
			return "subscribe: the notification URL sits in a body that is neither JSON nor a form"
		}
	}
	resp, err := r.send(p, nil)
	if err != nil {
		return "subscribe: " + err.Error()
	}
	if resp.status < 200 || resp.status > 299 {
		return fmt.Sprintf("subscribe: status %d: %.300s", resp.status, resp.body)
	}
	loc := resp.header.Get("Location")
	if loc == "" {
		return "subscribe: no Location"
	}
	subID, err := r.subscriptionFor(cb)
	if err != nil {
		return "subscriptions: " + err.Error()
	}
	res, err := r.fireSub(op.ID, subID)
	if err != nil {
		return "fire: " + err.Error()
	}
	if len(res) != 1 || len(res[0].Deliveries) != 1 || !res[0].Deliveries[0].OK() {
		return fmt.Sprintf("fire: %+v", res)
	}
	got := r.rcv.take()
	if len(got) != 1 {
		return fmt.Sprintf("receiver got %d payloads", len(got))
	}
	var payload any
	if err := json.Unmarshal(got[0], &payload); err != nil {
		return "payload is not JSON: " + err.Error()
	}
	schema := op.Trigger.Content
	if schema == nil {
		_, schema = successSchema(op)
	}
	if err := ppValid(schema, payload); err != nil {
		return "payload breaks the notification schema: " + firstLine(err)
	}
	// The flow engine deletes the subscription with a bare DELETE on Location.
	del, err := r.do(http.MethodDelete, loc, nil, nil)
	if err != nil || del.status < 200 || del.status > 299 {
		return fmt.Sprintf("unsubscribe DELETE %s: %v %d %.300s", loc, err, del.status, del.body)
	}
	if _, err := r.subscriptionFor(cb); err == nil {
		return fmt.Sprintf("the subscription is still live after unsubscribe (DELETE %s answered %d)", loc, del.status)
	}
	res, err = r.fire(op.ID, 1)
	if err != nil {
		return "fire after unsubscribe: " + err.Error()
	}
	for _, fr := range res {
		for _, d := range fr.Deliveries {
			if d.CallbackURL == cb {
				return fmt.Sprintf("events still delivered after unsubscribe (DELETE %s answered %d)", loc, del.status)
			}
		}
	}
	if n := len(r.rcv.take()); n != 0 {
		return fmt.Sprintf("receiver got %d payloads after unsubscribe", n)
	}
	return ""
}

// polling follows the protocol as the flow engine does: the same request
// to each Location until 202, an event, the new items, 202 again.
func (r *ppRig) polling(op *connector.Operation) string {
	_, schema := successSchema(op)
	p, msg := r.designer(op)
	if msg != "" {
		return "poll 1: " + msg
	}
	seen := map[string]int{}
	polls := 0
	policies, _ := trigger.PollingPolicies(r.c)
	var last ppResp
	poll := func(u string) (ppResp, string) {
		polls++
		var resp ppResp
		var err error
		if u == "" {
			resp, err = r.send(p, nil)
		} else {
			h := p.q.Header.Clone()
			if h == nil {
				h = http.Header{}
			}
			body := p.q.Body
			if b, ct := p.encode(); b != nil {
				body = b
				h.Set("Content-Type", ct)
			}
			resp, err = r.do(p.q.Method, u, h, body)
		}
		if err != nil {
			return resp, fmt.Sprintf("poll %d: %v", polls, err)
		}
		switch resp.status {
		case http.StatusAccepted:
			if resp.header.Get("Retry-After") == "" {
				return resp, fmt.Sprintf("poll %d: 202 without Retry-After", polls)
			}
		case http.StatusOK:
			if err := ppValid(schema, resp.json); err != nil {
				return resp, fmt.Sprintf("poll %d: body breaks the response schema: %s", polls, firstLine(err))
			}
			for _, it := range pollItems(op, resp.json) {
				b, _ := json.Marshal(it)
				seen[string(b)]++
				if seen[string(b)] > 1 {
					return resp, fmt.Sprintf("poll %d: an item was delivered twice: %.200s", polls, b)
				}
			}
		default:
			return resp, fmt.Sprintf("poll %d: status %d: %.300s", polls, resp.status, resp.body)
		}
		if resp.header.Get("Location") == "" {
			return resp, fmt.Sprintf("poll %d: %d without Location", polls, resp.status)
		}
		if last.header != nil && resp.status == http.StatusOK && resp.header.Get("Location") == last.header.Get("Location") {
			return resp, fmt.Sprintf("poll %d: new items but the Location did not advance", polls)
		}
		// A pollingtrigger policy's state travels in the next poll's query.
		if pol, ok := policies[op.ID]; ok && resp.status == http.StatusOK {
			lu, err := url.Parse(resp.header.Get("Location"))
			if err != nil {
				return resp, fmt.Sprintf("poll %d: Location %q: %v", polls, resp.header.Get("Location"), err)
			}
			for _, c := range pol.Config {
				if lu.Query().Get(c.Name) == "" {
					return resp, fmt.Sprintf("poll %d: the Location lacks the pollingtrigger state %s: %s", polls, c.Name, lu)
				}
			}
		}
		last = resp
		return resp, ""
	}
	resp, msg := poll("")
	if msg != "" {
		return msg
	}
	// Drain what is there (the seeded items).
	for i := 0; resp.status == http.StatusOK; i++ {
		if i > 2*trigger.InitialItems {
			return "the trigger never ran dry (no 202)"
		}
		if resp, msg = poll(resp.header.Get("Location")); msg != "" {
			return msg
		}
	}
	const fired = 2
	if _, err := r.fire(op.ID, fired); err != nil {
		return "fire: " + err.Error()
	}
	got := 0
	for i := 0; i < fired+1; i++ {
		if resp, msg = poll(resp.header.Get("Location")); msg != "" {
			return msg
		}
		if resp.status != http.StatusOK {
			break
		}
		got += len(pollItems(op, resp.json))
	}
	if got != fired {
		return fmt.Sprintf("fired %d events, the polls returned %d new items", fired, got)
	}
	if resp.status == http.StatusOK {
		if resp, msg = poll(resp.header.Get("Location")); msg != "" {
			return msg
		}
	}
	if resp.status != http.StatusAccepted {
		return fmt.Sprintf("poll %d: status %d after the new items, want 202", polls, resp.status)
	}
	if polls < 3 {
		return fmt.Sprintf("only %d polls", polls)
	}
	return ""
}

// pollItems are the items of a 200 poll answer: the array the engine
// reports, or the body itself for single triggers.
func pollItems(op *connector.Operation, body any) []any {
	if op.Trigger.Cardinality == "single" {
		return []any{body}
	}
	if arr, ok := body.([]any); ok {
		return arr
	}
	if m, ok := body.(map[string]any); ok {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, pref := range append([]string{"value", "items", "data", "results"}, names...) {
			if arr, ok := m[pref].([]any); ok {
				return arr
			}
		}
	}
	return []any{body}
}

// values checks one list reference: a well-formed list, values the
// dependent accepts with --strict-dynamic, an unlisted value refused.
func (r *ppRig) values(dep *connector.Operation, d *connector.DynamicRef) string {
	p, msg := r.designer(dep)
	if msg != "" {
		return msg
	}
	items, msg := r.lookupList(p, d)
	if msg != "" {
		return msg
	}
	_, vp, tp := dynamic.ListPaths(d)
	for i, it := range items {
		v, ok := getPathAny(it, vp)
		if !ok || v == nil || scalarString(v) == "" {
			return fmt.Sprintf("item %d has no value at /%s", i, strings.Join(vp, "/"))
		}
		if _, ok := getPathAny(it, tp); !ok {
			return fmt.Sprintf("item %d has no title at /%s", i, strings.Join(tp, "/"))
		}
	}
	if strings.HasPrefix(d.Target, "response:") {
		return "" // outputs show the value; the designer fills inputs only
	}
	_, res := r.s.PowerPlatform()
	res.SetStrict(true)
	defer res.SetStrict(false)
	ts := targetSchemaOf(dep, d.Target)
	v, _ := getPathAny(items[len(items)-1], vp)
	good := p.clone()
	if !good.set(d.Target, v, ts) {
		return "skip: the dependent's body is neither JSON nor a form"
	}
	resp, err := r.send(good, nil)
	if err != nil {
		return err.Error()
	}
	if bytes.Contains(resp.body, []byte(dynamic.ProblemUnknownValue)) {
		return "a value the lookup returned was refused: " + clip(resp.body)
	}
	if resp.status >= 400 {
		return fmt.Sprintf("the dependent refused a request whose dynamic values came from the lookups: %d %s", resp.status, clip(resp.body))
	}
	if d.Kind == connector.DynamicTree || !unconstrainedString(ts) {
		return "" // any other value may be refused by the schema itself
	}
	bad := p.clone()
	bad.set(d.Target, "not-a-listed-value", ts)
	resp, err = r.send(bad, nil)
	if err != nil {
		return err.Error()
	}
	if resp.status != 400 || !bytes.Contains(resp.body, []byte(dynamic.ProblemUnknownValue)) && dep.Method != http.MethodHead {
		return fmt.Sprintf("an unlisted value was accepted with --strict-dynamic: %d %s", resp.status, clip(resp.body))
	}
	return ""
}

func unconstrainedString(s *openapi3.SchemaRef) bool {
	for i := 0; i < 4 && isArraySchema(s); i++ {
		s = s.Value.Items
	}
	if s == nil || s.Value == nil {
		return true
	}
	v := s.Value
	return (v.Type == nil || v.Type.Is("string")) && len(v.Enum) == 0 && v.Format == "" && v.Pattern == "" &&
		(v.MaxLength == nil || *v.MaxLength >= 18) && v.MinLength <= 18
}

// schema checks one schema reference: resolved over HTTP, then honoured by
// the dependent's request validation or response.
func (r *ppRig) schema(dep *connector.Operation, d *connector.DynamicRef) string {
	p, msg := r.designer(dep)
	if msg != "" {
		return msg
	}
	resp, msg := r.lookupCall(p, d)
	if msg != "" {
		return msg
	}
	_, res := r.s.PowerPlatform()
	sr, m, msg := readSchema(resp.json, dynamic.SchemaPath(d))
	if msg != "" {
		return msg + ": " + clip(resp.body)
	}
	if strings.HasPrefix(d.Target, "response:") {
		code, sub, _ := strings.Cut(strings.TrimPrefix(d.Target, "response:"), "/")
		dr, err := r.send(p, http.Header{"Prefer": {"code=" + code}})
		if err != nil {
			return err.Error()
		}
		if n, _ := strconv.Atoi(code); code != "default" && dr.status != n {
			return fmt.Sprintf("dependent answered %d, the dynamic schema is on %s: %s", dr.status, code, clip(dr.body))
		}
		// The dynamic part refines the declared response; the answer still
		// matches what the definition declares.
		if dep.Op != nil && dep.Op.Responses != nil {
			if rr := dep.Op.Responses.Value(code); rr != nil && rr.Value != nil && dr.json != nil {
				if err := ppValid(mediaSchemaOf(rr.Value.Content), dr.json); err != nil {
					return "dependent response breaks its declared schema: " + firstLine(err)
				}
			}
		}
		got, ok := dr.json, true
		if sub != "" {
			got, ok = getPathAny(dr.json, splitSegs(sub))
		}
		if !ok {
			return "dependent response has nothing at " + sub + ": " + clip(dr.body)
		}
		vals := []any{got}
		if arr, isArr := got.([]any); isArr && res.ElementLevel(d) {
			vals = arr
		}
		for _, v := range vals {
			if err := ppValid(sr, v); err != nil {
				return "dependent response breaks the resolved schema: " + firstLine(err)
			}
		}
		return ""
	}
	if !strings.HasPrefix(d.Target, "body") {
		return "skip: target " + d.Target + " is not a body or response"
	}
	if !p.isJSON && p.form == "" {
		return "skip: the dependent request body is neither JSON nor a form"
	}
	ts := targetSchemaOf(dep, d.Target)
	good := fake.New(fake.Options{Direction: fake.Request}).Generate(sr, 7, "")
	if res.ElementLevel(d) || (isArraySchema(ts) && !isArraySchema(sr)) {
		good = []any{good}
	}
	ok := p.clone()
	ok.setSchemaTarget(d.Target, good)
	okResp, err := r.send(ok, nil)
	if err != nil {
		return err.Error()
	}
	if bytes.Contains(okResp.body, []byte(dynamic.ProblemSchemaMismatch)) {
		return "a body built from the resolved schema was refused: " + clip(okResp.body)
	}
	if okResp.status >= 400 {
		return fmt.Sprintf("the dependent refused a body built from the resolved schema: %d %s", okResp.status, clip(okResp.body))
	}
	// Break one typed property: the dependent must say so.
	props, _ := m["properties"].(map[string]any)
	if isArraySchema(sr) {
		if it, ok := m["items"].(map[string]any); ok {
			props, _ = it["properties"].(map[string]any)
		}
	}
	names := make([]string, 0, len(props))
	for k, pv := range props {
		if pt, _ := pv.(map[string]any); pt != nil && pt["type"] != nil && pt["type"] != "object" {
			names = append(names, k)
		}
	}
	if len(names) == 0 || strings.Contains(d.Target, "*") {
		return ""
	}
	sort.Strings(names)
	badVal := map[string]any{names[0]: map[string]any{"wrong": "type"}}
	var bv any = badVal
	if gm, ok := firstObject(good).(map[string]any); ok {
		for k, v := range gm {
			if k != names[0] {
				badVal[k] = v
			}
		}
	}
	if _, isArr := good.([]any); isArr {
		bv = []any{badVal}
	}
	bad := p.clone()
	bad.setSchemaTarget(d.Target, bv)
	badResp, err := r.send(bad, nil)
	if err != nil {
		return err.Error()
	}
	if badResp.status != 400 && badResp.status != 422 {
		return fmt.Sprintf("a body breaking the resolved schema was accepted: %d %s", badResp.status, clip(badResp.body))
	}
	return ""
}

func firstObject(v any) any {
	if arr, ok := v.([]any); ok && len(arr) > 0 {
		return arr[0]
	}
	return v
}

// setSchemaTarget replaces the value a dynamic schema describes.
func (p *ppRequest) setSchemaTarget(target string, v any) {
	segs := splitSegs(strings.TrimPrefix(target, "body"))
	p.body = setTarget(p.body, segs, v)
}

// readSchema reads the schema a lookup answered at path. A path ending in
// "properties" names the property map of an object schema.
func readSchema(body any, path []string) (*openapi3.SchemaRef, map[string]any, string) {
	raw, ok := getPathAny(body, path)
	m, isObj := raw.(map[string]any)
	if !ok || !isObj {
		return nil, nil, fmt.Sprintf("no JSON schema at /%s", strings.Join(path, "/"))
	}
	if len(path) > 0 && path[len(path)-1] == "properties" && m["type"] == nil && m["properties"] == nil {
		m = map[string]any{"type": "object", "properties": m}
	}
	if m["type"] == nil && m["properties"] == nil && m["items"] == nil {
		return nil, nil, fmt.Sprintf("no JSON schema at /%s", strings.Join(path, "/"))
	}
	b, _ := json.Marshal(m)
	var s openapi3.Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, nil, "the schema does not read as a JSON schema: " + err.Error()
	}
	return &openapi3.SchemaRef{Value: &s}, m, ""
}

// Helpers on JSON values and schemas.

func splitSegs(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// setTarget stores x at path below v: arrays on the way get x in every
// element (one element when empty), missing objects are created.
func setTarget(v any, path []string, x any) any {
	if len(path) == 0 {
		return x
	}
	if arr, ok := v.([]any); ok {
		if len(arr) == 0 {
			arr = []any{map[string]any{}}
		}
		for i := range arr {
			arr[i] = setTarget(arr[i], path, x)
		}
		return arr
	}
	m, ok := v.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	if path[0] == "*" {
		for k := range m {
			m[k] = setTarget(m[k], path[1:], x)
		}
		if len(m) == 0 {
			m["key"] = setTarget(nil, path[1:], x)
		}
		return m
	}
	m[path[0]] = setTarget(m[path[0]], path[1:], x)
	return m
}

func getPathAny(v any, path []string) (any, bool) {
	for _, seg := range path {
		if arr, ok := v.([]any); ok && len(arr) > 0 {
			v = arr[0]
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}

func isArraySchema(s *openapi3.SchemaRef) bool {
	return s != nil && s.Value != nil && s.Value.Type != nil && s.Value.Type.Is("array") && s.Value.Items != nil
}

// typedFor converts a lookup value to what a JSON body field of schema s
// carries, as the designer does.
func typedFor(v any, s *openapi3.SchemaRef) any {
	if isArraySchema(s) {
		if arr, ok := v.([]any); ok {
			out := make([]any, len(arr))
			for i, e := range arr {
				out[i] = typedFor(e, s.Value.Items)
			}
			return out
		}
		return []any{typedFor(v, s.Value.Items)}
	}
	if _, ok := v.(map[string]any); ok {
		return v
	}
	if _, ok := v.([]any); ok {
		return v
	}
	if s == nil || s.Value == nil || s.Value.Type == nil {
		return v
	}
	str := scalarString(v)
	switch {
	case s.Value.Type.Is("integer"), s.Value.Type.Is("number"):
		if f, err := strconv.ParseFloat(str, 64); err == nil {
			return f
		}
	case s.Value.Type.Is("boolean"):
		if b, err := strconv.ParseBool(str); err == nil {
			return b
		}
	case s.Value.Type.Is("string"):
		return str
	}
	return v
}

func targetSchemaOf(op *connector.Operation, target string) *openapi3.SchemaRef {
	in, name, _ := strings.Cut(target, ":")
	switch in {
	case "query", "path", "header":
		for _, p := range allParams(op) {
			if p.Value.In == in && p.Value.Name == name {
				return p.Value.Schema
			}
		}
		return nil
	}
	if in == "formData" {
		target = "body/" + name
	}
	s := bodySchema(op)
	for _, seg := range splitSegs(strings.TrimPrefix(target, "body")) {
		for i := 0; i < 4 && isArraySchema(s); i++ {
			s = s.Value.Items
		}
		if s == nil || s.Value == nil {
			return nil
		}
		if seg == "*" {
			s = s.Value.AdditionalProperties.Schema
			continue
		}
		s = s.Value.Properties[seg]
	}
	return s
}

// mediaSchemaOf is the JSON schema of a content map.
func mediaSchemaOf(content openapi3.Content) *openapi3.SchemaRef {
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if mt := content[k]; mt != nil && strings.Contains(k, "json") && mt.Schema != nil {
			return mt.Schema
		}
	}
	return nil
}

// bodySchema is op's JSON body schema, else its form body schema.
func bodySchema(op *connector.Operation) *openapi3.SchemaRef {
	if s := jsonBodySchema(op); s != nil {
		return s
	}
	if op.Op == nil || op.Op.RequestBody == nil || op.Op.RequestBody.Value == nil {
		return nil
	}
	for _, mt := range []string{"application/x-www-form-urlencoded", "multipart/form-data"} {
		if m := op.Op.RequestBody.Value.Content.Get(mt); m != nil && m.Schema != nil {
			return m.Schema
		}
	}
	return nil
}

func jsonBodySchema(op *connector.Operation) *openapi3.SchemaRef {
	if op.Op == nil || op.Op.RequestBody == nil || op.Op.RequestBody.Value == nil {
		return nil
	}
	keys := make([]string, 0, len(op.Op.RequestBody.Value.Content))
	for k := range op.Op.RequestBody.Value.Content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if mt := op.Op.RequestBody.Value.Content[k]; mt != nil && (strings.Contains(k, "json") || k == "*/*") {
			return mt.Schema
		}
	}
	return nil
}

// ppValid checks v against s the way the conformance check does: string
// enums on typed schemas accept the typed value.
func ppValid(s *openapi3.SchemaRef, v any) error {
	if s == nil || s.Value == nil {
		return nil
	}
	err := s.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.DisablePatternValidation())
	if err == nil {
		return nil
	}
	if sig := probe.Significant(err); len(sig) > 0 {
		return sig[0]
	}
	return nil
}

var portRe = regexp.MustCompile(`127\.0\.0\.1:\d+`)

func clip(b []byte) string {
	s := string(b)
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// Tally and goldens.

type ppTally struct {
	mu    sync.Mutex
	pass  map[string]int
	total map[string]int
	unres map[string]int
	lines map[string][]string
}

func newPPTally() *ppTally {
	return &ppTally{pass: map[string]int{}, total: map[string]int{}, unres: map[string]int{}, lines: map[string][]string{}}
}

// add records one reference. msg "" passes; "unresolvable REASON: ..."
// and "skip: ..." are listed without counting as resolvable.
func (t *ppTally) add(kind, name, msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	msg = portRe.ReplaceAllString(msg, "127.0.0.1:PORT")
	msg = strings.ReplaceAll(msg, "\n", " ")
	if strings.HasPrefix(msg, "unresolvable ") {
		t.unres[kind]++
		t.lines[kind] = append(t.lines[kind], name+" :: "+msg)
		return
	}
	t.total[kind]++
	if msg == "" {
		t.pass[kind]++
		return
	}
	t.lines[kind] = append(t.lines[kind], name+" :: FAIL "+msg)
}

var ppKinds = []string{"webhook", "polling", "dynamic-values", "dynamic-schema"}

// ppSweepConnector runs every check of one connector.
func ppSweepConnector(t testing.TB, dir, name string, tally *ppTally) {
	// Loading is most of the sweep's cost: skip definitions that cannot
	// have a trigger or a dynamic reference.
	if b, err := os.ReadFile(findSwagger(dir)); err == nil && !bytes.Contains(b, []byte("x-ms-trigger")) && !bytes.Contains(b, []byte("x-ms-dynamic-")) {
		return
	}
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		tally.add("load", name, "unresolvable unloadable: "+firstLine(err))
		return
	}
	rig := newPPRig(t, name, c)
	defer rig.close()
	for _, op := range c.Operations {
		id := name + " :: " + op.ID
		if op.Trigger != nil {
			switch op.Trigger.Kind {
			case connector.TriggerWebhook:
				tally.add("webhook", id, rig.webhook(op))
			case connector.TriggerPolling:
				tally.add("polling", id, rig.polling(op))
			}
		}
		seen := map[string]bool{}
		for i := range op.Dynamic {
			dr := &op.Dynamic[i]
			key := string(dr.Kind) + " " + dr.Target
			if seen[key] {
				continue
			}
			seen[key] = true
			kind := "dynamic-values"
			if dr.Kind == connector.DynamicSchema || dr.Kind == connector.DynamicProperties {
				kind = "dynamic-schema"
			}
			rid := id + " " + key
			if ok, reason, msg := dynamic.Resolvable(c, dr); !ok {
				tally.add(kind, rid, "unresolvable "+reason+": "+msg)
				continue
			}
			if kind == "dynamic-values" {
				tally.add(kind, rid, rig.values(op, dr))
			} else {
				tally.add(kind, rid, rig.schema(op, dr))
			}
		}
	}
}

// ppSample is the -short subset: every 8th connector plus every connector
// with a polling trigger among the first that have one, so each kind is
// exercised.
func ppSample(dirs []string) []string {
	var out []string
	polling := 0
	for i, d := range dirs {
		keep := i%8 == 0
		if !keep && polling < 2 {
			if b, err := os.ReadFile(findSwagger(d)); err == nil && bytes.Contains(b, []byte(`"x-ms-trigger-metadata"`)) {
				keep = true
				polling++
			}
		}
		if keep {
			out = append(out, d)
		}
	}
	return out
}

func findSwagger(dir string) string {
	m, _ := filepath.Glob(filepath.Join(dir, "*.swagger.json"))
	if len(m) == 0 {
		return filepath.Join(dir, "apiDefinition.swagger.json")
	}
	return m[0]
}

func ppCorpus(t *testing.T) (string, []string) {
	root := filepath.Join("..", "..", "shared", "corpus", "connectors")
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "*"))
	if len(dirs) == 0 {
		t.Skip("corpus not found")
	}
	sort.Strings(dirs)
	return root, dirs
}

// TestPowerPlatformSweep is the issue 4 acceptance sweep; see the comment
// at the top of this file. -short samples (and compares the goldens'
// lines for the sampled connectors only).
func TestPowerPlatformSweep(t *testing.T) {
	root, dirs := ppCorpus(t)
	if testing.Short() {
		dirs = ppSample(dirs)
	}
	only := os.Getenv("CONNECTORLAB_PP_ONLY") // a connector name substring, while debugging
	if only != "" {
		var keep []string
		for _, d := range dirs {
			if strings.Contains(d, only) {
				keep = append(keep, d)
			}
		}
		dirs = keep
	}
	tally := newPPTally()
	work := make(chan string)
	var wg sync.WaitGroup
	names := map[string]bool{}
	for _, d := range dirs {
		names[filepath.ToSlash(strings.TrimPrefix(d, root+string(filepath.Separator)))] = true
	}
	for w := 0; w < max(1, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				ppSweepConnector(t, d, filepath.ToSlash(strings.TrimPrefix(d, root+string(filepath.Separator))), tally)
			}
		}()
	}
	for _, d := range dirs {
		work <- d
	}
	close(work)
	wg.Wait()

	for _, kind := range append(ppKinds, "load") {
		p, n := tally.pass[kind], tally.total[kind]
		lines := tally.lines[kind]
		sort.Strings(lines)
		header := fmt.Sprintf("# %s: %d/%d resolvable pass (%.1f%%); %d unresolvable", kind, p, n, 100*float64(p)/float64(max(n, 1)), tally.unres[kind])
		if kind == "load" {
			header = fmt.Sprintf("# unloadable connectors among those that mention x-ms-trigger or x-ms-dynamic-*: %d", tally.unres[kind])
		}
		t.Log(header)
		// Every reference the definition makes resolvable must work: a
		// failure is fixed or, when the definition itself prevents it,
		// classified with a reason in dynamic.Resolvable; -update does not
		// accept it.
		if kind != "load" && p != n {
			t.Errorf("%s: %d of %d resolvable references fail (CONNECTORLAB_PP_VERBOSE=1 lists them)", kind, n-p, n)
		}
		if os.Getenv("CONNECTORLAB_PP_VERBOSE") != "" {
			for _, l := range lines {
				t.Log(l)
			}
		}
		if only != "" {
			continue
		}
		golden := filepath.Join("testdata", "powerplatform", kind+".golden")
		got := header + "\n" + strings.Join(lines, "\n") + "\n"
		if *update && !testing.Short() {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		raw, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (run go test -run TestPowerPlatformSweep ./mock/ -update to record it)", golden, err)
			continue
		}
		want := string(raw)
		if testing.Short() {
			// Only the sampled connectors' lines, without the counts.
			var keep []string
			for _, l := range strings.Split(strings.TrimSuffix(want, "\n"), "\n") {
				if n, _, ok := strings.Cut(l, " :: "); ok && names[n] {
					keep = append(keep, l)
				}
			}
			want = strings.Join(keep, "\n") + "\n"
			got = strings.Join(lines, "\n") + "\n"
		}
		if want != got {
			t.Errorf("%s differs from the sweep (go test -run TestPowerPlatformSweep ./mock/ -update to accept):\n%s", golden, diff(want, got))
		}
	}
}
