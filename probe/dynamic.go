package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/dynamic"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// A request body part declared with x-ms-dynamic-schema or
// x-ms-dynamic-properties has its real schema on the server: the static
// node is a placeholder (often untyped, so generated as a string). Power
// Automate's designer calls the lookup operation the extension names, with
// the parameters it maps filled from the action being built, reads the
// schema at value-path and builds that part from it. Build does the same
// through Options.Lookup, against the target under test; without a Lookup,
// or when the lookup fails, the part comes from the static schema and the
// Request says so in Notes.

// LookupFunc sends a built request for a lookup operation to the target
// under test and returns the answer's status and body. The caller decides
// how requests reach the target (policies, credentials, retries).
type LookupFunc func(ctx context.Context, req *Request) (status int, body []byte, err error)

// HTTPLookup is a LookupFunc that sends to base over client, as Sweep does
// with its own requests.
func HTTPLookup(client *http.Client, base string) LookupFunc {
	return func(ctx context.Context, req *Request) (int, []byte, error) {
		hr, err := req.HTTP(ctx, base)
		if err != nil {
			return 0, nil, err
		}
		resp, err := client.Do(hr)
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %w", req.Operation.ID, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
		if err != nil {
			return resp.StatusCode, nil, fmt.Errorf("%s: reading the answer: %w", req.Operation.ID, err)
		}
		return resp.StatusCode, body, nil
	}
}

// maxLookupDepth bounds lookups made to build a lookup's own request (a
// lookup whose body has a dynamic schema too).
const maxLookupDepth = 2

// lookupKey carries the lookup depth through the context of one Build.
type lookupKey struct{}

func lookupDepth(ctx context.Context) int {
	n, _ := ctx.Value(lookupKey{}).(int)
	return n
}

// resolveBody replaces the dynamic-schema parts of the generated JSON body
// v with values generated from the schema the target's lookup answers.
// pathVals are the request's path parameter values.
// redo, when set, picks the targets to resolve.
func (b *Builder) resolveBody(ctx context.Context, op *connector.Operation, r *Request, pathVals map[string]string, v any, seed uint64, redo func(*connector.DynamicRef) bool) any {
	refs := dynamic.BodySchemaRefs(b.c, op)
	if len(refs) == 0 {
		return v
	}
	for _, d := range refs {
		if redo != nil && !redo(d) {
			continue
		}
		sch, err := b.lookupSchema(ctx, op, d, r, pathVals, v)
		if err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: %v; generated from the static schema", d.Target, err))
			continue
		}
		filled, err := dynamic.FillBody(op, d, v, func(j int) any {
			return b.gen.Generate(sch, fake.Seed(seed, "dynamic", d.Target, strconv.Itoa(j)), lastSegment(d.Target))
		})
		if err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: %v; generated from the static schema", d.Target, err))
			continue
		}
		v = filled
	}
	return v
}

// ResolveBody regenerates, in body (op's decoded JSON request body), the
// parts at the x-ms-dynamic-schema / x-ms-dynamic-properties targets redo
// picks (nil: all), from the schema Options.Lookup answers for the
// parameters they map (taken from pathVals, query, header and body).
// Replay uses it where a recording redacted such a part, or a value its
// lookup is called with: a value valid for the static schema is not one
// for the schema the API resolves. notes are the targets left as they
// were, and why.
func (b *Builder) ResolveBody(ctx context.Context, op *connector.Operation, pathVals map[string]string, query url.Values, header http.Header, body any, redo func(*connector.DynamicRef) bool) (out any, notes []string) {
	r := &Request{Operation: op, Query: query, Header: header}
	if r.Query == nil {
		r.Query = url.Values{}
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	out = b.resolveBody(ctx, op, r, pathVals, body, fake.Seed(b.opts.Seed, op.ID, "redacted", "dynamic"), redo)
	return out, r.Notes
}

// lookupSchema calls d's lookup with the parameters d maps, taken from the
// request being built (path, query, headers and body v), and reads the
// schema from its answer.
func (b *Builder) lookupSchema(ctx context.Context, op *connector.Operation, d *connector.DynamicRef, r *Request, pathVals map[string]string, v any) (*openapi3.SchemaRef, error) {
	if b.opts.Lookup == nil {
		return nil, fmt.Errorf("dynamic schema from %s not looked up (no target to ask)", d.OperationID)
	}
	depth := lookupDepth(ctx)
	if depth >= maxLookupDepth {
		return nil, fmt.Errorf("dynamic schema from %s not looked up (lookups nested %d deep)", d.OperationID, depth)
	}
	lop := b.c.Operation(dynamic.LookupOperation(d))
	if lop == nil {
		return nil, fmt.Errorf("lookup %s is not an operation of the definition", d.OperationID)
	}
	args := dynamic.MappedArgs(d, dynamic.Args{Path: pathVals, Query: r.Query, Header: r.Header, Body: v, Op: op})
	lreq, err := b.build(context.WithValue(ctx, lookupKey{}, depth+1), lop, args)
	if err != nil {
		return nil, fmt.Errorf("build the %s lookup: %w", lop.ID, err)
	}
	status, body, err := b.opts.Lookup(ctx, lreq)
	switch {
	case err != nil:
		return nil, fmt.Errorf("lookup %s failed: %w", lop.ID, err)
	case status < 200 || status > 299:
		return nil, fmt.Errorf("lookup %s answered %d", lop.ID, status)
	}
	sch, err := dynamic.ReadSchema(b.c, d, body)
	if err != nil {
		return nil, err
	}
	return sch, nil
}

// override is the value the caller fixed for parameter p of a lookup (the
// values a dynamic reference maps), serialised for the URL or a header.
func override(over map[string]any, p *openapi3.Parameter) ([]string, bool) {
	if len(over) == 0 {
		return nil, false
	}
	v, ok := over[p.Name]
	if !ok {
		for k, x := range over {
			if strings.EqualFold(k, p.Name) {
				v, ok = x, true
				break
			}
		}
	}
	if !ok || v == nil {
		return nil, false
	}
	if arr, isArr := v.([]any); isArr {
		strs := make([]string, 0, len(arr))
		for _, e := range arr {
			strs = append(strs, scalar(e))
		}
		return []string{strings.Join(strs, ",")}, true
	}
	return []string{scalar(v)}, true
}

// overrideBody sets the body values the caller fixed: "body/a/b" paths
// and names of top-level properties the body declares.
func overrideBody(v any, over map[string]any, props openapi3.Schemas) any {
	for k, x := range over {
		var path []string
		if rest, ok := strings.CutPrefix(k, "body/"); ok {
			path = strings.Split(rest, "/")
		} else if props[k] != nil {
			path = []string{k}
		} else {
			continue
		}
		v = dynamic.SetPath(v, path, x)
	}
	return v
}

func lastSegment(target string) string {
	if i := strings.LastIndexByte(target, '/'); i >= 0 {
		return target[i+1:]
	}
	return ""
}
