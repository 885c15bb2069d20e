package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
	// Rules counts the rules the file holds for the operation (edited in
	// the file; kept on save).
	Rules int `json:"rules,omitempty"`
	// Choices are the declared answers ("status:200", "example:NAME").
	Choices []string `json:"choices"`
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
		row := OperationOverride{OperationID: op.ID, Disabled: o.Disabled, LatencyMs: o.LatencyMs, ErrorRate: o.ErrorRate, ErrorStatus: o.ErrorStatus, Rules: len(o.Rules), Choices: choices(op)}
		if r := o.Response; r != nil {
			switch {
			case len(r.Body) > 0:
				row.Response, row.Status, row.Body = "custom", r.Status, string(r.Body)
			case r.Example != "":
				row.Response = "example:" + r.Example
			case r.Generated:
				row.Response = "generated"
			case r.Status != 0:
				row.Response = fmt.Sprintf("status:%d", r.Status)
			}
		}
		v.Operations = append(v.Operations, row)
	}
	return v, nil
}

// SaveOverrides writes the panel's rows to the sidecar file and applies
// them to every running mock of the connector at once. Rules and response
// sequences in the file are kept.
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
		o.Response = nil
		switch {
		case r.Response == "":
		case r.Response == "generated":
			o.Response = &override.Response{Generated: true}
		case r.Response == "custom":
			body := strings.TrimSpace(r.Body)
			if !json.Valid([]byte(body)) {
				return OverridesView{}, &UserError{Message: fmt.Sprintf("%s: operations.%s.response.body: the custom body is not valid JSON", override.DefaultPath(path), r.OperationID), Fix: "write the body as JSON (the editor marks where it breaks)"}
			}
			o.Response = &override.Response{Status: r.Status, Body: json.RawMessage(body)}
		case strings.HasPrefix(r.Response, "status:"):
			n, _ := strconv.Atoi(strings.TrimPrefix(r.Response, "status:"))
			o.Response = &override.Response{Status: n}
		case strings.HasPrefix(r.Response, "example:"):
			o.Response = &override.Response{Example: strings.TrimPrefix(r.Response, "example:")}
		default:
			return OverridesView{}, &UserError{Message: fmt.Sprintf("%s: %q is not a response choice", r.OperationID, r.Response), Fix: "pick one of the operation's declared answers, generated or custom"}
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
