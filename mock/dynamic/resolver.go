package dynamic

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// Options configure a Resolver. Connector is required.
type Options struct {
	Connector *connector.Connector
	// Generator makes lookup items and responses; nil means fake.New(fake.Options{}).
	Generator *fake.Generator
	Seed      uint64
	// Strict rejects values a lookup would not return (--strict-dynamic).
	Strict bool
	// SchemaFile is a user-supplied dynamic-schemas.json. "" means the
	// file of that name next to the connector, when there is one.
	SchemaFile string
	// Stored, when set, returns the items the mock's stateful store holds
	// for a lookup operation (stateful mode): the lookup answers with
	// those, so their values are accepted too.
	Stored func(lookup *connector.Operation) []any
	// Redactor says which request values a recording of the connector
	// hides (recordings.NameRedactor); lookups are keyed without them, so
	// a replay that substitutes them resolves the recorded schema and
	// values. nil: every value counts.
	Redactor *recordings.Redactor
}

// Problem is something wrong with a request to a dependent operation.
// Reject says the mock should answer 400 rather than only note it.
type Problem struct {
	recordings.Note
	Reject bool
}

// Resolver serves one connector's dynamic metadata. It is safe for
// concurrent use.
type Resolver struct {
	c      *connector.Connector
	gen    *fake.Generator
	seed   uint64
	strict atomic.Bool
	file   *SchemaFile
	stored func(*connector.Operation) []any
	red    *recordings.Redactor

	lookups map[string]*lookup // by lookup operation ID
	info    map[*connector.DynamicRef]refInfo

	mu     sync.Mutex
	served map[string]map[string]bool // lookup op → values served
	cache  map[string]*resolved       // resolved schemas
	vcache map[string][]any           // list values by lookup, spec and key
}

// lookup is what one operation must answer for the references to it.
type lookup struct {
	op      *connector.Operation
	lists   []*listSpec
	schemas []*schemaSpec
	keys    []string // parameter names any reference maps, sorted
	// hidden are the keys a recording redacts, on the lookup or on a
	// dependent that maps them (the API-Key header GISCloud's layer
	// schema lookup takes): left out of the key and the values a schema
	// is resolved from, so the recorded and the replayed request, which
	// must carry another value there, resolve the same schema.
	hidden map[string]bool
}

// listSpec is one shape of list the designer reads from a lookup.
type listSpec struct {
	kind       connector.DynamicKind
	collection []string // empty: the body is the array
	value      []string
	title      []string   // the first reference's title
	titles     [][]string // every title path shown, title first
	parent     []string   // x-ms-dynamic-tree itemIsParent
	itemShape  *openapi3.SchemaRef
	// field, titleField and parentField are the item's declared schemas at
	// value, title and parent (nil when undeclared).
	field, titleField, parentField *openapi3.SchemaRef
	// deps are the schemas of the dependent targets filled from this list:
	// a value must suit the lookup's field and every one of them.
	deps []*openapi3.SchemaRef
}

// key identifies a list by where its values sit: references reading the
// same values share one spec (and its constraints) whatever titles they
// show.
func (s *listSpec) key() string {
	return strings.Join(s.collection, "/") + "|" + strings.Join(s.value, "/")
}

// schemaSpec is where a schema lookup puts the schema, and its shape.
type schemaSpec struct {
	at    []string
	array bool // the node carrying the extension is an array: the schema is one too
	// carriers are those nodes as the definition declares them, one per
	// dependent, with the literal parameters each sends: generated schemas
	// keep what the matching carrier declares.
	carriers []carrier
}

// carrier is one dependent's static node and the literal lookup
// parameters its reference sends ("mode": "CREATE_INPUT").
type carrier struct {
	static *openapi3.SchemaRef
	lits   map[string]string
}

// staticFor picks the carrier of the dependent whose literals the lookup
// values match best (a create schema for mode=CREATE_INPUT, an output
// schema for mode=OUTPUT), else the first.
func (ss *schemaSpec) staticFor(vals map[string]string) *openapi3.SchemaRef {
	var best *openapi3.SchemaRef
	score := -1
	for _, c := range ss.carriers {
		n := 0
		for k, v := range c.lits {
			if vals[k] != v {
				n = -1
				break
			}
			n++
		}
		if n > score {
			best, score = c.static, n
		}
	}
	return best
}

type resolved struct {
	raw    map[string]any
	schema *openapi3.SchemaRef
	source string // "file" or "generated"
}

// SchemaFileName is the user-supplied schema file looked for next to a
// connector.
const SchemaFileName = "dynamic-schemas.json"

// New indexes the dynamic references of opts.Connector. The error is about
// the user-supplied schema file, which is then not used.
func New(opts Options) (*Resolver, error) {
	if opts.Connector == nil {
		return nil, fmt.Errorf("dynamic.New: no connector")
	}
	r := &Resolver{
		c: opts.Connector, gen: opts.Generator, seed: opts.Seed,
		lookups: map[string]*lookup{}, info: map[*connector.DynamicRef]refInfo{}, served: map[string]map[string]bool{}, cache: map[string]*resolved{}, vcache: map[string][]any{},
	}
	r.strict.Store(opts.Strict)
	r.stored = opts.Stored
	r.red = opts.Redactor
	if r.gen == nil {
		r.gen = fake.New(fake.Options{})
	}
	for _, op := range r.c.Operations {
		for i := range op.Dynamic {
			r.index(op, &op.Dynamic[i])
		}
	}
	var err error
	r.file, err = loadSchemaFile(opts.SchemaFile, r.c)
	return r, err
}

// Strict reports whether unknown dynamic values are rejected.
func (r *Resolver) Strict() bool { return r.strict.Load() }

// SetStrict turns --strict-dynamic on or off at run time.
func (r *Resolver) SetStrict(on bool) { r.strict.Store(on) }

// SchemaFile is the user-supplied schema file in use, or nil.
func (r *Resolver) SchemaFile() *SchemaFile { return r.file }

func (r *Resolver) lookupFor(id string) *lookup {
	op := r.c.Operation(id)
	if op == nil {
		return nil
	}
	lk := r.lookups[id]
	if lk == nil {
		lk = &lookup{op: op}
		r.lookups[id] = lk
	}
	return lk
}

// treeSide is the open or browse half of an x-ms-dynamic-tree.
type treeSide struct {
	op     string
	items  string
	value  string
	title  string
	parent string
	params map[string]connector.DynamicParam
}

func treeSides(d *connector.DynamicRef) []treeSide {
	var out []treeSide
	for _, k := range []string{"open", "browse"} {
		m, _ := d.Tree[k].(map[string]any)
		if m == nil {
			continue
		}
		s := treeSide{op: str(m["operationId"]), items: str(m["itemsPath"]), value: str(m["itemValuePath"]),
			title: str(m["itemTitlePath"]), parent: str(m["itemIsParent"])}
		if s.parent == "true" || s.parent == "false" {
			s.parent = ""
		}
		if ps, _ := m["parameters"].(map[string]any); len(ps) > 0 {
			s.params = map[string]connector.DynamicParam{}
			for name, pv := range ps {
				dp := connector.DynamicParam{}
				if pm, ok := pv.(map[string]any); ok {
					dp.Parameter, dp.ParameterReference, dp.Value = str(pm["parameter"]), str(pm["parameterReference"]), pm["value"]
					if sel := str(pm["selectedItemValuePath"]); sel != "" {
						dp.ParameterReference = "selected:" + sel
					}
				} else {
					dp.Value = pv
				}
				s.params[name] = dp
			}
		}
		if s.op != "" {
			out = append(out, s)
		}
	}
	return out
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case map[string]any, []any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}

func (r *Resolver) index(dep *connector.Operation, d *connector.DynamicRef) {
	if ok, _, _ := Resolvable(r.c, d); !ok {
		return // the lookup answers as declared; see Resolvable
	}
	switch d.Kind {
	case connector.DynamicValues, connector.DynamicList:
		lk := r.lookupFor(d.OperationID)
		if lk == nil {
			return
		}
		ls := &listSpec{kind: d.Kind}
		if d.Kind == connector.DynamicValues {
			ls.collection, ls.value, ls.title = SplitPath(d.ValueCollection), SplitPath(d.ValuePath), SplitPath(d.ValueTitle)
		} else {
			ls.collection, ls.value, ls.title = SplitPath(d.ItemsPath), SplitPath(d.ItemValuePath), SplitPath(d.ItemTitlePath)
		}
		r.addList(lk, ls, dep, d.Target, d.Parameters)
	case connector.DynamicTree:
		for _, s := range treeSides(d) {
			lk := r.lookupFor(s.op)
			if lk == nil {
				continue
			}
			ls := &listSpec{kind: d.Kind, collection: SplitPath(s.items), value: SplitPath(s.value), title: SplitPath(s.title), parent: SplitPath(s.parent)}
			r.addList(lk, ls, dep, d.Target, s.params)
		}
	case connector.DynamicSchema, connector.DynamicProperties:
		lk := r.lookupFor(d.OperationID)
		if lk == nil {
			return
		}
		info := carrierOf(dep, d)
		r.info[d] = info
		at := schemaAt0(d)
		lits := map[string]string{}
		for k, p := range d.Parameters {
			if p.Parameter == "" && p.ParameterReference == "" && p.Value != nil {
				lits[k] = canon(p.Value)
			}
		}
		cr := carrier{static: info.carrier, lits: lits}
		r.addKeys(lk, dep, d.Parameters)
		for _, s := range lk.schemas {
			if strings.Join(s.at, "/") == strings.Join(at, "/") {
				s.carriers = append(s.carriers, cr)
				return
			}
		}
		// The schema describes the node carrying the extension: an array
		// schema only when that node is declared an array.
		lk.schemas = append(lk.schemas, &schemaSpec{at: at, array: fake.IsType(info.carrier, "array"), carriers: []carrier{cr}})
	}
}

// elementLevel reports whether a dynamic schema sits on the items of an
// array: the connector model names such targets by the array.
func (r *Resolver) elementLevel(d *connector.DynamicRef) bool {
	if info, ok := r.info[d]; ok {
		return info.elems > 0
	}
	return strings.HasSuffix(d.Pointer, "/items")
}

func (r *Resolver) addList(lk *lookup, ls *listSpec, dep *connector.Operation, target string, ps map[string]connector.DynamicParam) {
	if len(ls.title) == 0 {
		ls.title = ls.value
	}
	r.addKeys(lk, dep, ps)
	dept := targetSchema(dep, target)
	if strings.HasPrefix(target, "response:") {
		dept = nil // outputs are shown, not filled: they do not constrain values
	}
	for _, have := range lk.lists {
		if have.key() == ls.key() {
			if dept != nil {
				have.deps = append(have.deps, dept)
			}
			known := false
			for _, t := range have.titles {
				known = known || sameSegs(t, ls.title)
			}
			if !known {
				have.titles = append(have.titles, ls.title)
			}
			if len(have.parent) == 0 && len(ls.parent) > 0 {
				have.parent, have.parentField = ls.parent, schemaAt(have.itemShape, ls.parent)
			}
			return
		}
	}
	ls.titles = [][]string{ls.title}
	_, resp := successResponse(lk.op)
	var coll *openapi3.SchemaRef
	if len(ls.collection) == 0 {
		coll = resp
	} else {
		coll = schemaAt(resp, ls.collection)
	}
	if fake.IsType(coll, "array") {
		ls.itemShape = coll.Value.Items
	}
	ls.field = schemaAt(ls.itemShape, ls.value)
	ls.titleField = schemaAt(ls.itemShape, ls.title)
	if len(ls.parent) > 0 {
		ls.parentField = schemaAt(ls.itemShape, ls.parent)
	}
	if dept != nil {
		ls.deps = append(ls.deps, dept)
	}
	lk.lists = append(lk.lists, ls)
}

func (r *Resolver) addKeys(lk *lookup, dep *connector.Operation, ps map[string]connector.DynamicParam) {
	for k, p := range ps {
		if !canCarry(lk.op, k) {
			// The designer can only send what the lookup declares; a
			// mapping to anything else does not reach it.
			continue
		}
		src := p.Parameter
		if src == "" && !strings.HasPrefix(p.ParameterReference, "selected:") {
			src = p.ParameterReference
		}
		k = keyName(k)
		if r.redacted(lk.op, k) || src != "" && r.redacted(dep, src) {
			if lk.hidden == nil {
				lk.hidden = map[string]bool{}
			}
			lk.hidden[k] = true
		}
		found := false
		for _, have := range lk.keys {
			if have == k {
				found = true
			}
		}
		if !found {
			lk.keys = append(lk.keys, k)
		}
	}
	sort.Strings(lk.keys)
}

// redacted reports whether a recording of a request to op hides the value
// named name — a declared parameter by where it travels, else a body
// property ("body/a/b": a or b) — by the recorder's own rule.
func (r *Resolver) redacted(op *connector.Operation, name string) bool {
	if r.red == nil || name == "" {
		return false
	}
	if rest, ok := strings.CutPrefix(name, "body/"); ok {
		for _, seg := range SplitPath(rest) {
			if r.red.Redacts(recordings.InField, seg) {
				return true
			}
		}
		return false
	}
	for _, p := range params(op) {
		if !strings.EqualFold(p.Value.Name, name) {
			continue
		}
		switch p.Value.In {
		case openapi3.ParameterInHeader:
			return r.red.Redacts(recordings.InHeader, name)
		case openapi3.ParameterInQuery:
			return r.red.Redacts(recordings.InQuery, name)
		case openapi3.ParameterInPath, openapi3.ParameterInCookie:
			return false
		}
		return r.red.Redacts(recordings.InField, name) // formData: a form field
	}
	return r.red.Redacts(recordings.InField, name)
}

// keyName is the name a lookup input is keyed by: "body/fullName" (the
// x-ms-dynamic-list style) and "fullName" (x-ms-dynamic-values) are the
// same body property.
func keyName(k string) string { return strings.TrimPrefix(k, "body/") }

// canCarry reports whether a request to op can carry a value named name:
// a declared parameter, a "body/x" path, or a property of its JSON body
// (any name when the body schema lists none).
func canCarry(op *connector.Operation, name string) bool {
	if strings.HasPrefix(name, "body/") {
		return requestBodySchema(op) != nil
	}
	for _, p := range params(op) {
		if strings.EqualFold(p.Value.Name, name) {
			return true
		}
	}
	bs := requestBodySchema(op)
	if bs == nil || bs.Value == nil {
		return false
	}
	return len(bs.Value.Properties) == 0 || fake.Property(bs.Value, name) != nil
}

// IsLookup reports whether operationID is referenced by a dynamic extension.
func (r *Resolver) IsLookup(operationID string) bool {
	lk := r.lookups[operationID]
	return lk != nil && (len(lk.lists) > 0 || len(lk.schemas) > 0)
}

// canon is the text form values are compared in (a query string and a
// JSON number must agree).
func canon(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case nil:
		return ""
	case map[string]any, []any:
		b, _ := json.Marshal(x)
		return string(b)
	}
	return fmt.Sprint(v)
}

// args are the values a lookup is keyed by, and its key: only the
// mapped parameters the lookup can carry (a dependent's mapping may name
// more; the lookup never sees those), without the hidden ones. The same
// values asked by the lookup and by a dependent give the same key and
// the same vals, whichever asks first (resolve caches by key).
func (lk *lookup) args(vals map[string]string) (map[string]string, string) {
	out := make(map[string]string, len(lk.keys))
	var b strings.Builder
	for _, k := range lk.keys {
		v, ok := vals[k]
		if !ok || lk.hidden[k] {
			continue
		}
		out[k] = v
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + v)
	}
	return out, b.String()
}

// lookupArgs reads the mapped parameters from a request to the lookup.
func (lk *lookup) lookupArgs(a Args) map[string]string {
	out := map[string]string{}
	for _, k := range lk.keys {
		if v, ok := a.lookupValue(k); ok && v != nil {
			out[k] = canon(v)
		}
	}
	return out
}

// dependentArgs maps a dependent request's values to the lookup's
// parameters as the reference's parameters say.
func dependentArgs(ps map[string]connector.DynamicParam, a Args, target string) map[string]string {
	out := map[string]string{}
	for k, v := range dependentValues(ps, a, target) {
		out[keyName(k)] = canon(v)
	}
	return out
}

// dependentValues is dependentArgs with the values as the request carries
// them (objects and arrays included).
func dependentValues(ps map[string]connector.DynamicParam, a Args, target string) map[string]any {
	out := map[string]any{}
	for k, p := range ps {
		var v any
		ok := false
		switch {
		case p.Parameter != "":
			v, ok = a.lookupValue(p.Parameter)
			if !ok {
				v, ok = sibling(a, target, p.Parameter)
			}
		case strings.HasPrefix(p.ParameterReference, "selected:"):
			continue
		case p.ParameterReference != "":
			ref := p.ParameterReference
			if strings.HasPrefix(ref, "body/") {
				v, ok = getPath(a.Body, SplitPath(strings.TrimPrefix(ref, "body/")))
			} else {
				v, ok = a.lookupValue(ref)
			}
			if segs := SplitPath(ref); !ok && len(segs) > 1 {
				// "actionReq/action": rooted at the Swagger 2.0 body
				// parameter's name rather than at "body".
				v, ok = getPath(a.Body, segs[1:])
			}
		default:
			v, ok = p.Value, p.Value != nil
		}
		if ok && v != nil {
			out[k] = v
		}
	}
	return out
}

// sibling finds name next to a body target ("body/a/b" → body.a.name).
func sibling(a Args, target, name string) (any, bool) {
	if !strings.HasPrefix(target, "body") {
		return nil, false
	}
	segs := SplitPath(strings.TrimPrefix(target, "body"))
	if len(segs) == 0 {
		return nil, false
	}
	for _, l := range findAll(a.Body, "", segs[:len(segs)-1]) {
		if m, ok := l.v.(map[string]any); ok {
			if v, ok := m[name]; ok {
				return v, true
			}
		}
	}
	return nil, false
}
