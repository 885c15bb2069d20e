package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// validator checks requests against the definition.
type validator struct {
	c        *connector.Connector
	mu       sync.Mutex
	patterns map[string]openapi3.RegexMatcher
	// unenforced lists patterns Go's RE2 cannot compile (look-arounds); they
	// are reported once per pattern, not enforced.
	unenforced map[string]bool
	routes     map[*connector.Operation]*routers.Route
	// security holds, per operation, what kin-openapi's security check
	// says with the no-op authentication function: it depends on the
	// definition alone (is every scheme of a requirement declared?), so it
	// is computed once and the routes carry no requirements; the mock's
	// own authenticator judges the credentials.
	security map[*connector.Operation][]ProblemError
	// opts are the filter options every request shares (read-only).
	opts *openapi3filter.Options
	// respOpts and reqOpts are schemaOpts(false) and schemaOpts(true).
	respOpts, reqOpts []openapi3.SchemaValidationOption
	// waive, when set (by the Power Platform behaviours), drops problems a
	// protocol makes unavoidable, e.g. a header the unsubscribe DELETE on a
	// webhook's Location cannot carry.
	waive func(c *Call, errs []ProblemError) []ProblemError
}

func newValidator(c *connector.Connector) *validator {
	v := &validator{c: c, patterns: map[string]openapi3.RegexMatcher{}, unenforced: map[string]bool{},
		routes: map[*connector.Operation]*routers.Route{}, security: map[*connector.Operation][]ProblemError{}}
	v.respOpts = []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.SetSchemaRegexCompiler(v.compile), openapi3.VisitAsResponse()}
	v.reqOpts = []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.SetSchemaRegexCompiler(v.compile), openapi3.VisitAsRequest()}
	v.opts = &openapi3filter.Options{
		MultiError:              true,
		ExcludeRequestBody:      true,
		SkipSettingDefaults:     true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		RegexCompiler:           v.compile,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.SetSchemaRegexCompiler(v.compile)},
	}
	none := openapi3.SecurityRequirements{}
	for _, op := range c.Operations {
		if op.Op == nil {
			continue
		}
		o, item := *op.Op, *orItem(op.Item)
		// A header parameter whose name is not an HTTP token ("Account Id")
		// can never be sent; requiring it would reject every request.
		o.Parameters = sendable(o.Parameters)
		item.Parameters = sendable(item.Parameters)
		rt := &routers.Route{Spec: c.Doc, Path: op.Path, PathItem: &item, Method: op.Method, Operation: &o}
		v.security[op] = v.securityProblems(rt)
		o.Security = &none
		v.routes[op] = rt
	}
	return v
}

// securityProblems runs kin-openapi's security check for rt once, on an
// empty request (with the no-op authentication function the request plays
// no part).
func (v *validator) securityProblems(rt *routers.Route) []ProblemError {
	sec := rt.Operation.Security
	if sec == nil {
		sec = &rt.Spec.Security
	}
	r, _ := http.NewRequest(rt.Method, "http://127.0.0.1/", nil)
	in := &openapi3filter.RequestValidationInput{Request: r, Route: rt, Options: v.opts}
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("validator failed: %v", p)
			}
		}()
		err = openapi3filter.ValidateSecurityRequirements(context.Background(), in, *sec)
	}()
	if err == nil {
		return nil
	}
	return v.problems(err)
}

func sendable(ps openapi3.Parameters) openapi3.Parameters {
	out := ps[:0:0]
	for _, p := range ps {
		if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInHeader && !validHeaderName(p.Value.Name) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		ch := name[i]
		if ch <= ' ' || ch >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\\]{}`, ch) >= 0 {
			return false
		}
	}
	return true
}

type anyMatch struct{}

func (anyMatch) MatchString(string) bool { return true }

var uEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// compile is the regex compiler handed to kin-openapi: RE2 where it can,
// with ECMA \uXXXX rewritten; a pattern RE2 cannot express is not enforced
// rather than failing every value checked against it.
func (v *validator) compile(expr string) (openapi3.RegexMatcher, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if m, ok := v.patterns[expr]; ok {
		return m, nil
	}
	var m openapi3.RegexMatcher
	re, err := regexp.Compile(uEscape.ReplaceAllString(expr, `\x{$1}`))
	if err != nil {
		m = anyMatch{}
		v.unenforced[expr] = true
	} else {
		m = re
	}
	v.patterns[expr] = m
	return m, nil
}

func (v *validator) schemaOpts(req bool) []openapi3.SchemaValidationOption {
	if req {
		return v.reqOpts
	}
	return v.respOpts
}

// mediaBase returns the lower-case media type without parameters.
func mediaBase(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func isJSONMedia(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.Contains(mt, "json")
}

// checkBody decodes a JSON body into c.JSON after bounding its depth. It
// runs even with validation off: a nesting bomb is never parsed.
func (s *Server) checkBody(c *Call) *Reply {
	if len(c.Body) == 0 {
		return nil
	}
	mt := mediaBase(c.Request.Header.Get("Content-Type"))
	if mt != "" && !isJSONMedia(mt) {
		return nil
	}
	if d := jsonDepth(c.Body, s.opts.MaxJSONDepth); d > s.opts.MaxJSONDepth {
		return problemReply(http.StatusBadRequest, "body-too-deep", "Request body nested too deeply",
			fmt.Sprintf("the JSON body nests deeper than %d levels", s.opts.MaxJSONDepth), []ProblemError{{In: "body", Rule: "maxDepth", Message: "nesting limit exceeded"}})
	}
	if n := connector.CountJSONNodes(c.Body, s.opts.MaxJSONNodes); n > s.opts.MaxJSONNodes {
		return problemReply(http.StatusRequestEntityTooLarge, "body-too-complex", "Request body has too many values",
			fmt.Sprintf("the JSON body has more than %d values (properties, items); validating it would pin the mock for seconds", s.opts.MaxJSONNodes),
			[]ProblemError{{In: "body", Rule: "maxValues", Message: "value limit exceeded"}})
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(c.Body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		if mt == "" {
			return nil // not declared as JSON and not JSON: leave it to validation
		}
		if !s.opts.DisableValidation {
			line, col := lineCol(c.Body, jsonErrorOffset(err, c.Body))
			return problemReply(http.StatusBadRequest, "body-invalid-json", "Request body is not valid JSON",
				fmt.Sprintf("line %d, column %d: %v", line, col, err), []ProblemError{{In: "body", Rule: "json", Message: err.Error()}})
		}
		return nil
	}
	if dec.More() && !s.opts.DisableValidation {
		return problemReply(http.StatusBadRequest, "body-invalid-json", "Request body is not valid JSON",
			"extra data after the JSON value", []ProblemError{{In: "body", Rule: "json", Message: "extra data after the JSON value"}})
	}
	c.JSON = numbersToFloat(v)
	return nil
}

// numbersToFloat converts json.Number to float64 (kin-openapi validates
// float64) while having kept integers exact during decoding.
func numbersToFloat(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = numbersToFloat(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbersToFloat(e)
		}
	}
	return v
}

// jsonDepth returns the nesting depth of b, stopping once beyond max.
func jsonDepth(b []byte, max int) int {
	depth, best := 0, 0
	inStr, esc := false, false
	for _, ch := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case ch == '\\':
				esc = true
			case ch == '"':
				inStr = false
			}
			continue
		}
		switch ch {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > best {
				best = depth
				if best > max {
					return best
				}
			}
		case '}', ']':
			depth--
		}
	}
	return best
}

// jsonErrorOffset is the byte offset a decoding error points at. The
// decoder's InputOffset stays at the value's start (0 for a body), so the
// position comes from the error: a syntax error's offending byte, or the end
// of a body that stopped early.
func jsonErrorOffset(err error, body []byte) int64 {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && se.Offset > 0:
		return se.Offset - 1
	case errors.As(err, &te):
		return te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF):
		return int64(len(body))
	}
	return 0
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col := 1, 1
	for _, ch := range b[:off] {
		if ch == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// check validates c; nil means valid.
func (v *validator) check(ctx context.Context, c *Call) *Reply {
	op := c.Operation
	if op.Op == nil {
		return nil
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    c.Request,
		PathParams: c.Params,
		Route:      v.routes[op],
		Options:    v.opts,
	}
	// A declared Content-Type header parameter is judged on the media type
	// alone: "multipart/form-data; boundary=…" is what its enum means.
	if ct := c.Request.Header.Get("Content-Type"); strings.Contains(ct, ";") {
		r2 := *c.Request
		r2.Header = c.Request.Header.Clone()
		r2.Header.Set("Content-Type", mediaBase(ct))
		input.Request = &r2
	}
	var errs []ProblemError
	status := http.StatusBadRequest
	if sec := v.security[op]; len(sec) > 0 {
		errs = append(errs, sec...)
	}
	if err := safeValidateRequest(ctx, input); err != nil {
		errs = append(errs, v.problems(err)...)
	}
	if rb := op.Op.RequestBody; rb != nil && rb.Value != nil {
		bs, st := v.checkRequestBody(ctx, c, rb.Value, input)
		if len(bs) > 0 {
			errs = append(errs, bs...)
			if len(errs) == len(bs) {
				status = st
			}
		}
	}
	c.Request.Body = bodyReader(c.Body)
	if v.waive != nil && len(errs) > 0 {
		errs = v.waive(c, errs)
	}
	if len(errs) == 0 {
		return nil
	}
	for _, e := range errs {
		c.Note("request-invalid", "error", e.Pointer, e.In+" "+e.Name+": "+e.Message)
	}
	title := "Invalid request"
	switch status {
	case http.StatusUnsupportedMediaType:
		title = "Unsupported content type"
	case http.StatusUnprocessableEntity:
		title = "Request body does not match the schema"
	}
	return problemReply(status, "request-invalid", title, summarise(errs), errs)
}

// decodeForm reads a urlencoded or multipart body into a JSON-like object,
// converting each field to its property's type (numbers, booleans, JSON for
// objects and arrays, repeated keys for arrays) so the schema can judge it.
func decodeForm(mt, ct string, body []byte, sch *openapi3.Schema) (map[string]any, error) {
	fields := map[string][]string{}
	if mt == "multipart/form-data" {
		_, params, err := mime.ParseMediaType(ct)
		if err != nil || params["boundary"] == "" {
			return nil, fmt.Errorf("multipart body without a boundary in Content-Type")
		}
		form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(8 << 20)
		if err != nil {
			return nil, fmt.Errorf("multipart body: %v", err)
		}
		defer form.RemoveAll()
		for k, vs := range form.Value {
			fields[k] = vs
		}
		for k, fs := range form.File {
			for _, f := range fs {
				fields[k] = append(fields[k], f.Filename)
			}
		}
	} else {
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("form body: %v", err)
		}
		fields = vals
	}
	out := make(map[string]any, len(fields))
	for k, vs := range fields {
		var ps *openapi3.Schema
		if sch != nil {
			if p := sch.Properties[k]; p != nil {
				ps = p.Value
			}
		}
		if ps != nil && ps.Type != nil && ps.Type.Is("array") {
			var items *openapi3.Schema
			if ps.Items != nil {
				items = ps.Items.Value
			}
			if len(vs) == 1 && strings.HasPrefix(strings.TrimSpace(vs[0]), "[") {
				var arr []any
				if json.Unmarshal([]byte(vs[0]), &arr) == nil {
					out[k] = arr
					continue
				}
			}
			arr := make([]any, 0, len(vs))
			for _, x := range vs {
				arr = append(arr, formScalar(items, x))
			}
			out[k] = arr
			continue
		}
		out[k] = formScalar(ps, vs[0])
	}
	return out, nil
}

func formScalar(s *openapi3.Schema, x string) any {
	if s == nil || s.Type == nil {
		return x
	}
	switch {
	case s.Type.Is("integer"), s.Type.Is("number"):
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return f
		}
	case s.Type.Is("boolean"):
		if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			return b
		}
	case s.Type.Is("object"), s.Type.Is("array"):
		var v any
		if json.Unmarshal([]byte(x), &v) == nil {
			return v
		}
	}
	return x
}

func orItem(it *openapi3.PathItem) *openapi3.PathItem {
	if it == nil {
		return &openapi3.PathItem{}
	}
	return it
}

func summarise(errs []ProblemError) string {
	e := errs[0]
	where := e.In
	if e.Name != "" {
		where += " " + e.Name
	}
	if e.Pointer != "" {
		where += " at " + e.Pointer
	}
	s := where + ": " + e.Message
	if len(errs) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return s
}

// safeValidateRequest turns a panic in kin-openapi into an error.
func safeValidateRequest(ctx context.Context, in *openapi3filter.RequestValidationInput) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validator failed: %v", r)
		}
	}()
	return openapi3filter.ValidateRequest(ctx, in)
}

// checkRequestBody validates the body: content type first (415), then the
// schema (422). JSON is checked here, with JSON pointers; forms and
// multipart go through openapi3filter's decoders.
func (v *validator) checkRequestBody(ctx context.Context, c *Call, rb *openapi3.RequestBody, input *openapi3filter.RequestValidationInput) ([]ProblemError, int) {
	if len(c.Body) == 0 {
		if rb.Required {
			return []ProblemError{{In: "body", Rule: "required", Message: "a request body is required"}}, http.StatusBadRequest
		}
		return nil, 0
	}
	if len(rb.Content) == 0 {
		return nil, 0
	}
	ct := c.Request.Header.Get("Content-Type")
	mt := mediaBase(ct)
	media := rb.Content.Get(ct)
	if media == nil && mt != "" {
		media = rb.Content.Get(mt)
	}
	if media == nil && mt != "" {
		// "text/plain; charset=utf-8" declared accepts "text/plain" sent,
		// and the other way round: parameters do not change the type.
		keys := make([]string, 0, len(rb.Content))
		for k := range rb.Content {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if mediaMatches(mediaBase(k), mt) {
				media = rb.Content[k]
				break
			}
		}
	}
	if media == nil {
		declared := make([]string, 0, len(rb.Content))
		for k := range rb.Content {
			declared = append(declared, k)
		}
		sort.Strings(declared)
		if mt == "" {
			// No Content-Type: accept JSON when JSON is declared.
			for _, d := range declared {
				if isJSONMedia(mediaBase(d)) {
					media, mt = rb.Content[d], mediaBase(d)
					break
				}
			}
		}
		if media == nil {
			return []ProblemError{{In: "header", Name: "Content-Type", Rule: "content-type",
				Message: fmt.Sprintf("%q is not accepted; send one of: %s", ct, strings.Join(declared, ", "))}}, http.StatusUnsupportedMediaType
		}
	}
	if media.Schema == nil || media.Schema.Value == nil {
		return nil, 0
	}
	if isJSONMedia(mt) {
		if c.JSON == nil {
			var x any
			if err := json.Unmarshal(c.Body, &x); err != nil {
				return []ProblemError{{In: "body", Rule: "json", Message: err.Error()}}, http.StatusBadRequest
			}
			c.JSON = x
		}
		err := safeVisit(media.Schema.Value, c.JSON, v.schemaOpts(true)...)
		if err == nil {
			return nil, 0
		}
		if ps := v.schemaProblems("body", "", err); len(ps) > 0 {
			return ps, http.StatusUnprocessableEntity
		}
		return nil, 0
	}
	if mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data" {
		val, err := decodeForm(mt, c.Request.Header.Get("Content-Type"), c.Body, media.Schema.Value)
		if err != nil {
			return []ProblemError{{In: "body", Rule: "form", Message: err.Error()}}, http.StatusBadRequest
		}
		if err := safeVisit(media.Schema.Value, val, v.schemaOpts(true)...); err != nil {
			if ps := v.schemaProblems("body", "", err); len(ps) > 0 {
				return ps, http.StatusUnprocessableEntity
			}
		}
		return nil, 0
	}
	if strings.HasPrefix(mt, "text/") {
		sch := media.Schema.Value
		if sch.Type != nil && !sch.Type.Is("string") {
			c.Note("body-not-validated", "info", "", mt+" body against a non-string schema; accepted as is")
			return nil, 0
		}
		if err := safeVisit(sch, string(c.Body), v.schemaOpts(true)...); err != nil {
			if ps := v.schemaProblems("body", "", err); len(ps) > 0 {
				return ps, http.StatusUnprocessableEntity
			}
		}
		return nil, 0
	}
	if openapi3filter.RegisteredBodyDecoder(mt) == nil {
		c.Note("body-not-validated", "info", "", "no decoder for "+mt+"; body accepted as is")
		return nil, 0
	}
	c.Request.Body = bodyReader(c.Body)
	err := safeBody(ctx, input, rb)
	if err == nil {
		return nil, 0
	}
	return v.problems(err), http.StatusUnprocessableEntity
}

func safeBody(ctx context.Context, in *openapi3filter.RequestValidationInput, rb *openapi3.RequestBody) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validator failed: %v", r)
		}
	}()
	o := *in.Options // shared by every request: change a copy
	o.ExcludeRequestBody = false
	in.Options = &o
	return openapi3filter.ValidateRequestBody(ctx, in, rb)
}

func safeVisit(s *openapi3.Schema, x any, opts ...openapi3.SchemaValidationOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validator failed: %v", r)
		}
	}()
	return s.VisitJSON(x, opts...)
}

// problems maps openapi3filter errors to ProblemErrors.
func (v *validator) problems(err error) []ProblemError {
	var out []ProblemError
	if me, ok := err.(openapi3.MultiError); ok {
		for _, e := range me {
			out = append(out, v.problems(e)...)
		}
		return out
	}
	if re, ok := err.(*openapi3filter.RequestError); ok {
		in, name := "body", ""
		if re.Parameter != nil {
			in, name = re.Parameter.In, re.Parameter.Name
		}
		if re.Err != nil {
			var se *openapi3.SchemaError
			var sme openapi3.MultiError
			if errors.As(re.Err, &sme) || errors.As(re.Err, &se) {
				return v.schemaProblems(in, name, re.Err)
			}
			rule := "invalid"
			switch {
			case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
				rule = "required"
			case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
				rule = "empty"
			}
			msg := re.Err.Error()
			if rule == "required" {
				msg = "required " + in + " parameter is missing"
				if in == "body" {
					msg = "a request body is required"
				}
			}
			return []ProblemError{{In: in, Name: name, Rule: rule, Message: msg}}
		}
		return []ProblemError{{In: in, Name: name, Rule: "invalid", Message: re.Reason}}
	}
	return []ProblemError{{In: "request", Rule: "invalid", Message: err.Error()}}
}

func (v *validator) schemaProblems(in, name string, err error) []ProblemError {
	var out []ProblemError
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			out = append(out, v.schemaProblems(in, name, e)...)
		}
		return out
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		if se.SchemaField == "enum" && fake.EnumAccepts(se.Schema, se.Value) {
			return nil // "true" listed, true sent: accepted on purpose
		}
		return []ProblemError{{In: in, Name: name, Pointer: SchemaErrorPointer(se), Rule: se.SchemaField, Message: se.Reason}}
	}
	return []ProblemError{{In: in, Name: name, Rule: "invalid", Message: err.Error()}}
}

// SchemaErrorPointer is the JSON pointer (RFC 6901) of the value a schema
// error is about: "" for the whole document.
func SchemaErrorPointer(se *openapi3.SchemaError) string {
	parts := se.JSONPointer()
	if len(parts) == 0 {
		return ""
	}
	esc := make([]string, len(parts))
	for i, p := range parts {
		esc[i] = connector.EscapePointerToken(p)
	}
	return "/" + strings.Join(esc, "/")
}
