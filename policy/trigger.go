package policy

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// PollingTrigger is a pollingtrigger policy bound to one operation: how
// the gateway carries a polling trigger's state from one poll to the next.
// It is not a request transform (Request and Response skip it); the mock's
// polling-trigger runtime uses it like this:
//
//  1. A poll is a request to the trigger operation. Its current state is
//     the query parameters named in State (Cursor reads them); on the first
//     poll they are absent or hold the operation's defaults.
//  2. The runtime picks the items newer than that state and builds the
//     response body with them at Items (SetItems), newest first: the
//     corpus's state templates read index 0 ("@{triggerBody().files[0].created}").
//  3. No new items: 202 Accepted with Retry-After and a Location that
//     repeats the current state. New items: 200 with the body and a
//     Location for the next poll whose query is the current one with
//     Next(body) merged in, so the client sees each item exactly once.
//
// Literal state values (`{"per_page": "1"}`) are sent on every poll.
type PollingTrigger struct {
	OperationID string         `json:"operationId"`
	Title       string         `json:"title,omitempty"`
	Pointer     string         `json:"pointer"`
	State       []TriggerParam `json:"state"`
	// Items is triggerDataPath, e.g. @triggerBody().files: where a poll
	// response carries its new items. Root is FuncTriggerBody.
	Items Path `json:"-"`
	// ItemsPath is Items as written.
	ItemsPath string `json:"itemsPath"`
}

// TriggerParam is one triggerConfig entry: a query parameter of the poll
// request and the template computing its next value from the last
// response body (triggerBody()).
type TriggerParam struct {
	Name     string    `json:"name"`
	Value    *Template `json:"-"`
	Template string    `json:"template"`
	// Literal is true when Template has no expression: the value is
	// constant across polls.
	Literal bool `json:"literal,omitempty"`
}

// PollingTrigger returns the pollingtrigger description of an operation,
// or nil.
func (e *Engine) PollingTrigger(opID string) *PollingTrigger {
	return e.triggers[strings.ToLower(opID)]
}

// PollingTriggers lists every operation's pollingtrigger description in
// declaration order.
func (e *Engine) PollingTriggers() []*PollingTrigger { return e.trigList }

// Cursor returns the current trigger state carried by a poll's query.
func (t *PollingTrigger) Cursor(q url.Values) map[string]string {
	out := map[string]string{}
	for _, p := range t.State {
		if v, ok := q[p.Name]; ok && len(v) > 0 {
			out[p.Name] = v[0]
		}
	}
	return out
}

// ItemsIn returns the items of a poll response body (decoded with
// encoding/json: map[string]any, []any, …). ok is false when the body has
// no array at Items.
func (t *PollingTrigger) ItemsIn(body any) ([]any, bool) {
	v, ok := walk(fromPlain(body), t.Items.Steps)
	arr, isArr := v.([]any)
	if !ok || !isArr {
		return nil, false
	}
	out := make([]any, len(arr))
	for i, e := range arr {
		out[i] = toPlain(e)
	}
	return out, true
}

// SetItems returns body with items placed at Items, creating the objects
// on the way (body may be nil). Values are encoding/json shapes.
func (t *PollingTrigger) SetItems(body any, items []any) (any, error) {
	if items == nil {
		items = []any{}
	}
	root := fromPlain(body)
	if len(t.Items.Steps) == 0 {
		return items, nil
	}
	if root == nil {
		root = newObject()
	}
	nr, err := setAt(root, t.Items.Steps, fromPlain(items))
	if err != nil {
		return body, fmt.Errorf("pollingtrigger %s: place items at %s: %w", t.OperationID, t.Items, err)
	}
	return toPlain(nr), nil
}

// Next evaluates the state templates against the body of a poll response
// that carried items and returns the query parameters of the next poll.
// A value the body does not have (no items) is left out: keep the current
// one.
func (t *PollingTrigger) Next(body any) url.Values {
	out := url.Values{}
	root := fromPlain(body)
	for _, p := range t.State {
		if p.Literal {
			out.Set(p.Name, p.Template)
			continue
		}
		var notes []string
		sc := &scope{trigger: root, hasTrigger: true, notes: &notes}
		if x := p.Value.Single(); x != nil {
			v, found, _, err := sc.eval(x)
			if err == nil && found && v != nil {
				out.Set(p.Name, stringOf(v))
			}
			continue
		}
		s, _, err := sc.render(p.Value, nil)
		if err == nil && len(notes) == 0 {
			out.Set(p.Name, s)
		}
	}
	return out
}

// ItemField returns, for a state parameter read from the newest item
// ("@{triggerBody().files[0].created}" with Items @triggerBody().files),
// the field path below the item (["created"]). ok is false for literals
// and for templates that read anything else; use Next for those.
func (t *PollingTrigger) ItemField(p TriggerParam) (field []string, ok bool) {
	if p.Literal || p.Value == nil {
		return nil, false
	}
	x := p.Value.Single()
	if x == nil || x.Func != FuncTriggerBody || strings.TrimSpace(p.Value.Raw) != x.Raw {
		return nil, false
	}
	n := len(t.Items.Steps)
	if len(x.Path) <= n+1 {
		return nil, false
	}
	for i, st := range t.Items.Steps {
		if x.Path[i] != st {
			return nil, false
		}
	}
	if idx := x.Path[n]; !idx.IsIndex || idx.Index != 0 {
		return nil, false
	}
	for _, st := range x.Path[n+1:] {
		if st.IsIndex {
			return nil, false
		}
		field = append(field, st.Key)
	}
	return field, true
}

// toPlain converts the ordered model to encoding/json shapes.
func toPlain(v any) any {
	switch x := v.(type) {
	case *object:
		m := make(map[string]any, len(x.keys))
		for i, k := range x.keys {
			m[k] = toPlain(x.vals[i])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toPlain(e)
		}
		return out
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
		return string(x)
	}
	return v
}

// compileTrigger checks a pollingtrigger policy and records one
// PollingTrigger per operation it names.
func (e *Engine) compileTrigger(cp *compiled) []connector.Finding {
	p := cp.p
	var fs []connector.Finding
	disable := func(name, msg, fix string) {
		fs = append(fs, e.finding(p, "policy-parameter-invalid", connector.LevelError, paramPointer(p, name), msg+"; the polling trigger state is not modelled", fix))
		cp.disabled = msg
	}
	rawPath := strings.TrimSpace(cp.str("triggerDataPath"))
	if rawPath == "" {
		fs = append(fs, e.finding(p, "policy-parameter-missing", connector.LevelError, paramPointer(p, "triggerDataPath"),
			fmt.Sprintf("policy %s: parameter triggerDataPath is missing", cp.label()), "set it to the array of new items, e.g. @triggerBody().items"))
		cp.disabled = "triggerDataPath is missing"
		return fs
	}
	items, err := ParsePath(rawPath)
	if err != nil || (items.Root != FuncTriggerBody && items.Root != FuncBody) {
		msg := fmt.Sprintf("policy %s: triggerDataPath %q must be a path below @triggerBody()", cp.label(), rawPath)
		if err != nil {
			msg = fmt.Sprintf("policy %s: triggerDataPath: %v", cp.label(), err)
		}
		disable("triggerDataPath", msg, "write e.g. @triggerBody().items")
		return fs
	}
	cfg := cp.params["triggerconfig"]
	if s, ok := cfg.(string); ok && strings.TrimSpace(s) != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			disable("triggerConfig", fmt.Sprintf("policy %s: triggerConfig is neither an object nor a JSON object string: %v", cp.label(), err), `write e.g. {"after": "@{triggerBody().items[0].created}"}`)
			return fs
		}
		cfg = m
	}
	cfgMap, _ := cfg.(map[string]any)
	if cfg != nil && cfgMap == nil {
		disable("triggerConfig", fmt.Sprintf("policy %s: triggerConfig is a %T, not an object", cp.label(), cfg), `write e.g. {"after": "@{triggerBody().items[0].created}"}`)
		return fs
	}
	keys := make([]string, 0, len(cfgMap))
	for k := range cfgMap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var state []TriggerParam
	for _, k := range keys {
		raw := paramValue(cfgMap[k])
		if strings.TrimSpace(k) == "" {
			fs = append(fs, e.finding(p, "policy-parameter-invalid", connector.LevelWarning, paramPointer(p, "triggerConfig"),
				fmt.Sprintf("policy %s: triggerConfig has an entry with an empty name (value %q); it is ignored", cp.label(), raw), "name the query parameter the value goes to"))
			continue
		}
		t, err := Parse(raw, ModeText)
		if err != nil {
			disable("triggerConfig", fmt.Sprintf("policy %s: triggerConfig %s: %v", cp.label(), k, err), "fix the expression syntax")
			return fs
		}
		bad := false
		for _, x := range t.Exprs() {
			if x.Func != FuncTriggerBody {
				disable("triggerConfig", fmt.Sprintf("policy %s: triggerConfig %s: %s is not supported here; only triggerBody() paths are", cp.label(), k, x.Raw), "derive the state from @{triggerBody()...}")
				bad = true
			}
		}
		if bad {
			return fs
		}
		state = append(state, TriggerParam{Name: k, Value: t, Template: raw, Literal: t.IsLiteral()})
	}
	ops := p.Operations
	if len(ops) == 0 {
		for _, o := range e.c.Operations {
			if o.Trigger != nil {
				ops = append(ops, o.ID)
			}
		}
	}
	for _, id := range ops {
		op := e.operation(id)
		if op == nil {
			continue // lint reports policy-unknown-operation
		}
		for _, sp := range state {
			if !hasQueryParam(op, sp.Name) {
				fs = append(fs, e.finding(p, "policy-trigger-parameter-unknown", connector.LevelWarning, paramPointer(p, "triggerConfig"),
					fmt.Sprintf("policy %s: triggerConfig sets %q, which is not a query parameter of operation %s", cp.label(), sp.Name, op.ID), "declare the query parameter on the trigger operation"))
			}
		}
		if op.Trigger == nil {
			fs = append(fs, e.finding(p, "policy-trigger-not-trigger", connector.LevelWarning, p.Pointer,
				fmt.Sprintf("policy %s is bound to operation %s, which has no x-ms-trigger", cp.label(), op.ID), "add x-ms-trigger: batch (or single) to the operation"))
		}
		if e.triggers[strings.ToLower(op.ID)] != nil {
			continue
		}
		pt := &PollingTrigger{OperationID: op.ID, Title: p.Title, Pointer: p.Pointer, State: state, Items: items, ItemsPath: rawPath}
		e.triggers[strings.ToLower(op.ID)] = pt
		e.trigList = append(e.trigList, pt)
	}
	return fs
}

func hasQueryParam(op *connector.Operation, name string) bool {
	if op.Op == nil {
		return false
	}
	for _, pr := range op.Op.Parameters {
		if pr != nil && pr.Value != nil && pr.Value.In == "query" && strings.EqualFold(pr.Value.Name, name) {
			return true
		}
	}
	if op.Item != nil {
		for _, pr := range op.Item.Parameters {
			if pr != nil && pr.Value != nil && pr.Value.In == "query" && strings.EqualFold(pr.Value.Name, name) {
				return true
			}
		}
	}
	return false
}
