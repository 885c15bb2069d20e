package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// corpusRoot is the dev corpus, relative to this package.
const corpusRoot = "../../../shared/corpus/connectors"

const corpusGolden = "testdata/corpus-failures.golden"

// corpusSeeds are the two seeds each operation is generated with.
var corpusSeeds = []uint64{1, 2}

// loadConnector is the tiny loader the corpus test needs: read the single
// *.swagger.json in dir, strip a BOM, decode (JSON, else kin's YAML
// fallback, which rescues trailing commas) and convert to OpenAPI 3.
func loadConnector(dir string) (doc *openapi3.T, raw []byte, err error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.swagger.json"))
	if len(files) != 1 {
		return nil, nil, fmt.Errorf("%d swagger files", len(files))
	}
	raw, err = os.ReadFile(files[0])
	if err != nil {
		return nil, nil, err
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	var v2 openapi2.T
	if err := json.Unmarshal(raw, &v2); err != nil {
		v2 = openapi2.T{}
		if err2 := openapi2.UnmarshalFromData(raw, &v2); err2 != nil {
			return nil, nil, fmt.Errorf("parse: %w", err)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("convert panicked: %v", r)
		}
	}()
	doc, err = openapi2conv.ToV3(&v2)
	if err != nil {
		return nil, nil, fmt.Errorf("convert: %w", err)
	}
	return doc, raw, nil
}

// kinPattern mirrors kin-openapi's \uXXXX rewrite before regexp.Compile.
var kinPattern = regexp.MustCompile(`\\u([0-9A-F]{4})`)

// hasNonRE2Pattern reports whether the raw document holds a pattern that
// kin-openapi cannot compile; VisitJSON then needs DisablePatternValidation.
func hasNonRE2Pattern(raw []byte) bool {
	var x any
	if json.Unmarshal(raw, &x) != nil {
		return true // decoded leniently: assume the worst
	}
	bad := false
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if p, ok := x["pattern"].(string); ok {
				if _, err := regexp.Compile(kinPattern.ReplaceAllString(p, `\x{$1}`)); err != nil {
					bad = true
				}
			}
			for _, v := range x {
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(x)
	return bad
}

// primarySchema returns the JSON schema of the operation's primary success
// response: the lowest 2xx, else 2XX, else default.
func primarySchema(op *openapi3.Operation) *openapi3.SchemaRef {
	if op.Responses == nil {
		return nil
	}
	codes := op.Responses.Map()
	pick := ""
	for code := range codes {
		n, err := strconv.Atoi(code)
		if err == nil && n >= 200 && n < 300 && (pick == "" || code < pick) {
			pick = code
		}
	}
	if pick == "" {
		for _, c := range []string{"2XX", "2xx", "default"} {
			if _, ok := codes[c]; ok {
				pick = c
				break
			}
		}
	}
	r := codes[pick]
	if r == nil || r.Value == nil {
		return nil
	}
	types := make([]string, 0, len(r.Value.Content))
	for mt := range r.Value.Content {
		if strings.Contains(strings.ToLower(mt), "json") {
			types = append(types, mt)
		}
	}
	if len(types) == 0 {
		return nil
	}
	slices.Sort(types)
	return r.Value.Content[types[0]].Schema
}

// requestSchema returns the JSON schema of the operation's request body.
func requestSchema(op *openapi3.Operation) *openapi3.SchemaRef {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	content := op.RequestBody.Value.Content
	types := make([]string, 0, len(content))
	for mt := range content {
		if strings.Contains(strings.ToLower(mt), "json") {
			types = append(types, mt)
		}
	}
	if len(types) == 0 {
		return nil
	}
	slices.Sort(types)
	return content[types[0]].Schema
}

type connectorResult struct {
	name          string
	skip          string
	ops           int
	bodies        int
	failures      []string
	contradictory []string
	dur           time.Duration
}

func checkConnector(dir string) connectorResult {
	name := strings.TrimPrefix(filepath.ToSlash(dir), filepath.ToSlash(corpusRoot)+"/")
	res := connectorResult{name: name}
	start := time.Now()
	defer func() { res.dur = time.Since(start) }()
	doc, raw, err := loadConnector(dir)
	if err != nil {
		res.skip = firstLine(err.Error())
		return res
	}
	noPattern := hasNonRE2Pattern(raw)
	validate := func(dir Direction) []openapi3.SchemaValidationOption {
		opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse()}
		if dir == Request {
			opts[1] = openapi3.VisitAsRequest()
		}
		if noPattern {
			opts = append(opts, openapi3.DisablePatternValidation())
		}
		return opts
	}
	gens := map[Direction]*Generator{Response: New(Options{}), Request: New(Options{Direction: Request})}
	check := func(dir Direction, schema *openapi3.SchemaRef, id, m, p string) {
		for _, base := range corpusSeeds {
			v := gens[dir].Generate(schema, Seed(base, m, p), "")
			if _, err := json.Marshal(v); err != nil {
				res.failures = append(res.failures, fmt.Sprintf("%s :: %s %s seed %d: json: %v", res.name, id, dir, base, err))
				continue
			}
			err := schema.Value.VisitJSON(v, validate(dir)...)
			if err == nil {
				continue
			}
			real, contra := splitErrors(err, closedConflicts(schema))
			for _, e := range real {
				res.failures = append(res.failures, fmt.Sprintf("%s :: %s %s seed %d: %s", res.name, id, dir, base, e))
			}
			for _, e := range contra {
				res.contradictory = append(res.contradictory, fmt.Sprintf("%s :: %s %s: %s", res.name, id, dir, e))
			}
		}
	}
	paths := doc.Paths.Map()
	for _, p := range slices.Sorted(mapKeys(paths)) {
		ops := paths[p].Operations()
		for _, m := range slices.Sorted(mapKeys(ops)) {
			op := ops[m]
			id := op.OperationID
			if id == "" {
				id = m + " " + p
			}
			if schema := primarySchema(op); schema != nil && schema.Value != nil {
				res.ops++
				check(Response, schema, id, m, p)
			}
			if schema := requestSchema(op); schema != nil && schema.Value != nil {
				res.bodies++
				check(Request, schema, id, m, p)
			}
		}
	}
	slices.Sort(res.contradictory)
	res.contradictory = slices.Compact(res.contradictory)
	return res
}

func mapKeys[M ~map[string]V, V any](m M) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// splitErrors flattens a validation error into one line per leaf error and
// separates errors on contradictory schemas from real failures. No value can
// pass a schema none of whose enum values passes its other keywords, or an
// allOf family that requires a property one of its closed members rejects.
func splitErrors(err error, conflicts map[closedConflict]bool) (real, contradictory []string) {
	var walk func(error)
	walk = func(err error) {
		var me openapi3.MultiError
		if errors.As(err, &me) {
			for _, e := range me {
				walk(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			line := "/" + strings.Join(se.JSONPointer(), "/") + ": " + se.Reason
			if se.Schema != nil && se.SchemaField == "enum" && typedEnumValue(se.Schema, se.Value) {
				contradictory = append(contradictory, arrayIndex.ReplaceAllString(line, "/*$1")+
					" (string enum on a typed schema: the typed value is sent)")
				return
			}
			if se.Schema != nil && se.SchemaField != "enum" && enumUnsatisfiable(se.Schema) {
				contradictory = append(contradictory, arrayIndex.ReplaceAllString(line, "/*$1")+
					" (no enum value passes the other keywords)")
				return
			}
			if m := unsupported.FindStringSubmatch(se.Reason); m != nil && conflicts[closedConflict{se.Schema, m[1]}] {
				contradictory = append(contradictory, arrayIndex.ReplaceAllString(line, "/*$1")+
					" (required in its allOf family, rejected by a member with additionalProperties: false)")
				return
			}
			real = append(real, line)
			return
		}
		real = append(real, firstLine(err.Error()))
	}
	walk(err)
	return real, contradictory
}

// typedEnumValue reports whether x is the typed form of one of the string
// values of s's enum (true for "true" on a boolean).
func typedEnumValue(s *openapi3.Schema, x any) bool {
	for _, t := range typedEnum(s) {
		if jsonEqual(t, x) {
			return true
		}
	}
	return false
}

var (
	arrayIndex  = regexp.MustCompile(`/\d+(/|:)`)
	unsupported = regexp.MustCompile(`^property "(.*)" is unsupported$`)
)

// closedConflict is a property that a closed schema (additionalProperties:
// false) rejects although a schema of its allOf family requires it.
type closedConflict struct {
	closed *openapi3.Schema
	prop   string
}

// closedConflicts finds, in every schema reachable from root, the allOf
// families (a schema and its allOf tree, validated together against one
// value) in which one member requires a property that a closed member does
// not declare. No value can satisfy such a family.
func closedConflicts(root *openapi3.SchemaRef) map[closedConflict]bool {
	out := map[closedConflict]bool{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(r *openapi3.SchemaRef)
	walk = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		if len(s.AllOf) > 0 {
			var family []*openapi3.Schema
			var collect func(x *openapi3.Schema)
			collect = func(x *openapi3.Schema) {
				if slices.Contains(family, x) {
					return
				}
				family = append(family, x)
				for _, m := range x.AllOf {
					if m != nil && m.Value != nil {
						collect(m.Value)
					}
				}
			}
			collect(s)
			for _, c := range family {
				if c.AdditionalProperties.Has == nil || *c.AdditionalProperties.Has {
					continue
				}
				for _, m := range family {
					for _, req := range m.Required {
						if _, ok := c.Properties[req]; !ok {
							out[closedConflict{c, req}] = true
						}
					}
				}
			}
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, rs := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, x := range rs {
				walk(x)
			}
		}
	}
	walk(root)
	return out
}

// enumUnsatisfiable reports whether none of s's enum values passes s's
// other keywords (a string enum on a boolean, an enum outside the pattern).
func enumUnsatisfiable(s *openapi3.Schema) bool {
	if len(s.Enum) == 0 {
		return false
	}
	rest := *s
	rest.Enum = nil
	for _, e := range s.Enum {
		if rest.VisitJSON(e) == nil {
			return false
		}
	}
	return true
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test takes about 30 s; skipped with -short")
	}
	dirs, _ := filepath.Glob(filepath.Join(corpusRoot, "*", "*"))
	if len(dirs) == 0 {
		t.Skip("corpus not found at " + corpusRoot)
	}
	slices.Sort(dirs)

	results := make([]connectorResult, len(dirs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = checkConnector(dirs[i])
			}
		}()
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()

	var loaded, ops, bodies, failures, contradictory int
	var skipped, failed, contra []string
	for _, r := range results {
		if r.skip != "" {
			skipped = append(skipped, r.name+": "+r.skip)
			continue
		}
		loaded++
		ops += r.ops
		bodies += r.bodies
		failures += len(r.failures)
		contradictory += len(r.contradictory)
		failed = append(failed, r.failures...)
		contra = append(contra, r.contradictory...)
		if r.dur > 5*time.Second {
			t.Logf("slow connector %s: %v", r.name, r.dur)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# fake.Generate over the dev corpus: each operation's primary success response (lowest 2xx, else\n")
	fmt.Fprintf(&b, "# default; JSON media type) with Direction Response, and its JSON request body with Direction Request.\n")
	fmt.Fprintf(&b, "# Each value is checked with Schema.VisitJSON(MultiErrors, VisitAsResponse/VisitAsRequest); seeds %v.\n", corpusSeeds)
	fmt.Fprintf(&b, "connectors: %d, loaded: %d, skipped: %d\n", len(dirs), loaded, len(skipped))
	fmt.Fprintf(&b, "response schemas checked: %d, request bodies checked: %d, values checked: %d\n",
		ops, bodies, (ops+bodies)*len(corpusSeeds))
	fmt.Fprintf(&b, "failures: %d\n", failures)
	fmt.Fprintf(&b, "contradictory schemas (no value can pass; see the last section): %d\n", contradictory)
	fmt.Fprintf(&b, "\n## skipped (cannot be loaded)\n")
	for _, s := range skipped {
		b.WriteString(s + "\n")
	}
	fmt.Fprintf(&b, "\n## failures\n")
	for _, s := range failed {
		b.WriteString(s + "\n")
	}
	fmt.Fprintf(&b, "\n## contradictory schemas\n")
	for _, s := range contra {
		b.WriteString(s + "\n")
	}
	got := b.String()
	t.Logf("connectors %d, loaded %d, responses %d, request bodies %d, failures %d, contradictory %d",
		len(dirs), loaded, ops, bodies, failures, contradictory)

	if *update {
		if err := os.WriteFile(corpusGolden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(corpusGolden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestCorpus -update)", err)
	}
	if got != string(want) {
		t.Errorf("corpus results differ from %s (rerun with -update if intended):\n%s", corpusGolden, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only in want (-) or only in got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
