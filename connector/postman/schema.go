package postman

import (
	"encoding/json"
	"math"
	"net/mail"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// InferSchema builds an OpenAPI 3.0 schema describing the example value v, as
// decoded by encoding/json (numbers as float64 or json.Number; Go integer and
// float types are accepted as well).
//
//   - objects give type object with one property per key; no property is
//     marked required, since one example cannot tell optional keys apart;
//   - arrays give type array whose items schema merges the schemas of all
//     elements (an empty array gets an empty, accept-anything items schema;
//     elements of different types give items.anyOf);
//   - whole numbers give integer, others number;
//   - strings give string, with format date-time (RFC 3339), date, uuid,
//     email or uri when every character of the value fits that format;
//   - null gives a schema with nullable set and no type.
//
// Values of any other Go type give an empty schema. InferSchema never
// returns nil.
func InferSchema(v any) *openapi3.Schema {
	switch t := v.(type) {
	case nil:
		return &openapi3.Schema{Nullable: true}
	case bool:
		return typed(openapi3.TypeBoolean)
	case string:
		s := typed(openapi3.TypeString)
		s.Format = stringFormat(t)
		return s
	case json.Number:
		if isIntegerLiteral(string(t)) {
			return typed(openapi3.TypeInteger)
		}
		return typed(openapi3.TypeNumber)
	case float64:
		return numberSchema(t)
	case float32:
		return numberSchema(float64(t))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return typed(openapi3.TypeInteger)
	case []any:
		var items *openapi3.Schema
		for _, e := range t {
			items = mergeSchemas(items, InferSchema(e))
		}
		if items == nil {
			items = &openapi3.Schema{}
		}
		s := typed(openapi3.TypeArray)
		s.Items = openapi3.NewSchemaRef("", items)
		return s
	case map[string]any:
		s := typed(openapi3.TypeObject)
		s.Properties = make(openapi3.Schemas, len(t))
		for k, e := range t {
			s.Properties[k] = openapi3.NewSchemaRef("", InferSchema(e))
		}
		return s
	}
	return &openapi3.Schema{}
}

func typed(name string) *openapi3.Schema {
	return &openapi3.Schema{Type: &openapi3.Types{name}}
}

func numberSchema(f float64) *openapi3.Schema {
	if !math.IsInf(f, 0) && !math.IsNaN(f) && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
		return typed(openapi3.TypeInteger)
	}
	return typed(openapi3.TypeNumber)
}

// isIntegerLiteral reports whether a JSON number literal has no fraction or
// exponent part.
func isIntegerLiteral(s string) bool {
	return s != "" && !strings.ContainsAny(s, ".eE") && strings.Trim(s, "+-0123456789") == ""
}

// stringFormat guesses an OpenAPI format for a string example.
func stringFormat(s string) string {
	if s == "" || len(s) > 2048 {
		return ""
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return "date-time"
	}
	if len(s) == 10 {
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			return "date"
		}
	}
	if uuidRE.MatchString(s) {
		return "uuid"
	}
	if isEmail(s) {
		return "email"
	}
	if isURI(s) {
		return "uri"
	}
	return ""
}

func isEmail(s string) bool {
	if strings.ContainsAny(s, " <>\"\t\r\n") || strings.Count(s, "@") != 1 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	domain := s[strings.IndexByte(s, '@')+1:]
	return strings.Contains(domain, ".")
}

func isURI(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ftp", "ws", "wss":
		return u.Host != ""
	case "mailto", "urn", "tel", "data", "file":
		return true
	}
	return u.Host != ""
}

// schemaType returns the single type of s, or "" when it has none.
func schemaType(s *openapi3.Schema) string {
	if s == nil || s.Type == nil || len(*s.Type) != 1 {
		return ""
	}
	return (*s.Type)[0]
}

// isNullOnly reports whether s is what InferSchema makes of null.
func isNullOnly(s *openapi3.Schema) bool {
	return s.Nullable && s.Type == nil && len(s.AnyOf) == 0 && s.Items == nil &&
		s.Properties == nil && s.Format == ""
}

// isEmptySchema reports whether s accepts anything and says nothing.
func isEmptySchema(s *openapi3.Schema) bool {
	return reflect.DeepEqual(*s, openapi3.Schema{})
}

// mergeSchemas combines two inferred schemas into one that accepts what
// either accepts, as far as inference goes. Either may be nil. The inputs are
// not modified.
func mergeSchemas(a, b *openapi3.Schema) *openapi3.Schema {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil:
		return cloneSchema(b)
	case b == nil:
		return cloneSchema(a)
	}
	if isNullOnly(a) {
		return withNullable(cloneSchema(b))
	}
	if isNullOnly(b) {
		return withNullable(cloneSchema(a))
	}
	if isEmptySchema(a) || isEmptySchema(b) {
		// An empty schema (the items of an empty array) accepts anything
		// and carries no information: the other side is better evidence.
		if isEmptySchema(a) {
			return cloneSchema(b)
		}
		return cloneSchema(a)
	}
	nullable := a.Nullable || b.Nullable
	var out *openapi3.Schema
	switch {
	case len(a.AnyOf) > 0 || len(b.AnyOf) > 0:
		out = mergeAnyOf(a, b)
	case compatible(schemaType(a), schemaType(b)):
		out = mergeSameType(a, b)
	default:
		out = &openapi3.Schema{AnyOf: openapi3.SchemaRefs{
			openapi3.NewSchemaRef("", cloneSchema(a)),
			openapi3.NewSchemaRef("", cloneSchema(b)),
		}}
	}
	if nullable {
		withNullable(out)
	}
	return out
}

func compatible(ta, tb string) bool {
	if ta == "" || tb == "" {
		return false
	}
	if ta == tb {
		return true
	}
	num := func(t string) bool { return t == openapi3.TypeInteger || t == openapi3.TypeNumber }
	return num(ta) && num(tb)
}

func mergeSameType(a, b *openapi3.Schema) *openapi3.Schema {
	ta, tb := schemaType(a), schemaType(b)
	out := cloneSchema(a)
	out.Nullable = a.Nullable || b.Nullable
	switch {
	case ta != tb: // integer and number
		out.Type = &openapi3.Types{openapi3.TypeNumber}
		out.Format = ""
	case ta == openapi3.TypeString:
		if a.Format != b.Format {
			out.Format = ""
		}
	case ta == openapi3.TypeArray:
		var ia, ib *openapi3.Schema
		if a.Items != nil {
			ia = a.Items.Value
		}
		if b.Items != nil {
			ib = b.Items.Value
		}
		items := mergeSchemas(ia, ib)
		if items == nil {
			items = &openapi3.Schema{}
		}
		out.Items = openapi3.NewSchemaRef("", items)
	case ta == openapi3.TypeObject:
		props := make(openapi3.Schemas, len(a.Properties)+len(b.Properties))
		for k, r := range a.Properties {
			props[k] = openapi3.NewSchemaRef("", cloneSchema(refValue(r)))
		}
		for k, r := range b.Properties {
			if have, ok := props[k]; ok {
				props[k] = openapi3.NewSchemaRef("", mergeSchemas(have.Value, refValue(r)))
			} else {
				props[k] = openapi3.NewSchemaRef("", cloneSchema(refValue(r)))
			}
		}
		out.Properties = props
		// Only keys required on both sides stay required.
		var req []string
		for _, k := range a.Required {
			if slices.Contains(b.Required, k) {
				req = append(req, k)
			}
		}
		out.Required = req
	}
	return out
}

// mergeAnyOf folds b's alternatives into a's, merging alternatives of the
// same type.
func mergeAnyOf(a, b *openapi3.Schema) *openapi3.Schema {
	var alts []*openapi3.Schema
	add := func(s *openapi3.Schema) {
		for i, have := range alts {
			if compatible(schemaType(have), schemaType(s)) {
				alts[i] = mergeSchemas(have, s)
				return
			}
		}
		alts = append(alts, cloneSchema(s))
	}
	for _, s := range []*openapi3.Schema{a, b} {
		if len(s.AnyOf) == 0 {
			add(s)
			continue
		}
		for _, r := range s.AnyOf {
			add(refValue(r))
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	out := &openapi3.Schema{}
	for _, s := range alts {
		out.AnyOf = append(out.AnyOf, openapi3.NewSchemaRef("", s))
	}
	return out
}

// withNullable marks s, and each anyOf alternative, nullable.
func withNullable(s *openapi3.Schema) *openapi3.Schema {
	s.Nullable = true
	for _, r := range s.AnyOf {
		if r != nil && r.Value != nil {
			r.Value.Nullable = true
		}
	}
	return s
}

func refValue(r *openapi3.SchemaRef) *openapi3.Schema {
	if r == nil || r.Value == nil {
		return &openapi3.Schema{}
	}
	return r.Value
}

// cloneSchema deep-copies the parts of a schema that inference produces.
func cloneSchema(s *openapi3.Schema) *openapi3.Schema {
	if s == nil {
		return nil
	}
	out := *s
	if s.Type != nil {
		t := slices.Clone(*s.Type)
		out.Type = &t
	}
	if s.Items != nil {
		out.Items = openapi3.NewSchemaRef("", cloneSchema(refValue(s.Items)))
	}
	if s.Properties != nil {
		out.Properties = make(openapi3.Schemas, len(s.Properties))
		for k, r := range s.Properties {
			out.Properties[k] = openapi3.NewSchemaRef("", cloneSchema(refValue(r)))
		}
	}
	if s.AnyOf != nil {
		out.AnyOf = make(openapi3.SchemaRefs, len(s.AnyOf))
		for i, r := range s.AnyOf {
			out.AnyOf[i] = openapi3.NewSchemaRef("", cloneSchema(refValue(r)))
		}
	}
	out.Required = slices.Clone(s.Required)
	out.Enum = slices.Clone(s.Enum)
	return &out
}
