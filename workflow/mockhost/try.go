package mockhost

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow"
)

// Call is one Try-it request to a hosted mock, the way the maker
// portal's Test tab sends it.
type Call struct {
	OperationID string
	// Params are parameter values keyed "in:name" (path:orderId,
	// query:top, header:X-Trace); empty values are not sent.
	Params map[string]string
	Body   string
	// ContentType of Body; default application/json.
	ContentType string
	// Prefer is sent as the Prefer header (code=404, example=NAME).
	Prefer string
	// NoAuth sends no credentials (to see the mock's 401).
	NoAuth bool
}

// Answer is the mock's answer to a Call.
type Answer struct {
	Method, URL string
	Status      int
	Header      http.Header
	Body        []byte
	Duration    time.Duration
}

// Try sends c to the hosted mock m with credentials it accepts.
func (m *Hosted) Try(ctx context.Context, client *http.Client, c Call) (Answer, error) {
	conn := m.Unit.Connector()
	op := conn.Operation(c.OperationID)
	if op == nil {
		return Answer{}, workflow.Usage(fmt.Sprintf("operation %q is not in %s", c.OperationID, conn.Name), "reopen the connector: the definition may have changed")
	}
	hr, err := m.request(ctx, op, c)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Method: hr.Method, URL: hr.URL.String()}
	start := time.Now()
	resp, err := client.Do(hr)
	if err != nil {
		return a, &workflow.Error{Kind: workflow.KindInfra, Message: "the mock did not answer: " + err.Error(), Fix: "a fault (connection reset) may be on; otherwise restart the mock", Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return a, &workflow.Error{Kind: workflow.KindInfra, Message: "reading the mock's answer failed: " + err.Error(), Fix: "try again", Err: err}
	}
	a.Status, a.Header, a.Body, a.Duration = resp.StatusCode, resp.Header, body, time.Since(start)
	return a, nil
}

func (m *Hosted) request(ctx context.Context, op *connector.Operation, c Call) (*http.Request, error) {
	path := op.Path
	q := url.Values{}
	h := http.Header{}
	for key, val := range c.Params {
		in, name, ok := strings.Cut(key, ":")
		if !ok || val == "" {
			continue
		}
		switch in {
		case "path":
			path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(val))
		case "query":
			q.Set(name, val)
		case "header":
			h.Set(name, val)
		}
	}
	if i := strings.Index(path, "{"); i >= 0 {
		name := path[i+1:]
		if j := strings.Index(path[i:], "}"); j > 0 {
			name = path[i+1 : i+j]
		}
		return nil, workflow.Usage(fmt.Sprintf("path parameter %q has no value", name), "fill in every required field")
	}
	u := m.URL() + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body io.Reader
	if c.Body != "" {
		body = bytes.NewBufferString(c.Body)
		ct := c.ContentType
		if ct == "" {
			ct = "application/json"
		}
		h.Set("Content-Type", ct)
	}
	hr, err := http.NewRequestWithContext(ctx, strings.ToUpper(op.Method), u, body)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "cannot build the request: " + err.Error(), Fix: "check the parameter values", Err: err}
	}
	for k, vs := range h {
		hr.Header[k] = vs
	}
	if c.Prefer != "" {
		hr.Header.Set("Prefer", c.Prefer)
	}
	if !c.NoAuth {
		m.sign(hr)
	}
	return hr, nil
}

// sign adds credentials the way the connector's first auth set asks; the
// mock accepts any well-formed credentials when none are configured, and
// tokens it issued itself for OAuth 2.0.
func (m *Hosted) sign(r *http.Request) {
	for _, set := range m.Unit.Connector().Auth.Sets {
		switch set.Kind {
		case connector.AuthAPIKey:
			if set.APIKey == nil || set.APIKey.Name == "" {
				continue
			}
			if strings.EqualFold(set.APIKey.In, "query") {
				q := r.URL.Query()
				if q.Get(set.APIKey.Name) == "" {
					q.Set(set.APIKey.Name, "try-it-key")
					r.URL.RawQuery = q.Encode()
				}
			} else if r.Header.Get(set.APIKey.Name) == "" {
				r.Header.Set(set.APIKey.Name, "try-it-key")
			}
			return
		case connector.AuthBasic:
			r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("try-it:try-it")))
			return
		case connector.AuthOAuth2:
			var scopes []string
			if set.OAuth2 != nil {
				scopes = set.OAuth2.Scopes
			}
			r.Header.Set("Authorization", "Bearer "+m.Unit.Server().IssueToken("try-it", strings.Join(scopes, " ")))
			return
		}
	}
}

// Lookup is a dynamic dropdown's reference (x-ms-dynamic-values/-list).
type Lookup struct {
	OperationID string
	// Parameters map lookup parameter names to "literal:x" or
	// "param:name" (a value of the calling operation's form).
	Parameters                             map[string]string
	ValueCollection, ValuePath, ValueTitle string
}

// Option is one entry of a dynamic dropdown.
type Option struct {
	Value string `json:"value"`
	Title string `json:"title"`
}

// Lookup fills a dynamic dropdown the way the designer does: it calls
// the lookup operation on the mock with the parameters the reference
// maps (values are the calling form's, keyed "in:name") and picks value
// and title out of each item.
func (m *Hosted) Lookup(ctx context.Context, client *http.Client, ref Lookup, values map[string]string) ([]Option, error) {
	if ref.OperationID == "" {
		return nil, workflow.Usage("this dropdown names no lookup operation", "type the value instead")
	}
	op := m.Unit.Connector().Operation(ref.OperationID)
	if op == nil {
		return nil, workflow.Usage(fmt.Sprintf("lookup operation %q is not in the definition", ref.OperationID), "fix x-ms-dynamic-values (see the validation findings)")
	}
	byName := map[string]string{}
	for k, v := range values {
		_, name, _ := strings.Cut(k, ":")
		byName[name] = v
	}
	in := map[string]string{}
	for _, p := range opParams(op) {
		in[p.Name] = p.In
	}
	params := map[string]string{}
	for name, src := range ref.Parameters {
		val := ""
		if p, ok := strings.CutPrefix(src, "param:"); ok {
			val = byName[p]
		} else if l, ok := strings.CutPrefix(src, "literal:"); ok {
			val = l
		}
		where := in[name]
		if where == "" {
			where = "query"
		}
		params[where+":"+name] = val
	}
	a, err := m.Try(ctx, client, Call{OperationID: ref.OperationID, Params: params})
	if err != nil {
		return nil, err
	}
	if a.Status < 200 || a.Status > 299 {
		return nil, workflow.Usage(fmt.Sprintf("lookup %s answered %d", ref.OperationID, a.Status), "see the exchange in the traffic list for why")
	}
	var body any
	if err := json.Unmarshal(a.Body, &body); err != nil {
		return nil, workflow.Usage("lookup "+ref.OperationID+" did not answer JSON", "check its response schema")
	}
	return Options(body, ref), nil
}

type opParam struct{ Name, In string }

func opParams(op *connector.Operation) []opParam {
	var out []opParam
	if op.Item != nil {
		for _, p := range op.Item.Parameters {
			if p != nil && p.Value != nil {
				out = append(out, opParam{p.Value.Name, p.Value.In})
			}
		}
	}
	if op.Op != nil {
		for _, p := range op.Op.Parameters {
			if p != nil && p.Value != nil {
				out = append(out, opParam{p.Value.Name, p.Value.In})
			}
		}
	}
	return out
}

// Options extracts the entries at the reference's value-collection with
// its value-path and value-title (slash-separated paths, as Power
// Platform writes them).
func Options(body any, ref Lookup) []Option {
	items, _ := dig(body, ref.ValueCollection).([]any)
	out := []Option{}
	for _, it := range items {
		v := dig(it, ref.ValuePath)
		if ref.ValuePath == "" {
			v = it
		}
		if v == nil {
			continue
		}
		val := scalar(v)
		title := val
		if ref.ValueTitle != "" {
			if t := dig(it, ref.ValueTitle); t != nil {
				title = scalar(t)
			}
		}
		out = append(out, Option{Value: val, Title: title})
	}
	return out
}

func dig(v any, path string) any {
	path = strings.Trim(path, "/")
	if path == "" {
		return v
	}
	for _, part := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '.' }) {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	case float64, bool:
		return fmt.Sprint(t)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
