package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
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

var ppUpdate = flag.Bool("update-pp", false, "rewrite testdata/powerplatform goldens")

// ppRig is one connector served over real HTTP with the admin API beside it.
type ppRig struct {
	c      *connector.Connector
	s      *Server
	api    *httptest.Server
	adm    *httptest.Server
	hub    *Hub
	b      *probe.Builder
	client *http.Client
	rcv    *ppReceiver
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

func newPPRig(t testing.TB, c *connector.Connector) *ppRig {
	hub := NewHub(nil)
	s, err := New(c, Options{Seed: 1, DisableAuth: true, Name: c.Name, PowerPlatform: PowerPlatformOptions{
		Hub: hub, RetryAfter: time.Second,
		Retry: trigger.Retry{Attempts: 2, Initial: time.Millisecond, Timeout: 2 * time.Second},
	}})
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	r := &ppRig{c: c, s: s, hub: hub, b: probe.New(c, probe.Options{Seed: 1}), client: &http.Client{Timeout: 10 * time.Second}}
	r.api = httptest.NewServer(s)
	h, _ := admin.NewHandler(hub, "t0ken")
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
	out := ppResp{status: resp.StatusCode, header: resp.Header, body: b}
	_ = json.Unmarshal(b, &out.json)
	return out, nil
}

// send builds a valid request for op with probe, lets edit change it and
// sends it.
func (r *ppRig) send(op *connector.Operation, edit func(q *probe.Request, body *any)) (ppResp, *probe.Request, error) {
	q, err := r.b.Build(op)
	if err != nil {
		return ppResp{}, nil, err
	}
	var body any
	if len(q.Body) > 0 {
		_ = json.Unmarshal(q.Body, &body)
	}
	if edit != nil {
		edit(q, &body)
	}
	if body != nil {
		q.Body, _ = json.Marshal(body)
		if q.Header == nil {
			q.Header = http.Header{}
		}
		if !strings.Contains(q.Header.Get("Content-Type"), "json") {
			q.Header.Set("Content-Type", "application/json")
		}
	}
	resp, err := r.do(q.Method, q.URL(r.api.URL), q.Header, q.Body)
	return resp, q, err
}

func ppCorpus(t *testing.T) []string {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "connectors", "*", "*"))
	if len(dirs) == 0 {
		t.Skip("corpus not found")
	}
	sort.Strings(dirs)
	return dirs
}

func ppValid(s *openapi3.SchemaRef, v any) error {
	if s == nil || s.Value == nil {
		return nil
	}
	return s.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.DisablePatternValidation())
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}

// webhook subscribes, fires into a real receiver, checks the payload and
// unsubscribes through the Location the subscribe answered.
func (r *ppRig) webhook(op *connector.Operation) string {
	nu := op.Trigger.NotificationURL
	cb := r.rcv.srv.URL + "/flow/" + op.ID + "?sig=abc"
	resp, _, err := r.send(op, func(q *probe.Request, body *any) {
		switch nu.In {
		case "query":
			q.Query.Set(nu.Name, cb)
		case "header":
			q.Header.Set(nu.Name, cb)
		default:
			*body = setPath(*body, strings.Split(nu.Name, "/"), cb)
		}
	})
	if err != nil {
		return "subscribe: " + err.Error()
	}
	if resp.status < 200 || resp.status > 299 {
		return fmt.Sprintf("subscribe: status %d: %.200s", resp.status, resp.body)
	}
	loc := resp.header.Get("Location")
	if loc == "" {
		return "subscribe: no Location"
	}
	e, _ := r.s.PowerPlatform()
	res, err := e.Fire(context.Background(), trigger.FireRequest{OperationID: op.ID})
	if err != nil || len(res.Deliveries) != 1 || !res.Deliveries[0].OK() {
		return fmt.Sprintf("fire: %v %+v", err, res)
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
	del, err := r.do(http.MethodDelete, loc, nil, nil)
	if err != nil || del.status < 200 || del.status > 299 {
		return fmt.Sprintf("unsubscribe DELETE %s: %v %d %.200s", loc, err, del.status, del.body)
	}
	res, _ = e.Fire(context.Background(), trigger.FireRequest{OperationID: op.ID})
	if len(res.Deliveries) != 0 || len(r.rcv.take()) != 0 {
		return "events still delivered after unsubscribe"
	}
	return ""
}

// polling follows the protocol through five polls.
func (r *ppRig) polling(op *connector.Operation) string {
	_, schema := successSchema(op)
	resp, q, err := r.send(op, nil)
	if err != nil {
		return "poll 1: " + err.Error()
	}
	_ = q
	check := func(n int, resp ppResp, want int) string {
		if resp.status != want {
			return fmt.Sprintf("poll %d: status %d, want %d: %.200s", n, resp.status, want, resp.body)
		}
		if resp.header.Get("Location") == "" {
			return fmt.Sprintf("poll %d: no Location", n)
		}
		if want == 202 && resp.header.Get("Retry-After") == "" {
			return fmt.Sprintf("poll %d: 202 without Retry-After", n)
		}
		if want == 200 {
			if err := ppValid(schema, resp.json); err != nil {
				return fmt.Sprintf("poll %d: body breaks the response schema: %s", n, firstLine(err))
			}
		}
		return ""
	}
	if msg := check(1, resp, 200); msg != "" {
		return msg
	}
	e, _ := r.s.PowerPlatform()
	// A single trigger hands out the seeded items one poll at a time.
	n := 2
	for ; n < 2+trigger.InitialItems+1; n++ {
		resp, err = r.do(op.Method, resp.header.Get("Location"), q.Header, nil)
		if err != nil {
			return fmt.Sprintf("poll %d: %v", n, err)
		}
		if resp.status == 202 {
			break
		}
	}
	if msg := check(n, resp, 202); msg != "" {
		return msg
	}
	if _, err := e.Fire(context.Background(), trigger.FireRequest{OperationID: op.ID}); err != nil {
		return "fire: " + err.Error()
	}
	resp, err = r.do(op.Method, resp.header.Get("Location"), q.Header, nil)
	if err != nil {
		return err.Error()
	}
	if msg := check(n+1, resp, 200); msg != "" {
		return msg
	}
	resp, err = r.do(op.Method, resp.header.Get("Location"), q.Header, nil)
	if err != nil {
		return err.Error()
	}
	return check(n+2, resp, 202)
}

// argsOf reads a built request back into what the resolver sees.
func (r *ppRig) argsOf(q *probe.Request, body any) dynamic.Args {
	a := dynamic.Args{Query: q.Query, Header: q.Header, Body: body, Path: map[string]string{}}
	if m, _ := r.s.Router().Find(q.Method, q.Path); m != nil {
		a.Path = m.Params
	}
	return a
}

// lookup calls the lookup of d as the designer does: the dependent
// request's values mapped onto the lookup's parameters.
func (r *ppRig) lookup(dep *connector.Operation, d *connector.DynamicRef) (ppResp, string) {
	dq, err := r.b.Build(dep)
	if err != nil {
		return ppResp{}, "build dependent: " + err.Error()
	}
	var dbody any
	_ = json.Unmarshal(dq.Body, &dbody)
	mapped := dynamic.MappedArgs(d, r.argsOf(dq, dbody))
	lop := r.c.Operation(dynamic.LookupOperation(d))
	resp, _, err := r.send(lop, func(q *probe.Request, body *any) {
		m, _ := r.s.Router().Find(q.Method, q.Path)
		params := map[string]string{}
		if m != nil {
			params = m.Params
		}
		path := r.s.Router().Template(lop)
		for _, p := range allParams(lop) {
			v, ok := mapped[p.Value.Name]
			switch p.Value.In {
			case "path":
				if !ok {
					v = params[p.Value.Name]
				}
				path = strings.ReplaceAll(path, "{"+p.Value.Name+"}", url.PathEscape(v))
			case "query":
				if ok {
					q.Query.Set(p.Value.Name, v)
				}
			case "header":
				if ok {
					q.Header.Set(p.Value.Name, v)
				}
			}
		}
		q.Path = path
		for k, v := range mapped {
			if m, ok := (*body).(map[string]any); ok {
				if _, has := m[k]; has {
					m[k] = v
				}
			}
		}
	})
	if err != nil {
		return resp, "lookup: " + err.Error()
	}
	if resp.status != 200 && (resp.status < 200 || resp.status > 299) {
		return resp, fmt.Sprintf("lookup %s: status %d: %.200s", lop.ID, resp.status, resp.body)
	}
	return resp, ""
}

func (r *ppRig) values(dep *connector.Operation, d *connector.DynamicRef) string {
	resp, msg := r.lookup(dep, d)
	if msg != "" {
		return msg
	}
	coll, vp, tp := dynamic.ListPaths(d)
	list, ok := getPathAny(resp.json, coll)
	items, isArr := list.([]any)
	if !ok || !isArr || len(items) == 0 {
		return fmt.Sprintf("no items at /%s: %.200s", strings.Join(coll, "/"), resp.body)
	}
	for i, it := range items {
		v, ok := getPathAny(it, vp)
		if !ok || v == nil || fmt.Sprint(v) == "" {
			return fmt.Sprintf("item %d has no value at /%s", i, strings.Join(vp, "/"))
		}
		if _, ok := getPathAny(it, tp); !ok {
			return fmt.Sprintf("item %d has no title at /%s", i, strings.Join(tp, "/"))
		}
	}
	// A query parameter filled from the list takes its values, and only them.
	if name, ok := strings.CutPrefix(d.Target, "query:"); ok && d.Kind != connector.DynamicTree {
		v, _ := getPathAny(items[0], vp)
		_, res := r.s.PowerPlatform()
		res.SetStrict(true)
		defer res.SetStrict(false)
		good, _, _ := r.send(dep, func(q *probe.Request, _ *any) { q.Query.Set(name, fmt.Sprint(scalarString(v))) })
		if good.status == 400 && bytes.Contains(good.body, []byte(dynamic.ProblemUnknownValue)) {
			return "a value the lookup returned was refused: " + string(good.body)
		}
		bad, _, _ := r.send(dep, func(q *probe.Request, _ *any) { q.Query.Set(name, "not-a-listed-value") })
		if p := paramSchema(dep, "query", name); p != nil && p.Value != nil && p.Value.Type.Is("string") && len(p.Value.Enum) == 0 && p.Value.Format == "" && p.Value.Pattern == "" {
			if bad.status != 400 || !bytes.Contains(bad.body, []byte(dynamic.ProblemUnknownValue)) {
				return fmt.Sprintf("an unknown value was accepted with --strict-dynamic: %d %.200s", bad.status, bad.body)
			}
		}
	}
	return ""
}

func paramSchema(op *connector.Operation, in, name string) *openapi3.SchemaRef {
	for _, p := range allParams(op) {
		if p.Value.In == in && p.Value.Name == name {
			return p.Value.Schema
		}
	}
	return nil
}

func getPathAny(v any, path []string) (any, bool) {
	for _, seg := range path {
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

func setPath(v any, path []string, x any) any {
	if len(path) == 0 {
		return x
	}
	m, ok := v.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[path[0]] = setPath(m[path[0]], path[1:], x)
	return m
}

func (r *ppRig) schema(dep *connector.Operation, d *connector.DynamicRef) string {
	resp, msg := r.lookup(dep, d)
	if msg != "" {
		return msg
	}
	raw, ok := getPathAny(resp.json, dynamic.SchemaPath(d))
	m, isObj := raw.(map[string]any)
	if !ok || !isObj || (m["type"] == nil && m["properties"] == nil) {
		return fmt.Sprintf("no JSON schema at /%s: %.200s", strings.Join(dynamic.SchemaPath(d), "/"), resp.body)
	}
	b, _ := json.Marshal(m)
	var s openapi3.Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return "the schema does not read as a JSON schema: " + err.Error()
	}
	sr := &openapi3.SchemaRef{Value: &s}
	target := strings.TrimPrefix(d.Target, "body")
	switch {
	case strings.HasPrefix(d.Target, "response:"):
		code, sub, _ := strings.Cut(strings.TrimPrefix(d.Target, "response:"), "/")
		dr, _, err := r.send(dep, nil)
		if err != nil {
			return err.Error()
		}
		if fmt.Sprint(dr.status) != code {
			return fmt.Sprintf("skip: dependent answered %d, the dynamic schema is on %s", dr.status, code)
		}
		got, ok := getPathAny(dr.json, strings.Split(strings.Trim(sub, "/"), "/"))
		if sub == "" {
			got, ok = dr.json, true
		}
		if !ok {
			return "dependent response has nothing at " + sub
		}
		if arr, isArr := got.([]any); isArr && dynamic.ElementLevel(d) {
			for _, e := range arr {
				if err := ppValid(sr, e); err != nil {
					return "dependent response breaks the resolved schema: " + firstLine(err)
				}
			}
			return ""
		}
		if err := ppValid(sr, got); err != nil {
			return "dependent response breaks the resolved schema: " + firstLine(err)
		}
		return ""
	case strings.HasPrefix(d.Target, "body"):
		segs := strings.Split(strings.Trim(target, "/"), "/")
		if target == "" {
			segs = nil
		}
		if bs := requestBodySchemaOf(dep); bs == nil {
			return "skip: the dependent request body is not JSON"
		}
		good := fake.New(fake.Options{Direction: fake.Request}).Generate(sr, 7, "")
		if dynamic.ElementLevel(d) {
			good = []any{good}
		}
		ok, _, err := r.send(dep, func(_ *probe.Request, body *any) {
			if len(segs) == 0 || strings.Contains(target, "*") {
				if len(segs) == 0 {
					*body = good
				}
				return
			}
			*body = setPath(*body, segs, good)
		})
		if err != nil {
			return err.Error()
		}
		if ok.status == 400 && bytes.Contains(ok.body, []byte(dynamic.ProblemSchemaMismatch)) {
			return "a body built from the resolved schema was refused: " + string(ok.body)
		}
		// Break one property's type: the dependent must say so.
		props, _ := m["properties"].(map[string]any)
		if len(props) == 0 || strings.Contains(target, "*") || dynamic.ElementLevel(d) {
			return ""
		}
		names := make([]string, 0, len(props))
		for k := range props {
			names = append(names, k)
		}
		sort.Strings(names)
		badVal := map[string]any{}
		if gm, ok := good.(map[string]any); ok {
			for k, v := range gm {
				badVal[k] = v
			}
		}
		pt, _ := props[names[0]].(map[string]any)
		if pt["type"] == nil || pt["type"] == "object" {
			return ""
		}
		badVal[names[0]] = map[string]any{"wrong": "type"}
		bad, _, _ := r.send(dep, func(_ *probe.Request, body *any) {
			if len(segs) == 0 {
				*body = badVal
				return
			}
			*body = setPath(*body, segs, badVal)
		})
		if bad.status != 400 && bad.status != 422 {
			return fmt.Sprintf("a body breaking the resolved schema was accepted: %d %.200s", bad.status, bad.body)
		}
		return ""
	}
	return "skip: target " + d.Target + " is not a body or response"
}

type ppTally struct {
	mu    sync.Mutex
	pass  map[string]int
	total map[string]int
	fails map[string][]string
}

func (t *ppTally) add(kind, name, msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if strings.HasPrefix(msg, "skip: ") || strings.HasPrefix(msg, "unresolvable ") {
		t.fails[kind] = append(t.fails[kind], name+" :: "+msg)
		return
	}
	t.total[kind]++
	if msg == "" {
		t.pass[kind]++
		return
	}
	t.fails[kind] = append(t.fails[kind], name+" :: "+msg)
}

// TestPowerPlatformSweep drives every trigger and dynamic reference of the
// dev corpus over real HTTP as the designer and the flow engine do, and
// lists what fails in testdata/powerplatform/*.golden. -short samples
// every 8th connector and does not compare goldens.
func TestPowerPlatformSweep(t *testing.T) {
	dirs := ppCorpus(t)
	if testing.Short() {
		var s []string
		for i := 0; i < len(dirs); i += 8 {
			s = append(s, dirs[i])
		}
		dirs = s
	}
	tally := &ppTally{pass: map[string]int{}, total: map[string]int{}, fails: map[string][]string{}}
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, d := range dirs {
		wg.Add(1)
		sem <- struct{}{}
		go func(d string) {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := connector.Load(context.Background(), d)
			if err != nil {
				return
			}
			name := filepath.ToSlash(strings.TrimPrefix(d, filepath.Join("..", "..", "shared", "corpus", "connectors")+string(filepath.Separator)))
			rig := newPPRig(t, c)
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
					key := string(dr.Kind) + dr.Target + dr.Pointer
					if seen[key] {
						continue
					}
					seen[key] = true
					kind := "dynamic-values"
					if dr.Kind == connector.DynamicSchema || dr.Kind == connector.DynamicProperties {
						kind = "dynamic-schema"
					}
					rid := id + " " + string(dr.Kind) + " " + dr.Target
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
		}(d)
	}
	wg.Wait()
	for _, kind := range []string{"webhook", "polling", "dynamic-values", "dynamic-schema"} {
		p, n := tally.pass[kind], tally.total[kind]
		t.Logf("%-15s %5d/%-5d resolvable references pass (%.1f%%); %d listed in the golden", kind, p, n, 100*float64(p)/float64(max(n, 1)), len(tally.fails[kind]))
		if os.Getenv("CONNECTORLAB_PP_VERBOSE") != "" {
			for _, f := range tally.fails[kind] {
				t.Log(f)
			}
		}
		if testing.Short() {
			continue
		}
		fails := tally.fails[kind]
		sort.Strings(fails)
		got := strings.Join(fails, "\n") + "\n"
		golden := filepath.Join("testdata", "powerplatform", kind+"-failures.golden")
		if *ppUpdate {
			os.WriteFile(golden, []byte(got), 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Logf("%s missing: run with -update-pp to record the failures", golden)
			continue
		}
		if string(want) != got {
			t.Errorf("%s failures differ from %s (run with -update-pp to accept):\n%s", kind, golden, diff(string(want), got))
		}
	}
}

func requestBodySchemaOf(op *connector.Operation) *openapi3.SchemaRef {
	if op.Op == nil || op.Op.RequestBody == nil || op.Op.RequestBody.Value == nil {
		return nil
	}
	for k, mt := range op.Op.RequestBody.Value.Content {
		if strings.Contains(k, "json") && mt != nil {
			return mt.Schema
		}
	}
	return nil
}
