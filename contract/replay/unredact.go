package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/mock/dynamic"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// Redacted values in a recorded request (a secret-named field, a key in a
// query parameter) are placeholders, REDACTED-<hash>. Sent as they are, a
// placeholder breaks the request wherever the schema constrains the value
// (an enum, a number, a pattern) and the target answers 400 where the
// recording had 200. Replay sends instead, for each redacted value of a
// declared parameter or body property:
//   - the connection's own value when a connection parameter of that name
//     was supplied to the run (Options.Params), else
//   - a value valid for the parameter's or property's schema, generated
//     deterministically from (operation, where, name) by package probe.
//
// Redaction itself is untouched: what the store holds stays redacted.
// Placeholders of credentials the connection adds itself (Auth, policies)
// are dropped in build; values the definition does not describe are sent
// as recorded.

// unredacter substitutes redacted values in replayed requests.
type unredacter struct {
	b      *probe.Builder
	params map[string]string // connection parameter values, by lower-case name
	// creds are where the connector's auth sets send credentials:
	// "header <canonical name>" or "query <name>".
	creds map[string]bool
	// lookup calls a lookup operation on the target (dynamicBody); nil
	// leaves dynamic-schema parts as unredacted from the static schema.
	lookup probe.LookupFunc
}

func newUnredacter(c *connector.Connector, params map[string]string, lookup probe.LookupFunc) *unredacter {
	u := &unredacter{b: probe.New(c, probe.Options{Lookup: lookup}), params: map[string]string{}, creds: map[string]bool{}, lookup: lookup}
	for _, set := range c.Auth.Sets {
		switch {
		case set.APIKey != nil && set.APIKey.Name != "" && strings.EqualFold(set.APIKey.In, "query"):
			u.creds["query "+set.APIKey.Name] = true
		case set.APIKey != nil && set.APIKey.Name != "":
			u.creds["header "+http.CanonicalHeaderKey(set.APIKey.Name)] = true
		case set.Basic != nil, set.OAuth2 != nil:
			u.creds["header Authorization"] = true
		}
	}
	for k, v := range params {
		if v != "" {
			u.params[strings.ToLower(k)] = v
		}
	}
	return u
}

func hasPlaceholder(s string) bool {
	return strings.Contains(s, recordings.PlaceholderPrefix)
}

// credential reports whether (in, name) is where one of the connector's
// auth sets sends its credentials.
func (u *unredacter) credential(in, name string) bool {
	if in == "header" {
		name = http.CanonicalHeaderKey(name)
	}
	return u.creds[in+" "+name]
}

// connection is the supplied connection parameter value named name.
func (u *unredacter) connection(name string) (string, bool) {
	v, ok := u.params[strings.ToLower(name)]
	return v, ok
}

// param is the value sent for op's redacted parameter (in, name).
func (u *unredacter) param(op *connector.Operation, in, name string) ([]string, bool) {
	if v, ok := u.connection(name); ok {
		return []string{v}, true
	}
	return u.b.ParamValue(op, in, name)
}

// url returns u with the redacted values of op's declared path and query
// parameters substituted (pathParams are the values the router matched).
func (u *unredacter) url(op *connector.Operation, in *url.URL, pathParams map[string]string) *url.URL {
	if op == nil || !hasPlaceholder(in.Path) && !hasPlaceholder(in.RawQuery) {
		return in
	}
	out := *in
	for name, v := range pathParams {
		if !hasPlaceholder(v) {
			continue
		}
		vals, ok := u.param(op, openapi3.ParameterInPath, name)
		if !ok || len(vals) == 0 {
			continue
		}
		nv := strings.Join(vals, ",")
		if strings.ContainsAny(nv, "/?#") {
			continue
		}
		out.Path = strings.Replace(out.Path, v, nv, 1)
		if out.RawPath != "" {
			out.RawPath = strings.Replace(out.RawPath, url.PathEscape(v), url.PathEscape(nv), 1)
		}
	}
	if hasPlaceholder(in.RawQuery) {
		q := in.Query()
		changed := false
		for k, vs := range q {
			if !anyPlaceholder(vs) || !declaresParam(op, "query", k) {
				continue
			}
			if vals, ok := u.param(op, openapi3.ParameterInQuery, k); ok {
				q[k], changed = vals, true
			}
		}
		if changed {
			out.RawQuery = q.Encode()
		}
	}
	return &out
}

func anyPlaceholder(vs []string) bool {
	for _, v := range vs {
		if hasPlaceholder(v) {
			return true
		}
	}
	return false
}

// header is the value sent for the redacted header parameter name of op.
func (u *unredacter) header(op *connector.Operation, name string) (string, bool) {
	vals, ok := u.param(op, openapi3.ParameterInHeader, name)
	if !ok {
		return "", false
	}
	return strings.Join(vals, ","), true
}

// body returns the recorded request body with its redacted JSON or form
// values substituted; the body itself when it has none.
func (u *unredacter) body(op *connector.Operation, contentType string, body []byte) []byte {
	if op == nil || !bytes.Contains(body, []byte(recordings.PlaceholderPrefix)) {
		return body
	}
	mt := strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	switch {
	case mt == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return body
		}
		changed := false
		for k, vs := range form {
			if !anyPlaceholder(vs) {
				continue
			}
			if v, ok := u.property(op, mt, []string{k}); ok {
				form[k], changed = []string{scalarString(v)}, true
			}
		}
		if !changed {
			return body
		}
		return []byte(form.Encode())
	case mt == "multipart/form-data":
		return u.multipart(op, contentType, body)
	case mt == "" || strings.Contains(mt, "json"):
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return body
		}
		changed := false
		v = u.walk(op, mt, v, nil, &changed)
		if !changed {
			return body
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if enc.Encode(v) != nil {
			return body
		}
		return bytes.TrimRight(buf.Bytes(), "\n")
	}
	return body
}

// multipart substitutes the redacted values of a form's fields (file
// parts stay as recorded), keeping the recorded boundary so the
// Content-Type header still fits.
func (u *unredacter) multipart(op *connector.Operation, contentType string, body []byte) []byte {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		return body
	}
	rd := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if w.SetBoundary(params["boundary"]) != nil {
		return body
	}
	changed := false
	for {
		part, err := rd.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return body
		}
		b, err := io.ReadAll(part)
		if err != nil {
			return body
		}
		if name := part.FormName(); name != "" && part.FileName() == "" && hasPlaceholder(string(b)) {
			if v, ok := u.property(op, "multipart/form-data", []string{name}); ok {
				b, changed = []byte(scalarString(v)), true
			}
		}
		pw, err := w.CreatePart(part.Header)
		if err != nil {
			return body
		}
		_, _ = pw.Write(b)
	}
	if !changed || w.Close() != nil {
		return body
	}
	return buf.Bytes()
}

// property is the value sent for the redacted body property at pointer.
func (u *unredacter) property(op *connector.Operation, mt string, pointer []string) (any, bool) {
	if len(pointer) > 0 {
		if v, ok := u.connection(pointer[len(pointer)-1]); ok {
			return v, true
		}
	}
	return u.b.BodyValue(op, mt, pointer)
}

func (u *unredacter) walk(op *connector.Operation, mt string, v any, ptr []string, changed *bool) any {
	switch x := v.(type) {
	case string:
		if !hasPlaceholder(x) {
			return x
		}
		if nv, ok := u.property(op, mt, ptr); ok {
			*changed = true
			return nv
		}
	case map[string]any:
		u.keys(op, mt, x, ptr, changed)
		for k, e := range x {
			x[k] = u.walk(op, mt, e, append(ptr[:len(ptr):len(ptr)], k), changed)
		}
	case []any:
		for i, e := range x {
			x[i] = u.walk(op, mt, e, append(ptr[:len(ptr):len(ptr)], strconv.Itoa(i)), changed)
		}
	}
	return v
}

// keys renames the keys of m in which the scrub replaced a secret's text
// (a password "Password" also scrubs the key "Password") to the property
// of the schema they match, each placeholder read as any text, required
// properties first; a key that matches none stays as recorded.
func (u *unredacter) keys(op *connector.Operation, mt string, m map[string]any, ptr []string, changed *bool) {
	var red []string
	for k := range m {
		if hasPlaceholder(k) {
			red = append(red, k)
		}
	}
	if len(red) == 0 {
		return
	}
	sort.Strings(red)
	props := u.b.BodyProperties(op, mt, ptr)
	for _, k := range red {
		re := conform.PlaceholderPattern(k)
		for _, p := range props {
			if _, taken := m[p]; taken || !re.MatchString(p) {
				continue
			}
			m[p] = m[k]
			delete(m, k)
			*changed = true
			break
		}
	}
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	bs, _ := json.Marshal(v)
	return strings.Trim(string(bs), `"`)
}

// dynamicBody regenerates the parts of a JSON body whose schema is an
// x-ms-dynamic-schema / x-ms-dynamic-properties when the recording
// redacted them, or a body value their lookup is called with (a
// "create_password" object under a "password_create_method"): a value
// made for the static schema, or for the schema the recorded value chose,
// is not valid for the schema the target resolves for the replayed
// request. The schema comes from the target's own lookup, as test
// --generate gets it. sent is the body after unredaction; the result is
// sent instead when ok.
func (u *unredacter) dynamicBody(ctx context.Context, op *connector.Operation, contentType string, recorded, sent []byte, query url.Values, header http.Header, pathVals map[string]string) ([]byte, bool) {
	if op == nil || u.lookup == nil || !bytes.Contains(recorded, []byte(recordings.PlaceholderPrefix)) || !dynamicBodyRef(op) {
		return sent, false
	}
	mt := strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	if mt != "" && !strings.Contains(mt, "json") {
		return sent, false
	}
	var rec, v any
	dec := json.NewDecoder(bytes.NewReader(sent))
	dec.UseNumber() // numbers are re-sent as they were written
	if json.Unmarshal(recorded, &rec) != nil || dec.Decode(&v) != nil {
		return sent, false
	}
	var red [][]string
	placeholderPaths(rec, nil, &red)
	redo := func(d *connector.DynamicRef) bool {
		target := dynamic.SplitPath(strings.TrimPrefix(d.Target, "body"))
		var mapped [][]string
		for _, p := range d.Parameters { // literals are never redacted
			switch {
			case p.Parameter != "":
				mapped = append(mapped, []string{p.Parameter})
				if len(target) > 0 {
					mapped = append(mapped, append(target[:len(target)-1:len(target)-1], p.Parameter))
				}
			case p.ParameterReference != "" && !strings.HasPrefix(p.ParameterReference, "selected:"):
				segs := dynamic.SplitPath(strings.TrimPrefix(p.ParameterReference, "body/"))
				mapped = append(mapped, segs)
				if len(segs) > 1 {
					mapped = append(mapped, segs[1:])
				}
			}
		}
		for _, p := range red {
			if hasPrefixPath(p, target) {
				return true
			}
			for _, m := range mapped {
				if slices.Equal(p, m) {
					return true
				}
			}
		}
		return false
	}
	out, _ := u.b.ResolveBody(ctx, op, pathVals, query, header, v, redo)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(out) != nil {
		return sent, false
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	return b, !bytes.Equal(b, sent)
}

// placeholderPaths collects the property paths (array indexes left out)
// below v where a value or a key is a redaction placeholder.
func placeholderPaths(v any, at []string, out *[][]string) {
	switch x := v.(type) {
	case string:
		if hasPlaceholder(x) {
			*out = append(*out, at)
		}
	case map[string]any:
		for k, e := range x {
			p := append(at[:len(at):len(at)], k)
			if hasPlaceholder(k) {
				*out = append(*out, p)
			}
			placeholderPaths(e, p, out)
		}
	case []any:
		for _, e := range x {
			placeholderPaths(e, at, out)
		}
	}
}

func hasPrefixPath(p, prefix []string) bool {
	return len(p) >= len(prefix) && slices.Equal(p[:len(prefix)], prefix)
}

// dynamicBodyRef reports whether op has a dynamic schema on its request
// body (most operations have none: no body is decoded for them).
func dynamicBodyRef(op *connector.Operation) bool {
	for _, d := range op.Dynamic {
		if (d.Kind == connector.DynamicSchema || d.Kind == connector.DynamicProperties) && strings.HasPrefix(d.Target, "body") {
			return true
		}
	}
	return false
}
