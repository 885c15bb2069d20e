package override

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
)

// BodyProblem is one place where a custom body breaks the operation's
// response schema: Pointer is the JSON pointer ("" the whole body).
type BodyProblem struct {
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

// ResponseSchema is the JSON schema the operation declares for status
// (the exact code, then NXX, then default; 0 is the first 2xx), nil when
// it declares none.
func ResponseSchema(op *connector.Operation, status int) *openapi3.Schema {
	if op == nil || op.Op == nil || op.Op.Responses == nil {
		return nil
	}
	m := op.Op.Responses.Map()
	if status == 0 {
		codes := make([]string, 0, len(m))
		for code := range m {
			if strings.HasPrefix(code, "2") {
				codes = append(codes, code)
			}
		}
		sort.Strings(codes)
		if len(codes) == 0 {
			return nil
		}
		status, _ = strconv.Atoi(codes[0])
	}
	want := strconv.Itoa(status)
	var r *openapi3.ResponseRef
	for _, k := range []string{want, want[:1] + "XX", want[:1] + "xx", "default"} {
		if r = m[k]; r != nil {
			break
		}
	}
	if r == nil || r.Value == nil {
		return nil
	}
	for mt, media := range r.Value.Content {
		if strings.Contains(strings.ToLower(mt), "json") && media.Schema != nil && media.Schema.Value != nil {
			return media.Schema.Value
		}
	}
	for _, media := range r.Value.Content {
		if media.Schema != nil && media.Schema.Value != nil {
			return media.Schema.Value
		}
	}
	return nil
}

type anyRegex struct{}

func (anyRegex) MatchString(string) bool { return true }

// CheckBody checks a custom body against the response schema the
// operation declares for status: nil when it conforms (or nothing is
// declared), else each problem with its JSON pointer. A body that is not
// JSON is one problem at "".
func CheckBody(op *connector.Operation, status int, body []byte) []BodyProblem {
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return []BodyProblem{{Pointer: "", Message: "not JSON: " + err.Error()}}
	}
	s := ResponseSchema(op, status)
	if s == nil {
		return nil
	}
	err := visit(s, doc)
	if err == nil {
		return nil
	}
	var out []BodyProblem
	collect(err, &out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return out
}

func visit(s *openapi3.Schema, doc any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the schema could not be checked: %v", r)
		}
	}()
	compile := func(expr string) (openapi3.RegexMatcher, error) {
		re, err := regexp.Compile(expr)
		if err != nil {
			return anyRegex{}, nil
		}
		return re, nil
	}
	return s.VisitJSON(doc, openapi3.MultiErrors(), openapi3.VisitAsResponse(), openapi3.SetSchemaRegexCompiler(compile))
}

func collect(err error, out *[]BodyProblem) {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			collect(e, out)
		}
		return
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		msg := se.Reason
		if msg == "" {
			msg = se.Error()
		}
		*out = append(*out, BodyProblem{Pointer: mock.SchemaErrorPointer(se), Message: msg})
		return
	}
	*out = append(*out, BodyProblem{Message: err.Error()})
}

// Outline is a schema reduced to what an editor's completion needs:
// types, properties (with required marks), items, enum values and
// descriptions, references resolved, cycles cut at depth 8.
type Outline struct {
	Type        string              `json:"type,omitempty"`
	Description string              `json:"description,omitempty"`
	Properties  map[string]*Outline `json:"properties,omitempty"`
	Required    []string            `json:"required,omitempty"`
	Items       *Outline            `json:"items,omitempty"`
	Enum        []any               `json:"enum,omitempty"`
}

// SchemaOutline returns the outline of s (nil for nil).
func SchemaOutline(s *openapi3.Schema) *Outline { return outline(s, 0) }

func outline(s *openapi3.Schema, depth int) *Outline {
	if s == nil || depth > 8 {
		return nil
	}
	o := &Outline{Description: s.Description, Enum: s.Enum, Required: s.Required}
	if s.Type != nil && len(*s.Type) > 0 {
		o.Type = (*s.Type)[0]
	}
	if s.Title != "" && o.Description == "" {
		o.Description = s.Title
	}
	merge := func(sub *openapi3.Schema) {
		if so := outline(sub, depth+1); so != nil {
			if o.Type == "" {
				o.Type = so.Type
			}
			for k, v := range so.Properties {
				if o.Properties == nil {
					o.Properties = map[string]*Outline{}
				}
				o.Properties[k] = v
			}
			o.Required = append(o.Required, so.Required...)
			if o.Items == nil {
				o.Items = so.Items
			}
		}
	}
	for _, sub := range s.AllOf {
		if sub != nil {
			merge(sub.Value)
		}
	}
	for k, p := range s.Properties {
		if p == nil || p.Value == nil {
			continue
		}
		if o.Properties == nil {
			o.Properties = map[string]*Outline{}
		}
		if po := outline(p.Value, depth+1); po != nil {
			o.Properties[k] = po
		} else {
			o.Properties[k] = &Outline{}
		}
	}
	if len(o.Properties) > 0 && o.Type == "" {
		o.Type = "object"
	}
	if s.Items != nil && s.Items.Value != nil {
		o.Items = outline(s.Items.Value, depth+1)
		if o.Type == "" {
			o.Type = "array"
		}
	}
	return o
}
