package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/override"
)

// OperationOverride is one operation's row of the Mock screen's operations
// panel (the editable part of mock/override.Operation).
type OperationOverride struct {
	OperationID string `json:"operationId"`
	Disabled    bool   `json:"disabled,omitempty"`
	// Response: "" (as the mock would), "status:404", "example:NAME",
	// "generated" or "custom" (Status and Body).
	Response    string  `json:"response,omitempty"`
	Status      int     `json:"status,omitempty"`
	Body        string  `json:"body,omitempty"`
	LatencyMs   int     `json:"latencyMs,omitempty"`
	ErrorRate   float64 `json:"errorRate,omitempty"`
	ErrorStatus int     `json:"errorStatus,omitempty"`
	// Rules are tried in order before the answer above; the first that
	// matches answers.
	Rules []RuleView `json:"rules"`
	// Answers, when set, replace Response: answered in turn (Mode
	// "sequential", the default) or at random (Mode "random") when no
	// rule matches — the file's "responses" and "mode".
	Answers []AnswerView `json:"answers"`
	Mode    string       `json:"mode,omitempty"`
	// Choices are the declared answers ("status:200", "example:NAME").
	Choices []string `json:"choices"`
	// PathParams are the operation's path parameters (rule conditions).
	PathParams []string `json:"pathParams"`
}

// RuleView is one rule of the operations panel: when every condition
// holds, answer as Response says (the same choices as the operation's
// answer) after LatencyMs.
type RuleView struct {
	Name      string          `json:"name,omitempty"`
	When      []ConditionView `json:"when"`
	Response  string          `json:"response"`
	Status    int             `json:"status,omitempty"`
	Body      string          `json:"body,omitempty"`
	LatencyMs int             `json:"latencyMs,omitempty"`
}

// AnswerView is one answer of a sequence: the same choices as the
// operation's answer. Headers are a custom body's extra headers, kept
// from the file (the panel shows but does not edit them).
type AnswerView struct {
	Response string            `json:"response"`
	Status   int               `json:"status,omitempty"`
	Body     string            `json:"body,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"`
}

// ConditionView is one condition: In is "path", "query", "header" or
// "body" (Key a JSON pointer then); Value must equal the request's.
type ConditionView struct {
	In    string `json:"in"`
	Key   string `json:"key"`
	Value string `json:"value"`
}

// BodyCheck is a custom body checked against the operation's response
// schema: the problems with their JSON pointers, and the schema's outline
// for the editor's completion.
type BodyCheck struct {
	Problems []override.BodyProblem `json:"problems"`
	Schema   *override.Outline      `json:"schema,omitempty"`
}

// OverridesView is the overrides of one connector.
type OverridesView struct {
	File       string              `json:"file"`
	Operations []OperationOverride `json:"operations"`
}

// overrideSets holds one live override.Set per connector path; every mock
// of the connector answers through it, so a save applies at once.
type overrideSets struct {
	mu   sync.Mutex
	sets map[string]*override.Set
}

func (o *overrideSets) get(path string, c *connector.Connector) (*override.Set, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if s := o.sets[path]; s != nil {
		return s, nil
	}
	f, err := override.Load(override.DefaultPath(path), c)
	if err != nil {
		return nil, overrideErr(err)
	}
	if o.sets == nil {
		o.sets = map[string]*override.Set{}
	}
	s := override.NewSet(f)
	o.sets[path] = s
	return s, nil
}

func overrideErr(err error) error {
	if oe, ok := err.(*override.Error); ok {
		return &UserError{Message: fmt.Sprintf("%s: %s: %s", oe.File, oe.Field, oe.Problem), Fix: oe.Fix}
	}
	return userErr(err, "cannot read the overrides: "+err.Error(), "check the file's permissions")
}

func choices(op *connector.Operation) []string {
	out := []string{}
	if op.Op == nil || op.Op.Responses == nil {
		return out
	}
	codes := make([]string, 0)
	for code := range op.Op.Responses.Map() {
		if _, err := strconv.Atoi(code); err == nil {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		out = append(out, "status:"+code)
		r := op.Op.Responses.Value(code)
		if r == nil || r.Value == nil {
			continue
		}
		for _, media := range r.Value.Content {
			names := make([]string, 0, len(media.Examples))
			for n := range media.Examples {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				out = append(out, "example:"+n)
			}
		}
	}
	return out
}

// Overrides returns the operations panel of the connector at path: every
// operation with its override (from .connectorlab/overrides.json beside
// the connector) and the answers it declares.
func (s *MockService) Overrides(path string) (OverridesView, error) {
	c, err := s.ws.get(path)
	if err != nil {
		return OverridesView{}, err
	}
	set, err := s.ovr.get(path, c)
	if err != nil {
		return OverridesView{}, err
	}
	f := set.File()
	v := OverridesView{File: override.DefaultPath(path)}
	for _, op := range c.Operations {
		o := f.Operations[op.ID]
		row := OperationOverride{OperationID: op.ID, Disabled: o.Disabled, LatencyMs: o.LatencyMs, ErrorRate: o.ErrorRate, ErrorStatus: o.ErrorStatus,
			Rules: []RuleView{}, Answers: []AnswerView{}, Mode: o.Mode, Choices: choices(op), PathParams: pathParams(op)}
		if r := o.Response; r != nil {
			row.Response, row.Status, row.Body = responseChoice(r)
		}
		for _, ru := range o.Rules {
			rv := RuleView{Name: ru.Name, When: conditions(ru.When), LatencyMs: ru.LatencyMs}
			rv.Response, rv.Status, rv.Body = responseChoice(&ru.Then)
			row.Rules = append(row.Rules, rv)
		}
		for _, r := range o.Responses {
			av := AnswerView{Headers: r.Headers}
			av.Response, av.Status, av.Body = responseChoice(&r)
			row.Answers = append(row.Answers, av)
		}
		v.Operations = append(v.Operations, row)
	}
	return v, nil
}

func responseChoice(r *override.Response) (choice string, status int, body string) {
	switch {
	case len(r.Body) > 0:
		return "custom", r.Status, string(r.Body)
	case r.Example != "":
		return "example:" + r.Example, 0, ""
	case r.Generated:
		return "generated", 0, ""
	case r.Status != 0:
		return fmt.Sprintf("status:%d", r.Status), 0, ""
	}
	return "", 0, ""
}

// response is the override.Response of a panel choice; nil for "" (as
// the mock would). where names the field in errors.
func response(file, where, choice string, status int, body string) (*override.Response, error) {
	switch {
	case choice == "":
		return nil, nil
	case choice == "generated":
		return &override.Response{Generated: true}, nil
	case choice == "custom":
		body = strings.TrimSpace(body)
		if !json.Valid([]byte(body)) {
			return nil, &UserError{Message: fmt.Sprintf("%s: %s.body: the custom body is not valid JSON", file, where), Fix: "write the body as JSON (the editor marks where it breaks)"}
		}
		return &override.Response{Status: status, Body: json.RawMessage(body)}, nil
	case strings.HasPrefix(choice, "status:"):
		n, err := strconv.Atoi(strings.TrimPrefix(choice, "status:"))
		if err != nil {
			return nil, &UserError{Message: fmt.Sprintf("%s: %q is not a status", where, choice), Fix: "pick one of the operation's declared answers"}
		}
		return &override.Response{Status: n}, nil
	case strings.HasPrefix(choice, "example:"):
		return &override.Response{Example: strings.TrimPrefix(choice, "example:")}, nil
	}
	return nil, &UserError{Message: fmt.Sprintf("%s: %q is not a response choice", where, choice), Fix: "pick one of the operation's declared answers, generated or custom"}
}

// sequence is the file's "responses" of a row's answers; an answer
// "as the mock would" stays in the turn (the simulator answers it).
func sequence(file, where string, r OperationOverride) ([]override.Response, error) {
	if r.Mode != "" && r.Mode != "sequential" && r.Mode != "random" {
		return nil, &UserError{Message: fmt.Sprintf("%s: %s.mode: %q is not a mode", file, where, r.Mode), Fix: `pick "in turn" (sequential) or "at random" (random)`}
	}
	var out []override.Response
	for i, a := range r.Answers {
		resp, err := response(file, fmt.Sprintf("%s.responses[%d]", where, i), a.Response, a.Status, a.Body)
		if err != nil {
			return nil, err
		}
		if resp == nil {
			resp = &override.Response{}
		}
		if len(resp.Body) > 0 {
			resp.Headers = a.Headers
		}
		out = append(out, *resp)
	}
	return out, nil
}

func conditions(m override.Match) []ConditionView {
	out := []ConditionView{}
	add := func(in string, kv map[string]string) {
		keys := make([]string, 0, len(kv))
		for k := range kv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, ConditionView{In: in, Key: k, Value: kv[k]})
		}
	}
	add("path", m.Path)
	add("query", m.Query)
	add("header", m.Header)
	add("body", m.Body)
	return out
}

func match(where string, cs []ConditionView) (override.Match, error) {
	var m override.Match
	put := func(dst *map[string]string, k, v string) {
		if *dst == nil {
			*dst = map[string]string{}
		}
		(*dst)[k] = v
	}
	for i, c := range cs {
		k := strings.TrimSpace(c.Key)
		if k == "" {
			return m, &UserError{Message: fmt.Sprintf("%s.when[%d]: the condition names no %s", where, i, orDefault(c.In, "field")), Fix: "give the parameter, header or JSON pointer to match, or remove the condition"}
		}
		switch c.In {
		case "path":
			put(&m.Path, k, c.Value)
		case "query":
			put(&m.Query, k, c.Value)
		case "header":
			put(&m.Header, k, c.Value)
		case "body":
			if !strings.HasPrefix(k, "/") {
				k = "/" + k
			}
			put(&m.Body, k, c.Value)
		default:
			return m, &UserError{Message: fmt.Sprintf("%s.when[%d]: %q is not where a condition looks", where, i, c.In), Fix: "use path, query, header or body"}
		}
	}
	return m, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func pathParams(op *connector.Operation) []string {
	out := []string{}
	for rest := op.Path; ; {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			return out
		}
		out = append(out, rest[i+1:j])
		rest = rest[j+1:]
	}
}

// CheckBody checks a custom body of operationID against the schema the
// operation declares for status (0: its first 2xx) — the editor's
// problem list, JSON pointers and all — and returns the schema's outline
// for completion. Schema problems do not stop a save: a maker may want
// to answer a deliberately wrong body.
func (s *MockService) CheckBody(path, operationID string, status int, body string) (BodyCheck, error) {
	c, err := s.ws.get(path)
	if err != nil {
		return BodyCheck{}, err
	}
	op := c.Operation(operationID)
	if op == nil {
		return BodyCheck{}, &UserError{Message: "no operation " + operationID + " in " + c.Name, Fix: "reopen the connector"}
	}
	out := BodyCheck{Problems: []override.BodyProblem{}, Schema: override.SchemaOutline(override.ResponseSchema(op, status))}
	if strings.TrimSpace(body) != "" {
		if ps := override.CheckBody(op, status, []byte(body)); ps != nil {
			out.Problems = ps
		}
	}
	return out, nil
}

// sameRule is the rule of rules that a saved one stands for: the one with
// its (non-empty) name, else the one with the same conditions; nil if none.
func sameRule(rules []override.Rule, name string, when override.Match) *override.Rule {
	for i := range rules {
		if name != "" && rules[i].Name == name {
			return &rules[i]
		}
	}
	for i := range rules {
		if reflect.DeepEqual(rules[i].When, when) {
			return &rules[i]
		}
	}
	return nil
}

// SaveOverrides writes the panel's rows to the sidecar file and applies
// them to every running mock of the connector at once: answers, latency,
// errors, rules (in order, first match wins) and answer sequences.
func (s *MockService) SaveOverrides(path string, rows []OperationOverride) (OverridesView, error) {
	c, err := s.ws.get(path)
	if err != nil {
		return OverridesView{}, err
	}
	set, err := s.ovr.get(path, c)
	if err != nil {
		return OverridesView{}, err
	}
	old := set.File()
	f := override.File{Version: 1, Operations: map[string]override.Operation{}}
	for _, r := range rows {
		o := old.Operations[r.OperationID]
		o.Disabled, o.LatencyMs, o.ErrorRate, o.ErrorStatus = r.Disabled, r.LatencyMs, r.ErrorRate, r.ErrorStatus
		file := override.DefaultPath(path)
		where := "operations." + r.OperationID
		resp, err := response(file, where+".response", r.Response, r.Status, r.Body)
		if err != nil {
			return OverridesView{}, err
		}
		// The panel does not edit headers: a custom answer keeps the file's.
		if resp != nil && len(resp.Body) > 0 && o.Response != nil {
			resp.Headers = o.Response.Headers
		}
		o.Response = resp
		oldRules := o.Rules
		o.Rules = nil
		for i, rv := range r.Rules {
			rw := fmt.Sprintf("%s.rules[%d]", where, i)
			m, err := match(rw, rv.When)
			if err != nil {
				return OverridesView{}, err
			}
			then, err := response(file, rw+".then", rv.Response, rv.Status, rv.Body)
			if err != nil {
				return OverridesView{}, err
			}
			if then == nil {
				then = &override.Response{}
			}
			// Nor a rule's: its custom answer keeps the headers of the same
			// rule in the file (found by name, else by its conditions, since
			// the panel may have reordered the rules).
			if len(then.Body) > 0 && then.Headers == nil {
				if was := sameRule(oldRules, strings.TrimSpace(rv.Name), m); was != nil {
					then.Headers = was.Then.Headers
				}
			}
			if rv.LatencyMs < 0 {
				return OverridesView{}, &UserError{Message: rw + ".latencyMs is negative", Fix: "give 0 or more milliseconds"}
			}
			o.Rules = append(o.Rules, override.Rule{Name: strings.TrimSpace(rv.Name), When: m, Then: *then, LatencyMs: rv.LatencyMs})
		}
		seq, err := sequence(file, where, r)
		if err != nil {
			return OverridesView{}, err
		}
		o.Responses, o.Mode = seq, r.Mode
		if len(seq) == 0 {
			o.Mode = ""
		}
		if o.Disabled || o.Response != nil || o.LatencyMs != 0 || o.ErrorRate != 0 || len(o.Rules) > 0 || len(o.Responses) > 0 {
			f.Operations[r.OperationID] = o
		}
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return OverridesView{}, err
	}
	file := override.DefaultPath(path)
	checked, err := override.Parse(file, b, c)
	if err != nil {
		return OverridesView{}, overrideErr(err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return OverridesView{}, userErr(err, "cannot create "+filepath.Dir(file)+": "+err.Error(), "check that the connector's folder is writable")
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return OverridesView{}, userErr(err, "cannot write "+file+": "+err.Error(), "check that the connector's folder is writable")
	}
	if err := os.Rename(tmp, file); err != nil {
		return OverridesView{}, userErr(err, "cannot write "+file+": "+err.Error(), "check that the connector's folder is writable")
	}
	set.Replace(checked)
	return s.Overrides(path)
}
