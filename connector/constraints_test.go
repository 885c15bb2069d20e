package connector

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestUnsatisfiableConstraintsCorpus: the dev corpus connectors whose
// request schemas no value can satisfy (issue 12) load with the losing
// keyword dropped and one finding per schema; every other schema keeps its
// pattern (HrFlow's source_key has the same ^[a-f0-9]{40}$ without an enum).
func TestUnsatisfiableConstraintsCorpus(t *testing.T) {
	root, dirs := corpusDirs(t)
	want := map[string][]string{ // connector → pointers of the findings
		"certified-connectors/Verified": {"/definitions/RecipientInput/properties/language/pattern"},
		"certified-connectors/HrFlow":   {"/paths/~1v1~1text~1tagging/post/parameters/1/schema/properties/algorithm_key/pattern"},
		"certified-connectors/DQ on Demand": {
			"/definitions/GetUsage/properties/data/properties/FilterCriteria/properties/endDate/pattern",
			"/definitions/GetUsage/properties/data/properties/FilterCriteria/properties/startDate/pattern",
			"/definitions/GetUsageV2/properties/data/properties/FilterCriteria/properties/endDate/pattern",
			"/definitions/GetUsageV2/properties/data/properties/FilterCriteria/properties/startDate/pattern",
			"/definitions/GetUsageV2/properties/data/properties/Summary/items/properties/periodEnd/pattern",
			"/definitions/GetUsageV2/properties/data/properties/Summary/items/properties/periodStart/pattern",
			"/paths/~1Account~1Usage/get/parameters/0/pattern",
			"/paths/~1Account~1Usage/get/parameters/1/pattern",
			"/paths/~1Account~1Usage~1v2.0/get/parameters/0/pattern",
			"/paths/~1Account~1Usage~1v2.0/get/parameters/1/pattern",
		},
	}
	var sel []string
	for name := range want {
		if !slices.Contains(dirs, name) {
			t.Fatalf("%s is not in the corpus at %s", name, root)
		}
		sel = append(sel, name)
	}
	slices.Sort(sel)
	for _, r := range loadAllUncached(root, sel) {
		if r.err != nil || r.panicked != nil {
			t.Fatalf("%s: %v %v", r.dir, r.err, r.panicked)
		}
		var got []string
		for _, f := range r.c.Findings {
			if f.ID == PatternUnsatisfiable || f.ID == FormatUnsatisfiable {
				if f.Level != LevelWarning || f.Fix == "" || f.Line == 0 {
					t.Errorf("%s: %v: want a located warning with a fix", r.dir, f)
				}
				got = append(got, f.Pointer)
			}
		}
		slices.Sort(got)
		if w := want[r.dir]; !slices.Equal(got, w) {
			t.Errorf("%s: findings at\n  %s\nwant\n  %s", r.dir, strings.Join(got, "\n  "), strings.Join(w, "\n  "))
		}
		// What is left is satisfiable: no schema keeps a pattern that no
		// enum value matches, and the other ^[a-f0-9]{40}$ stays.
		kept := 0
		walkDocSchemas(r.c.Doc, func(s *openapi3.Schema) {
			if s.Pattern == "" {
				return
			}
			kept++
			re := regexp.MustCompile(s.Pattern)
			if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { x, ok := e.(string); return ok && re.MatchString(x) }) {
				t.Errorf("%s: pattern %q kept beside enum %v", r.dir, s.Pattern, s.Enum)
			}
			if s.Pattern == "yyyy-MM-dd hh:mm:ss.fff" {
				t.Errorf("%s: the date format string is still a pattern", r.dir)
			}
		})
		if filepath.Base(r.dir) == "HrFlow" && kept == 0 {
			t.Errorf("HrFlow: every pattern was dropped; source_key's ^[a-f0-9]{40}$ is satisfiable")
		}
	}
}

// walkDocSchemas calls fn on every parameter and body schema of doc's
// operations and every component schema, descending into properties and
// items (each schema once).
func walkDocSchemas(doc *openapi3.T, fn func(*openapi3.Schema)) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		seen[r.Value] = true
		fn(r.Value)
		for _, p := range r.Value.Properties {
			walk(p)
		}
		walk(r.Value.Items)
	}
	if doc.Components != nil {
		for _, s := range doc.Components.Schemas {
			walk(s)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
}

// TestConstraintPrecedence pins the rule on small schemas: enum > format >
// pattern, and only where no value can satisfy the pair.
func TestConstraintPrecedence(t *testing.T) {
	cases := []struct {
		name   string
		schema string
		want   string // finding ID, "" for none
		keeps  string // keyword that must remain
	}{
		{"pattern matches no enum value", `{"type":"string","pattern":"^[a-z]{2}_[A-Z]{2}$","enum":["nb-NO","sv-SE"]}`, PatternUnsatisfiable, "enum"},
		{"pattern matches one enum value", `{"type":"string","pattern":"^[a-z]{2}_[A-Z]{2}$","enum":["nb-NO","nb_NO"]}`, "", "pattern"},
		{"date format string on date-time", `{"type":"string","format":"date-time","pattern":"yyyy-MM-dd hh:mm:ss.fff"}`, PatternUnsatisfiable, "format"},
		{"anchored letters on date", `{"type":"string","format":"date","pattern":"^[a-z]+$"}`, PatternUnsatisfiable, "format"},
		{"regex a date-time matches", `{"type":"string","format":"date-time","pattern":"^\\d{4}-\\d{2}-\\d{2}T"}`, "", "pattern"},
		{"regex disagreeing only with canonical values", `{"type":"string","format":"date-time","pattern":"^\\d{4}-\\d{2}-\\d{2}$"}`, "", "pattern"},
		{"pattern on an unenforced format", `{"type":"string","format":"email","pattern":"yyyy"}`, "", "pattern"},
		{"enum of non-dates on date-time", `{"type":"string","format":"date-time","enum":["now","today"]}`, FormatUnsatisfiable, "enum"},
		{"enum of dates on date", `{"type":"string","format":"date","enum":["2024-01-02"]}`, "", "format"},
		{"pattern on an integer", `{"type":"integer","pattern":"^x$","enum":[1,2]}`, "", "pattern"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := &fixer{file: "f.json"}
			m := decodeMap(t, tc.schema)
			fx.constraintConflicts(m, "/s")
			var ids []string
			for _, f := range fx.findings {
				ids = append(ids, f.ID)
			}
			if tc.want == "" && len(ids) > 0 || tc.want != "" && !slices.Equal(ids, []string{tc.want}) {
				t.Errorf("findings %v, want %q", ids, tc.want)
			}
			if _, ok := m[tc.keeps]; !ok {
				t.Errorf("%s was dropped: %v", tc.keeps, m)
			}
		})
	}
}

func decodeMap(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
