package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/connectorlab/connectorlab/connector/postman"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	yaml "go.yaml.in/yaml/v4"
)

// Defaults for Loader limits.
const (
	DefaultMaxBytes = 25 << 20
	DefaultMaxDepth = 128
)

// Loader reads connectors. The zero value uses the defaults.
type Loader struct {
	// MaxBytes refuses any input file larger than this (default 25 MiB).
	MaxBytes int64
	// MaxDepth refuses JSON/YAML nested deeper than this (default 128):
	// kin-openapi is super-linear on depth, so we check before parsing.
	MaxDepth int
	// MaxNodes refuses a file with more JSON/YAML values than this
	// (default DefaultMaxNodes): memory and time grow with it, so the
	// budget is checked before the expensive parse.
	MaxNodes int
}

// Load reads a connector folder, a Swagger 2.0 / OpenAPI 3 document (JSON or
// YAML) or a Postman collection, with default limits. It never touches the
// network and never follows a $ref outside the document.
func Load(ctx context.Context, path string) (*Connector, error) {
	return (&Loader{}).Load(ctx, path)
}

// scriptNames are the custom-code file names seen in the corpus, lower case.
var scriptNames = []string{"script.csx", "script.cs", "connector-script.csx"}

// Load reads path; see the package-level Load.
func (l *Loader) Load(ctx context.Context, path string) (*Connector, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, &LoadError{File: path, Msg: "cannot open: " + errText(err), Fix: "check the path", Err: err}
	}
	files := Files{}
	if st.IsDir() {
		files, err = findFiles(path)
		if err != nil {
			return nil, err
		}
	} else {
		base := strings.ToLower(filepath.Base(path))
		if base == "apiproperties.json" || base == "settings.json" {
			return nil, &LoadError{File: path, Msg: "this is a connector's " + filepath.Base(path) + ", not its definition",
				Fix: "pass the connector folder (" + filepath.Dir(path) + ") or its *.swagger.json"}
		}
		files.Definition = path
		// A definition inside a connector folder brings its siblings along.
		if strings.HasSuffix(base, ".swagger.json") {
			if sib, err := findFiles(filepath.Dir(path)); err == nil && sib.Definition == path {
				files = sib
			}
		}
	}
	c, err := l.loadFiles(ctx, files)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func findFiles(dir string) (Files, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Files{}, &LoadError{File: dir, Msg: "cannot read folder: " + errText(err), Err: err}
	}
	f := Files{Dir: dir}
	var defs, others []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		low := strings.ToLower(name)
		switch {
		case strings.HasSuffix(low, ".swagger.json"):
			defs = append(defs, name)
		case low == "apiproperties.json":
			f.Properties = filepath.Join(dir, name)
		case low == "settings.json":
			f.Settings = filepath.Join(dir, name)
		case low == "openapi.json" || low == "openapi.yaml" || low == "openapi.yml" || low == "swagger.json" || low == "swagger.yaml" || low == "swagger.yml":
			others = append(others, name)
		default:
			for _, s := range scriptNames {
				if low == s {
					f.Script = filepath.Join(dir, name)
				}
			}
		}
	}
	sort.Strings(defs)
	sort.Strings(others)
	switch {
	case len(defs) == 1:
		f.Definition = filepath.Join(dir, defs[0])
	case len(defs) > 1:
		for _, d := range defs {
			if strings.EqualFold(d, "apiDefinition.swagger.json") {
				f.Definition = filepath.Join(dir, d)
			}
		}
		if f.Definition == "" {
			return f, &LoadError{File: dir, Msg: "more than one *.swagger.json: " + strings.Join(defs, ", "),
				Fix: "keep one definition per folder, or pass the file you mean"}
		}
	case len(others) > 0:
		f.Definition = filepath.Join(dir, others[0])
	default:
		return f, &LoadError{File: dir, Msg: "no connector definition (*.swagger.json) in this folder",
			Fix: "pass a folder holding apiDefinition.swagger.json, or an OpenAPI / Postman file"}
	}
	return f, nil
}

// source is one parsed input file.
type source struct {
	file string
	data []byte
	tree any
	idx  *jsontext.Index // nil for YAML
}

func (l *Loader) maxBytes() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return DefaultMaxBytes
}

func (l *Loader) maxDepth() int {
	if l.MaxDepth > 0 {
		return l.MaxDepth
	}
	return DefaultMaxDepth
}

func (l *Loader) readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &LoadError{File: path, Msg: "cannot open: " + errText(err), Err: err}
	}
	defer f.Close()
	return l.readLimited(path, f)
}

// parse turns bytes into a JSON-compatible tree, repairing JSON leniently.
func (l *Loader) parse(file string, data []byte) (*source, []Finding, error) {
	src := &source{file: file, data: data}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(trimmed) == 0 {
		return nil, nil, &LoadError{File: file, Line: 1, Col: 1, Msg: "file is empty", Fix: "write the definition into it"}
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		if countJSONNodes(data, l.maxNodes()) > l.maxNodes() {
			return nil, nil, l.budgetError(file)
		}
		out, repairs, err := jsontext.Normalize(data, jsontext.Options{MaxDepth: l.maxDepth()})
		if err != nil {
			return nil, nil, jsonLoadError(file, err)
		}
		var fs []Finding
		for _, r := range repairs {
			fs = append(fs, Finding{ID: r.ID, Level: LevelWarning, File: file, Line: r.Line, Col: r.Col,
				Message: r.Message, Fix: "repaired while loading; correct the file to silence this"})
		}
		if err := json.Unmarshal(out, &src.tree); err != nil {
			return nil, nil, &LoadError{File: file, Msg: "not valid JSON after repair: " + err.Error(), Err: err}
		}
		src.idx = jsontext.NewIndex(data)
		return src, fs, nil
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, nil, &LoadError{File: file, Msg: "neither JSON nor YAML: " + err.Error(),
			Fix: "a definition must be a JSON or YAML document", Err: err}
	}
	tree, err := yamlToJSON(v, 0, l.maxDepth())
	if err != nil {
		return nil, nil, &LoadError{File: file, Msg: err.Error(), Err: err}
	}
	if countTreeNodes(tree, l.maxNodes()) > l.maxNodes() {
		return nil, nil, l.budgetError(file)
	}
	src.tree = tree
	return src, nil, nil
}

func jsonLoadError(file string, err error) error {
	var se *jsontext.SyntaxError
	if errors.As(err, &se) {
		return &LoadError{File: file, Line: se.Line, Col: se.Col, Msg: "invalid JSON: " + se.Msg, Fix: se.Hint, Err: err}
	}
	var de *jsontext.DepthError
	if errors.As(err, &de) {
		return &LoadError{File: file, Line: de.Line, Col: de.Col,
			Msg: fmt.Sprintf("JSON nesting deeper than %d levels", de.Limit),
			Fix: "flatten the document; real connectors nest fewer than 30 levels", Err: err}
	}
	return &LoadError{File: file, Msg: err.Error(), Err: err}
}

// yamlToJSON converts YAML-decoded values into the shapes encoding/json
// produces, so one code path handles both.
func yamlToJSON(v any, depth, max int) (any, error) {
	if depth > max {
		return nil, fmt.Errorf("YAML nesting deeper than %d levels", max)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			c, err := yamlToJSON(e, depth+1, max)
			if err != nil {
				return nil, err
			}
			x[k] = c
		}
		return x, nil
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			c, err := yamlToJSON(e, depth+1, max)
			if err != nil {
				return nil, err
			}
			m[fmt.Sprint(k)] = c
		}
		return m, nil
	case []any:
		for i, e := range x {
			c, err := yamlToJSON(e, depth+1, max)
			if err != nil {
				return nil, err
			}
			x[i] = c
		}
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	}
	return v, nil
}

func (l *Loader) loadFiles(ctx context.Context, files Files) (*Connector, error) {
	if err := confinedFiles(files); err != nil {
		return nil, err
	}
	data, err := l.readIn(files.Dir, files.Definition)
	if err != nil {
		return nil, err
	}
	src, findings, err := l.parse(files.Definition, data)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := &Connector{Files: files}
	root, _ := src.tree.(map[string]any)
	switch {
	case root != nil && root["swagger"] != nil:
		c.Format = FormatSwagger2
		if v := fmt.Sprint(root["swagger"]); v != "2.0" {
			findings = append(findings, Finding{ID: "swagger-version", Level: LevelWarning, File: src.file, Pointer: "/swagger",
				Message: fmt.Sprintf("swagger is %q; read as 2.0", v), Fix: `set "swagger": "2.0"`})
		}
		fx := &fixer{file: src.file, root: root}
		fx.swagger2()
		findings = append(findings, fx.findings...)
		c.Doc, err = convertSwagger2(src.file, root)
		if err != nil {
			return nil, err
		}
		c.Host, _ = root["host"].(string)
		c.BasePath, _ = root["basePath"].(string)
		for _, s := range asSlice(root["schemes"]) {
			c.Schemes = append(c.Schemes, str(s))
		}
	case root != nil && root["openapi"] != nil:
		c.Format = FormatOpenAPI3
		fx := &fixer{file: src.file, root: root, splitRefs: true}
		fx.openapi3()
		findings = append(findings, fx.findings...)
		c.Doc, err = l.loadOpenAPI3(src.file, root)
		if err != nil {
			return nil, err
		}
		c.serverParts()
	default:
		if root != nil && postman.Detect(data) {
			c.Format = FormatPostman
			doc, warns, err := postman.Convert(data)
			if err != nil {
				return nil, &LoadError{File: src.file, Msg: "Postman collection: " + err.Error(), Err: err}
			}
			for _, w := range warns {
				findings = append(findings, Finding{ID: w.ID, Level: LevelWarning, File: src.file, Pointer: w.Pointer, Message: w.Message})
			}
			c.Doc = doc
			c.serverParts()
			// Postman → OpenAPI output is already clean; index the converted
			// document for the typed model.
			b, _ := json.Marshal(doc)
			var t any
			_ = json.Unmarshal(b, &t)
			root, _ = t.(map[string]any)
			src.idx = nil
		} else {
			return nil, &LoadError{File: src.file, Line: 1, Col: 1,
				Msg: "not a connector definition: no top-level \"swagger\" or \"openapi\" key, and not a Postman collection v2.x",
				Fix: "pass a Swagger 2.0 / OpenAPI 3 document, a Postman collection, or a connector folder"}
		}
	}
	if c.Doc.Info != nil {
		c.Name = c.Doc.Info.Title
	}
	if c.Name == "" && files.Dir != "" {
		c.Name = filepath.Base(files.Dir)
	}

	var props map[string]any
	if files.Properties != "" {
		pdata, err := l.readIn(files.Dir, files.Properties)
		if err != nil {
			return nil, err
		}
		psrc, pf, err := l.parse(files.Properties, pdata)
		if err != nil {
			// apiProperties adds auth and policies; a broken one must not
			// hide the definition, but it must be loud.
			findings = append(findings, propertiesFinding(err))
		} else {
			findings = append(findings, pf...)
			props, _ = psrc.tree.(map[string]any)
			if props == nil {
				findings = append(findings, Finding{ID: "properties-not-object", Level: LevelError, File: files.Properties,
					Message: "apiProperties.json is not a JSON object; auth and policies ignored"})
			}
		}
	}
	if files.Settings != "" {
		if sdata, err := l.readIn(files.Dir, files.Settings); err == nil {
			if ssrc, sf, err := l.parse(files.Settings, sdata); err == nil {
				findings = append(findings, sf...)
				c.Settings, _ = ssrc.tree.(map[string]any)
			} else {
				findings = append(findings, propertiesFinding(err))
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := &builder{c: c, root: root, file: src.file}
	b.build(props)
	if files.Script != "" {
		st, err := os.Stat(files.Script)
		if err == nil {
			c.CustomCode = &CustomCode{File: files.Script, Size: st.Size()}
		}
	}
	if props != nil {
		if ops := asSlice(dig(props, "properties", "scriptOperations")); len(ops) > 0 {
			if c.CustomCode == nil {
				findings = append(findings, Finding{ID: "script-missing", Level: LevelWarning, File: files.Properties,
					Pointer: "/properties/scriptOperations",
					Message: "scriptOperations lists operations but the folder has no script.csx", Fix: "add the script file or remove scriptOperations"})
			} else {
				for _, o := range ops {
					c.CustomCode.Operations = append(c.CustomCode.Operations, str(o))
				}
			}
		}
	}
	c.markCustomCode()
	findings = append(findings, b.findings...)
	c.Findings = locate(findings, src)
	// Lint locates its findings later from the file's bytes; the decoded
	// tree and the position index are not kept (for the largest connector,
	// 4 MB of maps and 2 MB of index nothing reads after load).
	c.src = &source{file: src.file}
	if src.idx != nil {
		c.src.data = src.data
	}
	return c, nil
}

func propertiesFinding(err error) Finding {
	f := Finding{ID: "properties-unreadable", Level: LevelError, Message: err.Error(),
		Fix: "fix apiProperties.json; until then auth and policies are unknown"}
	var le *LoadError
	if errors.As(err, &le) {
		f.File, f.Line, f.Col, f.Message = le.File, le.Line, le.Col, le.Msg
		if le.Fix != "" {
			f.Fix = le.Fix
		}
	}
	return f
}

func (c *Connector) markCustomCode() {
	if c.CustomCode == nil {
		return
	}
	for _, op := range c.Operations {
		if len(c.CustomCode.Operations) == 0 {
			op.CustomCode = true
			continue
		}
		for _, id := range c.CustomCode.Operations {
			if strings.EqualFold(id, op.ID) {
				op.CustomCode = true
			}
		}
	}
}

// serverParts fills Host/BasePath/Schemes from the first server URL.
func (c *Connector) serverParts() {
	if c.Doc == nil || len(c.Doc.Servers) == 0 {
		return
	}
	u := c.Doc.Servers[0].URL
	if i := strings.Index(u, "://"); i >= 0 {
		c.Schemes = []string{u[:i]}
		u = u[i+3:]
		if j := strings.Index(u, "/"); j >= 0 {
			c.Host, c.BasePath = u[:j], u[j:]
		} else {
			c.Host = u
		}
	} else {
		c.BasePath = u
	}
}

// locate fills line:col from pointers for findings in the definition file.
func locate(fs []Finding, src *source) []Finding {
	for i := range fs {
		f := &fs[i]
		if f.File == "" {
			f.File = src.file
		}
		if f.Line == 0 && f.Pointer != "" && f.File == src.file && src.idx != nil {
			if line, col, _ := src.idx.Position(f.Pointer); line > 0 {
				f.Line, f.Col = line, col
			}
		}
	}
	SortFindings(fs)
	return fs
}

func convertSwagger2(file string, root map[string]any) (*openapi3.T, error) {
	b, err := json.Marshal(root)
	if err != nil {
		return nil, &LoadError{File: file, Msg: "re-encode: " + err.Error(), Err: err}
	}
	var d2 openapi2.T
	if err := json.Unmarshal(b, &d2); err != nil {
		return nil, &LoadError{File: file, Msg: "not a valid Swagger 2.0 document: " + err.Error(),
			Fix: "check the field named in the message against the Swagger 2.0 specification", Err: err}
	}
	doc, err := toV3(&d2)
	if err != nil {
		return nil, &LoadError{File: file, Msg: "cannot convert to OpenAPI 3: " + err.Error(), Err: err}
	}
	return doc, nil
}

// toV3 runs openapi2conv, turning its panics (on shapes it does not expect)
// into errors: Load must never panic.
func toV3(d2 *openapi2.T) (doc *openapi3.T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("converter failed on this document: %v", r)
		}
	}()
	return openapi2conv.ToV3(d2)
}

func (l *Loader) loadOpenAPI3(file string, root map[string]any) (doc *openapi3.T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &LoadError{File: file, Msg: fmt.Sprintf("OpenAPI loader failed on this document: %v", r)}
		}
	}()
	b, err := json.Marshal(root)
	if err != nil {
		return nil, &LoadError{File: file, Msg: "re-encode: " + err.Error(), Err: err}
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = l.folderReader(filepath.Dir(file))
	abs, _ := filepath.Abs(file)
	doc, err = loader.LoadFromDataWithPath(b, &url.URL{Path: filepath.ToSlash(abs)})
	if err != nil {
		return nil, &LoadError{File: file, Msg: "not a valid OpenAPI 3 document: " + err.Error(), Err: err}
	}
	return doc, nil
}

// folderReader resolves external $refs of an OpenAPI 3 document, but only
// to files inside dir (the connector's folder): never the network, never a
// path that climbs out through "..", an absolute path or a symlink. os.Root
// enforces the confinement.
func (l *Loader) folderReader(dir string) openapi3.ReadFromURIFunc {
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" && u.Scheme != "file" {
			return nil, fmt.Errorf("$ref %q: refs to the network are not followed; copy the file into the connector folder and refer to it by a relative path", u.String())
		}
		absDir, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(absDir, filepath.FromSlash(u.Path))
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("$ref %q points outside the connector folder %s; only files inside it are read", u.Path, dir)
		}
		root, err := os.OpenRoot(absDir)
		if err != nil {
			return nil, err
		}
		defer root.Close()
		f, err := root.Open(rel)
		if err != nil {
			return nil, fmt.Errorf("$ref %q: %s (only files inside %s are read)", u.Path, errText(err), dir)
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, l.maxBytes()+1))
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > l.maxBytes() {
			return nil, fmt.Errorf("$ref %q: file is larger than the %d MiB limit", u.Path, l.maxBytes()>>20)
		}
		// The referenced file gets the same lenient parse and depth limit as
		// the document itself.
		src, _, err := l.parse(u.Path, data)
		if err != nil {
			return nil, err
		}
		return json.Marshal(src.tree)
	}
}
