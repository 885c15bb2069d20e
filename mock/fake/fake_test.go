package fake

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/mail"
	"net/netip"
	"net/url"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaOf decodes one schema from JSON.
func schemaOf(t testing.TB, raw string) *openapi3.SchemaRef {
	t.Helper()
	var s openapi3.Schema
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatalf("decode schema: %v\n%s", err, raw)
	}
	return &openapi3.SchemaRef{Value: &s}
}

// docSchema loads an OpenAPI 3 document whose components hold schemas and
// returns the named one, refs resolved.
func docSchema(t testing.TB, components, name string) *openapi3.SchemaRef {
	t.Helper()
	doc := `{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":` + components + `}}`
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	ref := d.Components.Schemas[name]
	if ref == nil {
		t.Fatalf("no schema %q", name)
	}
	return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: ref.Value}
}

// mustValidate generates with seeds 1..n and checks every value.
func mustValidate(t *testing.T, g *Generator, s *openapi3.SchemaRef, hint string, n int, opts ...openapi3.SchemaValidationOption) []any {
	t.Helper()
	opts = append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, opts...)
	var out []any
	for seed := uint64(1); seed <= uint64(n); seed++ {
		v := g.Generate(s, seed, hint)
		if err := s.Value.VisitJSON(v, opts...); err != nil {
			b, _ := json.Marshal(v)
			t.Fatalf("seed %d: %s\ninvalid: %v", seed, b, err)
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("seed %d: not JSON: %v", seed, err)
		}
		out = append(out, v)
	}
	return out
}

const userSchema = `{"type":"object","required":["id","email"],"properties":{
	"id":{"type":"string","format":"uuid"},
	"email":{"type":"string","format":"email"},
	"firstName":{"type":"string"},"lastName":{"type":"string"},
	"createdAt":{"type":"string","format":"date-time"},
	"balance":{"type":"number"},
	"tags":{"type":"array","items":{"type":"string"}},
	"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"},"zip":{"type":"string"}}}}}`

func TestDeterminism(t *testing.T) {
	s := schemaOf(t, userSchema)
	g := New(Options{})
	a := g.Generate(s, 42, "")
	b := New(Options{}).Generate(s, 42, "")
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different values:\n%v\n%v", a, b)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("same seed, different JSON:\n%s\n%s", ja, jb)
	}
	c := g.Generate(s, 43, "")
	if reflect.DeepEqual(a, c) {
		t.Fatalf("different seeds, same value: %s", ja)
	}
	if a.(map[string]any)["id"] == c.(map[string]any)["id"] {
		t.Fatalf("different seeds, same id")
	}
	// Seed 0 is deterministic too (gofakeit.New(0) would be random).
	if !reflect.DeepEqual(g.Generate(s, 0, ""), g.Generate(s, 0, "")) {
		t.Fatal("seed 0 is not deterministic")
	}
	// The result is the caller's: changing it changes nothing next time.
	a.(map[string]any)["email"] = "changed"
	if !reflect.DeepEqual(b, g.Generate(s, 42, "")) {
		t.Fatal("generation depends on an earlier result")
	}
}

func TestDeterminismConcurrent(t *testing.T) {
	s := schemaOf(t, userSchema)
	g := New(Options{})
	want := make([][]byte, 32)
	for i := range want {
		want[i], _ = json.Marshal(g.Generate(s, uint64(i), "user"))
	}
	g2 := New(Options{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range want {
				got, _ := json.Marshal(g2.Generate(s, uint64(i), "user"))
				if string(got) != string(want[i]) {
					t.Errorf("seed %d differs under concurrency", i)
				}
			}
		}()
	}
	wg.Wait()
}

func TestSeed(t *testing.T) {
	if Seed(1, "GET", "/users/1") != Seed(1, "GET", "/users/1") {
		t.Fatal("Seed is not deterministic")
	}
	distinct := map[uint64]string{}
	for _, parts := range [][]string{
		{"GET", "/users/1"}, {"GET", "/users/2"}, {"POST", "/users/1"}, {"ab", "c"}, {"a", "bc"}, {}, {""}, {"", ""},
	} {
		s := Seed(1, parts...)
		if prev, dup := distinct[s]; dup {
			t.Fatalf("Seed collision: %q and %q", prev, parts)
		}
		distinct[s] = strings.Join(parts, "|")
	}
	if Seed(1, "x") == Seed(2, "x") {
		t.Fatal("base is ignored")
	}
}

var (
	uuidRE     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	hostRE     = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
	durationRE = regexp.MustCompile(`^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$`)
)

// formatChecks are strict checks, stricter than kin-openapi's defaults.
var formatChecks = map[string]func(string) bool{
	"date-time": func(s string) bool { _, err := time.Parse(time.RFC3339, s); return err == nil },
	"date":      func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil },
	"time":      func(s string) bool { _, err := time.Parse(time.TimeOnly, s); return err == nil },
	"email":     func(s string) bool { a, err := mail.ParseAddress(s); return err == nil && a.Address == s },
	"uri": func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	},
	"url":      func(s string) bool { u, err := url.Parse(s); return err == nil && u.Host != "" },
	"uuid":     uuidRE.MatchString,
	"guid":     uuidRE.MatchString,
	"GUID":     uuidRE.MatchString,
	"byte":     func(s string) bool { _, err := base64.StdEncoding.DecodeString(s); return err == nil && s != "" },
	"binary":   func(s string) bool { return s != "" },
	"int32":    func(s string) bool { _, err := strconv.ParseInt(s, 10, 32); return err == nil },
	"int64":    func(s string) bool { _, err := strconv.ParseInt(s, 10, 64); return err == nil },
	"decimal":  func(s string) bool { _, err := strconv.ParseFloat(s, 64); return err == nil },
	"double":   func(s string) bool { _, err := strconv.ParseFloat(s, 64); return err == nil },
	"ipv4":     func(s string) bool { a, err := netip.ParseAddr(s); return err == nil && a.Is4() },
	"ipv6":     func(s string) bool { a, err := netip.ParseAddr(s); return err == nil && a.Is6() },
	"hostname": hostRE.MatchString,
	"password": func(s string) bool { return len(s) >= 8 },
	"phone":    regexp.MustCompile(`^[0-9()+\-. ]{7,}$`).MatchString,
	"duration": func(s string) bool { return durationRE.MatchString(s) && s != "P" && s != "PT" },
	"html":     func(s string) bool { return strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") },
	"":         func(s string) bool { return s != "" },
	"Routing number should pass the check digit validation": func(s string) bool { return s != "" },
}

func TestStringFormats(t *testing.T) {
	g := New(Options{})
	for format, ok := range formatChecks {
		s := schemaOf(t, `{"type":"string","format":`+strconv.Quote(format)+`}`)
		for _, v := range mustValidate(t, g, s, "", 30) {
			if !ok(v.(string)) {
				t.Errorf("format %q: bad value %q", format, v)
			}
		}
	}
}

func TestNumberFormats(t *testing.T) {
	g := New(Options{})
	for _, tc := range []struct {
		schema   string
		min, max float64
		integer  bool
	}{
		{`{"type":"integer","format":"int32"}`, math.MinInt32, math.MaxInt32, true},
		{`{"type":"integer","format":"int64"}`, -maxSafe, maxSafe, true},
		{`{"type":"integer","format":"int32","minimum":2147483000}`, 2147483000, math.MaxInt32, true},
		{`{"type":"integer","format":"int32","maximum":-2147483000}`, math.MinInt32, -2147483000, true},
		{`{"type":"number","format":"float"}`, -1e38, 1e38, false},
		{`{"type":"number","format":"double"}`, -1e308, 1e308, false},
		{`{"type":"number","format":"int32"}`, math.MinInt32, math.MaxInt32, true},
		{`{"type":"number","format":"decimal","minimum":0.5,"maximum":0.75}`, 0.5, 0.75, false},
	} {
		s := schemaOf(t, tc.schema)
		for _, v := range mustValidate(t, g, s, "", 50) {
			f, _ := toFloat(v)
			if f < tc.min || f > tc.max {
				t.Errorf("%s: %v out of range", tc.schema, v)
			}
			if tc.integer && f != math.Trunc(f) {
				t.Errorf("%s: %v is not integral", tc.schema, v)
			}
			if _, isInt := v.(int64); isInt != (tc.integer && strings.Contains(tc.schema, `"integer"`)) {
				t.Errorf("%s: Go type %T", tc.schema, v)
			}
		}
	}
}

// TestKeywords checks many schema shapes against kin-openapi's validator.
func TestKeywords(t *testing.T) {
	for name, raw := range map[string]string{
		"object required and optional":  `{"type":"object","required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"integer"}}}`,
		"additionalProperties false":    `{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}`,
		"additionalProperties true":     `{"type":"object","additionalProperties":true}`,
		"additionalProperties empty":    `{"type":"object","additionalProperties":{}}`,
		"additionalProperties schema":   `{"type":"object","additionalProperties":{"type":"integer","minimum":3,"maximum":4}}`,
		"additionalProperties object":   `{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"object","required":["x"],"properties":{"x":{"type":"boolean"}}}}`,
		"min and max properties":        `{"type":"object","minProperties":4,"maxProperties":5,"properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}`,
		"maxProperties below optional":  `{"type":"object","maxProperties":1,"properties":{"a":{"type":"string"},"b":{"type":"string"},"c":{"type":"string"}}}`,
		"properties without type":       `{"properties":{"a":{"type":"string"}},"required":["a"]}`,
		"items without type":            `{"items":{"type":"integer"}}`,
		"array without items":           `{"type":"array"}`,
		"array bounds":                  `{"type":"array","minItems":2,"maxItems":2,"items":{"type":"string"}}`,
		"unique enum items":             `{"type":"array","uniqueItems":true,"minItems":3,"items":{"type":"string","enum":["x","y","z"]}}`,
		"unique booleans":               `{"type":"array","uniqueItems":true,"maxItems":5,"items":{"type":"boolean"}}`,
		"untyped":                       `{}`,
		"untyped with description":      `{"description":"anything"}`,
		"string lengths":                `{"type":"string","minLength":30,"maxLength":32}`,
		"tiny maxLength":                `{"type":"string","maxLength":1}`,
		"zero maxLength":                `{"type":"string","maxLength":0}`,
		"uuid with maxLength":           `{"type":"string","format":"uuid","maxLength":8}`,
		"pattern":                       `{"type":"string","pattern":"^d\\d{1,8}c\\d{1,8}v\\d{1,8}$"}`,
		"pattern and lengths":           `{"type":"string","pattern":"^[a-z]+$","minLength":20,"maxLength":25}`,
		"unanchored pattern minLength":  `{"type":"string","pattern":"[0-9]+","minLength":12}`,
		"pattern base64":                `{"type":"string","pattern":"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"}`,
		"pattern long repeat":           `{"type":"string","pattern":"^a{1000}$"}`,
		"pattern unicode escape":        `{"type":"string","pattern":"^[\\u0041-\\u005A]{3}$"}`,
		"pattern url":                   `{"type":"string","pattern":"^(?:http(s)?:\\/\\/)?[\\w.-]+(?:\\.[\\w\\.-]+)+[\\w\\-\\._~:\\/?#[\\]@!\\$&'\\(\\)\\*\\+,;=.]+$"}`,
		"pattern date-time":             `{"type":"string","format":"date-time","pattern":"^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2})(:)(\\d{2})(:)(\\d{2})(\\.\\d+)?(Z|([+-])(\\d{2})(:)?(\\d{2}))$"}`,
		"integer bounds":                `{"type":"integer","minimum":5,"maximum":5}`,
		"integer exclusive":             `{"type":"integer","minimum":5,"maximum":7,"exclusiveMinimum":true,"exclusiveMaximum":true}`,
		"integer multipleOf":            `{"type":"integer","multipleOf":7,"minimum":100,"maximum":130}`,
		"integer fractional multipleOf": `{"type":"integer","multipleOf":0.5}`,
		"integer far from realistic":    `{"type":"integer","minimum":1000000}`,
		"negative integers":             `{"type":"integer","maximum":-50}`,
		"number multipleOf cents":       `{"type":"number","multipleOf":0.01}`,
		"number multipleOf quarter":     `{"type":"number","multipleOf":0.25,"minimum":1,"maximum":2}`,
		"number tiny range":             `{"type":"number","minimum":0.0001,"maximum":0.0002}`,
		"number exclusive":              `{"type":"number","minimum":0,"maximum":1,"exclusiveMinimum":true,"exclusiveMaximum":true}`,
		"number huge":                   `{"type":"number","minimum":1e300}`,
		"boolean":                       `{"type":"boolean"}`,
		"enum strings":                  `{"type":"string","enum":["a","b","c"]}`,
		"enum integers":                 `{"type":"integer","enum":[1,2,3]}`,
		"enum numbers as ints":          `{"type":"number","enum":[1,2]}`,
		"enum untyped":                  `{"enum":["x","y"]}`,
		"enum with pattern":             `{"type":"string","pattern":"^[0-9a-f]{4}$","enum":["nope","beef"]}`,
		"nullable":                      `{"type":"string","nullable":true}`,
		"null type":                     `{"type":"null"}`,
		"allOf":                         `{"allOf":[{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}},{"properties":{"b":{"type":"integer","minimum":10,"maximum":12}}}]}`,
		"allOf same property":           `{"allOf":[{"properties":{"n":{"type":"integer","minimum":1}}},{"properties":{"n":{"type":"integer","maximum":3}}}]}`,
		"allOf closed member":           `{"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false},{"properties":{"b":{"type":"string"}}}]}`,
		"oneOf":                         `{"oneOf":[{"type":"string","maxLength":3},{"type":"integer"}]}`,
		"oneOf overlapping":             `{"oneOf":[{"type":"object"},{"type":"object","required":["a"],"properties":{"a":{"type":"integer"}}}]}`,
		"anyOf":                         `{"anyOf":[{"type":"integer"},{"type":"string"}]}`,
		"not is ignored":                `{"type":"string","not":{"type":"integer"}}`,
		"type list":                     `{"type":["null","integer"]}`,
		"const":                         `{"const":"fixed"}`,
		"deep arrays":                   `{"type":"array","items":{"type":"array","items":{"type":"array","items":{"type":"array","items":{"type":"integer"}}}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			mustValidate(t, New(Options{}), schemaOf(t, raw), "", 40)
		})
	}
}

func TestEnumWins(t *testing.T) {
	g := New(Options{})
	// A string enum on a boolean: no value passes both; the API sends the
	// boolean the strings stand for.
	s := schemaOf(t, `{"type":"boolean","enum":["true","false"]}`)
	seen := map[any]bool{}
	for seed := uint64(1); seed < 30; seed++ {
		v := g.Generate(s, seed, "isActive")
		if v != true && v != false {
			t.Fatalf("got %#v, want a boolean", v)
		}
		seen[v] = true
	}
	if len(seen) != 2 {
		t.Errorf("enum values seen: %v", seen)
	}
	if v := g.Generate(schemaOf(t, `{"type":"integer","enum":["1","7","30"]}`), 3, ""); v != int64(1) && v != int64(7) && v != int64(30) {
		t.Errorf("integer with string enum: got %#v", v)
	}
	// An enum none of whose values converts still wins over the type.
	if v := g.Generate(schemaOf(t, `{"type":"boolean","enum":["yes","no"]}`), 3, ""); v != "yes" && v != "no" {
		t.Errorf("unconvertible enum: got %#v", v)
	}
	// Integers come back as int64.
	if v := g.Generate(schemaOf(t, `{"type":"integer","enum":[7]}`), 1, ""); v != int64(7) {
		t.Errorf("got %#v, want int64(7)", v)
	}
	// Heuristics never override an enum.
	if v := g.Generate(schemaOf(t, `{"type":"string","enum":["x"]}`), 1, "email"); v != "x" {
		t.Errorf("got %#v", v)
	}
}

func TestNonRE2Patterns(t *testing.T) {
	g := New(Options{})
	for _, tc := range []struct {
		pattern string
		check   func(string) bool
	}{
		{`^(?!\s*$)[*()&\-_|@$%^?:{}!#+<>;=\/\s'.` + "`" + `~",\]\[(\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF)|\w]+$`,
			func(s string) bool { return strings.TrimSpace(s) != "" }},
		{`(?=^.{5,254}$)([a-zA-Z0-9+*.&+\-_` + "`" + `~|$%\^?!'#={}\/])+@([a-zA-Z0-9+*.&+\-_` + "`" + `~|$%\^?!'#={}\/]+\.)+[a-zA-Z0-9+*.&+\-_` + "`" + `~|$%\^?!'#={}\/]{2,}$`,
			func(s string) bool { return strings.Contains(s, "@") && len(s) >= 5 && len(s) <= 254 }},
		{`^((?!((us(-gov)?|ap|ca|cn|eu|sa|af|me)-(central|(north|south)?(east|west)?)-\d+))[a-zA-Z0-9-]{1,30})$`,
			regexp.MustCompile(`^[a-zA-Z0-9-]{1,30}$`).MatchString},
		{`^[a-zA-ZÀ-ž\u0370-\u03FF\u0400-\u04FF0-9_()+\-*/. %]*$`, func(string) bool { return true }},
		{`^[\u0021-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]*$`, func(string) bool { return true }},
	} {
		s := schemaOf(t, `{"type":"string","maxLength":40,"pattern":`+strconv.Quote(tc.pattern)+`}`)
		for _, v := range mustValidate(t, g, s, "", 20, openapi3.DisablePatternValidation()) {
			if !tc.check(v.(string)) {
				t.Errorf("pattern %s: bad value %q", tc.pattern, v)
			}
		}
	}
}

func TestDiscriminator(t *testing.T) {
	pets := `{
		"Pet":{"type":"object","required":["petType"],"properties":{"petType":{"type":"string"},"name":{"type":"string"}},
			"discriminator":{"propertyName":"petType","mapping":{"dog":"#/components/schemas/Dog","cat":"#/components/schemas/Cat"}},
			"oneOf":[{"$ref":"#/components/schemas/Dog"},{"$ref":"#/components/schemas/Cat"}]},
		"Dog":{"type":"object","required":["petType","bark"],"properties":{"petType":{"type":"string"},"bark":{"type":"boolean"}}},
		"Cat":{"type":"object","required":["petType","lives"],"properties":{"petType":{"type":"string"},"lives":{"type":"integer","maximum":9}}},
		"Base":{"type":"object","required":["kind"],"discriminator":{"propertyName":"kind"},"properties":{"kind":{"type":"string"}}},
		"Square":{"allOf":[{"$ref":"#/components/schemas/Base"},{"properties":{"side":{"type":"number"}}}]}
	}`
	g := New(Options{})
	for _, v := range mustValidate(t, g, docSchema(t, pets, "Pet"), "", 10) {
		if pt := v.(map[string]any)["petType"]; pt != "dog" {
			t.Errorf("petType = %v, want the mapping key of the first branch", pt)
		}
	}
	// Swagger 2 style: the subtype's name goes in the discriminator.
	for _, v := range mustValidate(t, g, docSchema(t, pets, "Square"), "", 5) {
		if k := v.(map[string]any)["kind"]; k != "Square" {
			t.Errorf("kind = %v, want Square", k)
		}
	}
}

func TestDirection(t *testing.T) {
	s := schemaOf(t, `{"type":"object","required":["id","secret"],"properties":{
		"id":{"type":"string","readOnly":true},"secret":{"type":"string","writeOnly":true},"name":{"type":"string"}}}`)
	resp := New(Options{}).Generate(s, 1, "").(map[string]any)
	if _, ok := resp["secret"]; ok {
		t.Errorf("response has the writeOnly property: %v", resp)
	}
	if _, ok := resp["id"]; !ok {
		t.Errorf("response lacks the readOnly property: %v", resp)
	}
	req := New(Options{Direction: Request}).Generate(s, 1, "").(map[string]any)
	if _, ok := req["id"]; ok {
		t.Errorf("request has the readOnly property: %v", req)
	}
	if _, ok := req["secret"]; !ok {
		t.Errorf("request lacks the writeOnly property: %v", req)
	}
	if err := s.Value.VisitJSON(req, openapi3.VisitAsRequest()); err != nil {
		t.Error(err)
	}
	if err := s.Value.VisitJSON(resp, openapi3.VisitAsResponse()); err != nil {
		t.Error(err)
	}
}

func TestOptionalRate(t *testing.T) {
	s := schemaOf(t, `{"type":"object","required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"string"},"c":{"type":"string"},"d":{"type":"string"}}}`)
	if v := New(Options{OptionalRate: -1}).Generate(s, 1, "").(map[string]any); len(v) != 1 {
		t.Errorf("OptionalRate<0: %v, want only the required property", v)
	}
	if v := New(Options{}).Generate(s, 1, "").(map[string]any); len(v) != 4 {
		t.Errorf("default OptionalRate: %v, want every property", v)
	}
	total := 0
	for seed := uint64(1); seed <= 100; seed++ {
		total += len(New(Options{OptionalRate: 0.5}).Generate(s, seed, "").(map[string]any)) - 1
	}
	if total < 100 || total > 200 {
		t.Errorf("OptionalRate 0.5: %d optional properties over 100 objects of 3", total)
	}
}

func TestExamples(t *testing.T) {
	s := schemaOf(t, `{"type":"object","properties":{"code":{"type":"string","example":"ABC-1"},
		"n":{"type":"integer","maximum":5,"example":99},"id":{"type":"string","example":"fixed-id"},
		"lang":{"type":"string","default":"en-US"},"tags":{"type":"array","items":{"type":"string"},"example":["a","b"]}}}`)
	v := New(Options{}).Generate(s, 1, "").(map[string]any)
	if v["code"] != "ABC-1" || v["lang"] != "en-US" {
		t.Errorf("valid example/default not used: %v", v)
	}
	if v["n"] == float64(99) || v["n"] == int64(99) {
		t.Errorf("invalid example used: %v", v)
	}
	if v["id"] == "fixed-id" {
		t.Errorf("example used on an identifier: %v", v)
	}
	v["tags"].([]any)[0] = "changed"
	if ex := s.Value.Properties["tags"].Value.Example.([]any); ex[0] != "a" {
		t.Errorf("caller's change reached the schema example: %v", ex)
	}
	w := New(Options{IgnoreExamples: true}).Generate(s, 1, "").(map[string]any)
	if w["code"] == "ABC-1" {
		t.Errorf("IgnoreExamples: example used: %v", w)
	}
}

func TestRecursion(t *testing.T) {
	nodes := `{
		"Node":{"type":"object","required":["id"],"properties":{"id":{"type":"integer"},"parent":{"$ref":"#/components/schemas/Node"},
			"children":{"type":"array","items":{"$ref":"#/components/schemas/Node"}}}},
		"Chain":{"type":"object","required":["next"],"properties":{"next":{"$ref":"#/components/schemas/Chain"}}},
		"Nest":{"type":"array","minItems":1,"items":{"$ref":"#/components/schemas/Nest"}},
		"Wide":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/Wide"},"b":{"$ref":"#/components/schemas/Wide"},
			"c":{"$ref":"#/components/schemas/Wide"},"list":{"type":"array","maxItems":50,"minItems":50,"items":{"$ref":"#/components/schemas/Wide"}}}}
	}`
	g := New(Options{})
	mustValidate(t, g, docSchema(t, nodes, "Node"), "", 10)
	mustValidate(t, g, docSchema(t, nodes, "Wide"), "", 3)
	// Required self-references have no finite value: best effort, bounded.
	for _, name := range []string{"Chain", "Nest"} {
		v := g.Generate(docSchema(t, nodes, name), 1, "")
		b, _ := json.Marshal(v)
		if len(b) > 10000 {
			t.Errorf("%s: %d bytes", name, len(b))
		}
	}
}

func TestBounded(t *testing.T) {
	g := New(Options{})
	// Huge minItems: capped at hardMaxItems, maxItems honoured.
	v := g.Generate(schemaOf(t, `{"type":"array","minItems":1000000,"items":{"type":"integer"}}`), 1, "")
	if n := len(v.([]any)); n != hardMaxItems {
		t.Errorf("minItems 1e6: %d items", n)
	}
	v = g.Generate(schemaOf(t, `{"type":"array","minItems":1000000,"maxItems":7,"items":{"type":"integer"}}`), 1, "")
	if n := len(v.([]any)); n != 7 {
		t.Errorf("minItems 1e6 maxItems 7: %d items", n)
	}
	// Contradictions give a value and no panic.
	for _, raw := range []string{
		`{"type":"integer","minimum":10,"maximum":5}`,
		`{"type":"number","minimum":1,"maximum":1,"exclusiveMaximum":true}`,
		`{"type":"integer","minimum":1.2,"maximum":1.8}`,
		`{"type":"integer","multipleOf":7,"minimum":1,"maximum":6}`,
		`{"type":"string","minLength":10,"maxLength":2}`,
		`{"type":"string","pattern":"^[a-z]{5}$","maxLength":2}`,
		`{"type":"string","pattern":"[a-"}`,
		`{"type":"string","minLength":100000000}`,
		`{"type":"array","uniqueItems":true,"minItems":5,"items":{"type":"boolean"}}`,
		`{"type":"object","required":["x"],"additionalProperties":false}`,
		`{"type":"object","minProperties":3,"additionalProperties":false}`,
		`{"type":"integer","format":"int32","minimum":1e12}`,
		`{"type":"file"}`,
		`{"type":"unknown"}`,
	} {
		g.Generate(schemaOf(t, raw), 1, "")
	}
	// MaxNodes bounds the document, even when minItems asks for more.
	for _, req := range []string{"", `"required":["a"],`} {
		wide := `{"type":"array","minItems":100,"items":{"type":"object",` + req + `"properties":{` +
			`"a":{"type":"array","minItems":100,"items":{"type":"array","minItems":100,"items":{"type":"string","minLength":100}}}}}}`
		b, _ := json.Marshal(g.Generate(schemaOf(t, wide), 1, ""))
		if len(b) > 5_000_000 {
			t.Errorf("wide schema: %d bytes", len(b))
		}
	}
}

func TestHeuristics(t *testing.T) {
	g := New(Options{})
	str := schemaOf(t, `{"type":"string"}`)
	num := schemaOf(t, `{"type":"number"}`)
	integer := schemaOf(t, `{"type":"integer"}`)
	isRFC3339 := formatChecks["date-time"]
	for _, tc := range []struct {
		hint   string
		schema *openapi3.SchemaRef
		ok     func(any) bool
	}{
		{"email", str, func(v any) bool { return formatChecks["email"](v.(string)) }},
		{"contactEmailAddress", str, func(v any) bool { return strings.Contains(v.(string), "@") }},
		{"first_name", str, func(v any) bool { s := v.(string); return s != "" && !strings.Contains(s, " ") }},
		{"displayName", str, func(v any) bool { return strings.Contains(v.(string), " ") }},
		{"createdAt", str, func(v any) bool { return isRFC3339(v.(string)) }},
		{"modified_on", str, func(v any) bool { return isRFC3339(v.(string)) }},
		{"dueDate", str, func(v any) bool { return isRFC3339(v.(string)) }},
		{"timestamp", integer, func(v any) bool { x := v.(int64); return x >= epochFrom && x <= epochTo }},
		{"price", num, func(v any) bool { x := v.(float64); return x == roundTo(x, 2) && x >= 1 && x <= 1000 }},
		{"totalAmount", str, func(v any) bool { _, err := strconv.ParseFloat(v.(string), 64); return err == nil }},
		{"currencyCode", str, func(v any) bool { return len(v.(string)) == 3 }},
		{"countryCode", str, func(v any) bool { return len(v.(string)) == 2 }},
		{"latitude", num, func(v any) bool { x := v.(float64); return x >= -90 && x <= 90 }},
		{"lng", num, func(v any) bool { x := v.(float64); return x >= -180 && x <= 180 }},
		{"age", integer, func(v any) bool { x := v.(int64); return x >= 18 && x <= 90 }},
		{"quantity", integer, func(v any) bool { x := v.(int64); return x >= 0 && x <= 100 }},
		{"ipAddress", str, func(v any) bool { return formatChecks["ipv4"](v.(string)) }},
		{"websiteUrl", str, func(v any) bool { return formatChecks["uri"](v.(string)) }},
		{"href", str, func(v any) bool { return formatChecks["uri"](v.(string)) }},
		{"accessToken", str, func(v any) bool { return regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(v.(string)) }},
		{"description", str, func(v any) bool { return strings.Count(v.(string), " ") >= 2 }},
		{"userId", integer, func(v any) bool { x := v.(int64); return x >= 1 && x <= 99999 }},
		{"ID", str, func(v any) bool { return len(v.(string)) == 12 }},
		{"phoneNumber", str, func(v any) bool { return formatChecks["phone"](v.(string)) }},
		{"postalCode", str, func(v any) bool { return v.(string) != "" }},
		{"version", str, func(v any) bool { return strings.Count(v.(string), ".") == 2 }},
		{"status", str, func(v any) bool { return v.(string) != "" }},
	} {
		for seed := uint64(1); seed <= 10; seed++ {
			v := g.Generate(tc.schema, seed, tc.hint)
			if !tc.ok(v) {
				t.Errorf("%s: unexpected %#v", tc.hint, v)
				break
			}
		}
	}
	// Heuristics never break declared constraints.
	for _, tc := range []struct{ hint, schema string }{
		{"email", `{"type":"string","maxLength":5}`},
		{"email", `{"type":"string","pattern":"^[0-9]+$"}`},
		{"createdAt", `{"type":"integer","format":"int32","maximum":100}`},
		{"price", `{"type":"integer","minimum":5000,"multipleOf":3}`},
		{"latitude", `{"type":"number","minimum":100}`},
		{"description", `{"type":"string","minLength":300,"maxLength":310}`},
		{"id", `{"type":"string","format":"uuid"}`},
		{"zip", `{"type":"integer"}`},
		{"name", `{"type":"string","maxLength":3}`},
		{"title", `{"type":"string","minLength":1,"maxLength":1}`},
	} {
		mustValidate(t, g, schemaOf(t, tc.schema), tc.hint, 20)
	}
}

func TestClassify(t *testing.T) {
	for hint, want := range map[string]kind{
		"customerID": kindID, "user_id": kindID, "uuid": kindID, "IPAddress": kindIP, "emailAddress": kindEmail,
		"e-mail": kindEmail, "firstName": kindFirstName, "LAST_NAME": kindLastName, "fullName": kindFullName,
		"userName": kindUserName, "companyName": kindCompany, "city": kindCity, "countryCode": kindCountryCode,
		"state": kindState, "addressLine1": kindStreet, "zipCode": kindZip, "mobile": kindPhone,
		"avatarUrl": kindImageURL, "homepage": kindURL, "unitPrice": kindMoney, "currency": kindCurrency,
		"createdAt": kindDateTime, "last_modified": kindDateTime, "createdon": kindDateTime,
		"notes": kindText, "subject": kindTitle, "status": kindStatus, "itemCount": kindCount,
		"numberOfItems": kindCount, "age": kindAge, "lat": kindLatitude, "longitude": kindLongitude,
		"colour": kindColor, "etag": kindToken, "apiVersion": kindVersion, "isActive": kindNone,
		"hasChildren": kindNone, "createdBy": kindFullName, "projectName": kindLabel, "foo": kindNone,
		"": kindNone, "paid": kindNone, "valid": kindNone, "startDate": kindDateTime, "eventStart": kindMoment,
	} {
		if got := classify(hint); got != want {
			t.Errorf("classify(%q) = %d, want %d", hint, got, want)
		}
	}
	if got := strings.Join(words("HTTPServerURL_v2 name-x"), ","); got != "http,server,url,v,name,x" {
		t.Errorf("words: %s", got)
	}
}

// TestValidSchemasValidate runs every schema of a small realistic document
// through Generate, in both directions.
func TestDocumentSchemas(t *testing.T) {
	doc := `{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{
		"Invoice":{"type":"object","required":["id","lines","total"],"properties":{
			"id":{"type":"string","format":"uuid","readOnly":true},"number":{"type":"string","pattern":"^INV-[0-9]{6}$"},
			"customer":{"$ref":"#/components/schemas/Customer"},"lines":{"type":"array","minItems":1,"items":{"$ref":"#/components/schemas/Line"}},
			"total":{"type":"number","minimum":0},"currency":{"type":"string","enum":["EUR","USD"]},
			"issuedOn":{"type":"string","format":"date"},"paid":{"type":"boolean"},"metadata":{"type":"object","additionalProperties":{"type":"string"}}}},
		"Customer":{"type":"object","properties":{"name":{"type":"string"},"email":{"type":"string","format":"email"},
			"address":{"allOf":[{"$ref":"#/components/schemas/Address"}],"nullable":true}}},
		"Address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"},"country":{"type":"string","maxLength":2}}},
		"Line":{"type":"object","required":["sku","qty"],"properties":{"sku":{"type":"string"},"qty":{"type":"integer","minimum":1},
			"unitPrice":{"type":"number","multipleOf":0.01}}}}}}`
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []Direction{Response, Request} {
		g := New(Options{Direction: dir})
		opt := openapi3.VisitAsResponse()
		if dir == Request {
			opt = openapi3.VisitAsRequest()
		}
		for name, s := range d.Components.Schemas {
			t.Run(dir.String()+"/"+name, func(t *testing.T) { mustValidate(t, g, s, "", 20, opt) })
		}
	}
}

// TestHugeStrings bounds the work, not the time, of a schema that asks
// for 10,000 strings of 64 Ki characters (640 MB): the document is cut at
// maxDocBytes, and what the generator allocates on the way stays a small
// multiple of that. Bytes allocated are the same on every machine (the
// test is not parallel, so nothing else allocates meanwhile); the timing
// this replaced failed under load.
func TestHugeStrings(t *testing.T) {
	s := schemaOf(t, `{"type":"array","minItems":100,"items":{"type":"array","minItems":100,"items":{"type":"string","minLength":65536}}}`)
	g := New(Options{})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v := g.Generate(s, 1, "")
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	strs, size := 0, 0
	for _, row := range v.([]any) {
		for _, x := range row.([]any) {
			if x, ok := x.(string); ok && x != "" {
				strs++
				size += len(x)
			}
		}
	}
	t.Logf("%d non-empty strings, %d bytes of them, %d bytes allocated", strs, size, alloc)
	if size > maxDocBytes+maxStringLen*4 {
		t.Errorf("%d string bytes: the document is not cut at maxDocBytes (%d)", size, maxDocBytes)
	}
	if want := maxDocBytes/65536 + 2; strs > want {
		t.Errorf("%d strings of 64 Ki generated, want at most %d", strs, want)
	}
	if alloc > 4*maxDocBytes {
		t.Errorf("allocated %d bytes for a document cut at %d: the work is not bounded", alloc, maxDocBytes)
	}
}

func TestPropertyLooksInsideAllOf(t *testing.T) {
	inner := &openapi3.Schema{Properties: openapi3.Schemas{"deep": openapi3.NewStringSchema().NewRef()}}
	s := &openapi3.Schema{
		Properties: openapi3.Schemas{"top": openapi3.NewIntegerSchema().NewRef()},
		AllOf:      openapi3.SchemaRefs{nil, {Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{{Value: inner}}}}},
	}
	if p := Property(s, "top"); !IsType(p, "integer") {
		t.Errorf("top: %v", p)
	}
	if p := Property(s, "deep"); !IsType(p, "string") {
		t.Errorf("deep (two allOf levels down): %v", p)
	}
	if p := Property(s, "none"); p != nil {
		t.Errorf("none: %v", p)
	}
	if Property(nil, "top") != nil || IsType(nil, "string") || IsType(&openapi3.SchemaRef{}, "string") {
		t.Error("nil schemas must give nil / false")
	}
}
