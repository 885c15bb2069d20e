package authoring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/getkin/kin-openapi/openapi3"
)

// converter prepares an OpenAPI 3 document for openapi2conv.FromV3: it
// rewrites what Swagger 2.0 or Power Platform cannot say into what they can,
// recording each loss with its place in the source.
type converter struct {
	doc      *openapi3.T
	file     string
	idx      *jsontext.Index
	findings []connector.Finding
	seen     map[*openapi3.Schema]bool
	levels   map[string]connector.Level

	// hostTemplate is set when the host varies (server variables or
	// several servers): the dynamichosturl policy's urlTemplate.
	hostTemplate string
	hostParams   []connector.ConnectionParameter

	// produces holds the response media types per "path method" (lower
	// case): FromV3 reads only application/json response content, so other
	// types are renamed for it and restored as the operation's produces.
	produces   map[string][]string
	mediaSeen  []string
	consumes   []string
	extraCons  map[string][]string
	formAsBody string
	formBodies map[string]string
	// examples are response examples by "path method code": FromV3 drops
	// them; Swagger 2.0 has responses.<code>.examples.<media type>.
	examples map[string]map[string]any
}

// sameSchemas reports whether every media type of c has the same schema.
func sameSchemas(c openapi3.Content) bool {
	var first []byte
	for i, k := range sortedKeys(c) {
		var b []byte
		if mt := c[k]; mt != nil && mt.Schema != nil {
			b, _ = json.Marshal(mt.Schema)
		}
		if i == 0 {
			first = b
		} else if !bytes.Equal(first, b) {
			return false
		}
	}
	return true
}

// flatForm reports whether a form schema's fields are all scalars, files
// or arrays of scalars: what Swagger 2.0 formData parameters can carry.
func flatForm(sr *openapi3.SchemaRef) bool {
	if sr == nil || sr.Value == nil || len(sr.Value.Properties) == 0 {
		return sr != nil && sr.Value != nil && sr.Value.Type.Is("object")
	}
	for _, p := range sr.Value.Properties {
		if p == nil || p.Value == nil {
			return false
		}
		v := p.Value
		if v.Type.Is("object") || len(v.Properties) > 0 || len(v.AllOf) > 0 || len(v.OneOf) > 0 || len(v.AnyOf) > 0 {
			return false
		}
		if v.Type.Is("array") && v.Items != nil && v.Items.Value != nil && (v.Items.Value.Type.Is("object") || len(v.Items.Value.Properties) > 0) {
			return false
		}
	}
	return true
}

func hasForm(c openapi3.Content) bool {
	for k := range c {
		if k == "multipart/form-data" || k == "application/x-www-form-urlencoded" {
			return true
		}
	}
	return false
}

func newConverter(doc *openapi3.T, file string, idx *jsontext.Index) *converter {
	lv := map[string]connector.Level{}
	for _, r := range Rules() {
		lv[r.ID] = r.Level
	}
	return &converter{doc: doc, file: file, idx: idx, seen: map[*openapi3.Schema]bool{}, levels: lv, produces: map[string][]string{}, extraCons: map[string][]string{}, formBodies: map[string]string{}, examples: map[string]map[string]any{}}
}

func (cv *converter) loss(id, ptr, msg, fix string) {
	f := connector.Finding{ID: id, Level: cv.levels[id], File: cv.file, Pointer: ptr, Message: msg, Fix: fix}
	if cv.idx != nil {
		if l, c, ok := cv.idx.Position(ptr); ok {
			f.Line, f.Col = l, c
		}
	}
	cv.findings = append(cv.findings, f)
}

// run rewrites the whole document in place.
func (cv *converter) run() {
	d := cv.doc
	cv.servers()
	if len(d.Webhooks) > 0 {
		cv.loss(LossWebhooks, "/webhooks", fmt.Sprintf("%d webhooks dropped", len(d.Webhooks)), "model each as a trigger operation with x-ms-notification-url")
		d.Webhooks = nil
	}
	cv.security()
	if d.Components != nil {
		for _, name := range sortedKeys(d.Components.Schemas) {
			cv.schema(d.Components.Schemas[name], "/components/schemas/"+connector.EscapePointerToken(name))
		}
		for _, name := range sortedKeys(d.Components.Parameters) {
			if p := d.Components.Parameters[name]; p != nil && p.Value != nil {
				cv.param(p.Value, "/components/parameters/"+connector.EscapePointerToken(name))
			}
		}
		for _, name := range sortedKeys(d.Components.RequestBodies) {
			if b := d.Components.RequestBodies[name]; b != nil && b.Value != nil {
				cv.content(&b.Value.Content, "/components/requestBodies/"+connector.EscapePointerToken(name)+"/content", true)
			}
		}
		for _, name := range sortedKeys(d.Components.Responses) {
			if r := d.Components.Responses[name]; r != nil && r.Value != nil {
				cv.response(r.Value, "/components/responses/"+connector.EscapePointerToken(name))
			}
		}
		for name, cb := range d.Components.Callbacks {
			_ = cb
			cv.loss(LossCallback, "/components/callbacks/"+connector.EscapePointerToken(name), "callback "+name+" dropped", "")
		}
		d.Components.Callbacks = nil
		d.Components.Links = nil
	}
	if d.Paths == nil {
		return
	}
	paths := d.Paths.Keys()
	sort.Strings(paths)
	for _, path := range paths {
		item := d.Paths.Value(path)
		if item == nil {
			continue
		}
		pp := "/paths/" + connector.EscapePointerToken(path)
		if len(item.Servers) > 0 {
			cv.loss(LossOperationServers, pp+"/servers", "servers of path "+path+" dropped", "")
			item.Servers = nil
		}
		item.Parameters = cv.params(item.Parameters, pp+"/parameters")
		if item.Trace != nil {
			cv.loss(LossMethod, pp+"/trace", "TRACE "+path+" dropped", "")
			item.Trace = nil
		}
		if item.Query != nil {
			cv.loss(LossMethod, pp+"/query", "QUERY "+path+" dropped", "")
			item.Query = nil
		}
		if len(item.AdditionalOperations) > 0 {
			for m := range item.AdditionalOperations {
				cv.loss(LossMethod, pp+"/additionalOperations/"+connector.EscapePointerToken(m), m+" "+path+" dropped", "")
			}
			item.AdditionalOperations = nil
		}
		for _, method := range sortedKeys(item.Operations()) {
			op := item.GetOperation(method)
			cv.operation(op, strings.ToUpper(method), path, pp+"/"+strings.ToLower(method))
		}
	}
}

func (cv *converter) operation(op *openapi3.Operation, method, path, ptr string) {
	if op.Servers != nil && len(*op.Servers) > 0 {
		cv.loss(LossOperationServers, ptr+"/servers", fmt.Sprintf("servers of %s %s dropped", method, path), "")
		op.Servers = nil
	}
	if len(op.Callbacks) > 0 {
		for _, name := range sortedKeys(op.Callbacks) {
			cv.loss(LossCallback, ptr+"/callbacks/"+connector.EscapePointerToken(name), fmt.Sprintf("%s %s: callback %s dropped", method, path, name),
				"model the subscription as a webhook trigger (x-ms-trigger, x-ms-notification-url)")
		}
		op.Callbacks = nil
	}
	op.Parameters = cv.params(op.Parameters, ptr+"/parameters")
	cv.consumes, cv.formAsBody = nil, ""
	defer func() {
		if len(cv.consumes) > 0 {
			cv.extraCons[path+" "+strings.ToLower(method)] = cv.consumes
		}
		if cv.formAsBody != "" {
			cv.formBodies[path+" "+strings.ToLower(method)] = cv.formAsBody
		}
	}()
	if op.RequestBody != nil {
		if method == "GET" || method == "HEAD" {
			cv.loss(LossGetBody, ptr+"/requestBody", fmt.Sprintf("%s %s: request body dropped", method, path),
				"send the values as query parameters, or use POST")
			op.RequestBody = nil
		} else if op.RequestBody.Ref == "" && op.RequestBody.Value != nil {
			cv.content(&op.RequestBody.Value.Content, ptr+"/requestBody/content", true)
		}
	}
	if op.Responses != nil {
		cv.mediaSeen = nil
		for _, code := range sortedKeys(op.Responses.Map()) {
			r := op.Responses.Value(code)
			if r != nil && r.Ref == "" && r.Value != nil {
				cv.response(r.Value, ptr+"/responses/"+connector.EscapePointerToken(code))
				for _, mt := range r.Value.Content {
					if mt != nil && mt.Example != nil && len(cv.mediaSeen) > 0 {
						cv.examples[path+" "+strings.ToLower(method)+" "+code] = map[string]any{preferredSeen(cv.mediaSeen): mt.Example}
					}
				}
			}
		}
		if len(cv.mediaSeen) > 0 {
			cv.produces[path+" "+strings.ToLower(method)] = cv.mediaSeen
		}
	}
}

func (cv *converter) response(r *openapi3.Response, ptr string) {
	if len(r.Links) > 0 {
		cv.loss(LossLinks, ptr+"/links", fmt.Sprintf("%d links dropped", len(r.Links)), "")
		r.Links = nil
	}
	cv.content(&r.Content, ptr+"/content", false)
	for _, name := range sortedKeys(r.Headers) {
		if h := r.Headers[name]; h != nil && h.Value != nil {
			if h.Value.Schema == nil && len(h.Value.Content) > 0 {
				for _, mt := range h.Value.Content {
					h.Value.Schema = mt.Schema
					break
				}
				h.Value.Content = nil
			}
			cv.schema(h.Value.Schema, ptr+"/headers/"+connector.EscapePointerToken(name)+"/schema")
		}
	}
	if r.Description == nil || *r.Description == "" {
		d := "Response"
		r.Description = &d
	}
}

// preferredMedia orders media types the way the Power Platform designer
// handles them best: JSON, then forms, then the rest.
func preferredMedia(content openapi3.Content, request bool) string {
	keys := sortedKeys(content)
	rank := func(k string) int {
		l := strings.ToLower(k)
		switch {
		case l == "application/json":
			return 0
		case strings.Contains(l, "json"):
			return 1
		case request && (l == "application/x-www-form-urlencoded" || l == "multipart/form-data"):
			return 2
		case strings.HasPrefix(l, "text/"):
			return 3
		}
		return 4
	}
	sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

func (cv *converter) content(c *openapi3.Content, ptr string, request bool) {
	if c == nil || len(*c) == 0 {
		return
	}
	if !request {
		for _, k := range sortedKeys(*c) {
			if !containsString(cv.mediaSeen, k) {
				cv.mediaSeen = append(cv.mediaSeen, k)
			}
		}
	}
	if len(*c) > 1 {
		keep := preferredMedia(*c, request)
		if !sameSchemas(*c) {
			var dropped []string
			for _, k := range sortedKeys(*c) {
				if k != keep {
					dropped = append(dropped, k)
				}
			}
			cv.loss(LossContentTypes, ptr, fmt.Sprintf("media types with different schemas: kept %s; dropped %s", keep, strings.Join(dropped, ", ")), "")
		}
		if request && sameSchemas(*c) && !hasForm(*c) {
			// One body schema serves every type: consumes keeps them all.
			for _, k := range sortedKeys(*c) {
				if k != keep {
					cv.consumes = append(cv.consumes, k)
				}
			}
		}
		*c = openapi3.Content{keep: (*c)[keep]}
	}
	if !request {
		for k, mt := range *c {
			if k != "application/json" {
				*c = openapi3.Content{"application/json": mt}
			}
		}
	}
	if request && len(*c) == 1 {
		for k, mt := range *c {
			if (k == "multipart/form-data" || k == "application/x-www-form-urlencoded") && mt != nil && !flatForm(mt.Schema) {
				// A form whose fields are objects cannot be formData
				// parameters: keep it one body parameter (as the Swagger 2.0
				// source had it) and the media type in consumes.
				*c = openapi3.Content{"application/json": mt}
				cv.formAsBody = k
			}
		}
	}
	for k, mt := range *c {
		if mt == nil {
			continue
		}
		mp := ptr + "/" + connector.EscapePointerToken(k)
		if len(mt.Examples) > 0 {
			if mt.Example == nil {
				names := sortedKeys(mt.Examples)
				if e := mt.Examples[names[0]]; e != nil && e.Value != nil {
					mt.Example = e.Value.Value
				}
			}
			if len(mt.Examples) > 1 {
				cv.loss(LossExamples, mp+"/examples", fmt.Sprintf("%d named examples; the first became the example", len(mt.Examples)), "")
			}
			mt.Examples = nil
		}
		if len(mt.Encoding) > 0 {
			mt.Encoding = nil
		}
		cv.schema(mt.Schema, mp+"/schema")
		if request && (k == "multipart/form-data" || k == "application/x-www-form-urlencoded") && mt.Schema != nil && mt.Schema.Value != nil {
			for _, p := range mt.Schema.Value.Properties {
				if p != nil && p.Value != nil && p.Value.Format == binaryPlaceholder {
					p.Value.Format = "binary" // a file upload field
				}
			}
		}
	}
}

// binaryPlaceholder stands in for format binary during FromV3.
const binaryPlaceholder = "x-connectorlab-binary"

// restoreBinary puts format binary back after FromV3.
func restoreBinary(v any, depth int) {
	if depth > 200 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if x["format"] == binaryPlaceholder {
			x["format"] = "binary"
		}
		for _, e := range x {
			restoreBinary(e, depth+1)
		}
	case []any:
		for _, e := range x {
			restoreBinary(e, depth+1)
		}
	}
}

func (cv *converter) params(ps openapi3.Parameters, ptr string) openapi3.Parameters {
	var out openapi3.Parameters
	for i, pr := range ps {
		if pr == nil || pr.Value == nil {
			continue
		}
		pp := fmt.Sprintf("%s/%d", ptr, i)
		p := pr.Value
		if p.In == openapi3.ParameterInCookie {
			cv.loss(LossCookieParam, pp, fmt.Sprintf("cookie parameter %q dropped", p.Name),
				"send it as a header parameter named Cookie, or set it with a setheader policy")
			continue
		}
		if pr.Ref == "" {
			cv.param(p, pp)
		}
		out = append(out, pr)
	}
	return out
}

func (cv *converter) param(p *openapi3.Parameter, ptr string) {
	if p.Schema == nil && len(p.Content) > 0 {
		cv.loss(LossParamContent, ptr+"/content", fmt.Sprintf("parameter %q is described by content; it became a string", p.Name), "")
		p.Schema = openapi3.NewStringSchema().NewRef()
		p.Content = nil
	}
	if p.Style == openapi3.SerializationDeepObject {
		cv.loss(LossParamStyle, ptr+"/style", fmt.Sprintf("parameter %q uses style deepObject; it became a JSON string", p.Name), "")
		p.Style, p.Explode = "", nil
		p.Schema = openapi3.NewStringSchema().NewRef()
	}
	if p.Schema != nil && p.Schema.Ref != "" && p.In != "body" {
		// A non-body Swagger 2.0 parameter cannot point to a definition.
		if p.Schema.Value != nil {
			cp := *p.Schema.Value
			p.Schema = &openapi3.SchemaRef{Value: &cp}
		}
	}
	cv.schema(p.Schema, ptr+"/schema")
	if p.Schema != nil && p.Schema.Value != nil {
		if p.Example == nil && len(p.Examples) > 0 {
			p.Examples = nil
		}
		if t := p.Schema.Value.Type; t == nil || len(*t) == 0 {
			// Swagger 2.0 requires a type on non-body parameters.
			p.Schema.Value.Type = &openapi3.Types{"string"}
		} else if t.Is("object") {
			cv.loss(LossParamStyle, ptr+"/schema", fmt.Sprintf("parameter %q is an object; it became a JSON string", p.Name), "")
			p.Schema = openapi3.NewStringSchema().NewRef()
		}
	}
}

var keywordChecks = []struct {
	name string
	set  func(s *openapi3.Schema) bool
}{
	{"const", func(s *openapi3.Schema) bool { return s.Const != nil }},
	{"if/then/else", func(s *openapi3.Schema) bool { return s.If != nil || s.Then != nil || s.Else != nil }},
	{"prefixItems", func(s *openapi3.Schema) bool { return len(s.PrefixItems) > 0 }},
	{"contains", func(s *openapi3.Schema) bool { return s.Contains != nil }},
	{"patternProperties", func(s *openapi3.Schema) bool { return len(s.PatternProperties) > 0 }},
	{"dependentSchemas", func(s *openapi3.Schema) bool { return len(s.DependentSchemas) > 0 }},
	{"dependentRequired", func(s *openapi3.Schema) bool { return len(s.DependentRequired) > 0 }},
	{"propertyNames", func(s *openapi3.Schema) bool { return s.PropertyNames != nil }},
	{"unevaluatedProperties", func(s *openapi3.Schema) bool {
		return s.UnevaluatedProperties.Schema != nil || s.UnevaluatedProperties.Has != nil
	}},
	{"unevaluatedItems", func(s *openapi3.Schema) bool {
		return s.UnevaluatedItems.Schema != nil || s.UnevaluatedItems.Has != nil
	}},
	{"$defs", func(s *openapi3.Schema) bool { return len(s.Defs) > 0 }},
	{"discriminator", func(s *openapi3.Schema) bool { return s.Discriminator != nil && (len(s.OneOf) > 0 || len(s.AnyOf) > 0) }},
}

func isNullSchema(sr *openapi3.SchemaRef) bool {
	return sr != nil && sr.Value != nil && sr.Value.Type != nil && len(*sr.Value.Type) == 1 && sr.Value.Type.Is("null")
}

func isObjectSchema(s *openapi3.Schema) bool {
	return s != nil && (s.Type.Is("object") || (s.Type == nil && len(s.Properties) > 0))
}

// schema rewrites one schema and what it contains.
func (cv *converter) schema(sr *openapi3.SchemaRef, ptr string) {
	if sr == nil || sr.Value == nil {
		return
	}
	if sr.Ref != "" && strings.HasPrefix(sr.Ref, "#/components/schemas/") {
		return // walked once, from components
	}
	s := sr.Value
	if cv.seen[s] {
		return
	}
	cv.seen[s] = true

	var dropped []string
	for _, k := range keywordChecks {
		if k.set(s) {
			dropped = append(dropped, k.name)
		}
	}
	if len(dropped) > 0 {
		cv.loss(LossKeyword, ptr, strings.Join(dropped, ", ")+" dropped", "")
		if s.Const != nil && len(s.Enum) == 0 {
			s.Enum = []any{s.Const}
		}
		if len(s.PrefixItems) > 0 && s.Items == nil {
			s.Items = s.PrefixItems[0]
		}
		s.Const, s.If, s.Then, s.Else, s.PrefixItems, s.Contains = nil, nil, nil, nil, nil, nil
		s.PatternProperties, s.DependentSchemas, s.DependentRequired, s.PropertyNames = nil, nil, nil, nil
		s.UnevaluatedItems, s.UnevaluatedProperties = openapi3.BoolSchema{}, openapi3.BoolSchema{}
		s.Defs = nil
		if s.Discriminator != nil {
			s.Discriminator = nil
		}
	}
	if s.Format == "binary" && s.Type.Is("string") {
		// openapi2conv drops binary schemas outside form bodies (it makes
		// them formData parameters); keep them as written.
		s.Format = binaryPlaceholder
	}
	if s.Example == nil && len(s.Examples) > 0 {
		s.Example = s.Examples[0]
	}
	s.Examples = nil
	if s.Not != nil {
		cv.loss(LossNot, ptr+"/not", "not dropped", "")
		s.Not = nil
	}
	if s.Type != nil && len(*s.Type) > 1 {
		var rest []string
		null := false
		for _, t := range *s.Type {
			if t == "null" {
				null = true
			} else {
				rest = append(rest, t)
			}
		}
		if null {
			s.Nullable = true
		}
		switch {
		case len(rest) == 1:
			cv.loss(LossNullableUnion, ptr+"/type", fmt.Sprintf("type [%s] became %s with x-nullable", strings.Join(*s.Type, ", "), rest[0]), "")
			s.Type = &openapi3.Types{rest[0]}
		case len(rest) > 1:
			t := loosest(rest)
			cv.loss(LossTypeUnion, ptr+"/type", fmt.Sprintf("type [%s] became %s", strings.Join(*s.Type, ", "), t), "")
			s.Type = &openapi3.Types{t}
		default:
			s.Type = nil
		}
	} else if s.Type != nil && len(*s.Type) == 1 && s.Type.Is("null") {
		s.Type, s.Nullable = nil, true
	}
	for i, x := range s.OneOf {
		cv.schema(x, fmt.Sprintf("%s/oneOf/%d", ptr, i))
	}
	for i, x := range s.AnyOf {
		cv.schema(x, fmt.Sprintf("%s/anyOf/%d", ptr, i))
	}
	for i, x := range s.AllOf {
		cv.schema(x, fmt.Sprintf("%s/allOf/%d", ptr, i))
	}
	if len(s.OneOf) > 0 {
		cv.union(sr, s.OneOf, LossOneOf, ptr+"/oneOf")
		s.OneOf = nil
	}
	if len(s.AnyOf) > 0 {
		cv.union(sr, s.AnyOf, LossAnyOf, ptr+"/anyOf")
		s.AnyOf = nil
	}
	cv.schema(s.Items, ptr+"/items")
	for _, name := range sortedKeys(s.Properties) {
		cv.schema(s.Properties[name], ptr+"/properties/"+connector.EscapePointerToken(name))
	}
	if s.AdditionalProperties.Schema != nil {
		cv.schema(s.AdditionalProperties.Schema, ptr+"/additionalProperties")
	}
}

func loosest(ts []string) string {
	numeric := true
	for _, t := range ts {
		if t != "integer" && t != "number" {
			numeric = false
		}
	}
	if numeric {
		return "number"
	}
	return "string"
}

// union approximates oneOf/anyOf the way the Power Platform designer
// copes best: null variants make the schema nullable; one remaining
// variant is used directly; object variants merge into one object whose
// properties are the union (none required unless every variant requires
// it); anything else keeps the first variant.
func (cv *converter) union(sr *openapi3.SchemaRef, variants openapi3.SchemaRefs, id, ptr string) {
	s := sr.Value
	var rest openapi3.SchemaRefs
	null := false
	for _, v := range variants {
		if isNullSchema(v) {
			null = true
			continue
		}
		if v != nil && v.Value != nil {
			rest = append(rest, v)
		}
	}
	if null {
		s.Nullable = true
	}
	switch {
	case len(rest) == 0:
		return
	case len(rest) == 1:
		if null {
			cv.loss(LossNullableUnion, ptr, "a union with null became its other variant with x-nullable", "")
		} else {
			cv.loss(id, ptr, "a single-variant union became that variant", "")
		}
		cv.adopt(sr, rest[0])
		return
	}
	allObjects := true
	for _, v := range rest {
		if !isObjectSchema(v.Value) {
			allObjects = false
		}
	}
	if allObjects {
		if s.Properties == nil {
			s.Properties = openapi3.Schemas{}
		}
		count := map[string]int{}
		for _, v := range rest {
			for name, p := range v.Value.Properties {
				if _, ok := s.Properties[name]; !ok {
					s.Properties[name] = p
				}
			}
			for _, r := range v.Value.Required {
				count[r]++
			}
		}
		for _, r := range s.Required {
			count[r] = len(rest)
		}
		s.Required = nil
		for _, name := range sortedKeys(count) {
			if count[name] == len(rest) {
				s.Required = append(s.Required, name)
			}
		}
		s.Type = &openapi3.Types{"object"}
		cv.loss(id, ptr, fmt.Sprintf("%d object variants merged into one object with %d properties", len(rest), len(s.Properties)),
			"check the merged properties; describe the variants in the property descriptions")
		return
	}
	same := true
	for _, v := range rest {
		if v.Value.Type == nil || rest[0].Value.Type == nil || !v.Value.Type.Is((*rest[0].Value.Type)[0]) {
			same = false
		}
	}
	if same {
		s.Type = rest[0].Value.Type
		if s.Format == "" {
			s.Format = rest[0].Value.Format
		}
		for _, v := range rest {
			s.Enum = append(s.Enum, v.Value.Enum...)
		}
		if len(s.Enum) != 0 {
			for _, v := range rest {
				if len(v.Value.Enum) == 0 {
					s.Enum = nil // one variant accepts any value
					break
				}
			}
		}
		cv.loss(id, ptr, fmt.Sprintf("%d variants of type %s merged", len(rest), (*s.Type)[0]), "")
		return
	}
	var kinds []string
	for _, v := range rest {
		if v.Value.Type != nil {
			kinds = append(kinds, strings.Join(*v.Value.Type, "|"))
		} else {
			kinds = append(kinds, "any")
		}
	}
	cv.loss(id, ptr, fmt.Sprintf("variants of different types (%s): the first was kept", strings.Join(kinds, ", ")),
		"split the operation per variant, or describe the alternatives in the description")
	cv.adopt(sr, rest[0])
}

// adopt makes sr describe v: a bare schema takes v's reference, otherwise v
// joins allOf (Swagger 2.0 has it).
func (cv *converter) adopt(sr *openapi3.SchemaRef, v *openapi3.SchemaRef) {
	s := sr.Value
	bare := s.Type == nil && len(s.Properties) == 0 && s.Items == nil && len(s.AllOf) == 0 && len(s.Enum) == 0
	if bare && v.Ref != "" {
		sr.Ref, sr.Value = v.Ref, v.Value
		return
	}
	if bare && v.Value != nil {
		cp := *v.Value
		if s.Description != "" {
			cp.Description = s.Description
		}
		cp.Nullable = cp.Nullable || s.Nullable
		cp.OneOf, cp.AnyOf = nil, nil
		*s = cp
		return
	}
	s.AllOf = append(s.AllOf, v)
}

var serverVar = regexp.MustCompile(`\{([^{}]+)\}`)

// servers turns the document's servers into one host: variables take
// their defaults and a varying host becomes a dynamichosturl policy.
func (cv *converter) servers() {
	d := cv.doc
	if len(d.Servers) == 0 || d.Servers[0] == nil {
		return
	}
	first := d.Servers[0]
	resolved := serverVar.ReplaceAllStringFunc(first.URL, func(m string) string {
		name := m[1 : len(m)-1]
		if v := first.Variables[name]; v != nil && v.Default != "" {
			return v.Default
		}
		return name
	})
	hostVaries := false
	if len(first.Variables) > 0 || serverVar.MatchString(first.URL) {
		cv.loss(LossServerVariables, "/servers/0/url", fmt.Sprintf("server URL %s has variables: each became a connection parameter", first.URL), "")
		tmpl := first.URL
		for _, name := range serverVar.FindAllStringSubmatch(first.URL, -1) {
			v := first.Variables[name[1]]
			p := connector.ConnectionParameter{Name: paramName(name[1]), Type: "string", DisplayName: titleCase(name[1]), Required: true}
			if v != nil {
				p.Description = v.Description
				if v.Default != "" {
					p.Default = v.Default
				}
				for _, e := range v.Enum {
					p.Allowed = append(p.Allowed, e)
				}
			}
			cv.hostParams = append(cv.hostParams, p)
			tmpl = strings.ReplaceAll(tmpl, name[0], "@connectionParameters('"+p.Name+"')")
		}
		cv.hostTemplate = tmpl
		hostVaries = true
	}
	if len(d.Servers) > 1 && sameButScheme(d.Servers) && !serverVar.MatchString(d.Servers[0].URL) {
		// http and https of one host (Swagger 2.0 schemes): FromV3 turns
		// them back into schemes.
		out := openapi3.Servers{}
		for _, s := range d.Servers {
			if s != nil {
				out = append(out, &openapi3.Server{URL: serverVar.ReplaceAllStringFunc(s.URL, func(m string) string {
					if v := s.Variables[m[1:len(m)-1]]; v != nil && v.Default != "" {
						return v.Default
					}
					return m[1 : len(m)-1]
				})})
			}
		}
		sort.SliceStable(out, func(i, j int) bool {
			return strings.HasPrefix(out[i].URL, "https:") && !strings.HasPrefix(out[j].URL, "https:")
		})
		d.Servers = out
		return
	}
	if len(d.Servers) > 1 {
		hosts := map[string]bool{}
		var list []string
		for _, s := range d.Servers {
			if s == nil {
				continue
			}
			u, err := url.Parse(s.URL)
			if err == nil && u.Host != "" && !hosts[u.Host] {
				hosts[u.Host] = true
				list = append(list, s.URL)
			}
		}
		cv.loss(LossServers, "/servers", fmt.Sprintf("%d servers: %s is the host", len(d.Servers), resolved),
			"keep one server, or let makers pick the host with the hostUrl connection parameter")
		if len(hosts) > 1 && !hostVaries {
			u, _ := url.Parse(resolved)
			p := connector.ConnectionParameter{Name: "hostUrl", Type: "string", DisplayName: "Host URL", Required: true,
				Description: "Where the API lives, one of: " + strings.Join(list, ", ")}
			if u != nil {
				p.Default = u.Scheme + "://" + u.Host
			}
			cv.hostParams = append(cv.hostParams, p)
			base := ""
			if u != nil {
				base = u.Path
			}
			cv.hostTemplate = "@connectionParameters('hostUrl')" + base
		}
	}
	d.Servers = openapi3.Servers{&openapi3.Server{URL: resolved}}
}

// sameButScheme reports whether the servers differ only in their scheme.
func sameButScheme(ss openapi3.Servers) bool {
	rest := ""
	for i, s := range ss {
		if s == nil {
			return false
		}
		_, r, ok := strings.Cut(s.URL, "://")
		if !ok {
			return false
		}
		if i == 0 {
			rest = r
		} else if r != rest {
			return false
		}
	}
	return true
}

func paramName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "host"
	}
	return b.String()
}

// security keeps the one scheme a connection parameter set can express.
func (cv *converter) security() {
	d := cv.doc
	if d.Components == nil || len(d.Components.SecuritySchemes) == 0 {
		return
	}
	ss := d.Components.SecuritySchemes
	for _, name := range sortedKeys(ss) {
		ref := ss[name]
		ptr := "/components/securitySchemes/" + connector.EscapePointerToken(name)
		if ref == nil || ref.Value == nil {
			delete(ss, name)
			continue
		}
		s := ref.Value
		switch s.Type {
		case "http":
			switch strings.ToLower(s.Scheme) {
			case "basic":
			case "bearer":
				cv.loss(LossBearerAsAPIKey, ptr, fmt.Sprintf("HTTP bearer scheme %q became an API key in the Authorization header", name), "")
				*s = openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "Authorization",
					Description: strings.TrimSpace(s.Description + " Enter \"Bearer <token>\"."), Extensions: s.Extensions}
			default:
				cv.loss(LossAuthUnsupported, ptr, fmt.Sprintf("HTTP %s scheme %q dropped", s.Scheme, name), "")
				delete(ss, name)
			}
		case "apiKey":
			if s.In == "cookie" {
				cv.loss(LossAuthUnsupported, ptr, fmt.Sprintf("cookie API key %q dropped", name), "")
				delete(ss, name)
			}
		case "oauth2":
			if f := s.Flows; f != nil {
				n := 0
				for _, x := range []*openapi3.OAuthFlow{f.AuthorizationCode, f.Implicit, f.Password, f.ClientCredentials} {
					if x != nil {
						n++
					}
				}
				if n > 1 {
					cv.loss(LossSecurityAlternates, ptr+"/flows", fmt.Sprintf("oauth2 scheme %q has %d flows; authorizationCode kept", name, n), "")
					if f.AuthorizationCode != nil {
						f.Implicit, f.Password, f.ClientCredentials = nil, nil, nil
					}
				}
			}
		default:
			cv.loss(LossAuthUnsupported, ptr, fmt.Sprintf("%s scheme %q dropped", s.Type, name), "")
			delete(ss, name)
		}
	}
	if len(ss) > 1 {
		keep := ""
		for _, req := range d.Security {
			for n := range req {
				if ss[n] != nil && (keep == "" || n < keep) {
					keep = n
				}
			}
			if keep != "" {
				break
			}
		}
		if keep == "" {
			keep = sortedKeys(ss)[0]
		}
		var dropped []string
		for _, n := range sortedKeys(ss) {
			if n != keep {
				dropped = append(dropped, n)
				delete(ss, n)
			}
		}
		cv.loss(LossSecurityAlternates, "/components/securitySchemes", fmt.Sprintf("kept %q; dropped %s", keep, strings.Join(dropped, ", ")),
			"add the others as connectionParameterSets in apiProperties.json by hand")
	}
	keepReq := func(reqs openapi3.SecurityRequirements) openapi3.SecurityRequirements {
		var out openapi3.SecurityRequirements
		for _, r := range reqs {
			nr := openapi3.SecurityRequirement{}
			for n, sc := range r {
				if ss[n] != nil {
					nr[n] = sc
				}
			}
			if len(nr) > 0 {
				out = append(out, nr)
				break // one requirement: a connector authenticates one way
			}
		}
		return out
	}
	d.Security = keepReq(d.Security)
	if len(d.Security) == 0 && len(ss) > 0 {
		d.Security = openapi3.SecurityRequirements{{sortedKeys(ss)[0]: []string{}}}
	}
	if d.Paths != nil {
		for _, item := range d.Paths.Map() {
			for _, op := range item.Operations() {
				if op.Security != nil {
					r := keepReq(*op.Security)
					op.Security = &r
				}
			}
		}
	}
}

// preferredSeen is the JSON media type among the seen ones, else the first.
func preferredSeen(mts []string) string {
	for _, m := range mts {
		if strings.Contains(m, "json") {
			return m
		}
	}
	return mts[0]
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// restoreProduces sets each operation's produces to the response media
// types of the source when they are not just JSON.
func (cv *converter) restoreProduces(def map[string]any) {
	paths := asMap(def["paths"])
	for key, mts := range cv.produces {
		i := strings.LastIndex(key, " ")
		path, method := key[:i], key[i+1:]
		op := asMap(asMap(paths[path])[method])
		if op == nil || (len(mts) == 1 && mts[0] == "application/json") {
			continue
		}
		var list []any
		for _, m := range mts {
			list = append(list, m)
		}
		op["produces"] = list
	}
	for key, ex := range cv.examples {
		parts := strings.Split(key, " ")
		code := parts[len(parts)-1]
		method := parts[len(parts)-2]
		path := strings.Join(parts[:len(parts)-2], " ")
		r := asMap(asMap(asMap(asMap(paths[path])[method])["responses"])[code])
		if r != nil && r["examples"] == nil {
			r["examples"] = ex
		}
	}
	for key, mt := range cv.formBodies {
		i := strings.LastIndex(key, " ")
		if op := asMap(asMap(paths[key[:i]])[key[i+1:]]); op != nil {
			op["consumes"] = []any{mt}
		}
	}
	for key, mts := range cv.extraCons {
		i := strings.LastIndex(key, " ")
		path, method := key[:i], key[i+1:]
		op := asMap(asMap(paths[path])[method])
		if op == nil {
			continue
		}
		list, _ := op["consumes"].([]any)
		for _, m := range mts {
			list = append(list, m)
		}
		op["consumes"] = list
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
