package connector

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// fixer repairs a decoded definition in place before kin-openapi sees it,
// recording one finding per repair. Pointers refer to the file as written.
type fixer struct {
	file     string
	root     map[string]any
	findings []Finding
	// refRenames maps old $ref strings to new ones after component renames.
	refRenames map[string]string
	// splitRefs allows relative $refs to files inside the definition's
	// folder (OpenAPI 3 documents split over several files); the loader
	// then reads them through an os.Root confined to that folder.
	splitRefs bool
}

func (fx *fixer) add(id string, level Level, ptr, msg, fix string) {
	fx.findings = append(fx.findings, Finding{ID: id, Level: level, File: fx.file, Pointer: ptr, Message: msg, Fix: fix})
}

// componentName is what OpenAPI 3 allows in a component key.
var componentName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// EscapePointerToken escapes one JSON pointer token (RFC 6901: "~" as
// "~0", "/" as "~1").
func EscapePointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// UnescapePointerToken is the inverse of EscapePointerToken.
func UnescapePointerToken(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

func itoa(i int) string { return strconv.Itoa(i) }

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

func isMethod(k string) bool {
	for _, m := range methods {
		if k == m {
			return true
		}
	}
	return false
}

// swagger2 applies every Swagger 2.0 repair.
func (fx *fixer) swagger2() {
	fx.host()
	renamedSchemes := fx.renameComponents("securityDefinitions", "security-scheme-renamed", LevelInfo, "")
	fx.renameComponents("definitions", "component-renamed", LevelWarning, "#/definitions/")
	fx.renameComponents("parameters", "component-renamed", LevelWarning, "#/parameters/")
	fx.renameComponents("responses", "component-renamed", LevelWarning, "#/responses/")
	defined := map[string]bool{}
	for k := range asMap(fx.root["securityDefinitions"]) {
		defined[k] = true
	}
	fx.security(fx.root, "", defined, renamedSchemes)
	fx.paths(defined, renamedSchemes)
	fx.walkSchemas(fx.root, "", false)
}

// openapi3 applies the repairs that make sense for OpenAPI 3 input.
func (fx *fixer) openapi3() {
	comps := asMap(fx.root["components"])
	renamed := map[string]string{}
	if comps != nil {
		sub := &fixer{file: fx.file, root: comps}
		renamed = sub.renameComponentsAt("securitySchemes", "/components", "security-scheme-renamed", LevelInfo, "")
		for _, kind := range []string{"schemas", "parameters", "responses", "requestBodies", "headers", "examples"} {
			sub.renameComponentsAt(kind, "/components", "component-renamed", LevelWarning, "#/components/"+kind+"/")
		}
		fx.findings = append(fx.findings, sub.findings...)
		fx.rewriteRefsAll(sub.refRenames)
	}
	defined := map[string]bool{}
	for k := range asMap(comps["securitySchemes"]) {
		defined[k] = true
	}
	fx.security(fx.root, "", defined, renamed)
	fx.paths(defined, renamed)
	fx.walkSchemas(fx.root, "", true)
}

// host splits a host that carries a scheme or a path, which openapi2conv
// refuses.
func (fx *fixer) host() {
	h, ok := fx.root["host"].(string)
	if !ok || h == "" {
		return
	}
	orig := h
	if i := strings.Index(h, "://"); i >= 0 {
		fx.root["schemes"] = []any{h[:i]}
		h = h[i+3:]
	}
	if i := strings.Index(h, "/"); i >= 0 {
		bp, _ := fx.root["basePath"].(string)
		fx.root["basePath"] = strings.TrimRight(h[i:], "/") + bp
		h = h[:i]
	}
	if h != orig {
		fx.root["host"] = h
		fx.add("host-invalid", LevelWarning, "/host", fmt.Sprintf("host %q holds a scheme or path; read as host %q", orig, h),
			"host must be the host name only; put the path in basePath")
	}
	if bp, ok := fx.root["basePath"].(string); ok && bp != "" && !strings.HasPrefix(bp, "/") {
		fx.root["basePath"] = "/" + bp
		fx.add("basepath-relative", LevelWarning, "/basePath", fmt.Sprintf("basePath %q does not start with '/'", bp), `write it as "/`+bp+`"`)
	}
}

// refRenames collects old→new $ref strings for a later rewrite pass.
func (fx *fixer) renameComponents(key, id string, level Level, refPrefix string) map[string]string {
	m := fx.renameComponentsAt(key, "", id, level, refPrefix)
	fx.rewriteRefsAll(fx.refRenames)
	fx.refRenames = nil
	return m
}

func (fx *fixer) renameComponentsAt(key, base, id string, level Level, refPrefix string) map[string]string {
	comps := asMap(fx.root[key])
	if len(comps) == 0 {
		return nil
	}
	names := make([]string, 0, len(comps))
	for k := range comps {
		names = append(names, k)
	}
	sort.Strings(names)
	renamed := map[string]string{}
	for _, name := range names {
		if componentName.MatchString(name) {
			continue
		}
		nn := sanitizeName(name)
		for i := 2; comps[nn] != nil; i++ {
			nn = sanitizeName(name) + "_" + itoa(i)
		}
		comps[nn] = comps[name]
		delete(comps, name)
		renamed[name] = nn
		fx.add(id, level, base+"/"+key+"/"+EscapePointerToken(name),
			fmt.Sprintf("%s name %q renamed to %q: OpenAPI 3 allows only letters, digits and ._- in component names", strings.TrimSuffix(key, "s"), name, nn),
			renameFix(key))
		if refPrefix != "" {
			if fx.refRenames == nil {
				fx.refRenames = map[string]string{}
			}
			fx.refRenames[refPrefix+EscapePointerToken(name)] = refPrefix + nn
		}
	}
	return renamed
}

func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// rewriteRefsAll replaces $ref values (exact or as prefix of a longer
// pointer) across the whole tree.
func (fx *fixer) rewriteRefsAll(ren map[string]string) {
	if len(ren) == 0 {
		return
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				for old, nw := range ren {
					if r == old || strings.HasPrefix(r, old+"/") {
						x["$ref"] = nw + r[len(old):]
						break
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(fx.root)
}

// security drops requirements that name undefined schemes and follows renames.
func (fx *fixer) security(obj map[string]any, base string, defined map[string]bool, renamed map[string]string) {
	reqs, ok := obj["security"].([]any)
	if !ok {
		return
	}
	var kept []any
	for i, r := range reqs {
		m := asMap(r)
		if m == nil {
			continue
		}
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, name := range names {
			if nn, ok := renamed[name]; ok {
				m[nn] = m[name]
				delete(m, name)
				continue
			}
			if !defined[name] {
				delete(m, name)
				fx.add("security-undefined-scheme", LevelWarning, base+"/security/"+itoa(i),
					fmt.Sprintf("security requirement names %q, which securityDefinitions does not define; requirement dropped", name),
					"define the scheme or remove the requirement")
			}
		}
		if len(m) > 0 || len(names) == 0 {
			kept = append(kept, m)
		}
	}
	if kept == nil && len(reqs) > 0 {
		delete(obj, "security")
		return
	}
	obj["security"] = kept
}

func (fx *fixer) paths(defined map[string]bool, renamed map[string]string) {
	paths := asMap(fx.root["paths"])
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item := asMap(paths[p])
		pbase := "/paths/" + EscapePointerToken(p)
		if item == nil {
			fx.add("path-item-invalid", LevelWarning, pbase, fmt.Sprintf("path %q is not an object; ignored", p), "make it an object of operations")
			delete(paths, p)
			continue
		}
		if !strings.HasPrefix(p, "/") {
			fx.add("path-relative", LevelWarning, pbase, fmt.Sprintf("path %q does not start with '/'", p), `write it as "/`+p+`"`)
			if paths["/"+p] == nil {
				paths["/"+p] = item
				delete(paths, p)
			}
		}
		for k, v := range item {
			lk := strings.ToLower(k)
			if isMethod(lk) && lk != k {
				item[lk] = v
				delete(item, k)
				fx.add("method-case", LevelWarning, pbase+"/"+EscapePointerToken(k), fmt.Sprintf("method key %q is not lower case", k), "write "+lk)
			}
		}
		for _, m := range methods {
			op := asMap(item[m])
			if op == nil {
				continue
			}
			obase := pbase + "/" + m
			fx.security(op, obase, defined, renamed)
			resp, present := op["responses"]
			if rm := asMap(resp); len(rm) == 0 {
				what := "has an empty responses object"
				if !present {
					what = "has no responses"
				}
				op["responses"] = map[string]any{"default": map[string]any{"description": "No response declared"}}
				fx.add("responses-empty", LevelWarning, obase, fmt.Sprintf("%s %s %s; assumed a default response without body", strings.ToUpper(m), p, what),
					`declare at least the success response, e.g. "200": {"description": "OK"}`)
			}
		}
		for k := range item {
			if isMethod(k) || k == "parameters" || k == "$ref" || strings.HasPrefix(k, "x-") || k == "summary" || k == "description" || k == "servers" || k == "trace" {
				continue
			}
			fx.add("path-item-unknown-key", LevelWarning, pbase+"/"+EscapePointerToken(k), fmt.Sprintf("unknown key %q in path item %s; ignored", k, p),
				"remove it, or prefix it with x- if it is an extension")
		}
	}
}

// skipValueKeys hold data, not schemas: never repair inside them.
var skipValueKeys = map[string]bool{
	"example": true, "examples": true, "x-example": true, "default": true, "enum": true,
	"x-ms-test-value": true, "x-ms-examples": true, "x-ms-connector-metadata": true,
	"x-ms-dynamic-values": true, "x-ms-dynamic-list": true, "x-ms-dynamic-schema": true,
	"x-ms-dynamic-properties": true, "x-ms-dynamic-tree": true, "x-ms-capabilities": true,
	"x-ms-openai-data": true, "x-ms-openai-manifest": true, "securityDefinitions": true,
	"securitySchemes": true, "x-ms-trigger-metadata": true,
}

// walkSchemas repairs schema-shaped objects anywhere in the tree.
func (fx *fixer) walkSchemas(v any, ptr string, v3 bool) {
	switch x := v.(type) {
	case map[string]any:
		fx.schemaFixes(x, ptr, v3)
		for k, e := range x {
			if skipValueKeys[k] {
				continue
			}
			if k == "additionalProperties" && !v3 {
				// openapi2conv does not rewrite refs below an inline
				// additionalProperties schema (kin-openapi bug); give it v3
				// refs there up front.
				rewriteDefRefs(e)
			}
			fx.walkSchemas(e, ptr+"/"+EscapePointerToken(k), v3)
		}
	case []any:
		for i, e := range x {
			fx.walkSchemas(e, ptr+"/"+itoa(i), v3)
		}
	}
}

func rewriteDefRefs(v any) {
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["$ref"].(string); ok && strings.HasPrefix(r, "#/definitions/") {
			x["$ref"] = "#/components/schemas/" + strings.TrimPrefix(r, "#/definitions/")
		}
		for k, e := range x {
			if !skipValueKeys[k] {
				rewriteDefRefs(e)
			}
		}
	case []any:
		for _, e := range x {
			rewriteDefRefs(e)
		}
	}
}

var uEscape = regexp.MustCompile(`\\u([0-9a-fA-F]{4})`)

func (fx *fixer) schemaFixes(m map[string]any, ptr string, v3 bool) {
	if r, ok := m["$ref"].(string); ok {
		fx.checkRef(m, r, ptr)
		return
	}
	switch t := m["type"].(type) {
	case string:
		switch t {
		case "null":
			delete(m, "type")
			if v3 {
				m["nullable"] = true
			} else {
				m["x-nullable"] = true
			}
			fx.add("schema-type-null", LevelWarning, ptr+"/type", `type "null" is not valid here; read as an untyped nullable schema`, `remove "type": "null" or use x-nullable`)
		case "array":
			if _, ok := m["items"]; !ok {
				m["items"] = map[string]any{}
				fx.add("schema-array-without-items", LevelWarning, ptr, "array without items; read as an array of anything", `add "items": {...}`)
			}
		case "file":
			if _, isParam := m["in"]; !isParam && !v3 {
				m["type"], m["format"] = "string", "binary"
				fx.add("schema-type-file", LevelInfo, ptr+"/type", `type "file" inside a schema read as string/binary`, `use "type": "string", "format": "binary"`)
			}
		}
	}
	if p, ok := m["pattern"].(string); ok {
		if _, err := regexp.Compile(p); err != nil {
			tp := uEscape.ReplaceAllString(p, `\x{$1}`)
			if _, err2 := regexp.Compile(tp); err2 == nil {
				m["pattern"] = tp
				fx.add("pattern-translated", LevelInfo, ptr+"/pattern", fmt.Sprintf("pattern %q uses \\uXXXX escapes; translated to RE2 \\x{...}", p), "")
			} else {
				delete(m, "pattern")
				m[unenforcedPatternKey] = p
				fx.add("pattern-not-enforced", LevelWarning, ptr+"/pattern",
					fmt.Sprintf("pattern %q cannot be enforced (Go RE2: %s); it is not checked", p, reErr(err2)),
					"avoid lookaheads and backreferences, which RE2 does not support")
			}
		}
	}
	fx.constraintConflicts(m, ptr)
}

func reErr(err error) string {
	s := err.Error()
	return strings.TrimPrefix(s, "error parsing regexp: ")
}

func (fx *fixer) checkRef(m map[string]any, r, ptr string) {
	if !strings.HasPrefix(r, "#") && fx.splitRefs && inFolderRef(fx.file, r) {
		return
	}
	if !strings.HasPrefix(r, "#") {
		for k := range m {
			delete(m, k)
		}
		fx.add("ref-external", LevelWarning, ptr+"/$ref", fmt.Sprintf("$ref %q points outside this document; it is not followed and reads as an open schema", r),
			"inline the referenced schema into the definition")
		return
	}
	if resolvePointer(fx.root, strings.TrimPrefix(r, "#")) == nil {
		// Refs rewritten for the converter resolve after conversion.
		if strings.HasPrefix(r, "#/components/schemas/") && resolvePointer(fx.root, "/definitions/"+strings.TrimPrefix(r, "#/components/schemas/")) != nil {
			return
		}
		for k := range m {
			delete(m, k)
		}
		fx.add("ref-unresolved", LevelWarning, ptr+"/$ref", fmt.Sprintf("$ref %q points at nothing; read as an open schema", r),
			"define the target or fix the reference")
	}
}

// inFolderRef reports whether ref is a relative reference to an existing
// file inside the folder of file. Anything else (a URL, an absolute path, a
// path climbing out with "..") is never followed.
func inFolderRef(file, ref string) bool {
	p, _, _ := strings.Cut(ref, "#")
	if p == "" || strings.Contains(p, ":") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) {
		return false
	}
	rel := filepath.Clean(filepath.FromSlash(p))
	if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return false
	}
	st, err := os.Stat(filepath.Join(filepath.Dir(file), rel))
	return err == nil && st.Mode().IsRegular()
}

// resolvePointer follows an RFC 6901 pointer through decoded JSON.
func resolvePointer(v any, ptr string) any {
	if ptr == "" {
		return v
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = UnescapePointerToken(tok)
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func renameFix(key string) string {
	if key == "securityDefinitions" || key == "securitySchemes" {
		return "none needed: Power Platform allows this name; only the OpenAPI 3 view uses the new one"
	}
	return "rename it in the file to silence this"
}
