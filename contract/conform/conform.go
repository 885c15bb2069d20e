package conform

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/shape"
	"github.com/getkin/kin-openapi/openapi3"
)

// Finding IDs of conformance checks.
const (
	StatusUndeclared      = "status-undeclared"
	ContentTypeUndeclared = "content-type-undeclared"
	ContentTypeMissing    = "content-type-missing"
	BodyNotJSON           = "body-not-json"
	BodyTypeMismatch      = "body-type-mismatch"
	BodyRequiredMissing   = "body-required-missing"
	BodyFieldUndocumented = "body-field-undocumented"
	BodyFieldNotAllowed   = "body-field-not-allowed"
	BodyEnumViolation     = "body-enum-value-undeclared"
	BodyNullNotAllowed    = "body-null-not-allowed"
	HeaderMissing         = "header-missing"
	DynamicUnresolved     = "schema-dynamic-unresolved"
)

// Rules is the catalogue of conformance findings.
func Rules() contract.Catalogue {
	r := func(id string, l contract.Level, s string) contract.Rule {
		return contract.Rule{ID: id, Level: l, Kind: contract.KindTest, Summary: s}
	}
	E, W, I := contract.LevelError, contract.LevelWarning, contract.LevelInfo
	return contract.Catalogue{
		r(StatusUndeclared, E, "the response status is not declared (info for a 2xx when the operation declares no success at all)"),
		r(ContentTypeUndeclared, W, "the Content-Type is not one the response declares"),
		r(ContentTypeMissing, W, "a body came without a Content-Type"),
		r(BodyNotJSON, E, "a JSON response body does not parse"),
		r(BodyTypeMismatch, E, "a body field has another JSON type than the schema says"),
		r(BodyRequiredMissing, E, "a field the schema requires is absent"),
		r(BodyFieldUndocumented, I, "a body field the schema does not list (as diff's response-field-added: an extra field breaks no flow)"),
		r(BodyFieldNotAllowed, E, "a field where the schema says additionalProperties: false"),
		r(BodyEnumViolation, W, "a value outside the declared enum (a new enum value)"),
		r(BodyNullNotAllowed, W, "null where the schema is not nullable"),
		r(HeaderMissing, W, "a required response header is absent"),
		r(DynamicUnresolved, I, "the body schema is x-ms-dynamic and could not be resolved: checked as an open object"),
	}
}

// Options tune a Checker.
type Options struct {
	// DynamicSchema resolves the body schema of an operation whose
	// response uses x-ms-dynamic-schema / -properties; nil or a nil result
	// leaves the body open.
	DynamicSchema func(op *connector.Operation, status string) *openapi3.SchemaRef
	// Ignore skips body fields (shape paths) for an operation.
	Ignore func(op *connector.Operation, path string) bool
}

// Checker checks responses of one connector. Safe for concurrent use; it
// caches flattened schemas per operation and status.
type Checker struct {
	c       *connector.Connector
	opts    Options
	shapes  sync.Map            // *openapi3.SchemaRef → *flat
	implied map[string][]string // lookup operationId → paths its callers' x-ms-dynamic-* name
}

type flat struct {
	sh       shape.Shape
	children map[string][]string // parent path → child paths
}

// New returns a Checker for c.
func New(c *connector.Connector, opts Options) *Checker {
	return &Checker{c: c, opts: opts, implied: implied(c)}
}

// Response is what a check looks at.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Decoded, when set, is Body already decoded as JSON (a caller that
	// decodes once for several checks saves the second parse).
	Decoded any
}

// Check runs every conformance check on a response of op.
func (k *Checker) Check(op *connector.Operation, r Response) []contract.Finding {
	var out []contract.Finding
	add := func(f contract.Finding) {
		f.Operation, f.Method, f.Path, f.CustomCode = op.ID, op.Method, op.Path, op.CustomCode
		out = append(out, f)
	}
	key, resp := ResponseFor(op.Op, r.Status)
	checkStatus(op, r, key, add)
	if resp == nil {
		return out
	}
	media := checkContentType(resp, r, add)
	k.checkBody(op, key, resp, media, r, add)
	checkHeaders(resp, r, add)
	return out
}

// ResponseFor finds the declared response for a status: the exact code,
// then its range ("2XX"), then "default". key is "" when none matches.
func ResponseFor(op *openapi3.Operation, status int) (string, *openapi3.Response) {
	if op == nil || op.Responses == nil {
		return "", nil
	}
	code := strconv.Itoa(status)
	for _, k := range []string{code, code[:1] + "XX", code[:1] + "xx", "default"} {
		if r := op.Responses.Value(k); r != nil && r.Value != nil {
			return k, r.Value
		}
	}
	return "", nil
}

// Statuses lists the declared response keys in order.
func Statuses(op *openapi3.Operation) []string {
	if op == nil || op.Responses == nil {
		return nil
	}
	var out []string
	for k := range op.Responses.Map() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// BodySchema picks the schema of a response's JSON media type (or of its
// only media type), and that media type.
func BodySchema(resp *openapi3.Response) (string, *openapi3.SchemaRef) {
	if resp == nil || len(resp.Content) == 0 {
		return "", nil
	}
	keys := make([]string, 0, len(resp.Content))
	for k := range resp.Content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := keys[0]
	for _, k := range keys {
		if IsJSON(k) {
			best = k
			break
		}
	}
	if mt := resp.Content[best]; mt != nil {
		return best, mt.Schema
	}
	return best, nil
}

// IsJSON reports whether a media type carries JSON.
func IsJSON(media string) bool {
	m := strings.ToLower(media)
	m, _, _ = strings.Cut(m, ";")
	m = strings.TrimSpace(m)
	return m == "application/json" || strings.HasSuffix(m, "+json") || m == "text/json"
}

// Flatten returns the cached flattened shape of a schema.
func (k *Checker) flatten(ref *openapi3.SchemaRef) *flat {
	if v, ok := k.shapes.Load(ref); ok {
		return v.(*flat)
	}
	f := &flat{sh: shape.FromSchema(ref, shape.SchemaOptions{}), children: map[string][]string{}}
	for p := range f.sh {
		if p == "" {
			continue
		}
		parent, seg := shape.Parent(p)
		if seg == "[]" || seg == "*" {
			continue
		}
		f.children[parent] = append(f.children[parent], p)
	}
	for _, c := range f.children {
		sort.Strings(c)
	}
	k.shapes.Store(ref, f)
	return f
}

// Shape returns the flattened body schema of op's response to status (nil
// when none is declared), resolving dynamic schemas like Check does.
func (k *Checker) Shape(op *connector.Operation, status int) shape.Shape {
	key, resp := ResponseFor(op.Op, status)
	if resp == nil {
		return nil
	}
	_, ref := BodySchema(resp)
	if ref == nil {
		return nil
	}
	if ref.Value != nil && shape.IsDynamic(ref.Value) && k.opts.DynamicSchema != nil {
		if r := k.opts.DynamicSchema(op, key); r != nil {
			ref = r
		}
	}
	return k.flatten(ref).sh
}
