package postman

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

var mediaTypeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9*][a-z0-9!#$&^_.+*-]*$`)

// mediaType returns the bare, lower-case media type of a Content-Type
// value, or "" if it is not one ("{{contentType}}", garbage).
func mediaType(s string) string {
	s, _, _ = strings.Cut(s, ";")
	s = strings.ToLower(strings.TrimSpace(s))
	if !mediaTypeRE.MatchString(s) {
		return ""
	}
	return s
}

func isJSONMedia(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "/json")
}

func isTextMedia(mt string) bool {
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+xml") || strings.HasSuffix(mt, "/xml") ||
		mt == "application/javascript" || mt == "application/graphql" || mt == "application/x-www-form-urlencoded"
}

// rawLanguageMedia maps Postman's options.raw.language to a media type.
var rawLanguageMedia = map[string]string{
	"json":       "application/json",
	"xml":        "application/xml",
	"html":       "text/html",
	"javascript": "application/javascript",
	"text":       "text/plain",
	"graphql":    "application/graphql",
}

// requestBody converts request.body. It returns nil for an absent, disabled
// or empty body.
func (c *converter) requestBody(v any, ptr string, headers []header) (*openapi3.RequestBody, error) {
	body, err := asObject(v, ptr)
	if err != nil || body == nil {
		return nil, err
	}
	if disabled, err := asBool(body["disabled"], ptrKey(ptr, "disabled")); err != nil || disabled {
		return nil, err
	}
	mode, err := asString(body["mode"], ptrKey(ptr, "mode"))
	if err != nil {
		return nil, err
	}
	declared := mediaType(headerValue(headers, "Content-Type"))
	mp := ptrKey(ptr, mode)
	var mt string
	var media *openapi3.MediaType
	switch mode {
	case "":
		return nil, nil
	case "raw":
		raw, err := asScalar(body["raw"], mp)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(raw) == "" {
			return nil, nil
		}
		lang, err := rawLanguage(body["options"], ptrKey(ptr, "options"))
		if err != nil {
			return nil, err
		}
		mt = declared
		if mt == "" {
			mt = rawLanguageMedia[lang]
		}
		if mt == "" {
			if _, ok := c.parseJSONBody(raw); ok {
				mt = "application/json"
			} else {
				mt = "text/plain"
			}
		}
		media = &openapi3.MediaType{}
		if isJSONMedia(mt) {
			if val, ok := c.parseJSONBody(raw); ok {
				media.Schema = InferSchema(val).NewRef()
				media.Example = val
			} else {
				c.warn("postman-body-not-json", mp, "body is declared as %s but is not JSON; kept as a text example without schema", mt)
				media.Example = raw
			}
		} else {
			media.Schema = openapi3.NewStringSchema().NewRef()
			media.Example = raw
		}
	case "urlencoded", "formdata":
		fields, err := asArray(body[mode], mp)
		if err != nil {
			return nil, err
		}
		mt = "application/x-www-form-urlencoded"
		if mode == "formdata" {
			mt = "multipart/form-data"
		}
		if declared != "" && strings.HasPrefix(declared, strings.Split(mt, "/")[0]+"/") {
			mt = declared
		}
		media, err = formMedia(fields, mp, mode == "formdata")
		if err != nil || media == nil {
			return nil, err
		}
	case "file":
		mt = declared
		if mt == "" {
			mt = "application/octet-stream"
		}
		media = &openapi3.MediaType{Schema: openapi3.NewStringSchema().WithFormat("binary").NewRef()}
	case "graphql":
		gq, err := asObject(body["graphql"], mp)
		if err != nil {
			return nil, err
		}
		mt = "application/json"
		media = c.graphqlMedia(gq, mp)
	default:
		c.warn("postman-body-unsupported", ptrKey(ptr, "mode"), "body mode %q is not supported; request body left out", mode)
		return nil, nil
	}
	return &openapi3.RequestBody{Required: true, Content: openapi3.Content{mt: media}}, nil
}

func rawLanguage(v any, ptr string) (string, error) {
	opts, err := asObject(v, ptr)
	if err != nil || opts == nil {
		return "", err
	}
	raw, err := asObject(opts["raw"], ptrKey(ptr, "raw"))
	if err != nil || raw == nil {
		return "", err
	}
	lang, err := asString(raw["language"], ptrKey(ptrKey(ptr, "raw"), "language"))
	return strings.ToLower(lang), err
}

// formMedia describes urlencoded or multipart fields as an object schema.
// Disabled fields are described but left out of the example. File fields become binary strings (arrays of them when several files are
// selected); a field's contentType becomes its encoding.
func formMedia(fields []any, ptr string, multipart bool) (*openapi3.MediaType, error) {
	schema := openapi3.NewObjectSchema()
	example := map[string]any{}
	enc := openapi3.Encodings{}
	for i, f := range fields {
		fp := ptrIdx(ptr, i)
		obj, err := asObject(f, fp)
		if err != nil {
			return nil, err
		}
		if obj == nil {
			continue
		}
		key, err := asScalar(obj["key"], ptrKey(fp, "key"))
		if err != nil {
			return nil, err
		}
		if key == "" {
			continue
		}
		desc, err := asDescription(obj["description"], ptrKey(fp, "description"))
		if err != nil {
			return nil, err
		}
		typ, err := asString(obj["type"], ptrKey(fp, "type"))
		if err != nil {
			return nil, err
		}
		disabled, err := asDisabled(obj, fp)
		if err != nil {
			return nil, err
		}
		var prop *openapi3.Schema
		if multipart && typ == "file" {
			prop = openapi3.NewStringSchema().WithFormat("binary")
			if _, many := obj["src"].([]any); many {
				prop = openapi3.NewArraySchema().WithItems(prop)
			}
		} else {
			val, err := asScalar(obj["value"], ptrKey(fp, "value"))
			if err != nil {
				return nil, err
			}
			prop = openapi3.NewStringSchema()
			if _, dup := example[key]; !dup && val != "" && !disabled {
				example[key] = val
			}
		}
		prop.Description = desc
		if _, dup := schema.Properties[key]; !dup {
			schema.Properties[key] = prop.NewRef()
		}
		if multipart {
			ct, err := asString(obj["contentType"], ptrKey(fp, "contentType"))
			if err != nil {
				return nil, err
			}
			if mt := mediaType(ct); mt != "" {
				enc[key] = &openapi3.Encoding{ContentType: mt}
			}
		}
	}
	if len(schema.Properties) == 0 {
		return nil, nil
	}
	media := &openapi3.MediaType{Schema: schema.NewRef()}
	if len(example) > 0 {
		media.Example = example
	}
	if len(enc) > 0 {
		media.Encoding = enc
	}
	return media, nil
}

// graphqlMedia describes a GraphQL request as Postman sends it: a JSON
// object with the query and its variables.
func (c *converter) graphqlMedia(gq map[string]any, ptr string) *openapi3.MediaType {
	schema := openapi3.NewObjectSchema()
	schema.Properties["query"] = openapi3.NewStringSchema().NewRef()
	schema.Properties["variables"] = openapi3.NewObjectSchema().NewRef()
	schema.Properties["operationName"] = openapi3.NewStringSchema().NewRef()
	schema.Required = []string{"query"}
	example := map[string]any{}
	if q, ok := gq["query"].(string); ok && q != "" {
		example["query"] = q
	}
	switch vars := gq["variables"].(type) {
	case map[string]any:
		example["variables"] = vars
		schema.Properties["variables"] = InferSchema(vars).NewRef()
	case string:
		if strings.TrimSpace(vars) == "" {
			break
		}
		if val, ok := c.parseJSONBody(vars); ok {
			if obj, isObj := val.(map[string]any); isObj {
				example["variables"] = obj
				schema.Properties["variables"] = InferSchema(obj).NewRef()
				break
			}
		}
		c.warn("postman-body-not-json", ptrKey(ptr, "variables"), "GraphQL variables are not a JSON object; left out of the example")
	}
	media := &openapi3.MediaType{Schema: schema.NewRef()}
	if len(example) > 0 {
		media.Example = example
	}
	return media
}

// parseJSONBody parses a JSON body. Postman bodies often hold bare
// variables ({"id": {{id}}}), which are not JSON: these are replaced by the
// variable's value when that is a JSON number, boolean or null, and by the
// string "{{name}}" otherwise, before parsing again.
func (c *converter) parseJSONBody(raw string) (any, bool) {
	if v, err := decodeStrict([]byte(raw)); err == nil {
		return v, true
	}
	if !strings.Contains(raw, "{{") {
		return nil, false
	}
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(raw); i++ {
		ch := raw[i]
		if inString {
			b.WriteByte(ch)
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
			continue
		}
		if ch == '"' {
			inString = true
			b.WriteByte(ch)
			continue
		}
		if strings.HasPrefix(raw[i:], "{{") {
			if j := strings.Index(raw[i+2:], "}}"); j >= 0 {
				name := raw[i+2 : i+2+j]
				b.WriteString(c.jsonForVariable(name))
				i += j + 3
				continue
			}
		}
		b.WriteByte(ch)
	}
	v, err := decodeStrict([]byte(b.String()))
	return v, err == nil
}

func (c *converter) jsonForVariable(name string) string {
	if v, ok := c.vars[name]; ok {
		val := strings.TrimSpace(c.resolve(v.Value))
		if val == "true" || val == "false" || val == "null" {
			return val
		}
		if _, err := strconv.ParseFloat(val, 64); err == nil && json.Valid([]byte(val)) {
			return val
		}
	}
	return strconv.Quote("{{" + name + "}}")
}

// skippedResponseHeaders say nothing about the API contract.
var skippedResponseHeaders = map[string]bool{
	"content-type": true, "content-length": true, "date": true, "connection": true,
	"keep-alive": true, "transfer-encoding": true, "server": true, "vary": true,
	"etag": true, "x-powered-by": true,
}

// responses converts an item's saved responses. It reports whether it had
// to make up a response because there were none.
func (c *converter) responses(op *openapi3.Operation, v any, ptr string) (bool, error) {
	list, err := asArray(v, ptr)
	if err != nil {
		return false, err
	}
	for i, e := range list {
		rp := ptrIdx(ptr, i)
		obj, err := asObject(e, rp)
		if err != nil {
			return false, err
		}
		if obj == nil {
			continue
		}
		if err := c.savedResponse(op, obj, rp); err != nil {
			return false, err
		}
	}
	if op.Responses.Len() == 0 {
		op.Responses.Set("200", &openapi3.ResponseRef{Value: &openapi3.Response{Description: ptrTo("OK")}})
		return true, nil
	}
	return false, nil
}

func ptrTo[T any](v T) *T { return &v }

func (c *converter) savedResponse(op *openapi3.Operation, obj map[string]any, rp string) error {
	name, err := asScalar(obj["name"], ptrKey(rp, "name"))
	if err != nil {
		return err
	}
	status, err := asScalar(obj["status"], ptrKey(rp, "status"))
	if err != nil {
		return err
	}
	codeText, err := asScalar(obj["code"], ptrKey(rp, "code"))
	if err != nil {
		return err
	}
	key := "default"
	if n, err := strconv.Atoi(strings.TrimSpace(codeText)); err == nil && n >= 100 && n <= 599 {
		key = strconv.Itoa(n)
	} else {
		c.warn("postman-response-no-code", ptrKey(rp, "code"), "saved response %q has no HTTP status code; used as the default response", name)
	}
	desc := strings.TrimSpace(name)
	if desc == "" {
		desc = status
	}
	if desc == "" && key != "default" {
		n, _ := strconv.Atoi(key)
		desc = http.StatusText(n)
	}
	if desc == "" {
		desc = "Response"
	}
	headers, err := readHeaders(obj["header"], ptrKey(rp, "header"))
	if err != nil {
		return err
	}
	body, err := asScalar(obj["body"], ptrKey(rp, "body"))
	if err != nil {
		return err
	}

	ref := op.Responses.Value(key)
	if ref == nil || ref.Value == nil {
		ref = &openapi3.ResponseRef{Value: &openapi3.Response{Description: &desc}}
		op.Responses.Set(key, ref)
	}
	resp := ref.Value

	for _, h := range headers {
		lk := strings.ToLower(h.Key)
		if h.Disabled || skippedResponseHeaders[lk] {
			continue
		}
		if resp.Headers == nil {
			resp.Headers = openapi3.Headers{}
		}
		if _, dup := resp.Headers[h.Key]; dup {
			continue
		}
		hp := openapi3.Parameter{Schema: openapi3.NewStringSchema().NewRef(), Description: h.Description}
		if h.Value != "" {
			hp.Example = h.Value
		}
		resp.Headers[h.Key] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: hp}}
	}

	if strings.TrimSpace(body) == "" {
		return nil
	}
	mt := mediaType(headerValue(headers, "Content-Type"))
	parsed, jsonOK := c.parseJSONBody(body)
	if mt == "" {
		if jsonOK {
			mt = "application/json"
		} else {
			mt = "text/plain"
		}
	}
	var schema *openapi3.Schema
	var value any
	switch {
	case isJSONMedia(mt) && jsonOK:
		schema, value = InferSchema(parsed), parsed
	case isJSONMedia(mt):
		c.warn("postman-example-not-json", ptrKey(rp, "body"), "saved response %q is declared as %s but its body is not JSON; kept as a text example without schema", name, mt)
		value = body
	case isTextMedia(mt):
		schema, value = openapi3.NewStringSchema(), body
	default:
		schema, value = openapi3.NewStringSchema().WithFormat("binary"), body
	}

	if resp.Content == nil {
		resp.Content = openapi3.Content{}
	}
	media := resp.Content[mt]
	if media == nil {
		media = &openapi3.MediaType{}
		if schema != nil {
			media.Schema = schema.NewRef()
		}
		resp.Content[mt] = media
	} else if media.Schema != nil && schema != nil {
		media.Schema = mergeSchemas(media.Schema.Value, schema).NewRef()
	}
	if value != nil {
		if media.Examples == nil {
			media.Examples = openapi3.Examples{}
		}
		exName := strings.TrimSpace(name)
		if exName == "" {
			exName = key
		}
		exName = uniqueKey(media.Examples, exName)
		media.Examples[exName] = &openapi3.ExampleRef{Value: openapi3.NewExample(value)}
	}
	return nil
}

// uniqueKey returns name if m does not have it yet, else name with " (n)"
// appended for the smallest n ≥ 2 that is free, provided the suffixes in
// use form a run from 2 (which is how they are made); otherwise some free
// n. Galloping keeps many equal names from costing quadratic time.
func uniqueKey[V any](m map[string]V, name string) string {
	if _, ok := m[name]; !ok {
		return name
	}
	key := func(n int) string { return name + " (" + strconv.Itoa(n) + ")" }
	taken := func(n int) bool { _, ok := m[key(n)]; return ok }
	if !taken(2) {
		return key(2)
	}
	lo, hi := 2, 4 // taken(lo) holds; find a free hi
	for taken(hi) {
		lo, hi = hi, hi*2
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if taken(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return key(hi)
}
