package create

import (
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// acc accumulates observed JSON values of one place in a body.
type acc struct {
	n, nulls       int
	types          map[string]int
	objects        int
	props          map[string]*acc
	propSeen       map[string]int
	order          []string
	items          *acc
	strs           map[string]int
	strCount       int
	formatMiss     map[string]bool
	minInt, maxInt float64
	example        any
}

const maxDistinct = 12

func newAcc() *acc { return &acc{types: map[string]int{}, formatMiss: map[string]bool{}} }

// add folds one value (from encoding/json) into the accumulator.
func (a *acc) add(v any, depth int) {
	a.n++
	if depth > 64 {
		return
	}
	if a.example == nil && v != nil {
		a.example = v
	}
	switch x := v.(type) {
	case nil:
		a.nulls++
	case bool:
		a.types["boolean"]++
	case float64:
		if x == float64(int64(x)) && !strings.ContainsAny(strconv.FormatFloat(x, 'f', -1, 64), ".e") {
			a.types["integer"]++
			a.minInt, a.maxInt = min(a.minInt, x), max(a.maxInt, x)
		} else {
			a.types["number"]++
		}
	case string:
		a.types["string"]++
		a.strCount++
		if a.strs == nil {
			a.strs = map[string]int{}
		}
		if len(a.strs) <= maxDistinct {
			a.strs[x]++
		}
		for _, f := range formats {
			if !a.formatMiss[f.name] && !f.match(x) {
				a.formatMiss[f.name] = true
			}
		}
	case []any:
		a.types["array"]++
		if a.items == nil {
			a.items = newAcc()
		}
		for i, e := range x {
			if i >= 200 {
				break
			}
			a.items.add(e, depth+1)
		}
	case map[string]any:
		a.types["object"]++
		a.objects++
		if a.props == nil {
			a.props, a.propSeen = map[string]*acc{}, map[string]int{}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := a.props[k]
			if p == nil {
				if len(a.props) >= 500 {
					continue
				}
				p = newAcc()
				a.props[k] = p
				a.order = append(a.order, k)
			}
			a.propSeen[k]++
			p.add(x[k], depth+1)
		}
	}
}

var (
	uuidRE  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	dateRE  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	ipv4RE  = regexp.MustCompile(`^(\d{1,3}\.){3}\d{1,3}$`)
	formats = []struct {
		name  string
		match func(string) bool
	}{
		{"date-time", func(s string) bool { _, err := time.Parse(time.RFC3339Nano, s); return err == nil }},
		{"date", func(s string) bool { return dateRE.MatchString(s) }},
		{"uuid", func(s string) bool { return uuidRE.MatchString(s) }},
		{"email", func(s string) bool {
			a, err := mail.ParseAddress(s)
			return err == nil && a.Address == s && !strings.ContainsAny(s, " <>")
		}},
		{"uri", func(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") }},
		{"ipv4", func(s string) bool { return ipv4RE.MatchString(s) }},
	}
)

// sensitiveKey matches property names whose values never become examples.
var sensitiveKey = regexp.MustCompile(`(?i)(pass(word|wd)?|secret|token|api[-_]?key|authorization|credential|session|cookie|ssn|signature)`)

// schema turns the accumulator into a schema: the type all values share
// (integer and number widen to number; other mixes leave it open), the
// format every string matches, required properties (present in every
// object), nullable when null was seen and an enum for a few repeated
// short strings.
func (a *acc) schema(name string) *openapi3.Schema {
	s := &openapi3.Schema{}
	if a == nil || a.n == 0 {
		return s
	}
	var kinds []string
	for t := range a.types {
		kinds = append(kinds, t)
	}
	sort.Strings(kinds)
	t := ""
	switch {
	case len(kinds) == 1:
		t = kinds[0]
	case len(kinds) == 2 && kinds[0] == "integer" && kinds[1] == "number":
		t = "number"
	}
	if a.nulls > 0 {
		s.Nullable = true
	}
	if t != "" {
		s.Type = &openapi3.Types{t}
	}
	switch t {
	case "string":
		for _, f := range formats {
			if !a.formatMiss[f.name] {
				s.Format = f.name
				break
			}
		}
		if s.Format == "" && len(a.strs) > 0 && len(a.strs) <= 5 && a.strCount >= 4 && a.strCount >= 2*len(a.strs) && !sensitiveKey.MatchString(name) {
			short := true
			for v := range a.strs {
				if len(v) > 32 || v == "" || strings.HasPrefix(v, "REDACTED-") {
					short = false
				}
			}
			if short {
				vals := make([]string, 0, len(a.strs))
				for v := range a.strs {
					vals = append(vals, v)
				}
				sort.Strings(vals)
				for _, v := range vals {
					s.Enum = append(s.Enum, v)
				}
			}
		}
	case "integer":
		if a.maxInt > 2147483647 || a.minInt < -2147483648 {
			s.Format = "int64"
		}
	case "array":
		s.Items = a.items.schema(name).NewRef()
	case "object":
		s.Properties = openapi3.Schemas{}
		for _, k := range a.order {
			s.Properties[k] = a.props[k].schema(k).NewRef()
			if a.propSeen[k] == a.objects {
				s.Required = append(s.Required, k)
			}
		}
		sort.Strings(s.Required)
	}
	return s
}

// redactExample returns v with the values of sensitive keys replaced and
// long arrays cut to three items, for use as a response example.
func redactExample(v any, depth int) any {
	if depth > 32 {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if sensitiveKey.MatchString(k) {
				if _, isStr := e.(string); isStr {
					out[k] = "<redacted>"
					continue
				}
			}
			out[k] = redactExample(e, depth+1)
		}
		return out
	case []any:
		n := min(len(x), 3)
		out := make([]any, 0, n)
		for _, e := range x[:n] {
			out = append(out, redactExample(e, depth+1))
		}
		return out
	case string:
		if strings.HasPrefix(x, "REDACTED-") || strings.HasPrefix(x, "Bearer ") || strings.HasPrefix(x, "Basic ") {
			return "<redacted>"
		}
		return x
	}
	return v
}

// scalarSchema infers the schema of path or query values (always strings
// on the wire).
func scalarSchema(vals []string) *openapi3.Schema {
	if len(vals) == 0 {
		return openapi3.NewStringSchema()
	}
	allInt, allNum, allBool := true, true, true
	for _, v := range vals {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			allInt = false
		}
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			allNum = false
		}
		if v != "true" && v != "false" {
			allBool = false
		}
	}
	switch {
	case allBool:
		return openapi3.NewBoolSchema()
	case allInt:
		return openapi3.NewIntegerSchema()
	case allNum:
		return openapi3.NewFloat64Schema()
	}
	s := openapi3.NewStringSchema()
	a := newAcc()
	for _, v := range vals {
		a.add(v, 0)
	}
	for _, f := range formats {
		if !a.formatMiss[f.name] {
			s.Format = f.name
			break
		}
	}
	return s
}
