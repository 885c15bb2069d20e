package connector

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/connectorlab/connectorlab/spelling"
	"github.com/getkin/kin-openapi/openapi3"
)

// Lint returns the load repairs plus certification-style checks, sorted,
// each with a stable ID, a level and a location.
func Lint(ctx context.Context, c *Connector) []Finding {
	l := &linter{c: c}
	l.operations()
	l.dynamic()
	l.triggers()
	l.auth()
	l.policies()
	l.extensions()
	l.pathConflicts()
	l.validate(ctx)
	out := append([]Finding(nil), c.Findings...)
	out = append(out, l.out...)
	if c.src != nil {
		// A fresh index for this call: it is garbage once the findings
		// have their lines (Load keeps only the bytes).
		src := &source{file: c.src.file}
		if c.src.data != nil {
			src.idx = jsontext.NewIndex(c.src.data)
		}
		out = locate(out, src)
	}
	SortFindings(out)
	return out
}

type linter struct {
	c   *Connector
	out []Finding
}

func (l *linter) add(id string, level Level, ptr, msg, fix string) {
	l.out = append(l.out, Finding{ID: id, Level: level, File: l.c.Files.Definition, Pointer: ptr, Message: msg, Fix: fix})
}

func opName(o *Operation) string {
	if o.ID != "" {
		return o.ID
	}
	return o.Method + " " + o.Path
}

func (l *linter) operations() {
	first := map[string]*Operation{}
	for _, o := range l.c.Operations {
		switch {
		case o.ID == "":
			l.add("operation-id-missing", LevelError, o.Pointer, fmt.Sprintf("%s %s has no operationId", o.Method, o.Path),
				"add a unique operationId; flows refer to operations by it")
		case first[strings.ToLower(o.ID)] != nil:
			p := first[strings.ToLower(o.ID)]
			l.add("operation-id-duplicate", LevelError, o.Pointer, fmt.Sprintf("operationId %q is also used by %s %s", o.ID, p.Method, p.Path),
				"give every operation its own operationId (comparison ignores case)")
		default:
			first[strings.ToLower(o.ID)] = o
		}
		if o.Summary == "" {
			l.add("summary-missing", LevelWarning, o.Pointer, fmt.Sprintf("%s has no summary; the designer shows it as the action name", opName(o)),
				"add a short summary in sentence case")
		}
		if o.Description == "" {
			l.add("description-missing", LevelInfo, o.Pointer, fmt.Sprintf("%s has no description", opName(o)), "add a description; certification requires one")
		}
		switch o.Visibility {
		case VisibilityNone, VisibilityImportant, VisibilityAdvanced, VisibilityInternal:
		default:
			l.add("visibility-invalid", LevelWarning, o.Pointer+"/x-ms-visibility", fmt.Sprintf("x-ms-visibility %q is not one of important, advanced, internal", o.Visibility), "use one of important, advanced, internal")
		}
		l.parameters(o)
	}
}

func (l *linter) parameters(o *Operation) {
	declared := map[string]bool{}
	for _, pr := range o.Op.Parameters {
		if pr == nil || pr.Value == nil {
			continue
		}
		p := pr.Value
		if p.In == "path" {
			declared[p.Name] = true
		}
		vis, _ := p.Extensions["x-ms-visibility"].(string)
		hasDefault := p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Default != nil
		if strings.EqualFold(vis, "internal") && p.Required && !hasDefault {
			l.add("parameter-internal-required", LevelWarning, o.Pointer, fmt.Sprintf("%s: parameter %q is internal and required but has no default, so no maker can fill it", opName(o), p.Name),
				"give it a default or make it visible")
		}
	}
	for _, pr := range o.Item.Parameters {
		if pr != nil && pr.Value != nil && pr.Value.In == "path" {
			declared[pr.Value.Name] = true
		}
	}
	for _, name := range templateVars(o.Path) {
		if !declared[name] {
			l.add("path-parameter-undeclared", LevelError, o.Pointer, fmt.Sprintf("%s: path template variable {%s} has no path parameter", opName(o), name),
				fmt.Sprintf(`add {"name": %q, "in": "path", "required": true, "type": "string"}`, name))
		}
	}
}

func templateVars(path string) []string {
	var out []string
	for {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, path[i+1:i+j])
		path = path[i+j+1:]
	}
}

func (l *linter) dynamic() {
	for _, d := range l.c.Dynamic {
		if d.OperationID == "" {
			if d.Capability == "" && d.Kind != DynamicTree {
				l.add("dynamic-operation-missing", LevelError, d.Pointer+"/x-ms-dynamic-"+string(d.Kind),
					fmt.Sprintf("x-ms-dynamic-%s names no operationId", d.Kind), "set operationId to the lookup operation")
			}
			continue
		}
		target := l.c.Operation(d.OperationID)
		if target == nil {
			l.add("dynamic-operation-unknown", LevelError, d.Pointer+"/x-ms-dynamic-"+string(d.Kind),
				fmt.Sprintf("x-ms-dynamic-%s refers to operation %q, which does not exist%s", d.Kind, d.OperationID, suggest(d.OperationID, l.opIDs())),
				"point operationId at an existing lookup operation")
			continue
		}
		names := paramNames(target)
		keys := make([]string, 0, len(d.Parameters))
		for k := range d.Parameters {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !names[k] && !names[strings.ToLower(k)] && !bodyMapping(k) {
				l.add("dynamic-lookup-parameter-unknown", LevelWarning, d.Pointer+"/x-ms-dynamic-"+string(d.Kind)+"/parameters/"+EscapePointerToken(k),
					fmt.Sprintf("x-ms-dynamic-%s passes %q to %s, which has no such parameter", d.Kind, k, d.OperationID),
					"use a parameter name of the lookup operation")
			}
		}
	}
	for _, o := range l.c.Operations {
		own := paramNames(o)
		for _, d := range o.Dynamic {
			keys := make([]string, 0, len(d.Parameters))
			for k := range d.Parameters {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				p := d.Parameters[k]
				if p.Parameter != "" && !own[p.Parameter] && !own[strings.ToLower(p.Parameter)] && !bodyProperty(o, p.Parameter) {
					l.add("dynamic-parameter-unknown", LevelError, d.Pointer+"/x-ms-dynamic-"+string(d.Kind)+"/parameters/"+EscapePointerToken(k),
						fmt.Sprintf("%s: x-ms-dynamic-%s takes %q from parameter %q, which %s does not have", opName(o), d.Kind, k, p.Parameter, opName(o)),
						"name a parameter of this operation")
				}
			}
		}
	}
}

// bodyMapping is true for lookup parameter keys that address a body path.
func bodyMapping(k string) bool { return strings.Contains(k, "/") }

func bodyProperty(o *Operation, name string) bool {
	if o.Op.RequestBody == nil || o.Op.RequestBody.Value == nil {
		return false
	}
	for _, mt := range o.Op.RequestBody.Value.Content {
		if mt.Schema != nil && mt.Schema.Value != nil {
			if _, ok := mt.Schema.Value.Properties[name]; ok {
				return true
			}
		}
	}
	return false
}

func paramNames(o *Operation) map[string]bool {
	names := map[string]bool{}
	for _, list := range []openapi3.Parameters{o.Op.Parameters, o.Item.Parameters} {
		for _, pr := range list {
			if pr != nil && pr.Value != nil {
				names[pr.Value.Name] = true
				names[strings.ToLower(pr.Value.Name)] = true
				if orig, ok := pr.Value.Extensions["x-originalParamName"].(string); ok {
					names[orig] = true
				}
			}
		}
	}
	if o.Op.RequestBody != nil && o.Op.RequestBody.Value != nil {
		names["body"] = true
		if n, ok := o.Op.RequestBody.Value.Extensions["x-originalParamName"].(string); ok {
			names[n] = true
		}
		for _, mt := range o.Op.RequestBody.Value.Content {
			if mt.Schema != nil && mt.Schema.Value != nil {
				for k := range mt.Schema.Value.Properties {
					names[k] = true
				}
			}
		}
	}
	return names
}

func (l *linter) opIDs() []string {
	var ids []string
	for _, o := range l.c.Operations {
		if o.ID != "" {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

func (l *linter) triggers() {
	var deletes []*Operation
	for _, o := range l.c.Operations {
		if o.Method == "DELETE" {
			deletes = append(deletes, o)
		}
	}
	for _, o := range l.c.Operations {
		t := o.Trigger
		if t == nil {
			continue
		}
		if t.Cardinality != "single" && t.Cardinality != "batch" {
			l.add("trigger-invalid", LevelError, o.Pointer+"/x-ms-trigger", fmt.Sprintf("%s: x-ms-trigger is %q", opName(o), t.Cardinality), `use "single" or "batch"`)
		}
		if t.Kind != TriggerWebhook {
			continue
		}
		if t.NotificationURL == nil {
			l.add("webhook-notification-url-missing", LevelError, o.Pointer, fmt.Sprintf("%s is a webhook trigger but no parameter carries x-ms-notification-url", opName(o)),
				`mark the callback URL property with "x-ms-notification-url": true`)
		}
		if t.ContentPointer == "" {
			l.add("webhook-notification-content-missing", LevelWarning, o.Pointer, fmt.Sprintf("%s: path %s has no x-ms-notification-content, so the payload shape is unknown", opName(o), o.Path),
				"add x-ms-notification-content with the callback payload schema to the path item")
		}
		if len(deletes) == 0 {
			l.add("webhook-unsubscribe-missing", LevelError, o.Pointer, fmt.Sprintf("%s is a webhook trigger but the connector has no DELETE operation to unsubscribe", opName(o)),
				"add a DELETE operation (usually internal) that the subscription's Location header points at")
		}
	}
}

func (l *linter) auth() {
	c := l.c
	props := c.Files.Properties
	schemes := sortedSchemes(c.Doc)
	if props == "" {
		if c.Format == FormatSwagger2 && c.Files.Dir != "" && len(schemes) > 0 {
			l.out = append(l.out, Finding{ID: "properties-missing", Level: LevelWarning, File: c.Files.Definition, Pointer: "/securityDefinitions",
				Message: "the definition declares security but the folder has no apiProperties.json", Fix: "add apiProperties.json with the connection parameters"})
		}
		return
	}
	for _, set := range c.Auth.Sets {
		hasOAuthParam := false
		hasSecret := false
		// What apiProperties.json declares: a synthetic parameter (see
		// ConnectionParameter.Synthetic) is the reading's stand-in, not
		// something the gateway would ask a maker for.
		declared := set.Declared()
		for _, p := range declared {
			if strings.EqualFold(p.Type, "oauthSetting") {
				hasOAuthParam = true
			}
			if p.Secret() {
				hasSecret = true
			}
		}
		hasScheme := map[string]bool{}
		for _, s := range schemes {
			t := s.s.Type
			if t == "http" {
				t = "basic"
			}
			hasScheme[t] = true
		}
		where := "connectionParameters"
		if set.Name != "" {
			where = "connection parameter set " + set.Name
		}
		switch {
		case hasOAuthParam && !hasScheme["oauth2"]:
			l.out = append(l.out, Finding{ID: "auth-mismatch", Level: LevelWarning, File: props, Pointer: "/properties/connectionParameters",
				Message: where + " uses oauthSetting but securityDefinitions has no oauth2 scheme", Fix: "add an oauth2 securityDefinition with the same authorization and token URLs"})
		case hasScheme["oauth2"] && !hasOAuthParam && len(c.Auth.Sets) == 1:
			l.out = append(l.out, Finding{ID: "auth-mismatch", Level: LevelWarning, File: props, Pointer: "/properties/connectionParameters",
				Message: "securityDefinitions declares oauth2 but " + where + " has no oauthSetting parameter", Fix: "add an oauthSetting connection parameter"})
		case set.Kind == AuthAPIKey && !hasSecret:
			l.out = append(l.out, Finding{ID: "auth-mismatch", Level: LevelWarning, File: props, Pointer: "/properties/connectionParameters",
				Message: fmt.Sprintf("securityDefinitions declares an API key (%s %q) but %s has no securestring parameter to hold it", set.APIKey.In, set.APIKey.Name, where),
				Fix:     "add a securestring connection parameter, e.g. api_key"})
		case set.Kind == AuthBasic && len(declared) == 0:
			l.out = append(l.out, Finding{ID: "auth-mismatch", Level: LevelWarning, File: props, Pointer: "/properties/connectionParameters",
				Message: "securityDefinitions declares basic auth but " + where + " has no username/password parameters", Fix: "add username (string) and password (securestring) parameters"})
		case set.Kind == AuthBasic && set.Scheme == "":
			// Read as basic from its user-name and password parameters
			// (classifySet), but nothing in the definition says so.
			l.out = append(l.out, Finding{ID: "auth-mismatch", Level: LevelWarning, File: props, Pointer: "/properties/connectionParameters",
				Message: where + " has user-name and password parameters but no oauthSetting one, and securityDefinitions declares no basic scheme (only oauth2); read as basic auth",
				Fix:     `add a basic securityDefinition ("basic_auth": {"type": "basic"}) and list it in security`})
		}
	}
}

func (l *linter) policies() {
	c := l.c
	for _, p := range c.Policies {
		if !IsKnownPolicyTemplate(p.Template) {
			l.out = append(l.out, Finding{ID: "policy-unknown-template", Level: LevelWarning, File: c.Files.Properties, Pointer: p.Pointer + "/templateId",
				Message: fmt.Sprintf("policy template %q is not implemented by Connector Lab; it is not applied", p.TemplateID), Fix: "expect the real gateway to behave differently here"})
		}
		for _, id := range p.Operations {
			found := false
			for _, o := range c.Operations {
				if strings.EqualFold(o.ID, id) {
					found = true
					break
				}
			}
			if !found {
				l.out = append(l.out, Finding{ID: "policy-unknown-operation", Level: LevelWarning, File: c.Files.Properties, Pointer: p.Pointer + "/parameters",
					Message: fmt.Sprintf("policy %q (%s) is scoped to operation %q, which does not exist%s", p.Title, p.TemplateID, id, suggest(id, l.opIDs())),
					Fix:     "fix x-ms-apimTemplate-operationName"})
			}
		}
	}
}

// knownExtensions are the x-ms-* keys Power Platform documents.
var knownExtensions = []string{
	"x-ms-summary", "x-ms-visibility", "x-ms-trigger", "x-ms-trigger-hint", "x-ms-trigger-metadata",
	"x-ms-notification-url", "x-ms-notification-content", "x-ms-dynamic-values", "x-ms-dynamic-list",
	"x-ms-dynamic-schema", "x-ms-dynamic-properties", "x-ms-dynamic-tree", "x-ms-pageable",
	"x-ms-capabilities", "x-ms-connector-metadata", "x-ms-api-annotation", "x-ms-url-encoding",
	"x-ms-enum-values", "x-ms-openai-data", "x-ms-openai-manifest", "x-ms-require-user-confirmation",
	"x-ms-keywords", "x-ms-no-generic-test", "x-ms-test-value", "x-ms-enum", "x-ms-editor",
	"x-ms-editor-options", "x-ms-openai-published-to-copilots", "x-ms-parameter-location",
	"x-ms-media-kind", "x-ms-parameterized-host", "x-ms-skip-url-encoding", "x-ms-examples",
	"x-ms-long-running-operation", "x-ms-safe-operation", "x-ms-client-flatten", "x-ms-explicit-dynamic-values",
}

func (l *linter) extensions() {
	known := map[string]bool{}
	for _, k := range knownExtensions {
		known[k] = true
	}
	reported := map[string]int{}
	for _, e := range l.c.Extensions {
		if known[e.Key] {
			if e.Key == "x-ms-visibility" {
				if v, ok := e.Value.(string); ok && v != strings.ToLower(v) {
					l.add("visibility-case", LevelInfo, e.Pointer+"/x-ms-visibility", fmt.Sprintf("x-ms-visibility %q is not lower case", v), "write "+strings.ToLower(v))
				}
			}
			continue
		}
		best, dist := "", 99
		for _, k := range knownExtensions {
			if d := spelling.Distance(strings.ToLower(strings.TrimSpace(strings.TrimRight(e.Key, ":"))), k); d < dist {
				best, dist = k, d
			}
		}
		if reported[e.Key] >= 3 {
			reported[e.Key]++
			continue
		}
		reported[e.Key]++
		if dist <= 3 || strings.HasPrefix(e.Key, best) {
			l.add("extension-misspelt", LevelWarning, e.Pointer+"/"+EscapePointerToken(e.Key), fmt.Sprintf("%q looks like a misspelling of %s; Power Platform ignores it", e.Key, best), "rename it to "+best)
		} else {
			l.add("extension-unknown", LevelInfo, e.Pointer+"/"+EscapePointerToken(e.Key), fmt.Sprintf("%q is not a Power Platform extension Connector Lab knows", e.Key), "")
		}
	}
}

// pathConflicts finds templates equal up to parameter names: routers cannot
// tell them apart.
func (l *linter) pathConflicts() {
	seen := map[string]string{}
	var keys []string
	if l.c.Doc.Paths != nil {
		for k := range l.c.Doc.Paths.Map() {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, p := range keys {
		norm := normTemplate(p)
		if q, ok := seen[norm]; ok {
			l.add("path-conflict", LevelWarning, "/paths/"+EscapePointerToken(p), fmt.Sprintf("path %s and %s differ only in parameter names; requests cannot tell them apart", p, q),
				"merge them into one path")
			continue
		}
		seen[norm] = p
	}
}

func normTemplate(p string) string {
	var b strings.Builder
	in := false
	for _, r := range p {
		switch {
		case r == '{':
			in = true
			b.WriteString("{}")
		case r == '}':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// validate runs kin-openapi's validator with the checks that real files
// fail for harmless reasons turned off, reporting the rest as warnings.
func (l *linter) validate(ctx context.Context) {
	if l.c.Doc == nil {
		return
	}
	err := safeValidate(ctx, l.c.Doc)
	if err == nil {
		return
	}
	var me openapi3.MultiError
	var errs []error
	if errors.As(err, &me) {
		errs = me
	} else {
		errs = []error{err}
	}
	seen := map[string]bool{}
	for _, e := range errs {
		msg := e.Error()
		if seen[msg] || len(seen) >= 50 {
			continue
		}
		seen[msg] = true
		l.add("openapi-invalid", LevelWarning, "", msg, "correct the definition where the message points")
	}
}

func safeValidate(ctx context.Context, doc *openapi3.T) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validator failed: %v", r)
		}
	}()
	return doc.Validate(ctx, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(), openapi3.EnableMultiError())
}

func suggest(s string, options []string) string {
	best, dist := "", 4
	for _, o := range options {
		if d := spelling.Distance(strings.ToLower(s), strings.ToLower(o)); d < dist {
			best, dist = o, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
