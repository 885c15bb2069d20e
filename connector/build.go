package connector

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// builder derives the typed Power Platform model from the decoded source
// tree (for pointers and raw extension values) and the OpenAPI 3 document.
type builder struct {
	c        *Connector
	root     map[string]any
	file     string
	findings []Finding
	hitCache map[string][]hit
}

var dynamicKeys = map[string]DynamicKind{
	"x-ms-dynamic-values":     DynamicValues,
	"x-ms-dynamic-list":       DynamicList,
	"x-ms-dynamic-schema":     DynamicSchema,
	"x-ms-dynamic-properties": DynamicProperties,
	"x-ms-dynamic-tree":       DynamicTree,
}

// opLevelTyped are operation keys with a typed field; the rest go to Extra.
var opLevelTyped = map[string]bool{
	"x-ms-visibility": true, "x-ms-trigger": true, "x-ms-trigger-hint": true,
	"x-ms-trigger-metadata": true, "x-ms-pageable": true, "x-ms-api-annotation": true,
}

func (b *builder) build(props map[string]any) {
	c := b.c
	c.byID = map[string]*Operation{}
	c.Extensions = indexExtensions(b.root)
	c.Dynamic = b.allDynamic()
	if c.Doc.Paths != nil {
		paths := c.Doc.Paths.Map()
		keys := make([]string, 0, len(paths))
		for k := range paths {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		rawPaths := asMap(b.root["paths"])
		for _, p := range keys {
			item := paths[p]
			if nc := asMap(asMap(rawPaths[p])["x-ms-notification-content"]); nc != nil {
				ptr := "/paths/" + EscapePointerToken(p) + "/x-ms-notification-content"
				c.Notifications = append(c.Notifications, Notification{
					Path: p, Pointer: ptr, Description: str(nc["description"]),
					Schema: b.schemaFromRaw(nc["schema"], ptr+"/schema"),
				})
			}
			for _, m := range methods {
				op := item.GetOperation(strings.ToUpper(m))
				if op == nil {
					continue
				}
				o := b.operation(p, m, item, op)
				c.Operations = append(c.Operations, o)
				if o.ID != "" && c.byID[o.ID] == nil {
					c.byID[o.ID] = o
				}
			}
		}
	}
	info := asMap(b.root["info"])
	if a := annotation(info["x-ms-api-annotation"]); a != nil {
		c.Annotation = a
	}
	for _, e := range asSlice(b.root["x-ms-connector-metadata"]) {
		m := asMap(e)
		if m != nil {
			c.Metadata = append(c.Metadata, MetadataEntry{Name: str(m["propertyName"]), Value: fmt.Sprint(orEmpty(m["propertyValue"]))})
		}
	}
	if capm := asMap(b.root["x-ms-capabilities"]); capm != nil {
		cp := &Capabilities{Raw: capm}
		if tc := asMap(capm["testConnection"]); tc != nil {
			cp.TestConnection = &TestConnection{OperationID: str(tc["operationId"]), Parameters: asMap(tc["parameters"])}
		}
		cp.FilePicker = asMap(capm["file-picker"])
		c.Capabilities = cp
	}
	c.Auth = buildAuth(props, c.Doc)
	c.Policies = decodePolicies(props)
	c.Publisher = str(dig(props, "properties", "publisher"))
	c.StackOwner = str(dig(props, "properties", "stackOwner"))
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func annotation(v any) *Annotation {
	m := asMap(v)
	if m == nil {
		return nil
	}
	a := &Annotation{Family: str(m["family"]), Status: str(m["status"])}
	switch r := m["revision"].(type) {
	case float64:
		a.Revision = int(r)
	case string:
		fmt.Sscan(r, &a.Revision)
	}
	return a
}

func (b *builder) operation(path, method string, item *openapi3.PathItem, op *openapi3.Operation) *Operation {
	ptr := "/paths/" + EscapePointerToken(path) + "/" + method
	rawItem := asMap(asMap(b.root["paths"])[path])
	raw := asMap(rawItem[method])
	o := &Operation{
		ID: op.OperationID, Method: strings.ToUpper(method), Path: path,
		Summary: op.Summary, Description: op.Description, Deprecated: op.Deprecated,
		Tags: op.Tags, Pointer: ptr, Op: op, Item: item,
	}
	if v, ok := raw["x-ms-visibility"].(string); ok {
		o.Visibility = Visibility(strings.ToLower(strings.TrimSpace(v)))
	}
	if pg := asMap(raw["x-ms-pageable"]); pg != nil {
		o.Pageable = &Pageable{NextLinkName: str(pg["nextLinkName"]), ItemName: str(pg["itemName"])}
	}
	o.Annotation = annotation(raw["x-ms-api-annotation"])
	for k, v := range raw {
		// A trigger hint on an operation that is not a trigger is kept as
		// written (Cognito Forms puts hints on actions).
		keep := !opLevelTyped[k] || (k == "x-ms-trigger-hint" && raw["x-ms-trigger"] == nil)
		if strings.HasPrefix(strings.ToLower(k), "x-ms-") && keep {
			if o.Extra == nil {
				o.Extra = map[string]any{}
			}
			o.Extra[k] = v
		}
	}
	w := &opWalker{b: b}
	w.walkOperation(rawItem, raw, ptr)
	o.Dynamic = w.dyn
	if t, ok := raw["x-ms-trigger"]; ok {
		tr := &Trigger{Cardinality: strings.ToLower(strings.TrimSpace(fmt.Sprint(t)))}
		tr.Hint, _ = raw["x-ms-trigger-hint"].(string)
		tr.Metadata = asMap(raw["x-ms-trigger-metadata"])
		tr.NotificationURL = w.notif
		if nc := asMap(rawItem["x-ms-notification-content"]); nc != nil {
			tr.ContentPointer = "/paths/" + EscapePointerToken(path) + "/x-ms-notification-content"
			tr.ContentDescription = str(nc["description"])
			tr.Content = b.schemaFromRaw(nc["schema"], tr.ContentPointer+"/schema")
		}
		if tr.NotificationURL != nil || tr.ContentPointer != "" {
			tr.Kind = TriggerWebhook
		} else {
			tr.Kind = TriggerPolling
		}
		o.Trigger = tr
	}
	return o
}

// schemaFromRaw turns a raw schema (Swagger 2.0 or OpenAPI 3 shape) found
// outside the places kin-openapi decodes into a resolved SchemaRef.
func (b *builder) schemaFromRaw(v any, ptr string) *openapi3.SchemaRef {
	if v == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var sr *openapi3.SchemaRef
	if b.c.Format == FormatSwagger2 {
		var s2 openapi2.SchemaRef
		if err := json.Unmarshal(data, &s2); err != nil {
			b.findings = append(b.findings, Finding{ID: "schema-invalid", Level: LevelWarning, File: b.file, Pointer: ptr, Message: "schema cannot be read: " + err.Error()})
			return nil
		}
		sr = convertSchema(&s2)
	} else {
		sr = &openapi3.SchemaRef{}
		if err := json.Unmarshal(data, sr); err != nil {
			b.findings = append(b.findings, Finding{ID: "schema-invalid", Level: LevelWarning, File: b.file, Pointer: ptr, Message: "schema cannot be read: " + err.Error()})
			return nil
		}
	}
	if sr == nil {
		return nil
	}
	var comps openapi3.Schemas
	if b.c.Doc.Components != nil {
		comps = b.c.Doc.Components.Schemas
	}
	resolveSchemaRefs(sr, comps, map[*openapi3.Schema]bool{})
	return sr
}

func convertSchema(s2 *openapi2.SchemaRef) (sr *openapi3.SchemaRef) {
	defer func() {
		if recover() != nil {
			sr = nil
		}
	}()
	return openapi2conv.ToV3SchemaRef(s2)
}

// resolveSchemaRefs points local component refs at their schemas.
func resolveSchemaRefs(sr *openapi3.SchemaRef, comps openapi3.Schemas, seen map[*openapi3.Schema]bool) {
	if sr == nil {
		return
	}
	if sr.Ref != "" && sr.Value == nil {
		name := strings.TrimPrefix(sr.Ref, "#/components/schemas/")
		if t := comps[name]; t != nil {
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
		resolveSchemaRefs(p, comps, seen)
	}
	resolveSchemaRefs(s.Items, comps, seen)
	if s.AdditionalProperties.Schema != nil {
		resolveSchemaRefs(s.AdditionalProperties.Schema, comps, seen)
	}
	for _, l := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, e := range l {
			resolveSchemaRefs(e, comps, seen)
		}
	}
	resolveSchemaRefs(s.Not, comps, seen)
}

// opWalker collects dynamic references and the notification URL reachable
// from one operation.
type opWalker struct {
	b     *builder
	dyn   []DynamicRef
	notif *NotificationURL
}

func (w *opWalker) resolve(m map[string]any, ptr string) (map[string]any, string) {
	for i := 0; i < 16 && m != nil; i++ {
		r, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(r, "#") {
			return m, ptr
		}
		ptr = strings.TrimPrefix(r, "#")
		// Refs rewritten for openapi2conv still live under /definitions.
		if strings.HasPrefix(ptr, "/components/schemas/") && w.b.c.Format == FormatSwagger2 {
			ptr = "/definitions/" + strings.TrimPrefix(ptr, "/components/schemas/")
		}
		m = asMap(resolvePointer(w.b.root, ptr))
	}
	return m, ptr
}

func (w *opWalker) walkOperation(item, op map[string]any, ptr string) {
	itemPtr := ptr[:strings.LastIndex(ptr, "/")]
	params := map[string]bool{}
	// Operation parameters override path-level ones with the same in+name.
	for _, src := range []struct {
		list []any
		base string
	}{{asSlice(op["parameters"]), ptr + "/parameters/"}, {asSlice(item["parameters"]), itemPtr + "/parameters/"}} {
		for i, p := range src.list {
			pm, pptr := w.resolve(asMap(p), src.base+itoa(i))
			if pm == nil {
				continue
			}
			in, name := str(pm["in"]), str(pm["name"])
			key := in + ":" + name
			if params[key] {
				continue
			}
			params[key] = true
			w.collect(pm, pptr, key)
			if truthy(pm["x-ms-notification-url"]) && w.notif == nil {
				w.notif = &NotificationURL{In: in, Name: name}
			}
			if in == "body" {
				w.schema(pm["schema"], pptr+"/schema", "body", "")
			} else if s := asMap(pm["schema"]); s != nil {
				w.schema(s, pptr+"/schema", key, "")
			}
		}
	}
	if rb, rbptr := w.resolve(asMap(op["requestBody"]), ptr+"/requestBody"); rb != nil {
		if s, sptr := firstMediaSchema(rb, rbptr); s != nil {
			w.schema(s, sptr, "body", "")
		}
	}
	resps := asMap(op["responses"])
	codes := make([]string, 0, len(resps))
	for k := range resps {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r, rptr := w.resolve(asMap(resps[code]), ptr+"/responses/"+EscapePointerToken(code))
		if r == nil {
			continue
		}
		if s, ok := r["schema"]; ok {
			w.schema(s, rptr+"/schema", "response:"+code, "")
		} else if s, sptr := firstMediaSchema(r, rptr); s != nil {
			w.schema(s, sptr, "response:"+code, "")
		}
	}
}

func firstMediaSchema(m map[string]any, ptr string) (any, string) {
	content := asMap(m["content"])
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// Prefer JSON; the other media types usually repeat the same schema.
	sort.SliceStable(keys, func(i, j int) bool { return strings.Contains(keys[i], "json") && !strings.Contains(keys[j], "json") })
	for _, k := range keys {
		if s, ok := asMap(content[k])["schema"]; ok {
			return s, ptr + "/content/" + EscapePointerToken(k) + "/schema"
		}
	}
	return nil, ""
}

// schema walks a schema tree. target names the location in Power Platform's
// terms ("body/customer/id"); a notification-URL property is recorded with
// its path below the body root. Referenced definitions are summarised once
// per connector (see builder.hits), so shared and recursive definitions
// cost no more than their size.
func (w *opWalker) schema(v any, ptr, target, bodyPath string) {
	for _, h := range w.b.hits(v, ptr, map[string]bool{}) {
		if h.dyn != nil {
			d := *h.dyn
			d.Target = target + h.rel
			w.dyn = append(w.dyn, d)
			continue
		}
		if w.notif == nil && strings.HasPrefix(target, "body") && h.rel != "" {
			name := strings.TrimPrefix(bodyPath+h.rel, "/")
			w.notif = &NotificationURL{In: "body", Name: name}
		}
	}
	sort.SliceStable(w.dyn, func(i, j int) bool {
		if w.dyn[i].Pointer != w.dyn[j].Pointer {
			return w.dyn[i].Pointer < w.dyn[j].Pointer
		}
		return w.dyn[i].Kind < w.dyn[j].Kind
	})
}

// hit is something found below a schema: a dynamic reference or a
// notification-URL marker, at rel ("/customer/id") below the schema root.
type hit struct {
	rel string
	dyn *DynamicRef
}

const maxSchemaDepth = 64

// hits lists the dynamic references and notification-URL markers in a
// schema. active holds the refs on the current path, to stop at cycles.
func (b *builder) hits(v any, ptr string, active map[string]bool) []hit {
	return b.hitsDepth(v, ptr, active, 0)
}

func (b *builder) hitsDepth(v any, ptr string, active map[string]bool, depth int) []hit {
	m := asMap(v)
	if m == nil || depth > maxSchemaDepth {
		return nil
	}
	if r, ok := m["$ref"].(string); ok && strings.HasPrefix(r, "#") {
		rptr := strings.TrimPrefix(r, "#")
		if strings.HasPrefix(rptr, "/components/schemas/") && b.c.Format == FormatSwagger2 {
			rptr = "/definitions/" + strings.TrimPrefix(rptr, "/components/schemas/")
		}
		if active[rptr] {
			return nil
		}
		if hs, ok := b.hitCache[rptr]; ok {
			return hs
		}
		active[rptr] = true
		hs := b.hitsDepth(resolvePointer(b.root, rptr), rptr, active, depth+1)
		delete(active, rptr)
		if b.hitCache == nil {
			b.hitCache = map[string][]hit{}
		}
		b.hitCache[rptr] = hs
		return hs
	}
	var out []hit
	keys := make([]string, 0, 4)
	for k := range dynamicKeys {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		d := decodeDynamic(dynamicKeys[k], m[k], ptr, "")
		out = append(out, hit{dyn: &d})
	}
	if truthy(m["x-ms-notification-url"]) {
		out = append(out, hit{})
	}
	props := asMap(m["properties"])
	for _, k := range sortedMapKeys(props) {
		for _, h := range b.hitsDepth(props[k], ptr+"/properties/"+EscapePointerToken(k), active, depth+1) {
			h.rel = "/" + k + h.rel
			out = append(out, h)
		}
	}
	if it, ok := m["items"]; ok {
		out = append(out, b.hitsDepth(it, ptr+"/items", active, depth+1)...)
	}
	if ap := asMap(m["additionalProperties"]); ap != nil {
		for _, h := range b.hitsDepth(ap, ptr+"/additionalProperties", active, depth+1) {
			h.rel = "/*" + h.rel
			out = append(out, h)
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		for i, e := range asSlice(m[k]) {
			out = append(out, b.hitsDepth(e, ptr+"/"+k+"/"+itoa(i), active, depth+1)...)
		}
	}
	return out
}

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (w *opWalker) collect(m map[string]any, ptr, target string) {
	for key, kind := range dynamicKeys {
		if v, ok := m[key]; ok {
			w.dyn = append(w.dyn, decodeDynamic(kind, v, ptr, target))
		}
	}
	sort.SliceStable(w.dyn, func(i, j int) bool {
		if w.dyn[i].Pointer != w.dyn[j].Pointer {
			return w.dyn[i].Pointer < w.dyn[j].Pointer
		}
		return w.dyn[i].Kind < w.dyn[j].Kind
	})
}

func decodeDynamic(kind DynamicKind, v any, ptr, target string) DynamicRef {
	d := DynamicRef{Kind: kind, Target: target, Pointer: ptr}
	m := asMap(v)
	if m == nil {
		// A bare string names the operation (seen for dynamic-schema).
		d.OperationID = str(v)
		return d
	}
	d.OperationID = str(m["operationId"])
	d.Capability = str(m["capability"])
	d.ValueCollection = str(m["value-collection"])
	d.ValuePath = str(m["value-path"])
	d.ValueTitle = str(m["value-title"])
	d.ItemsPath = str(m["itemsPath"])
	d.ItemValuePath = str(m["itemValuePath"])
	d.ItemTitlePath = str(m["itemTitlePath"])
	if kind == DynamicTree {
		d.Tree = m
		if op := str(dig(m, "open", "operationId")); op != "" {
			d.OperationID = op
		}
	}
	if ps := asMap(m["parameters"]); len(ps) > 0 {
		d.Parameters = map[string]DynamicParam{}
		for k, pv := range ps {
			dp := DynamicParam{}
			if pm := asMap(pv); pm != nil && (pm["parameter"] != nil || pm["parameterReference"] != nil || pm["value"] != nil) {
				dp.Parameter = str(pm["parameter"])
				dp.ParameterReference = str(pm["parameterReference"])
				dp.Value = pm["value"]
				dp.Required = truthy(pm["required"])
			} else {
				dp.Value = pv
			}
			d.Parameters[k] = dp
		}
	}
	return d
}

// allDynamic lists every x-ms-dynamic-* occurrence in the document, reached
// from an operation or not, so lint sees references in unused definitions.
func (b *builder) allDynamic() []DynamicRef {
	var out []DynamicRef
	for _, e := range b.c.Extensions {
		if kind, ok := dynamicKeys[e.Key]; ok {
			out = append(out, decodeDynamic(kind, e.Value, e.Pointer, targetFromPointer(e.Pointer)))
		}
	}
	return out
}

func targetFromPointer(p string) string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i := range parts {
		parts[i] = UnescapePointerToken(parts[i])
	}
	return strings.Join(parts, "/")
}

// indexExtensions records every x-ms-* key with the pointer of the object
// carrying it. Example, default and enum values are data, not extensions.
func indexExtensions(root map[string]any) []ExtensionUse {
	var out []ExtensionUse
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if len(k) > 5 && strings.EqualFold(k[:5], "x-ms-") {
					out = append(out, ExtensionUse{Key: k, Pointer: ptr, Value: x[k]})
				}
				if k == "example" || k == "examples" || k == "default" || k == "enum" || k == "x-example" {
					continue
				}
				walk(x[k], ptr+"/"+EscapePointerToken(k))
			}
		case []any:
			for i, e := range x {
				walk(e, ptr+"/"+itoa(i))
			}
		}
	}
	walk(root, "")
	return out
}
