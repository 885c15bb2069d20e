package conform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/shape"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// checkBody: a JSON body must fit the response schema.
func (k *Checker) checkBody(op *connector.Operation, key string, resp *openapi3.Response, media string, r Response, add func(contract.Finding)) {
	declaredMedia, ref := BodySchema(resp)
	if ref == nil || len(bytes.TrimSpace(r.Body)) == 0 {
		return
	}
	if !IsJSON(media) && !(media == "" && IsJSON(declaredMedia)) {
		return // only JSON bodies have a structure to check
	}
	v := r.Decoded
	if v == nil {
		if err := UnmarshalRecorded(r.Body, &v); err != nil {
			add(contract.Finding{ID: BodyNotJSON, Level: contract.LevelError, Where: "response.body",
				Message: "the body is not valid JSON: " + err.Error()})
			return
		}
	}
	if ref.Value != nil && shape.IsDynamic(ref.Value) {
		var resolved *openapi3.SchemaRef
		if k.opts.DynamicSchema != nil {
			resolved = k.opts.DynamicSchema(op, key)
		}
		if resolved == nil {
			add(contract.Finding{ID: DynamicUnresolved, Level: contract.LevelInfo, Where: "response.body",
				Message: "the body schema is x-ms-dynamic-schema and no recorded lookup resolves it: checked as an open object"})
			return
		}
		ref = resolved
	}
	fl := k.flatten(ref)
	var ignore func(string) bool
	if k.opts.Ignore != nil || len(k.implied[op.ID]) > 0 {
		ignore = func(p string) bool {
			return k.impliedAt(op, p) || k.opts.Ignore != nil && k.opts.Ignore(op, p)
		}
	}
	for _, is := range Value(fl, v, ignore) {
		add(is)
	}
}

// Value checks a decoded JSON value against a flattened schema and returns
// one finding per distinct problem, with Count when a problem repeats
// across array elements. ignore (optional) skips paths and their subtrees.
func Value(fl *flat, v any, ignore func(string) bool) []contract.Finding {
	w := &valueCheck{fl: fl, ignore: ignore, idx: map[string]int{}}
	w.walk(v, "", "")
	return w.out
}

// CheckValue checks v against a schema (flattened on each call; use a
// Checker to cache).
func CheckValue(ref *openapi3.SchemaRef, v any) []contract.Finding {
	k := &Checker{}
	return Value(k.flatten(ref), v, nil)
}

type valueCheck struct {
	fl     *flat
	ignore func(string) bool
	out    []contract.Finding
	idx    map[string]int
}

func (w *valueCheck) add(f contract.Finding) {
	f.Where = "response.body"
	k := f.ID + "\x00" + f.Field
	if i, ok := w.idx[k]; ok {
		w.out[i].Count++
		return
	}
	f.Count = 1
	w.idx[k] = len(w.out)
	w.out = append(w.out, f)
}

// typeFits reports whether a value of JSON type t fits the declared types.
func typeFits(t string, declared []string) bool {
	for _, d := range declared {
		if d == t || d == shape.TypeNumber && t == shape.TypeInteger {
			return true
		}
	}
	return false
}

func enumHas(n *shape.Node, v any) bool {
	b, _ := json.Marshal(v)
	s := string(b)
	alt, _ := json.Marshal(fmt.Sprint(v)) // string enums on booleans and numbers
	for _, e := range n.Enum {
		if e == s || e == string(alt) {
			return true
		}
	}
	return false
}

func (w *valueCheck) walk(v any, vpath, spath string) {
	if w.ignore != nil && w.ignore(vpath) {
		return
	}
	n := w.fl.sh[spath]
	if n == nil || n.Dynamic || n.Recursive || isPlaceholder(v) {
		return
	}
	t := shape.ValueType(v)
	if t == shape.TypeNull {
		if len(n.Types) > 0 && !n.Nullable && !n.HasType(shape.TypeNull) {
			w.add(contract.Finding{ID: BodyNullNotAllowed, Level: contract.LevelWarning, Field: shape.Display(vpath), Old: n.TypeString(), New: "null",
				Message: fmt.Sprintf("%s is null but the schema says %s and is not nullable", shape.Display(vpath), n.TypeString())})
		}
		return
	}
	if len(n.Types) > 0 && !typeFits(t, n.Types) {
		w.add(contract.Finding{ID: BodyTypeMismatch, Level: contract.LevelError, Field: shape.Display(vpath), Old: n.TypeString(), New: t,
			Message: fmt.Sprintf("%s is %s, the schema says %s", shape.Display(vpath), t, n.TypeString())})
		return
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			vp := shape.Child(vpath, key)
			sp := shape.Child(spath, key)
			if w.fl.sh[sp] == nil {
				sp = shape.Additional(spath)
			}
			if w.fl.sh[sp] == nil {
				if w.ignore != nil && w.ignore(vp) {
					continue
				}
				switch {
				case n.Closed:
					w.add(contract.Finding{ID: BodyFieldNotAllowed, Level: contract.LevelError, Field: shape.Display(vp),
						Message: fmt.Sprintf("%s is not allowed: the schema sets additionalProperties false", shape.Display(vp))})
				case !n.Open:
					w.add(contract.Finding{ID: BodyFieldUndocumented, Level: contract.LevelInfo, Field: shape.Display(vp), New: shape.ValueType(x[key]),
						Message: fmt.Sprintf("%s is not in the schema", shape.Display(vp))})
				}
				continue
			}
			w.walk(x[key], vp, sp)
		}
		for _, cp := range w.fl.children[spath] {
			c := w.fl.sh[cp]
			_, name := shape.Parent(cp)
			if !c.Required || c.WriteOnly {
				continue
			}
			if _, ok := x[name]; ok {
				continue
			}
			vp := shape.Child(vpath, name)
			if w.ignore != nil && w.ignore(vp) {
				continue
			}
			w.add(contract.Finding{ID: BodyRequiredMissing, Level: contract.LevelError, Field: shape.Display(vp), Old: c.TypeString(),
				Message: fmt.Sprintf("required field %s is missing", shape.Display(vp))})
		}
	case []any:
		for _, e := range x {
			w.walk(e, shape.Items(vpath), shape.Items(spath))
		}
	default:
		if len(n.Enum) > 0 && !enumHas(n, v) {
			b, _ := json.Marshal(v)
			w.add(contract.Finding{ID: BodyEnumViolation, Level: contract.LevelWarning, Field: shape.Display(vpath),
				Old: strings.Join(n.Enum, ","), New: string(b),
				Message: fmt.Sprintf("%s is %s, not one of the declared values %s", shape.Display(vpath), b, strings.Join(n.Enum, ", "))})
		}
	}
}

// SchemaFromLookup reads the schema a dynamic-schema lookup operation
// returned: the JSON at valuePath ("schema", "a/b") of its body.
func SchemaFromLookup(body []byte, valuePath string) *openapi3.SchemaRef {
	var v any
	if UnmarshalRecorded(body, &v) != nil {
		return nil
	}
	for _, seg := range strings.FieldsFunc(valuePath, func(r rune) bool { return r == '/' || r == '.' }) {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[seg]
	}
	if v == nil {
		return nil
	}
	v = dropRedactedKeywords(v)
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	s := &openapi3.Schema{}
	if err := json.Unmarshal(b, s); err != nil {
		return nil
	}
	return &openapi3.SchemaRef{Value: s}
}

// dropRedactedKeywords removes the schema keywords of a recorded lookup
// answer whose value the scrub redacted: a secret whose text was "string"
// turns every "type": "string" into a placeholder (Meisterplan), and the
// schema would demand a type named REDACTED-…. Without the keyword the
// value is unconstrained there, which is what the recording can vouch for.
func dropRedactedKeywords(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			switch k {
			case "type", "format", "pattern", "enum":
				if containsPlaceholder(e) {
					delete(x, k)
					continue
				}
			}
			x[k] = dropRedactedKeywords(e)
		}
	case []any:
		for i, e := range x {
			x[i] = dropRedactedKeywords(e)
		}
	}
	return v
}

func containsPlaceholder(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, recordings.PlaceholderPrefix)
	case []any:
		for _, e := range x {
			if containsPlaceholder(e) {
				return true
			}
		}
	}
	return false
}
