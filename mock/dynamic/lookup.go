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
	vals, key := lk.args(lk.lookupArgs(a))
	if body == nil {
		_, s := successResponse(op)
		if s != nil {
			body = r.gen.Generate(s, fake.Seed(r.seed, "lookup", op.ID, key), "")
		}
	}
	var notes []recordings.Note
	body = r.fillLists(lk, key, body)
	if len(lk.lists) > 0 {
		notes = append(notes, recordings.Note{ID: "dynamic-values", Level: "info",
			Message: fmt.Sprintf("lookup for dynamic values (%s)", describeArgs(key))})
	}
	for _, ss := range lk.schemas {
		res := r.resolve(lk, ss, key, vals)
		if len(ss.at) == 0 {
			body = res.raw
		} else {
			body = SetPath(body, ss.at, res.raw)
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

// fillLists makes sure body carries the collection of every list of lk,
// with items holding the values for key. Items the mock made from the
// declared response keep their other fields. Where several lists share a
// collection, titles are set first and values last, so a field one
// reference reads as its value is never overwritten by another's title.
func (r *Resolver) fillLists(lk *lookup, key string, body any) any {
	var order []string
	groups := map[string][]*listSpec{}
	for _, ls := range lk.lists {
		c := strings.Join(ls.collection, "/")
		if groups[c] == nil {
			order = append(order, c)
		}
		groups[c] = append(groups[c], ls)
	}
	for _, c := range order {
		specs := groups[c]
		coll := specs[0].collection
		var existing []any
		if len(coll) == 0 {
			existing, _ = body.([]any)
		} else if v, ok := getPath(body, coll); ok {
			existing, _ = v.([]any)
		}
		vals := make([][]any, len(specs))
		isValue := map[string]bool{}
		n := 0
		for si, ls := range specs {
			vals[si] = r.values(lk, ls, key)
			n = max(n, len(vals[si]))
			isValue[strings.Join(ls.value, "/")] = true
		}
		items := make([]any, 0, n)
		if len(specs[0].value) == 0 {
			// A list of plain values: each item is its value and title.
			items = append(items, vals[0]...)
			r.remember(lk.op.ID, items, nil)
			if len(coll) == 0 {
				body = items
			} else {
				body = SetPath(body, coll, items)
			}
			continue
		}
		for i := 0; i < n; i++ {
			var it any
			if i < len(existing) {
				it = existing[i]
			} else if specs[0].itemShape != nil {
				it = r.gen.Generate(specs[0].itemShape, fake.Seed(r.seed, "lookup-item", lk.op.ID, key, strconv.Itoa(i)), "")
			}
			m, ok := it.(map[string]any)
			if !ok {
				m = map[string]any{}
			}
			for _, ls := range specs {
				for _, t := range ls.titles {
					if !isValue[strings.Join(t, "/")] {
						m = SetPath(m, t, r.title(lk, ls, t, key, i)).(map[string]any)
					}
				}
				if len(ls.parent) > 0 && !isValue[strings.Join(ls.parent, "/")] {
					m = SetPath(m, ls.parent, asType(i%2 == 0, ls.parentField)).(map[string]any)
				}
			}
			for si, ls := range specs {
				m = SetPath(m, ls.value, vals[si][i%len(vals[si])]).(map[string]any)
			}
			items = append(items, m)
		}
		for _, ls := range specs {
			r.remember(lk.op.ID, items, ls.value)
		}
		if len(coll) == 0 {
			body = items
		} else {
			body = SetPath(body, coll, items)
		}
	}
	return body
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
// parameters: 3 to 5, distinct, deterministic, each both a valid value of
// the lookup item's field (as the lookup answers it) and one every
// dependent target accepts once converted to its type (a numeric id for an
// integer parameter, a member of the parameter's enum). When no value can
// satisfy everything, the dependents win: they are what the value is for.
func (r *Resolver) values(lk *lookup, ls *listSpec, key string) []any {
	ck := lk.op.ID + "\x00" + ls.key() + "\x00" + key
	r.mu.Lock()
	cached, ok := r.vcache[ck]
	r.mu.Unlock()
	if ok {
		return cached
	}
	out := r.makeValues(lk, ls, key)
	r.mu.Lock()
	if len(r.vcache) >= maxServed {
		r.vcache = map[string][]any{}
	}
	r.vcache[ck] = out
	r.mu.Unlock()
	return out
}

// makeValues computes values; see values (which caches them: they are a
// function of the seed, the spec and the key). Candidates come from the
// enumerations of the dependents and the field, then from generating each
// dependent's shape and the field's; each is scored by how many of the
// dependents and the field it satisfies, and the best-scoring ones win —
// all of them satisfy everything whenever that is possible.
func (r *Resolver) makeValues(lk *lookup, ls *listSpec, key string) []any {
	n := 3 + int(fake.Seed(r.seed, "dynamic-count", lk.op.ID, key)%3)
	type cand struct {
		v     any
		score int
		enum  bool
	}
	var cands []cand
	seen := map[string]bool{}
	add := func(v any, enum bool) {
		v = asType(v, ls.field)
		c := canon(v)
		if v == nil || c == "" || seen[c] {
			return
		}
		seen[c] = true
		score := 0
		for _, d := range ls.deps {
			if fitsDependent(d, v) {
				score++
			}
		}
		if fits(ls.field, v, false) {
			score++
		}
		cands = append(cands, cand{v, score, enum})
	}
	shapes := make([]*openapi3.SchemaRef, 0, len(ls.deps)+2)
	for _, d := range ls.deps {
		for i := 0; i < 4 && fake.IsType(d, "array") && d.Value.Items != nil; i++ {
			d = d.Value.Items
		}
		shapes = append(shapes, d)
	}
	shapes = append(shapes, ls.field)
	// Enumerations first: where there is one it is the whole set.
	enums := false
	for _, s := range shapes {
		if s != nil && s.Value != nil && len(s.Value.Enum) > 0 {
			enums = true
			for _, e := range s.Value.Enum {
				add(e, true)
			}
		}
	}
	hint := "id"
	if len(ls.value) > 0 {
		hint = ls.value[len(ls.value)-1]
	}
	for si, s := range append(shapes, &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}) {
		if s == nil || s.Value == nil || len(s.Value.Enum) > 0 {
			continue
		}
		if fake.IsType(s, "boolean") {
			add(true, false)
			add(false, false)
			continue
		}
		for i := 0; i < 3*n; i++ {
			add(r.gen.Generate(s, fake.Seed(r.seed, "dynamic-value", lk.op.ID, strings.Join(ls.value, "/"), key, strconv.Itoa(si), strconv.Itoa(i)), hint), false)
		}
	}
	best := -1
	for _, c := range cands {
		best = max(best, c.score)
	}
	full := len(ls.deps) + 1
	out := make([]any, 0, n)
	for _, c := range cands {
		// With a satisfiable enumeration, only its members: a dependent
		// with an enum takes nothing else.
		if c.score == best && (best < full || !enums || c.enum) && len(out) < n {
			out = append(out, c.v)
		}
	}
	// Nothing at all (contradictory schemas): numbered values.
	for i := 1; len(out) < 3 && best <= 0; i++ {
		out = append(out, asType(strconv.Itoa(1000+i), ls.field))
	}
	return out
}

func (r *Resolver) title(lk *lookup, ls *listSpec, path []string, key string, i int) any {
	s := schemaAt(ls.itemShape, path)
	hint := "name"
	if len(path) > 0 {
		hint = path[len(path)-1]
	}
	// A list of projects shows project names, whatever the field is called.
	hint = fake.TitleHint(lk.op.ID, hint)
	seed := fake.Seed(r.seed, "dynamic-title", lk.op.ID, strings.Join(path, "/"), key, strconv.Itoa(i))
	if s == nil || s.Value == nil || s.Value.Type == nil || len(*s.Value.Type) == 0 || s.Value.Type.Is("string") && len(s.Value.Enum) == 0 {
		str := &openapi3.SchemaRef{Value: openapi3.NewStringSchema()}
		if fake.IsType(s, "string") {
			str = s
		}
		if t, ok := r.gen.Generate(str, seed, hint).(string); ok && strings.TrimSpace(t) != "" {
			return t
		}
		return fmt.Sprintf("Item %d", i+1)
	}
	return r.gen.Generate(s, seed, hint)
}

// accepted reports whether v is a value the lookup of d returns for the
// dependent request a (or has returned since the mock started).
func (r *Resolver) accepted(lk *lookup, ls *listSpec, ps map[string]connector.DynamicParam, a Args, target string, v any) (bool, []any) {
	_, key := lk.args(dependentArgs(ps, a, target))
	vals := r.values(lk, ls, key)
	c := canon(v)
	for _, x := range vals {
		if canon(x) == c {
			return true, vals
		}
	}
	r.mu.Lock()
	ok := r.served[lk.op.ID][c]
	r.mu.Unlock()
	if !ok && r.stored != nil {
		for _, it := range r.stored(lk.op) {
			if x, found := getPath(it, ls.value); found && canon(x) == c {
				return true, vals
			}
		}
	}
	return ok, vals
}
