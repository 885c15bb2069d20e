package drift

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/shape"
)

// maxBodiesPerResponse bounds how many bodies of one operation × status
// feed the patch: shapes repeat long before that.
const maxBodiesPerResponse = 200

// Patch proposes an updated Swagger 2.0 definition whose response schemas
// match recorded traffic (Optic's idea, for connectors): undocumented
// fields are added with their observed types, mismatched types take the
// observed one, required fields traffic lacks become optional, null seen
// in traffic sets x-nullable, and undocumented statuses get a response.
type Patch struct {
	c      *connector.Connector
	bodies map[respKey][]any
	order  []respKey
}

type respKey struct {
	path, method string
	status       int
}

func newPatch(c *connector.Connector) *Patch {
	return &Patch{c: c, bodies: map[respKey][]any{}}
}

func (p *Patch) observe(o Observation, _ []contract.Finding) {
	if o.Operation == nil || p.c == nil || p.c.Format != connector.FormatSwagger2 {
		return
	}
	v, ok := decode(o.Body)
	if !ok {
		return
	}
	k := respKey{o.Operation.Path, strings.ToLower(o.Operation.Method), o.Status}
	if _, seen := p.bodies[k]; !seen {
		p.order = append(p.order, k)
	}
	if len(p.bodies[k]) < maxBodiesPerResponse {
		p.bodies[k] = append(p.bodies[k], v)
	}
}

// Result is a written patch: the new document and what changed.
type Result struct {
	Document []byte
	Changes  []string
}

// Build applies the observations to the definition as written and returns
// the proposed document. The file keeps its formatting and key order:
// only changed values are rewritten and new members are appended,
// indented like their siblings (jsontext.Rewrite), so the diff a maker
// reviews is small.
func (p *Patch) Build() (*Result, error) {
	if p.c == nil || p.c.Format != connector.FormatSwagger2 {
		return nil, fmt.Errorf("--write-patch needs a Swagger 2.0 definition (apiDefinition.swagger.json)")
	}
	b, err := os.ReadFile(p.c.Files.Definition)
	if err != nil {
		return nil, err
	}
	return p.BuildWith(b, nil)
}

// BuildWith applies the observations to original (the definition's text)
// and then extra, which may change the tree further (connectorlab new
// --merge adds the operations traffic shows), and writes the result into
// the original text keeping its formatting.
func (p *Patch) BuildWith(original []byte, extra func(root map[string]any) []string) (*Result, error) {
	src, _, err := jsontext.Normalize(original, jsontext.Options{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.c.Files.Definition, err)
	}
	var root map[string]any
	if err := json.Unmarshal(src, &root); err != nil {
		return nil, fmt.Errorf("%s: the patch needs a JSON object: %w", p.c.Files.Definition, err)
	}
	changes := p.Apply(root)
	if extra != nil {
		changes = append(changes, extra(root)...)
	}
	out, err := jsontext.Rewrite(src, root)
	if err != nil {
		return nil, err
	}
	return &Result{Document: out, Changes: changes}, nil
}

// Apply patches root (the Swagger 2.0 document in generic form) with the
// observed response shapes and returns what changed.
func (p *Patch) Apply(root map[string]any) []string {
	w := &patcher{root: root}
	for _, k := range p.order {
		merged := shape.FromValue(p.bodies[k], shape.ValueOptions{})
		w.response(k, merged)
	}
	return w.changes
}

type patcher struct {
	root    map[string]any
	changes []string
	where   string
}

func (w *patcher) note(format string, args ...any) {
	w.changes = append(w.changes, w.where+": "+fmt.Sprintf(format, args...))
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// deref follows local #/definitions refs of the document as written.
func (w *patcher) deref(m map[string]any) map[string]any {
	for i := 0; i < 16 && m != nil; i++ {
		r, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		name := strings.TrimPrefix(r, "#/definitions/")
		if name == r {
			return m
		}
		m = asMap(asMap(w.root["definitions"])[name])
	}
	return m
}

// response patches one operation × status from the merged body shape; the
// shape's paths start with "[]" because bodies were folded as an array.
func (w *patcher) response(k respKey, merged shape.Shape) {
	op := asMap(asMap(asMap(w.root["paths"])[k.path])[k.method])
	if op == nil {
		return
	}
	w.where = fmt.Sprintf("%s %s %d", strings.ToUpper(k.method), k.path, k.status)
	resps := asMap(op["responses"])
	if resps == nil {
		resps = map[string]any{}
		op["responses"] = resps
	}
	code := strconv.Itoa(k.status)
	resp := asMap(resps[code])
	if resp == nil {
		resp = map[string]any{"description": "Observed in recorded traffic", "schema": w.infer(merged, "[]")}
		resps[code] = resp
		w.note("declared status %s with the observed body", code)
		return
	}
	schema := asMap(resp["schema"])
	if schema == nil {
		resp["schema"] = w.infer(merged, "[]")
		w.note("added the observed body schema")
		return
	}
	w.apply(schema, merged, "[]")
}

func displayPath(p string) string {
	return shape.Display(strings.TrimPrefix(strings.TrimPrefix(p, "[]"), "."))
}

func schemaType(n *shape.Node) string {
	t := n.PrimaryType()
	if t == "" {
		numeric, other := false, false
		for _, x := range n.Types {
			switch x {
			case shape.TypeNull:
			case shape.TypeInteger, shape.TypeNumber:
				numeric = true
			default:
				other = true
			}
		}
		switch {
		case numeric && !other:
			return shape.TypeNumber // 146 and 774.81: both numbers
		case numeric || other:
			return shape.TypeString // mixed types: the loosest scalar
		}
	}
	return t
}

func (w *patcher) infer(merged shape.Shape, p string) map[string]any {
	n := merged[p]
	out := map[string]any{}
	if n == nil {
		return out
	}
	t := schemaType(n)
	if t != "" {
		out["type"] = t
	}
	if n.Nullable {
		out["x-nullable"] = true
	}
	switch t {
	case shape.TypeObject:
		props := map[string]any{}
		for _, c := range children(merged, p) {
			_, name := shape.Parent(c)
			props[name] = w.infer(merged, c)
		}
		if len(props) > 0 {
			out["properties"] = props
		}
	case shape.TypeArray:
		out["items"] = w.infer(merged, shape.Items(p))
	}
	return out
}

func children(merged shape.Shape, p string) []string {
	var out []string
	for q := range merged {
		if parent, seg := shape.Parent(q); parent == p && q != p && seg != "[]" {
			out = append(out, q)
		}
	}
	sort.Strings(out)
	return out
}

func compatible(declared, observed string) bool {
	return declared == observed || declared == "number" && observed == "integer" || declared == "file" || declared == ""
}

func (w *patcher) apply(schema map[string]any, merged shape.Shape, p string) {
	schema = w.deref(schema)
	n := merged[p]
	if schema == nil || n == nil {
		return
	}
	if _, dyn := schema["x-ms-dynamic-schema"]; dyn {
		return
	}
	if _, dyn := schema["x-ms-dynamic-properties"]; dyn {
		return
	}
	declared, _ := schema["type"].(string)
	observed := schemaType(n)
	if observed != "" && !compatible(declared, observed) {
		schema["type"] = observed
		delete(schema, "format")
		delete(schema, "enum")
		w.note("%s: type %s → %s", displayPath(p), declared, observed)
		if observed != shape.TypeObject {
			delete(schema, "properties")
		}
		if observed != shape.TypeArray {
			delete(schema, "items")
		}
	}
	if n.Nullable && schema["x-nullable"] != true {
		schema["x-nullable"] = true
		w.note("%s: x-nullable (null seen in traffic)", displayPath(p))
	}
	switch observed {
	case shape.TypeObject:
		props := asMap(schema["properties"])
		kids := children(merged, p)
		if props == nil && len(kids) > 0 {
			props = map[string]any{}
			schema["properties"] = props
		}
		for _, c := range kids {
			_, name := shape.Parent(c)
			if props[name] == nil {
				props[name] = w.infer(merged, c)
				w.note("%s: added (%s)", displayPath(c), merged[c].TypeString())
				continue
			}
			w.apply(asMap(props[name]), merged, c)
		}
		if req, ok := schema["required"].([]any); ok {
			var keep []any
			for _, r := range req {
				name, _ := r.(string)
				c := merged[shape.Child(p, name)]
				if c != nil && c.Required {
					keep = append(keep, r)
					continue
				}
				w.note("%s: no longer required (absent in traffic)", displayPath(shape.Child(p, name)))
			}
			if len(keep) == 0 {
				delete(schema, "required")
			} else {
				schema["required"] = keep
			}
		}
	case shape.TypeArray:
		items := asMap(schema["items"])
		if items == nil {
			schema["items"] = w.infer(merged, shape.Items(p))
			return
		}
		w.apply(items, merged, shape.Items(p))
	}
}
