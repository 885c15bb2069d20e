package fake

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/getkin/kin-openapi/openapi3"
)

// leaves flattens a generated value into JSON pointer -> scalar.
func leaves(v any, ptr string, out map[string]any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			leaves(e, ptr+"/"+pointerEscape(k), out)
		}
	case []any:
		for i, e := range x {
			leaves(e, ptr+"/"+strconv.Itoa(i), out)
		}
	default:
		out[ptr] = v
	}
}

// withoutProperty returns a copy of root in which the first object with at
// least two properties (following arrays and single-property wrappers, as
// Power Platform's {"value": [...]} lists) lacks one property, picked by r;
// and the JSON pointer prefix the removed property's values sit under (with
// * for array indices).
func withoutProperty(root *openapi3.SchemaRef, r *rand.Rand) (*openapi3.SchemaRef, string, bool) {
	var rec func(sr *openapi3.SchemaRef, ptr string, depth int) (*openapi3.SchemaRef, string, bool)
	rec = func(sr *openapi3.SchemaRef, ptr string, depth int) (*openapi3.SchemaRef, string, bool) {
		if sr == nil || sr.Value == nil || depth > 4 || len(sr.Value.AllOf) > 0 || len(sr.Value.OneOf) > 0 || len(sr.Value.AnyOf) > 0 {
			return nil, "", false
		}
		s := sr.Value
		switch {
		case s.Items != nil:
			it, p, ok := rec(s.Items, ptr+"/*", depth+1)
			if !ok {
				return nil, "", false
			}
			c := *s
			c.Items = it
			return &openapi3.SchemaRef{Value: &c}, p, true
		case len(s.Properties) >= 2:
			names := slices.Sorted(maps.Keys(s.Properties))
			drop := names[r.IntN(len(names))]
			c := *s
			c.Properties = maps.Clone(s.Properties)
			delete(c.Properties, drop)
			c.Required = slices.DeleteFunc(slices.Clone(s.Required), func(x string) bool { return x == drop })
			return &openapi3.SchemaRef{Value: &c}, ptr + "/" + pointerEscape(drop), true
		case len(s.Properties) == 1:
			for name, p := range s.Properties {
				it, pp, ok := rec(p, ptr+"/"+pointerEscape(name), depth+1)
				if !ok {
					return nil, "", false
				}
				c := *s
				c.Properties = openapi3.Schemas{name: it}
				return &openapi3.SchemaRef{Value: &c}, pp, true
			}
		}
		return nil, "", false
	}
	return rec(root, "", 0)
}

// under reports whether pointer p is at or below prefix, * matching one
// array index.
func under(p, prefix string) bool {
	ps, qs := strings.Split(p, "/"), strings.Split(prefix, "/")
	if len(ps) < len(qs) {
		return false
	}
	for i, q := range qs {
		if q != ps[i] && !(q == "*" && isDigits(ps[i])) {
			return false
		}
	}
	return true
}

// TestStabilityUnderEdits removes one property from 50 random operations'
// response schemas of the dev corpus and counts the other values that kept
// their value (target: 99%). The bodies of the unedited schema must also be
// byte-identical across two generators (determinism).
func TestStabilityUnderEdits(t *testing.T) {
	root, dirs := corpus.Dirs(t)
	r := rand.New(rand.NewPCG(13, 13))
	type pick struct {
		dir, method, path string
		schema, mod       *openapi3.SchemaRef
		removed           string
	}
	var picks []pick
	for tries := 0; len(picks) < 50 && tries < 2000; tries++ {
		dir := dirs[r.IntN(len(dirs))]
		doc, _, err := loadConnector(filepath.Join(root, dir))
		if err != nil {
			continue
		}
		paths := doc.Paths.Map()
		ps := slices.Sorted(mapKeys(paths))
		if len(ps) == 0 {
			continue
		}
		p := ps[r.IntN(len(ps))]
		ops := paths[p].Operations()
		ms := slices.Sorted(mapKeys(ops))
		if len(ms) == 0 {
			continue
		}
		m := ms[r.IntN(len(ms))]
		if s := primarySchema(ops[m]); s != nil && s.Value != nil {
			if mod, removed, ok := withoutProperty(s, r); ok {
				picks = append(picks, pick{dir, m, p, s, mod, removed})
			}
		}
	}
	kept, total, edited := 0, 0, 0
	var changed []string
	for _, pk := range picks {
		mod, removed := pk.mod, pk.removed
		edited++
		seed := Seed(1, pk.method, pk.path)
		before := New(Options{}).Generate(pk.schema, seed, "")
		again := New(Options{}).Generate(pk.schema, seed, "")
		b1, _ := json.Marshal(before)
		b2, _ := json.Marshal(again)
		if string(b1) != string(b2) {
			t.Errorf("%s %s %s: two generators disagree on the same seed", pk.dir, pk.method, pk.path)
		}
		after := New(Options{}).Generate(mod, seed, "")
		lb, la := map[string]any{}, map[string]any{}
		leaves(before, "", lb)
		leaves(after, "", la)
		for p, v := range lb {
			if under(p, removed) {
				continue
			}
			total++
			if w, ok := la[p]; ok && reflect.DeepEqual(v, w) {
				kept++
			} else if len(changed) < 10 {
				changed = append(changed, fmt.Sprintf("%s %s %s (removed %s): %s %v -> %v", pk.dir, pk.method, pk.path, removed, p, v, la[p]))
			}
		}
	}
	if total == 0 {
		t.Fatal("no value compared: the stability sweep is broken")
	}
	share := 100 * float64(kept) / float64(total)
	t.Logf("stability: %d operations edited, %d/%d other values unchanged (%.2f%%)", edited, kept, total, share)
	for _, c := range changed {
		t.Log("changed:", c)
	}
	if share < 99 {
		t.Errorf("stability %.2f%% is below 99%%", share)
	}
}
