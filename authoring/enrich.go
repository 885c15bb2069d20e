package authoring

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
)

// enricher fills in what the Power Platform designer and certification
// want on a Swagger 2.0 document (generic form): operationIds in the safe
// alphabet, summaries and descriptions, x-ms-summary on parameters and
// properties, x-ms-visibility, media types and response descriptions.
type enricher struct {
	def      map[string]any
	file     string
	idx      *jsontext.Index
	levels   map[string]connector.Level
	findings []connector.Finding
	ids      map[string]bool
}

func (en *enricher) note(id, ptr, msg, fix string) {
	f := connector.Finding{ID: id, Level: en.levels[id], File: en.file, Pointer: ptr, Message: msg, Fix: fix}
	if en.idx != nil {
		if l, c, ok := en.idx.Position(ptr); ok {
			f.Line, f.Col = l, c
		}
	}
	en.findings = append(en.findings, f)
}

// safeOperationID is the alphabet certified connectors use.
var safeOperationID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)

const maxSummary = 80

func (en *enricher) run() {
	d := en.def
	d["swagger"] = "2.0"
	info := asMap(d["info"])
	if info == nil {
		info = map[string]any{}
		d["info"] = info
	}
	title, _ := info["title"].(string)
	title = strings.TrimSpace(title)
	if title == "" {
		title = "Connector"
	}
	if len([]rune(title)) > 30 {
		title = string([]rune(title)[:30])
		title = strings.TrimSpace(title)
	}
	info["title"] = title
	if s, _ := info["description"].(string); strings.TrimSpace(s) == "" {
		info["description"] = "Use " + title + " in Power Automate, Power Apps and Logic Apps."
	}
	if v, _ := info["version"].(string); v == "" {
		info["version"] = "1.0"
	}
	if h, _ := d["host"].(string); h == "" {
		d["host"] = "api.contoso.com"
	}
	if bp, _ := d["basePath"].(string); bp == "" {
		d["basePath"] = "/"
	}
	if s, _ := d["schemes"].([]any); len(s) == 0 {
		d["schemes"] = []any{"https"}
	}
	for _, k := range []string{"consumes", "produces"} {
		if s, _ := d[k].([]any); len(s) == 0 {
			d[k] = []any{"application/json"}
		}
	}
	paths := asMap(d["paths"])
	if paths == nil {
		paths = map[string]any{}
		d["paths"] = paths
	}
	en.ids = map[string]bool{}
	type opRef struct {
		path, method string
		op           map[string]any
	}
	var ops []opRef
	for _, p := range sortedKeys(paths) {
		item := asMap(paths[p])
		for _, m := range sortedKeys(item) {
			if op := asMap(item[m]); op != nil && httpMethods[m] {
				ops = append(ops, opRef{p, m, op})
				if id, _ := op["operationId"].(string); safeOperationID.MatchString(id) {
					en.ids[id] = true
				}
			}
		}
		if ps, ok := item["parameters"].([]any); ok {
			en.params(ps, "/paths/"+connector.EscapePointerToken(p)+"/parameters")
		}
	}
	for _, o := range ops {
		en.operation(o.path, o.method, o.op)
	}
	defs := asMap(d["definitions"])
	for _, name := range sortedKeys(defs) {
		en.schema(asMap(defs[name]), 0)
	}
	if ps := asMap(d["parameters"]); ps != nil {
		for _, name := range sortedKeys(ps) {
			en.param(asMap(ps[name]), "/parameters/"+connector.EscapePointerToken(name))
		}
	}
}

func (en *enricher) operation(path, method string, op map[string]any) {
	ptr := "/paths/" + connector.EscapePointerToken(path) + "/" + method
	id, _ := op["operationId"].(string)
	switch {
	case id == "":
		id = en.unique(generateID(method, path))
		en.note(FixOperationID, ptr, fmt.Sprintf("%s %s had no operationId; it is %s", strings.ToUpper(method), path, id), "rename it if a better verb fits")
		op["operationId"] = id
	case !safeOperationID.MatchString(id):
		nid := en.unique(pascal(id))
		en.note(FixOperationIDRenamed, ptr+"/operationId", fmt.Sprintf("operationId %q became %q (letters, digits, _ . and - only)", id, nid), "")
		op["operationId"] = nid
		id = nid
	}
	summary, _ := op["summary"].(string)
	desc, _ := op["description"].(string)
	if strings.TrimSpace(summary) == "" {
		summary = titleCase(id)
		if first := firstSentence(desc); first != "" && len(first) <= maxSummary {
			summary = first
		}
		en.note(FixSummary, ptr, fmt.Sprintf("%s had no summary; it is %q", id, summary), "")
	}
	summary = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(summary), "."))
	if r := []rune(summary); len(r) > maxSummary {
		summary = strings.TrimSpace(string(r[:maxSummary]))
	}
	op["summary"] = summary
	if strings.TrimSpace(desc) == "" {
		op["description"] = summary + "."
	}
	if ps, ok := op["parameters"].([]any); ok {
		en.params(ps, ptr+"/parameters")
	}
	resps := asMap(op["responses"])
	if len(resps) == 0 {
		resps = map[string]any{"200": map[string]any{"description": "OK"}}
		op["responses"] = resps
	}
	for _, code := range sortedKeys(resps) {
		r := asMap(resps[code])
		if r == nil {
			continue
		}
		if s, _ := r["description"].(string); s == "" {
			r["description"] = "OK"
			if code != "" && code[0] != '2' {
				r["description"] = "Error"
			}
		}
		en.schema(asMap(r["schema"]), 0)
	}
}

func (en *enricher) params(ps []any, ptr string) {
	for i, p := range ps {
		en.param(asMap(p), fmt.Sprintf("%s/%d", ptr, i))
	}
}

func (en *enricher) param(p map[string]any, ptr string) {
	if p == nil || p["$ref"] != nil {
		return
	}
	name, _ := p["name"].(string)
	in, _ := p["in"].(string)
	if in == "path" {
		p["required"] = true
	}
	if _, ok := p["x-ms-summary"]; !ok && name != "" {
		p["x-ms-summary"] = titleCase(name)
	}
	if s, _ := p["description"].(string); s == "" && name != "" {
		p["description"] = "The " + strings.ToLower(titleCase(name)) + "."
	}
	if _, ok := p["x-ms-visibility"]; !ok {
		if req, _ := p["required"].(bool); req {
			p["x-ms-visibility"] = "important"
		} else if in == "header" {
			p["x-ms-visibility"] = "advanced"
		}
	}
	if in == "body" {
		en.schema(asMap(p["schema"]), 0)
	}
}

// schema adds x-ms-summary to the properties of inline and defined
// schemas.
func (en *enricher) schema(s map[string]any, depth int) {
	if s == nil || depth > 32 || s["$ref"] != nil {
		return
	}
	props := asMap(s["properties"])
	for _, name := range sortedKeys(props) {
		p := asMap(props[name])
		if p == nil {
			continue
		}
		if _, ok := p["x-ms-summary"]; !ok && p["$ref"] == nil {
			p["x-ms-summary"] = titleCase(name)
		}
		en.schema(p, depth+1)
	}
	en.schema(asMap(s["items"]), depth+1)
	if all, ok := s["allOf"].([]any); ok {
		for _, a := range all {
			en.schema(asMap(a), depth+1)
		}
	}
}

func (en *enricher) unique(id string) string {
	if id == "" {
		id = "Operation"
	}
	base, n := id, 2
	for en.ids[id] {
		id = fmt.Sprintf("%s%d", base, n)
		n++
	}
	en.ids[id] = true
	return id
}

var verbs = map[string]string{"get": "Get", "post": "Create", "put": "Replace", "patch": "Update", "delete": "Delete", "head": "Check", "options": "Options"}

// generateID makes an operationId from method and path:
// GET /users/{id}/orders → GetUsersOrdersById... kept readable:
// GET /users → ListUsers, GET /users/{id} → GetUserById (no
// singularising: GetUsersById).
func generateID(method, path string) string {
	var lit, params []string
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			continue
		}
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			params = append(params, pascal(seg[1:len(seg)-1]))
			continue
		}
		lit = append(lit, pascal(seg))
	}
	verb := verbs[method]
	if method == "get" && !strings.HasSuffix(strings.TrimSuffix(path, "/"), "}") {
		verb = "List"
	}
	id := verb + strings.Join(lit, "")
	if len(params) > 0 {
		id += "By" + strings.Join(params, "And")
	}
	if len(id) > 80 {
		id = id[:80]
	}
	return id
}

// pascal keeps letters and digits and upper-cases the first letter of each
// word: "get users-list" → "GetUsersList". A leading digit gets "Op".
func pascal(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || r > unicode.MaxASCII {
			up = true
			continue
		}
		if up {
			b.WriteRune(unicode.ToUpper(r))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out != "" && unicode.IsDigit(rune(out[0])) {
		out = "Op" + out
	}
	return out
}

func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
