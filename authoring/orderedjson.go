package authoring

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// Key orders for the files we write, so that a maker finds the usual
// layout: the top of a definition first, an operation's summary before
// its parameters.
var (
	rootOrder = []string{"swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths", "definitions",
		"parameters", "responses", "securityDefinitions", "security", "tags"}
	infoOrder = []string{"title", "description", "version", "contact", "license", "termsOfService"}
	opOrder   = []string{"summary", "description", "operationId", "x-ms-visibility", "x-ms-trigger", "tags", "consumes", "produces",
		"parameters", "responses", "deprecated"}
	itemOrder = []string{"templateId", "name", "in", "required", "type", "format", "x-ms-summary", "description", "title", "x-ms-visibility",
		"default", "enum", "items", "properties", "schema"}
	propsOrder = []string{"connectionParameters", "connectionParameterSets", "iconBrandColor", "capabilities", "publisher",
		"stackOwner", "policyTemplateInstances"}
	// mapKeys hold names chosen by the author, sorted.
	mapKeys = map[string]bool{"paths": true, "definitions": true, "properties": true, "responses": true, "securityDefinitions": true,
		"scopes": true, "connectionParameters": true, "headers": true, "examples": true, "customParameters": true}
)

// marshalOrdered writes v (from encoding/json) with two-space indent and
// the key orders above.
func marshalOrdered(v any) []byte {
	var b bytes.Buffer
	writeOrdered(&b, v, nil, "")
	b.WriteByte('\n')
	return b.Bytes()
}

func orderFor(path []string) []string {
	n := len(path)
	switch {
	case n == 0:
		return rootOrder
	case n == 1 && path[0] == "info":
		return infoOrder
	case n == 3 && path[0] == "paths":
		return opOrder
	case n == 1 && path[0] == "properties":
		return propsOrder
	}
	return itemOrder
}

func writeOrdered(b *bytes.Buffer, v any, path []string, indent string) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		isMap := len(path) > 0 && mapKeys[path[len(path)-1]] && !(len(path) == 1 && path[0] == "properties")
		if isMap {
			sort.Strings(keys)
		} else {
			rank := map[string]int{}
			for i, k := range orderFor(path) {
				rank[k] = i + 1
			}
			sort.Slice(keys, func(i, j int) bool {
				ri, rj := rank[keys[i]], rank[keys[j]]
				if ri == 0 {
					ri = 1000
				}
				if rj == 0 {
					rj = 1000
				}
				if ri != rj {
					return ri < rj
				}
				return keys[i] < keys[j]
			})
		}
		b.WriteString("{\n")
		in := indent + "  "
		for i, k := range keys {
			b.WriteString(in)
			kb, _ := marshalNoHTML(k)
			b.Write(kb)
			b.WriteString(": ")
			writeOrdered(b, x[k], append(path[:len(path):len(path)], k), in)
			if i < len(keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		scalar := true
		for _, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				scalar = false
			}
		}
		if scalar && len(x) <= 8 {
			b.WriteByte('[')
			for i, e := range x {
				if i > 0 {
					b.WriteString(", ")
				}
				eb, _ := marshalNoHTML(e)
				b.Write(eb)
			}
			b.WriteByte(']')
			return
		}
		b.WriteString("[\n")
		in := indent + "  "
		for i, e := range x {
			b.WriteString(in)
			writeOrdered(b, e, append(path[:len(path):len(path)], "[]"), in)
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	default:
		eb, _ := marshalNoHTML(x)
		b.Write(eb)
	}
}

func marshalNoHTML(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// toGeneric turns anything encoding/json can marshal into map/slice form.
func toGeneric(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

func titleCase(s string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = nil
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.' || r == '/' || r == '$' || r == '@' || r == '[' || r == ']':
			flush()
		case r >= 'A' && r <= 'Z' && i > 0 && (rs[i-1] >= 'a' && rs[i-1] <= 'z' || i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z' && rs[i-1] >= 'A' && rs[i-1] <= 'Z'):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	for i, w := range words {
		if strings.ToUpper(w) == w && len(w) > 1 {
			continue // keep acronyms: ID, URL
		}
		if acronyms[strings.ToLower(w)] {
			words[i] = strings.ToUpper(w)
			continue
		}
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

var acronyms = map[string]bool{"id": true, "url": true, "uri": true, "api": true, "ip": true, "html": true, "json": true, "xml": true, "csv": true, "pdf": true, "sku": true, "utc": true}
