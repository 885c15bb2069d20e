package create

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/postman"
	"github.com/getkin/kin-openapi/openapi3"
)

// IsMockoon reports whether root is a Mockoon environment file (routes and
// a lastMigration number).
func IsMockoon(root map[string]any) bool {
	_, routes := root["routes"].([]any)
	_, mig := root["lastMigration"]
	return routes && mig
}

var (
	mockoonParam    = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)
	mockoonTemplate = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// fromMockoon turns a Mockoon environment into an OpenAPI 3 document:
// each HTTP route becomes an operation (folders → tags, :params → path
// parameters, documentation → summary), each response a declared status
// with its body as the example (and a schema inferred from it), and the
// query, header and route-parameter names its rules test become
// parameters. What the connector model cannot hold — the rules' matching
// logic, sequential/random response modes, templating helpers — is a
// finding.
func fromMockoon(root map[string]any, file string) (*authoring.Source, error) {
	title, _ := root["name"].(string)
	if title == "" {
		title = "Mockoon environment"
	}
	doc := &openapi3.T{OpenAPI: "3.0.3", Info: &openapi3.Info{Title: title, Version: "1.0",
		Description: "Imported from the Mockoon environment " + title + "."}, Paths: openapi3.NewPaths()}
	prefix := strings.Trim(fmt.Sprint(orEmpty(root["endpointPrefix"])), "/")
	host := "https://api.contoso.com"
	if ph, _ := root["proxyHost"].(string); ph != "" && root["proxyMode"] == true {
		host = strings.TrimSuffix(ph, "/")
	}
	server := host
	if prefix != "" {
		server += "/" + prefix
	}
	doc.Servers = openapi3.Servers{{URL: server}}
	levels := map[string]connector.Level{}
	for _, r := range authoring.Rules() {
		levels[r.ID] = r.Level
	}
	var findings []connector.Finding
	note := func(id, ptr, msg string) {
		findings = append(findings, connector.Finding{ID: id, Level: levels[id], File: file, Pointer: ptr, Message: msg})
	}
	// Folders name the tag of the routes they hold.
	tagOf := map[string]string{}
	for _, f := range asSlice(root["folders"]) {
		fm := asMap(f)
		name, _ := fm["name"].(string)
		for _, ch := range asSlice(fm["children"]) {
			if uuid, _ := asMap(ch)["uuid"].(string); uuid != "" && name != "" {
				tagOf[uuid] = name
			}
		}
	}
	for i, r := range asSlice(root["routes"]) {
		rm := asMap(r)
		ptr := fmt.Sprintf("/routes/%d", i)
		if rm == nil {
			continue
		}
		if t, _ := rm["type"].(string); t != "" && t != "http" {
			note(authoring.LossMockoonRoute, ptr, fmt.Sprintf("route of type %s skipped: only HTTP routes become operations", t))
			continue
		}
		method := strings.ToUpper(fmt.Sprint(orEmpty(rm["method"])))
		if method == "ALL" || method == "" {
			note(authoring.LossMockoonRoute, ptr+"/method", "a route answering every method became GET")
			method = http.MethodGet
		}
		endpoint := strings.Trim(fmt.Sprint(orEmpty(rm["endpoint"])), "/")
		path := "/" + mockoonParam.ReplaceAllString(endpoint, "{$1}")
		if strings.ContainsAny(endpoint, "*()") {
			note(authoring.LossMockoonRoute, ptr+"/endpoint", fmt.Sprintf("route %s uses a wildcard or pattern; it was kept as written", endpoint))
		}
		op := &openapi3.Operation{Responses: openapi3.NewResponses()}
		op.Responses.Delete("default")
		if d, _ := rm["documentation"].(string); d != "" {
			op.Summary = d
		}
		if tag := tagOf[fmt.Sprint(rm["uuid"])]; tag != "" {
			op.Tags = []string{tag}
		}
		for _, m := range mockoonParam.FindAllStringSubmatch(endpoint, -1) {
			op.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema()))
		}
		if mode, _ := rm["responseMode"].(string); mode != "" {
			note(authoring.LossMockoonRules, ptr+"/responseMode", fmt.Sprintf("response mode %s (how Mockoon picks among responses) has no connector form", mode))
		}
		params := map[string]map[string]bool{"query": {}, "header": {}}
		for j, resp := range asSlice(rm["responses"]) {
			rp := asMap(resp)
			rptr := fmt.Sprintf("%s/responses/%d", ptr, j)
			status := 200
			if s, ok := rp["statusCode"].(float64); ok {
				status = int(s)
			} else if s, ok := rp["statusCode"].(string); ok {
				status, _ = strconv.Atoi(s)
			}
			rules := asSlice(rp["rules"])
			for _, rule := range rules {
				ru := asMap(rule)
				target, _ := ru["target"].(string)
				name, _ := ru["modifier"].(string)
				if (target == "query" || target == "header") && name != "" {
					params[target][name] = true
				}
			}
			if len(rules) > 0 {
				note(authoring.LossMockoonRules, rptr+"/rules", fmt.Sprintf("%s %s: %d rules choose response %d; the rules themselves are not part of a connector", method, path, len(rules), status))
			}
			code := strconv.Itoa(status)
			if op.Responses.Value(code) != nil {
				continue // the first response per status is the declared one
			}
			desc, _ := rp["label"].(string)
			if desc == "" {
				desc = http.StatusText(status)
			}
			if desc == "" {
				desc = "Response " + code
			}
			out := openapi3.NewResponse().WithDescription(desc)
			body, _ := rp["body"].(string)
			mt := "application/json"
			for _, h := range asSlice(rp["headers"]) {
				hm := asMap(h)
				if k, _ := hm["key"].(string); strings.EqualFold(k, "Content-Type") {
					if v, _ := hm["value"].(string); v != "" {
						mt = strings.TrimSpace(strings.Split(v, ";")[0])
					}
				}
			}
			if strings.TrimSpace(body) != "" {
				if mockoonTemplate.MatchString(body) {
					note(authoring.LossMockoonTemplating, rptr+"/body", fmt.Sprintf("%s %s %d: the body uses Mockoon templating; helpers were replaced by sample values", method, path, status))
					body = mockoonTemplate.ReplaceAllString(body, "0")
				}
				var v any
				if strings.Contains(mt, "json") && json.Unmarshal([]byte(body), &v) == nil {
					c := openapi3.NewContentWithSchema(postman.InferSchema(v), []string{mt})
					c[mt].Example = v
					out.Content = c
				} else {
					c := openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{mt})
					c[mt].Example = body
					out.Content = c
				}
			}
			op.Responses.Set(code, &openapi3.ResponseRef{Value: out})
		}
		if op.Responses.Len() == 0 {
			op.Responses.Set("200", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("OK")})
		}
		for _, in := range []string{"query", "header"} {
			names := make([]string, 0, len(params[in]))
			for n := range params[in] {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				p := &openapi3.Parameter{Name: n, In: in, Schema: openapi3.NewStringSchema().NewRef(),
					Description: "Mockoon rules match on this " + in + " value."}
				op.AddParameter(p)
			}
		}
		if method != http.MethodGet && method != http.MethodHead && method != http.MethodDelete {
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithJSONSchema(openapi3.NewObjectSchema())}
		}
		if item := doc.Paths.Value(path); item != nil && item.GetOperation(method) != nil {
			note(authoring.LossMockoonRoute, ptr, fmt.Sprintf("a second %s %s route was skipped", method, path))
			continue
		}
		doc.AddOperation(path, method, op)
	}
	return &authoring.Source{Doc: doc, File: file, Findings: findings}, nil
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}
