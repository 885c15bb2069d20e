package create

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/mock/override"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/getkin/kin-openapi/openapi3"
)

// MockoonMigration is the Mockoon environment schema version written
// (Mockoon 8.x/9.x read it; older files are migrated by Mockoon itself).
const MockoonMigration = 32

// ExportRequest names the connector to export and its overrides sidecar.
type ExportRequest struct {
	// Path is the connector folder or definition file.
	Path string
	// Overrides is the overrides file ("" reads .connectorlab/overrides.json
	// beside the connector; a missing file is no overrides).
	Overrides string
	// Port is the environment's port (0: 3000).
	Port int
}

// ExportResult is the environment's bytes and what the model could not
// carry.
type ExportResult struct {
	Document []byte
	Findings []connector.Finding
	Routes   int
}

// ExportMockoon loads the connector at r.Path and writes it as a Mockoon
// environment (see MockoonEnvironment).
func ExportMockoon(ctx context.Context, r ExportRequest) (*ExportResult, error) {
	c, err := connector.Load(ctx, r.Path)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Err: err}
	}
	file := r.Overrides
	if file == "" {
		file = override.DefaultPath(r.Path)
	}
	ov, err := override.Load(file, c)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Fix: "fix the overrides file or pass another with --overrides", Err: err}
	}
	return MockoonEnvironment(c, ov, r.Port)
}

// MockoonEnvironment writes c as a Mockoon environment: each operation a
// route (first tag → folder, {param} → :param, summary → documentation),
// each declared response a route response with its example, or a body
// generated from its schema; the overrides become what Mockoon can hold:
// the chosen response as the default, rules as response rules (header,
// query and body conditions, all of which must hold), sequential/random
// lists as the route's response mode, latency, and a disabled operation as
// a 501 default. Everything else is a finding (export-mockoon-*).
func MockoonEnvironment(c *connector.Connector, ov override.File, port int) (*ExportResult, error) {
	if c == nil {
		return nil, fmt.Errorf("export: no connector")
	}
	if port == 0 {
		port = 3000
	}
	file := c.Files.Definition
	levels := map[string]connector.Level{}
	for _, r := range authoring.Rules() {
		levels[r.ID] = r.Level
	}
	res := &ExportResult{}
	noteIn := func(id, in, ptr, msg string) {
		res.Findings = append(res.Findings, connector.Finding{ID: id, Level: levels[id], File: in, Pointer: ptr, Message: msg})
	}
	note := func(id, ptr, msg string) { noteIn(id, file, ptr, msg) }
	gen := fake.New(fake.Options{MaxItems: 2, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	ids := &uuids{seed: c.Name}

	env := map[string]any{}
	env["uuid"] = ids.next("environment")
	env["lastMigration"] = MockoonMigration
	env["name"] = c.Name
	env["endpointPrefix"] = strings.Trim(c.BasePath, "/")
	env["latency"] = 0
	env["port"] = port
	env["hostname"] = ""
	scheme := "https"
	if len(c.Schemes) > 0 {
		scheme = c.Schemes[0]
	}
	proxy := ""
	if c.Host != "" {
		proxy = scheme + "://" + c.Host
	}

	if len(c.Operations) > 0 {
		note(authoring.ExportMockoonOperationID, "/paths", fmt.Sprintf("%d operationIds are not kept: Mockoon routes have none", len(c.Operations)))
	}
	if c.Auth.Kind != "" && c.Auth.Kind != connector.AuthNone {
		note(authoring.ExportMockoonAuth, "/securityDefinitions", fmt.Sprintf("%s authentication is not checked by Mockoon", c.Auth.Kind))
	}
	props := c.Files.Properties
	if props == "" {
		props = file
	}
	for i, p := range c.Policies {
		noteIn(authoring.ExportMockoonPolicy, props, fmt.Sprintf("/properties/policyTemplateInstances/%d", i), fmt.Sprintf("policy %s is not applied by Mockoon", p.TemplateID))
	}
	if c.CustomCode != nil {
		noteIn(authoring.ExportMockoonCustomCode, c.CustomCode.File, "", fmt.Sprintf("%s does not run in Mockoon: %d operations answer their declared responses", filepath.Base(c.CustomCode.File), max(len(c.CustomCode.Operations), 1)))
	}

	var routes, rootChildren, folders []any
	folderOf := map[string]map[string]any{}
	seen := map[string]string{}
	ops := append([]*connector.Operation(nil), c.Operations...)
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].Pointer < ops[j].Pointer })
	for _, o := range ops {
		endpoint, dropped := mockoonEndpoint(o.Path)
		if dropped != "" {
			note(authoring.ExportMockoonPath, o.Pointer, fmt.Sprintf("%s %s: %q dropped from the endpoint", o.Method, o.Path, dropped))
		}
		if why := mockoonUnsafe(o.Path); why != "" {
			note(authoring.ExportMockoonPath, o.Pointer, fmt.Sprintf("%s %s: %s", o.Method, o.Path, why))
		}
		method := strings.ToLower(o.Method)
		key := method + " " + endpoint
		if other, ok := seen[key]; ok {
			note(authoring.ExportMockoonRouteClash, o.Pointer, fmt.Sprintf("%s is the same Mockoon route as %s (%s /%s); skipped", o.ID, other, o.Method, endpoint))
			continue
		}
		seen[key] = o.ID
		if o.Trigger != nil {
			note(authoring.ExportMockoonTrigger, o.Pointer, fmt.Sprintf("%s is a %s trigger; it became a plain route", o.ID, o.Trigger.Kind))
		}
		if hasNonPathParams(o) {
			note(authoring.ExportMockoonParameters, o.Pointer+"/parameters", fmt.Sprintf("%s: query, header and body parameters are not part of the route", o.ID))
		}
		rt := &mockoonRoute{op: o, ids: ids, gen: gen, note: note}
		route := rt.build(ov.Operations[o.ID], method, endpoint)
		routes = append(routes, route)
		child := map[string]any{"type": "route", "uuid": route["uuid"]}
		if len(o.Tags) > 0 && o.Tags[0] != "" {
			f := folderOf[o.Tags[0]]
			if f == nil {
				f = map[string]any{"uuid": ids.next("folder " + o.Tags[0]), "name": o.Tags[0], "collapsed": false, "children": []any{}}
				folderOf[o.Tags[0]] = f
				folders = append(folders, f)
				rootChildren = append(rootChildren, map[string]any{"type": "folder", "uuid": f["uuid"]})
			}
			f["children"] = append(f["children"].([]any), child)
		} else {
			rootChildren = append(rootChildren, child)
		}
	}
	res.Routes = len(routes)
	env["folders"] = orEmptyList(folders)
	env["routes"] = orEmptyList(routes)
	env["rootChildren"] = orEmptyList(rootChildren)
	env["proxyMode"] = false
	env["proxyHost"] = proxy
	env["proxyRemovePrefix"] = false
	env["tlsOptions"] = map[string]any{"enabled": false, "type": "CERT", "pfxPath": "", "certPath": "", "keyPath": "", "caPath": "", "passphrase": ""}
	env["cors"] = true
	env["headers"] = []any{map[string]any{"key": "Content-Type", "value": "application/json"}}
	env["proxyReqHeaders"] = []any{map[string]any{"key": "", "value": ""}}
	env["proxyResHeaders"] = []any{map[string]any{"key": "", "value": ""}}
	env["data"] = []any{}
	env["callbacks"] = []any{}
	b, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	res.Document = append(b, '\n')
	return res, nil
}

func orEmptyList(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

var (
	pathParam     = regexp.MustCompile(`\{([^}/]+)\}`)
	paramThenWord = regexp.MustCompile(`\{[^}/]+\}[A-Za-z0-9_]`)
)

// mockoonUnsafe says why Mockoon's (Express) router would read path
// differently from the connector ("" when it reads it the same).
func mockoonUnsafe(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	switch literal := pathParam.ReplaceAllString(p, ""); {
	case strings.Contains(literal, ":"):
		return "a literal ':' reads as a route parameter in Mockoon"
	case strings.ContainsAny(literal, "()*+[]"):
		return "the characters ( ) * + [ ] are patterns in Mockoon's router"
	case paramThenWord.MatchString(p):
		return "a parameter followed by letters in one segment ({days}day) is one longer parameter in Mockoon"
	}
	return ""
}

// mockoonEndpoint turns /orders/{orderId} into orders/:orderId and returns
// what Mockoon's router cannot hold (a query string or fragment).
func mockoonEndpoint(p string) (string, string) {
	dropped := ""
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p, dropped = p[:i], p[i:]
	}
	p = pathParam.ReplaceAllStringFunc(p, func(m string) string {
		name := m[1 : len(m)-1]
		var b strings.Builder
		for _, r := range name {
			if r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				b.WriteRune(r)
			} else {
				b.WriteRune('_')
			}
		}
		return ":" + b.String()
	})
	return strings.Trim(p, "/"), dropped
}

func hasNonPathParams(o *connector.Operation) bool {
	if o.Op == nil {
		return false
	}
	if o.Op.RequestBody != nil {
		return true
	}
	for _, p := range o.Op.Parameters {
		if p.Value != nil && p.Value.In != "path" {
			return true
		}
	}
	if o.Item != nil {
		for _, p := range o.Item.Parameters {
			if p.Value != nil && p.Value.In != "path" {
				return true
			}
		}
	}
	return false
}

// uuids makes stable UUID-shaped ids, so the same connector exports to
// the same bytes.
type uuids struct {
	seed string
	n    map[string]int
}

func (u *uuids) next(what string) string {
	if u.n == nil {
		u.n = map[string]int{}
	}
	u.n[what]++
	h := sha1.Sum([]byte(fmt.Sprintf("%s\x00%s\x00%d", u.seed, what, u.n[what])))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

type mockoonRoute struct {
	op   *connector.Operation
	ids  *uuids
	gen  *fake.Generator
	note func(id, ptr, msg string)
}

// declared lists the operation's declared statuses, successes first.
func (r *mockoonRoute) declared() []int {
	var out []int
	if r.op.Op == nil || r.op.Op.Responses == nil {
		return nil
	}
	for code := range r.op.Op.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 100 && n <= 599 {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		si, sj := out[i]/100 == 2, out[j]/100 == 2
		if si != sj {
			return si
		}
		return out[i] < out[j]
	})
	if len(out) == 0 && r.op.Op.Responses.Value("default") != nil {
		out = []int{200}
	}
	return out
}

func (r *mockoonRoute) response(status int) *openapi3.Response {
	if r.op.Op == nil || r.op.Op.Responses == nil {
		return nil
	}
	if v := r.op.Op.Responses.Value(strconv.Itoa(status)); v != nil && v.Value != nil {
		return v.Value
	}
	if v := r.op.Op.Responses.Value("default"); v != nil {
		return v.Value
	}
	return nil
}

// body is the response's body for status: the named example, the first
// example, or one generated from the schema ("" when it has no body).
func (r *mockoonRoute) body(status int, example string, generated bool, salt string) (string, string) {
	resp := r.response(status)
	if resp == nil {
		return "", ""
	}
	mt, media := "", (*openapi3.MediaType)(nil)
	for _, k := range []string{"application/json", "text/json"} {
		if m := resp.Content.Get(k); m != nil {
			mt, media = k, m
			break
		}
	}
	if media == nil {
		keys := make([]string, 0, len(resp.Content))
		for k := range resp.Content {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) == 0 {
			return "", ""
		}
		mt, media = keys[0], resp.Content[keys[0]]
	}
	var v any
	found := false
	if !generated {
		if example != "" && media.Examples[example] != nil && media.Examples[example].Value != nil {
			v, found = media.Examples[example].Value.Value, true
		} else if media.Example != nil {
			v, found = media.Example, true
		} else if len(media.Examples) > 0 {
			names := make([]string, 0, len(media.Examples))
			for n := range media.Examples {
				names = append(names, n)
			}
			sort.Strings(names)
			if e := media.Examples[names[0]]; e != nil && e.Value != nil {
				v, found = e.Value.Value, true
			}
		}
	}
	if !found {
		if media.Schema == nil {
			return mt, ""
		}
		v = r.gen.GenerateFor(media.Schema, fake.Seed(1, r.op.ID, strconv.Itoa(status), salt), "body", status)
		if !generated {
			r.note(authoring.ExportMockoonGenerated, fmt.Sprintf("%s/responses/%d", r.op.Pointer, status), fmt.Sprintf("%s %d: no example; the body was generated from the schema", r.op.ID, status))
		}
	}
	if s, ok := v.(string); ok && !strings.Contains(mt, "json") {
		return mt, s
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return mt, ""
	}
	return mt, string(b)
}

func (r *mockoonRoute) entry(label string, status int, mt, body string, headers map[string]string, latency int) map[string]any {
	hs := []any{}
	if mt != "" {
		hs = append(hs, map[string]any{"key": "Content-Type", "value": mt})
	}
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.EqualFold(k, "Content-Type") || mt == "" {
			hs = append(hs, map[string]any{"key": k, "value": headers[k]})
		}
	}
	return map[string]any{
		"uuid": r.ids.next("response " + r.op.ID), "body": body, "latency": latency, "statusCode": status, "label": label,
		"headers": hs, "bodyType": "INLINE", "filePath": "", "databucketID": "", "sendFileAsBody": false,
		"rules": []any{}, "rulesOperator": "OR", "disableTemplating": true, "fallbackTo404": false, "default": false,
		"crudKey": "id", "callbacks": []any{},
	}
}

// answer is an override's response as a route response.
func (r *mockoonRoute) answer(a override.Response, label string, latency int) map[string]any {
	status := a.Status
	if len(a.Body) > 0 {
		if status == 0 {
			status = http.StatusOK
		}
		var v any
		body := string(a.Body)
		if json.Unmarshal(a.Body, &v) == nil {
			if b, err := json.MarshalIndent(v, "", "  "); err == nil {
				body = string(b)
			}
		}
		return r.entry(label, status, "application/json", body, a.Headers, latency)
	}
	if status == 0 {
		if d := r.declared(); len(d) > 0 {
			status = d[0]
		} else {
			status = http.StatusOK
		}
	}
	mt, body := r.body(status, a.Example, a.Generated, label)
	return r.entry(label, status, mt, body, a.Headers, latency)
}

func (r *mockoonRoute) label(status int) string {
	if resp := r.response(status); resp != nil && resp.Description != nil && *resp.Description != "" {
		return *resp.Description
	}
	return http.StatusText(status)
}

func (r *mockoonRoute) build(o override.Operation, method, endpoint string) map[string]any {
	latency := o.LatencyMs
	ptr := r.op.Pointer
	var responses []any
	var mode any
	if o.ErrorRate > 0 {
		r.note(authoring.ExportMockoonErrorRate, ptr, fmt.Sprintf("%s: the override's error rate %.0f%% has no Mockoon form", r.op.ID, o.ErrorRate*100))
	}
	// Rules first: Mockoon tries each response's rules in order and
	// answers the default one when none matches.
	for i, rule := range o.Rules {
		label := rule.Name
		if label == "" {
			label = fmt.Sprintf("Rule %d", i+1)
		}
		e := r.answer(rule.Then, label, latency)
		e["rules"] = mockoonRules(rule.When)
		e["rulesOperator"] = "AND"
		responses = append(responses, e)
	}
	if len(o.Responses) > 0 {
		if len(o.Rules) > 0 {
			r.note(authoring.ExportMockoonModeRules, ptr, fmt.Sprintf("%s: the %s list of %d responses was dropped: Mockoon ignores rules in that mode", r.op.ID, orMode(o.Mode), len(o.Responses)))
		} else {
			for i, a := range o.Responses {
				responses = append(responses, r.answer(a, fmt.Sprintf("%s %d", modeLabel(o.Mode), i+1), latency))
			}
			mode = "SEQUENTIAL"
			if o.Mode == "random" {
				mode = "RANDOM"
			}
		}
	}
	var def map[string]any
	switch {
	case o.Disabled:
		r.note(authoring.ExportMockoonDisabled, ptr, fmt.Sprintf("%s is disabled: the route answers 501", r.op.ID))
		def = r.entry("Disabled in Connector Lab", http.StatusNotImplemented, "application/json",
			fmt.Sprintf("{\n  \"title\": \"%s is disabled\",\n  \"status\": 501\n}", r.op.ID), nil, latency)
	case o.Response != nil:
		def = r.answer(*o.Response, "Chosen in Connector Lab", latency)
	}
	if def != nil && mode == nil {
		responses = append(responses, def)
	}
	// Every declared status stays, so the environment imports back with
	// the same responses.
	have := map[int]bool{}
	for _, e := range responses {
		have[e.(map[string]any)["statusCode"].(int)] = true
	}
	for _, s := range r.declared() {
		if have[s] && mode != nil {
			continue
		}
		mt, body := r.body(s, "", false, "")
		responses = append(responses, r.entry(r.label(s), s, mt, body, nil, latency))
		have[s] = true
	}
	if len(responses) == 0 {
		responses = append(responses, r.entry("OK", http.StatusOK, "", "", nil, latency))
	}
	if mode == nil {
		// The default is the chosen one, else the first without rules.
		for _, e := range responses {
			m := e.(map[string]any)
			if len(m["rules"].([]any)) == 0 {
				m["default"] = true
				break
			}
		}
	} else {
		responses[0].(map[string]any)["default"] = true
	}
	doc := r.op.Summary
	if doc == "" {
		doc = r.op.ID
	}
	return map[string]any{
		"uuid": r.ids.next("route " + r.op.ID), "type": "http", "documentation": doc, "method": method, "endpoint": endpoint,
		"responses": responses, "responseMode": mode, "streamingMode": nil, "streamingInterval": 0,
	}
}

func modeLabel(m string) string {
	if m == "random" {
		return "Random"
	}
	return "Sequential"
}

func orMode(m string) string {
	if m == "" {
		return "sequential"
	}
	return m
}

// mockoonRules writes a Match as Mockoon rules (all must hold: AND).
func mockoonRules(m override.Match) []any {
	out := []any{}
	add := func(target string, kv map[string]string, name func(string) string) {
		keys := make([]string, 0, len(kv))
		for k := range kv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, map[string]any{"target": target, "modifier": name(k), "value": kv[k], "invert": false, "operator": "equals"})
		}
	}
	same := func(s string) string { return s }
	add("header", m.Header, same)
	add("query", m.Query, same)
	// A JSON pointer /customer/id is the object path customer.id.
	add("body", m.Body, func(p string) string {
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		for i, s := range parts {
			parts[i] = connector.UnescapePointerToken(s)
		}
		return strings.Join(parts, ".")
	})
	return out
}
