package policy

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/spelling"
)

// Section is where a policy runs: on the request on its way to the API, or
// on the response on its way back.
type Section string

// Sections.
const (
	SectionRequest  Section = "request"
	SectionResponse Section = "response"
)

// Options configure an Engine.
type Options struct {
	// Params holds connection parameter values by name, as a maker would
	// type them when creating a connection ("token:customHost" included).
	// Lookup is exact, then case-insensitive. A missing value falls back to
	// the parameter's declared defaultValue, then to the expression's own
	// default argument. Values of securestring/oauthSetting parameters, and
	// of names the connector does not declare, never appear in traces, logs
	// or errors.
	Params map[string]string
	// Logger receives one debug line per policy step (secrets redacted).
	// Nil discards.
	Logger *slog.Logger
	// Client makes setvaluefromurl's side calls. Nil: a client with a
	// 30-second timeout.
	Client *http.Client
	// Upstream, when set, replaces the connector's scheme://host/basePath as
	// the base every request is sent to, and dynamichosturl policies are not
	// applied (the trace says so). Routing policies still rewrite the path.
	// New reads it once; changing the URL afterwards does not move requests.
	Upstream *url.URL
	// Gateway is the base URL clients use to reach the mock or proxy,
	// e.g. http://127.0.0.1:8080/v1. updatenextlink rewrites next links onto
	// it. Nil: derived from the incoming request (Host, TLS) and the
	// connector's basePath.
	Gateway *url.URL
	// MaxBodyBytes caps the bodies body policies read; a larger body is
	// passed through untouched and the trace says so. Default 32 MiB.
	MaxBodyBytes int64
}

// Engine applies one connector's policy templates. It is safe for
// concurrent use; each call works on its own request or response.
type Engine struct {
	c        *connector.Connector
	opts     Options
	log      *slog.Logger
	client   *http.Client
	basePath string // connector basePath without a trailing slash; "" for "/"
	policies []*compiled
	params   map[string]*connector.ConnectionParameter // lower-case name
	secrets  []string                                  // secret parameter values, longest first
	triggers map[string]*PollingTrigger                // by lower-case operationId
	trigList []*PollingTrigger
	pathRe   sync.Map                        // operation path template → *pathMatcher
	ops      map[string]*connector.Operation // by operationId, and lower case
	// upstreamBase is Options.Upstream without a trailing slash, built
	// once: every request starts from it. Nil without an Upstream.
	upstreamBase *url.URL
	// readsPathParams: some policy template has a {name} placeholder, so
	// requests need their path parameters matched.
	readsPathParams bool
}

// template kinds the engine implements, by lower-case templateId.
var implemented = map[string]Section{
	"dynamichosturl":                       SectionRequest,
	"dynamicsubdomain":                     SectionRequest,
	"setheader":                            "",
	"setqueryparameter":                    SectionRequest,
	"routerequesttoendpoint":               SectionRequest,
	"setproperty":                          "",
	"setvaluefromurl":                      SectionRequest,
	"stringreplace":                        "",
	"convertobjecttoarray":                 "",
	"convertarraytoobject":                 "",
	"moveproperties":                       "",
	"updatenextlink":                       SectionResponse,
	"setconnectionstatustounauthenticated": SectionResponse,
	"pollingtrigger":                       "", // not a transform; see PollingTrigger
}

// unsupported are Power Platform templates the engine knows of but does not
// apply yet, with the reason shown in the finding.
var unsupported = map[string]string{
	"stringtoarray":              "splitting a delimited string into an array is not implemented",
	"encodepropertyvalue":        "encoding a property value is not implemented",
	"setconnectionstatustoerror": "connection status changes are not modelled",
}

// bodyTemplates rewrite a JSON body.
var bodyTemplates = map[string]bool{
	"setproperty": true, "stringreplace": true, "convertobjecttoarray": true,
	"convertarraytoobject": true, "moveproperties": true, "updatenextlink": true,
}

// compiled is one policy instance, parsed and checked once by New.
type compiled struct {
	p        connector.Policy
	kind     string  // lower-case templateId
	section  Section // where it runs
	disabled string  // non-empty: never applied, for this reason (a finding says so)
	params   map[string]any
	tpl      map[string]*Template // parsed template parameters by lower-case name
	paths    map[string]Path      // parsed body paths by lower-case name
	action   string               // existsAction, lower case
	trigger  bool                 // pollingtrigger: handled by PollingTrigger, not Request
	// litName: setheader's name is literal text, and litNameSecret is
	// sensitiveName of it, decided once here rather than per request.
	litName, litNameSecret bool
}

func (cp *compiled) label() string {
	if cp.p.Title != "" {
		return fmt.Sprintf("%s %q", cp.kind, cp.p.Title)
	}
	return cp.kind
}

// New compiles the connector's policies. The findings report every policy
// that will not run as written: unknown or unsupported templates,
// expressions that do not parse, missing parameters. Such a policy is never
// applied; the trace of each call it would have matched says so.
func New(c *connector.Connector, opts Options) (*Engine, []connector.Finding) {
	e := &Engine{c: c, opts: opts, log: opts.Logger, client: opts.Client, triggers: map[string]*PollingTrigger{}}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.client == nil {
		e.client = &http.Client{Timeout: 30 * time.Second, CheckRedirect: sameOriginRedirect}
	}
	if e.opts.MaxBodyBytes <= 0 {
		e.opts.MaxBodyBytes = 32 << 20
	}
	e.basePath = strings.TrimRight(c.BasePath, "/")
	if u := opts.Upstream; u != nil {
		b := *u
		b.Path, b.RawPath = strings.TrimRight(b.Path, "/"), strings.TrimRight(b.RawPath, "/")
		e.upstreamBase = &b
	}
	e.ops = map[string]*connector.Operation{}
	for _, o := range c.Operations {
		if _, dup := e.ops[strings.ToLower(o.ID)]; !dup {
			e.ops[strings.ToLower(o.ID)] = o
		}
	}
	for _, o := range c.Operations {
		e.ops[o.ID] = o
	}
	e.params = map[string]*connector.ConnectionParameter{}
	for si := range c.Auth.Sets {
		for pi := range c.Auth.Sets[si].Parameters {
			p := &c.Auth.Sets[si].Parameters[pi]
			if _, dup := e.params[strings.ToLower(p.Name)]; !dup {
				e.params[strings.ToLower(p.Name)] = p
			}
		}
	}
	for name, v := range opts.Params {
		if v != "" && e.isSecretParam(name) {
			e.secrets = append(e.secrets, v)
		}
	}
	sort.Slice(e.secrets, func(i, j int) bool { return len(e.secrets[i]) > len(e.secrets[j]) })

	var fs []connector.Finding
	for _, p := range c.Policies {
		cp, more := e.compile(p)
		fs = append(fs, more...)
		e.policies = append(e.policies, cp)
		for _, t := range cp.tpl {
			if len(t.Placeholders()) > 0 {
				e.readsPathParams = true
			}
		}
	}
	fs = append(fs, e.checkSources()...)
	return e, fs
}

// checkSources reports @headers('x') and @queryParameters('x') reads that
// an operation the policy covers neither declares nor gets from an earlier
// policy: there the value is empty, which for dynamichosturl means the
// request has no host.
func (e *Engine) checkSources() []connector.Finding {
	type key struct {
		policy int
		fn     Func
		name   string
	}
	missing := map[key][]string{}
	covered := map[int]int{}
	var order []key
	authHeaders := map[string]bool{"authorization": true}
	for _, set := range e.c.Auth.Sets {
		if set.APIKey != nil && strings.EqualFold(set.APIKey.In, "header") {
			authHeaders[strings.ToLower(set.APIKey.Name)] = true
		}
	}
	for _, op := range e.c.Operations {
		declared := map[string]bool{}
		for _, pr := range opParams(op) {
			declared[pr] = true
		}
		set := map[string]bool{}
		for i, cp := range e.policies {
			if cp.disabled != "" || cp.trigger || cp.section != SectionRequest || !cp.p.AppliesTo(op.ID) {
				continue
			}
			covered[i]++
			for _, pname := range sortedKeys(cp.tpl) {
				t := cp.tpl[pname]
				if pname == "parametertemplate" {
					continue // setvaluefromurl's target, not a read
				}
				for _, x := range t.Exprs() {
					if (x.Func != FuncHeaders && x.Func != FuncQueryParameters) || len(x.Args) != 1 {
						continue
					}
					in := "header"
					if x.Func == FuncQueryParameters {
						in = "query"
					}
					n := strings.ToLower(x.Args[0])
					if declared[in+":"+n] || set[in+":"+n] || (in == "header" && authHeaders[n]) {
						continue
					}
					k := key{i, x.Func, x.Args[0]}
					if _, seen := missing[k]; !seen {
						order = append(order, k)
					}
					missing[k] = append(missing[k], op.ID)
				}
			}
			// What this policy makes available to later ones.
			switch cp.kind {
			case "setheader":
				if t := cp.tpl["name"]; t != nil && t.IsLiteral() {
					set["header:"+strings.ToLower(strings.TrimSpace(t.Raw))] = true
				}
			case "setqueryparameter":
				if t := cp.tpl["name"]; t != nil && t.IsLiteral() {
					set["query:"+strings.ToLower(strings.TrimSpace(t.Raw))] = true
				}
			case "setvaluefromurl":
				if x := cp.tpl["parametertemplate"].Single(); x != nil && len(x.Args) > 0 {
					in := "header"
					if x.Func == FuncQueryParameters {
						in = "query"
					}
					set[in+":"+strings.ToLower(x.Args[0])] = true
				}
			}
		}
	}
	var fs []connector.Finding
	for _, k := range order {
		cp := e.policies[k.policy]
		ops := missing[k]
		what := "header"
		if k.fn == FuncQueryParameters {
			what = "query parameter"
		}
		list := strings.Join(ops, ", ")
		if len(ops) > 5 {
			list = strings.Join(ops[:5], ", ") + fmt.Sprintf(" and %d more", len(ops)-5)
		}
		effect := "it evaluates to an empty string there"
		if cp.kind == "dynamichosturl" || cp.kind == "dynamicsubdomain" {
			effect = "there the host URL is incomplete and requests fail"
		}
		fs = append(fs, e.finding(cp.p, "policy-expression-source-undeclared", connector.LevelWarning, cp.p.Pointer+"/parameters",
			fmt.Sprintf("policy %s reads %s %q, which %d of the %d operations it covers do not declare (%s); %s", cp.label(), what, k.name, len(ops), covered[k.policy], list, effect),
			fmt.Sprintf("declare the %s on those operations, give the expression a default ('%s', 'default'), or scope the policy with x-ms-apimTemplate-operationName", what, k.name)))
	}
	return fs
}

// opParams lists an operation's header and query parameters as
// "header:name" / "query:name" in lower case.
func opParams(op *connector.Operation) []string {
	var out []string
	add := func(in, name string) {
		if in == "header" || in == "query" {
			out = append(out, in+":"+strings.ToLower(name))
		}
	}
	if op.Item != nil {
		for _, p := range op.Item.Parameters {
			if p != nil && p.Value != nil {
				add(p.Value.In, p.Value.Name)
			}
		}
	}
	if op.Op != nil {
		for _, p := range op.Op.Parameters {
			if p != nil && p.Value != nil {
				add(p.Value.In, p.Value.Name)
			}
		}
	}
	return out
}

// operation finds an operation by id, exactly and then case-insensitively
// (x-ms-apimTemplate-operationName is matched case-insensitively too).
func (e *Engine) operation(id string) *connector.Operation {
	if o := e.ops[id]; o != nil {
		return o
	}
	return e.ops[strings.ToLower(id)]
}

// Connector returns the connector the engine was built for.
func (e *Engine) Connector() *connector.Connector { return e.c }

func (e *Engine) isSecretParam(name string) bool {
	p := e.param(name)
	return p == nil || p.Secret()
}

func (e *Engine) param(name string) *connector.ConnectionParameter {
	return e.params[strings.ToLower(name)]
}

func (e *Engine) finding(p connector.Policy, id string, lvl connector.Level, pointer, msg, fix string) connector.Finding {
	return connector.Finding{ID: id, Level: lvl, File: e.c.Files.Properties, Pointer: pointer, Message: msg, Fix: fix}
}

// paramPointer is the JSON pointer of a template parameter in apiProperties.json.
func paramPointer(p connector.Policy, name string) string {
	return p.Pointer + "/parameters/" + connector.EscapePointerToken("x-ms-apimTemplateParameter."+name)
}

// paramValue renders a template parameter as a string (numbers and booleans
// in JSON form; objects and arrays as JSON).
func paramValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return string(encodeJSON(v))
}

func (e *Engine) compile(p connector.Policy) (*compiled, []connector.Finding) {
	cp := &compiled{p: p, kind: strings.ToLower(strings.TrimSpace(p.TemplateID)), params: map[string]any{},
		tpl: map[string]*Template{}, paths: map[string]Path{}}
	for k, v := range p.Parameters {
		cp.params[strings.ToLower(k)] = v
	}
	var fs []connector.Finding
	bad := func(id, name, msg, fix string) {
		ptr := p.Pointer
		if name != "" {
			ptr = paramPointer(p, name)
		}
		fs = append(fs, e.finding(p, id, connector.LevelError, ptr, msg+"; the policy is not applied", fix))
		if cp.disabled == "" {
			cp.disabled = msg
		}
	}

	fixed, ok := implemented[cp.kind]
	if !ok {
		if why, known := unsupported[cp.kind]; known {
			cp.disabled = "template " + p.TemplateID + " is not supported: " + why
			fs = append(fs, e.finding(p, "policy-template-unsupported", connector.LevelWarning, p.Pointer+"/templateId",
				fmt.Sprintf("policy %s: template %q is not supported (%s); it is not applied", cp.label(), p.TemplateID, why),
				"expect the real gateway to behave differently for the operations it covers"))
		} else {
			cp.disabled = "unknown template " + strconv.Quote(p.TemplateID)
			fs = append(fs, e.finding(p, "policy-template-unknown", connector.LevelWarning, p.Pointer+"/templateId",
				fmt.Sprintf("policy %q: unknown template %q%s; it is not applied", p.Title, p.TemplateID, suggestTemplate(cp.kind)),
				"use one of the templates in docs/POLICIES.md, or expect the real gateway to behave differently"))
		}
		cp.section = SectionRequest
		return cp, fs
	}
	if cp.kind == "dynamicsubdomain" {
		fs = append(fs, e.finding(p, "policy-template-alias", connector.LevelInfo, p.Pointer+"/templateId",
			fmt.Sprintf("policy %s: template %q is undocumented; it is applied as dynamichosturl (its urlTemplate replaces the host URL)", cp.label(), p.TemplateID), ""))
	}

	// Section.
	sec := strings.ToLower(strings.TrimSpace(p.Section))
	switch sec {
	case "":
		cp.section = fixed
		if cp.section == "" {
			cp.section = SectionRequest
		}
	case "request", "response":
		cp.section = Section(sec)
		if fixed != "" && cp.section != fixed {
			fs = append(fs, e.finding(p, "policy-section-invalid", connector.LevelWarning, p.Pointer+"/parameters/x-ms-apimTemplate-policySection",
				fmt.Sprintf("policy %s runs on the %s only; x-ms-apimTemplate-policySection %q is ignored", cp.label(), fixed, p.Section), "remove the section or set it to "+sectionName(fixed)))
			cp.section = fixed
		}
	default:
		cp.section = fixed
		if cp.section == "" {
			cp.section = SectionRequest
		}
		fs = append(fs, e.finding(p, "policy-section-invalid", connector.LevelWarning, p.Pointer+"/parameters/x-ms-apimTemplate-policySection",
			fmt.Sprintf("policy %s: x-ms-apimTemplate-policySection %q is neither Request nor Response; it runs on the %s", cp.label(), p.Section, cp.section), "set it to Request or Response"))
	}

	// tmpl parses a template parameter; required ones must be non-empty.
	tmpl := func(name string, mode Mode, required bool) {
		raw := paramValue(cp.params[strings.ToLower(name)])
		if strings.TrimSpace(raw) == "" {
			if required {
				bad("policy-parameter-missing", name, fmt.Sprintf("policy %s: parameter %s is missing or empty", cp.label(), name), "set x-ms-apimTemplateParameter."+name)
			}
			return
		}
		t, err := Parse(raw, mode)
		if err != nil {
			bad("policy-expression-invalid", name, fmt.Sprintf("policy %s: parameter %s: %v", cp.label(), name, err), "fix the expression syntax (see docs/POLICIES.md)")
			return
		}
		if f, ok := e.checkExprs(p, cp, name, t); !ok {
			fs = append(fs, f...)
			return
		} else {
			fs = append(fs, f...)
		}
		cp.tpl[strings.ToLower(name)] = t
	}
	path := func(name string, required bool) {
		raw := paramValue(cp.params[strings.ToLower(name)])
		if strings.TrimSpace(raw) == "" && required {
			bad("policy-parameter-missing", name, fmt.Sprintf("policy %s: parameter %s is missing or empty", cp.label(), name), "set x-ms-apimTemplateParameter."+name)
			return
		}
		pp, err := ParsePath(raw)
		if err != nil {
			bad("policy-expression-invalid", name, fmt.Sprintf("policy %s: parameter %s: %v", cp.label(), name, err), "write a body path such as @body().items")
			return
		}
		cp.paths[strings.ToLower(name)] = pp
	}
	action := func() {
		a := strings.ToLower(strings.TrimSpace(paramValue(cp.params["existsaction"])))
		switch a {
		case "":
			a = "override"
		case "override", "append", "skip", "delete":
		default:
			fs = append(fs, e.finding(p, "policy-parameter-invalid", connector.LevelWarning, paramPointer(p, "existsAction"),
				fmt.Sprintf("policy %s: existsAction %q is not override, append or skip; override is used", cp.label(), a), "set existsAction to override, append or skip"))
			a = "override"
		}
		cp.action = a
	}

	switch cp.kind {
	case "dynamichosturl", "dynamicsubdomain":
		tmpl("urlTemplate", ModeText, true)
	case "setheader":
		tmpl("name", ModeText, true)
		tmpl("value", ModeText, false)
		action()
		if t := cp.tpl["name"]; t != nil && t.IsLiteral() && !validHeaderName(t.Raw) {
			bad("policy-parameter-invalid", "name", fmt.Sprintf("policy %s: %q is not a valid HTTP header name", cp.label(), t.Raw), "use letters, digits and - in header names")
		}
		if t := cp.tpl["name"]; t != nil {
			if lit, ok := t.literal(); ok {
				cp.litName, cp.litNameSecret = true, sensitiveName(strings.TrimSpace(lit))
			}
		}
	case "setqueryparameter":
		tmpl("name", ModeText, true)
		tmpl("value", ModeText, false)
		action()
	case "routerequesttoendpoint":
		tmpl("newPath", ModePath, true)
		tmpl("httpMethod", ModeText, false)
		if t := cp.tpl["httpmethod"]; t != nil && t.IsLiteral() && !validMethod(strings.TrimSpace(t.Raw)) {
			bad("policy-parameter-invalid", "httpMethod", fmt.Sprintf("policy %s: %q is not an HTTP method", cp.label(), t.Raw), "use GET, POST, PUT, PATCH, DELETE or @Request.OriginalHTTPMethod")
		}
		fs = append(fs, e.checkPlaceholders(p, cp)...)
		if len(p.Operations) == 0 && len(e.c.Operations) > 1 {
			fs = append(fs, e.finding(p, "policy-route-unscoped", connector.LevelInfo, p.Pointer+"/parameters",
				fmt.Sprintf("policy %s has no x-ms-apimTemplate-operationName, so it sends all %d operations to %q", cp.label(), len(e.c.Operations), paramValue(cp.params["newpath"])),
				"if only some operations should go there, list them in x-ms-apimTemplate-operationName"))
		}
	case "setproperty":
		path("newPropertyParentPathTemplate", true)
		path("newPropertySubPathTemplate", true)
		tmpl("propertyValuePathTemplate", ModeText, false)
	case "setvaluefromurl":
		tmpl("parameterValueUrl", ModeText, true)
		tmpl("httpMethod", ModeText, false)
		path("parameterValuePathTemplate", true)
		tmpl("parameterTemplate", ModeText, true)
		if t := cp.tpl["parametertemplate"]; t != nil {
			if x := t.Single(); x == nil || (x.Func != FuncHeaders && x.Func != FuncQueryParameters) || len(x.Args) == 0 {
				bad("policy-parameter-invalid", "parameterTemplate", fmt.Sprintf("policy %s: parameterTemplate %q must be @headers('name') or @queryParameters('name')", cp.label(), t.Raw), "name the header or query parameter to set")
			}
		}
	case "stringreplace":
		path("propertyParentPath", true)
		path("propertySubPath", false)
		path("newPropertyPath", false)
		if _, ok := cp.params["sourcestring"]; !ok {
			bad("policy-parameter-missing", "sourceString", fmt.Sprintf("policy %s: parameter sourceString is missing", cp.label()), "set x-ms-apimTemplateParameter.sourceString")
		}
	case "convertobjecttoarray":
		path("propertyParentPath", true)
		path("propertySubPath", false)
		path("newPropertyPath", false)
	case "convertarraytoobject":
		path("propertyParentPath", true)
		path("propertySubPath", false)
		path("newPropertyPath", false)
		if strings.TrimSpace(paramValue(cp.params["keywithincollectionpath"])) == "" && strings.TrimSpace(paramValue(cp.params["keyname"])) == "" {
			bad("policy-parameter-missing", "keyWithinCollectionPath", fmt.Sprintf("policy %s: parameter keyWithinCollectionPath is missing", cp.label()), "name the property of each item that becomes its key")
		}
	case "moveproperties":
		path("srcParentPath", true)
		path("srcSubPath", false)
		path("dstParentPath", true)
		path("dstSubPath", false)
	case "updatenextlink":
		if strings.TrimSpace(paramValue(cp.params["nextlinkpropertyname"])) == "" {
			bad("policy-parameter-missing", "nextLinkPropertyName", fmt.Sprintf("policy %s: parameter nextLinkPropertyName is missing", cp.label()), "name the response property that holds the next link")
		}
	case "setconnectionstatustounauthenticated":
		if _, err := strconv.Atoi(strings.TrimSpace(paramValue(cp.params["statuscode"]))); err != nil {
			bad("policy-parameter-invalid", "statusCode", fmt.Sprintf("policy %s: statusCode %q is not a number", cp.label(), paramValue(cp.params["statuscode"])), "set statusCode to e.g. 401")
		}
	case "pollingtrigger":
		cp.trigger = true
		fs = append(fs, e.compileTrigger(cp)...)
	}
	return cp, fs
}

// checkExprs reports unknown functions, wrong argument counts and
// undeclared connection parameters in a parsed template. ok is false when
// the template cannot be evaluated (the policy is then disabled).
func (e *Engine) checkExprs(p connector.Policy, cp *compiled, name string, t *Template) ([]connector.Finding, bool) {
	var fs []connector.Finding
	ok := true
	ptr := paramPointer(p, name)
	for _, x := range t.Exprs() {
		switch {
		case x.Func == "":
			msg := fmt.Sprintf("policy %s: parameter %s: unknown function %s in %q%s", cp.label(), name, x.Name, t.Raw, suggestFunc(x.Name))
			fs = append(fs, e.finding(p, "policy-expression-unknown-function", connector.LevelError, ptr, msg+"; the policy is not applied",
				"use connectionParameters, headers, queryParameters, body, item or triggerBody"))
			if cp.disabled == "" {
				cp.disabled = msg
			}
			ok = false
		case x.Func == FuncConnectionParameters || x.Func == FuncHeaders || x.Func == FuncQueryParameters:
			if len(x.Args) < 1 || len(x.Args) > 2 {
				msg := fmt.Sprintf("policy %s: parameter %s: %s takes a name and an optional default, got %d arguments in %q", cp.label(), name, x.Name, len(x.Args), t.Raw)
				fs = append(fs, e.finding(p, "policy-expression-invalid", connector.LevelError, ptr, msg+"; the policy is not applied", "write "+x.Name+"('name') or "+x.Name+"('name', 'default')"))
				if cp.disabled == "" {
					cp.disabled = msg
				}
				ok = false
				continue
			}
			if x.Func == FuncConnectionParameters && e.param(x.Args[0]) == nil {
				lvl, fix := connector.LevelWarning, "declare it under connectionParameters in apiProperties.json"
				msg := fmt.Sprintf("policy %s: parameter %s uses connection parameter %q, which apiProperties.json does not declare", cp.label(), name, x.Args[0])
				if strings.HasPrefix(strings.ToLower(x.Args[0]), "token:") {
					lvl, fix = connector.LevelInfo, ""
					msg += " (a token: property the platform fills from the OAuth token; supply it as a connection parameter value)"
				}
				fs = append(fs, e.finding(p, "policy-connection-parameter-undeclared", lvl, ptr, msg, fix))
			}
		default:
			if len(x.Args) > 0 {
				msg := fmt.Sprintf("policy %s: parameter %s: %s() takes no arguments in %q", cp.label(), name, x.Name, t.Raw)
				fs = append(fs, e.finding(p, "policy-expression-invalid", connector.LevelError, ptr, msg+"; the policy is not applied", "write "+x.Name+"()"))
				if cp.disabled == "" {
					cp.disabled = msg
				}
				ok = false
			}
		}
	}
	return fs, ok
}

// checkPlaceholders reports {name} placeholders of a newPath that are not
// path parameters of the operations the policy is scoped to.
func (e *Engine) checkPlaceholders(p connector.Policy, cp *compiled) []connector.Finding {
	t := cp.tpl["newpath"]
	if t == nil {
		return nil
	}
	var fs []connector.Finding
	for _, name := range t.Placeholders() {
		for _, op := range e.c.Operations {
			if !p.AppliesTo(op.ID) || len(p.Operations) == 0 {
				continue
			}
			if !hasPathParam(op, name) {
				fs = append(fs, e.finding(p, "policy-path-placeholder-unknown", connector.LevelWarning, paramPointer(p, "newPath"),
					fmt.Sprintf("policy %s: newPath %q uses {%s}, which is not a path parameter of operation %s (%s); it is left as written", cp.label(), t.Raw, name, op.ID, op.Path),
					"use a path parameter of the operation, or an expression"))
			}
		}
	}
	return fs
}

func hasPathParam(op *connector.Operation, name string) bool {
	for _, n := range pathParamNames(op.Path) {
		if n == name {
			return true
		}
	}
	return false
}

// pathParamNames lists the {name} placeholders of a path template.
func pathParamNames(tmpl string) []string {
	var out []string
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, tmpl[i+1:i+j])
		tmpl = tmpl[i+j+1:]
	}
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

func validMethod(s string) bool { return validHeaderName(s) }

func suggestTemplate(kind string) string {
	var names []string
	for k := range implemented {
		names = append(names, k)
	}
	sort.Strings(names)
	if s := closest(kind, names); s != "" {
		return "; did you mean " + s + "?"
	}
	return ""
}

func suggestFunc(name string) string {
	if s := closest(strings.ToLower(name), []string{"connectionParameters", "headers", "queryParameters", "body", "triggerBody", "item"}); s != "" {
		return " (did you mean " + s + "?)"
	}
	return ""
}

// closest returns the candidate within a small edit distance of s.
func closest(s string, cands []string) string {
	best, bestD := "", 4
	for _, c := range cands {
		if d := spelling.Distance(s, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Policy errors.
var (
	// ErrMissingParameter: an expression needs a connection parameter that
	// has no value, no declared default and no default argument.
	ErrMissingParameter = errors.New("connection parameter has no value")
	// ErrNoUpstream: the connector declares no host and no dynamichosturl
	// applies, so the request has no absolute URL. The request is otherwise
	// fully rewritten; a caller that only wants the trace may ignore it.
	ErrNoUpstream = errors.New("no upstream host")
	// ErrUpstream: a side call made by a policy (setvaluefromurl) failed.
	ErrUpstream = errors.New("policy side call failed")
)

// Error is a policy that failed at run time. It names the policy (template,
// title, apiProperties.json pointer), the parameter and expression being
// evaluated. It never contains secret values.
type Error struct {
	Template string // templateId as written
	Title    string
	File     string
	Pointer  string // JSON pointer of the parameter (or the policy)
	Expr     string // the template text being evaluated, if any
	Err      error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("policy ")
	b.WriteString(e.Template)
	if e.Title != "" {
		fmt.Fprintf(&b, " %q", e.Title)
	}
	b.WriteString(" (")
	if e.File != "" {
		b.WriteString(e.File)
	}
	b.WriteString("#" + e.Pointer + ")")
	if e.Expr != "" {
		fmt.Fprintf(&b, ": expression %q", e.Expr)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// redact replaces every known secret value in s, also in its URL-escaped
// forms (a secret substituted into a path or query).
func (e *Engine) redact(s string, extra []string) string {
	one := func(v string) {
		if len(v) < 3 {
			return
		}
		for _, form := range []string{v, url.PathEscape(v), url.QueryEscape(v)} {
			s = strings.ReplaceAll(s, form, "<redacted>")
		}
	}
	for _, v := range extra {
		one(v)
	}
	for _, v := range e.secrets {
		one(v)
	}
	return s
}

// sensitiveName reports header or query names whose values are credentials.
// It runs for every header a policy sets and every query key of every
// traced request, so an ASCII name (the usual case) is compared in place,
// case-insensitively, instead of through a lower-cased copy.
func sensitiveName(name string) bool {
	exact := []string{"authorization", "proxy-authorization", "cookie", "set-cookie", "code", "sig", "key", "token", "password"}
	words := []string{"key", "token", "secret", "password", "passwd", "auth", "signature", "credential", "session", "cookie"}
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			// strings.ToLower maps some non-ASCII runes to ASCII letters
			// (U+212A KELVIN SIGN to k): lower-case, then compare exactly.
			n := strings.ToLower(name)
			return slices.Contains(exact, n) || slices.ContainsFunc(words, func(w string) bool { return strings.Contains(n, w) })
		}
	}
	for _, w := range exact {
		if len(name) == len(w) && hasPrefixLowerASCII(name, w) {
			return true
		}
	}
	for _, w := range words {
		for i := 0; i+len(w) <= len(name); i++ {
			if hasPrefixLowerASCII(name[i:], w) {
				return true
			}
		}
	}
	return false
}

// hasPrefixLowerASCII reports whether the ASCII string s starts with the
// lower-case ASCII word w, ignoring the case of s.
func hasPrefixLowerASCII(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// sectionName is the spelling apiProperties.json uses.
func sectionName(s Section) string {
	if s == SectionResponse {
		return "Response"
	}
	return "Request"
}

func logAttrs(opID string, s TraceStep) []slog.Attr {
	return []slog.Attr{slog.String("operation", opID), slog.String("template", s.Template), slog.String("pointer", s.Pointer),
		slog.Bool("applied", s.Applied), slog.String("note", s.Note)}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sameOriginRedirect follows a side call's redirects only within the
// origin it was sent to: the call carries the request's headers (the
// connection's credentials among them), and net/http would forward all of
// them but Authorization and Cookie to any host — and those two as well
// to another port of the same host.
func sameOriginRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if o := via[0].URL; !strings.EqualFold(req.URL.Scheme, o.Scheme) || !strings.EqualFold(req.URL.Host, o.Host) {
		return fmt.Errorf("redirected to another origin, %s://%s; not followed, so the connection's credentials stay with %s", req.URL.Scheme, req.URL.Host, o.Host)
	}
	return nil
}
