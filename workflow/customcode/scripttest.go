package customcode

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow"
)

// RequestSpec is a --request file: the request a flow would send to the
// operation. Path is relative to the host and includes the basePath;
// Body is JSON, or BodyText any text.
type RequestSpec struct {
	Method   string            `json:"method,omitempty"`
	Path     string            `json:"path,omitempty"`
	Query    map[string]string `json:"query,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"`
	Body     json.RawMessage   `json:"body,omitempty"`
	BodyText string            `json:"bodyText,omitempty"`
}

// ReadRequestSpec reads a --request file.
func ReadRequestSpec(path string) (*RequestSpec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, workflow.Usage("cannot read the request file: "+err.Error(), "give a JSON file such as {\"method\":\"POST\",\"path\":\"/v1/items\",\"headers\":{},\"body\":{}}")
	}
	var s RequestSpec
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, workflow.Usage(fmt.Sprintf("%s: %v", path, err), "the request file takes method, path, query, headers, body (JSON) or bodyText")
	}
	return &s, nil
}

// TestOptions configure one ScriptTest.
type TestOptions struct {
	Operation string
	// Request is the incoming request; nil builds a valid one from the
	// definition.
	Request *RequestSpec
	// Target is where SendAsync goes: "" is the built-in mock, otherwise
	// a base URL standing in for the connector's host.
	Target string
	// Auth adds the connection's credentials before the script runs.
	Auth func(*http.Request) error
	// Secrets are the connection's secret values: the report shows
	// "[redacted]" in their place, and for credential headers.
	Secrets  []string
	Timeout  time.Duration
	CacheDir string
	Logger   *slog.Logger
	// Client sends to Target (nil: no redirects followed, 30 s timeout).
	Client *http.Client
}

// Message is a request or a response as the report shows it.
type Message struct {
	Method string      `json:"method,omitempty"`
	URL    string      `json:"url,omitempty"`
	Status int         `json:"status,omitempty"`
	Header http.Header `json:"header,omitempty"`
	Body   string      `json:"body,omitempty"`
}

// Exchange is one SendAsync: the request after the code and the
// backend's response before the code.
type Exchange struct {
	Request  Message       `json:"request"`
	Response Message       `json:"response"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration"`
}

// TestReport is what 'connectorlab script test' prints.
type TestReport struct {
	SchemaVersion int    `json:"schemaVersion"`
	Connector     string `json:"connector"`
	Script        string `json:"script"`
	Operation     string `json:"operation"`
	// ScriptOperation is false when apiProperties scriptOperations does
	// not list the operation (the gateway would not run the code for it).
	ScriptOperation bool   `json:"scriptOperation"`
	Against         string `json:"against"` // "mock" or the target URL
	// Before is Context.Request, as the code received it.
	Before Message `json:"before"`
	// Sends are the requests the code sent and the answers it got.
	Sends []Exchange `json:"sends"`
	// After is the response the code returned (what the client gets).
	After     Message                 `json:"after"`
	Logs      []scripthost.LogLine    `json:"logs"`
	Error     *scripthost.ScriptError `json:"error,omitempty"`
	Warnings  []string                `json:"warnings,omitempty"`
	Compile   time.Duration           `json:"compile"`
	Cached    bool                    `json:"cached"`
	ColdStart time.Duration           `json:"coldStart"`
	Call      time.Duration           `json:"call"`
	Isolation string                  `json:"isolation"`
}

// ScriptTest runs c's script once for one operation against the mock or
// a target.
func ScriptTest(ctx context.Context, c *connector.Connector, o TestOptions) (*TestReport, error) {
	if c.CustomCode == nil {
		return nil, workflow.Usage(c.Name+" has no custom code (no script.csx in the connector folder)", "give the folder that holds apiDefinition.swagger.json and script.csx")
	}
	op := findOperation(c, o.Operation)
	if op == nil {
		return nil, workflow.Usage(fmt.Sprintf("operation %q is not in %s", o.Operation, c.Name), "give one of: "+operationIDs(c))
	}
	eng, err := scripthost.FindEngine()
	if err != nil {
		return nil, Error(err)
	}
	src, err := scripthost.ReadSource(c.CustomCode.File)
	if err != nil {
		return nil, workflow.Usage(err.Error(), "check the connector folder's script.csx")
	}
	rep := &TestReport{SchemaVersion: 1, Connector: c.Name, Script: c.CustomCode.File, Operation: op.ID, ScriptOperation: op.CustomCode, Against: "mock"}
	if !op.CustomCode {
		rep.Warnings = append(rep.Warnings, "apiProperties scriptOperations does not list "+op.ID+": the gateway would not run the code for it")
	}
	start := time.Now()
	h, err := scripthost.New(ctx, src, scripthost.Options{Engine: eng, CacheDir: o.CacheDir, Timeout: o.Timeout, Logger: o.Logger})
	if err != nil {
		return nil, Error(err)
	}
	defer h.Close()
	asm := h.Assembly()
	rep.Compile, rep.Cached = asm.Took, asm.Cached
	rep.ColdStart = time.Since(start) - asm.Took
	rep.Isolation = h.Isolation()
	for _, w := range asm.Warnings {
		rep.Warnings = append(rep.Warnings, w.String())
	}
	r := scripthost.NewRunner(h, c, nil)
	r.Auth = o.Auth
	backend := r.Backend()

	req, err := buildRequest(ctx, c, op, o.Request, backend)
	if err != nil {
		return nil, err
	}
	var send scripthost.SendFunc
	if o.Target == "" {
		srv, err := mock.New(c, mock.Options{Seed: 1})
		if err != nil {
			return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "cannot mock " + c.Name + ": " + err.Error(), Fix: "fix the definition, or test against a target (--target URL)", Err: err}
		}
		defer srv.Close()
		send = scripthost.LocalSend(srv, backend.Host, nil)
	} else {
		tu, err := url.Parse(strings.TrimRight(o.Target, "/"))
		if err != nil || tu.Host == "" || (tu.Scheme != "http" && tu.Scheme != "https") {
			return nil, workflow.Usage(fmt.Sprintf("target %q is not an http(s) URL with a host", o.Target), "give the base URL standing in for the connector's host, e.g. http://127.0.0.1:4010")
		}
		rep.Against = tu.Redacted()
		client := o.Client
		if client == nil {
			client = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		}
		send = func(ctx context.Context, sr *http.Request) (*http.Response, error) {
			if strings.EqualFold(sr.URL.Host, backend.Host) {
				sr.URL.Scheme, sr.URL.Host = tu.Scheme, tu.Host
				sr.URL.Path = tu.Path + sr.URL.Path
				sr.URL.RawPath = ""
				sr.Host = ""
			}
			return client.Do(sr.WithContext(ctx))
		}
	}
	rep.Before = requestMessage(req)
	res := r.Run(ctx, op, req, send)
	rep.Call = res.Duration
	rep.Logs = res.Logs
	rep.Error = res.Err
	for _, s := range res.Sends {
		rep.Sends = append(rep.Sends, Exchange{
			Request:  Message{Method: s.Method, URL: s.URL, Header: s.Header, Body: string(s.Body)},
			Response: Message{Status: s.Status, Header: s.RespHeader, Body: string(s.RespBody)},
			Error:    s.Error, Duration: s.Duration,
		})
	}
	rep.After = Message{Status: res.Status, Header: res.Header, Body: string(res.Body)}
	rep.redact(o.Secrets)
	return rep, nil
}

// credentialHeaders are never shown in a report.
var credentialHeaders = map[string]bool{"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
	"x-api-key": true, "api-key": true, "apikey": true, "api_key": true, "x-auth-token": true, "ocp-apim-subscription-key": true, "x-functions-key": true}

func (r *TestReport) redact(secrets []string) {
	var pairs []string
	for _, s := range secrets {
		if len(s) >= 4 {
			pairs = append(pairs, s, "[redacted]")
		}
	}
	rep := strings.NewReplacer(pairs...)
	fix := func(m *Message) {
		if len(pairs) > 0 {
			m.URL, m.Body = rep.Replace(m.URL), rep.Replace(m.Body)
		}
		for k, vs := range m.Header {
			for i := range vs {
				if credentialHeaders[strings.ToLower(k)] {
					vs[i] = "[redacted]"
				} else if len(pairs) > 0 {
					vs[i] = rep.Replace(vs[i])
				}
			}
		}
	}
	fix(&r.Before)
	fix(&r.After)
	for i := range r.Sends {
		fix(&r.Sends[i].Request)
		fix(&r.Sends[i].Response)
	}
	if len(pairs) > 0 {
		for i := range r.Logs {
			r.Logs[i].Message = rep.Replace(r.Logs[i].Message)
		}
	}
}

func findOperation(c *connector.Connector, id string) *connector.Operation {
	for _, op := range c.Operations {
		if op.ID == id {
			return op
		}
	}
	for _, op := range c.Operations {
		if strings.EqualFold(op.ID, id) {
			return op
		}
	}
	return nil
}

func operationIDs(c *connector.Connector) string {
	var ids []string
	for _, op := range c.Operations {
		if op.CustomCode {
			ids = append(ids, op.ID)
		}
	}
	if len(ids) == 0 {
		for _, op := range c.Operations {
			ids = append(ids, op.ID)
		}
	}
	if len(ids) > 12 {
		ids = append(ids[:12], "...")
	}
	return strings.Join(ids, ", ")
}

// buildRequest is Context.Request: the spec's, or a valid one built from
// the definition, on the backend URL.
func buildRequest(ctx context.Context, c *connector.Connector, op *connector.Operation, spec *RequestSpec, backend *url.URL) (*http.Request, error) {
	base := backend.Scheme + "://" + backend.Host
	if spec == nil {
		pr, err := probe.New(c, probe.Options{Seed: 1}).Build(op)
		if err != nil {
			return nil, workflow.Usage("cannot build a request for "+op.ID+": "+err.Error(), "give one with --request FILE")
		}
		req, err := pr.HTTP(ctx, base)
		if err != nil {
			return nil, workflow.Usage(err.Error(), "give a request with --request FILE")
		}
		return req, nil
	}
	method := strings.ToUpper(spec.Method)
	if method == "" {
		method = op.Method
	}
	path := spec.Path
	if path == "" {
		path = strings.TrimRight(c.BasePath, "/") + op.Path
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u, err := url.Parse(base + path)
	if err != nil {
		return nil, workflow.Usage(fmt.Sprintf("request path %q: %v", spec.Path, err), "give a path such as /v1/items/42")
	}
	if len(spec.Query) > 0 {
		q := u.Query()
		for k, v := range spec.Query {
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
	}
	var body []byte
	switch {
	case len(spec.Body) > 0:
		body = spec.Body
	case spec.BodyText != "":
		body = []byte(spec.BodyText)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, workflow.Usage("request: "+err.Error(), "check the method and path in the request file")
	}
	for k, v := range spec.Headers {
		req.Header.Set(k, v)
	}
	if len(spec.Body) > 0 && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

func requestMessage(r *http.Request) Message {
	m := Message{Method: r.Method, URL: r.URL.String(), Header: r.Header.Clone()}
	if r.Body != nil && r.Body != http.NoBody {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		m.Body = string(b)
	}
	return m
}
