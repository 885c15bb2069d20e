package trigger

import (
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/getkin/kin-openapi/openapi3"
)

// successResponse returns the status and JSON schema of the lowest declared
// 2xx response (or "default" when there is none). The schema is nil when the
// response has no body schema.
func successResponse(op *connector.Operation) (int, *openapi3.SchemaRef) {
	if op == nil || op.Op == nil || op.Op.Responses == nil {
		return 200, nil
	}
	codes := make([]int, 0, 4)
	byCode := map[int]*openapi3.ResponseRef{}
	for k, r := range op.Op.Responses.Map() {
		n, err := strconv.Atoi(k)
		if err != nil {
			if strings.EqualFold(k, "2XX") {
				n = 200
			} else {
				continue
			}
		}
		if n >= 200 && n < 300 {
			codes = append(codes, n)
			byCode[n] = r
		}
	}
	sort.Ints(codes)
	if len(codes) == 0 {
		if d := op.Op.Responses.Default(); d != nil {
			return 200, responseSchema(d)
		}
		return 200, nil
	}
	return codes[0], responseSchema(byCode[codes[0]])
}

func responseSchema(r *openapi3.ResponseRef) *openapi3.SchemaRef {
	if r == nil || r.Value == nil {
		return nil
	}
	return mediaSchema(r.Value.Content)
}

// mediaSchema prefers application/json, then any JSON type, then the first
// media type in name order.
func mediaSchema(content openapi3.Content) *openapi3.SchemaRef {
	if len(content) == 0 {
		return nil
	}
	if mt := content["application/json"]; mt != nil && mt.Schema != nil {
		return mt.Schema
	}
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.Contains(k, "json") && content[k].Schema != nil {
			return content[k].Schema
		}
	}
	for _, k := range keys {
		if content[k].Schema != nil {
			return content[k].Schema
		}
	}
	return nil
}

// schemaAt walks property names from sr.
func schemaAt(sr *openapi3.SchemaRef, path []string) *openapi3.SchemaRef {
	for _, seg := range path {
		if sr == nil || sr.Value == nil {
			return nil
		}
		sr = fake.Property(sr.Value, seg)
	}
	return sr
}

// collectionPrefs are the property names list envelopes use most.
var collectionPrefs = []string{"value", "items", "data", "results", "records", "entries", "list", "rows", "events"}

// findCollection locates the array of items in a response schema: the root
// when it is an array, else a preferred or the first array property.
func findCollection(sr *openapi3.SchemaRef) ([]string, bool) {
	if sr == nil || sr.Value == nil {
		return nil, false
	}
	if fake.IsType(sr, "array") {
		return []string{}, true
	}
	for _, name := range collectionPrefs {
		if p := fake.Property(sr.Value, name); fake.IsType(p, "array") {
			return []string{name}, true
		}
	}
	names := make([]string, 0, len(sr.Value.Properties))
	for k := range sr.Value.Properties {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, n := range names {
		if fake.IsType(sr.Value.Properties[n], "array") {
			return []string{n}, true
		}
	}
	return nil, false
}

// getPath reads a value below v along path (map keys; arrays are not
// traversed).
func getPath(v any, path []string) (any, bool) {
	for _, seg := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		v, ok = m[seg]
		if !ok {
			return nil, false
		}
	}
	return v, true
}

// setPath stores x at path below v, creating objects on the way, and
// returns the (possibly new) root.
func setPath(v any, path []string, x any) any {
	if len(path) == 0 {
		return x
	}
	m, ok := v.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[path[0]] = setPath(m[path[0]], path[1:], x)
	return m
}
