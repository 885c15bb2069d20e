package fake

import (
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/getkin/kin-openapi/openapi3"
)

// TestPatternBeatsSemanticName (issue 12): a declared pattern, enum, format
// or length always wins over what a property's name suggests; the semantic
// value is used only when it satisfies every constraint. Verified's
// language ^[a-z]{2}_[A-Z]{2}$ came out as "lt-LT": that value was its
// enum's (the loader now drops a pattern no enum value matches:
// connector's pattern-unsatisfiable); without the enum the name must not
// produce a locale tag the pattern rejects.
func TestPatternBeatsSemanticName(t *testing.T) {
	t.Parallel()
	names := []string{"language", "locale", "country", "countryCode", "currency", "email", "firstName", "lastName",
		"city", "phone", "zip", "postalCode", "createdAt", "date", "id", "url", "website", "timezone", "status", "price", "color"}
	constraints := []string{
		`{"type":"string","pattern":"^[a-z]{2}_[A-Z]{2}$"}`,
		`{"type":"string","pattern":"^[A-Z]{3}-[0-9]{4}$"}`,
		`{"type":"string","pattern":"^[a-f0-9]{40}$"}`,
		`{"type":"string","enum":["alpha","beta"]}`,
		`{"type":"string","format":"date"}`,
		`{"type":"string","maxLength":2}`,
		`{"type":"string","minLength":40,"maxLength":40}`,
		`{"type":"string","pattern":"^[0-9]+$","maxLength":3}`,
	}
	g := New(Options{Direction: Request})
	for _, c := range constraints {
		s := schemaOf(t, c)
		for _, name := range names {
			for seed := uint64(1); seed <= 5; seed++ {
				v := g.Generate(s, seed, name)
				if err := s.Value.VisitJSON(v); err != nil {
					t.Errorf("%s named %q, seed %d: %#v: %v", c, name, seed, v, firstLine(err.Error()))
				}
			}
		}
	}
}

// TestPatternBeatsSemanticNameCorpus: over the dev corpus, every patterned
// string parameter and request-body property whose pattern the generator
// can satisfy without a name is also satisfied under its own name.
func TestPatternBeatsSemanticNameCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep skipped with -short")
	}
	root, dirs := corpus.Dirs(t)
	g := New(Options{Direction: Request})
	opts := []openapi3.SchemaValidationOption{openapi3.VisitAsRequest()}
	checked := 0
	for _, d := range dirs {
		doc, raw, err := loadConnector(filepath.Join(root, d))
		if err != nil || hasNonRE2Pattern(raw) {
			continue
		}
		seen := map[*openapi3.Schema]bool{}
		var visit func(name string, r *openapi3.SchemaRef, depth int)
		visit = func(name string, r *openapi3.SchemaRef, depth int) {
			if r == nil || r.Value == nil || seen[r.Value] || depth > 8 {
				return
			}
			seen[r.Value] = true
			s := r.Value
			if s.Pattern != "" && len(s.Enum) == 0 && name != "" {
				if _, err := regexp.Compile(s.Pattern); err == nil {
					checked++
					for seed := uint64(1); seed <= 3; seed++ {
						v := g.Generate(r, seed, name)
						if s.VisitJSON(v, opts...) == nil {
							continue
						}
						if s.VisitJSON(g.Generate(r, seed, ""), opts...) == nil {
							t.Errorf("%s: %q (pattern %q): named it gives %s, which the pattern rejects; unnamed it fits", d, name, s.Pattern, fmt.Sprintf("%#v", v))
						}
					}
				}
			}
			for pn, p := range s.Properties {
				visit(pn, p, depth+1)
			}
			visit(name, s.Items, depth+1)
		}
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				for _, p := range op.Parameters {
					if p.Value != nil {
						visit(p.Value.Name, p.Value.Schema, 0)
					}
				}
				if sr := requestSchema(op); sr != nil {
					visit("", sr, 0)
				}
			}
		}
	}
	t.Logf("patterned string schemas checked under their names: %d", checked)
	if checked == 0 {
		t.Fatal("no patterned schema found: the sweep checks nothing")
	}
}
