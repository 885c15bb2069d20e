package dynamic

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

const maxServed = 10000

// Lookup shapes the answer of a lookup operation. body is what the mock
// made from the definition (or its state), nil to start from the response
// schema. Lists get the items the designer reads; schema lookups get the
// resolved schema at their value path.
func (r *Resolver) Lookup(op *connector.Operation, a Args, body any) (any, []recordings.Note) {
	lk := r.lookups[op.ID]
	if lk == nil {
		return body, nil
	}
	vals := lk.lookupArgs(a)
	key := argsKey(lk.keys, vals)
	if body == nil {
		_, s := successResponse(op)
		if s != nil {
			body = r.gen.Generate(s, fake.Seed(r.seed, "lookup", op.ID, key), "")
		}
	}
	var notes []recordings.Note
	for _, ls := range lk.lists {
		body = r.fillList(lk, ls, key, body)
	}
	if len(lk.lists) > 0 {
		notes = append(notes, recordings.Note{ID: "dynamic-values", Level: "info",
			Message: fmt.Sprintf("lookup for dynamic values (%s)", describeArgs(key))})
	}
	for _, ss := range lk.schemas {
		res := r.resolve(lk, ss, key, vals)
		if len(ss.at) == 0 {
			body = res.raw
		} else {
			body = setPath(body, ss.at, res.raw)
		}
		notes = append(notes, recordings.Note{ID: "dynamic-schema", Level: "info",
			Message: fmt.Sprintf("dynamic schema (%s) at /%s for %s", res.source, strings.Join(ss.at, "/"), describeArgs(key))})
	}
	return body, notes
}

func describeArgs(key string) string {
	if key == "" {
		return "no mapped parameters"
	}
	return key
}

// fillList makes sure body carries ls's collection with items holding the
// values of lk for key. Items the mock's state already returned keep their
// own values when they have them; those are remembered as accepted.
func (r *Resolver) fillList(lk *lookup, ls *listSpec, key string, body any) any {
	var existing []any
	if len(ls.collection) == 0 {
		existing, _ = body.([]any)
	} else if v, ok := getPath(body, ls.collection); ok {
		existing, _ = v.([]any)
	}
	vals := r.values(lk, ls, key)
	items := make([]any, 0, len(vals))
	for i, v := range vals {
		var it any
		if i < len(existing) {
			it = existing[i]
		} else if ls.itemShape != nil {
			it = r.gen.Generate(ls.itemShape, fake.Seed(r.seed, "lookup-item", lk.op.ID, key, strconv.Itoa(i)), "")
		}
		m, ok := it.(map[string]any)
		if !ok {
			m = map[string]any{}
		}
		if cur, ok := getPath(m, ls.value); !ok || cur == nil || canon(cur) == "" || i >= len(existing) {
			m = setPath(m, ls.value, v).(map[string]any)
		}
		if cur, ok := getPath(m, ls.title); !ok || canon(cur) == "" || i >= len(existing) && !sameSegs(ls.title, ls.value) {
			m = setPath(m, ls.title, r.title(lk, ls, key, i)).(map[string]any)
		}
		if len(ls.parent) > 0 {
			m = setPath(m, ls.parent, i%2 == 0).(map[string]any)
		}
		items = append(items, m)
	}
	r.remember(lk.op.ID, items, ls.value)
	if len(ls.collection) == 0 {
		return items
	}
	return setPath(body, ls.collection, items)
}

func sameSegs(a, b []string) bool { return strings.Join(a, "/") == strings.Join(b, "/") }

func (r *Resolver) remember(op string, items []any, path []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	set := r.served[op]
	if set == nil {
		set = map[string]bool{}
		r.served[op] = set
	}
	for _, it := range items {
		if v, ok := getPath(it, path); ok && len(set) < maxServed {
			set[canon(v)] = true
		}
	}
}

// values are the values a lookup returns for one combination of mapped
// parameters: 3 to 5, distinct, deterministic.
func (r *Resolver) values(lk *lookup, ls *listSpec, key string) []any {
	s := ls.valueShape
	n := 3 + int(fake.Seed(r.seed, "dynamic-count", lk.op.ID, key)%3)
	if s != nil && s.Value != nil && len(s.Value.Enum) > 0 {
		out := make([]any, 0, n)
		for i := 0; i < len(s.Value.Enum) && i < n; i++ {
			out = append(out, s.Value.Enum[i])
		}
		return out
	}
	if isType(s, "boolean") {
		return []any{true, false}
	}
	hint := "id"
	if len(ls.value) > 0 {
		hint = ls.value[len(ls.value)-1]
	}
	seen := map[string]bool{}
	out := make([]any, 0, n)
	for i := 0; len(out) < n && i < 4*n; i++ {
		v := r.gen.Generate(s, fake.Seed(r.seed, "dynamic-value", lk.op.ID, strings.Join(ls.value, "/"), key, strconv.Itoa(i)), hint)
		if v == nil || canon(v) == "" || seen[canon(v)] {
			continue
		}
		seen[canon(v)] = true
		out = append(out, v)
	}
	return out
}

func (r *Resolver) title(lk *lookup, ls *listSpec, key string, i int) any {
	s := ls.titleShape
	if s == nil {
		s = &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}
	}
	hint := "name"
	if len(ls.title) > 0 {
		hint = ls.title[len(ls.title)-1]
	}
	v := r.gen.Generate(s, fake.Seed(r.seed, "dynamic-title", lk.op.ID, key, strconv.Itoa(i)), hint)
	if t, ok := v.(string); ok && strings.TrimSpace(t) != "" {
		return t
	}
	return fmt.Sprintf("Item %d", i+1)
}

// accepted reports whether v is a value the lookup of d returns for the
// dependent request a (or has returned since the mock started).
func (r *Resolver) accepted(lk *lookup, ls *listSpec, ps map[string]connector.DynamicParam, a Args, target string, v any) (bool, []any) {
	key := argsKey(lk.keys, dependentArgs(ps, a, target))
	vals := r.values(lk, ls, key)
	c := canon(v)
	for _, x := range vals {
		if canon(x) == c {
			return true, vals
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.served[lk.op.ID][c], vals
}
