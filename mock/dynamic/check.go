package dynamic

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// Problem IDs.
const (
	ProblemUnknownValue   = "dynamic-value-unknown"
	ProblemSchemaMismatch = "dynamic-schema-mismatch"
)

// Check validates a request to a dependent operation: values of
// parameters filled from a lookup must be values the lookup returns (a
// warning, or a rejection when Strict), and bodies with a dynamic schema
// must match the schema the schema lookup resolves for the request.
func (r *Resolver) Check(op *connector.Operation, a Args) []Problem {
	var out []Problem
	for i := range op.Dynamic {
		d := &op.Dynamic[i]
		switch d.Kind {
		case connector.DynamicValues, connector.DynamicList:
			out = append(out, r.checkValue(op, d, a)...)
		case connector.DynamicSchema, connector.DynamicProperties:
			if strings.HasPrefix(d.Target, "body") {
				out = append(out, r.checkSchema(d, a)...)
			}
		}
	}
	return out
}

// requestValues finds the values a target carries in a request.
func requestValues(target string, a Args) []located {
	in, name, _ := strings.Cut(target, ":")
	var raw string
	switch in {
	case "query":
		vs := a.Query[name]
		var out []located
		for _, v := range vs {
			out = append(out, located{"query:" + name, v})
		}
		return out
	case "path":
		var ok bool
		if raw, ok = a.Path[name]; !ok {
			return nil
		}
		return []located{{"path:" + name, raw}}
	case "header":
		if raw = a.Header.Get(name); raw == "" {
			return nil
		}
		return []located{{"header:" + name, raw}}
	case "formData":
		// A form field: the mock hands form bodies over decoded.
		return requestValues("body/"+name, a)
	}
	if strings.HasPrefix(target, "body") {
		var out []located
		for _, l := range findAll(a.Body, "/body", SplitPath(strings.TrimPrefix(target, "body"))) {
			if arr, ok := l.v.([]any); ok {
				for i, e := range arr {
					out = append(out, located{l.ptr + "/" + strconv.Itoa(i), e})
				}
				continue
			}
			out = append(out, l)
		}
		return out
	}
	return nil
}

func (r *Resolver) checkValue(op *connector.Operation, d *connector.DynamicRef, a Args) []Problem {
	lk := r.lookups[d.OperationID]
	if lk == nil {
		return nil
	}
	vals := requestValues(d.Target, a)
	if len(vals) == 0 {
		return nil
	}
	var spec *listSpec
	want := listSpec{}
	if d.Kind == connector.DynamicValues {
		want.collection, want.value, want.title = SplitPath(d.ValueCollection), SplitPath(d.ValuePath), SplitPath(d.ValueTitle)
	} else {
		want.collection, want.value, want.title = SplitPath(d.ItemsPath), SplitPath(d.ItemValuePath), SplitPath(d.ItemTitlePath)
	}
	if len(want.title) == 0 {
		want.title = want.value
	}
	for _, ls := range lk.lists {
		if ls.key() == want.key() {
			spec = ls
		}
	}
	if spec == nil {
		return nil
	}
	var out []Problem
	for _, l := range vals {
		if l.v == nil || canon(l.v) == "" {
			continue
		}
		ok, known := r.accepted(lk, spec, d.Parameters, a, d.Target, l.v)
		if ok {
			continue
		}
		strict := r.strict.Load()
		level := "warning"
		if strict {
			level = "error"
		}
		ex := make([]string, 0, 3)
		for i := 0; i < len(known) && i < 3; i++ {
			ex = append(ex, strconv.Quote(canon(known[i])))
		}
		msg := fmt.Sprintf("%s: %q is not a value %s returns (it returns %s); pick one from %s",
			describeTarget(l.ptr), canon(l.v), d.OperationID, strings.Join(ex, ", "), d.OperationID)
		if strict {
			msg += ", or start the mock without --strict-dynamic"
		}
		out = append(out, Problem{Note: recordings.Note{ID: ProblemUnknownValue, Level: level, Pointer: l.ptr, Message: msg}, Reject: strict})
	}
	return out
}

func describeTarget(ptr string) string {
	if in, name, ok := strings.Cut(ptr, ":"); ok {
		return in + " parameter " + name
	}
	return "body field " + ptr
}

// schemaFor resolves the dynamic schema of d for a dependent request.
func (r *Resolver) schemaFor(d *connector.DynamicRef, a Args) (*resolved, *schemaSpec, string) {
	lk := r.lookups[d.OperationID]
	if lk == nil {
		return nil, nil, ""
	}
	at := schemaAt0(d)
	var ss *schemaSpec
	for _, s := range lk.schemas {
		if strings.Join(s.at, "/") == strings.Join(at, "/") {
			ss = s
		}
	}
	if ss == nil {
		return nil, nil, ""
	}
	vals, key := lk.args(dependentArgs(d.Parameters, a, d.Target))
	return r.resolve(lk, ss, key, vals), ss, key
}

// Resolve returns the schema a dependent operation's target resolves to
// for request a, or nil when the reference cannot be resolved.
func (r *Resolver) Resolve(d *connector.DynamicRef, a Args) *openapi3.SchemaRef {
	res, _, _ := r.schemaFor(d, a)
	if res == nil {
		return nil
	}
	return res.schema
}

func (r *Resolver) checkSchema(d *connector.DynamicRef, a Args) []Problem {
	res, _, key := r.schemaFor(d, a)
	if res == nil || res.schema == nil || a.Body == nil {
		return nil
	}
	var out []Problem
	for _, l := range targets(a.Body, "/body", SplitPath(strings.TrimPrefix(d.Target, "body")), r.elementLevel(d)) {
		err := res.schema.Value.VisitJSON(l.v, openapi3.MultiErrors(), openapi3.VisitAsRequest(), openapi3.DisablePatternValidation())
		if err == nil {
			continue
		}
		for _, e := range flatten(err) {
			ptr := l.ptr
			msg := e.Error()
			var se *openapi3.SchemaError
			if errors.As(e, &se) {
				if p := se.JSONPointer(); len(p) > 0 {
					ptr += "/" + strings.Join(p, "/")
				}
				msg = se.Reason
			}
			out = append(out, Problem{Note: recordings.Note{ID: ProblemSchemaMismatch, Level: "error", Pointer: ptr,
				Message: fmt.Sprintf("%s: %s (schema from %s for %s)", ptr, msg, d.OperationID, describeArgs(key))}, Reject: true})
			if len(out) >= 20 {
				return out
			}
		}
	}
	return out
}

// targets finds the values a dynamic schema applies to: the target, or
// each element of it when the schema describes array items.
func targets(v any, ptr string, path []string, elements bool) []located {
	found := findAll(v, ptr, path)
	if !elements {
		return found
	}
	var out []located
	for _, l := range found {
		if arr, ok := l.v.([]any); ok {
			for i, e := range arr {
				out = append(out, located{l.ptr + "/" + strconv.Itoa(i), e})
			}
			continue
		}
		out = append(out, l)
	}
	return out
}

func flatten(err error) []error {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// Response regenerates the parts of a dependent operation's response that
// have a dynamic schema, from the schema resolved for request a.
func (r *Resolver) Response(op *connector.Operation, a Args, status int, body any) any {
	for i := range op.Dynamic {
		d := &op.Dynamic[i]
		if d.Kind != connector.DynamicSchema && d.Kind != connector.DynamicProperties {
			continue
		}
		rest, ok := strings.CutPrefix(d.Target, "response:")
		if !ok {
			continue
		}
		code, sub, _ := strings.Cut(rest, "/")
		if code != strconv.Itoa(status) && !(code == "default" && !declared(op, status)) {
			continue
		}
		res, _, key := r.schemaFor(d, a)
		if res == nil || res.schema == nil {
			continue
		}
		elements := r.elementLevel(d)
		gen := func(j int) any {
			return r.gen.Generate(res.schema, fake.Seed(r.seed, "dynamic-response", op.ID, d.Target, key, strconv.Itoa(j)), "")
		}
		body = fillTarget(body, SplitPath(sub), elements, gen)
	}
	return body
}

// fillTarget replaces the value at path below v with generated ones.
// Arrays on the way fan out to their elements (a target names the array,
// not an index), and nothing declared as an array becomes an object; with
// elements the value there is an array whose items are generated.
func fillTarget(v any, path []string, elements bool, gen func(j int) any) any {
	if len(path) == 0 {
		if !elements {
			return gen(0)
		}
		n := 2
		if arr, ok := v.([]any); ok && len(arr) > 0 {
			n = len(arr)
		}
		out := make([]any, n)
		for j := range out {
			out[j] = gen(j)
		}
		return out
	}
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = fillTarget(x[i], path, elements, gen)
		}
		return x
	case map[string]any:
		x[path[0]] = fillTarget(x[path[0]], path[1:], elements, gen)
		return x
	}
	return map[string]any{path[0]: fillTarget(nil, path[1:], elements, gen)}
}

func declared(op *connector.Operation, status int) bool {
	return op.Op != nil && op.Op.Responses != nil && op.Op.Responses.Value(strconv.Itoa(status)) != nil
}

// ResponseSchema returns the resolved schema a dependent response target
// must match, for tests and the traffic log.
func (r *Resolver) ResponseSchema(op *connector.Operation, a Args, status int) (string, *openapi3.SchemaRef) {
	for i := range op.Dynamic {
		d := &op.Dynamic[i]
		rest, ok := strings.CutPrefix(d.Target, "response:")
		if !ok || (d.Kind != connector.DynamicSchema && d.Kind != connector.DynamicProperties) {
			continue
		}
		code, sub, _ := strings.Cut(rest, "/")
		if code != strconv.Itoa(status) {
			continue
		}
		if res, _, _ := r.schemaFor(d, a); res != nil {
			return sub, res.schema
		}
	}
	return "", nil
}

// MappedArgs are the lookup parameters a designer sends for reference d
// when the dependent request carries a: literals, and the values of the
// parameters the mapping names. Trees map through their open side.
func MappedArgs(d *connector.DynamicRef, a Args) map[string]any {
	ps := d.Parameters
	if d.Kind == connector.DynamicTree {
		if sides := treeSides(d); len(sides) > 0 {
			ps = sides[0].params
		}
	}
	return dependentValues(ps, a, d.Target)
}

// LookupOperation is the operation a reference calls (a tree's open side).
func LookupOperation(d *connector.DynamicRef) string {
	if d.Kind == connector.DynamicTree {
		if sides := treeSides(d); len(sides) > 0 {
			return sides[0].op
		}
	}
	return d.OperationID
}

// ListPaths returns where a list reference reads items, values and titles.
func ListPaths(d *connector.DynamicRef) (collection, value, title []string) {
	switch d.Kind {
	case connector.DynamicValues:
		collection, value, title = SplitPath(d.ValueCollection), SplitPath(d.ValuePath), SplitPath(d.ValueTitle)
	case connector.DynamicList:
		collection, value, title = SplitPath(d.ItemsPath), SplitPath(d.ItemValuePath), SplitPath(d.ItemTitlePath)
	case connector.DynamicTree:
		if sides := treeSides(d); len(sides) > 0 {
			collection, value, title = SplitPath(sides[0].items), SplitPath(sides[0].value), SplitPath(sides[0].title)
		}
	}
	if len(title) == 0 {
		title = value
	}
	return
}

// SchemaPath returns where a schema reference reads the schema.
func SchemaPath(d *connector.DynamicRef) []string {
	if d.Kind == connector.DynamicProperties {
		return SplitPath(d.ItemValuePath)
	}
	return SplitPath(d.ValuePath)
}

// ElementLevel reports whether a schema reference describes the items of
// an array (the target is the array).
func (r *Resolver) ElementLevel(d *connector.DynamicRef) bool { return r.elementLevel(d) }
