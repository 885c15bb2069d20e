package app

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/customcode"
	"github.com/connectorlab/connectorlab/workflow/traffic"
)

// ScriptView is the Mock screen's custom-code panel: the connector's
// script.csx, the operations the gateway runs it for, and the last
// compile (workflow/customcode.Compile).
type ScriptView struct {
	File       string   `json:"file"`
	Source     string   `json:"source"`
	Operations []string `json:"operations"`
	// Compile is the script as it is on disk, compiled.
	Compile customcode.CompileReport `json:"compile"`
	// Reloaded counts the running mocks that now run the saved script.
	Reloaded int `json:"reloaded,omitempty"`
	// ReloadError says why a running mock keeps the last good script.
	ReloadError string `json:"reloadError,omitempty"`
}

// ScriptRunRequest is "Run once": one operation through the script, the
// loop of `connectorlab script test`.
type ScriptRunRequest struct {
	Path        string `json:"path"`
	OperationID string `json:"operationId"`
	// Request is a --request document (method, path, query, headers,
	// body); "" builds a valid request from the definition.
	Request string `json:"request,omitempty"`
	// Target is where SendAsync goes ("": the built-in mock).
	Target string `json:"target,omitempty"`
}

// ScriptMessage is a request or response of a run.
type ScriptMessage struct {
	Method  string               `json:"method,omitempty"`
	URL     string               `json:"url,omitempty"`
	Status  int                  `json:"status,omitempty"`
	Headers []traffic.HeaderView `json:"headers"`
	Kind    string               `json:"kind"`
	Body    string               `json:"body"`
}

// ScriptSend is one Context.SendAsync of a run.
type ScriptSend struct {
	Request  ScriptMessage `json:"request"`
	Response ScriptMessage `json:"response"`
	Error    string        `json:"error,omitempty"`
	Millis   float64       `json:"millis"`
}

// ScriptLog is one line the script logged.
type ScriptLog struct {
	Level   string  `json:"level"`
	Message string  `json:"message"`
	AtMs    float64 `json:"atMs"`
}

// ScriptRunView is a run's report (customcode.TestReport for the window).
type ScriptRunView struct {
	Operation       string        `json:"operation"`
	ScriptOperation bool          `json:"scriptOperation"`
	Against         string        `json:"against"`
	Before          ScriptMessage `json:"before"`
	Sends           []ScriptSend  `json:"sends"`
	After           ScriptMessage `json:"after"`
	Logs            []ScriptLog   `json:"logs"`
	// Error is the exception or timeout (Kind, Type, Message, Stack).
	Error       *scripthost.ScriptError `json:"error,omitempty"`
	Warnings    []string                `json:"warnings"`
	CompileMs   float64                 `json:"compileMs"`
	Cached      bool                    `json:"cached"`
	ColdStartMs float64                 `json:"coldStartMs"`
	CallMs      float64                 `json:"callMs"`
	Isolation   string                  `json:"isolation"`
}

func (s *MockService) scriptConnector(path string) (*connector.Connector, error) {
	c, err := s.ws.get(path)
	if err != nil {
		return nil, err
	}
	if c.CustomCode == nil {
		return nil, &UserError{Message: c.Name + " has no custom code (no script.csx beside its definition)", Fix: "add script.csx to the connector folder and open it again"}
	}
	return c, nil
}

func scriptOperations(c *connector.Connector) []string {
	out := []string{}
	for _, op := range c.Operations {
		if op.CustomCode {
			out = append(out, op.ID)
		}
	}
	return out
}

// Script returns the custom-code panel of the connector at path: the
// source of script.csx and the script compiled as it is.
func (s *MockService) Script(path string) (ScriptView, error) {
	c, err := s.scriptConnector(path)
	if err != nil {
		return ScriptView{}, err
	}
	b, err := os.ReadFile(c.CustomCode.File)
	if err != nil {
		return ScriptView{}, userErr(err, "cannot read "+c.CustomCode.File+": "+err.Error(), "check the file's permissions")
	}
	rep, err := customcode.Compile(s.ctx, c, customcode.Options{Logger: s.log})
	if err != nil {
		return ScriptView{}, err
	}
	return ScriptView{File: c.CustomCode.File, Source: string(b), Operations: scriptOperations(c), Compile: rep}, nil
}

// SaveScript writes source to the connector's script.csx, compiles it and
// puts it in front of every running mock of the connector; a script that
// does not compile is saved (it is the maker's file) and listed with
// script.csx:line:col, while the mocks keep the last good one.
func (s *MockService) SaveScript(path, source string) (ScriptView, error) {
	c, err := s.scriptConnector(path)
	if err != nil {
		return ScriptView{}, err
	}
	if err := customcode.WriteScript(c.CustomCode.File, source); err != nil {
		return ScriptView{}, err
	}
	v, err := s.Script(path)
	if err != nil || !v.Compile.OK || !v.Compile.Available {
		return v, err
	}
	s.mu.Lock()
	var mine []*runningMock
	for _, m := range s.running {
		if m.status.Path == path {
			mine = append(mine, m)
		}
	}
	s.mu.Unlock()
	for _, m := range mine {
		ok, err := customcode.Reload(s.ctx, m.h.Unit, m.connector(), customcode.Options{Logger: s.log})
		if err != nil {
			v.ReloadError = err.Error()
			continue
		}
		if ok {
			v.Reloaded++
			s.mu.Lock()
			m.status.CustomCode, m.status.CodeWarning = true, ""
			st := m.status
			s.mu.Unlock()
			s.emit.Emit(EventMockState, st)
		}
	}
	return v, nil
}

// RunScript runs the script once for one operation (the built-in mock, or
// Target, answers its SendAsync) and reports the request before and after
// the code, the answers, the script's log lines and timing.
func (s *MockService) RunScript(req ScriptRunRequest) (ScriptRunView, error) {
	c, err := s.scriptConnector(req.Path)
	if err != nil {
		return ScriptRunView{}, err
	}
	o := customcode.TestOptions{Operation: req.OperationID, Target: strings.TrimSpace(req.Target), Logger: s.log}
	if strings.TrimSpace(req.Request) != "" {
		var spec customcode.RequestSpec
		dec := json.NewDecoder(strings.NewReader(req.Request))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&spec); err != nil {
			return ScriptRunView{}, workflow.Usage("the request is not a request document: "+err.Error(), `write {"method":"POST","path":"/v1/items","query":{},"headers":{},"body":{}} or leave it empty for one built from the definition`)
		}
		o.Request = &spec
	}
	rep, err := customcode.ScriptTest(s.ctx, c, o)
	if err != nil {
		return ScriptRunView{}, err
	}
	ms := func(d interface{ Seconds() float64 }) float64 { return d.Seconds() * 1000 }
	v := ScriptRunView{Operation: rep.Operation, ScriptOperation: rep.ScriptOperation, Against: rep.Against,
		Before: scriptMessage(rep.Before), After: scriptMessage(rep.After), Sends: []ScriptSend{}, Logs: []ScriptLog{},
		Error: rep.Error, Warnings: append([]string{}, rep.Warnings...), CompileMs: ms(rep.Compile), Cached: rep.Cached,
		ColdStartMs: ms(rep.ColdStart), CallMs: ms(rep.Call), Isolation: rep.Isolation}
	for _, x := range rep.Sends {
		v.Sends = append(v.Sends, ScriptSend{Request: scriptMessage(x.Request), Response: scriptMessage(x.Response), Error: x.Error, Millis: ms(x.Duration)})
	}
	for _, l := range rep.Logs {
		v.Logs = append(v.Logs, ScriptLog{Level: l.Level, Message: l.Message, AtMs: ms(l.At)})
	}
	return v, nil
}

func scriptMessage(m customcode.Message) ScriptMessage {
	h := m.Header
	if h == nil {
		h = http.Header{}
	}
	out := ScriptMessage{Method: m.Method, URL: m.URL, Status: m.Status, Headers: traffic.HeaderViews(h, nil, "")}
	out.Kind, out.Body = traffic.BodyText([]byte(m.Body), h.Get("Content-Type"))
	return out
}
