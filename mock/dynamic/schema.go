package dynamic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// SchemaFile is a user-supplied dynamic-schemas.json: the schemas schema
// lookups answer with, instead of generated ones.
//
//	{"schemaVersion": 1,
//	 "schemas": [
//	   {"operationId": "GetOrderTypeSchema", "parameters": {"typeName": "express"}, "schema": {...}},
//	   {"operationId": "GetOrderTypeSchema", "schema": {...}}]}
//
// An entry applies when its operation matches and every parameter it lists
// has that value in the lookup request; an entry without parameters is the
// default for its operation. The first entry that applies wins.
type SchemaFile struct {
	Path          string        `json:"-"`
	SchemaVersion int           `json:"schemaVersion"`
	Schemas       []SchemaEntry `json:"schemas"`
}

// SchemaEntry is one schema of a SchemaFile.
type SchemaEntry struct {
	OperationID string            `json:"operationId"`
	Parameters  map[string]string `json:"parameters,omitempty"`
	Schema      map[string]any    `json:"schema"`
}

func loadSchemaFile(path string, c *connector.Connector) (*SchemaFile, error) {
	explicit := path != ""
	if !explicit {
		if c.Files.Dir == "" {
			return nil, nil
		}
		path = filepath.Join(c.Files.Dir, SchemaFileName)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("read dynamic schema file: %w", err)
	}
	f := &SchemaFile{Path: path}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		if se, ok := err.(*json.SyntaxError); ok {
			line, col := lineCol(data, se.Offset)
			return nil, fmt.Errorf("%s:%d:%d: %v", path, line, col, se)
		}
		return nil, fmt.Errorf("%s: %v (want {\"schemaVersion\": 1, \"schemas\": [{\"operationId\", \"parameters\", \"schema\"}]})", path, err)
	}
	if f.SchemaVersion != 1 {
		return nil, fmt.Errorf("%s: schemaVersion is %d; this version of Connector Lab reads schemaVersion 1", path, f.SchemaVersion)
	}
	for i, e := range f.Schemas {
		switch {
		case c.Operation(e.OperationID) == nil:
			return nil, fmt.Errorf("%s: schemas[%d].operationId %q is not an operation of %s", path, i, e.OperationID, c.Name)
		case e.Schema == nil:
			return nil, fmt.Errorf("%s: schemas[%d] (%s) has no \"schema\"", path, i, e.OperationID)
		}
		if _, err := toSchema(e.Schema, c); err != nil {
			return nil, fmt.Errorf("%s: schemas[%d].schema (%s): %w", path, i, e.OperationID, err)
		}
	}
	return f, nil
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n') - 1 // Offset is just past the bad byte
	return line, col
}

func (f *SchemaFile) find(op string, vals map[string]string) map[string]any {
	if f == nil {
		return nil
	}
	var def map[string]any
	for _, e := range f.Schemas {
		if e.OperationID != op {
			continue
		}
		if len(e.Parameters) == 0 {
			if def == nil {
				def = e.Schema
			}
			continue
		}
		all := true
		for k, v := range e.Parameters {
			if vals[k] != v {
				all = false
				break
			}
		}
		if all {
			return e.Schema
		}
	}
	return def
}

// toSchema reads a JSON schema as Power Platform returns it (Swagger 2.0
// flavoured) into the one schema model, resolving local references against
// the connector's definitions.
func toSchema(raw map[string]any, c *connector.Connector) (*openapi3.SchemaRef, error) {
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	s := &openapi3.Schema{}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("not a JSON schema: %w", err)
	}
	sr := &openapi3.SchemaRef{Value: s}
	var comps openapi3.Schemas
	if c.Doc != nil && c.Doc.Components != nil {
		comps = c.Doc.Components.Schemas
	}
	resolveRefs(sr, comps, map[*openapi3.Schema]bool{}, 0)
	return sr, nil
}

func resolveRefs(sr *openapi3.SchemaRef, comps openapi3.Schemas, seen map[*openapi3.Schema]bool, depth int) {
	if sr == nil || depth > 64 {
		return
	}
	if sr.Ref != "" && sr.Value == nil {
		name := sr.Ref[strings.LastIndex(sr.Ref, "/")+1:]
		if t := comps[name]; t != nil && t.Value != nil {
			sr.Value = t.Value
		} else {
			sr.Value = &openapi3.Schema{}
		}
	}
	s := sr.Value
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for _, p := range s.Properties {
		resolveRefs(p, comps, seen, depth+1)
	}
	resolveRefs(s.Items, comps, seen, depth+1)
	resolveRefs(s.AdditionalProperties.Schema, comps, seen, depth+1)
	for _, l := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, e := range l {
			resolveRefs(e, comps, seen, depth+1)
		}
	}
}

// resolve gives the schema a schema lookup answers for one combination of
// mapped parameters, from the user's file or generated, and caches it.
func (r *Resolver) resolve(lk *lookup, ss *schemaSpec, key string, vals map[string]string) *resolved {
	ck := lk.op.ID + "\x00" + strings.Join(ss.at, "/") + "\x00" + key
	r.mu.Lock()
	defer r.mu.Unlock()
	if res := r.cache[ck]; res != nil {
		return res
	}
	res := &resolved{source: "generated"}
	if raw := r.file.find(lk.op.ID, vals); raw != nil {
		if sr, err := toSchema(raw, r.c); err == nil {
			res.raw, res.schema, res.source = raw, sr, "file"
		}
	}
	if res.raw == nil {
		seed := fake.Seed(r.seed, "dynamic-schema", lk.op.ID, strings.Join(ss.at, "/"), key)
		res.raw = generateSchema(seed, ss.array, ss.staticFor(vals))
		// The lookup's own declared response may describe the schema it
		// carries (required properties, closed maps): honour it too.
		_, declared := successResponse(lk.op)
		r.conform(res.raw, schemaAt(declared, ss.at), false, seed, 0)
		res.schema, _ = toSchema(res.raw, r.c)
	}
	if len(r.cache) > maxServed {
		r.cache = map[string]*resolved{}
	}
	r.cache[ck] = res
	return res
}

// field is one property a generated schema may have.
type field struct {
	name, summary, typ, format string
	enum                       []any
}

var vocabulary = []field{
	{"title", "Title", "string", "", nil},
	{"description", "Description", "string", "", nil},
	{"amount", "Amount", "number", "double", nil},
	{"quantity", "Quantity", "integer", "int32", nil},
	{"dueDate", "Due date", "string", "date", nil},
	{"startTime", "Start time", "string", "date-time", nil},
	{"contactEmail", "Contact email", "string", "email", nil},
	{"priority", "Priority", "string", "", []any{"low", "normal", "high"}},
	{"isActive", "Active", "boolean", "", nil},
	{"reference", "Reference", "string", "", nil},
	{"category", "Category", "string", "", nil},
	{"website", "Website", "string", "uri", nil},
	{"score", "Score", "integer", "int32", nil},
	{"notes", "Notes", "string", "", nil},
	{"phone", "Phone", "string", "", nil},
	{"country", "Country", "string", "", nil},
}

// generateSchema makes a 3–6 property object schema, a function of seed;
// array wraps it as the items of an array schema. static is the node that
// carries the extension in the definition: what it already declares
// (properties, required, additionalProperties) is kept, so the resolved
// schema refines the static one and a body built from it passes both.
func generateSchema(seed uint64, array bool, static *openapi3.SchemaRef) map[string]any {
	var base *openapi3.Schema
	if static != nil && static.Value != nil {
		base = static.Value
		if array && base.Items != nil && base.Items.Value != nil {
			base = base.Items.Value
		}
	}
	props := map[string]any{}
	var required []any
	var extra *openapi3.SchemaRef
	closed := false
	if base != nil {
		for name, p := range base.Properties {
			props[name] = rawSchema(p, 0)
		}
		for _, r := range base.Required {
			required = append(required, r)
		}
		extra = base.AdditionalProperties.Schema
		closed = base.AdditionalProperties.Has != nil && !*base.AdditionalProperties.Has
	}
	n := len(props) + 3 + int(seed%4)
	x := seed
	used := map[int]bool{}
	for !closed && len(props) < n && len(used) < len(vocabulary) {
		x = x*6364136223846793005 + 1442695040888963407
		i := int((x >> 33) % uint64(len(vocabulary)))
		if used[i] {
			continue
		}
		used[i] = true
		f := vocabulary[i]
		if _, taken := props[f.name]; taken {
			continue
		}
		if extra != nil {
			// Extra properties must be what additionalProperties allows.
			p := rawSchema(extra, 0)
			p["x-ms-summary"] = f.summary
			props[f.name] = p
			continue
		}
		p := map[string]any{"type": f.typ, "x-ms-summary": f.summary, "description": f.summary + " of the record."}
		if f.format != "" {
			p["format"] = f.format
		}
		if f.enum != nil {
			p["enum"] = f.enum
		}
		props[f.name] = p
	}
	// No required fields beyond the static ones: a client that did not
	// fetch the schema first still gets through; wrong types are rejected.
	// A dynamic-schemas.json can require fields.
	obj := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		obj["required"] = required
	}
	if closed {
		obj["additionalProperties"] = false
	}
	if array {
		return map[string]any{"type": "array", "items": obj}
	}
	return obj
}

// rawSchema renders a schema of the definition as JSON, references
// inlined (to a depth), without the dynamic extensions it may carry.
func rawSchema(sr *openapi3.SchemaRef, depth int) map[string]any {
	if sr == nil || sr.Value == nil {
		return map[string]any{}
	}
	v := sr.Value
	if depth > 4 {
		if v.Type != nil && len(*v.Type) == 1 {
			return map[string]any{"type": (*v.Type)[0]}
		}
		return map[string]any{}
	}
	b, err := json.Marshal(v)
	var m map[string]any
	if err != nil || json.Unmarshal(b, &m) != nil || m == nil {
		m = map[string]any{}
	}
	for _, k := range []string{"x-ms-dynamic-schema", "x-ms-dynamic-properties", "x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-tree"} {
		delete(m, k)
	}
	if len(v.Properties) > 0 {
		pm := map[string]any{}
		for k, p := range v.Properties {
			pm[k] = rawSchema(p, depth+1)
		}
		m["properties"] = pm
	}
	if v.Items != nil {
		m["items"] = rawSchema(v.Items, depth+1)
	}
	if v.AdditionalProperties.Schema != nil {
		m["additionalProperties"] = rawSchema(v.AdditionalProperties.Schema, depth+1)
	}
	for key, list := range map[string]openapi3.SchemaRefs{"allOf": v.AllOf, "anyOf": v.AnyOf, "oneOf": v.OneOf} {
		if len(list) == 0 {
			continue
		}
		out := make([]any, 0, len(list))
		for _, e := range list {
			out = append(out, rawSchema(e, depth+1))
		}
		m[key] = out
	}
	return m
}

// conform makes raw, a JSON schema the mock generated, also a valid value
// of decl, the schema the lookup's definition declares for it: missing
// required keys are added (as JSON-schema keywords where they are ones),
// keys a closed declaration does not list are dropped. props says raw is
// a "properties" map (property name → schema) rather than a schema.
func (r *Resolver) conform(raw map[string]any, decl *openapi3.SchemaRef, props bool, seed uint64, depth int) {
	if raw == nil || decl == nil || decl.Value == nil || depth > 6 {
		return
	}
	d := decl.Value
	if d.AdditionalProperties.Has != nil && !*d.AdditionalProperties.Has && len(d.Properties) > 0 {
		for k := range raw {
			if d.Properties[k] == nil {
				delete(raw, k)
			}
		}
	}
	for _, k := range d.Required {
		if _, ok := raw[k]; ok {
			continue
		}
		switch {
		case props:
			raw[k] = map[string]any{"type": "string", "description": k}
		case k == "type":
			raw[k] = "object"
		case k == "properties":
			raw[k] = map[string]any{}
		case k == "required":
			raw[k] = []any{}
		case k == "items":
			raw[k] = map[string]any{"type": "string"}
		default:
			raw[k] = r.gen.Generate(d.Properties[k], fake.Seed(seed, "conform", k), k)
		}
	}
	for k, v := range raw {
		sub, ok := v.(map[string]any)
		if !ok {
			continue
		}
		ps := fake.Property(d, k)
		if ps == nil {
			continue
		}
		// Below a schema, "properties" holds a property map; every other
		// object (items, a property's schema) is a schema again.
		r.conform(sub, ps, !props && k == "properties", seed, depth+1)
	}
}
