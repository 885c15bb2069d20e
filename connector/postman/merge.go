package postman

import (
	"reflect"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

func paramKey(p *openapi3.Parameter) string {
	if p.In == openapi3.ParameterInHeader {
		return p.In + ":" + strings.ToLower(p.Name)
	}
	return p.In + ":" + p.Name
}

// mergeOperation folds src, converted from another request with the same
// method and path, into the operation described by dst. Parameters, body
// media types and responses that only one side has are kept, as optional
// where that matters; first-seen values win on conflicts.
func (c *converter) mergeOperation(dst *opInfo, src *openapi3.Operation, srcName string, srcSynthetic bool) {
	op := dst.op
	if op.Description == "" {
		op.Description = src.Description
	}
	for _, t := range src.Tags {
		if !slices.Contains(op.Tags, t) {
			op.Tags = append(op.Tags, t)
		}
	}

	// Parameters.
	srcParams := map[string]*openapi3.Parameter{}
	for _, r := range src.Parameters {
		srcParams[paramKey(r.Value)] = r.Value
	}
	dstParams := map[string]bool{}
	for _, r := range op.Parameters {
		p := r.Value
		k := paramKey(p)
		dstParams[k] = true
		sp, ok := srcParams[k]
		switch {
		case !ok && p.In != openapi3.ParameterInPath:
			p.Required = false
		case ok:
			p.Required = p.Required && sp.Required
			if p.Example == nil {
				p.Example = sp.Example
			}
			if p.Description == "" {
				p.Description = sp.Description
			}
		}
	}
	for _, r := range src.Parameters {
		if dstParams[paramKey(r.Value)] {
			continue
		}
		if r.Value.In != openapi3.ParameterInPath {
			r.Value.Required = false
		}
		op.Parameters = append(op.Parameters, r)
	}

	// Request body.
	switch {
	case op.RequestBody == nil && src.RequestBody != nil:
		src.RequestBody.Value.Required = false
		op.RequestBody = src.RequestBody
	case op.RequestBody != nil && src.RequestBody == nil:
		op.RequestBody.Value.Required = false
	case op.RequestBody != nil && src.RequestBody != nil:
		dc, sc := op.RequestBody.Value.Content, src.RequestBody.Value.Content
		for mt, sm := range sc {
			dm, ok := dc[mt]
			if !ok {
				dc[mt] = sm
				continue
			}
			mergeRequestMedia(dm, sm, dst.name, srcName)
		}
	}

	// Responses.
	switch {
	case srcSynthetic:
	case dst.synthetic:
		op.Responses = src.Responses
		dst.synthetic = false
	default:
		for _, code := range src.Responses.Keys() {
			sr := src.Responses.Value(code)
			dr := op.Responses.Value(code)
			if dr == nil {
				op.Responses.Set(code, sr)
				continue
			}
			mergeResponse(dr.Value, sr.Value)
		}
	}
}

// mergeRequestMedia merges the schemas of two request examples and keeps
// both examples, named after their requests, when they differ.
func mergeRequestMedia(dm, sm *openapi3.MediaType, dstName, srcName string) {
	if dm.Schema != nil && sm.Schema != nil {
		dm.Schema = mergeSchemas(dm.Schema.Value, sm.Schema.Value).NewRef()
	}
	if sm.Example == nil || reflect.DeepEqual(dm.Example, sm.Example) {
		return
	}
	if dm.Example == nil && dm.Examples == nil {
		dm.Example = sm.Example
		return
	}
	if dm.Examples == nil {
		dm.Examples = openapi3.Examples{uniqueKey(openapi3.Examples{}, nonEmpty(dstName, "example")): {Value: openapi3.NewExample(dm.Example)}}
		dm.Example = nil
	}
	dm.Examples[uniqueKey(dm.Examples, nonEmpty(srcName, "example"))] = &openapi3.ExampleRef{Value: openapi3.NewExample(sm.Example)}
}

func mergeResponse(dr, sr *openapi3.Response) {
	for name, h := range sr.Headers {
		if dr.Headers == nil {
			dr.Headers = openapi3.Headers{}
		}
		if _, ok := dr.Headers[name]; !ok {
			dr.Headers[name] = h
		}
	}
	for mt, sm := range sr.Content {
		if dr.Content == nil {
			dr.Content = openapi3.Content{}
		}
		dm, ok := dr.Content[mt]
		if !ok {
			dr.Content[mt] = sm
			continue
		}
		if dm.Schema != nil && sm.Schema != nil {
			dm.Schema = mergeSchemas(dm.Schema.Value, sm.Schema.Value).NewRef()
		}
		for _, name := range sortedKeys(sm.Examples) {
			if dm.Examples == nil {
				dm.Examples = openapi3.Examples{}
			}
			dm.Examples[uniqueKey(dm.Examples, name)] = sm.Examples[name]
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func nonEmpty(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
