package override

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
)

// FileName is the sidecar's path relative to the connector's folder.
const FileName = ".connectorlab/overrides.json"

// DefaultPath is the overrides file of the connector at path (a folder, or
// a definition file whose folder holds the sidecar).
func DefaultPath(path string) string {
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		path = filepath.Dir(path)
	}
	return filepath.Join(path, FileName)
}

// File is the overrides file.
type File struct {
	// Version is 1.
	Version int `json:"version"`
	// Operations holds the overrides by operationId.
	Operations map[string]Operation `json:"operations"`
}

// Operation is what one operation answers instead of the simulation.
type Operation struct {
	// Disabled answers 501 with a problem naming the override.
	Disabled bool `json:"disabled,omitempty"`
	// Response is the answer when no rule matches; nil answers as the
	// mock would.
	Response *Response `json:"response,omitempty"`
	// Responses, when set, are answered in turn (Mode "sequential", the
	// default) or at random (Mode "random") when no rule matches.
	Responses []Response `json:"responses,omitempty"`
	Mode      string     `json:"mode,omitempty"`
	// LatencyMs delays this operation's answers.
	LatencyMs int `json:"latencyMs,omitempty"`
	// ErrorRate (0–1) answers ErrorStatus (default 500) to that share of
	// this operation's calls.
	ErrorRate   float64 `json:"errorRate,omitempty"`
	ErrorStatus int     `json:"errorStatus,omitempty"`
	// Rules are tried in order; the first that matches answers.
	Rules []Rule `json:"rules,omitempty"`
}

// Response is one answer.
type Response struct {
	// Status is a declared status to answer (the simulator builds the
	// body), or the status of Body.
	Status int `json:"status,omitempty"`
	// Example names an example of the response to send.
	Example string `json:"example,omitempty"`
	// Generated answers data generated from the schema even where an
	// example exists.
	Generated bool `json:"generated,omitempty"`
	// Body is a custom JSON body, sent as it is (status Status, default 200).
	Body json.RawMessage `json:"body,omitempty"`
	// Headers are added to a custom body's answer.
	Headers map[string]string `json:"headers,omitempty"`
}

// Rule answers Then when every condition of When holds.
type Rule struct {
	Name string   `json:"name,omitempty"`
	When Match    `json:"when"`
	Then Response `json:"then"`
	// LatencyMs delays the rule's answer (on top of the operation's).
	LatencyMs int `json:"latencyMs,omitempty"`
}

// Match conditions: exact values of path parameters (by declared name),
// request headers and query parameters, and of JSON body fields by JSON
// pointer ("/customer/id"). An empty Match always holds.
type Match struct {
	Path   map[string]string `json:"path,omitempty"`
	Header map[string]string `json:"header,omitempty"`
	Query  map[string]string `json:"query,omitempty"`
	Body   map[string]string `json:"body,omitempty"`
}

// Error is a problem with an overrides file: where, what and the fix.
type Error struct {
	File, Field, Problem, Fix string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s: %s (fix: %s)", e.File, e.Field, e.Problem, e.Fix)
}

// Load reads and checks the overrides file at path against the connector.
// A missing file is no overrides (an empty File, no error).
func Load(path string, c *connector.Connector) (File, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return File{Version: 1, Operations: map[string]Operation{}}, nil
	}
	if err != nil {
		return File{}, fmt.Errorf("read overrides: %w", err)
	}
	return Parse(path, b, c)
}

// Parse decodes and checks an overrides file's bytes; name is used in
// errors.
func Parse(name string, b []byte, c *connector.Connector) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, &Error{File: name, Field: "(file)", Problem: "not a valid overrides file: " + err.Error(), Fix: `write {"version": 1, "operations": {"OperationId": {...}}}`}
	}
	if f.Version == 0 {
		f.Version = 1
	}
	if f.Version != 1 {
		return File{}, &Error{File: name, Field: "version", Problem: fmt.Sprintf("version %d is not supported", f.Version), Fix: "use version 1"}
	}
	if f.Operations == nil {
		f.Operations = map[string]Operation{}
	}
	return f, f.check(name, c)
}

func (f File) check(name string, c *connector.Connector) error {
	ids := make([]string, 0, len(f.Operations))
	for id := range f.Operations {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		o := f.Operations[id]
		field := "operations." + id
		op := c.Operation(id)
		if op == nil {
			return &Error{File: name, Field: field, Problem: "no operation " + id + " in " + c.Name, Fix: "use an operationId of the connector, or delete the entry"}
		}
		if o.Mode != "" && o.Mode != "sequential" && o.Mode != "random" {
			return &Error{File: name, Field: field + ".mode", Problem: fmt.Sprintf("%q is not a mode", o.Mode), Fix: `use "sequential" or "random"`}
		}
		if o.LatencyMs < 0 || o.LatencyMs > 600000 {
			return &Error{File: name, Field: field + ".latencyMs", Problem: fmt.Sprintf("%d is out of range", o.LatencyMs), Fix: "use 0 to 600000 milliseconds"}
		}
		if o.ErrorRate < 0 || o.ErrorRate > 1 {
			return &Error{File: name, Field: field + ".errorRate", Problem: fmt.Sprintf("%v is not a share", o.ErrorRate), Fix: "use a number from 0 to 1"}
		}
		if o.ErrorStatus != 0 && (o.ErrorStatus < 400 || o.ErrorStatus > 599) {
			return &Error{File: name, Field: field + ".errorStatus", Problem: fmt.Sprintf("%d is not an error status", o.ErrorStatus), Fix: "use 400 to 599"}
		}
		check := func(f string, r *Response) error {
			if r.Status != 0 && (r.Status < 100 || r.Status > 599) {
				return &Error{File: name, Field: f + ".status", Problem: fmt.Sprintf("%d is not an HTTP status", r.Status), Fix: "use 100 to 599"}
			}
			if len(r.Body) > 0 && !json.Valid(r.Body) {
				return &Error{File: name, Field: f + ".body", Problem: "not valid JSON", Fix: "write the body as JSON"}
			}
			if len(r.Body) == 0 && r.Status != 0 && !declares(op, r.Status) {
				return &Error{File: name, Field: f + ".status", Problem: fmt.Sprintf("%s does not declare %d", id, r.Status), Fix: "pick a declared status, or give a custom body"}
			}
			return nil
		}
		if o.Response != nil {
			if err := check(field+".response", o.Response); err != nil {
				return err
			}
		}
		for i := range o.Responses {
			if err := check(fmt.Sprintf("%s.responses[%d]", field, i), &o.Responses[i]); err != nil {
				return err
			}
		}
		for i := range o.Rules {
			rf := fmt.Sprintf("%s.rules[%d]", field, i)
			for p := range o.Rules[i].When.Path {
				if !hasPathParam(op, p) {
					return &Error{File: name, Field: rf + ".when.path", Problem: fmt.Sprintf("%s has no path parameter %q", id, p), Fix: "match on one of the operation's path parameters: " + pathParams(op)}
				}
			}
			for p := range o.Rules[i].When.Body {
				if p != "" && !strings.HasPrefix(p, "/") {
					return &Error{File: name, Field: rf + ".when.body", Problem: fmt.Sprintf("%q is not a JSON pointer", p), Fix: `write field paths as JSON pointers, e.g. "/customer/id"`}
				}
			}
			if l := o.Rules[i].LatencyMs; l < 0 || l > 600000 {
				return &Error{File: name, Field: rf + ".latencyMs", Problem: fmt.Sprintf("%d is out of range", l), Fix: "use 0 to 600000 milliseconds"}
			}
			if err := check(rf+".then", &o.Rules[i].Then); err != nil {
				return err
			}
		}
	}
	return nil
}

func hasPathParam(op *connector.Operation, name string) bool {
	return strings.Contains(op.Path, "{"+name+"}")
}

func pathParams(op *connector.Operation) string {
	var out []string
	for rest := op.Path; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			break
		}
		out = append(out, rest[i+1:i+j])
		rest = rest[i+j+1:]
	}
	if len(out) == 0 {
		return "(it has none: match on query, header or body instead)"
	}
	return strings.Join(out, ", ")
}

func declares(op *connector.Operation, status int) bool {
	if op.Op == nil || op.Op.Responses == nil {
		return false
	}
	want := fmt.Sprint(status)
	for code := range op.Op.Responses.Map() {
		up := strings.ToUpper(code)
		if code == want || code == "default" || (len(up) == 3 && up[1:] == "XX" && up[0] == want[0]) {
			return true
		}
	}
	return false
}

// Set is the overrides a running mock applies; Replace swaps them live.
type Set struct {
	cur  atomic.Pointer[File]
	mu   sync.Mutex
	seq  map[string]int // next of Responses per operation (sequential mode)
	rand func() float64
	now  func() time.Time
}

// NewSet returns a Set applying f.
func NewSet(f File) *Set {
	s := &Set{seq: map[string]int{}, rand: rand.Float64, now: time.Now}
	s.Replace(f)
	return s
}

// Replace applies f from the next request on; sequences restart.
func (s *Set) Replace(f File) {
	s.cur.Store(&f)
	s.mu.Lock()
	s.seq = map[string]int{}
	s.mu.Unlock()
}

// File is what the Set applies now.
func (s *Set) File() File { return *s.cur.Load() }

// Responder is the engine hook: put it first in mock.Options.Responders.
func (s *Set) Responder() mock.Responder { return mock.ResponderFunc(s.respond) }

func (s *Set) respond(ctx context.Context, c *mock.Call) (*mock.Reply, error) {
	f := s.cur.Load()
	o, ok := f.Operations[c.Operation.ID]
	if !ok {
		return nil, nil
	}
	if o.Disabled {
		c.Note("override-disabled", "info", "", c.Operation.ID+" is disabled by the overrides file")
		return problem(http.StatusNotImplemented, "operation-disabled", "Operation disabled",
			c.Operation.ID+" is switched off in "+FileName+"; enable it in the desktop app's operations panel or delete \"disabled\" from the file")
	}
	if err := sleep(ctx, o.LatencyMs); err != nil {
		return nil, err
	}
	if o.ErrorRate > 0 && s.rand() < o.ErrorRate {
		st := o.ErrorStatus
		if st == 0 {
			st = http.StatusInternalServerError
		}
		c.Note("override-fault", "info", "", fmt.Sprintf("answered %d: the overrides file sets an error rate of %v for %s", st, o.ErrorRate, c.Operation.ID))
		return problem(st, "override-fault", "Injected error", fmt.Sprintf("the overrides file answers %d to a share %v of %s calls", st, o.ErrorRate, c.Operation.ID))
	}
	for i := range o.Rules {
		if o.Rules[i].When.holds(c) {
			name := o.Rules[i].Name
			if name == "" {
				name = fmt.Sprintf("rule %d", i+1)
			}
			c.Note("override-rule", "info", "", fmt.Sprintf("%s matched (overrides file)", name))
			if err := sleep(ctx, o.Rules[i].LatencyMs); err != nil {
				return nil, err
			}
			return answer(c, &o.Rules[i].Then)
		}
	}
	if len(o.Responses) > 0 {
		i := 0
		if o.Mode == "random" {
			i = int(s.rand() * float64(len(o.Responses)))
			if i >= len(o.Responses) {
				i = len(o.Responses) - 1
			}
		} else {
			s.mu.Lock()
			i = s.seq[c.Operation.ID] % len(o.Responses)
			s.seq[c.Operation.ID] = i + 1
			s.mu.Unlock()
		}
		return answer(c, &o.Responses[i])
	}
	if o.Response != nil {
		return answer(c, o.Response)
	}
	return nil, nil
}

func sleep(ctx context.Context, ms int) error {
	if ms <= 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// answer sends a custom body, or asks the simulator for the declared
// status, example or generated data (nil reply: simulation goes on).
func answer(c *mock.Call, r *Response) (*mock.Reply, error) {
	if len(r.Body) > 0 {
		st := r.Status
		if st == 0 {
			st = http.StatusOK
		}
		rep := mock.NewReply(st)
		rep.Header.Set("Content-Type", "application/json")
		for k, v := range r.Headers {
			rep.Header.Set(k, v)
		}
		rep.Body = append([]byte(nil), r.Body...)
		// The body is the user's: no paging or other filter rewrites it.
		rep.Final = true
		return rep, nil
	}
	if r.Status != 0 {
		c.Prefer.Code = r.Status
	}
	if r.Example != "" {
		c.Prefer.Example = r.Example
	}
	if r.Generated {
		c.Prefer.Dynamic = true
	}
	return nil, nil
}

func (m Match) holds(c *mock.Call) bool {
	for k, v := range m.Path {
		if c.Params[k] != v {
			return false
		}
	}
	for k, v := range m.Header {
		if c.Request.Header.Get(k) != v {
			return false
		}
	}
	q := c.Request.URL.Query()
	for k, v := range m.Query {
		if q.Get(k) != v {
			return false
		}
	}
	if len(m.Body) > 0 {
		var doc any
		if c.JSON != nil {
			doc = c.JSON
		} else if err := json.Unmarshal(c.Body, &doc); err != nil {
			return false
		}
		for p, v := range m.Body {
			got, ok := pointer(doc, p)
			if !ok || scalar(got) != v {
				return false
			}
		}
	}
	return true
}

func pointer(doc any, p string) (any, bool) {
	if p == "" {
		return doc, true
	}
	for _, tok := range strings.Split(p[1:], "/") {
		tok = connector.UnescapePointerToken(tok)
		switch v := doc.(type) {
		case map[string]any:
			x, ok := v[tok]
			if !ok {
				return nil, false
			}
			doc = x
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			doc = v[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func problem(status int, id, title, detail string) (*mock.Reply, error) {
	return mock.JSONReply(status, "application/problem+json", map[string]any{"type": "about:blank#" + id, "title": title, "status": status, "detail": detail})
}

// Watch keeps s in step with the file at path (read every interval)
// until ctx ends: its content at the first check, then every change. A
// broken edit keeps the overrides that were applied and is reported to
// onError; a deleted file means no overrides.
func (s *Set) Watch(ctx context.Context, path string, c *connector.Connector, interval time.Duration, onError func(error)) {
	var last []byte
	first := true
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		b, err := os.ReadFile(path)
		gone := errors.Is(err, os.ErrNotExist)
		if gone {
			b, err = []byte{}, nil
		}
		switch {
		case err != nil:
			if onError != nil && !first {
				onError(fmt.Errorf("read overrides: %w", err))
			}
		case len(b) == 0 && !gone:
			// An empty file that exists is one being written (a save
			// truncates, then writes): applying it would drop every
			// override until the next poll. Only a deleted file clears
			// them. Regression: TestLoadAndWatchTheSidecar, seen in CI.
		case first && len(b) == 0:
			last = b
		case last == nil || !bytes.Equal(b, last):
			last = b
			f := File{Version: 1, Operations: map[string]Operation{}}
			if len(b) > 0 {
				f, err = Parse(path, b, c)
			}
			if err != nil {
				if onError != nil {
					onError(err)
				}
			} else {
				s.Replace(f)
			}
		}
		first = false
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
