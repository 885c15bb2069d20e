package authoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// File names of a connector folder, as paconn and the portal expect them.
const (
	DefinitionFile = "apiDefinition.swagger.json"
	PropertiesFile = "apiProperties.json"
	SettingsFile   = "settings.json"
	ReadmeFile     = "README.md"
	IconFile       = "icon.png"
	ScriptFile     = "script.csx"
)

// PropertiesExtension carries apiProperties.json inside an exported
// OpenAPI 3 document, so that export followed by new loses nothing.
const PropertiesExtension = "x-connectorlab-api-properties"

// Auth kinds Options.Auth accepts.
const (
	AuthAPIKey = "apikey"
	AuthBasic  = "basic"
	AuthOAuth2 = "oauth2"
	AuthAAD    = "aad"
	AuthNone   = "none"
)

// AuthKinds lists the values of Options.Auth.
var AuthKinds = []string{AuthAPIKey, AuthBasic, AuthOAuth2, AuthAAD, AuthNone}

// Source is what Build converts: an OpenAPI 3 document (every loader
// output) and, when the input was a Swagger 2.0 file or a connector folder,
// that document and its apiProperties.json as written.
type Source struct {
	Doc  *openapi3.T
	File string
	// Index locates pointers of Doc in File (nil when File is YAML, or when
	// Doc was converted from something else such as Postman or traffic).
	Index *jsontext.Index
	// Swagger2 is the Swagger 2.0 document as written, when the source is
	// one; Build then enriches it instead of converting Doc.
	Swagger2 map[string]any
	// Properties is apiProperties.json as written, when there is one.
	Properties map[string]any
	// Findings are carried into the result (loader repairs, converter
	// warnings of Postman or traffic inference).
	Findings []connector.Finding
}

// Options tune Build.
type Options struct {
	// Name is the connector title; "" keeps the source's.
	Name string
	// Auth replaces the source's authentication: apikey, basic, oauth2,
	// aad or none. "" keeps what the source declares.
	Auth string
	// ServicePrincipal adds a Microsoft Entra ID client-credentials
	// (service principal) connection parameter set; with Auth aad.
	ServicePrincipal bool
	// APIKeyName and APIKeyIn place an apikey (default header X-API-Key).
	APIKeyName, APIKeyIn string
	// IconBrandColor defaults to #007ee5.
	IconBrandColor string
	// Publisher and StackOwner go to apiProperties.json.
	Publisher, StackOwner string
}

// Folder is a written connector: the three files paconn reads and a README
// stub, plus what was lost or made up on the way.
type Folder struct {
	Definition map[string]any
	Properties map[string]any
	Settings   map[string]any
	Readme     string
	Findings   []connector.Finding
}

// FromConnector builds the Source of a loaded connector, re-reading its
// definition as written when it is Swagger 2.0 JSON.
func FromConnector(c *connector.Connector) (*Source, error) {
	if c == nil || c.Doc == nil {
		return nil, errors.New("authoring: no connector")
	}
	src := &Source{Doc: c.Doc, File: c.Files.Definition}
	for _, f := range c.Findings {
		if f.Level >= connector.LevelWarning {
			src.Findings = append(src.Findings, f)
		}
	}
	raw, err := os.ReadFile(c.Files.Definition)
	if err != nil {
		return nil, fmt.Errorf("authoring: %w", err)
	}
	isJSON := len(bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF")))) > 0 &&
		bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF")))[0] == '{'
	if isJSON && c.Format != connector.FormatPostman {
		src.Index = jsontext.NewIndex(raw)
		if c.Format == connector.FormatSwagger2 {
			if norm, _, err := jsontext.Normalize(raw, jsontext.Options{}); err == nil {
				var m map[string]any
				if json.Unmarshal(norm, &m) == nil {
					src.Swagger2 = m
				}
			}
		}
	}
	if c.Files.Properties != "" {
		if b, err := os.ReadFile(c.Files.Properties); err == nil {
			if norm, _, err := jsontext.Normalize(b, jsontext.Options{}); err == nil {
				var m map[string]any
				if json.Unmarshal(norm, &m) == nil {
					src.Properties = m
				}
			}
		}
	}
	if p, ok := c.Doc.Extensions[PropertiesExtension].(map[string]any); ok && src.Properties == nil {
		src.Properties = p
	}
	return src, nil
}

// Build converts src into a connector folder.
func Build(src *Source, opts Options) (*Folder, error) {
	if src == nil || (src.Doc == nil && src.Swagger2 == nil) {
		return nil, errors.New("authoring: nothing to build from")
	}
	if opts.Auth != "" && !validAuth(opts.Auth) {
		return nil, fmt.Errorf("authoring: --auth %q: use one of %s", opts.Auth, strings.Join(AuthKinds, ", "))
	}
	f := &Folder{}
	f.Findings = append(f.Findings, src.Findings...)
	var cv *converter
	if src.Swagger2 != nil {
		g, err := toGeneric(src.Swagger2)
		if err != nil {
			return nil, fmt.Errorf("authoring: %w", err)
		}
		f.Definition = g.(map[string]any)
	} else {
		cv = newConverter(src.Doc, src.File, src.Index)
		props, _ := src.Doc.Extensions[PropertiesExtension].(map[string]any)
		delete(src.Doc.Extensions, PropertiesExtension)
		if src.Properties == nil && props != nil {
			src.Properties = props
		}
		cv.run()
		d2, err := fromV3(src.Doc)
		if err != nil {
			return nil, fmt.Errorf("authoring: converting %s to Swagger 2.0: %w", src.File, err)
		}
		g, err := toGeneric(d2)
		if err != nil {
			return nil, fmt.Errorf("authoring: %w", err)
		}
		restoreBinary(g, 0)
		rewriteRefs(g, "#/components/schemas/", "#/definitions/", 0)
		f.Definition = g.(map[string]any)
		cv.restoreProduces(f.Definition)
		f.Findings = append(f.Findings, cv.findings...)
	}
	en := &enricher{def: f.Definition, file: src.File, idx: src.Index, levels: levelMap()}
	if opts.Name != "" {
		info := asMap(f.Definition["info"])
		if info == nil {
			info = map[string]any{}
			f.Definition["info"] = info
		}
		info["title"] = opts.Name
	}
	en.run()
	f.Findings = append(f.Findings, en.findings...)
	f.Properties = buildProperties(f.Definition, src.Properties, cv, opts)
	f.Settings = map[string]any{
		"apiDefinition":       DefinitionFile,
		"apiProperties":       PropertiesFile,
		"icon":                IconFile,
		"powerAppsUrl":        "https://api.powerapps.com",
		"powerAppsApiVersion": "2016-11-01",
	}
	f.Readme = readme(f)
	connector.SortFindings(f.Findings)
	return f, nil
}

// fromV3 is openapi2conv.FromV3 with a recover: kin-openapi must not take
// the CLI down on a document it did not expect.
func fromV3(doc *openapi3.T) (d any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("converter panic: %v", r)
		}
	}()
	if doc.Info == nil {
		doc.Info = &openapi3.Info{Title: "Connector", Version: "1.0"}
	}
	if doc.Paths == nil {
		doc.Paths = openapi3.NewPaths()
	}
	return openapi2conv.FromV3(doc)
}

func validAuth(a string) bool {
	for _, k := range AuthKinds {
		if k == a {
			return true
		}
	}
	return false
}

func levelMap() map[string]connector.Level {
	lv := map[string]connector.Level{}
	for _, r := range Rules() {
		lv[r.ID] = r.Level
	}
	return lv
}

// Files returns the folder's files by name, as they are written.
func (f *Folder) Files() map[string][]byte {
	return map[string][]byte{
		DefinitionFile: marshalOrdered(f.Definition),
		PropertiesFile: marshalOrdered(f.Properties),
		SettingsFile:   marshalOrdered(f.Settings),
		ReadmeFile:     []byte(f.Readme),
	}
}

// Write writes the folder into dir, creating it. It refuses to overwrite
// an existing definition unless force is set.
func (f *Folder) Write(dir string, force bool) error {
	if !force {
		if _, err := os.Stat(filepath.Join(dir, DefinitionFile)); err == nil {
			return fmt.Errorf("%s already holds a connector (%s); pass --force to overwrite it, or --merge to add to it", dir, DefinitionFile)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range f.Files() {
		if name == ReadmeFile && !force {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				continue // a maker's README is theirs
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func readme(f *Folder) string {
	info := asMap(f.Definition["info"])
	title, _ := info["title"].(string)
	desc, _ := info["description"].(string)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", title, desc)
	b.WriteString("## Publisher\n\nTODO: who maintains this connector.\n\n")
	b.WriteString("## Prerequisites\n\nTODO: the account or subscription a maker needs.\n\n")
	b.WriteString("## Obtaining credentials\n\nTODO: how to get the credentials the connection asks for.\n\n")
	b.WriteString("## Supported operations\n\n")
	paths := asMap(f.Definition["paths"])
	for _, p := range sortedKeys(paths) {
		item := asMap(paths[p])
		for _, m := range sortedKeys(item) {
			op := asMap(item[m])
			if op == nil || !httpMethods[m] {
				continue
			}
			fmt.Fprintf(&b, "- **%v** (`%s %s`): %v\n", op["summary"], strings.ToUpper(m), p, op["description"])
		}
	}
	b.WriteString("\n## Known issues and limitations\n\n")
	n := 0
	for _, fd := range f.Findings {
		if strings.HasPrefix(fd.ID, "create-") && fd.Level >= connector.LevelWarning {
			fmt.Fprintf(&b, "- %s (`%s`)\n", fd.Message, fd.ID)
			n++
			if n == 20 {
				b.WriteString("- … see `connectorlab new` output for the rest\n")
				break
			}
		}
	}
	if n == 0 {
		b.WriteString("None known.\n")
	}
	b.WriteString("\nCreated with `connectorlab new`; check it with `connectorlab validate` and `connectorlab pack`.\n")
	return b.String()
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
