package probe

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// Failure classes of Check, stable for goldens.
const (
	ClassBuild       = "build"        // no valid request could be built
	ClassTransport   = "transport"    // the request did not get an answer
	ClassStatus      = "status"       // status not declared, or an error for a valid request
	ClassRouting     = "routing"      // answered by another operation
	ClassContentType = "content-type" // content type not declared
	ClassBody        = "body"         // body missing, malformed or not valid against the schema
)

// OperationHeader is the response header in which the Connector Lab mock
// names the operation that answered.
const OperationHeader = "Connectorlab-Operation"

// Checker checks answers against declared responses. Safe for concurrent
// use.
type Checker struct {
	mu       sync.Mutex
	patterns map[string]openapi3.RegexMatcher
}

// NewChecker returns a Checker.
func NewChecker() *Checker { return &Checker{patterns: map[string]openapi3.RegexMatcher{}} }

type anyMatch struct{}

func (anyMatch) MatchString(string) bool { return true }

var uEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

func (k *Checker) compile(expr string) (openapi3.RegexMatcher, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if m, ok := k.patterns[expr]; ok {
		return m, nil
	}
	var m openapi3.RegexMatcher = anyMatch{}
	if re, err := regexp.Compile(uEscape.ReplaceAllString(expr, `\x{$1}`)); err == nil {
		m = re
	}
	k.patterns[expr] = m
	return m, nil
}

// Check judges one answer to a valid request for op: the status is a
// declared success (or the operation declares none), the content type is
// declared, and a JSON body validates against the declared schema. It
// returns "" and "" when the answer conforms.
func (k *Checker) Check(op *connector.Operation, status int, h http.Header, body []byte) (class, reason string) {
	if got := h.Get(OperationHeader); got != "" && got != op.ID {
		return ClassRouting, fmt.Sprintf("answered by %s", got)
	}
	// A polling trigger's "no new data" (202 with the next poll's
	// Location) is the protocol's answer whatever the definition declares.
	if status == http.StatusAccepted && op.Trigger != nil && op.Trigger.Kind == connector.TriggerPolling && h.Get("Location") != "" {
		return "", ""
	}
	resp, ok := declared(op.Op, status)
	if !ok {
		return ClassStatus, fmt.Sprintf("status %d is not a declared success response (%s)", status, codes(op.Op))
	}
	if resp == nil || len(resp.Content) == 0 || status == http.StatusNoContent || status == http.StatusNotModified {
		return "", ""
	}
	ct := h.Get("Content-Type")
	if len(body) == 0 {
		// No body: its content type says nothing; only a schema that needs
		// a value makes this a failure.
		for _, m := range resp.Content {
			if m != nil && m.Schema != nil && m.Schema.Value != nil && requiresBody(m.Schema.Value) {
				return ClassBody, "empty body; the declared schema needs a value"
			}
		}
		return "", ""
	}
	mt := base(ct)
	media := matchMedia(resp.Content, mt)
	if media == nil {
		keys := make([]string, 0, len(resp.Content))
		for k := range resp.Content {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return ClassContentType, fmt.Sprintf("content type %q is not declared (%s)", ct, strings.Join(keys, ", "))
	}
	switch {
	case strings.Contains(mt, "json"):
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return ClassBody, "body is not JSON: " + err.Error()
		}
		if media.Schema == nil || media.Schema.Value == nil {
			return "", ""
		}
		if err := visit(media.Schema.Value, v, openapi3.VisitAsResponse(), openapi3.MultiErrors(), openapi3.SetSchemaRegexCompiler(k.compile)); err != nil {
			if errs := Significant(err); len(errs) > 0 {
				return ClassBody, firstLine(errs[0].Error())
			}
		}
	case strings.Contains(mt, "xml"):
		d := xml.NewDecoder(strings.NewReader(string(body)))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return ClassBody, "body is not well-formed XML: " + err.Error()
			}
		}
	}
	return "", ""
}

func visit(s *openapi3.Schema, v any, opts ...openapi3.SchemaValidationOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validator failed: %v", r)
		}
	}()
	return s.VisitJSON(v, opts...)
}

// Significant flattens a validation error into its leaf errors, leaving out
// those on string enums of typed schemas where the value is the typed form
// ("true" listed, true sent): Power Platform connectors declare 127 such
// enums and real APIs send the typed value.
func Significant(err error) []error {
	var out []error
	// family: the properties declared by the allOf families the error is
	// inside of at the same value (pointer), for inherited properties.
	var walk func(err error, family map[string]bool, pointer string)
	walk = func(err error, family map[string]bool, pointer string) {
		if me, ok := err.(openapi3.MultiError); ok {
			for _, e := range me {
				walk(e, family, pointer)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) && se.SchemaField == "enum" && fake.EnumAccepts(se.Schema, se.Value) {
			return
		}
		if errors.As(err, &se) && se.SchemaField == "properties" {
			if name, ok := unsupportedProperty(se.Reason); ok {
				if family[name] && strings.Join(se.JSONPointer(), "/") == pointer || se.Schema != nil && declaredByAllOf(se.Schema.AllOf, name, 0) {
					return
				}
			}
		}
		if errors.As(err, &se) && se.SchemaField == "allOf" && se.Schema != nil {
			if inner := allOfCauses(se.Origin); inner != nil {
				p := strings.Join(se.JSONPointer(), "/")
				fam := map[string]bool{}
				if p == pointer {
					for k := range family {
						fam[k] = true
					}
				}
				addFamily(fam, se.Schema, 0)
				for _, e := range inner {
					walk(e, fam, p)
				}
				return
			}
		}
		out = append(out, err)
	}
	walk(err, nil, "")
	return out
}

// Inherited properties: strict JSON Schema rejects, in an object with
// additionalProperties false, a property only an allOf branch (or, inside
// a branch, the schema holding the allOf) declares. Swagger 2.0 and
// AutoRest read allOf as inheritance (an ARM resource declares
// additionalProperties false next to allOf TrackedResource, which requires
// location), as the mock's generator and the contract checks do, so such
// "property %q is unsupported" errors are left out.

func unsupportedProperty(reason string) (string, bool) {
	name, ok := strings.CutPrefix(reason, "property ")
	if !ok || !strings.HasSuffix(name, " is unsupported") {
		return "", false
	}
	name, err := strconv.Unquote(strings.TrimSuffix(name, " is unsupported"))
	return name, err == nil
}

// allOfCauses are the branch errors of an allOf failure (nil when the
// origin is not kin-openapi's allOf error list).
func allOfCauses(origin error) []error {
	for e := origin; e != nil; e = errors.Unwrap(e) {
		if me, ok := e.(openapi3.MultiError); ok {
			return me
		}
	}
	return nil
}

func addFamily(fam map[string]bool, s *openapi3.Schema, depth int) {
	if s == nil || depth > 16 {
		return
	}
	for k := range s.Properties {
		fam[k] = true
	}
	for _, b := range s.AllOf {
		if b != nil {
			addFamily(fam, b.Value, depth+1)
		}
	}
}

func declaredByAllOf(branches openapi3.SchemaRefs, name string, depth int) bool {
	if depth > 16 {
		return false
	}
	for _, b := range branches {
		if b == nil || b.Value == nil {
			continue
		}
		if _, ok := b.Value.Properties[name]; ok || declaredByAllOf(b.Value.AllOf, name, depth+1) {
			return true
		}
	}
	return false
}

func requiresBody(s *openapi3.Schema) bool {
	return s.Type != nil && (s.Type.Is("object") || s.Type.Is("array")) && !s.Nullable
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func base(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func matchMedia(content openapi3.Content, mt string) *openapi3.MediaType {
	for k, m := range content {
		d := base(k)
		if d == mt || d == "*/*" || strings.HasSuffix(d, "/*") && strings.HasPrefix(mt, strings.TrimSuffix(d, "*")) {
			if m == nil {
				return &openapi3.MediaType{}
			}
			return m
		}
	}
	return nil
}

// declared finds the response declared for status. A status below 400 with
// no success response declared at all is accepted too.
func declared(op *openapi3.Operation, status int) (*openapi3.Response, bool) {
	if op == nil || op.Responses == nil || op.Responses.Len() == 0 {
		return nil, status < 400
	}
	m := op.Responses.Map()
	code := strconv.Itoa(status)
	for _, k := range []string{code, code[:1] + "XX", code[:1] + "xx"} {
		if r := m[k]; r != nil {
			return r.Value, status < 400
		}
	}
	success := false
	for k := range m {
		if k == "default" || strings.HasPrefix(k, "2") || strings.HasPrefix(k, "3") {
			success = true
		}
	}
	if r := m["default"]; r != nil && status < 400 {
		return r.Value, true
	}
	if !success && status < 300 {
		return nil, true
	}
	return nil, false
}

func codes(op *openapi3.Operation) string {
	if op == nil || op.Responses == nil {
		return "none declared"
	}
	var ks []string
	for k := range op.Responses.Map() {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return "declared: " + strings.Join(ks, ", ")
}

// Result is the outcome for one operation.
type Result struct {
	Connector   string        `json:"connector"`
	OperationID string        `json:"operationId"`
	Method      string        `json:"method"`
	Path        string        `json:"path"`
	Status      int           `json:"status,omitempty"`
	Class       string        `json:"class,omitempty"` // "" when it passed
	Reason      string        `json:"reason,omitempty"`
	Duration    time.Duration `json:"duration"`
}

// Pass reports whether the operation conformed.
func (r Result) Pass() bool { return r.Class == "" }

// SweepOptions tune Sweep.
type SweepOptions struct {
	Builder Options
	// Token fetches a bearer token from the target's /oauth2/token first
	// (the Connector Lab mock); otherwise a placeholder token is sent.
	Token bool
	// Timeout per request; 0 means 10 s.
	Timeout time.Duration
}

// Sweep sends one valid request per operation of c to base over client and
// checks each answer.
func Sweep(ctx context.Context, c *connector.Connector, base string, client *http.Client, o SweepOptions) []Result {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Token && c.Auth.Kind == connector.AuthOAuth2 && o.Builder.Credentials.BearerToken == "" {
		if tok, err := FetchToken(ctx, client, base); err == nil {
			o.Builder.Credentials.BearerToken = tok
		}
	}
	// A 3xx is the answer under test; following it would test another URL.
	nc := *client
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client = &nc
	if o.Builder.Lookup == nil {
		// Dynamic body schemas are looked up on the target under test,
		// as the designer does before it builds the request.
		o.Builder.Lookup = HTTPLookup(client, base)
	}
	b := New(c, o.Builder)
	k := NewChecker()
	out := make([]Result, 0, len(c.Operations))
	for _, op := range c.Operations {
		start := time.Now()
		res := Result{Connector: c.Name, OperationID: op.ID, Method: op.Method, Path: op.Path}
		res.Class, res.Reason, res.Status = sweepOne(ctx, b, k, op, base, client, o.Timeout)
		res.Duration = time.Since(start)
		out = append(out, res)
	}
	return out
}

func sweepOne(ctx context.Context, b *Builder, k *Checker, op *connector.Operation, base string, client *http.Client, timeout time.Duration) (string, string, int) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := b.BuildContext(rctx, op)
	if err != nil {
		return ClassBuild, err.Error(), 0
	}
	hr, err := req.HTTP(rctx, base)
	if err != nil {
		return ClassBuild, err.Error(), 0
	}
	resp, err := client.Do(hr)
	if err != nil {
		return ClassTransport, err.Error(), 0
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return ClassTransport, "reading body: " + err.Error(), resp.StatusCode
	}
	class, reason := k.Check(op, resp.StatusCode, resp.Header, body)
	if class == ClassStatus && resp.StatusCode >= 400 && len(body) > 0 {
		reason += ": " + firstLine(strings.TrimSpace(string(body[:min(len(body), 300)])))
	}
	return class, reason, resp.StatusCode
}
