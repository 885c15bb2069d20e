package app

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
)

// ConnectorView is a loaded connector as the Connectors screen shows it.
type ConnectorView struct {
	Path       string                `json:"path"`
	Name       string                `json:"name"`
	Format     string                `json:"format"`
	Files      connector.Files       `json:"files"`
	Host       string                `json:"host,omitempty"`
	BasePath   string                `json:"basePath,omitempty"`
	Schemes    []string              `json:"schemes,omitempty"`
	Publisher  string                `json:"publisher,omitempty"`
	Auth       connector.Auth        `json:"auth"`
	Policies   []connector.Policy    `json:"policies"`
	CustomCode *connector.CustomCode `json:"customCode,omitempty"`
	// Groups are the operations the way the maker portal lists them:
	// Actions, Triggers, then References (lookup operations behind
	// dynamic values), each in definition order.
	Groups     []OperationGroup `json:"groups"`
	Operations int              `json:"operations"`
	Findings   []FindingView    `json:"findings"`
	Counts     map[string]int   `json:"counts"`
	LoadMillis int64            `json:"loadMillis"`
}

// OperationGroup is one titled section of the operations list.
type OperationGroup struct {
	Title      string          `json:"title"`
	Operations []OperationView `json:"operations"`
}

// OperationView is one operation with what the Try-it form needs.
type OperationView struct {
	ID          string           `json:"id"`
	Method      string           `json:"method"`
	Path        string           `json:"path"`
	Summary     string           `json:"summary,omitempty"`
	Description string           `json:"description,omitempty"`
	Visibility  string           `json:"visibility,omitempty"`
	Deprecated  bool             `json:"deprecated,omitempty"`
	Trigger     *TriggerView     `json:"trigger,omitempty"`
	Dynamic     []DynamicRefView `json:"dynamic,omitempty"`
	Pageable    bool             `json:"pageable,omitempty"`
	CustomCode  bool             `json:"customCode,omitempty"`
	Parameters  []ParamView      `json:"parameters"`
	// Body is set when the operation takes a JSON body: a generated
	// example to start editing from, and whether it is required.
	Body *BodyView `json:"body,omitempty"`
	// ReferencedBy lists operations whose dynamic values call this one.
	ReferencedBy []string `json:"referencedBy,omitempty"`
}

// TriggerView is x-ms-trigger in short.
type TriggerView struct {
	Kind        string `json:"kind"`
	Cardinality string `json:"cardinality,omitempty"`
	// Callback names where a webhook's subscription carries its callback
	// URL, e.g. "body:notificationUrl".
	Callback string `json:"callback,omitempty"`
}

// DynamicRefView is one x-ms-dynamic-* reference.
type DynamicRefView struct {
	Kind        string `json:"kind"`
	Target      string `json:"target"`
	OperationID string `json:"operationId,omitempty"`
	// Parameters maps lookup parameter names to where their value comes
	// from: "literal:x" or "param:name".
	Parameters      map[string]string `json:"parameters,omitempty"`
	ValueCollection string            `json:"valueCollection,omitempty"`
	ValuePath       string            `json:"valuePath,omitempty"`
	ValueTitle      string            `json:"valueTitle,omitempty"`
}

// ParamView is one parameter of an operation.
type ParamView struct {
	Name        string `json:"name"`
	In          string `json:"in"`
	Label       string `json:"label,omitempty"` // x-ms-summary
	Description string `json:"description,omitempty"`
	Required    bool   `json:"required,omitempty"`
	Type        string `json:"type,omitempty"`
	Format      string `json:"format,omitempty"`
	Enum        []any  `json:"enum,omitempty"`
	Default     any    `json:"default,omitempty"`
	Visibility  string `json:"visibility,omitempty"`
	// Dynamic is the lookup that fills this parameter's dropdown.
	Dynamic *DynamicRefView `json:"dynamic,omitempty"`
}

// BodyView describes an operation's JSON request body.
type BodyView struct {
	ContentType string `json:"contentType"`
	Required    bool   `json:"required,omitempty"`
	Example     string `json:"example"`
}

// FindingView is a lint or load finding with its location rendered.
type FindingView struct {
	ID       string `json:"id"`
	Level    string `json:"level"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"col,omitempty"`
	Pointer  string `json:"pointer,omitempty"`
	Location string `json:"location"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

func findingViews(fs []connector.Finding) ([]FindingView, map[string]int) {
	out := make([]FindingView, 0, len(fs))
	counts := map[string]int{"error": 0, "warning": 0, "info": 0}
	for _, f := range fs {
		counts[f.Level.String()]++
		out = append(out, FindingView{
			ID: f.ID, Level: f.Level.String(), File: f.File, Line: f.Line, Col: f.Col,
			Pointer: f.Pointer, Location: f.Location(), Message: f.Message, Fix: f.Fix,
		})
	}
	// Errors first, then warnings, then info; stable within a level.
	sort.SliceStable(out, func(i, j int) bool { return levelRank(out[i].Level) > levelRank(out[j].Level) })
	return out, counts
}

// levelRank orders finding levels (error > warning > info > anything else).
func levelRank(l string) int {
	lv, err := connector.ParseLevel(l)
	if err != nil {
		return 0
	}
	return int(lv)
}

// connectorView builds the view of c. findings are the lint results.
func connectorView(path string, c *connector.Connector, findings []connector.Finding) ConnectorView {
	v := ConnectorView{
		Path: path, Name: c.Name, Format: string(c.Format), Files: c.Files,
		Host: c.Host, BasePath: c.BasePath, Schemes: c.Schemes, Publisher: c.Publisher,
		Auth: c.Auth, Policies: c.Policies, CustomCode: c.CustomCode,
		Operations: len(c.Operations),
	}
	if v.Policies == nil {
		v.Policies = []connector.Policy{}
	}
	v.Findings, v.Counts = findingViews(findings)

	referenced := map[string][]string{}
	for _, o := range c.Operations {
		for _, d := range o.Dynamic {
			if d.OperationID != "" && !contains(referenced[d.OperationID], o.ID) {
				referenced[d.OperationID] = append(referenced[d.OperationID], o.ID)
			}
		}
	}
	gen := fake.New(fake.Options{Direction: fake.Request, MaxItems: 1})
	var actions, triggers, refs []OperationView
	for _, o := range c.Operations {
		ov := operationView(o, gen)
		ov.ReferencedBy = referenced[o.ID]
		switch {
		case o.Trigger != nil:
			triggers = append(triggers, ov)
		case len(ov.ReferencedBy) > 0 && o.Visibility == connector.VisibilityInternal:
			// The portal's References: internal operations that exist to
			// feed dropdowns.
			refs = append(refs, ov)
		default:
			actions = append(actions, ov)
		}
	}
	v.Groups = []OperationGroup{}
	for _, g := range []OperationGroup{{"Actions", actions}, {"Triggers", triggers}, {"References", refs}} {
		if len(g.Operations) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	return v
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func operationView(o *connector.Operation, gen *fake.Generator) OperationView {
	ov := OperationView{
		ID: o.ID, Method: strings.ToUpper(o.Method), Path: o.Path, Summary: o.Summary,
		Description: o.Description, Visibility: string(o.Visibility), Deprecated: o.Deprecated,
		Pageable: o.Pageable != nil, CustomCode: o.CustomCode, Parameters: []ParamView{},
	}
	if t := o.Trigger; t != nil {
		tv := &TriggerView{Kind: string(t.Kind), Cardinality: t.Cardinality}
		if t.NotificationURL != nil {
			tv.Callback = t.NotificationURL.In + ":" + t.NotificationURL.Name
		}
		ov.Trigger = tv
	}
	byTarget := map[string]*DynamicRefView{}
	for _, d := range o.Dynamic {
		dv := dynamicView(d)
		ov.Dynamic = append(ov.Dynamic, dv)
		if d.Kind == connector.DynamicValues || d.Kind == connector.DynamicList {
			dvCopy := dv
			byTarget[d.Target] = &dvCopy
		}
	}
	var params openapi3.Parameters
	if o.Item != nil {
		params = append(params, o.Item.Parameters...)
	}
	if o.Op != nil {
		params = append(params, o.Op.Parameters...)
	}
	seen := map[string]int{}
	for _, pr := range params {
		if pr == nil || pr.Value == nil {
			continue
		}
		p := pr.Value
		pv := ParamView{
			Name: p.Name, In: p.In, Description: p.Description, Required: p.Required || p.In == "path",
			Label: extString(p.Extensions, "x-ms-summary"), Visibility: strings.ToLower(extString(p.Extensions, "x-ms-visibility")),
		}
		if s := schemaOf(p.Schema); s != nil {
			pv.Type, pv.Format, pv.Enum, pv.Default = typeName(s), s.Format, s.Enum, s.Default
		}
		pv.Dynamic = byTarget[p.In+":"+p.Name]
		key := p.In + ":" + p.Name
		if i, ok := seen[key]; ok { // operation-level overrides path-level
			ov.Parameters[i] = pv
			continue
		}
		seen[key] = len(ov.Parameters)
		ov.Parameters = append(ov.Parameters, pv)
	}
	if o.Op != nil && o.Op.RequestBody != nil && o.Op.RequestBody.Value != nil {
		rb := o.Op.RequestBody.Value
		for _, ct := range sortedContentTypes(rb.Content) {
			if !strings.Contains(ct, "json") {
				continue
			}
			mt := rb.Content[ct]
			b := &BodyView{ContentType: ct, Required: rb.Required, Example: "{}"}
			if mt != nil && mt.Schema != nil && gen != nil {
				val := gen.Generate(mt.Schema, fake.Seed(1, o.ID), "body")
				if raw, err := json.MarshalIndent(val, "", "  "); err == nil {
					b.Example = string(raw)
				}
			}
			ov.Body = b
			break
		}
	}
	return ov
}

func sortedContentTypes(c openapi3.Content) []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// application/json first when present.
	sort.SliceStable(keys, func(i, j int) bool { return keys[i] == "application/json" && keys[j] != "application/json" })
	return keys
}

func dynamicView(d connector.DynamicRef) DynamicRefView {
	dv := DynamicRefView{
		Kind: string(d.Kind), Target: d.Target, OperationID: d.OperationID,
		ValueCollection: d.ValueCollection, ValuePath: d.ValuePath, ValueTitle: d.ValueTitle,
	}
	if d.Kind == connector.DynamicList {
		dv.ValueCollection, dv.ValuePath, dv.ValueTitle = d.ItemsPath, d.ItemValuePath, d.ItemTitlePath
	}
	if len(d.Parameters) > 0 {
		dv.Parameters = map[string]string{}
		for k, p := range d.Parameters {
			switch {
			case p.Parameter != "":
				dv.Parameters[k] = "param:" + p.Parameter
			case p.ParameterReference != "":
				dv.Parameters[k] = "param:" + p.ParameterReference
			default:
				dv.Parameters[k] = "literal:" + fmt.Sprint(p.Value)
			}
		}
	}
	return dv
}

func schemaOf(r *openapi3.SchemaRef) *openapi3.Schema {
	if r == nil {
		return nil
	}
	return r.Value
}

func typeName(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return ""
	}
	for _, t := range *s.Type {
		if t != "null" {
			return t
		}
	}
	return (*s.Type)[0]
}

func extString(ext map[string]any, key string) string {
	if v, ok := ext[key]; ok {
		switch s := v.(type) {
		case string:
			return s
		case json.RawMessage:
			var out string
			if json.Unmarshal(s, &out) == nil {
				return out
			}
		}
	}
	return ""
}
